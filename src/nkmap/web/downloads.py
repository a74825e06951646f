"""What the page offers for download: the map of the date shown (PNG, SVG, standalone HTML, GeoJSON) and an
animation of a range (GIF, MP4), with the view on screen, the visible layers and the palette carried over.

The page hands `st.download_button` a callable (`deferred`), so nothing is drawn until someone clicks: a date step
only registers four small closures. Drawing is serialised by one lock (matplotlib figures are not meant to be drawn
by several threads at once, and two maps at a time would double the memory on a small server), and the last few
files are kept so a second click on the same button is immediate.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nkmap.data.dataset import Dataset
from nkmap.export.export_files import ExportError
from nkmap.export.export_geojson import geojson_bytes
from nkmap.export.export_html import render_html
from nkmap.export.export_options import MapOptions, check_options, view_bounds
from nkmap.export.formats import ANIMATION_FORMATS

#: The snapshots the page offers (of nkmap.export.formats; PDF is left to the command line).
SNAPSHOT_FORMATS = ("png", "svg", "html", "geojson")
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "geojson": "application/geo+json",
    "gif": "image/gif",
    "mp4": "video/mp4",
}
LABELS = {
    "png": "PNG image",
    "svg": "SVG drawing",
    "html": "HTML map (works offline, whole timeline)",
    "geojson": "GeoJSON data",
    "gif": "GIF",
    "mp4": "MP4 video",
}
#: Steps offered for an animation (days between frames).
STEPS = (("1d", "1 day"), ("2d", "2 days"), ("7d", "1 week"), ("14d", "2 weeks"), ("30d", "30 days"))
#: The page makes animations in the server's own process: keep one well under a few minutes.
MAX_APP_FRAMES = 400
#: Seconds per frame measured on the 2-core machine (bench/bench_exports.py), for the estimate shown.
SECONDS_PER_FRAME = {"gif": 0.35, "mp4": 0.3}
KEEP = 6  # files kept per dataset

_draw_lock = threading.Lock()
_cache_lock = threading.Lock()


def file_name(day: dt.date, fmt: str) -> str:
    """'nkmap-2020-11-10.png'."""
    return f"nkmap-{day.isoformat()}.{fmt}"


def animation_file_name(start: dt.date, end: dt.date, fmt: str) -> str:
    """'nkmap-2020-09-20_2020-12-15.gif'."""
    return f"nkmap-{start.isoformat()}_{end.isoformat()}.{fmt}"


def bounds_from_map(value: Any) -> tuple[float, float, float, float] | None:
    """(lon_min, lat_min, lon_max, lat_max) from st_folium's returned `bounds`, or None when the map has not
    reported a usable one."""
    if not isinstance(value, dict):
        return None
    try:
        sw, ne = value["_southWest"], value["_northEast"]
        box = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (TypeError, KeyError, ValueError):
        return None
    if not all(math.isfinite(v) for v in box) or box[0] >= box[2] or box[1] >= box[3]:
        return None
    return tuple(round(v, 4) for v in box)  # type: ignore[return-value]


def view_area(ds: Dataset, bounds: tuple[float, float, float, float] | None) -> tuple[tuple | None, str | None]:
    """The export area for the view on screen: its box clamped to the globe, or (None, why) when there is no
    view yet or it does not overlap the mapped region (the export then shows the whole region)."""
    if bounds is None:
        return None, None
    x0, y0, x1, y1 = bounds
    box = (max(x0, -180.0), max(y0, -85.0), min(x1, 180.0), min(y1, 85.0))
    try:
        return view_bounds(ds, box), None
    except ExportError:
        return None, "The view on screen does not show the mapped region, so downloads show the whole region."


def snapshot_options(
    ds: Dataset, layers: list[str], palette: str, area: tuple | None = None, lang: str = "en"
) -> MapOptions:
    """The export options for what the page shows: visible layers, palette, the area of the view, language."""
    return check_options(ds, MapOptions(layers=tuple(layers), palette=palette, area=area, lang=lang))


def _memo(ds: Dataset, key: tuple, make: Callable[[], bytes]) -> bytes:
    """The file for `key`, made once (under the drawing lock) and kept among the last KEEP files."""
    with _cache_lock:
        cache = ds.caches(DownloadCaches).files
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    with _draw_lock:
        with _cache_lock:
            if key in cache:  # another click made it while this one waited
                return cache[key]
        data = make()
        with _cache_lock:
            cache[key] = data
            while len(cache) > KEEP:
                cache.popitem(last=False)
        return data


def snapshot_bytes(ds: Dataset, fmt: str, day: dt.date, options: MapOptions, layers: list[str]) -> bytes:
    """The file of one format for `day`: a static map, the standalone HTML opening on `day`, or the GeoJSON of the
    visible layers' features in force on `day` (data, not cut to the view)."""
    if fmt in ("png", "svg"):
        # imported here, not at the top: matplotlib would add ~0.33 s to every app start (measured)
        from nkmap.export.export_static import render_static_bytes

        return _memo(ds, (fmt, day, options), lambda: render_static_bytes(ds, day, fmt, options))
    if fmt == "html":
        return _memo(ds, (fmt, day, options), lambda: html_bytes(ds, day, options))
    if fmt == "geojson":
        return _memo(ds, (fmt, day, tuple(layers)), lambda: geojson_bytes(ds, day, list(layers)))
    raise ExportError(f"unknown download format '{fmt}' (known: {', '.join(SNAPSHOT_FORMATS)})")


def html_bytes(ds: Dataset, day: dt.date, options: MapOptions) -> bytes:
    """The standalone HTML map (the whole timeline) opening on `day`, as export_html.export_html writes it."""
    page = render_html(ds, options)
    return page.replace("/*INITIAL*/null", str((day - ds.start).days), 1).encode("utf-8")


def deferred(ds: Dataset, fmt: str, day: dt.date, options: MapOptions, layers: list[str]) -> Callable[[], bytes]:
    """A no-argument callable making the file when the button is clicked (for st.download_button's `data`)."""
    layers = list(layers)
    return lambda: snapshot_bytes(ds, fmt, day, options, layers)


def animation_bytes(
    ds: Dataset,
    days: list[dt.date],
    fmt: str,
    options: MapOptions,
    progress: Callable[[int, int], None] | None = None,
    fps: float = 4.0,
) -> bytes:
    """The animation of `days` (1280x720, the period strip under the date), reporting each frame to `progress`."""
    # imported here, not at the top: matplotlib would add ~0.33 s to every app start (measured)
    from nkmap.export.export_animation import DEFAULT_SIZE, render_animation_bytes

    if fmt not in ANIMATION_FORMATS:
        raise ExportError(f"unknown animation format '{fmt}' (known: {', '.join(ANIMATION_FORMATS)})")
    if len(days) > MAX_APP_FRAMES:
        raise ExportError(
            f"{len(days)} frames is too many to make here (at most {MAX_APP_FRAMES}); choose a "
            "longer step or a shorter range, or use `nkmap export` on the command line"
        )
    sized = options.with_(width=DEFAULT_SIZE[0], height=DEFAULT_SIZE[1])
    with _draw_lock:
        return render_animation_bytes(ds, days, fmt, sized, fps, progress)


def estimate_seconds(frames: int, fmt: str) -> float:
    return frames * SECONDS_PER_FRAME.get(fmt, 0.35)


@dataclass
class DownloadCaches:
    """`Dataset.caches(DownloadCaches)`."""

    # (format, date, options ...) -> the file's bytes: the last KEEP files made, least recently asked for first
    files: OrderedDict[tuple, bytes] = field(default_factory=OrderedDict)
