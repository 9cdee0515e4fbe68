"""Register the ``Doc._`` extensions the stages communicate through (see :mod:`dotterel.spans`)."""

from __future__ import annotations

from spacy.tokens import Doc

_EXTENSIONS = ("dct", "skip_ranges", "actor_mentions", "time_mentions", "quote_mentions", "event_mentions")


def register_extensions() -> None:
    """Idempotent: safe to call from every component factory."""
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
