"""Scoring coded documents against gold. Every definition used by ``dotterel eval`` is here.

Codes. A coder code matches a gold code when they are equal, when ``code_equivalence.tsv``
maps the coder code to the gold code (``UNO`` → ``IGO``, ...), or when the gold code is ``IGO``
and the coder actor is an organisation (mention kind ``org`` or an ``org:`` id) whose code is
not a state's ISO 3166 alpha-3 code. A sentence-gold actor with an ``org`` (the specific body
of an IGO/NGO) is also matched by that code. Sectors compare their first three letters (and
the table's ``sector`` rows: ``HLH`` counts as ``MED``).

Roles (:func:`roles_ok`). Normally the actor is right when any coded actor country matches
any gold source code, and the recipient is right when any coded recipient country matches
any gold target code. When either side says the event is reciprocal, roles are compared on
the union of both sides: the actor is right when at least one gold party is among the coded
parties, the recipient (and the dyad) when at least ``min(2, number of gold parties)`` are.

Sentence gold (PLOVER-GSR; each record is coded as its own document). ``threshold`` = 0.5.

* ``type_found``: for an event record, some coded event in the sentence has the gold type
  (any confidence); for a ``NONE`` record, no coded event has confidence ≥ ``threshold``.
* top type: the type of the coded event with the highest confidence (the first in output
  order among ties) when that confidence is ≥ ``threshold``, otherwise ``NONE``. The
  confusion matrix counts gold type × top type; ``type_accuracy`` = top type == gold type
  (its diagonal over all records, ``NONE`` records included).
* best event: among coded events of the gold type, the one whose trigger overlaps a word of
  ``eventText`` (else any), highest confidence first. The role metrics use it:
  ``actor_accuracy`` (records with source codes), ``recipient_accuracy`` and ``dyad_accuracy``
  (records with target codes), ``status_accuracy`` (records with ``status``),
  ``date_accuracy`` (records with ``eventDate``: equal start and end). These count a record
  whose gold type was not found as wrong (end to end); the ``*_given_type`` variants count
  only records where the type was found.
* per-type precision/recall/F1: for each sentence, P = the set of distinct types of all its
  coded events (any confidence). For type t: TP = sentences whose gold type is t and t ∈ P;
  predicted = sentences with t ∈ P (so every coded type in a sentence counts once, and a type
  coded in a sentence whose gold type differs — including ``NONE`` — is a false positive);
  gold = sentences whose gold type is t. precision = TP/predicted, recall = TP/gold,
  F1 = 2PR/(P+R) (0 for a type with gold but no predictions). ``micro_*`` pool the counts of
  all types; ``macro_f1`` averages F1 over types with gold or predicted support. Per-type
  recall and F1 are also gated (``recall.<TYPE>``, ``f1.<TYPE>`` in :meth:`SetScore.values`),
  so losing a single sentence of a type shows. The GSR codes one event per sentence, so precision
  is a lower bound: a second, real event in a sentence counts as a false positive.
* ``none_accuracy``: ``type_found`` over ``NONE`` records only.
* ``per_trap`` (report only): some of the above restricted to records carrying each ``traps``
  label (negation, passive, metonym, ...).
* actor resolution: every gold source/target actor whose ``actorText`` is found in the
  sentence, against the coded ``actors`` entries whose span overlaps it (any overlapping
  mention): ``resolution_country`` = one of them has a matching country (actors with a gold
  code); ``resolution_sector`` = one of them has the gold sector (actors with a gold sector).

Article gold (each article coded as one document).

* events: a coded event can match a gold event when its type is the gold type or one of the
  gold ``alt_types``, the parties are compatible (non-reciprocal: some coded actor matches a
  gold actor when gold lists actors, and when both list recipients some coded recipient
  matches a gold recipient; reciprocal on either side: the unions share a code) and the
  dates overlap (a missing date on either side does not block). Pairs are matched one to
  one, greedily, preferring a coded trigger in the gold sentence, then the exact type, then
  a trigger overlapping the gold trigger, then confidence. ``event_precision`` = matched
  coded / coded, ``event_recall`` = matched gold / gold. ``typed_event_*``: the same with
  only type + sentence required (a coded trigger inside the gold sentence), to separate
  trigger errors from role errors. On matched pairs: ``status_accuracy``, ``date_accuracy``
  (equal start and end), ``actor_complete`` (every gold actor code is among the coded actors —
  the union of both sides when reciprocal; matching already requires one of them) and
  ``recipient_accuracy`` (by :func:`roles_ok`, so a missing coded recipient is wrong; where gold
  lists recipients, or is reciprocal with two or more parties).
* quotes: a coded quote matches a gold quote when their character spans overlap by at least
  half of the longer one (gold spans are the quote text located in the article);
  one to one, best overlap first. The gold lists direct and partial quotations exhaustively but
  indirect ones only as a sample, so ``quote_precision``/``quote_recall`` count direct and
  partial quotes only (coded and gold); on every match (indirect included),
  ``speaker_accuracy`` (the coded speaker's name or mention text and the gold speaker name
  contain one another, ignoring case and accents, or the speaker's country matches the gold
  ``speaker_country``), ``speaker_name_accuracy`` (the name part alone) and
  ``quote_kind_accuracy``.
* events carrying ``derived_from`` (the AGREE/THREATEN statement of intent that PLOVER's future
  rule derives from a planned event) can match gold events (the gold codes some announced threats
  as THREATEN), but an unmatched one is not counted against precision: it is a second view of a
  planned event that the gold codes with its own type.
* per-type (events): precision = matched coded events of the type / coded events of the
  type; recall = matched gold events of the type / gold events of the type.
* times: by the same span overlap, but not one to one (the gold lists a repeated expression
  once): ``time_precision`` = coded times overlapping an occurrence of some gold time,
  ``time_recall`` = gold times with an overlapping coded time; ``time_value_accuracy`` (on the
  best-overlapping coded time) = equal ``value`` string, or equal ``start`` and ``end``.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dotterel.eval.articles import GoldArticle, GoldEvent, load_articles
from dotterel.eval.gsr import NONE, GoldFormatError, GoldSentence, locate, locate_all, sentences_from_json, word_spans
from dotterel.ingest.document import Document
from dotterel.records.models import EVENT_TYPES, CodedDocument, EventRecord, SideActor

THRESHOLD = 0.5
Span = tuple[int, int]
Party = tuple[str, bool]  # (code, is an organisation)

SENTENCE_METRICS = (
    "type_found", "type_accuracy", "none_accuracy",
    "micro_precision", "micro_recall", "micro_f1", "macro_f1",
    "actor_accuracy", "recipient_accuracy", "dyad_accuracy", "status_accuracy", "date_accuracy",
    "actor_accuracy_given_type", "recipient_accuracy_given_type", "dyad_accuracy_given_type",
    "status_accuracy_given_type", "date_accuracy_given_type",
    "resolution_country", "resolution_sector",
)  # fmt: skip
#: Metrics broken down by the records' ``traps`` labels (report only; not gated).
TRAP_METRICS = ("type_found", "type_accuracy", "actor_accuracy", "recipient_accuracy", "status_accuracy",
                "resolution_country")
ARTICLE_METRICS = (
    "event_precision", "event_recall", "event_f1",
    "typed_event_precision", "typed_event_recall", "typed_event_f1",
    "status_accuracy", "date_accuracy", "actor_complete", "recipient_accuracy",
    "quote_precision", "quote_recall", "quote_f1", "speaker_accuracy", "speaker_name_accuracy", "quote_kind_accuracy",
    "time_precision", "time_recall", "time_f1", "time_value_accuracy",
)  # fmt: skip


# -- results ------------------------------------------------------------------------------
@dataclass(slots=True)
class Metric:
    value: float | None
    hits: int | None = None
    total: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"value": self.value, "hits": self.hits, "total": self.total}


@dataclass(slots=True)
class TypeCounts:
    """Per-type counts: ``tp_pred`` of ``pred`` predictions are right; ``tp_gold`` of ``gold`` gold items were found."""

    pred: int = 0
    tp_pred: int = 0
    gold: int = 0
    tp_gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp_pred / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.tp_gold / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        """None without gold items; 0.0 when there is gold but nothing of the type was coded."""
        if self.gold and not self.pred:
            return 0.0
        return f1(self.precision, self.recall)

    def to_json(self) -> dict[str, object]:
        return {"gold": self.gold, "predicted": self.pred, "tp_gold": self.tp_gold, "tp_predicted": self.tp_pred,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(slots=True)
class Miss:
    category: str
    item: str  # record or article id
    gold: str
    coded: str
    text: str


@dataclass(slots=True)
class SetScore:
    name: str
    kind: str  # "sentences" | "articles"
    path: str
    items: int = 0
    metrics: dict[str, Metric] = field(default_factory=dict)
    per_type: dict[str, TypeCounts] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    per_trap: dict[str, dict[str, Metric]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    coder_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def values(self) -> dict[str, float | None]:
        """Every gated number: the summary metrics, then ``recall.<TYPE>`` and ``f1.<TYPE>`` per event type."""
        out = {k: m.value for k, m in self.metrics.items()}
        for t, c in self.per_type.items():
            out[f"recall.{t}"] = c.recall
            out[f"f1.{t}"] = c.f1
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name, "kind": self.kind, "path": self.path, "items": self.items,
            "seconds": round(self.seconds, 3),
            "metrics": {k: m.to_json() for k, m in self.metrics.items()},
            "per_type": {k: v.to_json() for k, v in self.per_type.items()},
            "confusion": self.confusion,
            "per_trap": {t: {k: m.to_json() for k, m in ms.items()} for t, ms in self.per_trap.items()},
            "misses": [] if self.name.endswith("-test") else  # frozen test part: scored, never read
                      [{"category": m.category, "item": m.item, "gold": m.gold, "coded": m.coded, "text": m.text}
                       for m in self.misses],
            "miss_counts": dict(Counter(m.category for m in self.misses).most_common()),
            "coder_errors": self.coder_errors,
        }


@dataclass(slots=True)
class EvalResult:
    sets: list[SetScore]
    model: str
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"model": self.model, "seconds": round(self.seconds, 3), "sets": {s.name: s.to_json() for s in self.sets}}


def f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


class Tally:
    """Named hit/total counters, turned into :class:`Metric` s in a fixed order."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, name: str, ok: bool) -> None:
        c = self.counts[name]
        c[0] += bool(ok)
        c[1] += 1

    def metric(self, name: str) -> Metric:
        hits, total = self.counts.get(name, [0, 0])
        return Metric(hits / total if total else None, hits, total)


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


