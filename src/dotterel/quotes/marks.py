"""Finding quotation spans in raw text (no parsing needed).

Rules:

* Double marks: curly “…”, straight "…" and guillemets «…». Marks pair up inside one paragraph
  (a paragraph ends at a line break). An opening mark must stand at the start of a word (after a
  space, an opening bracket or a dash); a closing mark at the end of one.
* Single marks ‘…’ (and straight '…') are quotations only when they pair up clearly: the opener
  starts a word and is not an elision (‘90s, 'em, 'n'), the closer ends a word and is not a plural
  possessive (the leaders’ summit) when a better closer exists. Apostrophes (Xi’s, don’t) are
  never marks: a ’ between two letters closes nothing and opens nothing. Single-quote spans
  nested in a double-quote span are part of the outer quotation and are not reported.
* Mixed marks: in a paragraph where straight and curly double marks only pair with each other
  ("…” or “…"), all double marks are paired by context alone (as straight marks are).
* Journalistic continuation: a paragraph that opens a quotation without closing it continues
  into the next paragraph when that paragraph starts with an opening mark. Each paragraph's part
  is its own :class:`QuoteSpan` (the text of one span must be contiguous and free of marks);
  the parts share a ``group`` number and all but the last have ``continues=True``. An opening
  mark left unclosed at the end of a paragraph with no continuation runs to the paragraph end.
* The reported text is exactly what stands between the marks, without surrounding spaces:
  punctuation inside the marks is kept (“We will,” he said → ``We will,``; “This is a coup.”
  → ``This is a coup.``), as the quotation is usually cited.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

OPEN_CONTEXT = set(" \t([{—–-/:“‘«\"'") | {""}
ELISIONS = ("em", "n", "til", "cause", "tis", "twas", "bout", "round")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    open: int  # char offset of the opening mark
    close: int | None  # char offset of the closing mark; None when the paragraph ends first
    start: int  # quoted words: first char
    end: int  # quoted words: end (exclusive)
    mark: str  # the opening mark
    group: int  # parts of one quotation continued over paragraphs share this
    continues: bool = False  # the quotation goes on in the next paragraph

    @property
    def outer_end(self) -> int:
        """End of the span including the closing mark (or the paragraph end)."""
        return self.close + 1 if self.close is not None else self.end


def _prev(text: str, i: int, lo: int) -> str:
    return text[i - 1] if i > lo else ""


def _next(text: str, i: int, hi: int) -> str:
    return text[i + 1] if i + 1 < hi else ""


def _can_open(text: str, i: int, lo: int, hi: int) -> bool:
    nxt = _next(text, i, hi)
    return _prev(text, i, lo) in OPEN_CONTEXT and nxt != "" and not nxt.isspace()


def _can_close(text: str, i: int, lo: int, hi: int) -> bool:
    prev, nxt = _prev(text, i, lo), _next(text, i, hi)
    return prev != "" and not prev.isspace() and not nxt.isalnum()


@functools.cache
def _marks(*chars: str) -> re.Pattern[str]:
    """A pattern matching any one of ``chars`` (compiled once per set)."""
    return re.compile("[" + "".join(re.escape(c) for c in dict.fromkeys("".join(chars))) + "]")


def _double_pairs(text: str, lo: int, hi: int, opener: str, closer: str) -> list[tuple[int, int | None]]:
    """Pairs (open, close) of one mark family in the paragraph text[lo:hi]; ``close`` is None
    for a quotation still open at the paragraph end."""
    pairs: list[tuple[int, int | None]] = []
    current = -1
    is_open = False
    for found in _marks(opener, closer).finditer(text, lo, hi):
        i = found.start()
        c = text[i]
        if opener == closer:  # straight marks: decide by context
            if not is_open and _can_open(text, i, lo, hi):
                current, is_open = i, True
            elif is_open and _can_close(text, i, lo, hi):
                pairs.append((current, i))
                is_open = False
            continue
        if c == opener:
            if is_open and _can_close(text, i, lo, hi) and not _can_open(text, i, lo, hi):
                pairs.append((current, i))  # a “ typed for a ”
                is_open = False
            elif not is_open:
                current, is_open = i, True
            else:
                current = i  # a second opener: the first was a stray mark
        else:  # closer
            if is_open:
                pairs.append((current, i))
                is_open = False
            elif _can_open(text, i, lo, hi) and not _can_close(text, i, lo, hi):
                current, is_open = i, True  # a ” typed for a “
    if is_open:
        pairs.append((current, None))
    return pairs


def _single_closer(text: str, i: int, lo: int, hi: int, closer: str) -> int | None:
    """The closing mark for a single-quote opener at ``i``."""
    fallback: int | None = None
    for found in _marks("“«\n", closer).finditer(text, i + 2, min(hi, i + 300)):
        j = found.start()
        if text[j] != closer:
            break  # “ « or a line break
        if not _can_close(text, j, lo, hi):
            continue
        nxt = _next(text, j, hi)
        if text[j - 1] in "sS" and nxt.isspace():
            # "the leaders’ summit": possibly a possessive; keep looking for a better closer
            fallback = fallback if fallback is not None else j
            continue
        return j
    return fallback


def _single_pairs(text: str, lo: int, hi: int, opener: str, closer: str) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    i = lo
    while (i := text.find(opener, i, hi)) >= 0:
        if _can_open(text, i, lo, hi):
            rest = text[i + 1 : i + 8].lower()
            elision = rest[:1].isdigit() or any(rest.startswith(e) and not rest[len(e) : len(e) + 1].isalpha()
                                                for e in ELISIONS)
            if not elision and rest[:1].isalnum():
                j = _single_closer(text, i, lo, hi, closer)
                if j is not None:
                    pairs.append((i, j))
                    i = j + 1
                    continue
        i += 1
    return pairs


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _starts_with_opener(text: str, lo: int, hi: int, marks: str) -> bool:
    k = lo
    while k < hi and text[k].isspace():
        k += 1
    return k < hi and text[k] in marks


DOUBLE_FAMILIES = (("“", "”"), ('"', '"'), ("«", "»"))
SINGLE_FAMILIES = (("‘", "’"), ("'", "'"))


def _mixed(text: str, lo: int, hi: int) -> bool:
    """A paragraph whose double marks only pair up across families ("…” or “…"): both families
    are present and pairing each on its own leaves a quotation open or makes two cross."""
    par = text[lo:hi]
    if '"' not in par or ("“" not in par and "”" not in par):
        return False
    straight = _double_pairs(text, lo, hi, '"', '"')
    curly = _double_pairs(text, lo, hi, "“", "”")
    if any(c is None for _, c in straight + curly) or not straight or not curly:
        return True
    for a, b in straight:
        for c, d in curly:
            assert b is not None and d is not None
            if a < c < b < d or c < a < d < b:
                return True
    return False


_Raw = tuple[int, int | None, int, int, str, bool, int]  # open, close, lo, hi, mark, continues, group


def find_quotes(text: str) -> list[QuoteSpan]:
    """All top-level quotation spans in ``text``, in order."""
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    mixed = {k for k, (lo, hi) in enumerate(paragraphs) if _mixed(text, lo, hi)}
    raw = _mixed_spans(text, paragraphs, mixed)
    for opener, closer in DOUBLE_FAMILIES:
        if opener in text or closer in text:
            raw += _double_spans(text, paragraphs, mixed, opener, closer, len(raw))
    for opener, closer in SINGLE_FAMILIES:
        if opener in text:
            for lo, hi in paragraphs:
                raw += [(o, c, o + 1, c, opener, False, len(raw) + n + 1)
                        for n, (o, c) in enumerate(_single_pairs(text, lo, hi, opener, closer))]
    return _fix_groups(_renumbered(_outermost(text, raw)))


def _mixed_spans(text: str, paragraphs: list[tuple[int, int]], mixed: set[int]) -> list[_Raw]:
    """Paragraphs where straight and curly marks pair with each other: paired by context alone."""
    raw: list[_Raw] = []
    if not mixed:
        return raw
    flat = text.replace("“", '"').replace("”", '"')
    for k in sorted(mixed):
        for o, c in _double_pairs(flat, *paragraphs[k], '"', '"'):
            raw.append((o, c, o + 1, c if c is not None else paragraphs[k][1], text[o], False, len(raw) + 1))
    return raw


def _double_spans(text: str, paragraphs: list[tuple[int, int]], mixed: set[int], opener: str, closer: str,
                  group: int) -> list[_Raw]:
    """Quotations of one double-mark family; group numbers continue from ``group``. A quotation
    left open at a paragraph's end goes on when the next paragraph opens with the same mark."""
    raw: list[_Raw] = []
    carry: int | None = None  # group of a quotation continued from the previous paragraph
    for k, (lo, hi) in enumerate(paragraphs):
        if k in mixed:
            carry = None
            continue
        cont = carry is not None and _starts_with_opener(text, lo, hi, opener)
        carry_next: int | None = None
        for n, (o, c) in enumerate(_double_pairs(text, lo, hi, opener, closer)):
            g = carry if (cont and n == 0) else None
            if g is None:
                group += 1
                g = group
            goes_on = c is None and k + 1 < len(paragraphs) and _starts_with_opener(text, *paragraphs[k + 1], opener)
            raw.append((o, c, o + 1, c if c is not None else hi, opener, goes_on, g))
            if goes_on:
                carry_next = g
        carry = carry_next
    return raw


