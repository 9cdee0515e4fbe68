"""Typed output records: the output contract (built from a coded Doc by :mod:`dotterel.assemble`)."""

from dotterel.records.models import (
    ActorRecord,
    CodedDocument,
    DateRecord,
    DocError,
    DocMeta,
    EventMentionRecord,
    EventRecord,
    LocationRecord,
    QuoteRecord,
    SideActor,
    StanceRecord,
    TimeRecord,
    TriggerRecord,
)

__all__ = [
    "ActorRecord",
    "CodedDocument",
    "DateRecord",
    "DocError",
    "DocMeta",
    "EventMentionRecord",
    "EventRecord",
    "LocationRecord",
    "QuoteRecord",
    "SideActor",
    "StanceRecord",
    "TimeRecord",
    "TriggerRecord",
]
