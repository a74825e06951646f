"""On a phone (Chromium's mobile emulation, 390x844, touch) both pages open with the sidebar folded and the map on
the first screen. Before, the map page opened with the sidebar expanded over the whole page."""

from __future__ import annotations

import pytest

from conftest import SCREENSHOTS, block_outside

pytestmark = pytest.mark.browser

FRAME = "iframe[title='streamlit_folium.st_folium']"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
#: At least this much of the map shows without scrolling (CSS pixels).
MAP_SHOWN = 300


@pytest.mark.parametrize(("path", "name"), [("/", "map"), ("/Classroom", "classroom")])
def test_a_phone_opens_on_the_map_with_the_sidebar_folded(chromium, app_server, path, name):
    context = chromium.new_context(**PHONE)
    blocked: list[str] = []
    block_outside(context, app_server.url, blocked)
    try:
        page = context.new_page()
        page.goto(f"{app_server.url}{path}")
        page.frame_locator(FRAME).locator("#map_div[data-nkmap-date]").wait_for(state="attached", timeout=60_000)
        page.wait_for_timeout(800)  # let the layout settle (the sidebar would be sliding in)
        sidebar = page.locator("[data-testid='stSidebar']").bounding_box()
        assert sidebar is None or sidebar["width"] == 0 or sidebar["x"] + sidebar["width"] <= 0, sidebar
        assert page.get_by_test_id("stExpandSidebarButton").is_visible()  # and it can still be opened

        box = page.locator(FRAME).bounding_box()
        assert box is not None
        shown = min(box["y"] + box["height"], 844) - max(box["y"], 0)
        assert shown >= MAP_SHOWN, f"only {shown:.0f} px of the map show on the first screen (map at {box})"
        # nothing covers it: the element at the middle of the part that shows is the map itself
        x, y = box["x"] + box["width"] / 2, max(box["y"], 0) + shown / 2
        assert page.evaluate(f"() => document.elementFromPoint({x}, {y}).tagName") == "IFRAME"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"phone-{name}-390x844.png"))
    finally:
        context.close()
