"""Running a corpus: plan shards, skip finished ones, code the rest in this process, in a process
pool, or on a Dask cluster, save each shard's results, record it in the manifest and update
the event clusters.

The unit of work is :func:`code_shard` — a pure function of (shard, settings, output spec):
it reads the shard's documents, codes them with the process's cached :class:`Coder`, writes
the shard's Parquet file (atomically) and, in a process pool or for a server database, saves
the documents to the store in one transaction that also updates their event clusters
(:meth:`Store.save_many(..., cluster=True) <dotterel.store.sql.Store.save_many>`). Running it
twice gives the same result, so Dask may retry it. The parent only records finished shards in
the manifest (after the worker's transaction committed, so a kill at any point redoes at most
the shards in flight). Workers of one pool write a SQLite file one at a time (a lock of the
pool's around each shard's transaction); a document only travels back to the parent when the
parent has to save it (no pool, Dask with SQLite, an in-memory database, a stuck document).
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import sys
import time
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dotterel.corpus.manifest import DirManifest, Manifest, StoreManifest
from dotterel.corpus.shards import ShardSpec, plan_shards, read_shard, split_shard
from dotterel.errors import DotterelError, ErrorCode
from dotterel.ingest.checks import parse_date
from dotterel.records.models import CodedDocument
from dotterel.settings import Settings

if TYPE_CHECKING:
    from dotterel.store import Store

#: Columns of a shard's Parquet file (one row per input document).
SHARD_COLUMNS = ("doc_id", "title", "published", "published_basis", "source", "url", "content_hash", "failed",
                 "n_events", "errors", "warnings", "coded", "text")


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """Where a shard's results go. ``db_in_worker``: the worker saves to ``db`` itself (a process
    pool's workers, or Dask with a server database), updating the event clusters in the same
    transaction when ``cluster``; otherwise the documents travel back to the parent, which saves
    them."""

    db: str | None = None
    out: str | None = None
    db_in_worker: bool = False
    cluster: bool = False


@dataclass(slots=True)
class ShardResult:
    shard_id: str
    input: str
    n_docs: int = 0
    n_failed: int = 0
    n_events: int = 0
    seconds: float = 0.0
    doc_ids: list[str] = field(default_factory=list)
    items: list[tuple[CodedDocument, str]] | None = None  # for the parent to save
    pid: int = 0

    def entry(self) -> dict:
        return {"shard_id": self.shard_id, "input": self.input, "n_docs": self.n_docs, "n_failed": self.n_failed,
                "n_events": self.n_events, "seconds": round(self.seconds, 3)}


@dataclass(slots=True)
class CorpusReport:
    n_shards: int = 0
    n_skipped: int = 0
    n_docs: int = 0
    n_failed: int = 0
    n_events: int = 0
    seconds: float = 0.0
    failed_shards: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.n_docs / self.seconds if self.seconds else 0.0


class StoreLost(RuntimeError):
    """The store stopped answering (server down, connection dropped): the run stops, finished
    shards are kept, and a re-run resumes. Plain ``RuntimeError`` so it pickles across processes."""


def is_store_lost(exc: BaseException) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, (StoreLost, OperationalError, InterfaceError))


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def _safe_url(db: str) -> str:
    """``db`` for a message: a URL without its password."""
    if "://" not in db:
        return db
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db.split("://", 1)[0] + "://…"


# -- the worker side ---------------------------------------------------------------------------
_STORES: dict[str, object] = {}


def _worker_store(db: str):
    from dotterel.store import Store

    if db not in _STORES:
        _STORES[db] = Store(db)
    return _STORES[db]


def die_with_parent(parent_pid: int, interval: float = 0.5) -> None:
    """Make this worker process end when the corpus run's process ends, however it ends
    (SIGKILL included): the kernel's parent-death signal on Linux (for a direct child), and
    on every platform a daemon thread that polls ``parent_pid`` and exits when it is gone
    (workers started by a fork server are not direct children of the run)."""
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def alive() -> bool:
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def watch() -> None:
        while alive():
            time.sleep(interval)
        os._exit(70)

    if not alive():
        os._exit(70)
    threading.Thread(target=watch, name="dotterel-parent-watch", daemon=True).start()


def init_worker(settings: Settings, parent_pid: int | None = None) -> None:
    """Process-pool initializer: die with the run's process, load the model once."""
    from dotterel.pipeline import get_coder

    if parent_pid is not None:
        die_with_parent(parent_pid)
    get_coder(settings)


