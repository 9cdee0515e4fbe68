"""The base model's rule lemmatizer, asked once per distinct word form and analysis.

spaCy's ``Lemmatizer`` makes a ``Token`` for every word, computes its lemma (cached only for inflected
forms: base forms, most words of a news story, are worked out again each time) and sets ``token.lemma_``
through the string store: 2–3 CPU ms per news story. :class:`ArrayLemmatizer` reads ORTH, POS, MORPH
and LEMMA as arrays, asks the model's own ``lemmatize`` once per distinct (orth, pos, morph), which is
all spaCy's rule lemmatizer decides from, remembers the answer's string-store hash (for another
lemmatizer: only what spaCy caches itself), and writes the lemmas back in one ``Doc.from_array``: the
same lemmas, token by token (``tests/test_attribute_ruler.py`` compares every token attribute).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

#: cache keys whose lemma hash is remembered before the memo starts afresh
MEMO_SIZE = 500_000


class ArrayLemmatizer:
    """Wraps a rule-mode :class:`spacy.pipeline.Lemmatizer` (``inner``); :meth:`__call__` gives the
    lemmas ``inner`` gives."""

    def __init__(self, inner: Lemmatizer | None = None) -> None:
        self.inner = inner
        self.memo: dict[tuple[int, int, int], int] = {}  # spaCy's cache key -> the lemma's hash
        #: whether ``inner`` decides from orth, pos and morph alone (spaCy's rule lemmatizer and its English
        #: base-form test): then every lemma it gives is remembered, not only those spaCy caches (a word
        #: with no part of speech is never remembered: spaCy warns about it on each call)
        self.pure = inner is not None and _pure(inner)

    def __call__(self, doc: Doc) -> Doc:
        inner = self.inner
        assert inner is not None, "ArrayLemmatizer without a lemmatizer"
        n = len(doc)
        if n == 0:
            return inner(doc)
        if not inner._validated:
            inner._validate_tables()
        cols = doc.to_array([ORTH, POS, MORPH, LEMMA])
        orth, pos, morph, lemma = cols.T.tolist()
        cache, strings, lemmatize, overwrite = inner.cache, doc.vocab.strings, inner.lemmatize, inner.overwrite
        memo = self.memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        out = list(lemma)
        for i, key in enumerate(zip(orth, pos, morph, strict=True)):
            if overwrite or lemma[i] == 0:
                found = memo.get(key)
                if found is None:
                    forms = cache.get(key)
                    if forms is None:
                        forms = lemmatize(doc[i])
                    found = strings.add(forms[0])
                    if key in cache or (self.pure and key[1] != 0):
                        memo[key] = found
                out[i] = found
        doc.from_array([LEMMA], numpy.asarray(out, dtype=cols.dtype).reshape(-1, 1))  # type: ignore[arg-type]  # Ints2d
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("dotterel_lemmatizer")
def make_array_lemmatizer(nlp: Language, name: str) -> ArrayLemmatizer:
    return ArrayLemmatizer()


def wrap_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Put an :class:`ArrayLemmatizer` around the pipe ``name`` (same name, same place) when it is a
    rule-mode spaCy lemmatizer; False (nothing changed) otherwise. The cache is read with spaCy 3.8's
    key (orth, pos, morph); under another key every word would be a miss, sent to ``lemmatize``: slower,
    never different."""
    if name not in nlp.pipe_names:
        return False
    old = nlp.get_pipe(name)
    if not isinstance(old, Lemmatizer) or old.mode != "rule" or not isinstance(getattr(old, "cache", None), dict):
        return False
    new = nlp.replace_pipe(name, "dotterel_lemmatizer")
    assert isinstance(new, ArrayLemmatizer)
    new.inner, new.pure = old, _pure(old)
    return True


def _pure(lemmatizer: Lemmatizer) -> bool:
    kind = type(lemmatizer)
    return kind.rule_lemmatize is Lemmatizer.rule_lemmatize and kind.is_base_form in (
        Lemmatizer.is_base_form, EnglishLemmatizer.is_base_form) and lemmatizer.lemmatize == lemmatizer.rule_lemmatize

