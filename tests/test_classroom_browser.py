"""The classroom page in a real headless Chromium with no internet (every request outside the app's server
aborted): the arrow keys step through the shipped story and the map and caption change with them (also when the
map has the focus), the compare maps draw both dates and move together, and clicking the area chart moves the
map. Screenshots at 1920x1080 and 1366x768 go to out/screenshots/ for a person to look at.

Expected dates, views and areas come from the story file and the dataset, not from constants.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import pytest

from conftest import SCREENSHOTS, block_outside
from nkmap.data import story
from nkmap.data.dataset import load_dataset
from nkmap.model import area_series, compare, timeline
from nkmap.text import popups
from nkmap.web import pagestate

pytestmark = pytest.mark.browser

FRAME = "iframe[title='streamlit_folium.st_folium']"
COMPARE = ".st-key-cl_comparebox iframe"
CONTROL_PATHS = ".leaflet-nk-control-pane path.leaflet-interactive"
STORY_ID = "war-and-aftermath"


@pytest.fixture(scope="module")
def shipped():
    ds = load_dataset()
    stories, problems = story.load_stories(ds)
    assert problems == [], [str(p) for p in problems]
    return ds, next(s for s in stories if s.id == STORY_ID)


def map_frame(page):
    return page.frame_locator(FRAME)


def live(page, selector: str = FRAME):
    return page.locator(selector).element_handle().content_frame()


def wait_for_step(page, step: story.Step, timeout: float = 30_000) -> None:
    """Until the map shows the step (its layers drawn for its date, its labels) and the panel its caption."""
    map_frame(page).locator(
        f"#map_div[data-nkmap-date='{step.day.isoformat()}'][data-nk-step='{STORY_ID}:{step.number}']"
    ).wait_for(state="attached", timeout=timeout)
    page.locator(f".nk-step[data-step='{step.number}']").wait_for(timeout=timeout)


def control_shapes(page) -> list[str]:
    return [p.get_attribute("d") for p in map_frame(page).locator(CONTROL_PATHS).all()]


def outside(blocked: list[str]) -> list[str]:
    """Blocked requests other than map tiles: what the page would miss with no internet."""
    return [u for u in blocked if "tile.openstreetmap.org" not in u]


def open_story(page, url: str, number: int, shipped_story) -> None:
    page.goto(f"{url}/Classroom?story={STORY_ID}&step={number}")
    wait_for_step(page, shipped_story.steps[number - 1], timeout=60_000)
    page.wait_for_function("() => document.documentElement.getAttribute('data-nk-keys') === 'on'")


def test_arrow_keys_step_through_the_story_and_the_map_and_caption_change(offline_page, app_server, shipped):
    ds, the_story = shipped
    page = offline_page
    open_story(page, app_server.url, 1, the_story)
    frame = live(page)
    assert frame.evaluate("() => window.map.getZoom()") == the_story.steps[0].view.zoom
    latencies = []
    for step in the_story.steps[1:]:
        previous = the_story.steps[step.number - 2]
        caption_before = page.locator(".nk-caption").inner_text()
        shapes_before = control_shapes(page)
        t0 = time.perf_counter()
        page.keyboard.press("ArrowRight")
        wait_for_step(page, step)
        latencies.append((time.perf_counter() - t0) * 1000)
        assert page.locator(".nk-caption").inner_text() != caption_before
        assert page.locator(".nk-counter").inner_text() == f"Step {step.number} of {len(the_story.steps)}"
        if timeline.epoch_of(ds, step.day) != timeline.epoch_of(ds, previous.day) and "control" in story.step_layers(
            ds, step
        ):
            assert control_shapes(page) != shapes_before, (
                f"control did not change from step {previous.number} to {step.number}"
            )
        # the step's view (Leaflet animates a pan at the same zoom for a quarter of a second)
        try:
            frame.wait_for_function(
                "v => { const c = window.map.getCenter(); return window.map.getZoom() === v[2]"
                " && Math.abs(c.lat - v[0]) < 0.02 && Math.abs(c.lng - v[1]) < 0.02; }",
                arg=[step.view.lat, step.view.lon, step.view.zoom],
                timeout=5_000,
            )
        except Exception:
            shown = frame.evaluate(
                "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
            )
            pytest.fail(f"step {step.number}: the map shows {shown}, the story asks for {step.view}")
    assert page.locator(".st-key-story_next button").is_disabled()  # the last step
    page.keyboard.press("ArrowLeft")
    wait_for_step(page, the_story.steps[-2])
    assert outside(page.blocked) == [], "the page needed something from the internet"
    assert not [e for e in page.console_errors if "nkmap" in e], page.console_errors
    assert f"step={len(the_story.steps) - 1}" in page.url
    print(
        f"\nstory step (key press -> map and caption of the next step): median {statistics.median(latencies):.0f} ms, "
        f"max {max(latencies):.0f} ms over {len(latencies)} steps"
    )


def test_keys_still_step_when_the_map_has_the_focus(offline_page, app_server, shipped):
    ds, the_story = shipped
    page = offline_page
    open_story(page, app_server.url, 6, the_story)
    map_frame(page).locator(".leaflet-control-zoom-in").click()  # focus now inside the map's iframe
    page.wait_for_timeout(800)  # the listener scan attaches to iframes every 0.7 s
    page.keyboard.press("ArrowRight")
    wait_for_step(page, the_story.steps[6])
    page.keyboard.press("PageUp")  # what a presentation clicker sends
    wait_for_step(page, the_story.steps[5])


def test_a_step_during_a_zoom_animation_still_gets_its_view(offline_page, app_server, shipped):
    """Leaflet ignores setView while a zoom animation runs, so a teacher pressing → again before the map has
    settled could be left on the previous step's view. Hold the map 'mid-animation', step, end the animation:
    the map must then go to the new step's view."""
    ds, the_story = shipped
    page = offline_page
    number = next(s.number for s in the_story.steps[:-1] if s.view.zoom != the_story.steps[s.number].view.zoom)
    target = the_story.steps[number]
    open_story(page, app_server.url, number, the_story)
    frame = live(page)
    frame.evaluate("() => { window.map._animatingZoom = true; }")  # what Leaflet sets during a zoom animation
    page.keyboard.press("ArrowRight")
    wait_for_step(page, target)
    frame.evaluate("() => { window.map._animatingZoom = false; window.map.fire('zoomend'); }")
    frame.wait_for_function(
        "v => { const c = window.map.getCenter(); return window.map.getZoom() === v[2]"
        " && Math.abs(c.lat - v[0]) < 0.02 && Math.abs(c.lng - v[1]) < 0.02; }",
        arg=[target.view.lat, target.view.lon, target.view.zoom],
        timeout=5_000,
    )


