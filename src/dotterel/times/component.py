"""The ``dotterel_times`` component: time expressions, normalised against ``doc._.dct``.

Candidates are spaCy's DATE/TIME entities plus token patterns for what NER misses
("earlier Thursday", "Monday night", "later this week", "two days ago"). Overlapping
candidates are united; adjacent ones are joined when the joined text still normalises
("Monday" + "night"); "X to/until/through/- Y" becomes one range mention, with a leading
"from"/"between" ("from Monday to Wednesday"). The governing verb gives the tense. Mentions in
``doc._.skip_ranges`` and expressions that do not normalise (durations, vague or
event-relative times) are left out.

Span convention. The preposition that governs the expression is passed to the normaliser (it
decides "for 12 years", "since 2014", "in two weeks"), and when it is a temporal preposition
(``signal_prepositions`` of ``times/expressions.toml``: in, on, at, during, since, until, till,
through, within, by) it is
part of the mention: "since 2014" and "within six months" change the meaning (a bounded
interval, ``mod`` ON_OR_AFTER / EQUAL_OR_LESS), and "in October" / "on Sunday" keep the same
form so every mention reads as it relates to its clause. Other prepositions (for, before,
after, over, around) are not included. Values are TIMEX3 (``value`` plus ``mod``) beside the
resolved first and last day.

Beyond NER and the patterns: four-digit years used as modifiers ("the 2019 election", not
"1500 troops"), decades, "late last night", "earlier on Sunday"; anaphoric expressions ("the
following day", "the same year", "two days later", "hours later") resolved against the last
dated mention before them (else the DCT); a clock time alone ("at 1:00 pm") on that reference
day; and full dates the tokenizer glued to a byline ("Staff Writer27 March 2021",
"March 2, 2021|By"), which replace the narrower mentions they overlap.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dotterel.ingest.dates import date_or_none
from dotterel.nlp.extensions import doc_text, register_extensions
from dotterel.spans import TimeMention
from dotterel.times.atoms import ANAPHORS, AtomMatcher
from dotterel.times.lexicon import Lexicon, load_lexicon
from dotterel.times.normalize import Normalized, normalize
from dotterel.times.tense import clause_tense
from dotterel.words import english_words

_PROBE_DCT = dt.date(2001, 1, 3)  # any date: used to test whether a text is a range at all


@Language.factory(
    "dotterel_times",
    requires=["doc.ents", "token.dep"],
    assigns=["doc._.time_mentions"],
    default_config={"resource_dirs": []},
)
def make_times(nlp: Language, name: str, resource_dirs: list[str]) -> TimesComponent:
    register_extensions()
    return TimesComponent(nlp, load_lexicon(tuple(str(d) for d in resource_dirs)))


_ANAPHORIC = re.compile(r"(?:the\s+)?(?P<rel>same|following|next|previous|preceding)\s+(?P<unit>day|week|month|year)")
_LATER = re.compile(r"(?P<n>\S+)\s+(?P<unit>days?|weeks?|months?|years?|hours|minutes|moments)\s+(?P<dir>later|earlier)")
_CLOCK = re.compile(r"(?:at\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>[ap])\.?\s?m\.?", re.IGNORECASE)


@functools.cache
def _full_date() -> re.Pattern[str]:
    """Full dates written against other text in datelines and bylines ("Staff Writer27 March 2021",
    "March 2, 2021|By"), which the tokenizer does not split; month names from the built-in English
    word file."""
    mon = english_words().month_pattern()
    return re.compile(rf"(?<!\d)(?:\d{{1,2}}\s+{mon},?\s+\d{{4}}|{mon}\s+\d{{1,2}},?\s+\d{{4}})(?!\d)")


def _year_like(tok: Token) -> bool:
    """A four-digit number that names a year ("in 2015", "the 2019 election"), not a count
    ("1500 troops", "2000 people", "$1900")."""
    if tok.i > 0 and tok.doc[tok.i - 1].tag_ == "$":
        return False
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text in ("%", "percent", "per"):
        return False
    head = tok.head
    return not (tok.dep_ == "nummod" and head.i != tok.i and head.tag_ in ("NNS", "NNPS"))



class TimesComponent:
    def __init__(self, nlp: Language, lexicon: Lexicon | None = None) -> None:
        self.lex = lexicon or load_lexicon()
        self.atoms = AtomMatcher(self.lex)  # the patterns, indexed by word once per process

    # -- candidates ------------------------------------------------------------------------
    def _atoms(self, doc: Doc) -> list[tuple[int, int]]:
        spans = {(e.start, e.end) for e in doc.ents if e.label_ in ("DATE", "TIME")}
        spans |= {(s, e) for label, s, e in self.atoms(doc) if label != "YEAR" or _year_like(doc[s])}
        return sorted(spans)

    def _is_range(self, doc: Doc, start: int, end: int) -> bool:
        n = normalize(doc[start:end].text, _PROBE_DCT, lexicon=self.lex)
        return n is not None and n.granularity == "range"

    def _joins(self, doc: Doc, start: int, end: int) -> int | None:
        """Start of a range mention ``doc[start':end]`` (with from/between if present), or None."""
        if start > 0 and doc[start - 1].lower_ in self.lex.range_openers and self._is_range(doc, start - 1, end):
            return start - 1
        return start if self._is_range(doc, start, end) else None

    def candidates(self, doc: Doc) -> list[tuple[int, int, list[tuple[int, int]]]]:
        """Mention spans ``(start, end, atoms)``; ``atoms`` are the NER/pattern spans inside."""
        groups: list[list[tuple[int, int]]] = []
        for s, e in self._atoms(doc):  # unite overlapping spans
            if groups and s < max(end for _, end in groups[-1]):
                groups[-1].append((s, e))
            else:
                groups.append([(s, e)])
        spans = [(min(s for s, _ in g), max(e for _, e in g), g) for g in groups]
        out: list[tuple[int, int, list[tuple[int, int]]]] = []
        i = 0
        while i < len(spans):
            s, e, atoms = spans[i]
            while i + 1 < len(spans):
                ns, ne, natoms = spans[i + 1]
                if ns == e and normalize(doc[s:ne].text, _PROBE_DCT, lexicon=self.lex) is not None:
                    e, atoms, i = ne, atoms + natoms, i + 1  # "Monday" + "night"
                    continue
                if ns == e + 1 and doc[e].lower_ in self.lex.range_connectors and (j := self._joins(doc, s, ne)) is not None:
                    s, e, atoms, i = j, ne, atoms + natoms, i + 1  # "Monday" "to" "Wednesday"
                    continue
                break
            if e + 1 < len(doc) and doc[e].lower_ in self.lex.range_connectors and (doc[e + 1].like_num or doc[e + 1].lower_ in self.lex.weekdays):
                if (j := self._joins(doc, s, e + 2)) is not None:
                    s, e = j, e + 2  # "between March 3 and 5" when NER stopped at 3
            if s > 0 and doc[s - 1].lower_ in self.lex.range_openers and self._is_range(doc, s - 1, e):
                s -= 1  # NER's "Monday to Wednesday" -> "from Monday to Wednesday"
            while e - s > 1 and (doc[e - 1].tag_ == "POS" or doc[e - 1].is_punct):
                e -= 1  # "last month's" -> "last month"
            while e - s > 1 and doc[s].is_punct:
                s += 1
            out.append((s, e, atoms))
            i += 1
        return out

    # -- normalising -----------------------------------------------------------------------
    def _normalize(self, doc: Doc, start: int, end: int, dct: dt.date | None) -> Normalized | None:
        span = doc[start:end]
        text = span.text
        if (prep := self._preposition(span)) is not None:
            text = f"{prep} {text}"
        return normalize(text, dct, clause_tense(span.root), lexicon=self.lex)

    def _preposition(self, span: Span) -> str | None:
        """The preposition that governs the mention ("for 12 years", "in two weeks"); not one
        that governs a noun the mention modifies ("since last month's revolution")."""
        if span.start == 0 or span[0].lower_ in self.lex.range_openers:
            return None
        prev = span.doc[span.start - 1]
        if prev.lower_ in self.lex.context_prepositions and (span.root.head == prev or not span.doc.has_annotation("DEP")):
            return prev.lower_
        return None

    def _parts(self, doc: Doc, start: int, end: int, atoms: list[tuple[int, int]],
               dct: dt.date | None) -> list[tuple[int, int, Normalized]]:
        """When a united span does not normalise, its NER/pattern parts that do on their own
        ("Monday, the first day of talks" -> "Monday"); never a piece of a bigger date
        ("until 9 November" does not yield "November") nor anything under a bound ("until")."""
        if len(atoms) < 2 or (self._preposition(doc[start:end]) or "") in self.lex.duration_prepositions:
            return []
        kept: list[tuple[int, int, Normalized]] = []
        for s, e in sorted(set(atoms), key=lambda a: a[0] - a[1]):  # longest first
            if (s > start and doc[s - 1].like_num) or (e < end and doc[e].like_num):
                continue
            if any(s < ke and ks < e for ks, ke, _ in kept):
                continue
            if (n := self._normalize(doc, s, e, dct)) is not None:
                kept.append((s, e, n))
        return kept

    def _lowercase_month(self, span: Span) -> bool:
        """A month name written in lower case ("the march began") is a common noun or verb."""
        return any(t.lower_ in self.lex.months and len(t) >= 3 and t.is_lower for t in span)

    @staticmethod
    def _skipped(span: Span, skip: list[tuple[int, int]]) -> bool:
        """In a skipped range, or in a sentence that lies inside one."""
        try:
            sent = span.sent
            lo, hi = sent.start_char, sent.end_char
        except ValueError:  # no sentence boundaries
            lo, hi = span.start_char, span.end_char
        return any((a < span.end_char and span.start_char < b) or (a <= lo and hi <= b) for a, b in skip)

    def _reference(self, mentions: list[TimeMention], dct: dt.date | None) -> dt.date | None:
        """The reference time for an anaphoric expression: the last dated mention before it, else the DCT."""
        for m in reversed(mentions):
            if m.first is not None and m.granularity not in ("range", "decade"):
                return m.first
        return dct

    def _anaphoric(self, doc: Doc, start: int, end: int, mentions: list[TimeMention],
                   dct: dt.date | None) -> Normalized | None:
        """Expressions dated from the previous time in the story (or the DCT): "the same year",
        "the following day", "two days later", "hours later"; a clock time alone ("at 1:00 pm")
        is on the reference day. An expression followed by an event noun ("a day after the vote")
        is not resolved here."""
        text = " ".join(doc[start:end].text.lower().split())
        ref = self._reference(mentions, dct)
        if ref is None:
            return None
        if (m := _ANAPHORIC.fullmatch(text.removeprefix("on ").removeprefix("in "))) is not None:
            k, unit = ANAPHORS[m["rel"]], m["unit"]
            if unit == "day":
                d = ref + dt.timedelta(days=k)
                return Normalized(d, d, d.isoformat(), "day")
            return _unit_of(ref, unit, k)
        if (m := _LATER.fullmatch(text)) is not None:
            sign = 1 if m["dir"] == "later" else -1
            unit = m["unit"].rstrip("s")
            if unit in ("hour", "minute", "moment"):
                return Normalized(ref, ref, ref.isoformat(), "day")
            n = int(m["n"]) if m["n"].isdigit() else self.lex.numbers.get(m["n"])
            if not n:
                return None
            if unit == "day":
                d = ref + dt.timedelta(days=sign * n)
                return Normalized(d, d, d.isoformat(), "day")
            if unit == "week":
                d = ref + dt.timedelta(weeks=sign * n)
                return Normalized(d, d, d.isoformat(), "day")
            return _unit_of(ref, unit, sign * n)
        if (m := _CLOCK.fullmatch(text)) is not None:
            h = int(m["h"]) % 12 + (12 if m["ap"].lower() == "p" else 0)
            return Normalized(ref, ref, f"{ref.isoformat()}T{h:02d}:{int(m['m'] or 0):02d}", "time")
        return None

    def _datelines(self, doc: Doc, text: str, mentions: list[TimeMention],
                   skip: list[tuple[int, int]]) -> list[TimeMention]:
        """Full dates the tokenizer glued to other text ("Writer27 March 2021"); each replaces the
        narrower mentions it overlaps. Mentions are sorted by start; each date looks only at its
        neighbours (mentions do not overlap each other), so the pass stays linear."""
        ordered = sorted(mentions, key=lambda x: x.start_char)
        starts = [x.start_char for x in ordered]
        dropped: set[int] = set()
        added: list[TimeMention] = []
        for m in _full_date().finditer(text):
            a, b = m.start(), m.end()
            k = bisect.bisect_right(starts, a) - 1  # the mention starting at or before the date
            near = [j for j in range(max(k, 0), bisect.bisect_left(starts, b)) if ordered[j].end_char > a]
            if any(ordered[j].start_char <= a and b <= ordered[j].end_char for j in near):
                continue  # already covered
            if any(u < b and a < v for u, v in skip):
                continue
            n = normalize(m.group(), None, lexicon=self.lex)
            sp = doc.char_span(a, b, alignment_mode="expand")
            if n is None or n.first is None or sp is None:
                continue
            dropped.update(near)
            added.append(TimeMention(start=sp.start, end=sp.end, start_char=a, end_char=b, text=m.group(),
                                     first=n.first, last=n.last, value=n.value, granularity=n.granularity,
                                     mod=n.mod))
        return [x for j, x in enumerate(ordered) if j not in dropped] + added

    def __call__(self, doc: Doc) -> Doc:
        dct = date_or_none(doc._.dct)
        skip = doc._.skip_ranges or []
        text = doc_text(doc)  # once per Doc: Doc.text joins every token on each access
        mentions: list[TimeMention] = []
        parts_of_day: list[tuple[int, int, str | None, str]] = []  # resolved once the sentence's days are known
        for start, end, atoms in self.candidates(doc):
            if self._skipped(doc[start:end], skip) or self._lowercase_month(doc[start:end]):
                continue
            whole = self._normalize(doc, start, end, dct)
            if whole is None and (pod := self._part_of_day(doc, start, end)) is not None:
                parts_of_day.append((start, end, *pod))
                continue
            if whole is None and not (end < len(doc) and doc[end].lower_ in ("after", "before")):
                whole = self._anaphoric(doc, start, end, mentions, dct)
            found = [(start, end, whole)] if whole is not None else self._parts(doc, start, end, atoms, dct)
            for s, e, n in found:
                if self._preposition(doc[s:e]) in self.lex.signal_prepositions:
                    s -= 1  # the governing preposition is part of the mention
                sp = doc[s:e]
                mentions.append(TimeMention(
                    start=s, end=e, start_char=sp.start_char, end_char=sp.end_char,
                    text=text[sp.start_char:sp.end_char], first=n.first, last=n.last,
                    value=n.value, granularity=n.granularity, anchored=n.anchored, mod=n.mod,
                ))  # fmt: skip
        mentions = self._datelines(doc, text, mentions, skip)
        mentions.sort(key=lambda m: (m.start, m.end))
        resolved = []
        starts = [m.start for m in mentions]
        for start, end, mod, code in parts_of_day:
            ref = self._day_of(doc, start, mentions, starts, dct, story=code != "overnight")  # overnight: the DCT's
            if ref is None:
                continue
            if self._preposition(doc[start:end]) in self.lex.signal_prepositions:
                start -= 1
            sp = doc[start:end]
            if code == "overnight":  # the night that ends on the reference day
                first, value = ref - dt.timedelta(days=1), f"{(ref - dt.timedelta(days=1)).isoformat()}TNI"
            else:
                first, value = ref, f"{ref.isoformat()}T{code}"
            resolved.append(TimeMention(start=start, end=end, start_char=sp.start_char, end_char=sp.end_char,
                                        text=text[sp.start_char:sp.end_char], first=first, last=ref, value=value,
                                        granularity="part", mod=mod))
        doc._.time_mentions = sorted(mentions + resolved, key=lambda m: (m.start, m.end))
        return doc

    def _part_of_day(self, doc: Doc, start: int, end: int) -> tuple[str | None, str] | None:
        """A part of day on its own ("at dawn", "in the late evening", "overnight", "the evening
        newscast"): its TIMEX3 mod and code ("overnight" for the night before the reference day)."""
        words = [t.lower_ for t in doc[start:end] if t.lower_ not in ("the", "a")]
        mod = None
        if len(words) == 2 and words[0] in ("early", "late"):
            mod = "START" if words[0] == "early" else "END"
            words = words[1:]
        if len(words) != 1:
            return None
        if words[0] == "overnight":
            return mod, "overnight"
        code = self.lex.parts_of_day.get(words[0])
        head = doc[start:end].root
        prep = start > 0 and doc[start - 1].lower_ in ("in", "at", "during", "by", "before", "after", "until")
        # a noun phrase that is not a time ("the night of violence is over") is left out
        ok = prep or head.dep_ in ("compound", "amod", "npadvmod") or words[0] in ("dawn", "dusk", "daybreak", "nightfall")
        return (mod, code) if code and ok else None

    @staticmethod
    def _day_of(doc: Doc, start: int, mentions: list[TimeMention], starts: list[int], dct: dt.date | None,
                story: bool = True) -> dt.date | None:
        """The day a bare part of day belongs to: the nearest day in its sentence ("at dawn on
        Thursday"), else (``story``) the last dated day before it, else the DCT. ``mentions`` are
        sorted by start and ``starts`` are their starts."""
        sent = doc[start].sent
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        same = [m for m in mentions[lo:hi] if m.granularity in ("day", "part") and m.first is not None]
        if same:
            return min(same, key=lambda m: abs(m.start - start)).first
        if story:
            for m in reversed(mentions[: bisect.bisect_left(starts, start)]):
                if m.granularity in ("day", "part") and m.first is not None and m.end <= start:
                    return m.first
        return dct

def _unit_of(ref: dt.date, unit: str, k: int) -> Normalized:
    """The week/month/year ``k`` units from the one holding ``ref``."""
    if unit == "week":
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=k)
        y, w, _ = monday.isocalendar()
        return Normalized(monday, monday + dt.timedelta(days=6), f"{y}-W{w:02d}", "week")
    if unit == "month":
        i = ref.year * 12 + ref.month - 1 + k
        y, mo = i // 12, i % 12 + 1
        first = dt.date(y, mo, 1)
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return Normalized(first, nxt - dt.timedelta(days=1), f"{y:04d}-{mo:02d}", "month")
    y = ref.year + k
    return Normalized(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y:04d}", "year")
