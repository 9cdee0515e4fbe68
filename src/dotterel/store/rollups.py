"""Rollup tables: event counts per day kept in step with the stored events, so the aggregate
views (dyad and country timelines, network, map, the events page's total) read a few thousand
rows instead of joining a million events with their parties.

Each event adds 1 (and its intensity, in thousandths) to one row per country pair it links
(:data:`~dotterel.store.schema.rollup_dyads`), per country on either side
(:data:`~dotterel.store.schema.rollup_countries`) and to one row for where it took place
(:data:`~dotterel.store.schema.rollup_locations`), under the counting rule of
:mod:`dotterel.store.queries`. :meth:`Store.save_many <dotterel.store.sql.Store.save_many>`
subtracts the rows of a document it replaces and adds the new ones in the same transaction, so
re-saving a document never counts it twice. A store created before the rollups existed gets
them built once when it is opened for writing (:func:`rebuild`); ``store_meta`` records that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Connection, and_, bindparam, delete, select

from dotterel.records.models import EventRecord
from dotterel.store import schema as S
from dotterel.store.bulk import add_rows

#: Bump when the rollups' meaning changes: stores with another version are rebuilt on open.
VERSION = "4"  # 4: the dated rollups keyed by place or pair, then date (schema.py)
META_KEY = "rollups"

_KEY = ("date_start", "date_end", "event_type", "status", "quad_class")
Delta = dict[tuple, list[int]]  # rollup key -> [n, intensity in thousandths]


class EventFacts(NamedTuple):
    """What the rollups need of one event (from a record being saved or from stored rows; a
    named tuple: a frozen dataclass costs several times more to make, once per event)."""

    date_start: str  # '' when undated
    date_end: str
    event_type: str
    status: str
    quad_class: int
    intensity_milli: int
    reciprocal: bool
    location: str  # '' when unknown
    actors: tuple[str, ...]  # distinct actor-side countries
    recipients: tuple[str, ...]

    @property
    def key(self) -> tuple:
        return (self.date_start, self.date_end, self.event_type, self.status, self.quad_class)


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([v for v in values if v]))


def milli(intensity: float | None) -> int:
    return round((intensity or 0.0) * 1000)


def facts_of(e: EventRecord) -> EventFacts:
    return EventFacts(e.date.start or "", e.date.end or "", e.event_type or "", e.status or "", e.quad_class or 0,
                      milli(e.intensity), bool(e.reciprocal), (e.location.country or "") if e.location else "",
                      _distinct(a.country for a in e.actor), _distinct(a.country for a in e.recipient))


def row_facts(ev: tuple, actors: list[str | None], recipients: list[str | None]) -> EventFacts:
    """:func:`facts_of` from an event's ``events`` row (a tuple in the column order of
    ``Store.save_many``'s events rows) and its parties' countries."""
    (_id, _doc, etype, _mode, _cameo, quad, intensity, status, date_start, date_end, _basis, _ac, _rc, _an, _rn,
     reciprocal, *_rest, location, _source, _published, _record) = ev
    return EventFacts(date_start or "", date_end or "", etype or "", status or "", quad or 0, milli(intensity),
                      bool(reciprocal), location or "", _distinct(actors), _distinct(recipients))


def dyad_links(f: EventFacts) -> dict[tuple[str, str], int]:
    """``{(c1, c2): dir}`` for the country pairs the event links (``c1 <= c2``; see the schema)."""
    actors, recipients = f.actors, f.recipients
    if len(actors) == 1 and len(recipients) == 1:  # the common case, as below
        x, y = actors[0], recipients[0]
        return {(x, x): 3} if x == y else {(x, y): 1} if x < y else {(y, x): 2}
    if not recipients and not f.reciprocal:
        return {}
    links: dict[tuple[str, str], int] = defaultdict(int)
    every = set(f.actors) | set(f.recipients)
    for x in f.actors:
        for y in f.recipients:
            if x == y:
                if every == {x}:  # a domestic event only when no other country is named
                    links[(x, x)] = 3
            elif x < y:
                links[(x, y)] |= 1
            else:
                links[(y, x)] |= 2
    if f.reciprocal and not f.recipients:
        ordered = sorted(f.actors)
        for i, x in enumerate(ordered):
            for y in ordered[i + 1:]:
                links[(x, y)] |= 4
    return dict(links)


@dataclass
class Deltas:
    """Changes to the rollups, accumulated over a batch."""

    dyads: Delta
    countries: Delta
    locations: Delta
    dyad_totals: Delta
    location_totals: Delta

    @classmethod
    def empty(cls) -> Deltas:
        return cls(*(defaultdict(lambda: [0, 0]) for _ in range(5)))

    def add(self, f: EventFacts, sign: int = 1) -> None:
        ds, de, et, st, qc, m = f.date_start, f.date_end, f.event_type, f.status, f.quad_class, sign * f.intensity_milli
        dyads, dyad_totals, countries = self.dyads, self.dyad_totals, self.countries
        for (c1, c2), d in dyad_links(f).items():
            for acc in (dyads[(c1, c2, d, ds, de, et, st, qc)], dyad_totals[(c1, c2, d, et, st)]):
                acc[0] += sign
                acc[1] += m
        actors, recipients = f.actors, f.recipients
        every = actors if not recipients else recipients if not actors else _distinct((*actors, *recipients))
        for c in every:
            acc = countries[(c, ds, de, et, st, qc)]
            acc[0] += sign
            acc[1] += m
        loc = f.location
        for acc in (self.locations[(loc, ds, de, et, st, qc)], self.location_totals[(loc, et, st)]):
            acc[0] += sign
            acc[1] += m

    def apply(self, conn: Connection) -> None:
        """Add the accumulated changes to the rollup tables (upserts); drop rows that reach 0."""
        for table, delta, names in ((S.rollup_dyads, self.dyads, ("c1", "c2", "dir", *_KEY)),
                                    (S.rollup_countries, self.countries, ("country", *_KEY)),
                                    (S.rollup_locations, self.locations, ("location", *_KEY)),
                                    (S.rollup_dyad_totals, self.dyad_totals, ("c1", "c2", "dir", "event_type", "status")),
                                    (S.rollup_location_totals, self.location_totals, ("location", "event_type", "status"))):
            _apply(conn, table, delta, names)


def _apply(conn: Connection, table, delta: Delta, cols: tuple[str, ...]) -> None:
    rows = [(*k, v[0], v[1]) for k, v in delta.items() if v[0] or v[1]]
    if not rows:
        return
    add_rows(conn, table, cols, ("n", "intensity_milli"), rows)
    gone = [{f"k_{c}": v for c, v in zip(cols, r, strict=False)} for r in rows if r[-2] < 0]
    if gone:
        match = and_(*(table.c[c] == bindparam(f"k_{c}") for c in cols))
        conn.execute(delete(table).where(match, table.c.n <= 0), gone)


def _chunks(items: Sequence, n: int) -> Iterable[Sequence]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def stored_facts(conn: Connection, doc_ids: Sequence[str]) -> list[EventFacts]:
    """The facts of the events stored for ``doc_ids`` (read before they are replaced)."""
    e, p = S.events.c, S.event_parties.c
    out: list[EventFacts] = []
    for chunk in _chunks(list(doc_ids), 500):
        sides: dict[tuple[str, str], list[str]] = defaultdict(list)
        for pr in conn.execute(select(p.event_id, p.side, p.country).where(p.doc_id.in_(chunk), p.country.is_not(None))):
            sides[(pr.event_id, pr.side)].append(pr.country)
        for r in conn.execute(select(e.id, e.date_start, e.date_end, e.event_type, e.status, e.quad_class, e.intensity,
                                     e.reciprocal, e.location_country).where(e.doc_id.in_(chunk))):
            out.append(EventFacts(r.date_start or "", r.date_end or "", r.event_type or "", r.status or "",
                                  r.quad_class or 0, milli(r.intensity), bool(r.reciprocal), r.location_country or "",
                                  _distinct(sides[(r.id, "actor")]), _distinct(sides[(r.id, "recipient")])))
    return out


def lock(conn: Connection, name: str = "dotterel-rollups") -> None:
    """On PostgreSQL, hold a transaction-scoped advisory lock (released at commit), so that
    processes writing to one store do not interleave a rebuild or a regrouping; SQLite already
    serialises writers."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy import text

        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def is_ready(conn: Connection) -> bool:
    from sqlalchemy import inspect

    if not inspect(conn).has_table(S.store_meta.name):
        return False
    value = conn.execute(select(S.store_meta.c.value).where(S.store_meta.c.key == META_KEY)).scalar()
    return value == VERSION


def rebuild(conn: Connection) -> int:
    """Recompute every rollup from the stored events (the tables are made anew, so a layout from
    an older version is replaced); returns the number of events counted."""
    for t in S.ROLLUPS:
        t.drop(conn, checkfirst=True)
        t.create(conn)
    ids = list(conn.scalars(select(S.documents.c.id)))
    n = 0
    for chunk in _chunks(ids, 2000):
        deltas = Deltas.empty()
        for f in stored_facts(conn, chunk):
            deltas.add(f)
            n += 1
        deltas.apply(conn)
    mark_ready(conn)
    return n


def mark_ready(conn: Connection) -> None:
    conn.execute(delete(S.store_meta).where(S.store_meta.c.key == META_KEY))
    conn.execute(S.store_meta.insert().values(key=META_KEY, value=VERSION))
