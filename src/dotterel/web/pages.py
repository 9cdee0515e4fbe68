"""Server-rendered pages. Article text reaches the page only through :mod:`dotterel.web.highlight`
(which escapes it) or through autoescaped template variables."""

from __future__ import annotations

import dataclasses
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from dotterel.records.models import EVENT_TYPES, STATUSES
from dotterel.store.queries import (
    DEFAULT_STATUSES,
    EventFilter,
    cluster_detail,
    count_events,
    count_events_capped,
    count_quotes,
    country_counts,
    dyad_counts,
    dyad_undated,
    facet,
    find_events,
    find_quotes,
    location_counts,
)
from dotterel.web.api import (
    cluster_data,
    country_timeline_data,
    domestic_param,
    network_data,
    quote_filter,
)
from dotterel.web.charts import (
    QUADS,
    bucket,
    country_name,
    intensity_color,
    network_chart,
    time_chart,
)
from dotterel.web.filters import (
    EVENT_LIST_KEYS,
    check_known,
    many,
    parse_event_filter,
    sort_param,
    status_note,
    statuses_param,
    types_param,
)
from dotterel.web.geo import map_chart
from dotterel.web.highlight import event_actor_keys, event_key, highlight_document
from dotterel.web.query import (
    PERIODS,
    WebError,
    country_param,
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
#: PLOVER sector codes (PLOVER manual, "Sector Codes"; MED is health/medical, JRN is media) and the
#: two Dotterel adds for organisations (IGO, NGO).
SECTORS = {
    "GOV": "government", "MIL": "military", "LEG": "legislature", "JUD": "judiciary", "COP": "police",
    "SPY": "intelligence", "PRM": "paramilitary", "UAF": "unidentified armed forces", "UNK": "unidentified",
    "ELI": "former officials / elites", "PTY": "political party", "OPP": "opposition", "REB": "rebels",
    "IGO": "intergovernmental org.", "NGO": "non-governmental org.", "BUS": "business", "MED": "medical / health",
    "JRN": "media / journalists", "CVL": "civilians", "REF": "refugees", "EDU": "education", "LAB": "labour",
    "AGR": "agriculture", "CRM": "criminals", "REL": "religious", "SOC": "civil society",
    "PRE": "partially recognised entity", "HLH": "health (old CAMEO code)",
}
SECTOR_CHOICES = sorted(SECTORS.items())
#: The status selector of every aggregate page: value (comma-separated statuses or all) → label.
STATUS_CHOICES = (("asserted,reported", "happened (asserted + reported)"), ("asserted", "asserted only"),
                  ("all", "every status"), *((s, s) for s in ("reported", "planned", "hypothetical", "negated",
                                                                "denied", "unconfirmed")))
AGG_KEYS = ("status", "type", "date_from", "date_to", "min_confidence", "source")
QUOTE_KEYS = ("speaker", "country", "doc", "date_from", "date_to", "q", "limit", "offset")
KINDS = {"name": "named", "title": "title", "metonym": "metonym", "demonym": "demonym", "org": "organisation",
         "group": "group", "coref": "repeat mention", "pronoun": "pronoun", "person": "person"}


def _ctx(request: Request):
    return request.app.state.web


def render(request: Request, name: str, context: dict, status: int = 200):
    ctx = _ctx(request)
    base = {"write_enabled": ctx.write_enabled, "nav": name.split(".")[0]}
    return request.app.state.templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def _page_links(request: Request, limit: int, offset: int, has_next: bool) -> dict:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]  # repeated keys too

    def link(off: int) -> str:
        return "?" + urlencode([*kept, ("offset", off), ("limit", limit)])

    return {"prev": link(max(0, offset - limit)) if offset > 0 else None, "next": link(offset + limit) if has_next else None,
            "first": offset + 1, "offset": offset}


@router.get("/")
def index(request: Request):
    p = request.query_params
    q = text_param("q", p.get("q"))
    limit = int_param("limit", p.get("limit"), 50, 1, 500)
    offset = int_param("offset", p.get("offset"), 0, 0, 10_000_000)
    store = _ctx(request).store
    docs = store.documents(limit=limit + 1, offset=offset, q=q)
    return render(request, "documents.html", {
        "docs": docs[:limit], "q": q or "", "pages": _page_links(request, limit, offset, len(docs) > limit),
        "n_documents": store.count("documents"), "n_events": count_events(store, EventFilter())})


