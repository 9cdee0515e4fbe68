"""The explorer on stores where counting everything is too slow: totals that say when they are
capped, paging that keeps repeated filters, wildcards taken literally in document search."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from dotterel.corpus.samples import coded_document, event
from dotterel.store import Store
from dotterel.store import queries as Q

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from dotterel.web import create_app


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "scale.db")
    statuses = ("asserted", "reported", "planned")
    s.save_many([coded_document(f"doc{i:02d}", [event(f"doc{i:02d}", k, "ACCUSE", "RUS", "UKR", status=statuses[k % 3],
                                                      date=f"2023-05-{1 + i % 28:02d}") for k in range(3)],
                                title=f"Story {i} at 100% {'' if i % 2 else 'x_y'}") for i in range(20)])
    s.save(*coded_document("literal", [], title="Growth of 5_0 percent"))
    s.save(*coded_document("decoy", [], title="Model 5a0 released"))  # what an unescaped 5_0 would also find
    yield s
    s.close()


def test_paging_links_keep_every_value_of_a_repeated_filter(store: Store) -> None:
    client = TestClient(create_app(store), base_url="http://localhost")
    page = client.get("/events?status=asserted&status=reported&limit=5")
    assert page.status_code == 200
    links = [html.unescape(h) for h in re.findall(r'href="(\?[^"]*offset=5[^"]*)"', page.text)]
    assert links, "no link to the next page"
    params = parse_qs(urlsplit(links[0]).query)
    assert sorted(params["status"]) == ["asserted", "reported"]
    assert params["limit"] == ["5"]
    nxt = client.get("/events" + links[0])
    assert nxt.status_code == 200 and "planned" not in re.findall(r'class="status[^"]*">(\w+)<', nxt.text)


def test_a_capped_total_is_labelled_on_the_page_and_in_the_api(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(store), base_url="http://localhost")
    monkeypatch.setattr(Q, "COUNT_CAP", 7)
    monkeypatch.setattr(Q.count_events_capped, "__defaults__", (7,))
    body = client.get("/api/events?actor=RUS&limit=5").json()  # a party filter: not answered by the rollups
    assert (body["total"], body["total_exact"], body["next_offset"]) == (7, False, 5)
    page = client.get("/events?actor=RUS&limit=5")
    assert "More than 7" in page.text
    exact = client.get("/api/events?status=planned&limit=5").json()  # the rollups count it exactly
    assert (exact["total"], exact["total_exact"]) == (20, True)


def test_document_search_takes_percent_and_underscore_literally(store: Store) -> None:
    assert [d.id for d in store.documents(q="5_0")] == ["literal"]
    assert {d.id for d in store.documents(q="x_y")} == {f"doc{i:02d}" for i in range(0, 20, 2)}
    assert len(store.documents(q="100%")) == 20
    assert store.documents(q="%") and not store.documents(q="0%5")
