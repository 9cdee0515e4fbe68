"""Status cues from who is speaking and who is said to act (invented sentences, real pipeline): a
subject that says nobody did it negates the event; a rebel official reporting a government act reports it."""

from __future__ import annotations

import datetime as dt

import pytest

from dotterel.ingest import document_from_text
from dotterel.settings import Settings

DAY = dt.date(2024, 5, 14)


@pytest.mark.parametrize(("text", "trigger"), [
    ("Russia offered to help build a reactor, but no agreement was signed.", "signed"),
    ("Buses waited at the crossing, but none of the Syrian fighters had left by nightfall.", "left"),
    ("Neither side fired on the Iraqi border on Sunday.", "fired"),
])
def test_negative_subject_negates(coder, text: str, trigger: str) -> None:
    doc = coder.code(document_from_text(text, "t", Settings(), date=DAY))
    hit = [e.status for e in doc.events if trigger in e.trigger.text]
    assert hit == ["negated"], [(e.trigger.text, e.status) for e in doc.events]


def test_a_positive_subject_stays_asserted(coder) -> None:
    doc = coder.code(document_from_text("Both sides fired on the Iraqi border on Sunday.", "t", Settings(), date=DAY))
    assert [e.status for e in doc.events if "fired" in e.trigger.text] == ["asserted"]


def test_a_rebel_officials_account_of_government_shelling_is_a_report(coder) -> None:
    doc = coder.code(document_from_text("Syrian troops shelled the rebel enclave, according to rebel officials.",
                                        "t", Settings(), date=DAY))
    assert [e.status for e in doc.events if e.trigger.text == "shelled"] == ["reported"]
    actors = {(a.text, a.sector) for e in doc.events for a in e.actor}
    assert ("Syrian troops", "MIL") in actors
