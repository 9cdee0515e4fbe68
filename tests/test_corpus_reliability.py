"""``dotterel corpus`` on real failure modes (issue 12): syndicated copies, id collisions, edited
input, ``path`` records, exit status, a killed run, workers outliving their parent, a store that
goes away mid-run. The done-when check: the same database for shard sizes 1, 7 and 200 and
after ``kill -9`` + resume."""

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
from dotterel.corpus import ShardResult, ShardSpec, plan_shards, read_shard, run_corpus
from dotterel.settings import Settings

WIRE = ("Officials from Kenya and Ethiopia agreed on Tuesday to reopen the border crossing at Moyale, "
        "the two foreign ministries said in a joint statement.")


def _rec(doc_id: str | None, text: str, **extra: object) -> str:
    rec: dict = {"text": text, "date": "2024-02-14", **extra}
    if doc_id is not None:
        rec["id"] = doc_id
    return json.dumps(rec)


def feed_v1() -> list[str]:
    """12 short records: a wire story three times under its own ids and sources, an id used
    twice, wrong-typed fields, a bad JSON line, an id-less record, and ordinary stories."""
    return [
        _rec("n01", "The president of Chile met the prime minister of Peru in Lima on Monday to discuss trade.",
             source="Daily A"),
        _rec("wire-a", WIRE, source="Paper A", url="https://a.example/moyale"),
        _rec("n02", "Brazil accused Argentina of blocking grain shipments at the river port on Sunday."),
        _rec("n03", "Japan sent emergency aid to the Philippines after the typhoon, the ministry said.",
             title=5),  # wrong type: E113
        _rec(None, "Protesters gathered outside the parliament in Budapest on Saturday, police said."),
        "{this line is not json",
        _rec("wire-b", WIRE, source="Paper B", url="https://b.example/moyale"),
        _rec("n04", "Norway pledged new funding to Ghana for clean water projects, the minister said."),
        _rec("n02", "Egypt and Sudan signed an agreement on Nile water sharing in Cairo."),  # id collision: E112
        _rec("n05", "India condemned the missile test by Pakistan on Thursday, officials said.", url=["x"]),
        _rec("wire-c", WIRE, source="Paper C", url="https://c.example/moyale"),
        _rec("n06", "Germany hosted talks between Serbia and Kosovo in Berlin on Wednesday."),
    ]


def feed_v2() -> list[str]:
    """v1 with one line edited in place and one line inserted (after every id-less line)."""
    lines = feed_v1()
    lines[7] = _rec("n04", "Norway withdrew its funding from Ghana after the audit, the minister said.")
    lines.insert(9, _rec("n07", "Turkey expelled the ambassador of Sweden on Friday over the protests."))
    return lines


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def dump(db: Path) -> dict[str, list[tuple]]:
    """A canonical dump of a store: every row of the document, event and cluster tables, without
    the coding timestamp."""
    queries = {
        "documents": "select id, content_hash, title, published, published_basis, source, url, text, n_events, "
                     "failed, errors, coded from documents order by id",
        "events": "select * from events order by id",
        "event_parties": "select * from event_parties order by event_id, side, country, name",
        "actors": "select * from actors order by doc_id, idx",
        "quotes": "select * from quotes order by doc_id, idx",
        "times": "select * from times order by doc_id, idx",
        "event_clusters": "select * from event_clusters order by id",
        "cluster_mentions": "select * from cluster_mentions order by event_id",
    }
    with sqlite3.connect(db) as c:
        return {k: [tuple(r) for r in c.execute(q)] for k, q in queries.items()}


