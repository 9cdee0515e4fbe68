"""The times normaliser: every rule of dotterel.times.normalize, table-driven."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dotterel.errors import DotterelError
from dotterel.times import Normalized, normalize
from dotterel.times.lexicon import lexicon_from_sources, load_lexicon, parse_lexicon

D = dt.date
FRI = D(2023, 3, 17)  # the seed article's DCT, a Friday
SUN = D(2023, 3, 19)
NYE = D(2020, 12, 31)  # Thursday, last day of ISO week 2020-W53
NYD = D(2021, 1, 1)  # Friday, still ISO 2020-W53
LEAP_SUN = D(2024, 1, 7)  # Sunday, leap year

# (text, dct, tense, value, first, last, granularity)
CASES: list[tuple[str, dt.date, str | None, str, str, str, str]] = [
    # weekdays: past = on or before the DCT, future = strictly after, "this" on the day = the DCT
    ("Friday", FRI, "past", "2023-03-17", "2023-03-17", "2023-03-17", "day"),
    ("Friday", FRI, None, "2023-03-17", "2023-03-17", "2023-03-17", "day"),
    ("Friday", FRI, "future", "2023-03-24", "2023-03-24", "2023-03-24", "day"),
    ("this Friday", FRI, "future", "2023-03-17", "2023-03-17", "2023-03-17", "day"),
    ("on Thursday", FRI, "past", "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("Thursday", FRI, None, "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("earlier Thursday", FRI, "past", "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("late Tuesday", FRI, "past", "2023-03-14", "2023-03-14", "2023-03-14", "day"),
    ("Monday", FRI, "future", "2023-03-20", "2023-03-20", "2023-03-20", "day"),
    ("Saturday", FRI, "past", "2023-03-11", "2023-03-11", "2023-03-11", "day"),
    ("Saturday", FRI, "future", "2023-03-18", "2023-03-18", "2023-03-18", "day"),
    ("last Friday", FRI, None, "2023-03-10", "2023-03-10", "2023-03-10", "day"),
    ("next Friday", FRI, None, "2023-03-24", "2023-03-24", "2023-03-24", "day"),
    ("this Monday", FRI, None, "2023-03-13", "2023-03-13", "2023-03-13", "day"),
    ("this Saturday", FRI, None, "2023-03-18", "2023-03-18", "2023-03-18", "day"),
    ("Monday next week", FRI, None, "2023-03-20", "2023-03-20", "2023-03-20", "day"),
    ("Thursday's", FRI, "past", "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("Sunday", SUN, "past", "2023-03-19", "2023-03-19", "2023-03-19", "day"),
    ("Sunday", SUN, "future", "2023-03-26", "2023-03-26", "2023-03-26", "day"),
    ("last Sunday", SUN, None, "2023-03-12", "2023-03-12", "2023-03-12", "day"),
    ("Monday", SUN, "future", "2023-03-20", "2023-03-20", "2023-03-20", "day"),
    ("Friday", NYD, "past", "2021-01-01", "2021-01-01", "2021-01-01", "day"),
    ("Monday", NYD, "past", "2020-12-28", "2020-12-28", "2020-12-28", "day"),
    ("Friday", NYE, "future", "2021-01-01", "2021-01-01", "2021-01-01", "day"),
    # parts of day and deictic days
    ("Monday night", FRI, "past", "2023-03-13TNI", "2023-03-13", "2023-03-13", "part"),
    ("on Thursday evening", FRI, "past", "2023-03-16TEV", "2023-03-16", "2023-03-16", "part"),
    ("today", FRI, None, "2023-03-17", "2023-03-17", "2023-03-17", "day"),
    ("yesterday", NYD, None, "2020-12-31", "2020-12-31", "2020-12-31", "day"),
    ("tomorrow", NYE, None, "2021-01-01", "2021-01-01", "2021-01-01", "day"),
    ("tonight", FRI, None, "2023-03-17TNI", "2023-03-17", "2023-03-17", "part"),
    ("this morning", FRI, None, "2023-03-17TMO", "2023-03-17", "2023-03-17", "part"),
    ("this afternoon", FRI, None, "2023-03-17TAF", "2023-03-17", "2023-03-17", "part"),
    ("last night", FRI, None, "2023-03-16TNI", "2023-03-16", "2023-03-16", "part"),
    ("yesterday afternoon", FRI, None, "2023-03-16TAF", "2023-03-16", "2023-03-16", "part"),
    ("the day before yesterday", FRI, None, "2023-03-15", "2023-03-15", "2023-03-15", "day"),
    ("3 p.m. Thursday", FRI, "past", "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    # weeks (ISO) and weekends
    ("next week", FRI, None, "2023-W12", "2023-03-20", "2023-03-26", "week"),
    ("early next week", FRI, "future", "2023-W12", "2023-03-20", "2023-03-26", "week"),
    ("this week", FRI, None, "2023-W11", "2023-03-13", "2023-03-19", "week"),
    ("later this week", FRI, "future", "2023-W11", "2023-03-18", "2023-03-19", "week"),  # from the day after the DCT
    ("last week", FRI, None, "2023-W10", "2023-03-06", "2023-03-12", "week"),
    ("next week", SUN, None, "2023-W12", "2023-03-20", "2023-03-26", "week"),
    ("this week", SUN, None, "2023-W11", "2023-03-13", "2023-03-19", "week"),
    ("next week", NYE, None, "2021-W01", "2021-01-04", "2021-01-10", "week"),
    ("this week", NYD, None, "2020-W53", "2020-12-28", "2021-01-03", "week"),
    ("last week", NYD, None, "2020-W52", "2020-12-21", "2020-12-27", "week"),
    ("next week", LEAP_SUN, None, "2024-W02", "2024-01-08", "2024-01-14", "week"),
    ("this weekend", FRI, None, "2023-W11-WE", "2023-03-18", "2023-03-19", "weekend"),
    ("over the weekend", FRI, "past", "2023-W10-WE", "2023-03-11", "2023-03-12", "weekend"),
    ("the weekend", FRI, "future", "2023-W11-WE", "2023-03-18", "2023-03-19", "weekend"),
    ("the weekend", SUN, "past", "2023-W11-WE", "2023-03-18", "2023-03-19", "weekend"),
    ("last weekend", LEAP_SUN, None, "2023-W52-WE", "2023-12-30", "2023-12-31", "weekend"),
    # months
    ("last month", FRI, None, "2023-02", "2023-02-01", "2023-02-28", "month"),
    ("next month", FRI, None, "2023-04", "2023-04-01", "2023-04-30", "month"),
    ("this month", FRI, None, "2023-03", "2023-03-01", "2023-03-31", "month"),
    ("earlier this month", FRI, "past", "2023-03", "2023-03-01", "2023-03-16", "month"),  # up to the day before
    ("next month", NYE, None, "2021-01", "2021-01-01", "2021-01-31", "month"),
    ("last month", NYD, None, "2020-12", "2020-12-01", "2020-12-31", "month"),
    # years
    ("last year", FRI, None, "2022", "2022-01-01", "2022-12-31", "year"),
    ("next year", FRI, None, "2024", "2024-01-01", "2024-12-31", "year"),
    ("this year", FRI, None, "2023", "2023-01-01", "2023-12-31", "year"),
    ("earlier this year", FRI, "past", "2023", "2023-01-01", "2023-03-16", "year"),
    ("next year", NYE, None, "2021", "2021-01-01", "2021-12-31", "year"),
    # "last <Month>" = that month of DCT.year - 1; "next <Month>" = DCT.year + 1
    ("last February", FRI, "past", "2022-02", "2022-02-01", "2022-02-28", "month"),
    ("last March", FRI, None, "2022-03", "2022-03-01", "2022-03-31", "month"),
    ("last November", FRI, None, "2022-11", "2022-11-01", "2022-11-30", "month"),
    ("last December", NYD, None, "2020-12", "2020-12-01", "2020-12-31", "month"),
    ("next April", FRI, None, "2024-04", "2024-04-01", "2024-04-30", "month"),
    ("this May", FRI, "past", "2023-05", "2023-05-01", "2023-05-31", "month"),
    ("February last year", FRI, None, "2022-02", "2022-02-01", "2022-02-28", "month"),
    ("last February", LEAP_SUN, None, "2023-02", "2023-02-01", "2023-02-28", "month"),
    ("this February", LEAP_SUN, None, "2024-02", "2024-02-01", "2024-02-29", "month"),
    # bare months by tense (unknown: nearest, ties to the DCT's year)
    ("in March", FRI, None, "2023-03", "2023-03-01", "2023-03-31", "month"),
    ("in May", FRI, "past", "2022-05", "2022-05-01", "2022-05-31", "month"),
    ("in May", FRI, "future", "2023-05", "2023-05-01", "2023-05-31", "month"),
    ("in May", FRI, None, "2023-05", "2023-05-01", "2023-05-31", "month"),
    ("in September", FRI, None, "2023-09", "2023-09-01", "2023-09-30", "month"),
    ("in December", FRI, None, "2022-12", "2022-12-01", "2022-12-31", "month"),
    ("in January", NYE, None, "2021-01", "2021-01-01", "2021-01-31", "month"),
    ("in January", NYE, "past", "2020-01", "2020-01-01", "2020-01-31", "month"),
    ("in mid-March", FRI, None, "2023-03", "2023-03-11", "2023-03-20", "month"),  # early/mid/late narrow a month
    ("late March", FRI, None, "2023-03", "2023-03-21", "2023-03-31", "month"),
    ("the end of last month", FRI, None, "2023-02", "2023-02-21", "2023-02-28", "month"),
    # absolute and partial calendar dates
    ("in March 2022", FRI, None, "2022-03", "2022-03-01", "2022-03-31", "month"),
    ("March of 2022", FRI, None, "2022-03", "2022-03-01", "2022-03-31", "month"),
    ("March 16", FRI, "past", "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("on March 16", FRI, None, "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("March 20", FRI, "past", "2022-03-20", "2022-03-20", "2022-03-20", "day"),
    ("March 20", FRI, None, "2023-03-20", "2023-03-20", "2023-03-20", "day"),
    ("March 16", FRI, "future", "2023-03-16", "2023-03-16", "2023-03-16", "day"),  # a year ahead is too far: nearest
    ("December 28", NYD, None, "2020-12-28", "2020-12-28", "2020-12-28", "day"),
    ("January 5", NYE, None, "2021-01-05", "2021-01-05", "2021-01-05", "day"),
    ("February 29", LEAP_SUN, None, "2024-02-29", "2024-02-29", "2024-02-29", "day"),
    ("March 16, 2023", FRI, None, "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("16 March 2023", FRI, None, "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("2023-03-16", FRI, None, "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("Thursday, March 16", FRI, None, "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("the 16th of March", FRI, None, "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("Mar. 16, 2023", FRI, None, "2023-03-16", "2023-03-16", "2023-03-16", "day"),
    ("in 2022", FRI, None, "2022", "2022-01-01", "2022-12-31", "year"),
    ("early 2022", FRI, None, "2022", "2022-01-01", "2022-12-31", "year"),
    ("in the 1990s", FRI, None, "199X", "1990-01-01", "1999-12-31", "decade"),
    ("the 1990's", FRI, None, "199X", "1990-01-01", "1999-12-31", "decade"),
    # offsets from the DCT
    ("two days ago", FRI, "past", "2023-03-15", "2023-03-15", "2023-03-15", "day"),
    ("three weeks ago", FRI, "past", "2023-02-24", "2023-02-24", "2023-02-24", "day"),  # exactly 21 days back
    ("a year ago", FRI, "past", "2022", "2022-01-01", "2022-12-31", "year"),
    ("two months ago", FRI, None, "2023-01", "2023-01-01", "2023-01-31", "month"),
    ("two weeks ago", NYD, None, "2020-12-18", "2020-12-18", "2020-12-18", "day"),
    ("in two weeks", FRI, "future", "2023-W13", "2023-03-27", "2023-04-02", "week"),
    ("in three days", FRI, "future", "2023-03-20", "2023-03-20", "2023-03-20", "day"),
    ("in two weeks' time", FRI, "future", "2023-W13", "2023-03-27", "2023-04-02", "week"),
    # ranges: one interval
    ("from Monday to Wednesday", FRI, "future", "2023-03-20/2023-03-22", "2023-03-20", "2023-03-22", "range"),
    ("Monday to Wednesday", FRI, "future", "2023-03-20/2023-03-22", "2023-03-20", "2023-03-22", "range"),
    ("from Monday to Wednesday", FRI, "past", "2023-03-13/2023-03-15", "2023-03-13", "2023-03-15", "range"),
    ("Monday-Wednesday", FRI, "future", "2023-03-20/2023-03-22", "2023-03-20", "2023-03-22", "range"),
    ("from Friday to Monday", FRI, "future", "2023-03-24/2023-03-27", "2023-03-24", "2023-03-27", "range"),
    ("from Monday to Wednesday last week", FRI, "past", "2023-03-06/2023-03-08", "2023-03-06", "2023-03-08", "range"),
    ("between March 3 and 5", FRI, None, "2023-03-03/2023-03-05", "2023-03-03", "2023-03-05", "range"),
    ("March 20-22", FRI, "future", "2023-03-20/2023-03-22", "2023-03-20", "2023-03-22", "range"),
    ("March 20–22", FRI, None, "2023-03-20/2023-03-22", "2023-03-20", "2023-03-22", "range"),
    ("March 20-22", FRI, "past", "2022-03-20/2022-03-22", "2022-03-20", "2022-03-22", "range"),
    ("3-5 March 2023", FRI, None, "2023-03-03/2023-03-05", "2023-03-03", "2023-03-05", "range"),
    ("from March 3 until March 5, 2022", FRI, None, "2022-03-03/2022-03-05", "2022-03-03", "2022-03-05", "range"),
    ("March 3 to April 5, 2022", FRI, None, "2022-03-03/2022-04-05", "2022-03-03", "2022-04-05", "range"),
    ("from November to February", FRI, "past", "2022-11/2023-02", "2022-11-01", "2023-02-28", "range"),
    ("December 28 to January 3", NYE, None, "2020-12-28/2021-01-03", "2020-12-28", "2021-01-03", "range"),
    ("between 2019 and 2021", FRI, None, "2019/2021", "2019-01-01", "2021-12-31", "range"),
    ("2020-21", FRI, None, "2020/2021", "2020-01-01", "2021-12-31", "range"),
    # seasons (meteorological; winter named after its December)
    ("last spring", FRI, None, "2022-SP", "2022-03-01", "2022-05-31", "season"),
    ("this spring", FRI, None, "2023-SP", "2023-03-01", "2023-05-31", "season"),
    ("this summer", FRI, None, "2023-SU", "2023-06-01", "2023-08-31", "season"),
    ("next summer", FRI, None, "2023-SU", "2023-06-01", "2023-08-31", "season"),
    ("in autumn 2021", FRI, None, "2021-FA", "2021-09-01", "2021-11-30", "season"),
    ("fall 2021", FRI, None, "2021-FA", "2021-09-01", "2021-11-30", "season"),
    ("the summer of 2021", FRI, None, "2021-SU", "2021-06-01", "2021-08-31", "season"),
    ("last winter", FRI, None, "2022-WI", "2022-12-01", "2023-02-28", "season"),
    ("next winter", FRI, None, "2023-WI", "2023-12-01", "2024-02-29", "season"),
    ("last winter", NYD, None, "2019-WI", "2019-12-01", "2020-02-29", "season"),
    ("this winter", NYD, None, "2020-WI", "2020-12-01", "2021-02-28", "season"),
    ("last summer", NYD, None, "2020-SU", "2020-06-01", "2020-08-31", "season"),
    # quarters and halves
    ("the first quarter", FRI, None, "2023-Q1", "2023-01-01", "2023-03-31", "quarter"),
    ("the third quarter", FRI, "past", "2022-Q3", "2022-07-01", "2022-09-30", "quarter"),
    ("the third quarter", FRI, "future", "2023-Q3", "2023-07-01", "2023-09-30", "quarter"),
    ("Q3 2022", FRI, None, "2022-Q3", "2022-07-01", "2022-09-30", "quarter"),
    ("the 2nd quarter of 2021", FRI, None, "2021-Q2", "2021-04-01", "2021-06-30", "quarter"),
    ("the fourth quarter of last year", FRI, None, "2022-Q4", "2022-10-01", "2022-12-31", "quarter"),
    ("last quarter", FRI, None, "2022-Q4", "2022-10-01", "2022-12-31", "quarter"),
    ("next quarter", NYE, None, "2021-Q1", "2021-01-01", "2021-03-31", "quarter"),
    ("the first half of 2022", FRI, None, "2022-H1", "2022-01-01", "2022-06-30", "half"),
]


@pytest.mark.parametrize(("text", "dct", "tense", "value", "first", "last", "gran"), CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}" for c in CASES])
def test_normalize(text: str, dct: dt.date, tense: str | None, value: str, first: str, last: str, gran: str) -> None:
    n = normalize(text, dct, tense)
    assert n is not None, text
    assert (n.value, n.first, n.last, n.granularity) == (value, D.fromisoformat(first), D.fromisoformat(last), gran)
    assert n.anchored


NOT_DATES = [
    # durations
    "for 12 years", "in its second year", "three days of talks", "24 hours", "12 years", "two weeks",
    "the past week", "over the past year", "decades", "weeks", "a 12-year-old",
    # relative to another event
    "weeks before the invasion", "days after the vote", "two days after the vote", "three weeks later",
    "the previous day", "the following week", "that day",
    # vague
    "within days", "in recent weeks", "in the coming days", "recently", "now", "days ago", "soon",
    # bounds
    "before Friday",
    # clock time alone, debris, nonsense
    "at 3 p.m.", "midnight", "March 16, 202300:39", "", "   ", "the week", "February 30, 2023",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert normalize(text, FRI, "past") is None
    assert normalize(text, FRI, "future") is None
    assert normalize(text, FRI, None) is None


def test_in_n_units_needs_future_tense() -> None:
    assert normalize("in 12 years", FRI, None) is None  # "the first visit in 12 years"
    assert normalize("in 12 years", FRI, "past") is None
    assert normalize("in 12 years", FRI, "future").value == "2035"


def test_modifiers_are_reported_and_narrow_only_months() -> None:
    n = normalize("early next week", FRI)
    assert n == Normalized(D(2023, 3, 20), D(2023, 3, 26), "2023-W12", "week", True, "START")
    assert normalize("in mid-March", FRI).mod == "MID"
    assert normalize("late 2022", FRI).mod == "END"
    assert normalize("earlier Thursday", FRI).mod is None
    assert normalize("the end of last month", FRI).mod == "END"


def test_unknown_tense_strings_mean_unknown() -> None:
    assert normalize("Saturday", FRI, "present") == normalize("Saturday", FRI, None)
    assert normalize("Saturday", FRI, "present").first == D(2023, 3, 11)


@pytest.mark.parametrize(("text", "gran"), [
    ("next week", "week"), ("Friday", "day"), ("last February", "month"), ("Monday night", "part"),
    ("from Monday to Wednesday", "range"), ("March 16", "day"), ("two days ago", "day"), ("last spring", "season"),
    ("the first quarter", "quarter"), ("the fourth quarter of last year", "quarter"), ("tonight", "part"),
])  # fmt: skip
def test_relative_without_dct_is_unanchored(text: str, gran: str) -> None:
    assert normalize(text, None, "past") == Normalized(None, None, None, gran, anchored=False)


@pytest.mark.parametrize(("text", "value"), [
    ("March 16, 2023", "2023-03-16"), ("in 2022", "2022"), ("in the 1990s", "199X"), ("Q3 2022", "2022-Q3"),
    ("in autumn 2021", "2021-FA"), ("in March 2022", "2022-03"), ("between 2019 and 2021", "2019/2021"),
    ("3-5 March 2023", "2023-03-03/2023-03-05"),
])  # fmt: skip
def test_absolute_without_dct_still_resolves(text: str, value: str) -> None:
    n = normalize(text, None)
    assert n is not None and n.anchored and n.value == value and n.first is not None


def test_durations_without_dct_are_still_none() -> None:
    assert normalize("for 12 years", None) is None
    assert normalize("weeks before the invasion", None) is None


# --- the word lists -----------------------------------------------------------------------


def test_builtin_lexicon_loads() -> None:
    lex = load_lexicon()
    assert lex.months["sept"] == 9 and lex.weekdays["thursday"] == 3 and lex.seasons["fall"] == "FA"
    assert load_lexicon() is lex  # cached


def _builtin_text() -> str:
    from importlib import resources

    return resources.files("dotterel").joinpath("resources", "times", "expressions.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("edit", "reason"), [
    (lambda t: t.replace("[seasons]", "[months]\nmarzo = 13\n\n[seasons]"), "not one of"),  # names: english/words.toml
    (lambda t: t.replace('winter = "WI"', 'winter = "XX"'), "not one of"),
    (lambda t: t.replace("schema = 1", "schema = 2"), "schema"),
    (lambda t: t.replace("two = 2", "two = -2"), "not one of"),
    (lambda t: t.replace("[numbers]", "[numbers]\nTen = 10"), "lower case"),
    (lambda t: t + "\n[colours]\nred = 1\n", "unknown table"),
    (lambda t: t.replace("two = 2", "two = 2 2"), "expected newline"),  # TOML syntax error
    (lambda t: t.replace('words = ["from", "between"]', "words = []"), "non-empty list"),
    (lambda t: t.replace('"within", "by"]', '"within", "by", "amid"]'), "not in [context_prepositions]"),
])  # fmt: skip
def test_invalid_lexicon_raises_e002(edit, reason: str) -> None:
    with pytest.raises(DotterelError) as err:
        parse_lexicon(edit(_builtin_text()), source="test.toml")
    assert err.value.code == "E002"
    assert "test.toml" in str(err.value)
    assert reason.lower() in str(err.value).lower()
    assert err.value.fields["line"] > 0


def test_invalid_lexicon_reports_the_line() -> None:
    text = _builtin_text().replace('winter = "WI"', 'winter = "XX"')
    with pytest.raises(DotterelError) as err:
        parse_lexicon(text, source="x.toml")
    line = err.value.fields["line"]
    assert text.splitlines()[line - 1].startswith("winter")


def test_user_lexicon_is_merged_over_builtin(tmp_path: Path) -> None:
    (tmp_path / "times").mkdir()
    (tmp_path / "times" / "expressions.toml").write_text('[months]\n"sept." = 9\nmarzo = 3\n', encoding="utf-8")
    lex = load_lexicon((str(tmp_path),))
    assert lex.months["marzo"] == 3 and lex.months["march"] == 3
    assert normalize("in marzo 2022", FRI, lexicon=lex).value == "2022-03"
    assert normalize("in marzo 2022", FRI) is None  # the built-in lexicon is untouched


def test_user_lexicon_errors_name_the_user_file(tmp_path: Path) -> None:
    (tmp_path / "times").mkdir()
    bad = tmp_path / "times" / "expressions.toml"
    bad.write_text('[seasons]\nmonsoon = "MO"\n', encoding="utf-8")
    with pytest.raises(DotterelError) as err:
        load_lexicon((str(tmp_path),))
    assert err.value.fields["path"] == str(bad) and err.value.fields["line"] == 2


def test_lexicon_from_sources_needs_a_source() -> None:
    with pytest.raises(DotterelError):
        lexicon_from_sources([])
