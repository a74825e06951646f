"""The explorer page (the standalone HTML export; the static site's index.html) as a user meets it: opened from a
file:// URL in headless Chromium with every other request aborted. Dates step the fills and the panel, the
address carries date, layers, view and palette as the app's does and follows each change, bad values fall back
with a note, and on a phone the map has the screen while the legend and the panel wait behind buttons.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest

from conftest import require_browser
from export_fixture import make_geo
from nkmap.data.dataset import load_dataset
from nkmap.export.export_html import render_html, render_html_bytes
from nkmap.export.html_data import VIEW_ZOOMS
from nkmap.model.timeline import areas_on, changes_on
from nkmap.text import style
from nkmap.web import mapview

pytestmark = pytest.mark.browser

SOUTH_DATE = "2020-10-04"  # the fixture's south (export_fixture.SOUTH_POINT) passes to Azerbaijan
FILLS = "() => Array.from(document.querySelectorAll('.leaflet-nk-control-pane path')).map(p => p.getAttribute('fill')).join()"


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return load_dataset(make_geo(tmp_path_factory.mktemp("geo")))


@pytest.fixture(scope="module")
def page_file(ds, tmp_path_factory):
    path = tmp_path_factory.mktemp("explorer") / "index.html"
    path.write_bytes(render_html_bytes(ds))
    return path


def open_page(chromium, url: str, **context_args):
    require_browser()
    context = chromium.new_context(**({"viewport": {"width": 1280, "height": 800}} | context_args))
    blocked: list[str] = []

    def handle(route):
        if route.request.url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_function("window.NKExplorer !== undefined")
    page.blocked, page.errors = blocked, errors
    return context, page


def address(page) -> dict[str, str]:
    """The page's state as its address holds it (the hash on file://), as a dict of parameters."""
    raw = page.evaluate("location.hash").lstrip("#")
    return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}


def test_view_zooms_are_the_apps():
    assert VIEW_ZOOMS == (mapview.MIN_ZOOM, mapview.MAX_ZOOM)


def test_site_links_only_when_asked(ds):
    assert 'href="classroom.html"' not in render_html(ds)
    page = render_html(ds, site_links=True)
    assert 'href="classroom.html"' in page and 'href="places/index.html"' in page and 'href="data/index.html"' in page


def test_stepping_dates_changes_fills_and_panel(ds, page_file, chromium):
    context, page = open_page(chromium, page_file.as_uri() + "?date=2020-10-03")
    try:
        panel = page.locator("#nk-panel-body")
        assert "3 October 2020" in panel.inner_text()
        before = page.evaluate(FILLS)
        page.locator("#nk-next").click()  # 4 October: the south passes to Azerbaijan (fixture)
        page.wait_for_function("document.body.getAttribute('data-day') === '2020-10-04'")
        assert page.evaluate(FILLS) != before
        text = panel.inner_text()
        assert "Changed hands on this date" in text
        for name in changes_on(ds, dt.date(2020, 10, 4))["name_en"]:
            assert name in text
        held = round(areas_on(ds, dt.date(2020, 10, 4))["azerbaijan"])
        assert f"{held:,} km²" in text
        # the support of the change is named, and markup in the data stays text
        assert "Claimed <b>by</b>" not in panel.inner_html()
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("document.body.getAttribute('data-day') === '2020-10-03'")
        assert page.evaluate(FILLS) == before and "Changed hands on this date" not in panel.inner_text()
        assert page.blocked == [] and page.errors == []
    finally:
        context.close()