def _outermost(text: str, raw: list[_Raw]) -> list[QuoteSpan]:
    """Keep outermost spans; a span overlapping an earlier, longer one is dropped."""
    raw.sort(key=lambda r: (r[0], -(r[1] if r[1] is not None else r[3])))
    spans: list[QuoteSpan] = []
    last_end = -1
    for o, c, s, e, mark, goes_on, g in raw:
        outer = c + 1 if c is not None else e
        if o < last_end:
            continue
        start, end = _trim(text, s, e)
        if end <= start:
            continue
        spans.append(QuoteSpan(open=o, close=c, start=start, end=end, mark=mark, group=g, continues=goes_on))
        last_end = outer
    return spans


def _renumbered(spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """Group numbers made dense, in text order."""
    renumber: dict[int, int] = {}
    out = []
    for sp in spans:
        g = renumber.setdefault(sp.group, len(renumber))
        out.append(QuoteSpan(sp.open, sp.close, sp.start, sp.end, sp.mark, g, sp.continues))
    return out


def _fix_groups(spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """A part marked ``continues`` whose continuation was dropped ends the quotation."""
    out: list[QuoteSpan] = []
    for k, sp in enumerate(spans):
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        if sp.continues and (nxt is None or nxt.group != sp.group):
            sp = QuoteSpan(sp.open, sp.close, sp.start, sp.end, sp.mark, sp.group, False)
        out.append(sp)
    return out
