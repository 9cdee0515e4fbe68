"""Throughput: bare spaCy vs. the full Dotterel pipeline, same model, same documents, same run.

    .venv/bin/python bench/throughput.py [--docs 300] [--model NAME] [--batch-size 16] [--repeat 1]

Documents: the gold article texts (gold/articles/*.json) and the bundled examples
(dotterel/examples/examples.jsonl), cycled to ``--docs`` documents. Three timings:

* ``spacy``          ``nlp.pipe`` of the base pipeline (``load_base_pipeline``), no Dotterel stages;
* ``dotterel-nlp``   ``nlp.pipe`` of ``dotterel.pipeline.build_nlp`` (base + Dotterel components);
* ``dotterel-coder`` ``Coder.code_documents``: the above plus debris masking and record building.

A warm-up first passes every distinct document through both pipelines; with ``--repeat N`` the best of N runs is kept. Reports
wall-clock and CPU seconds, docs/s, tokens/s (tokens counted by the shared tokenizer), the
Dotterel/spaCy throughput ratio (wall-clock and CPU; CPU is steadier on a busy machine), peak RSS (``resource.getrusage``, process-wide, after each phase) and the peak Python
heap of each pipeline on a smaller, untimed pass under ``tracemalloc``. Writes
``bench/results/throughput-<UTC timestamp>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import sys
import time
import tracemalloc
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from dotterel.ingest import Document, read_path
from dotterel.nlp import load_base_pipeline
from dotterel.pipeline import Coder, build_nlp
from dotterel.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def source_documents(settings: Settings) -> list[Document]:
    docs: list[Document] = []
    for path in sorted((ROOT / "gold" / "articles").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        published = dt.date.fromisoformat(data["published"]) if data.get("published") else None
        docs.append(Document(id=str(data.get("id") or path.stem), text=data["text"], published=published,
                             published_basis="input", title=data.get("title")))
    examples = resources.files("dotterel").joinpath("examples", "examples.jsonl")
    if examples.is_file():
        with resources.as_file(examples) as p:
            docs.extend(d for d in read_path(Path(p), settings) if not d.errors)
    seen: set[str] = set()
    unique = []
    for d in docs:
        if d.content_hash not in seen:
            seen.add(d.content_hash)
            unique.append(d)
    return unique


def corpus(base: list[Document], n: int) -> list[Document]:
    out = []
    for i in range(n):
        d = base[i % len(base)]
        out.append(Document(id=f"{d.id}#{i}", text=d.text, published=d.published, published_basis=d.published_basis,
                            title=d.title))
    return out


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def timed(fn, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds (this process) over ``repeat`` runs. CPU time is
    the steadier number on a busy machine; wall-clock is what a user waits."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def heap_peak_mb(fn) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=300, help="documents per timed run (default 300)")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: Settings / DOTTEREL_MODEL)")
    ap.add_argument("--batch-size", type=int, default=None, help="nlp.pipe batch size (default: Settings)")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per pipeline; the best is kept")
    ap.add_argument("--heap-docs", type=int, default=40, help="documents for the tracemalloc pass (0: skip)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON result")
    args = ap.parse_args(argv)
    console = Console()

    settings = Settings.from_env(model=args.model, batch_size=args.batch_size)
    base_docs = source_documents(settings)
    if not base_docs:
        console.print("[red]no documents found (gold/articles, dotterel/examples)[/]")
        return 2
    docs = corpus(base_docs, args.docs)
    texts = [d.text for d in docs]
    bs = settings.batch_size
    console.print(f"{len(base_docs)} distinct documents cycled to {len(docs)}; model {settings.model}; batch {bs}")

    t0 = time.perf_counter()
    spacy_nlp = load_base_pipeline(settings.model)
    load_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    dott_nlp = build_nlp(settings)
    coder = Coder(settings, nlp=dott_nlp)
    load_dott = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()

    tokens = sum(len(d) for d in spacy_nlp.tokenizer.pipe(texts))
    # warm-up: every distinct document once through each pipeline, so that caches (vocab,
    # lookups, date parsing) are as warm for the first timed row as for the last
    warm = docs[: len(base_docs)]
    list(spacy_nlp.pipe([d.text for d in warm], batch_size=bs))
    list(dott_nlp.pipe([coder.make_doc(d) for d in corpus(warm, len(warm))], batch_size=bs))

    def run_spacy() -> None:
        for _ in spacy_nlp.pipe(texts, batch_size=bs):
            pass

    def run_dott_nlp() -> None:
        for _ in dott_nlp.pipe((coder.make_doc(d) for d in corpus(docs, len(docs))), batch_size=bs):
            pass

    def run_coder() -> None:
        for _ in coder.code_documents(corpus(docs, len(docs))):
            pass

    rows = []
    for name, fn in (("spacy", run_spacy), ("dotterel-nlp", run_dott_nlp), ("dotterel-coder", run_coder)):
        seconds, cpu = timed(fn, args.repeat)
        rows.append({"pipeline": name, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
                     "docs_per_s": round(len(docs) / seconds, 2), "tokens_per_s": round(tokens / seconds, 1),
                     "docs_per_cpu_s": round(len(docs) / cpu, 2), "peak_rss_mb_after": round(peak_rss_mb(), 1)})
        console.print(f"  {name}: {seconds:.1f} s ({cpu:.1f} s CPU)")

    heap = {}
    if args.heap_docs > 0:
        sub = docs[: args.heap_docs]
        sub_texts = [d.text for d in sub]
        heap["spacy"] = heap_peak_mb(lambda: list(spacy_nlp.pipe(sub_texts, batch_size=bs)))
        heap["dotterel-coder"] = heap_peak_mb(lambda: list(coder.code_documents(corpus(sub, len(sub)))))
        for r in rows:
            key = "spacy" if r["pipeline"] == "spacy" else "dotterel-coder" if r["pipeline"] == "dotterel-coder" else None
            r["heap_peak_mb"] = round(heap[key], 1) if key else None

    base_rate, base_cpu = rows[0]["seconds"], rows[0]["cpu_seconds"]
    for r in rows:  # throughput ratio = inverse time ratio (same documents)
        r["ratio_vs_spacy"] = round(base_rate / r["seconds"], 3)
        r["cpu_ratio_vs_spacy"] = round(base_cpu / r["cpu_seconds"], 3)

    table = Table(title=f"Throughput on {len(docs)} documents, {tokens} tokens ({settings.model}, batch {bs})",
                  title_justify="left")
    table.caption = "wall/cpu: seconds; ×spaCy: throughput relative to bare spaCy (wall, cpu); RSS, heap: MB"
    for col in ("pipeline", "wall", "cpu", "docs/s", "tok/s", "×spaCy", "×cpu", "RSS", "heap"):
        table.add_column(col, justify="left" if col == "pipeline" else "right", no_wrap=True)
    for r in rows:
        hp = r.get("heap_peak_mb")
        table.add_row(r["pipeline"], f"{r['seconds']:.1f}", f"{r['cpu_seconds']:.1f}", f"{r['docs_per_s']:.1f}",
                      f"{r['tokens_per_s']:.0f}", f"{r['ratio_vs_spacy']:.2f}", f"{r['cpu_ratio_vs_spacy']:.2f}",
                      f"{r['peak_rss_mb_after']:.0f}", "" if hp is None else f"{hp:.0f}")
    console.print(table)
    ratio = rows[1]["ratio_vs_spacy"]
    console.print(f"Dotterel/spaCy throughput ratio: {ratio:.2f} wall, {rows[1]['cpu_ratio_vs_spacy']:.2f} CPU (pipeline); "
                  f"{rows[2]['ratio_vs_spacy']:.2f} wall, {rows[2]['cpu_ratio_vs_spacy']:.2f} CPU (end to end). "
                  f"Load {load_spacy:.1f} s (spaCy) vs {load_dott:.1f} s (Dotterel).")

    now = dt.datetime.now(dt.UTC)
    result = {
        "generated": now.isoformat(timespec="seconds"),
        "model": settings.model,
        "batch_size": bs,
        "documents": len(docs),
        "distinct_documents": len(base_docs),
        "tokens": tokens,
        "repeat": args.repeat,
        "ratio_dotterel_nlp_vs_spacy": ratio,
        "ratio_dotterel_coder_vs_spacy": rows[2]["ratio_vs_spacy"],
        "cpu_ratio_dotterel_nlp_vs_spacy": rows[1]["cpu_ratio_vs_spacy"],
        "cpu_ratio_dotterel_coder_vs_spacy": rows[2]["cpu_ratio_vs_spacy"],
        "load_seconds": {"spacy": round(load_spacy, 2), "dotterel": round(load_dott, 2)},
        "peak_rss_mb_after_load": round(rss_loaded, 1),
        "heap_docs": args.heap_docs,
        "results": rows,
        "environment": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": os.cpu_count(), "spacy": __import__("spacy").__version__},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"throughput-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    console.print(f"written {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
