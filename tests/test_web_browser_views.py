"""The analyst views in Debian's Chromium at 1366 px and 390 px: events table, dyad and country
timelines, network, map, quotes and clusters. Screenshots go to ``$DOTTEREL_ARTIFACTS`` (default:
a pytest temporary directory). Skips like tests/test_web_browser.py when Chromium is missing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_browser import Tab, artifacts, browser, serve  # noqa: F401 - fixtures
from test_web_explorer import coalition_doc
from test_web_support import fill_store

from dotterel.store import Store
from dotterel.web import create_app

pytestmark = pytest.mark.browser
WIDTHS = (1366, 390)
MIN_TEXT_PX = 9.5

#: (path, what must be on the page)
VIEWS = (
    ("/events?sort=-date", "#events-table tbody tr"),
    ("/dyads/RUS/UKR?period=week&status=all", "svg#timeline rect.bar"),
    ("/countries/UKR?status=all", "svg#country-timeline rect.bar"),
    ("/network?status=all", "svg#network g.edge"),
    ("/map?status=all", "svg#map a.has-events path"),
    ("/quotes", "#quotes-table tbody tr"),
    ("/clusters", "#clusters-table tbody tr"),
    ("/documents/coalition", "#article mark.hl-trigger"),
)


@pytest.fixture(scope="module")
def views_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from dotterel.store.clusters import rebuild_clusters

    store = fill_store(Store(tmp_path_factory.mktemp("views") / "views.db"))
    store.save(*coalition_doc())
    rebuild_clusters(store)
    with serve(create_app(store)) as url:
        yield url
    store.close()


def open_tab(browser, views_url: str, artifacts: Path, width: int) -> Tab:  # noqa: F811
    return Tab(browser, views_url, artifacts, width=width, height=860 if width > 500 else 844)


def close_tab(t: Tab) -> None:
    t.context.close()
    assert not t.external, f"the page tried to fetch from elsewhere: {t.external}"
    assert not t.errors, f"JavaScript errors: {t.errors}"


SMALLEST_CHART_TEXT = """() => {
  let smallest = 1000;
  for (const svg of document.querySelectorAll('svg.chart')) {
    const vb = svg.viewBox.baseVal;
    const scale = svg.getBoundingClientRect().width / vb.width;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.getClientRects().length) continue;
      smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
  }
  return smallest;
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path,selector", VIEWS, ids=[v[0].split("?")[0].strip("/").replace("/", "-") for v in VIEWS])
def test_view_renders_fits_and_reads(browser, views_url: str, artifacts: Path, width: int, path: str,  # noqa: F811
                                     selector: str) -> None:
    t = open_tab(browser, views_url, artifacts, width)
    try:
        t.goto(path)
        page = t.page
        assert page.locator(selector).count() >= 1, selector
        # the page itself never scrolls sideways: wide tables and charts scroll inside their box
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than the {width}px window"
        smallest = page.evaluate(SMALLEST_CHART_TEXT)
        assert smallest >= MIN_TEXT_PX, f"chart text on {path} is {smallest:.1f}px at {width}px"
        t.shot(re.sub(r"[^a-z0-9]+", "-", path.split("?")[0].lower()).strip("-") or "home")
    finally:
        close_tab(t)


@pytest.mark.parametrize("width", WIDTHS)
def test_events_table_sorts_filters_and_suggests(browser, views_url: str, artifacts: Path, width: int) -> None:  # noqa: F811
    from playwright.sync_api import expect

    t = open_tab(browser, views_url, artifacts, width)
    try:
        t.goto("/events")
        page = t.page
        total = int(page.locator("#events-total strong").inner_text())
        assert total >= 15
        page.locator("#events-table thead a.sort", has_text="Date").click()
        page.wait_for_url(re.compile(r"sort=-date"))
        first = page.locator("#events-table tbody tr").first.locator("td").first.inner_text()
        assert first.startswith("2023-06")
        page.fill('#event-filters input[name="actor"]', "Rusia")
        page.click('#event-filters button[type="submit"]')
        expect(page.locator("#name-actor")).to_contain_text("Did you mean")
        page.locator("#name-actor a", has_text="Russia").first.click()
        page.wait_for_url(re.compile(r"actor=Russia"))
        expect(page.locator("#name-actor")).to_contain_text("Russia → RUS")
        assert int(page.locator("#events-total strong").inner_text()) < total
        page.fill('#event-filters input[name="actor"]', "")
        page.select_option('#event-filters select[name="actor_sector"]', "MIL")
        page.click('#event-filters button[type="submit"]')
        expect(page.locator("#events-table tbody tr")).to_have_count(1)
        expect(page.locator("#events-table tbody tr").first).to_contain_text("Kharkiv")
        t.shot("events-filtered")
        scroller = page.locator(".table-scroll").first
        if width < 500:  # the table scrolls inside its box on a phone
            assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    finally:
        close_tab(t)


def test_aggregate_status_selector(browser, views_url: str, artifacts: Path) -> None:  # noqa: F811
    t = open_tab(browser, views_url, artifacts, 1366)
    try:
        t.goto("/dyads/RUS/UKR?period=month")
        page = t.page
        happened = page.locator("svg#timeline rect.bar").count()
        assert "Counted: events with status asserted or reported" in page.locator(".chart-legend").inner_text()
        page.select_option('#dyad-form select[name="status"]', "all")
        page.click('#dyad-form button[type="submit"]')
        page.wait_for_url(re.compile(r"status=all"))
        assert page.locator("svg#timeline rect.bar").count() > happened
        assert "every status" in page.locator(".chart-legend").inner_text()
        t.goto("/network?status=all&domestic=exclude")
        assert page.locator("svg#network circle.loop").count() == 0
        t.goto("/network?status=all&domestic=only")
        assert page.locator("svg#network circle.loop").count() >= 1
    finally:
        close_tab(t)
