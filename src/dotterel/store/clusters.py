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

Grouping is a left-to-right scan over a key's sorted mentions whose clusters are contiguous
runs, so a change at one position cannot alter the clusters before it. New (or removed) mentions
are therefore regrouped incrementally: from the last cluster of their key that starts before
the first change (found in a short date window before it, in wider ones when it holds none, and
in the whole key as a last resort) to the end of the key. In a feed that arrives roughly in date order that is a few
days of mentions; the result is the same as regrouping every mention
(:func:`rebuild_clusters`), whatever the order in which documents arrive, and re-coding a
document replaces its mentions (nothing is counted twice).

The tables (:data:`~dotterel.store.schema.event_clusters`,
:data:`~dotterel.store.schema.cluster_mentions`) are derived tables of the store:
:meth:`Store.save_many(..., cluster=True) <dotterel.store.sql.Store.save_many>` keeps them
current in the same transaction; :func:`update_clusters` catches up after saves made without.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, exists, insert, select, update

from dotterel.store import schema as S
from dotterel.store.bulk import fetch_in, insert_rows
from dotterel.store.schema import cluster_mentions as CM
from dotterel.store.schema import event_clusters as EC

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


@functools.lru_cache(maxsize=1 << 16)
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
    start: int
    end: int | None


def group_mentions(rows: list[dict], window_days: int = DEFAULT_WINDOW_DAYS) -> list[list[dict]]:
    """Split mentions of one key into clusters (deterministic, order-independent)."""
    if len(rows) == 1:  # most keys of a large store: a cluster of one
        return [[rows[0]]]
    undated = [r for r in rows if _day(r["date_start"]) is None]
    ms = [_M(r, start, _day(r["date_end"] or r["date_start"])) for r in rows if (start := _day(r["date_start"])) is not None]
    dated = sorted(ms, key=lambda m: (m.start, m.end if m.end is not None else m.start, m.row["event_id"]))
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
    groups.extend([r] for r in sorted(undated, key=lambda r: r["event_id"]))
    return groups


def cluster_id(key: str, anchor_event_id: str) -> str:
    """A cluster's id: its key and its first mention (so an unchanged cluster keeps its id)."""
    return hashlib.sha1(f"{key}|{anchor_event_id}".encode()).hexdigest()[:20]


def _cluster_row(key: str, members: list[dict]) -> dict:
    cid = cluster_id(key, members[0]["event_id"])
    if len(members) == 1:  # the same values as below, without the aggregates
        rep = members[0]
        start, end, seen = rep["date_start"] or None, rep["date_end"] or rep["date_start"] or None, rep["published"] or None
        return {
            "id": cid, "cluster_key": key, "event_type": rep["event_type"], "mode": rep["mode"], "cameo": rep["cameo"],
            "quad_class": rep["quad_class"], "intensity": rep["intensity"], "status": rep["status"],
            "reciprocal": rep["reciprocal"], "actor_countries": rep["actor_countries"],
            "recipient_countries": rep["recipient_countries"], "actor_names": rep["actor_names"],
            "recipient_names": rep["recipient_names"], "date_start": start, "date_end": end,
            "first_seen": seen, "last_seen": seen, "n_mentions": 1, "n_articles": 1, "n_sources": 1,
            "representative_event_id": rep["event_id"], "confidence": rep["confidence"] or 0.0,
        }
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




def new_mention(ev: tuple, content_hash: str | None, url: str | None, actor: Sequence[tuple],
                recipient: Sequence[tuple]) -> dict:
    """The mention row of an event being saved, from its ``events`` row (a tuple in the column
    order of ``Store.save_many``'s events rows) and its parties (``(country, name, …)`` tuples):
    the same row :func:`_mention_rows` reads back from the stored events."""
    (eid, doc_id, etype, mode, cameo, quad, intensity, status, date_start, date_end, _basis, _ac, _rc, actor_names,
     recipient_names, reciprocal, confidence, sentence, sentence_text, trigger_text, trigger_start, trigger_end,
     _loc, source, published, _record) = ev
    a = [t for t in (_party(p[0], p[1]) for p in actor) if t]
    b = [t for t in (_party(p[0], p[1]) for p in recipient) if t]
    return {
        "event_id": eid, "cluster_id": None, "cluster_key": cluster_key(etype, status, bool(reciprocal), a, b, eid),
        "doc_id": doc_id, "content_hash": content_hash, "event_type": etype, "mode": mode, "cameo": cameo,
        "quad_class": quad, "intensity": intensity, "status": status, "reciprocal": bool(reciprocal),
        "actor_countries": ",".join(sorted({p[0].upper() for p in actor if p[0]})) or None,
        "recipient_countries": ",".join(sorted({p[0].upper() for p in recipient if p[0]})) or None,
        "actor_names": actor_names, "recipient_names": recipient_names,
        "date_start": date_start, "date_end": date_end, "sentence": sentence, "sentence_text": sentence_text,
        "trigger_text": trigger_text, "trigger_start": trigger_start, "trigger_end": trigger_end, "source": source,
        "url": url, "published": published, "confidence": confidence,
    }


