"""Server-rendered pages. Article text reaches the page only through :mod:`dotterel.web.highlight`
(which escapes it) or through autoescaped template variables."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from dotterel.records.models import EVENT_TYPES, STATUSES
from dotterel.store import EventQuery
from dotterel.web.api import network_data
from dotterel.web.charts import QUADS, country_name, intensity_color, network_chart, timeline_chart
from dotterel.web.highlight import event_actor_keys, event_key, highlight_document
from dotterel.web.query import (
    PERIODS,
    WebError,
    country_param,
    event_query,
    filter_values,
    int_param,
    not_found,
    period_param,
    text_param,
)

router = APIRouter(include_in_schema=False)

STATUS_HELP = {
    "asserted": "happened, as stated by the article",
    "reported": "happened, according to a cited source",
    "planned": "announced or scheduled, not yet happened",
    "hypothetical": "possible, conditional or demanded",
    "negated": "stated not to have happened",
    "denied": "denied by one of the parties",
    "unconfirmed": "claimed but not confirmed",
}
SECTORS = {
    "GOV": "government", "MIL": "military", "LEG": "legislature", "JUD": "judiciary", "COP": "police",
    "SPY": "intelligence", "ELI": "elite / former official", "PTY": "party", "OPP": "opposition", "REB": "rebels",
    "IGO": "intergovernmental", "NGO": "NGO", "BUS": "business", "MED": "media", "CVL": "civilians",
    "REF": "refugees", "EDU": "education", "HLH": "health", "LAB": "labour", "CRM": "criminal",
}
KINDS = {"name": "named", "title": "title", "metonym": "metonym", "demonym": "demonym", "org": "organisation",
         "group": "group", "coref": "repeat mention", "pronoun": "pronoun", "person": "person"}


def _ctx(request: Request):  # noqa: ANN202
    return request.app.state.web


def render(request: Request, name: str, context: dict, status: int = 200):  # noqa: ANN201
    ctx = _ctx(request)
    base = {"write_enabled": ctx.write_enabled, "nav": name.split(".")[0]}
    return request.app.state.templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def _page_links(request: Request, limit: int, offset: int, has_next: bool) -> dict:
    params = dict(request.query_params)

    def link(off: int) -> str:
        return "?" + urlencode({**params, "offset": off, "limit": limit})

    return {"prev": link(max(0, offset - limit)) if offset > 0 else None, "next": link(offset + limit) if has_next else None,
            "first": offset + 1, "offset": offset}


@router.get("/")
def index(request: Request):  # noqa: ANN201
    p = request.query_params
    q = text_param("q", p.get("q"))
    limit = int_param("limit", p.get("limit"), 50, 1, 500)
    offset = int_param("offset", p.get("offset"), 0, 0, 10_000_000)
    store = _ctx(request).store
    docs = store.documents(limit=limit + 1, offset=offset, q=q)
    return render(request, "documents.html", {
        "docs": docs[:limit], "q": q or "", "pages": _page_links(request, limit, offset, len(docs) > limit),
        "n_documents": store.count("documents"), "n_events": store.count("events")})


def _side(actors: list) -> str:  # noqa: ANN001
    return " + ".join(f"{a.name or a.text}" + (f" ({a.country})" if a.country else "") for a in actors)


@router.get("/documents/{doc_id:path}")
def document_page(request: Request, doc_id: str):  # noqa: ANN201
    stored = _ctx(request).store.document(doc_id)
    if stored is None:
        raise not_found("document", doc_id)
    coded, text = stored
    events = sorted(coded.events, key=lambda e: (e.trigger.start, e.trigger.end))
    sectors = sorted({a.sector for a in coded.actors if a.sector})
    kinds = sorted({a.kind for a in coded.actors if not a.sector})
    url = coded.doc.url if coded.doc.url and coded.doc.url.lower().startswith(("http://", "https://")) else None
    return render(request, "document.html", {
        "coded": coded, "doc": coded.doc, "url": url, "article": highlight_document(coded, text), "has_text": bool(text),
        "events": events, "event_key": event_key, "actor_keys": event_actor_keys(coded), "side": _side,
        "statuses": STATUSES, "status_help": STATUS_HELP, "sectors": [(s, SECTORS.get(s, s)) for s in sectors],
        "kinds": [(k, KINDS.get(k, k)) for k in kinds], "statuses_present": sorted({e.status for e in coded.events}),
    })


@router.get("/events")
def events_page(request: Request):  # noqa: ANN201
    params = dict(request.query_params)
    filters = filter_values(params)
    error, rows, query = None, [], None
    try:
        query = event_query(params, default_limit=50, max_limit=500)
        rows = _ctx(request).store.events(query.model_copy(update={"limit": query.limit + 1}))
    except WebError as exc:
        error = exc
    limit, offset = (query.limit, query.offset) if query else (50, 0)
    csv_params = {**filters, "limit": 100_000} if not error else None
    return render(request, "events.html", {
        "rows": rows[:limit], "filters": filters, "error": error, "event_types": EVENT_TYPES, "statuses": STATUSES,
        "status_help": STATUS_HELP, "pages": _page_links(request, limit, offset, len(rows) > limit),
        "csv_url": "/api/events.csv?" + urlencode(csv_params) if csv_params is not None else None,
        "event_key": event_key, "side": _side,
    }, status=error.status if error else 200)


@router.get("/dyads")
def dyads_index(request: Request):  # noqa: ANN201
    p = request.query_params
    if p.get("a") and p.get("b"):
        a, b = country_param("a", p["a"]), country_param("b", p["b"])
        period = period_param(p.get("period"))
        return RedirectResponse(f"/dyads/{quote(a, safe='')}/{quote(b, safe='')}?period={period}", status_code=303)
    net = network_data(_ctx(request).store, 40)
    return render(request, "dyads.html", {"top": net.edges, "countries": [n.id for n in net.nodes], "periods": PERIODS,
                                          "a": "", "b": "", "period": "month", "country_name": country_name})


@router.get("/dyads/{a}/{b}")
def dyad_page(request: Request, a: str, b: str):  # noqa: ANN201
    a, b = country_param("a", a), country_param("b", b)
    period = period_param(request.query_params.get("period", "month"))
    store = _ctx(request).store
    points = store.dyad_timeline(a, b, period)
    chart = timeline_chart(points, period)
    rows = store.events(EventQuery(actor=a, recipient=b, limit=1000))
    if a != b:
        rows += store.events(EventQuery(actor=b, recipient=a, limit=1000))
    seen: set[str] = set()
    rows = [r for r in rows if not (r.event.id in seen or seen.add(r.event.id))]
    rows.sort(key=lambda r: (r.event.date.start or "9999", r.doc_id, r.event.trigger.start))
    countries = [n.id for n in network_data(store, 200).nodes]
    return render(request, "dyad.html", {
        "a": a, "b": b, "period": period, "periods": PERIODS, "chart": chart, "quads": QUADS, "rows": rows,
        "countries": countries, "country_name": country_name, "event_key": event_key, "side": _side,
        "status_help": STATUS_HELP})


@router.get("/network")
def network_page(request: Request):  # noqa: ANN201
    limit = int_param("limit", request.query_params.get("limit"), 100, 1, 1000)
    net = network_data(_ctx(request).store, limit)
    chart = network_chart([e.model_dump() for e in net.edges])
    legend = [{"value": v, "colour": intensity_color(v)} for v in (-10, -5, 0, 5, 10)]
    return render(request, "network.html", {"net": net, "chart": chart, "legend": legend, "limit": limit,
                                            "country_name": country_name, "intensity_color": intensity_color})


@router.get("/code")
def code_page(request: Request):  # noqa: ANN201
    if not _ctx(request).write_enabled:
        raise not_found("page", "/code (writing is disabled on this server)")
    return render(request, "code.html", {"max_upload": _ctx(request).max_upload_bytes})


@router.get("/api")
def api_page(request: Request):  # noqa: ANN201
    schema = request.app.openapi()
    endpoints = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            params = [{"name": p["name"], "where": p["in"], "required": p.get("required", False),
                       "description": p.get("description", ""), "type": p.get("schema", {}).get("type", "")}
                      for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "params": params})
    return render(request, "api.html", {"endpoints": endpoints})
