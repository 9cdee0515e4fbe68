"""The export format registry: one :class:`ExportFormat` per format, found in the modules of
:mod:`dotterel.export.formats` (each module's ``FORMATS`` tuple). Adding a format is adding one
module there (and one test); see docs/architecture.md, "How to add an export format"."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from dotterel.errors import DotterelError, ErrorCode
from dotterel.export.items import Item

#: Containers a format can be written as.
CONTAINERS = ("jsonl", "csv", "tsv", "parquet")


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: its name (``--format``), columns in order, the function that builds one
    row from an exported :class:`~dotterel.export.items.Item`, and how it is written."""

    name: str
    columns: tuple[str, ...]
    row: Callable[[Item], dict]
    #: column -> ``int`` | ``float`` | ``bool`` (Parquet types; other columns are strings)
    types: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: a fixed container, or None: the output file's name picks it (.parquet, .tsv/.txt/.tab, else CSV)
    container: str | None = None
    #: position in listings (``--help``, error messages); built-in formats are 10..70
    rank: int = 100

    def __post_init__(self) -> None:
        if self.container is not None and self.container not in CONTAINERS:
            raise ValueError(f"export format {self.name}: container must be one of {CONTAINERS}")
        unknown = set(self.types) - set(self.columns)
        if unknown:
            raise ValueError(f"export format {self.name}: types for unknown columns {sorted(unknown)}")

    def container_for(self, out: Path) -> str:
        """``jsonl``, ``parquet``, ``tsv`` or ``csv``: what this format is written as at ``out``."""
        if self.container is not None:
            return self.container
        name = out.name.lower()
        if name.endswith(".parquet"):
            return "parquet"
        if name.endswith((".tsv", ".txt", ".tab")):
            return "tsv"
        return "csv"


@functools.cache
def registry(package: str = "dotterel.export.formats") -> Mapping[str, ExportFormat]:
    """Every format defined by the modules of ``package``, by name, in listing order."""
    pkg = importlib.import_module(package)
    found: dict[str, ExportFormat] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        for fmt in getattr(module, "FORMATS", ()):
            if fmt.name in found:
                raise ValueError(f"export format {fmt.name!r} is defined twice ({module.__name__})")
            found[fmt.name] = fmt
    return MappingProxyType(dict(sorted(found.items(), key=lambda kv: (kv[1].rank, kv[0]))))


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; an unknown name is a usage error (E003) listing the known ones."""
    formats = registry()
    if name not in formats:
        raise DotterelError(ErrorCode.BAD_SETTING, name="--format", reason=f"use one of {', '.join(formats)}")
    return formats[name]
