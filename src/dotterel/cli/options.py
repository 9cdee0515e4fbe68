"""Options shared by several commands, declared once, and the one way commands report errors.

Every command module imports its option types from here (``Model``, ``ResourceDir``,
``MinConfidence``, ``TimeBudget``, ``Date``), so a help text or a default changes in one place.
Nothing heavy is imported at module level: ``dotterel --help`` must stay fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from dotterel.errors import ExitCode

if TYPE_CHECKING:
    from dotterel.settings import Settings

Model = Annotated[str | None, typer.Option(help="spaCy pipeline name or directory (default en_core_web_md).")]
ResourceDir = Annotated[list[Path] | None, typer.Option(
    help="Folder with extra data files (same layout as the built-in resources).")]
MinConfidence = Annotated[float | None, typer.Option(help="Drop events below this confidence (0–1).")]
Date = Annotated[str | None, typer.Option(
    help="Publication date YYYY-MM-DD for every document (overrides dates found in the input).")]
TimeBudget = Annotated[float | None, typer.Option(
    help="Seconds one document may take (default 30; 0 = no limit); a document over it gets E111.")]

#: The exit statuses of ``dotterel code`` (and ``corpus``), as their ``--help`` and the README state them.
EXIT_HELP = (
    f"Exit status: {ExitCode.OK.value} every document coded; {ExitCode.DOCUMENTS_FAILED.value} the run finished "
    f"but some documents failed (each has its error code in the output); {ExitCode.USAGE.value} usage or setup "
    f"error (missing input, bad option, model or store unavailable), nothing coded; {ExitCode.INTERNAL.value} "
    "internal error (a bug: please report it)."
)


def settings_from(model: str | None, resource_dir: list[Path] | None = None, min_confidence: float | None = None,
                  time_budget: float | None = None) -> Settings:
    """The run's :class:`~dotterel.settings.Settings`: these options over ``DOTTEREL_*`` variables over defaults."""
    from dotterel.settings import Settings

    return Settings.from_env(model=model, resource_dirs=tuple(resource_dir) if resource_dir else None,
                             min_confidence=min_confidence, time_budget=time_budget)


@contextmanager
def reported_errors(err: Console, *, markup: bool = True, internal: bool = True) -> Iterator[None]:
    """Turn what a library call raises into one line on ``err`` and the documented exit status:
    a :class:`~dotterel.errors.DotterelError` or an option out of range (pydantic) is a usage error (2);
    with ``internal``, anything else is an internal error (3) unless ``DOTTEREL_DEBUG`` is set."""
    from pydantic import ValidationError

    from dotterel.errors import DotterelError

    try:
        yield
    except DotterelError as exc:
        if markup:
            err.print(f"[red]{exc}[/]", markup=True, highlight=False)
        else:
            err.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(ExitCode.USAGE) from exc
    except ValidationError as exc:  # an option out of range (e.g. a negative --time-budget)
        first = exc.errors()[0]
        err.print(f"invalid option --{str(first['loc'][0]).replace('_', '-')}: {first['msg']}", highlight=False)
        raise typer.Exit(ExitCode.USAGE) from exc
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:  # one line and a distinct status, not a traceback
        if not internal:
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc} (set DOTTEREL_DEBUG=1 for the traceback)",
                  markup=False, highlight=False, soft_wrap=not markup)
        if os.environ.get("DOTTEREL_DEBUG"):
            raise
        raise typer.Exit(ExitCode.INTERNAL) from exc
