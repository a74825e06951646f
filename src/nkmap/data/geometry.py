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

# The operations PROJ finds between EPSG:4326 (longitude first) and EQUAL_AREA, `Transformer.from_crs(4326,
# EQUAL_AREA, always_xy=True)` and back, written out: built from them, the transformers skip PROJ's search of its
# database for an operation, ~2.5 MB of every process's memory (bench/bench_png_memory.py).
# tests/test_timeline.py checks they are what from_crs finds and transform to the same bits.
TO_EQUAL_AREA = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
    "+step +proj=laea +lat_0=39.8 +lon_0=46.7 +x_0=0 +y_0=0 +ellps=WGS84"
)
FROM_EQUAL_AREA = (
    "+proj=pipeline +step +inv +proj=laea +lat_0=39.8 +lon_0=46.7 +x_0=0 +y_0=0 +ellps=WGS84 "
    "+step +proj=unitconvert +xy_in=rad +xy_out=deg"
)
#: Longitude/latitude to the equal-area projection's metres (the static map's projection too), and back.
EQUAL_AREA_FROM_LONLAT = Transformer.from_pipeline(TO_EQUAL_AREA)
LONLAT_FROM_EQUAL_AREA = Transformer.from_pipeline(FROM_EQUAL_AREA)


def to_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """The geometry in the region's equal-area projection (metres): for areas and buffers in real distances."""
    return shapely.transform(geom, lambda xy: np.column_stack(EQUAL_AREA_FROM_LONLAT.transform(xy[:, 0], xy[:, 1])))


def from_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """Back from `to_equal_area` to longitude/latitude."""
    return shapely.transform(geom, lambda xy: np.column_stack(LONLAT_FROM_EQUAL_AREA.transform(xy[:, 0], xy[:, 1])))


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
