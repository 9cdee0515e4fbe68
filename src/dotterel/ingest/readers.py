"""Turn paths, stdin and JSON records into :class:`Document` s. Never raises for bad input:
a document that cannot be read is returned with an ``errors`` entry so the batch goes on."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dotterel.errors import DotterelError, ErrorCode
from dotterel.ingest.checks import check_text, decode_bytes, error
from dotterel.ingest.cleanup import find_debris
from dotterel.ingest.dateline import find_dateline
from dotterel.ingest.dates import parse_date
from dotterel.ingest.document import Document
from dotterel.records.models import DocError
from dotterel.settings import Settings

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: JSONL record fields that must be strings when present.
_STRING_FIELDS = ("text", "html", "path", "title", "source", "url", "date", "published")


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


def resolve_record_path(value: str, jsonl_file: Path | None) -> Path:
    """THE rule for a JSONL record's ``path``: an absolute path is used as it is; a relative one is
    relative to the folder of the JSONL file holding the record (the working directory only when the
    record comes from no file). ``code`` and ``corpus`` both call this."""
    target = Path(value).expanduser()
    if target.is_absolute() or jsonl_file is None:
        return target
    return jsonl_file.parent / target


def _type_name(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def _wrong_types(record: dict, line: int) -> list[DocError]:
    """A coded error for every field of ``record`` whose value has the wrong type."""
    problems = []
    for name in _STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(error(ErrorCode.WRONG_TYPE, line=line, field=name, expected="a string",
                                  actual=_type_name(value)))
    value = record.get("id")
    if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
        problems.append(error(ErrorCode.WRONG_TYPE, line=line, field="id", expected="a string or an integer",
                              actual=_type_name(value)))
    return problems


def document_from_record(record: object, settings: Settings, *, fallback_id: str, line: int = 0,
                         date: dt.date | None = None, jsonl_file: Path | None = None) -> Document:
    """A JSONL record ``{"id", "text" or "html" or "path", "date", "title", "source", "url"}``.

    ``path`` names a .txt/.html file, resolved by :func:`resolve_record_path` against ``jsonl_file``.
    A field of the wrong type gives the document ``E113`` naming the field; an unreadable ``date``
    is ignored with the warning ``W103`` (the document is still coded)."""
    if not isinstance(record, dict):
        return Document(id=fallback_id, text="", errors=[error(ErrorCode.BAD_JSON, line=line, reason="not an object")])
    raw_id = record.get("id")
    doc_id = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and raw_id != "" \
        else fallback_id
    url = record.get("url") if isinstance(record.get("url"), str) else None
    problems = _wrong_types(record, line)
    if problems:
        return Document(id=doc_id, text="", url=url, errors=problems)
    if isinstance(record.get("text"), str):
        doc = Document(id=doc_id, text=record["text"], url=url)
    elif isinstance(record.get("html"), str):
        doc = html_to_document(record["html"], doc_id, url=url)
    elif isinstance(record.get("path"), str):
        target = resolve_record_path(record["path"], jsonl_file)
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
            doc.warnings.append(error(ErrorCode.UNREADABLE_DATE, value=str(raw_date)[:100]))
    return _finish(doc, settings, date)


def iter_jsonl(lines: Iterable[bytes], settings: Settings, *, jsonl_file: Path | None, id_prefix: str,
               date: dt.date | None = None, first_line: int = 1) -> Iterator[Document]:
    """Documents from JSONL lines (bytes, as read from the file; blank lines skipped). A record without
    an id gets ``f"{id_prefix}:{line}"``; ``path`` records resolve against ``jsonl_file``'s folder.
    ``first_line`` is the line number of the first line given (for a reader that seeks into a file)."""
    for lineno, raw in enumerate(lines, first_line):
        if not raw.strip():
            continue
        fallback = f"{id_prefix}:{lineno}"
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield Document(id=fallback, text="", errors=[error(ErrorCode.BAD_JSON, line=lineno, reason=str(exc))])
            continue
        yield document_from_record(record, settings, fallback_id=fallback, line=lineno, date=date,
                                   jsonl_file=jsonl_file)


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read. ``id`` is the document id of a text/HTML file, or the id prefix of a JSONL
    file's id-less records (``f"{id}:{line}"``); ``kind`` is text, html, jsonl, stdin or missing."""

    path: Path
    id: str
    kind: str


def file_kind(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in JSONL_SUFFIXES:
        return "jsonl"
    if len(suffixes) >= 2 and suffixes[-1] == ".gz" and suffixes[-2] in JSONL_SUFFIXES:
        return "jsonl"
    if suffixes and suffixes[-1] in HTML_SUFFIXES:
        return "html"
    return "text"


def _walk(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))


def _relative(path: Path, root: str) -> str:
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def _id_for(rel: str, kind: str) -> str:
    """A text/HTML file's id is its relative path without the suffix; JSONL keeps the whole name."""
    if kind == "jsonl":
        return rel
    head, _, name = rel.rpartition("/")
    stem = Path(name).stem or name
    return f"{head}/{stem}" if head else stem


