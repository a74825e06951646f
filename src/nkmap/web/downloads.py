"""What the page offers for download: the map of the date shown (PNG, SVG, standalone HTML, GeoJSON) and an
animation of a range (GIF, MP4), with the view on screen, the visible layers and the palette carried over.

Every file is made in the export workers (`nkmap.export.export_jobs.ExportQueue`, one per dataset, shared by all
sessions of the server), never in the page's process: a click asks for the file of (dataset, date, options,
format); the panel shows its place in the queue, "making" with the frames drawn, then the button that saves it.
The button's file is the finished job's bytes, so the same state gives the same file (and the same URL) on every
rerun, and a click is never lost to a rerun: a click on "PNG image" just after a date step is read on the next
run and asks for the date then shown. GeoJSON goes the same way: it takes 0.25 to 1.7 s on the real dataset
(measured), not milliseconds.
"""

from __future__ import annotations

import atexit
import datetime as dt
import math
import threading
from typing import Any

import streamlit as st

from nkmap.data.dataset import Dataset
from nkmap.export.animation_range import DEFAULT_SIZE
from nkmap.export.export_files import ExportError
from nkmap.export.export_jobs import (
    FAILED,
    MAKING,
    QUEUED,
    READY,
    ExportQueue,
    ExportRequest,
    Job,
    QueueFull,
    queue_settings,
)
from nkmap.export.export_options import MapOptions, check_options, view_bounds
from nkmap.export.formats import ANIMATION_FORMATS
from nkmap.model.worded import N_
from nkmap.text.messages import Messages, messages_for

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


def format_labels(m: Messages) -> dict[str, str]:
    """What each file is called on its button, in `m`'s language."""
    return {
        "png": m._("PNG image"),
        "svg": m._("SVG drawing"),
        "html": m._("HTML map (works offline, whole timeline)"),
        "geojson": m._("GeoJSON data"),
        "gif": m._("GIF"),
        "mp4": m._("MP4 video"),
    }


def step_labels(m: Messages) -> dict[str, str]:
    """The animation steps (`STEPS`) in `m`'s language."""
    return {
        "1d": m._("1 day"),
        "2d": m._("2 days"),
        "7d": m._("1 week"),
        "14d": m._("2 weeks"),
        "30d": m._("30 days"),
    }


#: An animation asked for from the page stays under a few minutes of a worker's time (longer: `nkmap export`).
MAX_APP_FRAMES = 400
#: Seconds per frame measured on the 2-core machine (bench/bench_exports.py), for the estimate shown.
SECONDS_PER_FRAME = {"gif": 0.35, "mp4": 0.3}
#: How often a panel with a file queued or being made looks at it again (only then: see `export_rows`).
POLL_S = 0.7

_queues: dict[str, ExportQueue] = {}
_queues_lock = threading.Lock()


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


def view_area(
    ds: Dataset, bounds: tuple[float, float, float, float] | None, lang: str = "en"
) -> tuple[tuple | None, str | None]:
    """The export area for the view on screen: its box clamped to the globe, or (None, why) when there is no
    view yet or it does not overlap the mapped region (the export then shows the whole region)."""
    if bounds is None:
        return None, None
    x0, y0, x1, y1 = bounds
    box = (max(x0, -180.0), max(y0, -85.0), min(x1, 180.0), min(y1, 85.0))
    try:
        return view_bounds(ds, box), None
    except ExportError:
        return None, messages_for(lang)._(
            "The view on screen does not show the mapped region, so downloads show the whole region."
        )


def snapshot_options(
    ds: Dataset, layers: list[str], palette: str, area: tuple | None = None, lang: str = "en"
) -> MapOptions:
    """The export options for what the page shows: visible layers, palette, the area of the view, language."""
    return check_options(ds, MapOptions(layers=tuple(layers), palette=palette, area=area, lang=lang))


def export_queue(ds: Dataset) -> ExportQueue:
    """The export queue of `ds`'s folder, one per server process: every session shares its workers and files."""
    key = str(ds.geo_dir)
    with _queues_lock:
        if key not in _queues:
            _queues[key] = ExportQueue(key, **queue_settings())
        return _queues[key]


def panel_open(ds: Dataset) -> None:
    """This session shows the downloads panel: the export queue has a worker ready for it before it asks."""
    export_queue(ds).warm(session_id())


@atexit.register
def _close_queues() -> None:
    for queue in list(_queues.values()):
        queue.close()


def snapshot_request(ds: Dataset, fmt: str, day: dt.date, options: MapOptions, layers: list[str]) -> ExportRequest:
    """The file of one format for `day`: a static map, the standalone HTML opening on `day`, or the GeoJSON of the
    visible layers' features in force on `day` (data, not cut to the view)."""
    if fmt not in SNAPSHOT_FORMATS:
        raise ExportError(f"unknown download format '{fmt}' (known: {', '.join(SNAPSHOT_FORMATS)})")
    if fmt == "geojson":  # data: the options that shape a picture do not change it
        return ExportRequest(fmt, (day,), layers=tuple(layers))
    return ExportRequest(fmt, (day,), options)


