"""Find a place and download, in a real headless Chromium with no internet (conftest's offline page): typing a name
offers the place as the user types, choosing it moves the Leaflet map to the place in the same iframe (no reload)
and opens its card; a spelling no option holds is searched on the server; the GeoJSON download arrives and parses.

The place and its position come from geo/places.geojson, not from the code under test.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from conftest import SCREENSHOTS, wait_idle
from nkmap.data.dataset import load_dataset

pytestmark = pytest.mark.browser

FRAME = "iframe[title='streamlit_folium.st_folium']"
ROOT = Path(__file__).resolve().parents[1]
PLACES = json.loads((ROOT / "geo" / "places.geojson").read_text(encoding="utf-8"))
(KALBAJAR,) = [
    f
    for f in PLACES["features"]
    if f["properties"]["name_en"].startswith("Kalbajar /") and f["properties"].get("type") == "town"
]
KALBAJAR_LON, KALBAJAR_LAT = KALBAJAR["geometry"]["coordinates"]


def open_page(page, url: str, day) -> object:
    """Open the page, wait for the map of `day`, and return the map iframe's Frame."""
    page.goto(url)
    page.frame_locator(FRAME).locator(f"#map_div[data-nkmap-date='{day.isoformat()}']").wait_for(
        state="attached", timeout=30_000
    )
    return page.locator(FRAME).element_handle().content_frame()


def centre(frame) -> tuple[float, float, int]:
    return tuple(frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"))


def wait_centred(frame, lat: float, lon: float, timeout: float = 15_000) -> None:
    frame.wait_for_function(
        "([lat, lon]) => { const c = window.map.getCenter(); return Math.abs(c.lat - lat) < 0.005 && Math.abs(c.lng - lon) < 0.005; }",
        arg=[lat, lon],
        timeout=timeout,
    )


def test_typing_a_name_offers_it_and_choosing_it_centres_the_map_in_place(offline_page, app_server):
    ds = load_dataset()
    page = offline_page
    frame = open_page(page, f"{app_server.url}/", ds.default_date)
    start = centre(frame)
    assert math.dist(start[:2], (KALBAJAR_LAT, KALBAJAR_LON)) > 0.2  # the region view is elsewhere
    frame.evaluate("() => { window.nkmapSentinel = 'same document'; }")

    box = page.locator(".st-key-place_box input:visible")
    box.click()
    box.press_sequentially("Karvachar", delay=40)
    # suggestions while typing: the place's option is listed (first after Streamlit's 'Add: ...' entry)
    option = page.locator("[role='option']").filter(has_text="Kalbajar / Karvachar (town")
    option.wait_for(timeout=10_000)
    offered = [t for t in page.locator("[role='option']").all_inner_texts() if not t.startswith("Add:")]
    assert offered[0].startswith("Kalbajar / Karvachar"), offered[:3]
    option.click()

    wait_centred(frame, KALBAJAR_LAT, KALBAJAR_LON)
    lat, lon, zoom = centre(frame)
    assert abs(lat - 40.11) < 0.02 and abs(lon - 46.04) < 0.02  # "near 40.11 N 46.04 E"
    assert zoom >= 11
    assert frame.evaluate("() => window.nkmapSentinel") == "same document", "the map iframe reloaded"
    map_div = page.frame_locator(FRAME).locator("#map_div")
    assert map_div.get_attribute("data-nkmap-place") == KALBAJAR["properties"]["id"]
    page.locator(".st-key-place_go button:visible").wait_for(timeout=10_000)
    card = page.locator(".st-key-place_card:visible", has_text="Kalbajar / Karvachar")
    assert "Sources" in card.inner_text() and "Go to the day it changed hands" in card.inner_text()
    page.wait_for_url(lambda url: f"place={KALBAJAR['properties']['id']}" in url, timeout=10_000)
    assert not [u for u in page.blocked if "tile.openstreetmap.org" not in u]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "place-kalbajar-1366x768.png"))


def test_a_spelling_no_option_holds_is_searched_on_the_server(offline_page, app_server):
    ds = load_dataset()
    page = offline_page
    frame = open_page(page, f"{app_server.url}/", ds.default_date)
    box = page.locator(".st-key-place_box input:visible")
    box.click()
    box.press_sequentially("Kelbejar", delay=30)
    page.locator("[role='option']").filter(has_text="Add: Kelbejar").wait_for(timeout=10_000)
    box.press("Enter")
    wait_centred(frame, KALBAJAR_LAT, KALBAJAR_LON)
    page.locator(".st-key-place_card:visible", has_text="Kalbajar / Karvachar").wait_for(timeout=10_000)


def test_a_name_several_places_bear_offers_them_to_choose(offline_page, app_server):
    ds = load_dataset()
    page = offline_page
    open_page(page, f"{app_server.url}/", ds.default_date)
    box = page.locator(".st-key-place_box input:visible")
    box.click()
    box.press_sequentially("Agdam", delay=30)
    page.locator("[role='option']").filter(has_text="Add: Agdam").click()
    page.get_by_text("Several places match 'Agdam'").wait_for(timeout=10_000)
    (aghdam,) = [f["properties"] for f in PLACES["features"] if f["properties"]["id"] == "place-aghdam-agdam"]
    page.locator(f".st-key-pick_{aghdam['id']} button:visible").click()
    page.locator(".st-key-place_card:visible", has_text=aghdam["name_en"]).wait_for(timeout=10_000)
    # Streamlit drops the chooser at the end of the rerun that draws the card, a moment after the card shows
    page.get_by_text("Several places match").wait_for(state="detached", timeout=10_000)
    assert page.get_by_text("Several places match").count() == 0


def test_geojson_download_parses_and_holds_the_date(offline_page, app_server):
    ds = load_dataset()
    day = ds.default_date
    page = offline_page
    open_page(page, f"{app_server.url}/?date={day.isoformat()}", day)
    wait_idle(page)
    page.locator(".st-key-downloads_open summary:visible").click()
    page.locator(".st-key-ask_geojson button:visible").click(timeout=30_000)  # made by the export workers
    button = page.locator(".st-key-dl_geojson button:visible")
    button.wait_for(timeout=120_000)
    wait_idle(page)  # a click on a button that a newer run has replaced would download nothing
    with page.expect_download(timeout=30_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"nkmap-{day.isoformat()}.geojson"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["date"] == day.isoformat()
    sides = {f["properties"]["side"] for f in data["features"] if f["properties"]["layer"] == "control"}
    from nkmap.model import timeline

    assert sides == set(timeline.control_on(ds, day)["side"])
