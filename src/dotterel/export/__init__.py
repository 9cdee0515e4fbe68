"""Exporting stored events in analysts' formats: PLOVER JSON lines, a flat CSV/Parquet table,
and the column sets of GDELT 2.0, ICEWS, POLECAT and Phoenix. One row per coded event, or
(``clusters=True``) one row per cross-document event cluster. See docs/exports.md for every
column and what fills it.

Codes (CAMEO, quad class, country, sector) are written as strings where the dataset treats
them as codes; dates are ISO 8601 (``YYYY-MM-DD``; GDELT's own integer ``YYYYMMDD`` form for
its date columns). Columns a dataset defines but Dotterel does not produce are present and
empty. The container follows the file name for the dataset formats: ``.parquet`` → Parquet,
``.tsv``/``.txt``/``.tab`` → tab-separated, anything else → CSV; all with a header row. Text
cells of CSV/TSV files that a spreadsheet would run as a formula get a leading apostrophe.

Layout: :mod:`~dotterel.export.registry` (the formats, found in :mod:`dotterel.export.formats`,
one module per format), :mod:`~dotterel.export.items` (what is read from the store),
:mod:`~dotterel.export.values` (shared value helpers), :mod:`~dotterel.export.writers`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dotterel.errors import DotterelError, ErrorCode
from dotterel.export.items import iter_items
from dotterel.export.registry import get_format
from dotterel.export.writers import write_rows

if TYPE_CHECKING:
    from dotterel.store import Store


def open_store(target: str | Path) -> Store:
    """The store at a database path or URL; a path that does not exist is an error (E005)."""
    from dotterel.store import Store

    path = Path(str(target)).expanduser()
    if "://" not in str(target) and not path.exists():
        raise DotterelError(ErrorCode.INPUT_NOT_FOUND, path=str(target))
    return Store(target)


def export_events(target: Store | str | Path, fmt: str, out: str | Path, *, clusters: bool = False) -> int:
    """Export the events (or clusters) of ``target`` — a :class:`~dotterel.store.Store` or a store
    path/URL — as ``fmt`` to ``out``. Returns the number of rows. (A ``dotterel corpus --out``
    folder is opened as a store by :func:`dotterel.corpus.outdir.open_source`.)"""
    from dotterel.store import Store

    export_format = get_format(fmt)
    store = target if isinstance(target, Store) else open_store(target)
    try:
        rows = (export_format.row(it) for it in iter_items(store, clusters=clusters))
        return write_rows(export_format, rows, Path(out))
    finally:
        if store is not target:
            store.close()