def errors_by_id(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as c:
        return {r[0]: [e["code"] for e in json.loads(r[1])] for r in c.execute("select id, errors from documents")}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> dict:
    """v2 coded in one go with shard size 200."""
    root = tmp_path_factory.mktemp("ref")
    src = write(root / "feed.jsonl", feed_v2())
    report = run_corpus([str(src)], db=str(root / "ref.db"), shard_size=200, settings=settings)
    return {"dump": dump(root / "ref.db"), "report": report, "db": root / "ref.db"}


def test_reference_keeps_copies_and_refuses_collisions(reference: dict) -> None:
    docs = {r[0]: r for r in reference["dump"]["documents"]}
    # syndicated copies: all three kept with their own source and URL
    assert {i: (docs[i][5], docs[i][6]) for i in ("wire-a", "wire-b", "wire-c")} == {
        "wire-a": ("Paper A", "https://a.example/moyale"), "wire-b": ("Paper B", "https://b.example/moyale"),
        "wire-c": ("Paper C", "https://c.example/moyale")}
    assert len({docs[i][1] for i in ("wire-a", "wire-b", "wire-c")}) == 1  # one content hash
    # the first n02 is the document; the second is reported (E112) and never overwrites it
    assert "Brazil" in docs["n02"][7]
    report = reference["report"]
    assert report.n_docs == 13 and len(docs) == 12
    errors = errors_by_id(reference["db"])
    assert errors["n03"] == ["E113"] and errors["n05"] == ["E113"] and errors["feed.jsonl:6"] == ["E107"]
    assert report.n_failed == 4  # n03, n05, the bad line, the second n02
    # clusters count the copies as separate articles and sources
    with sqlite3.connect(reference["db"]) as c:
        n_articles, n_sources = c.execute(
            "select max(n_articles), max(n_sources) from event_clusters c join cluster_mentions m "
            "on m.cluster_id = c.id where m.doc_id = 'wire-a'").fetchone()
    assert n_articles >= 3 and n_sources >= 3


@pytest.mark.parametrize("shard_size", [1, 7, 200])
def test_same_database_for_any_shard_size_after_an_edit(reference: dict, settings: Settings, tmp_path: Path,
                                                        shard_size: int) -> None:
    """Code v1, edit the file (a line changed, a line inserted), re-run: the edit and the
    insert are coded, and the store equals v2 coded in one go, whatever the shard size."""
    src = write(tmp_path / "feed.jsonl", feed_v1())
    db = tmp_path / "s.db"
    first = run_corpus([str(src)], db=str(db), shard_size=shard_size, settings=settings)
    assert first.n_docs == 12
    write(src, feed_v2())
    again = run_corpus([str(src)], db=str(db), shard_size=shard_size, settings=settings)
    assert again.n_docs >= 2 and again.failed_shards == []
    got = dump(db)
    docs = {r[0]: r for r in got["documents"]}
    assert "withdrew" in docs["n04"][7] and "n07" in docs
    assert got == reference["dump"]
    # nothing changed: nothing is redone
    third = run_corpus([str(src)], db=str(db), shard_size=shard_size, settings=settings)
    assert third.n_docs == 0 and third.n_skipped == third.n_shards


def _shards_done(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return c.execute("select count(*) from corpus_shards").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_9_and_resume_gives_the_same_database(reference: dict, settings: Settings, tmp_path: Path) -> None:
    src = write(tmp_path / "feed.jsonl", feed_v2())
    db = tmp_path / "killed.db"
    cli = Path(sys.executable).with_name("dotterel")
    proc = subprocess.Popen([str(cli), "corpus", str(src), "--db", str(db), "--shard-size", "1", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while _shards_done(db) < 1:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "exited early"
            assert time.monotonic() < deadline, "no shard finished in time"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    done = _shards_done(db)
    total = len(plan_shards([str(src)], 1))
    assert 1 <= done < total, "the run was not interrupted mid-way"
    resumed = run_corpus([str(src)], db=str(db), shard_size=1, settings=settings)
    assert resumed.n_skipped == done and resumed.failed_shards == []
    assert dump(db) == reference["dump"]


def test_path_records_resolve_against_the_jsonl_folder(settings: Settings, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rule as ``dotterel code``: a relative ``path`` is relative to the JSONL's folder."""
    folder = tmp_path / "feeds"
    (folder / "stories").mkdir(parents=True)
    (folder / "stories" / "one.txt").write_text(
        "Canada and Mexico agreed on Monday to extend their trade talks, officials said.\n", encoding="utf-8")
    src = write(folder / "index.jsonl", [json.dumps({"id": "p1", "path": "stories/one.txt", "date": "2024-01-08"})])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    db = tmp_path / "p.db"
    report = run_corpus([str(src)], db=str(db), shard_size=5, settings=settings)
    assert report.n_failed == 0, errors_by_id(db)
    with sqlite3.connect(db) as c:
        assert "Mexico" in c.execute("select text from documents where id = 'p1'").fetchone()[0]


def test_exit_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """0 all coded, 1 some documents failed, 2 usage/setup, 3 internal error (one line, no traceback)."""
    good = write(tmp_path / "good.jsonl", [feed_v1()[0], feed_v1()[2]])
    mixed = write(tmp_path / "mixed.jsonl", feed_v1()[:6])
    runner = CliRunner()
    ok = runner.invoke(app, ["corpus", str(good), "--db", str(tmp_path / "a.db"), "-q"])
    assert ok.exit_code == 0, ok.output
    failed = runner.invoke(app, ["corpus", str(mixed), "--db", str(tmp_path / "b.db"), "-q"])
    assert failed.exit_code == 1 and "(2 failed)" in failed.output.replace("\n", " "), failed.output
    usage = runner.invoke(app, ["corpus", str(tmp_path / "missing.jsonl"), "--db", str(tmp_path / "c.db")])
    assert usage.exit_code == 2 and "E005" in usage.output
    usage = runner.invoke(app, ["corpus", str(good), "--db", str(tmp_path / "c.db"), "--shard-size", "0"])
    assert usage.exit_code == 2 and "E003" in usage.output

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("dotterel.corpus.runner.run_corpus", broken)
    internal = runner.invoke(app, ["corpus", str(good), "--db", str(tmp_path / "d.db")])
    assert internal.exit_code == 3 and "internal error" in internal.output and "Traceback" not in internal.output
    help_text = runner.invoke(app, ["corpus", "--help"]).output
    assert "Exit status" in help_text


def _loaded_workers(pid: int, min_rss: int = 250 * 2**20) -> list[int]:
    """Descendant processes of ``pid`` big enough to hold the spaCy model."""
    import psutil

    out = []
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    for p in children:
        try:
            if p.memory_info().rss >= min_rss:
                out.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return out


def _alive(pids: list[int]) -> list[int]:
    import psutil

    out = []
    for p in pids:
        try:
            if psutil.Process(p).status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.mark.slow
def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    """``kill -9`` of ``corpus --workers 2`` while both workers are in the middle of a long shard:
    no model-loaded worker is left running (before, they coded on to the end of their shard)."""
    lines = [_rec(f"k{i:03d}", f"Story {i}: officials from Kenya met officials from Uganda in Kampala on Monday "
                               f"and agreed to meet again in Nairobi next month, a spokesman said.")
             for i in range(2000)]
    src = write(tmp_path / "many.jsonl", lines)
    cli = Path(sys.executable).with_name("dotterel")
    proc = subprocess.Popen([str(cli), "corpus", str(src), "--db", str(tmp_path / "w.db"), "--workers", "2",
                             "--shard-size", "1000", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    workers: list[int] = []
    try:
        while len(workers) < 2:
            assert proc.poll() is None, "exited early"
            assert time.monotonic() < deadline, "the workers did not load the model in time"
            time.sleep(0.2)
            workers = _loaded_workers(proc.pid)
        time.sleep(1.0)  # both are coding their first shard now
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    deadline = time.monotonic() + 20  # a 1000-document shard takes far longer than this
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _alive(workers)
    for p in left:  # do not leak them into the rest of the test run
        os.kill(p, signal.SIGKILL)
    assert left == [], "workers outlived their parent"


def hang_job(shard: ShardSpec) -> ShardResult:
    """A shard job that hangs, deaf to signals (like a long call into C), on the document ``hang``."""
    ids = [d.id for d in read_shard(shard, Settings(check_language=False))]
    if "hang" in ids:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT})
        time.sleep(600)
    return ShardResult(shard.shard_id, shard.input, n_docs=len(ids), doc_ids=ids)


def _hang_feed(path: Path) -> Path:
    lines = [_rec(f"s{i}", f"Story {i}: Peru and Bolivia held talks on Lake Titicaca on Monday.") for i in range(6)]
    lines[3] = _rec("hang", "Story 3: this one never finishes coding.")
    return write(path, lines)


@pytest.mark.slow
def test_a_stuck_worker_is_replaced_and_only_its_document_fails(tmp_path: Path) -> None:
    """A worker over its budget where the in-process budget cannot stop it is killed and
    replaced; its shard is retried one document at a time, so only the hanging document fails."""
    from dotterel.corpus.runner import StuckDocument, _run_pool

    shards = plan_shards([str(_hang_feed(tmp_path / "h.jsonl"))], 3)
    results = list(_run_pool(shards, hang_job, 2, Settings(time_budget=0.5), initializer=None, poll=0.1, grace=1.0))
    ok = sorted(i for _, r in results if isinstance(r, ShardResult) for i in r.doc_ids)
    stuck = [s for s, r in results if isinstance(r, StuckDocument)]
    assert ok == ["s0", "s1", "s2", "s4", "s5"]
    assert len(stuck) == 1 and stuck[0].parent == shards[1].shard_id and stuck[0].n_docs == 1


def test_the_stuck_document_is_stored_with_e111_and_its_shard_finishes(settings: Settings, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent's side: pieces of a split shard are saved as they come, the hanging document is
    stored as failed with E111, and the shard is recorded as finished with its last piece."""
    from dotterel.corpus import runner
    from dotterel.corpus.shards import split_shard

    def executor(shards: list[ShardSpec], job):
        for s in shards:
            if s.index != 1:
                yield s, job(s)
                continue
            for piece in split_shard(s):
                ids = [d.id for d in read_shard(piece, settings)]
                yield piece, runner.StuckDocument("no result after 3 s") if ids == ["hang"] else job(piece)

    monkeypatch.setattr(runner, "_run_inline", executor)
    src = _hang_feed(tmp_path / "h.jsonl")
    db, out = tmp_path / "h.db", tmp_path / "out"
    report = run_corpus([str(src)], db=str(db), out=str(out), shard_size=3, settings=settings)
    assert report.n_docs == 6 and report.n_failed == 1 and report.failed_shards == []
    assert errors_by_id(db)["hang"] == ["E111"] and all(not e for i, e in errors_by_id(db).items() if i != "hang")
    assert _shards_done(db) == 2
    import pandas as pd

    files = sorted((out / "shards").glob("*.parquet"))
    assert [f.stem for f in files] == sorted(s.shard_id for s in plan_shards([str(src)], 3))
    assert sorted(pd.concat(pd.read_parquet(f) for f in files)["doc_id"]) == ["hang", "s0", "s1", "s2", "s4", "s5"]
    again = run_corpus([str(src)], db=str(db), out=str(out), shard_size=3, settings=settings)
    assert again.n_skipped == 2
