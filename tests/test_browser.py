"""The page in a real headless Chromium with no internet (every request outside the app's server aborted):
the map draws the control areas, a date step changes them in place while the zoom and centre stay, the URL
follows, popups open. Screenshots go to out/screenshots/.

Dates come from the dataset (the first control change of the war), not from constants, so the test checks
what the page draws against what the data says.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SCREENSHOTS, wait_idle
from nkmap.data.dataset import load_dataset
from nkmap.model import timeline

pytestmark = pytest.mark.browser

FRAME = "iframe[title='streamlit_folium.st_folium']"
CONTROL_PATHS = ".leaflet-nk-control-pane path.leaflet-interactive"


def map_frame(page):
    return page.frame_locator(FRAME)


def wait_for_map_date(page, day: dt.date, timeout: float = 30_000) -> None:
    """Until every layer of `day` is drawn (LayerSlots sets data-nkmap-date when its slots are in place)."""
    map_frame(page).locator(f"#map_div[data-nkmap-date='{day.isoformat()}']").wait_for(
        state="attached", timeout=timeout
    )


def live_frame(page):
    """The Playwright Frame of the map iframe (for evaluate)."""
    handle = page.locator(FRAME).element_handle()
    return handle.content_frame()


def control_shapes(page) -> list[str]:
    return [p.get_attribute("d") for p in map_frame(page).locator(CONTROL_PATHS).all()]


def first_war_change(ds) -> dt.date:
    """The first date on which control changed during the war (the day the map must redraw)."""
    model = timeline.control_model(ds)
    return min(d for d in model.change_dates if d >= timeline.WAR_START)


def only_tiles_blocked(blocked: list[str]) -> list[str]:
    """Blocked requests that were not map tiles: scripts, styles or fonts the page would miss offline."""
    return [u for u in blocked if "tile.openstreetmap.org" not in u]


def test_map_draws_control_areas_offline(offline_page, app_server):
    ds = load_dataset()
    day = ds.default_date
    page = offline_page
    page.goto(f"{app_server.url}/")
    wait_for_map_date(page, day)
    held = list(timeline.control_on(ds, day)["side"])  # the region's sides, and Armenia and the rest of Azerbaijan
    shapes = control_shapes(page)
    assert len(shapes) == len(held), f"expected one control area per side holding land {held}, drew {len(shapes)}"
    assert all(d and len(d) > 20 for d in shapes), "control paths have no geometry"
    frame = live_frame(page)
    fills = frame.evaluate(
        "() => Array.from(document.querySelectorAll(\".leaflet-nk-control-pane path\")).map(p => p.getAttribute('fill'))"
    )
    from nkmap.text import style

    assert sorted(fills) == sorted(style.side_color(ds, s) for s in held)
    assert only_tiles_blocked(page.blocked) == [], "the page needed something from the internet"
    assert not [e for e in page.console_errors if "nkmap" in e], page.console_errors
    assert f"date={day.isoformat()}" in page.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"offline-{day.isoformat()}-1366x768.png"))


def test_date_step_redraws_in_place_and_keeps_the_view(offline_page, app_server):
    ds = load_dataset()
    change = first_war_change(ds)
    before = change - dt.timedelta(days=1)
    page = offline_page
    page.goto(f"{app_server.url}/?date={before.isoformat()}")
    wait_for_map_date(page, before)
    frame = live_frame(page)

    # The user zooms in; the page records the view in the URL.
    zoom0 = frame.evaluate("() => window.map.getZoom()")
    map_frame(page).locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function("z => window.map.getZoom() === z + 1", arg=zoom0)
    page.wait_for_url(lambda url: f"%2C{zoom0 + 1}" in url or f",{zoom0 + 1}" in url, timeout=10_000)
    view = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    shapes_before = control_shapes(page)
    frame.evaluate("() => { window.nkmapSentinel = 'same document'; }")

    page.locator(".st-key-fwd button:visible").click()
    wait_for_map_date(page, change)

    assert control_shapes(page) != shapes_before, f"control did not change from {before} to {change}"
    assert frame.evaluate("() => window.nkmapSentinel") == "same document", "the map iframe reloaded"
    after = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    assert after[2] == view[2], "zoom changed on a date step"
    assert after[0] == pytest.approx(view[0], abs=1e-6) and after[1] == pytest.approx(view[1], abs=1e-6)
    page.wait_for_url(lambda url: f"date={change.isoformat()}" in url, timeout=10_000)
    assert only_tiles_blocked(page.blocked) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"offline-{change.isoformat()}-zoomed-1366x768.png"))


def test_play_runs_to_the_end_of_the_period_and_stops(offline_page, app_server):
    """Play from two days before the end of the war-and-handovers period: the map steps day by day and
    play stops by itself on the last day."""
    from nkmap.web import pagestate

    ds = load_dataset()
    period = pagestate.period_for(ds, "war")
    start = period.end - dt.timedelta(days=2)
    page = offline_page
    page.goto(f"{app_server.url}/?date={start.isoformat()}")
    wait_for_map_date(page, start)
    page.locator(".st-key-play button:visible").click()
    wait_for_map_date(page, start + dt.timedelta(days=1), timeout=10_000)
    wait_for_map_date(page, period.end, timeout=10_000)
    page.locator(".st-key-play button:visible", has_text="Play").wait_for(timeout=10_000)
    page.wait_for_timeout(1500)  # no further ticks once stopped
    assert map_frame(page).locator("#map_div").get_attribute("data-nkmap-date") == period.end.isoformat()


def test_popup_shows_escaped_names_and_sources(offline_page, app_server):
    ds = load_dataset()
    page = offline_page
    page.goto(f"{app_server.url}/?date={ds.default_date.isoformat()}&layers=control")
    wait_for_map_date(page, ds.default_date)
    frame = live_frame(page)
    # Open the popup of the first control area at its own centre (robust to where it lies on screen).
    frame.evaluate(
        "() => { const s = window.map.nkmapSlots['control'].layer; const l = s.getLayers()[0].getLayers()[0];"
        " l.openPopup(l.getBounds().getCenter()); }"
    )
    popup = map_frame(page).locator(".leaflet-popup-content .nk-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert "Sources" in text and "Precision" in text
    assert "km²" in text


def test_layers_from_the_url_and_bad_values_warn(offline_page, app_server):
    ds = load_dataset()
    page = offline_page
    page.goto(f"{app_server.url}/?date=2020-02-31&layers=control,nonsense")
    wait_for_map_date(page, ds.default_date)
    warnings = page.locator("[data-testid='stAlertContentWarning']").all_inner_texts()
    assert any("2020-02-31" in w for w in warnings), warnings
    assert any("nonsense" in w for w in warnings), warnings
    slots = map_frame(page).locator("#map_div").get_attribute("data-nkmap-slots")
    assert [s.split(":")[0] for s in slots.split()] == ["control", "changes"]
    assert "Traceback" not in page.content()


def test_screenshots_at_projector_sizes(chromium, app_server):
    """Not an assertion about looks: renders the default view at 1920x1080 and 1366x768 for a human to
    check, and asserts the map is fully inside the window at both sizes (nothing to scroll to on a projector)."""
    from conftest import block_outside

    ds = load_dataset()
    for width, height in ((1920, 1080), (1366, 768)):
        context = chromium.new_context(viewport={"width": width, "height": height})
        block_outside(context, app_server.url, [])
        page = context.new_page()
        page.goto(f"{app_server.url}/")
        wait_for_map_date(page, ds.default_date)
        box = page.locator(FRAME).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, (box, height)
        assert box["height"] >= 400
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"default-{width}x{height}.png"))
        context.close()


def test_class_map_link_opens_a_map_that_steps_in_the_browser(offline_page, app_server):
    """The sidebar's in-browser map: served by the app, drawn offline, and its slider changes it."""
    page = offline_page
    page.goto(f"{app_server.url}/")
    wait_for_map_date(page, load_dataset().default_date)
    wait_idle(page)  # the map's first view report reruns the page: a click meanwhile can land on a replaced button
    page.get_by_text("A class on many screens?").click()
    page.get_by_role("button", name="Prepare the in-browser map").click()
    link = page.get_by_role("link", name="Open the in-browser map")
    link.wait_for(timeout=60_000)
    href = link.get_attribute("href")
    assert "/app/static/cache/nkmap-timeline-" in href
    page.goto(href if href.startswith("http") else f"{app_server.url}{href}")
    page.wait_for_selector("path.leaflet-interactive", timeout=30_000)
    before = page.evaluate(
        "() => Array.from(document.querySelectorAll('path.leaflet-interactive')).map(p => p.getAttribute('fill')).join()"
    )
    date_before = page.evaluate("() => document.body.innerText")
    page.focus("input[type=range]")
    for _ in range(30):  # a month later: the war's control changes every few days
        page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(500)
    after = page.evaluate(
        "() => Array.from(document.querySelectorAll('path.leaflet-interactive')).map(p => p.getAttribute('fill')).join()"
    )
    assert page.evaluate("() => document.body.innerText") != date_before, "the date shown did not change"
    assert after != before, "stepping the slider did not recolour the map"
    assert only_tiles_blocked(page.blocked) == [], "the in-browser map needed something from the internet"


