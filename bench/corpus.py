"""Benchmark of the corpus path (``make bench-corpus``).

1. Workers: the whole corpus path (read shards → Dotterel pipeline → store → clusters) on
   real-length news documents (``bench/newsdocs.py``, 500–900 tokens), 1 worker vs 2 workers,
   each run a fresh process as ``dotterel corpus`` is: wall-clock of the whole process (start,
   model load, coding, storing), steady-state docs/s (first finished shard to last), the share
   of wall time spent importing and loading the model, CPU ms/doc of all the run's processes
   (parent and workers: the cost of parallelism, whatever the machine's load), peak RSS and PSS
   of every process.
2. Scale of the store: 1,000,000 synthetic events bulk-inserted into SQLite through the store's
   tables, then the dyad timeline query (target: < 100 ms).

Prints a table and writes bench/results/corpus-<timestamp>.json.
Environment: BENCH_DOCS (default 1000), BENCH_SHARD (default 50), BENCH_EVENTS (default 1000000), BENCH_PARTS (default
"throughput,store"), BENCH_ROUNDS (default 1: each round runs 1 worker then 2 workers, the next round 2 then 1; the
table shows the median of the rounds), BENCH_BASELINE_SRC (another checkout's ``src`` folder, e.g. a ``git worktree`` of
the previous commit: its 1 and 2 worker runs are interleaved with this tree's in every round, so before and after are
measured under the same load). Every run's store is dumped (every table, without clock columns) and compared with the
first run's: the result must not depend on the number of workers (nor on the version, for a baseline). The machine's
load average is recorded: ratios are only meaningful on an otherwise idle machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from dotterel.settings import Settings
from dotterel.store import Store
from dotterel.store import schema as S

N_DOCS = int(os.environ.get("BENCH_DOCS", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1"))
BASELINE_SRC = os.environ.get("BENCH_BASELINE_SRC", "")
N_EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000"))
SHARD = int(os.environ.get("BENCH_SHARD", "50"))
RESULTS = Path(__file__).resolve().parent / "results"


class MemorySampler:
    """Peak RSS and PSS (proportional set size: shared pages split between the processes sharing
    them) of a process and its descendants, sampled every 0.5 s."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.rss: dict[int, int] = {}
        self.pss: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                procs = []
            for p in procs:
                try:
                    info = p.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                self.rss[p.pid] = max(self.rss.get(p.pid, 0), info.rss)
                self.pss[p.pid] = max(self.pss.get(p.pid, 0), getattr(info, "pss", info.rss))
            self._stop.wait(0.5)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def child(src: str, db: str, workers: int) -> None:
    """One corpus run in a fresh process, as ``dotterel corpus`` runs it: the model is loaded once in
    this process (``get_coder``; with 2 workers on Linux they are forked from it), then every shard
    is coded and stored (clusters included). Prints one JSON line of timings."""
    t_start = time.perf_counter()
    from dotterel.corpus import run_corpus
    from dotterel.pipeline import get_coder

    settings = Settings.from_env()
    t_import = time.perf_counter()
    get_coder(settings)
    t_loaded = time.perf_counter()
    marks: list[tuple[float, int]] = []
    report = run_corpus([src], db=db, workers=workers, shard_size=SHARD, settings=settings,
                        on_shard=lambda r: marks.append((time.perf_counter(), r.n_docs)))
    t_end = time.perf_counter()
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"import_s": t_import - t_start, "load_s": t_loaded - t_import, "run_s": t_end - t_loaded,
                      "cpu_s": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
                      "n_docs": report.n_docs, "n_events": report.n_events, "failed_shards": report.failed_shards,
                      "marks": [(t - t_loaded, n) for t, n in marks]}))


#: Columns that hold the time of a run, not its result (left out when stores are compared).
CLOCK_COLUMNS = {"coded_at", "finished_at", "seconds"}


