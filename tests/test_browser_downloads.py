"""A download click is never lost (issue 13), in a real headless Chromium with no internet: a click on a file's
button right after a date step asks for the file of the date then shown; the page says it is being made, then
offers it, and the file that arrives is for the date the page shows. Once with the server idle, once with other
sessions' exports queued in the same workers (an animation and snapshots ahead of it).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import block_outside, wait_idle
from nkmap.data.dataset import load_dataset

pytestmark = pytest.mark.browser

FRAME = "iframe[title='streamlit_folium.st_folium']"


def open_page(page, url: str, day: dt.date) -> None:
    page.goto(url)
    page.frame_locator(FRAME).locator(f"#map_div[data-nkmap-date='{day.isoformat()}']").wait_for(
        state="attached", timeout=60_000
    )


def unfold_downloads(page) -> None:
    page.locator(".st-key-downloads_open summary:visible").click()
    # The GeoJSON row: to ask for, or ready when the server already holds the same file (another test's session
    # may have asked for it: the export queue hands a finished file to every session that asks for the same one).
    page.locator(".st-key-ask_geojson button:visible, .st-key-dl_geojson button:visible").first.wait_for(timeout=30_000)
    wait_idle(page)


def shown_date(page) -> str:
    return page.frame_locator(FRAME).locator("#map_div").get_attribute("data-nkmap-date")


def step_then_ask_at_once(page, day: dt.date) -> None:
    """Click one day forward, and without waiting for the page to follow, the GeoJSON button."""
    page.locator(".st-key-fwd button:visible").click()
    page.locator(".st-key-ask_geojson button:visible").click(timeout=10_000)


def save_when_ready(page, day: dt.date, timeout_ms: int) -> dict:
    nxt = day + dt.timedelta(days=1)
    button = page.locator(".st-key-dl_geojson button:visible")
    button.wait_for(timeout=timeout_ms)
    wait_idle(page)
    assert f"nkmap-{nxt.isoformat()}.geojson" in button.inner_text()
    with page.expect_download(timeout=30_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"nkmap-{nxt.isoformat()}.geojson"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert shown_date(page) == nxt.isoformat()  # the date the page shows ...
    assert data["type"] == "FeatureCollection" and data["date"] == nxt.isoformat()  # ... is the file's
    return data


def test_a_click_right_after_a_date_step_gets_the_file_of_the_date_shown(offline_page, app_server):
    day = dt.date(2020, 10, 21)
    page = offline_page
    open_page(page, f"{app_server.url}/?date={day.isoformat()}", day)
    wait_idle(page)
    unfold_downloads(page)
    step_then_ask_at_once(page, day)
    # the page says the file is being made (or already offers it, on a fast machine)
    page.locator(
        "[data-testid='stProgress']:has-text('GeoJSON data'), .st-key-dl_geojson button:visible"
    ).first.wait_for(timeout=30_000)
    save_when_ready(page, day, timeout_ms=90_000)


def test_a_click_after_a_date_step_is_kept_behind_other_sessions_exports(offline_page, chromium, app_server):
    ds = load_dataset()
    day = dt.date(2020, 11, 3)
    # another pupil asks for a month's animation and a PNG: the workers are busy when this page's click comes
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    block_outside(context, app_server.url, [])
    other = context.new_page()
    try:
        open_page(other, f"{app_server.url}/?date={ds.default_date.isoformat()}", ds.default_date)
        wait_idle(other)
        unfold_downloads(other)
        other.locator(".st-key-ask_animation button:visible").click()
        other.locator("[data-testid='stProgress']:has-text('GIF animation')").wait_for(timeout=30_000)
        wait_idle(other)
        other.locator(".st-key-ask_png button:visible").click()
        other.locator("[data-testid='stProgress']:has-text('PNG image')").wait_for(timeout=30_000)

        page = offline_page
        open_page(page, f"{app_server.url}/?date={day.isoformat()}", day)
        wait_idle(page)
        unfold_downloads(page)
        step_then_ask_at_once(page, day)
        page.locator("[data-testid='stProgress']:has-text('GeoJSON data')").wait_for(timeout=30_000)
        save_when_ready(page, day, timeout_ms=300_000)
    finally:
        context.close()
