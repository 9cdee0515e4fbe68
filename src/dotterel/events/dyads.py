"""Completing an event's dyad from the story when its own sentence leaves a side empty.

Each sentence is coded on its own first (``component.py``): the actor and recipient come from
the trigger's syntax. News copy often leaves one side to the reader: "several people were shot
dead" (by whom?), "Ethiopian warplanes bombed the airport" (whose?), "Ruto vowed to quash the
unrest" (against whom?). PLOVER codes these sides from the story: an event inside one country
with no stated target is domestic (the same country on both sides), and a side named only in
the previous sentence is still the side. This pass fills an empty side, in this order:

1. **Another state named in the sentence.** A side without a country takes the one state the
   sentence names that is not already the other side ("bombed the airport at the Eritrean port").
2. **The previous events of the story** (same sentence first, then up to
   :data:`LOOKBACK` sentences back): an event of the same quad class that shares the known side
   lends its other side ("North Korea shelled the island ... two marines were killed").
3. **A two-sided story.** In a story dominated by two states, a conflictual event of one of them
   with no target is aimed at the other.
4. **Domestic.** Otherwise a sentence that names no other state is about one country: the
   missing side is that country, marked ``kind="implicit"`` so a user can tell it was inferred.

A self-loop that came from an unnamed reference (``kind`` context/title/pronoun) in a two-sided
story is repaired the same way (rule 3), because "its forces fired back" names the firing side,
not the target. Filled sides are ``implicit`` mentions placed on the trigger (no new evidence is
claimed) or the mentions of the lending event (their own evidence).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc

from dotterel.events.lexicon import norm_key
from dotterel.events.lookup import QuoteIndex
from dotterel.events.roles import MentionIndex
from dotterel.ontology import Ontology
from dotterel.spans import Actor, ActorMention, EventMention

#: how many sentences back an earlier event may lend a side
LOOKBACK = 2
#: sides that merely refer (no name of their own): a self-loop through them may be repaired
REFERRING_KINDS = {"context", "title", "pronoun", "coref", "implicit"}
#: statuses of events that did not (or not yet) happen
NOT_HAPPENED = frozenset({"negated", "denied", "unconfirmed", "hypothetical", "planned"})
#: organisations that report rather than act: their country never makes a side
REPORTING_SECTORS = {"JRN", "MED"}


def _countries(ms: list[ActorMention], states: frozenset[str]) -> set[str]:
    return {a.country for m in ms for a in m.actors if a.country and a.country in states}


def _pair_reference(ms: list[ActorMention]) -> bool:
    """"The two countries imposed duties on each other's cars", "both sides massed troops": a side that
    is a pair named by one reference acts together or on each other, not on a third party the story
    named earlier."""
    return any(m.kind == "coref" and len({a.country for a in m.actors if a.country}) >= 2 for m in ms)


def _coded(ms: list[ActorMention]) -> bool:
    return any(a.country for m in ms for a in m.actors)


def _all_codes(ms: list[ActorMention]) -> set[str]:
    return {a.country for m in ms for a in m.actors if a.country}


def _named_states(m: ActorMention, states: frozenset[str]) -> list[str]:
    if m.kind == "implicit":
        return []
    return [a.country for a in m.actors if a.country and a.country in states
            and not (a.kind == "org" and a.sector in REPORTING_SECTORS)]


def _implicit(doc: Doc, ev: EventMention, country: str) -> ActorMention:
    tok = doc[ev.trigger_start]
    return ActorMention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), tok.text,
                        [Actor(None, country, None, f"country:{country}", "state")], "implicit", tok.i)


class StoryStates:
    """Which states a document names, per sentence and in all (counted once per mention)."""

    def __init__(self, doc: Doc, index: MentionIndex, states: frozenset[str], onto: Ontology) -> None:
        self.states = states
        self.onto = onto
        self.by_sentence: dict[int, list[ActorMention]] = {}
        sent_no = {}
        for k, sent in enumerate(doc.sents):
            sent_no[sent.start] = k
        counts: Counter[str] = Counter()
        for m in index.by_head.values():
            k = sent_no.get(doc[m.head].sent.start, -1)
            named = _named_states(m, states)
            if named:
                self.by_sentence.setdefault(k, []).append(m)
                counts.update(set(named))
        self.counts = counts
        top = counts.most_common(2)
        total = sum(counts.values())
        self.pair: tuple[str, str] | None = None
        if len(top) == 2 and total and top[1][1] * 3 >= top[0][1] and top[0][1] + top[1][1] >= 0.75 * total:
            self.pair = (top[0][0], top[1][0])

    def others_in(self, k: int, exclude: set[str], ev: EventMention) -> list[ActorMention]:
        """Mentions in sentence ``k`` naming a state outside ``exclude`` (nearest to the trigger first)."""
        own = {id(m) for m in ev.actors + ev.recipients}
        out = [m for m in self.by_sentence.get(k, []) if id(m) not in own
               and set(_named_states(m, self.states)) - exclude]
        return sorted(out, key=lambda m: abs(m.head - ev.trigger_start))

    def other_of_pair(self, country: str) -> str | None:
        if self.pair and country in self.pair:
            return self.pair[1] if country == self.pair[0] else self.pair[0]
        return None


def _around(events: list[EventMention], sents: list[int], ev: EventMention,
            back: int) -> tuple[list[EventMention], list[EventMention]]:
    """(other events of ``ev``'s sentence, events of the ``back`` previous sentences, nearest first).
    ``events`` are in sentence order (``sents``: their sentence numbers), so both come from a bisected
    slice: linear cost overall."""
    lo = bisect.bisect_left(sents, ev.sentence - back)
    hi = bisect.bisect_right(sents, ev.sentence)
    window = events[lo:hi]
    same = [e for e in window if e is not ev and e.sentence == ev.sentence]
    earlier = [e for e in reversed(window) if e.sentence < ev.sentence]
    return same, earlier


class StoryEvents:
    """The document's events and what the pass looks up for each, built once (not once per event): their
    sentence numbers (windows by bisection), where each type and trigger word was told, and which
    tokens are inside a direct quote."""

    def __init__(self, doc: Doc, events: list[EventMention]) -> None:
        self.events = events
        self.sents = [e.sentence for e in events]
        self.by_key: dict[tuple[str, str], list[int]] = {}
        for k, e in enumerate(events):
            self.by_key.setdefault((e.event_type, norm_key(e.key)), []).append(k)
        self.direct = QuoteIndex(doc, doc._.quote_mentions or [], lambda q: q.kind == "direct")

    def around(self, ev: EventMention, back: int) -> tuple[list[EventMention], list[EventMention]]:
        return _around(self.events, self.sents, ev, back)

    def told_before(self, i: int, ev: EventMention) -> EventMention | None:
        """The latest event before position ``i`` of ``ev``'s type and trigger word that is no stated
        intention and has a coded side."""
        told = self.by_key.get((ev.event_type, norm_key(ev.key)), [])
        for j in range(bisect.bisect_left(told, i) - 1, -1, -1):
            e = self.events[told[j]]
            # a wished-for or denied release is not the release that happened ("We want X freed" ... "80
            # detainees were freed on Tuesday"): only a mention of the same polarity repeats the event
            if e.intent_of is None and _coded(e.actors + e.recipients) and \
                    (e.status in NOT_HAPPENED) == (ev.status in NOT_HAPPENED):
                return e
        return None


def _lender(told: StoryEvents, ev: EventMention, have: set[str], side: str,
            states: frozenset[str]) -> list[ActorMention] | None:
    """The other side of the nearest earlier (or same-sentence) event of the same quad class that
    shares ``have`` on the same side (``side`` = which side ``ev`` is missing)."""
    same, earlier = told.around(ev, LOOKBACK)
    for e in same + earlier:
        if e.intent_of is not None or e.quad_class != ev.quad_class:
            continue
        if side == "recipient":
            if have & _countries(e.actors, states) and _countries(e.recipients, states) - have:
                return list(e.recipients)
        elif have & _countries(e.recipients, states) and _countries(e.actors, states) - have:
            return list(e.actors)
    return None


def complete_dyads(doc: Doc, events: list[EventMention], index: MentionIndex, states: frozenset[str],
                   onto: Ontology) -> None:
    """Fill empty actor or recipient sides of ``events`` from the story (see the module docstring);
    events left with no coded side at all are removed. Per-type behaviour comes from the ontology's
    traits ``two_sided_conflict`` and ``acts_where_it_happens``."""
    story = StoryStates(doc, index, states, onto)
    told = StoryEvents(doc, events)
    for i, ev in enumerate(events):
        if ev.intent_of is not None:
            continue
        if not _coded(ev.actors) and not _coded(ev.recipients):
            _both_sides(doc, told, i, ev, story)
            ev.sides_inferred = True
            continue
        acts, recs = _countries(ev.actors, states), _countries(ev.recipients, states)
        # a side with any code (a state, or an organisation such as NATO or the WTO) is not empty
        act_coded, rec_coded = _coded(ev.actors), _coded(ev.recipients)
        if ev.reciprocal and not act_coded and len(recs) >= 2:
            # "fighting between Peru and Ecuador", "talks between X and Y" with no subject: a mutual event
            # between the two parties its own phrase names, not an act with a missing perpetrator
            first = next(m for m in ev.recipients if _countries([m], states))
            ev.actors, ev.recipients = [first], [m for m in ev.recipients if m is not first]
        elif act_coded and not rec_coded and not ((ev.reciprocal or _pair_reference(ev.actors))
                                                  and len(_all_codes(ev.actors)) >= 2):
            # an organisation actor (NATO, the UN) takes a target like a state, but is never "domestic"
            ev.recipients = _act_on_earlier(doc, told, ev) or \
                _fill(doc, told, ev, acts or _all_codes(ev.actors), "recipient", story) or ev.recipients
        elif recs and not act_coded and not ev.reciprocal:
            ev.actors = _fill(doc, told, ev, recs, "actor", story) or ev.actors
        elif acts and acts == recs and len(acts) == 1 and story.onto.has(ev.event_type, "two_sided_conflict") \
                and all(m.kind in REFERRING_KINDS for m in ev.recipients):
            other = story.other_of_pair(next(iter(acts)))
            if other is not None and not story.others_in(ev.sentence, acts, ev):
                ev.recipients = [_implicit(doc, ev, other)]
    for ev in events:  # the act's object may be an event of its own sentence, completed only above
        if ev.intent_of is None and _coded(ev.actors) and not _coded(ev.recipients) and not ev.reciprocal:
            ev.recipients = _act_on_earlier(doc, told, ev) or ev.recipients
    events[:] = [e for e in events if _coded(e.actors) or _coded(e.recipients)]


def _act_on_earlier(doc: Doc, told: StoryEvents, ev: EventMention) -> list[ActorMention] | None:
    """"NATO suspended the raids", "Russia lifted its sanctions": an act whose object names an event the
    story told before, by the same side, is aimed at that event's target."""
    trig = doc[ev.trigger_start]
    if trig.pos_ not in {"VERB", "AUX"}:
        return None
    objs = [c for c in trig.children if c.dep_ in {"dobj", "nsubjpass"} and c.pos_ == "NOUN"]
    if not objs:
        return None
    have = _all_codes(ev.actors)
    keys = {norm_key(o.lemma_.lower()) for o in objs}
    same, earlier = told.around(ev, LOOKBACK)
    for e in same + earlier:
        if norm_key(e.key) in keys and e.intent_of is None and _coded(e.recipients) \
                and have & _all_codes(e.actors) and not have & _all_codes(e.recipients):
            return list(e.recipients)
    return None


def _both_sides(doc: Doc, told: StoryEvents, i: int, ev: EventMention, story: StoryStates) -> None:
    """An event whose sentence names no side ("clashes erupted in the capital"): the states of its
    sentence, else the sides of the nearest earlier event of the same quad class, else the story's
    two parties (reciprocal types) or its one dominant state (domestic).

    Before any of these: "the visit", "this agreement" repeating an event the story has already coded
    (same type and trigger word) is that event: it takes the event's own sides, so the records merge
    it as a further mention. Inside a direct quote only a state named in the quoted sentence itself
    is used ("We agreed to keep working": the speaker's "we" is not a state of the story)."""
    same = told.told_before(i, ev)
    if same is not None:
        ev.actors, ev.recipients = list(same.actors), list(same.recipients)
        return
    quoted = told.direct.at(ev.trigger_start) is not None
    here = list(dict.fromkeys(c for m in story.others_in(ev.sentence, set(), ev) for c in _named_states(m, story.states)))
    if len(here) == 1 and ev.reciprocal:
        # "We agreed to keep working together," he said: the pair of the story's last exchange involving him
        pair = next((e for e in sum(told.around(ev, LOOKBACK), [])
                     if e.intent_of is None and e.quad_class == ev.quad_class and e.reciprocal
                     and here[0] in _all_codes(e.actors + e.recipients) and len(_all_codes(e.actors + e.recipients)) >= 2),
                    None)
        if pair is not None:
            ev.actors, ev.recipients = list(pair.actors), list(pair.recipients)
            return
    if len(here) == 1:
        ev.actors, ev.recipients = [_implicit(doc, ev, here[0])], [_implicit(doc, ev, here[0])]
        return
    if quoted:
        return  # inside a direct quote only the quote's own sentence may name the sides
    # two parties only from the trigger's own phrase ("talks between X and Y"), not from elsewhere in the sentence
    phrase = {t.i for t in doc[ev.trigger_start].subtree}
    inside = list(dict.fromkeys(c for m in story.others_in(ev.sentence, set(), ev) if m.head in phrase
                                for c in _named_states(m, story.states)))
    if len(inside) == 2 and ev.reciprocal:
        ev.actors, ev.recipients = [_implicit(doc, ev, inside[0])], [_implicit(doc, ev, inside[1])]
        return
    if len(here) == 2 and ev.reciprocal and story.onto.has(ev.event_type, "two_sided_conflict"):
        # "The border fighting erupted ... across the area between Cambodia's X province and Thailand's Y
        # province": two-sided fighting in a sentence that names exactly two states is between them
        ev.actors, ev.recipients = [_implicit(doc, ev, here[0])], [_implicit(doc, ev, here[1])]
        return
    for e in sum(told.around(ev, LOOKBACK), []):
        if e.intent_of is None and e.quad_class == ev.quad_class and _coded(e.actors) and _coded(e.recipients):
            ev.actors, ev.recipients = list(e.actors), list(e.recipients)
            return
    if story.pair and ev.reciprocal:
        ev.actors, ev.recipients = [_implicit(doc, ev, story.pair[0])], [_implicit(doc, ev, story.pair[1])]
    elif story.counts and story.pair is None:
        top, n = story.counts.most_common(1)[0]
        if n * 2 > sum(story.counts.values()):
            ev.actors, ev.recipients = [_implicit(doc, ev, top)], [_implicit(doc, ev, top)]


def _fill(doc: Doc, told: StoryEvents, ev: EventMention, have: set[str], side: str,
          story: StoryStates) -> list[ActorMention] | None:
    others = story.others_in(ev.sentence, have, ev)
    named = {c for m in others for c in _named_states(m, story.states)} - have
    # who arrested or sanctioned is the state where it happened, not another state the sentence names
    # ("60,000 people have been detained in Turkey since the coup, Germany's court ruled")
    sentence_rule = not (side == "actor" and story.onto.has(ev.event_type, "acts_where_it_happens"))
    if len(named) == 1 and sentence_rule:
        return [others[0]]
    if named and sentence_rule:
        return None  # several other states in the sentence: the syntax did not say which, neither do we
    if not sentence_rule and story.onto.has(ev.event_type, "domestic") and len(have) == 1 and have <= story.states:
        # "60,000 people in the Turkish army have been detained": arrests and repression with no actor named
        # are by the victims' own state, not by another state the story named before
        return [_implicit(doc, ev, next(iter(have)))]
    lent = _lender(told, ev, have, side, story.states)
    if lent:
        return lent
    if len(have) != 1 or not have <= story.states:
        return None  # (an organisation has no "own country" to be domestic in)
    country = next(iter(have))
    other = story.other_of_pair(country)
    if other is not None and story.onto.has(ev.event_type, "two_sided_conflict"):
        return [_implicit(doc, ev, other)]
    return [_implicit(doc, ev, country)]


#: how many sentences back the narrative time of a story carries to an undated event
NARRATIVE_LOOKBACK = 2


def narrative_time(events: list[EventMention], dct: dt.date | None) -> None:
    """An event that happened (asserted or reported) in a sentence without a time expression of its
    own takes the story's narrative time: the date of the nearest dated, past event in the same or the
    :data:`NARRATIVE_LOOKBACK` previous sentences ("Police opened fire on Tuesday. Several people were
    killed."). The date runs from that event's first day to the publication date. Marked
    ``date_inherited``; records call the basis ``narrative``."""
    sents = [e.sentence for e in events]
    for ev in events:
        if ev.date is not None or ev.status not in {"asserted", "reported"} or ev.intent_of is not None:
            continue
        same, earlier = _around(events, sents, ev, NARRATIVE_LOOKBACK)
        near = same + earlier
        for e in sorted(near, key=lambda e: (e.sentence != ev.sentence, -e.sentence, abs(e.trigger_start - ev.trigger_start))):
            d = e.date
            if d is None or e.date_inherited or d.first is None or e.status not in {"asserted", "reported"}:
                continue
            if dct is not None and d.last is not None and d.last > dct:
                continue
            # from the story's last date up to publication: the event is told after that date and
            # before the story was published (no finer claim is made)
            last = dct if dct is not None and d.last is not None and dct > d.last else d.last
            ev.date = replace(d, last=last, granularity="range" if last != d.last else d.granularity,
                              value=d.value if last == d.last else None)
            ev.date_inherited = True
            break
