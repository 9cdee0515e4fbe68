"""The JSON API (``/api/...``). Reads are open; ``POST /api/code`` needs the server's write token.

Every GET endpoint rejects parameters it does not know with 400 (E202), and the OpenAPI schema
lists each parameter and the 400 answer actually sent."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from dotterel.errors import ErrorCode, message
from dotterel.export.writers import escape_formula
from dotterel.records.models import EVENT_TYPES, STATUSES, CodedDocument
from dotterel.store import StoredEvent, TimelinePoint
from dotterel.store import queries as Q
from dotterel.store.sql import DocumentSummary
from dotterel.web.charts import bucket, country_name, period_bounds
from dotterel.web.filters import (
    DEFAULT_STATUSES,
    check_known,
    many,
    parse_event_filter,
    sort_param,
    status_note,
    statuses_param,
    types_param,
)
from dotterel.web.query import (
    WebError,
    bad,
    country_param,
    date_param,
    not_found,
    period_param,
    text_param,
)
from dotterel.web.security import token_matches


def reject_unknown(request: Request) -> None:
    """400 (E202) for a query parameter the route does not declare."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    names: set[str] = set()
    stack = [dependant]
    while stack:
        d = stack.pop()
        names.update(p.alias for p in d.query_params)
        stack.extend(d.dependencies)
    check_known(request.query_params, names)


router = APIRouter(prefix="/api", dependencies=[Depends(reject_unknown)])


# -- response models (for the OpenAPI schema) -------------------------------------------------------

class ErrorDetail(BaseModel):
    code: str = Field(description="stable Dotterel error code, e.g. E202")
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page, or null on the last page")


class DocumentView(BaseModel):
    document: CodedDocument
    text: str = Field(description="the text the offsets refer to")


class NameReading(BaseModel):
    given: str = Field(description="the filter as given")
    read_as: str = Field(description="what it was read as, e.g. 'UK → GBR'")
    known: bool = Field(description="false: neither a country code nor a name of the gazetteer (matched as a stored name)")
    suggestions: list[str] = Field(description="close gazetteer names when not known")


class EventList(BaseModel):
    events: list[StoredEvent]
    total: int = Field(description="events matching the filters (all pages); when total_exact is false, a lower "
                                   "bound: more than this many match and they were not counted to the end")
    total_exact: bool = Field(True, description="false when total is the counting cap (filters the rollups cannot "
                                                "answer, with more matches than the cap)")
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page, or null on the last page")
    sort: str
    names: dict[str, NameReading] = Field(description="how the actor and recipient filters were read")


class ActorCount(BaseModel):
    country: str | None
    name: str | None
    actor_id: str | None
    n: int


class ActorList(BaseModel):
    actors: list[ActorCount]


class SpreadCount(BaseModel):
    start: str = Field(description="first day the date may be")
    end: str = Field(description="last day the date may be")
    quad_class: int
    count: int
    mean_intensity: float


class Timeline(BaseModel):
    a: str
    b: str
    period: str
    directed: bool
    statuses: list[str] = Field(description="statuses counted (empty: all)")
    counted: str = Field(description="what is counted, in words")
    points: list[TimelinePoint] = Field(description="events whose date falls in one period")
    spread: list[SpreadCount] = Field(description="events dated only to a range wider than one period (month, year)")
    undated: int = Field(description="matching events without a date (not drawn)")


class CountryPoint(BaseModel):
    period: str
    start: str = Field(description="first day of the period")
    count: int = Field(description="events with the country on either side")
    documents: int = Field(description="documents published in the period")
    per_100_documents: float | None = Field(description="count / documents x 100 (null without documents)")


class CountryTimeline(BaseModel):
    country: str
    name: str
    period: str
    statuses: list[str]
    counted: str
    points: list[CountryPoint]
    spread: list[SpreadCount]


class NetworkNode(BaseModel):
    id: str
    name: str
    count: int = Field(description="events on the node's links (a link's events counted for both ends)")


