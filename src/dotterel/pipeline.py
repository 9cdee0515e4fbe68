"""The coder: one spaCy pipeline with Dotterel's stages, loaded once, applied to Documents."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import functools
import gc
import importlib
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar, cast

from spacy.language import Language
from spacy.tokens import Doc

from dotterel.assemble import build, failed
from dotterel.errors import ErrorCode
from dotterel.ingest.checks import error
from dotterel.ingest.cleanup import find_debris, mask
from dotterel.ingest.document import Document
from dotterel.nlp import load_base_pipeline, made_from, register_extensions
from dotterel.nlp.attributes import index_attribute_ruler
from dotterel.nlp.lemmas import wrap_lemmatizer
from dotterel.records.models import CodedDocument
from dotterel.settings import Settings

_R = TypeVar("_R")

#: Dotterel's stages in data-flow order: (factory name, module that registers it).
STAGES: tuple[tuple[str, str], ...] = (
    ("dotterel_actors", "dotterel.actors.component"),
    ("dotterel_times", "dotterel.times.component"),
    ("dotterel_quotes", "dotterel.quotes.component"),
    ("dotterel_events", "dotterel.events.component"),
)


def build_nlp(settings: Settings, *, fast_pipes: bool = True) -> Language:
    """The base spaCy pipeline plus Dotterel's components (each configured from ``settings``). With
    ``fast_pipes`` (the default) the model's attribute ruler and lemmatizer are replaced by equivalents
    that annotate every token the same way at a fraction of the cost (:mod:`dotterel.nlp.attributes`,
    :mod:`dotterel.nlp.lemmas`); ``fast_pipes=False`` keeps spaCy's own (for comparisons)."""
    register_extensions()
    importlib.import_module("dotterel.nlp.paragraphs")
    nlp = load_base_pipeline(settings.model)
    if fast_pipes:
        index_attribute_ruler(nlp)  # the same matches as spaCy's attribute ruler, found through an index
        wrap_lemmatizer(nlp)  # the same lemmas, each distinct word form lemmatized once
    nlp.add_pipe("dotterel_paragraphs", first=True)
    dirs = [str(d) for d in settings.resource_dirs]
    for factory, module in STAGES:
        importlib.import_module(module)
        config: dict[str, object] = {"resource_dirs": dirs}
        if factory == "dotterel_events":
            config["min_confidence"] = settings.min_confidence
        nlp.add_pipe(factory, config=config)
    return nlp


class TimeBudgetExceeded(BaseException):
    """Raised in the coding thread when a document has used up its time budget. A ``BaseException``
    (like ``KeyboardInterrupt``), so that ``except Exception`` inside a stage cannot swallow it."""


