"""Table definitions. Every row belongs to a document; re-coding a document replaces its rows."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(255), primary_key=True),
    Column("content_hash", String(64), index=True),
    Column("title", Text), Column("published", String(10), index=True), Column("published_basis", String(16)),
    Column("source", Text), Column("url", Text), Column("text", Text),
    Column("n_events", Integer, default=0), Column("failed", Boolean, default=False),
    Column("errors", Text),  # JSON list of {code, message}
    Column("coded", Text),  # the whole CodedDocument as JSON
    Column("coded_at", String(32)), Column("version", String(16)),
)

actors = Table(
    "actors", metadata,
    Column("doc_id", String(255), index=True), Column("idx", Integer),
    Column("text", Text), Column("start", Integer), Column("end", Integer),
    Column("name", Text), Column("country", String(16), index=True), Column("sector", String(16)),
    Column("actor_id", String(128), index=True), Column("kind", String(16)),
)

events = Table(
    "events", metadata,
    Column("id", String(64), primary_key=True),
    Column("doc_id", String(255), index=True),
    Column("event_type", String(16), index=True), Column("mode", String(32)), Column("cameo", String(8)),
    Column("quad_class", Integer), Column("intensity", Float), Column("status", String(16)),
    Column("date_start", String(10)), Column("date_end", String(10)), Column("date_basis", String(16)),
    Column("actor_country", String(16)), Column("recipient_country", String(16)),
    Column("actor_names", Text), Column("recipient_names", Text),
    Column("reciprocal", Boolean), Column("confidence", Float),
    Column("sentence", Integer), Column("sentence_text", Text), Column("trigger_text", Text),
    Column("trigger_start", Integer), Column("trigger_end", Integer),
    Column("location_country", String(16)), Column("source", Text), Column("published", String(10)),
    Column("record", Text),  # the EventRecord as JSON
    Index("ix_events_dyad", "actor_country", "recipient_country", "date_start"),
    # covers Store.dyad_timeline (no table lookups): see bench/corpus.py
    Index("ix_events_dyad_cover", "actor_country", "recipient_country", "date_start", "quad_class", "intensity"),
    Index("ix_events_date", "date_start"),
)

event_parties = Table(
    "event_parties", metadata,
    Column("event_id", String(64), index=True), Column("doc_id", String(255), index=True),
    Column("side", String(10)), Column("country", String(16)), Column("name", Text), Column("actor_id", String(128)),
    Column("sector", String(16)),
    Index("ix_parties_country", "country", "side"),
)

quotes = Table(
    "quotes", metadata,
    Column("doc_id", String(255), index=True), Column("idx", Integer),
    Column("text", Text), Column("start", Integer), Column("end", Integer), Column("kind", String(16)),
    Column("cue", Text), Column("channel", Text), Column("speaker_name", Text), Column("speaker_country", String(16)),
)

times = Table(
    "times", metadata,
    Column("doc_id", String(255), index=True), Column("idx", Integer),
    Column("text", Text), Column("start_char", Integer), Column("end_char", Integer),
    Column("start", String(10)), Column("end", String(10)), Column("value", String(32)), Column("granularity", String(16)),
)

PER_DOCUMENT = (actors, event_parties, events, quotes, times)
