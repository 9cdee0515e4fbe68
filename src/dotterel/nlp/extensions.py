"""Register the ``Doc._`` extensions the stages communicate through (see :mod:`dotterel.spans`)."""

from __future__ import annotations

from spacy.tokens import Doc

_EXTENSIONS = ("dct", "skip_ranges", "actor_mentions", "time_mentions", "quote_mentions", "event_mentions")


def register_extensions() -> None:
    """Idempotent: safe to call from every component factory."""
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


_TEXT_KEY = "dotterel.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc and kept in ``doc.user_data``: spaCy joins every token
    again on each access of ``Doc.text``, and several stages need the whole text. A Doc's text
    never changes once it is made (retokenizing keeps it), so the copy stays true."""
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text
