"""The map's building blocks without a browser: local assets only, escaped popups, layer files shared between
dates only when their content is the same, the base map independent of the date."""

from __future__ import annotations

import datetime as dt
import json

import folium
import folium.plugins
import pytest

from export_fixture import make_geo
from nkmap.data.dataset import load_dataset
from nkmap.text import popups
from nkmap.web import mapview, offline


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return load_dataset(make_geo(tmp_path_factory.mktemp("mapview") / "geo"))


# ------------------------------------------------------------------------------------------ offline


def test_localise_leaves_no_remote_asset_and_keeps_leaflet():
    m = folium.Map()
    assert offline.remote_assets(m)  # folium's defaults are CDN URLs
    offline.localise(m, "/app/static/vendor/leaflet/")
    assert offline.remote_assets(m) == []
    assert m.default_js == [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
    assert m.default_css == [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]
    assert folium.Map.default_js[0][1].startswith("https://")  # folium's class defaults untouched


def test_unknown_remote_asset_is_an_error_not_a_silent_cdn_call():
    m = folium.Map()
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(offline.OfflineAssetError, match="no local copy"):
        offline.localise(m, "/x/")


def test_install_leaflet_copies_the_wheel_files(tmp_path):
    target = offline.install_leaflet(tmp_path)
    js = (target / "leaflet.js").read_text(encoding="utf-8")
    assert "1.9.4" in js[:400]
    assert (target / "images" / "marker-icon.png").stat().st_size > 0
    mtime = (target / "leaflet.js").stat().st_mtime_ns
    offline.install_leaflet(tmp_path)  # identical copy: not rewritten
    assert (target / "leaflet.js").stat().st_mtime_ns == mtime


def test_static_base_url_honours_base_path():
    assert offline.static_base_url() == "/app/static/vendor/leaflet/"
    assert offline.static_base_url("/maps/") == "/maps/app/static/vendor/leaflet/"


# ------------------------------------------------------------------------------------------- popups


def test_popup_escapes_every_data_value():
    props = {
        "name_en": "<script>alert(1)</script>",
        "name_az": "Şuşa & co",
        "name_hy": 'Շուշի "quoted"',
        "valid_from": "2020-11-08",
        "claimed_by": "<b>MoD</b>",
        "claimed_on": "2020-11-08",
        "note": "<img src=x onerror=alert(1)>",
        "precision": "approximate",
        "sources": ['https://example.org/a?b=1&c="x"', "javascript:alert(1)", "Book, p. 3 <i>"],
    }
    html = popups.popup_html(props)
    assert "<script>" not in html and "<img" not in html and "<b>MoD" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Şuşa &amp; co" in html and "Armenian: Շուշի &quot;quoted&quot;" in html
    assert "Claimed by &lt;b&gt;MoD&lt;/b&gt; on 8 November 2020" in html
    assert 'href="https://example.org/a?b=1&amp;c=&quot;x&quot;"' not in html  # the quote ends the URL
    assert 'href="https://example.org/a?b=1&amp;c="' in html
    assert 'href="javascript' not in html and "javascript:alert(1)" in html
    assert "Precision: approximate" in html


def test_tooltip_names_both_languages():
    html = popups.tooltip_html({"name_en": "Shusha / Shushi", "name_az": "Şuşa", "name_hy": "Շուշի"})
    assert html.startswith("Shusha / Shushi") and "Şuşa / Շուշի" in html


# ------------------------------------------------------------------------------------- slots and map


def test_base_map_does_not_depend_on_the_date(ds):
    from streamlit_folium import _get_map_string

    a = _get_map_string(mapview.base_map(ds))
    b = _get_map_string(mapview.base_map(ds))
    assert a == b
    assert "nk-control" in a and "nkmapOnlineBase" in a
    assert "tile.openstreetmap.org" not in a, "the base map asks for tiles before the user turns them on"


def test_the_pages_map_loads_its_code_from_a_file_named_after_it(ds, tmp_path, monkeypatch):
    """The app's map takes nkmap's browser code from a static file after Leaflet, so the script st_folium hands
    the browser (and hashes, searches and serialises on the server) on every date step is small."""
    import streamlit_folium

    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw) or kw.get("default"))
    name = mapview.install_map_code(tmp_path)
    assert name.startswith("vendor/nkmap/map-") and name.endswith(".js")
    assert (tmp_path / name).read_text(encoding="utf-8") == mapview.map_code()
    for function in ("window.nkmapSetup = function", "window.nkmapLayerSlots = function", "nkmapOnlineBase = function"):
        assert function in mapview.map_code()

    def args(**kw) -> dict:
        sent.clear()
        streamlit_folium.st_folium(mapview.base_map(ds, asset_url="/app/static/vendor/leaflet/", **kw), key="m")
        return dict(sent)

    linked, inline = args(code_url="/app/static/" + name), args()
    assert linked["js_links"] == ["/app/static/vendor/leaflet/leaflet.js", "/app/static/" + name]
    assert inline["js_links"] == ["/app/static/vendor/leaflet/leaflet.js"]
    assert "nkmapLayerSlots = function" in inline["script"] and "nkmapOnlineBase = function" in inline["script"]
    assert "= function" not in linked["script"] and "nkmapSetup(map_div" in linked["script"]
    assert len(linked["script"]) < len(inline["script"]) / 5
    assert offline.remote_assets(mapview.base_map(ds, code_url="/app/static/" + name)) == []

    (tmp_path / name).write_text("stale", encoding="utf-8")  # a half-written or edited copy is written again
    assert mapview.install_map_code(tmp_path) == name and (tmp_path / name).read_text() == mapview.map_code()
    monkeypatch.setattr(mapview.online_base, "SCRIPT", mapview.online_base.SCRIPT + "\n// changed")
    assert mapview.install_map_code(tmp_path) != name  # new code, new name: no browser runs a cached old copy