class NetworkEdge(BaseModel):
    actor_country: str
    recipient_country: str
    count: int = Field(description="events linking the pair (each event once per pair)")
    mean_intensity: float


class Network(BaseModel):
    statuses: list[str]
    counted: str
    domestic: str
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class MapCountry(BaseModel):
    country: str
    name: str
    count: int


class MapData(BaseModel):
    statuses: list[str]
    counted: str
    countries: list[MapCountry] = Field(description="events per country where they took place (location.country)")


class LinkedEvent(BaseModel):
    id: str
    event_type: str
    status: str
    date: str | None
    trigger: str


class QuoteItem(BaseModel):
    doc_id: str
    index: int = Field(description="index into the document's quotes")
    text: str
    kind: str | None
    cue: str | None
    channel: str | None
    speaker: str | None
    speaker_country: str | None
    published: str | None
    title: str | None
    source: str | None
    events: list[LinkedEvent] = Field(description="events coded inside the quote")


class QuoteList(BaseModel):
    quotes: list[QuoteItem]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class ClusterList(BaseModel):
    clusters: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next_offset: int | None
    note: str | None = None


class ClusterView(BaseModel):
    cluster: dict[str, Any]
    mentions: list[dict[str, Any]]


ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorBody, "description": "bad or unknown parameter (E202)"},
          404: {"model": ErrorBody, "description": "not found (E201)"}}


def _ctx(request: Request):
    return request.app.state.web


def _page(n_rows: int, limit: int, offset: int) -> int | None:
    return offset + limit if n_rows > limit else None


def _next(total: int, limit: int, offset: int) -> int | None:
    return offset + limit if offset + limit < total else None


# -- reading ---------------------------------------------------------------------------------------

@router.get("/documents", response_model=DocumentList, responses=ERRORS, summary="List stored documents")
def list_documents(request: Request, limit: int = Query(50, ge=1, le=1000, description="page size (rows returned)"), offset: int = Query(0, ge=0, description="rows to skip (paging)"),
                   q: str | None = Query(None, description="substring of the title or text")) -> DocumentList:
    rows = _ctx(request).store.documents(limit=limit + 1, offset=offset, q=text_param("q", q))
    return DocumentList(documents=rows[:limit], limit=limit,
                        offset=offset, next_offset=_page(len(rows), limit, offset))


@router.get("/documents/{doc_id:path}", response_model=DocumentView, responses=ERRORS,
            summary="One coded document and its text")
def get_document(request: Request, doc_id: str) -> DocumentView:
    stored = _ctx(request).store.document(doc_id)
    if stored is None:
        raise not_found("document", doc_id)
    return DocumentView(document=stored[0], text=stored[1])


def event_filters(
    type: list[str] | None = Query(None, description=f"PLOVER event type(s), repeatable or comma-separated: {', '.join(EVENT_TYPES)}"),
    status: list[str] | None = Query(None, description=f"status(es), repeatable or comma-separated: {', '.join(STATUSES)}, or all"),
    actor: str | None = Query(None, description="actor side: a country code (USA), a name or alias from the gazetteer "
                                                "(UK, Russia, Putin) or a stored actor name or id"),
    actor_sector: str | None = Query(None, description="actor side: sector code (GOV, MIL, REB, ...)"),
    recipient: str | None = Query(None, description="recipient side: as actor"),
    recipient_sector: str | None = Query(None, description="recipient side: sector code"),
    party: str | None = Query(None, description="either side: as actor"),
    pair: str | None = Query(None, description="two countries linked under the counting rule: RUS,UKR (both ways) or RUS>UKR"),
    location: str | None = Query(None, description="where it happened: country code or place name"),
    source: str | None = Query(None, description="the document's source (exact, any case)"),
    doc: str | None = Query(None, description="only this document id"),
    date_from: str | None = Query(None, description="earliest event date, YYYY-MM-DD"),
    date_to: str | None = Query(None, description="latest event date, YYYY-MM-DD"),
    min_confidence: str | None = Query(None, description="lowest confidence, 0-1"),
    max_confidence: str | None = Query(None, description="highest confidence, 0-1"),
    q: str | None = Query(None, description="substring of the event's sentence (% and _ are literal)"),
) -> None:
    """Declares the shared event filters (for the schema and the unknown-parameter check); the
    values are read from the query string by :func:`dotterel.web.filters.parse_event_filter`."""


