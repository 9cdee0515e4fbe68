"""Dotterel: political event data (PLOVER/CAMEO) from English news text, with evidence spans.

>>> import dotterel
>>> coded = dotterel.code_text("Xi Jinping will visit Russia next week.", date="2023-03-17")
>>> [e.event_type for e in coded.events]
['CONSULT']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dotterel.ingest import Document, read_inputs
    from dotterel.pipeline import Coder, code_documents, code_text
    from dotterel.records import CodedDocument
    from dotterel.settings import Settings

__version__ = "0.1.0"
__all__ = ["Coder", "CodedDocument", "Document", "Settings", "code_documents", "code_text", "read_inputs", "__version__"]

#: The public names and the module each comes from, imported on first use (so that the command
#: line's ``--help`` and modules that only need ``__version__`` do not load spaCy).
_LAZY = {"Document": "dotterel.ingest", "read_inputs": "dotterel.ingest", "Coder": "dotterel.pipeline",
         "code_documents": "dotterel.pipeline", "code_text": "dotterel.pipeline", "CodedDocument": "dotterel.records",
         "Settings": "dotterel.settings"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'dotterel' has no attribute {name!r}")
