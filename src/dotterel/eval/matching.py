"""Comparing coded values with gold: codes and their equivalences, sectors, parties and roles,
spans, names, and one-to-one greedy matching."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from importlib import resources

from dotterel.eval.gsr import NONE
from dotterel.eval.results import THRESHOLD, Party, SetScore, Span, TypeCounts
from dotterel.records.models import EVENT_TYPES, CodedDocument, EventRecord, SideActor


# -- codes --------------------------------------------------------------------------------
@functools.cache
def _equivalence_table() -> dict[str, dict[str, frozenset[str]]]:
    """field (``code`` | ``sector``) → coder value → gold values it also matches, from
    ``code_equivalence.tsv``."""
    text = resources.files("dotterel.eval").joinpath("code_equivalence.tsv").read_text(encoding="utf-8")
    out: dict[str, dict[str, set[str]]] = {"code": defaultdict(set), "sector": defaultdict(set)}
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for ln in lines[1:]:  # header: field, coder, gold, note
        cells = [c.strip() for c in ln.split("\t")]
        if len(cells) >= 3 and cells[0] in out and cells[1] and cells[2]:
            out[cells[0]][cells[1].upper()].add(cells[2].upper())
    return {f: {k: frozenset(v) for k, v in table.items()} for f, table in out.items()}


def equivalences(field_name: str = "code") -> dict[str, frozenset[str]]:
    return _equivalence_table()[field_name]


@functools.cache
def is_state(code: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_3=code) is not None


def codes_match(coder: str | None, gold: str | Sequence[str] | None, *, org: bool = False) -> bool:
    """``gold`` is one code or a tuple of acceptable codes (a gold actor's ``code`` and ``org``)."""
    if not coder or not gold:
        return False
    if not isinstance(gold, str):
        return any(codes_match(coder, g, org=org) for g in gold)
    c, g = coder.strip().upper(), gold.strip().upper()
    if c == g or g in equivalences("code").get(c, ()):
        return True
    return org and g == "IGO" and not is_state(c)


def sector_match(coder: str | None, gold: str | None) -> bool:
    if not coder or not gold:
        return False
    c, g = coder.strip()[:3].upper(), gold.strip()[:3].upper()
    return c == g or g in equivalences("sector").get(c, ())


def org_spans(doc: CodedDocument) -> set[Span]:
    return {(a.start, a.end) for a in doc.actors if a.kind == "org"}


def parties(sides: Iterable[SideActor], orgs: set[Span] = frozenset()) -> list[Party]:  # type: ignore[assignment]
    return [(s.country, (s.id or "").startswith("org:") or (s.start, s.end) in orgs) for s in sides if s.country]


GoldCode = str | tuple[str, ...]  # one code, or the acceptable codes of one gold actor


def any_match(coded: Sequence[Party], gold: Iterable[GoldCode]) -> bool:
    return any(codes_match(c, g, org=o) for c, o in coded for g in gold)


def covered(coded: Sequence[Party], gold: Iterable[GoldCode]) -> int:
    """How many distinct gold parties some coded party matches."""
    return sum(1 for g in dict.fromkeys(gold) if any(codes_match(c, g, org=o) for c, o in coded))


def roles_ok(gold_actor: Sequence[GoldCode], gold_recipient: Sequence[GoldCode], actor: Sequence[Party],
             recipient: Sequence[Party], reciprocal: bool) -> tuple[bool, bool]:
    """(actor right, recipient right); see the module docstring."""
    if reciprocal:
        union = list(dict.fromkeys([*gold_actor, *gold_recipient]))
        n = covered([*actor, *recipient], union)
        return n >= 1, n >= min(2, len(union)) and n >= 1
    return any_match(actor, gold_actor), any_match(recipient, gold_recipient)


# -- helpers ------------------------------------------------------------------------------
def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def overlap_ratio(a: Span, b: Span) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    longest = max(a[1] - a[0], b[1] - b[0])
    return inter / longest if inter > 0 and longest > 0 else 0.0


def top_type(events: Sequence[EventRecord], threshold: float = THRESHOLD) -> str:
    best: EventRecord | None = None
    for e in events:
        if best is None or e.confidence > best.confidence:
            best = e
    return best.event_type if best is not None and best.confidence >= threshold else NONE


def trigger_spans(e: EventRecord) -> list[Span]:
    return [(e.trigger.start, e.trigger.end), *((m.trigger.start, m.trigger.end) for m in e.mentions)]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def names_match(a: str | None, b: str | None) -> bool:
    fa, fb = _fold(a or ""), _fold(b or "")
    if not fa or not fb:
        return False
    return fa == fb or f" {fa} " in f" {fb} " or f" {fb} " in f" {fa} "


def _side_text(sides: Sequence[SideActor]) -> str:
    return "+".join(f"{s.country or '?'}" + (f"/{s.sector}" if s.sector else "") for s in sides) or "-"


def describe_event(e: EventRecord) -> str:
    arrow = "<->" if e.reciprocal else "->"
    date = f" {e.date.start}" + (f"..{e.date.end}" if e.date.end and e.date.end != e.date.start else "") if e.date.start else ""
    return (f"{e.event_type}[{e.trigger.text}] {_side_text(e.actor)}{arrow}{_side_text(e.recipient)} "
            f"{e.status}{date} ({e.confidence:.2f})")


def describe_events(events: Sequence[EventRecord]) -> str:
    return "; ".join(describe_event(e) for e in events) or "(no events)"


def greedy(pairs: list[tuple[tuple[float, ...], int, int]]) -> dict[int, int]:
    """One-to-one assignment gold index → coded index, best score first."""
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, ci in sorted(pairs, key=lambda p: (p[0], -p[1], -p[2]), reverse=True):
        if gi not in out and ci not in used:
            out[gi] = ci
            used.add(ci)
    return out


def finish_types(score: SetScore, counts: dict[str, TypeCounts]) -> None:
    score.per_type = {t: counts[t] for t in EVENT_TYPES if t in counts and (counts[t].gold or counts[t].pred)}
