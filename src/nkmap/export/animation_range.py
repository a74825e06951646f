"""An animation's frames as dates: the step between frames and the range, checked against the dataset.

Apart from export_animation.py so that the page can check a range without importing matplotlib (~0.3 s and
~30 MB in the server's process, measured); the frames themselves are drawn in the export workers.
"""

from __future__ import annotations

import datetime as dt
import re

from nkmap.data.dataset import Dataset
from nkmap.export.export_files import ExportError, check_day
from nkmap.model.worded import N_

DEFAULT_SIZE = (1280, 720)  # animations go into slides and pages; 1920x1080 is an option
MAX_FRAMES = 5000


def parse_step(text: str) -> dt.timedelta:
    """'1d', '3d', '1w', '2w' (or a bare number of days) -> a timedelta, or ExportError."""
    match = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", (text or "").lower())
    if not match or int(match.group(1)) == 0:
        raise ExportError(N_("step '{step}' is not a number of days or weeks, e.g. 1d, 7d or 2w"), step=text)
    n = int(match.group(1))
    return dt.timedelta(weeks=n) if match.group(2) == "w" else dt.timedelta(days=n)


def animation_days(
    ds: Dataset, start: dt.date, end: dt.date, step: dt.timedelta = dt.timedelta(days=1)
) -> list[dt.date]:
    """The frame dates from `start` to `end` (both inside the timeline), `end` always included."""
    for day in (start, end):
        check_day(ds, day)
    if end < start:
        raise ExportError(
            N_("the range {start} to {end} has no days (the end is before the start)"),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    days = []
    day = start
    while day <= end:
        days.append(day)
        day += step
    if days[-1] != end:
        days.append(end)
    if len(days) > MAX_FRAMES:
        raise ExportError(
            N_("{frames} frames is too many (at most {most}); use a longer --step"), frames=len(days), most=MAX_FRAMES
        )
    return days
