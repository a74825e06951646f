"""The region's equal-area projection: areas in km² and buffers in real distances; geometries prepared for a while."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

# Lambert azimuthal equal-area centred on the region: areas in km² without a global projection's distortion.
EQUAL_AREA = "+proj=laea +lat_0=39.8 +lon_0=46.7 +datum=WGS84 +units=m +no_defs"

_to_equal_area = Transformer.from_crs(4326, EQUAL_AREA, always_xy=True)
_from_equal_area = Transformer.from_crs(EQUAL_AREA, 4326, always_xy=True)


def to_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """The geometry in the region's equal-area projection (metres): for areas and buffers in real distances."""
    return shapely.transform(geom, lambda xy: np.column_stack(_to_equal_area.transform(xy[:, 0], xy[:, 1])))


def from_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """Back from `to_equal_area` to longitude/latitude."""
    return shapely.transform(geom, lambda xy: np.column_stack(_from_equal_area.transform(xy[:, 0], xy[:, 1])))


def area_km2(geom: BaseGeometry) -> float:
    """Area in km² in the region's equal-area projection."""
    if geom is None or geom.is_empty:
        return 0.0
    return to_equal_area(geom).area / 1e6


@contextmanager
def prepared(geom: BaseGeometry) -> Iterator[BaseGeometry]:
    """`geom` prepared (indexed) for many point or overlap tests in the block, and as it was again after it: the
    index of a geometry kept in a cache (a control state's area) would otherwise stay in memory with it, ~5 MB
    over the states a PNG export replays (bench_png_memory.py)."""
    already = bool(shapely.is_prepared(geom))
    shapely.prepare(geom)
    try:
        yield geom
    finally:
        if not already:
            shapely.destroy_prepared(geom)
