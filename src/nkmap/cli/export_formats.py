"""The map formats of `nkmap export` (png, svg, pdf, html, gif, mp4): their options, and the writers that
`commands.py` calls through its EXPORT_WRITERS registry (`MAP_WRITERS`).

Every bad value (format, date, range, size, path) ends in one clear line and exit 2, before any file is opened;
files are written to a temporary name and renamed, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from typing import Any, Callable

from nkmap.cli.errors import UsageError
from nkmap.cli.language import language_option
from nkmap.data.dataset import Dataset
from nkmap.export.animation_range import animation_days, parse_step
from nkmap.export.export_files import ExportError
from nkmap.export.export_options import MapOptions, parse_size
from nkmap.export.export_static import export_static, figure_bytes
from nkmap.export.formats import MAP_FORMATS, STATIC_FORMATS
from nkmap.export.map_figure import MapFigure
from nkmap.model.timeline import parse_date


def add_map_options(parser: argparse.ArgumentParser) -> None:
    """Add the map options to the `export` sub-command (the writers are `MAP_WRITERS`)."""
    group = parser.add_argument_group("maps (png, svg, pdf, html, gif, mp4)")
    group.add_argument("--size", help="WIDTHxHEIGHT in pixels (default 1920x1080; animations 1280x720)")
    group.add_argument(
        "--dpi", type=float, default=150.0, help="dots per inch: print size of PNG/PDF/SVG (default 150)"
    )
    group.add_argument(
        "--area", help="a named view (region, nkao, lachin, shusha, caucasus) or lon_min,lat_min,lon_max,lat_max"
    )
    group.add_argument(
        "--lang", help="the map's language: en, az (Azərbaycanca), hy (Հայերեն) or ru (Русский) (default en)"
    )
    group.add_argument("--palette", default="default", help="default or high_contrast")
    group.add_argument("--dates", help="several dates, comma-separated: one file each ({date} in --output names them)")
    group.add_argument("--key-dates", action="store_true", help="one file for each of the dataset's key dates")
    group.add_argument("--start", help="first date of an animation (or of a batch of snapshots)")
    group.add_argument("--end", help="last date of an animation (or of a batch of snapshots)")
    group.add_argument("--step", default="1d", help="days between frames: 1d, 7d, 2w ... (default 1d)")
    group.add_argument("--fps", type=float, default=4.0, help="animation frames per second (default 4)")
    group.add_argument("--quiet", action="store_true", help="no progress bar")


def _writer(fmt: str) -> Callable[[Dataset, argparse.Namespace], int]:
    def write(ds: Dataset, args: argparse.Namespace) -> int:
        try:
            return run_map_export(ds, fmt, args)
        except (ExportError, ValueError) as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:  # disk full, permission changed mid-way: the temp file is already gone
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None

    return write


MAP_WRITERS: dict[str, Callable[[Dataset, argparse.Namespace], int]] = {fmt: _writer(fmt) for fmt in MAP_FORMATS}


def map_options(ds: Dataset, args: argparse.Namespace, animated: bool = False) -> MapOptions:
    layers = getattr(args, "layers_list", None)
    base = MapOptions(width=1280, height=720) if animated else MapOptions()
    width, height = parse_size(args.size) if args.size else (base.width, base.height)
    return base.with_(
        width=width,
        height=height,
        dpi=args.dpi,
        area=args.area,
        lang=language_option(args.lang),
        palette=args.palette,
        layers=tuple(layers) if layers else None,
    )


def _days(ds: Dataset, args: argparse.Namespace) -> list[dt.date]:
    """The dates of a snapshot export: --date, --dates, --key-dates or a --start/--end range."""

    chosen = [bool(args.date), bool(args.dates), bool(args.key_dates), bool(args.start or args.end)]
    if sum(chosen) > 1:
        raise ExportError("give one of --date, --dates, --key-dates or --start/--end")
    if args.dates:
        return [parse_date(t, ds) for t in args.dates.split(",") if t.strip()] or _no_dates()
    if args.key_dates:
        return sorted({k.date for k in ds.key_dates if ds.start <= k.date <= ds.end}) or _no_dates()
    if args.start or args.end:
        return animation_days(ds, *_range(ds, args), parse_step(args.step))
    if args.date:
        return [parse_date(args.date, ds)]
    raise ExportError("--date YYYY-MM-DD is required (or --dates, --key-dates, --start/--end)")


def _no_dates() -> list[dt.date]:
    raise ExportError("no dates given")


def _range(ds: Dataset, args: argparse.Namespace) -> tuple[dt.date, dt.date]:

    if not (args.start and args.end):
        raise ExportError("an animation needs --start YYYY-MM-DD and --end YYYY-MM-DD")
    return parse_date(args.start, ds), parse_date(args.end, ds)


def _binary_to_terminal(args: argparse.Namespace) -> bool:
    return args.output == "-" and sys.stdout.isatty()


def run_map_export(ds: Dataset, fmt: str, args: argparse.Namespace) -> int:
    """Do one `nkmap export --format FMT` call; returns the exit code (0)."""
    if _binary_to_terminal(args) or (args.output == "-" and fmt == "mp4"):
        raise ExportError(f"give --output FILE.{fmt} (a {fmt.upper()} is not written to a terminal)")
    if fmt in STATIC_FORMATS:
        return _static(ds, fmt, args)
    if fmt == "html":
        return _html(ds, args)
    return _animation(ds, fmt, args)


def _static(ds: Dataset, fmt: str, args: argparse.Namespace) -> int:

    days = _days(ds, args)
    options = map_options(ds, args)
    if args.output == "-":
        if len(days) > 1:
            raise ExportError("several dates need --output FILE (with {date} in the name, or it is added)")
        sys.stdout.buffer.write(figure_bytes(MapFigure(ds, options).show(days[0]), fmt))
        sys.stdout.buffer.flush()
        return 0
    started = time.perf_counter()
    for path in export_static(ds, days, fmt, args.output, options):
        if not args.quiet:
            print(f"wrote {path}", file=sys.stderr)
    if not args.quiet and len(days) > 1:
        print(f"{len(days)} maps in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def _html(ds: Dataset, args: argparse.Namespace) -> int:
    from nkmap.export.export_html import export_html, render_html  # the format's own (nkmap.cli.commands says why)

    initial = parse_date(args.date, ds) if args.date else None
    options = map_options(ds, args)
    if args.output == "-":
        page = render_html(ds, options)
        if initial is not None:
            page = page.replace("/*INITIAL*/null", str((initial - ds.start).days))
        sys.stdout.buffer.write(page.encode("utf-8"))
        return 0
    path = export_html(ds, args.output, options, initial)
    if not args.quiet:
        print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)", file=sys.stderr)
    return 0


class TerminalProgress:
    """A one-line progress bar on stderr (redrawn in place on a terminal, a few lines otherwise)."""

    def __init__(self, label: str, stream: Any = None, width: int = 30):
        self.label, self.width = label, width
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.perf_counter()
        self.last_pct = -1

    def __call__(self, done: int, total: int) -> None:
        pct = int(100 * done / max(total, 1))
        filled = int(self.width * done / max(total, 1))
        rate = (time.perf_counter() - self.started) / max(done, 1)
        line = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} frames, {rate:.2f} s/frame"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done == total else ""))
            self.stream.flush()
        elif pct // 25 != self.last_pct // 25 or done == total:
            self.stream.write(line + "\n")
            self.stream.flush()
        self.last_pct = pct


def _animation(ds: Dataset, fmt: str, args: argparse.Namespace) -> int:
    from nkmap.export.export_animation import export_animation, render_animation_bytes  # the format's own

    if args.date or args.dates or args.key_dates:
        raise ExportError(f"a {fmt.upper()} animation takes --start and --end, not --date/--dates/--key-dates")
    days = animation_days(ds, *_range(ds, args), parse_step(args.step))
    options = map_options(ds, args, animated=True)
    progress = None if args.quiet else TerminalProgress(f"{fmt.upper()} {days[0].isoformat()}..{days[-1].isoformat()}")
    if args.output == "-":
        sys.stdout.buffer.write(render_animation_bytes(ds, days, fmt, options, args.fps, progress))
        return 0
    path = export_animation(ds, days, fmt, args.output, options, args.fps, progress)
    if not args.quiet:
        print(f"wrote {path} ({len(days)} frames, {path.stat().st_size / 1e6:.2f} MB)", file=sys.stderr)
    return 0
