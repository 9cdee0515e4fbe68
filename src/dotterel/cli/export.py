"""``dotterel export``: parse options, open the store (:func:`dotterel.corpus.outdir.open_source`: a
database or a ``corpus --out`` folder) and call :func:`dotterel.export.export_events`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dotterel.cli.options import reported_errors


def export(
    db: Annotated[str, typer.Option(help="The store: a SQLite path, a database URL, or a `dotterel corpus --out` folder.")],
    fmt: Annotated[str, typer.Option("--format", help="plover-jsonl | csv | parquet | gdelt | icews | polecat | phoenix, or a format added as a module of dotterel.export.formats (docs/architecture.md).")],
    out: Annotated[Path, typer.Option(help="Output file. For gdelt/icews/polecat/phoenix the name picks the container: .parquet, .tsv/.txt, else CSV.")],
    clusters: Annotated[bool, typer.Option("--clusters", help="One row per cross-document event cluster instead of one per coded event.")] = False,
) -> None:
    """Export events with the column set of PLOVER, GDELT 2.0, ICEWS, POLECAT or Phoenix (see docs/exports.md)."""
    from dotterel.corpus.outdir import open_source
    from dotterel.export import export_events
    from dotterel.export.registry import get_format

    err = Console(stderr=True)
    with reported_errors(err, internal=False):
        get_format(fmt)  # an unknown format is a usage error before the store is opened
        store = open_source(db)  # a store path/URL, or a `dotterel corpus --out` folder
        try:
            n = export_events(store, fmt, out, clusters=clusters)
        finally:
            store.close()
    err.print(f"{n} {'clusters' if clusters else 'events'} written to {out} ({fmt})")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