def _side(actors: list) -> str:
    return " + ".join(f"{a.name or a.text}" + (f" ({a.country})" if a.country else "") for a in actors)


@router.get("/documents/{doc_id:path}")
def document_page(request: Request, doc_id: str):
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


def _countries(request: Request) -> list[str]:
    """Country codes for the forms' suggestion lists (cached for a minute)."""
    return sorted(_ctx(request).store_countries())


def _aggregate(request: Request, keys: tuple[str, ...] = AGG_KEYS):
    """Parse the aggregate filters of a page (default statuses: asserted + reported); errors are shown."""
    try:
        check_known(request.query_params, keys)
        return parse_event_filter(request.query_params, _ctx(request), default_statuses=DEFAULT_STATUSES), None
    except WebError as exc:
        return parse_event_filter({}, _ctx(request), default_statuses=DEFAULT_STATUSES), exc


def _agg_context(parsed, period: str | None = None) -> dict:
    f = parsed.filter
    return {"agg": {"status": ",".join(f.statuses) if f.statuses else "all", "type": ",".join(f.types),
                    "date_from": f.date_from.isoformat() if f.date_from else "",
                    "date_to": f.date_to.isoformat() if f.date_to else "", "period": period or ""},
            "status_choices": STATUS_CHOICES, "event_types": EVENT_TYPES, "periods": PERIODS,
            "counted": status_note(f.statuses)}


def _events_link(parsed, **extra: str) -> str:
    """/events?… with the same statuses, types and dates as an aggregate view, plus ``extra``."""
    f = parsed.filter
    params: dict[str, str] = {"status": ",".join(f.statuses) if f.statuses else "all"}
    if f.types:
        params["type"] = ",".join(f.types)
    if f.date_from:
        params["date_from"] = f.date_from.isoformat()
    if f.date_to:
        params["date_to"] = f.date_to.isoformat()
    params.update({k: v for k, v in extra.items() if v})
    return "/events?" + urlencode(params)


@router.get("/events")
def events_page(request: Request):
    params = request.query_params
    error, rows, total, exact, parsed = None, [], 0, True, None
    limit, offset, sort = 50, 0, "date"
    try:
        check_known(params, EVENT_LIST_KEYS)
        parsed = parse_event_filter(params, _ctx(request))
        limit = int_param("limit", params.get("limit"), 50, 1, 500)
        offset = int_param("offset", params.get("offset"), 0, 0, 10_000_000)
        sort = sort_param(params.get("sort"))
        store = _ctx(request).store
        total, exact = count_events_capped(store, parsed.filter)
        rows = find_events(store, parsed.filter, sort, limit, offset)
    except WebError as exc:
        error = exc
    values = parsed.values if parsed else {k: params.get(k) for k in params.keys() if k in EVENT_LIST_KEYS}
    filters = {k: (",".join(v) if isinstance(v, list) else v) for k, v in values.items()}
    base = {k: v for k, v in filters.items() if k not in ("offset", "limit", "sort")}
    csv_url = "/api/events.csv?" + urlencode({**base, "sort": sort}) if not error else None

    def sort_link(key: str) -> str:
        new = "-" + key if sort == key else key
        return "?" + urlencode({**base, "sort": new, "limit": limit})

    return render(request, "events.html", {
        "rows": rows, "total": total, "total_exact": exact, "filters": filters, "error": error, "event_types": EVENT_TYPES,
        "statuses": STATUSES, "status_choices": STATUS_CHOICES, "status_help": STATUS_HELP, "sort": sort,
        "sort_link": sort_link, "sectors": SECTOR_CHOICES,
        "pages": _page_links(request, limit, offset, len(rows) == limit and (not exact or offset + limit < total)),
        "limit": limit, "offset": offset,
        "csv_url": csv_url, "event_key": event_key, "side": _side, "names": parsed.resolved if parsed else {},
        "sources": _ctx(request).cached("sources", lambda: facet(_ctx(request).store, "source", 100)) if not error else [],
    }, status=error.status if error else 200)


