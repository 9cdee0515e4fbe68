"""Checks that decide whether a document can be coded. Each failure is a stable error code."""

from __future__ import annotations

import datetime as dt
import re

from dotterel.errors import ErrorCode, message
from dotterel.records.models import DocError

# The commonest English function words; running English prose has 35–50 % of its words here.
_ENGLISH = frozenset(
    "the of and to a in is was that for on with as by at from it he she they his her their its "
    "be are were has have had not but or an this which who will would said says after over "
    "also been than more into about against new two its one we i you our there when what".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def error(code: ErrorCode, **fields: object) -> DocError:
    return DocError(code=code.value, message=message(code, **fields))


def decode_bytes(data: bytes, max_chars: int) -> tuple[str | None, DocError | None]:
    """Strict UTF-8 decoding (a BOM is dropped) with the binary and size checks."""
    if len(data) > max_chars * 4:
        return None, error(ErrorCode.TOO_LARGE, size=f"more than {len(data) // 4}", limit=max_chars)
    if b"\x00" in data[:65536]:
        return None, error(ErrorCode.BINARY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, error(ErrorCode.BAD_ENCODING, position=exc.start)
    return text, None


def check_text(text: str, max_chars: int, check_language: bool) -> DocError | None:
    """The first problem that stops ``text`` from being coded, or None."""
    if not text or not text.strip():
        return error(ErrorCode.EMPTY)
    if len(text) > max_chars:
        return error(ErrorCode.TOO_LARGE, size=len(text), limit=max_chars)
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in sample or controls > 0.05 * len(sample) or sample.count("\ufffd") > 0.05 * len(sample):
        return error(ErrorCode.BINARY)
    if check_language:
        words = [w.lower() for w in _WORD.findall(sample)]
        if len(words) >= 25:
            share = sum(w in _ENGLISH for w in words) / len(words)
            if share < 0.12:
                return error(ErrorCode.NOT_ENGLISH, share=share)
    return None


def parse_date(value: object) -> dt.date | None:
    """Accept YYYY-MM-DD (optionally followed by a time); raise ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    if not m:
        raise ValueError(s)
    return dt.date(int(m[1]), int(m[2]), int(m[3]))
