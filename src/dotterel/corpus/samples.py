"""Synthetic material for tests, demos and benchmarks: short news-like articles (including
the bad inputs a real corpus has), and hand-made :class:`CodedDocument` records that can be
stored without running the model."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from pathlib import Path

from dotterel.records.models import (
    CodedDocument,
    DateRecord,
    DocError,
    DocMeta,
    EventMentionRecord,
    EventRecord,
    LocationRecord,
    SideActor,
    TriggerRecord,
)

#: (demonym, country name, ISO code) for the synthetic articles.
COUNTRIES = (
    ("French", "France", "FRA"), ("Chinese", "China", "CHN"), ("Russian", "Russia", "RUS"),
    ("Ukrainian", "Ukraine", "UKR"), ("German", "Germany", "DEU"), ("Indian", "India", "IND"),
    ("Pakistani", "Pakistan", "PAK"), ("Japanese", "Japan", "JPN"), ("Brazilian", "Brazil", "BRA"),
    ("Turkish", "Turkey", "TUR"),
)
TEMPLATES = (
    "{d1} President {p} visited {c2} on {wd}, officials said.",
    "{c1} accused {c2} of violating the agreement on {wd}.",
    "The foreign ministers of {c1} and {c2} met in Geneva on {wd} to discuss trade.",
    "{c1} imposed new sanctions on {c2} on {wd}, the government said.",
    "{d1} troops attacked positions held by {c2} near the border on {wd}.",
    "{c1} threatened {c2} with retaliation over the dispute on {wd}.",
)
NON_ENGLISH = ("Der Präsident besuchte gestern die Hauptstadt und sprach mit dem Minister über die Lage im Land, "
               "die Wirtschaft, die Grenze und die Zukunft der Beziehungen zwischen beiden Staaten nach langen "
               "Gesprächen in der Nacht.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def article(i: int, rng: random.Random, start: dt.date = dt.date(2023, 3, 6), prefix: str = "a") -> dict:
    """One short synthetic article as a JSONL record (``id``, ``text``, ``date``, ``source``)."""
    (d1, c1, _), (_, c2, _) = rng.sample(COUNTRIES, 2)
    published = start + dt.timedelta(days=rng.randrange(0, 28))
    wd = WEEKDAYS[rng.randrange(len(WEEKDAYS))]
    sents = [rng.choice(TEMPLATES).format(d1=d1, c1=c1, c2=c2, wd=wd, p=f"Leader{i}") for _ in range(rng.randint(1, 3))]
    sents.append(f"Item {prefix}{i} was reported by correspondents.")
    return {"id": f"{prefix}{i:05d}", "text": " ".join(sents), "date": published.isoformat(), "source": f"wire{i % 4}",
            "url": f"https://news.example/{i}"}


def write_jsonl_corpus(path: Path, n: int, *, seed: int = 7, bad: bool = True, prefix: str = "a") -> int:
    """Write ``n`` articles to ``path`` (plain or ``.gz``); with ``bad``, also an empty text, an
    invalid JSON line, a non-English text and a record without text. Returns the number of
    documents the file holds (one per non-empty line)."""
    import gzip

    rng = random.Random(seed)
    lines = [json.dumps(article(i, rng, prefix=prefix)) for i in range(n)]
    if bad:
        lines[len(lines) // 3:len(lines) // 3] = [
            json.dumps({"id": "bad-empty", "text": "   ", "date": "2023-03-10"}),
            "{not valid json",
            json.dumps({"id": "bad-german", "text": NON_ENGLISH, "date": "2023-03-11"}),
            json.dumps({"id": "bad-notext", "title": "no text here"}),
        ]
    data = ("\n".join(lines) + "\n").encode()
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return len(lines)


def write_text_dir(folder: Path, n: int, *, seed: int = 11, html: int = 0) -> int:
    """``n`` .txt articles (with a dateline) and ``html`` .html pages in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(n):
        rec = article(10_000 + i, rng)
        (folder / f"t{i:03d}.txt").write_text(f"GENEVA, {rec['date']} - {rec['text']}\n", encoding="utf-8")
    for i in range(html):
        rec = article(20_000 + i, rng)
        body = "".join(f"<p>{s}.</p>" for s in rec["text"].split(". ") if s)
        (folder / f"h{i:03d}.html").write_text(
            f"<html><head><title>Story {i}</title><meta name='date' content='{rec['date']}'></head>"
            f"<body><article><h1>Story {i}</h1>{body}<p>More details will follow as the story develops "
            f"and officials release further statements to the press.</p></article></body></html>", encoding="utf-8")
    return n + html


def side(country: str | None, name: str | None = None, sector: str | None = "GOV", text: str | None = None,
         start: int = 0) -> SideActor:
    label = text or name or country or "someone"
    return SideActor(text=label, start=start, end=start + len(label), name=name or country, country=country,
                     sector=sector, id=f"country:{country}" if country else None)


def event(doc_id: str, k: int, event_type: str = "CONSULT", actor: str | None = "FRA", recipient: str | None = "CHN", *,
          date: str | None = "2023-04-05", date_end: str | None = None, cameo: str = "042", quad_class: int = 1,
          intensity: float = 1.9, status: str = "asserted", reciprocal: bool = False, sentence_text: str | None = None,
          confidence: float = 0.85, extra_actors: tuple[str, ...] = ()) -> EventRecord:
    """A hand-made event: the ``k``-th of document ``doc_id``."""
    text = sentence_text or f"{actor or 'Someone'} did {event_type.lower()} to {recipient or 'someone'}."
    t0 = k * 100 + 5
    eid = hashlib.sha1(f"{doc_id}|{t0}|{event_type}".encode()).hexdigest()[:16]
    trig = TriggerRecord(text=event_type.lower(), start=t0, end=t0 + len(event_type))
    return EventRecord(
        id=eid, event_type=event_type, mode=None, context=[], cameo=cameo, intensity=intensity, quad_class=quad_class,
        actor=[side(c) for c in (actor, *extra_actors) if c] if actor else [],
        recipient=[side(recipient)] if recipient else [], reciprocal=reciprocal, status=status,
        date=DateRecord(start=date, end=date_end or date, text=None, basis="explicit" if date else "unknown"),
        location=LocationRecord(name="Geneva", country="CHE", start=0, end=6) if k == 0 else None,
        attribution=None, sentence=k, sentence_text=text, trigger=trig,
        mentions=[EventMentionRecord(sentence=k, sentence_text=text, trigger=trig)], confidence=confidence,
    )


def coded_document(doc_id: str, events: list[EventRecord] | None = None, *, published: str | None = "2023-04-06",
                   source: str | None = "wire", url: str | None = None, title: str | None = None,
                   errors: list[tuple[str, str]] | None = None, text: str | None = None) -> tuple[CodedDocument, str]:
    """A (CodedDocument, text) pair ready for :meth:`Store.save_many`."""
    evs = events or []
    body = text if text is not None else " ".join(e.sentence_text for e in evs) or f"text of {doc_id}"
    meta = DocMeta(id=doc_id, title=title or f"Title {doc_id}", published=published,
                   published_basis="input" if published else "unknown", source=source,
                   url=url or f"https://news.example/{doc_id}",
                   content_hash=hashlib.sha256(body.encode()).hexdigest()[:32] if body else None)
    return CodedDocument(doc=meta, events=evs, errors=[DocError(code=c, message=m) for c, m in (errors or [])]), body
