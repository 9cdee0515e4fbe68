"""What is exported: one :class:`Item` per coded event (or per cross-document event cluster), read
from the store in date order, streamed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from dotterel.store.exports import ExportRow

if TYPE_CHECKING:
    from dotterel.store import Store


# -- what is exported -------------------------------------------------------------------------------
@dataclass(slots=True)
class Item(ExportRow):
    """One exported unit: a coded event, or a cluster (with its representative event); the store's
    :class:`~dotterel.store.exports.ExportRow` with what the formats derive from it."""

    @property
    def date_start(self) -> str | None:
        return (self.cluster or {}).get("date_start") or self.event.date.start

    @property
    def date_end(self) -> str | None:
        return (self.cluster or {}).get("date_end") or self.event.date.end

    @property
    def counts(self) -> tuple[int, int, int]:
        if self.cluster:
            return int(self.cluster["n_mentions"]), int(self.cluster["n_articles"]), int(self.cluster["n_sources"])
        return max(1, len(self.event.mentions)), 1, 1

    @property
    def seen(self) -> tuple[str | None, str | None]:
        if self.cluster:
            return self.cluster.get("first_seen"), self.cluster.get("last_seen")
        return self.published, self.published

    @property
    def export_id(self) -> str:
        return self.cluster["id"] if self.cluster else self.event.id


def iter_items(store: Store, *, clusters: bool = False, batch: int = 2000) -> Iterator[Item]:
    """Events (or clusters) from ``store`` in date order, streamed (through :func:`dotterel.store.exports.export_rows`)."""
    from dotterel.store.exports import export_rows

    names = [f.name for f in fields(ExportRow)]
    for r in export_rows(store, clusters=clusters, batch=batch):
        yield Item(*(getattr(r, n) for n in names))
