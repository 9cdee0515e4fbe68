"""Find a publication date written in the text itself (a dateline or a byline date)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping

from dotterel.words import english_words


@functools.cache
def _patterns() -> tuple[Mapping[str, int], str, tuple[re.Pattern[str], ...]]:
    """Month numbers, the month-name alternation and the full-date patterns, from the built-in
    English word file (``english/words.toml`` [months]), built once per process."""
    words = english_words()
    mon = words.month_pattern()
    return words.month_numbers, mon, (
        re.compile(rf"\b({mon})\s+(\d{{1,2}}),?\s+(\d{{4}})\b"),  # March 17, 2023
        re.compile(rf"(?<!\d)(\d{{1,2}})\s+({mon})\s+(\d{{4}})\b"),  # 17 March 2023, also glued to a byline ("Writer17 March 2023")
        re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),  # 2023-03-17
    )


def find_dateline(text: str, skip: list[tuple[int, int, str]], head_chars: int = 400) -> dt.date | None:
    """The first full date in the opening ``head_chars`` characters outside ``skip`` ranges."""
    months, _, patterns = _patterns()
    head = text[:head_chars]
    found: list[tuple[int, dt.date]] = []
    for k, pat in enumerate(patterns):
        for m in pat.finditer(head):
            if any(s <= m.start() < e for s, e, _ in skip):
                continue
            try:
                if k == 0:
                    d = dt.date(int(m[3]), months[m[1].lower().rstrip(".")], int(m[2]))
                elif k == 1:
                    d = dt.date(int(m[3]), months[m[2].lower().rstrip(".")], int(m[1]))
                else:
                    d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except (ValueError, KeyError):
                continue
            found.append((m.start(), d))
    return min(found)[1] if found else None


#: a dateline opening a paragraph: a place (with optional region or date) and optionally the agency in
#: parentheses, then a dash ("MOSCOW, March 3 (Reuters) -", "SARAJEVO, Bosnia-Herzegovina —",
#: "Rio de Janeiro, 3 August 2020 (dpa/MIA) –")
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Za-z .'\u2019-]{1,40}?)(?P<rest>,[^\n\u2013\u2014]{1,60}?)?\s*"
    r"(?P<agency>\([^()\n]{1,30}\))?\s*(?P<dash>[\u2013\u2014]|--|-)\s")


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of paragraph-opening datelines (up to and including the dash). A prefix counts
    only with evidence that it is a dateline and not the start of a sentence broken by a dash: an
    agency in parentheses, a place in capitals, or a date after the place."""
    out = []
    for m in _DATELINE.finditer(text):
        place, rest, agency = m["place"].strip(), m["rest"] or "", m["agency"]
        caps = place.isupper() and len(place) > 2
        dated = bool(re.search(rf"\d|{_patterns()[1]}", rest))
        if m["dash"] == "-" and not agency:
            continue  # a spaced hyphen alone is too common inside sentences
        if agency or caps or dated:
            out.append((m.start("place"), m.end("dash")))
    return out
