"""Per-document lookups the events stage makes for every event, built once per ``Doc`` so that their
cost grows with the document, not with the document times its events."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable

from spacy.attrs import IDX
from spacy.tokens import Doc

from dotterel.spans import QuoteMention


class QuoteIndex:
    """For each token, the first quote (in the quote stage's order) among those ``keep`` accepts whose
    characters contain the token's first character: ``q.start_char <= token.idx < q.end_char``."""

    def __init__(self, doc: Doc, quotes: Iterable[QuoteMention], keep: Callable[[QuoteMention], bool]) -> None:
        self._at: dict[int, QuoteMention] = {}
        kept = [q for q in quotes if keep(q)]
        if not kept:
            return
        starts = list(map(int, doc.to_array([IDX]).reshape(-1).tolist()))  # each token's first character
        for q in reversed(kept):  # earlier quotes paint over later ones: the first in order wins
            for i in range(bisect.bisect_left(starts, q.start_char), bisect.bisect_left(starts, q.end_char)):
                self._at[i] = q

    def at(self, i: int) -> QuoteMention | None:
        """The quote that holds token ``i``, or None."""
        return self._at.get(i)
