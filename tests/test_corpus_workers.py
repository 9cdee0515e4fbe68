"""``dotterel corpus --workers N`` on SQLite: each worker saves (and clusters) its own shards, one
worker's transaction at a time, and the parent only records finished shards. The store must be
the one the parent-saves protocol gave (every table, rollups and clusters included), and a run
killed with ``kill -9`` must resume to it without losing or duplicating anything."""

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

from dotterel.corpus import plan_shards, run_corpus
from dotterel.corpus.runner import OutputSpec, code_shard
from dotterel.settings import Settings
from dotterel.store import Store
from dotterel.store.clusters import update_clusters

#: Columns that hold the time of a run rather than its result.
CLOCK_COLUMNS = {"coded_at", "finished_at", "seconds"}

STORIES = [
    ("Kenya and Tanzania signed a fishing agreement in Mombasa on Tuesday, the two governments said.", "2024-05-08"),
    ("The foreign minister of Chile will visit Argentina next week to discuss the border, officials said.", "2024-05-08"),
    ("Police in Lagos arrested twelve protesters outside the electoral commission on Monday.", "2024-05-07"),
    ("Norway pledged new aid to Sudan on Wednesday for refugees fleeing the fighting.", "2024-05-09"),
    ("Vietnam accused China of ramming a fishing boat near the Paracel Islands on Sunday.", "2024-05-06"),
    ("The president of Ghana met the president of Togo in Lome on Thursday to discuss security.", "2024-05-10"),
]


