"""The output contract end to end: every key present, offsets that slice the text, bad input reported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from dotterel.cli import app
from dotterel.ingest import document_from_text
from dotterel.settings import Settings

# Our own wire-style test article (not from any real outlet).
ARTICLE = """Turkish president to visit Azerbaijan next week

ANKARA — Turkish President Recep Tayyip Erdogan will pay an official visit to Azerbaijan from Tuesday to Thursday, his office said on Friday.

“The two leaders will sign agreements on energy and transport,” spokesman Ibrahim Kalin told reporters in Ankara.

Erdogan spoke by phone with Azerbaijani President Ilham Aliyev on Thursday, the office said. He also accused Armenia of violating the ceasefire.

Armenia denied the accusation and said it had not fired on Azerbaijani positions.

Related Posts

Another story about something else
"""

TOP_KEYS = {"doc", "actors", "events", "quotes", "times", "errors"}
EVENT_KEYS = {"id", "event_type", "mode", "context", "cameo", "intensity", "actor", "recipient", "reciprocal", "status",
              "date", "location", "attribution", "sentence", "sentence_text", "trigger", "mentions", "confidence"}


def _coded(coder, text: str = ARTICLE, date: dt.date = dt.date(2023, 3, 17)):
    doc = document_from_text(text, "t1", Settings(), date=date)
    return coder.code(doc)


def test_every_key_and_offsets_slice_the_text(coder) -> None:
    coded = _coded(coder)
    data = json.loads(coded.model_dump_json())
    assert TOP_KEYS <= set(data)
    assert data["doc"]["published"] == "2023-03-17" and data["doc"]["published_basis"] == "user"
    assert data["events"], "the article reports events"
    for e in data["events"]:
        assert EVENT_KEYS <= set(e)
        t = e["trigger"]
        assert ARTICLE[t["start"] : t["end"]] == t["text"]
        for side in e["actor"] + e["recipient"]:
            assert ARTICLE[side["start"] : side["end"]] == side["text"]
        for m in e["mentions"]:
            assert ARTICLE[m["trigger"]["start"] : m["trigger"]["end"]] == m["trigger"]["text"]
    for a in data["actors"]:
        assert ARTICLE[a["start"] : a["end"]] == a["text"]
    for q in data["quotes"]:
        assert ARTICLE[q["start"] : q["end"]] == q["text"]
    for t in data["times"]:
        assert ARTICLE[t["start_char"] : t["end_char"]] == t["text"]


def test_debris_tail_is_not_coded(coder) -> None:
    coded = _coded(coder)
    tail = ARTICLE.index("Related Posts")
    assert all(a.start < tail for a in coded.actors)
    assert any(w.code == "W102" for w in coded.warnings)


def test_the_visit_is_one_planned_event_with_its_dates(coder) -> None:
    coded = _coded(coder)
    visits = [e for e in coded.events if e.event_type == "CONSULT" and e.mode == "visit"]
    assert len(visits) == 1, [(e.trigger.text, e.sentence_text) for e in visits]
    v = visits[0]
    assert v.status == "planned"
    assert [a.country for a in v.actor] == ["TUR"] and "AZE" in [a.country for a in v.recipient]
    assert (v.date.start, v.date.end) == ("2023-03-21", "2023-03-23")
    assert len(v.mentions) == 2  # headline and lede


def test_no_made_up_values_without_a_date(coder) -> None:
    doc = document_from_text("Rebels attacked an army post in the north, killing three soldiers.", "nodate", Settings())
    coded = coder.code(doc)
    assert coded.doc.published is None
    assert all(e.date.basis == "unknown" and e.date.start is None for e in coded.events)
    assert [w.code for w in coded.warnings] == ["W101"]


def test_cli_jsonl_mixed_batch(tmp_path: Path) -> None:
    good = {"id": "good", "text": ARTICLE, "date": "2023-03-17", "title": "Erdogan to visit", "source": "Test Wire"}
    lines = [json.dumps(good), "{broken", json.dumps({"id": "empty", "text": "  "}),
             json.dumps({"id": "good2", "text": "Police arrested 40 protesters in Minsk on Sunday.", "date": "2021-05-02"})]
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(lines), encoding="utf-8")
    db = tmp_path / "out.db"
    result = CliRunner().invoke(app, ["code", "--format", "jsonl", "--db", str(db), str(src)])
    assert result.exit_code == 1, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["doc"]["id"] for r in rows] == ["good", "batch.jsonl:2", "empty", "good2"]
    assert [[e["code"] for e in r["errors"]] for r in rows] == [[], ["E107"], ["E101"], []]
    from dotterel.store import Store

    store = Store(db)
    assert store.count("documents") == 4
    n_events = store.count("events")
    assert n_events >= 1
    # re-coding is idempotent
    again = CliRunner().invoke(app, ["code", "--format", "jsonl", "--db", str(db), str(src)])
    assert again.exit_code == 1
    assert store.count("documents") == 4 and store.count("events") == n_events


def test_cli_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["code", "--model", "no_such_pipeline_xyz", str(p)])
    assert result.exit_code == 2
    assert "E001" in result.output


def test_api_code_text() -> None:
    import dotterel

    coded = dotterel.code_text("Police arrested 40 protesters in Minsk on Sunday.", date="2021-05-02")
    assert isinstance(coded, dotterel.CodedDocument)
    assert coded.doc.id.startswith("doc-")
    assert any(e.event_type == "COERCE" for e in coded.events)
