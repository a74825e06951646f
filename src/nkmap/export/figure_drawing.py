"""Drawing primitives shared by the static map's modules: the map projection, shapely geometry as matplotlib
paths and line segments, Leaflet styles as matplotlib colours and dashes, and the base colours.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.colors import to_rgb
from matplotlib.path import Path as MplPath

from nkmap.data.geometry import EQUAL_AREA_FROM_LONLAT

WATER = "#dae4ea"
LAND = "#f2efe9"
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]

to_map = EQUAL_AREA_FROM_LONLAT  # the map is drawn in the region's equal-area projection


def project(geoms):
    """Lon/lat shapely geometry (or an array of them) into the map's metres."""
    return shapely.transform(geoms, lambda xy: np.column_stack(to_map.transform(xy[:, 0], xy[:, 1])))


def polygon_path(geom) -> MplPath | None:
    """One compound path for a (multi)polygon with holes (rings oriented so holes stay empty)."""
    verts, codes = [], []
    for poly in shapely.get_parts(shapely.orient_polygons(geom)):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            verts.append(xy)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def line_segments(geom) -> list[np.ndarray]:
    """Vertex arrays of every line (or polygon ring) in a geometry, for a LineCollection."""
    out = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            out += [np.asarray(r.coords)[:, :2] for r in [part.exterior, *part.interiors]]
        elif part.geom_type == "LineString":
            out.append(np.asarray(part.coords)[:, :2])
        elif part.geom_type.startswith("Multi") or part.geom_type == "GeometryCollection":
            out += line_segments(part)
    return [s for s in out if len(s) >= 2]


def blend(color: str, alpha: float, under: str = LAND) -> tuple[float, float, float, float]:
    """An opaque colour that looks like `color` at `alpha` over `under` (no seams where pieces touch)."""
    c, u = np.array(to_rgb(color)), np.array(to_rgb(under))
    return (*(alpha * c + (1 - alpha) * u), 1.0)


def dash_style(style: dict[str, Any], lw: float):
    """Leaflet's dashArray ('8 4', in pixels) as a matplotlib dash pattern in points."""
    dash = style.get("dashArray") or style.get("dash")
    if not dash:
        return "solid"
    values = [float(v) for v in re.split(r"[ ,]+", str(dash).strip()) if v]
    if not values:
        return "solid"
    return (0, tuple(max(v * 0.6 / max(lw, 0.1), 0.1) for v in values))
