"""The base model's attribute ruler with its patterns indexed: the same matches, found by dictionary
lookups instead of trying every pattern at every token.

spaCy's ``AttributeRuler`` hands its patterns (179 in ``en_core_web_md``: POS and morphology by tag,
exceptions by word) to a general ``Matcher``, which tries each pattern at each token and then looks the
match key up in the string store once per match (about 1,000 matches on a 700-token news story). That is
the second most expensive step of the pipeline after the neural networks (8–12 CPU ms per story). The
patterns the models ship use only equality, ``IN``, ``NOT_IN`` and ``REGEX`` on ``LOWER``, ``TAG``,
``DEP`` and ``IS_SPACE``, over one or two tokens. :class:`IndexedAttributeRuler` decides the one-token
patterns once per distinct token (lower case, tag, dependency, whitespace: string-store hashes read as
arrays once per Doc) and remembers the answer, finds the two-token ones through the word one of their
tokens must be, and returns exactly the list ``AttributeRuler.match`` returns; ``set_annotations``
applies it as spaCy does, without a ``Span`` per match. A pattern of any other form leaves the pipe as
spaCy made it (:func:`index_attribute_ruler` returns False). ``tests/test_attribute_ruler.py`` compares
matches and token attributes with spaCy's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_COLUMNS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
_INDEXED = ("LOWER", "TAG", "DEP")  # a pattern's first token is found through one of these, in this order


@dataclass(frozen=True, slots=True)
class _Check:
    """One condition on one token: column ``col`` of the token arrays."""

    col: int
    op: str  # "eq", "in", "not_in", "regex"
    value: object  # a hash or bool ("eq"), a frozenset of hashes ("in", "not_in"), a compiled pattern ("regex")


@dataclass(frozen=True, slots=True)
class _Rule:
    attr_id: int  # the pattern's position in the ruler (what AttributeRuler.match sorts by)
    match_id: int  # the Matcher key: the string store hash of str(attr_id)
    tokens: tuple[tuple[_Check, ...], ...]  # the conditions of each token of the pattern


class _Unsupported(Exception):
    """A pattern this index does not handle: spaCy's matcher stays in place."""


def _check(vocab_strings: object, key: str, value: object) -> _Check:
    strings = vocab_strings
    if key not in _COLUMNS:
        raise _Unsupported(key)
    col = _COLUMNS[key]
    if key == "IS_SPACE":
        if not isinstance(value, bool):
            raise _Unsupported(key)
        return _Check(col, "eq", int(value))
    if isinstance(value, str):
        return _Check(col, "eq", strings.add(value))  # type: ignore[attr-defined]
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            return _Check(col, op.lower(), frozenset(strings.add(a) for a in arg))  # type: ignore[attr-defined]
        if op == "REGEX" and isinstance(arg, str) and key == "LOWER":
            return _Check(col, "regex", re.compile(arg))
    raise _Unsupported(f"{key}: {value!r}")


#: distinct (lower, tag, dep, is_space) combinations remembered per ruler before the memo starts afresh
MEMO_SIZE = 200_000


@dataclass(slots=True)
class _Index:
    """The patterns of one ruler: one-token patterns are decided per distinct token (lower case, tag,
    dependency, whitespace) and remembered; the few two-token ones are found through the word one of
    their tokens must be."""

    single: list[_Rule]
    by_lower: dict[int, list[_Rule]]  # one-token rules that require one of these lower cases
    by_tag: dict[int, list[_Rule]]
    by_dep: dict[int, list[_Rule]]
    other: list[_Rule]  # one-token rules with no lower case, tag or dependency to look them up by
    pairs: list[tuple[int, int, _Rule]]  # (token of the rule to look up, column, rule)
    pair_keys: dict[tuple[int, int], list[_Rule]]  # (column, hash) -> two-token rules
    memo: dict[tuple[int, int, int, int], tuple[tuple[int, int], ...]]


def _lookup_key(rule_token: tuple[_Check, ...]) -> tuple[int, list[int]] | None:
    """(column, values) through which a token satisfying these checks can be found."""
    for name in _INDEXED:
        for c in rule_token:
            if c.col == _COLUMNS[name] and c.op in ("eq", "in"):
                return c.col, [c.value] if c.op == "eq" else sorted(c.value)  # type: ignore[call-overload, list-item]
    return None


