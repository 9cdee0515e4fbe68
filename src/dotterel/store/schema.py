"""Table definitions. Every row belongs to a document; re-coding a document replaces its rows.

Document ids are ``TEXT`` on every database (no ``VARCHAR(255)``: URLs used as ids are often
longer). The one limit, the same on SQLite and PostgreSQL, is :data:`MAX_ID_BYTES`: a longer id
is stored under :func:`storage_id` (a prefix plus a hash of the whole id), because PostgreSQL
cannot index a key of more than about 2.7 kB.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Boolean, Column, Float, Index, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text

metadata = MetaData()

#: The longest document id (UTF-8 bytes) stored as it is, on every database.
MAX_ID_BYTES = 1024


def storage_id(doc_id: str) -> str:
    """The key ``doc_id`` is stored under: itself, or for an id longer than :data:`MAX_ID_BYTES`
    its first 960 bytes, ``#`` and 40 hex digits of its SHA-1 (stable, and the same on every store)."""
    raw = doc_id.encode("utf-8", "surrogatepass")
    if len(raw) <= MAX_ID_BYTES:
        return doc_id
    head = raw[:960].decode("utf-8", "ignore")
    return f"{head}#{hashlib.sha1(raw).hexdigest()}"


documents = Table(
    "documents", metadata,
    Column("id", Text, primary_key=True),
    Column("content_hash", String(64), index=True),
    Column("title", Text), Column("published", String(10), index=True), Column("published_basis", String(16)),
    Column("source", Text), Column("url", Text), Column("text", Text),
    Column("n_events", Integer, default=0), Column("failed", Boolean, default=False),
    Column("errors", Text),  # JSON list of {code, message}
    Column("coded", Text),  # the whole CodedDocument as JSON
    Column("coded_at", String(32)), Column("version", String(16)),
)

actors = Table(
    "actors", metadata,
    Column("doc_id", Text, index=True), Column("idx", Integer),
    Column("text", Text), Column("start", Integer), Column("end", Integer),
    Column("name", Text), Column("country", String(16), index=True), Column("sector", String(16)),
    Column("actor_id", String(128), index=True), Column("kind", String(16)),
)

events = Table(
    "events", metadata,
    Column("id", String(64), primary_key=True),
    Column("doc_id", Text, index=True),
    Column("event_type", String(16), index=True), Column("mode", String(32)), Column("cameo", String(8)),
    Column("quad_class", Integer), Column("intensity", Float), Column("status", String(16)),
    Column("date_start", String(10)), Column("date_end", String(10)), Column("date_basis", String(16)),
    Column("actor_country", String(16)), Column("recipient_country", String(16)),
    Column("actor_names", Text), Column("recipient_names", Text),
    Column("reciprocal", Boolean), Column("confidence", Float),
    Column("sentence", Integer), Column("sentence_text", Text), Column("trigger_text", Text),
    Column("trigger_start", Integer), Column("trigger_end", Integer),
    Column("location_country", String(16)), Column("source", Text), Column("published", String(10)),
    Column("record", Text),  # the EventRecord as JSON
    # covers Store.dyad_timeline (no table lookups; bench/corpus.py). A store created by an older
    # version also has ix_events_dyad, a prefix of this one.
    Index("ix_events_dyad_cover", "actor_country", "recipient_country", "date_start", "quad_class", "intensity"),
    Index("ix_events_date", "date_start"),
)

event_parties = Table(
    "event_parties", metadata,
    Column("event_id", String(64), index=True), Column("doc_id", Text, index=True),
    Column("side", String(10)), Column("country", String(16)), Column("name", Text), Column("actor_id", String(128)),
    Column("sector", String(16)),
    Index("ix_parties_country", "country", "side"),
)

quotes = Table(
    "quotes", metadata,
    Column("doc_id", Text, index=True), Column("idx", Integer),
    Column("text", Text), Column("start", Integer), Column("end", Integer), Column("kind", String(16)),
    Column("cue", Text), Column("channel", Text), Column("speaker_name", Text), Column("speaker_country", String(16)),
)

