"""What holds on a date: control by side, the layers in force, the events, the areas.

Pure functions of (dataset, date). Control is the baseline holdings with every dated change applied in order;
the result only changes on change dates, so it is computed once per "epoch" and kept on the dataset.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from nkmap.data.dataset import Dataset
from nkmap.data.geometry import EQUAL_AREA, area_km2, from_equal_area, prepared, to_equal_area  # noqa: F401 (re-exported)
from nkmap.data.memo import Memo, Once
from nkmap.model.worded import N_, WordedError

WAR_START = dt.date(2020, 9, 27)
# The borders the line of contact never ran along: a side's edge there is an international border, not a front.
FOREIGN_COUNTRIES = ("country-arm", "country-irn")
BORDER_TOLERANCE_DEG = 0.004
SLIVER_DEG = 0.0005
SUPPORT_LAYER = "support"  # the derived layer that marks claimed and disputed ground
GRID_DEG = 1e-5  # the precision the dataset's files are written with
PLACE_SNAP_DEG = 0.025  # ~2 km: the gap between GeoNames points and Natural Earth's 1:10m border  # ~50 m: narrower strips are overlay noise, not territory  # ~400 m: district edges are snapped to Natural Earth borders within this


class DateError(WordedError, ValueError):
    """A date the timeline cannot show; the message says why and what range is valid."""


OUTSIDE = N_("{day} is outside the timeline ({start} to {end})")


def parse_date(text: str, ds: Dataset) -> dt.date:
    """An ISO date (YYYY-MM-DD) inside the dataset's timeline, or a DateError saying what was wrong."""
    raw = (text or "").strip()
    try:
        if len(raw) != 10:
            raise ValueError
        day = dt.date.fromisoformat(raw)
    except ValueError:
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        raise DateError(
            N_("'{value}' is not a date; use YYYY-MM-DD, e.g. {example}"),
            value=shown,
            example=ds.default_date.isoformat(),
        ) from None
    outside = outside_values(ds, day)
    if outside:
        raise DateError(OUTSIDE, **outside)
    return day


def outside_timeline(ds: Dataset, day: dt.date) -> str | None:
    """Why `day` cannot be shown ('... is outside the timeline (start to end)'), or None when it is inside."""
    outside = outside_values(ds, day)
    return OUTSIDE.format(**outside) if outside else None


def outside_values(ds: Dataset, day: dt.date) -> dict[str, str] | None:
    """The values of `OUTSIDE` for `day` (ISO dates), or None when it is inside the timeline."""
    if ds.start <= day <= ds.end:
        return None
    return {"day": day.isoformat(), "start": ds.start.isoformat(), "end": ds.end.isoformat()}


def in_force(frame: gpd.GeoDataFrame, day: dt.date) -> gpd.GeoDataFrame:
    """Rows whose [valid_from, valid_to] (inclusive) contains `day`."""
    starts = frame["valid_from"]
    ends = frame["valid_to"]
    mask = [(s is not None and s <= day) and (e is None or day <= e) for s, e in zip(starts, ends)]
    return frame[np.array(mask, dtype=bool)]  # a boolean array, so an empty layer stays a frame with its columns


def _validity_breaks(ds: Dataset, layer_id: str) -> list[dt.date]:
    """The dates on which the set of a layer's features in force changes."""

    def make() -> list[dt.date]:
        frame = ds.layers[layer_id]
        breaks = {d for d in frame["valid_from"] if d is not None}
        breaks |= {e + dt.timedelta(days=1) for e in frame["valid_to"] if e is not None}
        return sorted(breaks)

    return _caches(ds).breaks.get_or_make(layer_id, make)


def in_force_period(ds: Dataset, layer_id: str, day: dt.date) -> int:
    """Which of a layer's periods `day` falls in, a period being days on which the same features are in force:
    two days of one period have the same features (a cheap key for what depends on them)."""
    return bisect.bisect_right(_validity_breaks(ds, layer_id), day)


