"""Validating query parameters shared by the JSON API, the CSV download and the HTML pages.

Every problem raises :class:`WebError` with code E202 and a message naming the parameter."""

from __future__ import annotations

import datetime as dt
import re

from dotterel.errors import ErrorCode, message
from dotterel.records.models import EVENT_TYPES, STATUSES

PERIODS = ("day", "week", "month", "year")
MAX_TEXT = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[A-Za-z0-9_.:-]{1,32}$")

#: HTTP status for each web-facing error code.
STATUS_FOR: dict[str, int] = {
    ErrorCode.NOT_FOUND: 404, ErrorCode.BAD_QUERY: 400, ErrorCode.WRITE_DISABLED: 403,
    ErrorCode.PAYLOAD_TOO_LARGE: 413, ErrorCode.RATE_LIMITED: 429, ErrorCode.STORE_UNAVAILABLE: 503,
}


class WebError(Exception):
    """An error answered as ``{"error": {"code", "message"}}`` (JSON) or an error page (HTML)."""

    def __init__(self, code: ErrorCode | str, msg: str, status: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(msg)
        self.code = str(code)
        self.message = msg
        self.status = status or STATUS_FOR.get(self.code, 400)
        self.headers = headers or {}


def bad(name: str, reason: str) -> WebError:
    return WebError(ErrorCode.BAD_QUERY, message(ErrorCode.BAD_QUERY, name=name, reason=reason))


def not_found(what: str, key: str) -> WebError:
    return WebError(ErrorCode.NOT_FOUND, message(ErrorCode.NOT_FOUND, what=what, key=key))


def text_param(name: str, value: str | None, max_len: int = MAX_TEXT) -> str | None:
    """Empty → None (HTML forms send empty fields); too long → E202."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > max_len:
        raise bad(name, f"longer than {max_len} characters")
    return value


def int_param(name: str, value: str | int | None, default: int, lo: int, hi: int) -> int:
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise bad(name, f"{str(value)[:40]!r} is not a whole number") from None
    if not lo <= n <= hi:
        raise bad(name, f"must be between {lo} and {hi}")
    return n


def date_param(name: str, value: str | None) -> dt.date | None:
    value = text_param(name, value, 32)
    if value is None:
        return None
    if not _DATE.match(value):
        raise bad(name, f"{value!r} is not a date; use YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise bad(name, f"{value!r} is not a valid calendar date") from None


def event_type_param(value: str | None) -> str | None:
    value = text_param("type", value, 32)
    if value is None:
        return None
    if value.upper() not in EVENT_TYPES:
        raise bad("type", f"unknown event type {value!r}; use one of {', '.join(EVENT_TYPES)}")
    return value.upper()


def status_param(value: str | None) -> str | None:
    value = text_param("status", value, 32)
    if value is None:
        return None
    if value.lower() not in STATUSES:
        raise bad("status", f"unknown status {value!r}; use one of {', '.join(STATUSES)}")
    return value.lower()


def period_param(value: str | None) -> str:
    value = (value or "week").strip().lower()
    if value not in PERIODS:
        raise bad("period", f"{value[:20]!r} is not one of {', '.join(PERIODS)}")
    return value


def country_param(name: str, value: str) -> str:
    value = value.strip()
    if not _CODE.match(value):
        raise bad(name, "expected a country code such as USA or RUS")
    return value.upper()
