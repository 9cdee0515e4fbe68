"""The explorer's security rules (#12 item 12) and analyst views (#14), without a model.

Each test states a behaviour the earlier explorer got wrong: counting a wrong token against the
writer's quota, answering any Host, serving off loopback openly, building the CSV in memory,
counting denied/hypothetical events and only the first country of each side in aggregates, …"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from test_web_support import event, fill_store, side

from dotterel.records.models import (
    CodedDocument,
    DateRecord,
    DocMeta,
    LocationRecord,
    SideActor,
)
from dotterel.settings import Settings
from dotterel.store import Store
from dotterel.store.queries import DatedCount
from dotterel.web import create_app
from dotterel.web.charts import bucket, time_chart

TOKEN = "explorer-write-token-0123456789"
LOCAL = "http://localhost"


def coalition_doc() -> tuple[CodedDocument, str]:
    """Two countries on one side, an inter-state clash listed on both sides, a domestic event,
    a month-precision date, a location and a quote with an event inside."""
    text = ("Russia and Belarus shelled Ukraine on Monday. "
            "Russia and Ukraine clashed with Ukraine and Russia near the border. "
            "Moscow arrested Russia protesters. "
            "\"We will talk,\" Lavrov said, and Russia agreed to meet Ukraine in May.")
    shelled = event(text, "c-shell", "ASSAULT", "shelled", "Russia", "Ukraine", date="2023-06-05")
    shelled.actor = [side(text, "Russia"), SideActor(text="Belarus", start=10, end=17, name="Belarus", country="BLR",
                                                     sector="MIL", id="test:belarus")]
    shelled.location = LocationRecord(name="Kharkiv", country="UKR", start=0, end=6)
    clash = event(text, "c-clash", "ASSAULT", "clashed", "Russia", "Ukraine", nth=0, date="2023-06-06", reciprocal=True)
    clash.actor = [side(text, "Russia", 1), side(text, "Ukraine", 1)]
    clash.recipient = [side(text, "Ukraine", 2), side(text, "Russia", 2)]
    clash.location = LocationRecord(name="border", country="UKR", start=0, end=6)
    arrest = event(text, "c-arrest", "ASSAULT", "arrested", "Moscow", "Russia", date="2023-06-07")
    arrest.recipient = [side(text, "Russia", 3, sector="CVL")]
    agree = event(text, "c-agree", "AGREE", "agreed", "Russia", "Ukraine", nth=0, date="2023-05-01", quote=0)
    agree.actor = [side(text, "Russia", 4)]
    agree.recipient = [side(text, "Ukraine", 3)]
    agree.date = DateRecord(start="2023-05-01", end="2023-05-31", text="in May", basis="explicit")
    from test_web_support import quote_of

    quotes = [quote_of(text, "We will talk,", "Lavrov", ["c-agree"])]
    coded = CodedDocument(doc=DocMeta(id="coalition", title="Coalition shelling", published="2023-06-08",
                                      published_basis="input", source="Other Wire", url="https://example.org/c",
                                      content_hash="h-coalition"), events=[shelled, clash, arrest, agree], quotes=quotes)
    return coded, text


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = fill_store(Store(tmp_path_factory.mktemp("explorer") / "explorer.db"))
    s.save(*coalition_doc())
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store), base_url=LOCAL)


def error_of(resp, status: int, name: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    if name:
        assert name in err["message"], err
    return err


# -- security --------------------------------------------------------------------------------------

class FakeCoder:
    settings = Settings()

    def code(self, document) -> CodedDocument:
        return CodedDocument(doc=DocMeta(id=document.id, title=document.title, content_hash=document.content_hash))


def test_wrong_tokens_do_not_use_up_the_writers_quota(tmp_path: Path) -> None:
    app = create_app(Store(tmp_path / "w.db"), Settings(), write_token=TOKEN, rate_limit=(2, 3600.0), coder=FakeCoder())
    c = TestClient(app, base_url=LOCAL)
    bad = {"Authorization": "Bearer wrong"}
    codes = [c.post("/api/code", json={"text": f"Text {i}."}, headers=bad).status_code for i in range(5)]
    assert codes[:2] == [401, 401] and set(codes[2:]) == {429}  # guessing is limited on its own
    good = {"Authorization": f"Bearer {TOKEN}"}
    assert c.post("/api/code", json={"text": "Japan and Chile agreed to talk."}, headers=good).status_code == 201
    assert c.post("/api/code", json={"text": "Peru and Chile agreed to talk."}, headers=good).status_code == 201
    assert c.post("/api/code", json={"text": "Peru and Japan agreed to talk."}, headers=good).status_code == 429


@pytest.mark.parametrize("host,ok", [("localhost", True), ("127.0.0.1:8000", True), ("[::1]:8000", True),
                                     ("evil.example", False), ("evil.example:8000", False), ("testserver", False),
                                     ("explorer.example:443", True)])
def test_host_header_allow_list(store: Store, host: str, ok: bool) -> None:
    c = TestClient(create_app(store, allowed_hosts=("explorer.example",)), base_url=LOCAL)
    resp = c.get("/api/documents", headers={"host": host})
    if ok:
        assert resp.status_code == 200
    else:
        assert error_of(resp, 400, "Host")["code"] == "E202"


def test_read_token(store: Store) -> None:
    c = TestClient(create_app(store, read_token="read token;0123456789"), base_url=LOCAL, follow_redirects=False)
    assert c.get("/api/documents").status_code == 401
    assert c.get("/events").status_code == 401
    assert c.get("/api/documents", headers={"Authorization": "Bearer read token;0123456789"}).status_code == 200
    assert c.get("/api/documents", headers={"Authorization": "Bearer nope"}).status_code == 401
    resp = c.get("/events?read_token=read%20token%3B0123456789&type=ASSAULT")
    assert resp.status_code == 303 and resp.headers["location"] == "/events?type=ASSAULT"
    assert "HttpOnly" in resp.headers["set-cookie"]
    assert c.get("/events?type=ASSAULT").status_code == 200  # the cookie now opens the pages


def test_serving_off_loopback_needs_a_read_token_or_public(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dotterel.cli import app
    from dotterel.web.serve import ServeRefused, check_exposure

    with pytest.raises(ServeRefused, match="read-token"):
        check_exposure("0.0.0.0", None, False, ("explorer.example",))
    with pytest.raises(ServeRefused, match="allow-host"):
        check_exposure("0.0.0.0", "r" * 20, False, ())
    assert check_exposure("0.0.0.0", None, True, ("explorer.example",)) == ("explorer.example",)
    assert check_exposure("192.0.2.7", "r" * 20, False, ()) == ("192.0.2.7",)
    assert check_exposure("127.0.0.1", None, False, ()) == ()
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "refused" in result.output


def test_csv_is_streamed_with_a_bom(client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lists(*args, **kwargs):
        raise AssertionError("the CSV must not build the whole list of events")

    monkeypatch.setattr(Store, "events", no_lists)
    resp = client.get("/api/events.csv")
    assert resp.status_code == 200 and "content-length" not in resp.headers  # streamed, chunked
    assert resp.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert {"actor_sector", "recipient_sector", "location", "location_country", "title", "url"} <= set(rows[0])
    shell = next(r for r in rows if r["event_id"] == "c-shell")
    assert shell["actor_country"] == "RUS | BLR" and shell["actor_sector"] == "GOV | MIL"
    assert shell["location"] == "Kharkiv" and shell["title"] == "Coalition shelling" and shell["url"] == "https://example.org/c"
    dated = [r["date_start"] for r in rows]
    assert dated.index("") > max(i for i, d in enumerate(dated) if d) if "" in dated else True  # undated last


def test_csv_chunks_stay_small() -> None:
    from dotterel.web.api import csv_chunks

    class Row:
        def __init__(self, stored) -> None:
            self.stored, self.title, self.url = stored, "t", None

    from test_web_support import doc_march

    from dotterel.store import StoredEvent

    coded, _ = doc_march()
    produced = 0

    def rows():
        nonlocal produced
        for _ in range(2000):
            produced += 1
            yield Row(StoredEvent(doc_id="d", event=coded.events[0]))

    chunks = csv_chunks(rows(), rows_per_chunk=500)
    next(chunks)  # the header
    next(chunks)
    assert produced == 500  # rows are read as they are written, not all first
    assert len(list(chunks)) == 3


# -- honest aggregates -----------------------------------------------------------------------------

def test_aggregates_count_what_happened_by_default(client: TestClient) -> None:
    default = client.get("/api/dyads/RUS/UKR/timeline", params={"period": "month"}).json()
    every = client.get("/api/dyads/RUS/UKR/timeline", params={"period": "month", "status": "all"}).json()
    assert default["statuses"] == ["asserted", "reported"] and "asserted or reported" in default["counted"]
    n_default = sum(p["count"] for p in default["points"]) + sum(s["count"] for s in default["spread"])
    n_every = sum(p["count"] for p in every["points"]) + sum(s["count"] for s in every["spread"])
    assert n_every - n_default >= 4  # denied, hypothetical, negated, unconfirmed no longer counted as happened
    denied = client.get("/api/dyads/RUS/UKR/timeline", params={"status": "denied"}).json()
    assert sum(p["count"] for p in denied["points"]) == 1
    for url in ("/network", "/dyads", "/map", "/countries/RUS", "/dyads/RUS/UKR"):
        page = client.get(url).text
        assert 'name="status"' in page and "Counted: events with status asserted or reported" in page, url


def test_every_party_of_every_side_is_counted(client: TestClient) -> None:
    edges = {(e["actor_country"], e["recipient_country"]): e["count"]
             for e in client.get("/api/network", params={"limit": 100}).json()["edges"]}
    assert edges[("BLR", "UKR")] == 1  # the second country of the actor side
    assert ("UKR", "UKR") not in edges  # the clash listed on both sides is no domestic self-loop
    assert edges[("RUS", "RUS")] == 1  # the arrest is
    blr = client.get("/api/dyads/BLR/UKR/timeline", params={"period": "day"}).json()
    assert [(p["period"], p["count"]) for p in blr["points"]] == [("2023-06-05", 1)]
    table = client.get("/api/events", params={"pair": "BLR,UKR"}).json()
    assert [e["event"]["id"] for e in table["events"]] == ["c-shell"]  # table and chart agree
    without = client.get("/api/network", params={"domestic": "exclude"}).json()["edges"]
    assert all(e["actor_country"] != e["recipient_country"] for e in without)
    only = client.get("/api/network", params={"domestic": "only"}).json()["edges"]
    assert only and all(e["actor_country"] == e["recipient_country"] for e in only)


def test_month_precision_dates_are_not_single_days(client: TestClient) -> None:
    weeks = client.get("/api/dyads/RUS/UKR/timeline", params={"period": "week"}).json()
    assert {"start": "2023-05-01", "end": "2023-05-31", "quad_class": 1, "count": 1, "mean_intensity": 8.0} in weeks["spread"]
    assert not any(p["period"].startswith("2023-W18") and p["quad_class"] == 1 for p in weeks["points"])
    months = client.get("/api/dyads/RUS/UKR/timeline", params={"period": "month"}).json()
    assert any(p["period"] == "2023-05" and p["quad_class"] == 1 for p in months["points"]) and not months["spread"]


def test_time_axis_is_a_time_scale_with_gaps() -> None:
    counts = [DatedCount("2023-01-10", "2023-01-10", 4, 2, -20.0), DatedCount("2023-02-10", "2023-02-10", 4, 1, -10.0),
              DatedCount("2023-12-10", "2023-12-10", 1, 1, 1.0), DatedCount("2023-03-01", "2023-03-31", 3, 1, -4.0)]
    points, spread = bucket(counts, "week")
    chart = time_chart(points, spread, "week")
    xs = sorted(b["x"] for b in chart["bars"])
    # January → February is one month, February → December ten: the distances say so
    assert 8 < (xs[2] - xs[1]) / (xs[1] - xs[0]) < 12
    assert len(chart["segments"]) == 3  # the intensity line is not joined across empty weeks
    assert len(chart["spread"]) == 1 and chart["spread"][0]["w"] > 3 * chart["bars"][0]["w"]
    many = [DatedCount(f"{2000 + i // 12}-{i % 12 + 1:02d}-01", None, 1, 1, 1.0) for i in range(600)]
    big = time_chart(*bucket(many, "month"), "month")
    assert len(big["bars"]) == 600 and len(big["xticks"]) <= 10  # 600 periods: still a time axis
    assert all(t["label"].isdigit() for t in big["xticks"])


def test_country_timeline_is_normalised_by_documents(client: TestClient) -> None:
    body = client.get("/api/countries/UKR/timeline", params={"period": "month", "status": "all"}).json()
    by = {p["period"]: p for p in body["points"]}
    assert by["2023-03"]["documents"] == 1 and by["2023-03"]["count"] >= 3
    assert by["2023-03"]["per_100_documents"] == pytest.approx(100 * by["2023-03"]["count"])
    page = client.get("/countries/UKR", params={"status": "all"}).text
    assert "per 100 documents" in page and 'id="country-timeline"' in page


# -- events table and API contract -----------------------------------------------------------------

def test_events_total_sort_paging_and_undated_last(client: TestClient) -> None:
    body = client.get("/api/events", params={"limit": 3}).json()
    assert body["total"] >= 15 and body["next_offset"] == 3 and len(body["events"]) == 3
    for sort in ("date", "-date"):
        every = client.get("/api/events", params={"sort": sort, "limit": 1000}).json()["events"]
        dates = [e["event"]["date"]["start"] for e in every]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=sort.startswith("-"))
        assert dates[len(dated):] == [None] * (len(dates) - len(dated))
    conf = [e["event"]["confidence"] for e in client.get("/api/events", params={"sort": "-confidence"}).json()["events"]]
    assert conf == sorted(conf, reverse=True)
    page = client.get("/events", params={"limit": 5}).text
    assert f"<strong>{body['total']}</strong> events" in page and 'href="?sort=-date' in page


@pytest.mark.parametrize("url", ["/api/events", "/api/events.csv", "/api/network", "/api/map", "/api/quotes",
                                 "/api/clusters", "/api/documents", "/api/actors", "/api/dyads/RUS/UKR/timeline",
                                 "/api/countries/RUS/timeline"])
def test_unknown_parameters_are_400(client: TestClient, url: str) -> None:
    err = error_of(client.get(url, params={"acter": "RUS"}), 400, "acter")
    assert err["code"] == "E202"


def test_openapi_matches_what_is_sent(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method == "get":
                assert "422" not in op["responses"] and "400" in op["responses"], path
                assert all(p.get("description") for p in op.get("parameters", []) if p["in"] == "query"), path
    names = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"type", "status", "actor", "actor_sector", "recipient_sector", "location", "source", "doc", "min_confidence",
            "sort", "limit", "offset"} <= names
    props = schema["components"]["schemas"]["EventList"]["properties"]
    assert {"total", "next_offset", "names"} <= set(props)
    assert client.get("/api/events", params={"limit": 0}).status_code == 400


def test_filters(client: TestClient) -> None:
    def ids(**params) -> set[str]:
        return {e["event"]["id"] for e in client.get("/api/events", params={**params, "limit": 1000}).json()["events"]}

    assert ids(location="UKR") == {"c-shell", "c-clash"} and ids(location="kharkiv") == {"c-shell"}
    assert ids(source="other wire") == {"c-shell", "c-clash", "c-arrest", "c-agree"}
    assert ids(doc="coalition", type="AGREE") == {"c-agree"}
    assert ids(actor_sector="MIL") == {"c-shell"} and "c-arrest" in ids(recipient_sector="CVL")
    assert ids(status="denied,negated") == {"m-reject", "a-neg"}
    assert ids(min_confidence="0.9") == set()
    assert ids(q="%") == set() and ids(q="_") == set()  # LIKE wildcards are literal
    assert "c-arrest" in ids(q="arrested Russia")


def test_names_and_aliases_through_the_gazetteer(client: TestClient) -> None:
    def ids(**params) -> set[str]:
        return {e["event"]["id"] for e in client.get("/api/events", params={**params, "limit": 1000}).json()["events"]}

    assert ids(actor="Russia") == ids(actor="RUS") and ids(actor="russia") == ids(actor="RUS")
    assert ids(recipient="Ukraine") == ids(recipient="UKR")
    body = client.get("/api/events", params={"actor": "UK"}).json()
    assert body["names"]["actor"]["read_as"] == "UK → GBR" and body["names"]["actor"]["known"]
    assert ids(actor="lavr") == set() or True
    miss = client.get("/api/events", params={"actor": "Rusia"}).json()["names"]["actor"]
    assert not miss["known"] and "Russia" in miss["suggestions"]
    page = client.get("/events", params={"actor": "Rusia"}).text
    assert "Did you mean" in page and "actor=Russia" in page


def test_quotes(client: TestClient) -> None:
    body = client.get("/api/quotes").json()
    assert body["total"] >= 2
    q = next(x for x in body["quotes"] if x["doc_id"] == "coalition")
    assert q["speaker"] == "Lavrov" and q["speaker_country"] == "RUS" and q["published"] == "2023-06-08"
    assert [e["id"] for e in q["events"]] == ["c-agree"]
    assert client.get("/api/quotes", params={"speaker": "Kuleba"}).json()["total"] == 1
    assert client.get("/api/quotes", params={"country": "RUS"}).json()["total"] == 1
    assert client.get("/api/quotes", params={"q": "talk"}).json()["total"] == 1
    page = client.get("/quotes").text
    assert 'id="quotes-table"' in page and "We will talk" in page


def test_map(client: TestClient) -> None:
    body = client.get("/api/map", params={"status": "all"}).json()
    assert {"country": "UKR", "name": "Ukraine", "count": 2} in body["countries"]
    page = client.get("/map", params={"status": "all"}).text
    assert page.count("<path") > 150 and 'data-iso3="UKR"' in page and "/events?" in page
    assert "Natural Earth" in page


def test_sector_labels() -> None:
    from dotterel.web.pages import SECTORS

    assert SECTORS["MED"].startswith("medical") and "media" in SECTORS["JRN"]


def test_dyad_series_counts_like_the_explorer(store: Store, client: TestClient) -> None:
    from dotterel.analysis import dyad_series

    happened = dyad_series(store, "RUS", "UKR", period="month")
    every = dyad_series(store, "RUS", "UKR", period="month", statuses=())
    assert every["count"].sum() - happened["count"].sum() >= 4
    api = client.get("/api/dyads/RUS/UKR/timeline", params={"period": "month"}).json()["points"]
    assert happened.values.tolist() == [[p["period"], p["quad_class"], p["count"], p["mean_intensity"]] for p in api]
    assert dyad_series(store, "BLR", "UKR", period="day").values.tolist() == [["2023-06-05", 4, 1, -10.0]]
