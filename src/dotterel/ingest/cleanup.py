"""Find scraped debris in already-extracted article text.

Debris is never removed from ``Document.text`` (offsets must stay true); instead we return
character ranges that the pipeline blanks out before parsing, so nothing in them is coded.
Recognised: embedded video captions (a title line followed by a line such as
``March 16, 202300:39`` — a date glued to a clip duration), and tails that start with a line
such as ``Related Posts``, ``Read more``, ``More from``, ``Recommended``, plus single
``Advertisement`` lines.
"""

from __future__ import annotations

import re

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_CAPTION_DATE = re.compile(rf"^\s*{_MONTH}\s+\d{{1,2}},\s+\d{{4}}\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*$")
_TAIL = re.compile(
    r"^\s*(related (posts|articles|stories|coverage|content|news)|read more|more from\b.*|recommended( for you)?|"
    r"you may also like|more stories|most read|trending now|sign up for .*newsletter.*|share this( article)?:?)\s*:?\s*$",
    re.IGNORECASE,
)
_SINGLE = re.compile(r"^\s*(advertisement|advertising|skip advertisement|scroll to continue|watch:? .{0,80}|"
                     r"click here .*|\(?photo:? .{0,120}\)?|image:? .{0,120})\s*$", re.IGNORECASE)


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.append((pos, pos + len(body), body))
        pos += len(line)
    return out


def find_debris(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, kind)`` character ranges of debris in ``text``."""
    lines = _lines(text)
    ranges: list[tuple[int, int, str]] = []
    for i, (start, end, body) in enumerate(lines):
        if _CAPTION_DATE.match(body):
            cap_start = start
            # the caption title is the closest non-empty line above
            j = i - 1
            while j >= 0 and not lines[j][2].strip():
                j -= 1
            if j >= 0 and len(lines[j][2].strip()) < 160 and not lines[j][2].rstrip().endswith((".", "”", '"')):
                cap_start = lines[j][0]
            ranges.append((cap_start, end, "video caption"))
        elif _TAIL.match(body) and i > 0:
            ranges.append((start, len(text), "tail: " + body.strip()))
            break
        elif _SINGLE.match(body):
            ranges.append((start, end, "line: " + body.strip()[:40]))
    return ranges


def mask(text: str, ranges: list[tuple[int, int, str]]) -> str:
    """``text`` with every character in ``ranges`` replaced by a space (newlines kept),
    so that offsets into the result are offsets into ``text``."""
    if not ranges:
        return text
    chars = list(text)
    for start, end, _ in ranges:
        for k in range(start, end):
            if chars[k] not in "\r\n":
                chars[k] = " "
    return "".join(chars)
