"""Downloads in the page (nkmap issue 4 item 5, issue 13 item 3) through Streamlit's AppTest, on the synthetic
dataset of export_fixture.py (the south passes to Azerbaijan on 2020-10-04): a click asks the export workers for
the file of the date shown; the panel shows its place in the queue, its frames while it is made, then the button
that saves it (whose bytes a test reads from Streamlit's media store, as the browser would); a full queue and a
refused export are said calmly. The page states use stand-in makers (tests/export_job_makers.py) in real worker
processes; the files themselves come from the real export path.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from pathlib import Path

import pytest
import streamlit as st
from shapely.geometry import Point, shape
from streamlit.testing.v1 import AppTest

import export_job_makers as makers
from export_fixture import CORRIDOR_POINT, NORTH_POINT, SOUTH_POINT, make_geo
from nkmap.export.export_jobs import ExportQueue

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fixture_geo(tmp_path_factory):
    return make_geo(tmp_path_factory.mktemp("downloads") / "geo")


@pytest.fixture
def app(fixture_geo, monkeypatch):
    monkeypatch.setenv("NKMAP_GEO", str(fixture_geo))
    st.cache_resource.clear()

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


@pytest.fixture
def queue(fixture_geo, monkeypatch):
    """The page's export queue for the fixture dataset, fresh for each test (`queue(maker, ...)` for a stand-in)."""
    from nkmap.web import downloads

    made = []

    def make(maker=None, **kwargs) -> ExportQueue:
        """A new queue for the page; without arguments, the one it uses now."""
        if maker is None and not kwargs and made:
            return made[-1]
        if maker is not None:  # (a stand-in makes whole files: no animation in parts)
            kwargs.update(maker=maker, niceness=0, frames_per_part=None)
        q = ExportQueue(str(fixture_geo.resolve()), **kwargs)
        made.append(q)
        monkeypatch.setitem(downloads._queues, str(fixture_geo.resolve()), q)
        return q

    make()
    yield make
    for q in made:
        q.close()


def warmed(queue: ExportQueue) -> None:
    """Wait until the worker the open panel started is ready and free (`ExportQueue.warm`): a test of the queue's
    order starts from free workers, as a pupil who took a moment to choose does."""
    deadline = time.monotonic() + 60
    while not queue.ready_workers() or queue._running:
        assert time.monotonic() < deadline, "the open panel's worker did not start"
        time.sleep(0.05)


def download(at: AppTest, key: str):
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith(f"dl_{key}")]
    return buttons[0] if buttons else None


_media: dict[str, bytes] = {}  # file name -> the bytes last handed to Streamlit's media store for it


@pytest.fixture(autouse=True)
def media_files(monkeypatch):
    """Record what the page's download buttons hand to Streamlit's media store (AppTest drops it after each run)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    original = MediaFileManager.add

    def record(self, path_or_data, mimetype, coordinates, file_name=None, **kwargs):
        _media[file_name] = path_or_data
        return original(self, path_or_data, mimetype, coordinates, file_name=file_name, **kwargs)

    _media.clear()
    monkeypatch.setattr(MediaFileManager, "add", record)


def saved(at: AppTest, key: str) -> tuple[str, bytes]:
    """The label of the save button `dl_<key>` and the bytes it serves."""
    button = download(at, key)
    assert button is not None, [b.label for b in at.get("download_button")]
    name = button.label.split(" ")[1]  # "Save nkmap-2020-10-04.png (1.2 MB)"
    return button.label, _media[name]


def progress_texts(at: AppTest) -> list[str]:
    return [bar.proto.text for bar in at.get("progress")]


def fetch(at: AppTest, key: str, timeout: float = 120) -> tuple[str, bytes]:
    """Ask for a file (the `ask_<key>` button) and rerun, as the panel's timer does, until it can be saved."""
    at.button(key=f"ask_{key}").click().run()
    assert not at.exception, at.exception
    deadline = time.monotonic() + timeout
    while download(at, key) is None:
        assert time.monotonic() < deadline, progress_texts(at)
        assert not [w for w in at.warning if "could not be made" in w.value], [w.value for w in at.warning]
        time.sleep(0.2)
        at.run()
    return saved(at, key)