def layer_in_force(ds: Dataset, layer_id: str, day: dt.date) -> gpd.GeoDataFrame:
    """`in_force` for a dataset layer, computed once per period in which the same features hold.

    The frame is shared between calls: treat it as read-only."""
    period = in_force_period(ds, layer_id, day)
    return _caches(ds).in_force.get_or_make((layer_id, period), lambda: in_force(ds.layers[layer_id], day))


@dataclass(frozen=True)
class ControlModel:
    """Baseline holdings and the dated changes grouped by date; what `control_on` replays."""

    baseline: dict[str, BaseGeometry]
    change_dates: list[dt.date]  # distinct dates, ascending
    steps: list[list[tuple[str, BaseGeometry]]]  # per date: (side, area) in the order the data gives
    change_ids: list[list[str]]
    support_steps: list[list[tuple[str, BaseGeometry]]]  # per date: (support level, area)


def control_model(ds: Dataset) -> ControlModel:
    return _caches(ds).control_model.get_or_make(lambda: _control_model(ds))


def _control_model(ds: Dataset) -> ControlModel:
    frame = ds.layers["control"]
    roles = frame["role"] if "role" in frame.columns else pd.Series(["baseline"] * len(frame), index=frame.index)
    base = frame[roles == "baseline"]
    baseline = {side: shapely.union_all(list(rows.geometry)) for side, rows in base.groupby("side")}
    chg = frame[roles.isin(["change", "confirmation"])]
    support = chg["support"] if "support" in chg.columns else pd.Series(["confirmed"] * len(chg), index=chg.index)
    grouped: dict[dt.date, list] = {}
    for day, fid, role, side, level, geom in sorted(
        zip(chg["valid_from"], chg["id"], roles[chg.index], chg["side"], support, chg.geometry),
        key=lambda r: (r[0], r[1]),
    ):
        grouped.setdefault(day, []).append(
            (fid, role, side, level if isinstance(level, str) else "confirmed", shapely.make_valid(geom))
        )
    dates = sorted(grouped)
    steps, ids, support_steps = [], [], []
    for day in dates:
        by_side: dict[str, list] = {}
        by_level: dict[str, list] = {}
        for fid, role, side, level, geom in grouped[day]:
            if role == "change":  # a confirmation changes no holder, only the support
                by_side.setdefault(side, []).append(geom)
            by_level.setdefault(level, []).append(geom)
        steps.append([(side, shapely.union_all(geoms)) for side, geoms in by_side.items()])
        support_steps.append([(level, shapely.union_all(geoms)) for level, geoms in by_level.items()])
        ids.append([fid for fid, role, _, _, _ in grouped[day] if role == "change"])
    return ControlModel(baseline, dates, steps, ids, support_steps)


def epoch_of(ds: Dataset, day: dt.date) -> int:
    """How many change dates are on or before `day` (control is the same on every day of an epoch)."""
    return bisect.bisect_right(control_model(ds).change_dates, day)


def _control_geoms(ds: Dataset, epoch: int) -> dict[str, BaseGeometry]:
    """Each side's area in the control state `epoch`, replayed from the nearest earlier state kept (or from the
    baseline). Only the states asked for are kept, not every one on the way: a process that draws one date (the
    `nkmap` program) holds one state instead of all ~37 (~6 MB of a PNG export's peak, bench_png_memory.py)."""
    memo = _caches(ds).control_geoms
    if epoch in memo:
        return memo[epoch]
    start = max((e for e in memo if e < epoch), default=0)
    state = memo[start] if start in memo else control_model(ds).baseline
    for step in control_model(ds).steps[start:epoch]:
        state = _after_step(state, step)
    memo[epoch] = state = dict(state)
    return state


