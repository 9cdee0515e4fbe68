"""Turn paths, stdin and JSON records into :class:`Document` s. Never raises for bad input:
a document that cannot be read is returned with an ``errors`` entry so the batch goes on."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from dotterel.errors import ErrorCode
from dotterel.ingest.checks import check_text, decode_bytes, error, parse_date
from dotterel.ingest.cleanup import find_debris
from dotterel.ingest.dateline import find_dateline
from dotterel.ingest.document import Document
from dotterel.settings import Settings

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def _finish(doc: Document, settings: Settings, date: dt.date | None) -> Document:
    """Validate the text and settle the publication date (user date > input > metadata > dateline)."""
    if not doc.errors:
        problem = check_text(doc.text, settings.max_chars, settings.check_language)
        if problem:
            doc.errors.append(problem)
    if date is not None:
        doc.published, doc.published_basis = date, "user"
    if doc.published is None and not doc.errors:
        found = find_dateline(doc.text, find_debris(doc.text))
        if found:
            doc.published, doc.published_basis = found, "dateline"
    if doc.published is None and not doc.errors:
        doc.warnings.append(error(ErrorCode.NO_PUBLICATION_DATE))
    return doc


def html_to_document(html: str, doc_id: str, *, url: str | None = None) -> Document:
    """Main text, title and date of an HTML page through trafilatura (paragraphs joined by blank lines)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, url=url)
    text = (getattr(extracted, "text", None) or "").strip() if extracted is not None else ""
    if len(text.split()) < 8:
        return Document(id=doc_id, text="", url=url, errors=[error(ErrorCode.NO_ARTICLE)])
    text = "\n\n".join(p.strip() for p in text.split("\n") if p.strip())
    doc = Document(id=doc_id, text=text, title=getattr(extracted, "title", None), url=url)
    date = getattr(extracted, "date", None)
    if date:
        try:
            doc.published, doc.published_basis = parse_date(date), "metadata"
        except ValueError:
            pass
    return doc


def headline(text: str) -> str | None:
    """The first line when it stands alone as a headline (short, no final full stop, a blank line after it)."""
    first, sep, _ = text.lstrip().partition("\n\n")
    first = first.strip()
    if sep and first and "\n" not in first and len(first) <= 200 and not first.endswith((".", "”", '"')):
        return first
    return None


def document_from_text(text: str, doc_id: str, settings: Settings, *, date: dt.date | None = None,
                       title: str | None = None, source: str | None = None, url: str | None = None) -> Document:
    doc = Document(id=doc_id, text=text, title=title or headline(text), source=source, url=url)
    return _finish(doc, settings, date)


def document_from_record(record: object, settings: Settings, *, fallback_id: str, line: int = 0,
                         date: dt.date | None = None, base: Path | None = None) -> Document:
    """A JSONL record ``{"id", "text" or "html" or "path", "date", "title", "source", "url"}``;
    ``path`` names a .txt/.html file relative to the JSONL file's folder."""
    if not isinstance(record, dict):
        return Document(id=fallback_id, text="", errors=[error(ErrorCode.BAD_JSON, line=line, reason="not an object")])
    doc_id = str(record.get("id") or fallback_id)
    url = record.get("url") or None
    if isinstance(record.get("text"), str):
        doc = Document(id=doc_id, text=record["text"], url=url)
    elif isinstance(record.get("html"), str):
        doc = html_to_document(record["html"], doc_id, url=url)
    elif isinstance(record.get("path"), str):
        target = (base or Path(".")) / record["path"]
        if not target.is_file():
            return Document(id=doc_id, text="", url=url, errors=[error(ErrorCode.INPUT_NOT_FOUND, path=str(target))])
        text, problem = decode_bytes(target.read_bytes(), settings.max_chars)
        if problem or text is None:
            return Document(id=doc_id, text="", url=url, errors=[problem] if problem else [])
        doc = html_to_document(text, doc_id, url=url) if target.suffix.lower() in HTML_SUFFIXES else \
            Document(id=doc_id, text=text, url=url)
    else:
        return Document(id=doc_id, text="", url=url, errors=[error(ErrorCode.MISSING_FIELD, line=line, field="text")])
    doc.title = record.get("title") or doc.title
    doc.source = record.get("source") or doc.source
    raw_date = record.get("date") or record.get("published")
    if raw_date and date is None:
        try:
            doc.published, doc.published_basis = parse_date(raw_date), "input"
        except ValueError:
            doc.errors.append(error(ErrorCode.BAD_DATE, value=str(raw_date)))
    return _finish(doc, settings, date)


def _iter_jsonl(lines: Iterable[bytes], name: str, settings: Settings, date: dt.date | None,
                base: Path | None = None) -> Iterator[Document]:
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        fallback = f"{name}:{lineno}"
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield Document(id=fallback, text="", errors=[error(ErrorCode.BAD_JSON, line=lineno, reason=str(exc))])
            continue
        yield document_from_record(record, settings, fallback_id=fallback, line=lineno, date=date, base=base)


def read_path(path: Path, settings: Settings, *, date: dt.date | None = None) -> Iterator[Document]:
    """Documents from one file (``.txt``, ``.html``, ``.jsonl``/``.jsonl.gz``) or a directory of them."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
            yield from read_path(child, settings, date=date)
        return
    name = path.name
    suffixes = [s.lower() for s in path.suffixes]
    if not path.exists():
        yield Document(id=name, text="", errors=[error(ErrorCode.INPUT_NOT_FOUND, path=str(path))])
        return
    if suffixes and suffixes[-1] == ".gz" and len(suffixes) >= 2 and suffixes[-2] in JSONL_SUFFIXES:
        with gzip.open(path, "rb") as fh:
            yield from _iter_jsonl(fh, name, settings, date, path.parent)
        return
    if suffixes and suffixes[-1] in JSONL_SUFFIXES:
        with path.open("rb") as fh:
            yield from _iter_jsonl(fh, name, settings, date, path.parent)
        return
    doc_id = path.stem
    size = path.stat().st_size
    if size > settings.max_chars * 4:
        yield Document(id=doc_id, text="", errors=[error(ErrorCode.TOO_LARGE, size=f"about {size}", limit=settings.max_chars)])
        return
    text, problem = decode_bytes(path.read_bytes(), settings.max_chars)
    if problem or text is None:
        yield Document(id=doc_id, text="", errors=[problem] if problem else [])
        return
    if suffixes and suffixes[-1] in HTML_SUFFIXES:
        doc = html_to_document(text, doc_id)
        yield _finish(doc, settings, date)
        return
    yield document_from_text(text, doc_id, settings, date=date)


def read_stdin(settings: Settings, *, date: dt.date | None = None) -> Iterator[Document]:
    data = sys.stdin.buffer.read()
    text, problem = decode_bytes(data, settings.max_chars)
    if problem or text is None:
        yield Document(id="stdin", text="", errors=[problem] if problem else [])
        return
    stripped = text.lstrip()
    if stripped.startswith("<") and "<html" in stripped[:2000].lower():
        yield _finish(html_to_document(text, "stdin"), settings, date)
    else:
        yield document_from_text(text, "stdin", settings, date=date)


def read_inputs(inputs: Iterable[str], settings: Settings, *, date: dt.date | None = None) -> Iterator[Document]:
    """Documents from CLI-style inputs: paths, directories, or ``-`` for stdin."""
    for item in inputs:
        if item == "-":
            yield from read_stdin(settings, date=date)
        else:
            yield from read_path(Path(item), settings, date=date)
