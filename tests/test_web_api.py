"""The web explorer through FastAPI's TestClient: every endpoint, bad parameters, writing, limits, escaping."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx
    from fastapi.testclient import TestClient

from test_web_support import EVIL_TEXT, build_docs, fill_store

from dotterel.ingest.readers import document_from_text
from dotterel.pipeline import Coder
from dotterel.records.models import CodedDocument
from dotterel.settings import Settings
from dotterel.store import Store
from dotterel.web import create_app
from dotterel.web.charts import bucket, intensity_color, network_chart, nice_ticks, time_chart
from dotterel.web.highlight import Span, render_spans
from dotterel.web.security import RateLimiter

TOKEN = "s3cret-token-for-tests-0123456789"
REAL_TEXT = (Path(__file__).parents[1] / "src/dotterel/examples/minister-call.txt").read_text(encoding="utf-8")
NEW_TEXT = ("Japan and South Korea agreed on Monday to resume regular security talks, the two governments said. "
            "Japanese Prime Minister Fumio Kishida will visit Seoul next month to meet President Yoon Suk Yeol.")


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, coder: Coder) -> Store:
    s = fill_store(Store(tmp_path_factory.mktemp("web") / "web.db"))
    document = document_from_text(REAL_TEXT, "real-minister-call", coder.settings, date=None, title="Real coded article")
    import datetime as dt

    document.published, document.published_basis = dt.date(2023, 7, 20), "user"
    s.save(coder.code(document), document.text)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store), base_url="http://localhost")


def write_client(store: Store, coder: Coder, **kwargs) -> TestClient:
    return TestClient(create_app(store, coder.settings, write_token=TOKEN, coder=coder, **kwargs), base_url="http://localhost")


def assert_error(resp, status: int, code: str, *words: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    for w in words:
        assert w in body["error"]["message"], body
    return body["error"]


# -- documents -------------------------------------------------------------------------------------

def test_documents_list_and_search(client: TestClient) -> None:
    body = client.get("/api/documents").json()
    ids = [d["id"] for d in body["documents"]]
    assert set(ids) == {"march-shelling", "april/sanctions & aid", "may-talks", "evil<doc>", "real-minister-call"}
    assert body["next_offset"] is None
    page = client.get("/api/documents", params={"limit": 2}).json()
    assert len(page["documents"]) == 2 and page["next_offset"] == 2
    page2 = client.get("/api/documents", params={"limit": 2, "offset": 2}).json()
    assert not {d["id"] for d in page["documents"]} & {d["id"] for d in page2["documents"]}
    found = client.get("/api/documents", params={"q": "Kharkiv"}).json()["documents"]
    assert [d["id"] for d in found] == ["march-shelling"]
    assert found[0]["n_events"] == 4


def test_document_detail(client: TestClient) -> None:
    body = client.get("/api/documents/march-shelling").json()
    coded = CodedDocument.model_validate(body["document"])
    assert coded.doc.title.startswith("Russia shells")
    t = coded.events[0].trigger
    assert body["text"][t.start:t.end] == t.text
    # ids with slashes, spaces, ampersands and angle brackets
    assert client.get("/api/documents/april/sanctions%20&%20aid").json()["document"]["doc"]["id"] == "april/sanctions & aid"
    assert client.get("/api/documents/evil%3Cdoc%3E").status_code == 200


def test_document_not_found(client: TestClient) -> None:
    assert_error(client.get("/api/documents/nope"), 404, "E201", "nope")
    assert_error(client.get("/api/no-such-endpoint"), 404, "E201")


@pytest.mark.parametrize("params,name", [({"limit": 0}, "limit"), ({"limit": "ten"}, "limit"), ({"offset": -1}, "offset"),
                                         ({"limit": 5000}, "limit")])
def test_documents_bad_params(client: TestClient, params: dict, name: str) -> None:
    assert_error(client.get("/api/documents", params=params), 400, "E202", name)


def test_real_coded_document(client: TestClient) -> None:
    body = client.get("/api/documents/real-minister-call").json()
    coded = CodedDocument.model_validate(body["document"])
    assert coded.events, "the real pipeline found no events"
    for e in coded.events:
        assert body["text"][e.trigger.start:e.trigger.end] == e.trigger.text
    page = client.get("/documents/real-minister-call").text
    assert page.count('class="hl hl-trigger') >= len({(e.trigger.start, e.trigger.end) for e in coded.events})
    assert "hl-actor" in page


# -- events ----------------------------------------------------------------------------------------

def event_ids(client: TestClient, real: bool = False, **params) -> set[str]:
    """Ids of the events matching ``params`` (of the hand-made documents only, unless ``real``)."""
    resp = client.get("/api/events", params=params)
    assert resp.status_code == 200, resp.text
    return {e["event"]["id"] for e in resp.json()["events"] if real or e["doc_id"] != "real-minister-call"}


def test_events_filters(client: TestClient) -> None:
    everything = event_ids(client, limit=1000)
    assert {"m-assault", "a-sanction", "y-agree", "evil-accuse"} <= everything
    assert event_ids(client, actor="USA") == {"m-consult", "a-sanction", "a-aid", "y-support"}
    assert event_ids(client, actor="usa", recipient="RUS") == {"a-sanction", "y-support"}
    assert event_ids(client, actor="Washington", recipient="Russia") == {"a-sanction", "y-support"}  # by name
    assert event_ids(client, type="assault", actor="RUS") == {"m-assault", "a-hypo", "a-neg"}
    assert event_ids(client, status="denied") == {"m-reject"}
    assert event_ids(client, status="PLANNED", actor="USA") == {"m-consult"}
    assert event_ids(client, date_from="2023-05-01", date_to="2023-05-31") == {"y-consult", "y-agree", "y-support"}
    assert event_ids(client, q="power grid") == {"a-hypo"}
    assert event_ids(client, actor="", recipient="", type="", status="", q="") == event_ids(client)  # empty = no filter


def test_events_paging(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 3}).json()
    assert len(first["events"]) == 3 and first["next_offset"] == 3
    second = client.get("/api/events", params={"limit": 3, "offset": 3}).json()
    assert {e["event"]["id"] for e in first["events"]}.isdisjoint({e["event"]["id"] for e in second["events"]})


@pytest.mark.parametrize("params,name,hint", [
    ({"date_from": "2023-02-30"}, "date_from", "not a valid calendar date"),
    ({"date_to": "yesterday"}, "date_to", "YYYY-MM-DD"),
    ({"date_from": "20230101"}, "date_from", "YYYY-MM-DD"),
    ({"date_from": "2023-06-01", "date_to": "2023-01-01"}, "date_from", "after date_to"),
    ({"type": "BOMB"}, "type", "ASSAULT"),
    ({"status": "maybe"}, "status", "asserted"),
    ({"limit": 0}, "limit", ""),
    ({"limit": 1001}, "limit", ""),
    ({"offset": "x"}, "offset", ""),
    ({"actor": "x" * 300}, "actor", "longer than"),
])
def test_events_bad_params(client: TestClient, params: dict, name: str, hint: str) -> None:
    assert_error(client.get("/api/events", params=params), 400, "E202", name, hint)
    if params != {"limit": 1001}:  # the CSV download allows larger pages
        assert_error(client.get("/api/events.csv", params=params), 400, "E202", name, hint)


def test_events_csv(client: TestClient) -> None:
    resp = client.get("/api/events.csv", params={"actor": "RUS", "type": "ASSAULT"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert {r["event_id"] for r in rows if r["doc_id"] != "real-minister-call"} == {"m-assault", "a-hypo", "a-neg"}
    row = next(r for r in rows if r["event_id"] == "m-assault")
    assert row["actor_country"] == "RUS" and row["recipient_country"] == "UKR" and row["quad_class"] == "4"
    assert row["intensity"] == "-10.0"  # numbers are not touched by the formula guard
    everything = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").content.decode("utf-8-sig"))))
    assert len(everything) == len(event_ids(client, real=True, limit=1000))
    evil = next(r for r in everything if r["event_id"] == "evil-reject")
    assert evil["sentence"].startswith("'=HYPERLINK")  # a spreadsheet will not run it


# -- actors, dyads, network, clusters --------------------------------------------------------------

def test_actors(client: TestClient) -> None:
    actors = client.get("/api/actors", params={"limit": 50}).json()["actors"]
    russia = next(a for a in actors if a["actor_id"] == "test:russia")
    assert russia["country"] == "RUS" and russia["name"] == "Russia" and russia["n"] >= 5
    assert_error(client.get("/api/actors", params={"limit": -1}), 400, "E202", "limit")


def test_dyad_timeline(client: TestClient) -> None:
    body = client.get("/api/dyads/rus/ukr/timeline", params={"period": "month"}).json()
    assert body["a"] == "RUS" and body["b"] == "UKR" and body["period"] == "month"
    by = {(p["period"], p["quad_class"]): p for p in body["points"]}
    assert by[("2023-03", 4)]["count"] == 1 and by[("2023-03", 4)]["mean_intensity"] == -10.0
    assert by[("2023-05", 1)]["count"] == 2
    directed = client.get("/api/dyads/RUS/UKR/timeline", params={"period": "month", "directed": "true"}).json()
    assert sum(p["count"] for p in directed["points"]) < sum(p["count"] for p in body["points"])
    weeks = client.get("/api/dyads/RUS/UKR/timeline").json()
    assert weeks["period"] == "week" and all("-W" in p["period"] for p in weeks["points"])
    assert client.get("/api/dyads/USA/CHN/timeline").json()["points"] == []


@pytest.mark.parametrize("url,name", [("/api/dyads/RUS/UKR/timeline?period=fortnight", "period"),
                                      ("/api/dyads/R%20S/UKR/timeline", "a"),
                                      ("/api/dyads/RUS/UKR/timeline?directed=perhaps", "directed")])
def test_dyad_bad_params(client: TestClient, url: str, name: str) -> None:
    assert_error(client.get(url), 400, "E202", name)


def test_network(client: TestClient) -> None:
    body = client.get("/api/network").json()
    edges = {(e["actor_country"], e["recipient_country"]): e for e in body["edges"]}
    assert edges[("RUS", "UKR")]["count"] >= 5 and edges[("RUS", "UKR")]["mean_intensity"] < 0
    assert edges[("USA", "UKR")]["mean_intensity"] > 0
    nodes = {n["id"]: n["count"] for n in body["nodes"]}
    assert {"RUS", "UKR", "USA"} <= set(nodes)
    assert len(client.get("/api/network", params={"limit": 1}).json()["edges"]) == 1


def test_clusters_without_cluster_tables(client: TestClient) -> None:
    body = client.get("/api/clusters").json()
    assert body["clusters"] == [] and body["total"] == 0 and "no event clusters" in body["note"]
    assert client.get("/clusters").status_code == 200


def test_clusters_from_the_corpus_tables(tmp_path: Path) -> None:
    from dotterel.corpus.cluster import rebuild_clusters

    s = fill_store(Store(tmp_path / "clustered.db"))
    rebuild_clusters(s)
    c = TestClient(create_app(s), base_url="http://localhost")
    body = c.get("/api/clusters", params={"limit": 2, "offset": 1}).json()
    assert body["total"] >= 3 and len(body["clusters"]) == 2 and body["note"] is None and body["next_offset"] == 3
    first = c.get("/api/clusters", params={"limit": 1}).json()["clusters"][0]
    view = c.get(f"/api/clusters/{first['id']}").json()
    assert view["cluster"]["id"] == first["id"] and len(view["mentions"]) == first["n_mentions"]
    page = c.get(f"/clusters/{first['id']}").text
    assert "first seen" in page and view["mentions"][0]["doc_id"].split("/")[0] in page
    assert "cluster-mentions" in page and 'id="clusters-table"' in c.get("/clusters").text
    assert_error(c.get("/api/clusters", params={"limit": 0}), 400, "E202", "limit")
    assert_error(c.get("/api/clusters/nope"), 404, "E201")


def test_openapi_schema(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/documents", "/api/documents/{doc_id}", "/api/events", "/api/events.csv", "/api/actors",
            "/api/dyads/{a}/{b}/timeline", "/api/network", "/api/clusters", "/api/code"} <= paths
    assert not any(not p.startswith("/api/") for p in paths), "HTML pages stay out of the API schema"
    body = schema["paths"]["/api/code"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert client.get("/docs").status_code == 404  # no Swagger UI pulling scripts from a CDN


# -- writing ---------------------------------------------------------------------------------------

def test_write_disabled_by_default(client: TestClient) -> None:
    err = assert_error(client.post("/api/code", json={"text": NEW_TEXT}), 403, "E203", "disabled")
    assert "write token" in err["message"]
    assert_error(client.post("/api/code", json={"text": NEW_TEXT}, headers={"Authorization": f"Bearer {TOKEN}"}),
                 403, "E203")
    assert client.get("/code").status_code == 404
    assert 'href="/code"' not in client.get("/").text


def test_write_token_required(store: Store, coder: Coder) -> None:
    c = write_client(store, coder)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": f"Bearer {TOKEN}x"}):
        resp = c.post("/api/code", json={"text": NEW_TEXT}, headers=headers)
        assert_error(resp, 401, "E203", "Bearer")
        assert resp.headers["www-authenticate"] == "Bearer"
    assert c.get("/code").status_code == 200
    assert 'href="/code"' in c.get("/").text


def test_code_json(store: Store, coder: Coder) -> None:
    c = write_client(store, coder)
    resp = c.post("/api/code", json={"text": NEW_TEXT, "date": "2023-03-20", "title": "Japan, South Korea resume talks"},
                  headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == 201, resp.text
    coded = CodedDocument.model_validate(resp.json())
    assert coded.doc.published == "2023-03-20" and coded.doc.title == "Japan, South Korea resume talks"
    assert coded.events and coded.doc.id.startswith("doc-")
    assert resp.headers["location"] == f"/api/documents/{coded.doc.id}"
    stored = c.get(resp.headers["location"]).json()
    assert stored["text"] == NEW_TEXT and stored["document"]["doc"]["id"] == coded.doc.id
    assert c.get(f"/documents/{coded.doc.id}").status_code == 200


def test_code_upload(store: Store, coder: Coder) -> None:
    c = write_client(store, coder)
    text = NEW_TEXT.replace("Monday", "Tuesday")
    resp = c.post("/api/code", files={"file": ("article.txt", text.encode(), "text/plain")},
                  data={"date": "2023-03-21", "title": "Uploaded"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == 201, resp.text
    assert resp.json()["doc"]["title"] == "Uploaded"
    html_page = f"<html><head><title>From HTML</title></head><body><article><p>{text}</p><p>{NEW_TEXT}</p></article></body></html>"
    resp = c.post("/api/code", files={"file": ("page.html", html_page.encode(), "text/html")},
                  headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == 201, resp.text
    assert "<p>" not in c.get(f"/api/documents/{resp.json()['doc']['id']}").json()["text"]
    bad = c.post("/api/code", files={"file": ("x.txt", b"\xff\xfe\x00binary", "text/plain")},
                 headers={"Authorization": f"Bearer {TOKEN}"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] in {"E102", "E104"}


@pytest.mark.parametrize("kwargs,status,code,word", [
    ({"json": {"title": "no text"}}, 400, "E202", "text"),
    ({"json": {"text": NEW_TEXT, "date": "20th March"}}, 400, "E202", "date"),
    ({"json": {"text": NEW_TEXT, "data": "2023-01-01"}}, 400, "E202", "data"),
    ({"json": {"text": 42}}, 400, "E202", "text"),
    ({"json": ["not", "an", "object"]}, 400, "E202", "body"),
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "E202", "JSON"),
    ({"content": b"text=hello", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415, "E202", "multipart"),
    ({"json": {"text": "   "}}, 422, "E101", "no text"),
])
def test_code_bad_input(store: Store, coder: Coder, kwargs: dict, status: int, code: str, word: str) -> None:
    c = write_client(store, coder, rate_limit=None)
    headers = {"Authorization": f"Bearer {TOKEN}", **kwargs.pop("headers", {})}
    assert_error(c.post("/api/code", headers=headers, **kwargs), status, code, word)


def test_size_limit(store: Store, coder: Coder) -> None:
    c = write_client(store, coder, max_upload_bytes=1000)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    err = assert_error(c.post("/api/code", json={"text": "x " * 1000}, headers=auth), 413, "E204", "1000")
    assert "larger than" in err["message"]
    big = ("word " * 400).encode()
    assert_error(c.post("/api/code", files={"file": ("a.txt", big, "text/plain")}, headers=auth), 413, "E204")

    def chunks():  # no Content-Length: the limit still holds
        for _ in range(10):
            yield b"y" * 200

    assert_error(c.post("/api/code", content=chunks(), headers={**auth, "Content-Type": "application/json"}), 413, "E204")
    # below the limit, the request goes through to validation
    assert_error(c.post("/api/code", json={"title": "t"}, headers=auth), 400, "E202", "text")


def test_rate_limit(store: Store, coder: Coder) -> None:
    c = write_client(store, coder, rate_limit=(2, 60.0))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for _ in range(2):
        assert c.post("/api/code", json={"title": "no text"}, headers=auth).status_code == 400
    resp = c.post("/api/code", json={"text": NEW_TEXT}, headers=auth)
    assert_error(resp, 429, "E205", "try again")
    assert int(resp.headers["retry-after"]) >= 1
    # reads are not rate limited
    assert all(c.get("/api/documents").status_code == 200 for _ in range(5))


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 10.0, clock=lambda: now[0])
    assert limiter.hit("a") is None and limiter.hit("a") is None
    assert limiter.hit("a") == pytest.approx(10.0)
    assert limiter.hit("b") is None  # per client
    now[0] = 10.5
    assert limiter.hit("a") is None


# -- HTML pages ------------------------------------------------------------------------------------

class TagChecker(html.parser.HTMLParser):
    """Collects text and checks that <mark> elements are balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.text, self.tags = 0, [], []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag == "mark":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.depth -= 1
            assert self.depth >= 0

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_highlighter_nesting_and_crossing() -> None:
    text = "Alpha <beta> & gamma delta"
    spans = [Span(0, 12, "quote", "q0"), Span(6, 12, "actor", "a0", label="X"), Span(9, 20, "trigger", "ev-1", label="T"),
             Span(9, 20, "actor", "a1"), Span(13, 14, "time", "t0"), Span(20, 99, "time", "t1"), Span(5, 5, "actor", "empty")]
    out = str(render_spans(text, spans))
    checker = TagChecker()
    checker.feed(out)
    assert checker.depth == 0 and set(checker.tags) == {"mark"}
    assert "".join(checker.text) == text  # nothing lost, nothing added, all escaped
    assert "<beta>" not in out and "&lt;" in out and "&gt;" in out and "&amp;" in out
    for key in ("q0", "a0", "ev-1", "a1", "t0", "t1"):
        assert out.count(f'id="{key}"') == 1  # one anchor per span even when it is cut in pieces
    assert 'id="empty"' not in out
    assert out.count('data-span="ev-1"') == 2 and out.count('data-label="T"') == 1  # cut once, label on the last piece