def store_digest(db: Path) -> str:
    """A hash of every row of every table of a SQLite store (rows sorted, clock columns left out)."""
    import hashlib
    import sqlite3

    h = hashlib.sha256()
    with sqlite3.connect(db) as c:
        for (t,) in c.execute("select name from sqlite_master where type = 'table' order by name").fetchall():
            cols = [r[1] for r in c.execute(f'pragma table_info("{t}")') if r[1] not in CLOCK_COLUMNS]
            rows = sorted(repr(tuple(r)) for r in c.execute(f'select {", ".join(chr(34) + x + chr(34) for x in cols)} from "{t}"'))
            h.update(f"{t}:{len(rows)}\n".encode())
            for r in rows:
                h.update(r.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def corpus_run(src: Path, workdir: Path, workers: int, code_src: str = "") -> dict:
    """One run as a fresh process; ``code_src``: import dotterel from this ``src`` folder instead."""
    db = workdir / f"bench-w{workers}{'-base' if code_src else ''}.db"
    db.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": code_src} if code_src else None
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(src), str(db), str(workers)],
                            stdout=subprocess.PIPE, text=True, env=env)
    with MemorySampler(proc.pid) as mem:
        out, _ = proc.communicate()
    wall = time.perf_counter() - t0  # the whole process: start, imports, model load, coding, storing
    if proc.returncode != 0:
        raise SystemExit(f"corpus run with {workers} workers failed ({proc.returncode})")
    r = json.loads(out.strip().splitlines()[-1])
    assert not r["failed_shards"], r["failed_shards"]
    marks = r["marks"]
    # steady state: from the first finished shard to the last (start-up and the first shard excluded)
    span = marks[-1][0] - marks[0][0] if len(marks) > 1 else 0.0
    steady = (r["n_docs"] - marks[0][1]) / span if span > 0 else r["n_docs"] / wall
    big = [p for p, v in mem.rss.items() if v > 150 * 2**20]  # processes that hold the model
    digest = store_digest(db)
    db.unlink(missing_ok=True)
    return {"workers": workers, "code": "baseline" if code_src else "this tree", "docs": r["n_docs"],
            "events": r["n_events"], "wall_s": round(wall, 2),
            "import_s": round(r["import_s"], 2), "load_s": round(r["load_s"], 2),
            "load_share_of_wall": round((r["import_s"] + r["load_s"]) / wall, 3),
            "first_shard_s": round(marks[0][0], 2) if marks else None,
            "docs_per_s_wall": round(r["n_docs"] / wall, 2), "docs_per_s_steady": round(steady, 2),
            "cpu_s": round(r["cpu_s"], 1), "cpu_ms_per_doc": round(r["cpu_s"] / max(r["n_docs"], 1) * 1000, 1),
            "peak_rss_mb": [round(mem.rss[p] / 2**20) for p in big],
            "peak_pss_mb": [round(mem.pss[p] / 2**20) for p in big], "store_digest": digest,
            "load_average_after": round(os.getloadavg()[0], 2)}


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (the one shown), with every round's wall and CPU kept."""
    mid = sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2]
    return {**mid, "rounds_wall_s": [r["wall_s"] for r in runs], "rounds_cpu_ms_per_doc": [r["cpu_ms_per_doc"] for r in runs]}


def _pair(runs: list[dict], code: str) -> dict:
    one = _median_run([r for r in runs if r["code"] == code and r["workers"] == 1])
    two = _median_run([r for r in runs if r["code"] == code and r["workers"] == 2])
    # the ratio per round (1 and 2 workers of the same round ran back to back), then their median
    walls = [a / b for a, b in zip(one["rounds_wall_s"], two["rounds_wall_s"], strict=True)]
    return {"one_worker": one, "two_workers": two,
            "two_vs_one_workers_wall": round(statistics.median(walls), 3),
            "two_vs_one_workers_wall_rounds": [round(w, 3) for w in walls],
            "two_vs_one_workers_steady": round(two["docs_per_s_steady"] / one["docs_per_s_steady"], 3)}


