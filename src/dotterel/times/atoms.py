"""Token patterns for the time expressions NER misses, matched once per Doc through a word index.

Each pattern is a sequence of elements (a word class, a month name in title case, a number, a
four-digit shape, a regular expression over the text), some optional. Matching gives every
``(start, end)`` a pattern matches, every optional element taken or skipped, as spaCy's
``Matcher`` does (the test suite checks the two agree). Instead of testing every pattern at every
token, one pass over the tokens' lower-case forms looks up the patterns that can hold each word
(each pattern is indexed by one required word element, its *anchor*), and only there the other
elements are checked, backwards and forwards. Patterns without a word element (years, decades)
are tried only at tokens that start with a digit. Cost: one dictionary look-up per token plus the
work at the few anchors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from spacy.tokens import Doc

from dotterel.nlp.extensions import token_strings
from dotterel.times.lexicon import Lexicon

_DIGITS = frozenset("0123456789")  # a year or decade pattern is tried only at a token starting with one
#: anaphoric words ("the following day") and their offset from the reference time
ANAPHORS: Mapping[str, int] = MappingProxyType({"same": 0, "following": 1, "next": 1, "previous": -1, "preceding": -1})


@dataclass(frozen=True, slots=True)
class Element:
    """One token of a pattern. ``kind``: ``word`` (lower case in ``words``), ``month`` (lower case in
    ``words`` and written in title case), ``num`` (number-like), ``orth`` (text equals ``value``),
    ``shape`` (spaCy shape equals ``value``), ``regex`` (text matches ``value`` searched)."""

    kind: str
    words: frozenset[str] = frozenset()
    value: str = ""
    optional: bool = False

    def test(self, doc: Doc, lower: list[str], i: int) -> bool:
        if self.kind == "word":
            return lower[i] in self.words
        if self.kind == "month":
            return lower[i] in self.words and doc[i].is_title
        if self.kind == "num":
            return bool(doc[i].like_num)
        if self.kind == "orth":
            return doc[i].text == self.value
        if self.kind == "shape":
            return doc[i].shape_ == self.value
        return re.search(self.value, doc[i].text) is not None

    def spacy(self) -> dict[str, object]:
        """The same element as a spaCy ``Matcher`` token pattern (for checking)."""
        specs: dict[str, dict[str, object]] = {
            "word": {"LOWER": {"IN": sorted(self.words)}},
            "month": {"LOWER": {"IN": sorted(self.words)}, "IS_TITLE": True},
            "num": {"LIKE_NUM": True},
            "orth": {"ORTH": self.value},
            "shape": {"SHAPE": self.value},
            "regex": {"TEXT": {"REGEX": self.value}},
        }
        spec = specs[self.kind]
        return {**spec, "OP": "?"} if self.optional else spec


def _w(words: Iterable[str], optional: bool = False) -> Element:
    return Element("word", frozenset(words), optional=optional)


@dataclass(frozen=True, slots=True)
class Pattern:
    label: str
    elements: tuple[Element, ...]

    @property
    def anchor(self) -> int | None:
        """Index of the required word element the pattern is looked up by (None: none)."""
        return next((k for k, e in enumerate(self.elements) if not e.optional and e.kind in ("word", "month")), None)


def patterns(lex: Lexicon) -> tuple[Pattern, ...]:
    """The candidate patterns of the times stage (what NER misses: "earlier Thursday", "Monday
    night", "later this week", "two days ago", years used as modifiers, decades)."""
    weekdays = [w for w in lex.weekdays if len(w) >= 6]  # full names only ("Sun" is a newspaper)
    months = [m for m in lex.months if len(m) >= 3 and m != "may"]
    parts = list(lex.parts_of_day)
    mods = [m for m in lex.modifiers if " " not in m]
    rels = list(lex.relatives)
    units = ["week", "weekend", "month", "year", "quarter", *lex.seasons]
    numbers, unit_words = list(lex.numbers), list(lex.units)
    month = Element("month", frozenset(months))
    num, opt_num = Element("num"), Element("num", optional=True)
    year = Element("shape", value="dddd")
    later = _w(["later", "earlier"])
    out = [
        Pattern("WEEKDAY", (_w(mods, True), _w(rels, True), _w(weekdays), _w(parts, True))),
        Pattern("DEICTIC", (_w(mods, True), _w(["today", "yesterday", "tomorrow", "tonight"]), _w(parts, True))),
        Pattern("DEICTIC", (_w(["this"]), _w(parts))),
        Pattern("DEICTIC", (_w(["last"]), _w(["night"]))),
        Pattern("RELATIVE", (_w(mods, True), _w(rels), _w(units))),
        Pattern("MONTH", (_w(mods + rels, True), month, opt_num)),
        Pattern("MONTH", (month, num, Element("orth", value=",", optional=True), year)),  # NER often calls the year CARDINAL
        Pattern("MONTH", (num, month, year)),
        Pattern("MONTH", (month, year)),
        Pattern("YEAR", (Element("regex", value=r"^(?:1[89]|20)\d\d$"),)),
        Pattern("DECADE", (_w(["the"], True), Element("regex", value=r"^(?:1[5-9]|20)\d0s$"))),
        Pattern("EARLIER_ON", (later, _w(["on"]), _w([*weekdays, "today"]), _w(parts, True))),
        Pattern("PART_OF_DAY", (_w(["early", "late"], True), _w([*parts, "overnight"]))),
        Pattern("LAST_NIGHT", (_w(mods), _w(["last"]), _w(["night"]))),
        Pattern("ANAPHORIC", (_w(["the"]), _w(ANAPHORS), _w(["day", "week", "month", "year"]))),
        Pattern("ANAPHORIC", (_w(numbers), _w(unit_words), later)),
        Pattern("ANAPHORIC", (_w(["hours", "minutes", "moments"]), later)),
        Pattern("AGO", (_w(numbers), _w(unit_words), _w(["ago"]))),
        Pattern("AGO", (num, _w(unit_words), _w(["ago"]))),
    ]
    return tuple(out)


def _walk(doc: Doc, lower: list[str], elements: tuple[Element, ...], pos: int, step: int, out: set[int]) -> None:
    """Every boundary reached by matching ``elements`` from boundary ``pos`` in direction ``step``
    (+1: forwards, the token at ``pos``; -1: backwards, the token before ``pos``)."""
    if not elements:
        out.add(pos)
        return
    first, rest = elements[0], elements[1:]
    if first.optional:
        _walk(doc, lower, rest, pos, step, out)
    i = pos if step > 0 else pos - 1
    if 0 <= i < len(lower) and first.test(doc, lower, i):
        _walk(doc, lower, rest, pos + step, step, out)


class AtomMatcher:
    """All matches ``(label, start, end)`` of :func:`patterns` in a Doc (see the module docstring)."""

    def __init__(self, lex: Lexicon) -> None:
        self.patterns = patterns(lex)
        by_word: dict[str, list[tuple[Pattern, int]]] = {}
        by_digit: list[tuple[Pattern, int]] = []
        for p in self.patterns:
            a = p.anchor
            if a is None:  # years and decades: a regular expression over a token starting with a digit
                k = next(k for k, e in enumerate(p.elements) if not e.optional)
                by_digit.append((p, k))
                continue
            for w in p.elements[a].words:
                by_word.setdefault(w, []).append((p, a))
        self._by_word = {w: tuple(v) for w, v in by_word.items()}
        self._by_digit = tuple(by_digit)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        lower = token_strings(doc)[1]  # read once per Doc, shared with the other stages
        found: set[tuple[str, int, int]] = set()
        by_word, by_digit = self._by_word, self._by_digit
        for i, low in enumerate(lower):
            cands = by_word.get(low, ())
            if by_digit and low[:1] in _DIGITS:
                cands = cands + by_digit
            for p, a in cands:
                els = p.elements
                if not els[a].test(doc, lower, i):
                    continue
                starts: set[int] = set()
                ends: set[int] = set()
                _walk(doc, lower, els[:a][::-1], i, -1, starts)
                _walk(doc, lower, els[a + 1 :], i + 1, 1, ends)
                found.update((p.label, s, e) for s in starts for e in ends)
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))