def test_address_round_trips_each_parameter(ds, page_file, chromium):
    hc_azerbaijan = style.side_color(ds, "azerbaijan", "high_contrast")
    url = page_file.as_uri() + "?date=2020-10-04&layers=control,events&view=39.5,46.8,9&palette=high_contrast"
    context, page = open_page(chromium, url)
    try:
        assert page.locator("#nk-date").inner_text() == "4 October 2020"
        assert page.evaluate("NKExplorer.layers()") == ["control", "events"]
        center = page.evaluate(
            "[NKExplorer.map.getCenter().lat, NKExplorer.map.getCenter().lng, NKExplorer.map.getZoom()]"
        )
        assert center == pytest.approx([39.5, 46.8, 9], abs=1e-3)
        assert page.locator("#nk-palette").input_value() == "high_contrast"
        assert hc_azerbaijan.lower() in page.evaluate(FILLS).lower()
        assert address(page) == {
            "date": "2020-10-04",
            "layers": "control,events",
            "view": "39.5000,46.8000,9",
            "palette": "high_contrast",
        }
        page.locator("#nk-next").click()
        page.wait_for_function("location.hash.indexOf('date=2020-10-05') >= 0")
        page.locator("#nk-palette").select_option("default")
        assert "palette" not in address(page)
        page.evaluate("NKExplorer.setLayers(['control'])")
        assert address(page)["layers"] == "control"
        assert page.locator(".leaflet-nk-events-pane path, .leaflet-nk-events-pane .leaflet-interactive").count() == 0
        assert page.locator(".nk-warn:visible, #nk-warn:visible").count() == 0  # good values: no note
        assert page.blocked == [] and page.errors == []
    finally:
        context.close()


def test_bad_values_fall_back_with_a_note(ds, page_file, chromium):
    url = page_file.as_uri() + "#date=2020-02-31&layers=control,<b>bogus</b>&view=91,0,9&palette=neon&place=nowhere"
    context, page = open_page(chromium, url)
    try:
        note = page.locator("#nk-warn")
        assert note.is_visible()
        text = note.inner_text()
        assert "Date in the link ('2020-02-31')" in text
        assert "Unknown layer(s) in the link: <b>bogus</b>" in text  # shown as text, not markup
        assert note.locator("b").count() == 0
        assert "Map view in the link ('91,0,9'): latitude or longitude out of range" in text
        assert "Unknown palette" in text and "Place in the link ('nowhere')" in text
        assert page.locator("#nk-date").inner_text() == f"{ds.default_date.day} {ds.default_date:%B %Y}"
        assert (
            page.evaluate("NKExplorer.layers()") == ["control"] and page.evaluate("NKExplorer.palette()") == "default"
        )
        assert page.evaluate("NKExplorer.place()") is None
        assert page.errors == [], page.errors
    finally:
        context.close()


def test_phone_portrait_gives_the_map_the_screen(ds, page_file, chromium):
    context, page = open_page(
        chromium,
        page_file.as_uri(),
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
    )
    try:
        box = page.locator("#map").bounding_box()
        assert box["width"] * box["height"] >= 0.6 * 390 * 844, box
        assert not page.locator(".nk-legend").is_visible()  # folded behind the Key button
        assert not page.locator("#nk-panel").is_visible()
        bar = page.locator("#nk-bar").bounding_box()
        assert bar["y"] + bar["height"] >= 844 - 2 and bar["y"] > box["y"]  # the date controls at the bottom
        page.locator("#nk-legend-btn").tap()
        assert page.locator(".nk-legend").is_visible()
        page.locator("#nk-panel-btn").tap()
        assert page.locator("#nk-panel").is_visible()
        page.locator("#nk-next").tap()
        assert page.evaluate("NKExplorer.day()") == (ds.default_date - ds.start).days + 1
        assert page.blocked == [] and page.errors == []
    finally:
        context.close()


def test_play_runs_to_the_end_of_the_period(ds, page_file, chromium):
    context, page = open_page(chromium, page_file.as_uri() + "?date=2020-12-10")
    try:
        assert page.locator("#nk-period").input_value() == "war"
        page.locator("#nk-speed").select_option("day-fast")
        page.locator("#nk-play").click()
        page.wait_for_function("document.body.getAttribute('data-day') === '2020-12-15'", timeout=10_000)
        page.wait_for_function("document.getElementById('nk-play').getAttribute('aria-pressed') === 'false'")
        assert page.errors == []
    finally:
        context.close()


def test_onday_api_reports_each_date(ds, page_file, chromium):
    context, page = open_page(chromium, page_file.as_uri() + f"?date={SOUTH_DATE}")
    try:
        seen = page.evaluate(
            "() => { const out = []; NKExplorer.onDay(iso => out.push(iso)); NKExplorer.setDay('2020-12-01'); return out; }"
        )
        assert seen == [SOUTH_DATE, "2020-12-01"]
        assert page.evaluate("NKExplorer.placeUrl('x')") is None  # a lone file links nowhere
    finally:
        context.close()
