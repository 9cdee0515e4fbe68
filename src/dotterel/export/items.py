"""What is exported: one :class:`Item` per coded event (or per cross-document event cluster), read
from the store in date order, streamed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import inspect, select

from dotterel.records.models import EventRecord
from dotterel.store import schema as S


# -- what is exported -------------------------------------------------------------------------------
@dataclass(slots=True)
class Item:
    """One exported unit: a coded event, or a cluster (with its representative event)."""

    event: EventRecord
    doc_id: str
    source: str | None
    published: str | None
    url: str | None
    title: str | None
    coded_at: str | None
    cluster_id: str | None = None
    cluster: dict | None = None  # the event_clusters row when exporting clusters

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


def _has(engine, table: str) -> bool:
    return inspect(engine).has_table(table)


def iter_items(store, *, clusters: bool = False, batch: int = 2000) -> Iterator[Item]:
    """Events (or clusters) from ``store`` in date order, streamed."""
    from dotterel.store.schema import cluster_mentions as CM
    from dotterel.store.schema import event_clusters as EC

    e, d = S.events.c, S.documents.c
    base = [e.record, e.doc_id, e.source, e.published, d.url, d.title, d.coded_at]
    if clusters:
        from dotterel.store.clusters import update_clusters

        update_clusters(store)  # bring clusters up to date with whatever was stored since
        stmt = (select(EC, *base).select_from(EC.join(S.events, S.events.c.id == EC.c.representative_event_id)
                                              .join(S.documents, S.documents.c.id == e.doc_id, isouter=True))
                .order_by(EC.c.date_start, EC.c.id))
    elif _has(store.engine, "cluster_mentions"):
        stmt = (select(*base, CM.c.cluster_id).select_from(
            S.events.join(S.documents, S.documents.c.id == e.doc_id, isouter=True)
            .join(CM, CM.c.event_id == e.id, isouter=True)).order_by(e.date_start, e.doc_id, e.trigger_start, e.id))
    else:
        stmt = (select(*base).select_from(S.events.join(S.documents, S.documents.c.id == e.doc_id, isouter=True))
                .order_by(e.date_start, e.doc_id, e.trigger_start, e.id))
    with store.engine.connect() as conn:
        for r in conn.execution_options(yield_per=batch).execute(stmt):
            m = r._mapping
            cluster = {c.name: m[c] for c in EC.c} if clusters else None
            yield Item(event=EventRecord.model_validate_json(m[e.record]), doc_id=m[e.doc_id], source=m[e.source],
                       published=m[e.published], url=m[d.url], title=m[d.title], coded_at=m[d.coded_at],
                       cluster_id=cluster["id"] if cluster else m.get("cluster_id"), cluster=cluster)