def _greedy(pairs: list[tuple[tuple[float, ...], int, int]]) -> dict[int, int]:
    """One-to-one assignment gold index → coded index, best score first."""
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, ci in sorted(pairs, key=lambda p: (p[0], -p[1], -p[2]), reverse=True):
        if gi not in out and ci not in used:
            out[gi] = ci
            used.add(ci)
    return out


def _finish_types(score: SetScore, counts: dict[str, TypeCounts]) -> None:
    score.per_type = {t: counts[t] for t in EVENT_TYPES if t in counts and (counts[t].gold or counts[t].pred)}


# -- sentence gold ------------------------------------------------------------------------
def event_spans(gold: GoldSentence) -> list[Span]:
    """Where the gold trigger is: ``eventStart``/``eventEnd`` when given, else the words of ``eventText``."""
    return [gold.event_span] if gold.event_span else word_spans(gold.text, gold.event_text)


def best_event(gold: GoldSentence, events: Sequence[EventRecord]) -> EventRecord | None:
    spans = event_spans(gold)
    cands = [e for e in events if e.event_type == gold.event]
    if not cands:
        return None
    return max(cands, key=lambda e: (any(overlaps(t, s) for t in trigger_spans(e) for s in spans), e.confidence))


def score_sentences(gold: Sequence[GoldSentence], coded: Sequence[CodedDocument], *, name: str = "sentences",
                    path: str = "", threshold: float = THRESHOLD) -> SetScore:
    """Score sentence gold against one coded document per record (same order)."""
    if len(gold) != len(coded):
        raise ValueError(f"{len(gold)} gold records but {len(coded)} coded documents")
    score = SetScore(name=name, kind="sentences", path=path, items=len(gold))
    tally = Tally()
    counts: dict[str, TypeCounts] = defaultdict(TypeCounts)
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    traps: dict[str, Tally] = defaultdict(Tally)
    for g, doc in zip(gold, coded, strict=True):
        before = {k: list(v) for k, v in tally.counts.items()}
        if doc.errors:
            score.coder_errors.append(f"{g.id}: " + "; ".join(f"{e.code} {e.message}" for e in doc.errors))
            score.misses.append(Miss("coder error", g.id, g.event, "; ".join(e.message for e in doc.errors), g.text))
        events = doc.events
        orgs = org_spans(doc)
        coded_text = describe_events(events)
        gold_text = _gold_sentence_text(g)
        predicted = {e.event_type for e in events}
        top = top_type(events, threshold)
        confusion[g.event][top] += 1
        tally.add("type_accuracy", top == g.event)
        for t in predicted:
            counts[t].pred += 1
            counts[t].tp_pred += t == g.event
        if g.event == NONE:
            ok = not any(e.confidence >= threshold for e in events)
            tally.add("type_found", ok)
            tally.add("none_accuracy", ok)
            if not ok:
                score.misses.append(Miss("spurious event", g.id, gold_text, coded_text, g.text))
        else:
            found = g.event in predicted
            counts[g.event].gold += 1
            counts[g.event].tp_gold += found
            tally.add("type_found", found)
            best = best_event(g, events)
            if best is None:
                spans = event_spans(g)
                at_trigger = [e for e in events if any(overlaps(t, s) for t in trigger_spans(e) for s in spans)]
                score.misses.append(Miss("wrong type" if at_trigger else "missed trigger", g.id, gold_text, coded_text, g.text))
            elif top != g.event:  # found, but another event (or low confidence) is the coder's top answer
                score.misses.append(Miss("wrong top type", g.id, gold_text, coded_text, g.text))
            _score_roles(g, best, found, orgs, tally, score, gold_text)
        _score_resolution(g, doc, tally, score)
        for trap in g.traps:  # what this record added to the main counters, per trap label
            for name in TRAP_METRICS:
                hits, total = tally.counts.get(name, [0, 0])
                h0, t0 = before.get(name, [0, 0])
                for k in range(total - t0):
                    traps[trap].add(name, k < hits - h0)
    score.metrics = _sentence_metrics(tally, counts)
    score.per_trap = {t: {n: traps[t].metric(n) for n in TRAP_METRICS} for t in sorted(traps)}
    _finish_types(score, counts)
    cols = [*EVENT_TYPES, NONE]
    score.confusion = {r: {c: confusion[r][c] for c in cols if confusion[r][c]} for r in cols if r in confusion}
    return score


