"""Assembling: a coded spaCy ``Doc`` (its ``Doc._`` extensions) → the output contract
(:mod:`dotterel.records`). The only place that turns token-level working records into
character-offset records; merging several mentions of one event is :mod:`dotterel.events.merge`."""

from dotterel.assemble.build import build, doc_meta, failed

__all__ = ["build", "doc_meta", "failed"]
