"""Read-side queries for the explorer and analysis: filtered, sorted, counted event lists and
status-aware aggregates that count every party of every side the same way.

Counting rule (tables, charts, network, CSV alike): an event links each country on its actor
side to each country on its recipient side, once per event however many actors of one country
it names. A pair of the same country (a domestic event) is only counted when the event names no
other country: an inter-state clash listed with both countries on both sides is not also a
domestic self-loop. A reciprocal event with all its countries on the actor side links those
countries with each other.

Nothing here writes except :func:`ensure_indexes` (``CREATE INDEX IF NOT EXISTS``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import (
    String,
    and_,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from dotterel.records.models import EventRecord
from dotterel.store import Store
from dotterel.store import schema as S
from dotterel.store.sql import StoredEvent

#: What aggregates count unless told otherwise: events that happened (as stated or as reported).
DEFAULT_STATUSES: tuple[str, ...] = ("asserted", "reported")
SORTS = ("date", "-date", "confidence", "-confidence", "intensity", "-intensity", "type", "published", "-published")

_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_dotterel_web_parties_event ON event_parties (event_id, side, country)",
    "CREATE INDEX IF NOT EXISTS ix_dotterel_web_parties_side ON event_parties (side, country, event_id)",
    "CREATE INDEX IF NOT EXISTS ix_dotterel_web_parties_actor ON event_parties (actor_id, side)",
    "CREATE INDEX IF NOT EXISTS ix_dotterel_web_parties_name ON event_parties (name, side)",
    "CREATE INDEX IF NOT EXISTS ix_dotterel_web_events_status_date ON events (status, date_start)",
    "CREATE INDEX IF NOT EXISTS ix_dotterel_web_events_loc_status ON events (location_country, status, event_type, date_start)",
    "CREATE INDEX IF NOT EXISTS ix_dotterel_web_quotes_speaker ON quotes (speaker_country)",
)


def ensure_indexes(store: Store) -> None:
    """Indexes the explorer's queries use (idempotent; a read-only database is left as it is)."""
    try:
        with store.engine.begin() as conn:
            for stmt in _INDEXES:
                conn.execute(text(stmt))
    except SQLAlchemyError:
        pass


def _plain(alias, column: str) -> ColumnElement[str]:
    """``+alias.column`` (SQLite): the column's value, which the planner cannot look up by index."""
    return type_coerce(literal_column(f'+"{alias.name}"."{column}"'), String)


def _event_id(scan: bool = False) -> ColumnElement[str]:
    """``events.id``, or (``scan``, SQLite) ``+events.id``: the planner then cannot start from the
    id index and reads along another one (the date index), checking each event against the set."""
    return type_coerce(literal_column("+events.id"), String) if scan else S.events.c.id


@dataclass(frozen=True)
class PartyMatch:
    """Which parties one side filter accepts: any of these countries, actor ids or names (lower
    case), optionally only of one sector. Empty sets with no sector match nothing."""

    countries: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # exact stored names
    sector: str | None = None
    any_party: bool = False  # True: only the sector (or nothing) restricts
    name_like: str | None = None  # a substring of the stored name (lower case), for names the gazetteer lacks

    def condition(self, side: str | None, scan: bool = False) -> ColumnElement[bool]:
        """``events.id IN (…)``: one indexed SELECT of the party table per kind of match, united
        (``scan``: the ids are a set each event read along another index is checked against)."""
        from sqlalchemy import union

        p = S.event_parties.c
        base: list = [] if side is None else [p.side == side]
        if self.sector:
            base.append(p.sector == self.sector)
        if scan and self.countries and not (self.ids or self.names or self.name_like or self.any_party):
            # checked per event read along the date index: one probe of the event-id index each (side,
            # country and sector hidden from the planner, which could otherwise probe by country and
            # read every party of that country per event)
            x = S.event_parties.alias("scan_p")
            conds: list[ColumnElement[bool]] = [_plain(x, "country").in_(self.countries)]
            if side is not None:
                conds.append(_plain(x, "side") == side)
            if self.sector:
                conds.append(_plain(x, "sector") == self.sector)
            return exists().where(x.c.event_id == S.events.c.id, *conds)
        parts = []
        if self.countries:
            parts.append(select(p.event_id).where(*base, p.country.in_(self.countries)))
        if self.ids:
            parts.append(select(p.event_id).where(*base, p.actor_id.in_(self.ids)))
        if self.names:
            parts.append(select(p.event_id).where(*base, p.name.in_(self.names)))
        if self.name_like:
            parts.append(select(p.event_id).where(
                *base, func.lower(p.name).like(f"%{like_escape(self.name_like)}%", escape="\\")))
        if not parts:
            if not self.any_party:
                return S.events.c.id.is_(None)  # matches nothing
            parts.append(select(p.event_id).where(*base))
        return _event_id(scan).in_(parts[0] if len(parts) == 1 else union(*parts))


