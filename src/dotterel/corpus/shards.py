"""Cutting inputs into shards of N documents, and reading one shard back.

A shard is a list of *parts*: a slice of a JSONL file (documents ``start``..``stop`` of that
file, with the byte offset of its first line so a worker can seek straight to it) or a
single-document file (.txt, .html, ...). JSONL files are cut on their own; single-document
files of one input (a directory or a glob) are grouped, in sorted order, into shards of N.

Shard ids are derived from the resolved input path, the shard's position (its document range,
or the files it holds) **and a hash of its content** (the bytes of its lines or files), plus the
``--date`` override, so planning the same inputs twice gives the same shards and a re-run skips
the ones its manifest says are finished, while a shard whose content changed gets a new id and
is coded again: editing a line redoes its shard, inserting a line redoes its shard and the ones
after it (their positions moved), appending lines redoes only the last, partial shard.

Duplicate ids are found here, over the whole run, so the outcome does not depend on the shard
size: the first record with an id (in input order) is the document; a later JSONL record with
the same id becomes a failed document (``E112``) that is counted but never stored, so it cannot
overwrite the first. Documents with the same text and different ids are all kept.
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, cast

from dotterel.errors import DotterelError, ErrorCode
from dotterel.ingest.checks import error
from dotterel.ingest.document import Document
from dotterel.ingest.readers import InputFile, iter_jsonl, plan_inputs, read_file
from dotterel.settings import Settings

GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True, slots=True)
class ShardPart:
    """``kind`` is ``jsonl`` (documents ``start``..``stop`` of the file, the first at byte
    ``offset`` on line ``line``) or ``file`` (the whole file is one document). ``id`` and
    ``file_kind`` are what :func:`dotterel.ingest.readers.plan_inputs` gave the file (the
    document id, or for JSONL the prefix of id-less records' ids)."""

    path: str
    kind: str
    start: int = 0
    stop: int = 1
    offset: int = 0
    line: int = 1
    id: str = ""
    file_kind: str = "text"
    #: JSONL lines of this part whose id an earlier document of the run has: (line, id, first use)
    duplicates: tuple[tuple[int, str, str], ...] = ()
    #: for a file whose id an earlier document of the run has: where that id was first used
    duplicate_of: str = ""
    #: documents of the JSONL range to pass over first (a piece of a split shard)
    skip: int = 0

    @property
    def n_docs(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True, slots=True)
class ShardSpec:
    shard_id: str
    input: str
    index: int
    parts: tuple[ShardPart, ...] = field(default_factory=tuple)
    #: for a piece of a split shard: the shard's id and how many pieces that split made
    parent: str = ""
    n_pieces: int = 0
    #: for a piece: the position of its first document in the shard, and the shard's number of documents
    offset: int = 0
    parent_docs: int = 0

    @property
    def n_docs(self) -> int:
        return sum(p.n_docs for p in self.parts)

    def to_dict(self) -> dict:
        return asdict(self)


def _open(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))  # a binary stream; typeshed types GzipFile apart from IO
    return path.open("rb")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] or "input"


