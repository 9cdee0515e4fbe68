"""Request parameters → :class:`dotterel.store.queries.EventFilter`, shared by the JSON API, the
CSV download and the pages, so a view is fully described by its URL."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dotterel.records.models import EVENT_TYPES, STATUSES
from dotterel.store.queries import DEFAULT_STATUSES, SORTS, EventFilter, PartyMatch
from dotterel.web.names import Resolved
from dotterel.web.query import bad, date_param, text_param

_SECTOR = re.compile(r"^[A-Za-z]{3}$")
_COUNTRY = re.compile(r"^[A-Za-z]{2,3}$")

#: Every parameter the events list, table and CSV understand (anything else is a 400 on the API).
EVENT_FILTER_KEYS = ("type", "status", "actor", "actor_sector", "recipient", "recipient_sector", "party", "pair",
                     "location", "source", "doc", "date_from", "date_to", "min_confidence", "max_confidence", "q")
EVENT_LIST_KEYS = (*EVENT_FILTER_KEYS, "sort", "limit", "offset")


@dataclass
class ParsedFilter:
    filter: EventFilter
    values: dict[str, str | list[str]]  # the given, non-empty parameters (to refill forms and build links)
    resolved: dict[str, Resolved] = field(default_factory=dict)  # actor / recipient read through the gazetteer


def many(params: Mapping, name: str) -> list[str]:
    """A repeatable parameter (``type=A&type=B``) that may also be comma-separated (``type=A,B``)."""
    getlist = getattr(params, "getlist", None)
    raw = getlist(name) if getlist else ([params[name]] if params.get(name) else [])
    if isinstance(raw, str):
        raw = [raw]
    out: list[str] = []
    for item in raw:
        if isinstance(item, (list, tuple)):
            out.extend(str(x) for x in item)
        elif item is not None:
            out.extend(str(item).split(","))
    return [x.strip() for x in out if x and x.strip()]


def types_param(values: Iterable[str]) -> tuple[str, ...]:
    out = []
    for v in values:
        if v.upper() not in EVENT_TYPES:
            raise bad("type", f"unknown event type {v[:32]!r}; use one of {', '.join(EVENT_TYPES)}")
        out.append(v.upper())
    return tuple(dict.fromkeys(out))


def statuses_param(values: Iterable[str], default: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Statuses; ``all`` (or nothing, when there is no default) means every status."""
    values = list(values)
    if not values:
        return default
    if any(v.lower() == "all" for v in values):
        return ()
    out = []
    for v in values:
        if v.lower() not in STATUSES:
            raise bad("status", f"unknown status {v[:32]!r}; use one of {', '.join(STATUSES)} or all")
        out.append(v.lower())
    return tuple(dict.fromkeys(out))


def float_param(name: str, value: str | None, lo: float = 0.0, hi: float = 1.0) -> float | None:
    value = text_param(name, value, 32)
    if value is None:
        return None
    try:
        x = float(value)
    except ValueError:
        raise bad(name, f"{value!r} is not a number") from None
    if not lo <= x <= hi:
        raise bad(name, f"must be between {lo:g} and {hi:g}")
    return x


def sector_param(name: str, value: str | None) -> str | None:
    value = text_param(name, value, 8)
    if value is None:
        return None
    if not _SECTOR.match(value):
        raise bad(name, "expected a three-letter sector code such as GOV or MIL")
    return value.upper()


def sort_param(value: str | None) -> str:
    value = (value or "date").strip()
    if value not in SORTS:
        raise bad("sort", f"{value[:20]!r} is not one of {', '.join(SORTS)}")
    return value


def check_known(params: Mapping, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = sorted({k for k in params.keys() if k not in allowed})
    if unknown:
        raise bad(unknown[0], f"unknown parameter; this endpoint takes {', '.join(sorted(allowed))}")


def parse_event_filter(params: Mapping, ctx, *, default_statuses: tuple[str, ...] = ()) -> ParsedFilter:
    """Validate the event filters in ``params``; actor and recipient go through the gazetteer."""
    date_from, date_to = date_param("date_from", params.get("date_from")), date_param("date_to", params.get("date_to"))
    if date_from and date_to and date_from > date_to:
        raise bad("date_from", "is after date_to")
    lo, hi = float_param("min_confidence", params.get("min_confidence")), float_param("max_confidence", params.get("max_confidence"))
    if lo is not None and hi is not None and lo > hi:
        raise bad("min_confidence", "is above max_confidence")
    resolved: dict[str, Resolved] = {}
    sides: dict[str, PartyMatch | None] = {}
    for side in ("actor", "recipient"):
        who = text_param(side, params.get(side))
        sector = sector_param(f"{side}_sector", params.get(f"{side}_sector"))
        if who:
            r = ctx.resolve_name(who, sector)
            resolved[side] = r
            sides[side] = r.match
        elif sector:
            sides[side] = PartyMatch(sector=sector, any_party=True)
        else:
            sides[side] = None
    party = text_param("party", params.get("party"))
    if party:
        resolved["party"] = ctx.resolve_name(party)
    pair = None
    pair_text = text_param("pair", params.get("pair"), 16)
    if pair_text:
        bits = pair_text.replace(">", ",").split(",")
        if len(bits) != 2 or not all(_COUNTRY.match(b.strip()) for b in bits):
            raise bad("pair", "expected two country codes, e.g. RUS,UKR (both directions) or RUS>UKR (one way)")
        pair = (bits[0].strip().upper(), bits[1].strip().upper(), ">" in pair_text)
    location = text_param("location", params.get("location"), 100)
    f = EventFilter(
        types=types_param(many(params, "type")), statuses=statuses_param(many(params, "status"), default_statuses),
        actor=sides["actor"], recipient=sides["recipient"], location=location, pair=pair,
        party=resolved["party"].match if "party" in resolved else None,
        source=text_param("source", params.get("source")), doc_id=text_param("doc", params.get("doc"), 255),
        date_from=date_from, date_to=date_to, min_confidence=lo, max_confidence=hi, q=text_param("q", params.get("q")))
    values: dict[str, str | list[str]] = {}
    for k in EVENT_LIST_KEYS:
        if k in ("type", "status"):
            got = many(params, k)
            if got:
                values[k] = got
        elif params.get(k) not in (None, ""):
            values[k] = str(params.get(k)).strip()
    return ParsedFilter(f, values, resolved)


def status_note(statuses: tuple[str, ...]) -> str:
    """What an aggregate counts, for legends."""
    if not statuses:
        return "every status (including negated, denied, hypothetical, planned and unconfirmed events)"
    return "events with status " + " or ".join(statuses)


__all__ = ["DEFAULT_STATUSES", "EVENT_FILTER_KEYS", "EVENT_LIST_KEYS", "ParsedFilter", "check_known", "many",
           "parse_event_filter", "sort_param", "status_note", "statuses_param", "types_param"]
