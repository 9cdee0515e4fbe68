"""Throughput: bare spaCy vs. the full Dotterel pipeline, same model, same documents, same run.

    .venv/bin/python bench/throughput.py [--docs 300] [--model NAME] [--batch-size 16] [--repeat 1]

Documents: the gold article texts (gold/articles/*.json) and the bundled examples
(dotterel/examples/examples.jsonl), cycled to ``--docs`` documents. Three timings:

* ``spacy``          ``nlp.pipe`` of the base pipeline (``load_base_pipeline``), no Dotterel stages;
* ``dotterel-nlp``   ``nlp.pipe`` of ``dotterel.pipeline.build_nlp`` (base + Dotterel components);
* ``dotterel-coder`` ``Coder.code_documents``: the above plus debris masking and record building.

Each is preceded by a short warm-up; with ``--repeat N`` the best of N runs is kept. Reports
docs/s, tokens/s (tokens counted by the shared tokenizer), the Dotterel/spaCy throughput
ratio, peak RSS (``resource.getrusage``, process-wide, after each phase) and the peak Python
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


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


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
    warm = docs[: min(8, len(docs))]
    list(spacy_nlp.pipe([d.text for d in warm], batch_size=bs))
    list(coder.code_documents(corpus(warm, len(warm))))

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
        seconds = timed(fn, args.repeat)
        rows.append({"pipeline": name, "seconds": round(seconds, 3), "docs_per_s": round(len(docs) / seconds, 2),
                     "tokens_per_s": round(tokens / seconds, 1), "peak_rss_mb_after": round(peak_rss_mb(), 1)})
        console.print(f"  {name}: {seconds:.1f} s")

    heap = {}
    if args.heap_docs > 0:
        sub = docs[: args.heap_docs]
        sub_texts = [d.text for d in sub]
        heap["spacy"] = heap_peak_mb(lambda: list(spacy_nlp.pipe(sub_texts, batch_size=bs)))
        heap["dotterel-coder"] = heap_peak_mb(lambda: list(coder.code_documents(corpus(sub, len(sub)))))
        for r in rows:
            key = "spacy" if r["pipeline"] == "spacy" else "dotterel-coder" if r["pipeline"] == "dotterel-coder" else None
            r["heap_peak_mb"] = round(heap[key], 1) if key else None

    base_rate = rows[0]["docs_per_s"]
    for r in rows:
        r["ratio_vs_spacy"] = round(r["docs_per_s"] / base_rate, 3)

    table = Table(title=f"Throughput on {len(docs)} documents, {tokens} tokens ({settings.model}, batch {bs})",
                  title_justify="left")
    for col in ("pipeline", "seconds", "docs/s", "tokens/s", "× spaCy", "RSS MB", "heap MB"):
        table.add_column(col, justify="left" if col == "pipeline" else "right", no_wrap=True)
    for r in rows:
        hp = r.get("heap_peak_mb")
        table.add_row(r["pipeline"], f"{r['seconds']:.2f}", f"{r['docs_per_s']:.1f}", f"{r['tokens_per_s']:.0f}",
                      f"{r['ratio_vs_spacy']:.2f}", f"{r['peak_rss_mb_after']:.0f}", "" if hp is None else f"{hp:.0f}")
    console.print(table)
    ratio = rows[1]["docs_per_s"] / base_rate
    console.print(f"Dotterel/spaCy throughput ratio: {ratio:.2f} (pipeline), {rows[2]['ratio_vs_spacy']:.2f} (end to end); "
                  f"load {load_spacy:.1f} s (spaCy) vs {load_dott:.1f} s (Dotterel)")

    now = dt.datetime.now(dt.UTC)
    result = {
        "generated": now.isoformat(timespec="seconds"),
        "model": settings.model,
        "batch_size": bs,
        "documents": len(docs),
        "distinct_documents": len(base_docs),
        "tokens": tokens,
        "repeat": args.repeat,
        "ratio_dotterel_nlp_vs_spacy": round(ratio, 3),
        "ratio_dotterel_coder_vs_spacy": rows[2]["ratio_vs_spacy"],
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
