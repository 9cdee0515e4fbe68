"""The ``dotterel_actors`` component: every noun phrase that names or refers to an actor,
resolved to (name, country, sector, id), with in-document coreference."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.symbols import ADJ, NOUN, NUM, PRON, PROPN, X
from spacy.tokens import Doc, Token
from spacy.util import filter_spans

from dotterel.actors.context import fill_from_context
from dotterel.actors.coref import resolve_references
from dotterel.actors.docview import CharRanges, DocView
from dotterel.actors.gazetteer import Gazetteer, NameEntry, SectorRow, holder_actor, load_gazetteer, person_id
from dotterel.actors.mentions import (
    STATE_KINDS,
    Hit,
    SectorFinder,
    choose_person,
    generic_actor,
    layer_hits,
    mention,
    negated_nationality,
    np_extent,
)
from dotterel.ingest.dateline import dateline_spans
from dotterel.nlp.extensions import register_extensions, token_strings
from dotterel.spans import Actor, ActorMention

MODIFIER_DEPS = {"amod", "compound", "nmod", "poss", "nummod", "npadvmod"}
#: parts of speech that can head a noun phrase naming an actor (other tokens only inside a gazetteer name)
CANDIDATE_POS = frozenset({NOUN, PROPN, PRON, ADJ, NUM, X})
NOMINAL_POS = frozenset({NOUN, PROPN})
#: the order in which the kinds of a gazetteer name are tried at the head of a noun phrase
NAME_KINDS = ("org", "group", "metonym", "capital", "country", "demonym", "place")


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


class _Undecided:
    """Marker: a rule did not decide; the next rule is tried."""


UNDECIDED = _Undecided()


@dataclass(slots=True)
class DocState:
    """One document being resolved: its gazetteer hits and sector terms (each looked up once), the
    publication date, and the people named so far (surname/full name, lower case -> first mention)."""

    doc: Doc
    hits: dict[int, Hit]
    sectors: SectorFinder
    day: dt.date | None
    people: dict[str, ActorMention]


@dataclass(slots=True)
class NounPhrase:
    """What the resolver knows about one noun phrase before it decides what the phrase names."""

    lo: int  # first token (inclusive)
    hi: int  # last token (inclusive): the head
    head: Token
    head_hit: Hit | None  # a gazetteer name at the head
    countries: list[str]  # states named by the modifiers (or "of <state>")
    orgs: list[Actor]  # organisations and groups named by the modifiers
    former: bool  # "former", "ex-", "late" ...
    sector: tuple[SectorRow, int] | None  # a sector noun or title ending at the head, and where it starts


class ActorResolver:
    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.g = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for text in gazetteer.names:
            self.matcher.add(text, [nlp.make_doc(text)])
        self.vocab = nlp.vocab
        self.modifier_deps = frozenset(nlp.vocab.strings.add(d) for d in MODIFIER_DEPS)  # as DEP hashes

    # -- gazetteer hits -------------------------------------------------------------------
    def hits(self, doc: Doc, text: str | None = None) -> dict[int, Hit]:
        """Gazetteer names in ``doc`` (whose text is ``text``), longest first, by token index."""
        matches = self.matcher(doc)
        spans = [doc[s:e] for _, s, e in matches]
        keys = {(s, e): self.vocab.strings[k] for k, s, e in matches}
        entries = {(s, e): self.g.names.get(k, []) for (s, e), k in keys.items()}
        for span, found in layer_hits(doc, self.g, text):  # the derived PETRARCH2 layer: hand-made names first
            if (span.start, span.end) not in entries:
                spans.append(span)
                entries[(span.start, span.end)] = found
        out: dict[int, Hit] = {}
        for span in filter_spans(spans):
            hit = Hit(span, list(entries[(span.start, span.end)]), self.g.words.leading_drop)
            for t in span:
                out[t.i] = hit
        return out

    def __call__(self, doc: Doc) -> Doc:
        view = DocView.of(doc)
        # scraped debris and datelines ("RIO DE JANEIRO (AP) —") name no actor
        skip = CharRanges(list(doc._.skip_ranges or []) + dateline_spans(view.text))
        hits = self.hits(doc, view.text)
        state = DocState(doc, hits, SectorFinder(doc, self.g), doc._.dct, {})
        words = self.g.words
        mentions: list[ActorMention] = []
        modifiers: list[Token] = []
        pos, space, offset, dep, head = view.pos, view.space, view.offset, view.dep, view.head
        lower = token_strings(doc)[1]
        modifier_deps = self.modifier_deps
        for i, p in enumerate(pos):
            if p not in CANDIDATE_POS and i not in hits:
                continue
            if space[i] or offset[i] in skip:
                continue
            if p == PRON and lower[i] in words.pronouns:
                continue  # coreference pass
            if i in hits and hits[i].root.i != i:
                continue  # a multi-token name is resolved once, at its syntactic root
            if dep[i] in modifier_deps and head[i] != i and pos[head[i]] in NOMINAL_POS:
                modifiers.append(doc[i])
                continue
            self._add(state, doc[i], mentions)
        covered = {i for m in mentions for i in range(m.start, m.end)}
        for tok in modifiers:
            # a nationality/place modifying a non-actor noun: "Israeli raid", "Russia's invasion"
            if tok.i in covered or (tok.i in hits and hits[tok.i].root.i != tok.i):
                continue
            if tok.i in hits or tok.dep_ == "poss" or state.sectors.at(tok.i, tok.left_edge.i) is not None:
                self._add(state, tok, mentions)  # "Israeli police custody": the police
        mentions = resolve_references(doc, mentions, self.g, state.day, view)
        fill_from_context(doc, mentions, self.g, view)
        doc._.actor_mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        return doc

    def _add(self, state: DocState, tok: Token, mentions: list[ActorMention]) -> None:
        m = self.resolve_np(state, tok)
        if m is None:
            return
        mentions.append(m)
        for a in m.actors:
            if a.kind == "person" and a.name:
                state.people.setdefault(a.name.lower(), m)
                state.people.setdefault(a.name.split()[-1].lower(), m)

    # -- one noun phrase --------------------------------------------------------------------
    def resolve_np(self, state: DocState, head: Token) -> ActorMention | None:
        """The actor(s) the noun phrase headed by ``head`` names, trying in order: a known name at the
        head (a person, then an organisation, group, metonym, capital, country, demonym or place), a
        sector noun or title, a people named with a nationality, an unknown person."""
        doc = state.doc
        if head.i not in state.hits and self._names_nothing(state, head):
            return None
        lo, hi = np_extent(head, self.g.words.leading_drop)
        np = self._phrase(state, head, lo, hi)
        if np.head_hit is not None:
            found = self._known_person(state, np)
            if found is not None:
                return found
            named = self._known_name(doc, np)
            if not isinstance(named, _Undecided):
                return named
        if np.sector is not None:
            if head.pos_ == "ADJ" and head.dep_ == "amod" and head.head.i > head.i \
                    and head.head.lemma_.lower() not in self.g.words.human_head:
                return None  # "military exercises", "medium-range missiles": a sector word describing a thing
            return self._title(doc, np, state.day)
        people_of = self._nationality_people(doc, np)
        if people_of is not None:
            return people_of
        return self._unknown_person(state, np)

    def _names_nothing(self, state: DocState, head: Token) -> bool:
        """A quick test, before the noun phrase is read, that a head without a gazetteer name can name no
        actor whatever its modifiers say: no sector noun or title, no person, no people noun."""
        if state.sectors.ending_at(head.i) and state.sectors.at(head.i, np_extent(head, self.g.words.leading_drop)[0]) is not None:
            return False
        if head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and head.text.lower() in state.people):
            return False
        if head.pos_ == "NOUN" and self._implicit_sector(head):
            return False
        return not (head.lemma_.lower() in self.g.words.people_noun or (head.ent_type_ == "NORP" and head.tag_ in {"NNPS", "NNS"}))

    def _phrase(self, state: DocState, head: Token, lo: int, hi: int) -> NounPhrase:
        """The extent of the noun phrase and what its modifiers say (countries, organisations, "former")."""
        doc, hits = state.doc, state.hits
        head_hit = hits.get(head.i)
        if head_hit is not None:
            lo = min(lo, head_hit.span.start)
            while lo < head.i and (doc[lo].lower_ in self.g.words.leading_drop or doc[lo].is_punct):
                lo += 1
        mod_hits: list[Hit] = []
        for i in range(lo, hi + 1):
            h = hits.get(i)
            if h is not None and h is not head_hit and h not in mod_hits:
                mod_hits.append(h)
        countries = self._modifier_countries(doc, mod_hits, state.day)
        orgs = [e.actor for h in mod_hits for e in h.entries if e.kind in {"org", "group"}]
        former = any(doc[i].lower_ in self.g.words.former or doc[i].lower_.startswith("ex-") for i in range(lo, hi + 1))
        of_country = self._of_country(head, hits)
        if not countries and of_country:
            countries = [of_country]
        sector = self._spoken_for(state, head, lo, state.sectors.at(head.i, lo))
        if sector is None and head.pos_ == "NOUN":
            sector = self._implicit_sector(head)
        return NounPhrase(lo, hi, head, head_hit, countries, orgs, former, sector)

    def _spoken_for(self, state: DocState, head: Token, lo: int,
                    sector: tuple[SectorRow, int] | None) -> tuple[SectorRow, int] | None:
        """"rebel officials", "an opposition spokesman": a generic title (class ``spoken_for_title``) takes
        the sector of a non-state body named before it in its phrase, not the government's."""
        if sector is None or sector[1] != head.i or head.lemma_.lower() not in self.g.words.spoken_for_title:
            return sector
        for i in range(head.i - 1, lo - 1, -1):
            found = state.sectors.at(i, lo)
            if found is not None and found[0].sector not in self.g.words.state_sector:
                row = found[0].model_copy(update={"role": sector[0].role, "person": sector[0].person})
                return row, found[1]
        return sector

    def _modifier_countries(self, doc: Doc, mod_hits: list[Hit], day: dt.date | None) -> list[str]:
        """The states the modifiers name ("Chinese", "Russia's"), else the country of a leader named as a
        modifier ("the Bush administration", "Erdogan's government")."""
        countries = [e.actor.country for h in mod_hits for e in h.entries if e.kind in STATE_KINDS and e.actor.country
                     and not negated_nationality(doc, h.span.start, self.g.words)]
        countries = list(dict.fromkeys(countries))
        if not countries:
            for h in mod_hits:
                chosen = choose_person(h.entries, day, []) if "person" in h.kinds() else None
                if chosen is not None and chosen[0].country:
                    countries.append(chosen[0].country)
        return countries

    # 1. a known name at the head
    @staticmethod
    def _known_person(state: DocState, np: NounPhrase) -> ActorMention | None:
        """A person of the office-holder tables: a surname already seen in the text (coreference), else
        the holder the name refers to on ``day``, an elite (ELI) when former. None: not a known person."""
        doc, hit, head = state.doc, np.head_hit, np.head
        assert hit is not None
        kinds = hit.kinds()
        if "person" in kinds and len(hit.span) == 1 and head.ent_type_ in {"DATE", "TIME"}:
            return None  # "in May", "on Sunday": a date, not a surname
        if "person" not in kinds:
            return None
        surname = len(hit.span) == 1
        local = state.people.get(hit.span.text.lower()) if surname else None
        if local is not None:
            m = mention(doc, np.lo, np.hi, head.i, list(local.actors), "coref")
            m.antecedent = local
            return m
        chosen = choose_person(hit.entries, state.day, np.countries)
        if chosen is None:
            return None
        actor, was_former = chosen
        titled = any(state.sectors.at(i, np.lo) is not None for i in range(np.lo, hit.span.start))
        if was_former and titled and not np.former:
            was_former = False  # the text gives a current title: trust it over the calendar
        if np.former or was_former:
            actor = Actor(actor.name, actor.country, "ELI", actor.id, "person", actor.role)
        return mention(doc, np.lo, np.hi, head.i, [actor], "name")

    def _known_name(self, doc: Doc, np: NounPhrase) -> ActorMention | None | _Undecided:
        """An organisation, group, metonym, capital, country, demonym or place at the head (the first
        kind in :data:`NAME_KINDS` that the name has); None for a place that is no actor."""
        assert np.head_hit is not None
        for kind in NAME_KINDS:
            entries = [e for e in np.head_hit.entries if e.kind == kind]
            if not entries:
                continue
            if kind == "demonym":
                return self._demonym(doc, np, entries[0])
            actor = self._name_in_context(kind, entries[0].actor, np)
            if kind == "place" and actor.country is None:
                return None  # a sea or strait: a place, not an actor
            return mention(doc, np.lo, np.hi, np.head.i, [actor], kind if kind not in {"capital"} else "metonym")
        return UNDECIDED

    def _demonym(self, doc: Doc, np: NounPhrase, entry: NameEntry) -> ActorMention:
        """"the Israelis", "Serbs": people of a country; "ethnic Albanians", "the Albanian minority": an
        ethnic group (country from context)."""
        head, actor = np.head, entry.actor
        assert np.head_hit is not None
        if negated_nationality(doc, np.head_hit.span.start, self.g.words) or any(
                c.lemma_.lower() in self.g.words.ethnic_group_noun for c in head.rights):
            return mention(doc, np.lo, np.hi, head.i, [Actor(None, None, "CVL", None, "generic")], "title")
        actor = Actor(actor.name, actor.country, "CVL" if head.tag_ in {"NNS", "NNPS"} else None, actor.id, "state")
        return mention(doc, np.lo, np.hi, head.i, [actor], "demonym")

    def _name_in_context(self, kind: str, actor: Actor, np: NounPhrase) -> Actor:
        """What the phrase around a known name changes: an organisation takes the modifiers' state; a
        metonym with another state's modifier is that state's institution; a capital or place after a
        place preposition is the place and its people."""
        countries, head = np.countries, np.head
        spatial_prepositions = self.g.words.spatial_prepositions
        if kind in {"org", "group"} and countries and not actor.country:
            return Actor(actor.name, countries[0], actor.sector, actor.id, actor.kind)
        if kind == "metonym" and countries and actor.country not in countries and np.head_hit is not None \
                and len(np.head_hit.span) == 1:
            # "Peru's Congress", "the Colombian Congress": the modifier's institution, not the U.S. one
            return Actor(None, countries[0], actor.sector, None, "state")
        if kind in {"capital", "place"} and head.dep_ == "pobj" and head.head.lower_ in spatial_prepositions:
            # "in central Baghdad", "blockade Paris": the city as a place, its people
            return Actor(actor.name, actor.country, "CVL", actor.id, "state")
        return actor

    # 2. a sector noun or title at the head ("Serb forces", "China's foreign minister")
    def _title(self, doc: Doc, np: NounPhrase, day: dt.date | None) -> ActorMention:
        """A title or sector noun: of each state the modifiers name (the office holder on ``day`` for a
        singular title of one state), else of the organisation they name, else unresolved for now."""
        assert np.sector is not None
        row, s0 = np.sector
        name = doc[s0 : np.head.i + 1].text
        sec = "ELI" if np.former and (row.person or row.role) else row.sector
        if np.countries:
            targets = [self._title_of_state(np, c, sec, name, day) for c in np.countries]
            return mention(doc, np.lo, np.hi, np.head.i, targets, "title")
        if np.orgs:
            o = np.orgs[0]
            return mention(doc, np.lo, np.hi, np.head.i, [Actor(o.name, o.country, sec, o.id, o.kind)], "title")
        # no country: an unresolved reference ("the minister", "protesters"); coref or context may fill it
        generic = self._generic_title_type(doc, np, row)
        return mention(doc, np.lo, np.hi, np.head.i,
                       [Actor(None, generic, sec, None, "generic", row.role or None, generic)], "title")

    def _title_of_state(self, np: NounPhrase, country: str, sec: str, name: str, day: dt.date | None) -> Actor:
        """Title + country: "China's foreign minister" is the holder of that office on ``day`` when the
        table knows one; otherwise the state's generic actor of that sector."""
        assert np.sector is not None
        row = np.sector[0]
        actor = generic_actor(self.g, country, sec, name)
        if row.role and row.person and not np.former and len(np.countries) == 1 and np.head.tag_ not in {"NNS", "NNPS"}:
            holder = self.g.holder(country, row.role, day)
            if holder is not None:
                return holder_actor(holder)
        return actor

    @staticmethod
    def _generic_title_type(doc: Doc, np: NounPhrase, row: SectorRow) -> str | None:
        """PLOVER's generic code of an unresolved title: NGO for civil-society bodies ("a human rights
        group", "aid agencies"), IGO for an international force ("peacekeepers")."""
        if not row.person and row.sector == "SOC":
            return "NGO"
        if "peacekeep" in row.term or any(t.lower_.startswith("peacekeep") for t in doc[np.lo : np.hi + 1]):
            return "IGO"
        return None

    # 3. a people named with a nationality: "Iraqi Kurds", "Tamil refugees"
    def _nationality_people(self, doc: Doc, np: NounPhrase) -> ActorMention | None:
        """Demonym + population noun ("the Albanian population"): people of that ethnicity where they live;
        a plural nationality noun ("Iraqi Kurds"): civilians of the modifiers' states."""
        head = np.head
        if not np.countries or np.head_hit is not None:
            return None
        if head.lemma_.lower() in self.g.words.people_noun:
            return mention(doc, np.lo, np.hi, head.i, [Actor(None, None, "CVL", None, "generic")], "title")
        if head.ent_type_ == "NORP" and head.tag_ in {"NNPS", "NNS"}:
            return mention(doc, np.lo, np.hi, head.i, [generic_actor(self.g, c, "CVL", head.text) for c in np.countries],
                           "title")
        return None

    # 4. an unknown person with a title and/or nationality
    @staticmethod
    def _unknown_person(state: DocState, np: NounPhrase) -> ActorMention | None:
        """A person the tables do not know: a name seen earlier in the text (coreference), else a PERSON
        entity with the title and country its modifiers give. None: a nationality or place modifying a
        non-actor noun ("Israeli raid", "U.S. exports")."""
        doc, head, people = state.doc, np.head, state.people
        if not (head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and head.text.lower() in people)):
            return None
        local = people.get(head.text.lower())
        if local is not None:
            m = mention(doc, np.lo, np.hi, head.i, list(local.actors), "coref")
            m.antecedent = local
            return m
        if head.ent_type_ != "PERSON":
            return None
        name_lo = head.i  # where the PERSON entity starts: back over its inside (I) tokens
        while name_lo > 0 and doc[name_lo].ent_iob_ == "I":
            name_lo -= 1
        name = doc[name_lo : head.i + 1].text
        title = None
        for i in range(np.lo, name_lo):
            found = state.sectors.at(i, np.lo)
            if found is not None:
                title = found[0]
        sec = ("ELI" if np.former and title is not None else title.sector) if title is not None else None
        country = np.countries[0] if np.countries else (np.orgs[0].country if np.orgs else None)
        actor = Actor(name, country, sec, person_id(name), "person", title.role if title else None)
        return mention(doc, np.lo, np.hi, head.i, [actor], "name")

    def _implicit_sector(self, head: Token) -> tuple[SectorRow, int] | None:
        """Nouns that refer to actors without naming a sector of their own: 'his counterpart',
        'the two countries', 'both sides' (filled by coreference)."""
        lemma, words = head.lemma_.lower(), self.g.words
        if lemma == "counterpart":
            return SectorRow(term="counterpart", sector="GOV", role="", person=1), head.i
        if lemma in words.plural_states and head.tag_ in {"NNS", "NNPS"} and any(
                c.lower_ in words.pair for c in head.children):
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
