"""The word lists of the times stage, read from ``resources/times/expressions.toml``
(plus users' copies under ``Settings.resource_dirs``, merged table by table).

Month and weekday names come from the English word file (``resources/english/words.toml``,
:mod:`dotterel.words`, with the same user folders); a user's ``times/expressions.toml`` may still
add ``[months]`` / ``[weekdays]`` entries of its own. The files are validated on load; a bad file
raises :class:`DotterelError` ``E002``.
"""

from __future__ import annotations

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
from dotterel.words import EnglishWords, english_words

RELPATH = "times/expressions.toml"

_SEASONS = {"SP", "SU", "FA", "WI"}
_PARTS = {"MO", "AF", "EV", "NI"}
_MODS = {"START", "MID", "END", ""}
_UNITS = {"day", "week", "month", "year", "decade"}
#: word-list tables (``words = [...]``; a user file's words are added to the built-in ones)
_WORD_LISTS = (
    "duration_prepositions", "range_connectors", "range_openers", "context_prepositions", "signal_prepositions",
    "leading_prepositions",
)  # fmt: skip
_TABLES = {
    "months", "weekdays", "seasons", "parts_of_day", "numbers", "ordinals", "units", "relatives",
    "modifiers", *_WORD_LISTS,
}  # fmt: skip


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity (grammar cache key)
class Lexicon:
    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    seasons: Mapping[str, str]
    parts_of_day: Mapping[str, str]
    numbers: Mapping[str, int]
    ordinals: Mapping[str, int]
    units: Mapping[str, str]
    relatives: Mapping[str, int]
    modifiers: Mapping[str, str]
    duration_prepositions: frozenset[str]
    range_connectors: frozenset[str]  # "Monday to Wednesday", "3-5 March"
    range_openers: frozenset[str]  # "from Monday to Wednesday", "between 3 and 5 March"
    context_prepositions: frozenset[str]  # a governing preposition the normaliser is given ("for 12 years")
    signal_prepositions: frozenset[str]  # of those, the ones that are part of the mention ("since 2014")
    leading_prepositions: frozenset[str]  # peeled off by the normaliser before it reads the expression ("on Monday")
    source: str = "<built-in>"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:  # picklable for worker processes
        plain = [dict(v) if isinstance(v, MappingProxyType) else v for v in (getattr(self, f) for f in _FIELDS)]
        return _rebuild, tuple(plain)


_FIELDS = ("months", "weekdays", "seasons", "parts_of_day", "numbers", "ordinals", "units", "relatives",
           "modifiers", *_WORD_LISTS, "source")


def _rebuild(*values: object) -> Lexicon:
    return Lexicon(*(MappingProxyType(v) if isinstance(v, dict) else v for v in values))  # type: ignore[arg-type]


class _Invalid(Exception):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key, self.reason = key, reason


def _line_of(text: str, key: str) -> int:
    """1-based line where ``key`` first appears (0 when it cannot be found)."""
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().strip('"')
        if stripped.startswith((key, f'"{key}"', f"[{key}]")):
            return n
    return 0


def _table(data: dict[str, Any], name: str, kind: type, allowed: set | range | None = None) -> dict:
    raw = data.get(name)
    if not isinstance(raw, dict) or not raw:
        raise _Invalid(name, f"table [{name}] is missing or empty")
    out = {}
    for key, value in raw.items():
        if not key or key != key.strip().lower():
            raise _Invalid(key, f"key {key!r} in [{name}] must be lower case without outer spaces")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise _Invalid(key, f"[{name}] {key} must be a {kind.__name__}")
        if allowed is not None and value not in allowed:
            raise _Invalid(key, f"[{name}] {key} = {value!r} is not one of {sorted(allowed)}")
        out[key] = value
    return out


def _word_list(data: dict[str, Any], name: str) -> frozenset[str]:
    words = data.get(name, {}).get("words") if isinstance(data.get(name), dict) else None
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w and w == w.lower() for w in words):
        raise _Invalid(name, f"[{name}] words must be a non-empty list of lower-case strings")
    return frozenset(words)


