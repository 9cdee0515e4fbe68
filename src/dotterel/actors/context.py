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

import bisect
from collections import Counter

from spacy.tokens import Doc

from dotterel.actors.gazetteer import Gazetteer
from dotterel.actors.mentions import quoted_ranges
from dotterel.spans import Actor, ActorMention

INTERNATIONAL = {"IGO", "NGO", "MNC", "INT", "IMG"}
#: sectors whose country says where the reporter sits, not where the story happens (news agencies)
REPORTING_SECTORS = {"JRN", "MED"}


def _state_countries(m: ActorMention, g: Gazetteer) -> list[str]:
    return [a.country for a in m.actors if a.country and a.country in g.countries and a.country not in INTERNATIONAL
            and not (a.kind == "org" and a.sector in REPORTING_SECTORS)]


def fill_from_context(doc: Doc, mentions: list[ActorMention], g: Gazetteer) -> None:
    quotes = sorted(quoted_ranges(doc.text))
    quote_starts = [q[0] for q in quotes]

    def quoted(c: int) -> bool:
        k = bisect.bisect_right(quote_starts, c) - 1
        return k >= 0 and quotes[k][0] <= c < quotes[k][1]

    def ambiguous(m: ActorMention) -> bool:
        """"Congress", "the new Parliament": an institution every state has, named without a country
        (no proper noun besides the head); pronouns and references to such a mention are as ambiguous."""
        if m.kind in {"pronoun", "coref"} and m.antecedent is not None and m.antecedent is not m:
            return ambiguous(m.antecedent)
        return m.kind == "metonym" and (doc[m.head].lower_,) in g.sectors and not any(
            doc[i].pos_ == "PROPN" for i in range(m.start, m.end) if i != m.head)

    counts = Counter(c for m in mentions if not ambiguous(m) for c in _state_countries(m, g))
    total = sum(counts.values())
    dominant = counts.most_common(1)[0][0] if counts and counts.most_common(1)[0][1] * 2 > total else None
    sent_of = {t.i: s.start for s in doc.sents for t in s}
    top2 = counts.most_common(2)
    leading = top2[0][0] if top2 and (len(top2) == 1 or top2[0][1] > top2[1][1]) else None
    moved: set[str] = set()
    if leading is not None:
        for m in mentions:
            # "Congress", "Parliament" alone: an institution every state has, read as the story's own country
            # (the gazetteer's default, e.g. the U.S. Congress, holds only where that is the story's country)
            # (the story's leading state, by plurality of the unambiguous mentions)
            if ambiguous(m) and any(a.country and a.country != leading for a in m.actors):
                moved.update(a.id for a in m.actors if a.id)
                m.actors = [Actor(None, leading, a.sector, None, "state") for a in m.actors]
                m.kind = "context"
        for m in mentions:  # "It said ...": pronouns resolved to a re-read institution follow it
            if m.kind in {"pronoun", "coref"} and any(a.id in moved for a in m.actors):
                m.actors = [Actor(None, leading, a.sector, None, "state") for a in m.actors]
    # per sentence, the mentions that name a state outside quotation marks (computed once: linear cost)
    stated_in: dict[int | None, list[ActorMention]] = {}
    for o in mentions:
        if not quoted(o.start_char) and _state_countries(o, g):
            stated_in.setdefault(sent_of.get(o.head), []).append(o)
    for m in mentions:
        if any(a.country for a in m.actors) or m.kind not in {"title", "name"}:
            continue
        if any(a.kind not in {"person", "generic", "place"} for a in m.actors):
            continue
        sent = sent_of.get(m.head)
        here = [o for o in stated_in.get(sent, []) if o is not m and not (m.start <= o.start < m.end)]
        options = list(dict.fromkeys(c for o in here for c in _state_countries(o, g)))
        country = None
        if len(options) == 1:
            country = options[0]
        elif options:
            places = [o for o in here if doc[o.head].dep_ == "pobj" and doc[o.head].head.lower_ in {"in", "at", "near"}]
            place_c = list(dict.fromkeys(c for o in places for c in _state_countries(o, g)))
            if len(place_c) == 1:
                country = place_c[0]
            else:  # the country named most often in the sentence, if one is
                freq = Counter(c for o in here for c in _state_countries(o, g)).most_common(2)
                country = freq[0][0] if len(freq) == 1 or freq[0][1] > freq[1][1] else None
        elif dominant is not None:
            country = dominant
        if country is None:
            continue
        m.actors = [Actor(a.name, country, a.sector, a.id if a.kind == "person" else None, a.kind, a.role) for a in m.actors]
        m.kind = "context"
    # later mentions of a person whose country came from context ("President Castillo" ... "Castillo",
    # "he") share it: coreference ran before this pass
    known = {a.id: a.country for m in mentions for a in m.actors if a.kind == "person" and a.id and a.country}
    for m in mentions:
        if any(a.country for a in m.actors):
            continue
        if any(a.kind == "person" and a.id in known for a in m.actors):
            m.actors = [Actor(a.name, known.get(a.id) if a.id else None, a.sector, a.id, a.kind, a.role) for a in m.actors]
