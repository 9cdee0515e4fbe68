"""Hand-built spaCy Docs for rule tests, written as one token per line (no model needed)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

VOCAB = spacy.blank("en").vocab


def parsed(rows: str) -> Doc:
    """A Doc from lines ``word TAG POS dep head [lemma]`` (head: index of the head word, itself for the
    root; lemma: the lower-cased word when left out)."""
    cols = [line.split() for line in rows.strip().splitlines()]
    words = [c[0] for c in cols]
    return Doc(VOCAB, words=words, spaces=[True] * len(words), tags=[c[1] for c in cols], pos=[c[2] for c in cols],
               deps=[c[3] for c in cols], heads=[int(c[4]) for c in cols],
               lemmas=[c[5] if len(c) > 5 else c[0].lower() for c in cols])