def write_parquet(path: Path, items: list[tuple[CodedDocument, str]]) -> None:
    """Write one shard's documents to ``path`` atomically (temp file in the same folder + rename)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows: dict[str, list] = {c: [] for c in SHARD_COLUMNS}
    for coded, text in items:
        d = coded.doc
        for k, v in (("doc_id", d.id), ("title", d.title), ("published", d.published),
                     ("published_basis", d.published_basis), ("source", d.source), ("url", d.url),
                     ("content_hash", d.content_hash), ("failed", bool(coded.errors)), ("n_events", len(coded.events)),
                     ("errors", json.dumps([e.model_dump() for e in coded.errors])),
                     ("warnings", json.dumps([e.model_dump() for e in coded.warnings])),
                     ("coded", coded.model_dump_json()), ("text", text)):
            rows[k].append(v)
    schema = pa.schema([(c, pa.bool_() if c == "failed" else pa.int32() if c == "n_events" else pa.string())
                        for c in SHARD_COLUMNS])
    table = pa.table(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def code_shard(shard: ShardSpec, settings: Settings, output: OutputSpec, date: str | None = None) -> ShardResult:
    """Code one shard and write its outputs. Idempotent: safe to retry or run twice."""
    from dotterel.pipeline import get_coder

    t0 = time.perf_counter()
    day = parse_date(date) if date else None
    coder = get_coder(settings)
    texts: list[str] = []  # by position: a duplicate id must not take the first document's text

    def docs():
        for d in read_shard(shard, settings, date=day):
            texts.append(d.text)
            yield d

    items = [(coded, texts[i]) for i, coded in enumerate(coder.code_documents(docs()))]
    # a record whose id an earlier record of the run already has is counted, never stored
    stored = [(c, t) for c, t in items if not any(e.code == ErrorCode.DUPLICATE_ID for e in c.errors)]
    if output.out:
        write_parquet(DirManifest(output.out).shard_path(shard.shard_id), items)
    if output.db and output.db_in_worker:
        try:
            with _write_lock(output.db):
                _worker_store(output.db).save_many(stored, cluster=output.cluster)
        except Exception as exc:
            if is_store_lost(exc) or (isinstance(exc, DotterelError) and exc.code == ErrorCode.STORE_UNAVAILABLE):
                _STORES.pop(output.db, None)
                raise StoreLost(_reason(exc)) from None
            raise
    return ShardResult(
        shard_id=shard.shard_id, input=shard.input, n_docs=len(items), n_failed=sum(bool(c.errors) for c, _ in items),
        n_events=sum(len(c.events) for c, _ in items), seconds=time.perf_counter() - t0,
        doc_ids=[c.doc.id for c, _ in stored], items=None if (output.db_in_worker or not output.db) else stored,
        pid=os.getpid(),
    )


def stuck_result(shard: ShardSpec, settings: Settings, output: OutputSpec, date: str | None, reason: str) -> ShardResult:
    """The result of a one-document shard whose worker had to be killed: the document, read
    again here (cheap), fails with ``E111`` and is stored like any failed document."""
    from dotterel.assemble import failed
    from dotterel.ingest.checks import error

    day = parse_date(date) if date else None
    items = []
    for doc in read_shard(shard, settings, date=day):
        if not doc.errors:
            doc.errors.append(error(ErrorCode.TIMED_OUT, budget=settings.time_budget,
                                    stage=f"worker killed and replaced ({reason})"))
        items.append((failed(doc), doc.text))
    stored = [(c, t) for c, t in items if not any(e.code == ErrorCode.DUPLICATE_ID for e in c.errors)]
    if output.out:
        write_parquet(DirManifest(output.out).shard_path(shard.shard_id), items)
    return ShardResult(shard_id=shard.shard_id, input=shard.input, n_docs=len(items), n_failed=len(items),
                       doc_ids=[c.doc.id for c, _ in stored], items=stored, pid=0)


def merge_pieces(out: Path, parent: str, pieces: list[str]) -> None:
    """Join the Parquet files of a split shard's finished ``pieces`` (ids, in document order) into the
    shard's own file, then remove every piece file of the shard (also those of an earlier, killed run)."""
    import glob

    import pyarrow as pa
    import pyarrow.parquet as pq

    manifest = DirManifest(out)
    files = [manifest.shard_path(p) for p in pieces]
    table = pa.concat_tables([pq.read_table(f) for f in files if f.exists()])
    target = manifest.shard_path(parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, target)
    for f in glob.glob(str(target.with_name(glob.escape(f"{parent}~") + "*.parquet"))):
        Path(f).unlink(missing_ok=True)


