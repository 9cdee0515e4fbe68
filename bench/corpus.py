"""Benchmark of the corpus path (``make bench-corpus``).

1. Throughput: bare spaCy ``nlp.pipe`` (the same base model, same documents) vs the whole corpus
   path (read shards → Dotterel pipeline → store → clusters), 1 worker vs 2 workers, with the
   peak resident memory of each worker process.
2. Scale of the store: 1,000,000 synthetic events bulk-inserted into SQLite through the store's
   tables, then the dyad timeline query (target: < 100 ms).

Prints a table and writes bench/results/corpus-<timestamp>.json.
Environment: BENCH_DOCS (default 600), BENCH_EVENTS (default 1000000), BENCH_PARTS (default
"throughput,store"). The machine's load average is recorded: ratios are only meaningful on an
otherwise idle machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from dotterel.corpus import run_corpus
from dotterel.corpus.samples import write_jsonl_corpus
from dotterel.nlp import load_base_pipeline
from dotterel.pipeline import get_coder
from dotterel.settings import Settings
from dotterel.store import Store
from dotterel.store import schema as S

N_DOCS = int(os.environ.get("BENCH_DOCS", "600"))
N_EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000"))
SHARD = 50
RESULTS = Path(__file__).resolve().parent / "results"


class MemorySampler:
    """Peak RSS of every child process (the workers), sampled every 100 ms."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                    if "python" not in " ".join(child.cmdline()[:1]).lower():
                        continue
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), rss)
            self._stop.wait(0.1)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def corpus_run(src: Path, workdir: Path, workers: int, settings: Settings) -> dict:
    db = workdir / f"bench-w{workers}.db"
    marks: list[tuple[float, int]] = []
    t0 = time.perf_counter()
    with MemorySampler() as mem:
        report = run_corpus([str(src)], db=str(db), workers=workers, shard_size=SHARD, settings=settings,
                            on_shard=lambda r: marks.append((time.perf_counter(), r.n_docs)))
    wall = time.perf_counter() - t0
    assert not report.failed_shards, report.failed_shards
    # steady state: from the first finished shard to the last (model loading excluded)
    steady = (report.n_docs - marks[0][1]) / (marks[-1][0] - marks[0][0]) if len(marks) > 1 else report.n_docs / wall
    worker_mb = [round(v / 2**20) for v in mem.peaks.values() if v > 150 * 2**20]
    if workers == 1:
        worker_mb = [round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)]
    return {"workers": workers, "docs": report.n_docs, "events": report.n_events, "wall_s": round(wall, 2),
            "docs_per_s_wall": round(report.n_docs / wall, 1), "docs_per_s_steady": round(steady, 1),
            "peak_rss_mb_per_worker": worker_mb}


def throughput(workdir: Path) -> dict:
    settings = Settings.from_env()
    src = workdir / "bench.jsonl"
    write_jsonl_corpus(src, N_DOCS, seed=42, bad=False)
    texts = [json.loads(line)["text"] for line in src.read_text().splitlines()]

    get_coder(settings)  # the in-process run loads the model before timing, as a worker would
    one = corpus_run(src, workdir, 1, settings)  # first, so this process's peak RSS is one worker's

    nlp = load_base_pipeline(settings.model)
    list(nlp.pipe(texts[:20]))  # warm up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.batch_size):
        pass
    bare = len(texts) / (time.perf_counter() - t0)
    del nlp

    two = corpus_run(src, workdir, 2, settings)
    return {
        "docs": len(texts), "bare_spacy_docs_per_s": round(bare, 1), "one_worker": one, "two_workers": two,
        "corpus_vs_bare_spacy": round(one["docs_per_s_steady"] / bare, 3),
        "two_vs_one_workers_steady": round(two["docs_per_s_steady"] / one["docs_per_s_steady"], 3),
        "two_vs_one_workers_wall": round(two["docs_per_s_wall"] / one["docs_per_s_wall"], 3),
    }


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


def main() -> int:
    console = Console()
    with tempfile.TemporaryDirectory(prefix="dotterel-bench-") as tmp:
        work = Path(tmp)
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
        one, two = tp["one_worker"], tp["two_workers"]
        rows += [
            ("bare spaCy nlp.pipe (docs/s)", tp["bare_spacy_docs_per_s"]),
            ("corpus path, 1 worker (docs/s, steady / wall)", f"{one['docs_per_s_steady']} / {one['docs_per_s_wall']}"),
            ("corpus path, 2 workers (docs/s, steady / wall)", f"{two['docs_per_s_steady']} / {two['docs_per_s_wall']}"),
            ("corpus ÷ bare spaCy (1 worker)", tp["corpus_vs_bare_spacy"]),
            ("2 workers ÷ 1 worker (steady / wall)", f"{tp['two_vs_one_workers_steady']} / {tp['two_vs_one_workers_wall']}"),
            ("peak RSS per worker (MB), 1 worker", one["peak_rss_mb_per_worker"]),
            ("peak RSS per worker (MB), 2 workers", two["peak_rss_mb_per_worker"]),
        ]
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