def side_at(collection: dict, point: tuple[float, float]) -> str:
    hits = [
        f["properties"]["side"]
        for f in collection["features"]
        if f["properties"]["layer"] == "control" and shape(f["geometry"]).contains(Point(point))
    ]
    assert len(hits) == 1, hits
    return hits[0]


def test_buttons_ask_for_the_files_of_the_date_shown(app, queue):
    at = app(date="2020-10-04")
    labels = {b.key: b.label for b in at.button}
    assert labels["ask_png"] == "PNG image" and labels["ask_svg"] == "SVG drawing"
    assert labels["ask_html"].startswith("HTML map") and labels["ask_geojson"] == "GeoJSON data"
    assert labels["ask_animation"] == "GIF animation"
    assert at.get("download_button") == []  # nothing is made before it is asked for


def test_folded_downloads_send_nothing(app, queue):
    at = app(open_downloads=False, date="2020-10-04")
    assert not [b for b in at.button if b.key.startswith("ask_")]
    at.button(key="fwd").click().run()
    assert not [b for b in at.button if b.key.startswith("ask_")] and not queue().pending()
    assert queue().ready_workers() == 0 and queue()._pool is None  # no worker started for a folded panel


def test_opening_the_panel_readies_a_worker_before_a_file_is_asked_for(app, queue):
    at = app(date="2020-10-04")
    deadline = time.monotonic() + 60
    while queue().ready_workers() < 1:  # started in the background while the pupil chooses
        assert time.monotonic() < deadline, "no worker started for the open panel"
        time.sleep(0.1)
    assert not queue().pending()  # nothing asked for yet
    warmed(queue())  # (its warm-up task back: a request sent before would start a process of its own)
    pool = queue()._pool
    name, data = fetch(at, "png")
    assert data.startswith(PNG_SIGNATURE) and queue()._pool is pool and len(pool._processes) == 1


def test_geojson_sides_follow_the_date(app, queue):
    at = app(date="2020-10-03")
    name, data = fetch(at, "geojson")
    before = json.loads(data)
    assert name.startswith("Save nkmap-2020-10-03.geojson")
    at.button(key="fwd").click().run()
    assert download(at, "geojson") is None  # the date changed: the button asks for the new date's file
    name, data = fetch(at, "geojson")
    after = json.loads(data)
    assert name.startswith("Save nkmap-2020-10-04.geojson")
    assert before["type"] == after["type"] == "FeatureCollection"
    assert before["date"] == "2020-10-03" and after["date"] == "2020-10-04"
    assert side_at(before, SOUTH_POINT) == "artsakh" and side_at(after, SOUTH_POINT) == "azerbaijan"
    assert side_at(after, NORTH_POINT) == "artsakh" and side_at(after, CORRIDOR_POINT) == "artsakh"
    assert all(f["properties"]["sources"] for f in after["features"])  # nothing without a source
    at.button(key="back").click().run()
    assert json.loads(saved(at, "geojson")[1])["date"] == "2020-10-03"  # back on a date: its file at once


def test_geojson_holds_only_the_visible_layers(app, queue):
    at = app(date="2020-10-04", layers="control,places")
    data = json.loads(fetch(at, "geojson")[1])
    assert {f["properties"]["layer"] for f in data["features"]} == {"control", "places"}
    at.checkbox(key="layer_places").uncheck().run()
    data = json.loads(fetch(at, "geojson")[1])
    assert {f["properties"]["layer"] for f in data["features"]} == {"control"}


def test_png_svg_and_html_are_made_in_the_workers(app, queue):
    at = app(date="2020-10-04")
    at.button(key="fwd").click().run()
    at.button(key="back").click().run()
    assert not queue().pending()  # date steps ask for nothing
    name, png = fetch(at, "png")
    assert name.startswith("Save nkmap-2020-10-04.png") and png.startswith(PNG_SIGNATURE)
    from PIL import Image

    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    svg = fetch(at, "svg")[1]
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg[:400]
    page = fetch(at, "html")[1].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    from nkmap.data.dataset import load_dataset

    days = (dt.date(2020, 10, 4) - load_dataset().start).days
    assert f"var NK_INITIAL = {days};" in page  # opens on the date shown