@dataclass(frozen=True)
class EventFilter:
    """Filters shared by the events table, the CSV and every aggregate (all combined with AND)."""

    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # empty: every status
    actor: PartyMatch | None = None
    recipient: PartyMatch | None = None
    party: PartyMatch | None = None  # either side
    location: str | None = None  # country code or place name
    source: str | None = None
    doc_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    q: str | None = None
    pair: tuple[str, str, bool] | None = None  # (a, b, directed): the dyad counting rule

    @property
    def broad(self) -> bool:
        """True when only status, type, date and confidence restrict: most events may match, so
        reading along the date index beats starting from the filters."""
        return not any((self.actor, self.recipient, self.party, self.pair, self.location, self.source, self.doc_id, self.q))

    def conditions(self, unindexed_codes: bool = False, party_scan: bool = False) -> list[ColumnElement[bool]]:
        """WHERE conditions. ``unindexed_codes`` (SQLite): compare status and type as ``+column``
        so the planner reads along another index (date, location) instead of the status one;
        ``party_scan`` (SQLite): the same for the party and pair sets (see :func:`find_events`)."""
        e = S.events.c
        conds: list[ColumnElement[bool]] = []
        status_col: ColumnElement[str] = e.status
        type_col: ColumnElement[str] = e.event_type
        if unindexed_codes:
            status_col = type_coerce(literal_column("+events.status"), String)
            type_col = type_coerce(literal_column("+events.event_type"), String)
        if self.pair:
            conds.append(dyad_condition(*self.pair, scan=party_scan))
        if self.types:
            conds.append(type_col.in_(self.types))
        if self.statuses:
            conds.append(status_col.in_(self.statuses))
        if self.actor:
            conds.append(self.actor.condition("actor", party_scan))
        if self.recipient:
            conds.append(self.recipient.condition("recipient", party_scan))
        if self.party:
            conds.append(self.party.condition(None, party_scan))
        if self.location:
            conds.append(self._location())
        if self.source:
            conds.append(func.lower(e.source) == self.source.lower())
        if self.doc_id:
            conds.append(e.doc_id == self.doc_id)
        conds += self._ranges()
        if self.q:
            conds.append(e.sentence_text.like(f"%{like_escape(self.q)}%", escape="\\"))
        return conds

    def _ranges(self) -> list[ColumnElement[bool]]:
        """The date and confidence bounds."""
        e = S.events.c
        conds: list[ColumnElement[bool]] = []
        if self.date_from:
            conds.append(e.date_start >= self.date_from.isoformat())
        if self.date_to:
            conds.append(e.date_start <= self.date_to.isoformat())
        if self.min_confidence is not None:
            conds.append(e.confidence >= self.min_confidence)
        if self.max_confidence is not None:
            conds.append(e.confidence <= self.max_confidence)
        return conds


    def _location(self) -> ColumnElement[bool]:
        """The country code, or a place name the event's location starts with (any case)."""
        e = S.events.c
        loc = (self.location or "").strip()
        by_name = func.lower(e.record).contains('"location":{"name":"' + loc.lower(), autoescape=True)
        return or_(e.location_country == loc.upper(), by_name)


