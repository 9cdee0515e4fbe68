"""One module per export format; each defines ``FORMATS``, a tuple of
:class:`~dotterel.export.registry.ExportFormat`. :func:`dotterel.export.registry.registry` finds
them. Adding a module here adds a ``--format``.

The names below (``FORMATS``, ``COLUMNS``, ``TYPES``, ``ROW_BUILDERS``, ``container_for``,
``export_events``, ``Item``, ``flat_row``, ``FLAT_COLUMNS``) are the registry seen as plain tables,
for code and documents written against earlier versions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def container_for(fmt: str, out: Path) -> str:
    """``jsonl``, ``parquet``, ``tsv`` or ``csv``: what file ``fmt`` is written as at ``out``."""
    from dotterel.export.registry import get_format

    return get_format(fmt).container_for(out)


def __getattr__(name: str) -> Any:
    from dotterel.export.registry import registry

    if name == "FORMATS":
        return tuple(registry())
    if name == "COLUMNS":
        return {k: f.columns for k, f in registry().items()}
    if name == "TYPES":
        return {k: dict(f.types) for k, f in registry().items() if f.types}
    if name == "ROW_BUILDERS":
        return {k: f.row for k, f in registry().items()}
    if name == "export_events":
        from dotterel.export import export_events

        return export_events
    if name == "Item":
        from dotterel.export.items import Item

        return Item
    if name in ("flat_row", "FLAT_COLUMNS", "FLAT_TYPES"):
        from dotterel.export.formats import flat

        return getattr(flat, name)
    raise AttributeError(f"module 'dotterel.export.formats' has no attribute {name!r}")
