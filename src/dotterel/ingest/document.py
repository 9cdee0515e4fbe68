"""The input record every later stage works from."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from dotterel.records.models import DocError


@dataclass(slots=True)
class Document:
    """One input document. ``text`` is stored exactly as given; every offset refers to it.

    ``errors`` non-empty means the document could not be coded (it is still recorded).
    ``published_basis`` says where ``published`` came from: user (``--date``), input (a JSONL
    ``date`` field), metadata (HTML), dateline (found in the text), unknown.
    """

    id: str
    text: str
    published: dt.date | None = None
    published_basis: str = "unknown"
    title: str | None = None
    source: str | None = None
    url: str | None = None
    errors: list[DocError] = field(default_factory=list)
    warnings: list[DocError] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
