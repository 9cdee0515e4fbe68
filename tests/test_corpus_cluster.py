"""Cross-document clustering end to end: two articles about the same visit become one cluster."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from dotterel.corpus import run_corpus
from dotterel.settings import Settings
from dotterel.store import Store
from dotterel.store.clusters import cluster_key, group_mentions
from dotterel.store.schema import cluster_mentions, event_clusters

ARTICLES = [
    {"id": "wire-1", "source": "Wire One", "date": "2023-04-06", "url": "https://one.example/macron",
     "text": "French President Emmanuel Macron visited China on Wednesday."},
    {"id": "paper-2", "source": "Paper Two", "date": "2023-04-07", "url": "https://two.example/visit",
     "text": "Emmanuel Macron visited China on Wednesday, the French presidency said."},
]


def test_two_articles_about_the_same_visit_make_one_cluster(tmp_path: Path) -> None:
    src = tmp_path / "visit.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    db = tmp_path / "c.db"
    report = run_corpus([str(src)], db=str(db), shard_size=1, settings=Settings.from_env())  # one shard per article
    assert report.n_docs == 2 and report.n_failed == 0
    store = Store(db)
    with store.engine.connect() as conn:
        visits = conn.execute(select(event_clusters).where(event_clusters.c.event_type == "CONSULT")).all()
        assert len(visits) == 1, [v.cluster_key for v in visits]
        v = visits[0]
        assert v.cluster_key == "CONSULT|FRA>CHN"
        assert (v.n_mentions, v.n_articles, v.n_sources) == (2, 2, 2)
        assert (v.date_start, v.first_seen, v.last_seen) == ("2023-04-05", "2023-04-06", "2023-04-07")
        mentions = conn.execute(select(cluster_mentions).where(cluster_mentions.c.cluster_id == v.id)
                                .order_by(cluster_mentions.c.doc_id)).all()
    assert [(m.doc_id, m.source, m.url) for m in mentions] == [
        ("paper-2", "Paper Two", "https://two.example/visit"), ("wire-1", "Wire One", "https://one.example/macron")]
    for m, art in zip(mentions, reversed(ARTICLES), strict=True):
        assert art["text"][m.trigger_start:m.trigger_end] == m.trigger_text == "visited"
        assert m.sentence == 0 and m.sentence_text == art["text"]
    # coding the same articles again (forced) does not double count
    run_corpus([str(src)], db=str(db), shard_size=1, force=True, settings=Settings.from_env())
    with store.engine.connect() as conn:
        again = conn.execute(select(event_clusters).where(event_clusters.c.event_type == "CONSULT")).all()
    assert [(c.id, c.n_mentions) for c in again] == [(v.id, 2)]
    store.close()


def test_cluster_keys() -> None:
    assert cluster_key("CONSULT", "asserted", False, ["FRA"], ["CHN"], "e1") == "CONSULT|FRA>CHN"
    assert cluster_key("CONSULT", "asserted", False, ["CHN"], ["FRA"], "e1") == "CONSULT|CHN>FRA"
    # reciprocal events: parties as one unordered set
    assert cluster_key("AGREE", "asserted", True, ["PAK"], ["IND"], "e1") == \
        cluster_key("AGREE", "asserted", True, ["IND", "PAK"], [], "e2") == "AGREE|IND+PAK"
    assert cluster_key("ASSAULT", "denied", False, ["RUS"], ["UKR"], "e1") == "!ASSAULT|RUS>UKR"
    assert cluster_key("PROTEST", "asserted", False, [], [], "e9") == "PROTEST|#e9"


def test_grouping_window_caps_chains() -> None:
    def m(eid: str, start: str | None, end: str | None = None) -> dict:
        return {"event_id": eid, "date_start": start, "date_end": end or start}

    days = [m(f"e{d}", f"2023-04-{d:02d}") for d in range(1, 8)]  # a report every day for a week
    groups = group_mentions(list(reversed(days)), window_days=1)
    assert [[x["event_id"] for x in g] for g in groups] == [["e1", "e2", "e3"], ["e4", "e5", "e6"], ["e7"]]
    week = m("w", "2023-04-03", "2023-04-09")  # "this week" overlaps a day inside it
    assert len(group_mentions([week, m("d", "2023-04-06")])) == 1
    assert len(group_mentions([m("u1", None), m("u2", None)])) == 2  # undated: never merged
