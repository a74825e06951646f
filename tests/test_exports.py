"""Map exports as a user gets them: files of the asked kind and size that show the right thing on the right date,
reproducible bytes, a standalone HTML that works in a browser with no network, animations with the expected
frames, and bad input that ends in one clear line, exit 2 and no file left behind.

Most tests use a synthetic dataset of boxes (tests/export_fixture.py) whose sides are known on every date
without the code under test; the ones marked `real` run on the committed geo/ when its control layer is there.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from export_fixture import CORRIDOR_POINT, EAST_POINT, NORTH_POINT, SOUTH_POINT, make_geo
from nkmap import cli
from nkmap.data.dataset import default_geo_dir, load_dataset
from nkmap.export.export_animation import animation_days, export_animation, parse_step, render_animation_bytes
from nkmap.export.export_files import ExportError
from nkmap.export.export_html import render_html, render_html_bytes
from nkmap.export.export_options import MapOptions
from nkmap.export.export_static import export_static, figure_bytes, render_png_bytes, render_static_bytes
from nkmap.export.map_figure import MapFigure
from nkmap.model.control_pieces import control_pieces, piece_areas_km2
from nkmap.model.timeline import areas_on, control_on, region_geometry

D = dt.date
ROOT = Path(__file__).resolve().parents[1]
SMALL = MapOptions(width=960, height=540, dpi=100)


@pytest.fixture(scope="module")
def geo(tmp_path_factory) -> Path:
    return make_geo(tmp_path_factory.mktemp("geo"))


@pytest.fixture(scope="module")
def ds(geo):
    return load_dataset(geo)


def real_dataset():
    geo = default_geo_dir()  # the committed geo/ (or $NKMAP_GEO)
    if not (geo / "control.geojson").is_file():
        pytest.skip("geo/control.geojson is not built yet")
    return load_dataset(geo)


def side_rgb(ds, side: str) -> np.ndarray:
    return np.array([int(ds.sides[side]["color"][i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def nearest_side(ds, rgb: np.ndarray) -> str:
    """Which side's colour (as drawn, i.e. lightened over the land colour) a pixel is closest to in hue terms."""
    land = np.array([0xF2, 0xEF, 0xE9], dtype=float)
    best, best_d = None, None
    for side in ds.sides:
        # The pixel is alpha*colour + (1-alpha)*land for some alpha; project onto that line and measure the rest.
        c = side_rgb(ds, side) - land
        t = float(np.clip(np.dot(rgb - land, c) / np.dot(c, c), 0, 1))
        d = float(np.linalg.norm(rgb - land - t * c)) + (200 if t < 0.25 else 0)
        if best_d is None or d < best_d:
            best, best_d = side, d
    return best


def pixel(png: bytes, xy: tuple[float, float], radius: int = 3) -> np.ndarray:
    """Median colour of a small patch around a pixel (robust against a label edge or a line)."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
    x, y = int(round(xy[0])), int(round(xy[1]))
    patch = image[y - radius : y + radius + 1, x - radius : x + radius + 1].reshape(-1, 3)
    return np.median(patch, axis=0)


def side_at(ds, fig: MapFigure, png: bytes, lonlat: tuple[float, float]) -> str:
    return nearest_side(ds, pixel(png, fig.pixel_of(*lonlat)))


# ----------------------------------------------------------------------------------------------- static maps


def test_png_has_the_asked_size_and_is_a_real_picture(ds):
    png = render_png_bytes(ds, D(2020, 11, 10))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1920, 1080)
    rgb = np.asarray(image.convert("RGB"))
    colours = len(np.unique(rgb.reshape(-1, 3), axis=0))
    assert colours > 50, f"only {colours} colours: a blank or nearly blank image"
    assert rgb.std() > 20

    png = render_png_bytes(ds, D(2020, 11, 10), MapOptions(width=1000, height=1400, dpi=200))
    assert Image.open(io.BytesIO(png)).size == (1000, 1400)


@pytest.mark.parametrize(
    "lonlat, day, side",
    [
        (SOUTH_POINT, D(2020, 10, 3), "artsakh"),
        (SOUTH_POINT, D(2020, 10, 4), "azerbaijan"),
        (NORTH_POINT, D(2023, 9, 19), "artsakh"),
        (NORTH_POINT, D(2023, 9, 20), "azerbaijan"),
        (EAST_POINT, D(2020, 9, 1), "azerbaijan"),
        (CORRIDOR_POINT, D(2020, 11, 30), "artsakh"),
        (CORRIDOR_POINT, D(2020, 12, 1), "peacekeepers"),
    ],
)
def test_png_shows_who_held_a_known_point(ds, lonlat, day, side):
    fig = MapFigure(ds, SMALL)
    png = figure_bytes(fig.show(day), "png")
    assert side_at(ds, fig, png, lonlat) == side


def test_one_figure_shows_each_date_of_a_batch_correctly(ds):
    """The batch path reuses one laid-out figure: a later date must not keep an earlier date's colours."""
    fig = MapFigure(ds, SMALL)
    seen = [
        side_at(ds, fig, figure_bytes(fig.show(day), "png"), SOUTH_POINT)
        for day in (D(2020, 10, 3), D(2020, 10, 4), D(2020, 10, 3))
    ]
    assert seen == ["artsakh", "azerbaijan", "artsakh"]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_same_input_gives_the_same_file(ds, fmt):
    first = render_static_bytes(ds, D(2020, 12, 1), fmt, SMALL)
    second = render_static_bytes(ds, D(2020, 12, 1), fmt, SMALL)
    assert first == second
    assert render_static_bytes(ds, D(2020, 12, 2), fmt, SMALL) != first, "the date must show in the file"