def test_step_labels_give_three_names(offline_page, app_server, shipped):
    ds, the_story = shipped
    step = next(s for s in the_story.steps if "place-shusha-susa" in s.places)
    names = next(p for p in story.step_places(ds, step) if p.id == "place-shusha-susa")
    page = offline_page
    open_story(page, app_server.url, step.number, the_story)
    label = map_frame(page).locator(".nk-story-label").filter(has_text=names.name_az)
    assert label.count() == 1
    text = label.inner_text()
    assert names.name_en in text and names.name_hy in text
    panel = page.locator(".nk-names").inner_text()
    assert names.name_az in panel and names.name_hy in panel


def test_compare_draws_both_dates_and_keeps_the_maps_in_step(offline_page, app_server, shipped):
    ds, the_story = shipped
    page = offline_page
    open_story(page, app_server.url, 9, the_story)  # compare opens on the previous step and this one
    earlier, later = the_story.steps[7].day, the_story.steps[8].day
    page.locator(".st-key-cl_mode button").filter(has_text="Compare").click()
    page.locator(COMPARE).wait_for(timeout=30_000)
    frame = live(page, COMPARE)
    frame.wait_for_function(
        "d => document.body.getAttribute('data-nk-compare') === d",
        arg=f"{earlier.isoformat()}|{later.isoformat()}",
        timeout=30_000,
    )
    moved = compare.transfers(ds, earlier, later)
    assert moved, "the story's steps 8 and 9 are a handover"
    labels = frame.evaluate("() => Array.from(document.querySelectorAll('#map1 .nk-km2')).map(e => e.textContent)")
    assert sorted(labels) == sorted(popups.fmt_km2(t.area_km2) for t in moved)
    assert frame.evaluate("() => document.querySelectorAll('#map2 .leaflet-nk-control-pane path').length") > 0
    # zoom and pan one map: the other follows
    frame.locator("#map1 .leaflet-control-zoom-in").click()
    frame.wait_for_function(
        "() => nkCompare.maps[1].getZoom() === nkCompare.maps[0].getZoom()"
        " && !nkCompare.maps[0]._animatingZoom && !nkCompare.maps[1]._animatingZoom"
    )  # both maps done zooming: a pan given to a map still in its zoom animation is undone when it ends
    center_before = frame.evaluate("() => [nkCompare.maps[0].getCenter().lat, nkCompare.maps[0].getCenter().lng]")
    frame.evaluate("() => nkCompare.maps[1].panBy([120, -60], {animate: false})")
    zooms, offset = frame.evaluate(
        "() => { const [a, b] = nkCompare.maps; const z = a.getZoom();"
        " const d = a.project(a.getCenter(), z).subtract(b.project(b.getCenter(), z));"
        " return [[a.getZoom(), b.getZoom()], Math.hypot(d.x, d.y)]; }"
    )
    assert zooms[0] == zooms[1] and offset <= 1.5, (zooms, offset)  # same view, to Leaflet's whole-pixel rounding
    moved_by = frame.evaluate("() => nkCompare.maps[0].getCenter().lat") - center_before[0]
    assert abs(moved_by) > 0.01  # the pan of the right map moved the left one
    summary = page.locator(".nk-compare").inner_text()
    assert popups.fmt_km2(sum(t.area_km2 for t in moved)) in summary
    assert outside(page.blocked) == []


