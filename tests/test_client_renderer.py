"""The shared map renderer (nkmap.client's nkmap-map.js, `window.NKMap`) on its own, in headless Chromium.

A tiny page holds Leaflet, the renderer and a fixture of two square control pieces whose holders change on day 5;
the tests draw with NKMap's functions and read back what the browser drew (SVG fills, pane z-indices, popup and
legend text). No network: the page is a file and every other request is aborted.
"""

from __future__ import annotations

import json

import pytest

from conftest import require_browser
from nkmap.client import asset_path, asset_text
from nkmap.export.html_leaflet import leaflet_assets

pytestmark = pytest.mark.browser

RED, BLUE = "#aa0000", "#0000aa"
FIXTURE = {
    "pieces": [
        {"type": "Polygon", "coordinates": [[[46.0, 39.0], [46.5, 39.0], [46.5, 39.5], [46.0, 39.5], [46.0, 39.0]]]},
        {"type": "Polygon", "coordinates": [[[46.5, 39.0], [47.0, 39.0], [47.0, 39.5], [46.5, 39.5], [46.5, 39.0]]]},
    ],
    "epochs": [5],
    "assign": ["12", "22"],  # before day 5: piece 0 side 1 (red), piece 1 side 2 (blue); from day 5 both blue
}


@pytest.fixture(scope="module")
def renderer_page(chromium, tmp_path_factory):
    require_browser()
    js, css = leaflet_assets()
    page_html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>renderer</title>'
        f"<style>{css} html,body,#map{{height:100%;margin:0}}</style></head><body><div id='map'></div>"
        f"<script>{js}</script><script>{asset_text('nkmap-map.js')}</script>"
        f"<script>var FIXTURE = {json.dumps(FIXTURE)};"
        "var map = L.map('map').fitBounds([[39, 46], [39.5, 47]]);</script></body></html>"
    )
    path = tmp_path_factory.mktemp("renderer") / "renderer.html"
    path.write_text(page_html, encoding="utf-8")
    context = chromium.new_context(viewport={"width": 800, "height": 600})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function("window.NKMap !== undefined && window.map !== undefined")
    page.errors = errors
    yield page
    assert errors == [], errors
    context.close()


def test_the_renderer_ships_as_a_file_of_the_package():
    assert asset_path("nkmap-map.js").is_file()
    with pytest.raises(FileNotFoundError):
        asset_path("../export/export_html.py")


def test_panes_stack_in_the_order_given_and_keep_their_settings(renderer_page):
    z = renderer_page.evaluate(
        """() => {
        NKMap.panes(map, [{name: 'nk-low', z: 410, opacity: 0.5}, {name: 'nk-high', z: 450}]);
        NKMap.panes(map, [{name: 'nk-low', z: 999}]);  // an existing pane keeps its place (the app reruns this)
        const low = map.getPane('nk-low'), high = map.getPane('nk-high');
        return [getComputedStyle(low).zIndex, getComputedStyle(high).zIndex, low.style.opacity];
    }"""
    )
    assert z == ["410", "450", "0.5"]


def test_pieces_take_the_colour_of_their_holder_on_each_date(renderer_page):
    fills = renderer_page.evaluate(
        """() => {
        NKMap.panes(map, [{name: 'nk-pieces', z: 420}]);
        const set = NKMap.pieceSet(FIXTURE, 'nk-pieces', i => 'piece ' + i);
        set.group.addTo(map);
        const colours = ['#aa0000', '#0000aa'];
        const read = () => Array.from(document.querySelectorAll('.leaflet-nk-pieces-pane path')).map(p => p.getAttribute('fill'));
        set.paint(set.epochOf(4), colours);
        const before = read();
        set.paint(set.epochOf(5), colours);
        return [before, read(), set.epochOf(4), set.epochOf(5)];
    }"""
    )
    before, after, epoch_before, epoch_after = fills
    assert (epoch_before, epoch_after) == (0, 1)
    assert before == [RED, BLUE]
    assert after == [BLUE, BLUE]


def test_popups_show_escaped_text_as_text_with_their_sources(renderer_page):
    page = renderer_page
    page.evaluate(
        """() => {
        NKMap.panes(map, [{name: 'nk-pop', z: 460}]);
        const popup = NKMap.popupWithSources(
            {html: '<div class="nk-popup"><div class="nk-title">&lt;img src=x onerror=alert(1)&gt; Village</div>', src: [1]},
            ['first source', 'Ministry &lt;b&gt;of&lt;/b&gt; Defence, 4 Oct 2020'], '<i>none</i>');
        const data = {type: 'FeatureCollection', features: [{type: 'Feature',
            geometry: {type: 'Point', coordinates: [46.75, 39.25]},
            properties: {style: {radius: 8, color: '#000', fillColor: '#fff', fillOpacity: 1}, popup: popup,
                         tooltip: '&lt;script&gt;x'}}]};
        window.popLayer = NKMap.geoJsonLayer(data, 'nk-pop').addTo(map);
        window.popLayer.eachLayer(g => g.eachLayer && g.eachLayer(l => l.openPopup()));
    }"""
    )
    content = page.locator(".leaflet-popup-content")
    content.wait_for()
    text = content.inner_text()
    assert "<img src=x onerror=alert(1)> Village" in text
    assert "Ministry <b>of</b> Defence" in text and "first source" not in text
    assert content.locator("img").count() == 0 and content.locator("b").count() == 0
    assert page.evaluate("NKMap.escape('<a href=\"x\">&\\'')") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"


def test_legend_lists_each_side_with_its_area_then_the_symbols(renderer_page):
    rows = renderer_page.evaluate(
        """() => {
        const div = NKMap.legendBox(map, 'bottomright', 'nk-legend');
        const areas = NKMap.fillLegend(div, {heading: 'Area held', sides: [
            {label: 'Side &lt;one&gt;', color: '#aa0000'}, {label: 'Side two', color: '#0000aa'}],
            symbols: [{swatch: '<svg width="28" height="14"></svg>', label: 'Contact line'}]});
        areas[0].textContent = NKMap.fmtKm2(4400);
        return Array.from(div.children).map(el => [el.className, el.innerText.trim()]);
    }"""
    )
    assert rows == [
        ["nk-head", "Area held"],
        ["nk-side", "Side <one>4\u202f400"],
        ["nk-side", "Side two"],
        ["nk-line", "Contact line"],
    ]


def test_dates_are_days_from_the_start_in_utc(renderer_page):
    out = renderer_page.evaluate(
        """() => {
        const months = ['January','February','March','April','May','June','July','August','September','October',
                        'November','December'];
        const d = NKMap.dates('2020-09-01', months, 'en');
        return [d.isoOf(70), d.longDate(70), d.dayOf('2020-11-10'), d.dayOf('2020-02-31'), d.dayOf('10/11/2020'),
                NKMap.dates('2020-09-01', months, 'hy').longDate(0)];
    }"""
    )
    assert out == ["2020-11-10", "10 November 2020", 70, None, None, "1 September 2020"]  # day month year in hy too