def _hash(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()[:10]


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """CLI inputs with globs expanded (sorted matches); files and directories as they are.
    Raises ``E005`` for an input that matches nothing, ``E003`` for stdin."""
    out: list[str] = []
    for item in inputs:
        if item == "-":
            raise DotterelError(ErrorCode.BAD_SETTING, name="INPUT", reason="the corpus command cannot read stdin; give files")
        path = Path(item).expanduser()
        if path.exists():
            out.append(str(path))
            continue
        matches = sorted(glob.glob(str(path), recursive=True)) if GLOB_CHARS.search(item) else []
        if not matches:
            raise DotterelError(ErrorCode.INPUT_NOT_FOUND, path=item)
        out.extend(matches)
    return out


def record_id(raw: bytes, fallback: str) -> str:
    """The id :func:`dotterel.ingest.document_from_record` gives the JSONL line ``raw``: its
    ``id`` (a non-empty string or an integer), else ``fallback`` (also for a line that is not a
    JSON object)."""
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return fallback
    if not isinstance(record, dict):
        return fallback
    value = record.get("id")
    if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
        return str(value)
    return fallback


@dataclass(slots=True)
class _Chunk:
    start: int
    stop: int
    offset: int
    line: int
    digest: str
    duplicates: tuple[tuple[int, str, str], ...]


def _jsonl_chunks(item: InputFile, shard_size: int, first_use: dict[str, str]) -> Iterator[_Chunk]:
    """Each run of ``shard_size`` non-empty lines of a JSONL file: its document range, the byte
    offset and line of its first document, a hash of its bytes, and its duplicate-id lines
    (``first_use`` maps every id seen so far in the run to where it was first used)."""
    count = 0
    offset = 0
    first: tuple[int, int] | None = None  # (offset, line) of the shard's first document
    digest = hashlib.sha1()
    dups: list[tuple[int, str, str]] = []
    with _open(item.path) as fh:
        for lineno, raw in enumerate(fh, 1):
            if raw.strip():
                if first is None:
                    first = (offset, lineno)
                count += 1
                digest.update(raw.rstrip(b"\r\n") + b"\n")
                doc_id = record_id(raw, f"{item.id}:{lineno}")
                if doc_id in first_use:
                    dups.append((lineno, doc_id, first_use[doc_id]))
                else:
                    first_use[doc_id] = f"{item.path}:{lineno}"
                if count % shard_size == 0:
                    yield _Chunk(count - shard_size, count, first[0], first[1], digest.hexdigest(), tuple(dups))
                    first, digest, dups = None, hashlib.sha1(), []
            offset += len(raw)
    if first is not None:
        yield _Chunk(count - count % shard_size, count, first[0], first[1], digest.hexdigest(), tuple(dups))


def _file_digest(path: Path) -> str:
    h = hashlib.sha1()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def plan_shards(inputs: list[str], shard_size: int = 200, *, date: str | None = None) -> list[ShardSpec]:
    """Shards for ``inputs`` (files, directories, globs), in input order, with the document ids
    :func:`dotterel.ingest.readers.plan_inputs` gives (the same as ``dotterel code``). JSONL
    files are cut on their own; the other files are grouped, in order, into shards of
    ``shard_size``. ``date`` (the ``--date`` override) is part of every shard's key. Raises
    ``E005`` for an input that matches nothing."""
    if shard_size < 1:
        raise DotterelError(ErrorCode.BAD_SETTING, name="--shard-size", reason="must be at least 1")
    shards: list[ShardSpec] = []
    first_use: dict[str, str] = {}
    salt = f"date={date}" if date else ""
    group: list[ShardPart] = []
    n_groups = 0

    def flush() -> None:
        nonlocal group, n_groups
        if not group:
            return
        key = _hash(*(f"{p.path}={p.id}={p.file_kind}={_file_digest(Path(p.path))}={p.duplicate_of}" for p in group), salt)
        shards.append(ShardSpec(f"files-{n_groups:05d}-{key}", str(Path(group[0].path).parent), n_groups, tuple(group)))
        n_groups += 1
        group = []

    for item in plan_inputs(expand_inputs(inputs)):
        resolved = str(item.path.resolve())
        if item.kind == "jsonl":
            for k, c in enumerate(_jsonl_chunks(item, shard_size, first_use)):
                sid = f"{_slug(item.path.name)}-{k:05d}-{_hash(resolved, item.id, c.start, c.stop, c.line, c.digest, c.duplicates, salt)}"
                part = ShardPart(resolved, "jsonl", c.start, c.stop, c.offset, c.line, item.id, "jsonl", c.duplicates)
                shards.append(ShardSpec(sid, str(item.path), k, (part,)))
            continue
        first = first_use.setdefault(item.id, str(item.path))
        dup = first if first != str(item.path) else ""
        group.append(ShardPart(resolved, "file", id=item.id, file_kind=item.kind, duplicate_of=dup))
        if len(group) >= shard_size:
            flush()
    flush()
    return shards


def _join(parts: list[ShardPart]) -> tuple[ShardPart, ...]:
    """One-document parts with each run of consecutive documents of one JSONL part made one part again."""
    out: list[ShardPart] = []
    for p in parts:
        last = out[-1] if out else None
        if (last is not None and p.kind == last.kind == "jsonl" and p.path == last.path and p.offset == last.offset
                and p.start == last.stop and p.skip == last.skip + last.n_docs):
            out[-1] = replace(last, stop=p.stop)
        else:
            out.append(p)
    return tuple(out)


def split_shard(shard: ShardSpec, size: int = 1) -> list[ShardSpec]:
    """``shard`` as pieces of ``size`` documents (one: to find the document a stuck worker hung
    on; more: to share the last shards of a run between the workers). Each piece names the shard
    as its ``parent`` (a piece of a piece names the shard too) and is identified by the position
    of its first document in the shard, so the pieces that finish cover the shard exactly once."""
    docs: list[ShardPart] = []
    for part in shard.parts:
        if part.kind == "jsonl":
            docs.extend(replace(part, start=part.start + k, stop=part.start + k + 1, skip=part.skip + k)
                        for k in range(part.n_docs))
        else:
            docs.append(part)
    top = shard.parent or shard.shard_id
    base = shard.offset if shard.parent else 0
    total = shard.parent_docs if shard.parent else shard.n_docs
    size = max(1, size)
    n = -(-len(docs) // size)
    return [ShardSpec(f"{top}~{base + k:05d}", shard.input, shard.index, _join(docs[k:k + size]), parent=top,
                      n_pieces=n, offset=base + k, parent_docs=total) for k in range(0, len(docs), size)]


def _duplicate(doc_id: str, first: str) -> Document:
    return Document(id=doc_id, text="", errors=[error(ErrorCode.DUPLICATE_ID, id=doc_id, first=first)])


def _read_jsonl_part(part: ShardPart, settings: Settings, date: dt.date | None) -> Iterator[Document]:
    path = Path(part.path)
    wanted = part.n_docs
    n = -part.skip
    duplicates = {line: (doc_id, first) for line, doc_id, first in part.duplicates}
    with _open(path) as fh:
        fh.seek(part.offset)
        for lineno, raw in enumerate(fh, part.line):
            if not raw.strip():
                continue
            if n >= wanted:
                return
            n += 1
            if n <= 0:
                continue
            if lineno in duplicates:
                yield _duplicate(*duplicates[lineno])
                continue
            yield from iter_jsonl([raw], settings, jsonl_file=path, id_prefix=part.id, date=date, first_line=lineno)


def read_shard(shard: ShardSpec, settings: Settings, *, date: dt.date | None = None) -> Iterator[Document]:
    """The documents of ``shard``, with the ids and checks of :func:`dotterel.ingest.read_inputs`
    (bad input becomes a document with an error; nothing raises)."""
    for part in shard.parts:
        if part.kind == "jsonl":
            yield from _read_jsonl_part(part, settings, date)
        elif part.duplicate_of:
            yield _duplicate(part.id, part.duplicate_of)
        else:
            yield from read_file(InputFile(Path(part.path), part.id, part.file_kind), settings, date=date)