def throughput(workdir: Path) -> dict:
    from newsdocs import news_documents, write_jsonl

    docs = news_documents(N_DOCS)
    src = write_jsonl(docs, workdir / "bench.jsonl")
    codes = [""] + ([BASELINE_SRC] if BASELINE_SRC else [])  # "": this tree
    runs: list[dict] = []
    for k in range(ROUNDS):
        order = [(c, w) for c in (codes if k % 2 == 0 else codes[::-1]) for w in ((1, 2) if k % 2 == 0 else (2, 1))]
        for code_src, workers in order:
            runs.append(corpus_run(src, workdir, workers, code_src))
            print(json.dumps({k: v for k, v in runs[-1].items() if k != "peak_pss_mb"}), file=sys.stderr, flush=True)
    digests = {r["store_digest"] for r in runs}
    out = {"docs": len(docs), "shard_size": SHARD, "rounds": ROUNDS, "runs": runs,
           "same_store_every_run": len(digests) == 1, **_pair(runs, "this tree")}
    if BASELINE_SRC:
        out["baseline"] = {"src": BASELINE_SRC, **_pair(runs, "baseline")}
    return out


def dyad_scale(workdir: Path) -> dict:
    """Bulk-insert N_EVENTS synthetic events (Zipf-like dyads over 40 countries) and time the
    dyad timeline of the most frequent pair."""
    from sqlalchemy import insert

    rng = random.Random(1)
    countries = ["USA", "CHN"] + [f"C{i:02d}" for i in range(98)]
    weights = [1 / (k + 1) for k in range(len(countries))]  # Zipf: USA, then CHN, are the most frequent
    store = Store(workdir / "scale.db")
    start = dt.date(2015, 1, 1).toordinal()
    t0 = time.perf_counter()
    batch = 50_000
    with store.engine.begin() as conn:
        for lo in range(0, N_EVENTS, batch):
            rows = []
            for i in range(lo, min(N_EVENTS, lo + batch)):
                a, b = rng.choices(countries, weights, k=2)
                qc = rng.randint(1, 4)
                day = dt.date.fromordinal(start + rng.randrange(3650)).isoformat()
                rows.append({"id": f"ev{i:08d}", "doc_id": f"doc{i // 5:07d}", "event_type": "CONSULT", "cameo": "040",
                             "quad_class": qc, "intensity": round(rng.uniform(-10, 10), 1), "status": "asserted",
                             "date_start": day, "date_end": day, "date_basis": "explicit", "actor_country": a,
                             "recipient_country": b, "reciprocal": False, "confidence": 0.8, "sentence": 0,
                             "record": "{}"})
            conn.execute(insert(S.events), rows)
    insert_s = time.perf_counter() - t0
    with store.engine.connect() as conn:
        from sqlalchemy import func, select

        e = S.events.c
        pair_n = conn.execute(select(func.count()).where(((e.actor_country == "USA") & (e.recipient_country == "CHN"))
                                                         | ((e.actor_country == "CHN") & (e.recipient_country == "USA")))).scalar_one()
    store.dyad_timeline("USA", "CHN", period="month")  # warm the cache
    per_period: dict[str, list[float]] = {}
    n_points: dict[str, int] = {}
    for period in ("day", "week", "month", "year") * 5:
        t = time.perf_counter()
        points = store.dyad_timeline("USA", "CHN", period=period)
        per_period.setdefault(period, []).append((time.perf_counter() - t) * 1000)
        n_points[period] = len(points)
    times = per_period["week"]  # the default period is what the target applies to
    rare = []
    for _ in range(5):
        t = time.perf_counter()
        store.dyad_timeline("C30", "C31", period="month")
        rare.append((time.perf_counter() - t) * 1000)
    size = (workdir / "scale.db").stat().st_size
    store.close()
    return {"events": N_EVENTS, "insert_s": round(insert_s, 1), "insert_rows_per_s": round(N_EVENTS / insert_s),
            "db_mb": round(size / 2**20), "top_dyad_events": pair_n,
            "dyad_timeline_ms_median": round(statistics.median(times), 1), "dyad_timeline_ms_max": round(max(times), 1),
            "dyad_timeline_ms_median_by_period": {p: round(statistics.median(v), 1) for p, v in per_period.items()},
            "dyad_timeline_points_by_period": n_points,
            "rare_dyad_timeline_ms_median": round(statistics.median(rare), 1),
            "target_ms": 100, "meets_target": statistics.median(times) < 100}


