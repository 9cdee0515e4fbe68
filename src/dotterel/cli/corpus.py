"""``dotterel corpus``: parse options, call :func:`dotterel.corpus.runner.run_corpus`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dotterel.cli.options import Date, MinConfidence, Model, ResourceDir, reported_errors, settings_from
from dotterel.errors import ExitCode


def corpus(
    inputs: Annotated[list[str], typer.Argument(help="JSONL files (also .jsonl.gz), directories of .txt/.html files, or globs.")],
    db: Annotated[str | None, typer.Option(help="Store results here: a SQLite path or a database URL (sqlite:///…, postgresql://…).")] = None,
    out: Annotated[Path | None, typer.Option(help="Also (or instead) write one Parquet file per shard, plus manifest.jsonl, to this folder.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes: on Linux forked from a parent that loaded the model once; each codes and saves its own shards.")] = 1,
    dask: Annotated[str | None, typer.Option(help="Run on Dask: 'local' (a local cluster of --workers processes) or a scheduler address tcp://HOST:PORT.")] = None,
    shard_size: Annotated[int, typer.Option(help="Documents per shard (the unit of work, saving and resuming).")] = 200,
    date: Date = None,
    model: Model = None,
    resource_dir: ResourceDir = None,
    min_confidence: MinConfidence = None,
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
    from dotterel.corpus import runner

    err = Console(stderr=True)
    try:
        with reported_errors(err, markup=False):
            report = runner.run_corpus(inputs, settings=settings_from(model, resource_dir, min_confidence, time_budget), db=db,
                                       out=str(out) if out else None, workers=workers, dask=dask, shard_size=shard_size,
                                       date=date, force=force, cluster=cluster, progress=not quiet)
    except KeyboardInterrupt:
        err.print("interrupted: finished shards are kept; run the same command again to resume", highlight=False)
        raise typer.Exit(130) from None
    err.print(f"{report.n_docs} documents coded ({report.n_failed} failed), {report.n_events} events, "
              f"{report.n_shards - report.n_skipped}/{report.n_shards} shards run ({report.n_skipped} already finished), "
              f"{report.seconds:.1f} s, {report.docs_per_second:.1f} docs/s")
    for shard_id, reason in report.failed_shards:
        err.print(f"[red]shard {shard_id} failed[/]: {reason}")
    raise typer.Exit(ExitCode.DOCUMENTS_FAILED if report.failed_shards or report.n_failed else ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command("corpus", short_help="Code a large corpus in shards: resumable, in parallel, into a store and/or Parquet.")(corpus)
