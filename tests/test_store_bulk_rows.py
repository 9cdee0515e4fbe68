"""What :meth:`Store.save_many` writes is what the store held before its bulk path was made
faster (rows built in one pass over the records, cluster rows kept when their members do not
change, single-mention fast paths), on a random corpus with re-saves and deletes.

Three checks: every table equals the slow paths it must agree with (mentions read back from the
stored events by ``update_clusters``, a full re-cluster, rollups rebuilt from the events); and
a digest of every table equals the one the previous code wrote for the same saves (taken with
the store as of commit 5ecad5b; if a change *means* to alter stored rows, update the digests
and say so)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from dotterel.corpus.samples import coded_document, side
from dotterel.records.models import DateRecord, EventRecord, LocationRecord, TriggerRecord
from dotterel.store import Store
from dotterel.store import schema as S
from dotterel.store.clusters import rebuild_clusters, update_clusters

COUNTRIES = ("FRA", "CHN", "RUS", "UKR", "IND")
TYPES = (("CONSULT", 1, 1.0), ("ASSAULT", 4, -10.0), ("AGREE", 1, 8.0))
STATUSES = ("asserted", "asserted", "reported", "planned", "denied", "negated")
SOURCES = ("Wire A", "Wire B", " wire a ", "", None)


def _event(rng: random.Random, doc_id: str, k: int, day: dt.date) -> EventRecord:
    etype, quad, intensity = rng.choice(TYPES)
    actors = [side(rng.choice(COUNTRIES)) for _ in range(rng.choice((0, 1, 1, 1, 2)))]
    if rng.random() < 0.15:  # a party known only by name (clusters key it by the lower-cased name)
        actors.append(side(None, name=rng.choice(("Local Militia", "local  militia", "The Council"))))
    recipients = [side(rng.choice(COUNTRIES)) for _ in range(rng.choice((0, 1, 1, 2)))]
    roll = rng.random()
    if roll < 0.08:
        start = end = None
    elif roll < 0.16:
        start, end = day.replace(day=1).isoformat(), day.replace(day=28).isoformat()
    else:
        start = end = (day - dt.timedelta(days=rng.randrange(0, 3))).isoformat()
    return EventRecord(
        id=f"{doc_id}-{k}", event_type=etype, mode=None, context=[], cameo="040", intensity=intensity,
        quad_class=quad, actor=actors, recipient=recipients, reciprocal=rng.random() < 0.2,
        status=rng.choice(STATUSES),
        date=DateRecord(start=start, end=end, text=None, basis="explicit" if start else "unknown"),
        location=LocationRecord(name="Somewhere", country=rng.choice(COUNTRIES), start=0, end=3)
        if rng.random() < 0.5 else None,
        attribution=None, sentence=k, sentence_text=f"Sentence {k} of {doc_id}.",
        trigger=TriggerRecord(text="did", start=k * 10, end=k * 10 + 3), mentions=[],
        confidence=rng.choice((0.0, 0.5, round(rng.uniform(0.3, 0.95), 2))))


def _docs(seed: int, n: int, version: int = 0) -> list:
    rng = random.Random(seed)
    day0 = dt.date(2021, 3, 1)
    out = []
    for i in range(n):
        day = day0 + dt.timedelta(days=i // 4)
        doc_id = f"n{i:03d}"
        events = [_event(rng, doc_id, k + 10 * version, day) for k in range(rng.randrange(0, 6))]
        out.append(coded_document(doc_id, events, published=day.isoformat(), source=rng.choice(SOURCES)))
    return out


def fill(store: Store, *, cluster: bool) -> None:
    """Batches in date order, then some out of order, re-saves with other events, deletes."""
    docs = _docs(3, 160)
    late = docs[40:60]
    docs = docs[:40] + docs[60:]
    for i in range(0, len(docs), 25):
        _save(store, docs[i:i + 25], cluster)
    _save(store, late, cluster)  # older documents arriving after newer ones
    again = _docs(8, 160, version=1)[::9]
    _save(store, again, cluster)
    _save(store, again[:5], cluster)  # idempotent
    store.delete(["n007", "n050", "n101"])


def _save(store: Store, docs: list, cluster: bool) -> None:
    store.save_many(docs, cluster=cluster)
    if not cluster:  # the reference path: mentions read back from the stored events
        update_clusters(store, [coded.doc.id for coded, _text in docs])


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table the store writes, sorted (``coded_at``/``version`` left out)."""
    out = {}
    with store.engine.connect() as conn:
        for name, table in S.metadata.tables.items():
            cols = [c for c in table.columns if c.name not in {"coded_at", "version"}]
            out[name] = sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)
    return out


def digests(tables: dict[str, list[tuple]]) -> dict[str, str]:
    return {name: hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:16]
            for name, rows in tables.items()}


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    yield a, b
    a.close()
    b.close()


def test_bulk_save_writes_the_rows_of_the_slow_paths(stores: tuple[Store, Store]) -> None:
    fast, slow = stores
    fill(fast, cluster=True)
    fill(slow, cluster=False)
    got, reference = dump(fast), dump(slow)
    for name in reference:
        assert got[name] == reference[name], name
    assert len(got["event_clusters"]) > 50 and any(r[-4] > 1 for r in got["event_clusters"])  # n_articles > 1
    rebuild_clusters(fast)
    fast.rebuild_rollups()
    again = dump(fast)
    for name in reference:
        assert again[name] == got[name], name


#: Digests of dump() after fill(cluster=True), written by the store before this file existed
#: (``store_meta`` since: the rollups' version went from 3 to 4 with their new key order).
BEFORE = {
    "documents": "57306479ae4f10bb",
    "actors": "4f53cda18c2baa0c",
    "events": "bd651a43feeefbdf",
    "event_parties": "76948672b89c612d",
    "quotes": "4f53cda18c2baa0c",
    "times": "4f53cda18c2baa0c",
    "store_meta": "850311174acb16d7",
    "rollup_dyads": "3f17311fcc3e5d26",
    "rollup_countries": "8a9de92c761276ec",
    "rollup_locations": "52660b666e8bf8cd",
    "rollup_dyad_totals": "f992399e5db7ee7e",
    "rollup_location_totals": "ba608690703186fc",
    "event_clusters": "44eaea274fcd157c",
    "cluster_mentions": "611c1eb4963f6dbc",
}


def test_bulk_save_writes_what_the_previous_code_wrote(stores: tuple[Store, Store]) -> None:
    fill(stores[0], cluster=True)
    got = digests(dump(stores[0]))
    assert {k: got[k] for k in BEFORE} == BEFORE
