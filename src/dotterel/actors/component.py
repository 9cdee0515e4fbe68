"""The ``dotterel_actors`` component: every noun phrase that names or refers to an actor,
resolved to (name, country, sector, id), with in-document coreference."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.util import filter_spans

from dotterel.actors.context import fill_from_context
from dotterel.actors.coref import PLURAL_STATES, resolve_references
from dotterel.actors.gazetteer import Gazetteer, SectorRow, holder_actor, load_gazetteer, person_id
from dotterel.actors.mentions import (
    FORMER,
    LEADING_DROP,
    PRONOUNS,
    STATE_KINDS,
    Hit,
    choose_person,
    generic_actor,
    layer_hits,
    mention,
    negated_nationality,
    np_extent,
    sector_at,
)
from dotterel.ingest.dateline import dateline_spans
from dotterel.nlp.extensions import register_extensions
from dotterel.spans import Actor, ActorMention

PLACE_PREPS = {"in", "at", "near", "into", "across", "around", "outside", "inside"}
MODIFIER_DEPS = {"amod", "compound", "nmod", "poss", "nummod", "npadvmod"}


@functools.lru_cache(maxsize=4)
def cached_gazetteer(dirs: tuple[str, ...]) -> Gazetteer:
    return load_gazetteer(tuple(Path(d) for d in dirs))


@Language.factory(
    "dotterel_actors",
    requires=["token.dep", "token.lemma", "doc.ents"],
    assigns=["doc._.actor_mentions"],
    default_config={"resource_dirs": []},
)
def make_actors(nlp: Language, name: str, resource_dirs: list[str]) -> ActorResolver:
    register_extensions()
    return ActorResolver(nlp, cached_gazetteer(tuple(resource_dirs)))


class ActorResolver:
    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.g = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for text in gazetteer.names:
            self.matcher.add(text, [nlp.make_doc(text)])
        self.vocab = nlp.vocab

    # -- gazetteer hits -------------------------------------------------------------------
    def hits(self, doc: Doc) -> dict[int, Hit]:
        spans = [doc[s:e] for _, s, e in self.matcher(doc)]
        keys = {(s, e): self.vocab.strings[k] for k, s, e in self.matcher(doc)}
        entries = {(s, e): self.g.names.get(k, []) for (s, e), k in keys.items()}
        for span, found in layer_hits(doc, self.g):  # the derived PETRARCH2 layer: hand-made names first
            if (span.start, span.end) not in entries:
                spans.append(span)
                entries[(span.start, span.end)] = found
        out: dict[int, Hit] = {}
        for span in filter_spans(spans):
            hit = Hit(span, list(entries[(span.start, span.end)]))
            for t in span:
                out[t.i] = hit
        return out

    def __call__(self, doc: Doc) -> Doc:
        day: dt.date | None = doc._.dct
        # scraped debris and datelines ("RIO DE JANEIRO (AP) —") name no actor
        skip = list(doc._.skip_ranges or []) + dateline_spans(doc.text)
        hits = self.hits(doc)
        mentions: list[ActorMention] = []
        people: dict[str, ActorMention] = {}  # surname/full name (lower) -> first person mention
        modifiers: list[Token] = []
        for tok in doc:
            if tok.is_space or any(s <= tok.idx < e for s, e in skip):
                continue
            if tok.pos_ not in {"NOUN", "PROPN", "PRON", "ADJ", "NUM", "X"} and tok.i not in hits:
                continue
            if tok.lower_ in PRONOUNS and tok.pos_ == "PRON":
                continue  # coreference pass
            if tok.i in hits and hits[tok.i].root.i != tok.i:
                continue  # a multi-token name is resolved once, at its syntactic root
            if tok.dep_ in MODIFIER_DEPS and tok.head.i != tok.i and tok.head.pos_ in {"NOUN", "PROPN"}:
                modifiers.append(tok)
                continue
            self._add(doc, tok, hits, day, people, mentions)
        covered = {i for m in mentions for i in range(m.start, m.end)}
        for tok in modifiers:
            # a nationality/place modifying a non-actor noun: "Israeli raid", "Russia's invasion"
            if tok.i in covered or (tok.i in hits and hits[tok.i].root.i != tok.i):
                continue
            if tok.i in hits or tok.dep_ == "poss" or sector_at(doc, tok.i, self.g, tok.left_edge.i) is not None:
                self._add(doc, tok, hits, day, people, mentions)  # "Israeli police custody": the police
        mentions = resolve_references(doc, mentions, self.g, day)
        fill_from_context(doc, mentions, self.g)
        doc._.actor_mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        return doc

    def _add(self, doc: Doc, tok: Token, hits: dict[int, Hit], day: dt.date | None,
             people: dict[str, ActorMention], mentions: list[ActorMention]) -> None:
        m = self.resolve_np(doc, tok, hits, day, people)
        if m is None:
            return
        mentions.append(m)
        for a in m.actors:
            if a.kind == "person" and a.name:
                people.setdefault(a.name.lower(), m)
                people.setdefault(a.name.split()[-1].lower(), m)

    # -- one noun phrase --------------------------------------------------------------------
    def resolve_np(self, doc: Doc, head: Token, hits: dict[int, Hit], day: dt.date | None,
                   people: dict[str, ActorMention]) -> ActorMention | None:
        g = self.g
        lo, hi = np_extent(head)
        head_hit = hits.get(head.i)
        if head_hit is not None:
            lo = min(lo, head_hit.span.start)
            while lo < head.i and (doc[lo].lower_ in LEADING_DROP or doc[lo].is_punct):
                lo += 1
        mod_hits: list[Hit] = []
        for i in range(lo, hi + 1):
            h = hits.get(i)
            if h is not None and h is not head_hit and h not in mod_hits:
                mod_hits.append(h)
        countries = [e.actor.country for h in mod_hits for e in h.entries if e.kind in STATE_KINDS and e.actor.country
                     and not negated_nationality(doc, h.span.start)]
        countries = list(dict.fromkeys(countries))
        orgs = [e.actor for h in mod_hits for e in h.entries if e.kind in {"org", "group"}]
        if not countries:
            # "the Bush administration", "Erdogan's government": a leader's name stands for the country
            for h in mod_hits:
                chosen = choose_person(h.entries, day, []) if "person" in h.kinds() else None
                if chosen is not None and chosen[0].country:
                    countries.append(chosen[0].country)
        former = any(doc[i].lower_ in FORMER or doc[i].lower_.startswith("ex-") for i in range(lo, hi + 1))
        of_country = self._of_country(head, hits)
        if not countries and of_country:
            countries = [of_country]
        sector = sector_at(doc, head.i, g, lo)
        if sector is None and head.pos_ == "NOUN":
            sector = self._implicit_sector(head)

        # 1. a known name at the head
        if head_hit is not None:
            kinds = head_hit.kinds()
            if "person" in kinds and len(head_hit.span) == 1 and head.ent_type_ in {"DATE", "TIME"}:
                kinds = kinds - {"person"}  # "in May", "on Sunday": a date, not a surname
            if "person" in kinds:
                surname = len(head_hit.span) == 1
                local = people.get(head_hit.span.text.lower()) if surname else None
                if local is not None:
                    m = mention(doc, lo, hi, head.i, list(local.actors), "coref")
                    m.antecedent = local
                    return m
                chosen = choose_person(head_hit.entries, day, countries)
                if chosen is not None:
                    actor, was_former = chosen
                    titled = any(sector_at(doc, i, g, lo) is not None for i in range(lo, head_hit.span.start))
                    if was_former and titled and not former:
                        was_former = False  # the text gives a current title: trust it over the calendar
                    if former or was_former:
                        actor = Actor(actor.name, actor.country, "ELI", actor.id, "person", actor.role)
                    return mention(doc, lo, hi, head.i, [actor], "name")
            for kind in ("org", "group", "metonym", "capital", "country", "demonym", "place"):
                entries = [e for e in head_hit.entries if e.kind == kind]
                if not entries:
                    continue
                actor = entries[0].actor
                if kind == "demonym":
                    # "the Israelis", "Serbs": people of a country; "ethnic Albanians": an ethnic group (country from context)
                    if negated_nationality(doc, head_hit.span.start) or any(
                            c.lemma_.lower() in {"population", "minority", "community"} for c in head.rights):
                        return mention(doc, lo, hi, head.i, [Actor(None, None, "CVL", None, "generic")], "title")
                    actor = Actor(actor.name, actor.country, "CVL" if head.tag_ in {"NNS", "NNPS"} else None, actor.id, "state")
                if kind in {"org", "group"} and countries and not actor.country:
                    actor = Actor(actor.name, countries[0], actor.sector, actor.id, actor.kind)
                if kind == "metonym" and countries and actor.country not in countries and len(head_hit.span) == 1:
                    # "Peru's Congress", "the Colombian Congress": the modifier's institution, not the U.S. one
                    actor = Actor(None, countries[0], actor.sector, None, "state")
                if kind in {"capital", "place"} and head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPS:
                    # "in central Baghdad", "blockade Paris": the city as a place, its people
                    actor = Actor(actor.name, actor.country, "CVL", actor.id, "state")
                if kind == "place" and actor.country is None:
                    return None  # a sea or strait: a place, not an actor
                return mention(doc, lo, hi, head.i, [actor], kind if kind not in {"capital"} else "metonym")

        # 2. a sector noun or title at the head ("Serb forces", "China's foreign minister")
        if sector is not None:
            row, s0 = sector
            name = doc[s0 : head.i + 1].text
            sec = "ELI" if former and (row.person or row.role) else row.sector
            targets: list[Actor] = []
            if countries:
                for c in countries:
                    actor = generic_actor(g, c, sec, name)
                    if row.role and row.person and not former and len(countries) == 1 and head.tag_ not in {"NNS", "NNPS"}:
                        holder = g.holder(c, row.role, day)
                        if holder is not None:
                            actor = holder_actor(holder)
                    targets.append(actor)
            elif orgs:
                o = orgs[0]
                targets.append(Actor(o.name, o.country, sec, o.id, o.kind))
            if targets:
                return mention(doc, lo, hi, head.i, targets, "title")
            # no country: an unresolved reference ("the minister", "protesters"); coref or context may fill it
            generic = None
            if not row.person and row.sector == "SOC":
                generic = "NGO"  # "a human rights group", "aid agencies" (PLOVER's NGO code)
            elif "peacekeep" in row.term or any(t.lower_.startswith("peacekeep") for t in doc[lo : hi + 1]):
                generic = "IGO"  # an international force
            return mention(doc, lo, hi, head.i, [Actor(None, generic, sec, None, "generic", row.role or None, generic)], "title")

        # 3. a people named with a nationality: "Iraqi Kurds", "Tamil refugees"
        if head.lemma_.lower() in {"population", "minority", "community", "diaspora"} and countries and head_hit is None:
            # "the Albanian population", "the Russian minority": people of that ethnicity where they live
            return mention(doc, lo, hi, head.i, [Actor(None, None, "CVL", None, "generic")], "title")
        if head.ent_type_ == "NORP" and head.tag_ in {"NNPS", "NNS"} and countries and head_hit is None:
            return mention(doc, lo, hi, head.i, [generic_actor(g, c, "CVL", head.text) for c in countries], "title")

        # 4. an unknown person with a title and/or nationality
        if head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and head.text.lower() in people):
            local = people.get(head.text.lower())
            if local is not None:
                m = mention(doc, lo, hi, head.i, list(local.actors), "coref")
                m.antecedent = local
                return m
            if head.ent_type_ != "PERSON":
                return None
            ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
            name_lo = ent.start if ent is not None else head.i
            name = doc[name_lo : head.i + 1].text
            title = None
            for i in range(lo, name_lo):
                found = sector_at(doc, i, g, lo)
                if found is not None:
                    title = found[0]
            sec = ("ELI" if former and title is not None else title.sector) if title is not None else None
            country = countries[0] if countries else (orgs[0].country if orgs else None)
            actor = Actor(name, country, sec, person_id(name), "person", title.role if title else None)
            return mention(doc, lo, hi, head.i, [actor], "name")
        # 4. a nationality or place modifying a non-actor noun ("Israeli raid", "U.S. exports")
        return None

    @staticmethod
    def _implicit_sector(head: Token) -> tuple[SectorRow, int] | None:
        """Nouns that refer to actors without naming a sector of their own: 'his counterpart',
        'the two countries', 'both sides' (filled by coreference)."""
        lemma = head.lemma_.lower()
        if lemma == "counterpart":
            return SectorRow(term="counterpart", sector="GOV", role="", person=1), head.i
        if lemma in PLURAL_STATES and head.tag_ in {"NNS", "NNPS"} and any(
                c.lower_ in {"two", "both"} for c in head.children):
            return SectorRow(term=lemma, sector="GOV", role="", person=0), head.i
        return None

    def _of_country(self, head: Token, hits: dict[int, Hit]) -> str | None:
        """'King Hassan of Morocco', 'the government of Sudan'."""
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    h = hits.get(pobj.i)
                    if pobj.dep_ == "pobj" and h is not None:
                        for e in h.entries:
                            if e.kind in STATE_KINDS:
                                return e.actor.country
        return None

