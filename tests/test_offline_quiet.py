"""Offline means quiet, in a real headless Chromium: both pages ask nothing of the internet until the user turns
the online base map on (every request is logged; the only host allowed is the app's 127.0.0.1), credit
OpenStreetMap only once a tile has loaded, and stop asking after the first failures when the tiles cannot come.

Tile requests are answered by the test: with a tiny PNG (the base map works) or with a network error (no
internet). Nothing here reaches the real tile server.
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlsplit

import pytest

from conftest import block_outside
from nkmap.data.dataset import load_dataset
from nkmap.web import online_base

pytestmark = pytest.mark.browser

FRAME = "iframe[title='streamlit_folium.st_folium']"
COMPARE = ".st-key-cl_comparebox iframe"
TILE_HOST = urlsplit(online_base.TILE_URL).hostname


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(out, format="PNG")
    return out.getvalue()


class Network:
    """Every request the pages make (frames and iframes included), and what the tile server answers."""

    def __init__(self, context, server_url: str, tiles: str = "abort"):
        self.requests: list[str] = []
        self.tile_requests: list[str] = []
        self.tiles = tiles  # "abort" (no internet) or "serve" (a tiny PNG)
        self.png = tiny_png()
        self.blocked: list[str] = []
        context.on("request", lambda r: self.requests.append(r.url))
        block_outside(context, server_url, self.blocked)
        context.route(f"https://{TILE_HOST}/**", self.answer_tile)  # registered last: runs first for tiles

    def answer_tile(self, route) -> None:
        self.tile_requests.append(route.request.url)
        if self.tiles == "serve":
            route.fulfill(status=200, content_type="image/png", body=self.png)
        else:
            route.abort("internetdisconnected")

    def leaving_localhost(self) -> list[str]:
        """Requests whose host is not the app's 127.0.0.1 (data:, blob: and about: never leave the browser)."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"
        ]


@pytest.fixture
def browse(chromium, app_server):
    contexts = []

    def make(tiles: str = "abort"):
        context = chromium.new_context(viewport={"width": 1366, "height": 768})
        contexts.append(context)
        net = Network(context, app_server.url, tiles)
        return context.new_page(), net

    yield make
    for context in contexts:
        context.close()


def live(page, selector: str = FRAME):
    return page.locator(selector).element_handle().content_frame()


def wait_for_date(page, day: dt.date, timeout: float = 60_000) -> None:
    page.frame_locator(FRAME).locator(f"#map_div[data-nkmap-date='{day.isoformat()}']").wait_for(
        state="attached", timeout=timeout
    )


def attribution(frame) -> str:
    return frame.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-control-attribution')).map(e => e.textContent).join(' | ')"
    )


def online_state(frame, selector: str = "#map_div") -> str | None:
    return frame.evaluate(f"() => document.querySelector({selector!r}).getAttribute('data-nkmap-online')")


def turn_on(page, key: str) -> None:
    page.locator(f".st-key-{key} label").click()
    page.wait_for_function(f"() => document.querySelector('.st-key-{key} input').checked")


def test_map_page_asks_nothing_of_the_internet_until_asked(browse, app_server):
    ds = load_dataset()
    day = ds.default_date
    page, net = browse()
    page.goto(f"{app_server.url}/")
    wait_for_date(page, day)
    page.wait_for_timeout(1500)  # tiles would be asked for as soon as the map is laid out
    frame = live(page)
    assert net.leaving_localhost() == [], "the page asked the internet for something on load"
    assert "OpenStreetMap" not in attribution(frame)
    assert online_state(frame) == "off"

    page.locator(".st-key-fwd button:visible").click()
    wait_for_date(page, day + dt.timedelta(days=1))
    frame.evaluate("() => window.map.setZoom(window.map.getZoom() + 1)")  # a zoom would ask for tiles too
    page.wait_for_timeout(1000)
    assert net.leaving_localhost() == [], "a date step or a zoom asked the internet for something"
    assert net.tile_requests == []
    assert "OpenStreetMap" not in attribution(frame)