def like_escape(value: str) -> str:
    """``value`` with LIKE's wildcards (``%``, ``_``) and the escape character taken literally."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _order(sort: str) -> list:
    e = S.events.c
    undated_last = or_(e.date_start.is_(None), e.date_start == "")
    tie = [e.doc_id, e.trigger_start, e.id]
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "date":
        return [undated_last, e.date_start.desc() if desc else e.date_start.asc(), *tie]
    col = {"confidence": e.confidence, "intensity": e.intensity, "type": e.event_type, "published": e.published}[key]
    return [col.desc() if desc else col.asc(), undated_last, e.date_start, *tie]


def _stored(r) -> StoredEvent:
    return StoredEvent(doc_id=r.doc_id, source=r.source, published=r.published,
                       event=EventRecord.model_validate_json(r.record))


# -- rollups: the aggregates read them when the filters are ones they are keyed by ---------------

def rollup_ok(store: Store, f: EventFilter) -> bool:
    """Whether ``f`` restricts only what the rollups are keyed by (type, status, date range)."""
    return store.rollups_ready and not any((f.actor, f.recipient, f.party, f.pair, f.location, f.source, f.doc_id,
                                            f.q, f.min_confidence is not None, f.max_confidence is not None))


def _rollup_conditions(table, f: EventFilter) -> list[ColumnElement[bool]]:
    c = table.c
    conds: list[ColumnElement[bool]] = []
    if f.types:
        conds.append(c.event_type.in_(f.types))
    if f.statuses:
        conds.append(c.status.in_(f.statuses))
    if f.date_from:
        conds.append(c.date_start >= f.date_from.isoformat())
    if f.date_to:  # undated rows ('') are not before any date
        conds.append(and_(c.date_start > "", c.date_start <= f.date_to.isoformat()))
    return conds


def _rollup_dated(store: Store, table, conds: list) -> list[DatedCount]:
    c = table.c
    stmt = (select(c.date_start, c.date_end, c.quad_class, func.sum(c.n).label("n"),
                   func.sum(c.intensity_milli).label("m"))
            .where(*conds, c.date_start > "").group_by(c.date_start, c.date_end, c.quad_class))
    with store.engine.connect() as conn:  # plain tuples from the driver: no Row objects for thousands of rows
        rows = conn.execute(stmt).cursor.fetchall()
    return [DatedCount(start, end or None, int(qc), int(n), int(m) / 1000) for start, end, qc, n, m in rows if n]


def _rollup_undated(store: Store, table, conds: list) -> int:
    c = table.c
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.sum(c.n), 0)).where(*conds, c.date_start == "")).scalar_one())


def _dyad_rows(a: str, b: str, directed: bool) -> list[ColumnElement[bool]]:
    """The rollup rows of the pair under the counting rule (see :data:`~dotterel.store.schema.rollup_dyads`)."""
    D = S.rollup_dyads.c
    c1, c2 = sorted((a, b))
    conds: list[ColumnElement[bool]] = [D.c1 == c1, D.c2 == c2]
    if directed and a != b:
        conds.append(D.dir.in_((1, 3, 4) if a == c1 else (2, 3, 4)))
    return conds


#: Above this many matching events, a filtered total that the rollups cannot give is not counted
#: to the end: the page says "more than" (:func:`count_events_capped`).
COUNT_CAP = 10_000


def count_events(store: Store, f: EventFilter) -> int:
    """The exact number of events matching ``f`` (from the rollups when they can say)."""
    if f.pair and rollup_ok(store, dataclasses.replace(f, pair=None)):
        a, b, directed = f.pair
        D = S.rollup_dyads
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.sum(D.c.n), 0))
                                    .where(*_dyad_rows(a.upper(), b.upper(), directed),
                                           *_rollup_conditions(D, f))).scalar_one())
    if rollup_ok(store, f):
        L = S.rollup_locations if f.date_from or f.date_to else S.rollup_location_totals
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.sum(L.c.n), 0))
                                    .where(*_rollup_conditions(L, f))).scalar_one())
    selective = store.engine.dialect.name == "sqlite" and not f.broad
    stmt = select(func.count()).select_from(S.events).where(*f.conditions(unindexed_codes=selective))
    with store.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def count_events_capped(store: Store, f: EventFilter, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """``(total, exact)``: exact from the rollups when the filters allow, else counted up to
    ``cap`` + 1 rows (``exact`` is False when there are more than ``cap``)."""
    if rollup_ok(store, f) or (f.pair and rollup_ok(store, dataclasses.replace(f, pair=None))):
        return count_events(store, f), True
    selective = store.engine.dialect.name == "sqlite" and not f.broad
    inner = select(S.events.c.id).where(*f.conditions(unindexed_codes=selective)).limit(cap + 1).subquery()
    with store.engine.connect() as conn:
        n = int(conn.execute(select(func.count()).select_from(inner)).scalar_one())
    return (cap, False) if n > cap else (n, True)


def _along_index(store: Store, f: EventFilter, sort: str = "date") -> bool:
    """Whether to hide the status/type indexes from SQLite's planner: when a party, pair,
    document or location filter is more selective, or when reading along the date index."""
    if store.engine.dialect.name != "sqlite":
        return False
    selective = any((f.actor, f.recipient, f.party, f.pair, f.doc_id, f.location))
    return selective or (f.broad and sort.lstrip("-") == "date")


#: A page ordered by date is read along the date index, each event checked against the party or
#: pair set, when the rollups say that reaching it takes fewer than this many events (SQLite):
#: at 1M events, 50 events of a country on a fifth of them took ~360 ms through the id set (every
#: id looked up, then sorted by date) and a few ms along the dates.
DATE_SCAN_ROWS = 50_000


def _scan_dates(store: Store, f: EventFilter, needed: int) -> bool:
    """Whether the first ``needed`` events matching ``f`` (by date) are cheaper to find along the
    date index: ``f`` restricts parties or a pair by country (and perhaps status and type) only,
    and the rollups' counts put ``needed / share`` under :data:`DATE_SCAN_ROWS`."""
    if store.engine.dialect.name != "sqlite" or not store.rollups_ready or f.broad:
        return False
    matches = [m for m in (f.actor, f.recipient, f.party) if m is not None]
    if any(m.ids or m.names or m.name_like or m.sector or m.any_party or not m.countries for m in matches):
        return False
    if any((f.location, f.source, f.doc_id, f.q, f.date_from, f.date_to, f.min_confidence is not None,
            f.max_confidence is not None)):
        return False
    with store.engine.connect() as conn:
        share, total = _rollup_share(conn, f, matches)
    # reading the set costs about its size (share × total ids looked up, then sorted), the scan
    # about needed / share events at ~1.5× the cost per row (measured at 1M events)
    return share > 0 and needed / share <= min(DATE_SCAN_ROWS, share * total / 2)


