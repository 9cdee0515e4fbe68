"""PLOVER's stance types from modality (invented sentences, real pipeline)."""

from __future__ import annotations

import datetime as dt

from dotterel.ingest import document_from_text
from dotterel.settings import Settings

DAY = dt.date(2023, 3, 17)


def coded(coder, text: str):
    return coder.code(document_from_text(text, "t", Settings(), date=DAY)).events


def test_a_vow_to_do_harm_is_a_threat(coder) -> None:
    evs = coded(coder, "Ruto vowed to quash the unrest at any cost.")
    assert [e.event_type for e in evs if not e.derived_from] == ["THREATEN"]


def test_a_vow_to_continue_pressure_is_a_threat(coder) -> None:
    evs = coded(coder, "Trump vowed to continue pressuring Pyongyang.")
    assert "THREATEN" in {e.event_type for e in evs} and "AGREE" not in {e.event_type for e in evs}


def test_a_vow_not_to_act_is_a_rejection(coder) -> None:
    evs = coded(coder, "Venezuela's opposition parties vowed not to take part in the December election.")
    assert [e.event_type for e in evs] == ["REJECT"]


def test_a_vow_to_help_stays_agree(coder) -> None:
    evs = coded(coder, "Japan pledged to help Ukraine rebuild.")
    assert "AGREE" in {e.event_type for e in evs} and "THREATEN" not in {e.event_type for e in evs}


def test_a_ruled_out_future_is_a_rejection_linked_to_the_negated_action(coder) -> None:
    evs = coded(coder, "Chile will not attend the summit in Lima next week.")
    consult = next(e for e in evs if e.event_type == "CONSULT")
    reject = next(e for e in evs if e.event_type == "REJECT")
    assert consult.status == "negated" and reject.status == "asserted"
    assert reject.derived_from == consult.id and reject.cameo == "125"


def test_a_past_negation_is_not_a_rejection(coder) -> None:
    evs = coded(coder, "Chile did not attend the summit in Lima last week.")
    assert "REJECT" not in {e.event_type for e in evs}


def test_existential_negation_negates_the_event_noun(coder) -> None:
    evs = coded(coder, "There won't be a meeting in Sarajevo tomorrow, the mediators said.")
    assert [e.status for e in evs if e.event_type == "CONSULT"] == ["negated"]
    assert "REJECT" not in {e.event_type for e in evs}  # nobody is said to refuse


def test_a_report_that_could_not_be_confirmed_is_unconfirmed(coder) -> None:
    evs = coded(coder, "Police said the Peruvian leader had been arrested, but this could not be confirmed.")
    assert [e.status for e in evs if e.event_type == "COERCE"] == ["unconfirmed"]


def test_a_called_protest_is_planned(coder) -> None:
    evs = coded(coder, "Kenyan activists called more protests for Thursday.")
    assert [e.status for e in evs if e.event_type == "PROTEST"] == ["planned"]


def test_a_reported_airstrike_is_unconfirmed_and_so_is_what_it_did(coder) -> None:
    evs = coded(coder, "The reported airstrike hit a wedding party in a Yemeni village on Monday.")
    assert evs and all(e.status == "unconfirmed" for e in evs if e.event_type == "ASSAULT")


def test_failing_to_reach_agreement_is_a_rejection(coder) -> None:
    evs = coded(coder, "Serbian and Kosovar negotiators failed to reach agreement on the border on Sunday.")
    agree = [e for e in evs if e.event_type == "AGREE"]
    reject = [e for e in evs if e.event_type == "REJECT"]
    assert agree and agree[0].status == "negated"
    assert reject and reject[0].status == "asserted" and reject[0].derived_from == agree[0].id
