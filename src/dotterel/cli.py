"""The ``dotterel`` command line: thin commands that parse options and call one library function."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from dotterel.errors import DotterelError, ExitCode
from dotterel.settings import Settings

app = typer.Typer(help="Dotterel: political event data (PLOVER/CAMEO) from English news text.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)

FORMATS = ("table", "jsonl", "json")


def settings_from(model: str | None, resource_dir: list[Path] | None = None, min_confidence: float | None = None,
                  time_budget: float | None = None) -> Settings:
    return Settings.from_env(model=model, resource_dirs=tuple(resource_dir) if resource_dir else None,
                             min_confidence=min_confidence, time_budget=time_budget)


#: The exit statuses of ``dotterel code``, as its ``--help`` and the README state them.
EXIT_HELP = (
    f"Exit status: {ExitCode.OK.value} every document coded; {ExitCode.DOCUMENTS_FAILED.value} the run finished "
    f"but some documents failed (each has its error code in the output); {ExitCode.USAGE.value} usage or setup "
    f"error (missing input, bad option, model or store unavailable), nothing coded; {ExitCode.INTERNAL.value} "
    "internal error (a bug: please report it)."
)


@app.command("code")
def code_cmd(
    inputs: Annotated[list[str] | None, typer.Argument(help="Files (.txt, .html, .jsonl, .jsonl.gz), directories, or - for stdin.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides dates found in the input).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | jsonl | json")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write output here instead of stdout.")] = None,
    db: Annotated[str | None, typer.Option(help="Also store results: a SQLite path or a database URL (sqlite:///…, postgresql://…).")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline name or directory (default en_core_web_md).")] = None,
    resource_dir: Annotated[list[Path] | None, typer.Option(help="Folder with extra data files (same layout as the built-in resources).")] = None,
    min_confidence: Annotated[float | None, typer.Option(help="Drop events below this confidence (0–1).")] = None,
    time_budget: Annotated[float | None, typer.Option(
        help="Seconds one document may take (default 30; 0 = no limit); a document over it gets E111.")] = None,
) -> None:
    """Code news articles into events, actors, quotes and times."""
    from dotterel.run import code_inputs

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    err = Console(stderr=True)
    try:
        settings = settings_from(model, resource_dir, min_confidence, time_budget)
        failed = code_inputs(inputs or ["-"], settings, date=date, fmt=fmt, out=out, db=db)
    except DotterelError as exc:
        err.print(f"[red]{exc}[/]", markup=True, highlight=False)
        raise typer.Exit(ExitCode.USAGE) from exc
    except ValidationError as exc:  # an option out of range (e.g. a negative --time-budget)
        first = exc.errors()[0]
        err.print(f"invalid option --{str(first['loc'][0]).replace('_', '-')}: {first['msg']}", highlight=False)
        raise typer.Exit(ExitCode.USAGE) from exc
    except Exception as exc:  # one line and a distinct status, not a traceback
        err.print(f"internal error: {type(exc).__name__}: {exc} (set DOTTEREL_DEBUG=1 for the traceback)",
                  markup=False, highlight=False)
        if os.environ.get("DOTTEREL_DEBUG"):
            raise
        raise typer.Exit(ExitCode.INTERNAL) from exc
    raise typer.Exit(ExitCode.DOCUMENTS_FAILED if failed else ExitCode.OK)


code_cmd.__doc__ = f"Code news articles into events, actors, quotes and times.\n\n{EXIT_HELP}"


#: Commands contributed by other packages: each module has ``register(app)``.
COMMAND_MODULES = ("dotterel.eval.cli", "dotterel.corpus.cli", "dotterel.export.cli", "dotterel.web.cli")
for _mod in COMMAND_MODULES:
    try:
        importlib.import_module(_mod).register(app)
    except ModuleNotFoundError as _exc:  # a stage still being built must not break the others
        if _exc.name != _mod:
            raise


def main() -> None:  # pragma: no cover
    sys.exit(app())