def animation_request(days: list[dt.date], fmt: str, options: MapOptions, fps: float = 4.0) -> ExportRequest:
    """The animation of `days` (1280x720, the period strip under the date)."""
    if fmt not in ANIMATION_FORMATS:
        raise ExportError(f"unknown animation format '{fmt}' (known: {', '.join(ANIMATION_FORMATS)})")
    if len(days) > MAX_APP_FRAMES:
        raise ExportError(
            N_(
                "{frames} frames is too many to make here (at most {most}); choose a longer step or a shorter "
                "range, or use `nkmap export` on the command line"
            ),
            frames=len(days),
            most=MAX_APP_FRAMES,
        )
    sized = options.with_(width=DEFAULT_SIZE[0], height=DEFAULT_SIZE[1], period=(days[0], days[-1]))
    return ExportRequest(fmt, tuple(days), sized, fps=fps)


def session_id() -> str | None:
    """This browser tab's Streamlit session (the queue's per-session bound counts by it)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def size_text(n: int, lang: str = "en") -> str:
    if lang == "en":
        return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{max(1, round(n / 1e3))} kB"
    m = messages_for(lang)
    if n >= 100_000:
        return m._("{size} MB", size=m.number(n / 1e6, 1))
    return m._("{size} kB", size=m.number(max(1, round(n / 1e3))))


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def export_rows(ds: Dataset, rows: list[tuple[str, str, ExportRequest]], lang: str = "en") -> None:
    """One row per file offered (key, label, request): a button that asks for it, its place in the queue, its
    progress while made, then the button that saves it. The rows are a fragment of their own (the map does not
    rerun); a row whose file is queued or being made is a fragment inside it that looks again every POLL_S
    seconds, so asking for a file reruns only the panel, and nothing polls once no file is pending."""
    st.fragment(_rows)(ds, rows, lang)


def _is_pending(job: Job | None) -> bool:
    return job is not None and job.state in (QUEUED, MAKING)


def _rows(ds: Dataset, rows: list[tuple[str, str, ExportRequest]], lang: str = "en") -> None:
    m = messages_for(lang)
    queue = export_queue(ds)
    for key, label, request in rows:
        job = queue.job(request)
        if job is None or job.state == FAILED:
            if job is not None:
                st.warning(job.message, icon=":material/error:")
            asked = st.button(
                label if job is None else m._("{label}: ask again", label=label),
                key=f"ask_{key}",
                use_container_width=True,
                icon=":material/download:",
            )
            if not asked:
                continue
            try:
                job = queue.submit(request, session_id())
            except QueueFull as exc:
                st.info(str(exc), icon=":material/hourglass_empty:")
                continue
        if _is_pending(job):
            # Its own timer: when this panel reruns without it (the file is made), Streamlit stops the timer.
            st.fragment(_pending_row, run_every=POLL_S)(ds, key, label, request, lang)
        else:
            _job_row(queue, key, label, job, lang)


def _pending_row(ds: Dataset, key: str, label: str, request: ExportRequest, lang: str = "en") -> None:
    """A row whose file is queued or being made, drawn again on each poll; once the file is made (or dropped),
    the page reruns, which shows the save button and ends the poll."""
    queue = export_queue(ds)
    job = queue.job(request)
    if not _is_pending(job):
        st.rerun(scope="app")
    assert job is not None
    _job_row(queue, key, label, job, lang)


def _job_row(queue: ExportQueue, key: str, label: str, job: Job, lang: str = "en") -> None:
    m = messages_for(lang)
    request = job.request
    if job.state == READY and job.data is not None:
        st.download_button(
            m._("Save {file} ({size})", file=request.file_name, size=size_text(len(job.data), lang)),
            data=job.data,
            file_name=request.file_name,
            mime=MIME[request.fmt],
            on_click="ignore",
            key=f"dl_{key}",
            use_container_width=True,
            type="primary",
            icon=":material/download:",
        )
    elif job.state == QUEUED:
        place = queue.position(job)
        where = ordinal(place) if lang == "en" else m.number(place)
        st.progress(0.0, text=m._("{label}: waiting, {place} in the queue", label=label, place=where))
    elif job.state == MAKING and job.total:
        drawing = m._("{label}: drawing frame {done} of {total}", label=label, done=job.done, total=job.total)
        st.progress(job.done / job.total, text=drawing)
    else:
        st.progress(0.0, text=m._("{label}: making...", label=label))


def estimate_seconds(frames: int, fmt: str) -> float:
    return frames * SECONDS_PER_FRAME.get(fmt, 0.35)