def test_pages_link_to_each_other_under_real_names(offline_page, app_server):
    """The sidebar names the pages 'Explore the map' and 'Classroom' (not 'app'), and the links work."""
    page = offline_page
    page.goto(f"{app_server.url}/")
    wait_for_map_date(page, load_dataset().default_date)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Explore the map").count() == 1
    assert sidebar.get_by_text("app", exact=True).count() == 0
    sidebar.get_by_text("Classroom").click()
    page.wait_for_url("**/Classroom**", timeout=30_000)
    page.get_by_text("Step 1 of").wait_for(timeout=60_000)


def test_claimed_ground_is_drawn_apart_and_explained_in_the_legend(offline_page, app_server):
    """During the war the ground whose holder rests on one side's claim is drawn paler with a dashed edge, and the
    legend on the map says what that means; once the ceasefire fixed the line, nothing is marked."""
    page = offline_page
    war = dt.date(2020, 10, 20)
    page.goto(f"{app_server.url}/?date={war.isoformat()}")
    wait_for_map_date(page, war)
    frame = live_frame(page)
    styles = frame.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-nk-support-pane path'))"
        ".map(p => [p.getAttribute('stroke-dasharray'), p.getAttribute('fill'), p.getAttribute('fill-opacity')])"
    )
    assert styles, "no claimed ground drawn on 20 October 2020"
    # claimed ground dashed; disputed ground (claimed and denied: Suqovuşan since 3 Oct) dotted, both pale
    assert ["5 4", "#ffffff"] in [[dash, fill] for dash, fill, _ in styles], styles
    assert all(fill == "#ffffff" and dash in ("5 4", "1 4") for dash, fill, _ in styles), styles
    legend = map_frame(page).locator(".nk-legend").inner_text()
    assert "Claimed by one side only" in legend
    assert ("Disputed" in legend) == any(dash == "1 4" for dash, _, _ in styles), legend
    after = dt.date(2020, 11, 15)
    page.goto(f"{app_server.url}/?date={after.isoformat()}")
    wait_for_map_date(page, after)
    assert live_frame(page).evaluate("() => document.querySelectorAll('.leaflet-nk-support-pane path').length") == 0