def _mention_rows(conn: Connection, doc_ids: Sequence[str]) -> list[dict]:
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
        for pr in conn.execute(select(p.event_id, p.side, p.country, p.name).where(p.doc_id.in_(chunk))):
            tok = _party(pr.country, pr.name)
            if tok:
                sides[(pr.event_id, pr.side)].append(tok)
            if pr.country:
                countries[(pr.event_id, pr.side)].append(pr.country.upper())
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


_GROUP_COLS = ("event_id", "cluster_id", "cluster_key", "doc_id", "event_type", "mode", "cameo", "quad_class",
               "intensity", "status", "reciprocal", "actor_countries", "recipient_countries", "actor_names",
               "recipient_names", "date_start", "date_end", "source", "published", "confidence")


def _sort_key(r: dict) -> tuple[int, int, str] | None:
    """A mention's place in its key's scan, ``None`` for an undated one (a cluster of its own)."""
    start = _day(r["date_start"])
    if start is None:
        return None
    end = _day(r["date_end"] or r["date_start"])
    return start, end if end is not None else start, r["event_id"]


#: How far before the first change to look for the cluster the regrouping restarts from (days),
#: widened step by step for the keys whose window holds none; after the last one the whole key is
#: read. At 900k stored events one 14-day window left ~40 % of the touched keys to a whole-key
#: read, which returned twice as many rows as the windows (years of a key's history to find one
#: restart a few weeks back).
LOOKBACK_DAYS: tuple[int, ...] = (7, 30, 120, 400)


def remove_mentions(conn: Connection, doc_ids: Sequence[str]) -> list[dict]:
    """Delete the mentions of ``doc_ids``; returns what :func:`apply_changes` needs of them."""
    gone: list[dict] = []
    for chunk in _chunks(list(doc_ids)):
        gone += [dict(r._mapping) for r in conn.execute(
            select(CM.c.event_id, CM.c.cluster_id, CM.c.cluster_key, CM.c.date_start, CM.c.date_end)
            .where(CM.c.doc_id.in_(chunk)))]
        conn.execute(delete(CM).where(CM.c.doc_id.in_(chunk)))
    return gone


