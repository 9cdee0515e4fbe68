"""Typed output records (the output contract) and the builder that fills them from a coded Doc."""

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
