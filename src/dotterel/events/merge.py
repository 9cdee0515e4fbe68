"""In-document merging: several mentions of one event (headline, lede, body) become one event.

Works on the token-level working records (:class:`~dotterel.spans.EventMention`) that the events
stage writes; :mod:`dotterel.assemble` turns each merged group into one output record. The
decisions that belong to a group as a whole are made here: which mentions are one event, the best
mention, the group's status, its date (the narrowest), and the sides, place and attribution
taken from the other mentions where the best one lacks them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dotterel.events.lexicon import norm_key
from dotterel.spans import ActorMention, EventMention, TimeMention

_NOT_HAPPENED = frozenset({"negated", "denied", "unconfirmed", "hypothetical"})


def _key(e: EventMention) -> str:
    return norm_key(e.key)


def parties(ms: list[ActorMention], implicit: bool = True) -> frozenset[str]:
    """The parties on one side, by country where known ('Putin' and 'Russia' are one side when linking
    mentions of an event within a document), else by identity; ``implicit=False`` leaves out sides
    inferred from the story (they cannot tell two different happenings apart)."""
    return frozenset((a.country or a.id or a.name or "?") for m in ms if implicit or m.kind != "implicit" for a in m.actors)


def _dates_disjoint(a: EventMention, b: EventMention) -> bool:
    if a.date and b.date and a.date.first and b.date.first and a.date.last and b.date.last:
        return a.date.last < b.date.first or b.date.last < a.date.first
    return False


def _reciprocal_compatible(a: EventMention, b: EventMention, ua: frozenset[str], ub: frozenset[str]) -> bool:
    if len(ua) >= 2 and ua == ub:
        return True
    if _key(a) != _key(b):
        return False
    return bool(ua and ub and (ua <= ub or ub <= ua))


def compatible(a: EventMention, b: EventMention) -> bool:
    """Two mentions of one event: same type and polarity, compatible dates, and either the same
    trigger word with parties that do not conflict (headline "visit" / lede "pay a visit"), or
    fully specified parties that agree (a "call" with X / "X and Y discussed")."""
    if a.event_type != b.event_type or a.sentence == b.sentence:
        return False
    if (a.status in _NOT_HAPPENED) != (b.status in _NOT_HAPPENED) or _dates_disjoint(a, b):
        return False
    same_word = _key(a) == _key(b)
    if not same_word and {a.status, b.status} & {"planned"} and {a.status, b.status} & {"asserted", "reported"}:
        return False  # "protesters stormed parliament" / "more protests were called for Thursday": two events
    aa, ar, ba, br = parties(a.actors), parties(a.recipients), parties(b.actors), parties(b.recipients)
    if a.reciprocal != b.reciprocal and not same_word:
        return False  # "Xi will visit Russia" and "the two leaders will discuss ...": two events
    if a.reciprocal or b.reciprocal:
        return _reciprocal_compatible(a, b, aa | ar, ba | br)
    if same_word:
        sides_ok = all(not x or not y or x == y for x, y in ((aa, ba), (ar, br)))
        return sides_ok and bool(aa & ba or ar & br)
    # different words: only fully named, identical sides make them one event
    aa, ar, ba, br = (parties(x, implicit=False) for x in (a.actors, a.recipients, b.actors, b.recipients))
    return bool(aa and ar and aa == ba and ar == br)


def score(e: EventMention) -> tuple[float, int]:
    """Rank of a mention as the group's best: confident, with sides and a date, early in the text."""
    return (e.confidence + 0.1 * bool(e.actors) + 0.1 * bool(e.recipients) + 0.05 * bool(e.date), -e.sentence)


