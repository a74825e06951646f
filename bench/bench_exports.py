#!/usr/bin/env python3
"""Export benchmark: seconds per PNG, per animation frame, and the size of the whole-timeline HTML.

  .venv/bin/python bench/bench_exports.py [--geo DIR] [--pngs 5] [--frames 30]

Targets on the 2-core machine: under 2 s per PNG (1920x1080, from nothing: layout + date + encoding), under
0.5 s per animation frame (GIF and MP4, 1280x720 and 1920x1080), under 2 MB for the standalone HTML over the
whole timeline. Prints numbers (and OK/OVER against each target); asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from nkmap.data.dataset import load_dataset  # noqa: E402
from nkmap.export.export_animation import animation_days, export_animation  # noqa: E402
from nkmap.export.export_html import render_html_bytes  # noqa: E402
from nkmap.export.export_options import MapOptions  # noqa: E402
from nkmap.export.export_static import figure_bytes, render_png_bytes  # noqa: E402
from nkmap.export.map_figure import MapFigure  # noqa: E402
from nkmap.model.control_pieces import control_pieces  # noqa: E402


def verdict(value: float, target: float) -> str:
    return "OK" if value < target else "OVER"


def pick_dataset(geo: str | None):
    if geo:
        return load_dataset(geo), geo
    real = ROOT / "geo"
    if (real / "control.geojson").is_file():
        return load_dataset(real), str(real)
    from export_fixture import make_geo

    tmp = Path(tempfile.mkdtemp(prefix="nkmap-bench-"))
    print("geo/control.geojson missing: using the synthetic test dataset (figures are not representative)")
    return load_dataset(make_geo(tmp / "geo")), "synthetic"


def spread_dates(ds, n: int) -> list[dt.date]:
    span = (ds.end - ds.start).days
    return [ds.start + dt.timedelta(days=round(span * (i + 0.5) / n)) for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geo", help="dataset directory (default: ./geo)")
    parser.add_argument("--pngs", type=int, default=5)
    parser.add_argument("--frames", type=int, default=30)
    args = parser.parse_args()

    started = time.perf_counter()
    ds, where = pick_dataset(args.geo)
    print(f"dataset: {where} ({(ds.end - ds.start).days + 1} days), loaded in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    pieces = control_pieces(ds)
    print(
        f"control pieces: {len(pieces.geoms)} pieces x {len(pieces.change_dates) + 1} epochs, "
        f"built in {time.perf_counter() - started:.2f} s (once per process)"
    )

    # A PNG from nothing, as the CLI or the app's download button makes it.
    days = spread_dates(ds, args.pngs)
    render_png_bytes(ds, ds.default_date)  # warm-up: fonts and matplotlib caches
    times = []
    for day in days:
        t = time.perf_counter()
        png = render_png_bytes(ds, day)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(
        f"PNG 1920x1080 from nothing: median {med:.2f} s, max {max(times):.2f} s over {len(days)} dates "
        f"({len(png) / 1e3:.0f} kB)  target < 2 s: {verdict(med, 2.0)}"
    )

    # A batch: one layout, many dates.
    fig = MapFigure(ds)
    t = time.perf_counter()
    for day in days:
        figure_bytes(fig.show(day), "png")
    print(f"PNG 1920x1080 in a batch: {(time.perf_counter() - t) / len(days):.2f} s a date")
    for fmt in ("svg", "pdf"):
        t = time.perf_counter()
        data = figure_bytes(fig.show(ds.default_date), fmt)
        print(f"{fmt.upper()} 1920x1080: {time.perf_counter() - t:.2f} s ({len(data) / 1e3:.0f} kB)")

    # Animation frames over the war (or the first days of the timeline).
    start = max(ds.start, dt.date(2020, 9, 27)) if ds.start <= dt.date(2020, 9, 27) <= ds.end else ds.start
    frames = animation_days(ds, start, min(ds.end, start + dt.timedelta(days=args.frames - 1)))
    with tempfile.TemporaryDirectory(prefix="nkmap-bench-") as tmp:
        for fmt, size in (("gif", (1280, 720)), ("mp4", (1280, 720)), ("gif", (1920, 1080)), ("mp4", (1920, 1080))):
            options = MapOptions(width=size[0], height=size[1])
            t = time.perf_counter()
            path = export_animation(ds, frames, fmt, Path(tmp) / f"a.{fmt}", options, fps=4)
            per = (time.perf_counter() - t) / len(frames)
            print(
                f"{fmt.upper()} {size[0]}x{size[1]}: {per:.3f} s a frame over {len(frames)} frames "
                f"({path.stat().st_size / 1e6:.2f} MB)  target < 0.5 s: {verdict(per, 0.5)}"
            )

    # The standalone HTML over the whole timeline.
    t = time.perf_counter()
    html = render_html_bytes(ds)
    size_mb = len(html) / 1e6
    print(
        f"standalone HTML, whole timeline: {size_mb:.2f} MB, built in {time.perf_counter() - t:.2f} s  "
        f"target < 2 MB: {verdict(size_mb, 2.0)}"
    )
    cli_png_peak(args.geo)


def cli_png_peak(geo: str | None) -> None:
    """The peak RSS of one `nkmap export --format png` process (the program, as a user runs it)."""
    import resource
    import subprocess

    nkmap = Path(sys.executable).with_name("nkmap")
    with tempfile.TemporaryDirectory() as tmp:
        command = [str(nkmap), "export", "--date", "2020-11-10", "--format", "png", "-o", f"{tmp}/map.png"]
        subprocess.run(command + (["--geo", geo] if geo else []), check=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child: this one
    print(f"nkmap export --format png: peak RSS {peak_mb:.0f} MB  target < 150 MB: {verdict(peak_mb, 150)}")


if __name__ == "__main__":
    main()