def _feed(path: Path, copies: int = 3) -> Path:
    """Each story under several ids (syndicated copies: one event cluster of several articles), a
    duplicated id (E112) and a bad JSON line, in an order that spreads a story over shards."""
    lines = []
    for k in range(copies):
        for i, (text, day) in enumerate(STORIES):
            lines.append(json.dumps({"id": f"s{i}-{k}", "text": text, "date": day, "source": f"Paper {k}"}))
    lines.insert(5, "{not json")
    lines.append(json.dumps({"id": "s0-0", "text": "A second record that reuses an id.", "date": "2024-05-08"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), without the columns that hold clock times."""
    out: dict[str, list[tuple]] = {}
    with sqlite3.connect(db) as c:
        tables = [r[0] for r in c.execute("select name from sqlite_master where type = 'table' order by name")]
        for t in tables:
            cols = [r[1] for r in c.execute(f'pragma table_info("{t}")') if r[1] not in CLOCK_COLUMNS]
            rows = c.execute(f'select {", ".join(chr(34) + x + chr(34) for x in cols)} from "{t}"').fetchall()
            out[t] = sorted((tuple(r) for r in rows), key=repr)
    return out


def parent_saves(src: Path, db: Path, shard_size: int, settings: Settings) -> None:
    """The protocol before workers saved their own shards: every shard's documents saved by one
    process, then its clusters updated from the stored rows (``update_clusters``), then recorded."""
    from dotterel.corpus.manifest import StoreManifest

    store = Store(db)
    try:
        manifest = StoreManifest(store)
        for shard in plan_shards([str(src)], shard_size):
            result = code_shard(shard, settings, OutputSpec(db=store.url))
            assert result.items is not None
            store.save_many(result.items)
            update_clusters(store, result.doc_ids)
            manifest.record(result.entry())
    finally:
        store.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> dict:
    root = tmp_path_factory.mktemp("workers-ref")
    src = _feed(root / "feed.jsonl")
    parent_saves(src, root / "ref.db", 2, settings)
    return {"src": src, "db": root / "ref.db", "dump": dump(root / "ref.db")}


def test_the_reference_has_clusters_of_copies_and_refuses_the_repeated_id(reference: dict) -> None:
    d = reference["dump"]
    with sqlite3.connect(reference["db"]) as c:
        texts = dict(c.execute("select id, text from documents").fetchall())
        n_articles = c.execute("select max(n_articles) from event_clusters").fetchone()[0]
    assert len(texts) == len(d["documents"]) == 3 * len(STORIES) + 1  # the bad line is stored as failed
    assert "reuses" not in texts["s0-0"]  # the repeated id is not
    assert n_articles == 3  # the copies of a story are one cluster of three articles
    assert len(d["cluster_mentions"]) == len(d["events"]) > 10


@pytest.mark.slow  # worker processes
@pytest.mark.parametrize("shard_size", [2, 7])
def test_workers_save_their_own_shards_and_the_store_is_unchanged(reference: dict, settings: Settings,
                                                                  tmp_path: Path, shard_size: int,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers: the parent saves nothing (the workers do), and every table — documents,
    events, parties, actors, quotes, times, rollups, clusters, mentions, the shard manifest — holds
    exactly the rows of the parent-saves protocol."""
    parent = os.getpid()
    saved_by_parent: list[int] = []
    real_save = Store.save_many

    def save_many(self: Store, items, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() == parent:
            saved_by_parent.append(1)
        return real_save(self, items, **kwargs)

    monkeypatch.setattr(Store, "save_many", save_many)
    db, out = tmp_path / "w2.db", tmp_path / "out"
    finished: list[str] = []
    report = run_corpus([str(reference["src"])], db=str(db), out=str(out), workers=2, shard_size=shard_size,
                        settings=settings, on_shard=lambda r: finished.append(r.shard_id))
    assert report.failed_shards == [] and report.n_docs == 3 * len(STORIES) + 2
    assert saved_by_parent == [], "the documents travelled back to the parent to be saved"
    # the last shards went out in pieces; each shard has one Parquet file and one manifest line
    assert any("~" in i for i in finished)
    planned = sorted(s.shard_id for s in plan_shards([str(reference["src"])], shard_size))
    assert sorted(f.stem for f in (out / "shards").iterdir()) == planned
    assert sorted(json.loads(line)["shard_id"] for line in (out / "manifest.jsonl").read_text().splitlines()) == planned
    got, want = dump(db), reference["dump"]
    if shard_size != 2:  # other shards: the manifest differs, every other table is the same
        got = {k: v for k, v in got.items() if k != "corpus_shards"}
        want = {k: v for k, v in want.items() if k != "corpus_shards"}
    assert got == want
    again = run_corpus([str(reference["src"])], db=str(db), workers=2, shard_size=shard_size, settings=settings)
    assert again.n_docs == 0 and again.n_skipped == again.n_shards


def test_one_worker_gives_the_same_store(reference: dict, settings: Settings, tmp_path: Path) -> None:
    db = tmp_path / "w1.db"
    run_corpus([str(reference["src"])], db=str(db), workers=1, shard_size=2, settings=settings)
    assert dump(db) == reference["dump"]


def test_an_in_memory_store_is_saved_by_the_parent() -> None:
    from dotterel.corpus.runner import _saved_in_worker, is_sqlite_file

    assert _saved_in_worker("sqlite:////tmp/x.db", 2, None) and is_sqlite_file("sqlite:////tmp/x.db")
    assert not _saved_in_worker("sqlite://", 2, None) and not _saved_in_worker("sqlite:///:memory:", 2, None)
    assert not _saved_in_worker("sqlite:////tmp/x.db", 1, None)  # one process codes and saves
    assert not _saved_in_worker("sqlite:////tmp/x.db", 2, "local")  # a Dask worker may be elsewhere
    assert _saved_in_worker("postgresql+psycopg://u@h/db", 2, "tcp://h:8786")
    assert OutputSpec().cluster is False


def test_pieces_cover_their_shard_once_and_read_its_documents(reference: dict, settings: Settings) -> None:
    from dotterel.corpus import read_shard
    from dotterel.corpus.shards import split_shard

    shard = plan_shards([str(reference["src"])], 7)[1]
    ids = [d.id for d in read_shard(shard, settings)]
    pieces = split_shard(shard, 3)
    assert [p.n_docs for p in pieces] == [3, 3, 1] and [p.offset for p in pieces] == [0, 3, 6]
    assert all(p.parent == shard.shard_id and p.parent_docs == 7 and len(p.parts) == 1 for p in pieces)
    assert [d.id for p in pieces for d in read_shard(p, settings)] == ids
    again = split_shard(pieces[1])  # a piece split again (its worker hung): the pieces still name the shard
    assert [p.shard_id for p in again] == [f"{shard.shard_id}~{k:05d}" for k in (3, 4, 5)]
    assert [d.id for p in again for d in read_shard(p, settings)] == ids[3:6]
    assert all(p.parent == shard.shard_id and p.parent_docs == 7 for p in again)


def test_a_split_shard_is_recorded_once_when_its_finished_pieces_cover_it(reference: dict, tmp_path: Path) -> None:
    from dotterel.corpus.runner import CorpusReport, ShardResult, _Collector
    from dotterel.corpus.shards import split_shard

    class Manifest:
        def __init__(self) -> None:
            self.entries: list[dict] = []

        def finished(self) -> set[str]:
            return set()

        def record(self, entry: dict) -> None:
            self.entries.append(entry)

    shard = plan_shards([str(reference["src"])], 7)[0]
    first, second, third = split_shard(shard, 3)
    manifest = Manifest()
    collector = _Collector(None, [manifest], None, True, CorpusReport())
    for piece in (first, *split_shard(second), third)[:-1]:
        collector.take(piece, ShardResult(piece.shard_id, piece.input, n_docs=piece.n_docs, n_events=2))
        assert manifest.entries == []
    collector.take(third, ShardResult(third.shard_id, third.input, n_docs=third.n_docs, n_events=2))
    assert [(e["shard_id"], e["n_docs"], e["n_events"]) for e in manifest.entries] == [(shard.shard_id, 7, 10)]


def _shards_done(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return c.execute("select count(*) from corpus_shards").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def long_reference(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> dict:
    """The same stories in many more copies (about 120 shards of 2): a run long enough that a kill
    after the first recorded shard always lands mid-way (with 10 shards of one-sentence stories the
    whole run could finish before the kill did)."""
    root = tmp_path_factory.mktemp("workers-long-ref")
    src = _feed(root / "feed.jsonl", copies=40)
    parent_saves(src, root / "ref.db", 2, settings)
    return {"src": src, "db": root / "ref.db", "dump": dump(root / "ref.db")}


@pytest.mark.slow  # a corpus run with two workers in a subprocess, killed and resumed
def test_kill_9_with_two_workers_then_resume_gives_the_same_store(long_reference: dict, settings: Settings,
                                                                  tmp_path: Path) -> None:
    """The workers may have committed shards the parent had not recorded yet when it was killed
    (and may be killed in the middle of a transaction): the re-run redoes exactly the unrecorded
    shards, and the store ends equal to the reference, with every document once."""
    import psutil

    db = tmp_path / "killed.db"
    cli = Path(sys.executable).with_name("dotterel")
    proc = subprocess.Popen([str(cli), "corpus", str(long_reference["src"]), "--db", str(db), "--workers", "2",
                             "--shard-size", "2", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    try:
        while _shards_done(db) < 1:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "exited early"
            assert time.monotonic() < deadline, "no shard finished in time"
            time.sleep(0.01)
        workers = psutil.Process(proc.pid).children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    psutil.wait_procs(workers, timeout=20)  # they die with their parent
    done = _shards_done(db)
    total = len(plan_shards([str(long_reference["src"])], 2))
    assert 1 <= done < total, "the run was not interrupted mid-way"
    resumed = run_corpus([str(long_reference["src"])], db=str(db), workers=2, shard_size=2, settings=settings)
    assert resumed.failed_shards == [] and resumed.n_skipped == done
    assert dump(db) == long_reference["dump"]
