"""Actor filters in words: "UK", "Russia", "Boric" or "USA" → the countries, actor ids and names
the store holds, through the coder's own gazetteer; suggestions when nothing is known."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from dotterel.store.queries import PartyMatch

_CODE = re.compile(r"^[A-Za-z]{2,3}$")
STATE_KINDS = {"country", "demonym", "capital"}


@dataclass(frozen=True)
class Resolved:
    match: PartyMatch
    label: str  # what the filter was read as, for the page ("Russia → RUS")
    known: bool  # False: not in the gazetteer nor a country code of the store
    suggestions: tuple[str, ...] = ()


class NameIndex:
    """Case-insensitive view of a :class:`dotterel.actors.gazetteer.Gazetteer`."""

    def __init__(self, gazetteer) -> None:
        self.gazetteer = gazetteer
        self.by_lower: dict[str, list] = defaultdict(list)
        for name, entries in gazetteer.names.items():
            self.by_lower[name.lower()].extend(entries)
        self.codes = set(gazetteer.countries)
        self._keys = sorted(self.by_lower)

    def resolve(self, value: str, store_countries: Callable[[], set[str] | frozenset[str]] = frozenset,
                sector: str | None = None) -> Resolved:
        """``store_countries`` (called only for an unknown two- or three-letter code) gives the
        country codes the store holds beyond the gazetteer's."""
        text = " ".join(value.split())
        low = text.lower()
        if _CODE.match(text) and (text.upper() in self.codes or text.upper() in store_countries()):
            code = text.upper()
            return Resolved(PartyMatch(countries=(code,), sector=sector), code, True)
        entries = self.by_lower.get(low) or self.by_lower.get(low.removeprefix("the ")) or []
        countries = sorted({e.actor.country for e in entries if e.kind in STATE_KINDS and e.actor.country})
        people = [e for e in entries if e.kind not in STATE_KINDS]
        if entries and not people:  # a country, demonym or capital: its country code says it all
            return Resolved(PartyMatch(countries=tuple(countries), sector=sector),
                            f"{text} → {', '.join(countries)}", True)
        if entries:
            ids = sorted({e.actor.id for e in people if e.actor.id})
            names = sorted({e.actor.name for e in people if e.actor.name} | {text} | {n for n in self.spellings(low)})
            shown = ", ".join(countries + sorted({e.actor.name for e in people if e.actor.name}))
            return Resolved(PartyMatch(countries=tuple(countries), ids=tuple(ids), names=tuple(names), sector=sector),
                            f"{text} → {shown}" if shown and shown != text else text, True)
        close = difflib.get_close_matches(low, self._keys, n=5, cutoff=0.75)
        suggestions = tuple(dict.fromkeys(self._display(k) for k in close))
        return Resolved(PartyMatch(ids=(text,), sector=sector, name_like=low), text, False, suggestions)

    def spellings(self, low: str) -> list[str]:
        """The gazetteer's own spellings of a lower-cased name (stored names use them)."""
        return [name for name in self.gazetteer.names if name.lower() == low] if low in self.by_lower else []

    def _display(self, key: str) -> str:
        for name in self.gazetteer.names:
            if name.lower() == key:
                return name
        return key
