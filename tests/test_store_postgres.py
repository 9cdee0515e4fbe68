"""The store contract (tests/test_store_sqlite.py) against a real PostgreSQL server.

Set DOTTEREL_TEST_PG_URL (``.ci/run`` starts a server and sets it); each test gets a fresh schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from dotterel.store import Store

PG_URL = os.environ.get("DOTTEREL_TEST_PG_URL", "")

pytestmark = pytest.mark.postgres


def _reachable(url: str) -> str | None:
    """None if the server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return None


if not PG_URL:
    pytest.skip("PostgreSQL tests skipped: DOTTEREL_TEST_PG_URL is not set (.ci/run starts a server and sets it)",
                allow_module_level=True)
if (_why := _reachable(PG_URL)) is not None:
    pytest.skip(f"PostgreSQL tests skipped: cannot reach DOTTEREL_TEST_PG_URL={PG_URL}: {_why}", allow_module_level=True)

from test_store_sqlite import (  # noqa: E402,F401 - the same tests, collected here with the fixture below
    test_clustering_is_incremental_and_never_double_counts,
    test_clustering_merges_mentions_across_documents,
    test_dyad_timeline,
    test_end_to_end_coded_document,
    test_event_filters,
    test_long_document_ids_are_kept,
    test_resave_is_idempotent_and_replaces,
    test_round_trip,
    test_same_text_different_ids_are_all_kept_in_one_batch_or_several,
)


@pytest.fixture
def store() -> Iterator[Store]:
    import psycopg

    schema = f"dotterel_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'create schema "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    s = Store(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    try:
        yield s
    finally:
        s.close()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'drop schema "{schema}" cascade')


def test_server_store_uses_its_own_schema(store: Store) -> None:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        assert conn.execute(text("select current_schema()")).scalar_one().startswith("dotterel_t_")
    assert store.count("documents") == 0


def test_corpus_workers_write_to_the_server(store: Store, tmp_path) -> None:
    """With a server database, worker processes save their shards themselves."""
    from dotterel.corpus import run_corpus
    from dotterel.corpus.samples import write_jsonl_corpus
    from dotterel.settings import Settings

    n = write_jsonl_corpus(tmp_path / "c.jsonl", 12)
    report = run_corpus([str(tmp_path / "c.jsonl")], db=store.url.replace("postgresql+psycopg://", "postgresql://"),
                        workers=2, shard_size=4, settings=Settings.from_env())
    assert report.failed_shards == [] and report.n_docs == n
    assert store.count("documents") == n
    from sqlalchemy import func, select

    from dotterel.corpus.tables import cluster_mentions, corpus_shards

    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(corpus_shards)).scalar_one() == report.n_shards
        assert conn.execute(select(func.count()).select_from(cluster_mentions)).scalar_one() == store.count("events")


def test_an_old_store_with_varchar_ids_is_widened(store: Store) -> None:
    """A store created by an older version (``VARCHAR(255)`` ids) takes long ids after reopening."""
    from sqlalchemy import text

    from dotterel.corpus.samples import coded_document, event

    with store.engine.begin() as conn:
        for table in ("documents", "events", "actors", "quotes", "times", "event_parties"):
            column = "id" if table == "documents" else "doc_id"
            conn.execute(text(f'alter table "{table}" alter column "{column}" type varchar(255)'))
    url = "https://news.example/" + "x" * 400
    reopened = Store(str(store.engine.url.render_as_string(hide_password=False)))
    try:
        reopened.save(*coded_document(url, [event(url, 0)]))
        assert reopened.document(url) is not None
    finally:
        reopened.close()
