"""Cutting inputs into shards of N documents, and reading one shard back.

A shard is a list of *parts*: a slice of a JSONL file (documents ``start``..``stop`` of that
file, with the byte offset of its first line so a worker can seek straight to it) or a
single-document file (.txt, .html, ...). JSONL files are cut on their own; single-document
files of one input (a directory or a glob) are grouped, in sorted order, into shards of N.

Shard ids are derived from the resolved input path and the shard's position (its document
range, or the files it holds), so planning the same inputs twice gives the same shards and a
re-run can skip the ones its manifest says are finished. Appending lines to a JSONL file
leaves its earlier, full shards' ids unchanged (only the last, partial shard is redone).
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from dotterel.errors import DotterelError, ErrorCode
from dotterel.ingest.checks import error
from dotterel.ingest.document import Document
from dotterel.ingest.readers import JSONL_SUFFIXES, document_from_record, read_path
from dotterel.settings import Settings

GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True, slots=True)
class ShardPart:
    """``kind`` is ``jsonl`` (documents ``start``..``stop`` of the file, the first at byte
    ``offset`` on line ``line``) or ``file`` (the whole file is one document)."""

    path: str
    kind: str
    start: int = 0
    stop: int = 1
    offset: int = 0
    line: int = 1

    @property
    def n_docs(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True, slots=True)
class ShardSpec:
    shard_id: str
    input: str
    index: int
    parts: tuple[ShardPart, ...] = field(default_factory=tuple)

    @property
    def n_docs(self) -> int:
        return sum(p.n_docs for p in self.parts)

    def to_dict(self) -> dict:
        return asdict(self)


def is_jsonl(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if not suffixes:
        return False
    if suffixes[-1] == ".gz":
        return len(suffixes) >= 2 and suffixes[-2] in JSONL_SUFFIXES
    return suffixes[-1] in JSONL_SUFFIXES


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] or "input"


def _hash(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()[:10]


def expand_input(item: str) -> list[Path]:
    """The files one CLI input stands for: a file, every file under a directory (as
    :func:`dotterel.ingest.read_path` walks it), or the files a glob matches (sorted)."""
    if item == "-":
        raise DotterelError(ErrorCode.BAD_SETTING, name="INPUT", reason="the corpus command cannot read stdin; give files")
    path = Path(item).expanduser()
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if path.is_file():
        return [path]
    if GLOB_CHARS.search(item):
        out: list[Path] = []
        for match in sorted(glob.glob(str(path), recursive=True)):
            out.extend(expand_input(match))
        if out:
            return out
    raise DotterelError(ErrorCode.INPUT_NOT_FOUND, path=item)


def _jsonl_boundaries(path: Path, shard_size: int) -> Iterator[tuple[int, int, int, int]]:
    """(start, stop, offset, line) for each run of ``shard_size`` non-empty lines."""
    count = 0
    offset = 0
    first: tuple[int, int] | None = None  # (offset, line) of the shard's first document
    with _open(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            if raw.strip():
                if first is None:
                    first = (offset, lineno)
                count += 1
                if count % shard_size == 0:
                    yield count - shard_size, count, first[0], first[1]
                    first = None
            offset += len(raw)
    if first is not None:
        start = count - count % shard_size
        yield start, count, first[0], first[1]


def plan_shards(inputs: list[str], shard_size: int = 200) -> list[ShardSpec]:
    """Shards for ``inputs`` (files, directories, globs), in input order. Raises ``E005`` for an
    input that matches nothing."""
    if shard_size < 1:
        raise DotterelError(ErrorCode.BAD_SETTING, name="--shard-size", reason="must be at least 1")
    shards: list[ShardSpec] = []
    seen: set[str] = set()
    for item in inputs:
        files = expand_input(item)
        group: list[Path] = []
        n_groups = 0

        def flush() -> None:
            nonlocal group, n_groups
            if not group:
                return
            resolved = [str(p.resolve()) for p in group]
            sid = f"{_slug(item)}-files-{n_groups:05d}-{_hash(*resolved)}"
            shards.append(ShardSpec(sid, item, n_groups, tuple(ShardPart(r, "file") for r in resolved)))
            n_groups += 1
            group = []

        for path in files:
            resolved = str(path.resolve())
            if resolved in seen:  # the same file through two inputs is coded once
                continue
            seen.add(resolved)
            if is_jsonl(path):
                for k, (start, stop, offset, line) in enumerate(_jsonl_boundaries(path, shard_size)):
                    sid = f"{_slug(path.name)}-{k:05d}-{_hash(resolved, start, stop)}"
                    shards.append(ShardSpec(sid, str(path), k, (ShardPart(resolved, "jsonl", start, stop, offset, line),)))
            else:
                group.append(path)
                if len(group) >= shard_size:
                    flush()
        flush()
    return shards


def _read_jsonl_part(part: ShardPart, settings: Settings, date: dt.date | None) -> Iterator[Document]:
    path = Path(part.path)
    name = path.name
    wanted = part.n_docs
    n = 0
    with _open(path) as fh:
        fh.seek(part.offset)
        for lineno, raw in enumerate(fh, part.line):
            if not raw.strip():
                continue
            if n >= wanted:
                return
            n += 1
            fallback = f"{name}:{lineno}"
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield Document(id=fallback, text="", errors=[error(ErrorCode.BAD_JSON, line=lineno, reason=str(exc))])
                continue
            yield document_from_record(record, settings, fallback_id=fallback, line=lineno, date=date)


def read_shard(shard: ShardSpec, settings: Settings, *, date: dt.date | None = None) -> Iterator[Document]:
    """The documents of ``shard``, as :func:`dotterel.ingest.read_path` would read them
    (bad input becomes a document with an error; nothing raises)."""
    for part in shard.parts:
        if part.kind == "jsonl":
            yield from _read_jsonl_part(part, settings, date)
        else:
            yield from read_path(Path(part.path), settings, date=date)
