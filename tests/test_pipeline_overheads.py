"""Issue 15: the coder's own overheads around spaCy (garbage collector, per-stage bookkeeping) — what
they do, not how fast (no timed assertions; bench/throughput.py measures)."""

from __future__ import annotations

import gc

from spacy.language import Language
from spacy.tokens import Doc

from dotterel.ingest import document_from_text
from dotterel.pipeline import Coder

TEXT = "Police arrested 40 protesters in Minsk on Sunday, the interior ministry said."
SEEN: list[bool] = []


@Language.component("test_gc_probe")
def _probe(doc: Doc) -> Doc:
    SEEN.append(gc.isenabled())
    return doc


def _code_with_probe(coder: Coder) -> None:
    coder.nlp.add_pipe("test_gc_probe", name="gc_probe")
    try:
        coded = list(coder.code_documents([document_from_text(TEXT, f"g{k}", coder.settings) for k in range(3)]))
    finally:
        coder.nlp.remove_pipe("gc_probe")
    assert [c.errors for c in coded] == [[], [], []]


def test_collector_is_paused_while_a_batch_is_coded_and_restored_after(coder: Coder) -> None:
    SEEN.clear()
    assert gc.isenabled()
    _code_with_probe(coder)
    assert SEEN == [False, False, False]
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_disabled(coder: Coder) -> None:
    gc.disable()
    try:
        _code_with_probe(coder)
        assert not gc.isenabled()
    finally:
        gc.enable()