def test_svg_and_pdf_are_valid_and_sized(ds):
    import xml.etree.ElementTree as ET

    svg = render_static_bytes(ds, D(2020, 11, 10), "svg", MapOptions(width=1920, height=1080, dpi=150))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert float(root.get("width").rstrip("pt")) == pytest.approx(1920 / 150 * 72)
    assert float(root.get("height").rstrip("pt")) == pytest.approx(1080 / 150 * 72)
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 50

    pdf = render_static_bytes(ds, D(2020, 11, 10), "pdf", MapOptions(width=1920, height=1080, dpi=150))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box and float(box.group(1)) == pytest.approx(921.6) and float(box.group(2)) == pytest.approx(518.4)


@pytest.mark.parametrize("lang", ["en", "az", "hy", "ru"])
def test_labels_in_each_language_have_their_glyphs(ds, lang):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_png_bytes(ds, D(2020, 11, 10), SMALL.with_(lang=lang))
    missing = [str(w.message) for w in caught if "missing from" in str(w.message).lower()]
    assert missing == [], f"glyphs missing for {lang}: {missing[:3]}"
    assert Image.open(io.BytesIO(png)).size == (960, 540)


def test_languages_draw_different_labels(ds):
    en = np.asarray(Image.open(io.BytesIO(render_png_bytes(ds, D(2020, 11, 10), SMALL))).convert("L"))
    hy = np.asarray(Image.open(io.BytesIO(render_png_bytes(ds, D(2020, 11, 10), SMALL.with_(lang="hy")))).convert("L"))
    panel = slice(int(960 * 0.75), 960)
    assert (en[:, panel] != hy[:, panel]).mean() > 0.02


def test_area_option_zooms_the_map(ds):
    wide = MapFigure(ds, SMALL.with_(area="caucasus"))
    narrow = MapFigure(ds, SMALL.with_(area="46.7,39.2,46.8,39.3"))
    width = lambda fig: fig.extent[2] - fig.extent[0]  # noqa: E731
    assert width(wide) > 10 * width(narrow)
    # The asked box is inside what is shown.
    x0, y0 = narrow.pixel_of(46.7, 39.2)
    x1, y1 = narrow.pixel_of(46.8, 39.3)
    assert 0 <= x0 < x1 <= 960 and 0 <= y1 < y0 <= 540


def test_batch_writes_one_file_per_date(ds, tmp_path):
    days = [D(2020, 10, 3), D(2020, 10, 4)]
    paths = export_static(ds, days, "png", tmp_path / "map.png", SMALL)
    assert [p.name for p in paths] == ["map-2020-10-03.png", "map-2020-10-04.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map-2020-10-03.png", "map-2020-10-04.png"]
    assert paths[0].read_bytes() != paths[1].read_bytes()


