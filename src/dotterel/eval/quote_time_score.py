"""Scoring the quotes and time expressions of an article against its gold."""

from __future__ import annotations

from dotterel.eval.articles import GoldArticle
from dotterel.eval.gsr import locate_all
from dotterel.eval.matching import codes_match, greedy, names_match, overlap_ratio
from dotterel.eval.results import Miss, SetScore, Span, Tally
from dotterel.records.models import CodedDocument


def _span_pairs(gold_spans: list[list[Span]], coded_spans: list[Span]) -> dict[int, int]:
    pairs: list[tuple[tuple[float, ...], int, int]] = []
    for gi, occ in enumerate(gold_spans):
        for ci, cs in enumerate(coded_spans):
            r = max((overlap_ratio(o, cs) for o in occ), default=0.0)
            if r >= 0.5:
                pairs.append(((r,), gi, ci))
    return greedy(pairs)


DIRECT_KINDS = ("direct", "partial")


def score_quotes(art: GoldArticle, doc: CodedDocument, tally: Tally, score: SetScore) -> None:
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


def score_times(art: GoldArticle, doc: CodedDocument, tally: Tally, score: SetScore) -> None:
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
