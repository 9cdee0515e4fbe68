"""Sentence gold in the PLOVER-GSR format: loading and normalising.

A file is a JSON object ``{"about": ..., "records": [...]}`` or a bare list of records. Each
record has ``id``, ``date``, ``text``, ``event``, ``mode``, ``context``, ``eventText``,
``source`` (a list of ``{actorText, code, sector}``) and ``target`` (such a list, ``""`` or
missing), and optionally Dotterel's extensions ``status``, ``reciprocal``, ``eventDate``
(``"YYYY-MM-DD"`` or ``{"start", "end"}``), ``eventStart``/``eventEnd`` (the trigger's char
span), ``start``/``end`` and ``org`` (the specific body of an IGO/NGO actor, which a coder code
may match as well as ``code``) on actors, and ``traps`` (labels of the difficulties a record tests).

Normalisation:

* event types from PLOVER 0.5b1 are mapped to the current 16 types (:data:`OLD_TYPES`);
  ``"NONE"`` (or an empty event) marks a sentence with no codable event;
* codes are upper-cased; ``""``/``"***"`` mean "no code";
* sectors keep their first three letters (``"REBkur"`` → ``"REB"``); ``""``/``"***"`` → none;
* a text wrapped in ``{...}`` (as in parts of the PLOVER GSR) is unwrapped;
* each actor's character span is its ``start``/``end`` when they are given and cover
  ``actorText``, else ``actorText`` located in the text (case- and whitespace-insensitively);
  the actor-resolution metric compares coded mentions against it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotterel.ingest.checks import parse_date
from dotterel.records.models import EVENT_TYPES, STATUSES

NONE = "NONE"
#: PLOVER 0.5b1 event types and their current equivalents.
OLD_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
NO_CODE = {"", "***", "---", "NONE", "NULL"}


class GoldFormatError(ValueError):
    """A gold file that cannot be read or does not follow the expected format."""


@dataclass(frozen=True, slots=True)
class GoldActor:
    text: str
    code: str | None
    sector: str | None  # three-letter prefix, upper case
    start: int | None = None  # char span of ``text`` in the (normalised) sentence, when found
    end: int | None = None
    org: str | None = None  # the specific body of an IGO/NGO actor (``UNO``, ``EUR``, ...), when given

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes a coder may give this actor: ``code``, and ``org`` when present."""
        return tuple(c for c in (self.code, self.org) if c)


@dataclass(slots=True)
class GoldSentence:
    id: str
    text: str
    event: str  # one of EVENT_TYPES or NONE
    date: dt.date | None = None
    raw_event: str = ""
    mode: str | None = None
    context: str | None = None
    event_text: str = ""
    sources: list[GoldActor] = field(default_factory=list)
    targets: list[GoldActor] = field(default_factory=list)
    status: str | None = None
    reciprocal: bool = False
    event_date: tuple[str | None, str | None] | None = None
    event_span: tuple[int, int] | None = None  # eventStart/eventEnd when the record gives them
    traps: tuple[str, ...] = ()

    @property
    def source_codes(self) -> list[str]:
        return [a.code for a in self.sources if a.code]

    @property
    def target_codes(self) -> list[str]:
        return [a.code for a in self.targets if a.code]

    @property
    def source_parties(self) -> list[tuple[str, ...]]:
        """One tuple of acceptable codes per coded source actor (``code`` and ``org``)."""
        return [a.codes for a in self.sources if a.code]

    @property
    def target_parties(self) -> list[tuple[str, ...]]:
        return [a.codes for a in self.targets if a.code]


def normalise_event(value: object, *, where: str = "") -> str:
    raw = str(value or "").strip().upper()
    if raw in ("", NONE):
        return NONE
    mapped = OLD_TYPES.get(raw, raw)
    if mapped not in EVENT_TYPES:
        raise GoldFormatError(f"{where}unknown event type {value!r}")
    return mapped


def normalise_code(value: object) -> str | None:
    code = str(value or "").strip().upper()
    return None if code in NO_CODE else code


def normalise_sector(value: object) -> str | None:
    sector = str(value or "").strip()
    if sector.upper() in NO_CODE or not sector.strip("*"):
        return None
    return sector[:3].upper()


def unwrap(text: str) -> tuple[str, int]:
    """The text without surrounding white space and ``{...}``, and how many characters were cut
    from its start (to shift offsets given in the record)."""
    inner = text.strip()
    if inner.startswith("{") and inner.endswith("}"):
        inner = inner[1:-1].strip()
    return inner, text.find(inner) if inner else 0


def locate(text: str, phrase: str, start: int = 0) -> tuple[int, int] | None:
    """First occurrence of ``phrase`` in ``text`` at or after ``start``: exact, else ignoring case
    and runs of white space. None when absent."""
    phrase = phrase.strip()
    if not phrase:
        return None
    i = text.find(phrase, start)
    if i >= 0:
        return i, i + len(phrase)
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    m = re.compile(pattern, re.IGNORECASE).search(text, start)
    return (m.start(), m.end()) if m else None