def _gold_sentence_text(g: GoldSentence) -> str:
    arrow = "<->" if g.reciprocal else "->"
    extra = f" {g.status}" if g.status else ""
    if g.event_date:
        extra += f" {g.event_date[0]}" + (f"..{g.event_date[1]}" if g.event_date[1] != g.event_date[0] else "")
    def codes(actors: list) -> str:
        return "+".join(a.code + (f":{a.org}" if a.org else "") for a in actors if a.code) or "-"

    return f"{g.event}[{g.event_text}] {codes(g.sources)}{arrow}{codes(g.targets)}{extra}"


def _score_roles(g: GoldSentence, best: EventRecord | None, found: bool, orgs: set[Span], tally: Tally,
                 score: SetScore, gold_text: str) -> None:
    if best is not None:
        actor, recipient = parties(best.actor, orgs), parties(best.recipient, orgs)
        actor_ok, recipient_ok = roles_ok(g.source_parties, g.target_parties, actor, recipient,
                                          g.reciprocal or best.reciprocal)
        coded = describe_event(best)
    else:
        actor, actor_ok, recipient_ok, coded = [], False, False, ""
    checks: list[tuple[str, bool]] = []
    if g.source_codes:
        checks.append(("actor_accuracy", actor_ok))
    if g.target_codes:
        checks += [("recipient_accuracy", recipient_ok), ("dyad_accuracy", actor_ok and recipient_ok)]
    if g.status:
        checks.append(("status_accuracy", best is not None and best.status == g.status))
    if g.event_date:
        checks.append(("date_accuracy", best is not None and (best.date.start, best.date.end) == g.event_date))
    for metric, ok in checks:
        tally.add(metric, ok)
        if found:
            tally.add(metric + "_given_type", ok)
    if best is None:
        return
    if g.source_codes and not actor_ok:
        category = "wrong actor" if actor else "actor unresolved"
        score.misses.append(Miss(category, g.id, gold_text, coded, g.text))
    if g.target_codes and not recipient_ok:
        score.misses.append(Miss("wrong recipient", g.id, gold_text, coded, g.text))
    if g.status and best.status != g.status:
        score.misses.append(Miss("status wrong", g.id, gold_text, coded, g.text))
    if g.event_date and (best.date.start, best.date.end) != g.event_date:
        score.misses.append(Miss("date wrong", g.id, gold_text, coded, g.text))


