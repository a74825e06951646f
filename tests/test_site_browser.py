"""The built static site in a real browser (issue 11's "done when"): one build of the real geo/, opened in headless
Chromium from file:// and from a plain static web server on loopback with every other request aborted, walked as a
visitor walks it (the map, its dates, a search in another script, the place card, the place's page and back, a
story step in the classroom page) with no console error and no blocked request at any point; and every kind of
page audited by axe-core (no serious or critical violation), the explorer's controls reached with Tab alone.

Expected values come from the raw files in geo/ (read here with json), not from the code under test.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest

from axe_audit import axe_audit, describe
from conftest import ROOT
from nkmap.cli.commands import main as nkmap_main

pytestmark = pytest.mark.browser

GEO = ROOT / "geo"
SHUSHA = "place-shusha-susa"
MAP_DRAWN = "document.querySelectorAll('.leaflet-nk-control-pane path[fill]').length > 10"


def _raw(name: str):
    return json.loads((GEO / name).read_text(encoding="utf-8"))


def _shusha() -> dict:
    return next(f["properties"] for f in _raw("places.geojson")["features"] if f["properties"]["id"] == SHUSHA)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site of the real geo/, built once for this module by the command as a user runs it."""
    out = tmp_path_factory.mktemp("site") / "public"
    assert nkmap_main(["--geo", str(GEO), "site", "--output", str(out)]) == 0
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def site_server(site):
    """The built site served by a plain static web server on loopback (what any host does)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["file", "loopback"])
def base(request, site) -> str:
    return site.as_uri() if request.param == "file" else request.getfixturevalue("site_server")


class Visit:
    """A browser context that can reach only the site (`base`): every other request is aborted and recorded, as
    are console errors, uncaught exceptions and dialogs."""

    def __init__(self, chromium, base: str, **context_args):
        self.base = base
        self.context = chromium.new_context(**({"viewport": {"width": 1280, "height": 800}} | context_args))
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.base, "data:", "about:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def clean(self, where: str) -> None:
        assert (self.blocked, self.errors, self.dialogs) == ([], [], []), where

    def open_explorer(self, query: str = "") -> None:
        self.page.goto(f"{self.base}/index.html{query}")
        self.page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")


@pytest.fixture
def visit(chromium, base):
    v = Visit(chromium, base)
    yield v
    v.context.close()


def _fills(page) -> str:
    return page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-nk-control-pane path')).map(p => p.getAttribute('fill')).join()"
    )


def test_a_visitor_walks_the_site_offline(visit):
    """The issue's "done when": from file:// and from loopback with the network cut off."""
    page, shusha = visit.page, _shusha()
    changed = shusha["capture_modelled_on"]
    assert changed == "2020-11-08"

    # The explorer: dates step with the arrow key and with ▶; the fills follow the date.
    visit.open_explorer("?date=2020-11-07")
    assert page.evaluate("NKExplorer.iso()") == "2020-11-07"
    before = _fills(page)
    page.locator("#nk-slider").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("NKExplorer.iso() === '2020-11-08'")
    assert page.locator("#nk-date").inner_text() == "8 November 2020"
    page.get_by_role("button", name="next day").click()
    page.wait_for_function("NKExplorer.iso() === '2020-11-09'")
    page.get_by_role("button", name="previous day").click()
    page.wait_for_function("NKExplorer.iso() === '2020-11-08'")
    assert _fills(page) != before  # Shusha's ground changed colour between the 7th and the 8th
    visit.clean("stepping dates")

    # Find a place by its Russian name; its card opens with its names in the other languages.
    box = page.get_by_role("combobox", name="Find a place")
    box.fill("Шуша")
    first = page.locator("#nk-find-list [role=option]").first
    assert first.get_attribute("data-place-id") == SHUSHA
    box.press("Enter")
    card = page.locator("#nk-placecard")
    card.wait_for(state="visible")
    assert shusha["name_en"] in card.locator("h2").inner_text()
    assert shusha["name_az"] in card.inner_text()
    visit.clean("searching a place")

    # The card's link to the place's own page; from there back to the map on its day, card open.
    card.get_by_role("link", name="Permanent page of this place").click()
    page.wait_for_url(f"**/places/{SHUSHA}.html")
    assert page.locator("h1").inner_text() == shusha["name_en"]
    page.get_by_role("link", name="Open in the map on 8 November 2020").click()
    page.wait_for_url(f"**/index.html?date={changed}&place={SHUSHA}")
    page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")
    assert page.evaluate("[NKExplorer.iso(), NKExplorer.place()]") == [changed, SHUSHA]
    assert page.locator("#nk-placecard").is_visible()
    assert shusha["name_en"] in page.locator("#nk-placecard h2").inner_text()
    visit.clean("the place page and back")

    # The classroom page: the arrow key moves the story one step and the map to that step's date.
    page.goto(f"{visit.base}/classroom.html")
    page.wait_for_function("document.body.getAttribute('data-step') === '1'")
    story = _raw_stories()[page.evaluate("document.body.dataset.story")]
    assert page.evaluate("document.getElementById('cl-map').dataset.day") == story["steps"][0]["date"]
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.body.getAttribute('data-step') === '2'")
    assert page.evaluate("document.getElementById('cl-map').dataset.day") == story["steps"][1]["date"]
    assert page.locator("#cl-counter").inner_text() == f"Step 2 of {len(story['steps'])}"
    visit.clean("a story step")


