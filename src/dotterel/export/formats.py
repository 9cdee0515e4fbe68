"""Exporting stored events in analysts' formats: PLOVER JSON lines, a flat CSV/Parquet table,
and the column sets of GDELT 2.0, ICEWS, POLECAT and Phoenix. One row per coded event, or
(``clusters=True``) one row per cross-document event cluster. See docs/exports.md for every
column and what fills it.

Codes (CAMEO, quad class, country, sector) are written as strings where the dataset treats
them as codes; dates are ISO 8601 (``YYYY-MM-DD``; GDELT's own integer ``YYYYMMDD`` form for
its date columns). Columns a dataset defines but Dotterel does not produce are present and
empty. The container follows the file name for the dataset formats: ``.parquet`` → Parquet,
``.tsv``/``.txt``/``.tab`` → tab-separated, anything else → CSV; all with a header row.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, select

from dotterel.errors import DotterelError, ErrorCode
from dotterel.records.models import EventRecord, SideActor
from dotterel.store import schema as S

FORMATS = ("plover-jsonl", "csv", "parquet", "gdelt", "icews", "polecat", "phoenix")

# -- column sets ---------------------------------------------------------------------------------
FLAT_COLUMNS: tuple[str, ...] = (
    "event_id", "doc_id", "cluster_id", "date", "date_end", "date_basis", "event_type", "mode", "context", "cameo",
    "quad_class", "intensity", "status", "reciprocal", "actor_name", "actor_country", "actor_sector", "actor_id",
    "actor_text", "recipient_name", "recipient_country", "recipient_sector", "recipient_id", "recipient_text",
    "location", "location_country", "attribution", "confidence", "sentence", "sentence_text", "trigger",
    "trigger_start", "trigger_end", "n_mentions", "n_articles", "n_sources", "first_seen", "last_seen", "source",
    "published", "url", "title",
)
FLAT_TYPES = {"quad_class": "str", "intensity": "float", "reciprocal": "bool", "confidence": "float", "sentence": "int",
              "trigger_start": "int", "trigger_end": "int", "n_mentions": "int", "n_articles": "int", "n_sources": "int"}

_GEO = ("Type", "Fullname", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{c}" for n in (1, 2) for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                                                 "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *(f"{p}Geo_{g}" for p in ("Actor1", "Actor2", "Action") for g in _GEO),
    "DATEADDED", "SOURCEURL",
)
GDELT_TYPES = {"GLOBALEVENTID": "int", "SQLDATE": "int", "MonthYear": "int", "Year": "int", "FractionDate": "float",
               "IsRootEvent": "int", "QuadClass": "int", "GoldsteinScale": "float", "NumMentions": "int",
               "NumSources": "int", "NumArticles": "int", "AvgTone": "float", "DATEADDED": "int",
               **{f"{p}Geo_{g}": t for p in ("Actor1", "Actor2", "Action") for g, t in (("Type", "int"), ("Lat", "float"),
                                                                                         ("Long", "float"))}}

ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)
ICEWS_TYPES = {"Intensity": "float", "Sentence Number": "int", "Latitude": "float", "Longitude": "float"}

POLECAT_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "State", "Country", "GeoNames ID", "Raw Placename", "Feature Type", "Source",
    "Publication Date", "Story People", "Story Organizations", "Story Locations", "Language", "Version",
    "Latitude", "Longitude",
)
POLECAT_TYPES = {"Event Intensity": "float", "Latitude": "float", "Longitude": "float"}

PHOENIX_COLUMNS: tuple[str, ...] = (
    "eid", "story_date", "year", "month", "day", "source", "source_root", "source_agent", "source_others",
    "target", "target_root", "target_agent", "target_others", "code", "root_code", "quad_class", "goldstein",
    "joined_issues", "lat", "lon", "placename", "statename", "countryname", "aid", "process", "url",
)
PHOENIX_TYPES = {"year": "int", "month": "int", "day": "int", "goldstein": "float", "lat": "float", "lon": "float"}

PLOVER_FIELDS: tuple[str, ...] = (
    "id", "date", "enddate", "source", "recipient", "event", "event_loc", "event_text", "quad_code", "event_scale",
    "mode", "context", "link", "text_info", "cite_info", "coder", "coded_date",
    # Dotterel's own fields (PLOVER allows providers to add named fields)
    "doc_id", "status", "cameo", "reciprocal", "date_basis", "confidence", "trigger", "num_mentions", "num_articles",
    "num_sources", "first_seen", "last_seen",
)

#: The columns (or JSON fields) of each format, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "plover-jsonl": PLOVER_FIELDS, "csv": FLAT_COLUMNS, "parquet": FLAT_COLUMNS, "gdelt": GDELT_COLUMNS,
    "icews": ICEWS_COLUMNS, "polecat": POLECAT_COLUMNS, "phoenix": PHOENIX_COLUMNS,
}
TYPES: dict[str, dict[str, str]] = {"csv": FLAT_TYPES, "parquet": FLAT_TYPES, "gdelt": GDELT_TYPES,
                                    "icews": ICEWS_TYPES, "polecat": POLECAT_TYPES, "phoenix": PHOENIX_TYPES}


# -- what is exported -------------------------------------------------------------------------------
@dataclass(slots=True)
class Item:
    """One exported unit: a coded event, or a cluster (with its representative event)."""

    event: EventRecord
    doc_id: str
    source: str | None
    published: str | None
    url: str | None
    title: str | None
    coded_at: str | None
    cluster_id: str | None = None
    cluster: dict | None = None  # the event_clusters row when exporting clusters

    @property
    def date_start(self) -> str | None:
        return (self.cluster or {}).get("date_start") or self.event.date.start

    @property
    def date_end(self) -> str | None:
        return (self.cluster or {}).get("date_end") or self.event.date.end

    @property
    def counts(self) -> tuple[int, int, int]:
        if self.cluster:
            return int(self.cluster["n_mentions"]), int(self.cluster["n_articles"]), int(self.cluster["n_sources"])
        return max(1, len(self.event.mentions)), 1, 1

    @property
    def seen(self) -> tuple[str | None, str | None]:
        if self.cluster:
            return self.cluster.get("first_seen"), self.cluster.get("last_seen")
        return self.published, self.published

    @property
    def export_id(self) -> str:
        return self.cluster["id"] if self.cluster else self.event.id


def _has(engine, table: str) -> bool:
    return inspect(engine).has_table(table)


def iter_items(store, *, clusters: bool = False, batch: int = 2000) -> Iterator[Item]:
    """Events (or clusters) from ``store`` in date order, streamed."""
    from dotterel.corpus.tables import cluster_mentions as CM
    from dotterel.corpus.tables import event_clusters as EC

    e, d = S.events.c, S.documents.c
    base = [e.record, e.doc_id, e.source, e.published, d.url, d.title, d.coded_at]
    if clusters:
        from dotterel.corpus.cluster import update_clusters

        update_clusters(store)  # bring clusters up to date with whatever was stored since
        stmt = (select(EC, *base).select_from(EC.join(S.events, S.events.c.id == EC.c.representative_event_id)
                                              .join(S.documents, S.documents.c.id == e.doc_id, isouter=True))
                .order_by(EC.c.date_start, EC.c.id))
    elif _has(store.engine, "cluster_mentions"):
        stmt = (select(*base, CM.c.cluster_id).select_from(
            S.events.join(S.documents, S.documents.c.id == e.doc_id, isouter=True)
            .join(CM, CM.c.event_id == e.id, isouter=True)).order_by(e.date_start, e.doc_id, e.trigger_start, e.id))
    else:
        stmt = (select(*base).select_from(S.events.join(S.documents, S.documents.c.id == e.doc_id, isouter=True))
                .order_by(e.date_start, e.doc_id, e.trigger_start, e.id))
    with store.engine.connect() as conn:
        for r in conn.execution_options(yield_per=batch).execute(stmt):
            m = r._mapping
            cluster = {c.name: m[c] for c in EC.c} if clusters else None
            yield Item(event=EventRecord.model_validate_json(m[e.record]), doc_id=m[e.doc_id], source=m[e.source],
                       published=m[e.published], url=m[d.url], title=m[d.title], coded_at=m[d.coded_at],
                       cluster_id=cluster["id"] if cluster else m.get("cluster_id"), cluster=cluster)


# -- helpers -----------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=code.upper())
    except (ImportError, LookupError, KeyError):
        c = None
    return c.name if c is not None else code


@functools.lru_cache(maxsize=1)
def _cameo_names() -> dict[str, str]:
    try:
        from dotterel.events.lexicon import load_lexicon

        return {k: v.name for k, v in load_lexicon(()).cameo.items()}
    except Exception:
        return {}


def _join(values: list[str | None], sep: str = "|") -> str | None:
    vals = [v for v in values if v]
    return sep.join(dict.fromkeys(vals)) or None


def _names(side: list[SideActor]) -> str | None:
    return _join([a.name or a.text for a in side])


def _code(a: SideActor) -> str | None:
    return ((a.country or "") + (a.sector or "")) or None


def _wikidata(a: SideActor) -> str | None:
    return a.id if a.id and a.id.startswith("Q") and a.id[1:].isdigit() else None


def _ymd(day: str | None) -> tuple[int, int, int] | None:
    try:
        d = dt.date.fromisoformat(day[:10]) if day else None
    except ValueError:
        d = None
    return (d.year, d.month, d.day) if d else None


def _numeric_id(hexid: str) -> int:
    try:
        return int(hexid[:15], 16)
    except ValueError:
        import hashlib

        return int(hashlib.sha1(hexid.encode()).hexdigest()[:15], 16)


def _version() -> str:
    from dotterel import __version__

    return __version__


# -- row builders ------------------------------------------------------------------------------------
def flat_row(it: Item) -> dict:
    e = it.event
    n_m, n_a, n_s = it.counts
    first, last = it.seen
    return {
        "event_id": e.id, "doc_id": it.doc_id, "cluster_id": it.cluster_id, "date": it.date_start, "date_end": it.date_end,
        "date_basis": e.date.basis, "event_type": e.event_type, "mode": e.mode, "context": _join(e.context),
        "cameo": e.cameo, "quad_class": str(e.quad_class), "intensity": e.intensity, "status": e.status,
        "reciprocal": e.reciprocal,
        "actor_name": _names(e.actor), "actor_country": _join([a.country for a in e.actor]),
        "actor_sector": _join([a.sector for a in e.actor]), "actor_id": _join([a.id for a in e.actor]),
        "actor_text": _join([a.text for a in e.actor]),
        "recipient_name": _names(e.recipient), "recipient_country": _join([a.country for a in e.recipient]),
        "recipient_sector": _join([a.sector for a in e.recipient]), "recipient_id": _join([a.id for a in e.recipient]),
        "recipient_text": _join([a.text for a in e.recipient]),
        "location": e.location.name if e.location else None, "location_country": e.location.country if e.location else None,
        "attribution": (e.attribution.name or e.attribution.text) if e.attribution else None,
        "confidence": e.confidence, "sentence": e.sentence, "sentence_text": e.sentence_text, "trigger": e.trigger.text,
        "trigger_start": e.trigger.start, "trigger_end": e.trigger.end, "n_mentions": n_m, "n_articles": n_a,
        "n_sources": n_s, "first_seen": first, "last_seen": last, "source": it.source, "published": it.published,
        "url": it.url, "title": it.title,
    }


def _plover_actor(a: SideActor) -> dict:
    return {"code": a.country, "sector": a.sector, "actor_text": a.text, "identifier_id": a.id,
            "identifier_text": a.name}


def plover_row(it: Item) -> dict:
    e = it.event
    n_m, n_a, n_s = it.counts
    first, last = it.seen
    return {
        "id": it.export_id, "date": it.date_start, "enddate": it.date_end,
        "source": [_plover_actor(a) for a in e.actor], "recipient": [_plover_actor(a) for a in e.recipient],
        "event": [e.event_type],
        "event_loc": {"name": e.location.name, "cc3": e.location.country} if e.location else None,
        "event_text": [e.sentence_text], "quad_code": e.quad_class, "event_scale": e.intensity,
        "mode": e.mode or "", "context": list(e.context), "link": it.cluster_id,
        "text_info": {"sequence": e.sentence, "start": e.trigger.start, "end": e.trigger.end},
        "cite_info": {"corpus": it.source, "citation": it.doc_id, "url": it.url, "title": it.title, "language": "en",
                      "publication": it.source, "coder": f"dotterel {_version()}", "codebook": "plover"},
        "coder": f"dotterel {_version()}", "coded_date": (it.coded_at or "")[:10] or None,
        "doc_id": it.doc_id, "status": e.status, "cameo": e.cameo, "reciprocal": e.reciprocal,
        "date_basis": e.date.basis, "confidence": e.confidence, "trigger": e.trigger.text,
        "num_mentions": n_m, "num_articles": n_a, "num_sources": n_s, "first_seen": first, "last_seen": last,
    }


def _gdelt_actor(n: int, side: list[SideActor]) -> dict:
    a = side[0] if side else None
    return {f"Actor{n}Code": _code(a) if a else None, f"Actor{n}Name": (a.name or a.text) if a else None,
            f"Actor{n}CountryCode": a.country if a else None, f"Actor{n}Type1Code": a.sector if a else None}


def gdelt_row(it: Item) -> dict:
    e = it.event
    row: dict = dict.fromkeys(GDELT_COLUMNS)
    ymd = _ymd(it.date_start)
    n_m, n_a, n_s = it.counts
    row.update({
        "GLOBALEVENTID": _numeric_id(it.export_id),
        "SQLDATE": ymd[0] * 10000 + ymd[1] * 100 + ymd[2] if ymd else None,
        "MonthYear": ymd[0] * 100 + ymd[1] if ymd else None, "Year": ymd[0] if ymd else None,
        "FractionDate": round(ymd[0] + (dt.date(*ymd).timetuple().tm_yday - 1) / 365, 4) if ymd else None,
        **_gdelt_actor(1, e.actor), **_gdelt_actor(2, e.recipient),
        "IsRootEvent": 1 if e.sentence == 0 else 0, "EventCode": e.cameo, "EventBaseCode": e.cameo[:3] or None,
        "EventRootCode": e.cameo[:2] or None, "QuadClass": e.quad_class, "GoldsteinScale": e.intensity,
        "NumMentions": n_m, "NumSources": n_s, "NumArticles": n_a,
        "SOURCEURL": it.url or it.doc_id,
    })
    if e.location is not None:
        row["ActionGeo_Fullname"] = e.location.name
    added = (it.coded_at or "")[:19]
    if added:
        row["DATEADDED"] = int("".join(ch for ch in added if ch.isdigit())[:14].ljust(14, "0"))
    return row


def icews_row(it: Item) -> dict:
    e = it.event
    return {
        "Event ID": it.export_id, "Event Date": it.date_start,
        "Source Name": _names(e.actor), "Source Sectors": _join([a.sector for a in e.actor], ", "),
        "Source Country": _join([country_name(a.country) for a in e.actor], ", "),
        "Event Text": _cameo_names().get(e.cameo), "CAMEO Code": e.cameo, "Intensity": e.intensity,
        "Target Name": _names(e.recipient), "Target Sectors": _join([a.sector for a in e.recipient], ", "),
        "Target Country": _join([country_name(a.country) for a in e.recipient], ", "),
        "Story ID": it.doc_id, "Sentence Number": e.sentence + 1, "Publisher": it.source,
        "City": None, "District": None, "Province": None,
        "Country": country_name(e.location.country) if e.location else None, "Latitude": None, "Longitude": None,
    }


def _polecat_side(prefix: str, side: list[SideActor]) -> dict:
    a = side[0] if side else None
    p = prefix
    return {
        f"{p} Name": _names(side), f"{p} Country": _join([x.country for x in side], ";"), f"{p} COW": None,
        f"Primary {p} Sector": a.sector if a else None, f"{p} Sectors": _join([x.sector for x in side], ";"),
        f"{p} Title": None, f"{p} Name Raw": _join([x.text for x in side], ";"),
        f"Wikipedia {p} ID": _join([_wikidata(x) for x in side], ";"),
    }


def polecat_row(it: Item) -> dict:
    e = it.event
    row: dict = dict.fromkeys(POLECAT_COLUMNS)
    row.update({
        "Event ID": it.export_id, "Event Date": it.date_start, "Event Type": e.event_type,
        "Event Mode": e.mode, "Event Intensity": e.intensity, "Quad Code": str(e.quad_class),
        "Contexts": _join(e.context, ";"), **_polecat_side("Actor", e.actor), **_polecat_side("Recipient", e.recipient),
        "Placename": e.location.name if e.location else None,
        "Country": e.location.country if e.location else None,
        "Raw Placename": e.location.name if e.location else None,
        "Source": it.source, "Publication Date": it.published, "Language": "en", "Version": f"dotterel-{_version()}",
    })
    return row


def _phoenix_side(prefix: str, side: list[SideActor]) -> dict:
    a = side[0] if side else None
    return {prefix: _code(a) if a else None, f"{prefix}_root": a.country if a else None,
            f"{prefix}_agent": a.sector if a else None, f"{prefix}_others": _join([_code(x) for x in side[1:]], ";")}


def phoenix_row(it: Item) -> dict:
    e = it.event
    ymd = _ymd(it.date_start)
    return {
        "eid": it.export_id, "story_date": it.published or it.date_start,
        "year": ymd[0] if ymd else None, "month": ymd[1] if ymd else None, "day": ymd[2] if ymd else None,
        **_phoenix_side("source", e.actor), **_phoenix_side("target", e.recipient),
        "code": e.cameo, "root_code": e.cameo[:2] or None, "quad_class": str(e.quad_class), "goldstein": e.intensity,
        "joined_issues": _join(e.context, ";"), "lat": None, "lon": None,
        "placename": e.location.name if e.location else None, "statename": None,
        "countryname": country_name(e.location.country) if e.location else None,
        "aid": it.doc_id, "process": f"dotterel-{_version()}", "url": it.url,
    }


ROW_BUILDERS: dict[str, Callable[[Item], dict]] = {
    "plover-jsonl": plover_row, "csv": flat_row, "parquet": flat_row, "gdelt": gdelt_row, "icews": icews_row,
    "polecat": polecat_row, "phoenix": phoenix_row,
}


# -- writers -----------------------------------------------------------------------------------------
def container_for(fmt: str, out: Path) -> str:
    """``jsonl``, ``parquet``, ``tsv`` or ``csv``: what file ``fmt`` is written as at ``out``."""
    if fmt == "plover-jsonl":
        return "jsonl"
    if fmt in ("csv", "parquet"):
        return fmt
    name = out.name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".tsv", ".txt", ".tab")):
        return "tsv"
    return "csv"


def _cell(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _arrow_type(kind: str):
    import pyarrow as pa

    return {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}.get(kind, pa.string())


def _write_parquet(path: Path, columns: tuple[str, ...], types: dict[str, str], rows: Iterator[dict]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, _arrow_type(types.get(c, "str"))) for c in columns])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        buf: list[dict] = []

        def flush() -> None:
            cols = {c: [r.get(c) if types.get(c, "str") != "str" or r.get(c) is None else str(r.get(c)) for r in buf]
                    for c in columns}
            writer.write_table(pa.table(cols, schema=schema))
            buf.clear()

        for row in rows:
            buf.append(row)
            n += 1
            if len(buf) >= 10_000:
                flush()
        if buf or n == 0:
            flush()
    return n


def write_rows(fmt: str, rows: Iterator[dict], out: Path) -> int:
    """Write ``rows`` of ``fmt`` to ``out`` (atomically: temp file + rename). Returns the row count."""
    columns = COLUMNS[fmt]
    container = container_for(fmt, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    n = 0
    try:
        if container == "jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps({k: row.get(k) for k in columns}, ensure_ascii=False) + "\n")
                    n += 1
        elif container == "parquet":
            n = _write_parquet(tmp, columns, TYPES.get(fmt, {}), rows)
        else:
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, delimiter="\t" if container == "tsv" else ",")
                w.writerow(columns)
                for row in rows:
                    w.writerow([_cell(row.get(c)) for c in columns])
                    n += 1
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


def open_source(target: str | Path):
    """A store for ``target``: a database path/URL, or a ``dotterel corpus --out`` folder (its
    Parquet shards are loaded into an in-memory store)."""
    from dotterel.store import Store

    path = Path(str(target)).expanduser()
    if path.is_dir():
        import pyarrow.parquet as pq

        from dotterel.corpus.manifest import SHARD_DIR
        from dotterel.records.models import CodedDocument

        files = sorted((path / SHARD_DIR).glob("*.parquet"))
        if not files:
            raise DotterelError(ErrorCode.INPUT_NOT_FOUND, path=str(path / SHARD_DIR / "*.parquet"))
        store = Store("sqlite://")
        for f in files:
            t = pq.read_table(f, columns=["coded", "text"]).to_pylist()
            store.save_many((CodedDocument.model_validate_json(r["coded"]), r["text"] or "") for r in t)
        return store
    if "://" not in str(target) and not path.exists():
        raise DotterelError(ErrorCode.INPUT_NOT_FOUND, path=str(target))
    return Store(target)


def export_events(target, fmt: str, out: str | Path, *, clusters: bool = False) -> int:
    """Export the events (or clusters) of ``target`` — a :class:`~dotterel.store.Store`, a store
    path/URL, or a corpus ``--out`` folder — as ``fmt`` to ``out``. Returns the number of rows."""
    if fmt not in FORMATS:
        raise DotterelError(ErrorCode.BAD_SETTING, name="--format", reason=f"use one of {', '.join(FORMATS)}")
    from dotterel.store import Store

    store = target if isinstance(target, Store) else open_source(target)
    try:
        builder = ROW_BUILDERS[fmt]
        return write_rows(fmt, (builder(it) for it in iter_items(store, clusters=clusters)), Path(out))
    finally:
        if store is not target:
            store.close()
