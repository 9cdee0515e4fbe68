"""The table the corpus path adds to a store: the shard manifest.

It lives in its own :class:`~sqlalchemy.MetaData` so the core store schema is untouched;
:func:`ensure_tables` creates it (idempotently) in any store's database. The event-cluster
tables are derived tables of the store (:mod:`dotterel.store.schema`); they are re-exported
here for code written against earlier versions.
"""

from __future__ import annotations

from sqlalchemy import Column, Engine, Float, Integer, MetaData, String, Table, Text

from dotterel.store.schema import cluster_mentions, event_clusters

metadata = MetaData()

corpus_shards = Table(
    "corpus_shards", metadata,
    Column("shard_id", String(128), primary_key=True),
    Column("input", Text),
    Column("n_docs", Integer), Column("n_failed", Integer), Column("n_events", Integer),
    Column("seconds", Float),
    Column("finished_at", String(32)),
)


def ensure_tables(engine: Engine) -> None:
    """Create the corpus table (and the store's own tables and indexes, for a store created by an
    older version) in ``engine``'s database if they are missing (cheap when present)."""
    from dotterel.store import schema as S

    metadata.create_all(engine)
    S.upgrade(engine)


__all__ = ["cluster_mentions", "corpus_shards", "ensure_tables", "event_clusters", "metadata"]