# -------------------------------------------------------------------------------------------------- control


def test_pieces_add_up_to_the_areas_of_every_epoch(ds):
    pieces = control_pieces(ds)
    areas = piece_areas_km2(pieces, within=region_geometry(ds))  # the figures count the modelled region only
    for day in [ds.start, *pieces.change_dates]:
        idx = pieces.side_index_on(day)
        expected = areas_on(ds, day)
        for i, side in enumerate(pieces.sides):
            assert areas[idx == i].sum() == pytest.approx(expected[side], rel=0.005, abs=1.0), (day, side)


def test_real_pieces_add_up_to_the_areas_of_every_epoch():
    ds = real_dataset()
    test_pieces_add_up_to_the_areas_of_every_epoch(ds)


def test_real_png_shows_a_change_on_its_date():
    """A point inside the first change area of the war: its colour on the eve and on the day, from control_on."""
    import shapely

    ds = real_dataset()
    pieces = control_pieces(ds)
    day = min(d for d in pieces.change_dates if d >= D(2020, 9, 27))
    changes = ds.layers["control"]
    change = changes[(changes["role"] == "change") & (changes["valid_from"] == day)].iloc[0]
    point = shapely.point_on_surface(change.geometry.buffer(-0.01) or change.geometry)
    fig = MapFigure(ds, MapOptions(width=1280, height=720, dpi=100))

    def held(on):
        frame = control_on(ds, on)
        return next(s for s, g in zip(frame["side"], frame.geometry) if g.contains(point))

    for on in (day - dt.timedelta(days=1), day):
        png = figure_bytes(fig.show(on), "png")
        assert side_at(ds, fig, png, (point.x, point.y)) == held(on), on
    assert held(day - dt.timedelta(days=1)) != held(day)


# ------------------------------------------------------------------------------------------------ animations


def test_gif_has_one_frame_per_step_with_the_date_changing(ds, tmp_path):
    days = animation_days(ds, D(2020, 10, 1), D(2020, 10, 7), parse_step("2d"))
    assert days == [D(2020, 10, 1), D(2020, 10, 3), D(2020, 10, 5), D(2020, 10, 7)]
    opts = SMALL
    path = export_animation(ds, days, "gif", tmp_path / "war.gif", opts, fps=5)
    gif = Image.open(path)
    assert gif.format == "GIF" and gif.size == (960, 540)
    assert gif.n_frames == len(days)
    fig = MapFigure(ds, opts.with_(period=(days[0], days[-1])))
    sides = []
    for i in range(gif.n_frames):
        gif.seek(i)
        buf = io.BytesIO()
        gif.convert("RGB").save(buf, format="PNG")
        sides.append(side_at(ds, fig, buf.getvalue(), SOUTH_POINT))
    assert sides == ["artsakh", "artsakh", "azerbaijan", "azerbaijan"]
    gif.seek(0)
    assert gif.info.get("duration") == 200  # 5 fps


def test_mp4_is_a_video_with_the_expected_frames(ds, tmp_path):
    import imageio_ffmpeg

    days = animation_days(ds, D(2020, 10, 1), D(2020, 10, 10))
    path = export_animation(ds, days, "mp4", tmp_path / "war.mp4", SMALL, fps=5)
    data = path.read_bytes()
    assert data[4:8] == b"ftyp"
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert frames == len(days) == 10
    assert seconds == pytest.approx(2.0, abs=0.05)
    assert [p.name for p in tmp_path.iterdir()] == ["war.mp4"]


