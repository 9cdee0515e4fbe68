"""PLOVER JSON lines: one PLOVER event object per line, plus Dotterel's own named fields."""

from __future__ import annotations

from dotterel.export.items import Item
from dotterel.export.registry import ExportFormat
from dotterel.export.values import version
from dotterel.records.models import SideActor

PLOVER_FIELDS: tuple[str, ...] = (
    "id", "date", "enddate", "source", "recipient", "event", "event_loc", "event_text", "quad_code", "event_scale",
    "mode", "context", "link", "text_info", "cite_info", "coder", "coded_date",
    # Dotterel's own fields (PLOVER allows providers to add named fields)
    "doc_id", "status", "cameo", "reciprocal", "date_basis", "confidence", "trigger", "num_mentions", "num_articles",
    "num_sources", "first_seen", "last_seen",
)


def _plover_actor(a: SideActor) -> dict:
    return {"code": a.country, "sector": a.sector, "actor_text": a.text, "identifier_id": a.id,
            "identifier_text": a.name}


def plover_row(it: Item) -> dict:
    e = it.event
    n_m, n_a, n_s = it.counts
    first, last = it.seen
    return {
        "id": it.export_id, "date": it.date_start, "enddate": it.date_end,
        "source": [_plover_actor(a) for a in e.actor], "recipient": [_plover_actor(a) for a in e.recipient],
        "event": [e.event_type],
        "event_loc": {"name": e.location.name, "cc3": e.location.country} if e.location else None,
        "event_text": [e.sentence_text], "quad_code": e.quad_class, "event_scale": e.intensity,
        "mode": e.mode or "", "context": list(e.context), "link": it.cluster_id,
        "text_info": {"sequence": e.sentence, "start": e.trigger.start, "end": e.trigger.end},
        "cite_info": {"corpus": it.source, "citation": it.doc_id, "url": it.url, "title": it.title, "language": "en",
                      "publication": it.source, "coder": f"dotterel {version()}", "codebook": "plover"},
        "coder": f"dotterel {version()}", "coded_date": (it.coded_at or "")[:10] or None,
        "doc_id": it.doc_id, "status": e.status, "cameo": e.cameo, "reciprocal": e.reciprocal,
        "date_basis": e.date.basis, "confidence": e.confidence, "trigger": e.trigger.text,
        "num_mentions": n_m, "num_articles": n_a, "num_sources": n_s, "first_seen": first, "last_seen": last,
    }


FORMATS = (ExportFormat("plover-jsonl", PLOVER_FIELDS, plover_row, container="jsonl", rank=10),)