def _score_resolution(g: GoldSentence, doc: CodedDocument, tally: Tally, score: SetScore) -> None:
    for a in [*g.sources, *g.targets]:
        if a.start is None or a.end is None or not (a.code or a.sector):
            continue
        over = [m for m in doc.actors if overlaps((m.start, m.end), (a.start, a.end))]
        coded = ", ".join(f"{m.text!r}={m.country or '?'}/{m.sector or '-'}({m.kind})" for m in over) or "(no actor mention)"
        gold = f"{a.text!r}={a.code or '?'}{':' + a.org if a.org else ''}/{a.sector or '-'}"
        if a.code:
            ok = any(codes_match(m.country, a.codes, org=m.kind == "org") for m in over)
            tally.add("resolution_country", ok)
            if not ok:
                score.misses.append(Miss("mention unresolved" if not over else "mention wrong country", g.id, gold, coded, g.text))
        if a.sector:
            ok = any(sector_match(m.sector, a.sector) for m in over)
            tally.add("resolution_sector", ok)
            if not ok and over:
                score.misses.append(Miss("mention wrong sector", g.id, gold, coded, g.text))


def _sentence_metrics(tally: Tally, counts: dict[str, TypeCounts]) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    tp = sum(c.tp_pred for c in counts.values())
    pred = sum(c.pred for c in counts.values())
    tpg = sum(c.tp_gold for c in counts.values())
    gold = sum(c.gold for c in counts.values())
    f1s = [c.f1 or 0.0 for c in counts.values() if c.gold or c.pred]
    for name in SENTENCE_METRICS:
        if name == "micro_precision":
            out[name] = Metric(tp / pred if pred else None, tp, pred)
        elif name == "micro_recall":
            out[name] = Metric(tpg / gold if gold else None, tpg, gold)
        elif name == "micro_f1":
            out[name] = Metric(f1(out["micro_precision"].value, out["micro_recall"].value))
        elif name == "macro_f1":
            out[name] = Metric(sum(f1s) / len(f1s) if f1s else None)
        else:
            out[name] = tally.metric(name)
    return out


