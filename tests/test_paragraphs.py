"""dotterel_paragraphs on Docs built by hand: a line break starts a sentence, nothing else does."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from dotterel.nlp.paragraphs import ParagraphBreaker

VOCAB = spacy.blank("en").vocab  # English lexical attributes (is_space), no model


def starts(words: list[str], spaces: list[bool]) -> list[bool | None]:
    doc = ParagraphBreaker()(Doc(VOCAB, words=words, spaces=spaces))
    return [t.is_sent_start for t in doc]


def test_token_after_a_line_break_starts_a_sentence() -> None:
    words = ["Talks", "resume", "\n\n", "Envoys", "met", "in", "Lima", "\n", "on", "Monday"]
    spaces = [True, False, False, True, True, True, False, False, True, False]
    got = starts(words, spaces)
    assert [w for w, s in zip(words, got, strict=True) if s] == ["Talks", "Envoys", "on"]
    assert got[1] is None and got[4] is None  # the parser decides the others


@pytest.mark.parametrize(("words", "spaces"), [
    (["Talks", "resume", "  ", "today"], [True, False, False, False]),  # whitespace without a line break
    (["\n\n"], [False]),
    ([], []),
])
def test_no_break_no_start(words: list[str], spaces: list[bool]) -> None:
    assert all(s is not True for s in starts(words, spaces)[1:])


def test_long_document_every_paragraph() -> None:
    words, spaces = [], []
    for k in range(3000):
        words += [f"Para{k}", "ends", ".", "\n\n"]
        spaces += [True, False, False, False]
    got = starts(words, spaces)
    assert sum(1 for s in got if s) == 3000