SORT_DOC = f"order: {', '.join(Q.SORTS)} (undated events always last)"


def _names(parsed) -> dict[str, NameReading]:
    return {k: NameReading(given=str(parsed.values.get(k, "")), read_as=r.label, known=r.known,
                           suggestions=list(r.suggestions)) for k, r in parsed.resolved.items()}


@router.get("/events", response_model=EventList, responses=ERRORS, summary="Events, filtered, sorted and counted",
            dependencies=[Depends(event_filters)])
def list_events(request: Request, sort: str = Query("date", description=SORT_DOC),
                limit: int = Query(100, ge=1, le=1000, description="page size (rows returned)"), offset: int = Query(0, ge=0, description="rows to skip (paging)")) -> EventList:
    store = _ctx(request).store
    parsed = parse_event_filter(request.query_params, _ctx(request))
    sort = sort_param(sort)
    total, exact = Q.count_events_capped(store, parsed.filter)
    rows = Q.find_events(store, parsed.filter, sort, limit, offset)
    more = len(rows) == limit and (not exact or offset + limit < total)
    return EventList(events=rows, total=total, total_exact=exact, limit=limit, offset=offset,
                     next_offset=offset + limit if more else None, sort=sort, names=_names(parsed))


CSV_COLUMNS = ("event_id", "doc_id", "title", "url", "published", "source", "date_start", "date_end", "date_basis",
               "event_type", "mode", "cameo", "quad_class", "intensity", "status", "actor", "actor_country",
               "actor_sector", "recipient", "recipient_country", "recipient_sector", "reciprocal", "location",
               "location_country", "trigger", "sentence", "confidence")


def event_row(s: StoredEvent, title: str | None = None, url: str | None = None) -> list[object]:
    """One CSV row; every party of each side, joined with `` | `` (countries and sectors once each)."""
    e = s.event

    def names(side: list) -> str:
        return " | ".join(a.name or a.text for a in side)

    def distinct(values) -> str:
        return " | ".join(dict.fromkeys(v for v in values if v))

    row = [e.id, s.doc_id, title, url, s.published, s.source, e.date.start, e.date.end, e.date.basis, e.event_type,
           e.mode, e.cameo, e.quad_class, e.intensity, e.status, names(e.actor), distinct(a.country for a in e.actor),
           distinct(a.sector for a in e.actor), names(e.recipient), distinct(a.country for a in e.recipient),
           distinct(a.sector for a in e.recipient), e.reciprocal, e.location.name if e.location else None,
           e.location.country if e.location else None, e.trigger.text, e.sentence_text, e.confidence]
    return [escape_formula(v) for v in row]


def csv_chunks(rows: Iterator[Q.EventRow], rows_per_chunk: int = 500) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (so spreadsheets read it as UTF-8), a chunk at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    yield codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")
    n = 0
    buf.seek(0)
    buf.truncate()
    for r in rows:
        writer.writerow(event_row(r.stored, r.title, r.url))
        n += 1
        if n % rows_per_chunk == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


@router.get("/events.csv", responses={**ERRORS, 200: {"content": {"text/csv": {}}, "description": "UTF-8 CSV with BOM"}},
            summary="Events, filtered, as CSV (same filters as /api/events), streamed",
            response_class=StreamingResponse, dependencies=[Depends(event_filters)])