def _raise_async(thread_id: int) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(TimeBudgetExceeded))


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeBudgetExceeded` in the current thread if the block runs longer than
    ``seconds`` (0 or less: no limit). In the main thread a ``SIGALRM`` timer does it (an outer timer,
    e.g. a test runner's, is restored afterwards); in any other thread (Dask workers, web threadpools)
    a timer thread raises the exception asynchronously in the coding thread. Both interrupt Python
    code, which is where a runaway loop lives; neither can stop one long C call before it returns
    (only ending the process can), and stages check the clock between calls too."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        armed = [True]

        def on_alarm(signum: int, frame: object) -> None:
            if armed[0]:
                armed[0] = False
                raise TimeBudgetExceeded

        try:
            previous = signal.signal(signal.SIGALRM, on_alarm)
            installed = True
        except ValueError:  # not the main interpreter: use the timer thread below
            installed = False
        if installed:
            started = time.monotonic()
            outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                yield
            finally:
                armed[0] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
                if outer > 0:  # give the outer timer back what it had left
                    signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
            return
    target = threading.get_ident()
    lock = threading.Lock()
    live = [True]

    def fire() -> None:
        with lock:
            if live[0]:
                live[0] = False
                _raise_async(target)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            live[0] = False
        timer.cancel()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block, as it was before afterwards (a collector
    the caller had disabled stays disabled).

    Coding a batch allocates tens of thousands of small objects (working records, output records) that
    live until the batch is done and die by reference counting, almost none in cycles (48 unreachable
    objects after 16 news digests). With the collector running, they survive its young generations
    while the batch is in flight, are promoted, and every few batches trigger a full collection, which
    walks the whole heap, the loaded model's ~230k objects included: 4.0 CPU ms per document on
    200 news digests, 0.7 ms with the collector paused per batch (``bench/throughput.py``). What the
    batch leaves in cycles is collected as usual once the collector runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(slots=True)
class StageClock:
    """Seconds spent per stage since the coder was made (or :meth:`reset`): ``make_doc`` (debris
    masking and tokenizing), each pipe of the spaCy pipeline by name, and ``records`` (assembling the
    output). Wall-clock and this process's CPU time; read by ``bench/throughput.py``."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, wall: float, cpu: float) -> None:
        self.wall[stage] = self.wall.get(stage, 0.0) + wall
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu

    def reset(self) -> None:
        self.wall.clear()
        self.cpu.clear()


#: The time budget covers this many characters; a longer document gets proportionally more (coding
#: time grows linearly with length: a 1M-character document needs far more than a news story's 30 s).
BUDGET_CHARS = 100_000


def document_budget(budget: float, document: Document) -> float:
    """Seconds ``document`` may take: ``budget`` (``Settings.time_budget``), scaled up in proportion
    to the length of a document longer than :data:`BUDGET_CHARS` characters; 0 (no limit) stays 0."""
    if budget <= 0:
        return 0.0
    return budget * max(1.0, len(document.text) / BUDGET_CHARS)


@dataclass(slots=True)
class _Batch:
    """One batch in flight: its documents, their Docs so far, the seconds each has used and the
    results of those that are finished (coded or failed)."""

    documents: list[Document]
    docs: list[Doc | None]
    spent: list[float]
    results: list[CodedDocument | None]
    budgets: list[float]  # seconds each document may take (0: no limit)

    @classmethod
    def of(cls, documents: list[Document], budget: float) -> _Batch:
        n = len(documents)
        return cls(documents, [None] * n, [0.0] * n, [None] * n, [document_budget(budget, d) for d in documents])

    def live(self) -> list[int]:
        return [k for k, r in enumerate(self.results) if r is None]


class Coder:
    """Codes documents. Create one per process and reuse it: loading the model is the slow part."""

    def __init__(self, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp = nlp or build_nlp(self.settings)
        self.clock = StageClock()

    def make_doc(self, document: Document) -> Doc:
        debris = find_debris(document.text)
        if debris:
            kinds = ", ".join(sorted({k.split(":")[0] for _, _, k in debris}))
            warning = error(ErrorCode.DEBRIS_REMOVED, what=kinds)
            if warning not in document.warnings:  # a retried document is not warned twice
                document.warnings.append(warning)
        text = mask(document.text, debris)
        doc = made_from(self.nlp.make_doc(text), text)
        doc._.dct = document.published
        doc._.skip_ranges = [(s, e) for s, e, _ in debris]
        return doc

    def code(self, document: Document) -> CodedDocument:
        return next(self.code_documents([document]))

    def code_documents(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        """Code documents in order, in batches of ``settings.batch_size``, in this process. Documents
        that already carry errors are passed through; a document whose coding raises gets ``E110``,
        one that runs over ``settings.time_budget`` gets ``E111`` naming the stage, and the rest go
        on. (For several processes or machines use :mod:`dotterel.corpus`, which runs one Coder per
        worker process; spaCy's own ``n_process`` cannot carry Dotterel's Doc extensions.)"""
        batch: list[Document] = []
        for document in documents:
            if document.errors:
                yield from self._code_batch(batch)
                batch = []
                yield failed(document)
                continue
            batch.append(document)
            if len(batch) >= self.settings.batch_size:
                yield from self._code_batch(batch)
                batch = []
        yield from self._code_batch(batch)

    def _stage_groups(self) -> list[tuple[bool, list[tuple[str, Callable]]]]:
        """The pipeline as runs of stages: (batched, stages). spaCy's trained stages run over the
        whole batch (``pipe``); Dotterel's stages run document by document, each under its budget."""
        groups: list[tuple[bool, list[tuple[str, Callable]]]] = []
        for name, proc in self.nlp.pipeline:
            batched = hasattr(proc, "pipe")
            if groups and groups[-1][0] == batched:
                groups[-1][1].append((name, proc))
            else:
                groups.append((batched, [(name, proc)]))
        return groups

    def _code_batch(self, documents: list[Document]) -> list[CodedDocument]:
        """Code ``documents`` (see :meth:`_code_batch_now`) with the garbage collector paused
        (:func:`gc_paused`)."""
        if not documents:
            return []
        with gc_paused():
            return self._code_batch_now(documents)

    def _code_batch_now(self, documents: list[Document]) -> list[CodedDocument]:
        """Code ``documents``. Each has ``settings.time_budget`` seconds (per :data:`BUDGET_CHARS`
        characters, see :func:`document_budget`): its own time in the
        per-document stages plus its share of the batched ones. A batched stage that fails or runs
        over the whole batch's budget sends the batch back one document at a time."""
        if not documents:
            return []
        b = _Batch.of(documents, self.settings.time_budget)
        for k, document in enumerate(documents):
            b.docs[k] = self._per_document(b, k, "tokenizer", functools.partial(self.make_doc, document))
        for batched, stages in self._stage_groups():
            if not b.live():
                break
            if not batched:
                self._run_per_document(b, stages)
            elif (retried := self._run_batched(b, stages)) is not None:
                return retried
        for k in b.live():
            doc = cast(Doc, b.docs[k])  # a live document has come through every stage
            coded = self._per_document(b, k, "records", functools.partial(build, documents[k], doc))
            if coded is not None:  # on failure _per_document has set the result
                b.results[k] = coded
        return [r for r in b.results if r is not None]

    def _per_document(self, b: _Batch, k: int, stage: str, work: Callable[[], _R]) -> _R | None:
        """Run ``work`` for document ``k`` within what is left of its budget; None if it failed
        (the document's result is then set to the failure)."""
        budget = b.budgets[k]
        started, cpu = time.monotonic(), time.process_time()
        left = budget - b.spent[k] if budget > 0 else 0.0
        try:
            if budget > 0 and left <= 0:
                raise TimeBudgetExceeded
            with time_budget(left):
                out = work()
            elapsed = time.monotonic() - started
            b.spent[k] += elapsed
            self.clock.add("make_doc" if stage == "tokenizer" else stage, elapsed, time.process_time() - cpu)
            if budget > 0 and b.spent[k] > budget:
                raise TimeBudgetExceeded  # a long C call the timer could not interrupt
            return out
        except TimeBudgetExceeded:
            b.results[k] = self._fail(b.documents[k], ErrorCode.TIMED_OUT, budget=budget, stage=stage)
        except Exception as exc:
            b.results[k] = self._fail(b.documents[k], ErrorCode.PROCESSING_FAILED, reason=f"{type(exc).__name__}: {exc}")
        return None

    def _run_per_document(self, b: _Batch, stages: list[tuple[str, Callable]]) -> None:
        for k in b.live():
            for stage, proc in stages:
                b.docs[k] = self._per_document(b, k, stage, functools.partial(proc, b.docs[k]))
                if b.docs[k] is None:
                    break

    def _run_batched(self, b: _Batch, stages: list[tuple[str, Callable]]) -> list[CodedDocument] | None:
        """Run spaCy's batched stages over the live documents. If one fails or the batch runs over its
        budget, the batch is coded again one document at a time and those results are returned;
        a single document fails with ``E111``/``E110``. None when the stages went through."""
        live = b.live()
        stage = stages[0][0]
        started = time.monotonic()
        try:
            with time_budget(sum(b.budgets[k] for k in live)):
                group_docs = [b.docs[k] for k in live]
                for stage, proc in stages:
                    t0, c0 = time.monotonic(), time.process_time()
                    group_docs = list(proc.pipe(group_docs, batch_size=self.settings.batch_size))  # type: ignore[attr-defined]
                    self.clock.add(stage, time.monotonic() - t0, time.process_time() - c0)
        except (TimeBudgetExceeded, Exception) as exc:
            if len(b.documents) > 1:  # cannot tell which document: code them one at a time
                return [r if r is not None else self._code_batch([b.documents[k]])[0] for k, r in enumerate(b.results)]
            if isinstance(exc, TimeBudgetExceeded):
                b.results[0] = self._fail(b.documents[0], ErrorCode.TIMED_OUT, budget=b.budgets[0], stage=stage)
            else:
                b.results[0] = self._fail(b.documents[0], ErrorCode.PROCESSING_FAILED, reason=f"{type(exc).__name__}: {exc}")
            return None
        share = (time.monotonic() - started) / len(live)
        for k, doc in zip(live, group_docs, strict=True):
            b.docs[k] = doc
            b.spent[k] += share
        return None

    @staticmethod
    def _fail(document: Document, code: ErrorCode, **fields: object) -> CodedDocument:
        document.errors.append(error(code, **fields))
        return failed(document)


@functools.lru_cache(maxsize=4)
def get_coder(settings: Settings) -> Coder:
    """A per-process coder for ``settings`` (the model is loaded once)."""
    return Coder(settings)


def code_text(text: str, date: dt.date | str | None = None, *, doc_id: str | None = None,
              title: str | None = None, settings: Settings | None = None) -> CodedDocument:
    """Code one text. ``date`` is the publication date that relative dates resolve against."""
    from dotterel.ingest.checks import parse_date
    from dotterel.ingest.readers import document_from_text

    settings = settings or Settings()
    d = parse_date(date) if date is not None else None
    document = document_from_text(text, doc_id or "text", settings, date=d, title=title)
    if doc_id is None:
        document.id = "doc-" + document.content_hash[:16]
    return get_coder(settings).code(document)


def code_documents(documents: Iterable[Document], *, settings: Settings | None = None) -> Iterator[CodedDocument]:
    """Code many documents (see :func:`dotterel.ingest.read_inputs` to read them from files)."""
    return get_coder(settings or Settings()).code_documents(documents)
