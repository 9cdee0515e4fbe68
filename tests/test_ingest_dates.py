"""ingest.dates: the one parser for dates given as values."""

from __future__ import annotations

import datetime as dt

import pytest

from dotterel.ingest import checks
from dotterel.ingest.dates import date_or_none, parse_date


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-03-17", dt.date(2023, 3, 17)),
    (" 2023-03-17T09:30:00Z", dt.date(2023, 3, 17)),
    ("2023-03-17 09:30", dt.date(2023, 3, 17)),
    (dt.datetime(2023, 3, 17, 23, 59), dt.date(2023, 3, 17)),
    (dt.date(2023, 3, 17), dt.date(2023, 3, 17)),
    (None, None),
    ("", None),
])  # fmt: skip
def test_parse_date_reads_iso_days(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected
    assert date_or_none(value) == expected


@pytest.mark.parametrize("value", ["17/03/2023", "March 17, 2023", "2023-02-30", "20230317", 20230317, "2023-3-17"])
def test_unreadable_values_raise_or_give_none(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)
    assert date_or_none(value) is None


def test_checks_keeps_the_old_name() -> None:
    assert checks.parse_date is parse_date
