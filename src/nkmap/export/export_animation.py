"""A period as an animation (GIF or MP4): one frame per step, the date and a progress strip on every frame.

The map is laid out once; each frame only recolours the control pieces and toggles dated features
(`MapFigure.show`). GIF frames share one palette taken from the first frame, whose legend already holds every
side colour, so colours do not flicker; MP4 goes through the ffmpeg binary that the imageio-ffmpeg wheel ships.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from PIL import Image

from nkmap.data.dataset import Dataset
from nkmap.export.animation_range import DEFAULT_SIZE, MAX_FRAMES, animation_days, parse_step  # noqa: F401 (their home before)
from nkmap.export.export_files import ExportError, check_output, temp_path_beside, write_atomic
from nkmap.export.export_options import MapOptions
from nkmap.export.formats import ANIMATION_FORMATS
from nkmap.export.map_figure import MapFigure

MAX_GIF_FRAMES = 1500  # the GIF encoder keeps every frame in memory; MP4 streams them
Progress = Callable[[int, int], None]


def animation_options(options: MapOptions | None, days: list[dt.date]) -> MapOptions:
    """Animation defaults: 1280x720 unless a size was asked, and the period strip under the date."""
    base = options or MapOptions(width=DEFAULT_SIZE[0], height=DEFAULT_SIZE[1])
    return base.with_(period=(days[0], days[-1]))


def frames(fig: MapFigure, days: list[dt.date], progress: Progress | None = None) -> Iterator[np.ndarray]:
    """RGB frames (height, width, 3) for each date from one laid-out map."""
    for i, day in enumerate(days, 1):
        yield fig.show(day).rgb_array()
        if progress:
            progress(i, len(days))


def gif_palette(first: np.ndarray, key_colors: list[tuple[int, int, int]]) -> Image.Image:
    """A 256-colour palette: the map's key colours exactly, the rest chosen from the first frame.

    Colours that only appear later (a side's fill, the event star) are among the key colours, so no frame ever
    shows them wrong.
    """
    reserved = key_colors[:128]
    image = Image.fromarray(first).quantize(
        colors=256 - len(reserved), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    quantized = image.getpalette()
    assert quantized is not None  # a quantized image has a palette
    chosen = quantized[: 3 * (256 - len(reserved))]
    flat = [v for rgb in reserved for v in rgb] + chosen
    flat += [0] * (768 - len(flat))
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat)
    return palette


def indexed(rgb: np.ndarray, palette: Image.Image) -> Image.Image:
    """A frame in the GIF's shared palette (no dithering: flat map colours stay flat)."""
    return Image.fromarray(rgb).quantize(palette=palette, dither=Image.Dither.NONE)


def write_gif(first: Image.Image, rest: Iterator[Image.Image], count: int, fps: float, handle) -> None:
    """Encode indexed frames as a looping GIF, the last one held so the end state can be read before the loop."""
    duration = max(int(round(1000 / fps)), 20)
    durations = [duration] * count
    durations[-1] = max(duration, 1500)
    first.save(
        handle,
        format="GIF",
        save_all=True,
        append_images=rest,
        duration=durations,
        loop=0,
        optimize=False,
        disposal=1,
    )


def _gif(frame_iter: Iterator[np.ndarray], count: int, fps: float, handle, key_colors) -> int:
    """Encode frames as a looping GIF; frames are quantised one at a time to one shared palette."""
    first = next(frame_iter, None)
    if first is None:
        raise ExportError("no frames to write")
    palette = gif_palette(first, key_colors)
    write_gif(indexed(first, palette), (indexed(rgb, palette) for rgb in frame_iter), count, fps, handle)
    return count


def _mp4(frame_iter: Iterator[np.ndarray], fps: float, path: Path, size: tuple[int, int]) -> int:
    writer = imageio_ffmpeg.write_frames(
        str(path),
        size,
        fps=fps,
        codec="libx264",
        pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p",
        macro_block_size=2,
        quality=7,
        output_params=["-movflags", "+faststart", "-threads", "1"],
        ffmpeg_log_level="error",
    )
    writer.send(None)
    count = 0
    try:
        for rgb in frame_iter:
            writer.send(np.ascontiguousarray(rgb))
            count += 1
    finally:
        writer.close()
    return count


def checked_options(options: MapOptions | None, days: list[dt.date], fmt: str, fps: float) -> MapOptions:
    """The options an animation of `days` is drawn with (`animation_options`), once it is known it can be made:
    ExportError for its format, speed, frame count or size."""
    if fmt not in ANIMATION_FORMATS:
        raise ExportError(f"unknown animation format '{fmt}' (known: {', '.join(ANIMATION_FORMATS)})")
    if not 0.1 <= fps <= 60:
        raise ExportError(f"fps {fps:g} is out of range (0.1 to 60)")
    if not days:
        raise ExportError("the range has no days")
    if fmt == "gif" and len(days) > MAX_GIF_FRAMES:
        raise ExportError(
            f"{len(days)} frames is too many for a GIF (at most {MAX_GIF_FRAMES}); use a longer --step or MP4"
        )
    opts = animation_options(options, days)
    if fmt == "mp4" and (opts.width % 2 or opts.height % 2):
        raise ExportError(f"MP4 needs an even width and height, not {opts.width}x{opts.height}")
    return opts


def export_animation(
    ds: Dataset,
    days: list[dt.date],
    fmt: str,
    output: str | os.PathLike,
    options: MapOptions | None = None,
    fps: float = 4,
    progress: Progress | None = None,
) -> Path:
    """Write the animation of `days` to `output` (GIF or MP4), atomically; returns the path."""
    opts = checked_options(options, days, fmt, fps)
    out = check_output(output)
    fig = MapFigure(ds, opts)  # bad options fail here, before any file is opened
    frame_iter = frames(fig, days, progress)
    if fmt == "gif":
        return write_atomic(out, lambda handle: _gif(frame_iter, len(days), fps, handle, fig.key_colors()))
    tmp = temp_path_beside(out, ".mp4")
    try:
        _mp4(frame_iter, fps, tmp, (opts.width, opts.height))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def encode_animation(
    frame_iter: Iterator[np.ndarray],
    count: int,
    fmt: str,
    fps: float,
    size: tuple[int, int],
    key_colors: list[tuple[int, int, int]],
) -> bytes:
    """The file's bytes from its `count` frames in order, for the app (`render_animation_bytes`) and for an MP4
    whose frames the export queue's workers drew in parts (a GIF's parts are joined by `write_gif`, which this
    calls too, their frames already indexed)."""
    if fmt == "gif":
        buf = io.BytesIO()
        _gif(frame_iter, count, fps, buf, key_colors)
        return buf.getvalue()
    with tempfile.TemporaryDirectory(prefix="nkmap-anim-") as tmpdir:
        path = Path(tmpdir) / f"animation.{fmt}"
        _mp4(frame_iter, fps, path, size)
        return path.read_bytes()


def render_animation_bytes(
    ds: Dataset,
    days: list[dt.date],
    fmt: str = "gif",
    options: MapOptions | None = None,
    fps: float = 4,
    progress: Progress | None = None,
) -> bytes:
    """For the app: the animation as bytes (`progress(done, total)` is called after each frame)."""
    opts = checked_options(options, days, fmt, fps)
    fig = MapFigure(ds, opts)
    return encode_animation(
        frames(fig, days, progress), len(days), fmt, fps, (opts.width, opts.height), fig.key_colors()
    )