@router.get("/dyads")
def dyads_index(request: Request):
    p = request.query_params
    if p.get("a") and p.get("b"):
        a, b = country_param("a", p["a"]), country_param("b", p["b"])
        period = period_param(p.get("period"))
        rest = {k: v for k, v in p.items() if k not in ("a", "b", "period") and v}
        return RedirectResponse(f"/dyads/{quote(a, safe='')}/{quote(b, safe='')}?" + urlencode({"period": period, **rest}),
                                status_code=303)
    parsed, error = _aggregate(request, (*AGG_KEYS, "a", "b", "period"))
    ctx = _ctx(request)
    net = ctx.cached(("top-pairs", parsed.filter), lambda: network_data(ctx.store, 40, parsed.filter, "exclude"))
    return render(request, "dyads.html", {"top": net.edges, "countries": [n.id for n in net.nodes], "a": "", "b": "",
                                          "period": "month", "country_name": country_name, "error": error,
                                          **_agg_context(parsed, "month")})


@router.get("/dyads/{a}/{b}")
def dyad_page(request: Request, a: str, b: str):
    a, b = country_param("a", a), country_param("b", b)
    parsed, error = _aggregate(request, (*AGG_KEYS, "period"))
    period = period_param(request.query_params.get("period", "month"))
    store = _ctx(request).store
    points, spread = bucket(dyad_counts(store, a, b, parsed.filter), period)
    chart = time_chart(points, spread, period)
    f = dataclasses.replace(parsed.filter, pair=(a, b, False))
    total = count_events(store, f)
    rows = find_events(store, f, "date", 200, 0)
    countries = _countries(request)
    return render(request, "dyad.html", {
        "a": a, "b": b, "period": period, "chart": chart, "quads": QUADS, "rows": rows, "total": total,
        "countries": countries, "country_name": country_name, "event_key": event_key, "side": _side,
        "status_help": STATUS_HELP, "undated": dyad_undated(store, a, b, parsed.filter),
        "error": error,
        "events_link": _events_link(parsed, pair=f"{a},{b}"), **_agg_context(parsed, period)})


@router.get("/countries")
def countries_index(request: Request):
    p = request.query_params
    if p.get("country"):
        c = country_param("country", p["country"])
        rest = {k: v for k, v in p.items() if k != "country" and v}
        return RedirectResponse(f"/countries/{quote(c, safe='')}?" + urlencode(rest), status_code=303)
    parsed, error = _aggregate(request, (*AGG_KEYS, "country", "period"))
    ctx = _ctx(request)
    net = ctx.cached(("countries", parsed.filter), lambda: network_data(ctx.store, 200, parsed.filter))
    return render(request, "countries.html", {"nodes": net.nodes[:60], "countries": [n.id for n in net.nodes],
                                              "country_name": country_name, "error": error, "country": "",
                                              **_agg_context(parsed, "month")})


@router.get("/countries/{country}")
def country_page(request: Request, country: str):
    country = country_param("country", country)
    parsed, error = _aggregate(request, (*AGG_KEYS, "period"))
    period = period_param(request.query_params.get("period", "month"))
    store = _ctx(request).store
    counts = country_counts(store, country, parsed.filter)
    data = country_timeline_data(store, country, period, parsed.filter, counts)
    points, spread = bucket(counts, period)
    scale = {p.period: (100.0 / p.documents if p.documents else 0.0) for p in data.points}
    chart = time_chart(points, spread, period, scale=scale, y_title="events per 100 documents", with_line=False)
    countries = _countries(request)
    return render(request, "country.html", {
        "country": country, "period": period, "chart": chart, "data": data, "quads": QUADS, "error": error,
        "countries": countries, "country_name": country_name,
        "events_link": _events_link(parsed, party=country), **_agg_context(parsed, period)})


