"""Writing exported rows: JSON lines, CSV/TSV (one writer, with spreadsheet formula escaping) and
Parquet, atomically (a temporary file renamed into place)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from dotterel.export.registry import ExportFormat

#: A text cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def escape_formula(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; other
    values are returned as they are (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: object) -> object:
    """One CSV/TSV cell: ``None`` is empty, booleans are ``true``/``false``, text is formula-escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape_formula(value)


def write_csv(fh: IO[str], columns: tuple[str, ...], rows: Iterable[Mapping[str, object]], *, delimiter: str = ",") -> int:
    """A header row and one line per row (cells through :func:`csv_cell`). Returns the row count."""
    w = csv.writer(fh, delimiter=delimiter)
    w.writerow(columns)
    n = 0
    for row in rows:
        w.writerow([csv_cell(row.get(c)) for c in columns])
        n += 1
    return n


def _arrow_type(kind: str):
    import pyarrow as pa

    return {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}.get(kind, pa.string())


def _write_parquet(path: Path, columns: tuple[str, ...], types: dict[str, str], rows: Iterator[dict]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, _arrow_type(types.get(c, "str"))) for c in columns])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        buf: list[dict] = []

        def flush() -> None:
            cols = {c: [r.get(c) if types.get(c, "str") != "str" or r.get(c) is None else str(r.get(c)) for r in buf]
                    for c in columns}
            writer.write_table(pa.table(cols, schema=schema))
            buf.clear()

        for row in rows:
            buf.append(row)
            n += 1
            if len(buf) >= 10_000:
                flush()
        if buf or n == 0:
            flush()
    return n


def write_rows(fmt: ExportFormat, rows: Iterator[dict], out: Path) -> int:
    """Write ``rows`` of ``fmt`` to ``out`` (atomically: temp file + rename). Returns the row count."""
    columns = fmt.columns
    container = fmt.container_for(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    n = 0
    try:
        if container == "jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps({k: row.get(k) for k in columns}, ensure_ascii=False) + "\n")
                    n += 1
        elif container == "parquet":
            n = _write_parquet(tmp, columns, dict(fmt.types), rows)
        else:
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                n = write_csv(fh, columns, rows, delimiter="\t" if container == "tsv" else ",")
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n
