"""The CI quality gate: the real coder on the project's own gold must meet every floor in
gold/baseline.json. A change that makes the coder worse fails here; raising a floor after an
improvement is a deliberate edit of gold/baseline.json (see its "note")."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dotterel.eval.article_score import score_articles
from dotterel.eval.gate import check, load_baseline
from dotterel.eval.score import load_gold
from dotterel.eval.sentence_score import score_sentences

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "gold" / "baseline.json"


@pytest.fixture(scope="module")
def coded(coder) -> dict[str, tuple[object, list]]:
    """set name → (gold set, coded documents), coded once with the real coder (the session's
    ``coder`` fixture from conftest.py: default Settings)."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    out = {}
    for name, rel in baseline["sets"].items():
        gold = load_gold(ROOT / rel)
        docs = list(coder.code_documents(_documents(gold)))
        out[name] = (gold, docs)
    return out


def _documents(gold):
    from dotterel.eval.score import article_documents, sentence_documents

    return sentence_documents(gold.items) if gold.kind == "sentences" else article_documents(gold.items)


def _score(gold, docs):
    if gold.kind == "sentences":
        return score_sentences(gold.items, docs, name=gold.name)
    return score_articles(gold.items, docs, name=gold.name)


def test_baseline_covers_the_project_gold() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    floors = load_baseline(BASELINE)
    assert "deliberate" in baseline["note"]
    assert set(baseline["sets"]) == set(floors) and {"sentences-dev", "sentences-test", "articles-dev", "articles-test"} <= set(floors)
    for name, rel in baseline["sets"].items():
        assert (ROOT / rel.split("#")[0]).exists(), f"{name}: {rel} is missing"
        assert floors[name], f"{name}: no floors"


def test_every_metric_meets_its_floor(coded) -> None:
    floors = load_baseline(BASELINE)
    values = {name: _score(gold, docs).values() for name, (gold, docs) in coded.items()}
    failures = check(values, floors)
    assert not failures, "quality gate: " + "; ".join(f.describe() for f in failures)


def test_coder_did_not_fail_on_gold(coded) -> None:
    broken = [f"{d.doc.id}: {d.errors}" for _, docs in coded.values() for d in docs if d.errors]
    assert not broken


def test_gate_catches_a_broken_rule(coded) -> None:
    """Dropping every event of the most frequent gold type (as if its lexicon rules broke)
    must take some metric below its floor."""
    floors = load_baseline(BASELINE)
    gold, docs = coded["sentences-dev"]
    common = Counter(g.event for g in gold.items if g.event != "NONE").most_common(1)[0][0]
    broken = [d.model_copy(update={"events": [e for e in d.events if e.event_type != common]}) for d in docs]
    values = {"sentences-dev": score_sentences(gold.items, broken, name="sentences-dev").values()}
    assert check(values, {"sentences-dev": floors["sentences-dev"]}), f"removing all {common} events went unnoticed"
