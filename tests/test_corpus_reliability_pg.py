"""``dotterel corpus`` against a real PostgreSQL that goes away mid-run: one coded error (E206),
a clean stop, and a re-run that resumes to the complete result. Long (URL) ids on the server.

Set DOTTEREL_TEST_PG_URL (``.ci/run`` starts a server and sets it)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dotterel.corpus import ShardResult, code_shard, plan_shards, run_corpus
from dotterel.corpus.runner import OutputSpec, StoreLost
from dotterel.errors import DotterelError
from dotterel.settings import Settings
from dotterel.store import Store

PG_URL = os.environ.get("DOTTEREL_TEST_PG_URL", "")

pytestmark = pytest.mark.postgres

if not PG_URL:
    pytest.skip("PostgreSQL tests skipped: DOTTEREL_TEST_PG_URL is not set (.ci/run starts a server and sets it)",
                allow_module_level=True)
try:
    import psycopg

    with psycopg.connect(PG_URL, connect_timeout=3) as _conn:
        _conn.execute("select 1")
except Exception as _exc:
    pytest.skip(f"PostgreSQL tests skipped: cannot reach DOTTEREL_TEST_PG_URL: {_exc}", allow_module_level=True)


def _admin(sql: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def database() -> Iterator[str]:
    """A fresh database of its own (so it can be cut off without touching other tests)."""
    name = f"dotterel_lost_{uuid.uuid4().hex[:10]}"
    _admin(f'create database "{name}"')
    base, _, _ = PG_URL.rpartition("/")
    query = PG_URL.split("?", 1)[1] if "?" in PG_URL else ""
    url = f"{base}/{name}" + (f"?{query}" if query else "")
    try:
        yield url
    finally:
        _admin(f'alter database "{name}" allow_connections true')
        _admin(f"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}' and pid <> pg_backend_pid()")
        _admin(f'drop database if exists "{name}"')


def _cut_off(url: str) -> None:
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    _admin(f'alter database "{name}" allow_connections false')
    _admin(f"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}' and pid <> pg_backend_pid()")


def _restore(url: str) -> None:
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    _admin(f'alter database "{name}" allow_connections true')


def _feed(path: Path) -> Path:
    long_url = "https://news.example/world/" + "-".join(["analysis"] * 60)
    lines = [json.dumps({"id": f"d{i:02d}", "date": "2024-03-04",
                         "text": f"Story {i}: the foreign minister of Chile met the foreign minister of Peru in Lima."})
             for i in range(8)]
    lines.append(json.dumps({"id": long_url, "url": long_url, "date": "2024-03-04",
                             "text": "Ghana and Togo agreed on Friday to reopen their border, officials said."}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_store_lost_mid_run_stops_with_one_coded_error_and_resumes(database: str, tmp_path: Path) -> None:
    settings = Settings.from_env()
    src = _feed(tmp_path / "feed.jsonl")
    total = len(plan_shards([str(src)], 2))
    seen: list[str] = []

    def after_shard(result: ShardResult) -> None:
        seen.append(result.shard_id)
        if len(seen) == 2:
            _cut_off(database)

    with pytest.raises(DotterelError) as info:
        run_corpus([str(src)], db=database, shard_size=2, settings=settings, on_shard=after_shard)
    err = info.value
    assert err.code == "E206" and "\n" not in str(err) and "re-run" not in str(err) and "resume" in str(err)
    assert "Traceback" not in str(err)
    _restore(database)

    resumed = run_corpus([str(src)], db=database, shard_size=2, settings=settings)
    assert resumed.n_skipped == 2 and resumed.failed_shards == []
    store = Store(database)
    try:
        assert store.count("documents") == 9
        ids = {d.id for d in store.documents(limit=20)}
        long_id = next(i for i in ids if i.startswith("https://"))
        assert len(long_id) > 255 and store.document(long_id) is not None
        from sqlalchemy import func, select

        from dotterel.corpus.tables import corpus_shards

        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(corpus_shards)).scalar_one() == total
    finally:
        store.close()


def test_a_worker_that_loses_the_store_reports_it(database: str, tmp_path: Path) -> None:
    """The worker side (server stores are written by the workers): a picklable StoreLost, which
    the parent turns into E206 and a stop."""
    src = _feed(tmp_path / "feed.jsonl")
    first, second, *_ = plan_shards([str(src)], 4)
    output = OutputSpec(db=database, db_in_worker=True)
    assert code_shard(first, Settings.from_env(), output).n_docs == 4  # the worker's store is open
    _cut_off(database)
    with pytest.raises(StoreLost):
        code_shard(second, Settings.from_env(), output)
    with pytest.raises(StoreLost):  # and a worker that cannot even open it
        code_shard(second, Settings.from_env(), output)
