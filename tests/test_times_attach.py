"""times.attach on hand-built parses: walks up the tree terminate (a mention spanning the root)."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc  # noqa: E402

VOCAB = spacy.blank("en").vocab

from dotterel.times.attach import _clause_tokens, anchor  # noqa: E402
from dotterel.times.tense import verb_tense  # noqa: E402


def dateline_doc() -> Doc:
    # "Monday, March 8, 1993" parsed as one fragment whose root ("Monday") lies inside the mention
    words = ["Monday", ",", "March", "8", ",", "1993"]
    heads = [0, 0, 0, 2, 2, 2]
    deps = ["ROOT", "punct", "appos", "nummod", "punct", "nummod"]
    pos = ["PROPN", "PUNCT", "PROPN", "NUM", "PUNCT", "NUM"]
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos)


def test_anchor_of_a_mention_holding_the_root_is_the_root():
    doc = dateline_doc()
    assert anchor(doc, 0, len(doc)).i == 0
    assert anchor(doc, 2, 6).i == 0  # "March 8, 1993" modifies "Monday"


def test_clause_tokens_stop_at_the_root_of_a_verbless_fragment():
    doc = dateline_doc()
    assert [t.i for t in _clause_tokens(doc[2])][:2] == [2, 0]


def test_tense_of_a_root_infinitive_terminates():
    doc = Doc(VOCAB, words=["to", "visit"], heads=[1, 1], deps=["aux", "ROOT"], pos=["PART", "VERB"])
    assert verb_tense(doc[1]) == "future"