def test_control_file_is_shared_within_an_epoch_and_has_no_date(ds, tmp_path):
    a = mapview.prepare_slot(ds, "control", dt.date(2020, 10, 5), tmp_path)
    b = mapview.prepare_slot(ds, "control", dt.date(2020, 11, 30), tmp_path)  # no change in between
    c = mapview.prepare_slot(ds, "control", dt.date(2020, 12, 1), tmp_path)  # corridor to the peacekeepers
    assert a.file == b.file != c.file
    fresh = mapview.layer_collection(ds, "control", dt.date(2020, 11, 30))
    stored = json.loads((tmp_path / "cache" / b.file).read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(fresh))  # what the cached file says is true on the later day too
    sides = {
        f["properties"]["style"]["fillColor"] for f in json.loads((tmp_path / "cache" / c.file).read_text())["features"]
    }
    assert "#2e8b57" in sides  # peacekeepers' colour in the manifest


def test_cache_dir_ignores_itself_in_git(ds, tmp_path):
    mapview.prepare_slot(ds, "events", dt.date(2020, 10, 4), tmp_path)
    assert (tmp_path / "cache" / ".gitignore").read_text().strip().endswith("*")


def test_inline_slots_carry_the_data(ds):
    slots = mapview.layer_slots(ds, dt.date(2020, 10, 4), ["control", "events"], static_dir=None)
    ids = [s["id"] for s in slots.slots]
    assert ids == ["control", "changes", "events"]
    events = next(s for s in slots.slots if s["id"] == "events")["data"]["features"]
    assert [f["properties"]["tooltip"].split("<br>")[0] for f in events] == ["Southtown claimed"]
    assert "</script" not in slots.slots_json  # data can never close the script element


def test_display_geometry_is_rounded_and_simplified():
    from shapely.geometry import Polygon

    ring = [(46 + i * 1e-7, 39 + (i % 2) * 1e-7) for i in range(50)] + [(47, 40), (46, 40)]
    simple = mapview.display_geometry(Polygon(ring))
    assert len(simple.exterior.coords) < 10
    assert all(round(x, 5) == x for x, _ in simple.exterior.coords)


def test_missing_dates_are_none_not_the_text_nat():
    """pandas' NaT is a datetime too; as a date string it would read 'NaT' in popups and the panel."""
    import pandas as pd

    from nkmap.web.mapview import row_props

    props = row_props(pd.Series({"claimed_on": pd.NaT, "valid_from": pd.Timestamp("2020-11-09"), "n": float("nan")}))
    assert props == {"claimed_on": None, "valid_from": "2020-11-09", "n": None}
