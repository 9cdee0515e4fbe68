"""The store: save coded documents idempotently and query events, actors and dyad timelines.

``Store("dotterel.db")``, ``Store("sqlite:///path.db")`` or ``Store("postgresql://user@host/db")``.
All SQL goes through SQLAlchemy Core with bound parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import Date, Engine, Text, and_, create_engine, delete, event, func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from dotterel.errors import DotterelError, ErrorCode
from dotterel.records.models import CodedDocument, EventRecord
from dotterel.store import clusters as C
from dotterel.store import rollups as R
from dotterel.store import schema as S
from dotterel.store.bulk import insert_rows


def engine_url(target: str | Path) -> str:
    """A SQLAlchemy URL from a path or URL (``postgresql://`` uses the psycopg 3 driver)."""
    t = str(target)
    if t.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + t.split("://", 1)[1]
    if "://" in t:
        return t
    return f"sqlite:///{Path(t).expanduser()}"


class StoredEvent(BaseModel):
    doc_id: str
    source: str | None = None
    published: str | None = None
    event: EventRecord


class EventQuery(BaseModel):
    """Filters for :meth:`Store.events` (all optional, combined with AND)."""

    actor: str | None = Field(None, description="country code or actor name/id on the actor side")
    recipient: str | None = Field(None, description="country code or actor name/id on the recipient side")
    event_type: str | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str | None = Field(None, description="substring of the sentence")
    doc_id: str | None = None
    min_confidence: float | None = None
    limit: int = Field(100, ge=1, le=100_000)
    offset: int = Field(0, ge=0)


class TimelinePoint(BaseModel):
    period: str
    quad_class: int
    count: int
    mean_intensity: float


class DocumentSummary(BaseModel):
    id: str
    title: str | None
    published: str | None
    source: str | None
    n_events: int
    failed: bool
    errors: list[dict]


class Store:
    def __init__(self, target: str | Path = "dotterel.db", *, create: bool = True) -> None:
        self.url = engine_url(target)
        try:
            kwargs: dict = {"future": True}
            if self.url.startswith("sqlite"):
                kwargs["connect_args"] = {"timeout": 60}
            self.engine: Engine = create_engine(self.url, **kwargs)
            if self.url.startswith("sqlite"):
                event.listen(self.engine, "connect", _sqlite_pragmas)
            self._rollups_ready: bool | None = None
            if create:
                S.upgrade(self.engine)
                widen_id_columns(self.engine)
                self._prepare()
        except (SQLAlchemyError, ImportError, OSError) as exc:
            raise DotterelError(ErrorCode.STORE_UNAVAILABLE, url=str(target), reason=str(exc).splitlines()[0]) from exc

    def _prepare(self) -> None:
        """The rollups of a store created by an older version (built once)."""
        with self.engine.begin() as conn:
            R.lock(conn)  # PostgreSQL: one process builds them, the others then find them ready
            if not R.is_ready(conn):
                R.rebuild(conn)
        self._rollups_ready = True

    def close(self) -> None:
        self.engine.dispose()

    # -- writing ------------------------------------------------------------------------------
    def save(self, coded: CodedDocument, text: str = "") -> None:
        self.save_many([(coded, text)])

    def save_many(self, items: Iterable[tuple[CodedDocument, str]], *, cluster: bool = False) -> int:
        """Save documents in one transaction; a document already stored under the same id has its
        rows replaced, so re-coding is idempotent. Returns the number saved.

        Documents are keyed by id only: two documents with different ids and the same text
        (syndicated copies) are both kept, each with its own source and URL, in one batch or in
        several. An id longer than :data:`~dotterel.store.schema.MAX_ID_BYTES` is stored under
        :func:`~dotterel.store.schema.storage_id` (``coded.doc.id`` is set to it).

        Rows are written table by table for the whole batch (a few statements per batch, not per
        document; no SELECT per row; the records are not validated again). The rollups
        (:mod:`dotterel.store.rollups`) are updated in the same transaction; with ``cluster`` so
        are the event clusters (:mod:`dotterel.store.clusters`), from the new events' date window."""
        batch: dict[str, tuple[CodedDocument, str]] = {}
        for coded, text in items:
            key = S.storage_id(coded.doc.id)
            if key != coded.doc.id:
                coded = coded.model_copy(update={"doc": coded.doc.model_copy(update={"id": key})})
            batch[key] = (coded, text)  # the same document twice in one batch: the last wins
        if not batch:
            return 0
        rows, facts, mentions = self._rows(batch.values(), cluster=cluster)
        with self.engine.begin() as conn:
            existing = self._existing(conn, sorted(batch))
            deltas = R.Deltas.empty()
            for f in R.stored_facts(conn, existing):
                deltas.add(f, -1)
            for f in facts:
                deltas.add(f)
            removed = C.remove_mentions(conn, existing) if existing else []
            for chunk in _chunks(existing):
                for t in S.PER_DOCUMENT:
                    conn.execute(delete(t).where(t.c.doc_id.in_(chunk)))
                conn.execute(delete(S.documents).where(S.documents.c.id.in_(chunk)))
            for name, table_rows in rows.items():
                insert_rows(conn, S.metadata.tables[name], COLUMNS[name], table_rows)
            deltas.apply(conn)
            if cluster or removed:
                C.apply_changes(conn, mentions, removed)
        return len(batch)

    @staticmethod
    def _existing(conn, ids: list[str]) -> list[str]:
        """Which of ``ids`` are stored (one SELECT per 500 ids)."""
        found: list[str] = []
        for chunk in _chunks(ids):
            found += conn.scalars(select(S.documents.c.id).where(S.documents.c.id.in_(chunk)))
        return sorted(found)

    @staticmethod
    def _rows(docs: Iterable[tuple[CodedDocument, str]], *, cluster: bool = False
              ) -> tuple[dict[str, list[tuple]], list[R.EventFacts], list[dict]]:
        """Row tuples per table (columns in the order of :data:`COLUMNS`), the events' rollup
        facts and (with ``cluster``) their cluster-mention rows, in one pass over the records."""
        from dotterel import __version__

        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rows: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
        facts: list[R.EventFacts] = []
        mentions: list[dict] = []
        for coded, text in docs:
            d = coded.doc
            events_json = [e.model_dump_json() for e in coded.events]
            # the whole document as JSON, its events spliced in (serialised once, not twice)
            rest = coded.model_dump_json(exclude={"events"})
            whole = rest[:-1] + ',"events":[' + ",".join(events_json) + "]}"
            rows["documents"].append((
                d.id, d.content_hash, d.title, d.published, d.published_basis, d.source, d.url, text,
                len(coded.events), bool(coded.errors), json.dumps([e.model_dump() for e in coded.errors]),
                whole, now, __version__))
            _child_rows(coded, events_json, rows)
            _event_rows(coded, events_json, rows, facts, mentions if cluster else None)
        return rows, facts, mentions

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Remove documents with all their rows, their share of the rollups and their cluster
        mentions (clusters are regrouped). Returns the number of documents removed."""
        ids = sorted({S.storage_id(i) for i in doc_ids})
        with self.engine.begin() as conn:
            existing = self._existing(conn, ids)
            if not existing:
                return 0
            deltas = R.Deltas.empty()
            for f in R.stored_facts(conn, existing):
                deltas.add(f, -1)
            removed = C.remove_mentions(conn, existing)
            for chunk in _chunks(existing):
                for t in S.PER_DOCUMENT:
                    conn.execute(delete(t).where(t.c.doc_id.in_(chunk)))
                conn.execute(delete(S.documents).where(S.documents.c.id.in_(chunk)))
            deltas.apply(conn)
            if removed:
                C.apply_changes(conn, [], removed)
        return len(existing)

    def rebuild_rollups(self) -> int:
        """Recompute the rollups from the stored events (after rows were written by other means
        than :meth:`save_many`). Returns the number of events counted."""
        with self.engine.begin() as conn:
            return R.rebuild(conn)

    @property
    def rollups_ready(self) -> bool:
        """Whether this database holds current rollups (a store created by an older version and
        opened read-only may not)."""
        if self._rollups_ready is None:
            with self.engine.connect() as conn:
                self._rollups_ready = R.is_ready(conn)
        return self._rollups_ready

    # -- reading ------------------------------------------------------------------------------
    def document(self, doc_id: str) -> tuple[CodedDocument, str] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(S.documents.c.coded, S.documents.c.text)
                               .where(S.documents.c.id == S.storage_id(doc_id))).first()
        if row is None:
            return None
        return CodedDocument.model_validate_json(row.coded), row.text or ""

    def documents(self, limit: int = 100, offset: int = 0, q: str | None = None) -> list[DocumentSummary]:
        d = S.documents.c
        stmt = select(d.id, d.title, d.published, d.source, d.n_events, d.failed, d.errors).order_by(d.published.desc(), d.id)
        if q:  # a substring: % and _ are literal
            stmt = stmt.where(or_(d.title.contains(q, autoescape=True), d.text.contains(q, autoescape=True)))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt.limit(limit).offset(offset)).all()
        return [DocumentSummary(id=r.id, title=r.title, published=r.published, source=r.source, n_events=r.n_events or 0,
                                failed=bool(r.failed), errors=json.loads(r.errors or "[]")) for r in rows]

    def count(self, table: str = "documents") -> int:
        t = S.metadata.tables[table]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t)).scalar_one())

    def _side_filter(self, value: str, side: str):
        p = S.event_parties.c
        match = or_(p.country == value.upper(), p.actor_id == value, func.lower(p.name) == value.lower())
        return S.events.c.id.in_(select(p.event_id).where(and_(p.side == side, match)))

    def _event_select(self, q: EventQuery):
        e = S.events.c
        conds = []
        if q.actor:
            conds.append(self._side_filter(q.actor, "actor"))
        if q.recipient:
            conds.append(self._side_filter(q.recipient, "recipient"))
        if q.event_type:
            conds.append(e.event_type == q.event_type.upper())
        if q.status:
            conds.append(e.status == q.status)
        if q.date_from:
            conds.append(e.date_start >= q.date_from.isoformat())
        if q.date_to:
            conds.append(e.date_start <= q.date_to.isoformat())
        if q.text:  # a substring: % and _ are literal
            conds.append(e.sentence_text.contains(q.text, autoescape=True))
        if q.doc_id:
            conds.append(e.doc_id == S.storage_id(q.doc_id))
        if q.min_confidence is not None:
            conds.append(e.confidence >= q.min_confidence)
        return (select(e.doc_id, e.source, e.published, e.record).where(*conds)
                .order_by(e.date_start, e.doc_id, e.trigger_start, e.id))

    def events(self, query: EventQuery | None = None) -> list[StoredEvent]:
        """One page of events matching ``query`` (``limit``/``offset``), in date order."""
        q = query or EventQuery()
        with self.engine.connect() as conn:
            rows = conn.execute(self._event_select(q).limit(q.limit).offset(q.offset)).all()
        return [_stored_event(r) for r in rows]

    def iter_events(self, batch: int = 5000, query: EventQuery | None = None) -> Iterator[StoredEvent]:
        """Every event matching ``query`` (its ``limit`` and ``offset`` are ignored), in date order,
        streamed from one query ``batch`` rows at a time (no paging: cost linear in the result)."""
        stmt = self._event_select(query or EventQuery())
        with self.engine.connect() as conn:
            for part in conn.execution_options(stream_results=True, yield_per=batch).execute(stmt).partitions(batch):
                for r in part:
                    yield _stored_event(r)

    def dyad_timeline(self, a: str, b: str, period: str = "week", both_directions: bool = True) -> list[TimelinePoint]:
        """Events per period and quad class between two countries, with mean intensity."""
        e = S.events.c
        if period not in {"day", "week", "month", "year"}:
            raise DotterelError(ErrorCode.BAD_QUERY, name="period", reason="use day, week, month or year")
        a, b = a.upper(), b.upper()
        pair = and_(e.actor_country == a, e.recipient_country == b)
        if both_directions:
            pair = or_(pair, and_(e.actor_country == b, e.recipient_country == a))
        # aggregate in SQL (an index-only scan of ix_events_dyad_cover): per day, month or year
        # directly; for weeks per Monday where the dialect can say (else per day), labelled here
        qc = func.coalesce(e.quad_class, 0)
        key = {"month": func.substr(e.date_start, 1, 7), "year": func.substr(e.date_start, 1, 4)}.get(period, e.date_start)
        if period == "week" and self.engine.dialect.name == "sqlite":
            key = func.date(e.date_start, "-6 days", "weekday 1")
        elif period == "week" and self.engine.dialect.name == "postgresql":
            key = func.to_char(func.date_trunc("week", func.cast(e.date_start, Date)), "YYYY-MM-DD")
        stmt = (select(key.label("k"), qc.label("qc"), func.count().label("n"),
                       func.sum(func.coalesce(e.intensity, 0.0)).label("total"))
                .where(pair, e.date_start.is_not(None), e.date_start != "").group_by(key, qc))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        buckets: dict[tuple[str, int], list[float]] = {}
        for r in rows:
            acc = buckets.setdefault((_period(r.k, period) if period == "week" else r.k, int(r.qc)), [0, 0.0])
            acc[0] += int(r.n)
            acc[1] += float(r.total or 0.0)
        return [TimelinePoint.model_construct(period=p, quad_class=q, count=int(n), mean_intensity=round(total / n, 3))
                for (p, q), (n, total) in sorted(buckets.items())]

    def actors(self, limit: int = 100) -> list[dict]:
        a = S.event_parties.c
        stmt = (select(a.country, a.name, a.actor_id, func.count().label("n")).group_by(a.country, a.name, a.actor_id)
                .order_by(func.count().desc()).limit(limit))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def clusters(self, limit: int = 100, offset: int = 0, event_type: str | None = None) -> list[dict]:
        """Event clusters across documents (kept by :mod:`dotterel.store.clusters`), most
        mentioned first; empty when this store has none yet."""
        from sqlalchemy import inspect

        EC = S.event_clusters
        if not inspect(self.engine).has_table("event_clusters"):
            return []
        stmt = select(EC).order_by(EC.c.n_mentions.desc(), EC.c.date_start, EC.c.id).limit(limit).offset(offset)
        if event_type:
            stmt = stmt.where(EC.c.event_type == event_type.upper())
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def network(self, limit: int = 200) -> list[dict]:
        e = S.events.c
        stmt = (select(e.actor_country, e.recipient_country, func.count().label("count"), func.avg(e.intensity).label("mean_intensity"))
                .where(and_(e.actor_country.is_not(None), e.recipient_country.is_not(None)))
                .group_by(e.actor_country, e.recipient_country).order_by(func.count().desc()).limit(limit))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]


#: The columns :meth:`Store.save_many` writes, per table, in the order of its row tuples.
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "content_hash", "title", "published", "published_basis", "source", "url", "text", "n_events",
                  "failed", "errors", "coded", "coded_at", "version"),
    "actors": ("doc_id", "idx", "text", "start", "end", "name", "country", "sector", "actor_id", "kind"),
    "events": ("id", "doc_id", "event_type", "mode", "cameo", "quad_class", "intensity", "status", "date_start",
               "date_end", "date_basis", "actor_country", "recipient_country", "actor_names", "recipient_names",
               "reciprocal", "confidence", "sentence", "sentence_text", "trigger_text", "trigger_start", "trigger_end",
               "location_country", "source", "published", "record"),
    "event_parties": ("event_id", "doc_id", "side", "country", "name", "actor_id", "sector"),
    "quotes": ("doc_id", "idx", "text", "start", "end", "kind", "cue", "channel", "speaker_name", "speaker_country"),
    "times": ("doc_id", "idx", "text", "start_char", "end_char", "start", "end", "value", "granularity"),
}


def _child_rows(coded: CodedDocument, events_json: list[str], rows: dict[str, list[tuple]]) -> None:
    """Add one document's actor, quote and time rows to ``rows``."""
    d = coded.doc
    rows["actors"] += [(d.id, i, a.text, a.start, a.end, a.name, a.country, a.sector, a.id, a.kind)
                       for i, a in enumerate(coded.actors)]
    rows["quotes"] += [(d.id, i, q.text, q.start, q.end, q.kind, q.cue, q.channel,
                        q.speaker.name if q.speaker else None, q.speaker.country if q.speaker else None)
                       for i, q in enumerate(coded.quotes)]
    rows["times"] += [(d.id, i, t.text, t.start_char, t.end_char, t.start, t.end, t.value, t.granularity)
                      for i, t in enumerate(coded.times)]


def _event_rows(coded: CodedDocument, events_json: list[str], rows: dict[str, list[tuple]],
                facts: list[R.EventFacts], mentions: list[dict] | None) -> None:
    """Add one document's event and party rows to ``rows``, each event's rollup facts to
    ``facts`` and, unless ``mentions`` is ``None``, its cluster-mention row: every field of a
    record is read once (attribute reads of the records are most of the cost of a save)."""
    d = coded.doc
    doc_id, source, published = d.id, d.source, d.published
    events, parties = rows["events"], rows["event_parties"]
    for e, record in zip(coded.events, events_json, strict=True):
        eid = e.id
        actor = [(a.country, a.name, a.text, a.id, a.sector) for a in e.actor]
        recipient = [(a.country, a.name, a.text, a.id, a.sector) for a in e.recipient]
        date, trig, loc = e.date, e.trigger, e.location
        row = (eid, doc_id, e.event_type, e.mode, e.cameo, e.quad_class, e.intensity, e.status, date.start, date.end,
               date.basis, next((p[0] for p in actor if p[0]), None), next((p[0] for p in recipient if p[0]), None),
               "|".join([p[1] or p[2] for p in actor]), "|".join([p[1] or p[2] for p in recipient]),
               e.reciprocal, e.confidence, e.sentence, e.sentence_text, trig.text, trig.start, trig.end,
               loc.country if loc else None, source, published, record)
        events.append(row)
        parties += [(eid, doc_id, "actor", c, n, i, s) for c, n, _t, i, s in actor]
        parties += [(eid, doc_id, "recipient", c, n, i, s) for c, n, _t, i, s in recipient]
        facts.append(R.row_facts(row, [p[0] for p in actor], [p[0] for p in recipient]))
        if mentions is not None:
            mentions.append(C.new_mention(row, d.content_hash, d.url, actor, recipient))


#: SQLite page cache per connection (KiB): the default 2 MB makes every insert into the large
#: indexes of a multi-gigabyte store read its pages back from the OS.
SQLITE_CACHE_KIB = 128 * 1024


#: SQLite reads up to this many bytes of the file through a memory map instead of ``read()``
#: calls into its page cache: at 1M events (a 4.5 GB file) the copies were ~17 % of a bulk save's
#: CPU (system time). Writes still go through the page cache and the journal (no change to
#: durability); the mapped pages are the OS's file cache, shared and reclaimable.
SQLITE_MMAP_BYTES = 1 << 30


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    cur.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.close()


def widen_id_columns(engine: Engine) -> None:
    """Turn the ``VARCHAR(n)`` document-id columns of a PostgreSQL store created by an older
    version into ``TEXT`` (SQLite does not enforce lengths). Cheap when there is nothing to do."""
    if engine.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    wanted = [(t.name, c.name) for t in S.metadata.tables.values() for c in t.columns if c.name in {"id", "doc_id"} and isinstance(c.type, Text)]
    with engine.begin() as conn:
        narrow = {(r.table_name, r.column_name) for r in conn.execute(text(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = current_schema() and data_type = 'character varying' "
            "and column_name in ('id', 'doc_id')"))}
        for table, column in wanted:
            if (table, column) in narrow:
                conn.execute(text(f'alter table "{table}" alter column "{column}" type text'))


def _stored_event(r) -> StoredEvent:
    return StoredEvent(doc_id=r.doc_id, source=r.source, published=r.published,
                       event=EventRecord.model_validate_json(r.record))


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _period(day: str, period: str) -> str:
    if period == "day":
        return day
    if period == "month":
        return day[:7]
    if period == "year":
        return day[:4]
    y, w, _ = dt.date.fromisoformat(day).isocalendar()
    return f"{y}-W{w:02d}"
