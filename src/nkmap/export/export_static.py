"""Static maps of a date as PNG, SVG or PDF: a finished map (title, date, legend, scale bar, north arrow,
locator, precision and sources, credits), drawn offline from the dataset's own layers.

The same dataset, date and options give the same bytes: no timestamps or software versions are written into the
files, and SVG ids come from a fixed salt.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import matplotlib

from nkmap.data.dataset import Dataset
from nkmap.export.export_files import ExportError, check_day, check_output, dated_path, write_atomic
from nkmap.export.export_options import MapOptions
from nkmap.export.formats import STATIC_FORMATS
from nkmap.export.map_figure import MapFigure

# Metadata that would change from run to run (dates, versions) is left out, so files are reproducible.
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def save_figure(fig: MapFigure, fmt: str, out: BinaryIO) -> None:
    """Write the figure in its current state to `out` as PNG, SVG or PDF."""
    if fmt not in STATIC_FORMATS:
        raise ExportError(f"unknown static format '{fmt}' (known: {', '.join(STATIC_FORMATS)})")
    with matplotlib.rc_context({"svg.hashsalt": "nkmap", "svg.fonttype": "path", "pdf.compression": 6}):
        fig.fig.savefig(out, format=fmt, dpi=fig.opt.dpi, metadata=METADATA[fmt], facecolor="white")


def figure_bytes(fig: MapFigure, fmt: str) -> bytes:
    """The figure in its current state as PNG, SVG or PDF bytes."""
    buf = io.BytesIO()
    save_figure(fig, fmt, buf)
    return buf.getvalue()


def render_static_bytes(ds: Dataset, day: dt.date, fmt: str, options: MapOptions = MapOptions()) -> bytes:
    """One date's map as bytes (`fmt` = png | svg | pdf)."""
    return figure_bytes(MapFigure(ds, options).show(check_day(ds, day)), fmt)


def render_png_bytes(ds: Dataset, day: dt.date, options: MapOptions = MapOptions()) -> bytes:
    """The map of `day` as PNG bytes."""
    return render_static_bytes(ds, day, "png", options)


def export_static(
    ds: Dataset, days: Iterable[dt.date], fmt: str, output: str | os.PathLike, options: MapOptions = MapOptions()
) -> list[Path]:
    """Write one file per date (the layout is drawn once for the whole batch); returns the paths written.

    With several dates the date goes into each file name (see `export_files.dated_path`).
    """
    days = [check_day(ds, d) for d in days]
    if not days:
        raise ExportError("no dates to export")
    targets = [dated_path(output, d, len(days) > 1) for d in days]
    if len(set(targets)) != len(targets):
        raise ExportError(f"several dates would be written to the same file {targets[0]}; put {{date}} in the name")
    for target in targets:
        check_output(target)
    fig = MapFigure(ds, options)
    written = []
    for day, target in zip(days, targets):
        # Straight into the file: the image is never held in memory as well (~1 MB of a PNG export's peak).
        fig.show(day)
        written.append(write_atomic(target, lambda out: save_figure(fig, fmt, out)))
    return written
