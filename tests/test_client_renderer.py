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


def test_repainting_with_another_palette_recolours_every_piece(renderer_page):
    fills = renderer_page.evaluate(
        """() => {
        NKMap.panes(map, [{name: 'nk-palette', z: 421}]);
        const set = NKMap.pieceSet(FIXTURE, 'nk-palette', i => 'piece ' + i);
        set.group.addTo(map);
        const read = () => Array.from(document.querySelectorAll('.leaflet-nk-palette-pane path')).map(p => p.getAttribute('fill'));
        set.paint(1, ['#aa0000', '#0000aa']);
        set.paint(1, ['#aa0000', '#0000aa']);  // the same epoch and colours again: nothing to change
        const same = read();
        set.paint(1, ['#aa0000', '#00aa00']);  // the explorer's colour-blind palette: same holders, new colours
        return [same, read()];
    }"""
    )
    assert fills == [[BLUE, BLUE], ["#00aa00", "#00aa00"]]


# Two maps side by side, one drawn by Leaflet's own renderer and labels, one by NKMap's; the same shapes and the
# same changes of view on both, then what each drew is read back: outlines (`d`) and label placement.
TWIN_MAPS = """
(() => {
  function spiral(cx, cy, turns, n) {  // a long outline, so clipping and simplifying both have work to do
    const ring = [];
    for (let i = 0; i < n; i++) {
      const a = i / n * turns * 2 * Math.PI, r = 0.05 + 0.6 * i / n;
      ring.push([cx + r * Math.cos(a), cy + 0.7 * r * Math.sin(a)]);
    }
    ring.push(ring[0]);
    return ring;
  }
  function twin(nk) {
    const div = document.createElement('div');
    div.style.cssText = 'position:absolute;top:0;left:' + (nk ? 420 : 0) + 'px;width:400px;height:300px';
    document.body.appendChild(div);
    const m = L.map(div, {fadeAnimation: false});
    if (nk) { NKMap.viewRenderers(m); }
    m.setView([39.3, 46.6], 8);
    NKMap.panes(m, [{name: 'nk-twin', z: 430}]);
    const Label = nk ? NKMap.Label : L.Tooltip;
    L.polygon(spiral(46.6, 39.3, 6, 900).map(p => [p[1], p[0]]), {pane: 'nk-twin'}).addTo(m);
    L.polygon([[39.0, 46.0], [39.6, 46.2], [39.5, 47.3], [38.9, 47.0]], {pane: 'nk-twin', weight: 1}).addTo(m);
    L.polyline([[38.5, 45.5], [39.3, 46.6], [40.2, 47.9]], {pane: 'nk-twin'}).addTo(m);
    for (let i = 0; i < 30; i++) {  // points in and out of every view below, each with a label on its right
      const c = L.circleMarker([38.6 + (i % 6) * 0.3, 45.6 + Math.floor(i / 6) * 0.5], {pane: 'nk-twin', radius: 4})
        .addTo(m);
      c.bindTooltip(new Label({permanent: true, direction: 'right', offset: [5, 0], className: 'nk-label'})
        .setContent('Place ' + i)).openTooltip();
    }
    new Label({permanent: true, direction: 'center', className: 'nk-label nk-country'}).setLatLng([39.6, 46.3])
      .setContent('Country <b>name</b>').addTo(m);
    new Label({permanent: true, direction: 'top', offset: [0, -8], className: 'nk-story-label'})
      .setLatLng([39.2, 46.8]).setContent('A story label').addTo(m);
    return m;
  }
  window.twins = [twin(false), twin(true)];
  window.drawn = () => window.twins.map(m => ({
    d: Array.from(m.getPane('nk-twin').querySelectorAll('path')).map(p => p.getAttribute('d')),
    labels: Array.from(m.getPane('tooltipPane').children).map(t => t.className + ' ' + t.style.transform),
  }));
})();
"""


def test_nkmap_renderer_and_labels_draw_what_leaflet_draws_through_every_change_of_view(renderer_page):
    page = renderer_page
    page.evaluate(TWIN_MAPS)
    views = [
        "m.setView([39.3, 46.7], 10, {animate: false})",  # another zoom: Leaflet's view reset
        "m.setView([40.1, 47.6], 10, {animate: false})",  # far at the same zoom: a view reset without a zoom
        "m.setView([40.12, 47.63], 10, {animate: false})",  # near: a pan
        "m.panBy([60, -25], {animate: false})",
        "m.setZoom(7, {animate: false})",
        "m.fitBounds([[39, 46], [39.5, 47]], {animate: false})",
        "(m.getContainer().style.height = '340px', m.invalidateSize())",
    ]
    seen = []
    for change in views:
        leaflet, nkmap = page.evaluate(f"() => {{ window.twins.forEach(m => {change}); return drawn(); }}")
        assert nkmap == leaflet, change
        seen.append(leaflet)
    # An animated zoom (the wheel, the + button) lands where Leaflet's does too.
    leaflet, nkmap = page.evaluate(
        """() => Promise.all(twins.map(m => new Promise(done => { m.once('zoomend', done); m.setZoom(m.getZoom() + 1); })))
           .then(() => drawn())"""
    )
    assert nkmap == leaflet
    seen.append(leaflet)
    # The views differ from one another, so the comparison above compared something.
    assert len({json.dumps(v) for v in seen}) == len(seen)
    assert all(len(v["labels"]) == 32 and any(d not in ("M0 0", "") for d in v["d"]) for v in seen)


def test_a_view_reset_projects_each_path_once_and_leaflet_projects_it_twice(renderer_page):
    page = renderer_page
    if page.evaluate("window.twins === undefined"):
        page.evaluate(TWIN_MAPS)
    counts = page.evaluate(
        """() => {
        const counts = [0, 0], writes = [0, 0];
        twins.forEach((m, i) => m.getPane('nk-twin').querySelectorAll('path').forEach(p => {
            const set = p.setAttribute.bind(p);
            p.setAttribute = (name, value) => { if (name === 'd') { writes[i] += 1; } set(name, value); };
        }));
        const polygon = twins.map(m => { let found = null; m.eachLayer(l => { if (l instanceof L.Polygon && !found) { found = l; } }); return found; });
        polygon.forEach((p, i) => { const f = p._project; p._project = function () { counts[i] += 1; return f.apply(this, arguments); }; });
        twins.forEach(m => m.setView([39.4, 46.5], m.getZoom() + 1, {animate: false}));
        return [counts, writes];
    }"""
    )
    (leaflet_projects, nkmap_projects), (leaflet_writes, nkmap_writes) = counts
    assert (leaflet_projects, nkmap_projects) == (2, 1)
    assert nkmap_writes < leaflet_writes / 2


def test_labels_are_measured_again_after_a_change_of_type(renderer_page):
    page = renderer_page
    out = page.evaluate(
        """() => {
        const label = new NKMap.Label({permanent: true, direction: 'center', className: 'nk-resized'})
            .setLatLng([39.25, 46.5]).setContent('Resized').addTo(map);
        const el = label.getElement(), before = el.style.transform;
        el.style.fontSize = '40px';  // as projector type does
        map.setView(map.getCenter(), map.getZoom() + 1, {animate: false});
        map.setView(map.getCenter(), map.getZoom() - 1, {animate: false});
        const cached = el.style.transform;
        NKMap.remeasureLabels(map);
        return [before, cached, el.style.transform];
    }"""
    )
    before, cached, remeasured = out
    assert cached == before  # the size it was measured at, until told
    assert remeasured != before  # larger type: centred on the same point from further up and left