times = Table(
    "times", metadata,
    Column("doc_id", Text, index=True), Column("idx", Integer),
    Column("text", Text), Column("start_char", Integer), Column("end_char", Integer),
    Column("start", String(10)), Column("end", String(10)), Column("value", String(32)), Column("granularity", String(16)),
)

PER_DOCUMENT = (actors, event_parties, events, quotes, times)

# -- derived tables: the store keeps them in step with the rows above (see rollups.py, clusters.py) ---

#: Key/value facts about this database (e.g. the version of the rollups it holds).
store_meta = Table(
    "store_meta", metadata,
    Column("key", String(64), primary_key=True), Column("value", Text),
)

def _rollup_columns() -> list[Column]:
    """The shared part of every rollup key; undated events have ``date_start = ''``. Intensity is
    summed in thousandths (an integer) so adding and removing documents stays exact."""
    return [Column("date_start", String(10), nullable=False), Column("date_end", String(10), nullable=False),
            Column("event_type", String(16), nullable=False), Column("status", String(16), nullable=False),
            Column("quad_class", Integer, nullable=False),
            Column("n", Integer, nullable=False), Column("intensity_milli", Integer, nullable=False)]


#: Events per unordered country pair (``c1 <= c2``) and day under the counting rule of
#: :mod:`dotterel.store.queries`; ``dir`` says how the event links them: bit 1 ``c1 → c2``,
#: bit 2 ``c2 → c1`` (a domestic event: ``c1 = c2``, ``dir = 3``), bit 4 reciprocal with both
#: on the actor side and no recipient country. Each event is counted once per pair.
rollup_dyads = Table(
    "rollup_dyads", metadata,
    Column("c1", String(16), nullable=False), Column("c2", String(16), nullable=False), Column("dir", Integer, nullable=False),
    *_rollup_columns(),
    # the key leads with what the timelines ask for (a pair), then the date: SQLite keeps the rows
    # in key order (WITHOUT ROWID), so a pair's timeline is one contiguous range read in date order,
    # and a batch of new events (recent dates) adds to one run of pages per pair at its end (with
    # status and direction before the date, every status and direction of a pair had its own run:
    # rollup pages were ~70 % of the pages a bulk save rewrote at 900k events)
    PrimaryKeyConstraint("c1", "c2", "date_start", "date_end", "status", "dir", "event_type", "quad_class",
                         name="pk_rollup_dyads"),
    Index("ix_rollup_dyads_date", "date_start"),
    sqlite_with_rowid=False,
)

#: Events with a country on either side (each event once per country), per day.
rollup_countries = Table(
    "rollup_countries", metadata,
    Column("country", String(16), nullable=False),
    *_rollup_columns(),
    PrimaryKeyConstraint("country", "date_start", "date_end", "status", "event_type", "quad_class",
                         name="pk_rollup_countries"),
    sqlite_with_rowid=False,
)

#: Every event once, by where it took place (``location = ''``: no location): the map and the
#: events page's total.
rollup_locations = Table(
    "rollup_locations", metadata,
    Column("location", String(16), nullable=False),
    *_rollup_columns(),
    PrimaryKeyConstraint("location", "date_start", "date_end", "status", "event_type", "quad_class",
                         name="pk_rollup_locations"),
    Index("ix_rollup_locations_date", "date_start"),
    sqlite_with_rowid=False,
)

def _total_columns() -> list[Column]:
    return [Column("event_type", String(16), nullable=False), Column("status", String(16), nullable=False),
            Column("n", Integer, nullable=False), Column("intensity_milli", Integer, nullable=False)]


#: :data:`rollup_dyads` over all dates (the network without a date range reads a few thousand rows).
rollup_dyad_totals = Table(
    "rollup_dyad_totals", metadata,
    Column("c1", String(16), nullable=False), Column("c2", String(16), nullable=False), Column("dir", Integer, nullable=False),
    *_total_columns(),
    PrimaryKeyConstraint("c1", "c2", "dir", "event_type", "status", name="pk_rollup_dyad_totals"),
    sqlite_with_rowid=False,
)

