"""Small value helpers shared by the export formats: names, codes, dates, ids."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from dotterel.records.models import SideActor


@functools.lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=code.upper())
    except (ImportError, LookupError, KeyError):
        c = None
    return c.name if c is not None else code


@functools.lru_cache(maxsize=1)
def cameo_names() -> dict[str, str]:
    try:
        from dotterel.events.lexicon import load_lexicon

        return {k: v.name for k, v in load_lexicon(()).cameo.items()}
    except Exception:
        return {}


def join(values: Sequence[str | None], sep: str = "|") -> str | None:
    vals = [v for v in values if v]
    return sep.join(dict.fromkeys(vals)) or None


def names(side: list[SideActor]) -> str | None:
    return join([a.name or a.text for a in side])


def code(a: SideActor) -> str | None:
    return ((a.country or "") + (a.sector or "")) or None


def wikidata(a: SideActor) -> str | None:
    return a.id if a.id and a.id.startswith("Q") and a.id[1:].isdigit() else None


def ymd(day: str | None) -> tuple[int, int, int] | None:
    try:
        d = dt.date.fromisoformat(day[:10]) if day else None
    except ValueError:
        d = None
    return (d.year, d.month, d.day) if d else None


def numeric_id(hexid: str) -> int:
    try:
        return int(hexid[:15], 16)
    except ValueError:
        import hashlib

        return int(hashlib.sha1(hexid.encode()).hexdigest()[:15], 16)


def version() -> str:
    from dotterel import __version__

    return __version__