def _rollup_share(conn, f: EventFilter, matches: list[PartyMatch]) -> tuple[float, int]:
    """An upper bound of the share of stored events that match ``f`` (its parties or pair taken
    on any side, status and type as counted), from the rollups; and the number of events."""
    T = S.rollup_location_totals.c
    total = int(conn.execute(select(func.coalesce(func.sum(T.n), 0))).scalar_one())
    if not total:
        return 0.0, 0
    kept = conn.execute(select(func.coalesce(func.sum(T.n), 0)).where(*_rollup_conditions(S.rollup_location_totals, f))
                        ).scalar_one()
    shares = [kept / total]
    for m in matches:
        C = S.rollup_countries.c
        n = conn.execute(select(func.coalesce(func.sum(C.n), 0)).where(C.country.in_(m.countries))).scalar_one()
        shares.append(n / total)
    if f.pair:
        D = S.rollup_dyad_totals.c
        c1, c2 = sorted((f.pair[0].upper(), f.pair[1].upper()))
        n = conn.execute(select(func.coalesce(func.sum(D.n), 0)).where(D.c1 == c1, D.c2 == c2)).scalar_one()
        shares.append(n / total)
    return min(shares), total


def find_events(store: Store, f: EventFilter, sort: str = "date", limit: int = 50, offset: int = 0) -> list[StoredEvent]:
    """One page of events, undated ones last whatever the order.

    Ordered by date, the dated events are read along the date index and the undated ones only
    when the page reaches them, so the first pages of a large store do not sort every row."""
    e = S.events.c
    cols = (e.doc_id, e.source, e.published, e.record)
    scan = sort.lstrip("-") == "date" and _scan_dates(store, f, offset + limit)
    conds = f.conditions(unindexed_codes=scan or _along_index(store, f, sort), party_scan=scan)
    with store.engine.connect() as conn:
        if sort.lstrip("-") != "date":
            stmt = select(*cols).where(*conds).order_by(*_order(sort)).limit(limit).offset(offset)
            return [_stored(r) for r in conn.execute(stmt)]
        dated = e.date_start > ""
        when = e.date_start.desc() if sort.startswith("-") else e.date_start.asc()
        tie = (e.doc_id, e.trigger_start, e.id)
        rows = list(conn.execute(select(*cols).where(*conds, dated).order_by(when, *tie).limit(limit).offset(offset)))
        if len(rows) < limit:
            n_dated = offset + len(rows) if rows else int(conn.execute(
                select(func.count()).select_from(S.events).where(*conds, dated)).scalar_one())
            undated = or_(e.date_start.is_(None), e.date_start == "")
            rows += list(conn.execute(select(*cols).where(*conds, undated).order_by(*tie)
                                      .limit(limit - len(rows)).offset(max(0, offset - n_dated))))
        return [_stored(r) for r in rows]


@dataclass(frozen=True)
class EventRow:
    """An event with its document's title and URL (for the CSV)."""

    stored: StoredEvent
    title: str | None
    url: str | None


def iter_event_rows(store: Store, f: EventFilter, sort: str = "date", limit: int = 100_000, offset: int = 0,
                    batch: int = 1000) -> Iterator[EventRow]:
    """Events one by one, read from the database in batches (memory does not grow with ``limit``)."""
    e, d = S.events.c, S.documents.c
    stmt = (select(e.doc_id, e.source, e.published, e.record, d.title, d.url)
            .select_from(S.events.outerjoin(S.documents, d.id == e.doc_id))
            .where(*f.conditions()).order_by(*_order(sort)).limit(limit).offset(offset))
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(stmt)
        for part in result.partitions(batch):
            for r in part:
                yield EventRow(_stored(r), r.title, r.url)


# -- aggregates -----------------------------------------------------------------------------------

def _party_rows(side: str | None, country: str) -> ColumnElement[bool]:
    p = S.event_parties.c
    conds = [p.country == country] if side is None else [p.side == side, p.country == country]
    return S.events.c.id.in_(select(p.event_id).where(*conds))


def _no_country_but(country: str) -> ColumnElement[bool]:
    p = S.event_parties.c
    return ~exists().where(p.event_id == S.events.c.id, p.country.is_not(None), p.country != "", p.country != country)


def _no_recipient_country() -> ColumnElement[bool]:
    p = S.event_parties.c
    return ~exists().where(p.event_id == S.events.c.id, p.side == "recipient", p.country.is_not(None), p.country != "")


