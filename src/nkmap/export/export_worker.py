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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nkmap.data.process_memory import without_pyarrow

if TYPE_CHECKING:
    import numpy as np

    from nkmap.data.dataset import Dataset
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


def start_worker(
    geo_dir: str | None,
    niceness: int,
    channel: Any,
    maker: Maker,
    server_pid: int,
    started: Any = None,
    released: Any = None,
) -> None:
    """Each worker's initializer: lowest priority, the dataset loaded and the drawing code imported once for all
    its jobs; then it counts itself in `started` (a shared int: the workers of this pool ready to draw).
    `released`: the last warm-up whose tasks may end (`warm_in_worker`)."""
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
    # Imported here, not by the first job: a worker started ahead of a request (`warm_in_worker`) then has nothing
    # left to do but draw (~0.5 s of the ~1.5 s a worker takes to start).
    import nkmap.export.export_animation  # noqa: F401
    import nkmap.export.export_static  # noqa: F401  (both: for their import cost only)

    if started is not None:
        with started.get_lock():
            started.value += 1
    _worker["released"] = released


def warm_in_worker(warm_up: int, timeout_s: float) -> None:
    """A task of a warm-up (`ExportQueue.warm`): sent so that the pool starts a worker. It holds the worker it
    reaches until the server has sent all of the warm-up's tasks (`released` reaches `warm_up`; at most
    `timeout_s`), so that an idle worker takes one task only and the others start new workers."""
    released = _worker.get("released")
    deadline = time.monotonic() + timeout_s
    while released is not None and released.value < warm_up and time.monotonic() < deadline:
        time.sleep(0.002)


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
    from nkmap.export.export_animation import checked_options
    from nkmap.export.map_figure import MapFigure

    days = list(request.days)
    opts = checked_options(request.options, days, request.fmt, request.fps)
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


#: A GIF's palette, written by the part that draws frame 0 (it is taken from that frame), read by the others.
PALETTE_FILE = "palette"
PALETTE_WAIT_S = 300.0


def _save_frame(frame_dir: str, index: int, pixels: np.ndarray) -> None:
    """A frame's pixels (RGB, or a GIF's palette indexes), compressed: ~0.1 MB instead of 2.7 MB at 1280x720."""
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, pixels, allow_pickle=False)
    frame_path(frame_dir, index).write_bytes(zlib.compress(buffer.getbuffer(), 1))


def _load_frame(frame_dir: str, index: int) -> np.ndarray:
    import numpy as np

    return np.load(io.BytesIO(zlib.decompress(frame_path(frame_dir, index).read_bytes())), allow_pickle=False)


def _palette(frame_dir: str, wait: bool) -> Any:
    """The GIF's palette once frame 0's part has written it (None if not yet and not `wait`). The part that draws
    frame 0 is always handed out before the others, so it is being drawn or done; if its job ended (its folder is
    gone), this part ends too."""
    from PIL import Image

    path = Path(frame_dir) / PALETTE_FILE
    deadline = time.monotonic() + PALETTE_WAIT_S
    while not path.exists():
        if not wait:
            return None
        if not Path(frame_dir).is_dir() or time.monotonic() > deadline:
            raise RuntimeError(f"no palette in {frame_dir}: the part drawing frame 0 did not finish")
        time.sleep(0.02)
    palette = Image.new("P", (1, 1))
    palette.putpalette(path.read_bytes())
    return palette


def draw_part_in_worker(job_id: int, part: int, request: ExportRequest, first: int, stop: int, frame_dir: str) -> None:
    """Frames `first` to `stop - 1` of an animation, written to `frame_dir`: RGB for MP4; for a GIF, indexed in the
    palette the part with frame 0 takes from it (as `_gif` does), so the join only encodes."""
    import numpy as np

    from nkmap.export.export_animation import gif_palette, indexed

    channel = _worker["channel"]
    total = len(request.days)
    channel.put((job_id, part, 0, total))  # started
    figure = _animation_figure(request)
    gif = request.fmt == "gif"
    palette, waiting = None, []  # (a GIF's frames drawn before the palette was written)
    for done, index in enumerate(range(first, stop), 1):
        rgb = figure.show(request.days[index]).rgb_array()
        if not gif:
            _save_frame(frame_dir, index, rgb)
        else:
            if index == 0:
                palette = gif_palette(rgb, figure.key_colors())
                staged = Path(frame_dir) / f"{PALETTE_FILE}.part"
                staged.write_bytes(bytes(palette.getpalette() or []))
                staged.rename(Path(frame_dir) / PALETTE_FILE)  # whole or not there, for the parts that read it
            waiting.append((index, rgb))
            palette = palette or _palette(frame_dir, wait=False)
            if palette is not None:
                for at, pixels in waiting:
                    _save_frame(frame_dir, at, np.asarray(indexed(pixels, palette)))
                waiting = []
        channel.put((job_id, part, done, total))
    if waiting:
        palette = _palette(frame_dir, wait=True)
        for at, pixels in waiting:
            _save_frame(frame_dir, at, np.asarray(indexed(pixels, palette)))


def join_in_worker(request: ExportRequest, frame_dir: str) -> bytes:
    """The animation's file from the frames its parts drew, by the encoders `render_animation_bytes` uses, so the
    bytes are those of one process drawing every frame."""
    from PIL import Image

    from nkmap.export.export_animation import animation_options, encode_animation, write_gif

    count = len(request.days)
    if request.fmt == "gif":
        palette = _palette(frame_dir, wait=False)

        def image(index: int) -> Image.Image:
            pixels = _load_frame(frame_dir, index)
            frame = Image.frombytes("P", (pixels.shape[1], pixels.shape[0]), pixels.tobytes())
            frame.putpalette(palette.getpalette())
            return frame

        buffer = io.BytesIO()
        write_gif(image(0), (image(i) for i in range(1, count)), count, request.fps, buffer)
        return buffer.getvalue()
    opts = animation_options(request.options, list(request.days))
    frames = (_load_frame(frame_dir, index) for index in range(count))
    return encode_animation(frames, count, request.fmt, request.fps, (opts.width, opts.height), [])