# -- executors ----------------------------------------------------------------------------------

def _run_inline(shards: list[ShardSpec], job: Callable[[ShardSpec], ShardResult]) -> Iterator[tuple[ShardSpec, ShardResult | BaseException]]:
    for s in shards:
        try:
            yield s, job(s)
        except Exception as exc:
            yield s, exc


class StuckDocument(RuntimeError):
    """A one-document shard whose worker had to be killed: it went over its time budget where
    the in-process budget could not stop it (a long call into C code)."""


def shard_deadline(shard: ShardSpec, settings: Settings, grace: float = 30.0) -> float | None:
    """Seconds a worker may spend on ``shard`` before it counts as stuck and is replaced: three
    times the per-document budget (``Settings.time_budget``) per document, plus ``grace``. None
    when the budget is off."""
    budget = settings.time_budget
    if not budget:
        return None
    return grace + 3.0 * budget * shard.n_docs


def _kill_pool(ex: ProcessPoolExecutor) -> None:
    # the worker processes must be taken before shutdown(): it forgets them (sets _processes to None)
    procs = list((getattr(ex, "_processes", None) or {}).values())
    ex.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.kill()
    for proc in procs:
        proc.join(timeout=10)


_WORKER: dict[str, object] = {}  # per worker process: the queue it reports shard starts on, the pool's write lock