class IndexedAttributeRuler(AttributeRuler):
    """``AttributeRuler`` whose :meth:`match` finds the same matches through an index of its patterns
    (built on first use, rebuilt after :meth:`add`). Everything else is spaCy's."""

    _index: _Index | None = None

    def add(self, patterns, attrs, index=0):  # spaCy's signature
        super().add(patterns, attrs, index)
        self._index = None

    def _build(self) -> _Index:
        strings = self.vocab.strings
        ix = _Index([], {}, {}, {}, [], [], {}, {})
        tables = {_COLUMNS["LOWER"]: ix.by_lower, _COLUMNS["TAG"]: ix.by_tag, _COLUMNS["DEP"]: ix.by_dep}
        for attr_id in range(len(self.attrs)):
            match_id = strings[str(attr_id)]
            for pattern in self.matcher.get(match_id)[1]:
                if not 1 <= len(pattern) <= 2:
                    raise _Unsupported("length")
                rule = _Rule(attr_id, match_id, tuple(tuple(_check(strings, k, v) for k, v in tok.items()) for tok in pattern))
                if len(rule.tokens) == 1:
                    ix.single.append(rule)
                    key = _lookup_key(rule.tokens[0])
                    if key is None:
                        ix.other.append(rule)
                    else:
                        for value in key[1]:
                            tables[key[0]].setdefault(value, []).append(rule)
                    continue
                for k, tok in enumerate(rule.tokens):
                    key = _lookup_key(tok)
                    if key is not None:
                        for value in key[1]:
                            ix.pair_keys.setdefault((key[0], value), []).append(rule)
                        ix.pairs.append((k, key[0], rule))
                        break
                else:
                    raise _Unsupported("a two-token pattern with nothing to look it up by")
        return ix

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """``(attr_id, match_id, start, end)`` of every match, sorted: what ``AttributeRuler.match`` returns."""
        if self._index is None:
            self._index = self._build()
        ix = self._index
        n = len(doc)
        if n == 0:
            return []
        cols = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).T.tolist()
        strings = doc.vocab.strings
        memo = ix.memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        found: list[tuple[int, int, int, int]] = []
        for i, key in enumerate(zip(*cols, strict=True)):
            hits = memo.get(key)
            if hits is None:
                hits = memo[key] = self._single(ix, cols, i, strings)
            for attr_id, match_id in hits:
                found.append((attr_id, match_id, i, i + 1))
        if ix.pairs:
            found.extend(self._pairs(ix, cols, n, strings))
        found.sort()
        return found

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        """What ``AttributeRuler.set_annotations`` does, without a ``Span`` per match: each match's
        attributes set on its token, in the order of ``matches`` (later rules win)."""
        attrs, indices = self.attrs, self.indices
        for attr_id, match_id, start, end in matches:
            index = indices[attr_id]
            k = start + index if index >= 0 else end + index
            if not start <= k < end:  # spaCy's own error for an index outside the match
                super().set_annotations(doc, [(attr_id, match_id, start, end)])
            set_token_attrs(doc[k], attrs[attr_id])

    @staticmethod
    def _single(ix: _Index, cols: list[list[int]], i: int, strings: object) -> tuple[tuple[int, int], ...]:
        """The one-token rules token ``i`` satisfies (their ids, each once)."""
        cands = (*ix.by_lower.get(cols[0][i], ()), *ix.by_tag.get(cols[1][i], ()), *ix.by_dep.get(cols[2][i], ()), *ix.other)
        return tuple(sorted({(r.attr_id, r.match_id) for r in cands if _holds(cols, i, r.tokens[0], strings)}))

    @staticmethod
    def _pairs(ix: _Index, cols: list[list[int]], n: int, strings: object) -> set[tuple[int, int, int, int]]:
        out: set[tuple[int, int, int, int]] = set()
        columns = {col for _, col, _ in ix.pairs}
        for col in columns:
            values = cols[col]
            for i in range(n):
                for rule in ix.pair_keys.get((col, values[i]), ()):
                    k = next(k for k, c, r in ix.pairs if r is rule)
                    start = i - k
                    if start < 0 or start + 2 > n:
                        continue
                    if all(_holds(cols, start + j, checks, strings) for j, checks in enumerate(rule.tokens)):
                        out.add((rule.attr_id, rule.match_id, start, start + 2))
        return out


def _holds(cols: list[list[int]], i: int, checks: tuple[_Check, ...], strings: object) -> bool:
    for c in checks:
        v = cols[c.col][i]
        if c.op == "eq":
            if v != c.value:
                return False
        elif c.op == "in":
            if v not in c.value:  # type: ignore[operator]
                return False
        elif c.op == "not_in":
            if v in c.value:  # type: ignore[operator]
                return False
        elif c.value.search(strings[v]) is None:  # type: ignore[attr-defined,index]
            return False
    return True


@Language.factory("dotterel_attribute_ruler", default_config={
    "validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool, scorer: Callable | None) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


def index_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Replace the pipe ``name`` (spaCy's ``AttributeRuler``) with an :class:`IndexedAttributeRuler`
    holding the same patterns in the same order, under the same name and at the same place. False
    (nothing changed) when there is no such pipe or a pattern has a form the index does not handle."""
    if name not in nlp.pipe_names:
        return False
    old = nlp.get_pipe(name)
    if type(old) is not AttributeRuler:
        return False
    patterns = old.patterns
    probe = IndexedAttributeRuler(nlp.vocab, name)
    probe.add_patterns(patterns)
    try:
        probe._build()
    except _Unsupported:
        return False
    new = nlp.replace_pipe(name, "dotterel_attribute_ruler")
    assert isinstance(new, IndexedAttributeRuler)
    new.add_patterns(patterns)
    return True