def test_clicking_the_area_chart_moves_the_map(offline_page, app_server, shipped):
    ds, the_story = shipped
    page = offline_page
    open_story(page, app_server.url, 8, the_story)
    page.locator(".st-key-cl_mode button").filter(has_text="Area over time").click()
    chart = page.locator(".stVegaLiteChart canvas, .stVegaLiteChart svg.marks").first
    chart.wait_for(timeout=30_000)
    map_frame(page).locator(f"#map_div[data-nkmap-date='{the_story.steps[7].day.isoformat()}']").wait_for(
        state="attached", timeout=30_000
    )
    period = pagestate.period_for(ds, "after")
    box = chart.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 12, box["y"] + box["height"] * 0.55)  # the last points: the end
    map_frame(page).locator(f"#map_div[data-nkmap-date='{period.end.isoformat()}']").wait_for(
        state="attached", timeout=30_000
    )
    assert page.locator(".nk-area-head").get_attribute("data-date") == period.end.isoformat()
    # Near the left edge the points of the war crowd together: whichever is nearest, the map follows it.
    box = chart.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.22, box["y"] + box["height"] * 0.55)
    page.wait_for_function(
        "d => document.querySelector('.nk-area-head').getAttribute('data-date') !== d",
        arg=period.end.isoformat(),
        timeout=30_000,
    )
    picked = dt.date.fromisoformat(page.locator(".nk-area-head").get_attribute("data-date"))
    assert picked in area_series.series_dates(ds, period.start, period.end) and picked.year == 2020, picked
    map_frame(page).locator(f"#map_div[data-nkmap-date='{picked.isoformat()}']").wait_for(
        state="attached", timeout=30_000
    )
    assert outside(page.blocked) == [], "the chart needed something from the internet (Vega is bundled)"


def test_screenshots_at_projector_sizes(chromium, app_server, shipped):
    """Renders a story step, compare and the chart at 1920x1080 and 1366x768 for a person to look at, and
    checks that the map, the step controls and the caption are inside the window in large type."""
    ds, the_story = shipped
    number = 8
    for width, height in ((1920, 1080), (1366, 768)):
        context = chromium.new_context(viewport={"width": width, "height": height})
        blocked: list[str] = []
        block_outside(context, app_server.url, blocked)
        page = context.new_page()
        open_story(page, app_server.url, number, the_story)
        page.wait_for_timeout(600)
        header = page.locator("[data-testid='stHeader']").bounding_box()
        top = header["y"] + header["height"] if header else 0
        for selector in (FRAME, ".st-key-story_prev button", ".st-key-story_next button", ".nk-counter", ".nk-caption"):
            box = page.locator(selector).bounding_box()
            assert box["y"] >= top - 1 and box["y"] + box["height"] <= height + 1, (selector, box, top, height)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (selector, box, width)
        assert page.locator(FRAME).bounding_box()["height"] >= 0.6 * height
        size = page.locator(".nk-caption").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 17, f"caption type {size}px is too small for a projector"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"classroom-story-{width}x{height}.png"))
        page.locator(".st-key-cl_mode button").filter(has_text="Compare").click()
        page.locator(COMPARE).wait_for(timeout=30_000)
        live(page, COMPARE).wait_for_function("() => document.body.hasAttribute('data-nk-compare')", timeout=30_000)
        box = page.locator(COMPARE).bounding_box()
        assert box["y"] + box["height"] <= height + 1 and box["height"] >= 0.55 * height, (box, height)
        page.screenshot(path=str(SCREENSHOTS / f"classroom-compare-{width}x{height}.png"))
        page.locator(".st-key-cl_mode button").filter(has_text="Area over time").click()
        page.locator(".stVegaLiteChart canvas, .stVegaLiteChart svg.marks").first.wait_for(timeout=30_000)
        map_frame(page).locator(f"#map_div[data-nkmap-date='{the_story.steps[number - 1].day.isoformat()}']").wait_for(
            state="attached", timeout=30_000
        )
        page.wait_for_timeout(800)
        page.screenshot(path=str(SCREENSHOTS / f"classroom-area-{width}x{height}.png"))
        assert outside(blocked) == []
        context.close()
