"""The coder: one spaCy pipeline with Dotterel's stages, loaded once, applied to Documents."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from dotterel.errors import ErrorCode
from dotterel.ingest.checks import error
from dotterel.ingest.cleanup import find_debris, mask
from dotterel.ingest.document import Document
from dotterel.nlp import load_base_pipeline, register_extensions
from dotterel.records.build import build, failed
from dotterel.records.models import CodedDocument
from dotterel.settings import Settings

#: Dotterel's stages in data-flow order: (factory name, module that registers it).
STAGES: tuple[tuple[str, str], ...] = (
    ("dotterel_actors", "dotterel.actors.component"),
    ("dotterel_times", "dotterel.times.component"),
    ("dotterel_quotes", "dotterel.quotes.component"),
    ("dotterel_events", "dotterel.events.component"),
)


def build_nlp(settings: Settings) -> Language:
    """The base spaCy pipeline plus Dotterel's components (each configured from ``settings``)."""
    register_extensions()
    importlib.import_module("dotterel.nlp.paragraphs")
    nlp = load_base_pipeline(settings.model)
    nlp.add_pipe("dotterel_paragraphs", first=True)
    dirs = [str(d) for d in settings.resource_dirs]
    for factory, module in STAGES:
        importlib.import_module(module)
        config: dict[str, object] = {"resource_dirs": dirs}
        if factory == "dotterel_events":
            config["min_confidence"] = settings.min_confidence
        nlp.add_pipe(factory, config=config)
    return nlp


class Coder:
    """Codes documents. Create one per process and reuse it: loading the model is the slow part."""

    def __init__(self, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp = nlp or build_nlp(self.settings)

    def make_doc(self, document: Document) -> Doc:
        debris = find_debris(document.text)
        if debris:
            kinds = ", ".join(sorted({k.split(":")[0] for _, _, k in debris}))
            document.warnings.append(error(ErrorCode.DEBRIS_REMOVED, what=kinds))
        doc = self.nlp.make_doc(mask(document.text, debris))
        doc._.dct = document.published
        doc._.skip_ranges = [(s, e) for s, e, _ in debris]
        return doc

    def code(self, document: Document) -> CodedDocument:
        return next(self.code_documents([document]))

    def code_documents(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        """Code documents in order, in ``nlp.pipe`` batches, in this process. Documents that already
        carry errors are passed through; a document whose coding raises gets ``E110`` and the rest go
        on. (For several processes or machines use :mod:`dotterel.corpus`, which runs one Coder per
        worker process; spaCy's own ``n_process`` cannot carry Dotterel's Doc extensions.)"""
        batch: list[Document] = []
        for document in documents:
            if document.errors:
                yield from self._flush(batch)
                batch = []
                yield failed(document)
                continue
            batch.append(document)
            if len(batch) >= self.settings.batch_size:
                yield from self._flush(batch)
                batch = []
        yield from self._flush(batch)

    def _flush(self, batch: list[Document]) -> Iterator[CodedDocument]:
        if not batch:
            return
        try:
            docs = [self.make_doc(d) for d in batch]
            coded = list(self.nlp.pipe(docs, batch_size=self.settings.batch_size))
            results = [build(d, doc) for d, doc in zip(batch, coded, strict=True)]
        except Exception:  # one bad document must not sink the batch: retry one by one
            results = [self._code_one(d) for d in batch]
        yield from results

    def _code_one(self, document: Document) -> CodedDocument:
        try:
            doc = self.nlp(self.make_doc(document))
            return build(document, doc)
        except Exception as exc:
            document.errors.append(error(ErrorCode.PROCESSING_FAILED, reason=f"{type(exc).__name__}: {exc}"))
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
