"""First pipeline component: paragraph breaks are sentence breaks.

Headlines and datelines have no final full stop, so the parser tends to glue them to the
next paragraph. A token that follows a line break always starts a sentence here; the
parser respects boundaries that are already set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from dotterel.nlp.extensions import register_extensions


@Language.factory("dotterel_paragraphs", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> ParagraphBreaker:
    register_extensions()
    return ParagraphBreaker()


class ParagraphBreaker:
    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if tok.is_space:
                continue
            if (prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_:
                tok.is_sent_start = True
            elif tok.is_sent_start is None:
                pass
        return doc
