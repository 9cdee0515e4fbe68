"""The flat event table: one row per event with every party of each side joined by ``|``
(``csv`` and ``parquet``; the columns of :func:`dotterel.analysis.events_frame`)."""

from __future__ import annotations

from dotterel.export.items import Item
from dotterel.export.registry import ExportFormat
from dotterel.export.values import join, names

FLAT_COLUMNS: tuple[str, ...] = (
    "event_id", "doc_id", "cluster_id", "date", "date_end", "date_basis", "event_type", "mode", "context", "cameo",
    "quad_class", "intensity", "status", "reciprocal", "actor_name", "actor_country", "actor_sector", "actor_id",
    "actor_text", "recipient_name", "recipient_country", "recipient_sector", "recipient_id", "recipient_text",
    "location", "location_country", "attribution", "confidence", "sentence", "sentence_text", "trigger",
    "trigger_start", "trigger_end", "n_mentions", "n_articles", "n_sources", "first_seen", "last_seen", "source",
    "published", "url", "title",
)
FLAT_TYPES = {"quad_class": "str", "intensity": "float", "reciprocal": "bool", "confidence": "float", "sentence": "int",
              "trigger_start": "int", "trigger_end": "int", "n_mentions": "int", "n_articles": "int", "n_sources": "int"}


def flat_row(it: Item) -> dict:
    e = it.event
    n_m, n_a, n_s = it.counts
    first, last = it.seen
    return {
        "event_id": e.id, "doc_id": it.doc_id, "cluster_id": it.cluster_id, "date": it.date_start, "date_end": it.date_end,
        "date_basis": e.date.basis, "event_type": e.event_type, "mode": e.mode, "context": join(e.context),
        "cameo": e.cameo, "quad_class": str(e.quad_class), "intensity": e.intensity, "status": e.status,
        "reciprocal": e.reciprocal,
        "actor_name": names(e.actor), "actor_country": join([a.country for a in e.actor]),
        "actor_sector": join([a.sector for a in e.actor]), "actor_id": join([a.id for a in e.actor]),
        "actor_text": join([a.text for a in e.actor]),
        "recipient_name": names(e.recipient), "recipient_country": join([a.country for a in e.recipient]),
        "recipient_sector": join([a.sector for a in e.recipient]), "recipient_id": join([a.id for a in e.recipient]),
        "recipient_text": join([a.text for a in e.recipient]),
        "location": e.location.name if e.location else None, "location_country": e.location.country if e.location else None,
        "attribution": (e.attribution.name or e.attribution.text) if e.attribution else None,
        "confidence": e.confidence, "sentence": e.sentence, "sentence_text": e.sentence_text, "trigger": e.trigger.text,
        "trigger_start": e.trigger.start, "trigger_end": e.trigger.end, "n_mentions": n_m, "n_articles": n_a,
        "n_sources": n_s, "first_seen": first, "last_seen": last, "source": it.source, "published": it.published,
        "url": it.url, "title": it.title,
    }


FORMATS = (ExportFormat("csv", FLAT_COLUMNS, flat_row, FLAT_TYPES, container="csv", rank=20),
           ExportFormat("parquet", FLAT_COLUMNS, flat_row, FLAT_TYPES, container="parquet", rank=30))