def test_turning_the_base_map_on_credits_openstreetmap_once_a_tile_loads(browse, app_server):
    ds = load_dataset()
    page, net = browse(tiles="serve")
    page.goto(f"{app_server.url}/")
    wait_for_date(page, ds.default_date)
    frame = live(page)
    frame.evaluate("() => { window.nkmapSentinel = 'same map'; }")
    turn_on(page, "online_base")
    frame.wait_for_function("() => document.querySelector('#map_div').getAttribute('data-nkmap-online') === 'on'")
    assert net.tile_requests, "the base map asked for no tile"
    assert "OpenStreetMap" in attribution(frame)
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-tile-loaded').length") > 0
    assert frame.evaluate("() => window.nkmapSentinel") == "same map", "turning the base map on reloaded the map"
    assert {urlsplit(u).hostname for u in net.leaving_localhost()} == {TILE_HOST}


def test_with_no_internet_the_base_map_stops_asking_after_the_first_failures(browse, app_server):
    ds = load_dataset()
    day = ds.default_date
    page, net = browse(tiles="abort")
    page.goto(f"{app_server.url}/")
    wait_for_date(page, day)
    frame = live(page)
    turn_on(page, "online_base")
    frame.wait_for_function(
        "() => document.querySelector('#map_div').getAttribute('data-nkmap-online') === 'unavailable'"
    )
    page.wait_for_timeout(500)
    first = len(net.tile_requests)
    # The tiles of the first view were asked for together (Leaflet asks for a screenful at once); no more.
    assert 0 < first <= 30, first
    notice = frame.locator(".nk-online-notice")
    assert notice.count() == 1 and "unavailable" in notice.inner_text()
    assert "OpenStreetMap" not in attribution(frame)

    frame.evaluate("() => { window.map.setZoom(window.map.getZoom() + 1); window.map.panBy([200, 100]); }")
    page.locator(".st-key-fwd button:visible").click()
    wait_for_date(page, day + dt.timedelta(days=1))
    page.wait_for_timeout(1000)
    assert len(net.tile_requests) == first, "the page kept asking for tiles after they failed"
    assert online_state(frame) == "unavailable" and frame.locator(".nk-online-notice").count() == 1
    print(f"tile requests before giving up: {first}")


def test_classroom_asks_nothing_of_the_internet(browse, app_server):
    page, net = browse()
    page.goto(f"{app_server.url}/Classroom")
    page.frame_locator(FRAME).locator("#map_div[data-nkmap-date]").wait_for(state="attached", timeout=60_000)
    page.locator(".st-key-story_next button").click()
    page.locator(".nk-step[data-step='2']").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    assert net.leaving_localhost() == [], "the classroom asked the internet for something"
    assert "OpenStreetMap" not in attribution(live(page))

    page.locator(".st-key-cl_mode button").filter(has_text="Compare").click()
    page.locator(COMPARE).wait_for(timeout=30_000)
    compare = live(page, COMPARE)
    compare.wait_for_function("() => document.querySelectorAll('.leaflet-nk-control-pane path').length > 0")
    page.wait_for_timeout(1000)
    assert net.leaving_localhost() == [], "the compare maps asked the internet for something"
    assert "OpenStreetMap" not in attribution(compare)


def test_classroom_base_map_on_credits_openstreetmap(browse, app_server):
    page, net = browse(tiles="serve")
    page.goto(f"{app_server.url}/Classroom")
    page.frame_locator(FRAME).locator("#map_div[data-nkmap-date]").wait_for(state="attached", timeout=60_000)
    page.get_by_test_id("stExpandSidebarButton").click()  # the classroom opens with the sidebar folded
    page.locator(".st-key-cl_online_base label").wait_for(state="visible")
    page.wait_for_timeout(500)  # the sidebar slides in
    turn_on(page, "cl_online_base")
    frame = live(page)
    frame.wait_for_function("() => document.querySelector('#map_div').getAttribute('data-nkmap-online') === 'on'")
    assert "OpenStreetMap" in attribution(frame)
    page.locator(".st-key-cl_mode button").filter(has_text="Compare").click()
    page.locator(COMPARE).wait_for(timeout=30_000)
    compare = live(page, COMPARE)
    compare.wait_for_function(
        "() => Array.from(document.querySelectorAll('.map')).every(m => m.getAttribute('data-nkmap-online') === 'on')"
    )
    assert attribution(compare).count("OpenStreetMap") == 2  # each of the two maps credits its own tiles
