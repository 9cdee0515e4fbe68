"""``dotterel eval``: parse options, call :func:`dotterel.eval.report.run_eval`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dotterel.cli.options import MinConfidence, Model, ResourceDir, settings_from


def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold: PLOVER-GSR JSON files and/or article directories or files.")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Write all metrics (and misses) as JSON here.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="Print every miss with its sentence and what was coded.")] = False,
    limit: Annotated[int | None, typer.Option(help="Use only the first N records / articles of each gold set.")] = None,
    gate: Annotated[Path | None, typer.Option(help="Baseline JSON with metric floors; exit 1 if any metric is below.")] = None,
    model: Model = None,
    resource_dir: ResourceDir = None,
    min_confidence: MinConfidence = None,
    write_baseline: Annotated[Path | None, typer.Option(help="Write a baseline with floors = measured - 0.03 here.")] = None,
) -> None:
    """Measure accuracy against gold: events, actors, status, dates, quotes, times."""
    from rich.console import Console
    from rich.text import Text

    from dotterel.errors import DotterelError
    from dotterel.eval.gsr import GoldFormatError
    from dotterel.eval.report import run_eval

    try:
        status = run_eval(gold, settings=settings_from(model, resource_dir, min_confidence), json_path=json_out, errors=errors,
                          limit=limit, gate=gate, write_baseline=write_baseline)
    except (GoldFormatError, DotterelError) as exc:
        Console(stderr=True).print(Text(str(exc), style="red"))
        raise typer.Exit(2) from exc
    raise typer.Exit(status)


def register(app: typer.Typer) -> None:
    app.command("eval")(evaluate)