def dyad_ids(a: str, b: str, directed: bool = False):
    """The ids of the events linking country ``a`` to ``b`` under the counting rule (both
    directions unless ``directed``), as a SELECT over the (indexed) party table."""
    from sqlalchemy import intersect, union

    p = S.event_parties

    def one_way(x: str, y: str):
        pa, pr = p.alias(), p.alias()
        return (select(pa.c.event_id).select_from(pa.join(pr, pr.c.event_id == pa.c.event_id))
                .where(pa.c.side == "actor", pa.c.country == x, pr.c.side == "recipient", pr.c.country == y))

    if a == b:
        px, pa, pr = p.alias(), p.alias(), p.alias()
        other = ~exists().where(px.c.event_id == pa.c.event_id, px.c.country.is_not(None), px.c.country != "",
                                px.c.country != a)
        return (select(pa.c.event_id).select_from(pa.join(pr, pr.c.event_id == pa.c.event_id))
                .where(pa.c.side == "actor", pa.c.country == a, pr.c.side == "recipient", pr.c.country == a, other)
                .distinct())  # a country named twice on a side is still one event
    pc, px = p.c, p.alias()
    both = intersect(select(pc.event_id).where(pc.side == "actor", pc.country == a),
                     select(pc.event_id).where(pc.side == "actor", pc.country == b)).subquery()
    no_recipient = ~exists().where(px.c.event_id == both.c.event_id, px.c.side == "recipient",
                                   px.c.country.is_not(None), px.c.country != "")
    together = (select(both.c.event_id).select_from(both.join(S.events, S.events.c.id == both.c.event_id))
                .where(S.events.c.reciprocal.is_(True), no_recipient))
    parts = [one_way(a, b), together] if directed else [one_way(a, b), one_way(b, a), together]
    return union(*parts)


def country_ids(country: str):
    """The ids of the events with ``country`` on either side (each once)."""
    p = S.event_parties.c
    return select(p.event_id).where(p.side.in_(("actor", "recipient")), p.country == country).distinct()


def dyad_condition(a: str, b: str, directed: bool = False, scan: bool = False) -> ColumnElement[bool]:
    """Events linking country ``a`` to ``b`` under the counting rule, as a WHERE condition
    (``scan``: the same rule checked per event, for events read along another index)."""
    if scan:
        return _dyad_per_event(a, b, directed)
    return S.events.c.id.in_(dyad_ids(a, b, directed))


def _dyad_per_event(a: str, b: str, directed: bool) -> ColumnElement[bool]:
    """:func:`dyad_ids`' counting rule as correlated conditions on one event (a few probes of
    the party index per event instead of the pair's whole id set)."""
    p = S.event_parties
    names = iter(range(8))

    def has(side: str, country: str) -> ColumnElement[bool]:
        x = p.alias(f"scan_p{next(names)}")  # probed by event id only (see PartyMatch.condition)
        return exists().where(x.c.event_id == S.events.c.id, _plain(x, "side") == side, _plain(x, "country") == country)

    def other_than(country: str, side: str | None = None) -> ColumnElement[bool]:
        x = p.alias(f"scan_p{next(names)}")
        c = _plain(x, "country")
        conds = [x.c.event_id == S.events.c.id, c.is_not(None), c != "", c != country]
        if side is not None:
            conds = [x.c.event_id == S.events.c.id, _plain(x, "side") == side, c.is_not(None), c != ""]
        return exists().where(*conds)

    if a == b:
        return and_(has("actor", a), has("recipient", a), ~other_than(a))
    together = and_(S.events.c.reciprocal.is_(True), has("actor", a), has("actor", b), ~other_than(a, "recipient"))
    parts = [and_(has("actor", a), has("recipient", b)), together]
    if not directed:
        parts.insert(1, and_(has("actor", b), has("recipient", a)))
    return or_(*parts)


class DatedCount(NamedTuple):
    """Events sharing one date range and quad class (the unit the timelines are drawn from; a
    named tuple: thousands are made per timeline, and a frozen dataclass costs ~4x more each)."""

    start: str
    end: str | None
    quad_class: int
    count: int  # type: ignore[assignment]  # the field shadows tuple.count, as the dataclass it replaces had it
    total_intensity: float


def _dated_counts(store: Store, conds: list, ids=None) -> list[DatedCount]:
    """Counts per (date range, quad class); ``ids`` (a SELECT of event ids) drives the query from
    the party index instead of scanning the events."""
    e = S.events.c
    qc = func.coalesce(e.quad_class, 0)
    stmt = (select(e.date_start, e.date_end, qc.label("qc"), func.count().label("n"),
                   func.sum(func.coalesce(e.intensity, 0.0)).label("total"))
            .where(*conds, e.date_start.is_not(None), e.date_start != "")
            .group_by(e.date_start, e.date_end, qc))
    if ids is not None:
        sub = ids.subquery("ids")
        stmt = stmt.select_from(sub.join(S.events, S.events.c.id == sub.c.event_id))
    with store.engine.connect() as conn:
        return [DatedCount(r.date_start, r.date_end, int(r.qc), int(r.n), float(r.total or 0.0)) for r in conn.execute(stmt)]


