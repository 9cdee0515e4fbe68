"""Reading inputs into :class:`Document` records: text, HTML, JSONL (also .gz), stdin."""

from dotterel.ingest.document import Document
from dotterel.ingest.readers import (
    document_from_record,
    document_from_text,
    read_inputs,
    read_path,
)

__all__ = ["Document", "document_from_record", "document_from_text", "read_inputs", "read_path"]
