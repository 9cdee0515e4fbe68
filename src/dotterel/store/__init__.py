"""Persisting coded documents: SQLite by default, PostgreSQL by URL, one code path (SQLAlchemy Core)."""

from dotterel.store.sql import EventQuery, Store, StoredEvent, TimelinePoint, engine_url

__all__ = ["EventQuery", "Store", "StoredEvent", "TimelinePoint", "engine_url"]
