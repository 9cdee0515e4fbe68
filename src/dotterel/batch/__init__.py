"""Coding a batch of inputs for `dotterel code`: read files/stdin, code them, write JSON lines, JSON or a
readable table, and optionally store them (clusters kept current)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from rich.console import Console

from dotterel.batch.table import print_document
from dotterel.errors import DotterelError, ErrorCode
from dotterel.ingest.checks import parse_date
from dotterel.ingest.readers import is_duplicate, plan_inputs, read_plan
from dotterel.pipeline import Coder
from dotterel.settings import Settings


def code_inputs(inputs: list[str], settings: Settings, *, date: str | None = None, fmt: str = "jsonl",
                out: Path | None = None, db: str | None = None, coder: Coder | None = None) -> int:
    """Code ``inputs`` and write them in ``fmt`` to ``out`` (stdout if None), storing them in ``db``
    if given. Returns the number of documents that failed.

    Usage problems raise :class:`DotterelError` before the model loads or anything is stored: a bad
    ``date``, an input path that does not exist (``E005``), an output file that cannot be created.
    A document whose id was already used in this run (``E112``) is reported but not stored."""
    try:
        day = parse_date(date) if date else None
    except ValueError as exc:
        raise DotterelError(ErrorCode.BAD_SETTING, name="--date", reason=f"{date!r} is not YYYY-MM-DD") from exc
    plan = plan_inputs(inputs)
    if out is not None and not out.parent.is_dir():
        raise DotterelError(ErrorCode.BAD_SETTING, name="--out", reason=f"the folder {str(out.parent)!r} does not exist")
    store = None
    if db:
        from dotterel.store import Store

        store = Store(db)
    coder = coder or Coder(settings)
    documents = {}

    def docs():
        for d in read_plan(plan, settings, date=day):
            if not is_duplicate(d):
                documents[d.id] = d
            yield d

    stream: IO[str] = out.open("w", encoding="utf-8") if out else sys.stdout
    console = Console(file=stream, width=160 if out else None)
    failed = 0
    collected = []
    coded_ids: list[str] = []
    try:
        for coded in coder.code_documents(docs()):
            failed += bool(coded.errors)
            duplicate = any(e.code == ErrorCode.DUPLICATE_ID.value for e in coded.errors)
            text = documents.pop(coded.doc.id).text if coded.doc.id in documents and not duplicate else ""
            if store is not None and not duplicate:
                store.save(coded, text)
                coded_ids.append(coded.doc.id)
            if fmt == "jsonl":
                stream.write(coded.model_dump_json() + "\n")
                stream.flush()
            elif fmt == "json":
                collected.append(coded.model_dump(mode="json"))
            else:
                print_document(coded, console)
        if store is not None:
            from dotterel.store.clusters import update_clusters

            update_clusters(store, coded_ids)  # cross-document event clusters stay current
        if fmt == "json":
            import json

            json.dump(collected, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
    finally:
        if out:
            stream.close()
    return failed
