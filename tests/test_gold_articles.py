"""Checks on the hand-annotated evaluation articles (gold/articles/) and the bundled examples.

These tests only validate the data files (format, spans, codes, dates); they do not run the
coder. See gold/articles/README.md for the annotation guidelines.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "gold" / "articles"
EXAMPLES_DIR = ROOT / "src" / "dotterel" / "examples"

EVENT_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
# PLOVER modes per event type (PLOVER manual); "" means no mode.
MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
               "withhold", "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
                "crowd-control", "unconventional"},
}
STATUSES = {"asserted", "planned", "reported", "hypothetical", "negated", "denied", "unconfirmed"}
QUOTE_KINDS = {"direct", "partial", "indirect"}
ORG_CODES = {"UNO", "NATO", "EUR", "IGO", "NGO", "MNC", "INT"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def is_date(s: object) -> bool:
    if not isinstance(s, str) or not ISO_DATE.match(s):
        return False
    try:
        dt.date.fromisoformat(s)
    except ValueError:
        return False
    return True


def is_code(code: object) -> bool:
    return isinstance(code, str) and (code in ORG_CODES or re.fullmatch(r"[A-Z]{3}", code) is not None)


def value_range(value: str) -> tuple[str, str]:
    """Start and end day of a TIMEX3-style value (day, ISO week, month, year, or a/b range)."""
    if "/" in value:
        a, b = value.split("/")
        return value_range(a)[0], value_range(b)[1]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        dt.date.fromisoformat(value)
        return value, value
    m = re.fullmatch(r"(\d{4})-W(\d{2})", value)
    if m:
        start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return start.isoformat(), (start + dt.timedelta(days=6)).isoformat()
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m:
        y, mo = int(m[1]), int(m[2])
        last = calendar.monthrange(y, mo)[1]
        return f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{last:02d}"
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-01-01", f"{value}-12-31"
    raise ValueError(f"unsupported time value {value!r}")


# --------------------------------------------------------------------------- gold articles


def test_at_least_14_gold_articles():
    assert len(gold_files()) >= 14


def test_gold_ids_unique_and_match_file_names():
    ids = []
    for path in gold_files():
        doc = load(path)
        ids.append(doc["id"])
        m = re.fullmatch(r"DOT-A-(\d{3})", doc["id"])
        assert m, f"{path.name}: bad id {doc['id']!r}"
        assert re.fullmatch(r"\d{3}-[a-z0-9-]+\.json", path.name), path.name
        assert path.name.startswith(m[1] + "-"), f"{path.name} does not match id {doc['id']}"
    assert len(ids) == len(set(ids)), "duplicate article ids"


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: p.stem)
def test_gold_article(path: Path):
    doc = load(path)
    for key in ("id", "title", "published", "source", "text", "events", "quotes", "times", "notes"):
        assert key in doc, f"missing {key}"
    text = doc["text"]
    assert isinstance(text, str) and text
    assert is_date(doc["published"]), doc["published"]
    assert doc["source"] == "Dotterel Gold"

    # Shape of the text: headline line, blank line, dateline paragraph "CITY — ...".
    lines = text.split("\n")
    assert lines[0] == doc["title"], "title must be the first line of text"
    assert lines[1] == "", "headline must be followed by a blank line"
    assert re.match(r"^[A-Z][A-Z .'’-]+(, [A-Za-z .'’-]+)? — \S", lines[2]), f"no dateline: {lines[2][:40]!r}"
    assert '"' not in text, "use typographic quotes (“ ”) in text"
    assert 200 <= len(text.split()) <= 450, f"length {len(text.split())} words"

    # Events.
    assert doc["events"], "no events"
    for ev in doc["events"]:
        where = f"event {ev.get('event_type')} {ev.get('trigger')!r}"
        assert ev["event_type"] in EVENT_TYPES, where
        assert isinstance(ev["mode"], str), where
        assert ev["mode"] == "" or ev["mode"] in MODES.get(ev["event_type"], set()), where
        for alt in ev.get("alt_types", []):
            assert alt in EVENT_TYPES and alt != ev["event_type"], where
        assert isinstance(ev["actor"], list) and isinstance(ev["recipient"], list), where
        for code in ev["actor"] + ev["recipient"]:
            assert is_code(code), f"{where}: bad code {code!r}"
        assert isinstance(ev["reciprocal"], bool), where
        if ev["reciprocal"]:
            assert ev["recipient"] == [] and len(ev["actor"]) >= 1, f"{where}: reciprocal events list all parties as actor"
        assert ev["status"] in STATUSES, where
        assert is_date(ev["date"]["start"]) and is_date(ev["date"]["end"]), where
        assert ev["date"]["start"] <= ev["date"]["end"], where
        assert ev["trigger"] and ev["trigger"] in text, f"{where}: trigger not in text"
        assert ev["sentence"] and ev["sentence"] in text, f"{where}: sentence not in text"
        assert ev["trigger"] in ev["sentence"], f"{where}: trigger not in its sentence"
        assert "\n" not in ev["sentence"], f"{where}: sentence spans paragraphs"

    # Quotes.
    for q in doc["quotes"]:
        where = f"quote {q.get('text', '')[:40]!r}"
        assert q["text"] and q["text"] in text, f"{where}: not in text"
        assert q["kind"] in QUOTE_KINDS, where
        assert isinstance(q["speaker"], str) and q["speaker"].strip(), where
        assert is_code(q["speaker_country"]), where
        if q["kind"] in ("direct", "partial"):
            # The quoted words sit right after an opening mark and exclude the marks themselves.
            assert not q["text"].startswith("“") and not q["text"].endswith("”"), where
            i = text.index(q["text"])
            assert text[i - 1] == "“", f"{where}: not preceded by an opening quotation mark"

    # Times.
    for t in doc["times"]:
        where = f"time {t.get('text')!r}"
        assert t["text"] and t["text"] in text, f"{where}: not in text"
        assert is_date(t["start"]) and is_date(t["end"]) and t["start"] <= t["end"], where
        assert value_range(t["value"]) == (t["start"], t["end"]), f"{where}: value/start/end disagree"


def test_gold_statuses_and_types_are_varied():
    docs = [load(p) for p in gold_files()]
    statuses = {ev["status"] for d in docs for ev in d["events"]}
    types = {ev["event_type"] for d in docs for ev in d["events"]}
    assert statuses == STATUSES, f"missing statuses: {STATUSES - statuses}"
    assert len(types) >= 14, f"only {len(types)} event types used"
    years = {d["published"][:4] for d in docs}
    assert min(years) <= "1999" and max(years) >= "2020"


# --------------------------------------------------------------------------- bundled examples


def example_records() -> list[dict]:
    path = EXAMPLES_DIR / "examples.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_examples_jsonl():
    records = example_records()
    assert len(records) == 5
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    for r in records:
        for key in ("id", "path", "date", "title", "source", "url"):
            assert key in r, f"{r.get('id')}: missing {key}"
        assert is_date(r["date"]), r
        assert r["source"]
        path = EXAMPLES_DIR / r["path"]
        assert path.is_file(), f"missing example file {path}"
        assert path.stem == r["id"]
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        assert lines[0].strip() and lines[1] == "", f"{path.name}: headline line then blank line"
        assert lines[0] == r["title"], f"{path.name}: title differs from headline"
        assert " — " in lines[2], f"{path.name}: third line should be the dateline paragraph"
        assert '"' not in text, f"{path.name}: use typographic quotes"
        assert 150 <= len(text.split()) <= 350, f"{path.name}: {len(text.split())} words"