def test_view_layers_and_palette_carry_over(app, queue):
    q = queue()
    at = app(date="2020-10-04", layers="control,lachin_corridor", palette="high_contrast")
    at.session_state["bounds"] = (46.4, 39.2, 46.9, 39.6)  # what the map reports after the user zoomed in
    at.run()
    at.button(key="ask_png").click().run()
    (job,) = q.pending()
    assert (job.request.fmt, job.request.days) == ("png", (dt.date(2020, 10, 4),))
    options = job.request.options
    assert options.area == (46.4, 39.2, 46.9, 39.6)
    assert options.layers == ("control", "lachin_corridor") and options.palette == "high_contrast"
    at.toggle(key="dl_whole").set_value(True).run()
    at.button(key="ask_png").click().run()
    assert [j.request.options.area for j in q.pending()][-1] is None  # the whole region


def test_a_view_away_from_the_region_falls_back_with_a_note(app, queue):
    at = app(date="2020-10-04")
    at.session_state["bounds"] = (10.0, 50.0, 11.0, 51.0)
    at.run()
    assert any("does not show the mapped region" in c.value for c in at.caption)
    assert [b for b in at.button if b.key == "ask_png"]


def test_animation_with_its_frames_shown(app, queue):
    at = app(date="2020-10-04")
    assert at.date_input(key="anim_start").value == dt.date(2020, 9, 20)  # the play period by default
    at.date_input(key="anim_start").set_value(dt.date(2020, 10, 2))
    at.date_input(key="anim_end").set_value(dt.date(2020, 10, 5)).run()
    assert any("4 frames" in c.value for c in at.caption)
    name, gif = fetch(at, "animation")
    assert name.startswith("Save nkmap-2020-10-02_2020-10-05.gif")
    from PIL import Image

    image = Image.open(io.BytesIO(gif))
    assert gif.startswith(b"GIF89a") and image.n_frames == 4 and image.size == (1280, 720)
    # the file stays offered on the next date step, without being made again
    at.button(key="fwd").click().run()
    assert saved(at, "animation") == (name, gif)


def test_a_long_animation_is_drawn_in_parts_by_the_workers_and_is_one_file(app, queue):
    queue(frames_per_part=8)  # as NKMAP_EXPORT_FRAMES_PER_PART=8 sets it
    at = app(date="2020-10-04")
    at.date_input(key="anim_start").set_value(dt.date(2020, 9, 28))
    at.date_input(key="anim_end").set_value(dt.date(2020, 10, 9)).run()
    assert any("12 frames" in c.value for c in at.caption)
    at.button(key="ask_animation").click().run()
    (job,) = queue().pending()  # (the queue just made)
    assert job.parts == ((0, 8), (8, 12))  # two workers draw it
    seen = set()
    deadline = time.monotonic() + 120
    while download(at, "animation") is None:
        assert time.monotonic() < deadline, progress_texts(at)
        seen.update(re.findall(r"drawing frame (\d+) of 12", " ".join(progress_texts(at))))
        time.sleep(0.05)
        at.run()
    assert seen, "no frame count was shown while the animation was drawn"
    name, gif = saved(at, "animation")
    assert name.startswith("Save nkmap-2020-09-28_2020-10-09.gif")
    from PIL import Image

    assert Image.open(io.BytesIO(gif)).n_frames == 12


def test_mp4_animation(app, queue):
    at = app(date="2020-10-04")
    at.date_input(key="anim_start").set_value(dt.date(2020, 10, 3))
    at.date_input(key="anim_end").set_value(dt.date(2020, 10, 4))
    at.selectbox(key="anim_fmt").set_value("mp4").run()
    name, video = fetch(at, "animation")
    assert name.startswith("Save nkmap-2020-10-03_2020-10-04.mp4")
    assert video[4:8] == b"ftyp" and len(video) > 1000


