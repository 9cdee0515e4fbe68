"""The store contract on a real SQLite file: round trip, idempotent re-save, event filters,
dyad timeline and cross-document clustering. ``tests/test_store_postgres.py`` runs the same
tests against PostgreSQL (it imports them and supplies its own ``store`` fixture)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from dotterel.corpus.samples import coded_document, event
from dotterel.errors import DotterelError
from dotterel.store import EventQuery, Store
from dotterel.store.clusters import rebuild_clusters, update_clusters
from dotterel.store.schema import cluster_mentions, event_clusters


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "store.db")
    yield s
    s.close()


def sample_docs() -> list:
    """Five hand-made documents: a visit reported twice, a sanction, a reciprocal agreement in
    two forms, a denied attack, and one failed document."""
    return [
        coded_document("visit-a", [event("visit-a", 0, "CONSULT", "FRA", "CHN", date="2023-04-05",
                                         sentence_text="Macron visited China on Wednesday."),
                                   event("visit-a", 1, "SANCTION", "USA", "RUS", date="2023-04-06", cameo="163",
                                         quad_class=4, intensity=-8.0, sentence_text="The US sanctioned Russia.")],
                       published="2023-04-06", source="Wire A"),
        coded_document("visit-b", [event("visit-b", 0, "CONSULT", "FRA", "CHN", date="2023-04-06",
                                         sentence_text="The French president arrived in Beijing for a visit.",
                                         confidence=0.9)],
                       published="2023-04-07", source="Paper B"),
        coded_document("deal-1", [event("deal-1", 0, "AGREE", "IND", "PAK", date="2023-05-02", cameo="057",
                                        reciprocal=True, sentence_text="India signed a deal with Pakistan.")],
                       published="2023-05-02", source="Wire A"),
        coded_document("deal-2", [event("deal-2", 0, "AGREE", "PAK", None, date="2023-05-03", cameo="057",
                                        reciprocal=True, extra_actors=("IND",),
                                        sentence_text="Pakistan and India signed a deal.")],
                       published="2023-05-03", source="Wire C"),
        coded_document("denial", [event("denial", 0, "ASSAULT", "RUS", "UKR", date="2023-04-05", cameo="190",
                                        quad_class=4, intensity=-10.0, status="denied",
                                        sentence_text="Russia denied it attacked Ukraine.")],
                       published="2023-04-05", source="Wire A"),
        coded_document("broken", [], published=None, source=None, errors=[("E106", "not English")], text="nicht englisch"),
    ]


def saved(store: Store) -> Store:
    store.save_many(sample_docs())
    return store


def test_round_trip(store: Store) -> None:
    docs = sample_docs()
    assert store.save_many(docs) == len(docs)
    for coded, text in docs:
        got = store.document(coded.doc.id)
        assert got is not None
        assert got[0] == coded and got[1] == text
    assert store.document("nope") is None
    assert store.count("documents") == 6 and store.count("events") == 6
    broken = next(d for d in store.documents(limit=10) if d.id == "broken")
    assert broken.failed and broken.errors[0]["code"] == "E106"


def test_resave_is_idempotent_and_replaces(store: Store) -> None:
    saved(store)
    saved(store)
    assert store.count("documents") == 6 and store.count("events") == 6 and store.count("event_parties") == 12
    # re-coding one document with different results replaces its rows
    coded, text = coded_document("visit-a", [event("visit-a", 3, "ACCUSE", "FRA", "DEU", cameo="112")],
                                 published="2023-04-06", text="changed text")
    store.save(coded, text)
    assert store.count("documents") == 6 and store.count("events") == 5
    assert [e.event.event_type for e in store.events(EventQuery(doc_id="visit-a"))] == ["ACCUSE"]
    # the same text under another id is another document (a syndicated copy): both are kept
    dup, text = coded_document("visit-a-copy", [event("visit-a-copy", 0, "ACCUSE", "FRA", "DEU")], text="changed text")
    store.save(dup, text)
    assert store.document("visit-a") is not None and store.document("visit-a-copy") is not None
    assert store.count("documents") == 7


def test_same_text_different_ids_are_all_kept_in_one_batch_or_several(store: Store) -> None:
    """Syndicated wire copies: one text, three ids, each with its own source and URL, saved in
    one batch and in separate batches, give the same rows; clusters count them as sources."""
    body = "Ministers from Norway and Chile signed a fishing accord in Oslo on Tuesday."

    def copies() -> list:
        return [coded_document(f"wire-{k}", [event(f"wire-{k}", 0, "AGREE", "NOR", "CHL", date="2023-06-06",
                                                   cameo="057", sentence_text=body)],
                               source=f"Paper {k}", url=f"https://paper{k}.example/accord", text=body)
                for k in "xyz"]

    def dump(s: Store) -> list:
        return sorted((d.id, d.source, s.document(d.id)[0].doc.url, d.n_events) for d in s.documents(limit=10))

    store.save_many(copies())
    one_batch = dump(store)
    assert [r[0] for r in one_batch] == ["wire-x", "wire-y", "wire-z"]
    assert {r[1] for r in one_batch} == {"Paper x", "Paper y", "Paper z"} and store.count("events") == 3
    for item in copies():  # as if each copy came in its own shard
        store.save_many([item])
    assert dump(store) == one_batch and store.count("events") == 3
    update_clusters(store)
    (cluster,) = store.clusters()
    assert (cluster["n_mentions"], cluster["n_articles"], cluster["n_sources"]) == (3, 3, 3)


def test_long_document_ids_are_kept(store: Store) -> None:
    """URLs as ids: far over 255 characters, and over the store's key limit, on every store."""
    from dotterel.store.schema import MAX_ID_BYTES, storage_id

    long_url = "https://news.example/" + "/".join(f"section-{i}" for i in range(40)) + "?ref=feed"
    huge_url = long_url + "&q=" + "é" * MAX_ID_BYTES
    assert 255 < len(long_url.encode()) <= MAX_ID_BYTES < len(huge_url.encode())
    docs = [coded_document(u, [event(u, 0, "CONSULT", "FRA", "CHN")], url=u) for u in (long_url, huge_url)]
    assert store.save_many(docs) == 2
    assert store.document(long_url)[0].doc.id == long_url
    key = storage_id(huge_url)
    assert key != huge_url and len(key.encode()) <= MAX_ID_BYTES and key == storage_id(huge_url)
    got = store.document(huge_url)
    assert got is not None and got[0].doc.id == key and got[0].doc.url == huge_url
    assert {e.doc_id for e in store.events(EventQuery(doc_id=huge_url))} == {key}
    assert store.save_many(docs) == 2 and store.count("documents") == 2  # idempotent
    update_clusters(store, [long_url, huge_url])
    assert sum(c["n_articles"] for c in store.clusters()) == 2


