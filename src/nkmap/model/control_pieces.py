"""Control as fixed pieces that change colour: the faces cut by every baseline and change area, and which side
holds each face in each epoch.

Animations and the standalone HTML draw the pieces once and only recolour them per date (the control state
changes on a few dozen dates, the timeline has thousands of days). The assignment replays the same baseline and
ordered changes as `timeline.control_on`, so a piece's side is the side whose area contains it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from nkmap.data.dataset import Dataset
from nkmap.data.geometry import prepared
from nkmap.data.memo import Once
from nkmap.data.process_memory import release_freed_memory
from nkmap.model.timeline import area_km2, epoch_of, replayed_control

NOBODY = -1


@dataclass(frozen=True)
class ControlPieces:
    """`geoms[i]` (EPSG:4326) is held by `sides[assign[epoch, i]]` (NOBODY = -1: by no side) in each epoch."""

    geoms: list[BaseGeometry]
    sides: list[str]
    change_dates: list[dt.date]
    assign: np.ndarray  # shape (epochs, pieces), int8

    def epoch_of(self, day: dt.date) -> int:
        return bisect.bisect_right(self.change_dates, day)

    def side_index_on(self, day: dt.date) -> np.ndarray:
        return self.assign[self.epoch_of(day)]

    def epoch_starts(self, ds: Dataset) -> list[dt.date]:
        """The first day of each epoch (epoch 0 starts with the timeline)."""
        return [ds.start, *self.change_dates]


def _faces(polys: list[BaseGeometry]) -> list[BaseGeometry]:
    """The faces of the arrangement of all the polygons' boundaries, inside at least one polygon."""
    rings = shapely.union_all([shapely.boundary(p) for p in polys if p is not None and not p.is_empty])
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(rings))))
    if not faces:
        return []
    cover = shapely.union_all(polys)
    shapely.prepare(cover)
    points = shapely.point_on_surface(faces)
    keep = shapely.contains(cover, points)
    return [shapely.make_valid(f) if not f.is_valid else f for f, k in zip(faces, keep) if k]


def change_dates(ds: Dataset) -> list[dt.date]:
    """The distinct dates on which a control change takes effect, ascending (the epoch boundaries)."""
    frame = ds.layers["control"]
    if "role" not in frame.columns:
        return []
    return sorted({d for r, d in zip(frame["role"], frame["valid_from"]) if r == "change" and d is not None})


def control_pieces(ds: Dataset) -> ControlPieces:
    """The pieces and their side per epoch for this dataset (computed once, kept on the dataset).

    Each epoch's sides are the areas `timeline.control_on` has for it (`timeline.replayed_control`), so pieces and
    the GeoJSON/area figures can never disagree about who held what.
    """
    return ds.caches(ControlPiecesCaches).pieces.get_or_make(lambda: _control_pieces(ds))


def _control_pieces(ds: Dataset) -> ControlPieces:
    frame = ds.layers["control"]
    roles = frame["role"] if "role" in frame.columns else ["baseline"] * len(frame)
    # A confirmation changes no holder, so it cuts no piece.
    faces = _faces(
        [shapely.make_valid(g) for g, r in zip(frame.geometry, roles) if g is not None and r != "confirmation"]
    )
    # The overlay of every boundary takes ~7 MB of the C heap for a moment; handed back at once, it is not kept
    # in the peak of a process that goes on to draw (bench/bench_png_memory.py).
    release_freed_memory(collect=False)
    dates = change_dates(ds)
    sides = list(ds.sides)
    index = {side: i for i, side in enumerate(sides)}
    points = shapely.point_on_surface(faces) if faces else np.array([])
    xs = shapely.get_x(points) if faces else np.array([])
    ys = shapely.get_y(points) if faces else np.array([])
    rows = []  # per control state of the timeline (a confirmation's date starts one too, with the same holders)
    for held in replayed_control(ds):  # each state's areas as `control_on` has them, one state at a time
        row = np.full(len(faces), NOBODY, dtype=np.int8)
        for side, geom in held:
            with prepared(geom):
                row[shapely.contains_xy(geom, xs, ys)] = index.get(side, NOBODY)
        rows.append(row)
    first = min(ds.start, dates[0] - dt.timedelta(days=1)) if dates else ds.start
    return ControlPieces(faces, sides, dates, np.vstack([rows[epoch_of(ds, day)] for day in [first, *dates]]))


@dataclass
class ControlPiecesCaches:
    """`Dataset.caches(ControlPiecesCaches)`."""

    pieces: Once[ControlPieces] = field(default_factory=Once)  # the dataset's pieces and their side per epoch


def piece_areas_km2(pieces: ControlPieces, within=None) -> np.ndarray:
    """Each piece's area in km², or the area of its part `within` a geometry (e.g. the modelled region)."""
    return np.array([area_km2(g if within is None else g.intersection(within)) for g in pieces.geoms])
