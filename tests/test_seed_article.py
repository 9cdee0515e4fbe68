"""The article the project started from (../shared/data/seed-article.txt, published 2023-03-17):
the checks the issues name for it, kept as regression tests. Skipped where ../shared is absent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dotterel.ingest import document_from_text
from dotterel.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed-article.txt"
pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"{SEED} is not present (it lives beside the repository)")


@pytest.fixture(scope="module")
def seed(coder):
    return coder.code(document_from_text(SEED.read_text(encoding="utf-8"), "seed", Settings(), date=dt.date(2023, 3, 17)))


def _events(seed, etype, status=None):
    return [e for e in seed.events if e.event_type == etype and not e.derived_from and (status is None or e.status == status)]


def _sides(e):
    return {a.country for a in e.actor}, {a.country for a in e.recipient}


def test_people_and_metonyms_resolve(seed) -> None:
    found = {(a.name, a.country) for a in seed.actors}
    for who in [("Xi Jinping", "CHN"), ("Vladimir Putin", "RUS"), ("Wang Wenbin", "CHN"), ("Qin Gang", "CHN"),
                ("Dmytro Kuleba", "UKR"), ("Antony Blinken", "USA")]:
        assert who in found, who
    assert any(a.country == "UKR" and a.name and "Zelensk" in a.name for a in seed.actors)
    texts = {a.text: (a.country, a.sector) for a in seed.actors}
    for place, country in [("Beijing", "CHN"), ("Washington", "USA"), ("Kyiv", "UKR"), ("Moscow", "RUS"), ("Kremlin", "RUS")]:
        assert texts[place][0] == country, place
    assert texts["his Ukrainian counterpart"][0] == "UKR"


def test_the_visit(seed) -> None:
    visits = [e for e in _events(seed, "CONSULT", "planned") if _sides(e) == ({"CHN"}, {"RUS"})]
    assert len(visits) == 1
    assert (visits[0].date.start, visits[0].date.end) == ("2023-03-20", "2023-03-22")


def test_invasion_and_the_two_leaders(seed) -> None:
    assert any(_sides(e) == ({"RUS"}, {"UKR"}) and e.date.start.startswith("2022") for e in _events(seed, "ASSAULT"))
    talks = [e for e in _events(seed, "CONSULT", "planned") if e.reciprocal]
    assert any({a.country for a in e.actor} == {"CHN", "RUS"} for e in talks)


def test_dismissal_accusation_and_calls(seed) -> None:
    assert any(_sides(e)[0] == {"CHN"} for e in _events(seed, "REJECT", "asserted"))
    assert any(_sides(e) == ({"CHN"}, {"USA"}) for e in _events(seed, "ACCUSE", "asserted"))
    calls = [e for e in _events(seed, "CONSULT", "asserted") if e.date.start == "2023-03-16"]
    parties = [{a.country for a in e.actor} | {a.country for a in e.recipient} for e in calls]
    assert {"CHN", "UKR"} in parties and {"UKR", "USA"} in parties


def test_what_must_not_be_asserted(seed) -> None:
    for e in seed.events:
        s = e.sentence_text
        if "did not confirm reports" in s and e.event_type == "CONSULT":
            assert e.status == "unconfirmed"
        if "refrained from condemning" in s and e.trigger.text.startswith("condemn"):
            assert e.status == "negated"
        if "considering sending" in s and e.event_type == "AID":
            assert e.status == "hypothetical"
        if "hasn’t spoken to since" in s and e.trigger.text.startswith("spoken"):
            assert e.status != "asserted"


def test_quotes_and_times(seed) -> None:
    speakers = [(q.kind, q.speaker.name if q.speaker else None) for q in seed.quotes if q.kind == "direct"]
    assert [n for _, n in speakers].count("Wang Wenbin") >= 3  # two quotes in one paragraph, one more later
    assert ("direct", "Kremlin") in speakers and ("direct", "Qin Gang") in speakers
    assert any(q.speaker and q.speaker.name == "Dmytro Kuleba" and q.kind == "partial" for q in seed.quotes)
    values = {t.text: t.value for t in seed.times}
    assert values["from Monday to Wednesday"] == "2023-03-20/2023-03-22"
    assert values["Friday"] == "2023-03-17" and values["on Thursday"] == "2023-03-16"
    assert values["last year"] == "2022" and values["last month"] == "2023-02" and values["last February"] == "2022-02"
    assert values["next week"] == "2023-W12"
