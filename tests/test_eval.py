"""Unit tests for the accuracy harness (dotterel.eval), with hand-made coded documents: no model."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dotterel.eval.article_score import score_articles
from dotterel.eval.articles import article_from_json
from dotterel.eval.gate import check, floor_of, load_baseline, make_baseline
from dotterel.eval.gsr import NONE, GoldFormatError, load_gsr, normalise_sector, sentences_from_json
from dotterel.eval.matching import codes_match, roles_ok, top_type
from dotterel.eval.results import EvalResult
from dotterel.eval.sentence_score import score_sentences
from dotterel.records.models import (
    EVENT_TYPES,
    ActorRecord,
    CodedDocument,
    DateRecord,
    DocMeta,
    EventRecord,
    QuoteRecord,
    SideActor,
    TimeRecord,
    TriggerRecord,
)


# -- builders ------------------------------------------------------------------------------
def side(text: str, country: str | None, sector: str | None = None, *, start: int = 0, org: bool = False) -> SideActor:
    return SideActor(text=text, start=start, end=start + len(text), name=text, country=country, sector=sector,
                     id=f"org:{text.lower()}" if org else None)


def event(etype: str, text: str, trigger: str, *, actor: list[SideActor] | None = None,
          recipient: list[SideActor] | None = None, confidence: float = 0.8, status: str = "asserted",
          reciprocal: bool = False, date: tuple[str | None, str | None] = (None, None)) -> EventRecord:
    start = text.find(trigger)
    assert start >= 0, trigger
    return EventRecord(
        id=f"e-{etype}-{start}", event_type=etype, mode=None, context=[], cameo="0", intensity=0.0, quad_class=0,
        actor=actor or [], recipient=recipient or [], reciprocal=reciprocal, status=status,
        date=DateRecord(start=date[0], end=date[1], text=None, basis="explicit" if date[0] else "unknown"),
        location=None, attribution=None, sentence=0, sentence_text=text,
        trigger=TriggerRecord(text=trigger, start=start, end=start + len(trigger)), mentions=[], confidence=confidence,
    )


def actor_at(text: str, phrase: str, country: str | None, sector: str | None = None, kind: str = "name") -> ActorRecord:
    start = text.find(phrase)
    assert start >= 0, phrase
    return ActorRecord(text=phrase, start=start, end=start + len(phrase), name=phrase, country=country, sector=sector,
                       id=None, kind=kind)


def doc(events: list[EventRecord] | None = None, actors: list[ActorRecord] | None = None, **kw: object) -> CodedDocument:
    return CodedDocument(doc=DocMeta(id="d"), events=events or [], actors=actors or [], **kw)  # type: ignore[arg-type]


def record(rid: str, text: str, etype: str, source: list[tuple[str, str, str | None]], target: object = "",
           event_text: str = "", **extra: object) -> dict[str, object]:
    out: dict[str, object] = {
        "id": rid, "date": "2000-01-01", "text": text, "event": etype, "eventText": event_text,
        "source": [{"actorText": t, "code": c, **({"sector": s} if s else {})} for t, c, s in source],
        **extra,
    }
    if isinstance(target, list):
        out["target"] = [{"actorText": t, "code": c, **({"sector": s} if s else {})} for t, c, s in target]
    else:
        out["target"] = target
    return out


def one(rec: dict[str, object], coded: CodedDocument):
    gold = sentences_from_json([rec])
    return score_sentences(gold, [coded])


def value(score, name: str) -> float | None:
    return score.metrics[name].value


def event_misses(score) -> list[str]:
    """Miss classes other than the actor-mention ones (these tests mostly code no actor mentions)."""
    return sorted(m.category for m in score.misses if not m.category.startswith("mention"))


# -- gold loading --------------------------------------------------------------------------
def test_load_gsr_object_and_bare_list(tmp_path: Path) -> None:
    rec = record("r1", "{Hungary demanded talks.}", "DEMAND", [("Hungary", "HUN", "GOVxyz")], "", "demanded")
    (tmp_path / "a.json").write_text(json.dumps({"about": "x", "records": [rec]}))
    (tmp_path / "b.json").write_text(json.dumps([rec]))
    for name in ("a.json", "b.json"):
        [g] = load_gsr(tmp_path / name)
        assert g.event == "REQUEST" and g.raw_event == "DEMAND"
        assert g.text == "Hungary demanded talks."  # {...} unwrapped
        assert g.targets == [] and g.sources[0].sector == "GOV"
        assert (g.sources[0].start, g.sources[0].end) == (0, 7)


@pytest.mark.parametrize(("old", "new"), [("DEMAND", "REQUEST"), ("DISAPPROVE", "ACCUSE"), ("INVESTIGATE", "ACCUSE"),
                                          ("FIGHT", "ASSAULT"), ("NONE", NONE)])
def test_old_types_are_mapped(old: str, new: str) -> None:
    [g] = sentences_from_json([record("r", "x y z", old, [])])
    assert g.event == new


def test_unknown_types_are_rejected() -> None:
    with pytest.raises(GoldFormatError):
        sentences_from_json([record("r", "x y z", "SMILE", [])])


@pytest.mark.parametrize(("raw", "sector"), [("REBkur", "REB"), ("***", None), ("", None), (None, None)])
def test_sector_normalisation(raw: str | None, sector: str | None) -> None:
    assert normalise_sector(raw) == sector


# -- codes and roles -----------------------------------------------------------------------
@pytest.mark.parametrize(("coder", "gold", "org", "match"), [
    ("UNO", "IGO", False, True), ("NATO", "IGO", False, True), ("EUR", "IGO", False, True), ("UNO", "UNO", False, True),
    ("USA", "IGO", False, False), ("IGO", "UNO", False, False),
    # an unlisted organisation code matches IGO only when the actor is an organisation and not a state
    ("ZZQ", "IGO", False, False), ("ZZQ", "IGO", True, True), ("FRA", "IGO", True, False),
])
def test_org_equivalence(coder: str, gold: str, org: bool, match: bool) -> None:
    assert codes_match(coder, gold, org=org) is match


def test_org_equivalence_in_event_roles() -> None:
    text = "The United Nations condemned Israel."
    rec = record("r", text, "DISAPPROVE", [("United Nations", "IGO", None)], [("Israel", "ISR", None)], "condemned")
    coded = doc([event("ACCUSE", text, "condemned", actor=[side("United Nations", "UNO", org=True)],
                       recipient=[side("Israel", "ISR")])],
                actors=[actor_at(text, "United Nations", "UNO", kind="org"), actor_at(text, "Israel", "ISR")])
    s = one(rec, coded)
    assert value(s, "type_found") == 1 and value(s, "type_accuracy") == 1
    assert value(s, "actor_accuracy") == 1 and value(s, "recipient_accuracy") == 1 and value(s, "dyad_accuracy") == 1
    assert value(s, "resolution_country") == 1


def test_gold_org_field_and_sector_equivalence() -> None:
    text = "The Paris Club cancelled most of Iraq's debt, health workers said."
    rec = record("r", text, "AID", [("Paris Club", "IGO", None)], [("Iraq", "IRQ", None)], "cancelled")
    rec["source"][0]["org"] = "PCL"  # the specific body, given by our own gold
    rec["target"].append({"actorText": "health workers", "code": "IRQ", "sector": "MED"})
    coded = doc([event("AID", text, "cancelled", actor=[side("Paris Club", "PCL")], recipient=[side("Iraq", "IRQ")])],
                actors=[actor_at(text, "Paris Club", "PCL"), actor_at(text, "Iraq", "IRQ"),
                        actor_at(text, "health workers", "IRQ", "HLH")])
    s = one(rec, coded)
    assert value(s, "actor_accuracy") == 1 and value(s, "resolution_country") == 1
    assert value(s, "resolution_sector") == 1  # coder HLH = gold MED
    del rec["source"][0]["org"]
    assert value(one(rec, coded), "actor_accuracy") == 0  # PCL is not a known organisation code


def test_reciprocal_union() -> None:
    text = "Israel and Lebanon renewed negotiations today."
    rec = record("r", text, "CONSULT", [("Israel", "ISR", None)], [("Lebanon", "LBN", None)], "renewed negotiations")
    both = [side("Israel", "ISR"), side("Lebanon", "LBN")]
    rec_event = event("CONSULT", text, "negotiations", actor=both, reciprocal=True)
    s = one(rec, doc([rec_event]))
    assert value(s, "actor_accuracy") == 1 and value(s, "recipient_accuracy") == 1 and value(s, "dyad_accuracy") == 1
    # the same parties without the reciprocal flag: nobody is the recipient
    s = one(rec, doc([event("CONSULT", text, "negotiations", actor=both)]))
    assert value(s, "actor_accuracy") == 1 and value(s, "recipient_accuracy") == 0
    # gold says reciprocal: roles are compared on the union
    s = one({**rec, "reciprocal": True}, doc([event("CONSULT", text, "negotiations", actor=[side("Lebanon", "LBN")],
                                                    recipient=[side("Israel", "ISR")])]))
    assert value(s, "dyad_accuracy") == 1
    # reciprocal with only one of the two parties: the actor is right, the dyad is not
    assert roles_ok(["ISR"], ["LBN"], [("ISR", False)], [], True) == (True, False)


def test_sector_prefix_and_actor_resolution() -> None:
    text = "Kurdish rebels attacked a Turkish army post."
    rec = record("r", text, "FIGHT", [("Kurdish rebels", "TUR", "REBkur")], [("Turkish army", "TUR", "MIL")], "attacked")
    coded = doc([event("ASSAULT", text, "attacked", actor=[side("Kurdish rebels", "TUR", "REB")],
                       recipient=[side("Turkish army", "TUR", "MIL")])],
                actors=[actor_at(text, "Kurdish rebels", "TUR", "REB", kind="group"),
                        actor_at(text, "Turkish army", "TUR", "GOV")])
    s = one(rec, coded)
    assert s.metrics["resolution_country"].hits == 2 and s.metrics["resolution_country"].total == 2
    assert s.metrics["resolution_sector"].hits == 1 and s.metrics["resolution_sector"].total == 2
    assert [m.category for m in s.misses] == ["mention wrong sector"]
    # an overlapping, not identical, mention counts; a mention elsewhere does not
    coded = doc(actors=[actor_at(text, "rebels", "TUR", "REB"), actor_at(text, "post", "TUR", "MIL")])
    s = one(rec, coded)
    assert s.metrics["resolution_country"].hits == 1 and s.metrics["resolution_sector"].hits == 1


def test_type_match_missed_trigger_and_wrong_type() -> None:
    text = "Greece demanded that its partners refuse to recognize Macedonia."
    rec = record("r", text, "DEMAND", [("Greece", "GRC", None)], "", "demanded refuse")
    s = one(rec, doc([event("REQUEST", text, "demanded", actor=[side("Greece", "GRC")])]))
    assert value(s, "type_found") == 1 and value(s, "type_accuracy") == 1 and value(s, "actor_accuracy") == 1
    assert event_misses(s) == []
    s = one(rec, doc([event("REJECT", text, "refuse", actor=[side("Greece", "GRC")])]))
    assert value(s, "type_found") == 0 and value(s, "actor_accuracy") == 0
    assert value(s, "actor_accuracy_given_type") is None
    assert event_misses(s) == ["wrong type"]
    s = one(rec, doc([event("REJECT", text, "recognize")]))
    assert event_misses(s) == ["missed trigger"]
    s = one(rec, doc())
    assert s.values()["recall.REQUEST"] == 0 and s.values()["f1.REQUEST"] == 0.0  # gold but nothing coded: F1 is 0
    assert event_misses(s) == ["missed trigger"] and s.confusion == {"REQUEST": {NONE: 1}}


def test_best_event_prefers_trigger_overlap() -> None:
    text = "Serbia attacked Kosovo after Albania attacked Greece."
    rec = record("r", text, "ASSAULT", [("Albania", "ALB", None)], [("Greece", "GRC", None)], "attacked Greece")
    second = event("ASSAULT", text, "attacked Greece", actor=[side("Albania", "ALB")], recipient=[side("Greece", "GRC")],
                   confidence=0.6)
    # a more confident ASSAULT whose trigger ("Serbia") overlaps no word of eventText loses to the one that does
    first = event("ASSAULT", text, "Serbia", actor=[side("Serbia", "SRB")], confidence=0.9)
    s = one(rec, doc([first, second]))
    assert value(s, "dyad_accuracy") == 1
    # without trigger overlap on either side, confidence decides
    s = one({**rec, "eventText": "bombing"}, doc([first, second]))
    assert value(s, "dyad_accuracy") == 0


def test_status_and_date_extensions() -> None:
    text = "Russia will impose sanctions on Poland next week."
    rec = record("r", text, "SANCTION", [("Russia", "RUS", None)], [("Poland", "POL", None)], "impose sanctions",
                 status="planned", eventDate={"start": "2000-01-03", "end": "2000-01-09"})
    ok = event("SANCTION", text, "impose sanctions", actor=[side("Russia", "RUS")], recipient=[side("Poland", "POL")],
               status="planned", date=("2000-01-03", "2000-01-09"))
    s = one(rec, doc([ok]))
    assert value(s, "status_accuracy") == 1 and value(s, "date_accuracy") == 1
    bad = ok.model_copy(update={"status": "asserted", "date": DateRecord(start="2000-01-01", end="2000-01-01", text=None,
                                                                          basis="publication")})
    s = one(rec, doc([bad]))
    assert value(s, "status_accuracy") == 0 and value(s, "date_accuracy") == 0
    assert event_misses(s) == ["date wrong", "status wrong"]


def test_none_records() -> None:
    text = "The weather in Paris was mild on Tuesday."
    rec = record("r", text, "NONE", [])
    assert value(one(rec, doc()), "type_found") == 1
    weak = event("PROTEST", text, "mild", confidence=0.4)
    s = one(rec, doc([weak]))
    assert value(s, "type_found") == 1 and value(s, "type_accuracy") == 1 and value(s, "none_accuracy") == 1
    assert s.per_type["PROTEST"].pred == 1 and s.per_type["PROTEST"].tp_pred == 0  # still a false positive type
    s = one(rec, doc([weak.model_copy(update={"confidence": 0.7})]))
    assert value(s, "type_found") == 0 and value(s, "type_accuracy") == 0
    assert s.confusion == {NONE: {"PROTEST": 1}} and [m.category for m in s.misses] == ["spurious event"]


def test_confusion_matrix_counts_and_per_type_precision() -> None:
    texts = ["A agreed with B.", "A attacked B.", "A attacked B again.", "Nothing happened.", "A met B."]
    recs = [record(f"r{i}", t, e, []) for i, (t, e) in
            enumerate(zip(texts, ["AGREE", "ASSAULT", "FIGHT", "NONE", "CONSULT"], strict=True))]
    coded = [
        doc([event("AGREE", texts[0], "agreed", confidence=0.9), event("CONSULT", texts[0], "with", confidence=0.6)]),
        doc([event("ASSAULT", texts[1], "attacked")]),
        doc([event("COERCE", texts[2], "attacked", confidence=0.9), event("ASSAULT", texts[2], "again", confidence=0.5)]),
        doc([event("AGREE", texts[3], "happened", confidence=0.55)]),
        doc(),
    ]
    s = score_sentences(sentences_from_json(recs), coded)
    # ASSAULT row: "A attacked B." → ASSAULT; "A attacked B again." → top COERCE (0.9 beats 0.5)
    assert s.confusion == {"AGREE": {"AGREE": 1}, "CONSULT": {NONE: 1}, "ASSAULT": {"ASSAULT": 1, "COERCE": 1},
                           NONE: {"AGREE": 1}}
    assert sum(n for row in s.confusion.values() for n in row.values()) == len(recs)
    assert s.metrics["type_accuracy"].hits == 2  # diagonal: AGREE, ASSAULT
    assert s.metrics["type_found"].hits == 3  # AGREE, ASSAULT, ASSAULT (second, lower-confidence event)
    assert [(m.item, m.category) for m in s.misses] == [("r2", "wrong top type"), ("r3", "spurious event"),
                                                        ("r4", "missed trigger")]
    agree = s.per_type["AGREE"]
    assert (agree.gold, agree.tp_gold, agree.pred, agree.tp_pred) == (1, 1, 2, 1)
    consult = s.per_type["CONSULT"]
    assert (consult.gold, consult.tp_gold, consult.pred, consult.tp_pred) == (1, 0, 1, 0)
    assert s.metrics["micro_precision"].hits == 3 and s.metrics["micro_precision"].total == 6
    assert s.metrics["micro_recall"].hits == 3 and s.metrics["micro_recall"].total == 4
    values = s.values()  # what the gate sees: summary metrics plus per-type recall and F1
    assert values["recall.AGREE"] == 1 and values["f1.AGREE"] == pytest.approx(2 / 3) and values["recall.CONSULT"] == 0


# -- agreement with an independent, straightforward scorer -----------------------------------
OLD = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def independent_type_accuracy(records: list[dict], coded: list[CodedDocument]) -> tuple[int, int]:
    """Re-count type accuracy from the raw records: sort each sentence's events by confidence
    (stable, so the first of equals wins); the answer is the top type if its confidence is at
    least 0.5, else NONE; compare with the mapped gold type."""
    right = 0
    for rec, d in zip(records, coded, strict=True):
        gold = OLD.get(rec["event"], rec["event"])
        ranked = sorted(d.events, key=lambda e: -e.confidence)
        answer = ranked[0].event_type if ranked and ranked[0].confidence >= 0.5 else "NONE"
        right += answer == gold
    return right, len(records)


def independent_type_found(records: list[dict], coded: list[CodedDocument]) -> tuple[int, int]:
    right = 0
    for rec, d in zip(records, coded, strict=True):
        gold = OLD.get(rec["event"], rec["event"])
        if gold == "NONE":
            right += all(e.confidence < 0.5 for e in d.events)
        else:
            right += gold in [e.event_type for e in d.events]
    return right, len(records)


@pytest.mark.parametrize("seed", range(5))
def test_type_accuracy_agrees_with_independent_scorer(seed: int) -> None:
    rng = random.Random(seed)
    types = [*EVENT_TYPES, *OLD, "NONE"]
    records, coded = [], []
    for i in range(200):
        text = f"Sentence {i} says that somebody did something to somebody else."
        records.append(record(f"r{i}", text, rng.choice(types), []))
        events = [event(rng.choice(EVENT_TYPES), text, rng.choice(["says", "did", "something", "else"]),
                        confidence=rng.choice([0.3, 0.45, 0.5, 0.55, 0.7, 0.7, 0.9])) for _ in range(rng.randint(0, 3))]
        coded.append(doc(events))
    s = score_sentences(sentences_from_json(records), coded)
    m = s.metrics["type_accuracy"]
    assert (m.hits, m.total) == independent_type_accuracy(records, coded)
    m = s.metrics["type_found"]
    assert (m.hits, m.total) == independent_type_found(records, coded)
    diagonal = sum(row.get(t, 0) for t, row in s.confusion.items())
    assert diagonal == s.metrics["type_accuracy"].hits


def test_top_type_threshold_and_ties() -> None:
    text = "A b c d."
    assert top_type([]) == NONE
    assert top_type([event("AGREE", text, "b", confidence=0.49)]) == NONE
    assert top_type([event("AGREE", text, "b", confidence=0.7), event("REJECT", text, "c", confidence=0.7)]) == "AGREE"


# -- article gold --------------------------------------------------------------------------
ARTICLE_TEXT = (
    "Peru and Ecuador signed a ceasefire on Friday.\n\n"
    "Ecuador accused Peru of shelling its positions, officials said.\n\n"
    "\u201cWe will defend our territory,\u201d said Col. Wilson Torres."
)


def article(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": "A1", "title": "t", "published": "1995-02-18", "source": "s", "text": ARTICLE_TEXT,
        "events": [
            {"event_type": "SUPPORT", "alt_types": ["AGREE"], "mode": "", "actor": ["PER", "ECU"], "recipient": [],
             "reciprocal": True, "status": "asserted", "date": {"start": "1995-02-17", "end": "1995-02-17"},
             "trigger": "signed a ceasefire", "sentence": "Peru and Ecuador signed a ceasefire on Friday."},
            {"event_type": "DISAPPROVE", "mode": "", "actor": ["ECU"], "recipient": ["PER"], "reciprocal": False,
             "status": "reported", "date": {"start": "1995-02-18", "end": "1995-02-18"}, "trigger": "accused",
             "sentence": "Ecuador accused Peru of shelling its positions, officials said."},
        ],
        "quotes": [{"text": "We will defend our territory", "kind": "direct", "speaker": "Wilson Torres",
                    "speaker_country": "ECU"}],
        "times": [{"text": "on Friday", "value": "1995-02-17", "start": "1995-02-17", "end": "1995-02-17"}],
    }
    data.update(over)
    return data


def art_event(etype: str, trigger: str, **kw: object) -> EventRecord:
    e = event(etype, ARTICLE_TEXT, trigger, **kw)  # type: ignore[arg-type]
    return e


def test_article_events_quotes_times() -> None:
    gold = article_from_json(article())
    assert gold.events[1].event_type == "ACCUSE"
    q0 = ARTICLE_TEXT.find("We will")
    t0 = ARTICLE_TEXT.find("Friday")
    coded = doc(
        events=[
            # alt type, reciprocal on the gold side: compared on the union of parties
            art_event("AGREE", "signed", actor=[side("Peru", "PER")], recipient=[side("Ecuador", "ECU")],
                      date=("1995-02-17", "1995-02-17")),
            art_event("ACCUSE", "accused", actor=[side("Ecuador", "ECU")], recipient=[side("Peru", "PER")],
                      status="asserted", date=("1995-02-18", "1995-02-18")),
            art_event("ASSAULT", "shelling", actor=[side("Peru", "PER")]),
        ],
        quotes=[QuoteRecord(text="We will defend our territory,", start=q0, end=q0 + 29, kind="direct", cue="said",
                            channel=None, speaker=side("Wilson Torres", None, "MIL"))],
        times=[TimeRecord(text="Friday", start_char=t0, end_char=t0 + 6, start="1995-02-17", end="1995-02-17",
                          value="1995-02-17", granularity="day"),
               TimeRecord(text="positions", start_char=0, end_char=4, start=None, end=None, value=None, granularity=None)],
    )
    s = score_articles([gold], [coded])
    v = s.values()
    assert v["event_recall"] == 1 and v["event_precision"] == pytest.approx(2 / 3)
    assert v["typed_event_recall"] == 1
    assert v["status_accuracy"] == 0.5 and v["date_accuracy"] == 1
    assert v["recipient_accuracy"] == 1  # reciprocal: both gold parties are among the coded parties
    assert v["actor_complete"] == 1
    assert v["quote_precision"] == 1 and v["quote_recall"] == 1 and v["speaker_accuracy"] == 1
    assert v["time_recall"] == 1 and v["time_precision"] == 0.5 and v["time_value_accuracy"] == 1
    cats = sorted(m.category for m in s.misses)
    assert cats == ["spurious event", "status wrong", "time spurious"]


def test_article_repeated_times_and_indirect_quote_sample() -> None:
    text = "Talks resumed on Friday.\n\nOfficials said the talks on Friday went well, he said."
    gold = article_from_json(article(
        text=text, events=[],
        quotes=[{"text": "the talks on Friday went well", "kind": "indirect", "speaker": "x", "speaker_country": "ECU"}],
        times=[{"text": "on Friday", "value": "1995-02-17", "start": "1995-02-17", "end": "1995-02-17"}]))
    first, second = text.find("on Friday"), text.rfind("on Friday")
    times = [TimeRecord(text="on Friday", start_char=i, end_char=i + 9, start="1995-02-17", end="1995-02-17",
                        value="1995-02-17", granularity="day") for i in (first, second)]
    q0 = text.find("Officials")
    quotes = [QuoteRecord(text=text[q0:q0 + 9], start=q0, end=q0 + 9, kind="indirect", cue="said", channel=None,
                          speaker=None)]  # an indirect quote the sample does not list: not a false positive
    v = score_articles([gold], [doc(times=times, quotes=quotes)]).values()
    assert v["time_precision"] == 1 and v["time_recall"] == 1 and v["time_value_accuracy"] == 1
    assert v["quote_precision"] is None and v["quote_recall"] is None


def test_article_event_needs_matching_parties_and_dates() -> None:
    gold = article_from_json(article(quotes=[], times=[]))
    wrong_actor = art_event("ACCUSE", "accused", actor=[side("Peru", "PER")], recipient=[side("Ecuador", "ECU")])
    wrong_date = art_event("ACCUSE", "accused", actor=[side("Ecuador", "ECU")], date=("1994-01-01", "1994-01-02"))
    for coded, category in ((wrong_actor, "wrong actor"), (wrong_date, "date wrong")):
        s = score_articles([gold], [doc([coded])])
        assert s.values()["event_recall"] == 0 and s.values()["typed_event_recall"] == 0.5
        assert category in [m.category for m in s.misses]
    # speaker: country alone is enough; a wrong speaker is a miss
    q0 = ARTICLE_TEXT.find("We will")
    quote = QuoteRecord(text="We will defend our territory", start=q0, end=q0 + 28, kind="direct", cue="said",
                        channel=None, speaker=side("Quito", "ECU"))
    gold = article_from_json(article(events=[], times=[]))
    assert score_articles([gold], [doc(quotes=[quote])]).values()["speaker_accuracy"] == 1
    quote = quote.model_copy(update={"speaker": side("Lima", "PER")})
    s = score_articles([gold], [doc(quotes=[quote])])
    assert s.values()["speaker_accuracy"] == 0 and [m.category for m in s.misses] == ["speaker wrong"]


# -- the gate ------------------------------------------------------------------------------
def test_gate_floors() -> None:
    floors = {"sentences": {"type_accuracy": 0.5, "actor_accuracy": 0.4}, "articles": {"event_f1": 0.3}}
    values = {"sentences": {"type_accuracy": 0.55, "actor_accuracy": 0.39}}
    failures = check(values, floors)
    assert [(f.set, f.metric) for f in failures] == [("sentences", "actor_accuracy"), ("articles", "event_f1")]
    assert failures[1].value is None and "not measured" in failures[1].describe()
    assert check({"sentences": {"type_accuracy": 0.5, "actor_accuracy": 0.4}}, {"sentences": floors["sentences"]}) == []
    assert floor_of(0.7321, 0.03) == 0.70 and floor_of(0.73, 0.03) == 0.70 and floor_of(0.01, 0.03) == 0.0


def test_make_and_load_baseline(tmp_path: Path) -> None:
    text = "A agreed with B."
    s = score_sentences(sentences_from_json([record("r", text, "AGREE", [])]), [doc([event("AGREE", text, "agreed")])])
    base = make_baseline(EvalResult([s], "m"))
    assert base["floors"]["sentences"]["type_accuracy"] == 0.97 and "deliberate" in base["note"]
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(base))
    assert load_baseline(path)["sentences"]["type_accuracy"] == 0.97


class StubCoder:
    """Codes every document with one AGREE event on its first word."""

    class settings:
        model = "stub"

    def code_documents(self, documents):
        for d in documents:
            first = d.text.split()[0]
            yield doc([event("AGREE", d.text, first)])


def test_cli_eval_json_and_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dotterel.cli.eval import register

    monkeypatch.setattr("dotterel.pipeline.Coder", lambda settings=None: StubCoder())
    gold = tmp_path / "sentences.json"
    gold.write_text(json.dumps({"records": [record("r1", "Paris agreed.", "AGREE", []),
                                            record("r2", "Rome refused.", "REJECT", [])]}))
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    out = tmp_path / "m.json"
    runner = CliRunner()
    res = runner.invoke(app, ["eval", str(gold), "--json", str(out), "--errors"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["metrics"]["sentences"]["type_accuracy"] == 0.5
    assert "wrong type" in res.output or "missed trigger" in res.output
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"note": "n", "floors": {"sentences": {"type_accuracy": 0.6}}}))
    res = runner.invoke(app, ["eval", str(gold), "--gate", str(baseline)])
    assert res.exit_code == 1 and "type_accuracy" in res.output
    baseline.write_text(json.dumps({"note": "n", "floors": {"sentences": {"type_accuracy": 0.5}}}))
    assert runner.invoke(app, ["eval", str(gold), "--gate", str(baseline)]).exit_code == 0
    assert runner.invoke(app, ["eval", str(tmp_path / "missing.json")]).exit_code == 2


SHARED_GSR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "plover-gsr-dev.json"


@pytest.mark.skipif(not SHARED_GSR.exists(), reason="needs ../shared/data/plover-gsr-dev.json (not in CI)")
def test_loads_the_plover_gsr_dev_file() -> None:
    gold = load_gsr(SHARED_GSR)
    assert len(gold) == 107
    assert {g.event for g in gold} <= set(EVENT_TYPES)
    assert all(g.sources for g in gold)
    actors = [a for g in gold for a in [*g.sources, *g.targets]]
    located = [a for a in actors if a.start is not None]
    assert len(located) / len(actors) > 0.95  # actorText found in the (unwrapped) sentence
    for g in gold:
        for a in g.sources + g.targets:
            if a.start is not None:
                assert " ".join(g.text[a.start:a.end].split()).lower() == " ".join(a.text.split()).lower()


def test_frozen_split_is_a_fixed_rule_on_ids() -> None:
    from dotterel.eval.score import frozen_part, load_gold

    root = Path(__file__).resolve().parents[1]
    whole = load_gold(root / "gold" / "sentences.json")
    dev = load_gold(f"{root / 'gold' / 'sentences.json'}#dev")
    test = load_gold(f"{root / 'gold' / 'sentences.json'}#test")
    assert (dev.name, test.name) == ("sentences-dev", "sentences-test")
    assert {g.id for g in dev.items} | {g.id for g in test.items} == {g.id for g in whole.items}
    assert not {g.id for g in dev.items} & {g.id for g in test.items}
    assert 0.2 < len(test.items) / len(whole.items) < 0.4
    assert all(frozen_part(g.id) == "test" for g in test.items)
    assert frozen_part("DOT-S-0001") == frozen_part("DOT-S-0001")
