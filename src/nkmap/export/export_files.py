"""Writing export files safely: a clear error before any work when the path is unusable, and never a
half-written file (write to a temporary file in the same directory, then rename it into place)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from nkmap.data.dataset import Dataset
from nkmap.model.timeline import OUTSIDE, outside_values
from nkmap.model.worded import WordedError


class ExportError(WordedError):
    """An export that cannot be made; the message names the file or option and says what to do (those the app
    shows are worded in its language: nkmap.model.worded)."""


def check_day(ds: Dataset, day: dt.date) -> dt.date:
    """`day`, or ExportError when it is outside the timeline."""
    outside = outside_values(ds, day)
    if outside:
        raise ExportError(OUTSIDE, **outside)
    return day


def check_output(path: str | os.PathLike) -> Path:
    """The output path, or ExportError when its directory is missing or not writable, or it is a directory."""
    out = Path(path)
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise ExportError(f"{out}: is a directory; give a file name")
    if not parent.is_dir():
        raise ExportError(f"{out}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"{out}: cannot write in {parent} (permission denied)")
    if out.exists() and not os.access(out, os.W_OK):
        raise ExportError(f"{out}: exists and is not writable")
    return out


def write_atomic(path: str | os.PathLike, write: Callable[[BinaryIO], object] | bytes, check: bool = True) -> Path:
    """Write bytes (or call `write(file)`) into a temporary file beside `path`, then rename it over `path`
    (mode 0644). The one way nkmap writes a file: exports, the CLI, the app's cache and its copy of Leaflet.

    On any error the temporary file is removed, so a failed export leaves nothing behind. `check=False` skips
    `check_output` for callers that checked the path themselves (and word their own errors).
    """
    out = check_output(path) if check else Path(path)
    fd, tmp = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(write, (bytes, bytearray)):
                handle.write(write)
            else:
                write(handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return out


def temp_path_beside(path: str | os.PathLike, suffix: str) -> Path:
    """A fresh temporary file name beside `path`, for writers that need a file name (ffmpeg); caller renames."""
    out = check_output(path)
    fd, tmp = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", prefix=f".{out.name}.", suffix=suffix)
    os.close(fd)
    return Path(tmp)


def dated_path(template: str | os.PathLike, day: dt.date, many: bool) -> Path:
    """Where one date of a batch goes: `{date}` in the name is replaced; otherwise, for several dates, the date is
    added before the extension (map.png -> map-2020-11-10.png)."""
    text = str(template)
    if "{date}" in text:
        return Path(text.replace("{date}", day.isoformat()))
    if not many:
        return Path(text)
    p = Path(text)
    return p.with_name(f"{p.stem}-{day.isoformat()}{p.suffix}")
