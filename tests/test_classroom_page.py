"""The static site's classroom page (nkmap.export.export_classroom) in headless Chromium, opened from file:// with
every other request aborted: arrow keys and a clicker's PageUp/PageDown step the story and the address follows; a
link with ?story=&step= opens that step; projector type enlarges the text; compare shows two maps and the km² that
`nkmap.model.compare` computes; clicking the chart moves the map; a phone gets the map first; a hostile caption
stays text. Expected values come from the dataset and the story files, not from the page's own data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import require_browser
from nkmap.data import story
from nkmap.data.dataset import load_dataset
from nkmap.export.export_classroom import render_classroom
from nkmap.model import compare
from nkmap.text import popups

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>{{data}} & "quotes"'


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def the_story(ds):
    stories, _ = story.load_stories(ds)
    return stories[0]


@pytest.fixture(scope="module")
def page_file(ds, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("classroom") / "classroom.html"
    path.write_text(render_classroom(ds), encoding="utf-8")
    return path


def open_page(chromium, url: str, viewport=(1366, 768)):
    require_browser()
    context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    blocked: list[str] = []

    def handle(route):
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
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
    page.wait_for_function("window.nkClassroom !== undefined")
    page.errors, page.blocked = errors, blocked
    return context, page


@pytest.fixture
def open_classroom(chromium, page_file):
    opened = []

    def make(query: str = "", viewport=(1366, 768), path: Path | None = None):
        context, page = open_page(chromium, (path or page_file).as_uri() + query, viewport)
        opened.append((context, page))
        return page

    yield make
    for context, page in opened:
        assert page.errors == [], page.errors
        assert page.blocked == [], page.blocked  # nothing from the network: no CDN, no tiles
        context.close()


def map_day(page, map_id: str = "cl-map") -> str | None:
    return page.locator(f"#{map_id}").get_attribute("data-day")


def query_of(page) -> dict[str, str]:
    return dict(re.findall(r"[?&]([^=&]+)=([^&#]*)", page.url))


def test_the_page_is_html5_with_language_title_and_description_and_loads_nothing(page_file):
    text = page_file.read_text(encoding="utf-8")

    class Head(HTMLParser):
        found: dict[str, str] = {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "html":
                self.found["lang"] = a.get("lang") or ""
            if tag == "meta" and a.get("name") == "description":
                self.found["description"] = a.get("content") or ""
            if tag in ("script", "link", "img", "iframe") and (a.get("src") or a.get("href")):
                self.found.setdefault("external", a.get("src") or a.get("href") or "")

    parser = Head()
    parser.feed(text)
    assert text.startswith("<!DOCTYPE html>")
    assert parser.found["lang"] == "en" and len(parser.found["description"]) > 40
    assert re.search(r"<title>[^<]{10,}</title>", text)
    assert "external" not in parser.found, parser.found


def test_arrow_keys_and_clicker_keys_step_the_story_and_the_address(open_classroom, the_story):
    page = open_classroom(f"?story={the_story.id}&step=1")
    steps = the_story.steps
    for key, number in (("ArrowRight", 2), ("PageDown", 3), ("ArrowLeft", 2), ("PageUp", 1), ("ArrowRight", 2)):
        page.keyboard.press(key)
        step = steps[number - 1]
        page.wait_for_function(f"document.body.dataset.step === '{number}'")
        assert query_of(page) == {"story": the_story.id, "step": str(number)}
        assert page.locator("#cl-counter").text_content() == f"Step {number} of {len(steps)}"
        assert page.locator("#cl-panel .nk-caption").text_content() == step.caption
        assert page.locator("#cl-panel .nk-title").text_content() == step.title
        assert map_day(page) == step.day.isoformat()
        assert page.locator("#cl-map-date").text_content() == popups.long_date(step.day)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # at step 1 already: stays
    page.wait_for_function("document.body.dataset.step === '1'")
    assert page.locator("#cl-prev").is_disabled()


def test_a_link_to_a_step_opens_that_step_and_bad_values_fall_back(open_classroom, the_story):
    number = min(5, len(the_story.steps))
    step = the_story.steps[number - 1]
    page = open_classroom(f"?story={the_story.id}&step={number}")
    assert page.locator("#cl-counter").text_content() == f"Step {number} of {len(the_story.steps)}"
    assert page.locator("#cl-panel .nk-title").text_content() == step.title
    assert map_day(page) == step.day.isoformat()
    # The map goes to the step's view.
    zoom = page.evaluate("nkClassroom.main.map.getZoom()")
    assert zoom == step.view.zoom

    fallback = open_classroom("?story=no-such-story&step=99")
    assert fallback.locator("#cl-counter").text_content().startswith("Step 1 of ")
    assert query_of(fallback)["step"] == "1"


def test_next_button_and_story_sources_are_the_full_records(open_classroom, ds, the_story):
    page = open_classroom(f"?story={the_story.id}&step=1")
    page.click("#cl-next")
    page.wait_for_function("document.body.dataset.step === '2'")
    sources = story.step_sources(ds, the_story.steps[1])
    summary = page.locator("#cl-panel .nk-sources summary").text_content()
    assert summary == f"Sources ({len(sources)})"
    first = sources[0]
    if isinstance(first, dict):
        assert page.locator("#cl-panel .nk-sources li").first.locator("a").get_attribute("href") == first["url"]


def test_projector_type_enlarges_the_text_and_is_in_the_address(open_classroom, the_story):
    page = open_classroom(f"?story={the_story.id}&step=2")

    def caption_px() -> float:
        return float(
            page.evaluate("parseFloat(getComputedStyle(document.querySelector('#cl-panel .nk-caption')).fontSize)")
        )

    before = caption_px()
    page.click("#cl-projector")
    assert caption_px() >= before * 1.3
    assert query_of(page).get("projector") == "1"
    assert page.locator("#cl-projector").get_attribute("aria-pressed") == "true"
    linked = open_classroom(f"?story={the_story.id}&step=2&projector=1")
    assert float(
        linked.evaluate("parseFloat(getComputedStyle(document.querySelector('#cl-panel .nk-caption')).fontSize)")
    ) == pytest.approx(caption_px())


def test_compare_shows_two_maps_and_the_km2_compare_computes(open_classroom, ds):
    page = open_classroom()
    page.click("#cl-modes button[data-mode=compare]")
    preset = compare.presets(ds)[0]
    page.select_option("#cl-preset", index=1)  # the first pair after the placeholder
    want = (preset.earlier.isoformat(), preset.later.isoformat())
    page.wait_for_function(f"document.body.dataset.compare === '{want[0]}|{want[1]}'")
    assert page.locator("#cl-compare .leaflet-container").count() == 2
    assert (map_day(page, "cl-map-a"), map_day(page, "cl-map-b")) == want
    total = sum(t.area_km2 for t in compare.transfers(ds, preset.earlier, preset.later))
    assert total > 0
    shown = page.locator("#cl-compare-sum [data-total-km2]").get_attribute("data-total-km2")
    assert float(shown) == pytest.approx(total, abs=0.05)
    assert popups.fmt_km2(total) in page.locator("#cl-compare-sum").text_content()
    assert page.locator("#cl-map-a .leaflet-nk-highlight-pane path").count() > 0  # the changed ground is drawn

    # Any two dates typed in: the figure follows nkmap.model.compare for them too.
    page.fill("#cl-date-a", "2020-11-10")
    page.fill("#cl-date-b", "2020-12-01")
    page.wait_for_function("document.body.dataset.compare === '2020-11-10|2020-12-01'")
    moves = compare.transfers(ds, dt.date(2020, 11, 10), dt.date(2020, 12, 1))
    shown = page.locator("#cl-compare-sum [data-total-km2]").get_attribute("data-total-km2")
    assert float(shown) == pytest.approx(sum(t.area_km2 for t in moves), abs=0.05)

    # The two maps keep the same view.
    page.evaluate("nkClassroom.compareMaps()[0].map.setView([39.8, 46.7], 10, {animate: false})")
    centre = page.evaluate(
        "(() => { const c = nkClassroom.compareMaps()[1].map.getCenter(); return [c.lat, c.lng]; })()"
    )
    assert centre == pytest.approx([39.8, 46.7], abs=1e-6)


def test_clicking_the_chart_moves_the_map_to_that_date(open_classroom):
    page = open_classroom()
    page.click("#cl-modes button[data-mode=chart]")
    before = map_day(page)
    # The point farthest (on the screen) from its neighbours, so a click on it cannot pick another date.
    target = page.evaluate(
        """() => {
        const dots = [...document.querySelectorAll('#cl-chart circle')];
        const xs = [...new Set(dots.map(d => +d.getAttribute('cx')))].sort((a, b) => a - b);
        let best = null, gap = -1;
        xs.forEach((x, i) => { const g = Math.min(i ? x - xs[i - 1] : 1e9, i < xs.length - 1 ? xs[i + 1] - x : 1e9);
                               if (g > gap) { gap = g; best = x; } });
        const dot = dots.find(d => +d.getAttribute('cx') === best);
        dot.setAttribute('id', 'cl-target');
        return dot.getAttribute('data-day');
    }"""
    )
    assert target != before
    page.click("#cl-target", force=True)
    page.wait_for_function(f"document.getElementById('cl-map').dataset.day === '{target}'")
    assert page.locator("#cl-area-head").get_attribute("data-date") == target
    assert page.locator("#cl-chart .cl-rule").count() == 1


def test_on_a_phone_the_page_stacks_with_the_map_first(open_classroom, the_story):
    page = open_classroom(f"?story={the_story.id}&step=2", viewport=(390, 844))
    box = {k: page.locator(k).bounding_box() for k in ("#cl-mapbox", "#cl-steps", "#cl-panel")}
    assert box["#cl-mapbox"]["y"] < box["#cl-steps"]["y"] < box["#cl-panel"]["y"]
    assert box["#cl-mapbox"]["width"] >= 360 and box["#cl-mapbox"]["height"] >= 0.4 * 844
    assert box["#cl-steps"]["y"] + box["#cl-steps"]["height"] <= 844  # the step buttons are on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#cl-next")
    page.wait_for_function("document.body.dataset.step === '3'")
    for mode, first, then in (("compare", "#cl-compare-maps", "#cl-compare-sum"), ("chart", "#cl-mapbox", "#cl-chart")):
        page.click(f"#cl-modes button[data-mode={mode}]")
        a, b = page.locator(first).bounding_box(), page.locator(then).bounding_box()
        assert a["y"] < b["y"] and b["width"] > 300, (mode, a, b)  # stacked under the map(s), full width
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, mode


def test_a_hostile_story_caption_is_shown_as_text(open_classroom, tmp_path):
    geo = tmp_path / "geo"
    shutil.copytree(ROOT / "geo", geo)
    path = next((geo / "stories").glob("*.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title_en"] = "Hostile <b>story</b>"
    data["steps"][0]["caption_en"] = HOSTILE
    data["steps"][0]["title_en"] = "</script><script>window.__pwned=3</script>"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # A second story: the page offers a chooser.
    data["title_en"] = "Another story"
    (geo / "stories" / "another.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page_path = tmp_path / "classroom.html"
    page_path.write_text(render_classroom(load_dataset(geo)), encoding="utf-8")

    page = open_classroom(f"?story={path.stem}&step=1", path=page_path)
    assert page.locator("#cl-panel .nk-caption").text_content() == HOSTILE
    assert page.locator("#cl-panel .nk-title").text_content() == "</script><script>window.__pwned=3</script>"
    assert page.locator("#cl-panel img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#cl-story option").all_text_contents() == ["Another story", "Hostile <b>story</b>"]
    page.select_option("#cl-story", label="Another story")
    page.wait_for_function("document.body.dataset.story === 'another'")
    assert query_of(page) == {"story": "another", "step": "1"}
