"""What exports read from a store: every stored event with its document's source, dates, URL and
title (and its cluster id), or every cross-document cluster with its representative event, in
date order, streamed. The export formats (:mod:`dotterel.export`) read only through here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, select

from dotterel.records.models import EventRecord
from dotterel.store import schema as S

if TYPE_CHECKING:
    from dotterel.store.sql import Store


@dataclass(slots=True)
class ExportRow:
    """One stored event (or cluster) with what exports need of its document."""

    event: EventRecord
    doc_id: str
    source: str | None
    published: str | None
    url: str | None
    title: str | None
    coded_at: str | None
    cluster_id: str | None = None
    cluster: dict[str, Any] | None = None  # the event_clusters row when reading clusters


def export_rows(store: Store, *, clusters: bool = False, batch: int = 2000) -> Iterator[ExportRow]:
    """Events (or, with ``clusters``, clusters brought up to date first) from ``store`` in date order."""
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
    elif inspect(store.engine).has_table("cluster_mentions"):
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
            yield ExportRow(event=EventRecord.model_validate_json(m[e.record]), doc_id=m[e.doc_id], source=m[e.source],
                            published=m[e.published], url=m[d.url], title=m[d.title], coded_at=m[d.coded_at],
                            cluster_id=cluster["id"] if cluster else m.get("cluster_id"), cluster=cluster)