def dyad_counts(store: Store, a: str, b: str, f: EventFilter, directed: bool = False) -> list[DatedCount]:
    """Dated events linking ``a`` and ``b`` (the rollup when the filters allow, else the events)."""
    a, b = a.upper(), b.upper()
    if rollup_ok(store, f):
        return _rollup_dated(store, S.rollup_dyads, [*_dyad_rows(a, b, directed), *_rollup_conditions(S.rollup_dyads, f)])
    return _dated_counts(store, f.conditions(), dyad_ids(a, b, directed))


def dyad_undated(store: Store, a: str, b: str, f: EventFilter, directed: bool = False) -> int:
    """Undated events linking ``a`` and ``b``."""
    a, b = a.upper(), b.upper()
    if rollup_ok(store, f):
        return _rollup_undated(store, S.rollup_dyads, [*_dyad_rows(a, b, directed),
                                                       *_rollup_conditions(S.rollup_dyads, f)])
    return undated_count(store, f, dyad_ids(a, b, directed))


def country_counts(store: Store, country: str, f: EventFilter) -> list[DatedCount]:
    """Dated events with ``country`` on either side (each event once)."""
    country = country.upper()
    if rollup_ok(store, f):
        RC = S.rollup_countries
        return _rollup_dated(store, RC, [RC.c.country == country, *_rollup_conditions(RC, f)])
    return _dated_counts(store, f.conditions(), country_ids(country))


def undated_count(store: Store, f: EventFilter, ids=None) -> int:
    """Events matching ``f`` (and among ``ids``, a SELECT of event ids) that have no date."""
    e = S.events.c
    stmt = select(func.count()).where(*f.conditions(), or_(e.date_start.is_(None), e.date_start == ""))
    if ids is not None:
        sub = ids.subquery("ids")
        stmt = stmt.select_from(sub.join(S.events, S.events.c.id == sub.c.event_id))
    else:
        stmt = stmt.select_from(S.events)
    with store.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def document_volume(store: Store) -> dict[str, int]:
    """Documents per publication day (the denominator of the monadic timeline)."""
    d = S.documents.c
    stmt = select(d.published, func.count()).where(d.published.is_not(None), d.published != "").group_by(d.published)
    with store.engine.connect() as conn:
        return {r[0]: int(r[1]) for r in conn.execute(stmt)}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    count: int
    mean_intensity: float


def network_edges(store: Store, f: EventFilter, domestic: str = "include", limit: int = 200) -> list[Edge]:
    """Directed country pairs with the number of events linking them (the counting rule above)
    and their mean intensity, most events first. ``domestic``: include, exclude or only."""
    if rollup_ok(store, f):
        return _rollup_edges(store, f, domestic, limit)
    e, p = S.events.c, S.event_parties
    pa, pr, px = p.alias("pa"), p.alias("pr"), p.alias("px")
    self_ok = ~exists().where(px.c.event_id == e.id, px.c.country.is_not(None), px.c.country != "",
                              px.c.country != pa.c.country)
    pair_rule = {"include": or_(pa.c.country != pr.c.country, self_ok),
                 "exclude": pa.c.country != pr.c.country,
                 "only": and_(pa.c.country == pr.c.country, self_ok)}[domestic]
    conds = f.conditions()
    cross = (select(e.id.label("eid"), pa.c.country.label("src"), pr.c.country.label("dst"),
                    func.max(func.coalesce(e.intensity, 0.0)).label("intensity"))
             .select_from(S.events.join(pa, and_(pa.c.event_id == e.id, pa.c.side == "actor"))
                          .join(pr, and_(pr.c.event_id == e.id, pr.c.side == "recipient")))
             .where(*conds, pa.c.country.is_not(None), pa.c.country != "", pr.c.country.is_not(None),
                    pr.c.country != "", pair_rule)
             .group_by(e.id, pa.c.country, pr.c.country))
    parts = [cross]
    if domestic != "only":
        pb = p.alias("pb")
        together = (select(e.id.label("eid"), pa.c.country.label("src"), pb.c.country.label("dst"),
                           func.max(func.coalesce(e.intensity, 0.0)).label("intensity"))
                    .select_from(S.events.join(pa, and_(pa.c.event_id == e.id, pa.c.side == "actor"))
                                 .join(pb, and_(pb.c.event_id == e.id, pb.c.side == "actor")))
                    .where(*conds, e.reciprocal.is_(True), pa.c.country.is_not(None), pb.c.country.is_not(None),
                           pa.c.country < pb.c.country, _no_recipient_country())
                    .group_by(e.id, pa.c.country, pb.c.country))
        parts.append(together)
    from sqlalchemy import union_all

    pairs = union_all(*parts).subquery() if len(parts) > 1 else cross.subquery()
    stmt = (select(pairs.c.src, pairs.c.dst, func.count().label("n"), func.avg(pairs.c.intensity).label("mean"))
            .group_by(pairs.c.src, pairs.c.dst).order_by(func.count().desc(), pairs.c.src, pairs.c.dst).limit(limit))
    with store.engine.connect() as conn:
        return [Edge(r.src, r.dst, int(r.n), round(float(r.mean or 0.0), 3)) for r in conn.execute(stmt)]


