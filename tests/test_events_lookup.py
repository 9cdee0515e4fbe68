"""Per-document lookups of the events stage (built once per Doc, linear cost): the quote holding a
token, the mentions whose head is in a span. Checked against the plain scans they replace."""

from __future__ import annotations

import random

import spacy
from spacy.tokens import Doc

from dotterel.events.lookup import QuoteIndex
from dotterel.events.roles import MentionIndex
from dotterel.spans import Actor, ActorMention, QuoteMention

VOCAB = spacy.blank("en").vocab
WORDS = "Chile said on Monday that Peru had agreed to talks , and Peru denied it".split()


def _doc() -> Doc:
    return Doc(VOCAB, words=WORDS)


def test_quote_index_is_the_first_quote_in_order_that_holds_the_token() -> None:
    doc = _doc()
    rng = random.Random(7)
    n = len(doc.text)
    quotes = []
    for _ in range(12):  # overlapping and nested quotes, some without a speaker
        a = rng.randrange(n)
        b = rng.randrange(a, n + 1)
        quotes.append(QuoteMention(a, b, doc.text[a:b], "direct" if rng.random() < 0.5 else "indirect"))
    for keep in (lambda q: True, lambda q: q.kind == "direct"):
        index = QuoteIndex(doc, quotes, keep)
        for tok in doc:
            scan = next((q for q in quotes if q.start_char <= tok.idx < q.end_char and keep(q)), None)
            assert index.at(tok.i) is scan, (tok.i, tok.text)


def test_quote_index_edges() -> None:
    doc = _doc()
    said = doc[1]
    q = QuoteMention(said.idx, said.idx + len(said.text), "said", "direct")
    index = QuoteIndex(doc, [q], lambda _: True)
    assert index.at(1) is q and index.at(0) is None and index.at(2) is None
    assert QuoteIndex(doc, [], lambda _: True).at(1) is None


def _mention(doc: Doc, start: int, end: int, head: int) -> ActorMention:
    span = doc[start:end]
    return ActorMention(start, end, span.start_char, span.end_char, span.text,
                        [Actor(span.text, "CHL", "GOV")], "name", head)


def test_mentions_in_equals_the_scan_in_order() -> None:
    doc = _doc()
    mentions = [_mention(doc, 5, 6, 5), _mention(doc, 0, 1, 0), _mention(doc, 12, 13, 12), _mention(doc, 5, 6, 5)]
    index = MentionIndex(doc, mentions, frozenset({"who", "which"}))
    for start in range(len(doc)):
        for end in range(start, len(doc) + 1):
            span = doc[start:end]
            scan = [m for m in index.by_head.values() if span.start <= m.head < span.end]
            assert index.mentions_in(span) == scan
