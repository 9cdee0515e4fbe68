"""Issue 12: a per-document time budget. A document that runs away gets E111 naming its stage; the
batch goes on. The runaway stages here loop forever, so the outcome does not depend on machine speed."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from dotterel.ingest import document_from_text
from dotterel.pipeline import Coder, TimeBudgetExceeded, time_budget
from dotterel.settings import Settings

TEXT = "The two governments agreed on Wednesday to reopen the border crossing, officials said."
MARK = "ZZRUNAWAY"


def _spin_forever() -> None:
    while True:
        try:
            sum(range(1000))
        except Exception:
            pass


@Language.component("test_runaway_doc")
def _runaway(doc: Doc) -> Doc:
    if MARK in doc.text:
        _spin_forever()
    return doc


class _RunawayBatched:
    """A stage with ``pipe`` (run over the whole batch, like spaCy's trained stages)."""

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs, batch_size: int = 16) -> Iterator[Doc]:
        for doc in docs:
            if MARK in doc.text:
                _spin_forever()
            yield doc


@Language.factory("test_runaway_batched")
def _make_batched(nlp: Language, name: str) -> _RunawayBatched:
    return _RunawayBatched()


def test_budget_stops_a_python_loop_in_the_main_thread() -> None:
    with pytest.raises(TimeBudgetExceeded), time_budget(0.2):
        _spin_forever()


def test_budget_stops_a_python_loop_in_another_thread() -> None:
    def work() -> str:
        try:
            with time_budget(0.2):
                _spin_forever()
        except TimeBudgetExceeded:
            return "stopped"
        return "finished"

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(work).result(timeout=60) == "stopped"


def test_budget_does_not_fire_after_the_block_and_restores_an_outer_timer() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with time_budget(0.05):
            pass
        time.sleep(0.1)  # the budget's own timer is gone: nothing raises here
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 0.5  # the outer timer is running again
        signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert threading.active_count() >= 1


@pytest.mark.parametrize("factory", ["test_runaway_doc", "test_runaway_batched"])
def test_runaway_document_gets_e111_and_the_batch_goes_on(coder: Coder, factory: str) -> None:
    settings = Settings(time_budget=1.0)
    budgeted = Coder(settings, nlp=coder.nlp)
    coder.nlp.add_pipe(factory, name="runaway", after="dotterel_times")
    try:
        docs = [document_from_text(t, f"d{k}", settings) for k, t in
                enumerate([TEXT, TEXT + " " + MARK, "Police arrested 40 protesters in Minsk on Sunday."])]
        out = list(budgeted.code_documents(docs))
    finally:
        coder.nlp.remove_pipe("runaway")
    assert [c.doc.id for c in out] == ["d0", "d1", "d2"]
    assert [[e.code for e in c.errors] for c in out] == [[], ["E111"], []]
    assert "stage: runaway" in out[1].errors[0].message
    assert out[2].events, "the document after the runaway one is coded"


def test_runaway_document_in_a_worker_thread(coder: Coder) -> None:
    settings = Settings(time_budget=1.0)
    budgeted = Coder(settings, nlp=coder.nlp)
    coder.nlp.add_pipe("test_runaway_doc", name="runaway", after="dotterel_times")
    try:
        with ThreadPoolExecutor(1) as pool:
            coded = pool.submit(budgeted.code, document_from_text(TEXT + " " + MARK, "t", settings)).result(timeout=120)
    finally:
        coder.nlp.remove_pipe("runaway")
    assert [e.code for e in coded.errors] == ["E111"]


def test_stage_by_stage_coding_equals_nlp_pipe(coder: Coder) -> None:
    """Running the stages one group at a time (to time them) gives exactly what ``nlp.pipe`` gives."""
    from dotterel.assemble import build

    texts = [TEXT, "Police arrested 40 protesters in Minsk on Sunday.",
             "Turkish President Recep Tayyip Erdogan will visit Azerbaijan from Tuesday to Thursday, his office said."]

    def docs():
        return [document_from_text(t, f"d{k}", coder.settings) for k, t in enumerate(texts)]

    ours = [c.model_dump_json() for c in coder.code_documents(docs())]
    plain = docs()
    reference = [build(d, sd).model_dump_json()
                 for d, sd in zip(plain, coder.nlp.pipe([coder.make_doc(d) for d in plain]), strict=True)]
    assert ours == reference


def test_a_long_document_gets_a_budget_in_proportion_to_its_length() -> None:
    """A 1M-character document (inside the size limit) needs far more than a news story's budget:
    the budget covers BUDGET_CHARS characters and grows linearly beyond them."""
    from dotterel.pipeline import BUDGET_CHARS, document_budget

    short = document_from_text("Peru and Chile held talks in Lima on Monday.", "s", Settings(check_language=False))
    long = document_from_text("Peru and Chile held talks. " * (BUDGET_CHARS // 9), "l", Settings(check_language=False))
    assert document_budget(30.0, short) == 30.0
    assert document_budget(30.0, long) == 30.0 * len(long.text) / BUDGET_CHARS > 85.0  # ~300k characters
    assert document_budget(0.0, long) == 0.0  # off stays off