def test_app_animation_bytes_report_progress(ds):
    calls = []
    days = animation_days(ds, D(2020, 10, 2), D(2020, 10, 4))
    data = render_animation_bytes(
        ds, days, "gif", SMALL, fps=2, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert Image.open(io.BytesIO(data)).n_frames == 3


# ------------------------------------------------------------------------------------------ CLI and bad input


def run_cli(geo: Path, *args: str) -> int:
    return cli.main(["--geo", str(geo), "export", *args])


def test_cli_writes_each_format(geo, tmp_path, capsys):
    for fmt in ("png", "svg", "pdf", "html"):
        out = tmp_path / f"map.{fmt}"
        assert run_cli(geo, "--format", fmt, "--date", "2020-11-10", "--size", "800x450", "--output", str(out)) == 0
        assert out.stat().st_size > 1000
    assert Image.open(tmp_path / "map.png").size == (800, 450)
    out = tmp_path / "anim.gif"
    assert (
        run_cli(
            geo,
            "--format",
            "gif",
            "--start",
            "2020-10-01",
            "--end",
            "2020-10-05",
            "--size",
            "640x360",
            "--output",
            str(out),
        )
        == 0
    )
    assert Image.open(out).n_frames == 5
    err = capsys.readouterr().err
    assert "5/5 frames" in err, "the terminal shows a progress bar"


def test_cli_key_dates_batch(geo, ds, tmp_path):
    assert (
        run_cli(geo, "--format", "png", "--key-dates", "--size", "640x360", "--output", str(tmp_path / "kd-{date}.png"))
        == 0
    )
    expected = sorted(f"kd-{k.date.isoformat()}.png" for k in ds.key_dates)
    assert sorted(p.name for p in tmp_path.iterdir()) == expected


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "bmp", "--date", "2020-11-10"], "unknown format 'bmp'"),
        (["--format", "png", "--date", "2031-01-01"], "outside the timeline"),
        (["--format", "png", "--date", "10/11/2020"], "not a date"),
        (["--format", "gif", "--start", "2020-10-05", "--end", "2020-10-01"], "has no days"),
        (["--format", "gif", "--start", "2020-10-05"], "--start YYYY-MM-DD and --end"),
        (["--format", "png", "--date", "2020-11-10", "--size", "big"], "WIDTHxHEIGHT"),
        (["--format", "png", "--date", "2020-11-10", "--lang", "fr"], "unknown label language"),
        (["--format", "png", "--date", "2020-11-10", "--area", "mars"], "unknown area 'mars'"),
        (["--format", "gif", "--start", "2020-10-01", "--end", "2020-10-05", "--step", "0d"], "step '0d'"),
    ],
)
def test_bad_input_is_one_clear_line_and_no_file(geo, tmp_path, capsys, args, message):
    out = tmp_path / "out.bin"
    code = run_cli(geo, *args, "--output", str(out))
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_refused_before_any_work(geo, tmp_path, capsys):
    assert (
        run_cli(geo, "--format", "png", "--date", "2020-11-10", "--output", str(tmp_path / "no" / "such" / "x.png"))
        == 2
    )
    assert "does not exist" in capsys.readouterr().err
    assert run_cli(geo, "--format", "png", "--date", "2020-11-10", "--output", str(tmp_path)) == 2
    assert "is a directory" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_animation_leaves_nothing_behind(ds, tmp_path, monkeypatch):
    real_show = MapFigure.show
    calls = []

    def failing_show(self, day):
        calls.append(day)
        if len(calls) == 3:
            raise RuntimeError("disk gone")
        return real_show(self, day)

    monkeypatch.setattr(MapFigure, "show", failing_show)
    days = animation_days(ds, D(2020, 10, 1), D(2020, 10, 6))
    for fmt in ("gif", "mp4"):
        calls.clear()
        with pytest.raises(RuntimeError):
            export_animation(ds, days, fmt, tmp_path / f"a.{fmt}", SMALL)
        assert list(tmp_path.iterdir()) == [], f"{fmt}: a partial file was left"


def test_existing_file_survives_a_failed_export(ds, tmp_path):
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    with pytest.raises(ExportError):
        export_static(ds, [D(2020, 11, 10)], "png", target, SMALL.with_(area="nowhere"))
    assert target.read_bytes() == b"old"


# --------------------------------------------------------------------------------------------- standalone HTML