@router.get("/network")
def network_page(request: Request):
    parsed, error = _aggregate(request, (*AGG_KEYS, "limit", "domestic"))
    p = request.query_params
    try:
        limit = int_param("limit", p.get("limit"), 60, 1, 1000)
        domestic = domestic_param(p.get("domestic"))
    except WebError as exc:
        error, limit, domestic = exc, 60, "include"
    net = network_data(_ctx(request).store, limit, parsed.filter, domestic)
    chart = network_chart([e.model_dump() for e in net.edges])
    legend = [{"value": v, "colour": intensity_color(v)} for v in (-10, -5, 0, 5, 10)]
    return render(request, "network.html", {"net": net, "chart": chart, "legend": legend, "limit": limit,
                                            "domestic": domestic, "country_name": country_name, "error": error,
                                            "intensity_color": intensity_color, "events_link": lambda **kw: _events_link(parsed, **kw),
                                            **_agg_context(parsed)})


@router.get("/map")
def map_page(request: Request):
    parsed, error = _aggregate(request)
    counts = location_counts(_ctx(request).store, parsed.filter)
    chart = map_chart(counts)
    table = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return render(request, "map.html", {"chart": chart, "table": table, "country_name": country_name, "error": error,
                                        "events_link": lambda **kw: _events_link(parsed, **kw), **_agg_context(parsed)})


@router.get("/quotes")
def quotes_page(request: Request):
    p = request.query_params
    error, rows, total = None, [], 0
    limit = offset = 0
    try:
        check_known(p, QUOTE_KEYS)
        f = quote_filter(request)
        limit = int_param("limit", p.get("limit"), 50, 1, 500)
        offset = int_param("offset", p.get("offset"), 0, 0, 10_000_000)
        store = _ctx(request).store
        total = count_quotes(store, f)
        rows = find_quotes(store, f, limit, offset)
    except WebError as exc:
        error = exc
    filters = {k: p.get(k) for k in QUOTE_KEYS if p.get(k)}
    return render(request, "quotes.html", {"rows": rows, "total": total, "filters": filters, "error": error,
                                           "pages": _page_links(request, limit or 50, offset, offset + limit < total),
                                           "status_help": STATUS_HELP, "event_key": event_key,
                                           "country_name": country_name}, status=error.status if error else 200)


@router.get("/clusters")
def clusters_page(request: Request):
    p = request.query_params
    error = None
    limit = offset = 0
    data = None
    try:
        check_known(p, ("type", "status", "country", "min_articles", "limit", "offset"))
        limit = int_param("limit", p.get("limit"), 50, 1, 500)
        offset = int_param("offset", p.get("offset"), 0, 0, 10_000_000)
        min_articles = int_param("min_articles", p.get("min_articles"), 1, 1, 100_000)
        c = text_param("country", p.get("country"), 32)
        data = cluster_data(_ctx(request).store, limit, offset, types_param(many(p, "type")),
                            statuses_param(many(p, "status")), country_param("country", c) if c else None, min_articles)
    except WebError as exc:
        error = exc
    filters = {k: p.get(k) for k in ("type", "status", "country", "min_articles") if p.get(k)}
    return render(request, "clusters.html", {
        "data": data, "error": error, "filters": filters, "event_types": EVENT_TYPES, "statuses": STATUSES,
        "status_help": STATUS_HELP, "country_name": country_name,
        "pages": _page_links(request, limit or 50, offset, bool(data and data.next_offset is not None))},
        status=error.status if error else 200)


@router.get("/clusters/{cluster_id}")
def cluster_page(request: Request, cluster_id: str):
    found = cluster_detail(_ctx(request).store, cluster_id)
    if found is None:
        raise not_found("cluster", cluster_id)
    cluster, mentions = found
    sources = sorted({m["source"] for m in mentions if m.get("source")})
    return render(request, "cluster.html", {"c": cluster, "mentions": mentions, "sources": sources,
                                            "status_help": STATUS_HELP, "event_key": event_key,
                                            "n_docs": len({m["doc_id"] for m in mentions})})


@router.get("/code")
def code_page(request: Request):
    if not _ctx(request).write_enabled:
        raise not_found("page", "/code (writing is disabled on this server)")
    return render(request, "code.html", {"max_upload": _ctx(request).max_upload_bytes})


@router.get("/api")
def api_page(request: Request):
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
