"""times.atoms: the word-indexed pattern matcher agrees with spaCy's Matcher on hand-built Docs."""

from __future__ import annotations

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from dotterel.times.atoms import AtomMatcher, Element, Pattern, patterns
from dotterel.times.lexicon import load_lexicon

TEXTS = [
    "Early last Monday morning and late Tuesday night the envoys met again .",
    "The 1990s ended ; the 2019 vote and 1500 troops came March 3 , 2021 and 3 March 2021 .",
    "In March 2021 two days ago , 3 weeks ago and the following day , hours later , the talks resumed .",
    "Earlier on Sunday evening , this morning , last night and early last night the ministry said so .",
    "Later this week , late March 5 , the previous year and five years later , overnight , the march began .",
    "He said may be in May ; the Sun reported Sun and sun at dawn .",
    "",
]


def _doc(vocab: Vocab, text: str) -> Doc:
    words = text.split()
    return Doc(vocab, words=words, spaces=[True] * len(words))


def _spacy_matches(matcher: Matcher, doc: Doc) -> set[tuple[str, int, int]]:
    return {(doc.vocab.strings[k], s, e) for k, s, e in matcher(doc)}


@pytest.fixture(scope="module")
def reference() -> tuple[Vocab, AtomMatcher, Matcher]:
    vocab = spacy.blank("en").vocab  # lexical attributes (lower case, shape, like_num) need the language
    lex = load_lexicon()
    matcher = Matcher(vocab)
    for p in patterns(lex):
        matcher.add(p.label, [[e.spacy() for e in p.elements]])
    return vocab, AtomMatcher(lex), matcher


@pytest.mark.parametrize("text", TEXTS)
def test_agrees_with_spacy_matcher(reference, text: str) -> None:
    vocab, atoms, matcher = reference
    doc = _doc(vocab, text)
    assert set(atoms(doc)) == _spacy_matches(matcher, doc)


def test_every_optional_combination_is_a_match(reference) -> None:
    vocab, atoms, _ = reference
    doc = _doc(vocab, "early last Monday morning")
    weekday = {(s, e) for label, s, e in atoms(doc) if label == "WEEKDAY"}
    assert weekday == {(s, e) for s in (0, 1, 2) for e in (3, 4)}


def test_month_needs_title_case_and_may_is_left_out(reference) -> None:
    vocab, atoms, _ = reference
    labels = lambda text: {label for label, _, _ in atoms(_doc(vocab, text))}  # noqa: E731
    assert "MONTH" in labels("in March")
    assert "MONTH" not in labels("the march")
    assert "MONTH" not in labels("in May") and "MONTH" not in labels("May 2021")  # "may": NER's job
    assert "MONTH" in labels("Sept 2021")


def test_years_and_decades_are_found_at_digits(reference) -> None:
    vocab, atoms, _ = reference
    found = atoms(_doc(vocab, "the 1990s and the 2019 vote , not 3019"))
    assert ("DECADE", 0, 2) in found and ("DECADE", 1, 2) in found
    assert ("YEAR", 4, 5) in found
    assert not any(s == 8 for _, s, _ in found)  # 3019 is no year


def test_anchor_is_a_required_word_element() -> None:
    p = Pattern("X", (Element("word", frozenset({"a"}), optional=True), Element("num"), Element("word", frozenset({"b"}))))
    assert p.anchor == 2
    assert Pattern("Y", (Element("regex", value="^1"),)).anchor is None