def events_csv(request: Request, sort: str = Query("date", description=SORT_DOC),
               limit: int = Query(100_000, ge=1, le=1_000_000, description="page size (rows returned)"), offset: int = Query(0, ge=0, description="rows to skip (paging)")) -> StreamingResponse:
    parsed = parse_event_filter(request.query_params, _ctx(request))
    rows = Q.iter_event_rows(_ctx(request).store, parsed.filter, sort_param(sort), limit, offset)
    return StreamingResponse(csv_chunks(rows), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="dotterel-events.csv"'})


@router.get("/actors", response_model=ActorList, responses=ERRORS, summary="Actors by number of event roles")
def list_actors(request: Request, limit: int = Query(100, ge=1, le=1000, description="page size (rows returned)")) -> ActorList:
    return ActorList(actors=[ActorCount(**r) for r in _ctx(request).store.actors(limit=limit)])


def aggregate_filter(request: Request):
    """The event filters with the aggregate default: only asserted and reported events."""
    return parse_event_filter(request.query_params, _ctx(request), default_statuses=DEFAULT_STATUSES)


STATUS_AGG_DOC = "status(es) counted, repeatable or comma-separated, or all (default: asserted,reported)"


def aggregate_filters(
    type: list[str] | None = Query(None, description="PLOVER event type(s)"),
    status: list[str] | None = Query(None, description=STATUS_AGG_DOC),
    date_from: str | None = Query(None, description="earliest event date, YYYY-MM-DD"),
    date_to: str | None = Query(None, description="latest event date, YYYY-MM-DD"),
    min_confidence: str | None = Query(None, description="lowest confidence, 0-1"),
    source: str | None = Query(None, description="the document's source"),
) -> None:
    """Declares the filters every aggregate takes."""


def timeline_data(store, a: str, b: str, period: str, directed: bool, f: Q.EventFilter) -> Timeline:
    counts = Q.dyad_counts(store, a, b, f, directed)
    points, spread = bucket(counts, period)
    # plain dicts, validated into TimelinePoint/SpreadCount by one Timeline validation (thousands
    # of points: one model __init__ each cost more than the query)
    pts = [{"period": p, "quad_class": q, "count": int(v[0]), "mean_intensity": round(v[1] / v[0], 3)}
           for p in sorted(points, key=lambda k: period_bounds(k, period)[0]) for q, v in sorted(points[p].items())]
    undated = Q.dyad_undated(store, a, b, f, directed)
    return Timeline.model_validate({"a": a, "b": b, "period": period, "directed": directed, "statuses": list(f.statuses),
                                    "counted": status_note(f.statuses), "points": pts, "spread": spread,
                                    "undated": undated})


@router.get("/dyads/{a}/{b}/timeline", response_model=Timeline, responses=ERRORS,
            summary="Events per period between two countries (every party of each side), by quad class",
            dependencies=[Depends(aggregate_filters)])
def dyad_timeline(request: Request, a: str, b: str,
                  period: str = Query("week", description="day, week, month or year"),
                  directed: bool = Query(False, description="only a → b (default: both directions)")) -> Timeline:
    a, b, period = country_param("a", a), country_param("b", b), period_param(period)
    return timeline_data(_ctx(request).store, a, b, period, directed, aggregate_filter(request).filter)


def country_timeline_data(store, country: str, period: str, f: Q.EventFilter,
                          counts: list[Q.DatedCount] | None = None) -> CountryTimeline:
    points, spread = bucket(Q.country_counts(store, country, f) if counts is None else counts, period)
    docs: dict[str, int] = {}
    for day, n in Q.document_volume(store).items():
        try:
            key = period_key_of(day, period)
        except ValueError:
            continue
        docs[key] = docs.get(key, 0) + n
    out = []
    for p in sorted(points, key=lambda k: period_bounds(k, period)[0]):
        n = int(sum(v[0] for v in points[p].values()))
        d = docs.get(p, 0)
        out.append(CountryPoint(period=p, start=period_bounds(p, period)[0].isoformat(), count=n, documents=d,
                                per_100_documents=round(100 * n / d, 3) if d else None))
    return CountryTimeline(country=country, name=country_name(country), period=period, statuses=list(f.statuses),
                           counted=status_note(f.statuses), points=out, spread=[SpreadCount(**s) for s in spread])


def period_key_of(day: str, period: str) -> str:
    from dotterel.web.charts import period_key

    return period_key(dt.date.fromisoformat(day), period)


@router.get("/countries/{country}/timeline", response_model=CountryTimeline, responses=ERRORS,
            summary="Events involving one country per period, normalised by the number of documents published then",
            dependencies=[Depends(aggregate_filters)])
def country_timeline(request: Request, country: str,
                     period: str = Query("month", description="day, week, month or year")) -> CountryTimeline:
    country, period = country_param("country", country), period_param(period)
    return country_timeline_data(_ctx(request).store, country, period, aggregate_filter(request).filter)


DOMESTIC = ("include", "exclude", "only")


def domestic_param(value: str | None) -> str:
    value = (value or "include").strip().lower()
    if value not in DOMESTIC:
        raise bad("domestic", f"use one of {', '.join(DOMESTIC)}")
    return value


def network_data(store, limit: int, f: Q.EventFilter | None = None, domestic: str = "include") -> Network:
    f = f or Q.EventFilter(statuses=DEFAULT_STATUSES)
    edges = [NetworkEdge(actor_country=x.source, recipient_country=x.target, count=x.count, mean_intensity=x.mean_intensity)
             for x in Q.network_edges(store, f, domestic, limit)]
    totals: dict[str, int] = {}
    for e in edges:
        totals[e.actor_country] = totals.get(e.actor_country, 0) + e.count
        if e.recipient_country != e.actor_country:
            totals[e.recipient_country] = totals.get(e.recipient_country, 0) + e.count
    nodes = [NetworkNode(id=k, name=country_name(k), count=v) for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Network(statuses=list(f.statuses), counted=status_note(f.statuses), domestic=domestic, nodes=nodes, edges=edges)


@router.get("/network", response_model=Network, responses=ERRORS,
            summary="Country network: directed links weighted by event count (every party of each side), with mean intensity",
            dependencies=[Depends(aggregate_filters)])
def network(request: Request, limit: int = Query(200, ge=1, le=5000, description="at most this many links"),
            domestic: str = Query("include", description="domestic (same-country) links: include, exclude or only")) -> Network:
    return network_data(_ctx(request).store, limit, aggregate_filter(request).filter, domestic_param(domestic))


@router.get("/map", response_model=MapData, responses=ERRORS, summary="Events per country where they took place",
            dependencies=[Depends(aggregate_filters)])
def map_data(request: Request) -> MapData:
    f = aggregate_filter(request).filter
    counts = Q.location_counts(_ctx(request).store, f)
    return MapData(statuses=list(f.statuses), counted=status_note(f.statuses),
                   countries=[MapCountry(country=c, name=country_name(c), count=n)
                              for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))])