def _raw_stories() -> dict[str, dict]:
    """geo/stories/<id>.json by id (the file's name)."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (GEO / "stories").glob("*.json")}


# ------------------------------------------------------------------------------------------------ accessibility


def _audit(page, where: str) -> None:
    found = axe_audit(page)
    assert not found, f"{where}:\n{describe(found)}"


def _site_visit(chromium, site_server: str, **context_args) -> Visit:
    """Audits go through the web server: axe-core reads the pages' stylesheets with XMLHttpRequest, which file://
    refuses (a console error of the audit's, not the page's)."""
    return Visit(chromium, site_server, **context_args)


def test_the_explorer_with_a_card_open_has_no_serious_violations(chromium, site_server):
    v = _site_visit(chromium, site_server)
    try:
        v.open_explorer(f"?date=2020-11-08&place={SHUSHA}")
        v.page.locator("#nk-placecard").wait_for(state="visible")
        v.page.get_by_role("combobox", name="Find a place").fill("Ağdam")  # the result list drawn too
        v.page.locator("#nk-find-list [role=option]").first.wait_for()
        _audit(v.page, "index.html, card and results open")
        v.clean("the audit")
    finally:
        v.context.close()


def test_the_explorer_on_a_phone_has_no_serious_violations(chromium, site_server):
    v = _site_visit(chromium, site_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        v.open_explorer(f"?date=2020-11-08&place={SHUSHA}")
        v.page.locator("#nk-placecard").wait_for(state="visible")
        _audit(v.page, "index.html at 390x844, panel and legend folded, card open")
        v.page.locator("#nk-placecard .nk-placecard-close").click()
        v.page.get_by_role("button", name="On this date").click()
        v.page.get_by_role("button", name="Key").click()
        v.page.locator("#nk-panel-body h2").wait_for(state="visible")
        _audit(v.page, "index.html at 390x844, panel and legend unfolded")
        v.clean("the audit")
    finally:
        v.context.close()


@pytest.mark.parametrize("mode", ["story", "compare", "chart"])
def test_the_classroom_page_has_no_serious_violations(chromium, site_server, mode):
    v = _site_visit(chromium, site_server)
    try:
        v.page.goto(f"{v.base}/classroom.html")
        v.page.wait_for_function("document.body.dataset.step === '1'")
        v.page.locator(f"#cl-modes button[data-mode={mode}]").click()
        assert v.page.evaluate("document.body.dataset.mode") == mode
        if mode == "compare":
            v.page.wait_for_function("document.body.dataset.compare !== undefined")
            v.page.locator("#cl-map-b path").first.wait_for()
        elif mode == "chart":
            v.page.locator("#cl-chart path").first.wait_for()
        _audit(v.page, f"classroom.html, {mode}")
        v.clean("the audit")
    finally:
        v.context.close()


@pytest.mark.parametrize("path", [f"places/{SHUSHA}.html", "places/index.html", "data/index.html"])
def test_the_site_pages_have_no_serious_violations(chromium, site_server, path):
    v = _site_visit(chromium, site_server)
    try:
        v.page.goto(f"{v.base}/{path}")
        _audit(v.page, path)
        v.clean("the audit")
    finally:
        v.context.close()


# ------------------------------------------------------------------------------------------------ keyboard alone

FOCUS_RING = """() => {
    const e = document.activeElement, s = getComputedStyle(e);
    return {id: e.id, visible: e.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""


def _tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focus is on `selector`, checking the ring of each stop on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert ring["visible"] and ring["outline"] not in ("none", "auto") and ring["width"] >= 2, (selector, ring)
            return
    pytest.fail(f"{limit} presses of Tab never reached {selector}")


def test_the_explorers_controls_work_by_tab_and_keys_alone(chromium, site):
    """From the top of index.html with Tab and keys only, each control showing a ring of its own (not the
    browser's thin default): search, ◀, the slider, ▶, play, the key-date jump; past the map in a few stops."""
    v = Visit(chromium, site.as_uri())
    page = v.page
    try:
        v.open_explorer("?date=2020-11-07")
        _tab_to(page, "#nk-find-input")
        page.keyboard.type("Շուշի")  # Shushi in Armenian
        page.locator("#nk-find-list [role=option]").first.wait_for()
        page.keyboard.press("Enter")
        page.locator("#nk-placecard").wait_for(state="visible")
        assert page.evaluate("NKExplorer.place()") == SHUSHA
        page.locator("#nk-find-input").focus()
        _tab_to(page, "#nk-prev")
        page.keyboard.press("Enter")
        page.wait_for_function("NKExplorer.iso() === '2020-11-06'")
        _tab_to(page, "#nk-slider", limit=1)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("NKExplorer.iso() === '2020-11-07'")
        _tab_to(page, "#nk-next", limit=1)
        page.keyboard.press("Space")
        page.wait_for_function("NKExplorer.iso() === '2020-11-08'")
        _tab_to(page, "#nk-play", limit=1)
        page.keyboard.press("Enter")
        page.wait_for_function("NKExplorer.iso() > '2020-11-08'")  # it plays
        page.keyboard.press("Enter")
        assert page.locator("#nk-play").get_attribute("aria-pressed") == "false"
        _tab_to(page, "#nk-jump", limit=4)
        first_jump = page.evaluate("document.getElementById('nk-jump').options[1].value")
        page.keyboard.press("ArrowDown")  # a closed <select> takes the next option at once
        page.wait_for_function("v => String(NKExplorer.day()) === v", arg=first_jump)
        _tab_to(page, "#map", limit=8)
        # Past the map (zoom, layers, key, credits) to the card beyond it: the map's shapes are not Tab stops.
        _tab_to(page, "#nk-placecard button, #nk-placecard a", limit=10)
        v.clean("the keyboard walk")
    finally:
        v.context.close()