def _build(data: dict[str, Any], source: str, words: EnglishWords) -> Lexicon:
    if data.get("schema") != 1:
        raise _Invalid("schema", "expected schema = 1")
    unknown = set(data) - _TABLES - {"schema"}
    if unknown:
        raise _Invalid(sorted(unknown)[0], f"unknown table(s) {sorted(unknown)}")
    # names from the English word file, then any the times file adds
    months = {**words.month_numbers, **(_table(data, "months", int, range(1, 13)) if "months" in data else {})}
    weekdays = {**words.weekday_numbers, **(_table(data, "weekdays", int, range(7)) if "weekdays" in data else {})}
    numbers = _table(data, "numbers", int, range(1, 1000))
    lists = {name: _word_list(data, name) for name in _WORD_LISTS}
    if not lists["signal_prepositions"] <= lists["context_prepositions"]:
        extra = sorted(lists["signal_prepositions"] - lists["context_prepositions"])
        raise _Invalid("signal_prepositions", f"[signal_prepositions] {extra} are not in [context_prepositions]")
    return Lexicon(
        months=MappingProxyType(months),
        weekdays=MappingProxyType(weekdays),
        seasons=MappingProxyType(_table(data, "seasons", str, _SEASONS)),
        parts_of_day=MappingProxyType(_table(data, "parts_of_day", str, _PARTS)),
        numbers=MappingProxyType(numbers),
        ordinals=MappingProxyType(_table(data, "ordinals", int, range(1, 5))),
        units=MappingProxyType(_table(data, "units", str, _UNITS)),
        relatives=MappingProxyType(_table(data, "relatives", int, range(-1, 2))),
        modifiers=MappingProxyType(_table(data, "modifiers", str, _MODS)),
        **lists,
        source=source,
    )


def _parse_toml(text: str, label: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))  # Python < 3.14 has no exc.lineno
        line = getattr(exc, "lineno", None) or (int(m[1]) if m else 0)
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=line, reason=str(exc)) from exc


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge a user file over ``base``: tables are updated key by key, word lists are unioned."""
    for name, value in extra.items():
        if name in _WORD_LISTS and isinstance(value, dict) and isinstance(base.get(name), dict):
            words = list(base[name].get("words", [])) + [w for w in value.get("words", []) if w not in base[name].get("words", [])]
            base[name] = {**base[name], **value, "words": words}
        elif isinstance(value, dict) and isinstance(base.get(name), dict):
            base[name] = {**base[name], **value}
        else:
            base[name] = value


def lexicon_from_sources(sources: list[tuple[str, str]], words: EnglishWords | None = None) -> Lexicon:
    """Validate and build a :class:`Lexicon` from ``(label, toml_text)`` pairs, later ones
    merged over earlier ones; month and weekday names from ``words`` (default: the built-in
    English word file)."""
    if not sources:
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path="times/expressions.toml", line=0, reason="file not found")
    data: dict[str, Any] = {}
    for label, text in sources:
        _merge(data, _parse_toml(text, label))
    try:
        return _build(data, " + ".join(label for label, _ in sources), words or english_words())
    except _Invalid as exc:
        # the last file that names the offending key (user files come after the built-in one)
        label, line = next(((lbl, n) for lbl, text in reversed(sources) if (n := _line_of(text, exc.key))),
                           (sources[-1][0], 0))
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=line, reason=exc.reason) from None


def parse_lexicon(text: str, source: str = "<string>") -> Lexicon:
    """Validate and build a :class:`Lexicon` from one TOML text."""
    return lexicon_from_sources([(source, text)])


@functools.lru_cache(maxsize=8)
def load_lexicon(resource_dirs: tuple[str, ...] = ()) -> Lexicon:
    """The built-in word lists merged with ``<dir>/times/expressions.toml`` of each user folder
    (see ``Settings.resource_dirs``); months and weekdays from the English word file with the
    same folders."""
    dirs = tuple(Path(d) for d in resource_dirs)
    return lexicon_from_sources(table_sources(RELPATH, dirs), english_words(dirs))