def quote_filter(request: Request) -> Q.QuoteFilter:
    p = request.query_params
    date_from, date_to = date_param("date_from", p.get("date_from")), date_param("date_to", p.get("date_to"))
    speaker = text_param("speaker", p.get("speaker"))
    country = text_param("country", p.get("country"), 32)
    return Q.QuoteFilter(speaker=_ctx(request).resolve_name(speaker).match if speaker else None,
                         country=country_param("country", country) if country else None,
                         doc_id=text_param("doc", p.get("doc"), 255), date_from=date_from, date_to=date_to,
                         q=text_param("q", p.get("q")))


def quote_filters(
    speaker: str | None = Query(None, description="speaker: name, alias or country (through the gazetteer)"),
    country: str | None = Query(None, description="the speaker's country code"),
    doc: str | None = Query(None, description="only this document id"),
    date_from: str | None = Query(None, description="earliest publication date, YYYY-MM-DD"),
    date_to: str | None = Query(None, description="latest publication date, YYYY-MM-DD"),
    q: str | None = Query(None, description="substring of the quote"),
) -> None:
    """Declares the quote filters."""


@router.get("/quotes", response_model=QuoteList, responses=ERRORS,
            summary="Quotes with speaker, country, date and the events coded inside them",
            dependencies=[Depends(quote_filters)])
