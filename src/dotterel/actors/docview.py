"""What the actors stage reads about one ``Doc`` more than once, computed once per ``Doc``: its text
(``doc_text``: spaCy rebuilds ``doc.text`` on every access), the quoted character ranges and the sentence starts."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, HEAD, IDX, IS_SPACE, POS
from spacy.tokens import Doc, Span

from dotterel.actors.mentions import quoted_ranges
from dotterel.nlp.extensions import doc_text


@dataclass(slots=True)
class DocView:
    """Text, quotes and sentences of one document, each built once."""

    doc: Doc
    text: str
    quotes: list[tuple[int, int]]  # sorted, non-overlapping (one regex scan)
    quote_starts: list[int]
    sents: list[Span]
    sent_starts: list[int]
    pos: list[int]  # per token: coarse part of speech (spacy.symbols ids)
    space: list[int]  # per token: 1 for a whitespace token
    offset: list[int]  # per token: character offset
    dep: list[int]  # per token: dependency label (string store hash)
    head: list[int]  # per token: index of its head

    @classmethod
    def of(cls, doc: Doc) -> DocView:
        text = doc_text(doc)
        quotes = sorted(quoted_ranges(text))
        sents = list(doc.sents)
        if len(doc):
            cols = doc.to_array([POS, IS_SPACE, IDX, DEP, HEAD]).astype(numpy.int64)  # HEAD: a signed offset
            cols[:, 4] += numpy.arange(len(doc))
            pos, space, offset, dep, head = cols.T.tolist()
        else:
            pos, space, offset, dep, head = [], [], [], [], []
        return cls(doc, text, quotes, [s for s, _ in quotes], sents, [s.start for s in sents], pos, space, offset,
                   dep, head)

    def quoted(self, char: int) -> bool:
        """Whether character offset ``char`` lies inside quotation marks."""
        k = bisect.bisect_right(self.quote_starts, char) - 1
        return k >= 0 and self.quotes[k][0] <= char < self.quotes[k][1]

    def sent_start(self, i: int) -> int:
        """The first token of the sentence that holds token ``i``."""
        return self.sent_starts[bisect.bisect_right(self.sent_starts, i) - 1]


class CharRanges:
    """Membership of a character offset in a union of ranges, by bisection over the merged ranges."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(r for r in ranges if r[0] < r[1]):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, char: int) -> bool:
        k = bisect.bisect_right(self.starts, char) - 1
        return k >= 0 and char < self.ends[k]