def _init_tracked(starts: object, write_lock: object, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    _WORKER["starts"] = starts
    _WORKER["write_lock"] = write_lock
    if initializer is not None:
        initializer(*initargs)


def is_sqlite_file(db: str) -> bool:
    """``db`` is a SQLite database in a file (which the processes of one machine can share)."""
    from sqlalchemy.engine import make_url

    url = make_url(db)
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
        and "mode=memory" not in str(url.query)


def _write_lock(db: str) -> AbstractContextManager:
    """What a pool worker holds while it writes ``db``: for SQLite the pool's lock, so the workers'
    transactions (save, rollups, cluster regrouping) run one after the other and never meet
    SQLite's lock errors; nothing for a server database (it has its own concurrency control)."""
    lock = _WORKER.get("write_lock")
    if lock is None or not db.startswith("sqlite"):
        return nullcontext()
    return lock  # type: ignore[return-value]  # a multiprocessing lock is a context manager


def _tracked(job: Callable[[ShardSpec], ShardResult], shard: ShardSpec) -> ShardResult:
    """Run ``job``, first telling the parent this shard has started (its deadline runs from now)."""
    starts = _WORKER.get("starts")
    if starts is not None:
        starts.put(shard.shard_id)  # type: ignore[attr-defined]
    return job(shard)


def _can_fork() -> bool:
    """Forking is safe here: Linux, and no other Python thread (one could hold a lock the child
    needs: logging, a stream, a queue). Native threads are not counted: numpy's OpenBLAS starts its
    thread pool on import and makes itself fork-safe (``pthread_atfork``); Python's own check counts
    them and warns, which :meth:`_Pool._fill` silences for this one fork."""
    import threading

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods() \
        and threading.active_count() == 1


def _freeze_heap() -> bool:
    """Before forking workers from a process that holds the model: move every object to the
    garbage collector's permanent generation (``gc.freeze``), so that no collection, in the
    workers or here, writes to the objects' headers and copies the pages the processes share
    (copy-on-write). Not when someone else froze the heap already (their freeze is theirs to undo).
    Returns whether it froze (:meth:`_Pool.close` undoes it)."""
    import gc

    if gc.get_freeze_count():
        return False
    gc.collect()
    gc.freeze()
    return True


def _mp_context(preload: bool) -> multiprocessing.context.BaseContext:
    """How worker processes start. ``fork`` when ``preload`` and :func:`_can_fork`: the parent has
    loaded the model already and every worker starts with it (copy-on-write, no load of its own:
    workers pay off from the first minute). Otherwise ``forkserver`` (or ``spawn``), each worker
    loading the model once."""
    if preload and _can_fork():
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Pool:
    """A pool of ``workers`` processes running ``job`` over shards (see :func:`_run_pool`)."""

    def __init__(self, shards: list[ShardSpec], job: Callable[[ShardSpec], ShardResult], workers: int,
                 settings: Settings, initializer: Callable[..., None] | None, poll: float, grace: float,
                 balance: bool = True) -> None:
        preload = initializer is init_worker
        self.ctx = _mp_context(preload)
        self.frozen = False
        if self.ctx.get_start_method() == "fork":
            from dotterel.pipeline import get_coder

            get_coder(settings)  # loaded once, here; the forked workers share it
            self.frozen = _freeze_heap()
        self.pending = list(reversed(shards))
        self.job = functools.partial(_tracked, job)
        self.workers, self.settings, self.poll, self.grace = workers, settings, poll, grace
        self.balance = balance
        self.init = (initializer, (settings, os.getpid()) if preload else ())
        self.inflight: dict[Future, ShardSpec] = {}
        self.started: dict[str, float] = {}  # shard id -> when a worker began it
        self.ex = self._new_pool()
        self._fill()  # workers start now, before the caller starts any thread of its own
        self._results = self.results()

    def _new_pool(self) -> ProcessPoolExecutor:
        if self.ctx.get_start_method() == "fork" and not _can_fork():
            self.ctx = _mp_context(False)  # a replacement pool, threads running now: workers load the model
        # a fresh queue and write lock each time: a killed worker may have died holding the old ones
        self.starts = self.ctx.SimpleQueue()
        self.write_lock = self.ctx.Lock()
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self.ctx, initializer=_init_tracked,
                                   initargs=(self.starts, self.write_lock, *self.init))

    def _fill(self) -> None:
        with warnings.catch_warnings():  # the first submit forks the workers: see _can_fork
            warnings.filterwarnings("ignore", message=r".*use of fork\(\) may lead to deadlocks", category=DeprecationWarning)
            while self.pending and len(self.inflight) < 2 * self.workers:
                s = self._next()
                self.inflight[self.ex.submit(self.job, s)] = s

    def _next(self) -> ShardSpec:
        """The next shard to start. The last shards of the run (fewer left than workers) go out as
        pieces of a quarter of a shard per worker, so the workers finish together instead of one
        coding a whole shard while the others wait (the shard is recorded with its last piece)."""
        s = self.pending.pop()
        if self.balance and not s.parent and s.n_docs > 1 and len(self.pending) < self.workers:
            first, *rest = split_shard(s, -(-s.n_docs // (2 * self.workers)))
            self.pending.extend(reversed(rest))
            return first
        return s

    def _stuck(self, now: float) -> list[Future]:
        out = []
        for fut, s in self.inflight.items():
            limit = shard_deadline(s, self.settings, self.grace)
            if limit is not None and s.shard_id in self.started and now - self.started[s.shard_id] > limit:
                out.append(fut)
        return out

    def _replace(self, stuck: list[Future]) -> Iterator[tuple[ShardSpec, ShardResult | BaseException]]:
        """Kill the pool with a stuck worker, keep what finished, start a new pool and queue the rest
        again; a stuck shard is retried one document at a time, a stuck document fails."""
        _kill_pool(self.ex)
        stuck_shards = [self.inflight[f] for f in stuck]
        finished: list[tuple[Future, ShardSpec]] = []
        others: list[ShardSpec] = []
        for f, s in self.inflight.items():
            if f in stuck:
                continue
            if f.done() and not f.cancelled() and f.exception() is None:
                finished.append((f, s))
            else:  # not started, or broken by the kill: run it again
                others.append(s)
        self.inflight.clear()
        self.started.clear()
        for f, s in finished:  # completed between the wait and the kill
            yield s, f.result()
        self.ex = self._new_pool()
        for s in stuck_shards:
            if s.n_docs > 1:
                self.pending.extend(reversed(split_shard(s)))
            else:
                yield s, StuckDocument(f"no result after {shard_deadline(s, self.settings, self.grace):.0f} s")
        self.pending.extend(reversed(others))

    def __iter__(self) -> Iterator[tuple[ShardSpec, ShardResult | BaseException]]:
        return self._results

    def close(self) -> None:
        """End the workers now (also when the results were never read)."""
        self._results.close()
        _kill_pool(self.ex)
        if self.frozen:
            import gc

            gc.unfreeze()
            self.frozen = False

    def results(self) -> Generator[tuple[ShardSpec, ShardResult | BaseException]]:
        try:
            while self.pending or self.inflight:
                self._fill()
                done, _ = wait(list(self.inflight), timeout=self.poll, return_when=FIRST_COMPLETED)
                now = time.monotonic()
                while not self.starts.empty():
                    self.started.setdefault(self.starts.get(), now)
                for fut in sorted(done, key=lambda f: self.inflight[f].shard_id):
                    s = self.inflight.pop(fut)
                    self.started.pop(s.shard_id, None)
                    exc = fut.exception()
                    yield s, exc if exc is not None else fut.result()
                stuck = self._stuck(now)
                if stuck:
                    yield from self._replace(stuck)
        finally:
            # every result is in, or the run stops early (a lost store, Ctrl-C, the caller closed us):
            # a worker still running is one that hung past its deadline or is not needed — end it
            # rather than wait for it, so the caller (and its interpreter) can exit
            _kill_pool(self.ex)


def _run_pool(shards: list[ShardSpec], job: Callable[[ShardSpec], ShardResult], workers: int,
              settings: Settings, *, initializer: Callable[..., None] | None = init_worker,
              poll: float = 1.0, grace: float = 30.0, balance: bool = True) -> _Pool:
    """Run ``job`` over ``shards`` in a pool of ``workers`` processes that die with this process.
    With the default initializer on Linux the model is loaded once, here, and the workers are
    forked from this process (see :func:`_mp_context`); otherwise each worker loads it once. The
    workers start when this function is called (not on first iteration). A shard still running
    after :func:`shard_deadline` means a stuck worker: the pool is replaced, the other shards in
    flight are resubmitted, and the stuck shard is retried one document at a time, so only the
    document that hangs fails (``StuckDocument``, which the caller stores as ``E111``); the rest
    of the run goes on. Iterate over the result for (shard, result or exception) pairs; ``close()``
    ends the workers. With ``balance`` the last shards are shared out in pieces (see :meth:`_Pool._next`)."""
    return _Pool(shards, job, workers, settings, initializer, poll, grace, balance)


def _run_dask(shards: list[ShardSpec], job: Callable[[ShardSpec], ShardResult], address: str, workers: int,
              settings: Settings) -> Iterator[tuple[ShardSpec, ShardResult | BaseException]]:
    import logging
    import uuid

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout="30s")
        except OSError as exc:
            raise DotterelError(ErrorCode.BAD_SETTING, name="--dask", reason=f"cannot reach {address}: {exc}") from exc
    run = uuid.uuid4().hex[:8]
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending = list(reversed(shards))
        by_key: dict[object, ShardSpec] = {}  # future key (a str here; dask types it wider) -> shard
        ac = as_completed()

        def submit(s: ShardSpec) -> None:
            fut = client.submit(job, s, key=f"code_shard-{s.shard_id}-{run}", retries=2, pure=False)
            by_key[fut.key] = s
            ac.add(fut)

        while pending and len(by_key) < 2 * n_workers:
            submit(pending.pop())
        for fut in ac:
            s = by_key.pop(fut.key)
            try:
                result: ShardResult | BaseException = fut.result()
            except Exception as exc:
                result = exc
            fut.release()
            if pending:
                submit(pending.pop())
            yield s, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# -- the parent ---------------------------------------------------------------------------------
def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            elapsed = task.elapsed or 0.0
            rate = task.completed / elapsed if elapsed > 0 and task.completed else 0.0
            return Text(f"{rate:6.1f} docs/s", style="progress.data.speed")

    return Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("docs"), TextColumn("{task.fields[events]} events"), Rate(), TimeElapsedColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(), console=Console(stderr=True), disable=not enabled,
                    transient=False)


