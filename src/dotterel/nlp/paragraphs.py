"""First pipeline component: paragraph breaks are sentence breaks.

Headlines and datelines have no final full stop, so the parser tends to glue them to the
next paragraph. A token that follows a line break always starts a sentence here; the
parser respects boundaries that are already set.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from dotterel.nlp.extensions import register_extensions

#: marks that may end a line that is no full sentence ("Talks resume: both sides", "Guinea — coup")
OPEN_ENDINGS = frozenset({",", ";", ":", "-", "\u2014", "\u2013"})


def unclosed_line(sent: Span) -> bool:
    """A sentence that ends without closing punctuation: a headline, a caption or a dateline line
    ("Reporter freed in prisoner swap"). The stages read headline grammar from it."""
    last = next((t for t in reversed(sent) if not t.is_space), None)
    return last is not None and not (last.is_punct and last.text not in OPEN_ENDINGS)


@Language.factory("dotterel_paragraphs", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> ParagraphBreaker:
    register_extensions()
    return ParagraphBreaker()


class ParagraphBreaker:
    """Marks the first token after a whitespace token holding a line break as a sentence start.

    Linear in the document: the whitespace tokens are found in one array pass and the starts are
    written back in one ``from_array`` (setting ``Token.is_sent_start`` one token at a time makes
    spaCy scan the whole Doc each time: quadratic on a long document)."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n < 2:
            return doc
        spaces = numpy.flatnonzero(doc.to_array([IS_SPACE]).reshape(-1))
        starts = [int(i) + 1 for i in spaces if i + 1 < n and "\n" in doc[int(i)].text and not doc[int(i) + 1].is_space]
        if starts:
            sent = doc.to_array([SENT_START])
            sent[starts] = 1
            doc.from_array([SENT_START], sent)  # type: ignore[arg-type]  # the stub wants Ints2d; spaCy takes this 1-d array
        return doc