def locate_all(text: str, phrase: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    while (span := locate(text, phrase, pos)) is not None:
        out.append(span)
        pos = span[0] + 1
    return out


def word_spans(text: str, words: str) -> list[tuple[int, int]]:
    """Char spans in ``text`` of each word of ``words`` (case-insensitive, whole words; a word
    may also match as the start of a longer word: "agree" finds "agreed")."""
    spans: list[tuple[int, int]] = []
    for w in words.split():
        w = w.strip(".,;:!?\"'()[]{}")
        if not w:
            continue
        for m in re.finditer(r"(?<![\w-])" + re.escape(w), text, re.IGNORECASE):
            end = m.end()
            while end < len(text) and (text[end].isalnum() or text[end] == "-"):
                end += 1
            spans.append((m.start(), end))
    return spans


def parse_day(value: object) -> dt.date | None:
    """A gold date through the ingest date parser (``YYYY-MM-DD``, optionally followed by a time);
    None when it is missing or unreadable."""
    try:
        return parse_date(value)
    except ValueError:
        return None


def parse_event_date(value: object) -> tuple[str | None, str | None] | None:
    if not value:
        return None
    if isinstance(value, dict):
        s, e = value.get("start"), value.get("end") or value.get("start")
        if not s and not e:
            return None
        return (str(s) if s else None, str(e) if e else None)
    return str(value), str(value)


def _given_span(text: str, start: object, end: object, expected: str, shift: int = 0) -> tuple[int, int] | None:
    """A span given in the record (moved left by ``shift``), if it is valid and covers
    ``expected`` (when given)."""
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    start, end = start - shift, end - shift
    if not 0 <= start < end <= len(text):
        return None
    if expected and " ".join(text[start:end].split()).lower() != " ".join(expected.split()).lower():
        return None
    return start, end


def _actors(value: object, text: str, where: str, shift: int = 0) -> list[GoldActor]:
    if value in (None, ""):
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise GoldFormatError(f"{where}actors must be a list, got {type(value).__name__}")
    out: list[GoldActor] = []
    for a in value:
        if not isinstance(a, dict):
            raise GoldFormatError(f"{where}actor entry is not an object: {a!r}")
        actor_text = str(a.get("actorText") or "").strip()
        span = _given_span(text, a.get("start"), a.get("end"), actor_text, shift) or (locate(text, actor_text) if actor_text else None)
        out.append(GoldActor(text=actor_text, code=normalise_code(a.get("code")), sector=normalise_sector(a.get("sector")),
                             start=span[0] if span else None, end=span[1] if span else None,
                             org=normalise_code(a.get("org"))))
    return out


def sentence_from_record(record: dict[str, Any], n: int = 0) -> GoldSentence:
    rid = str(record.get("id") or f"record-{n}")
    where = f"record {rid}: "
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise GoldFormatError(f"{where}missing text")
    text, shift = unwrap(text)
    status = record.get("status") or None
    if status is not None and status not in STATUSES:
        raise GoldFormatError(f"{where}unknown status {status!r}")
    return GoldSentence(
        id=rid,
        text=text,
        event=normalise_event(record.get("event"), where=where),
        date=parse_day(record.get("date")),
        raw_event=str(record.get("event") or NONE),
        mode=record.get("mode") or None,
        context=record.get("context") or None,
        event_text=str(record.get("eventText") or ""),
        sources=_actors(record.get("source"), text, where, shift),
        targets=_actors(record.get("target"), text, where, shift),
        status=status,
        reciprocal=bool(record.get("reciprocal", False)),
        event_date=parse_event_date(record.get("eventDate")),
        event_span=_given_span(text, record.get("eventStart"), record.get("eventEnd"), "", shift),
        traps=tuple(str(t) for t in record.get("traps") or ()),
    )


def is_gsr(data: object) -> bool:
    """True for a GSR payload: a list of records or an object with ``records``."""
    if isinstance(data, dict):
        return isinstance(data.get("records"), list)
    return isinstance(data, list) and all(isinstance(r, dict) and "text" in r for r in data)


def sentences_from_json(data: object, limit: int | None = None) -> list[GoldSentence]:
    if not is_gsr(data):
        raise GoldFormatError("not a PLOVER-GSR file (expected a list of records or {\"records\": [...]})")
    records: list[Any] = data["records"] if isinstance(data, dict) else data  # type: ignore[assignment]  # is_gsr checked the shape
    if limit is not None:
        records = records[:limit]
    return [sentence_from_record(r, n) for n, r in enumerate(records)]


def load_gsr(path: str | Path, limit: int | None = None) -> list[GoldSentence]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"{path}: {exc}") from exc
    try:
        return sentences_from_json(data, limit)
    except GoldFormatError as exc:
        raise GoldFormatError(f"{path}: {exc}") from exc
