"""``dotterel code``: parse options, call :func:`dotterel.batch.code_inputs`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dotterel.cli.options import EXIT_HELP, Date, MinConfidence, Model, ResourceDir, TimeBudget, reported_errors, settings_from
from dotterel.errors import ExitCode

FORMATS = ("table", "jsonl", "json")


def code(
    inputs: Annotated[list[str] | None, typer.Argument(help="Files (.txt, .html, .jsonl, .jsonl.gz), directories, or - for stdin.")] = None,
    date: Date = None,
    fmt: Annotated[str, typer.Option("--format", help="table | jsonl | json")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write output here instead of stdout.")] = None,
    db: Annotated[str | None, typer.Option(help="Also store results: a SQLite path or a database URL (sqlite:///…, postgresql://…).")] = None,
    model: Model = None,
    resource_dir: ResourceDir = None,
    min_confidence: MinConfidence = None,
    time_budget: TimeBudget = None,
) -> None:
    from dotterel import batch

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    with reported_errors(Console(stderr=True)):
        failed = batch.code_inputs(inputs or ["-"], settings_from(model, resource_dir, min_confidence, time_budget),
                                   date=date, fmt=fmt, out=out, db=db)
    raise typer.Exit(ExitCode.DOCUMENTS_FAILED if failed else ExitCode.OK)


code.__doc__ = f"Code news articles into events, actors, quotes and times.\n\n{EXIT_HELP}"


def register(app: typer.Typer) -> None:
    app.command("code")(code)
