"""Domestic actors named without a nationality take their country from context.

Wire copy often names "President Dos Santos", "Judge Alejandro Rivera", "rebels" or "police"
without saying which country they belong to, because the sentence or the story already has.
A person or title mention that is still without a country after coreference takes:

1. the country of the place or state named in its own sentence (outside quotation marks and
   outside the mention itself), when that sentence names exactly one country, or the one
   named as a place (``in``/``at``) when it names several;
2. otherwise the story's dominant country, when one country accounts for at least half of the
   country mentions in the document.

Filled mentions are marked ``kind="context"`` so a user can tell them apart.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from dotterel.actors.docview import DocView
from dotterel.actors.gazetteer import Gazetteer
from dotterel.spans import Actor, ActorMention


def _state_countries(m: ActorMention, g: Gazetteer) -> list[str]:
    """The states a mention names: not international codes (class ``non_state_code``), nor the home
    state of a news agency (sectors of class ``reporting_sector``: where the reporter sits, not where
    the story happens)."""
    words = g.words
    return [a.country for a in m.actors if a.country and a.country in g.countries and a.country not in words.non_state_code
            and not (a.kind == "org" and a.sector in words.reporting_sector)]


def _ambiguous(m: ActorMention, doc: Doc, g: Gazetteer) -> bool:
    """"Congress", "the new Parliament": an institution every state has, named without a country
    (no proper noun besides the head); pronouns and references to such a mention are as ambiguous."""
    if m.kind in {"pronoun", "coref"} and m.antecedent is not None and m.antecedent is not m:
        return _ambiguous(m.antecedent, doc, g)
    return m.kind == "metonym" and (doc[m.head].lower_,) in g.sectors and not any(
        doc[i].pos_ == "PROPN" for i in range(m.start, m.end) if i != m.head)


def _story_countries(counts: Counter[str]) -> tuple[str | None, str | None]:
    """(dominant, leading): the state of more than half of the unambiguous state mentions, and the
    state named more often than any other (plurality)."""
    total = sum(counts.values())
    dominant = counts.most_common(1)[0][0] if counts and counts.most_common(1)[0][1] * 2 > total else None
    top2 = counts.most_common(2)
    leading = top2[0][0] if top2 and (len(top2) == 1 or top2[0][1] > top2[1][1]) else None
    return dominant, leading


def _reread_institutions(doc: Doc, mentions: list[ActorMention], g: Gazetteer, leading: str) -> None:
    """"Congress", "Parliament" alone: an institution every state has, read as the story's leading
    state (the gazetteer's default, e.g. the U.S. Congress, holds only where that is the story's
    country); pronouns resolved to a re-read institution ("It said ...") follow it."""
    moved: set[str] = set()
    for m in mentions:
        if _ambiguous(m, doc, g) and any(a.country and a.country != leading for a in m.actors):
            moved.update(a.id for a in m.actors if a.id)
            m.actors = [Actor(None, leading, a.sector, None, "state") for a in m.actors]
            m.kind = "context"
    for m in mentions:
        if m.kind in {"pronoun", "coref"} and any(a.id in moved for a in m.actors):
            m.actors = [Actor(None, leading, a.sector, None, "state") for a in m.actors]


def _sentence_country(doc: Doc, m: ActorMention, here: list[ActorMention], g: Gazetteer) -> str | None:
    """The state named in the mention's own sentence: the only one; else the only one named as a place
    ("in", "at", "near"); else the one named most often, if one is."""
    options = list(dict.fromkeys(c for o in here for c in _state_countries(o, g)))
    if len(options) <= 1:
        return options[0] if options else None
    at = g.words.locative_prepositions
    places = [o for o in here if doc[o.head].dep_ == "pobj" and doc[o.head].head.lower_ in at]
    place_c = list(dict.fromkeys(c for o in places for c in _state_countries(o, g)))
    if len(place_c) == 1:
        return place_c[0]
    freq = Counter(c for o in here for c in _state_countries(o, g)).most_common(2)
    return freq[0][0] if len(freq) == 1 or freq[0][1] > freq[1][1] else None


def _leader_country(doc: Doc, m: ActorMention, by_head: dict[int, ActorMention], g: Gazetteer) -> str | None:
    """The country of whoever leads or sends the group ("a delegation led by its foreign minister", "an
    envoy sent by Tokyo"): the agent of a participle modifying the mention's head."""
    for acl in doc[m.head].children:
        if acl.dep_ != "acl" or acl.tag_ != "VBN":
            continue
        for agent in acl.children:
            if agent.dep_ != "agent":
                continue
            for p in agent.children:
                o = by_head.get(p.i)
                if p.dep_ == "pobj" and o is not None and o is not m:
                    countries = _state_countries(o, g) or [a.country for a in o.actors if a.country]
                    if countries:
                        return countries[0]
    return None


def _needs_country(m: ActorMention) -> bool:
    """A person or title mention (of persons, generic actors or places only) still without a country."""
    if any(a.country for a in m.actors) or m.kind not in {"title", "name"}:
        return False
    return all(a.kind in {"person", "generic", "place"} for a in m.actors)


def _share_person_countries(mentions: list[ActorMention]) -> None:
    """Later mentions of a person whose country came from context ("President Castillo" ... "Castillo",
    "he") share it: coreference ran before this pass."""
    known = {a.id: a.country for m in mentions for a in m.actors if a.kind == "person" and a.id and a.country}
    for m in mentions:
        if any(a.country for a in m.actors):
            continue
        if any(a.kind == "person" and a.id in known for a in m.actors):
            m.actors = [Actor(a.name, known.get(a.id) if a.id else None, a.sector, a.id, a.kind, a.role) for a in m.actors]


def fill_from_context(doc: Doc, mentions: list[ActorMention], g: Gazetteer, view: DocView | None = None) -> None:
    """Give country-less person and title mentions the country of their sentence or of the story."""
    view = view or DocView.of(doc)
    counts = Counter(c for m in mentions if not _ambiguous(m, doc, g) for c in _state_countries(m, g))
    dominant, leading = _story_countries(counts)
    if leading is not None:
        _reread_institutions(doc, mentions, g, leading)
    # per sentence, the mentions that name a state outside quotation marks (computed once: linear cost)
    stated_in: dict[int, list[ActorMention]] = {}
    for o in mentions:
        if not view.quoted(o.start_char) and _state_countries(o, g):
            stated_in.setdefault(view.sent_start(o.head), []).append(o)
    by_head = {o.head: o for o in mentions}
    for m in mentions:
        if not _needs_country(m):
            continue
        here = [o for o in stated_in.get(view.sent_start(m.head), []) if o is not m and not (m.start <= o.start < m.end)]
        country = _leader_country(doc, m, by_head, g) or (_sentence_country(doc, m, here, g) if here else dominant)
        if country is None:
            continue
        m.actors = [Actor(a.name, country, a.sector, a.id if a.kind == "person" else None, a.kind, a.role) for a in m.actors]
        m.kind = "context"
    _share_person_countries(mentions)
