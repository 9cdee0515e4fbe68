"""The JSON API (``/api/...``). Reads are open; ``POST /api/code`` needs the server's write token."""

from __future__ import annotations

import csv
import dataclasses
import inspect
import io
import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError

from dotterel.errors import ErrorCode, message
from dotterel.records.models import EVENT_TYPES, STATUSES, CodedDocument
from dotterel.store import StoredEvent, TimelinePoint
from dotterel.store.sql import DocumentSummary
from dotterel.web.query import WebError, bad, country_param, event_query, not_found, period_param, text_param
from dotterel.web.security import token_matches

router = APIRouter(prefix="/api")


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


class EventList(BaseModel):
    events: list[StoredEvent]
    limit: int
    offset: int
    next_offset: int | None


class ActorCount(BaseModel):
    country: str | None
    name: str | None
    actor_id: str | None
    n: int


class ActorList(BaseModel):
    actors: list[ActorCount]


class Timeline(BaseModel):
    a: str
    b: str
    period: str
    directed: bool
    points: list[TimelinePoint]


class NetworkNode(BaseModel):
    id: str
    count: int


class NetworkEdge(BaseModel):
    actor_country: str
    recipient_country: str
    count: int
    mean_intensity: float


class Network(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class ClusterList(BaseModel):
    clusters: list[dict[str, Any]]
    note: str | None = None


ERRORS = {400: {"model": ErrorBody, "description": "bad parameter (E202)"},
          404: {"model": ErrorBody, "description": "not found (E201)"}}


def _ctx(request: Request):  # noqa: ANN202
    return request.app.state.web


def _page(n_rows: int, limit: int, offset: int) -> int | None:
    return offset + limit if n_rows > limit else None


# -- reading ---------------------------------------------------------------------------------------

@router.get("/documents", response_model=DocumentList, responses=ERRORS, summary="List stored documents")
def list_documents(request: Request, limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0),
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


EVENT_PARAMS_DOC = {
    "actor": "country code, actor id or name on the actor side",
    "recipient": "country code, actor id or name on the recipient side",
    "type": f"PLOVER event type: {', '.join(EVENT_TYPES)}",
    "status": f"one of {', '.join(STATUSES)}",
    "date_from": "earliest event date, YYYY-MM-DD", "date_to": "latest event date, YYYY-MM-DD",
    "q": "substring of the event's sentence",
}


def event_filters(
    actor: str | None = Query(None, description=EVENT_PARAMS_DOC["actor"]),
    recipient: str | None = Query(None, description=EVENT_PARAMS_DOC["recipient"]),
    type: str | None = Query(None, description=EVENT_PARAMS_DOC["type"]),  # noqa: A002
    status: str | None = Query(None, description=EVENT_PARAMS_DOC["status"]),
    date_from: str | None = Query(None, description=EVENT_PARAMS_DOC["date_from"]),
    date_to: str | None = Query(None, description=EVENT_PARAMS_DOC["date_to"]),
    q: str | None = Query(None, description=EVENT_PARAMS_DOC["q"]),
) -> dict:
    """The event filters shared by /api/events and /api/events.csv (one declaration, one OpenAPI text)."""
    return {"actor": actor, "recipient": recipient, "type": type, "status": status, "date_from": date_from,
            "date_to": date_to, "q": q}


@router.get("/events", response_model=EventList, responses=ERRORS, summary="Events, filtered")
def list_events(
    request: Request, filters: dict = Depends(event_filters),
    limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
) -> EventList:
    query = event_query({**filters, "limit": limit, "offset": offset})
    rows = _ctx(request).store.events(query.model_copy(update={"limit": query.limit + 1}))
    return EventList(events=rows[:limit], limit=limit, offset=offset, next_offset=_page(len(rows), limit, offset))


CSV_COLUMNS = ("event_id", "doc_id", "published", "source", "date_start", "date_end", "date_basis", "event_type",
               "mode", "cameo", "quad_class", "intensity", "status", "actor", "actor_country", "recipient",
               "recipient_country", "reciprocal", "trigger", "sentence", "confidence")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def event_row(s: StoredEvent) -> list[object]:
    e = s.event

    def names(side: list) -> str:  # noqa: ANN001
        return " | ".join(a.name or a.text for a in side)

    def countries(side: list) -> str:  # noqa: ANN001
        return " | ".join(dict.fromkeys(a.country for a in side if a.country))

    row = [e.id, s.doc_id, s.published, s.source, e.date.start, e.date.end, e.date.basis, e.event_type, e.mode,
           e.cameo, e.quad_class, e.intensity, e.status, names(e.actor), countries(e.actor), names(e.recipient),
           countries(e.recipient), e.reciprocal, e.trigger.text, e.sentence_text, e.confidence]
    return [_cell(v) for v in row]


@router.get("/events.csv", responses={**ERRORS, 200: {"content": {"text/csv": {}}, "description": "CSV file"}},
            summary="Events, filtered, as CSV (same filters as /api/events)", response_class=Response)
def events_csv(
    request: Request, filters: dict = Depends(event_filters),
    limit: int = Query(10_000, ge=1, le=100_000), offset: int = Query(0, ge=0),
) -> Response:
    query = event_query({**filters, "limit": limit, "offset": offset}, default_limit=10_000, max_limit=100_000)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for s in _ctx(request).store.events(query):
        writer.writerow(event_row(s))
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="dotterel-events.csv"'})


@router.get("/actors", response_model=ActorList, responses=ERRORS, summary="Actors by number of event roles")
def list_actors(request: Request, limit: int = Query(100, ge=1, le=1000)) -> ActorList:
    return ActorList(actors=[ActorCount(**r) for r in _ctx(request).store.actors(limit=limit)])


@router.get("/dyads/{a}/{b}/timeline", response_model=Timeline, responses=ERRORS,
            summary="Events per period between two countries, by quad class, with mean intensity")
def dyad_timeline(request: Request, a: str, b: str,
                  period: str = Query("week", description="day, week, month or year"),
                  directed: bool = Query(False, description="only a → b (default: both directions)")) -> Timeline:
    a, b, period = country_param("a", a), country_param("b", b), period_param(period)
    points = _ctx(request).store.dyad_timeline(a, b, period, both_directions=not directed)
    return Timeline(a=a, b=b, period=period, directed=directed, points=points)


def network_data(store, limit: int) -> Network:  # noqa: ANN001
    edges = [NetworkEdge(actor_country=r["actor_country"], recipient_country=r["recipient_country"],
                         count=int(r["count"]), mean_intensity=round(float(r["mean_intensity"] or 0.0), 3))
             for r in store.network(limit=limit)]
    totals: dict[str, int] = {}
    for e in edges:
        totals[e.actor_country] = totals.get(e.actor_country, 0) + e.count
        if e.recipient_country != e.actor_country:
            totals[e.recipient_country] = totals.get(e.recipient_country, 0) + e.count
    nodes = [NetworkNode(id=k, count=v) for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Network(nodes=nodes, edges=edges)


@router.get("/network", response_model=Network, responses=ERRORS,
            summary="Country network: directed edges weighted by event count, with mean intensity")
def network(request: Request, limit: int = Query(200, ge=1, le=5000, description="at most this many edges")) -> Network:
    return network_data(_ctx(request).store, limit)


def _jsonable(item: object) -> dict[str, Any]:
    if isinstance(item, BaseModel):
        return item.model_dump(mode="json")
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return jsonable_encoder(dataclasses.asdict(item))
    if isinstance(item, dict):
        return jsonable_encoder(item)
    mapping = getattr(item, "_mapping", None)  # a SQLAlchemy row
    return jsonable_encoder(dict(mapping) if mapping is not None else {"value": item})


NO_CLUSTERS = "this store has no event clusters yet"


def cluster_data(store, limit: int, offset: int) -> ClusterList:  # noqa: ANN001
    method = getattr(store, "clusters", None)
    if not callable(method):
        return ClusterList(clusters=[], note=NO_CLUSTERS)
    try:
        params = inspect.signature(method).parameters
        accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        takes_offset = accepts_any or "offset" in params
        wanted = (("limit", limit), ("offset", offset)) if takes_offset else (("limit", limit + offset),)
        kwargs = {k: v for k, v in wanted if accepts_any or k in params}
        rows = list(method(**kwargs))
    except (SQLAlchemyError, NotImplementedError, TypeError):
        return ClusterList(clusters=[], note=NO_CLUSTERS)
    if not takes_offset:
        rows = rows[offset:]
    return ClusterList(clusters=[_jsonable(r) for r in rows[:limit]])


@router.get("/clusters", response_model=ClusterList, responses=ERRORS,
            summary="Event clusters (the same event reported by several documents)")
def clusters(request: Request, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)) -> ClusterList:
    return cluster_data(_ctx(request).store, limit, offset)


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
    ctx = _ctx(request)
    if not ctx.write_enabled:
        raise WebError(ErrorCode.WRITE_DISABLED, message(ErrorCode.WRITE_DISABLED))
    if ctx.limiter is not None:
        client = request.client.host if request.client else "unknown"
        wait = ctx.limiter.hit(client)
        if wait is not None:
            seconds = max(1, round(wait + 0.5))
            raise WebError(ErrorCode.RATE_LIMITED, message(ErrorCode.RATE_LIMITED, seconds=seconds),
                           headers={"Retry-After": str(seconds)})
    if not token_matches(request.headers.get("authorization"), ctx.write_token):
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


__all__ = ["CSV_COLUMNS", "cluster_data", "event_row", "network_data", "router"]
