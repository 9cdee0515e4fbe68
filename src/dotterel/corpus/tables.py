"""Tables the corpus path adds to a store: the shard manifest and the event clusters.

They live in their own :class:`~sqlalchemy.MetaData` so the core store schema is untouched;
:func:`ensure_tables` creates them (idempotently) in any store's database.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

corpus_shards = Table(
    "corpus_shards", metadata,
    Column("shard_id", String(128), primary_key=True),
    Column("input", Text),
    Column("n_docs", Integer), Column("n_failed", Integer), Column("n_events", Integer),
    Column("seconds", Float),
    Column("finished_at", String(32)),
)

#: One row per cluster: mentions of the same real-world event across documents.
event_clusters = Table(
    "event_clusters", metadata,
    Column("id", String(32), primary_key=True),
    Column("cluster_key", String(255), index=True),
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
    Column("cluster_id", String(32), index=True),
    Column("cluster_key", String(255), index=True),
    Column("doc_id", Text, index=True),
    Column("content_hash", String(64), index=True),
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
)


def ensure_tables(engine: Engine) -> None:
    """Create the corpus tables in ``engine``'s database if they are missing (cheap when present),
    and any index of the core ``events`` table that a store created by an older version lacks."""
    from dotterel.store import schema as S

    metadata.create_all(engine)
    for index in S.events.indexes:
        index.create(engine, checkfirst=True)