def list_quotes(request: Request, limit: int = Query(50, ge=1, le=1000, description="page size (rows returned)"), offset: int = Query(0, ge=0, description="rows to skip (paging)")) -> QuoteList:
    f = quote_filter(request)
    store = _ctx(request).store
    total = Q.count_quotes(store, f)
    rows = Q.find_quotes(store, f, limit, offset)
    return QuoteList(quotes=[QuoteItem(**dataclasses.asdict(r)) for r in rows], total=total, limit=limit, offset=offset,
                     next_offset=_next(total, limit, offset))


def _jsonable(item: object) -> dict[str, Any]:
    return jsonable_encoder(item)


NO_CLUSTERS = "this store has no event clusters yet (dotterel corpus builds them)"


def cluster_data(store, limit: int, offset: int, types: tuple[str, ...] = (), statuses: tuple[str, ...] = (),
                 country: str | None = None, min_articles: int = 1) -> ClusterList:
    total, rows = Q.find_clusters(store, types, statuses, country, min_articles, limit, offset)
    return ClusterList(clusters=[_jsonable(r) for r in rows], total=total, limit=limit, offset=offset,
                       next_offset=_next(total, limit, offset), note=None if total or rows else NO_CLUSTERS)


@router.get("/clusters", response_model=ClusterList, responses=ERRORS,
            summary="Event clusters: one real-world event reported by several documents")
def clusters(request: Request, limit: int = Query(100, ge=1, le=1000, description="page size (rows returned)"), offset: int = Query(0, ge=0, description="rows to skip (paging)"),
             type: list[str] | None = Query(None, description="PLOVER event type(s)"),
             status: list[str] | None = Query(None, description="status(es), or all (default: all)"),
             country: str | None = Query(None, description="a country code on either side"),
             min_articles: int = Query(1, ge=1, le=100_000, description="at least this many articles")) -> ClusterList:
    p = request.query_params
    c = text_param("country", country, 32)
    return cluster_data(_ctx(request).store, limit, offset, types_param(many(p, "type")), statuses_param(many(p, "status")),
                        country_param("country", c) if c else None, min_articles)


@router.get("/clusters/{cluster_id}", response_model=ClusterView, responses=ERRORS,
            summary="One cluster with every mention (article, source, evidence)")
def cluster_view(request: Request, cluster_id: str) -> ClusterView:
    found = Q.cluster_detail(_ctx(request).store, cluster_id)
    if found is None:
        raise not_found("cluster", cluster_id)
    return ClusterView(cluster=_jsonable(found[0]), mentions=[_jsonable(m) for m in found[1]])


# -- writing ---------------------------------------------------------------------------------------

_TEXT_FIELD = {"type": "string", "description": "the article text"}
_DATE_FIELD = {"type": "string", "format": "date", "description": "publication date YYYY-MM-DD (relative dates resolve against it)"}
_TITLE_FIELD = {"type": "string", "description": "headline"}
CODE_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "required": ["text"], "additionalProperties": False,
                                    "properties": {"text": _TEXT_FIELD, "date": _DATE_FIELD, "title": _TITLE_FIELD}}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary", "description": "a UTF-8 .txt or .html file"},
        "text": _TEXT_FIELD, "date": _DATE_FIELD, "title": _TITLE_FIELD}}},
}}}
MAX_TITLE = 500


def _check_write(request: Request) -> None:
    """Writing enabled → token valid → within the rate limit, in that order: a request with a
    wrong token is refused (and limited on its own) before it can use up the writer's quota."""
    ctx = _ctx(request)
    if not ctx.write_enabled:
        raise WebError(ErrorCode.WRITE_DISABLED, message(ErrorCode.WRITE_DISABLED))
    client = request.client.host if request.client else "unknown"
    valid = token_matches(request.headers.get("authorization"), ctx.write_token)
    limiter = ctx.limiter if valid else ctx.fail_limiter
    if limiter is not None:
        wait = limiter.hit(client)
        if wait is not None:
            seconds = max(1, round(wait + 0.5))
            raise WebError(ErrorCode.RATE_LIMITED, message(ErrorCode.RATE_LIMITED, seconds=seconds),
                           headers={"Retry-After": str(seconds)})
    if not valid:
        raise WebError(ErrorCode.WRITE_DISABLED,
                       "a valid write token is required: send the header 'Authorization: Bearer <token>'",
                       status=401, headers={"WWW-Authenticate": "Bearer"})