# -- article gold -------------------------------------------------------------------------
def _dates_overlap(g: GoldEvent, e: EventRecord) -> bool:
    gs, ge = g.date_start, g.date_end or g.date_start
    cs, ce = e.date.start, e.date.end or e.date.start
    if not (gs and cs):
        return True
    return cs <= (ge or gs) and gs <= (ce or cs)


def _compatible(g: GoldEvent, actor: Sequence[Party], recipient: Sequence[Party], reciprocal: bool) -> bool:
    if g.reciprocal or reciprocal:
        union = [*g.actor, *g.recipient]
        return not union or covered([*actor, *recipient], union) >= 1
    actor_ok = not g.actor or any_match(actor, g.actor)
    recipient_ok = not g.recipient or not recipient or any_match(recipient, g.recipient)
    return actor_ok and recipient_ok


def _gold_event_text(g: GoldEvent) -> str:
    arrow = "<->" if g.reciprocal else "->"
    alt = f"(or {'/'.join(g.alt_types)})" if g.alt_types else ""
    date = f" {g.date_start}" + (f"..{g.date_end}" if g.date_end and g.date_end != g.date_start else "") if g.date_start else ""
    return (f"{g.event_type}{alt}[{g.trigger}] {'+'.join(g.actor) or '-'}{arrow}{'+'.join(g.recipient) or '-'} "
            f"{g.status or ''}{date}")


def score_articles(gold: Sequence[GoldArticle], coded: Sequence[CodedDocument], *, name: str = "articles",
                   path: str = "") -> SetScore:
    """Score article gold against one coded document per article (same order)."""
    if len(gold) != len(coded):
        raise ValueError(f"{len(gold)} gold articles but {len(coded)} coded documents")
    score = SetScore(name=name, kind="articles", path=path, items=len(gold))
    tally = Tally()
    counts: dict[str, TypeCounts] = defaultdict(TypeCounts)
    for art, doc in zip(gold, coded, strict=True):
        if doc.errors:
            score.coder_errors.append(f"{art.id}: " + "; ".join(f"{e.code} {e.message}" for e in doc.errors))
            score.misses.append(Miss("coder error", art.id, "", "; ".join(e.message for e in doc.errors), art.title or ""))
        _score_article_events(art, doc, tally, counts, score)
        _score_quotes(art, doc, tally, score)
        _score_times(art, doc, tally, score)
    out: dict[str, Metric] = {}
    for metric in ARTICLE_METRICS:
        if metric.endswith("_f1"):
            base = metric[: -len("_f1")]
            out[metric] = Metric(f1(out[base + "_precision"].value, out[base + "_recall"].value))
        else:
            out[metric] = tally.metric(metric)
    score.metrics = out
    _finish_types(score, counts)
    return score