def apply_changes(conn: Connection, added: list[dict], removed: list[dict],
                  window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Insert the ``added`` mention rows and regroup what they and the ``removed`` ones (already
    deleted by :func:`remove_mentions`) change. Returns the number of keys touched."""
    from dotterel.store.rollups import lock

    lock(conn, "dotterel-clusters")  # PostgreSQL: concurrent writers regroup one after the other
    first: dict[str, tuple] = {}  # key -> earliest changed sort key among dated mentions
    dropped = {r["cluster_id"] for r in removed if r["cluster_id"]}  # clusters that lost a mention
    singles: list[dict] = []
    fresh: dict[str, list[dict]] = defaultdict(list)
    for r in removed + added:
        k = _sort_key(r)
        if k is not None and (r["cluster_key"] not in first or k < first[r["cluster_key"]]):
            first[r["cluster_key"]] = k
    for r in added:
        (singles if _sort_key(r) is None else fresh[r["cluster_key"]]).append(r)
    new_clusters: list[dict] = []
    moved: list[dict] = []
    lost = set(dropped)
    kept: set[str] = set()  # clusters whose members are the same as before: their rows stay
    for key, tail in _tails(conn, first).items():
        dropped.update(m["cluster_id"] for m in tail)
        new_clusters += _regroup_tail(key, tail, fresh.get(key, []), window_days, moved, lost, kept)
    for r in singles:
        crow = _cluster_row(r["cluster_key"], [r])
        r["cluster_id"] = crow["id"]
        new_clusters.append(crow)
    for chunk in _chunks(sorted(dropped - kept)):
        conn.execute(delete(EC).where(EC.c.id.in_(chunk)))
    _insert_dicts(conn, EC, new_clusters)
    _insert_dicts(conn, CM, added)
    if moved:
        conn.execute(update(CM).where(CM.c.event_id == bindparam("b_event")).values(cluster_id=bindparam("b_cluster")),
                     moved)
    return len(first) + len({r["cluster_key"] for r in singles} - set(first))


def _insert_dicts(conn: Connection, table, rows: list[dict]) -> None:
    cols = [c.name for c in table.columns]
    get = operator.itemgetter(*cols)
    insert_rows(conn, table, cols, [get(r) for r in rows])


def _regroup_tail(key: str, tail: list[dict], fresh: list[dict], window_days: int, moved: list[dict],
                  lost: set[str], kept: set[str]) -> list[dict]:
    """Cluster rows for a key's stored ``tail`` plus its ``fresh`` mentions; sets each new
    mention's ``cluster_id`` and adds the stored mentions that change cluster to ``moved``.
    A cluster made of exactly the stored members it had (none of them ``lost``, none added)
    is the same row as before: it goes to ``kept`` instead of being built again."""
    stored = {id(m) for m in tail}
    sizes = Counter(m["cluster_id"] for m in tail)
    rows = []
    for members in group_mentions(tail + fresh, window_days):
        cid = cluster_id(key, members[0]["event_id"])
        if cid not in lost and sizes[cid] == len(members) and all(m["cluster_id"] == cid for m in members):
            kept.add(cid)
            continue
        crow = _cluster_row(key, members)
        rows.append(crow)
        for m in members:
            if m.get("cluster_id") != crow["id"]:
                m["cluster_id"] = crow["id"]
                if id(m) in stored:
                    moved.append({"b_event": m["event_id"], "b_cluster": crow["id"]})
    return rows


def _by_key(rows: Iterable[Sequence]) -> dict[str, list[dict]]:
    """Mention rows (tuples of the :data:`_GROUP_COLS`) as dicts, by cluster key."""
    by_key: dict[str, list[dict]] = defaultdict(list)
    at = _GROUP_COLS.index("cluster_key")
    for r in rows:
        by_key[r[at]].append(dict(zip(_GROUP_COLS, r, strict=True)))
    return by_key


def _tails(conn: Connection, first: dict[str, tuple]) -> dict[str, list[dict]]:
    """For each key, the stored dated mentions from the last cluster that starts before the key's
    first change (a restart point: clusters are contiguous runs of the sorted mentions) to the end.
    Keys are read in chunks of similar first changes, so each chunk's date window is narrow; the
    keys whose window holds no restart point are read again with the next, wider window
    (:data:`LOOKBACK_DAYS`), and whole after the last one."""
    tails: dict[str, list[dict]] = {}
    pending = sorted(first, key=lambda k: (first[k], k))
    for days in LOOKBACK_DAYS:
        missed: list[str] = []
        for chunk in _chunks(pending):
            lo = first[chunk[0]][0] - days
            since = dt.date.fromordinal(max(1, lo)).isoformat()
            by_key = _by_key(fetch_in(conn, CM, _GROUP_COLS, "cluster_key", chunk, ("date_start", since)))
            for k in chunk:
                tail = _tail_from_restart(k, by_key.get(k, []), first[k], complete=False)
                if tail is None:
                    missed.append(k)
                else:
                    tails[k] = tail
        pending = sorted(missed, key=lambda k: (first[k], k))
    for chunk in _chunks(sorted(pending)):
        by_key = _by_key(fetch_in(conn, CM, _GROUP_COLS, "cluster_key", chunk))
        for k in chunk:
            tails[k] = _tail_from_restart(k, by_key.get(k, []), first[k], complete=True) or []
    return tails


def _tail_from_restart(key: str, rows: list[dict], change: tuple, complete: bool) -> list[dict] | None:
    """The mentions (sorted) from the restart point on; ``None`` when ``rows`` (a date window, not
    ``complete``) holds no cluster start before ``change``."""
    if not rows:
        return [] if complete else None
    dated = sorted(((k, r) for r in rows if (k := _sort_key(r)) is not None), key=operator.itemgetter(0))
    restart = None
    for i, (k, r) in enumerate(dated):
        if k >= change:
            break
        if r["cluster_id"] == cluster_id(key, r["event_id"]):
            restart = i
    if restart is None:
        if not complete:
            return None
        restart = 0  # nothing starts before the change: regroup the whole key
    return [r for _, r in dated[restart:]]


def update_clusters(store, doc_ids: Iterable[str] | None = None, *,
                    window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Bring the clusters up to date with the stored events of ``doc_ids`` (call it after saving
    them; re-coded documents have their old mentions replaced). ``None`` synchronises
    everything: documents whose events are not clustered yet and mentions whose event is gone.
    Returns the number of cluster keys touched. One transaction."""
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
        removed = remove_mentions(conn, ids)
        return apply_changes(conn, _mention_rows(conn, ids), removed, window_days)


def rebuild_clusters(store, *, window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Recompute every cluster from the stored events (e.g. with another window): every key is
    regrouped from all of its mentions. Returns the number of keys."""
    with store.engine.begin() as conn:
        conn.execute(delete(CM))
        conn.execute(delete(EC))
        ids = list(conn.scalars(select(S.documents.c.id)))
        keys: set[str] = set()
        for chunk in _chunks(ids, 2000):
            rows = _mention_rows(conn, chunk)
            if rows:
                conn.execute(insert(CM), rows)
            keys.update(r["cluster_key"] for r in rows)
        _regroup(conn, keys, window_days)
    return len(keys)


def _regroup(conn: Connection, keys: set[str], window_days: int) -> None:
    """Regroup every mention of ``keys`` from scratch (their clusters are already deleted)."""
    for chunk in _chunks(sorted(keys)):
        by_key = _by_key(fetch_in(conn, CM, _GROUP_COLS, "cluster_key", chunk))
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
