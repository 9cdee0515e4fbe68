"""Benchmark (not a test): storing and querying a large event store through the Store API.

    .venv/bin/python bench/store.py --events 1000000              # SQLite in /tmp, and PostgreSQL if
                                                                  # DOTTEREL_TEST_PG_URL is set
    .venv/bin/python bench/store.py --events 50000 --backends sqlite

Generates realistic coded documents (``CodedDocument``s: 1–15 events each, 1–3 parties per side
over 60 countries with a few dominant dyads, seven statuses, dates near publication over several
years — some known only to the month, some undated —, locations, mentions) in publication order,
as a news feed arrives, and stores them with ``Store.save_many(batch, cluster=True)``: bulk
inserts, rollups and incremental clustering, all timed (generation is timed apart). Then times
(median of ``--repeat``) the events page, dyad timelines by day and week, a country timeline,
the network and the map, through the query layer and as HTTP pages through the app (TestClient,
no network). Prints a table and writes ``bench/results/store-<backend>-<n>.json`` with the load
average. Databases go to /tmp and are removed unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import itertools
import json
import os
import random
import statistics
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

from dotterel.records.models import (
    CodedDocument,
    DateRecord,
    DocMeta,
    EventMentionRecord,
    EventRecord,
    LocationRecord,
    SideActor,
    TriggerRecord,
)

RESULTS = Path(__file__).parent / "results"
#: 60 country codes; the first few dominate (news is about a few states).
COUNTRIES = ("USA", "RUS", "UKR", "CHN", "ISR", "PSE", "IRN", "GBR", "FRA", "DEU", "TUR", "IND", "PAK", "SYR", "IRQ",
             "SAU", "PRK", "KOR", "JPN", "TWN", "BLR", "POL", "AFG", "YEM", "LBN", "EGY", "QAT", "ARE", "ETH", "SDN",
             "SSD", "SOM", "KEN", "NGA", "MLI", "NER", "BFA", "LBY", "TUN", "DZA", "MAR", "VEN", "COL", "BRA", "ARG",
             "MEX", "CUB", "HTI", "MMR", "THA", "PHL", "IDN", "VNM", "BGD", "LKA", "NPL", "AZE", "ARM", "GEO", "SRB")
WEIGHTS = tuple(1 / (k + 1) ** 1.1 for k in range(len(COUNTRIES)))
TYPES = (("CONSULT", "040", 1, 1.0), ("ACCUSE", "112", 3, -2.0), ("ASSAULT", "190", 4, -10.0),
         ("AGREE", "057", 1, 8.0), ("AID", "070", 2, 7.0), ("SANCTION", "163", 4, -8.0),
         ("THREATEN", "130", 3, -4.4), ("REQUEST", "020", 1, 3.0), ("PROTEST", "140", 3, -6.5))
STATUSES = ("asserted",) * 10 + ("reported",) * 4 + ("planned",) * 2 + ("hypothetical", "negated", "denied", "unconfirmed")
SECTORS = ("GOV", "GOV", "MIL", "CVL", "REB", "MED", None)
SOURCES = tuple(f"Wire {i}" for i in range(30))


_CUM = tuple(itertools.accumulate(WEIGHTS))


@functools.cache
def _actor(c: str, sector: str | None) -> SideActor:
    """One shared record per country and sector (records are never changed once built)."""
    return SideActor.model_construct(text=c, start=0, end=3, name=c, country=c, sector=sector, id=f"country:{c}",
                                     org_type=None, implicit=False)


def _side(rng: random.Random, n: int) -> list[SideActor]:
    return [_actor(rng.choices(COUNTRIES, cum_weights=_CUM)[0], rng.choice(SECTORS)) for _ in range(n)]


def documents(n_events: int, seed: int = 11, years: int = 6) -> Iterator[tuple[CodedDocument, str]]:
    """Documents in publication order until ``n_events`` events (records built without validation,
    as the coder builds its own)."""
    rng = random.Random(seed)
    day0 = dt.date(2019, 1, 1)
    n_docs_est = max(1, n_events // 8)
    made = 0
    i = 0
    while made < n_events:
        published = day0 + dt.timedelta(days=int(i * years * 365 / n_docs_est))
        doc_id = f"bench-{i:07d}"
        k_events = min(n_events - made, rng.choice((1, 2, 4, 6, 8, 10, 12, 15)))
        events = []
        for k in range(k_events):
            etype, cameo, quad, intensity = TYPES[rng.randrange(len(TYPES))]
            roll = rng.random()
            if roll < 0.03:
                start = end = None
                basis = "unknown"
            elif roll < 0.12:
                start, end = published.replace(day=1).isoformat(), published.replace(day=28).isoformat()
                basis = "explicit"
            else:
                start = end = (published - dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3)))).isoformat()
                basis = rng.choice(("explicit", "publication", "narrative"))
            actors = _side(rng, rng.choice((1, 1, 1, 2, 3)))
            recipients = _side(rng, rng.choice((0, 1, 1, 1, 2)))
            sentence = f"Sentence {k} of {doc_id}: {actors[0].name} did {etype.lower()} with someone."
            trig = TriggerRecord.model_construct(text=etype.lower(), start=k * 120 + 20, end=k * 120 + 20 + len(etype))
            loc = rng.choices(COUNTRIES, cum_weights=_CUM)[0] if rng.random() < 0.6 else None
            events.append(EventRecord.model_construct(
                id=f"{doc_id}-{k}", event_type=etype, mode=None, context=[], cameo=cameo, intensity=intensity,
                quad_class=quad, actor=actors, recipient=recipients, reciprocal=rng.random() < 0.08,
                status=STATUSES[rng.randrange(len(STATUSES))],
                date=DateRecord.model_construct(start=start, end=end, text=None, basis=basis),
                location=LocationRecord.model_construct(name=f"Town in {loc}", country=loc, start=0, end=4)
                if loc else None,
                attribution=None, sentence=k, sentence_text=sentence, trigger=trig,
                mentions=[EventMentionRecord.model_construct(sentence=k, sentence_text=sentence, trigger=trig)],
                stances=[], quote=None, derived_from=None, confidence=round(rng.uniform(0.3, 0.95), 2)))
        made += k_events
        text = " ".join(e.sentence_text for e in events)
        meta = DocMeta.model_construct(id=doc_id, title=f"Bench story {i}", published=published.isoformat(),
                                       published_basis="input", source=SOURCES[i % len(SOURCES)],
                                       url=f"https://news.example/{i}", content_hash=f"{i:032x}")
        yield CodedDocument.model_construct(doc=meta, events=events, errors=[], warnings=[], quotes=[], times=[],
                                            actors=[]), text
        i += 1


def store_all(store, n_events: int, batch_docs: int) -> dict:
    """Save every generated document (timed apart from generating them)."""
    gen = save = cpu = user = system = 0.0
    n_docs = 0
    it = documents(n_events)
    while True:
        t0 = time.perf_counter()
        batch = [d for _, d in zip(range(batch_docs), it, strict=False)]
        gen += time.perf_counter() - t0
        if not batch:
            break
        t0, c0, r0 = time.perf_counter(), time.process_time(), os.times()
        store.save_many(batch, cluster=True)
        save += time.perf_counter() - t0
        cpu += time.process_time() - c0
        r1 = os.times()
        user += r1.user - r0.user
        system += r1.system - r0.system
        n_docs += len(batch)
    return {"documents": n_docs, "events": n_events, "generate_s": round(gen, 1), "save_and_cluster_s": round(save, 1),
            "save_and_cluster_cpu_s": round(cpu, 1), "save_user_s": round(user, 1), "save_system_s": round(system, 1),
            "events_per_s": round(n_events / save)}


def timed(fn, repeat: int) -> float:
    fn()  # warm the caches once
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def query_times(store, repeat: int) -> dict:
    from dotterel.store import queries as Q

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from dotterel.web import create_app

    agg = Q.EventFilter(statuses=Q.DEFAULT_STATUSES)
    party = Q.PartyMatch(countries=("RUS",))
    out: dict[str, float] = {
        "events page query (total + 50 rows)": timed(lambda: (Q.count_events_capped(store, Q.EventFilter()),
                                                              Q.find_events(store, Q.EventFilter(), "date", 50)), repeat),
        "events query actor=RUS asserted (capped total + 50)": timed(
            lambda: (Q.count_events_capped(store, Q.EventFilter(actor=party, statuses=("asserted",))),
                     Q.find_events(store, Q.EventFilter(actor=party, statuses=("asserted",)), "date", 50)), repeat),
        "dyad timeline RUS-UKR by day (query)": timed(lambda: Q.dyad_counts(store, "RUS", "UKR", agg), repeat),
        "dyad timeline USA-CHN by day (query)": timed(lambda: Q.dyad_counts(store, "USA", "CHN", agg), repeat),
        "Store.dyad_timeline RUS-UKR day (first-country index)": timed(
            lambda: store.dyad_timeline("RUS", "UKR", period="day"), repeat),
        "country timeline UKR (query)": timed(lambda: Q.country_counts(store, "UKR", agg), repeat),
        "network (query, 200 links)": timed(lambda: Q.network_edges(store, agg, "include", 200), repeat),
        "map (query)": timed(lambda: Q.location_counts(store, agg), repeat),
    }
    client = TestClient(create_app(store), base_url="http://localhost")
    client.get("/events?actor=RUS")  # load the gazetteer once, outside the timings
    pages = {
        "GET /events": "/events",
        "GET /events?actor=Russia&status=asserted": "/events?actor=Russia&status=asserted",
        "GET /api/events?type=ASSAULT&sort=-date": "/api/events?type=ASSAULT&sort=-date&limit=100",
        "GET /api/dyads/RUS/UKR/timeline?period=day": "/api/dyads/RUS/UKR/timeline?period=day",
        "GET /api/dyads/RUS/UKR/timeline?period=week": "/api/dyads/RUS/UKR/timeline?period=week",
        "GET /dyads/RUS/UKR?period=week": "/dyads/RUS/UKR?period=week",
        "GET /api/countries/UKR/timeline?period=month": "/api/countries/UKR/timeline?period=month",
        "GET /api/network": "/api/network",
        "GET /network": "/network",
        "GET /api/map": "/api/map",
        "GET /map": "/map",
    }
    for name, url in pages.items():
        def get(url: str = url) -> None:
            resp = client.get(url)
            assert resp.status_code == 200, (url, resp.status_code, resp.text[:200])
        out[name] = timed(get, repeat)
    return out


def run(backend: str, url: str, args) -> dict:
    from dotterel.store import Store

    store = Store(url)
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    stored = store_all(store, args.events, args.batch)
    stored["wall_s"] = round(time.perf_counter() - t0, 1)
    stored["rows"] = {t: store.count(t) for t in ("documents", "events", "event_parties", "event_clusters",
                                                   "rollup_dyads", "rollup_countries", "rollup_locations",
                                                   "rollup_dyad_totals", "rollup_location_totals")}
    queries = query_times(store, args.repeat)
    store.close()
    return {"backend": backend, "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "loadavg_before": [round(x, 2) for x in load0],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()], "batch_docs": args.batch, "store": stored,
            "query_ms_median": queries}


def _pg_schema(base: str) -> tuple[str, str]:
    import psycopg

    schema = f"dotterel_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'create schema "{schema}"')
    sep = "&" if "?" in base else "?"
    return schema, f"{base}{sep}options=-csearch_path%3D{schema}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=2000, help="documents per save_many call")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--keep", action="store_true", help="keep the databases")
    args = ap.parse_args()
    RESULTS.mkdir(exist_ok=True)
    for backend in args.backends.split(","):
        if backend == "sqlite":
            path = Path(f"/tmp/dotterel-store-bench-{args.events}-{os.getpid()}.db")
            try:
                result = run(backend, str(path), args)
            finally:
                if not args.keep:
                    path.unlink(missing_ok=True)
        elif backend == "postgresql":
            base = os.environ.get("DOTTEREL_TEST_PG_URL")
            if not base:
                print("postgresql: skipped (DOTTEREL_TEST_PG_URL is not set)")
                continue
            schema, url = _pg_schema(base)
            try:
                result = run(backend, url, args)
            finally:
                if not args.keep:
                    import psycopg

                    with psycopg.connect(base, autocommit=True) as conn:
                        conn.execute(f'drop schema "{schema}" cascade')
        else:
            raise SystemExit(f"unknown backend {backend}")
        report(result, args.events)
    return 0


def report(result: dict, n: int) -> None:
    s = result["store"]
    print(f"\n== {result['backend']}: {s['events']:,} events in {s['documents']:,} documents "
          f"(load average {result['loadavg_before'][0]} → {result['loadavg_after'][0]}, {result['cpus']} CPUs)")
    print(f"save_many(cluster=True): {s['save_and_cluster_s']} s wall, {s['save_and_cluster_cpu_s']} s CPU of this "
          f"process (user {s['save_user_s']} s, system {s['save_system_s']} s; {s['events_per_s']:,} events/s); "
          f"generating the records: {s['generate_s']} s; rows: {s['rows']}")
    width = max(map(len, result["query_ms_median"]))
    for name, ms in result["query_ms_median"].items():
        print(f"  {name:<{width}}  {ms:8.1f} ms")
    out = RESULTS / f"store-{result['backend']}-{n}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"→ {out}")


if __name__ == "__main__":
    sys.exit(main())