def _rollup_edges(store: Store, f: EventFilter, domestic: str, limit: int) -> list[Edge]:
    D = S.rollup_dyads if f.date_from or f.date_to else S.rollup_dyad_totals
    stmt = (select(D.c.c1, D.c.c2, D.c.dir, func.sum(D.c.n).label("n"), func.sum(D.c.intensity_milli).label("m"))
            .where(*_rollup_conditions(D, f)).group_by(D.c.c1, D.c.c2, D.c.dir))
    if domestic == "exclude":
        stmt = stmt.where(D.c.c1 != D.c.c2)
    elif domestic == "only":
        stmt = stmt.where(D.c.c1 == D.c.c2)
    acc: dict[tuple[str, str], list[int]] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(stmt):
            if r.c1 == r.c2:
                directed = [(r.c1, r.c1)]
            else:  # bit 1: c1 → c2, bit 2: c2 → c1 (both: 3), 4: reciprocal, drawn c1 → c2
                directed = [pair for bit, pair in ((5, (r.c1, r.c2)), (2, (r.c2, r.c1))) if r.dir & bit]
            for pair in directed:
                v = acc.setdefault(pair, [0, 0])
                v[0] += int(r.n)
                v[1] += int(r.m)
    edges = [Edge(s, t, n, round(m / n / 1000, 3)) for (s, t), (n, m) in acc.items() if n > 0]
    edges.sort(key=lambda x: (-x.count, x.source, x.target))
    return edges[:limit]


def location_counts(store: Store, f: EventFilter) -> dict[str, int]:
    """Events per country where they took place (``location.country``), for the map."""
    if rollup_ok(store, f):
        L = S.rollup_locations if f.date_from or f.date_to else S.rollup_location_totals
        stmt = (select(L.c.location, func.sum(L.c.n)).where(*_rollup_conditions(L, f), L.c.location > "")
                .group_by(L.c.location))
        with store.engine.connect() as conn:
            return {r[0]: int(r[1]) for r in conn.execute(stmt) if r[1]}
    e = S.events.c
    stmt = (select(e.location_country, func.count())
            .where(*f.conditions(unindexed_codes=_along_index(store, f)), e.location_country > "")
            .group_by(e.location_country))
    with store.engine.connect() as conn:
        return {r[0]: int(r[1]) for r in conn.execute(stmt)}


def facet(store: Store, column: str, limit: int = 200) -> list[tuple[str, int]]:
    """Distinct values of an events column (source, location_country) with counts, most first."""
    col = S.events.c[column]
    stmt = (select(col, func.count()).where(col.is_not(None), col != "").group_by(col)
            .order_by(func.count().desc(), col).limit(limit))
    with store.engine.connect() as conn:
        return [(r[0], int(r[1])) for r in conn.execute(stmt)]


def known_countries(store: Store) -> set[str]:
    p = S.event_parties.c
    with store.engine.connect() as conn:
        return {r[0] for r in conn.execute(select(p.country).where(p.country.is_not(None)).distinct())}


# -- quotes ---------------------------------------------------------------------------------------

@dataclass
class QuoteRow:
    doc_id: str
    index: int
    text: str
    kind: str | None
    cue: str | None
    channel: str | None
    speaker: str | None
    speaker_country: str | None
    published: str | None
    title: str | None
    source: str | None
    events: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class QuoteFilter:
    speaker: PartyMatch | None = None
    country: str | None = None
    doc_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str | None = None

    def conditions(self) -> list:
        qt, d = S.quotes.c, S.documents.c
        conds: list = []
        if self.speaker:
            who = []
            if self.speaker.countries:
                who.append(qt.speaker_country.in_(self.speaker.countries))
            if self.speaker.names:
                who.append(qt.speaker_name.in_(self.speaker.names))
            if self.speaker.name_like:
                who.append(func.lower(qt.speaker_name).like(f"%{like_escape(self.speaker.name_like)}%", escape="\\"))
            conds.append(or_(*who) if who else qt.doc_id.is_(None))
        if self.country:
            conds.append(qt.speaker_country == self.country.upper())
        if self.doc_id:
            conds.append(qt.doc_id == self.doc_id)
        if self.date_from:
            conds.append(d.published >= self.date_from.isoformat())
        if self.date_to:
            conds.append(d.published <= self.date_to.isoformat())
        if self.q:
            conds.append(qt.text.like(f"%{like_escape(self.q)}%", escape="\\"))
        return conds


