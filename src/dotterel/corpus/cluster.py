"""Event clustering across documents: mentions of the same real-world event in different
articles become one cluster (with mention, article and source counts, first/last seen, and
every mention kept with its evidence).

Rules (see docs/exports.md, "Clusters"):

* Two mentions can belong together only if they share a **cluster key**: the same PLOVER event
  type, the same polarity (negated/denied events never join asserted ones) and the same
  parties — the sorted set of actor countries and the sorted set of recipient countries
  (a party with no country counts by its lower-cased name). A reciprocal event's parties are
  compared as one unordered set, so "India and Pakistan signed" and "Pakistan signed with
  India" share a key. An event with no parties at all is a cluster of its own.
* Within a key, dated mentions are sorted by (start date, end date, event id) and grouped
  greedily: a mention joins the current cluster if its date range overlaps or comes within
  ``window_days`` of the cluster's (±1 day for day-precision dates; overlapping ranges for
  coarser ones), and starts no later than ``2 × window_days`` after the end of the cluster's
  first mention; otherwise it starts a new cluster. The second condition caps a cluster's
  span, so an event repeated every day does not chain into one endless cluster.
  Undated mentions are clusters of their own.

Because every key touched by new documents is regrouped from all of its mentions, the result
does not depend on the order in which documents arrive, re-coding a document replaces its
mentions (nothing is counted twice), and counts are always current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, exists, insert, select, update

from dotterel.corpus.tables import cluster_mentions as CM
from dotterel.corpus.tables import ensure_tables
from dotterel.corpus.tables import event_clusters as EC
from dotterel.store import schema as S

DEFAULT_WINDOW_DAYS = 1
NEGATIVE = {"negated", "denied"}
_CHUNK = 400


def _chunks(items: Sequence, n: int = _CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _party(country: str | None, name: str | None) -> str | None:
    if country:
        return country.upper()
    if name and name.strip():
        return "~" + " ".join(name.lower().split())
    return None


def cluster_key(event_type: str, status: str | None, reciprocal: bool, actors: Iterable[str],
                recipients: Iterable[str], event_id: str) -> str:
    """The key two mentions must share to be clustered (see the module docstring)."""
    a, r = sorted(set(actors)), sorted(set(recipients))
    neg = "!" if status in NEGATIVE else ""
    if not a and not r:
        return f"{neg}{event_type}|#{event_id}"
    sig = "+".join(sorted(set(a) | set(r))) if reciprocal else ",".join(a) + ">" + ",".join(r)
    key = f"{neg}{event_type}|{sig}"
    if len(key) > 200:
        key = key[:180] + "#" + hashlib.sha1(key.encode()).hexdigest()[:16]
    return key


def _day(s: str | None) -> int | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10]).toordinal()
    except ValueError:
        return None


@dataclass(slots=True)
class _M:
    row: dict
    start: int | None
    end: int | None


def group_mentions(rows: list[dict], window_days: int = DEFAULT_WINDOW_DAYS) -> list[list[dict]]:
    """Split mentions of one key into clusters (deterministic, order-independent)."""
    ms = [_M(r, _day(r["date_start"]), _day(r["date_end"] or r["date_start"])) for r in rows]
    dated = sorted((m for m in ms if m.start is not None),
                   key=lambda m: (m.start, m.end if m.end is not None else m.start, m.row["event_id"]))
    groups: list[list[dict]] = []
    anchor_end = latest_end = 0
    for m in dated:
        end = m.end if m.end is not None and m.end >= m.start else m.start
        if groups and m.start <= latest_end + window_days and m.start <= anchor_end + 2 * window_days:
            groups[-1].append(m.row)
            latest_end = max(latest_end, end)
        else:
            groups.append([m.row])
            anchor_end = latest_end = end
    groups.extend([m.row] for m in sorted((m for m in ms if m.start is None), key=lambda m: m.row["event_id"]))
    return groups


def _cluster_row(key: str, members: list[dict]) -> dict:
    anchor = members[0]["event_id"]
    cid = hashlib.sha1(f"{key}|{anchor}".encode()).hexdigest()[:20]
    rep = max(members, key=lambda m: (m["confidence"] or 0.0, -(_day(m["published"]) or 0), m["event_id"]))
    starts = [m["date_start"] for m in members if m["date_start"]]
    ends = [m["date_end"] or m["date_start"] for m in members if m["date_end"] or m["date_start"]]
    seen = [m["published"] for m in members if m["published"]]
    sources = {m["source"].strip().lower() if m["source"] and m["source"].strip() else f"doc:{m['doc_id']}" for m in members}
    return {
        "id": cid, "cluster_key": key, "event_type": rep["event_type"], "mode": rep["mode"], "cameo": rep["cameo"],
        "quad_class": rep["quad_class"], "intensity": rep["intensity"], "status": rep["status"],
        "reciprocal": rep["reciprocal"], "actor_countries": rep["actor_countries"],
        "recipient_countries": rep["recipient_countries"], "actor_names": rep["actor_names"],
        "recipient_names": rep["recipient_names"],
        "date_start": min(starts) if starts else None, "date_end": max(ends) if ends else None,
        "first_seen": min(seen) if seen else None, "last_seen": max(seen) if seen else None,
        "n_mentions": len(members), "n_articles": len({m["doc_id"] for m in members}), "n_sources": len(sources),
        "representative_event_id": rep["event_id"], "confidence": max((m["confidence"] or 0.0) for m in members),
    }


def _mention_rows(conn, doc_ids: Sequence[str]) -> list[dict]:
    """Mention rows (with their cluster keys) for the events currently stored for ``doc_ids``."""
    e, p, d = S.events.c, S.event_parties.c, S.documents.c
    rows: list[dict] = []
    for chunk in _chunks(list(doc_ids)):
        events = conn.execute(
            select(e.id, e.doc_id, e.event_type, e.mode, e.cameo, e.quad_class, e.intensity, e.status, e.reciprocal,
                   e.actor_names, e.recipient_names, e.date_start, e.date_end, e.sentence, e.sentence_text,
                   e.trigger_text, e.trigger_start, e.trigger_end, e.source, e.published, e.confidence,
                   d.content_hash, d.url)
            .select_from(S.events.join(S.documents, S.documents.c.id == e.doc_id, isouter=True))
            .where(e.doc_id.in_(chunk))).all()
        if not events:
            continue
        sides: dict[tuple[str, str], list[str]] = defaultdict(list)
        countries: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ids in _chunks([r.id for r in events]):
            for r in conn.execute(select(p.event_id, p.side, p.country, p.name).where(p.event_id.in_(ids))):
                tok = _party(r.country, r.name)
                if tok:
                    sides[(r.event_id, r.side)].append(tok)
                if r.country:
                    countries[(r.event_id, r.side)].append(r.country.upper())
        for r in events:
            a, b = sides[(r.id, "actor")], sides[(r.id, "recipient")]
            rows.append({
                "event_id": r.id, "cluster_id": None,
                "cluster_key": cluster_key(r.event_type, r.status, bool(r.reciprocal), a, b, r.id),
                "doc_id": r.doc_id, "content_hash": r.content_hash, "event_type": r.event_type, "mode": r.mode,
                "cameo": r.cameo, "quad_class": r.quad_class, "intensity": r.intensity, "status": r.status,
                "reciprocal": bool(r.reciprocal),
                "actor_countries": ",".join(sorted(set(countries[(r.id, "actor")]))) or None,
                "recipient_countries": ",".join(sorted(set(countries[(r.id, "recipient")]))) or None,
                "actor_names": r.actor_names, "recipient_names": r.recipient_names,
                "date_start": r.date_start, "date_end": r.date_end, "sentence": r.sentence,
                "sentence_text": r.sentence_text, "trigger_text": r.trigger_text, "trigger_start": r.trigger_start,
                "trigger_end": r.trigger_end, "source": r.source, "url": r.url, "published": r.published,
                "confidence": r.confidence,
            })
    return rows


def _regroup(conn, keys: set[str], window_days: int) -> None:
    cols = [CM.c.event_id, CM.c.cluster_id, CM.c.cluster_key, CM.c.doc_id, CM.c.event_type, CM.c.mode, CM.c.cameo,
            CM.c.quad_class, CM.c.intensity, CM.c.status, CM.c.reciprocal, CM.c.actor_countries,
            CM.c.recipient_countries, CM.c.actor_names, CM.c.recipient_names, CM.c.date_start, CM.c.date_end,
            CM.c.source, CM.c.published, CM.c.confidence]
    for chunk in _chunks(sorted(keys)):
        by_key: dict[str, list[dict]] = defaultdict(list)
        for r in conn.execute(select(*cols).where(CM.c.cluster_key.in_(chunk))):
            by_key[r.cluster_key].append(dict(r._mapping))
        conn.execute(delete(EC).where(EC.c.cluster_key.in_(chunk)))
        new_rows: list[dict] = []
        changed: list[dict] = []
        for key, rows in by_key.items():
            for members in group_mentions(rows, window_days):
                crow = _cluster_row(key, members)
                new_rows.append(crow)
                changed.extend({"b_event": m["event_id"], "b_cluster": crow["id"]}
                               for m in members if m["cluster_id"] != crow["id"])
        if new_rows:
            conn.execute(insert(EC), new_rows)
        if changed:
            conn.execute(update(CM).where(CM.c.event_id == bindparam("b_event")).values(cluster_id=bindparam("b_cluster")),
                         changed)


def update_clusters(store, doc_ids: Iterable[str] | None = None, *,
                    window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Bring the clusters up to date with the stored events of ``doc_ids`` (call it after saving
    them; re-coded documents have their old mentions replaced). ``None`` synchronises
    everything: documents whose events are not clustered yet and mentions whose event is gone.
    Returns the number of cluster keys regrouped. One transaction."""
    ensure_tables(store.engine)
    with store.engine.begin() as conn:
        if doc_ids is None:
            e = S.events.c
            missing = select(e.doc_id).where(~exists().where(CM.c.event_id == e.id)).distinct()
            gone = select(CM.c.doc_id).where(~exists().where(S.events.c.id == CM.c.event_id)).distinct()
            ids = sorted(set(conn.scalars(missing)) | set(conn.scalars(gone)))
        else:
            ids = sorted({S.storage_id(i) for i in doc_ids})
        if not ids:
            return 0
        keys: set[str] = set()
        for chunk in _chunks(ids):
            keys.update(conn.scalars(select(CM.c.cluster_key).where(CM.c.doc_id.in_(chunk)).distinct()))
            conn.execute(delete(CM).where(CM.c.doc_id.in_(chunk)))
        rows = _mention_rows(conn, ids)
        if rows:
            conn.execute(insert(CM), rows)
        keys.update(r["cluster_key"] for r in rows)
        _regroup(conn, keys, window_days)
        return len(keys)


def rebuild_clusters(store, *, window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Recompute every cluster from the stored events (e.g. with another window)."""
    ensure_tables(store.engine)
    with store.engine.begin() as conn:
        conn.execute(delete(CM))
        conn.execute(delete(EC))
    with store.engine.connect() as conn:
        ids = list(conn.scalars(select(S.documents.c.id)))
    n = 0
    for chunk in _chunks(ids, 2000):
        n += update_clusters(store, chunk, window_days=window_days)
    return n