def _after_step(state: dict[str, BaseGeometry], step: list[tuple[str, BaseGeometry]]) -> dict[str, BaseGeometry]:
    """The areas held once the changes of one date (side, area) have passed."""
    state = dict(state)
    for side, area in step:
        # Overlays on the files' own 1e-5° grid: edges that two files share to within a grid cell meet
        # exactly, instead of leaving hair-thin slivers of the previous holder.
        for other in list(state):
            if other != side:
                state[other] = shapely.difference(state[other], area, grid_size=GRID_DEG)
        state[side] = shapely.union(state[side], area, grid_size=GRID_DEG) if side in state else area
    return state


def held_areas(ds: Dataset, geoms: dict[str, BaseGeometry]) -> list[tuple[str, BaseGeometry]]:
    """(side, area) of the sides that hold ground in a control state, in the dataset's order of sides: what
    `control_on` has a row for."""
    return [(side, geoms[side]) for side in ds.sides if geoms.get(side) is not None and area_km2(geoms[side]) >= 0.01]


def replayed_control(ds: Dataset) -> Iterator[list[tuple[str, BaseGeometry]]]:
    """`held_areas` of every control state in turn, from the first, replayed without keeping them (states asked
    for before are used as they are): what `control_pieces` needs once, at the memory of one state."""
    memo = _caches(ds).control_geoms
    model = control_model(ds)
    state = model.baseline
    for epoch in range(len(model.change_dates) + 1):
        if epoch:
            state = memo[epoch] if epoch in memo else _after_step(state, model.steps[epoch - 1])
        yield held_areas(ds, state)


#: The support levels the map marks: ground whose current holder rests on less than a confirmed change.
UNCONFIRMED = ("claimed", "disputed")