def _score_article_events(art: GoldArticle, doc: CodedDocument, tally: Tally, counts: dict[str, TypeCounts],
                          score: SetScore) -> None:
    text = art.text
    orgs = org_spans(doc)
    # stated intentions derived from a planned event (PLOVER's future rule, ``derived_from``) are a
    # second view of an event the gold already codes with its own type and status ``planned``
    coded = list(doc.events)
    sides = [(parties(c.actor, orgs), parties(c.recipient, orgs)) for c in coded]
    sent_spans: list[Span | None] = [locate(text, g.sentence) if g.sentence else None for g in art.events]
    trig_spans: list[Span | None] = []
    for g, s in zip(art.events, sent_spans, strict=True):
        trig_spans.append(locate(text, g.trigger, s[0]) if (g.trigger and s) else (locate(text, g.trigger) if g.trigger else None))

    def in_sentence(ci: int, gi: int) -> bool:
        s = sent_spans[gi]
        return s is not None and any(s[0] <= a < s[1] for a, _ in trigger_spans(coded[ci]))

    full: list[tuple[tuple[float, ...], int, int]] = []
    typed: list[tuple[tuple[float, ...], int, int]] = []
    for gi, g in enumerate(art.events):
        for ci, c in enumerate(coded):
            if c.event_type not in g.types:
                continue
            same = in_sentence(ci, gi)
            trig = trig_spans[gi]
            key = (float(same), float(c.event_type == g.event_type),
                   float(trig is not None and any(overlaps(trig, t) for t in trigger_spans(c))), c.confidence)
            if same:
                typed.append((key, gi, ci))
            if _compatible(g, *sides[ci], c.reciprocal) and _dates_overlap(g, c):
                full.append((key, gi, ci))
    match = _greedy(full)
    typed_match = _greedy(typed)
    matched_coded = set(match.values())
    typed_coded = set(typed_match.values())
    for ci, c in enumerate(coded):
        if c.derived_from is not None and ci not in matched_coded and ci not in typed_coded:
            continue  # an unmatched stated intention is a second view of a planned event the gold codes itself
        counts[c.event_type].pred += 1
        counts[c.event_type].tp_pred += ci in matched_coded
        tally.add("event_precision", ci in matched_coded)
        tally.add("typed_event_precision", ci in typed_coded)
        if ci not in matched_coded and ci not in typed_coded:  # typed matches are reported on the gold side
            score.misses.append(Miss("spurious event", art.id, "", describe_event(c), c.sentence_text))
    for gi, g in enumerate(art.events):
        counts[g.event_type].gold += 1
        counts[g.event_type].tp_gold += gi in match
        tally.add("event_recall", gi in match)
        tally.add("typed_event_recall", gi in typed_match)
        gold_text = _gold_event_text(g)
        if gi not in match:
            in_sent = [ci for ci in range(len(coded)) if in_sentence(ci, gi)]
            same_type = [ci for ci in in_sent if coded[ci].event_type in g.types]
            if not in_sent:
                category = "missed trigger"
            elif not same_type:
                category = "wrong type"
            else:
                category = _role_failure(g, [coded[ci] for ci in same_type], [sides[ci] for ci in same_type])
            shown = [coded[ci] for ci in in_sent]
            score.misses.append(Miss(category, art.id, gold_text, describe_events(shown), g.sentence))
            continue
        c = coded[match[gi]]
        actor, recipient = sides[match[gi]]
        reciprocal = g.reciprocal or c.reciprocal
        _, recipient_ok = roles_ok(g.actor, g.recipient, actor, recipient, reciprocal)
        if g.actor:
            if reciprocal:
                union = list(dict.fromkeys([*g.actor, *g.recipient]))
                complete = covered([*actor, *recipient], union) == len(union)
            else:
                complete = covered(actor, g.actor) == len(set(g.actor))
            tally.add("actor_complete", complete)
            if not complete:
                score.misses.append(Miss("actor incomplete", art.id, gold_text, describe_event(c), g.sentence))
        if g.recipient or (reciprocal and len(set(g.actor) | set(g.recipient)) >= 2):
            tally.add("recipient_accuracy", recipient_ok)
            if not recipient_ok:
                score.misses.append(Miss("wrong recipient", art.id, gold_text, describe_event(c), g.sentence))
        if g.status:
            tally.add("status_accuracy", c.status == g.status)
            if c.status != g.status:
                score.misses.append(Miss("status wrong", art.id, gold_text, describe_event(c), g.sentence))
        if g.date_start:
            ok = (c.date.start, c.date.end) == (g.date_start, g.date_end)
            tally.add("date_accuracy", ok)
            if not ok:
                score.misses.append(Miss("date wrong", art.id, gold_text, describe_event(c), g.sentence))


