"""Moved: event clusters are a derived table of the store, see :mod:`dotterel.store.clusters`.
This name stays importable for code written against earlier versions."""

from dotterel.store.clusters import (
    DEFAULT_WINDOW_DAYS,
    cluster_key,
    group_mentions,
    rebuild_clusters,
    update_clusters,
)

__all__ = ["DEFAULT_WINDOW_DAYS", "cluster_key", "group_mentions", "rebuild_clusters", "update_clusters"]
