"""Does coding cost grow linearly with document length? (a benchmark, not a test)

For documents of 1k, 10k, 100k and 1M characters (invented news paragraphs, repeated and
varied), times in one process, on the same text:

* ``spacy``     bare ``en_core_web_md`` (``load_base_pipeline``) on the text;
* ``dotterel``  the full Dotterel pipeline, every component timed separately, so the spaCy
                part and each Dotterel stage (actors, times, quotes, events) are reported.

Printed per size: CPU seconds, microseconds per character for bare spaCy and for Dotterel's own
stages, the ratio Dotterel-stages / spaCy, and per-stage µs/char. Linear cost means the µs/char
columns stay flat as the size grows (a quadratic stage grows ×10 per row).

    .venv/bin/python bench/linear.py                      # 1k 10k 100k 1M
    .venv/bin/python bench/linear.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from dotterel.nlp import load_base_pipeline
from dotterel.pipeline import build_nlp
from dotterel.settings import Settings

# Invented text (no copy of any real article); names and places vary with the paragraph number.
_PARAGRAPHS = [
    ("The foreign minister of Norland said on Tuesday that talks with Belmark would resume next week, "
     "two days after the border clash that killed three soldiers."),
    ("\"We will not accept any deal that ignores our security,\" the minister told reporters in the capital. "
     "\"The door remains open,\" he added, \"but time is short.\""),
    ("Belmark's defence ministry said in a statement that its troops had withdrawn from the valley since "
     "March and accused Norland of shelling two villages late Wednesday night."),
    ("According to the United Nations, about 4,000 people have fled the area within the past month, and "
     "aid convoys are expected to arrive by the end of the year."),
    ("Protesters gathered outside parliament earlier this month, demanding the release of journalists "
     "detained in 2019. Police arrested dozens, a spokeswoman for the interior ministry said."),
    ("The two presidents are scheduled to meet in Geneva from Monday to Wednesday, the state news agency "
     "reported, the first such meeting since the 1990s."),
]


def make_text(n_chars: int) -> str:
    out: list[str] = []
    size = 0
    k = 0
    while size < n_chars:
        para = _PARAGRAPHS[k % len(_PARAGRAPHS)]
        if k >= len(_PARAGRAPHS):  # vary a little so no two paragraphs are identical
            para = para.replace("Norland", f"Norland{k % 97}").replace("Belmark", f"Belmark{k % 89}")
        out.append(para)
        size += len(para) + 2
        k += 1
    return "\n\n".join(out)[:n_chars]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    ap.add_argument("--model", default="en_core_web_md")
    args = ap.parse_args()

    settings = Settings(model=args.model)
    bare = load_base_pipeline(args.model)
    full = build_nlp(settings)
    top = max(args.sizes) + 1000
    bare.max_length = full.max_length = max(bare.max_length, top)
    bare(make_text(2000))  # warm-up
    warm = full.make_doc(make_text(2000))
    for _, proc in full.pipeline:
        warm = proc(warm)

    print(f"{'chars':>9} {'spaCy s':>8} {'stages s':>8} {'spaCy µs/ch':>11} {'stages µs/ch':>12} "
          f"{'stages/spaCy':>12}  per stage µs/char")
    for n in args.sizes:
        text = make_text(n)
        t0 = time.process_time()
        bare(text)
        spacy_s = time.process_time() - t0

        doc = full.make_doc(text)
        doc._.dct = dt.date(2024, 5, 17)
        stage: dict[str, float] = {}
        for name, proc in full.pipeline:
            t0 = time.process_time()
            doc = proc(doc)
            stage[name] = time.process_time() - t0
        ours = {k: v for k, v in stage.items() if k.startswith("dotterel_")}
        ours_s = sum(ours.values())
        per = "  ".join(f"{k.removeprefix('dotterel_')}={v / n * 1e6:.2f}" for k, v in ours.items())
        print(f"{n:>9} {spacy_s:>8.2f} {ours_s:>8.2f} {spacy_s / n * 1e6:>11.2f} {ours_s / n * 1e6:>12.2f} "
              f"{ours_s / spacy_s:>12.2f}  {per}", flush=True)


if __name__ == "__main__":
    main()
