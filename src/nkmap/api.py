"""nkmap for notebooks and scripts: load the record, ask what held on a date, find a place, export a map.

Everything here is also importable as `nkmap.<name>`. Dates are `datetime.date` or ISO text (`"2020-11-10"`);
a date outside the timeline raises `DateError` saying what range is valid. The frames returned are copies: change
them freely.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Union

import geopandas as gpd
import pandas as pd

from nkmap.data.dataset import Dataset, DatasetError
from nkmap.data.dataset import load_dataset as _load_dataset
from nkmap.export.export_animation import animation_days, export_animation
from nkmap.export.export_files import ExportError, check_output, write_atomic
from nkmap.export.export_geojson import geojson_bytes
from nkmap.export.export_html import export_html
from nkmap.export.export_options import MapOptions
from nkmap.export.export_static import export_static
from nkmap.export.formats import ANIMATION_FORMATS, EXPORT_FORMATS, STATIC_FORMATS
from nkmap.model import gazetteer, timeline
from nkmap.model.gazetteer import HistoryEntry, Match
from nkmap.model.timeline import DateError

#: A date as `datetime.date` or ISO text (YYYY-MM-DD).
DateLike = Union[dt.date, str]

__all__ = [
    "Dataset",
    "DatasetError",
    "DateError",
    "ExportError",
    "HistoryEntry",
    "Match",
    "DateLike",
    "EXPORT_FORMATS",
    "load_dataset",
    "control_on",
    "state_on",
    "find_place",
    "place_history",
    "events",
    "export_map",
]


def load_dataset(geo_dir: str | os.PathLike | None = None) -> Dataset:
    """The record in `geo_dir` (default: `$NKMAP_GEO`, else `./geo`, else the checkout's `geo/`), checked and
    with every citation resolved to its source record. Cached: loading the same unchanged directory again is free.
    Raises `DatasetError` when the files cannot be read."""
    return _load_dataset(geo_dir)


def _day(ds: Dataset, date: DateLike) -> dt.date:
    """`date` as a `datetime.date` inside the timeline, else `DateError`."""
    text = date.isoformat() if isinstance(date, dt.date) else str(date)
    return timeline.parse_date(text, ds)


def control_on(ds: Dataset, date: DateLike) -> gpd.GeoDataFrame:
    """Who held what on `date`: one row per side with `side`, `label_en`, `area_km2` (the region only) and the
    geometry (EPSG:4326)."""
    return timeline.control_on(ds, _day(ds, date)).copy()


def state_on(ds: Dataset, date: DateLike, layers: list[str] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Every layer's features in force on `date` (or only the `layers` named, by id), keyed by layer id in the
    manifest's order: control, support, the contact line, places (with `side_on`), events, context ..."""
    day = _day(ds, date)
    return {layer: frame.copy() for layer, frame in timeline.state_on(ds, day, layers).items()}


def find_place(ds: Dataset, text: str, limit: int = 5) -> list[Match]:
    """The places whose names match `text` in any spelling or script (Shusha, Shushi, Şuşa, Шуша, Շուշի), best
    first, one per place; each `Match` has `place_id`, `name_en`, `district`, `how` it matched and a `label`.
    Names that only resemble `text` are returned (with `did_you_mean` true) when nothing matches."""
    return gazetteer.search(ds, text, limit=limit)


def place_history(ds: Dataset, place: str | Match) -> list[HistoryEntry]:
    """A place's dated history, oldest first: claims, acknowledgements, denials, handovers, each with its
    sources. `place` is a `Match`, a place id or a name (the name must match one place only)."""
    if isinstance(place, Match):
        place_id: str | None = place.place_id
    else:
        place_id = gazetteer.find_place(ds, place)
    if place_id is None:
        raise KeyError(f"no single place matches {place!r}; use find_place() to choose one")
    return gazetteer.place_history(ds, place_id)


def events(ds: Dataset, start: DateLike | None = None, end: DateLike | None = None) -> gpd.GeoDataFrame:
    """The timeline's events from `start` to `end` (inclusive; default: the whole timeline), by date: the
    `events` layer and the `context` layer (what explains the war without moving the line), with a `layer`
    column saying which, `valid_from` (the event's date), `name_en`, `event_type`, `summary_en` and sources."""
    first = _day(ds, start) if start is not None else ds.start
    last = _day(ds, end) if end is not None else ds.end
    frames = [ds.layers[layer].assign(layer=layer) for layer in ("events", "context") if layer in ds.layers]
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)
    frame = frame[(frame["valid_from"] >= first) & (frame["valid_from"] <= last)]
    return frame.sort_values(["valid_from", "layer", "id"]).reset_index(drop=True)


def export_map(
    ds: Dataset,
    date: DateLike,
    path: str | os.PathLike,
    format: str | None = None,
    *,
    end: DateLike | None = None,
    size: tuple[int, int] | None = None,
    dpi: float = 150.0,
    area: str | tuple[float, float, float, float] | None = None,
    lang: str = "en",
    palette: str = "default",
    layers: list[str] | None = None,
) -> Path:
    """Write the map of `date` to `path`, as `nkmap export` does, and return the path.

    `format` is one of `EXPORT_FORMATS` (geojson, png, svg, pdf, html, gif, mp4); by default the path's suffix.
    `html` is the standalone map of the whole timeline, opening on `date`; `gif` and `mp4` animate from `date` to
    `end`, a day a frame. `size` (width, height) in pixels, `dpi`, `area` (a named view such as "region" or
    "shusha", or a lon/lat box), `lang` (en, az, hy), `palette` (default, high_contrast) and `layers` (ids; default:
    the map's default layers, or every layer for GeoJSON) are those of the command line."""
    fmt = (format or Path(path).suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown format '{fmt}' (known: {', '.join(EXPORT_FORMATS)})")
    day = _day(ds, date)
    if fmt == "geojson":
        target = check_output(path)
        return write_atomic(target, geojson_bytes(ds, day, layers))
    animated = fmt in ANIMATION_FORMATS
    base = MapOptions(width=1280, height=720) if animated else MapOptions()
    width, height = size or (base.width, base.height)
    options = base.with_(
        width=width,
        height=height,
        dpi=dpi,
        area=area,
        lang=lang,
        palette=palette,
        layers=tuple(layers) if layers else None,
    )
    if fmt in STATIC_FORMATS:
        return export_static(ds, [day], fmt, path, options)[0]
    if fmt == "html":
        return export_html(ds, path, options, initial=day)
    if end is None:
        raise ExportError(f"a {fmt} needs an end date (end=...)")
    return export_animation(ds, animation_days(ds, day, _day(ds, end)), fmt, path, options)
