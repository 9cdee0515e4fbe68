"""Stored events as pandas DataFrames, for analysis in notebooks.

>>> from dotterel.analysis import events_frame, dyad_series
>>> df = events_frame(store, actor="RUS", date_from="2023-01-01")      # doctest: +SKIP
>>> dyad_series(store, "RUS", "UKR", period="month")                    # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, SupportsInt, cast

from dotterel.errors import DotterelError, ErrorCode
from dotterel.ingest.checks import parse_date

if TYPE_CHECKING:
    import pandas as pd

    from dotterel.store import Store

#: Columns of :func:`events_frame` (the flat export columns, see docs/exports.md).
DYAD_COLUMNS = ("period", "quad_class", "count", "mean_intensity")
_PAGE = 50_000


def _date(value: object, name: str) -> dt.date | None:
    """A date filter through the ingest date parser; a bad value is a query error (E202)."""
    try:
        return parse_date(value)
    except ValueError as exc:
        raise DotterelError(ErrorCode.BAD_QUERY, name=name, reason=f"{value!r} is not YYYY-MM-DD") from exc


def events_frame(store: Store, **filters: object) -> pd.DataFrame:
    """One row per stored event (columns: :data:`dotterel.export.formats.FLAT_COLUMNS`), filtered
    like :meth:`Store.events` — ``actor``, ``recipient``, ``event_type``, ``status``,
    ``date_from``, ``date_to`` (dates or ``YYYY-MM-DD``), ``text``, ``doc_id``,
    ``min_confidence`` — with no row limit unless ``limit`` is given. ``date`` and
    ``published`` are datetime64 columns; codes stay strings."""
    import pandas as pd
    from pydantic import ValidationError

    from dotterel.export.formats import FLAT_COLUMNS, Item, flat_row
    from dotterel.store import EventQuery

    limit = filters.pop("limit", None)
    for name in ("date_from", "date_to"):
        if name in filters:
            filters[name] = _date(filters[name], name)
    unknown = set(filters) - set(EventQuery.model_fields) - {"offset"}
    if unknown:
        raise DotterelError(ErrorCode.BAD_QUERY, name=", ".join(sorted(unknown)), reason="unknown filter")
    rows: list[dict] = []
    offset = int(cast("SupportsInt | str", filters.pop("offset", 0) or 0))
    while True:
        page = _PAGE if limit is None else min(_PAGE, int(cast("SupportsInt | str", limit)) - len(rows))
        if page <= 0:
            break
        try:
            q = EventQuery(**filters, limit=page, offset=offset)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise DotterelError(ErrorCode.BAD_QUERY, name=".".join(str(p) for p in first["loc"]), reason=first["msg"]) from exc
        got = store.events(q)
        rows.extend(flat_row(Item(event=s.event, doc_id=s.doc_id, source=s.source, published=s.published, url=None,
                                  title=None, coded_at=None)) for s in got)
        offset += len(got)
        if len(got) < page:
            break
    df = pd.DataFrame(rows, columns=list(FLAT_COLUMNS))
    for col in ("date", "date_end", "published", "first_seen", "last_seen"):
        df[col] = pd.to_datetime(df[col], errors="coerce")
    for col in ("intensity", "confidence"):
        df[col] = df[col].astype("float64")
    return df


def dyad_series(store: Store, a: str, b: str, period: str = "month", *, both_directions: bool = True,
                statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Events between countries ``a`` and ``b`` per ``period`` (day, week, month, year) and quad
    class: columns ``period``, ``quad_class``, ``count``, ``mean_intensity``, sorted by period.

    Counted like the explorer (:mod:`dotterel.store.queries`): every country of each side, each
    event once per pair, and by default only events that happened (``statuses`` asserted and
    reported; pass ``()`` for every status). Events dated only to a range longer than one period
    (a month when counting weeks) are left out here; the explorer draws them as ranges."""
    import pandas as pd

    from dotterel.store.queries import DEFAULT_STATUSES, EventFilter, dyad_counts
    from dotterel.web.charts import bucket, period_bounds

    if period not in {"day", "week", "month", "year"}:
        raise DotterelError(ErrorCode.BAD_QUERY, name="period", reason="use day, week, month or year")
    f = EventFilter(statuses=DEFAULT_STATUSES if statuses is None else tuple(statuses))
    points, _spread = bucket(dyad_counts(store, a, b, f, directed=not both_directions), period)
    rows = [{"period": p, "quad_class": q, "count": int(v[0]), "mean_intensity": round(v[1] / v[0], 3)}
            for p in sorted(points, key=lambda k: period_bounds(k, period)[0]) for q, v in sorted(points[p].items())]
    df = pd.DataFrame(rows, columns=list(DYAD_COLUMNS))
    return df.astype({"period": "string", "quad_class": "int64", "count": "int64", "mean_intensity": "float64"})