def _quote_from():
    return S.quotes.join(S.documents, S.documents.c.id == S.quotes.c.doc_id)


def count_quotes(store: Store, f: QuoteFilter) -> int:
    stmt = select(func.count()).select_from(_quote_from()).where(*f.conditions())
    with store.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def find_quotes(store: Store, f: QuoteFilter, limit: int = 50, offset: int = 0) -> list[QuoteRow]:
    """Quotes, newest documents first, each with the events coded inside it."""
    qt, d, e = S.quotes.c, S.documents.c, S.events.c
    stmt = (select(qt.doc_id, qt.idx, qt.text, qt.kind, qt.cue, qt.channel, qt.speaker_name, qt.speaker_country,
                   d.published, d.title, d.source)
            .select_from(_quote_from()).where(*f.conditions())
            .order_by(func.coalesce(d.published, "").desc(), qt.doc_id, qt.idx).limit(limit).offset(offset))
    with store.engine.connect() as conn:
        rows = [QuoteRow(r.doc_id, int(r.idx), r.text, r.kind, r.cue, r.channel, r.speaker_name, r.speaker_country,
                         r.published, r.title, r.source) for r in conn.execute(stmt)]
        docs = sorted({r.doc_id for r in rows})
        linked: dict[tuple[str, int], list[dict]] = {}
        if docs:
            for r in conn.execute(select(e.doc_id, e.record).where(e.doc_id.in_(docs))):
                ev = EventRecord.model_validate_json(r.record)
                if ev.quote is not None:
                    linked.setdefault((r.doc_id, ev.quote), []).append(
                        {"id": ev.id, "event_type": ev.event_type, "status": ev.status, "date": ev.date.start,
                         "trigger": ev.trigger.text})
    for row in rows:
        row.events = linked.get((row.doc_id, row.index), [])
    return rows


# -- clusters -------------------------------------------------------------------------------------

def _cluster_tables(store: Store):
    from sqlalchemy import inspect

    from dotterel.store.schema import cluster_mentions, event_clusters

    if not inspect(store.engine).has_table("event_clusters"):
        return None
    return event_clusters, cluster_mentions


def find_clusters(store: Store, types: tuple[str, ...] = (), statuses: tuple[str, ...] = (), country: str | None = None,
                  min_articles: int = 1, limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
    """(total, page) of cross-article clusters, most articles first."""
    tables = _cluster_tables(store)
    if tables is None:
        return 0, []
    C = tables[0].c
    conds: list = [C.n_articles >= min_articles]
    if types:
        conds.append(C.event_type.in_(types))
    if statuses:
        conds.append(C.status.in_(statuses))
    if country:
        code = country.upper()
        conds.append(or_(C.actor_countries.contains(code), C.recipient_countries.contains(code)))
    stmt = (select(tables[0]).where(*conds).order_by(C.n_articles.desc(), C.n_mentions.desc(), C.date_start, C.id)
            .limit(limit).offset(offset))
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(tables[0]).where(*conds)).scalar_one())
        return total, [dict(r._mapping) for r in conn.execute(stmt)]


def cluster_detail(store: Store, cluster_id: str) -> tuple[dict, list[dict]] | None:
    tables = _cluster_tables(store)
    if tables is None:
        return None
    C, M = tables
    with store.engine.connect() as conn:
        row = conn.execute(select(C).where(C.c.id == cluster_id)).first()
        if row is None:
            return None
        d = S.documents.c
        # members share the cluster's key and start within its dates (ix_cluster_mentions_key_date);
        # an undated cluster is one undated mention
        m = M.c
        span = (m.date_start.between(row.date_start, row.date_end or row.date_start) if row.date_start is not None
                else m.date_start.is_(None))
        mentions = conn.execute(
            select(M, d.title).select_from(M.outerjoin(S.documents, d.id == m.doc_id))
            .where(m.cluster_key == row.cluster_key, span, m.cluster_id == cluster_id)
            .order_by(m.published, m.doc_id, m.trigger_start)).all()
    return dict(row._mapping), [dict(m._mapping) for m in mentions]


__all__ = [
    "DEFAULT_STATUSES",
    "SORTS",
    "DatedCount",
    "Edge",
    "EventFilter",
    "EventRow",
    "PartyMatch",
    "QuoteFilter",
    "QuoteRow",
    "cluster_detail",
    "count_events",
    "count_quotes",
    "country_counts",
    "country_ids",
    "count_events_capped",
    "dyad_undated",
    "rollup_ok",
    "document_volume",
    "dyad_condition",
    "dyad_counts",
    "dyad_ids",
    "ensure_indexes",
    "facet",
    "find_clusters",
    "find_events",
    "find_quotes",
    "iter_event_rows",
    "known_countries",
    "like_escape",
    "location_counts",
    "network_edges",
    "not_",
    "undated_count",
]
