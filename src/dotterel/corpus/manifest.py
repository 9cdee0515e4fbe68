"""Which shards are finished: the ``corpus_shards`` table in a store and/or ``manifest.jsonl``
in an output directory. A shard is recorded only after its results are saved, so a run killed
at any point, then re-run, redoes at most the shards that were in flight (and the store's
replace-by-id saving makes redoing them harmless)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, insert, select

from dotterel.corpus.tables import corpus_shards, ensure_tables

MANIFEST_NAME = "manifest.jsonl"
SHARD_DIR = "shards"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Manifest(Protocol):
    def finished(self) -> set[str]: ...

    def record(self, entry: dict) -> None: ...


class StoreManifest:
    """``corpus_shards`` rows in the store's database."""

    def __init__(self, store) -> None:
        self.store = store
        ensure_tables(store.engine)

    def finished(self) -> set[str]:
        with self.store.engine.connect() as conn:
            return set(conn.scalars(select(corpus_shards.c.shard_id)))

    def record(self, entry: dict) -> None:
        row = {k: entry.get(k) for k in ("shard_id", "input", "n_docs", "n_failed", "n_events", "seconds")}
        row["finished_at"] = entry.get("finished_at") or now()
        with self.store.engine.begin() as conn:
            conn.execute(delete(corpus_shards).where(corpus_shards.c.shard_id == row["shard_id"]))
            conn.execute(insert(corpus_shards), [row])

    def entries(self) -> list[dict]:
        with self.store.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(corpus_shards).order_by(corpus_shards.c.finished_at))]


class DirManifest:
    """``manifest.jsonl`` next to ``shards/<shard_id>.parquet`` in an output directory. A line is
    appended (and fsynced) after its shard file has been renamed into place; a shard counts as
    finished only if its line is complete and its file exists."""

    def __init__(self, out_dir: str | Path) -> None:
        self.dir = Path(out_dir)
        (self.dir / SHARD_DIR).mkdir(parents=True, exist_ok=True)
        self.path = self.dir / MANIFEST_NAME

    def shard_path(self, shard_id: str) -> Path:
        return self.dir / SHARD_DIR / f"{shard_id}.parquet"

    def entries(self) -> list[dict]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:  # a line cut short by a kill
                continue
            if isinstance(entry, dict) and "shard_id" in entry:
                out.append(entry)
        return out

    def finished(self) -> set[str]:
        return {e["shard_id"] for e in self.entries() if self.shard_path(e["shard_id"]).exists()}

    def record(self, entry: dict) -> None:
        entry = {**entry, "finished_at": entry.get("finished_at") or now()}
        torn = False
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb") as fh:
                fh.seek(-1, os.SEEK_END)
                torn = fh.read(1) != b"\n"  # the last line of a killed run
        with self.path.open("ab") as fh:
            if torn:
                fh.write(b"\n")
            fh.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
