"""The corpus path end to end: shards, manifest, process pool, Dask, kill -9 and resume, CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dotterel.cli import app
from dotterel.corpus import plan_shards, read_shard, run_corpus
from dotterel.corpus.samples import write_jsonl_corpus, write_text_dir
from dotterel.settings import Settings

SHARD = 8


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """~60 short documents: a JSONL file with bad lines (empty, invalid JSON, German, no text),
    a .jsonl.gz file, and a folder of .txt and .html files."""
    root = tmp_path_factory.mktemp("corpus")
    n_jsonl = write_jsonl_corpus(root / "news.jsonl", 36)
    n_gz = write_jsonl_corpus(root / "more.jsonl.gz", 8, seed=3, bad=False, prefix="gz")
    n_dir = write_text_dir(root / "pages", 8, html=2)
    inputs = [str(root / "news.jsonl"), str(root / "*.jsonl.gz"), str(root / "pages")]
    return {"root": root, "inputs": inputs, "n_docs": n_jsonl + n_gz + n_dir}


@pytest.fixture(scope="module")
def baseline(corpus: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = tmp_path_factory.mktemp("base") / "base.db"
    report = run_corpus(corpus["inputs"], db=str(db), shard_size=SHARD, settings=Settings.from_env())
    return {"db": db, "report": report, "events": events_of(db), "docs": docs_of(db), "clusters": clusters_of(db)}


def events_of(db: Path) -> set[tuple]:
    with sqlite3.connect(db) as c:
        return {tuple(r) for r in c.execute("select id, doc_id, event_type, date_start, record from events")}


def docs_of(db: Path) -> set[tuple]:
    with sqlite3.connect(db) as c:
        return {tuple(r) for r in c.execute("select id, content_hash, n_events, failed, errors from documents")}


def clusters_of(db: Path) -> set[tuple]:
    with sqlite3.connect(db) as c:
        return {tuple(r) for r in c.execute(
            "select id, cluster_key, date_start, n_mentions, n_articles, n_sources from event_clusters")}


def test_shards_are_stable_and_cover_every_document(corpus: dict) -> None:
    a, b = plan_shards(corpus["inputs"], SHARD), plan_shards(corpus["inputs"], SHARD)
    assert [s.shard_id for s in a] == [s.shard_id for s in b]
    assert len({s.shard_id for s in a}) == len(a)
    assert sum(s.n_docs for s in a) == corpus["n_docs"]
    assert all(s.n_docs <= SHARD for s in a)
    settings = Settings.from_env()
    ids = [d.id for s in a for d in read_shard(s, settings)]
    assert len(ids) == corpus["n_docs"] == len(set(ids))
    assert "news.jsonl:14" in ids  # the invalid JSON line keeps its line number as id


def test_baseline_stores_every_document_and_bad_ones_with_errors(corpus: dict, baseline: dict) -> None:
    report = baseline["report"]
    assert report.failed_shards == []
    assert report.n_docs == corpus["n_docs"] == len(baseline["docs"])
    assert report.n_failed == 4 and report.n_events == len(baseline["events"]) > 40
    errors = {d[0]: json.loads(d[4])[0]["code"] for d in baseline["docs"] if d[3]}
    assert errors == {"bad-empty": "E101", "news.jsonl:14": "E107", "bad-german": "E106", "bad-notext": "E108"}
    with sqlite3.connect(baseline["db"]) as c:
        n_shards = c.execute("select count(*), sum(n_docs) from corpus_shards").fetchone()
        assert n_shards == (report.n_shards, corpus["n_docs"])
        assert c.execute("select count(*) from cluster_mentions").fetchone()[0] == len(baseline["events"])
        assert c.execute("select sum(n_mentions) from event_clusters").fetchone()[0] == len(baseline["events"])


@pytest.mark.slow  # worker processes, each loading the model
def test_two_workers_give_the_same_results_and_parquet_shards(corpus: dict, baseline: dict, tmp_path: Path) -> None:
    import pandas as pd

    db, out = tmp_path / "w2.db", tmp_path / "out"
    report = run_corpus(corpus["inputs"], db=str(db), out=str(out), workers=2, shard_size=SHARD,
                        settings=Settings.from_env())
    assert report.failed_shards == [] and report.n_docs == corpus["n_docs"]
    assert events_of(db) == baseline["events"]
    assert docs_of(db) == baseline["docs"]
    assert clusters_of(db) == baseline["clusters"]
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    files = sorted((out / "shards").glob("*.parquet"))
    assert len(manifest) == len(files) == report.n_shards
    assert not list((out / "shards").glob(".*tmp"))
    frame = pd.concat(pd.read_parquet(f) for f in files)
    assert len(frame) == corpus["n_docs"] and frame["n_events"].sum() == len(baseline["events"])
    # a re-run skips every finished shard
    again = run_corpus(corpus["inputs"], db=str(db), out=str(out), workers=2, shard_size=SHARD)
    assert again.n_skipped == again.n_shards and again.n_docs == 0


@pytest.mark.slow  # a local Dask cluster of two workers
def test_dask_local_gives_the_same_events(corpus: dict, baseline: dict, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    db = tmp_path / "dask.db"
    report = run_corpus(corpus["inputs"], db=str(db), dask="local", workers=2, shard_size=SHARD,
                        settings=Settings.from_env())
    assert report.failed_shards == []
    assert events_of(db) == baseline["events"]
    assert clusters_of(db) == baseline["clusters"]


def test_cli_corpus_command(corpus: dict, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(app, ["corpus", corpus["inputs"][0], "--db", str(db), "--shard-size", "10", "-q"])
    assert result.exit_code == 1, result.output  # some documents failed
    assert "40 documents coded (4 failed)" in result.output.replace("\n", " ")
    result = CliRunner().invoke(app, ["corpus", str(tmp_path / "missing.jsonl"), "--db", str(db)])
    assert result.exit_code == 2 and "E005" in result.output


def _finished_shards(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return c.execute("select count(*) from corpus_shards").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow  # a corpus run in a subprocess, killed and resumed
def test_kill_9_then_resume_codes_every_document_exactly_once(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    n = write_jsonl_corpus(src, 240, seed=5)
    db, ref = tmp_path / "killed.db", tmp_path / "ref.db"
    cli = Path(sys.executable).with_name("dotterel")
    cmd = [str(cli), "corpus", str(src), "--db", str(db), "--workers", "1", "--shard-size", "4", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
    deadline = time.monotonic() + 120
    try:
        while _finished_shards(db) < 1:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "exited early"
            assert time.monotonic() < deadline, "no shard finished in time"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    done_at_kill = _finished_shards(db)
    total = len(plan_shards([str(src)], 4))
    assert 1 <= done_at_kill < total, "the run was not interrupted mid-way"

    resumed = run_corpus([str(src)], db=str(db), shard_size=4, settings=Settings.from_env())
    assert resumed.failed_shards == []
    assert resumed.n_skipped == done_at_kill  # nothing finished is redone
    assert resumed.n_docs == n - 4 * done_at_kill
    run_corpus([str(src)], db=str(ref), shard_size=4, settings=Settings.from_env())
    assert docs_of(db) == docs_of(ref) and len(docs_of(db)) == n
    assert events_of(db) == events_of(ref)
    assert clusters_of(db) == clusters_of(ref)
    with sqlite3.connect(db) as c:
        assert c.execute("select count(*), count(distinct id) from documents").fetchone() == (n, n)
        assert c.execute("select count(*) from corpus_shards").fetchone()[0] == total
