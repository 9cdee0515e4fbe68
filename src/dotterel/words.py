"""General English word classes, read from ``resources/english/words.toml`` (layer 0).

One file for the English words several stages need, so that no stage keeps its own copy of
"the months" or "the reporting verbs". :func:`english_words` returns an :class:`EnglishWords`
(one frozenset per section), cached per tuple of user resource folders.

Sections (field names of :class:`EnglishWords`):

``reporting_verbs``
    lemmas of verbs that report speech ("say", "tell", "announce", ...)
``months`` / ``weekdays``
    month and weekday names with their abbreviations; numbered tables in the file
    (``january = 1``; ``monday = 0``), see :attr:`EnglishWords.month_numbers` and
    :attr:`EnglishWords.weekday_numbers` and :meth:`EnglishWords.month_pattern`
``articles``, ``possessive_determiners``, ``demonstratives``
    words that open a noun phrase ("the", "its", "this")
``subject_pronouns``, ``object_pronouns``, ``relative_pronouns``
    personal pronouns by case; relative words that can be a clause's subject ("who", "which", "that")
``modals``
    modal auxiliaries, with spaCy's forms of contractions ("wo" of "won't", "ca" of "can't", "'ll")
``auxiliaries``
    forms of be, have and do
``prepositions``
    common single-word prepositions
``abbreviations``
    words written with a period that does not end a sentence ("Mr.", "Gen.", "Jr.", "No.")
``person_pronouns``, ``thing_pronouns``, ``plural_pronouns``
    third-person pronouns (all cases) by what they refer to: a person, a thing or body, several
``plural_demonstratives``
    "these", "those"
``spatial_prepositions``, ``locative_prepositions``
    prepositions that put their object as a place ("in", "into", "across", ...); those that say
    where something is ("in", "at", "near")
``negation_words``, ``relative_words``
    words that negate a clause or noun ("not", "n't", "never", "no"); words that open a relative
    clause in any role ("who", "whom", "which", "that", "whose")
``negative_pronouns``
    pronouns that, as a subject, say nobody did it ("none of the fighters left", "neither side fired")
``future_auxiliaries``, ``obligation_modals``
    auxiliaries of the future and the future in the past ("will", "wo", "'ll", "shall", "would");
    modals of obligation ("must", "should", "ought")

Validation (error ``E002`` naming the file and line): unknown section, empty section, an entry
that is not a lower-case string without outer spaces, a repeated entry, a month or weekday number
out of range, and (after merging) a month 1..12 or weekday 0..6 without a name.

User folders (``Settings.resource_dirs``) may hold ``english/words.toml`` with the same sections;
their words are ADDED to the built-in ones (a numbered entry may also re-number a word).

Adding a section: add it to the file and a ``frozenset[str]`` field here with the same name (list
sections) — never rename or remove one that a stage reads.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from dotterel.errors import DotterelError, ErrorCode
from dotterel.tables import table_sources

RELPATH = "english/words.toml"

#: numbered sections: name -> (allowed numbers, whether every number needs a name)
_NUMBERED: dict[str, range] = {"months": range(1, 13), "weekdays": range(7)}


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: usable as a cache key
class EnglishWords:
    reporting_verbs: frozenset[str]
    months: frozenset[str]
    weekdays: frozenset[str]
    articles: frozenset[str]
    possessive_determiners: frozenset[str]
    demonstratives: frozenset[str]
    subject_pronouns: frozenset[str]
    object_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    modals: frozenset[str]
    auxiliaries: frozenset[str]
    prepositions: frozenset[str]
    abbreviations: frozenset[str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    plural_demonstratives: frozenset[str]
    spatial_prepositions: frozenset[str]
    locative_prepositions: frozenset[str]
    negation_words: frozenset[str]
    negative_pronouns: frozenset[str]
    relative_words: frozenset[str]
    future_auxiliaries: frozenset[str]
    obligation_modals: frozenset[str]
    #: "january"/"jan"/"sept" -> 1..12 (the names in ``months``)
    month_numbers: Mapping[str, int] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    #: "monday"/"mon" -> 0 .. "sunday" -> 6 (the names in ``weekdays``)
    weekday_numbers: Mapping[str, int] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    resource_dirs: tuple[Path, ...] = ()

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:  # picklable for worker processes
        return english_words, (self.resource_dirs,)

    def month_pattern(self, min_len: int = 3) -> str:
        """A regular-expression alternation of the month names and abbreviations of at least
        ``min_len`` letters, capitalised ("January|…|Sept|Sep|…"), longest first, with an
        optional abbreviation period: ``(?:January|…)\\.?``."""
        names = sorted((w for w in self.months if len(w) >= min_len), key=lambda w: (-len(w), w))
        return "(?:" + "|".join(re.escape(w.capitalize()) for w in names) + r")\.?"


def _list_sections() -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(EnglishWords)
                 if f.type in ("frozenset[str]", frozenset[str]) and f.name not in _NUMBERED)


class _Invalid(Exception):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key, self.reason = key, reason


def _word(section: str, w: object) -> str:
    if not isinstance(w, str) or not w or w != w.strip() or w != w.lower():
        raise _Invalid(str(w), f"[{section}] entry {w!r} must be a lower-case word without outer spaces")
    return w


def _list_section(name: str, raw: object) -> list[str]:
    words = raw.get("words") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or set(raw) != {"words"} or not isinstance(words, list) or not words:
        raise _Invalid(name, f"[{name}] must hold one non-empty list: words = [...]")
    out = [_word(name, w) for w in words]
    repeated = sorted({w for w in out if out.count(w) > 1})
    if repeated:
        raise _Invalid(repeated[0], f"[{name}] repeats {repeated[0]!r}")
    return out


def _numbered_section(name: str, raw: object) -> dict[str, int]:
    if not isinstance(raw, dict) or not raw:
        raise _Invalid(name, f"[{name}] is empty")
    allowed = _NUMBERED[name]
    out: dict[str, int] = {}
    for key, value in raw.items():
        _word(name, key)
        if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
            raise _Invalid(key, f"[{name}] {key} = {value!r} is not one of {allowed.start}..{allowed.stop - 1}")
        out[key] = value
    return out


def _check_file(data: dict[str, Any], builtin: bool) -> tuple[dict[str, list[str]], dict[str, dict[str, int]]]:
    schema = data.get("schema", None if not builtin else 0)
    if schema is not None and schema != 1:
        raise _Invalid("schema", "expected schema = 1")
    known = set(_list_sections()) | set(_NUMBERED)
    unknown = sorted(set(data) - known - {"schema"})
    if unknown:
        raise _Invalid(unknown[0], f"unknown section(s) {unknown}; known: {sorted(known)}")
    lists = {name: _list_section(name, data[name]) for name in _list_sections() if name in data}
    numbered = {name: _numbered_section(name, data[name]) for name in _NUMBERED if name in data}
    if builtin:
        missing = sorted(known - set(data))
        if missing:
            raise _Invalid("schema", f"missing section(s) {missing}")
    return lists, numbered


def _line_of(text: str, key: str) -> int:
    """1-based line where ``key`` first appears as a key, a section or a quoted word (0 if nowhere)."""
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith((f"{key} ", f"{key}=", f'"{key}"', f"[{key}]")) or f'"{key}"' in stripped:
            return n
    return 0


def _parse(label: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=int(m[1]) if m else 0, reason=str(exc)) from exc


def words_from_sources(sources: list[tuple[str, str]], resource_dirs: tuple[Path, ...] = ()) -> EnglishWords:
    """Validate and merge ``(label, toml_text)`` pairs: the first is the complete built-in file,
    later ones add words to its sections."""
    if not sources:
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=RELPATH, line=0, reason="file not found")
    lists: dict[str, set[str]] = {}
    numbered: dict[str, dict[str, int]] = {}
    for k, (label, text) in enumerate(sources):
        try:
            new_lists, new_numbered = _check_file(_parse(label, text), builtin=k == 0)
            for name, words in new_lists.items():
                lists.setdefault(name, set()).update(words)
            for name, table in new_numbered.items():
                numbered.setdefault(name, {}).update(table)
            for name, allowed in _NUMBERED.items():
                absent = sorted(set(allowed) - set(numbered.get(name, {}).values()))
                if absent:
                    raise _Invalid(name, f"[{name}] has no name for {absent}")
        except _Invalid as exc:
            raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=_line_of(text, exc.key),
                                reason=exc.reason) from None
    return EnglishWords(
        **{name: frozenset(words) for name, words in lists.items()},
        **{name: frozenset(table) for name, table in numbered.items()},
        month_numbers=MappingProxyType(dict(numbered["months"])),
        weekday_numbers=MappingProxyType(dict(numbered["weekdays"])),
        resource_dirs=resource_dirs,
    )


def english_words(resource_dirs: tuple[Path, ...] | tuple[str, ...] = ()) -> EnglishWords:
    """The built-in English word classes plus the words of each user folder's
    ``english/words.toml`` (see the module docstring; E002 on an invalid file). Cached per
    tuple of folders: the same folders give the same object."""
    return _english_words(tuple(Path(d) for d in resource_dirs))


@functools.lru_cache(maxsize=8)
def _english_words(resource_dirs: tuple[Path, ...]) -> EnglishWords:
    return words_from_sources(table_sources(RELPATH, resource_dirs), resource_dirs)
