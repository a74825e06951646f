"""The explorer page's "Find a place", place card and downloads, as a user meets them: the page built from the
real geo/ (site_links=True, as the static site's index.html), opened from file:// in headless Chromium with every
other request aborted. The browser folds and ranks a query as nkmap.model.gazetteer does (checked name by name
against Python), the card is Python's, the address keeps `place=`, and a hostile name stays text.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil

import pytest

from conftest import ROOT
from nkmap.data.dataset import load_dataset
from nkmap.export.export_html import render_html
from nkmap.model import gazetteer
from test_explorer_browser import address, open_page

pytestmark = pytest.mark.browser

SHUSHA = "place-shusha-susa"
TRICKY = [
    "Şuşa",
    "Shushi",
    "Шуша",
    "Շուշի",
    "Xankəndi",
    "Stepanakert",
    "Ստեփանակերտ",
    "Степанакерт",
    "Ağdam",
    "Агдам",
    "Füzuli",
    "Физули",
    "Cəbrayıl",
    "Джебраил",
    "Ջաբրայիլ",
    "Qubadlı",
    "Kəlbəcər",
    "Քարվաճառ",
    "Hadrut",
    "Գադրութ",
    "Гадрут",
    "ŞUŞA",
    "XANKƏNDİ",
    "AĞDAM",
    "İstisu",
    "Yuxarı Əbdürrəhmanlı",
    "Vorotan",
    "Որոտան",
    "Եղցահող",
    "Гёразыллы",
    "Кюратах",
    "Абдаляр",
    "Хоџали",
    "Şuşa’nın",
    "Fu\u0308zuli",
    "  Ağ-dam  ",
    "K'arvachar",
    "Ǝrdəbil",
]


@pytest.fixture(scope="module")
def ds():
    return load_dataset(ROOT / "geo")


@pytest.fixture(scope="module")
def page_file(ds, tmp_path_factory):
    path = tmp_path_factory.mktemp("finder") / "index.html"
    path.write_text(render_html(ds, site_links=True), encoding="utf-8")
    return path


@pytest.fixture
def page(chromium, page_file):
    context, page = open_page(chromium, page_file.as_uri() + "?date=2020-10-01")
    yield page
    assert page.blocked == [] and page.errors == [], (page.blocked, page.errors)
    context.close()


def results(page) -> list[str]:
    return page.locator("#nk-find-list [role=option]").evaluate_all("els => els.map(e => e.dataset.placeId)")


def test_the_browser_folds_every_name_as_python_does(ds, page):
    names = TRICKY + [t.upper() for t in TRICKY] + [n.name for n in gazetteer.index(ds).names]
    got = page.evaluate("names => names.map(n => [NKFinder.fold(n), NKFinder.spellingKey(n)])", names)
    want = [[gazetteer.fold(n), gazetteer.spelling_key(n)] for n in names]
    assert [n for n, g, w in zip(names, got, want) if g != w] == []
    assert got[0] == ["susa", "susa"]  # and it is not a trivial fold


@pytest.mark.parametrize(
    "query", ["Şuşa", "shushi", "Шуша", "Շուշի", "xankendi", "Khankendi", "Stepanakert", "kelbecer", "Гадрут",
              "fuz", "abdur", "Stepanakertt", "Jebrayl", "aghd", "lachn", "qubadli"]
)  # fmt: skip
def test_the_browser_ranks_as_python_does(ds, page, query):
    got = page.evaluate("q => NKFinder.search(q, 10).map(m => [m.id, m.how, m.score])", query)
    want = [[m.place_id, m.how, m.score] for m in gazetteer.search(ds, query, limit=10)]
    assert got == want and got


def test_typed_in_four_scripts_the_same_first_place_and_enter_opens_its_card(ds, page):
    box = page.get_by_role("combobox", name="Find a place")
    firsts = []
    for query in ("Şuşa", "shushi", "Шуша", "Շուշի"):
        box.fill(query)
        assert box.get_attribute("aria-expanded") == "true"
        firsts.append(results(page)[0])
    assert firsts == [SHUSHA] * 4
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    box.press("Enter")
    card = page.locator("#nk-placecard")
    card.wait_for(state="visible")
    text = card.inner_text()
    assert "Shusha" in text and "Azerbaijani: Şuşa" in text and "Armenian: Shushi (Շուշի)" in text
    assert "Shusha district" in text and "Sources:" in text and "capture claimed" in text
    assert "On 1 October 2020 the map shows it held by: Artsakh" in text and "Also written:" in text
    assert address(page)["place"] == SHUSHA
    assert page.locator(".nk-place-ring").count() == 1
    assert page.evaluate("NKExplorer.map.getZoom()") >= 11
    link = card.locator("a.nk-placecard-link")
    assert link.get_attribute("href") == f"places/{SHUSHA}.html"


def test_arrow_keys_move_and_escape_closes(page):
    box = page.get_by_role("combobox", name="Find a place")
    box.fill("aghd")
    options = page.locator("#nk-find-list").get_by_role("option")
    assert options.count() >= 3
    box.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    box.press("ArrowUp")
    box.press("ArrowUp")  # wraps round to the last
    assert options.nth(options.count() - 1).get_attribute("aria-selected") == "true"
    chosen = options.nth(options.count() - 1).get_attribute("data-place-id")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and not page.locator("#nk-find-list").is_visible()
    box.press("ArrowDown")
    box.press("ArrowUp")
    box.press("Enter")
    assert address(page)["place"] == chosen


def test_go_to_the_day_it_changed_hands(ds, page):
    page.get_by_role("combobox", name="Find a place").fill("Hadrut")
    page.get_by_role("combobox", name="Find a place").press("Enter")
    hadrut = gazetteer.search(ds, "Hadrut")[0].place_id
    assert address(page)["place"] == hadrut
    changed = gazetteer.changed_hands_on(ds, hadrut)
    button = page.locator("#nk-placecard .nk-goto").first
    assert changed.strftime("%-d %B %Y") in button.inner_text()
    button.click()
    assert page.evaluate("NKExplorer.iso()") == changed.isoformat()
    assert address(page)["date"] == changed.isoformat() and address(page)["place"] == hadrut
    held = gazetteer.held_by_on(ds, hadrut, changed)
    assert f"On {changed:%-d %B %Y} the map shows it held by: {ds.sides[held]['short_en']}" in page.inner_text(
        "#nk-placecard"
    )
    page.locator(".nk-placecard-close").click()
    assert not page.locator("#nk-placecard").is_visible() and "place" not in address(page)


@pytest.mark.parametrize(
    ("value", "expected"), [("Shushi", SHUSHA), ("%D0%A8%D1%83%D1%88%D0%B0", SHUSHA), (SHUSHA, SHUSHA)]
)
def test_a_place_link_by_name_resolves_as_in_the_app(chromium, page_file, value, expected):
    context, page = open_page(chromium, page_file.as_uri() + f"#date=2020-11-10&place={value}")
    try:
        assert page.evaluate("NKExplorer.place()") == expected
        assert page.locator("#nk-placecard").is_visible() and address(page)["place"] == expected
        assert not page.locator("#nk-warn").is_visible() and page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("value", ["Stepnakrt", "Kalbjar", "Nowhereville", "Agh", "%20"])
def test_an_unknown_place_in_a_link_is_named_as_in_the_app(ds, chromium, page_file, value):
    from urllib.parse import unquote

    from nkmap.web.place_finder import from_link

    context, page = open_page(chromium, page_file.as_uri() + f"#place={value}")
    try:
        assert page.evaluate("NKExplorer.place()") is None
        assert page.locator("#nk-warn-text").inner_text() == from_link(ds, unquote(value))[1]
        assert page.errors == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    """The page built from a copy of geo/ whose Shusha carries markup and script (as test_places.hostile_geo)."""
    geo = tmp_path_factory.mktemp("hostile") / "geo"
    shutil.copytree(ROOT / "geo", geo)
    path = geo / "places.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    p = next(f["properties"] for f in data["features"] if f["properties"]["id"] == SHUSHA)
    p["name_en"] = "Shusha <img src=x onerror=window.pwned=1>"
    p["name_az"] = 'Şuşa"><script>window.pwned=2</script>'
    p["history"][0]["text_en"] = "</td></tr></table><img src=x onerror=window.pwned=3>"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-page") / "index.html"
    out.write_text(render_html(load_dataset(geo)), encoding="utf-8")
    return out


def test_a_hostile_name_is_text(chromium, hostile_page):
    context, page = open_page(chromium, hostile_page.as_uri())
    try:
        box = page.get_by_role("combobox", name="Find a place")
        box.fill("shusha")
        assert "Shusha <img src=x onerror=window.pwned=1>" in page.locator("#nk-find-list").inner_text()
        box.press("Enter")
        card = page.locator("#nk-placecard")
        assert "Shusha <img src=x onerror=window.pwned=1>" in card.locator("h2").inner_text()
        assert "</td></tr></table><img src=x" in card.inner_text()
        assert page.locator("#nk-find-list img, #nk-placecard img, #nk-placecard script").count() == 0
        assert page.evaluate("window.pwned") is None
        assert card.locator("a.nk-placecard-link").count() == 0  # a lone file links nowhere
        assert page.errors == [] and page.blocked == []
    finally:
        context.close()


def test_page_size_stays_in_budget(page_file):
    raw = page_file.read_bytes()
    assert len(gzip.compress(raw, 6)) < 1_500_000


def test_geojson_of_this_date_holds_what_python_exports(ds, chromium, page_file, tmp_path):
    from nkmap.export.export_geojson import feature_collection_on

    def pairs(fc):  # (layer, id, side); Python names a place's holder on the date `side_on`
        return sorted(
            (p["layer"], p["id"], p.get("side_on", p.get("side"))) for p in (f["properties"] for f in fc["features"])
        )

    day = "2020-11-10"
    context, page = open_page(chromium, page_file.as_uri() + f"#date={day}")
    try:
        with page.expect_download() as info:
            page.get_by_role("button", name="GeoJSON of this date").click()
        download = info.value
        assert download.suggested_filename == f"nkmap-{day}.geojson"
        download.save_as(tmp_path / "day.geojson")
        got = json.loads((tmp_path / "day.geojson").read_text(encoding="utf-8"))
        want = feature_collection_on(ds, dt.date(2020, 11, 10), ["control", "contact_line", "places"])
        assert got["type"] == "FeatureCollection" and got["date"] == day
        assert pairs(got) == pairs(want)
        shusha = next(f["properties"] for f in got["features"] if f["properties"]["id"] == SHUSHA)
        assert shusha["name_az"] == "Şuşa" and shusha["side"] == "azerbaijan" and shusha["sources"]
        assert page.errors == []
    finally:
        context.close()


def test_png_of_this_view_is_the_map_with_the_sides_colours(ds, chromium, page_file, tmp_path):
    from PIL import Image

    context, page = open_page(chromium, page_file.as_uri() + "#date=2020-11-10&layers=control")
    try:
        with page.expect_download() as info:
            page.get_by_role("button", name="PNG of this view").click()
        assert info.value.suggested_filename == "nkmap-2020-11-10.png"
        info.value.save_as(tmp_path / "view.png")
        image = Image.open(tmp_path / "view.png").convert("RGB")
        size = page.evaluate("[NKExplorer.map.getSize().x, NKExplorer.map.getSize().y]")
        assert list(image.size) == size
        colours = {rgb for _, rgb in image.getcolors(maxcolors=1 << 24)}
        alpha = float(page.evaluate("getComputedStyle(NKExplorer.map.getPane('nk-control')).opacity"))
        for side in ("artsakh", "azerbaijan"):
            fill = page.evaluate(f"NKExplorer.data.sides.filter(s => s.id === '{side}')[0].color")
            rgb = [int(fill[i : i + 2], 16) for i in (1, 3, 5)]
            seen = [round(255 * (1 - alpha) + c * alpha) for c in rgb]  # the fill over white, as the pane shows it
            assert any(all(abs(a - b) <= 3 for a, b in zip(px, seen)) for px in colours), (side, seen)
        assert (255, 255, 255) in colours and page.errors == []
    finally:
        context.close()