def test_a_range_that_ends_before_it_starts_is_refused(app, queue):
    at = app(date="2020-10-04")
    at.date_input(key="anim_start").set_value(dt.date(2020, 10, 5))
    at.date_input(key="anim_end").set_value(dt.date(2020, 10, 2)).run()
    assert not at.exception
    assert any("the end is before the start" in re.sub(r"\\(.)", r"\1", w.value) for w in at.warning)
    assert not [b for b in at.button if b.key == "ask_animation"]  # nothing to make


# ------------------------------------------------------------------- the page's states, with stand-in makers


def test_queued_then_making_with_frames_then_ready(app, queue, tmp_path, monkeypatch):
    gate = tmp_path / "go"
    monkeypatch.setattr("nkmap.web.downloads.snapshot_request", _gated_snapshot(gate))
    monkeypatch.setattr("nkmap.web.downloads.animation_request", _gated_animation(gate))
    queue(makers.gated, workers=1)
    at = app(date="2020-10-04")
    warmed(queue())
    at.date_input(key="anim_start").set_value(dt.date(2020, 10, 2))
    at.date_input(key="anim_end").set_value(dt.date(2020, 10, 5)).run()
    at.button(key="ask_animation").click().run()
    at.button(key="ask_png").click().run()
    assert not at.exception, at.exception
    deadline = time.monotonic() + 60
    while "GIF animation: drawing frame 1 of 4" not in " ".join(progress_texts(at)):
        assert time.monotonic() < deadline, progress_texts(at)
        time.sleep(0.1)
        at.run()
    assert "PNG image: waiting, 1st in the queue" in progress_texts(at)
    gate.touch()
    deadline = time.monotonic() + 60
    while download(at, "png") is None or download(at, "animation") is None:
        assert time.monotonic() < deadline, progress_texts(at)
        time.sleep(0.1)
        at.run()
    assert progress_texts(at) == []
    assert saved(at, "png")[0].startswith("Save nkmap-2020-10-04.png")


def test_a_full_queue_says_so_politely(app, queue, tmp_path, monkeypatch):
    gate = tmp_path / "go"
    monkeypatch.setattr("nkmap.web.downloads.snapshot_request", _gated_snapshot(gate))
    q = queue(makers.gated, workers=1, max_jobs=1)
    at = app(date="2020-10-04")
    at.button(key="ask_png").click().run()
    at.button(key="ask_svg").click().run()
    assert not at.exception, at.exception
    (note,) = [i.value for i in at.info]
    assert "queue of files to make is full" in note and "Please ask again in a minute" in note
    assert [b for b in at.button if b.key == "ask_svg"]  # it can be asked again
    gate.touch()
    while q.pending():
        time.sleep(0.1)


def test_a_refused_export_is_a_warning_with_a_way_to_ask_again(app, queue):
    queue(makers.refuses)
    at = app(date="2020-10-04")
    at.button(key="ask_png").click().run()
    deadline = time.monotonic() + 60
    while not at.warning:
        assert time.monotonic() < deadline
        time.sleep(0.1)
        at.run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("The file could not be made: the range") and "Traceback" not in warning
    assert at.button(key="ask_png").label == "PNG image: ask again"


def _gated_snapshot(gate):
    from nkmap.export.export_jobs import ExportRequest

    return lambda ds, fmt, day, options, layers: ExportRequest(fmt, (day,), layers=(str(gate),))


def _gated_animation(gate):
    from nkmap.export.export_jobs import ExportRequest

    return lambda days, fmt, options: ExportRequest(fmt, tuple(days), layers=(str(gate),))


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
    from nkmap.web.downloads import MAX_APP_FRAMES, animation_request

    ds = load_dataset(fixture_geo)
    days = [ds.start + dt.timedelta(days=i) for i in range(MAX_APP_FRAMES + 1)]
    with pytest.raises(ExportError, match="too many to make here"):
        animation_request(days, "gif", MapOptions())
    assert animation_request(days[:3], "gif", MapOptions()).options.width == 1280
