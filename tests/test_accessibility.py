"""Accessibility (issue 13, item 7): both pages audited by axe-core in a real headless Chromium with no internet,
the page and every iframe in it (the map's component, the classroom's compare maps and key listener) alike, with no
serious or critical violation; the date, step, play, jump and search controls work from the keyboard alone with a
visible focus.

axe-core comes from the npm registry (tests/axe_audit.py: pinned, integrity-checked, cached under build/).
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from axe_audit import axe_audit, describe
from conftest import wait_idle
from nkmap.data.dataset import load_dataset
from nkmap.model import gazetteer
from nkmap.web import pagestate

pytestmark = pytest.mark.browser

FRAME = "iframe[title='streamlit_folium.st_folium']"
WAR_DAY = dt.date(2020, 11, 8)  # Shusha/Shushi changes hands: a busy panel, claimed ground, events


def wait_for_map_date(page, day: dt.date | None = None, timeout: float = 60_000) -> None:
    attr = f"[data-nkmap-date='{day.isoformat()}']" if day else "[data-nkmap-date]"
    page.frame_locator(FRAME).first.locator(f"#map_div{attr}").wait_for(state="attached", timeout=timeout)


def map_frame(page):
    return page.locator(FRAME).element_handle().content_frame()


def audit_page_and_frames(page) -> str:
    """axe-core's serious and critical findings in the page and in each of its iframes, as one message ('' when
    there are none)."""
    reports = []
    found = axe_audit(page)
    if found:
        reports.append("the page:\n" + describe(found))
    for frame in page.frames[1:]:
        found = axe_audit(frame)
        if found:
            reports.append(f"iframe {frame.url[:80]}:\n" + describe(found))
    return "\n".join(reports)


def test_map_page_has_no_serious_violations(offline_page, app_server):
    page = offline_page
    page.goto(f"{app_server.url}/?date={WAR_DAY.isoformat()}")
    wait_for_map_date(page, WAR_DAY)
    problems = audit_page_and_frames(page)
    assert not problems, problems


def test_map_page_with_card_downloads_popup_and_high_contrast_has_no_serious_violations(offline_page, app_server):
    """Everything the page can unfold at once: a place's card, the downloads with the animation form, a popup on
    the map, every folded section opened, in the high-contrast palette."""
    ds = load_dataset()
    shusha = gazetteer.find_place(ds, "Shusha")
    page = offline_page
    page.goto(f"{app_server.url}/?date={WAR_DAY.isoformat()}&place={shusha}&palette=high_contrast")
    wait_for_map_date(page, WAR_DAY)
    page.locator(".st-key-place_card").wait_for()
    page.get_by_text("Download this map").click()
    page.locator(".st-key-ask_animation button:visible").wait_for()  # the animation's row, with its form
    frame = map_frame(page)
    frame.evaluate(
        "() => { const s = window.map.nkmapSlots['control'].layer; const l = s.getLayers()[0].getLayers()[0];"
        " l.openPopup(l.getBounds().getCenter()); }"
    )
    frame.locator(".leaflet-popup-content .nk-popup").wait_for()
    for target in (page, frame):
        target.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    problems = audit_page_and_frames(page)
    assert not problems, problems


@pytest.mark.parametrize("mode", ["Story", "Compare", "Area over time"])
def test_classroom_modes_have_no_serious_violations(offline_page, app_server, mode):
    page = offline_page
    page.goto(f"{app_server.url}/Classroom")
    page.locator(".nk-step").wait_for(timeout=60_000)
    wait_for_map_date(page)
    if mode == "Compare":
        page.get_by_role("radio", name="Compare").click()
        page.locator(".st-key-cl_comparebox iframe").wait_for()
        page.frame_locator(".st-key-cl_comparebox iframe").locator("#map2 path").first.wait_for(timeout=30_000)
    elif mode == "Area over time":
        page.get_by_role("radio", name="Area over time").click()
        page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for(
            timeout=30_000
        )
        wait_for_map_date(page)
    problems = audit_page_and_frames(page)
    assert not problems, problems


# ---------------------------------------------------------------------------------------------- keyboard alone

FOCUS_RING = """el => {
    // The element that shows focus: the one React Aria marks (a slider's thumb, a select's box), else the element.
    let e = el;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
        if (a !== el && a.hasAttribute('data-focus-visible')) { e = a; break; }
    }
    const s = getComputedStyle(e);
    return {visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
            color: s.outlineColor, shadow: s.boxShadow};
}"""


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focus is inside `selector` (fails if it never gets there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement.closest(s)", selector):
            return
    pytest.fail(f"{limit} presses of Tab never reached {selector}")


def assert_visible_focus(page, what: str) -> None:
    ring = page.evaluate_handle("() => document.activeElement").evaluate(FOCUS_RING)
    assert ring["visible"], f"{what}: the focus came from the keyboard but :focus-visible does not match"
    assert ring["outline"] not in ("none", "auto") and ring["width"] >= 2, f"{what}: no visible focus outline {ring}"


def shown_date(page) -> str:
    return page.locator(".st-key-date [data-testid='stSliderThumbValue']").inner_text()


def test_date_controls_work_from_the_keyboard_alone(offline_page, app_server):
    """From the top of the page, with Tab and keys only: the slider's arrow keys, ◀ and ▶ with Enter and Space,
    play and stop; each control shows where the focus is."""
    ds = load_dataset()
    period = pagestate.period_for(ds, "war", WAR_DAY)
    assert period.start < WAR_DAY < period.end
    page = offline_page
    page.goto(f"{app_server.url}/?date={WAR_DAY.isoformat()}")
    wait_for_map_date(page, WAR_DAY)
    assert shown_date(page) == "8 Nov 2020"

    tab_to(page, ".st-key-date")
    assert page.evaluate("() => document.activeElement.type") == "range"
    assert_visible_focus(page, "the date slider")
    page.keyboard.press("ArrowRight")
    wait_for_map_date(page, WAR_DAY + dt.timedelta(days=1))
    assert shown_date(page) == "9 Nov 2020"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    wait_for_map_date(page, WAR_DAY - dt.timedelta(days=1))
    assert shown_date(page) == "7 Nov 2020"
    assert "date=2020-11-07" in page.url

    page.keyboard.press("Tab")  # the slider, then one day forward
    assert page.evaluate("() => !!document.activeElement.closest('.st-key-fwd')")
    assert_visible_focus(page, "the one-day-forward button")
    page.keyboard.press("Enter")
    wait_for_map_date(page, WAR_DAY)
    assert shown_date(page) == "8 Nov 2020"

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back over the slider to one day back
    assert page.evaluate("() => !!document.activeElement.closest('.st-key-back')")
    assert_visible_focus(page, "the one-day-back button")
    page.keyboard.press("Space")
    wait_for_map_date(page, WAR_DAY - dt.timedelta(days=1))

    page.keyboard.press("Shift+Tab")  # play sits just before the date row
    assert page.evaluate("() => !!document.activeElement.closest('.st-key-play')")
    assert_visible_focus(page, "the play button")
    page.keyboard.press("Enter")
    page.locator(".st-key-play button:visible", has_text="Stop").wait_for(timeout=10_000)
    wait_for_map_date(page, WAR_DAY + dt.timedelta(days=1), timeout=20_000)  # it plays
    page.locator(".st-key-play button:visible").focus()  # the rerun may re-create the button
    page.keyboard.press("Enter")
    page.locator(".st-key-play button:visible", has_text="Play").wait_for(timeout=10_000)


def test_jump_and_place_search_work_from_the_keyboard_alone(offline_page, app_server):
    """The key-date jump and the find-a-place box: reached with Tab, typed into, chosen with the arrow keys and
    Enter; the map goes to the date, the card opens."""
    ds = load_dataset()
    start = dt.date(2020, 10, 1)
    target = next(t for t in pagestate.jump_targets(ds) if t[0] == WAR_DAY)
    page = offline_page
    page.goto(f"{app_server.url}/?date={start.isoformat()}")
    wait_for_map_date(page, start)

    tab_to(page, ".st-key-place_box")
    assert_visible_focus(page, "the find-a-place box")
    page.keyboard.type("Shushi")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-place_card:visible")).to_contain_text("Shusha", timeout=20_000)
    # The card's run centres the map on the place and the map reports its new view in a run of its own. Once in CI
    # a jump chosen meanwhile left the page on its old date (not reproduced here, under load or not): the test waits
    # for that report as a user does for the map to settle; the race itself is in the closing note.
    wait_idle(page)

    # The focus stays in the box after the choice: a few presses of Tab (past its clear button) reach the jump.
    tab_to(page, ".st-key-jump", limit=3)
    assert_visible_focus(page, "the jump box")
    page.keyboard.type(target[1][:20])
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_for_map_date(page, WAR_DAY)
    assert shown_date(page) == "8 Nov 2020"


def test_the_map_is_a_few_tab_stops_and_its_keys_pan_it(offline_page, app_server):
    """Tab goes through the map (its container, zoom buttons, legend) in a few presses to the panel beyond it,
    not through every shape; with the focus on the map the arrow keys pan it (Leaflet's keyboard handler)."""
    page = offline_page
    page.goto(f"{app_server.url}/?date={WAR_DAY.isoformat()}")
    wait_for_map_date(page, WAR_DAY)
    frame = map_frame(page)
    assert frame.evaluate("() => document.querySelectorAll('path.leaflet-interactive').length") > 100
    page.locator(".st-key-fwd button:visible").focus()
    page.keyboard.press("Tab")
    assert frame.evaluate("() => document.activeElement.id") == "map_div"
    centre = frame.evaluate("() => window.map.getCenter().lng")
    page.keyboard.press("ArrowRight")
    frame.wait_for_function("lng => window.map.getCenter().lng > lng + 0.01", arg=centre)
    stops = 1
    while page.evaluate("() => document.activeElement.tagName") == "IFRAME":
        page.keyboard.press("Tab")
        stops += 1
        assert stops <= 12, "Tab walks through the map's shapes one by one"