def _throughput_rows(tp: dict, label: str) -> list[tuple[str, object]]:
    one, two = tp["one_worker"], tp["two_workers"]
    return [
        (f"{label}1 worker: wall s (docs/s wall / steady)",
         f"{one['wall_s']} ({one['docs_per_s_wall']} / {one['docs_per_s_steady']})"),
        (f"{label}2 workers: wall s (docs/s wall / steady)",
         f"{two['wall_s']} ({two['docs_per_s_wall']} / {two['docs_per_s_steady']})"),
        (f"{label}2 workers ÷ 1 worker (wall, median of rounds / steady)",
         f"{tp['two_vs_one_workers_wall']} {tp['two_vs_one_workers_wall_rounds']} / {tp['two_vs_one_workers_steady']}"),
        (f"{label}CPU ms/doc, all processes (1 / 2 workers)", f"{one['cpu_ms_per_doc']} / {two['cpu_ms_per_doc']}"),
        (f"{label}first shard done after s (1 / 2 workers)", f"{one['first_shard_s']} / {two['first_shard_s']}"),
        (f"{label}import + model load, share of wall (1 / 2 workers)",
         f"{one['import_s'] + one['load_s']:.1f} s {one['load_share_of_wall']:.1%} / "
         f"{two['import_s'] + two['load_s']:.1f} s {two['load_share_of_wall']:.1%}"),
        (f"{label}peak RSS MB per process holding the model (1 worker)", one["peak_rss_mb"]),
        (f"{label}peak RSS MB per process (2 workers: parent, workers)", two["peak_rss_mb"]),
        (f"{label}peak PSS MB per process (2 workers: shared pages split)", two["peak_pss_mb"]),
    ]


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    console = Console()
    parts = set(os.environ.get("BENCH_PARTS", "throughput,store").split(","))
    load_before = os.getloadavg()
    tp = sc = None
    with tempfile.TemporaryDirectory(prefix="dotterel-bench-") as tmp:
        work = Path(tmp)
        if "throughput" in parts:
            console.print(f"[bold]corpus throughput[/] ({N_DOCS} documents, shards of {SHARD}) …")
            tp = throughput(work)
        if "store" in parts:
            console.print(f"[bold]store scale[/] ({N_EVENTS:,} events) …")
            sc = dyad_scale(work)
    result = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": {
        "python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()]}, "throughput": tp, "store_scale": sc}

    t = Table(title="Dotterel corpus benchmark")
    t.add_column("measure")
    t.add_column("value", justify="right")
    rows: list[tuple[str, object]] = [("load average before / after (1 min)",
                                       f"{load_before[0]:.2f} / {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")]
    if tp:
        rows += [(f"documents (news digests, shards of {tp['shard_size']}), rounds", f"{tp['docs']}, {tp['rounds']}"),
                 *_throughput_rows(tp, "")]
        if "baseline" in tp:
            rows += _throughput_rows(tp["baseline"], "baseline: ")
        rows.append(("same store (every table) in every run", "yes" if tp["same_store_every_run"] else "NO"))
    if sc:
        rows += [
            (f"bulk insert {sc['events']:,} events (s, rows/s)", f"{sc['insert_s']} s, {sc['insert_rows_per_s']:,}/s"),
            ("SQLite file (MB)", sc["db_mb"]),
            (f"dyad timeline (week), top pair ({sc['top_dyad_events']:,} events) ms median / max",
             f"{sc['dyad_timeline_ms_median']} / {sc['dyad_timeline_ms_max']}"),
            *((f"  … by {p} ({sc['dyad_timeline_points_by_period'][p]:,} points) ms median", ms)
              for p, ms in sc["dyad_timeline_ms_median_by_period"].items()),
            ("dyad timeline, rare pair ms median", sc["rare_dyad_timeline_ms_median"]),
            ("dyad timeline (week) < 100 ms", "yes" if sc["meets_target"] else "NO"),
        ]
    for k, v in rows:
        t.add_row(k, str(v))
    console.print(t)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"corpus-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    console.print(f"written {path}")
    return 0 if sc is None or sc["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