def _str_field(data: dict, name: str, max_len: int | None = None) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(name, "must be a string")
    if max_len is not None and len(value) > max_len:
        raise bad(name, f"longer than {max_len} characters")
    return value


async def _read_input(request: Request) -> tuple[str, str | None, str | None, bool]:
    """(text, date, title, is_html) from a JSON body or a multipart form."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            data = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise bad("body", f"not valid JSON ({exc.__class__.__name__})") from None
        if not isinstance(data, dict):
            raise bad("body", "expected a JSON object {text, date, title}")
        unknown = sorted(set(data) - {"text", "date", "title"})
        if unknown:
            raise bad(unknown[0], "unknown field; send text, date and title")
        text = _str_field(data, "text")
        if text is None:
            raise bad("text", "required")
        return text, _str_field(data, "date", 32), _str_field(data, "title", MAX_TITLE), False
    if ctype == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10, max_part_size=_ctx(request).max_upload_bytes)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str):
            from dotterel.ingest.checks import decode_bytes

            data = await upload.read()
            text, problem = decode_bytes(data, _ctx(request).settings.max_chars)
            if problem is not None:
                raise WebError(problem.code, problem.message, status=422)
            name = (upload.filename or "").lower()
            is_html = name.endswith((".html", ".htm", ".xhtml")) or (upload.content_type or "").startswith("text/html")
        else:
            text, is_html = _str_field(fields, "text"), False
        if not text:
            raise bad("file", "required: upload a file or send a text field")
        return text, _str_field(fields, "date", 32), _str_field(fields, "title", MAX_TITLE), is_html
    raise WebError(ErrorCode.BAD_QUERY, message(ErrorCode.BAD_QUERY, name="Content-Type",
                                                reason="use application/json or multipart/form-data"), status=415)


@router.post("/code", status_code=201, response_model=CodedDocument, openapi_extra=CODE_BODY,
             responses={**ERRORS, 401: {"model": ErrorBody, "description": "missing or wrong token (E203)"},
                        403: {"model": ErrorBody, "description": "writing disabled (E203)"},
                        413: {"model": ErrorBody, "description": "body too large (E204)"},
                        422: {"model": ErrorBody, "description": "the text cannot be coded (E1xx)"},
                        429: {"model": ErrorBody, "description": "rate limited (E205)"}},
             summary="Code a text, store it and return the CodedDocument (needs the write token)")
async def code(request: Request) -> JSONResponse:
    from dotterel.ingest.checks import parse_date
    from dotterel.ingest.readers import document_from_text, html_to_document

    _check_write(request)
    ctx = _ctx(request)
    text, date_s, title, is_html = await _read_input(request)
    try:
        date = parse_date(date_s)
    except ValueError:
        raise bad("date", f"{date_s!r} is not a date; use YYYY-MM-DD") from None
    if is_html:
        page = await run_in_threadpool(html_to_document, text, "upload")
        if page.errors:
            raise WebError(page.errors[0].code, page.errors[0].message, status=422)
        text, title, date = page.text, title or page.title, date or page.published
    document = document_from_text(text, "upload", ctx.settings, date=date, title=title, source="web")
    document.id = "doc-" + document.content_hash[:16]
    if document.errors:
        raise WebError(document.errors[0].code, document.errors[0].message, status=422)
    coded = await run_in_threadpool(ctx.code, document)
    if coded.errors:
        raise WebError(coded.errors[0].code, coded.errors[0].message, status=422)
    await run_in_threadpool(ctx.store.save, coded, document.text)
    return JSONResponse(coded.model_dump(mode="json"), status_code=201,
                        headers={"Location": "/api/documents/" + quote(coded.doc.id, safe="")})


__all__ = ["CSV_COLUMNS", "cluster_data", "country_timeline_data", "event_row", "network_data", "router", "timeline_data"]
