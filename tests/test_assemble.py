"""Assembling a coded Doc into the output contract (dotterel.assemble) and merging mentions of one
event (dotterel.events.merge), on Docs and working records built by hand (no model)."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from dotterel.assemble import build
from dotterel.events.merge import compatible, group_mentions, merge
from dotterel.ingest import document_from_text
from dotterel.nlp import register_extensions
from dotterel.records.models import CodedDocument
from dotterel.settings import Settings
from dotterel.spans import Actor, ActorMention, EventMention, QuoteMention, TimeMention

NORLAND = Actor(name="Norland", country="NOR", sector="GOV", id="norland", kind="state")
BELMARK = Actor(name="Belmark", country="BEL", sector="GOV", id="belmark", kind="state")


def actor(doc: Doc, i: int, who: Actor) -> ActorMention:
    t = doc[i]
    return ActorMention(start=i, end=i + 1, start_char=t.idx, end_char=t.idx + len(t), text=t.text, actors=[who],
                        kind="name", head=i)


def mention(trigger: int, sentence: int, actors: list[ActorMention], recipients: list[ActorMention], *,
            status: str = "planned", key: str = "visit", etype: str = "CONSULT", date: TimeMention | None = None,
            confidence: float = 0.7) -> EventMention:
    return EventMention(trigger_start=trigger, trigger_end=trigger + 1, trigger_tokens=[trigger], sentence=sentence,
                        event_type=etype, mode="visit", cameo="042", context=[], actors=actors, recipients=recipients,
                        reciprocal=False, status=status, status_cue=None, date=date, location=None, attribution=None,
                        confidence=confidence, quad_class=1, intensity=1.0, key=key)


# "Norland visit to Belmark\n\nNorland will visit Belmark next week . " with a quote around "visit Belmark"
WORDS = ["Norland", "visit", "to", "Belmark", "\n\n", "Norland", "will", "visit", "Belmark", "next", "week", "."]
SPACES = [True, True, True, False, False, True, True, True, True, True, False, False]
STARTS = [True, False, False, False, False, True, False, False, False, False, False, False]


@pytest.fixture()
def doc() -> Doc:
    register_extensions()
    return Doc(Vocab(), words=WORDS, spaces=SPACES, sent_starts=STARTS)


def coded_by_hand(doc: Doc) -> tuple[CodedDocument, str]:
    text = doc.text
    week = TimeMention(start=9, end=11, start_char=doc[9].idx, end_char=doc[10].idx + 4, text="next week",
                       first=dt.date(2024, 5, 20), last=dt.date(2024, 5, 26), value="2024-W21", granularity="week")
    headline = mention(1, 0, [actor(doc, 0, NORLAND)], [actor(doc, 3, BELMARK)], confidence=0.6)
    lede = mention(7, 1, [actor(doc, 5, NORLAND)], [actor(doc, 8, BELMARK)], date=week, confidence=0.9)
    doc._.actor_mentions = [actor(doc, i, w) for i, w in ((0, NORLAND), (3, BELMARK), (5, NORLAND), (8, BELMARK))]
    doc._.time_mentions = [week]
    q0, q1 = doc[7].idx, doc[8].idx + len(doc[8])
    doc._.quote_mentions = [QuoteMention(start_char=q0, end_char=q1, text=text[q0:q1], kind="partial")]
    doc._.event_mentions = [lede, headline]  # out of text order on purpose
    document = document_from_text(text, "hand", Settings(), date=dt.date(2024, 5, 17))
    return build(document, doc), text


def test_two_mentions_are_one_event_with_the_best_mention_and_true_offsets(doc: Doc) -> None:
    coded, text = coded_by_hand(doc)
    assert len(coded.events) == 1
    e = coded.events[0]
    assert [m.sentence for m in e.mentions] == [0, 1]  # text order
    assert e.sentence == 1 and e.sentence_text == "Norland will visit Belmark next week."
    assert text[e.trigger.start:e.trigger.end] == e.trigger.text == "visit" and e.trigger.start == doc[7].idx
    assert (e.date.start, e.date.end, e.date.basis, e.date.text) == ("2024-05-20", "2024-05-26", "explicit", "next week")
    assert e.confidence == 0.9 and [a.country for a in e.actor] == ["NOR"] and [a.country for a in e.recipient] == ["BEL"]
    assert e.quote == 0 and coded.quotes[0].events == [e.id]
    for a in coded.actors:
        assert text[a.start:a.end] == a.text


def test_assembled_records_validate_as_the_contract(doc: Doc) -> None:
    """Records are built without validation on the hot path: the result must still be valid and
    serialise exactly as the validated contract does (types included: 1.0 stays a float)."""
    coded, _ = coded_by_hand(doc)
    dumped = coded.model_dump_json()
    assert CodedDocument.model_validate_json(dumped).model_dump_json() == dumped


def test_real_coder_output_validates(coder) -> None:
    text = ("Chile's foreign minister will visit Peru from Monday to Wednesday, his office said on Friday.\n\n"
            "\"We want calm,\" the minister told reporters. Peru accused Chile of blocking a border crossing.")
    coded = coder.code(document_from_text(text, "own", Settings(), date=dt.date(2024, 5, 17)))
    assert coded.events
    dumped = coded.model_dump_json()
    assert CodedDocument.model_validate_json(dumped).model_dump_json() == dumped


def test_merge_prefers_planned_and_narrowest_date(doc: Doc) -> None:
    week = TimeMention(start=9, end=11, start_char=0, end_char=9, text="next week", first=dt.date(2024, 5, 20),
                       last=dt.date(2024, 5, 26), value=None, granularity="week")
    day = TimeMention(start=9, end=11, start_char=20, end_char=26, text="Monday", first=dt.date(2024, 5, 20),
                      last=dt.date(2024, 5, 20), value=None, granularity="day")
    a = mention(1, 0, [actor(doc, 0, NORLAND)], [], status="asserted", date=week, confidence=0.9)
    b = mention(7, 1, [actor(doc, 5, NORLAND)], [actor(doc, 8, BELMARK)], status="planned", date=day)
    assert compatible(a, b) and compatible(b, a)
    [g] = group_mentions([b, a])
    m = merge(g)
    assert m.best is a and m.status == "planned" and m.date is day and m.date_own
    assert m.recipients == b.recipients  # filled from the other mention


@pytest.mark.parametrize(("change", "why"), [
    ({"etype": "ACCUSE"}, "another type"),
    ({"status": "negated"}, "one happened, one did not"),
    ({"recipients": "other"}, "same word, conflicting recipients"),
])
def test_mentions_that_are_two_events(doc: Doc, change: dict, why: str) -> None:
    other = [actor(doc, 0, Actor(name="Oskia", country="OSK", sector="GOV"))]
    a = mention(1, 0, [actor(doc, 0, NORLAND)], [actor(doc, 3, BELMARK)])
    kw = {k: v for k, v in change.items() if k != "recipients"}
    b = mention(7, 1, [actor(doc, 5, NORLAND)], other if change.get("recipients") else [actor(doc, 8, BELMARK)], **kw)
    assert not compatible(a, b), why
    assert len(group_mentions([a, b])) == 2


def test_same_sentence_never_merges(doc: Doc) -> None:
    a = mention(1, 0, [actor(doc, 0, NORLAND)], [actor(doc, 3, BELMARK)])
    b = mention(3, 0, [actor(doc, 0, NORLAND)], [actor(doc, 3, BELMARK)])
    assert len(group_mentions([a, b])) == 2


def test_stated_intention_groups_after_its_planned_event(doc: Doc) -> None:
    planned = mention(7, 1, [actor(doc, 5, NORLAND)], [actor(doc, 8, BELMARK)])
    intent = mention(9, 1, [actor(doc, 5, NORLAND)], [actor(doc, 8, BELMARK)], etype="AGREE", status="asserted")
    intent.intent_of = planned
    again = mention(1, 0, [actor(doc, 0, NORLAND)], [actor(doc, 3, BELMARK)], etype="AGREE", status="asserted")
    again.intent_of = planned  # before its planned event in the text: not an intention of a known event yet
    groups = group_mentions([intent, planned, again])
    assert [[id(m) for m in g] for g in groups] == [[id(again)], [id(planned)], [id(intent)]]


def _grouped_by_scanning_every_group(mentions: list[EventMention]) -> list[list[EventMention]]:
    """The reference: every earlier group of the type is tried, in order (what group_mentions indexes)."""
    groups: list[list[EventMention]] = []
    for e in sorted(mentions, key=lambda e: e.trigger_start):
        g = next((g for g in groups if g[0].event_type == e.event_type and any(compatible(e, o) for o in g)), None)
        if g is None:
            groups.append([e])
        else:
            g.append(e)
    return groups


def test_indexed_grouping_equals_scanning_every_group(doc: Doc) -> None:
    import random

    rng = random.Random(7)
    who = [NORLAND, BELMARK, Actor(name="Oskia", country="OSK", sector="GOV"), Actor(name=None, country=None, sector="CVL")]
    mentions = []
    for i in range(300):
        sides = [[actor(doc, rng.randrange(len(doc)), a)] for a in rng.sample(who, rng.randint(0, 2))]
        mentions.append(mention(i, rng.randrange(60), sides[0] if sides else [], sides[1] if len(sides) > 1 else [],
                                etype=rng.choice(["CONSULT", "ACCUSE"]), key=rng.choice(["visit", "talks"]),
                                status=rng.choice(["planned", "asserted", "negated"])))
        mentions[-1].reciprocal = rng.random() < 0.2
    got = [[id(m) for m in g] for g in group_mentions(mentions)]
    assert got == [[id(m) for m in g] for g in _grouped_by_scanning_every_group(mentions)]
    assert len(got) < len(mentions)  # some did merge
