"""Reading a ``dotterel corpus --out`` folder back: its Parquet shards loaded into a store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dotterel.errors import DotterelError, ErrorCode

if TYPE_CHECKING:
    from dotterel.store import Store


def load_out_folder(path: Path) -> Store:
    """An in-memory store holding every document of the Parquet shards under ``path``."""
    import pyarrow.parquet as pq

    from dotterel.corpus.manifest import SHARD_DIR
    from dotterel.records.models import CodedDocument
    from dotterel.store import Store

    files = sorted((path / SHARD_DIR).glob("*.parquet"))
    if not files:
        raise DotterelError(ErrorCode.INPUT_NOT_FOUND, path=str(path / SHARD_DIR / "*.parquet"))
    store = Store("sqlite://")
    for f in files:
        t = pq.read_table(f, columns=["coded", "text"]).to_pylist()
        store.save_many((CodedDocument.model_validate_json(r["coded"]), r["text"] or "") for r in t)
    return store


def open_source(target: str | Path) -> Store:
    """A store for ``target``: a ``dotterel corpus --out`` folder (loaded into memory), else a
    database path or URL (a path that does not exist is an error, E005)."""
    from dotterel.store import Store

    path = Path(str(target)).expanduser()
    if path.is_dir():
        return load_out_folder(path)
    if "://" not in str(target) and not path.exists():
        raise DotterelError(ErrorCode.INPUT_NOT_FOUND, path=str(target))
    return Store(target)