#: :data:`rollup_locations` over all dates (the map and the events total without a date range).
rollup_location_totals = Table(
    "rollup_location_totals", metadata,
    Column("location", String(16), nullable=False),
    *_total_columns(),
    PrimaryKeyConstraint("location", "event_type", "status", name="pk_rollup_location_totals"),
    sqlite_with_rowid=False,
)

ROLLUPS = (rollup_dyads, rollup_countries, rollup_locations, rollup_dyad_totals, rollup_location_totals)

#: One row per cluster: mentions of the same real-world event across documents
#: (maintained by :mod:`dotterel.store.clusters`).
event_clusters = Table(
    "event_clusters", metadata,
    Column("id", String(32), primary_key=True),
    Column("cluster_key", String(255)),  # not indexed: see OBSOLETE_INDEXES
    Column("event_type", String(16), index=True), Column("mode", String(32)), Column("cameo", String(8)),
    Column("quad_class", Integer), Column("intensity", Float), Column("status", String(16)),
    Column("reciprocal", Boolean),
    Column("actor_countries", Text), Column("recipient_countries", Text),
    Column("actor_names", Text), Column("recipient_names", Text),
    Column("date_start", String(10), index=True), Column("date_end", String(10)),
    Column("first_seen", String(10)), Column("last_seen", String(10)),
    Column("n_mentions", Integer), Column("n_articles", Integer), Column("n_sources", Integer),
    Column("representative_event_id", String(64)),
    Column("confidence", Float),
)

#: Every mention (one coded event in one document) of a cluster, kept with its evidence.
cluster_mentions = Table(
    "cluster_mentions", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("cluster_id", String(32)),  # not indexed: a cluster's members are found by key and dates
    Column("cluster_key", String(255)),  # indexed with the date below
    Column("doc_id", Text, index=True),
    Column("content_hash", String(64)),
    Column("event_type", String(16)), Column("mode", String(32)), Column("cameo", String(8)),
    Column("quad_class", Integer), Column("intensity", Float), Column("status", String(16)),
    Column("reciprocal", Boolean),
    Column("actor_countries", Text), Column("recipient_countries", Text),
    Column("actor_names", Text), Column("recipient_names", Text),
    Column("date_start", String(10)), Column("date_end", String(10)),
    Column("sentence", Integer), Column("sentence_text", Text), Column("trigger_text", Text),
    Column("trigger_start", Integer), Column("trigger_end", Integer),
    Column("source", Text), Column("url", Text), Column("published", String(10)),
    Column("confidence", Float),
    Index("ix_cluster_mentions_key_date", "cluster_key", "date_start"),
)


#: Indexes earlier versions created and the store no longer keeps: a random-key index costs a page
#: write per insert into a large table (both were ~15 % of a bulk save's time at 900k events) and
#: nothing reads through them (a cluster's members are found through ``ix_cluster_mentions_key_date``;
#: a key's clusters are never looked up). Opening a store drops them (:func:`upgrade`).
OBSOLETE_INDEXES = ("ix_event_clusters_cluster_key", "ix_cluster_mentions_cluster_id")


def upgrade(engine) -> None:
    """Bring a store created by an older version to this schema (cheap when there is nothing to do):
    missing tables and indexes are created, obsolete indexes dropped."""
    from sqlalchemy import inspect, text

    metadata.create_all(engine)
    for table in (events, cluster_mentions):
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    insp = inspect(engine)
    present = {ix["name"] for t in (event_clusters, cluster_mentions) for ix in insp.get_indexes(t.name)}
    stale = [name for name in OBSOLETE_INDEXES if name in present]
    if stale:
        with engine.begin() as conn:
            for name in stale:
                conn.execute(text(f'DROP INDEX IF EXISTS "{name}"'))