def test_event_filters(store: Store) -> None:
    saved(store)

    def ids(**kw: object) -> list[str]:
        return sorted(s.doc_id for s in store.events(EventQuery(**kw)))

    assert ids(actor="FRA") == ["visit-a", "visit-b"]
    assert ids(actor="fra", recipient="CHN") == ["visit-a", "visit-b"]
    assert ids(recipient="RUS") == ["visit-a"]
    assert ids(actor="IND") == ["deal-1", "deal-2"]
    assert ids(event_type="agree") == ["deal-1", "deal-2"]
    assert ids(status="denied") == ["denial"]
    assert ids(date_from=dt.date(2023, 5, 1)) == ["deal-1", "deal-2"]
    assert ids(date_to=dt.date(2023, 4, 5)) == ["denial", "visit-a"]
    assert ids(text="Beijing") == ["visit-b"]
    assert ids(min_confidence=0.88) == ["visit-b"]
    assert len(store.events(EventQuery(limit=2))) == 2
    assert len(store.events(EventQuery(limit=100, offset=4))) == 2
    assert sum(1 for _ in store.iter_events(batch=2)) == 6
    # results come in date order
    dates = [s.event.date.start for s in store.events()]
    assert dates == sorted(dates)


def test_dyad_timeline(store: Store) -> None:
    saved(store)
    extra = coded_document("more", [event("more", k, "ASSAULT", "RUS", "UKR", date=f"2023-0{m}-1{k}", cameo="190",
                                          quad_class=4, intensity=-10.0 + k) for k, m in ((0, 4), (1, 4), (2, 6))]
                           + [event("more", 3, "CONSULT", "UKR", "RUS", date="2023-04-20")], text="more text")
    store.save(*extra)
    points = store.dyad_timeline("rus", "ukr", period="month")
    assert [(p.period, p.quad_class, p.count, p.mean_intensity) for p in points] == [
        ("2023-04", 1, 1, 1.9), ("2023-04", 4, 3, -9.667), ("2023-06", 4, 1, -8.0)]
    one_way = store.dyad_timeline("RUS", "UKR", period="year", both_directions=False)
    assert [(p.period, p.quad_class, p.count) for p in one_way] == [("2023", 4, 4)]
    weeks = store.dyad_timeline("RUS", "UKR", period="week")
    assert weeks[0].period == "2023-W14"
    with pytest.raises(DotterelError) as err:
        store.dyad_timeline("RUS", "UKR", period="decade")
    assert err.value.code.value == "E202"