def _support_geoms(ds: Dataset, epoch: int) -> dict[str, BaseGeometry]:
    """Per unconfirmed support level, the ground whose latest change of hands (up to `epoch`) had that support."""
    memo = _caches(ds).support_geoms
    if epoch in memo:
        return memo[epoch]
    if epoch == 0:
        state: dict[str, BaseGeometry] = {}
    else:
        state = dict(_support_geoms(ds, epoch - 1))
        for level, area in control_model(ds).support_steps[epoch - 1]:
            for other in list(state):
                if other != level:
                    state[other] = shapely.difference(state[other], area, grid_size=GRID_DEG)
            if level in UNCONFIRMED:
                state[level] = shapely.union(state[level], area, grid_size=GRID_DEG) if level in state else area
        state = {level: _polygonal(geom) for level, geom in state.items()}
    memo[epoch] = state
    return state


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The areal part of an overlay result (grid-snapped overlays can leave lines and points beside the polygons)."""
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _support_citations(ds: Dataset, level: str, first: dt.date, geom: BaseGeometry) -> list[dict]:
    """The citations of the change areas of this support level, in force by `first`, under `geom`: what the marked
    ground rests on (each source once)."""
    frame = ds.layers["control"]
    rows = frame[
        [
            (r == "change" and s == level and d is not None and d <= first)
            for r, s, d in zip(frame["role"], frame.get("support", [None] * len(frame)), frame["valid_from"])
        ]
    ]
    out, seen = [], set()
    with prepared(geom):
        for g, cited in zip(rows.geometry, rows["sources"]):
            if g is None or not shapely.intersects(geom, g) or area_km2(shapely.intersection(geom, g)) < 0.01:
                continue
            for c in cited:
                if c.get("id") not in seen:
                    seen.add(c.get("id"))
                    out.append(c)
    return out


def support_on(ds: Dataset, day: dt.date) -> gpd.GeoDataFrame:
    """The ground whose holder on `day` rests only on one side's claim (`claimed`) or on disputed sources
    (`disputed`): one row per level with `support`, `area_km2` and the geometry. Read-only shared frame."""
    epoch = epoch_of(ds, day)
    return _caches(ds).support_frame.get_or_make(epoch, lambda: _support_frame(ds, epoch))


def _support_frame(ds: Dataset, epoch: int) -> gpd.GeoDataFrame:
    geoms = _support_geoms(ds, epoch)
    first, last = epoch_bounds(ds, epoch)
    rows = []
    for level in UNCONFIRMED:
        geom = geoms.get(level)
        area = area_km2(geom)
        if area < 0.01:
            continue
        words = SUPPORT_TEXT[level]
        rows.append(
            {
                "id": f"support-{level}-{first.isoformat()}",
                "support": level,
                "name_en": words[0],
                "note": words[1],
                "area_km2": round(area, 1),
                "valid_from": first,
                "valid_to": last,
                "precision": "approximate",
                "sources": _support_citations(ds, level, first, geom),
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(
        rows,
        columns=[
            "id",
            "support",
            "name_en",
            "note",
            "area_km2",
            "valid_from",
            "valid_to",
            "precision",
            "sources",
            "geometry",
        ],
        geometry="geometry",
        crs=4326,
    )


def support_history(ds: Dataset) -> gpd.GeoDataFrame:
    """`support_on` for every control state, one row per level and state (for maps that step in the browser)."""

    def make() -> gpd.GeoDataFrame:
        frames = [support_on(ds, epoch_bounds(ds, e)[0]) for e in range(epoch_count(ds))]
        frames = [f for f in frames if not f.empty]
        return (
            gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
            if frames
            else support_on(ds, ds.start)
        )

    return _caches(ds).support_history.get_or_make(make)


SUPPORT_TEXT = {
    "claimed": (
        "Claimed by one side only",
        "Ground whose last change of hands rests on one side's announcement: no independent report or "
        "acknowledgement by the other side was found.",
    ),
    "disputed": (
        "Disputed",
        "Ground whose last change of hands one side claimed and the other denied, with no independent report found.",
    ),
}


def epoch_count(ds: Dataset) -> int:
    """How many states of control the dataset has (epochs 0 .. count - 1): one more than its change dates."""
    return len(control_model(ds).change_dates) + 1


def epoch_bounds(ds: Dataset, epoch: int) -> tuple[dt.date, dt.date]:
    """The first and last day on which control is in the state `epoch`."""
    dates = control_model(ds).change_dates
    first = ds.start if epoch == 0 else dates[epoch - 1]
    last = ds.end if epoch >= len(dates) else dates[epoch] - dt.timedelta(days=1)
    return first, last


def control_on(ds: Dataset, day: dt.date) -> gpd.GeoDataFrame:
    """Who held what on `day`: one row per side with `side`, `area_km2`, `label_en` and the geometry.

    `valid_from`/`valid_to` give the period over which this state holds. The frame is shared: read-only."""
    epoch = epoch_of(ds, day)
    return _caches(ds).control_frame.get_or_make(epoch, lambda: _control_frame(ds, epoch))


def _control_frame(ds: Dataset, epoch: int) -> gpd.GeoDataFrame:
    first, last = epoch_bounds(ds, epoch)
    rows = []
    region = region_geometry(ds)
    for side, geom in held_areas(ds, _control_geoms(ds, epoch)):
        # Areas count the modelled region only: the rest of Azerbaijan and Armenia give every point of the frame
        # a holder, but the figures a reader compares with published ones are the region's.
        area = area_km2(geom.intersection(region)) if region is not None else area_km2(geom)
        rows.append(
            {
                "id": f"control-{side}-{first.isoformat()}",
                "side": side,
                "name_en": ds.sides[side]["label_en"],
                "label_en": ds.sides[side]["label_en"],
                "area_km2": round(area, 1),
                "changes_applied": sum(len(i) for i in control_model(ds).change_ids[:epoch]),
                "valid_from": first,
                "valid_to": last,
                "precision": "approximate",
                "derived_from": "geo/control.geojson: the baseline holdings and every dated change up to this date",
                "sources": _epoch_citations(ds, side, first),
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def region_geometry(ds: Dataset) -> BaseGeometry | None:
    """The modelled region (the manifest's `region_layer`) as one geometry, or None when the dataset has none."""

    def make() -> BaseGeometry | None:
        layer = ds.manifest.get("region_layer")
        frame = ds.layers.get(layer) if layer else None
        return shapely.union_all(list(frame.geometry)) if frame is not None and not frame.empty else None

    return _caches(ds).region_geometry.get_or_make(make)


def _epoch_citations(ds: Dataset, side: str | None, first: dt.date) -> list[dict]:
    """What a computed area or line rests on: the citations of the side's baseline and of the changes that took
    effect on the first day of its period (each source once)."""
    frame = ds.layers["control"]
    out, seen = [], set()
    for role, s, d, cited in zip(frame["role"], frame["side"], frame["valid_from"], frame["sources"]):
        if side is not None and s != side:
            continue
        if (role == "baseline" and side is not None) or (role == "change" and d == first):
            for c in cited:
                if c.get("id") not in seen:
                    seen.add(c.get("id"))
                    out.append(c)
    return out


def held_in_country_km2(ds: Dataset, day: dt.date, side: str, country_id: str) -> float:
    """km² of a country of the frame that `side` held on `day` (e.g. Armenia held by Azerbaijani forces); once per
    control state, since the panel asks on every date step and the frame's polygons are large."""

    def measure() -> float:
        countries = ds.layers.get("countries")
        frame = control_on(ds, day)
        if countries is None or side not in set(frame["side"]):
            return 0.0
        country = countries[countries["id"] == country_id]
        if country.empty:
            return 0.0
        geom = frame[frame["side"] == side].geometry.iloc[0]
        return area_km2(shapely.intersection(geom, shapely.union_all(list(country.geometry))))

    return _caches(ds).held_in_country.get_or_make((epoch_of(ds, day), side, country_id), measure)


def areas_on(ds: Dataset, day: dt.date) -> dict[str, float]:
    """km² held by each side on `day` (sides holding nothing are 0)."""
    frame = control_on(ds, day)
    areas = {side: 0.0 for side in ds.sides}
    areas.update(dict(zip(frame["side"], frame["area_km2"])))
    return areas


def area_change_since_war(ds: Dataset, day: dt.date) -> dict[str, float]:
    """km² gained (+) or lost (-) by each side between the eve of the war (26 Sep 2020) and `day`."""
    before = areas_on(ds, WAR_START - dt.timedelta(days=1))
    now = areas_on(ds, day)
    return {side: round(now[side] - before[side], 1) for side in now}


def changes_on(ds: Dataset, day: dt.date) -> gpd.GeoDataFrame:
    """The control change features dated `day` (what changed hands that day); the frame is shared between calls:
    treat it as read-only."""
    memos = _caches(ds)
    dates = memos.change_dates.get_or_make(lambda: _change_dates(ds))
    key = day if day in dates else None  # every day without a change shares one empty frame

    def make() -> gpd.GeoDataFrame:
        frame = ds.layers["control"]
        roles = frame.get("role")
        mask = [(r == "change") and (d == day) for r, d in zip(roles, frame["valid_from"])]
        return frame[np.array(mask, dtype=bool)]

    return memos.changes_on.get_or_make(key, make)


def _change_dates(ds: Dataset) -> frozenset[dt.date]:
    frame = ds.layers["control"]
    roles = frame.get("role")
    return frozenset(d for r, d in zip(roles, frame["valid_from"]) if r == "change" and d is not None)


def _foreign_border_zone(ds: Dataset) -> BaseGeometry:
    return _caches(ds).foreign_border_zone.get_or_make(lambda: _make_foreign_border_zone(ds))


def _make_foreign_border_zone(ds: Dataset) -> BaseGeometry:
    countries = ds.layers.get("countries")
    if countries is None or countries.empty:
        zone = shapely.Polygon()
    else:
        foreign = countries[countries["id"].isin(FOREIGN_COUNTRIES)]
        zone = shapely.union_all(list(foreign.geometry)).buffer(BORDER_TOLERANCE_DEG)
    return zone


def front_line(ds: Dataset, day: dt.date) -> BaseGeometry:
    """The line between the sides on `day`, derived from control: the edge of the area held by Artsakh and the
    peacekeepers, less the stretches that are Armenia's or Iran's international border."""
    return _caches(ds).front_line.get_or_make(epoch_of(ds, day), lambda: _front_line(ds, epoch_of(ds, day)))


def _front_line(ds: Dataset, epoch: int) -> BaseGeometry:
    geoms = _control_geoms(ds, epoch)
    held = shapely.union_all([g for s, g in geoms.items() if s != "azerbaijan" and g is not None])
    # An opening (shrink, then grow back) drops the hair-thin slivers that polygon overlays leave behind, which
    # would otherwise draw stray strokes far from any front.
    held = held.buffer(-SLIVER_DEG, join_style="mitre").buffer(SLIVER_DEG, join_style="mitre")
    line = held.boundary.difference(_foreign_border_zone(ds))
    line = shapely.line_merge(line) if not line.is_empty else line
    return line.simplify(0.0005) if not line.is_empty else line


def contact_line_on(ds: Dataset, day: dt.date) -> gpd.GeoDataFrame:
    """The stored line in force on `day`; on days no stored line covers (the war), the line derived from control."""
    stored = layer_in_force(ds, "contact_line", day) if "contact_line" in ds.layers else None
    if stored is not None and not stored.empty:
        return stored
    epoch = epoch_of(ds, day)
    memo = _caches(ds).front_frame
    if epoch in memo:
        return memo[epoch]
    line = front_line(ds, day)
    if line.is_empty:
        return (
            ds.layers["contact_line"].iloc[0:0]
            if "contact_line" in ds.layers
            else gpd.GeoDataFrame(geometry=[], crs=4326)
        )
    first, last = epoch_bounds(ds, epoch)
    row = {
        "id": f"front-derived-{first.isoformat()}",
        "name_en": f"Front line from {first:%d %b %Y} (derived from the control areas)",
        "kind": "front_derived",
        "valid_from": first,
        "valid_to": last,
        "precision": "approximate",
        "note": "Drawn where the areas of the two sides meet on this date; each area change rests on dated, "
        "sourced claims (see the control layer), so the line is no more exact than they are.",
        "derived_from": "geo/control.geojson: dated, sourced change areas",
        "sources": _epoch_citations(ds, None, first),
        "geometry": line,
    }
    memo[epoch] = gpd.GeoDataFrame([row], geometry="geometry", crs=4326)
    return memo[epoch]


def places_on(ds: Dataset, day: dt.date) -> gpd.GeoDataFrame:
    """Places in force on `day`, each with `side_on`: the side whose control area contains it that day.

    Read-only shared frame (one per control state and places period)."""
    key = (epoch_of(ds, day), in_force_period(ds, "places", day))
    memo = _caches(ds).places_on
    if key in memo:
        return memo[key]
    places = layer_in_force(ds, "places", day).copy()
    sides = pd.Series([None] * len(places), index=places.index, dtype=object)
    if not places.empty:
        control = control_on(ds, day)
        xs, ys = places.geometry.x.to_numpy(), places.geometry.y.to_numpy()
        for side, geom in zip(control["side"], control.geometry):
            with prepared(geom):
                sides[shapely.contains_xy(geom, xs, ys)] = side
        # Villages on the Araz bank can fall a few hundred metres into Iran on Natural Earth's generalised border:
        # they take the side of the nearest area within PLACE_SNAP_DEG rather than none.
        for i in [i for i, s in zip(range(len(places)), sides) if s is None]:
            point = places.geometry.iloc[i]
            distances = [(geom.distance(point), side) for side, geom in zip(control["side"], control.geometry)]
            if distances and min(distances)[0] <= PLACE_SNAP_DEG:
                sides.iloc[i] = min(distances)[1]
    places["side_on"] = sides
    memo[key] = places
    return places


def events_on(ds: Dataset, day: dt.date) -> gpd.GeoDataFrame:
    """The events dated `day`; when there are none, those of the latest earlier date that has some."""
    latest = events_date(ds, day)
    events = ds.layers["events"]
    if latest is None:
        return events.iloc[0:0]
    return _caches(ds).events_on.get_or_make(latest, lambda: events[[d == latest for d in events["valid_from"]]])


def events_date(ds: Dataset, day: dt.date) -> dt.date | None:
    """The date whose events `events_on(ds, day)` gives: `day` or the latest earlier date with events (None: none
    before)."""
    dates = _caches(ds).event_dates.get_or_make(
        lambda: sorted({d for d in ds.layers["events"]["valid_from"] if d is not None})
    )
    i = bisect.bisect_right(dates, day)
    return dates[i - 1] if i else None


def layer_on(ds: Dataset, layer_id: str, day: dt.date) -> gpd.GeoDataFrame:
    """Features of one layer in force on `day` (control and the contact line computed, the rest filtered)."""
    if layer_id == "control":
        return control_on(ds, day)
    if layer_id == "contact_line":
        return contact_line_on(ds, day)
    if layer_id == "places":
        return places_on(ds, day)
    if layer_id == "events":
        return layer_in_force(ds, "events", day)
    if layer_id == SUPPORT_LAYER:
        return support_on(ds, day)
    return layer_in_force(ds, layer_id, day)


def state_on(ds: Dataset, day: dt.date, layers: list[str] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Every (or the named) layer's features in force on `day`, keyed by layer id, in manifest order."""
    wanted = layers if layers is not None else [s.id for s in ds.layer_specs]
    return {spec.id: layer_on(ds, spec.id, day) for spec in ds.layer_specs if spec.id in wanted}


@dataclass
class TimelineCaches:
    """What the timeline computes once per dataset (`Dataset.caches(TimelineCaches)`); frames are read-only."""

    breaks: Memo[str, list[dt.date]] = field(default_factory=Memo)  # per layer: the dates its features in force change
    in_force: Memo[tuple[str, int], gpd.GeoDataFrame] = field(default_factory=Memo)  # (layer, period): rows in force
    control_model: Once[ControlModel] = field(default_factory=Once)  # the baseline and the dated changes, grouped
    control_geoms: Memo[int, dict[str, BaseGeometry]] = field(default_factory=Memo)  # per epoch: side -> area held
    support_geoms: Memo[int, dict[str, BaseGeometry]] = field(default_factory=Memo)  # per epoch: level -> ground
    support_frame: Memo[int, gpd.GeoDataFrame] = field(default_factory=Memo)  # per epoch: `support_on`'s frame
    support_history: Once[gpd.GeoDataFrame] = field(default_factory=Once)  # `support_history`: every epoch's rows
    control_frame: Memo[int, gpd.GeoDataFrame] = field(default_factory=Memo)  # per epoch: `control_on`'s frame
    region_geometry: Once[BaseGeometry | None] = field(default_factory=Once)  # the manifest's region, one geometry
    foreign_border_zone: Once[BaseGeometry] = field(default_factory=Once)  # Armenia's and Iran's borders, buffered
    front_line: Memo[int, BaseGeometry] = field(default_factory=Memo)  # per epoch: the front derived from control
    front_frame: Memo[int, gpd.GeoDataFrame] = field(default_factory=Memo)  # per epoch: `contact_line_on`'s frame
    places_on: Memo[tuple[int, int], gpd.GeoDataFrame] = field(default_factory=Memo)  # (epoch, period): places + side
    event_dates: Once[list[dt.date]] = field(default_factory=Once)  # the distinct event dates, ascending
    events_on: Memo[dt.date, gpd.GeoDataFrame] = field(default_factory=Memo)  # per event date: its events
    change_dates: Once[frozenset[dt.date]] = field(default_factory=Once)  # the dates of the control changes
    changes_on: Memo[dt.date | None, gpd.GeoDataFrame] = field(default_factory=Memo)  # per change date (None: none)
    held_in_country: Memo[tuple[int, str, str], float] = field(default_factory=Memo)  # (epoch, side, country): km²


def _caches(ds: Dataset) -> TimelineCaches:
    return ds.caches(TimelineCaches)
