"""Issue 15: the coder with its fast base pipes (indexed attribute ruler, array lemmatizer) codes, stores
and exports exactly what the coder with spaCy's own pipes does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dotterel.export import export_events
from dotterel.ingest import document_from_text
from dotterel.pipeline import Coder, build_nlp
from dotterel.store import Store

ROOT = Path(__file__).resolve().parents[1]
OWN = [
    "Chinese Foreign Minister Wang Yi met his Russian counterpart in Moscow on Tuesday. "
    "\u201cWe're gonna deepen our cooperation,\u201d Wang said. Police later detained 12 protesters.",
    "There were no talks on Friday, but the two governments said they would meet again next week.",
]


def _documents(coder: Coder) -> list:
    stories = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "gold" / "articles").glob("*.json"))][:6]
    docs = [document_from_text(t, f"own-{k}", coder.settings, date=dt.date(2024, 3, 5)) for k, t in enumerate(OWN)]
    docs += [document_from_text(s["text"], f"story-{k}", coder.settings, date=dt.date.fromisoformat(s["published"]) if s.get("published") else None)
             for k, s in enumerate(stories)]
    return docs


@pytest.fixture(scope="module")
def spacy_coder(coder: Coder) -> Coder:
    return Coder(coder.settings, nlp=build_nlp(coder.settings, fast_pipes=False))


def test_same_output_store_and_exports(coder: Coder, spacy_coder: Coder, tmp_path: Path) -> None:
    assert type(spacy_coder.nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    fast = list(coder.code_documents(_documents(coder)))
    slow = list(spacy_coder.code_documents(_documents(spacy_coder)))
    assert [c.model_dump_json() for c in fast] == [c.model_dump_json() for c in slow]
    assert sum(len(c.events) for c in fast) > 20
    outputs = []
    for name, coded in (("fast", fast), ("slow", slow)):
        store = Store(tmp_path / f"{name}.db")
        for c in coded:
            store.save(c)
        files = {}
        for fmt, suffix in (("plover-jsonl", "jsonl"), ("csv", "csv")):
            path = tmp_path / f"{name}.{suffix}"
            export_events(store, fmt, path)
            files[fmt] = path.read_bytes()
        outputs.append(files)
    assert outputs[0] == outputs[1]
    assert outputs[0]["csv"].count(b"\n") > 20
