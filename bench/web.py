"""Benchmark (not a test): the explorer's heavy reads on a large synthetic store.

    .venv/bin/python bench/web.py --events 1000000 --db /tmp/web-bench.db   # builds once, then times
    .venv/bin/python bench/web.py --events 50000                             # quick look

Times (median of --repeat runs, in-process through the ASGI app, so HTTP framing is included but
not the network): the events page (total + first page + HTML), the events API, a dyad timeline
(API and page), a country timeline, the network and the map. The synthetic rows are written
with plain INSERTs in the store's own schema (events, event_parties, documents), then the rollups
are rebuilt from them (``Store.rebuild_rollups``); every event has
1–3 parties per side, one of eight statuses, a date (5 % undated, 10 % known only to a month)
and a location for half of them.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

COUNTRIES = ("RUS", "UKR", "USA", "CHN", "GBR", "FRA", "DEU", "IRN", "ISR", "TUR", "IND", "PAK", "BLR", "POL", "JPN",
             "KOR", "PRK", "SYR", "IRQ", "SAU")
TYPES = (("ASSAULT", "190", 4, -10.0), ("ACCUSE", "112", 3, -2.0), ("CONSULT", "040", 1, 1.0), ("AID", "070", 2, 7.0),
         ("AGREE", "057", 1, 8.0), ("SANCTION", "163", 4, -8.0), ("THREATEN", "130", 3, -4.4))
STATUSES = ("asserted",) * 5 + ("reported",) * 2 + ("planned", "hypothetical", "negated", "denied", "unconfirmed")
SECTORS = ("GOV", "MIL", "GOV", "CVL", "REB", None)


def record(eid: str, etype: tuple, status: str, start: str | None, end: str | None, actors: list, recipients: list,
           location: str | None, reciprocal: bool) -> dict:
    def side(c: str, s: str | None) -> dict:
        return {"text": c, "start": 0, "end": 3, "name": c, "country": c, "sector": s, "id": f"country:{c}"}

    return {
        "id": eid, "event_type": etype[0], "mode": None, "context": [], "cameo": etype[1], "intensity": etype[3],
        "quad_class": etype[2], "actor": [side(c, s) for c, s in actors], "recipient": [side(c, s) for c, s in recipients],
        "reciprocal": reciprocal, "status": status,
        "date": {"start": start, "end": end, "text": None, "basis": "explicit" if start else "unknown"},
        "location": {"name": f"Town in {location}", "country": location, "start": 0, "end": 3} if location else None,
        "attribution": None, "sentence": 0, "sentence_text": f"Synthetic sentence about {etype[0].lower()} {eid}.",
        "trigger": {"text": etype[0].lower(), "start": 0, "end": 5}, "mentions": [], "stances": [], "quote": None,
        "derived_from": None, "confidence": round(random.uniform(0.3, 1.0), 2)}


def build(db: Path, n_events: int, seed: int = 7) -> None:
    from sqlalchemy import insert

    from dotterel.store import Store
    from dotterel.store import schema as S

    rng = random.Random(seed)
    random.seed(seed)
    store = Store(db)
    per_doc = 8
    t0 = time.perf_counter()
    import datetime as dt

    day0 = dt.date(2015, 1, 1)
    with store.engine.begin() as conn:
        docs, events, parties = [], [], []
        for i in range(n_events):
            d = i // per_doc
            day = day0 + dt.timedelta(days=rng.randrange(3650))
            if i % per_doc == 0:
                docs.append({"id": f"doc{d}", "content_hash": f"h{d}", "title": f"Synthetic document {d}",
                             "published": day.isoformat(), "published_basis": "input", "source": f"Wire {d % 40}",
                             "url": None, "text": "", "n_events": per_doc, "failed": False, "errors": "[]",
                             "coded": "{}", "coded_at": "", "version": "bench"})
            etype = TYPES[rng.randrange(len(TYPES))]
            status = STATUSES[rng.randrange(len(STATUSES))]
            roll = rng.random()
            if roll < 0.05:
                start = end = None
            elif roll < 0.15:
                start, end = day.replace(day=1).isoformat(), (day.replace(day=28)).isoformat()
            else:
                start = end = day.isoformat()
            a = [(COUNTRIES[min(rng.randrange(len(COUNTRIES)), rng.randrange(len(COUNTRIES)))], SECTORS[rng.randrange(6)])
                 for _ in range(rng.choice((1, 1, 1, 2, 3)))]
            r = [(COUNTRIES[min(rng.randrange(len(COUNTRIES)), rng.randrange(len(COUNTRIES)))], SECTORS[rng.randrange(6)])
                 for _ in range(rng.choice((0, 1, 1, 1, 2)))]
            loc = COUNTRIES[rng.randrange(len(COUNTRIES))] if rng.random() < 0.5 else None
            eid = f"e{i}"
            rec = record(eid, etype, status, start, end, a, r, loc, rng.random() < 0.1)
            events.append({
                "id": eid, "doc_id": f"doc{d}", "event_type": etype[0], "mode": None, "cameo": etype[1],
                "quad_class": etype[2], "intensity": etype[3], "status": status, "date_start": start, "date_end": end,
                "date_basis": rec["date"]["basis"], "actor_country": a[0][0] if a else None,
                "recipient_country": r[0][0] if r else None, "actor_names": "|".join(c for c, _ in a),
                "recipient_names": "|".join(c for c, _ in r), "reciprocal": rec["reciprocal"],
                "confidence": rec["confidence"], "sentence": 0, "sentence_text": rec["sentence_text"],
                "trigger_text": rec["trigger"]["text"], "trigger_start": 0, "trigger_end": 5, "location_country": loc,
                "source": f"Wire {d % 40}", "published": day.isoformat(), "record": json.dumps(rec)})
            parties += [{"event_id": eid, "doc_id": f"doc{d}", "side": side, "country": c, "name": c,
                         "actor_id": f"country:{c}", "sector": s}
                        for side, lst in (("actor", a), ("recipient", r)) for c, s in lst]
            if len(events) >= 20_000:
                conn.execute(insert(S.events), events)
                conn.execute(insert(S.event_parties), parties)
                if docs:
                    conn.execute(insert(S.documents), docs)
                events, parties, docs = [], [], []
        for table, rows in ((S.events, events), (S.event_parties, parties), (S.documents, docs)):
            if rows:
                conn.execute(insert(table), rows)
    store.rebuild_rollups()  # the rows were written around the Store API
    store.close()
    print(f"built {n_events} events in {time.perf_counter() - t0:.1f} s → {db} ({db.stat().st_size / 1e6:.0f} MB)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--db", type=Path, default=None, help="reused when it exists (default /tmp/dotterel-web-<n>.db)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    db = args.db or Path(f"/tmp/dotterel-web-{args.events}.db")
    if not db.exists():
        build(db, args.events)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from dotterel.store import Store
    from dotterel.web import create_app

    t0 = time.perf_counter()
    client = TestClient(create_app(Store(db)), base_url="http://localhost")
    print(f"app start (indexes): {time.perf_counter() - t0:.1f} s")
    client.get("/events?actor=RUS")  # load the gazetteer once, outside the timings
    cases = {
        "events page (total + 50 rows)": "/events",
        "events page, actor=Russia status=asserted": "/events?actor=Russia&status=asserted",
        "events API, type=ASSAULT sort=-date": "/api/events?type=ASSAULT&sort=-date&limit=100",
        "dyad timeline API RUS-UKR month": "/api/dyads/RUS/UKR/timeline?period=month",
        "dyad page RUS-UKR week": "/dyads/RUS/UKR?period=week",
        "country timeline API UKR month": "/api/countries/UKR/timeline?period=month",
        "map API": "/api/map",
        "map page": "/map",
        "network API (200 links)": "/api/network",
    }
    width = max(map(len, cases))
    for name, url in cases.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            resp = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200, (url, resp.status_code, resp.text[:200])
        print(f"{name:<{width}}  median {statistics.median(times):8.1f} ms   min {min(times):8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
