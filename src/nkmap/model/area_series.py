"""The area each side held over the timeline, from `timeline.areas_on` (charted by `nkmap.web.area_chart`).

Areas only change on the control layer's change dates, so the series has one point per side at the start of a
span, at every change date inside it and at its end; the chart draws it as steps.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nkmap.data.dataset import Dataset
from nkmap.model import timeline


def series_dates(ds: Dataset, start: dt.date | None = None, end: dt.date | None = None) -> list[dt.date]:
    """The span's first and last day and every control change date between them."""
    start = max(start or ds.start, ds.start)
    end = min(end or ds.end, ds.end)
    inside = [d for d in timeline.control_model(ds).change_dates if start < d < end]
    return [start, *inside, end] if end > start else [start]


def area_series(ds: Dataset, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """Long table: `date` (datetime.date), `side`, `label`, `km2` for every side at every series date."""
    rows = []
    for day in series_dates(ds, start, end):
        for side, km2 in timeline.areas_on(ds, day).items():
            rows.append(
                {"date": day, "side": side, "label": ds.sides[side].get("short_en", side), "km2": round(km2, 1)}
            )
    return pd.DataFrame(rows, columns=["date", "side", "label", "km2"])
