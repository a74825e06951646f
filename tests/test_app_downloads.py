"""Downloads in the page (nkmap issue 4, item 5) through Streamlit's AppTest, on the synthetic dataset of
export_fixture.py (the south passes to Azerbaijan on 2020-10-04): the buttons' file names and MIME types, the
bytes each makes when clicked (a PNG, an SVG, an HTML map opening on the date, GeoJSON whose control areas put
each known point on the right side), the view, layers and palette carried over, nothing drawn on a date step,
and an animation made with a progress bar.

The page hands st.download_button a callable; Streamlit registers it with its MediaFileManager and calls it when
the button is clicked. The `downloads` fixture records those registrations, so a test can 'click' by calling one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
import streamlit as st
from shapely.geometry import Point, shape
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from export_fixture import CORRIDOR_POINT, NORTH_POINT, SOUTH_POINT, make_geo

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fixture_geo(tmp_path_factory):
    return make_geo(tmp_path_factory.mktemp("downloads") / "geo")


@pytest.fixture
def downloads(monkeypatch):
    """Every deferred download the page registers: file name -> (MIME type, the callable a click runs)."""
    seen: dict[str, tuple[str, object]] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        seen[file_name] = (mimetype, data_callable)
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


@pytest.fixture
def app(fixture_geo, monkeypatch):
    monkeypatch.setenv("NKMAP_GEO", str(fixture_geo))
    st.cache_resource.clear()
    from nkmap.data.dataset import load_dataset
    from nkmap.web.downloads import DownloadCaches

    load_dataset().clear_caches(DownloadCaches)  # files kept from an earlier test

    def make(open_downloads: bool = True, **query) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=90)
        for key, value in query.items():
            at.query_params[key] = value
        if open_downloads:
            at.session_state["downloads_open"] = True  # the user unfolds "Download this map"
        at.run()
        assert not at.exception, at.exception
        return at

    yield make
    st.cache_resource.clear()


def click(downloads: dict, name: str) -> bytes:
    mime, make = downloads[name]
    data = make()
    return data.encode("utf-8") if isinstance(data, str) else data


def side_at(collection: dict, point: tuple[float, float]) -> str:
    hits = [
        f["properties"]["side"]
        for f in collection["features"]
        if f["properties"]["layer"] == "control" and shape(f["geometry"]).contains(Point(point))
    ]
    assert len(hits) == 1, hits
    return hits[0]


def test_buttons_for_the_date_shown_with_their_types(app, downloads):
    at = app(date="2020-10-04")
    assert {b.label for b in at.get("download_button")} >= {"PNG image", "SVG drawing", "GeoJSON data"}
    assert {name: mime for name, (mime, _) in downloads.items()} == {
        "nkmap-2020-10-04.png": "image/png",
        "nkmap-2020-10-04.svg": "image/svg+xml",
        "nkmap-2020-10-04.html": "text/html",
        "nkmap-2020-10-04.geojson": "application/geo+json",
    }


def test_folded_downloads_send_nothing(app, downloads):
    at = app(open_downloads=False, date="2020-10-04")
    assert at.get("download_button") == [] and downloads == {}
    at.button(key="fwd").click().run()
    assert downloads == {}


def test_geojson_sides_follow_the_date(app, downloads):
    at = app(date="2020-10-03")
    before = json.loads(click(downloads, "nkmap-2020-10-03.geojson"))
    at.button(key="fwd").click().run()
    after = json.loads(click(downloads, "nkmap-2020-10-04.geojson"))
    assert before["type"] == after["type"] == "FeatureCollection"
    assert before["date"] == "2020-10-03" and after["date"] == "2020-10-04"
    assert side_at(before, SOUTH_POINT) == "artsakh" and side_at(after, SOUTH_POINT) == "azerbaijan"
    assert side_at(after, NORTH_POINT) == "artsakh" and side_at(after, CORRIDOR_POINT) == "artsakh"
    assert all(f["properties"]["sources"] for f in after["features"])  # nothing without a source


def test_geojson_holds_only_the_visible_layers(app, downloads):
    at = app(date="2020-10-04", layers="control,places")
    data = json.loads(click(downloads, "nkmap-2020-10-04.geojson"))
    assert {f["properties"]["layer"] for f in data["features"]} == {"control", "places"}
    at.checkbox(key="layer_places").uncheck().run()
    data = json.loads(click(downloads, "nkmap-2020-10-04.geojson"))
    assert {f["properties"]["layer"] for f in data["features"]} == {"control"}


def test_png_svg_and_html_are_made_on_click(app, downloads, monkeypatch):
    from nkmap.export import export_static

    drawn = []
    real = export_static.render_static_bytes
    monkeypatch.setattr(export_static, "render_static_bytes", lambda *a, **k: drawn.append(a[2]) or real(*a, **k))
    at = app(date="2020-10-04")
    at.button(key="fwd").click().run()
    at.button(key="back").click().run()
    assert drawn == []  # date steps draw nothing
    png = click(downloads, "nkmap-2020-10-04.png")
    assert png.startswith(PNG_SIGNATURE) and drawn == ["png"]
    from PIL import Image

    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    svg = click(downloads, "nkmap-2020-10-04.svg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg[:400]
    page = click(downloads, "nkmap-2020-10-04.html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    from nkmap.data.dataset import load_dataset

    days = (dt.date(2020, 10, 4) - load_dataset().start).days
    assert f"var NK_INITIAL = {days};" in page  # opens on the date shown


def test_view_layers_and_palette_carry_over(app, downloads, monkeypatch):
    from nkmap.web import downloads as page_downloads

    asked = []
    monkeypatch.setattr(
        page_downloads,
        "snapshot_bytes",
        lambda ds, fmt, day, options, layers: asked.append((fmt, day, options)) or b"x",
    )
    at = app(date="2020-10-04", layers="control,lachin_corridor", palette="high_contrast")
    at.session_state["bounds"] = (46.4, 39.2, 46.9, 39.6)  # what the map reports after the user zoomed in
    at.run()
    click(downloads, "nkmap-2020-10-04.png")
    fmt, day, options = asked[-1]
    assert (fmt, day) == ("png", dt.date(2020, 10, 4))
    assert options.area == (46.4, 39.2, 46.9, 39.6)
    assert options.layers == ("control", "lachin_corridor") and options.palette == "high_contrast"
    at.toggle(key="dl_whole").set_value(True).run()
    click(downloads, "nkmap-2020-10-04.png")
    assert asked[-1][2].area is None  # the whole region


def test_a_view_away_from_the_region_falls_back_with_a_note(app, downloads):
    at = app(date="2020-10-04")
    at.session_state["bounds"] = (10.0, 50.0, 11.0, 51.0)
    at.run()
    assert any("does not show the mapped region" in c.value for c in at.caption)
    assert "nkmap-2020-10-04.png" in downloads


def test_animation_with_progress_bar(app, downloads):
    at = app(date="2020-10-04")
    assert at.date_input(key="anim_start").value == dt.date(2020, 9, 20)  # the play period by default
    at.date_input(key="anim_start").set_value(dt.date(2020, 10, 2))
    at.date_input(key="anim_end").set_value(dt.date(2020, 10, 5)).run()
    assert any("4 frames" in c.value for c in at.caption)
    at.button(key="anim_make").click().run()
    assert not at.exception
    (bar,) = at.get("progress")
    assert bar.proto.value == 100 and "4 frames" in bar.proto.text
    mime, _ = downloads["nkmap-2020-10-02_2020-10-05.gif"]
    assert mime == "image/gif"
    gif = click(downloads, "nkmap-2020-10-02_2020-10-05.gif")
    from PIL import Image

    image = Image.open(io.BytesIO(gif))
    assert gif.startswith(b"GIF89a") and image.n_frames == 4 and image.size == (1280, 720)
    # the file stays offered on the next date step, without being made again
    at.button(key="fwd").click().run()
    assert "nkmap-2020-10-02_2020-10-05.gif" in downloads
    assert [b for b in at.get("download_button") if b.label.startswith("Save nkmap-2020-10-02_2020-10-05.gif")]


def test_mp4_animation(app, downloads):
    at = app(date="2020-10-04")
    at.date_input(key="anim_start").set_value(dt.date(2020, 10, 3))
    at.date_input(key="anim_end").set_value(dt.date(2020, 10, 4))
    at.selectbox(key="anim_fmt").set_value("mp4").run()
    at.button(key="anim_make").click().run()
    assert not at.exception
    mime, _ = downloads["nkmap-2020-10-03_2020-10-04.mp4"]
    video = click(downloads, "nkmap-2020-10-03_2020-10-04.mp4")
    assert mime == "video/mp4" and video[4:8] == b"ftyp" and len(video) > 1000


def test_a_range_that_ends_before_it_starts_is_refused(app, downloads):
    at = app(date="2020-10-04")
    at.date_input(key="anim_start").set_value(dt.date(2020, 10, 5))
    at.date_input(key="anim_end").set_value(dt.date(2020, 10, 2)).run()
    assert not at.exception
    assert any("the end is before the start" in re.sub(r"\\(.)", r"\1", w.value) for w in at.warning)
    assert not [b for b in at.button if b.key == "anim_make"]  # nothing to make


# --------------------------------------------------------------------------------- nkmap.web.downloads alone


def test_bounds_from_the_map_and_bad_reports():
    from nkmap.web.downloads import bounds_from_map

    reported = {"_southWest": {"lat": 39.21234567, "lng": 46.4}, "_northEast": {"lat": 39.6, "lng": 46.9}}
    assert bounds_from_map(reported) == (46.4, 39.2123, 46.9, 39.6)
    assert bounds_from_map(None) is None
    assert bounds_from_map({"_southWest": {"lat": None, "lng": None}, "_northEast": {"lat": None, "lng": None}}) is None
    assert bounds_from_map({"_southWest": {"lat": 40, "lng": 47}, "_northEast": {"lat": 39, "lng": 46}}) is None
    assert bounds_from_map({"_southWest": {"lat": "nan", "lng": 1}, "_northEast": {"lat": 2, "lng": 3}}) is None


def test_a_view_wider_than_the_globe_is_clamped(fixture_geo):
    from nkmap.data.dataset import load_dataset
    from nkmap.web.downloads import view_area

    ds = load_dataset(fixture_geo)
    area, note = view_area(ds, (-400.0, -95.0, 400.0, 95.0))
    assert area == (-180.0, -85.0, 180.0, 85.0) and note is None
    assert view_area(ds, None) == (None, None)


def test_file_names():
    from nkmap.web.downloads import animation_file_name, file_name

    assert file_name(dt.date(2020, 11, 10), "png") == "nkmap-2020-11-10.png"
    assert animation_file_name(dt.date(2020, 9, 20), dt.date(2020, 12, 15), "mp4") == "nkmap-2020-09-20_2020-12-15.mp4"


def test_too_many_frames_for_the_page(fixture_geo):
    from nkmap.data.dataset import load_dataset
    from nkmap.export.export_files import ExportError
    from nkmap.export.export_options import MapOptions
    from nkmap.web.downloads import MAX_APP_FRAMES, animation_bytes

    ds = load_dataset(fixture_geo)
    days = [ds.start + dt.timedelta(days=i) for i in range(MAX_APP_FRAMES + 1)]
    with pytest.raises(ExportError, match="too many to make here"):
        animation_bytes(ds, days, "gif", MapOptions())
