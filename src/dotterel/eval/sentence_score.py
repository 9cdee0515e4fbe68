"""Scoring sentence gold (PLOVER-GSR format): one coded document per sentence record."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from dotterel.eval.gsr import NONE, GoldSentence, word_spans
from dotterel.eval.matching import (
    codes_match,
    describe_event,
    describe_events,
    finish_types,
    org_spans,
    overlaps,
    parties,
    roles_ok,
    sector_match,
    top_type,
    trigger_spans,
)
from dotterel.eval.results import SENTENCE_METRICS, THRESHOLD, TRAP_METRICS, Metric, Miss, SetScore, Span, Tally, TypeCounts, f1
from dotterel.records.models import EVENT_TYPES, CodedDocument, EventRecord


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
    finish_types(score, counts)
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