def _role_failure(g: GoldEvent, events: list[EventRecord], sides: list[tuple[list[Party], list[Party]]]) -> str:
    """Why same-type events in the gold sentence did not match: actor, recipient or date."""
    for e, (actor, recipient) in zip(events, sides, strict=True):
        if _compatible(g, actor, recipient, e.reciprocal) and not _dates_overlap(g, e):
            return "date wrong"
    for e, (actor, recipient) in zip(events, sides, strict=True):
        if g.reciprocal or e.reciprocal or not g.actor or any_match(actor, g.actor):
            return "wrong recipient"
    return "actor unresolved" if all(not a for a, _ in sides) else "wrong actor"


def _span_pairs(gold_spans: list[list[Span]], coded_spans: list[Span]) -> dict[int, int]:
    pairs = []
    for gi, occ in enumerate(gold_spans):
        for ci, cs in enumerate(coded_spans):
            r = max((overlap_ratio(o, cs) for o in occ), default=0.0)
            if r >= 0.5:
                pairs.append(((r,), gi, ci))
    return _greedy(pairs)


DIRECT_KINDS = ("direct", "partial")


def _score_quotes(art: GoldArticle, doc: CodedDocument, tally: Tally, score: SetScore) -> None:
    """Direct and partial quotations are listed exhaustively in the gold, indirect ones only as
    a sample: precision and recall count direct/partial quotes only (on both sides); every
    matched gold quote, indirect included, counts for speaker and kind accuracy."""
    gold_spans = [locate_all(art.text, q.text) for q in art.quotes]
    match = _span_pairs(gold_spans, [(q.start, q.end) for q in doc.quotes])
    matched = set(match.values())
    for ci, q in enumerate(doc.quotes):
        if q.kind not in DIRECT_KINDS:
            continue
        tally.add("quote_precision", ci in matched)
        if ci not in matched:
            score.misses.append(Miss("quote spurious", art.id, "", f"{q.kind}: {q.text}", ""))
    for gi, g in enumerate(art.quotes):
        gold = f"{g.kind}: {g.text} — {g.speaker or '?'} ({g.speaker_country or '?'})"
        if g.kind in DIRECT_KINDS or g.kind is None:
            tally.add("quote_recall", gi in match)
            if gi not in match:
                score.misses.append(Miss("quote missed", art.id, gold, "", ""))
        if gi not in match:
            continue
        q = doc.quotes[match[gi]]
        sp = q.speaker
        coded = f"{q.kind}: {q.text} — " + (f"{sp.name or sp.text} ({sp.country or '?'})" if sp else "(no speaker)")
        if g.kind:
            tally.add("quote_kind_accuracy", q.kind == g.kind)
        if g.speaker or g.speaker_country:
            name_ok = sp is not None and (names_match(sp.name, g.speaker) or names_match(sp.text, g.speaker))
            country_ok = sp is not None and codes_match(sp.country, g.speaker_country)
            if g.speaker:
                tally.add("speaker_name_accuracy", name_ok)
            tally.add("speaker_accuracy", name_ok or country_ok)
            if not (name_ok or country_ok):
                score.misses.append(Miss("speaker wrong", art.id, gold, coded, ""))


def _score_times(art: GoldArticle, doc: CodedDocument, tally: Tally, score: SetScore) -> None:
    """Gold lists a repeated expression with the same value once, so matching is not one to
    one: a coded time is right when it overlaps an occurrence of some gold time's text (by at
    least half of the longer span); a gold time is found when some coded time overlaps one of
    its occurrences; its value is checked on the best-overlapping coded time."""
    occurrences = [locate_all(art.text, t.text) for t in art.times]
    coded_spans = [(t.start_char, t.end_char) for t in doc.times]

    def ratio(gi: int, ci: int) -> float:
        return max((overlap_ratio(o, coded_spans[ci]) for o in occurrences[gi]), default=0.0)

    for ci, t in enumerate(doc.times):
        ok = any(ratio(gi, ci) >= 0.5 for gi in range(len(art.times)))
        tally.add("time_precision", ok)
        if not ok:
            score.misses.append(Miss("time spurious", art.id, "", f"{t.text!r}={t.value}", ""))
    for gi, g in enumerate(art.times):
        best = max(range(len(doc.times)), key=lambda ci: ratio(gi, ci), default=None)
        found = best is not None and ratio(gi, best) >= 0.5
        tally.add("time_recall", found)
        gold = f"{g.text!r}={g.value} ({g.start}..{g.end})"
        if not found:
            score.misses.append(Miss("time missed", art.id, gold, "", ""))
            continue
        t = doc.times[best]  # type: ignore[index]
        ok = (g.value is not None and t.value == g.value) or (
            g.start is not None and (t.start, t.end) == (g.start, g.end or g.start))
        tally.add("time_value_accuracy", ok)
        if not ok:
            score.misses.append(Miss("time value wrong", art.id, gold, f"{t.text!r}={t.value} ({t.start}..{t.end})", ""))


