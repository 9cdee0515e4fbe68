"""``dotterel corpus``: code a large collection of documents, resumably, in parallel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    app.command("corpus")(corpus_cmd)


def corpus_cmd(
    inputs: Annotated[list[str], typer.Argument(help="JSONL files (also .jsonl.gz), directories of .txt/.html files, or globs.")],
    db: Annotated[str | None, typer.Option(help="Store results here: a SQLite path or a database URL (sqlite:///…, postgresql://…).")] = None,
    out: Annotated[Path | None, typer.Option(help="Also (or instead) write one Parquet file per shard, plus manifest.jsonl, to this folder.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (each loads the model once).")] = 1,
    dask: Annotated[str | None, typer.Option(help="Run on Dask: 'local' (a local cluster of --workers processes) or a scheduler address tcp://HOST:PORT.")] = None,
    shard_size: Annotated[int, typer.Option(help="Documents per shard (the unit of work, saving and resuming).")] = 200,
    date: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD for every document (overrides dates in the input).")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline name or directory (default en_core_web_md).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo shards the manifest records as finished.")] = False,
    cluster: Annotated[bool, typer.Option("--cluster/--no-cluster", help="Update cross-document event clusters in the store after each shard.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    time_budget: Annotated[float | None, typer.Option(
        help="Seconds one document may take (default 30; 0 = no limit): a document over it gets E111 and the "
             "shard goes on; a worker stuck past it (in C code) is replaced and only that document fails.")] = None,
) -> None:
    """Code a corpus in shards: resumable (finished shards are skipped on a re-run; a shard whose
    input changed is coded again), in parallel (--workers / --dask), into a store and/or Parquet
    files. Failed documents are stored with their errors. Documents are kept by id: copies with
    the same text and different ids are all stored; a later record reusing an id is an error
    (E112), never an overwrite.

    Exit status: 0 every document coded; 1 the run finished but some documents (or shards)
    failed; 2 usage or setup error, or the store was lost mid-run (re-run to resume); 3 internal error."""
    import os

    from pydantic import ValidationError

    from dotterel.cli import settings_from
    from dotterel.corpus import runner
    from dotterel.errors import DotterelError, ExitCode

    err = Console(stderr=True)
    try:
        settings = settings_from(model, time_budget=time_budget)
        report = runner.run_corpus(inputs, settings=settings, db=db, out=str(out) if out else None, workers=workers,
                                   dask=dask, shard_size=shard_size, date=date, force=force, cluster=cluster,
                                   progress=not quiet)
    except DotterelError as exc:
        err.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(ExitCode.USAGE) from exc
    except ValidationError as exc:  # an option out of range (e.g. a negative --time-budget)
        first = exc.errors()[0]
        err.print(f"invalid option --{str(first['loc'][0]).replace('_', '-')}: {first['msg']}", highlight=False)
        raise typer.Exit(ExitCode.USAGE) from exc
    except KeyboardInterrupt:
        err.print("interrupted: finished shards are kept; run the same command again to resume", highlight=False)
        raise typer.Exit(130) from None
    except Exception as exc:  # one line and a distinct status, not a traceback
        err.print(f"internal error: {type(exc).__name__}: {exc} (set DOTTEREL_DEBUG=1 for the traceback)",
                  markup=False, highlight=False, soft_wrap=True)
        if os.environ.get("DOTTEREL_DEBUG"):
            raise
        raise typer.Exit(ExitCode.INTERNAL) from exc
    err.print(f"{report.n_docs} documents coded ({report.n_failed} failed), {report.n_events} events, "
              f"{report.n_shards - report.n_skipped}/{report.n_shards} shards run ({report.n_skipped} already finished), "
              f"{report.seconds:.1f} s, {report.docs_per_second:.1f} docs/s")
    for shard_id, reason in report.failed_shards:
        err.print(f"[red]shard {shard_id} failed[/]: {reason}")
    raise typer.Exit(ExitCode.DOCUMENTS_FAILED if report.failed_shards or report.n_failed else ExitCode.OK)
