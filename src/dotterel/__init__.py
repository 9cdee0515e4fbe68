"""Dotterel: political event data (PLOVER/CAMEO) from English news text, with evidence spans.

>>> import dotterel
>>> coded = dotterel.code_text("Xi Jinping will visit Russia next week.", date="2023-03-17")
>>> [e.event_type for e in coded.events]
['CONSULT']
"""

from dotterel.ingest import Document, read_inputs
from dotterel.pipeline import Coder, code_documents, code_text
from dotterel.records import CodedDocument
from dotterel.settings import Settings

__version__ = "0.1.0"
__all__ = ["Coder", "CodedDocument", "Document", "Settings", "code_documents", "code_text", "read_inputs", "__version__"]
