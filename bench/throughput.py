"""Throughput: bare spaCy vs. Dotterel's coder, same model, same documents, same batch size, one run.

    .venv/bin/python bench/throughput.py [--docs 200] [--rounds 3] [--batch-size N] [--model NAME]

Documents: real-length news digests (500–900 tokens each) built from the project's own stories
(``bench/newsdocs.py``: gold articles + bundled examples, two per document). Timed rows:

* ``spacy``     ``nlp.pipe`` of the bare base pipeline (``load_base_pipeline``), same batch size;
* ``dotterel``  ``Coder.code_documents``: debris masking, the base pipeline, Dotterel's stages and
                the output records — what a user runs. The coder runs two base pipes as equivalents
                (``build_nlp``: spaCy's attribute ruler with its patterns indexed, the lemmatizer once
                per distinct word form; same annotations); both are timed on the same Docs after the
                rounds and the ratio with those pipes at spaCy's own cost is printed too.

``--rounds`` rounds (default 3), the order alternated (spaCy first in odd rounds, Dotterel first in
even ones); each figure is the median over rounds. Reported: docs/s by wall-clock and by CPU time
(``time.process_time``; the steadier number on a shared machine), the Dotterel/spaCy ratio of each,
per-stage ms/doc inside the coder (``Coder.clock``: ``make_doc``, every spaCy pipe, each Dotterel
stage, ``records`` = assembly), model load times, peak RSS of the process and the load average.
Writes ``bench/results/throughput-<UTC timestamp>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsdocs import copies, news_documents
from spacy.language import Language

from dotterel.nlp import load_base_pipeline
from dotterel.pipeline import Coder, build_nlp
from dotterel.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def timed(fn: Callable[[], None]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process) of one call."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def replaced_pipes(spacy_nlp: Language, coder: Coder, docs: list) -> dict[str, tuple[float, float]]:
    """CPU ms/doc of each base pipe the coder runs as a different (equivalent) component, spaCy's own and
    the coder's, each on copies of the same parsed Docs (parsed up to that pipe by the bare pipeline)."""
    out: dict[str, tuple[float, float]] = {}
    for name, ours in coder.nlp.pipeline:
        if name not in spacy_nlp.pipe_names or type(ours) is type(spacy_nlp.get_pipe(name)):
            continue
        parsed = []
        for d in docs:
            doc = spacy_nlp.make_doc(d.text)
            for pname, proc in spacy_nlp.pipeline:
                if pname == name:
                    break
                doc = proc(doc)
            parsed.append(doc)
        ours(parsed[0].copy())  # warm: first calls load tables
        spacy_nlp.get_pipe(name)(parsed[0].copy())
        times = []
        for proc in (spacy_nlp.get_pipe(name), ours):
            copies_ = [doc.copy() for doc in parsed]
            c0 = time.process_time()
            for doc in copies_:
                proc(doc)
            times.append((time.process_time() - c0) / len(parsed) * 1000)
        out[name] = (times[0], times[1])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=200, help="documents per timed run (default 200)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds, order alternated; medians are reported (default 3)")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: Settings / DOTTEREL_MODEL)")
    ap.add_argument("--batch-size", type=int, default=None, help="nlp.pipe batch size for both (default: Settings)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON result")
    args = ap.parse_args(argv)

    settings = Settings.from_env(model=args.model, batch_size=args.batch_size)
    load_before = os.getloadavg()
    docs = news_documents(args.docs, settings)
    texts = [d.text for d in docs]
    bs = settings.batch_size

    t0 = time.perf_counter()
    spacy_nlp = load_base_pipeline(settings.model)
    load_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    coder = Coder(settings, nlp=build_nlp(settings))
    load_dott = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()
    tokens = sum(len(d) for d in spacy_nlp.tokenizer.pipe(texts))
    print(f"{len(docs)} news digests, {tokens} tokens ({tokens / len(docs):.0f}/doc); model {settings.model}; "
          f"batch {bs}; load average {load_before[0]:.2f}", flush=True)

    # warm-up: the first batch-worth of documents through both, so caches are equally warm
    warm = docs[: max(2 * bs, 32)]
    list(spacy_nlp.pipe([d.text for d in warm], batch_size=bs))
    list(coder.code_documents(copies(warm)))

    def run_spacy() -> None:
        for _ in spacy_nlp.pipe(texts, batch_size=bs):
            pass

    def run_dotterel() -> None:
        for _ in coder.code_documents(copies(docs)):
            pass

    runs: dict[str, list[tuple[float, float]]] = {"spacy": [], "dotterel": []}
    stage_cpu: list[dict[str, float]] = []
    stage_wall: list[dict[str, float]] = []
    for r in range(args.rounds):
        order = ("spacy", "dotterel") if r % 2 == 0 else ("dotterel", "spacy")
        for name in order:
            coder.clock.reset()
            wall, cpu = timed(run_spacy if name == "spacy" else run_dotterel)
            runs[name].append((wall, cpu))
            if name == "dotterel":
                stage_cpu.append(dict(coder.clock.cpu))
                stage_wall.append(dict(coder.clock.wall))
            print(f"  round {r + 1} {name:9s} {wall:6.1f} s wall {cpu:6.1f} s CPU  {len(docs) / wall:5.2f} docs/s", flush=True)

    n = len(docs)
    med = {k: (statistics.median(n / w for w, _ in v), statistics.median(n / c for _, c in v)) for k, v in runs.items()}
    ratio_wall = med["dotterel"][0] / med["spacy"][0]
    ratio_cpu = med["dotterel"][1] / med["spacy"][1]
    round_ratios = [s[1] / d[1] for s, d in zip(runs["spacy"], runs["dotterel"], strict=True)]  # CPU, per round

    stages = list(stage_cpu[0])
    per_stage = {s: {"cpu_ms_per_doc": round(statistics.median(x.get(s, 0.0) for x in stage_cpu) / n * 1000, 2),
                     "wall_ms_per_doc": round(statistics.median(x.get(s, 0.0) for x in stage_wall) / n * 1000, 2)}
                 for s in stages}
    dott_cpu_ms = statistics.median(c for _, c in runs["dotterel"]) / n * 1000
    spacy_cpu_ms = statistics.median(c for _, c in runs["spacy"]) / n * 1000
    accounted = sum(v["cpu_ms_per_doc"] for v in per_stage.values())
    per_stage["(outside stages)"] = {"cpu_ms_per_doc": round(dott_cpu_ms - accounted, 2), "wall_ms_per_doc": None}
    base_pipes = set(spacy_nlp.pipe_names)

    print(f"\nThroughput, median of {args.rounds} rounds (order alternated), {n} docs, batch {bs}:")
    print(f"  {'':10s} {'docs/s wall':>11s} {'docs/s CPU':>11s} {'ms/doc CPU':>11s}")
    for k in ("spacy", "dotterel"):
        ms = spacy_cpu_ms if k == "spacy" else dott_cpu_ms
        print(f"  {k:10s} {med[k][0]:11.2f} {med[k][1]:11.2f} {ms:11.1f}")
    print(f"  Dotterel / spaCy: {ratio_wall:.3f} wall, {ratio_cpu:.3f} CPU (per round, CPU: "
          + ", ".join(f"{x:.3f}" for x in round_ratios) + ")")
    print("\nPer stage inside the coder (median of rounds), ms/doc CPU:")
    for s, v in per_stage.items():
        kind = "spaCy" if s in base_pipes else "Dotterel" if s != "(outside stages)" else ""
        print(f"  {s:22s} {v['cpu_ms_per_doc']:8.2f}  {kind}")
    spacy_in_coder = sum(per_stage[s]["cpu_ms_per_doc"] for s in stages if s in base_pipes)
    ours = dott_cpu_ms - spacy_in_coder
    print(f"  spaCy pipes inside the coder {spacy_in_coder:.1f} ms/doc (bare spaCy {spacy_cpu_ms:.1f}); "
          f"Dotterel's own work {ours:.1f} ms/doc = {ours / dott_cpu_ms:.0%} of the coder")
    replaced = replaced_pipes(spacy_nlp, coder, docs[: min(32, n)])
    if replaced:
        print("\nBase pipes the coder runs as equivalents (same annotations, tests/test_attribute_ruler.py), "
              "ms/doc CPU on the first documents, spaCy's own / the coder's:")
        for name, (theirs, ours) in replaced.items():
            print(f"  {name:22s} {theirs:8.2f} {ours:8.2f}")
        extra = sum(t - o for t, o in replaced.values())
        print(f"  Dotterel / spaCy with those pipes at spaCy's own cost: "
              f"{spacy_cpu_ms / (dott_cpu_ms + extra):.3f} CPU")
    load_after = os.getloadavg()
    print(f"\nLoad: spaCy {load_spacy:.1f} s, Dotterel {load_dott:.1f} s. Peak RSS {peak_rss_mb():.0f} MB "
          f"(after loading both: {rss_loaded:.0f} MB). Load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"({os.cpu_count()} CPUs).")

    now = dt.datetime.now(dt.UTC)
    result = {
        "generated": now.isoformat(timespec="seconds"),
        "model": settings.model, "batch_size": bs, "documents": n, "tokens": tokens, "rounds": args.rounds,
        "docs_per_s": {k: {"wall": round(v[0], 3), "cpu": round(v[1], 3)} for k, v in med.items()},
        "ratio_wall": round(ratio_wall, 3), "ratio_cpu": round(ratio_cpu, 3),
        "round_ratios_cpu": [round(x, 3) for x in round_ratios],
        "runs": {k: [{"wall": round(w, 3), "cpu": round(c, 3)} for w, c in v] for k, v in runs.items()},
        "per_stage_ms_per_doc": per_stage,
        "replaced_pipes_ms_per_doc": {k: {"spacy": round(t, 3), "coder": round(o, 3)} for k, (t, o) in replaced.items()},
        "load_seconds": {"spacy": round(load_spacy, 2), "dotterel": round(load_dott, 2)},
        "peak_rss_mb": round(peak_rss_mb(), 1), "peak_rss_mb_after_load": round(rss_loaded, 1),
        "load_average": {"before": load_before, "after": load_after},
        "environment": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": os.cpu_count(), "spacy": __import__("spacy").__version__},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"throughput-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
