"""Register the ``Doc._`` extensions the stages communicate through (see :mod:`dotterel.spans`)."""

from __future__ import annotations

from spacy.attrs import IDX, LEMMA, LENGTH, LOWER
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


def made_from(doc: Doc, text: str) -> Doc:
    """Record that ``doc`` was tokenized from ``text`` (what :func:`doc_text` returns from then on):
    spaCy's tokenizer keeps every character, so ``doc.text == text``, and no stage needs to join the
    tokens again."""
    doc.user_data[_TEXT_KEY] = text
    return doc


_STRINGS_KEY = "dotterel.strings"


def token_strings(doc: Doc) -> tuple[list[str], list[str], list[str]]:
    """Each token's text, lower case and lemma in lower case (``token.text``, ``token.lower_``,
    ``token.lemma_.lower()``), read once per Doc through ``Doc.to_array`` and the string store (each
    distinct string looked up once, no Token object per position) and kept in ``doc.user_data`` as
    plain lists, like :func:`doc_text`. The lemmatizer has run before any stage reads them."""
    cached = doc.user_data.get(_STRINGS_KEY)
    if isinstance(cached, tuple) and len(cached) == 3 and len(cached[0]) == len(doc):
        return cached
    if len(doc) == 0:
        out: tuple[list[str], list[str], list[str]] = ([], [], [])
    else:
        strings, text = doc.vocab.strings, doc_text(doc)
        idx, length, lower, lemma = doc.to_array([IDX, LENGTH, LOWER, LEMMA]).T.tolist()
        found = {h: strings[h] for h in {*lower, *lemma}}  # a string store lookup costs more than the rest
        out = ([text[i : i + n] for i, n in zip(idx, length, strict=True)], [found[h] for h in lower],
               [found[h].lower() for h in lemma])
    doc.user_data[_STRINGS_KEY] = out
    return out
