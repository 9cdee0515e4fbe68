"""Event coding, one construction or status per test, on short texts coded by the real pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from dotterel.ingest import document_from_text
from dotterel.settings import Settings

DAY = dt.date(2023, 3, 17)  # a Friday


def code(coder, text: str, day: dt.date = DAY):
    return coder.code(document_from_text(text, "t", Settings(), date=day))


def events(coder, text: str, day: dt.date = DAY, etype: str | None = None):
    return [e for e in code(coder, text, day).events if (etype is None or e.event_type == etype) and not e.derived_from]


def sides(e) -> tuple[set, set]:
    return {a.country for a in e.actor}, {a.country for a in e.recipient}


def only(evs):
    assert len(evs) == 1, [(e.event_type, e.trigger.text, e.status) for e in evs]
    return evs[0]


def test_simple_transitive(coder) -> None:
    e = only(events(coder, "Russia invaded Ukraine in February 2022.", etype="ASSAULT"))
    assert sides(e) == ({"RUS"}, {"UKR"}) and e.status == "asserted"
    assert (e.date.start, e.date.end, e.date.basis) == ("2022-02-01", "2022-02-28", "explicit")


def test_passive_with_agent(coder) -> None:
    e = only(events(coder, "Two Ukrainian soldiers were killed by Russian troops on Thursday.", etype="ASSAULT"))
    assert sides(e) == ({"RUS"}, {"UKR"}) and e.date.start == "2023-03-16"


def test_light_verb_and_prepositional_recipient(coder) -> None:
    e = only(events(coder, "The European Union imposed new sanctions on Iran on Monday.", etype="SANCTION"))
    assert sides(e) == ({"EUR"}, {"IRN"}) and e.cameo.startswith("16")


def test_coordinated_actors_stay_one_reciprocal_event(coder) -> None:
    e = only(events(coder, "Israel and Lebanon renewed negotiations on Tuesday.", etype="CONSULT"))
    assert e.reciprocal and {a.country for a in e.actor} | {a.country for a in e.recipient} == {"ISR", "LBN"}


def test_meeting_with_is_reciprocal(coder) -> None:
    e = only(events(coder, "German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Monday.",
                    etype="CONSULT"))
    assert e.reciprocal and sides(e) == ({"DEU"}, {"FRA"})
    assert e.location is not None and e.location.country == "FRA"


def test_control_verb_passes_its_subject(coder) -> None:
    evs = events(coder, "Turkey agreed to allow Swedish membership of NATO.")
    assert any(e.event_type == "AGREE" and sides(e)[0] == {"TUR"} for e in evs)


def test_nominal_event_with_possessor_and_compound(coder) -> None:
    evs = events(coder, "Xi's Russia visit comes as Beijing seeks a larger role.", etype="CONSULT")
    e = only(evs)
    assert sides(e) == ({"CHN"}, {"RUS"})


def test_reporting_verb_does_not_swallow_the_event(coder) -> None:
    e = only(events(coder, "Ukraine's military said Russian forces shelled Kharkiv on Thursday.", etype="ASSAULT"))
    assert sides(e)[0] == {"RUS"} and e.status == "reported"
    assert e.attribution is not None and e.attribution.country == "UKR"


def test_relative_clause_subject(coder) -> None:
    e = only(events(coder, "Kuleba, who also spoke with Secretary of State Antony Blinken on Thursday, left Kyiv.",
                    etype="CONSULT"))
    assert sides(e) == ({"UKR"}, {"USA"}) and e.date.start == "2023-03-16"


@pytest.mark.parametrize(
    ("text", "etype", "status"),
    [
        ("Japan will send troops to Iraq next month.", None, "planned"),
        ("Chinese President Xi Jinping is to visit Russia next week.", "CONSULT", "planned"),
        ("France may impose sanctions on Mali.", "SANCTION", "hypothetical"),
        ("The United States is considering sending tanks to Ukraine.", "AID", "hypothetical"),
        ("Britain did not condemn the attack on Israel.", "ACCUSE", "negated"),
        ("China has refrained from condemning Russia.", "ACCUSE", "negated"),
        ("Moscow denied that its troops had shelled the village.", "ASSAULT", "denied"),
        ("The ministry did not confirm reports that Iranian drones attacked the tanker.", "ASSAULT", "unconfirmed"),
        ("Iranian drones reportedly attacked the tanker on Tuesday.", "ASSAULT", "reported"),
        ("Russian jets bombed the town on Monday, according to U.S. officials.", "ASSAULT", "reported"),
        ("If Belgrade attacks Kosovo, NATO will respond.", "ASSAULT", "hypothetical"),
        ("Germany sent 14 tanks to Ukraine on Wednesday.", "AID", "asserted"),
    ],
)
def test_status(coder, text: str, etype: str | None, status: str) -> None:
    evs = events(coder, text, etype=etype)
    assert evs, f"no {etype or 'event'} in {text!r}"
    assert evs[0].status == status, [(e.event_type, e.trigger.text, e.status) for e in evs]


def test_future_action_also_states_an_intention(coder) -> None:
    coded = code(coder, "Chinese President Xi Jinping will visit Russia next week.")
    planned = [e for e in coded.events if e.event_type == "CONSULT"]
    intent = [e for e in coded.events if e.derived_from]
    assert len(planned) == 1 and planned[0].status == "planned"
    assert len(intent) == 1 and intent[0].event_type == "AGREE" and intent[0].derived_from == planned[0].id


def test_demand_in_reported_speech(coder) -> None:
    e = only(events(coder, "Washington said on Tuesday that China must drop its trade barriers.", etype="REQUEST"))
    assert sides(e) == ({"USA"}, {"CHN"})


def test_rejection_answers_the_accusation(coder) -> None:
    text = "Ecuador accused Peru of bombing its border posts. Lima denied the charge."
    rej = only(events(coder, text, etype="REJECT"))
    assert sides(rej) == ({"PER"}, {"ECU"})


def test_headline_and_lede_are_one_event_with_the_narrowest_date(coder) -> None:
    text = ("Turkish president to visit Azerbaijan next week\n\n"
            "ANKARA — Turkish President Recep Tayyip Erdogan will visit Azerbaijan from Tuesday to Thursday, "
            "his office said on Friday.")
    e = only(events(coder, text, etype="CONSULT"))
    assert len(e.mentions) == 2 and (e.date.start, e.date.end) == ("2023-03-21", "2023-03-23")


def test_stance_on_an_earlier_event(coder) -> None:
    text = "Chinese President Xi Jinping will visit Russia next week. The visit was also confirmed by the Kremlin."
    e = only(events(coder, text, etype="CONSULT"))
    assert [(s.stance, s.actor.country if s.actor else None) for s in e.stances] == [("confirm", "RUS")]


def test_confidence_threshold_filters(coder) -> None:
    from dotterel.pipeline import Coder

    text = "Russia invaded Ukraine in 2022. The Israeli raid on Jenin drew condemnation."
    loose = code(coder, text).events
    assert any(e.confidence < 0.8 for e in loose) and any(e.confidence >= 0.8 for e in loose)
    strict = Coder(Settings(min_confidence=0.8)).code(document_from_text(text, "t", Settings(), date=DAY)).events
    assert strict and all(e.confidence >= 0.8 for e in strict)
    assert len(strict) < len(loose)


def test_no_events_in_sports_or_weather(coder) -> None:
    for text in ("Brazil beat Germany 2-1 in a friendly in Berlin on Tuesday.",
                 "Heavy rain is expected across Spain this weekend."):
        assert [e for e in code(coder, text).events if e.confidence >= 0.5] == [], text


def test_a_call_on_a_day_is_a_phone_call_not_a_demand(coder) -> None:
    text = ("In a call on Tuesday with his French counterpart, Germany's foreign minister said Berlin "
            "wanted a ceasefire.")
    evs = events(coder, text, dt.date(2023, 3, 17))
    assert any(e.event_type == "CONSULT" and e.date.start == "2023-03-14" for e in evs), evs
    assert not any(e.event_type == "REQUEST" and e.trigger.text.startswith("call") for e in evs)


def test_coordinated_objects_complete_a_pattern(coder) -> None:
    e = only(events(coder, "Iran may be considering sending drones and ammunition to Russia.", etype="AID"))
    assert sides(e) == ({"IRN"}, {"RUS"}) and e.status == "hypothetical"


def test_death_from_violence_makes_the_dead_the_target(coder) -> None:
    e = only(events(coder, "Two Kurdish activists died after torture in Turkish police custody.", etype="ASSAULT"))
    assert e.recipient and e.recipient[0].text.endswith("activists")
