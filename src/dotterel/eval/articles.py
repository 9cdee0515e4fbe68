"""Article gold: one JSON object per article, in a directory (or given file by file).

``{id, title, published, source, text,
   events: [{event_type, mode, actor: [codes], recipient: [codes], reciprocal, status,
             date: {start, end}, trigger, sentence, alt_types?}],
   quotes: [{text, kind, speaker, speaker_country}],
   times:  [{text, value, start, end}]}``

``alt_types`` (optional) lists other event types the annotators also accept for the event.
Event types are normalised like sentence gold (PLOVER 0.5b1 names are mapped).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotterel.eval.gsr import GoldFormatError, normalise_code, normalise_event, parse_day
from dotterel.records.models import STATUSES


@dataclass(slots=True)
class GoldEvent:
    event_type: str
    actor: list[str]
    recipient: list[str]
    reciprocal: bool = False
    status: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    trigger: str = ""
    sentence: str = ""
    mode: str | None = None
    alt_types: tuple[str, ...] = ()

    @property
    def types(self) -> tuple[str, ...]:
        return (self.event_type, *self.alt_types)


@dataclass(slots=True)
class GoldQuote:
    text: str
    kind: str | None = None
    speaker: str | None = None
    speaker_country: str | None = None


@dataclass(slots=True)
class GoldTime:
    text: str
    value: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(slots=True)
class GoldArticle:
    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    events: list[GoldEvent] = field(default_factory=list)
    quotes: list[GoldQuote] = field(default_factory=list)
    times: list[GoldTime] = field(default_factory=list)
    path: str | None = None


def is_article(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("text"), str) and "records" not in data and (
        "events" in data or "quotes" in data or "times" in data)


def _codes(value: object) -> list[str]:
    if value in (None, ""):
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list | tuple):
        raise GoldFormatError(f"expected a code or a list of codes, got {value!r}")
    return [c for c in (normalise_code(v) for v in values) if c]


def _event(e: dict[str, Any], where: str) -> GoldEvent:
    status = e.get("status") or None
    if status is not None and status not in STATUSES:
        raise GoldFormatError(f"{where}unknown status {status!r}")
    date = e.get("date") or {}
    if isinstance(date, str):
        date = {"start": date, "end": date}
    return GoldEvent(
        event_type=normalise_event(e.get("event_type"), where=where),
        actor=_codes(e.get("actor")),
        recipient=_codes(e.get("recipient")),
        reciprocal=bool(e.get("reciprocal", False)),
        status=status,
        date_start=date.get("start") or None,
        date_end=date.get("end") or date.get("start") or None,
        trigger=str(e.get("trigger") or ""),
        sentence=str(e.get("sentence") or ""),
        mode=e.get("mode") or None,
        alt_types=tuple(normalise_event(t, where=where) for t in e.get("alt_types") or ()),
    )


def article_from_json(data: object, path: str | None = None) -> GoldArticle:
    if not is_article(data):
        raise GoldFormatError(f"{path or 'article'}: not an article gold file (needs text and events/quotes/times)")
    assert isinstance(data, dict)
    aid = str(data.get("id") or (Path(path).stem if path else "article"))
    where = f"{path or aid}: "
    return GoldArticle(
        id=aid,
        text=data["text"],
        title=data.get("title") or None,
        published=parse_day(data.get("published")),
        source=data.get("source") or None,
        events=[_event(e, f"{where}event {n}: ") for n, e in enumerate(data.get("events") or [])],
        quotes=[GoldQuote(text=str(q["text"]), kind=q.get("kind"), speaker=q.get("speaker") or None,
                          speaker_country=normalise_code(q.get("speaker_country")))
                for q in data.get("quotes") or []],
        times=[GoldTime(text=str(t["text"]), value=t.get("value"), start=t.get("start"), end=t.get("end"))
               for t in data.get("times") or []],
        path=path,
    )


def article_files(path: str | Path) -> list[Path]:
    path = Path(path)
    return sorted(p for p in path.glob("*.json") if p.is_file()) if path.is_dir() else [path]


def load_articles(path: str | Path, limit: int | None = None) -> list[GoldArticle]:
    """The articles in a directory (``*.json``, sorted by name) or one article file."""
    out: list[GoldArticle] = []
    files = article_files(path)
    if limit is not None:
        files = files[:limit]
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise GoldFormatError(f"{f}: {exc}") from exc
        out.append(article_from_json(data, str(f)))
    return out
