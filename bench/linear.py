"""Does coding cost grow linearly with document length? (a benchmark, not a test)

For documents of 1k, 10k, 100k and 1M characters (invented news paragraphs, repeated and
varied), times in one process, on the same text:

* ``spacy``  bare ``en_core_web_md`` (``load_base_pipeline``) on the text;
* ``coder``  ``Coder.code`` on a Document with that text (no time budget): debris masking and
             tokenizing (``make_doc``), the base pipeline, Dotterel's stages and the output
             records, every stage timed by ``Coder.clock``.

Printed per size: CPU seconds of both, the coder/spaCy time ratio (the issue-15 target for 1M
characters: <= 2), microseconds per character for bare spaCy and for Dotterel's own work (the
coder minus its spaCy pipes), and per-stage µs/char. Linear cost means the µs/char columns stay
flat as the size grows (a quadratic stage grows ×10 per row).

    .venv/bin/python bench/linear.py                      # 1k 10k 100k 1M
    .venv/bin/python bench/linear.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import time

from dotterel.ingest import Document
from dotterel.nlp import load_base_pipeline
from dotterel.pipeline import Coder
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

    settings = Settings(model=args.model, time_budget=0)  # a benchmark: no budget
    bare = load_base_pipeline(args.model)
    coder = Coder(settings)
    top = max(args.sizes) + 1000
    bare.max_length = coder.nlp.max_length = max(bare.max_length, top)
    bare(make_text(2000))  # warm-up
    coder.code(Document(id="warm", text=make_text(2000), published=dt.date(2024, 5, 17)))
    print(f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    print(f"{'chars':>9} {'spaCy s':>8} {'coder s':>8} {'coder/spaCy':>11} {'spaCy µs/ch':>11} {'ours µs/ch':>10}  "
          f"per stage µs/char (ours = coder minus its spaCy pipes)")
    base = set(bare.pipe_names)
    for n in args.sizes:
        text = make_text(n)
        gc.collect()
        t0 = time.process_time()
        bare(text)
        spacy_s = time.process_time() - t0

        coder.clock.reset()
        gc.collect()
        t0 = time.process_time()
        coded = coder.code(Document(id=f"n{n}", text=text, published=dt.date(2024, 5, 17)))
        coder_s = time.process_time() - t0
        assert not coded.errors, coded.errors
        ours = {k: v for k, v in coder.clock.cpu.items() if k not in base}
        ours_s = coder_s - sum(v for k, v in coder.clock.cpu.items() if k in base)
        per = "  ".join(f"{k.removeprefix('dotterel_')}={v / n * 1e6:.2f}" for k, v in ours.items())
        print(f"{n:>9} {spacy_s:>8.2f} {coder_s:>8.2f} {coder_s / spacy_s:>11.2f} {spacy_s / n * 1e6:>11.2f} "
              f"{ours_s / n * 1e6:>10.2f}  {per}", flush=True)


if __name__ == "__main__":
    main()