def test_pages_render(client: TestClient) -> None:
    for url in ("/", "/?q=grain", "/events", "/dyads", "/dyads/RUS/UKR", "/dyads/RUS/UKR?period=week", "/network",
                "/api", "/documents/march-shelling", "/documents/april/sanctions%20&%20aid"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["content-type"].startswith("text/html")
    assert client.get("/dyads?a=rus&b=ukr&period=week", follow_redirects=False).headers["location"] == "/dyads/RUS/UKR?period=week"


def test_document_page(client: TestClient) -> None:
    page = client.get("/documents/march-shelling").text
    assert 'id="ev-m-assault"' in page and 'href="#ev-m-assault"' in page  # event list links to its evidence span
    assert 'class="hl hl-actor kind-name"' in page and "sector-gov" in page
    assert 'class="hl hl-trigger status-denied"' in page and 'class="hl hl-trigger status-planned"' in page
    assert "hl-quote" in page and "hl-time" in page and "hl-mention" in page
    for status in ("asserted", "planned", "denied", "hypothetical", "negated", "unconfirmed"):
        assert f"badge status-{status}" in page  # the legend
    assert 'rel="noopener noreferrer nofollow"' in page


def test_page_errors(client: TestClient) -> None:
    resp = client.get("/documents/nope")
    assert resp.status_code == 404 and "E201" in resp.text and resp.headers["content-type"].startswith("text/html")
    resp = client.get("/events", params={"date_from": "2023-99-01", "type": "ASSAULT"})
    assert resp.status_code == 400 and "E202" in resp.text and "date_from" in resp.text
    assert 'value="2023-99-01"' in resp.text  # the form keeps what was typed
    assert client.get("/dyads/RUS/UKR?period=decade").status_code == 400
    assert client.get("/nowhere").status_code == 404


def test_events_page_filters_and_csv_link(client: TestClient) -> None:
    page = client.get("/events", params={"actor": "USA", "status": "planned"}).text
    assert "hold talks" in page and "imposed sanctions" not in page
    assert 'href="/api/events.csv?status=planned&amp;actor=USA&amp;sort=date"' in page
    assert '<option value="planned" selected>' in page


def test_dyad_and_network_charts(client: TestClient) -> None:
    page = client.get("/dyads/RUS/UKR", params={"period": "month"}).text
    assert page.count('<rect class="bar q') >= 4 and 'class="intensity-line"' in page
    assert "Kremlin denied" not in page  # aggregates count asserted + reported events by default
    assert "Counted: events with status asserted or reported" in page
    everything = client.get("/dyads/RUS/UKR", params={"period": "month", "status": "all"}).text
    assert "Kremlin denied" in everything  # the event list under the chart
    net = client.get("/network").text
    assert net.count('<g class="edge"') >= 4 and "<circle" in net


def test_malicious_article_is_inert(client: TestClient) -> None:
    page = client.get("/documents/evil%3Cdoc%3E").text
    for raw in ("<script>alert", "<img src=x", "<b>plotting", "<b>Mallory", "<i>said", "javascript:alert"):
        assert raw not in page, raw
    assert "&lt;" in page and "&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(&#39;title&#39;)&gt; Evil headline" in page  # title, escaped
    listing = client.get("/").text
    assert "<img src=x" not in listing and "<script>alert(3)" not in listing
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in listing
    events = client.get("/events").text
    assert "<script>alert" not in events and "<b>plotting" not in events
    article = page.split('id="article">', 1)[1].split("</article>", 1)[0]
    checker = TagChecker()
    checker.feed(article)
    assert set(checker.tags) <= {"mark"} and "".join(checker.text) == EVIL_TEXT


def test_security_headers_and_no_cors(client: TestClient) -> None:
    resp = client.get("/", headers={"Origin": "https://evil.example"})
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in resp.headers
    pre = client.options("/api/events", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 405 and "access-control-allow-origin" not in pre.headers
    api = client.get("/api/events", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in api.headers and "content-security-policy" in api.headers


def test_static_assets_are_local(client: TestClient) -> None:
    page = client.get("/documents/march-shelling").text
    assert "http://" not in page.replace('href="https://example.org/march"', "") and "//cdn" not in page
    assert client.get("/static/dotterel.js").status_code == 200
    assert client.get("/static/dotterel.css").status_code == 200


# -- chart geometry --------------------------------------------------------------------------------

def test_timeline_geometry() -> None:
    from dotterel.store.queries import DatedCount

    counts = [DatedCount("2023-01-05", "2023-01-05", 1, 2, 6.0), DatedCount("2023-01-09", None, 4, 1, -9.0),
              DatedCount("2023-04-02", "2023-04-02", 3, 4, -8.0)]
    chart = time_chart(*bucket(counts, "month"), "month")
    assert chart["periods"] == 2 and chart["total"] == 7  # February and March are gaps, not bars
    assert len(chart["bars"]) == 3
    assert len(chart["segments"]) == 2  # the intensity line breaks over the empty months
    jan = [b for b in chart["bars"] if b["title"].startswith("2023-01")]
    ymax = float(chart["yticks"][-1]["label"])
    assert sum(b["h"] for b in jan) == pytest.approx(chart["plot_h"] * 3 / ymax, abs=0.5)
    assert all(chart["top"] <= b["y"] <= chart["bottom"] for b in chart["bars"])
    assert time_chart({}, [], "week")["empty"]
    assert nice_ticks(7) == [0, 2, 4, 6, 8] and nice_ticks(1) == [0, 1]


def test_network_geometry() -> None:
    chart = network_chart([{"actor_country": "RUS", "recipient_country": "UKR", "count": 5, "mean_intensity": -7},
                           {"actor_country": "UKR", "recipient_country": "RUS", "count": 1, "mean_intensity": 2},
                           {"actor_country": "USA", "recipient_country": "USA", "count": 1, "mean_intensity": 0}])
    assert {n["id"] for n in chart["nodes"]} == {"RUS", "UKR", "USA"}
    assert len(chart["edges"]) == 2 and len(chart["loops"]) == 1
    heavy = next(e for e in chart["edges"] if e["count"] == 5)
    assert heavy["width"] > chart["edges"][0]["width"] or heavy is chart["edges"][0]
    assert intensity_color(-10) != intensity_color(10) and intensity_color(0) == intensity_color(None)


# -- CLI -------------------------------------------------------------------------------------------

def test_serve_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from dotterel.cli import serve as web_cli

    app = typer.Typer()
    web_cli.register(app)

    @app.command("other")
    def _other() -> None:  # a second command keeps typer in multi-command mode
        pass

    runner = CliRunner()
    assert "--write-token" in runner.invoke(app, ["serve", "--help"]).output
    seen: dict = {}

    def fake_run(asgi_app, **kwargs) -> None:
        seen.update(kwargs, app=asgi_app)

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv("DOTTEREL_WRITE_TOKEN", raising=False)
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert not seen["app"].state.web.write_enabled
    monkeypatch.setenv("DOTTEREL_WRITE_TOKEN", TOKEN)
    assert runner.invoke(app, ["serve", "--db", str(tmp_path / "s.db")]).exit_code == 0
    assert seen["app"].state.web.write_enabled


def test_build_docs_are_consistent() -> None:
    for coded, text in build_docs():
        for e in coded.events:
            assert text[e.trigger.start:e.trigger.end] == e.trigger.text
        for a in coded.actors:
            assert text[a.start:a.end] == a.text
    json.dumps([c.model_dump() for c, _ in build_docs()])


def test_store_failure_is_json(store: Store) -> None:
    from sqlalchemy.exc import OperationalError

    class BrokenStore(Store):
        def documents(self, *args, **kwargs):
            raise OperationalError("SELECT 1", {}, Exception("disk gone"))

    c = TestClient(create_app(BrokenStore(store.url)), raise_server_exceptions=False, base_url="http://localhost")
    err = assert_error(c.get("/api/documents"), 503, "E004")
    assert "disk gone" not in err["message"]  # no database details leak
    assert c.get("/").status_code == 503
