"""The stretches of the timeline the slider and play cover, the play speeds, and the dates to jump to: one list
for the app (nkmap.web.pagestate) and the standalone explorer page (nkmap.export.html_data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nkmap.data.dataset import Dataset
from nkmap.model import timeline


@dataclass(frozen=True)
class Period:
    """A stretch of the timeline the slider can cover and play can run through."""

    id: str
    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Speed:
    id: str
    label: str
    interval_s: float  # seconds between frames
    days: int  # days per frame


SPEEDS = (
    Speed("day", "1 day per second", 1.0, 1),
    Speed("day-fast", "2 days per second", 0.5, 1),
    Speed("week", "1 week per second", 1.0, 7),
    Speed("month", "1 month per second", 1.0, 30),
)
DEFAULT_SPEED = "day"


def periods(ds: Dataset) -> list[Period]:
    """The periods offered for the slider and for play, clipped to the dataset's timeline.

    The 44-day war (27 Sep - 10 Nov 2020) is shown with a week either side, then the handovers to 1 Dec."""
    war = timeline.WAR_START
    wanted = [
        ("war", "War and handovers (Sep - Dec 2020)", war - dt.timedelta(days=7), dt.date(2020, 12, 15)),
        ("after", "War to the last peacekeepers (2020 - 2024)", war - dt.timedelta(days=7), ds.end),
        ("offensive", "Blockade and 2023 offensive (Dec 2022 - Oct 2023)", dt.date(2022, 12, 1), dt.date(2023, 10, 15)),
        ("april-2016", "The April 2016 fighting (25 Mar - 15 Apr 2016)", dt.date(2016, 3, 25), dt.date(2016, 4, 15)),
        ("all", f"Whole timeline ({ds.start.year} - {ds.end.year})", ds.start, ds.end),
    ]
    out = []
    for pid, label, start, end in wanted:
        start, end = max(start, ds.start), min(end, ds.end)
        if start < end:
            out.append(Period(pid, label, start, end))
    return out


def period_for(ds: Dataset, period_id: str | None, day: dt.date | None = None) -> Period:
    """The period with that id if it exists and holds `day`; else the first that holds `day` (the whole
    timeline always does)."""
    options = periods(ds)
    for p in options:
        if p.id == period_id and (day is None or p.start <= day <= p.end):
            return p
    for p in options:
        if day is None or p.start <= day <= p.end:
            return p
    return options[-1]


def jump_targets(ds: Dataset) -> list[tuple[dt.date, str]]:
    """Key dates and events to jump to, in date order, each labelled '10 Nov 2020 - what happened'."""
    seen: dict[tuple[dt.date, str], None] = {}
    for k in ds.key_dates:
        if ds.start <= k.date <= ds.end:
            seen[(k.date, k.label_en)] = None
    key_days = {k.date for k in ds.key_dates}
    for layer, mark in (("events", ""), ("context", "Context: ")):  # context events are listed, marked as such
        events = ds.layers.get(layer)
        if events is None:
            continue
        for day, name in zip(events["valid_from"], events["name_en"]):
            if day is not None and ds.start <= day <= ds.end and day not in key_days:
                seen[(day, f"{mark}{name}")] = None
    return sorted(seen)
