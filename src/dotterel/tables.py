"""Reading the versioned data files under ``dotterel/resources`` (and users' own copies).

Every table is a UTF-8 TSV with a header row; lines starting with ``#`` are comments;
multi-value cells are separated by ``|``. Each row is validated by a pydantic model owned
by the stage that uses the table; a bad row raises ``E002`` naming the file and line.
User folders (``Settings.resource_dirs``) are read after the built-in files, with the same
relative paths (e.g. ``my-data/actors/office_holders.tsv``), so their rows come last and can
override built-in rows with the same key.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ValidationError

from dotterel.errors import DotterelError, ErrorCode


def split_multi(value: str | None) -> list[str]:
    """Split a ``|``-separated cell into stripped, non-empty values."""
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _rows(text: str, label: str) -> Iterator[tuple[int, dict[str, str]]]:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return
    header_no, header = lines[0]
    names = header.split("\t")
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines[1:])), delimiter="\t", quoting=csv.QUOTE_NONE)
    for (lineno, _), cells in zip(lines[1:], reader, strict=True):
        if len(cells) > len(names):
            raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=lineno,
                                reason=f"{len(cells)} cells for {len(names)} columns")
        cells += [""] * (len(names) - len(cells))
        yield lineno, {k: v.strip() for k, v in zip(names, cells, strict=True)}


def table_sources(relpath: str, extra_dirs: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """(label, text) for the built-in file and each user copy of ``relpath``."""
    out: list[tuple[str, str]] = []
    builtin = resources.files("dotterel").joinpath("resources", *relpath.split("/"))
    if builtin.is_file():
        out.append((f"dotterel/resources/{relpath}", builtin.read_text(encoding="utf-8")))
    for d in extra_dirs:
        p = Path(d) / relpath
        if p.is_file():
            out.append((str(p), p.read_text(encoding="utf-8")))
    return out


def read_table[Row: BaseModel](relpath: str, model: type[Row], extra_dirs: Iterable[Path] = ()) -> list[Row]:
    """All rows of ``relpath`` (built-in then user files), validated as ``model``."""
    rows: list[Row] = []
    for label, text in table_sources(relpath, extra_dirs):
        for lineno, raw in _rows(text, label):
            try:
                rows.append(model.model_validate(raw))
            except ValidationError as exc:
                first = exc.errors()[0]
                reason = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
                raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=lineno, reason=reason) from exc
    return rows


_CODE = re.compile(r"^[A-Z]{3,4}$")


def _word_class_problem(cls: str, term: str, classes: tuple[str, ...], codes: tuple[str, ...], one_word: bool) -> str | None:
    """Why a ``class``/term row of a word-class table is invalid, or None."""
    if cls in codes:
        return None if _CODE.match(term) else f"class {cls}: {term!r} is not an upper-case code of 3-4 letters"
    if cls not in classes:
        return f"unknown class {cls!r} (an unknown word class; known: {', '.join(classes + codes)})"
    if not term or term != term.lower() or term != term.strip():
        return f"class {cls}: {term!r} must be lower case" + (": one lower-case word without spaces" if one_word else " and not empty")
    if one_word and " " in term:
        return f"class {cls}: {term!r} must be one lower-case word without spaces"
    return None


def read_word_classes(relpath: str, classes: tuple[str, ...], extra_dirs: Iterable[Path] = (), *,
                      codes: tuple[str, ...] = (), one_word: bool = True) -> dict[str, frozenset[str]]:
    """A word-class table (columns ``class``, ``term`` or ``word``, ``notes``): the words of each of
    ``classes`` (lower case; one word each when ``one_word``) and the codes of each of ``codes``
    (upper case), built-in file first, then users' copies adding words. A bad row raises ``E002``
    naming the file and line. Shared by the actors, quotes and events stages."""
    found: dict[str, set[str]] = {c: set() for c in (*classes, *codes)}
    for label, lineno, raw in iter_rows(relpath, extra_dirs):
        cls, term = raw.get("class", ""), raw.get("term", raw.get("word", ""))
        problem = _word_class_problem(cls, term, classes, codes, one_word)
        if problem is not None:
            raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=lineno, reason=problem)
        found[cls].add(term)
    return {c: frozenset(ws) for c, ws in found.items()}


def iter_rows(relpath: str, extra_dirs: Iterable[Path] = ()) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(file label, line number, cells by column) for every row of the built-in file and users' copies."""
    for label, text in table_sources(relpath, extra_dirs):
        for lineno, raw in _rows(text, label):
            yield label, lineno, raw
