"""What runs inside an export worker process (see export_jobs.py): its start, and making one file.

Imports nothing heavy at the top: a worker unpickles its initializer from here before anything else, and the
initializer keeps pyarrow out (`without_pyarrow`, ~50 MB a worker) only if pandas is not imported yet.
"""

from __future__ import annotations

import io
import os
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nkmap.data.process_memory import without_pyarrow

if TYPE_CHECKING:
    from nkmap.data.dataset import Dataset
    import numpy as np

    from nkmap.export.export_jobs import ExportRequest
    from nkmap.export.map_figure import MapFigure


def make_file(ds: Dataset, request: ExportRequest, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The file's bytes, by the export code the CLI runs (`nkmap export`); `progress(done, total)` per frame."""
    day = request.days[0]
    if request.fmt == "geojson":
        from nkmap.export.export_geojson import geojson_bytes

        return geojson_bytes(ds, day, list(request.layers))
    if request.fmt == "html":
        from nkmap.export.export_html import render_html_bytes

        return render_html_bytes(ds, request.options, day)
    if request.animated:
        from nkmap.export.export_animation import render_animation_bytes

        return render_animation_bytes(ds, list(request.days), request.fmt, request.options, request.fps, progress)
    from nkmap.export.export_static import render_static_bytes

    return render_static_bytes(ds, day, request.fmt, request.options)


#: NKMAP_EXPORT_NICENESS=idle: Linux's SCHED_IDLE, below every nice level: a worker runs only on a CPU nothing
#: else wants (on a shared machine, possibly never).
IDLE_NICENESS = 20
Maker = Callable[[Any, "ExportRequest", Callable[[int, int], None]], bytes]
_worker: dict[str, Any] = {}  # in a worker process: its dataset, the progress channel and the maker


def start_worker(geo_dir: str | None, niceness: int, channel: Any, maker: Maker, server_pid: int) -> None:
    """Each worker's initializer: lowest priority, and the dataset loaded once for all its jobs."""
    threading.Thread(target=_exit_with_server, args=(server_pid,), name="nkmap-export-watch", daemon=True).start()
    try:
        os.nice(min(niceness, 19))
        if niceness >= IDLE_NICENESS:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (OSError, AttributeError):  # not allowed here (or not Linux): the worker works at a higher priority
        pass
    without_pyarrow()  # ~50 MB a worker: nothing imported pandas in this process yet
    _worker["channel"] = channel
    _worker["maker"] = maker
    if geo_dir is not None:
        from nkmap.data.dataset import load_dataset

        _worker["ds"] = load_dataset(geo_dir)


def _exit_with_server(server_pid: int) -> None:
    """When the server is gone (killed, or stopped in the middle of an animation), the worker stops too instead
    of finishing a file nobody will fetch (a killed parent does not take its children with it)."""
    while True:
        time.sleep(2.0)
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # the pid was reused by another user's process: the server is gone
            os._exit(0)


def make_in_worker(job_id: int, request: ExportRequest) -> bytes:
    """A whole file. Progress messages are (job id, part, frames done, frames in all); the first means 'started'."""
    channel = _worker["channel"]
    channel.put((job_id, 0, 0, len(request.days) if request.animated else 0))

    def progress(done: int, total: int) -> None:
        channel.put((job_id, 0, done, total))

    return _worker["maker"](_worker.get("ds"), request, progress)


#: Laid-out animation maps a worker keeps, the last used last: laying one out takes ~0.6 s, drawing a part of
#: eight frames ~1 s, so a worker drawing the parts of one animation lays its map out once. Two: the parts of the
#: animation being made and of the one behind it (the queue hands parts out oldest animation first).
KEEP_FIGURES = 2
_figures: OrderedDict[Any, MapFigure] = OrderedDict()


def _animation_figure(request: ExportRequest) -> MapFigure:
    from nkmap.export.export_animation import animation_options, check_animation
    from nkmap.export.map_figure import MapFigure

    days = list(request.days)
    opts = animation_options(request.options, days)
    check_animation(days, request.fmt, request.fps, opts)
    key = opts  # (which holds the period: the strip under the date)
    figure = _figures.pop(key, None)
    if figure is None:
        figure = MapFigure(_worker["ds"], opts)
        while len(_figures) >= KEEP_FIGURES:
            _figures.popitem(last=False)
    _figures[key] = figure
    return figure


def frame_path(frame_dir: str, index: int) -> Path:
    return Path(frame_dir) / f"{index:05d}.npy.z"


def draw_part_in_worker(
    job_id: int, part: int, request: ExportRequest, first: int, stop: int, frame_dir: str
) -> list[tuple[int, int, int]]:
    """Frames `first` to `stop - 1` of an animation, each written to `frame_dir` (its pixels, compressed: ~0.1 MB
    instead of 2.7 MB at 1280x720); returns the map's key colours, which the GIF's palette reserves."""
    import numpy as np

    channel = _worker["channel"]
    total = len(request.days)
    channel.put((job_id, part, 0, total))  # started
    figure = _animation_figure(request)
    for done, index in enumerate(range(first, stop), 1):
        buffer = io.BytesIO()
        np.save(buffer, figure.show(request.days[index]).rgb_array(), allow_pickle=False)
        frame_path(frame_dir, index).write_bytes(zlib.compress(buffer.getbuffer(), 1))
        channel.put((job_id, part, done, total))
    return figure.key_colors()


def _frames_from(frame_dir: str, count: int) -> Iterator[np.ndarray]:
    import numpy as np

    for index in range(count):
        yield np.load(io.BytesIO(zlib.decompress(frame_path(frame_dir, index).read_bytes())), allow_pickle=False)


def join_in_worker(request: ExportRequest, frame_dir: str, key_colors: list[tuple[int, int, int]]) -> bytes:
    """The animation's file from the frames its parts drew: the encoder `render_animation_bytes` uses, so the
    bytes are those one process drawing every frame makes."""
    from nkmap.export.export_animation import animation_options, encode_animation

    opts = animation_options(request.options, list(request.days))
    count = len(request.days)
    return encode_animation(
        _frames_from(frame_dir, count), count, request.fmt, request.fps, (opts.width, opts.height), key_colors
    )
