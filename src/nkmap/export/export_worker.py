"""What runs inside an export worker process (see export_jobs.py): its start, and making one file.

Imports nothing heavy at the top: a worker unpickles its initializer from here before anything else, and the
initializer keeps pyarrow out (`without_pyarrow`, ~50 MB a worker) only if pandas is not imported yet.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nkmap.data.process_memory import without_pyarrow

if TYPE_CHECKING:
    from nkmap.data.dataset import Dataset
    from nkmap.export.export_jobs import ExportRequest


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
    channel = _worker["channel"]
    channel.put((job_id, 0, len(request.days) if request.animated else 0))  # started

    def progress(done: int, total: int) -> None:
        channel.put((job_id, done, total))

    return _worker["maker"](_worker.get("ds"), request, progress)