def test_html_is_self_contained(ds):
    page = render_html(ds)
    assert not re.search(r"<script[^>]+src=", page), "scripts must be inline"
    assert not re.search(r"<link[^>]+href=", page), "stylesheets must be inline"
    assert not re.search(r"url\((?!data:|#)", page.split("<script")[0]), "CSS images must be inline"
    assert "Leaflet 1.9.4" in page and "BSD-2" in page
    data = json.loads(re.search(r'<script id="nk-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["days"] == (ds.end - ds.start).days
    assert len(data["control"]["assign"]) == len(control_pieces(ds).change_dates) + 1


def test_html_escapes_text_from_the_data(ds):
    page = render_html_bytes(ds).decode("utf-8")
    assert "Claimed <b>by</b>" not in page  # summary_en of a synthetic event carries markup
    assert "Claimed &lt;b&gt;by&lt;/b&gt; Azerbaijan" in page


def expect(locator):
    from playwright.sync_api import expect as pw_expect

    return pw_expect(locator)


def open_offline(chromium, path: Path, hash_date: str = ""):
    """The file in a fresh page where every request that is not to the file itself is aborted."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    blocked: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri() + hash_date)
    page.wait_for_function("window.nkmap !== undefined")
    return context, page, blocked, errors


def browser_side_at(ds, page, lonlat) -> str:
    """The side whose colour the browser shows at a lon/lat (from a real screenshot of the page)."""
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.nkmap.map.latLngToContainerPoint([lat, lon]);"
        " const r = document.getElementById('map').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
        [lonlat[1], lonlat[0]],
    )
    return nearest_side(ds, pixel(page.screenshot(), (x, y)))


def side_shown(ds, page, lonlat, expected: str, timeout: float = 5.0) -> str:
    """The side the page shows at a point, polled until it is `expected` or the timeout passes (a busy machine
    may paint a frame late); returns what was last seen, for the assertion to report."""
    import time

    deadline = time.monotonic() + timeout
    seen = browser_side_at(ds, page, lonlat)
    while seen != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        seen = browser_side_at(ds, page, lonlat)
    return seen


@pytest.mark.browser
def test_html_works_offline_and_its_slider_changes_the_map(ds, chromium, tmp_path):
    path = tmp_path / "nkmap.html"
    path.write_bytes(render_html_bytes(ds))
    context, page, blocked, errors = open_offline(chromium, path, "#2020-10-03")
    try:
        assert blocked == [] and errors == []
        expect(page.locator("#nk-date")).to_have_text("3 October 2020")
        assert page.locator(".leaflet-nk-control-pane path").count() == len(control_pieces(ds).geoms)
        assert side_shown(ds, page, SOUTH_POINT, "artsakh") == "artsakh"
        # A keyboard user steps the slider one day on: 4 October, the day the south was claimed.
        slider = page.locator("#nk-slider")
        slider.focus()
        page.keyboard.press("ArrowRight")
        expect(page.locator("#nk-date")).to_have_text("4 October 2020")
        assert side_shown(ds, page, SOUTH_POINT, "azerbaijan") == "azerbaijan"
        assert page.evaluate("location.hash").startswith("#date=2020-10-04&layers=")
        # The legend follows with the areas of the day.
        km2 = page.locator("#nk-area-1").inner_text().replace("\u202f", "")
        assert int(km2) == round(areas_on(ds, D(2020, 10, 4))["azerbaijan"])
        # A popup names the source of the change that put the area on that side.
        x, y = page.evaluate(
            "([lat, lon]) => { const p = window.nkmap.map.latLngToContainerPoint([lat, lon]);"
            " const r = document.getElementById('map').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
            [SOUTH_POINT[1] + 0.1, SOUTH_POINT[0] + 0.2],
        )
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "chg-south" in popup.inner_text() or "Sources" in popup.inner_text()
        assert "Synthetic test data" in popup.inner_text()
        # The key-date menu jumps to the corridor handover.
        page.locator("#nk-jump").select_option(str((D(2020, 12, 1) - ds.start).days))
        expect(page.locator("#nk-date")).to_have_text("1 December 2020")
        assert side_shown(ds, page, CORRIDOR_POINT, "peacekeepers") == "peacekeepers"
        assert blocked == [] and errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_real_html_draws_offline(chromium, tmp_path):
    ds = real_dataset()
    path = tmp_path / "nkmap.html"
    path.write_bytes(render_html_bytes(ds))
    context, page, blocked, errors = open_offline(chromium, path)
    try:
        assert blocked == [] and errors == []
        drawn = page.evaluate("document.querySelectorAll('.leaflet-nk-control-pane path[fill]').length")
        assert drawn == len(control_pieces(ds).geoms)
        shown = page.locator("#nk-date").inner_text()
        assert shown.endswith(str(ds.default_date.year))
        out = ROOT / "out" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / "standalone-html.png"))
    finally:
        context.close()