def _check_arguments(db: str | None, out: str | Path | None, workers: int, date: str | None) -> None:
    if not db and not out:
        raise DotterelError(ErrorCode.BAD_SETTING, name="--db/--out", reason="give a store (--db) or an output folder (--out)")
    if workers < 1:
        raise DotterelError(ErrorCode.BAD_SETTING, name="--workers", reason="must be at least 1")
    if date:
        try:
            parse_date(date)
        except ValueError as exc:
            raise DotterelError(ErrorCode.BAD_SETTING, name="--date", reason=f"{date!r} is not YYYY-MM-DD") from exc


class _Collector:
    """The parent's side of a run: saves the documents a worker did not save itself (with their
    clusters), records finished shards in the manifests (a split shard with its last piece) and
    counts. ``write_lock`` gives what the parent holds while it saves (the pool's, see
    :func:`_write_lock`)."""

    def __init__(self, store: Store | None, manifests: list[Manifest], out: str | Path | None, cluster: bool,
                 report: CorpusReport, write_lock: Callable[[], AbstractContextManager] = nullcontext) -> None:
        self.store, self.manifests, self.out, self.cluster, self.report = store, manifests, out, cluster, report
        self.write_lock = write_lock
        self.split_groups: dict[str, ShardResult] = {}
        self.split_done: dict[str, list[tuple[int, str]]] = {}  # shard id -> (offset, id) of its finished pieces
        self.split_docs: dict[str, int] = {}  # shard id -> documents of its finished pieces

    def take(self, shard: ShardSpec, result: ShardResult) -> None:
        if self.store is not None and result.items is not None:
            with self.write_lock():
                self.store.save_many(result.items, cluster=self.cluster)
        result.items = None
        if shard.parent:
            self._piece(shard, result)
        else:
            for m in self.manifests:
                m.record(result.entry())
        self.report.n_docs += result.n_docs
        self.report.n_failed += result.n_failed
        self.report.n_events += result.n_events

    def _piece(self, shard: ShardSpec, result: ShardResult) -> None:
        """A piece of a split shard: the shard is finished when its finished pieces cover it."""
        whole = self.split_groups.setdefault(shard.parent, ShardResult(shard.parent, shard.input))
        whole.n_docs += result.n_docs
        whole.n_failed += result.n_failed
        whole.n_events += result.n_events
        whole.seconds += result.seconds
        done = self.split_done.setdefault(shard.parent, [])
        done.append((shard.offset, shard.shard_id))
        self.split_docs[shard.parent] = self.split_docs.get(shard.parent, 0) + shard.n_docs
        if self.split_docs[shard.parent] == shard.parent_docs:  # the pieces cover the shard
            if self.out:
                merge_pieces(Path(self.out), shard.parent, [p for _, p in sorted(done)])
            for m in self.manifests:
                m.record(whole.entry())