# -- running the coder ---------------------------------------------------------------------
def sentence_documents(gold: Sequence[GoldSentence]) -> list[Document]:
    return [Document(id=g.id, text=g.text, published=g.date, published_basis="input" if g.date else "unknown")
            for g in gold]


def article_documents(gold: Sequence[GoldArticle]) -> list[Document]:
    return [Document(id=a.id, text=a.text, published=a.published, published_basis="input" if a.published else "unknown",
                     title=a.title, source=a.source) for a in gold]


@dataclass(slots=True)
class GoldSet:
    name: str
    path: str
    kind: str  # "sentences" | "articles"
    items: list  # list[GoldSentence] | list[GoldArticle]


#: share of the project's own gold (in tenths) held out as the frozen test part
FROZEN_TENTHS = 3


def frozen_part(item_id: str) -> str:
    """``"test"`` for the frozen test part of the project's gold, ``"dev"`` for the rest.

    The split is a fixed rule on the item id (sentence record id or article id), so it never
    depends on what the coder gets right: ``sha1(id)`` modulo 10 below :data:`FROZEN_TENTHS`.
    Rules are changed while reading misses of the dev part only (``dotterel eval --errors``
    on ``gold/sentences.json#dev``); the test part is only ever scored.
    """
    import hashlib

    return "test" if int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16) % 10 < FROZEN_TENTHS else "dev"


def load_gold(path: str | Path, limit: int | None = None) -> GoldSet:
    """A GSR file (sentences), an article directory, or one article file.

    A ``#dev`` or ``#test`` suffix (``gold/sentences.json#test``) keeps only that part of the
    split made by :func:`frozen_part`; the set is then named ``<stem>-<part>``.
    """
    spath = str(path)
    if spath.endswith(("#dev", "#test")):
        base, part = spath.rsplit("#", 1)
        whole = load_gold(base, None)
        items = [it for it in whole.items if frozen_part(it.id) == part][:limit]
        return GoldSet(f"{whole.name}-{part}", spath, whole.kind, items)
    import json

    from dotterel.eval.articles import article_from_json, is_article

    p = Path(path)
    if p.is_dir():
        return GoldSet(p.name or str(p), str(p), "articles", load_articles(p, limit))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"{p}: {exc}") from exc
    if is_article(data):
        return GoldSet(p.stem, str(p), "articles", [article_from_json(data, str(p))])
    try:
        return GoldSet(p.stem, str(p), "sentences", sentences_from_json(data, limit))
    except GoldFormatError as exc:
        raise GoldFormatError(f"{p}: {exc}") from exc


def score_set(gold: GoldSet, coder: object) -> SetScore:
    """Code a gold set with ``coder`` (a :class:`dotterel.pipeline.Coder`) and score it."""
    t0 = time.perf_counter()
    if gold.kind == "sentences":
        coded = list(coder.code_documents(sentence_documents(gold.items)))  # type: ignore[attr-defined]
        result = score_sentences(gold.items, coded, name=gold.name, path=gold.path)
    else:
        coded = list(coder.code_documents(article_documents(gold.items)))  # type: ignore[attr-defined]
        result = score_articles(gold.items, coded, name=gold.name, path=gold.path)
    result.seconds = time.perf_counter() - t0
    return result


def evaluate(paths: Sequence[str | Path], *, settings: object | None = None, coder: object | None = None,
             limit: int | None = None) -> EvalResult:
    """Load every gold path, code it with one coder, and score it. Set names are the file stem
    or directory name (made unique with ``#2``, ``#3``...)."""
    from dotterel.pipeline import Coder
    from dotterel.settings import Settings

    t0 = time.perf_counter()
    sets = [load_gold(p, limit) for p in paths]
    seen: Counter[str] = Counter()
    for s in sets:
        seen[s.name] += 1
        if seen[s.name] > 1:
            s.name = f"{s.name}#{seen[s.name]}"
    if coder is None:
        coder = Coder(settings if isinstance(settings, Settings) else Settings())
    scores = [score_set(s, coder) for s in sets]
    model = getattr(getattr(coder, "settings", None), "model", "?")
    return EvalResult(scores, str(model), time.perf_counter() - t0)
