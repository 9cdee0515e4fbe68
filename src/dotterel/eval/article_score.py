"""Scoring article gold: events matched one to one to gold events, then quotes and times."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from dotterel.eval.articles import GoldArticle, GoldEvent
from dotterel.eval.gsr import locate
from dotterel.eval.matching import (
    any_match,
    covered,
    describe_event,
    describe_events,
    finish_types,
    greedy,
    org_spans,
    overlaps,
    parties,
    roles_ok,
    trigger_spans,
)
from dotterel.eval.quote_time_score import score_quotes, score_times
from dotterel.eval.results import ARTICLE_METRICS, Metric, Miss, Party, SetScore, Span, Tally, TypeCounts, f1
from dotterel.records.models import CodedDocument, EventRecord


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
        score_quotes(art, doc, tally, score)
        score_times(art, doc, tally, score)
    out: dict[str, Metric] = {}
    for metric in ARTICLE_METRICS:
        if metric.endswith("_f1"):
            base = metric[: -len("_f1")]
            out[metric] = Metric(f1(out[base + "_precision"].value, out[base + "_recall"].value))
        else:
            out[metric] = tally.metric(metric)
    score.metrics = out
    finish_types(score, counts)
    return score


@dataclass(slots=True)
class _ArticleEvents:
    """The coded events of one article next to its gold events: parties, gold sentence and
    trigger spans, and the one-to-one matches (full: type, parties and dates; typed: type and
    sentence only)."""

    art: GoldArticle
    coded: list[EventRecord]
    sides: list[tuple[list[Party], list[Party]]]
    sent_spans: list[Span | None]
    trig_spans: list[Span | None]
    match: dict[int, int] = field(default_factory=dict)
    typed_match: dict[int, int] = field(default_factory=dict)

    @classmethod
    def pair(cls, art: GoldArticle, doc: CodedDocument) -> _ArticleEvents:
        orgs = org_spans(doc)
        coded = list(doc.events)
        sent_spans: list[Span | None] = [locate(art.text, g.sentence) if g.sentence else None for g in art.events]
        trig_spans: list[Span | None] = []
        for g, s in zip(art.events, sent_spans, strict=True):
            trig_spans.append(locate(art.text, g.trigger, s[0]) if (g.trigger and s)
                              else (locate(art.text, g.trigger) if g.trigger else None))
        pairs = cls(art, coded, [(parties(c.actor, orgs), parties(c.recipient, orgs)) for c in coded], sent_spans,
                    trig_spans)
        pairs._match()
        return pairs

    def in_sentence(self, ci: int, gi: int) -> bool:
        s = self.sent_spans[gi]
        return s is not None and any(s[0] <= a < s[1] for a, _ in trigger_spans(self.coded[ci]))

    def _match(self) -> None:
        full: list[tuple[tuple[float, ...], int, int]] = []
        typed: list[tuple[tuple[float, ...], int, int]] = []
        for gi, g in enumerate(self.art.events):
            trig = self.trig_spans[gi]
            for ci, c in enumerate(self.coded):
                if c.event_type not in g.types:
                    continue
                same = self.in_sentence(ci, gi)
                key = (float(same), float(c.event_type == g.event_type),
                       float(trig is not None and any(overlaps(trig, t) for t in trigger_spans(c))), c.confidence)
                if same:
                    typed.append((key, gi, ci))
                if _compatible(g, *self.sides[ci], c.reciprocal) and _dates_overlap(g, c):
                    full.append((key, gi, ci))
        self.match = greedy(full)
        self.typed_match = greedy(typed)

    def miss_category(self, gi: int) -> tuple[str, list[EventRecord]]:
        """Why gold event ``gi`` found no match, and the coded events of its sentence."""
        g = self.art.events[gi]
        in_sent = [ci for ci in range(len(self.coded)) if self.in_sentence(ci, gi)]
        same_type = [ci for ci in in_sent if self.coded[ci].event_type in g.types]
        if not in_sent:
            category = "missed trigger"
        elif not same_type:
            category = "wrong type"
        else:
            category = _role_failure(g, [self.coded[ci] for ci in same_type], [self.sides[ci] for ci in same_type])
        return category, [self.coded[ci] for ci in in_sent]


def _score_article_events(art: GoldArticle, doc: CodedDocument, tally: Tally, counts: dict[str, TypeCounts],
                          score: SetScore) -> None:
    ev = _ArticleEvents.pair(art, doc)
    _score_coded_side(ev, tally, counts, score)
    for gi, g in enumerate(art.events):
        counts[g.event_type].gold += 1
        counts[g.event_type].tp_gold += gi in ev.match
        tally.add("event_recall", gi in ev.match)
        tally.add("typed_event_recall", gi in ev.typed_match)
        if gi not in ev.match:
            category, shown = ev.miss_category(gi)
            score.misses.append(Miss(category, art.id, _gold_event_text(g), describe_events(shown), g.sentence))
        else:
            actor, recipient = ev.sides[ev.match[gi]]
            _score_matched_event(art.id, g, ev.coded[ev.match[gi]], actor, recipient, tally, score)


def _score_coded_side(ev: _ArticleEvents, tally: Tally, counts: dict[str, TypeCounts], score: SetScore) -> None:
    """Precision: every coded event, matched or not. Stated intentions derived from a planned event
    (PLOVER's future rule, ``derived_from``) are a second view of an event the gold already codes with
    its own type and status ``planned``: unmatched, they are not counted."""
    matched_coded = set(ev.match.values())
    typed_coded = set(ev.typed_match.values())
    for ci, c in enumerate(ev.coded):
        if c.derived_from is not None and ci not in matched_coded and ci not in typed_coded:
            continue
        counts[c.event_type].pred += 1
        counts[c.event_type].tp_pred += ci in matched_coded
        tally.add("event_precision", ci in matched_coded)
        tally.add("typed_event_precision", ci in typed_coded)
        if ci not in matched_coded and ci not in typed_coded:  # typed matches are reported on the gold side
            score.misses.append(Miss("spurious event", ev.art.id, "", describe_event(c), c.sentence_text))


def _score_matched_event(art_id: str, g: GoldEvent, c: EventRecord, actor: list[Party], recipient: list[Party],
                         tally: Tally, score: SetScore) -> None:
    """Roles, status and date of a coded event matched to gold event ``g``."""
    gold_text = _gold_event_text(g)
    reciprocal = g.reciprocal or c.reciprocal
    _, recipient_ok = roles_ok(g.actor, g.recipient, actor, recipient, reciprocal)
    checks: list[tuple[str, str, bool]] = []  # (metric, miss category, right)
    if g.actor:
        if reciprocal:
            union = list(dict.fromkeys([*g.actor, *g.recipient]))
            complete = covered([*actor, *recipient], union) == len(union)
        else:
            complete = covered(actor, g.actor) == len(set(g.actor))
        checks.append(("actor_complete", "actor incomplete", complete))
    if g.recipient or (reciprocal and len(set(g.actor) | set(g.recipient)) >= 2):
        checks.append(("recipient_accuracy", "wrong recipient", recipient_ok))
    if g.status:
        checks.append(("status_accuracy", "status wrong", c.status == g.status))
    if g.date_start:
        checks.append(("date_accuracy", "date wrong", (c.date.start, c.date.end) == (g.date_start, g.date_end)))
    for metric, category, ok in checks:
        tally.add(metric, ok)
        if not ok:
            score.misses.append(Miss(category, art_id, gold_text, describe_event(c), g.sentence))


def _role_failure(g: GoldEvent, events: list[EventRecord], sides: list[tuple[list[Party], list[Party]]]) -> str:
    """Why same-type events in the gold sentence did not match: actor, recipient or date."""
    for e, (actor, recipient) in zip(events, sides, strict=True):
        if _compatible(g, actor, recipient, e.reciprocal) and not _dates_overlap(g, e):
            return "date wrong"
    for e, (actor, _recipient) in zip(events, sides, strict=True):
        if g.reciprocal or e.reciprocal or not g.actor or any_match(actor, g.actor):
            return "wrong recipient"
    return "actor unresolved" if all(not a for a, _ in sides) else "wrong actor"