def _stream(todo: list[ShardSpec], job: Callable[[ShardSpec], ShardResult], workers: int, dask: str | None,
            settings: Settings) -> Iterable[tuple[ShardSpec, ShardResult | BaseException]]:
    if dask:
        return _run_dask(todo, job, dask, workers, settings)
    if workers > 1:
        return _run_pool(todo, job, workers, settings)
    return _run_inline(todo, job)


def _saved_in_worker(url: str, workers: int, dask: str | None) -> bool:
    """Whether the process that codes a shard saves it: a process pool's workers (a SQLite file or
    a server database), Dask's workers for a server database (a Dask worker may be on another
    machine than a SQLite file). Without a pool the run's own process codes and saves."""
    if dask:
        return not url.startswith("sqlite")
    return workers > 1 and (not url.startswith("sqlite") or is_sqlite_file(url))


def run_corpus(inputs: list[str], *, settings: Settings | None = None, db: str | None = None, out: str | Path | None = None,
               workers: int = 1, dask: str | None = None, shard_size: int = 200, date: str | None = None,
               force: bool = False, cluster: bool = True, progress: bool = False,
               on_shard: Callable[[ShardResult], None] | None = None) -> CorpusReport:
    """Code every document of ``inputs`` (files, directories, globs) into ``db`` (a store path
    or URL) and/or Parquet shard files under ``out``; shards already recorded as finished are
    skipped unless ``force``. ``workers`` > 1 uses a process pool; ``dask`` is ``"local"`` (a
    LocalCluster with ``workers`` processes) or a scheduler address. A document that fails is
    stored with its error; a shard whose coding raised is reported in ``failed_shards`` and not
    recorded, so a re-run retries it."""
    from dotterel.store import Store

    _check_arguments(db, out, workers, date)
    settings = settings or Settings.from_env()
    t0 = time.perf_counter()
    shards = plan_shards(inputs, shard_size, date=date)
    store = Store(db) if db else None
    manifests: list[Manifest] = []
    if store is not None:
        manifests.append(StoreManifest(store))
    if out:
        manifests.append(DirManifest(out))
    done = set.intersection(*(m.finished() for m in manifests)) if not force else set()
    todo = [s for s in shards if s.shard_id not in done]
    report = CorpusReport(n_shards=len(shards), n_skipped=len(shards) - len(todo))
    output = OutputSpec(db=store.url if store is not None else None, out=str(out) if out else None,
                        db_in_worker=store is not None and _saved_in_worker(store.url, workers, dask), cluster=cluster)
    job = functools.partial(code_shard, settings=settings, output=output, date=date)
    stream = None

    def write_lock() -> AbstractContextManager:
        lock = getattr(stream, "write_lock", None)
        return lock if lock is not None and output.db_in_worker and is_sqlite_file(output.db or "") else nullcontext()

    collector = _Collector(store, manifests, out, cluster, report, write_lock)
    try:
        stream = _stream(todo, job, workers, dask, settings)  # a pool's workers start here, before the progress bar
        with _progress(progress) as bar:
            task = bar.add_task("coding", total=sum(s.n_docs for s in todo), events=0)
            for shard, result in stream:
                if isinstance(result, StuckDocument):
                    result = stuck_result(shard, settings, output, date, str(result))
                if isinstance(result, BaseException):
                    if is_store_lost(result):
                        raise result
                    report.failed_shards.append((shard.shard_id, f"{type(result).__name__}: {result}"))
                    bar.advance(task, shard.n_docs)
                    continue
                collector.take(shard, result)
                bar.update(task, advance=result.n_docs, events=report.n_events)
                if on_shard is not None:
                    on_shard(result)
    except Exception as exc:
        if not is_store_lost(exc):
            raise
        raise DotterelError(ErrorCode.STORE_LOST, url=_safe_url(db or ""), reason=_reason(exc)) from None
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # stops a pool (its workers exit), whether the run finished or not
        if store is not None:
            store.close()
    report.seconds = time.perf_counter() - t0
    return report
