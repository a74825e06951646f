"""The static site (`nkmap site --output DIR`, issue 11): every place has a page and is listed, every page is valid
HTML5 with a language, a title and a description, every relative link and `src` resolves to a file of the site,
the pages work in a real browser from file:// and from a web server with the network cut off, the data files load
back, the same geo/ gives the same bytes, and bad input builds nothing.

Expected values come from the raw files in geo/ (read here with json), not from the code under test.
"""

from __future__ import annotations

import csv
import functools
import http.server
import json
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import geopandas as gpd
import html5lib
import pyogrio
import pytest

from conftest import ROOT
from nkmap.cli.commands import main as nkmap_main
from nkmap.site.build import MARKER, build_site

GEO = ROOT / "geo"
XHTML = "{http://www.w3.org/1999/xhtml}"
HOSTILE_NAME = '<script>alert("nk")</script> O\'Brien & "Co" </title><b>'
HOSTILE_AZ = '"><img src=x onerror=alert(1)>'


def _raw(name: str):
    return json.loads((GEO / name).read_text(encoding="utf-8"))


def _raw_places() -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in _raw("places.geojson")["features"]}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site of the real geo/, built by the command as a user runs it."""
    out = tmp_path_factory.mktemp("site") / "public"
    assert nkmap_main(["--geo", str(GEO), "site", "--output", str(out)]) == 0
    return out


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def _parse(path: Path):
    """The page's tree from html5lib's strict parser: any HTML5 parse error raises."""
    return html5lib.HTMLParser(strict=True).parse(path.read_bytes(), transport_encoding="utf-8")


def _copy_geo(tmp_path: Path) -> Path:
    root = tmp_path / "geo"
    shutil.copytree(GEO, root)
    return root


def _edit_json(root: Path, name: str, change) -> None:
    data = json.loads((root / name).read_text(encoding="utf-8"))
    change(data)
    (root / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


# ------------------------------------------------------------------------------------------------ the pages


def test_every_place_has_a_page_and_is_listed(site):
    raw = _raw_places()
    listed = _parse(site / "places" / "index.html")
    hrefs = {a.get("href") for a in listed.iter(f"{XHTML}a")}
    for pid, feature in raw.items():
        page = site / "places" / f"{pid}.html"
        assert page.is_file(), f"no page for {pid}"
        assert f"{pid}.html" in hrefs, f"{pid} is not listed in places/index.html"
        tree = _parse(page)
        h1 = next(tree.iter(f"{XHTML}h1"))
        assert "".join(h1.itertext()) == feature["properties"]["name_en"]
        body = "".join(tree.itertext())
        for key in ("name_az", "name_hy"):
            if feature["properties"].get(key):
                assert feature["properties"][key] in body, (pid, key)
    assert len(list((site / "places").glob("*.html"))) == len(raw) + 1  # the pages and the list, nothing else


def test_every_page_is_html5_with_language_title_and_description(site):
    pages = _pages(site)
    assert {p.relative_to(site).as_posix() for p in pages} >= {"index.html", "places/index.html", "data/index.html"}
    for path in pages:
        tree = _parse(path)  # strict: raises on any parse error
        assert tree.get("lang"), f"{path}: no lang"
        title = "".join(next(tree.iter(f"{XHTML}title")).itertext()).strip()
        assert title, f"{path}: empty <title>"
        metas = {m.get("name"): m.get("content") for m in tree.iter(f"{XHTML}meta") if m.get("name")}
        assert len(metas.get("description") or "") > 40, f"{path}: no real description"
        assert "width=device-width" in (metas.get("viewport") or ""), f"{path}: no viewport"


def test_every_relative_link_and_src_resolves_to_a_file_of_the_site(site):
    checked = 0
    for path in _pages(site):
        tree = _parse(path)
        ids = {e.get("id") for e in tree.iter() if e.get("id")}
        for element in tree.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is None:
                    continue
                parts = urlsplit(value)
                if parts.scheme in ("http", "https"):
                    continue  # a source's original page: a link out, never loaded by the page
                assert not parts.scheme and not parts.netloc, f"{path}: {value} is not relative"
                if not parts.path:
                    assert parts.fragment in ids, f"{path}: #{parts.fragment} names no element"
                    continue
                target = (path.parent / unquote(parts.path)).resolve()
                assert target.is_relative_to(site.resolve()), f"{path}: {value} leaves the site"
                assert target.is_file(), f"{path}: {value} -> {target} does not exist"
                checked += 1
    assert checked > 3 * len(_raw_places())  # every place page links the map, the list, the CSS ...


def test_a_place_page_opens_the_map_on_the_day_it_changed_hands(site):
    """Shusha's capture was announced on 8 Nov 2020 (geo/places.geojson); its page links the explorer on that day
    with its card open, with the app's URL parameters."""
    raw = _raw_places()["place-shusha-susa"]["properties"]
    tree = _parse(site / "places" / "place-shusha-susa.html")
    links = [a.get("href") for a in tree.iter(f"{XHTML}a") if (a.get("href") or "").startswith("../index.html?")]
    assert len(links) == 1
    query = parse_qs(urlsplit(links[0]).query)
    assert query == {"date": [raw["capture_modelled_on"]], "place": ["place-shusha-susa"]}
    text = "".join(tree.itertext())
    assert "How to cite this page" in text and "places/place-shusha-susa.html" in text
    # The history and its sources: each source of the raw history is listed with a link to its original page.
    catalogue = {r["id"]: r for r in _raw("sources.json")["sources"]}
    urls = {a.get("href") for a in tree.iter(f"{XHTML}a")}
    for entry in raw["history"]:
        for cited in entry["sources"]:
            assert catalogue[cited["source"]]["url"] in urls
    # The mini-map: one SVG file per place (shared by the languages), described on the page in its language.
    picture = next(img for img in tree.iter(f"{XHTML}img") if "minimap" in (img.get("class") or ""))
    assert "8 November 2020" in picture.get("alt")
    svg = (site / "places" / picture.get("src")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<path" in svg and "<text" in svg  # drawn: areas, lines, the scale's label


# ------------------------------------------------------------------------------------------------ the data


def test_the_data_files_load_back(site):
    data = site / "data"
    raw_counts = {}
    for spec in _raw("manifest.json")["layers"]:
        if spec.get("file"):
            raw_counts[spec["id"]] = len(_raw(spec["file"])["features"])
    # events.geojson's rows are split at load time into the events and the context layers.
    expected = dict(raw_counts)
    context = sum(1 for f in _raw("events.geojson")["features"] if f["properties"].get("event_type") == "context")
    expected["events"] -= context
    expected["context"] = context
    gpkg_layers = {name for name, _ in pyogrio.list_layers(data / "nkmap.gpkg")}
    assert gpkg_layers == set(expected) | {"sources"}  # the layers, and the table of the records they cite
    for layer_id, count in expected.items():
        frame = gpd.read_file(data / f"{layer_id}.geojson")
        assert len(frame) == count, layer_id
        assert len(gpd.read_file(data / "nkmap.gpkg", layer=layer_id)) == count, layer_id
    places = gpd.read_file(data / "nkmap.gpkg", layer="places")
    shusha = places[places["id"] == "place-shusha-susa"].iloc[0]
    assert shusha["name_az"] == "Şuşa"
    # the GeoPackage's citations name the records of its sources table, each record once
    records = gpd.read_file(data / "nkmap.gpkg", layer="sources").set_index("id")
    assert records.index.is_unique and len(records) == len(_raw("sources.json")["sources"])
    cited = json.loads(shusha["history"])[0]["sources"][0]
    assert set(cited) >= {"source", "role"} and "publisher" not in cited
    assert records.loc[cited["source"], "publisher"] and records.loc[cited["source"], "url"].startswith("http")
    for citation in json.loads(shusha["sources"]):
        assert citation["source"] in records.index
    # the GeoJSON downloads keep the records resolved, and a feature has only the properties it has
    feature = next(
        f
        for f in json.loads((data / "places.geojson").read_text(encoding="utf-8"))["features"]
        if f["properties"]["id"] == shusha["id"]
    )
    assert feature["properties"]["history"][0]["sources"][0]["publisher"]
    assert None not in feature["properties"].values()
    raw = _raw_places()
    with open(data / "places.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == sorted(raw)
    row = next(r for r in rows if r["id"] == "place-shusha-susa")
    lon, lat = raw["place-shusha-susa"]["geometry"]["coordinates"]
    assert abs(float(row["lon"]) - lon) < 1e-6 and abs(float(row["lat"]) - lat) < 1e-6
    assert row["name_hy"] == raw["place-shusha-susa"]["properties"]["name_hy"]
    assert row["changed_hands_on"] == raw["place-shusha-susa"]["properties"]["capture_modelled_on"]
    assert row["held_by"].startswith("artsakh 1994-05-12..") and "azerbaijan 2020-11-08..2024-06-12" in row["held_by"]
    assert json.loads((data / "sources.json").read_bytes()) == _raw("sources.json")


def test_the_data_readme_states_the_licences_and_how_to_cite(site):
    readme = (site / "data" / "README.txt").read_text(encoding="utf-8")
    for needed in ("MIT", "Natural Earth", "public domain", "CC BY 4.0", "Leaflet", "How to cite", "places.csv"):
        assert needed in readme, needed
    credited = sum(1 for f in _raw_places().values() if "GeoNames" in str(f["properties"].get("credit") or ""))
    assert f"CC BY 4.0: {credited} places" in readme


# ------------------------------------------------------------------------------------------------ builds


def test_the_same_geo_gives_a_byte_identical_site(site, tmp_path):
    again = tmp_path / "again"
    build_site(again, GEO)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    different = [str(name) for name in first if first[name] != second[name]]
    assert different == []


def test_a_dataset_with_problems_builds_no_site_and_names_them(tmp_path, capsys):
    geo = _copy_geo(tmp_path)
    _edit_json(
        geo,
        "events.geojson",
        lambda d: d["features"][0]["properties"]["sources"].append({"source": "no-such-record", "role": "report"}),
    )
    out = tmp_path / "public"
    assert nkmap_main(["--geo", str(geo), "site", "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no site was built" in err and "unknown source 'no-such-record'" in err
    assert "Traceback" not in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geo"]  # no half-built folder left behind


def test_a_failed_build_leaves_the_site_that_was_there(tmp_path, capsys):
    out = tmp_path / "public"
    out.mkdir()
    (out / MARKER).write_text("an earlier build\n")
    (out / "index.html").write_text("the good site\n")
    geo = _copy_geo(tmp_path)
    _edit_json(geo, "manifest.json", lambda d: d["timeline"].update(start="sometime"))
    assert nkmap_main(["--geo", str(geo), "site", "--output", str(out)]) == 1
    assert "no site was built" in capsys.readouterr().err
    assert (out / "index.html").read_text() == "the good site\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geo", "public"]


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path, capsys):
    out = tmp_path / "my-documents"
    out.mkdir()
    (out / "thesis.odt").write_text("years of work")
    assert nkmap_main(["--geo", str(GEO), "site", "--output", str(out)]) == 2
    assert "not a site nkmap built" in capsys.readouterr().err
    assert (out / "thesis.odt").read_text() == "years of work"


def test_a_place_id_that_cannot_be_an_address_builds_no_site(tmp_path, capsys):
    geo = _copy_geo(tmp_path)
    _edit_json(geo, "places.geojson", lambda d: d["features"][0]["properties"].update(id="../../etc/passwd"))
    out = tmp_path / "public"
    assert nkmap_main(["--geo", str(geo), "site", "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "'../../etc/passwd'" in err and "no site was built" in err
    assert not out.exists()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, str]:
    """A site built from geo/ with markup and quotes in a place's names and in a source's title."""
    tmp = tmp_path_factory.mktemp("hostile")
    geo = _copy_geo(tmp)
    pid = "place-shusha-susa"

    def names(d):
        props = next(f["properties"] for f in d["features"] if f["properties"]["id"] == pid)
        props.update(name_en=HOSTILE_NAME, name_az=HOSTILE_AZ)
        props["names_variant"] = [*props.get("names_variant", []), "<i>variant</i>"]

    _edit_json(geo, "places.geojson", names)
    first_cited = _raw_places()[pid]["properties"]["history"][0]["sources"][0]["source"]
    _edit_json(
        geo,
        "sources.json",
        lambda d: next(r for r in d["sources"] if r["id"] == first_cited).update(title='<script>x()</script>"'),
    )
    out = tmp / "public"
    build_site(out, geo)
    return out, pid


def test_a_hostile_name_is_text_on_every_page(hostile_site):
    out, pid = hostile_site
    for path in _pages(out):
        page = path.read_text(encoding="utf-8")
        for markup in ("<script>alert", "<img src=x", "<i>variant", "<script>x()", "</title><b>"):
            assert markup not in page, f"{path}: {markup} reached the page as markup"
        _parse(path)
    tree = _parse(out / "places" / f"{pid}.html")
    assert "".join(next(tree.iter(f"{XHTML}h1")).itertext()) == HOSTILE_NAME
    assert "".join(next(tree.iter(f"{XHTML}title")).itertext()).startswith(HOSTILE_NAME)
    assert HOSTILE_AZ in "".join(tree.itertext())
    listed = _parse(out / "places" / "index.html")
    link = next(a for a in listed.iter(f"{XHTML}a") if a.get("href") == f"{pid}.html")
    assert "".join(link.itertext()) == HOSTILE_NAME
    with open(out / "data" / "places.csv", encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == pid)
    assert row["name_en"] == HOSTILE_NAME  # data stays data in the data files


# ------------------------------------------------------------------------------------------------ in a browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def site_server(site):
    """The built site served by a plain static web server on loopback (what any host does)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _offline_page(chromium, allowed: tuple[str, ...]):
    """A page that can load only `allowed` URLs; every other request is aborted and recorded."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    blocked: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(allowed + ("data:", "about:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return context, page, blocked, errors, dialogs


@pytest.mark.browser
@pytest.mark.parametrize("served", ["file", "loopback"])
def test_the_site_works_offline_in_a_browser(chromium, site, site_server, served):
    base = site.as_uri() if served == "file" else site_server
    context, page, blocked, errors, dialogs = _offline_page(chromium, (base,))
    try:
        page.goto(f"{base}/index.html")
        page.wait_for_function("window.nkmap !== undefined")
        drawn = page.evaluate("document.querySelectorAll('.leaflet-nk-control-pane path[fill]').length")
        assert drawn > 10
        page.goto(f"{base}/places/index.html")
        page.get_by_role("link", name="Shusha / Shushi", exact=True).click()
        page.wait_for_url("**/places/place-shusha-susa.html")
        assert page.locator("h1").inner_text() == "Shusha / Shushi"
        box = page.locator("img.minimap").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 150
        page.get_by_role("link", name="Open in the map on 8 November 2020").click()
        page.wait_for_url("**/index.html?date=2020-11-08&place=place-shusha-susa")
        page.wait_for_function("window.nkmap !== undefined")
        page.goto(f"{base}/data/index.html")
        assert page.get_by_role("link", name="places.csv").count() == 1
        assert blocked == [] and errors == [] and dialogs == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_hostile_name_runs_nothing_in_a_browser(chromium, hostile_site):
    out, pid = hostile_site
    base = out.as_uri()
    context, page, blocked, errors, dialogs = _offline_page(chromium, (base,))
    try:
        for url in (f"{base}/places/{pid}.html", f"{base}/places/index.html", f"{base}/index.html"):
            page.goto(url)
            page.wait_for_load_state("load")
        page.goto(f"{base}/places/{pid}.html")
        assert page.locator("h1").inner_text() == HOSTILE_NAME.strip()
        assert page.locator("main img:not(.minimap)").count() == 0 and page.locator("main b, main i").count() == 0
        assert dialogs == [] and errors == []
    finally:
        context.close()
