"""Rollups and incremental clusters against the slow paths they replace, on a small random corpus.

The aggregates (dyad and country timelines, network, map, totals) read the rollup tables when
the filters allow; here every answer is compared with the same query over the events and their
parties (the store told its rollups are not there). Clusters maintained batch by batch, with
documents re-saved and deleted in between, must equal a full re-cluster."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from dotterel.corpus.samples import coded_document, side
from dotterel.records.models import DateRecord, EventRecord, LocationRecord, TriggerRecord
from dotterel.store import Store
from dotterel.store import queries as Q
from dotterel.store import schema as S
from dotterel.store.clusters import rebuild_clusters

COUNTRIES = ("FRA", "CHN", "RUS", "UKR", "IND", "PAK")
TYPES = (("CONSULT", 1, 1.0), ("ASSAULT", 4, -10.0), ("AGREE", 1, 8.0), ("ACCUSE", 3, -2.0))
STATUSES = ("asserted", "asserted", "reported", "planned", "denied", "negated")


def random_event(rng: random.Random, doc_id: str, k: int, day: dt.date) -> EventRecord:
    etype, quad, intensity = rng.choice(TYPES)
    actors = [rng.choice(COUNTRIES) for _ in range(rng.choice((1, 1, 2, 3)))]
    recipients = [rng.choice(COUNTRIES) for _ in range(rng.choice((0, 1, 1, 2)))]
    roll = rng.random()
    if roll < 0.1:
        start = end = None
    elif roll < 0.2:
        start, end = day.replace(day=1).isoformat(), day.replace(day=28).isoformat()
    else:
        start = end = (day + dt.timedelta(days=rng.randrange(-2, 1))).isoformat()
    trig = TriggerRecord(text="did", start=k * 10, end=k * 10 + 3)
    return EventRecord(
        id=f"{doc_id}-{k}", event_type=etype, mode=None, context=[], cameo="040", intensity=intensity, quad_class=quad,
        actor=[side(c) for c in actors] + ([side(None, name="Local militia")] if rng.random() < 0.1 else []),
        recipient=[side(c) for c in recipients], reciprocal=rng.random() < 0.3, status=rng.choice(STATUSES),
        date=DateRecord(start=start, end=end, text=None, basis="explicit" if start else "unknown"),
        location=LocationRecord(name="Somewhere", country=rng.choice(COUNTRIES), start=0, end=3)
        if rng.random() < 0.5 else None,
        attribution=None, sentence=k, sentence_text=f"Sentence {k} of {doc_id}.", trigger=trig, mentions=[],
        confidence=round(rng.uniform(0.3, 0.95), 2))


def corpus(rng: random.Random, n_docs: int, prefix: str = "d", version: int = 0) -> list:
    day0 = dt.date(2022, 1, 1)
    docs = []
    for i in range(n_docs):
        day = day0 + dt.timedelta(days=i // 3 + rng.randrange(0, 4))
        doc_id = f"{prefix}{i:03d}"
        events = [random_event(rng, doc_id, k + 10 * version, day) for k in range(rng.randrange(0, 5))]
        docs.append(coded_document(doc_id, events, published=day.isoformat(), source=rng.choice(("Wire A", "Wire B"))))
    return docs


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "rollups.db")
    yield s
    s.close()


def fill(store: Store, *, shuffled: bool) -> None:
    """Save a corpus in batches (in date order or shuffled), re-save a tenth with other events
    and delete a few documents, clustering as it goes."""
    rng = random.Random(5)
    docs = corpus(rng, 90)
    if shuffled:
        rng.shuffle(docs)
    for i in range(0, len(docs), 20):
        store.save_many(docs[i:i + 20], cluster=True)
    again = corpus(random.Random(9), 90, version=1)[::10]
    store.save_many(again, cluster=True)
    store.save_many(again, cluster=True)  # idempotent
    assert store.delete(["d005", "d006", "d050", "missing"]) == 3


def slow(store: Store) -> Store:
    """The same database read without its rollups."""
    other = Store(store.url, create=False)
    other._rollups_ready = False
    return other


def snapshot(store: Store) -> dict:
    filters = [Q.EventFilter(), Q.EventFilter(statuses=Q.DEFAULT_STATUSES),
               Q.EventFilter(types=("ASSAULT",), date_from=dt.date(2022, 1, 10), date_to=dt.date(2022, 1, 25))]
    out: dict = {}
    for i, f in enumerate(filters):
        out[("total", i)] = Q.count_events(store, f)
        for pair in (("RUS", "UKR", False), ("UKR", "RUS", True), ("IND", "IND", False)):
            out[("pair-total", i, pair)] = Q.count_events(store, dataclasses.replace(f, pair=pair))
        out[("map", i)] = Q.location_counts(store, f)
        for domestic in ("include", "exclude", "only"):
            out[("net", i, domestic)] = Q.network_edges(store, f, domestic, 500)
        for a in COUNTRIES:
            out[("country", i, a)] = sorted(Q.country_counts(store, a, f), key=repr)
            for b in COUNTRIES:
                for directed in (False, True):
                    out[("dyad", i, a, b, directed)] = sorted(Q.dyad_counts(store, a, b, f, directed), key=repr)
                    out[("undated", i, a, b, directed)] = Q.dyad_undated(store, a, b, f, directed)
    return out


def test_rollups_answer_like_the_events_after_saves_resaves_and_deletes(store: Store) -> None:
    fill(store, shuffled=True)
    assert store.rollups_ready
    fast = snapshot(store)
    reference = snapshot(slow(store))
    assert fast.keys() == reference.keys()
    for key, value in reference.items():
        assert fast[key] == value, key
    assert any(fast[("dyad", 0, "RUS", "UKR", False)]) and fast[("total", 0)] > 100  # not vacuous


def test_an_older_store_gets_its_rollups_built_when_opened(store: Store) -> None:
    fill(store, shuffled=False)
    before = snapshot(store)
    with store.engine.begin() as conn:
        for t in (*S.ROLLUPS, S.store_meta):
            conn.execute(t.delete())
    reopened = Store(store.url)
    assert reopened.rollups_ready
    assert snapshot(reopened) == before


def clusters(store: Store) -> tuple[list, list]:
    with store.engine.connect() as conn:
        cl = [tuple(r) for r in conn.execute(select(S.event_clusters).order_by(S.event_clusters.c.id))]
        ms = [tuple(r) for r in conn.execute(select(S.cluster_mentions.c.event_id, S.cluster_mentions.c.cluster_id)
                                             .order_by(S.cluster_mentions.c.event_id))]
    return cl, ms


@pytest.mark.parametrize(("shuffled", "lookback"), [(False, (14, 90, 400)), (True, (14, 90, 400)), (True, (0,)),
                                                   (True, (0, 1, 3)), (True, (2,))])
def test_incremental_clusters_equal_a_full_recluster(store: Store, shuffled: bool, lookback: tuple[int, ...],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """``lookback`` (0,): the date window before a change never holds a restart point, so every
    touched key is read whole (the fallback); (0, 1, 3) and (2,): keys found in narrow windows,
    in wider ones and whole, in one save."""
    from dotterel.store import clusters as C

    monkeypatch.setattr(C, "LOOKBACK_DAYS", lookback)
    fill(store, shuffled=shuffled)
    incremental = clusters(store)
    assert len(incremental[0]) > 20 and any(r[-4] > 1 for r in incremental[0])  # n_articles > 1 somewhere
    rebuild_clusters(store)
    assert clusters(store) == incremental


def test_cluster_detail_finds_every_member_by_key_and_dates(store: Store) -> None:
    """A cluster's page lists exactly the mentions that carry its id (found through the key/date
    index, not an index on the cluster id), for month-long, multi-member and undated clusters."""
    fill(store, shuffled=True)
    with store.engine.connect() as conn:
        ids = list(conn.scalars(select(S.event_clusters.c.id)))
        members: dict[str, set[str]] = {}
        for r in conn.execute(select(S.cluster_mentions.c.cluster_id, S.cluster_mentions.c.event_id)):
            members.setdefault(r.cluster_id, set()).add(r.event_id)
        kinds = conn.execute(select(S.event_clusters.c.n_mentions, S.event_clusters.c.date_start,
                                    S.event_clusters.c.date_end)).all()
    assert any(n > 1 for n, _, _ in kinds) and any(a is None for _, a, _ in kinds) and any(a != b for _, a, b in kinds)
    for cid in ids:
        found = Q.cluster_detail(store, cid)
        assert found is not None
        cluster, mentions = found
        assert {m["event_id"] for m in mentions} == members[cid]
        assert len(mentions) == cluster["n_mentions"]


def test_opening_an_older_store_drops_the_indexes_it_no_longer_keeps(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, inspect, text

    path = tmp_path / "old.db"
    Store(path).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # as an older version created them
        conn.execute(text("CREATE INDEX ix_event_clusters_cluster_key ON event_clusters (cluster_key)"))
        conn.execute(text("CREATE INDEX ix_cluster_mentions_cluster_id ON cluster_mentions (cluster_id)"))
    Store(path).close()
    names = {ix["name"] for t in ("event_clusters", "cluster_mentions") for ix in inspect(engine).get_indexes(t)}
    engine.dispose()
    assert not names & set(S.OBSOLETE_INDEXES)
    assert "ix_cluster_mentions_key_date" in names


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_pages_read_along_the_dates_equal_pages_read_from_the_party_sets(store: Store, sort: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """find_events reads a common country's or pair's page along the date index, the party and
    pair rules checked per event: the same events in the same order as through the id sets."""
    fill(store, shuffled=True)
    rng = random.Random(3)
    extra = []  # events each branch of the pair rule decides: reciprocal with and without a recipient, domestic
    for i, (actors, recipients, reciprocal) in enumerate([(("RUS", "UKR"), (), True), (("RUS", "UKR"), ("FRA",), True),
                                                          (("UKR", "RUS"), (), False), (("IND",), ("IND",), False),
                                                          (("IND", "PAK"), ("IND",), False), (("FRA", "CHN"), (), True),
                                                          (("UKR", "RUS"), ("-",), True)]):
        ev = random_event(rng, f"x{i}", 0, dt.date(2022, 1, 5 + i)).model_copy(update={
            "actor": [side(c) for c in actors],
            "recipient": [side(c) if c != "-" else side(None, name="Local militia") for c in recipients], "reciprocal": reciprocal,
            "status": "asserted"})
        extra.append(coded_document(f"x{i}", [ev], published="2022-01-10", source="Wire C"))
    store.save_many(extra, cluster=True)
    rus = Q.PartyMatch(countries=("RUS",))
    filters = [Q.EventFilter(actor=rus), Q.EventFilter(recipient=Q.PartyMatch(countries=("UKR", "IND"))),
               Q.EventFilter(party=rus, statuses=("asserted", "reported")), Q.EventFilter(actor=rus, types=("ASSAULT",)),
               Q.EventFilter(pair=("RUS", "UKR", False)), Q.EventFilter(pair=("UKR", "RUS", True)),
               Q.EventFilter(pair=("IND", "IND", False)), Q.EventFilter(pair=("PAK", "IND", False), actor=rus),
               Q.EventFilter(pair=("FRA", "CHN", True), statuses=("asserted",))]
    pages = [(50, 0), (7, 5), (10, 40)]

    def read(scan: bool) -> list[list[str]]:
        monkeypatch.setattr(Q, "_scan_dates", lambda *_a: scan)
        return [[r.event.id for r in Q.find_events(store, f, sort, limit, offset)] for f in filters for limit, offset in pages]

    along, through = read(True), read(False)
    assert sum(map(len, through)) > 100 and any(len(p) == 7 for p in through)
    assert along == through


@pytest.mark.parametrize("f", [Q.EventFilter(actor=Q.PartyMatch(countries=("RUS",)), statuses=("asserted",)),
                               Q.EventFilter(pair=("RUS", "UKR", False))])
def test_events_read_along_the_dates_probe_their_parties_by_event_id(store: Store, f: Q.EventFilter,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each event read along the date index is checked with a lookup of its own parties: probing
    the party table by country instead re-reads a country's every party for each event (85 s for
    one page of a 1M-event store that had no (side, country, event id) index)."""
    from sqlalchemy import event

    fill(store, shuffled=False)
    monkeypatch.setattr(Q, "_scan_dates", lambda *_a: True)
    seen: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "scan_p" in statement:
            seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", keep)
    Q.find_events(store, f, "date", 10)
    event.remove(store.engine, "before_cursor_execute", keep)
    assert seen
    with store.engine.connect() as conn:
        plan = [r[3] for sql, params in seen for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    probes = [d for d in plan if "scan_p" in d]
    assert probes and all("(event_id=?)" in d for d in probes), plan
    assert any("ix_events_date" in d for d in plan), plan


def test_a_common_country_is_read_along_the_dates_and_a_rare_one_from_its_set(store: Store) -> None:
    fill(store, shuffled=False)
    many = Q.EventFilter(actor=Q.PartyMatch(countries=COUNTRIES))
    assert Q._scan_dates(store, many, 10)
    assert not Q._scan_dates(store, many, 10_000)  # deep pages: the set is cheaper
    assert not Q._scan_dates(store, Q.EventFilter(actor=Q.PartyMatch(countries=("XYZ",))), 10)
    assert not Q._scan_dates(store, Q.EventFilter(actor=Q.PartyMatch(names=("local militia",))), 10)


def test_events_total_is_capped_and_labelled_when_the_rollups_cannot_count(store: Store) -> None:
    fill(store, shuffled=False)
    party = Q.PartyMatch(countries=("RUS",))
    f = Q.EventFilter(actor=party)
    exact = Q.count_events(store, f)
    assert Q.count_events_capped(store, f, cap=exact) == (exact, True)
    assert Q.count_events_capped(store, f, cap=exact - 1) == (exact - 1, False)
    assert Q.count_events_capped(store, Q.EventFilter(), cap=1)[1] is True  # the rollups count exactly