def clusters(store: Store) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(event_clusters).order_by(event_clusters.c.cluster_key,
                                                                                        event_clusters.c.date_start))]


def test_clustering_merges_mentions_across_documents(store: Store) -> None:
    saved(store)
    assert update_clusters(store, ["visit-a", "visit-b", "deal-1", "deal-2", "denial", "broken"]) > 0
    cs = {c["cluster_key"]: c for c in clusters(store)}
    visit = cs["CONSULT|FRA>CHN"]
    assert (visit["n_mentions"], visit["n_articles"], visit["n_sources"]) == (2, 2, 2)
    assert (visit["date_start"], visit["date_end"], visit["first_seen"], visit["last_seen"]) == \
        ("2023-04-05", "2023-04-06", "2023-04-06", "2023-04-07")
    assert visit["representative_event_id"] == event("visit-b", 0).id  # the most confident mention
    deal = cs["AGREE|IND+PAK"]  # reciprocal: unordered parties
    assert deal["n_mentions"] == 2
    assert cs["!ASSAULT|RUS>UKR"]["n_mentions"] == 1
    assert len(cs) == 4
    with store.engine.connect() as conn:
        mentions = conn.execute(select(cluster_mentions).where(cluster_mentions.c.cluster_id == visit["id"])).all()
    assert sorted((m.doc_id, m.sentence, m.trigger_start, m.source) for m in mentions) == [
        ("visit-a", 0, 5, "Wire A"), ("visit-b", 0, 5, "Paper B")]
    assert all(m.sentence_text for m in mentions)


def test_clustering_is_incremental_and_never_double_counts(store: Store) -> None:
    docs = sample_docs()
    store.save_many(docs[:1])
    update_clusters(store, ["visit-a"])
    assert {c["cluster_key"]: c["n_mentions"] for c in clusters(store)}["CONSULT|FRA>CHN"] == 1
    store.save_many(docs[1:])
    update_clusters(store, [d.doc.id for d, _ in docs[1:]])
    before = clusters(store)
    # re-coding (re-saving) documents and updating again changes nothing
    store.save_many(docs)
    update_clusters(store, [d.doc.id for d, _ in docs])
    assert clusters(store) == before
    # a later article outside the ±1 day window starts a new cluster; one inside joins
    late = coded_document("visit-c", [event("visit-c", 0, "CONSULT", "FRA", "CHN", date="2023-04-10",
                                                        sentence_text="Macron is in China again.")],
                          published="2023-04-10", source="Wire A")
    near = coded_document("visit-d", [event("visit-d", 0, "CONSULT", "FRA", "CHN", date="2023-04-04",
                                                        sentence_text="Macron landed in China.")],
                          published="2023-04-08", source="Wire A")
    store.save_many([late, near])
    update_clusters(store, ["visit-c", "visit-d"])
    fra = [(c["date_start"], c["n_mentions"], c["n_sources"]) for c in clusters(store) if c["cluster_key"] == "CONSULT|FRA>CHN"]
    assert fra == [("2023-04-04", 3, 2), ("2023-04-10", 1, 1)]
    # removing an event (re-coded without it) shrinks its cluster
    store.save(*coded_document("visit-d", [], published="2023-04-08"))
    update_clusters(store, ["visit-d"])
    fra = [(c["date_start"], c["n_mentions"]) for c in clusters(store) if c["cluster_key"] == "CONSULT|FRA>CHN"]
    assert fra == [("2023-04-05", 2), ("2023-04-10", 1)]
    # the order documents arrive in does not matter
    final = clusters(store)
    rebuild_clusters(store)
    assert clusters(store) == final
    # a full sync finds nothing to do
    assert update_clusters(store) == 0


def test_end_to_end_coded_document(store: Store) -> None:
    from dotterel import code_text

    text = "French President Emmanuel Macron visited China on Wednesday."
    coded = code_text(text, date="2023-04-06", doc_id="e2e")
    store.save(coded, text)
    got, body = store.document("e2e")
    assert got == coded and body == text
    events = store.events(EventQuery(doc_id="e2e"))
    assert [e.event.id for e in events] == [e.id for e in coded.events]
    assert any(e.event.event_type == "CONSULT" for e in events)
    update_clusters(store, ["e2e"])
    assert sum(c["n_mentions"] for c in clusters(store)) == len(coded.events)
