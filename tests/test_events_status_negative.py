"""A subject that says nobody did it negates the event (invented sentences, real pipeline)."""

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