def group_mentions(mentions: Iterable[EventMention]) -> list[list[EventMention]]:
    """The document's event mentions grouped into events, in order of first mention; the stated
    intentions derived from a planned event (``intent_of``) come last, one group per planned event
    however often it is mentioned. A mention joins the first earlier group with a mention it is
    :func:`compatible` with."""
    groups: list[list[EventMention]] = []
    # (type, party) -> indices of the groups with a mention of that type naming that party: two
    # compatible mentions always share the type and a party, so only those groups are candidates
    # and the cost grows with the mentions of one type and party, not with all pairs in a long document
    by_party: dict[tuple[str, str], set[int]] = {}
    group_at: dict[int, int] = {}  # id(mention) -> index of its group
    intents: dict[int, list[EventMention]] = {}  # index of the planned event's group -> its intent mentions
    for e in sorted(mentions, key=lambda e: e.trigger_start):
        if e.intent_of is not None:
            k = group_at.get(id(e.intent_of))
            if k is not None:
                intents.setdefault(k, []).append(e)
                continue
        keys = [(e.event_type, p) for p in parties(e.actors) | parties(e.recipients)]
        candidates = sorted({k for key in keys for k in by_party.get(key, ())})
        k = next((k for k in candidates if any(compatible(e, other) for other in groups[k])), len(groups))
        if k == len(groups):
            groups.append([])
        groups[k].append(e)
        group_at[id(e)] = k
        for key in keys:
            by_party.setdefault(key, set()).add(k)
    return groups + [ms for _, ms in sorted(intents.items())]


@dataclass(slots=True)
class MergedEvent:
    """One event of the document: its mentions (in text order) and what the group decided."""

    best: EventMention
    mentions: list[EventMention]
    status: str
    date: TimeMention | None  # the narrowest dated mention's date
    date_own: bool  # that date is a time expression of the event's own clause (not the narrative time)
    actors: list[ActorMention]
    recipients: list[ActorMention]
    location: ActorMention | None
    attribution: ActorMention | None
    confidence: float


def _narrowest(g: list[EventMention]) -> tuple[TimeMention | None, bool]:
    dated = [m.date for m in g if m.date is not None and m.date.first and m.date.last and not m.date_inherited]
    dated = dated or [m.date for m in g if m.date is not None and m.date.first and m.date.last]
    if not dated:
        return None, False
    narrowest = min(dated, key=lambda t: (t.last - t.first, t.start_char))  # type: ignore[operator]
    return narrowest, any(m.date is narrowest and not m.date_inherited for m in g)


def _status(best: EventMention, g: list[EventMention], dct: dt.date | None) -> str:
    """The group's status: the best mention's, except that presupposed mentions ("Xi's Russia visit comes as
    ...") of a planned event leave it planned, and that a mention told as having happened on a day of its own,
    on or before the publication date ``dct`` ("held a summit on Tuesday"), settles a planned one (a headline
    "to hold summit"); without a publication date no dated mention is known to lie in the past."""
    happened = next((m.status for m in g if m.status in {"asserted", "reported"} and m.date is not None
                     and m.date.first is not None and not m.date_inherited
                     and dct is not None and m.date.first <= dct), None)
    if best.status == "planned" and happened is not None:
        return happened
    if best.status == "asserted" and happened is None and any(m.status == "planned" for m in g):
        return "planned"
    return best.status


def merge(g: list[EventMention], dct: dt.date | None = None) -> MergedEvent:
    """The decisions for one group of mentions (see :func:`group_mentions`); ``dct`` is the
    document's publication date."""
    best = max(g, key=score)
    status = _status(best, g, dct)
    date, own = _narrowest(g)
    # sides missing on the best mention come from the others
    return MergedEvent(
        best=best, mentions=sorted(g, key=lambda e: e.trigger_start), status=status, date=date, date_own=own,
        actors=best.actors or next((o.actors for o in g if o.actors), []),
        recipients=best.recipients or next((o.recipients for o in g if o.recipients), []),
        location=best.location or next((o.location for o in g if o.location is not None), None),
        attribution=next((o.attribution for o in [best, *g] if o.attribution is not None and o.attribution.actors), None),
        confidence=round(max(m.confidence for m in g), 3),
    )