def plan_inputs(inputs: Iterable[str | Path], *, missing_ok: bool = False) -> list[InputFile]:
    """The files that CLI-style ``inputs`` (files, directories, ``-`` for stdin) stand for, each with
    the id its documents get. Raises ``DotterelError(E005)`` for an input that does not exist,
    unless ``missing_ok`` (then it is an :class:`InputFile` of kind ``missing``).

    Ids are relative paths, so they are unique per input: a file inside a directory input is named by
    its path below that directory (``a/report``, ``b/report``), a file given by itself by its name.
    When two inputs would still give the same id (``a/feed.jsonl b/feed.jsonl``, or two directories
    both holding ``report.txt``), every path is taken relative to the inputs' common folder instead;
    when two files differ only by suffix (``report.txt``, ``report.html``) they keep it. The same file
    reached twice is read once."""
    items: list[tuple[str, list[Path]]] = []  # (root, files) per input
    plan_slots: list[InputFile | tuple[int, Path]] = []
    seen: set[str] = set()
    for raw in inputs:
        item = str(raw)
        if item == "-":
            plan_slots.append(InputFile(Path("-"), "stdin", "stdin"))
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            root, files = os.path.abspath(path), _walk(path)
        elif path.is_file():
            root, files = os.path.dirname(os.path.abspath(path)), [path]
        elif missing_ok:
            plan_slots.append(InputFile(path, path.name, "missing"))
            continue
        else:
            raise DotterelError(ErrorCode.INPUT_NOT_FOUND, path=item)
        items.append((root, files))
        for f in files:
            key = os.path.abspath(f)
            if key not in seen:
                seen.add(key)
                plan_slots.append((len(items) - 1, f))

    def ids_with(roots: list[str]) -> dict[int, str]:
        rel = {k: _relative(slot[1], roots[slot[0]]) for k, slot in enumerate(plan_slots) if isinstance(slot, tuple)}
        ids = {k: _id_for(r, file_kind(plan_slots[k][1])) for k, r in rel.items()}  # type: ignore[index]
        counts = Counter(ids.values())
        # two files that differ only by suffix keep their suffix
        return {k: (rel[k] if counts[i] > 1 else i) for k, i in ids.items()}

    roots = [root for root, _ in items]
    ids = ids_with(roots)
    if len(set(ids.values())) < len(ids) and len(set(roots)) > 1:
        common = os.path.commonpath(roots)
        ids = ids_with([common] * len(roots))
    return [slot if isinstance(slot, InputFile) else InputFile(slot[1], ids[k], file_kind(slot[1]))
            for k, slot in enumerate(plan_slots)]


def read_file(item: InputFile, settings: Settings, *, date: dt.date | None = None) -> Iterator[Document]:
    """The documents of one planned input file (see :func:`plan_inputs`)."""
    path = item.path
    if item.kind == "stdin":
        yield from read_stdin(settings, date=date)
        return
    if item.kind == "missing" or not path.exists():
        yield Document(id=item.id, text="", errors=[error(ErrorCode.INPUT_NOT_FOUND, path=str(path))])
        return
    if item.kind == "jsonl":
        opener = gzip.open if path.suffix.lower() == ".gz" else open
        with opener(path, "rb") as fh:
            yield from iter_jsonl(fh, settings, jsonl_file=path, id_prefix=item.id, date=date)
        return
    size = path.stat().st_size
    if size > settings.max_chars * 4:
        yield Document(id=item.id, text="", errors=[error(ErrorCode.TOO_LARGE, size=f"about {size}", limit=settings.max_chars)])
        return
    text, problem = decode_bytes(path.read_bytes(), settings.max_chars)
    if problem or text is None:
        yield Document(id=item.id, text="", errors=[problem] if problem else [])
        return
    if item.kind == "html":
        yield _finish(html_to_document(text, item.id), settings, date)
        return
    yield document_from_text(text, item.id, settings, date=date)


def read_path(path: Path, settings: Settings, *, date: dt.date | None = None) -> Iterator[Document]:
    """Documents from one file (``.txt``, ``.html``, ``.jsonl``/``.jsonl.gz``) or a directory of them
    (ids as :func:`plan_inputs` gives them). A missing path is a document with ``E005``."""
    for item in plan_inputs([path], missing_ok=True):
        yield from read_file(item, settings, date=date)


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


@dataclass(slots=True)
class UniqueIds:
    """Document ids already used in one run. The first document with an id keeps it; a later one
    gets ``E112`` (and must not be stored: it would overwrite the first)."""

    first: dict[str, str] = field(default_factory=dict)

    def claim(self, doc: Document, where: str) -> Document:
        if doc.id in self.first:
            doc.errors.append(error(ErrorCode.DUPLICATE_ID, id=doc.id, first=self.first[doc.id]))
        else:
            self.first[doc.id] = where
        return doc


def is_duplicate(doc: Document) -> bool:
    """True for a document that lost an id collision (it carries ``E112``)."""
    return any(e.code == ErrorCode.DUPLICATE_ID.value for e in doc.errors)


def read_plan(plan: Iterable[InputFile], settings: Settings, *, date: dt.date | None = None,
              ids: UniqueIds | None = None) -> Iterator[Document]:
    """Documents from planned inputs, with every id checked for uniqueness within the run."""
    ids = ids if ids is not None else UniqueIds()
    for item in plan:
        for doc in read_file(item, settings, date=date):
            yield ids.claim(doc, str(item.path) if item.kind != "jsonl" else f"{item.path} ({doc.id})")


def read_inputs(inputs: Iterable[str], settings: Settings, *, date: dt.date | None = None) -> Iterator[Document]:
    """Documents from CLI-style inputs: paths, directories, or ``-`` for stdin. Never raises for bad
    input: a missing path is a document with ``E005``, a second document with an id already used in
    this run gets ``E112``."""
    yield from read_plan(plan_inputs(list(inputs), missing_ok=True), settings, date=date)
