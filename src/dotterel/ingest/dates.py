"""The one parser for dates given as values (input records, HTML metadata, the ``--date`` option,
gold files, query filters, ``doc._.dct``): ISO ``YYYY-MM-DD``, optionally followed by a time.

Dates written in running text ("March 17, 2023", "last Friday") are not this module's job: see
:mod:`dotterel.ingest.dateline` (a publication date in the text) and :mod:`dotterel.times`.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: object) -> dt.date | None:
    """A date from ``YYYY-MM-DD`` (optionally followed by a time, e.g. ``2023-03-17T09:30:00Z``),
    a ``date`` or a ``datetime``; None for None or ""; ``ValueError`` for anything else (an
    unreadable value or an impossible day such as 2023-02-30)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    m = _ISO_DAY.match(s)
    if not m:
        raise ValueError(s)
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def date_or_none(value: object) -> dt.date | None:
    """:func:`parse_date`, with None instead of ``ValueError`` for an unreadable value."""
    try:
        return parse_date(value)
    except ValueError:
        return None
