"""A place's mini-map as inline SVG, drawn in Python: the ground around the place coloured by who held it on a
date, the front line of that date, the region's and districts' outlines, the place as a dot, a scale bar and a
locator of the whole region. No script and no tiles, so a place page is light, prints and works anywhere.

The window is a fixed box of about 50 x 40 km centred on the place, in a local equirectangular projection
(longitude scaled by the cosine of the place's latitude), simplified to half a pixel.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from nkmap.data.dataset import Dataset
from nkmap.data.memo import Once
from nkmap.model.timeline import contact_line_on, control_on, region_geometry
from nkmap.text.map_css import BACKGROUND
from nkmap.text.style import side_color

WIDTH, HEIGHT = 400, 300  # px of the viewBox
HALF_LAT = 0.2  # degrees of latitude from the centre to the top edge (about 22 km)
TOLERANCE_PX = 0.5  # simplification: nothing under half a pixel is drawn
SCALE_KM = 10
KM_PER_DEG_LAT = 111.32
INSET_WIDTH = 96  # px of the locator box of the whole region
OUTSIDE_FILL = "#f2f0eb"  # land of countries that no side of the model holds (Iran, Georgia ...)
FRONT_COLOR = "#111111"


@dataclass(frozen=True)
class MiniMap:
    """The SVG and what its legend must explain (sides present, whether a front line is drawn)."""

    svg: str
    sides: tuple[str, ...]
    has_front: bool


class _Frame:
    """The window around a place and its projection to the SVG's pixels."""

    def __init__(self, lon: float, lat: float):
        self.lon, self.lat = lon, lat
        self.scale = HEIGHT / (2 * HALF_LAT)  # px per degree of latitude
        self.kx = math.cos(math.radians(lat)) * self.scale  # px per degree of longitude
        half_lon = (WIDTH / 2) / self.kx
        self.bbox = (lon - half_lon, lat - HALF_LAT, lon + half_lon, lat + HALF_LAT)

    def project(self, geom: BaseGeometry) -> BaseGeometry:
        def to_px(coords: np.ndarray) -> np.ndarray:
            return np.column_stack(
                ((coords[:, 0] - self.lon) * self.kx + WIDTH / 2, (self.lat - coords[:, 1]) * self.scale + HEIGHT / 2)
            )

        return shapely.transform(geom, to_px)

    def clip(self, geom: BaseGeometry | None) -> BaseGeometry | None:
        """The part of `geom` in the window, in pixels and simplified; None when nothing of it shows."""
        if geom is None or geom.is_empty:
            return None
        # A margin of a few pixels, so that clipped edges fall outside the visible box.
        pad = 4 / self.scale
        x0, y0, x1, y1 = self.bbox
        part = shapely.clip_by_rect(geom, x0 - pad * 2, y0 - pad, x1 + pad * 2, y1 + pad)
        if part.is_empty:
            return None
        part = self.project(part).simplify(TOLERANCE_PX)
        return None if part.is_empty else part


def _px(value: float) -> str:
    """A vertex of a shape in whole pixels: the shapes are simplified to half a pixel already, and the site holds
    a mini-map per place (a quarter of the bytes of tenths of a pixel)."""
    return str(round(value))


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ring(coords) -> str:
    points = [f"{_px(x)} {_px(y)}" for x, y in coords]
    return "M" + "L".join(points) + "Z"


def path_data(geom: BaseGeometry | None) -> str:
    """SVG path data for any shapely geometry in pixels (polygons closed, lines open, points ignored)."""
    if geom is None or geom.is_empty:
        return ""
    kind = geom.geom_type
    if kind == "Polygon":
        return "".join(_ring(r.coords[:-1]) for r in (geom.exterior, *geom.interiors) if len(r.coords) > 3)
    if kind in ("LineString", "LinearRing"):
        coords = list(geom.coords)
        if len(coords) < 2:
            return ""
        return "M" + "L".join(f"{_px(x)} {_px(y)}" for x, y in coords)
    if hasattr(geom, "geoms"):
        return "".join(path_data(g) for g in geom.geoms)
    return ""


def _boundary(geom: BaseGeometry | None) -> BaseGeometry | None:
    return None if geom is None or geom.is_empty else geom.boundary


def minimap(ds: Dataset, name: str | None, lon: float, lat: float, day: dt.date, caption: str | None = None) -> MiniMap:
    """The SVG of the place's surroundings on `day`. `name` labels the dot; `caption` is the SVG's title (plain
    text, escaped here). Without either it is the same picture in every language: the site writes it once as a
    file (places/map/<id>.svg) and each language's page puts its own name and caption beside it."""
    frame = _Frame(lon, lat)
    parts = [
        f'<svg class="minimap" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"'
        + (f' role="img" aria-label="{html.escape(caption, quote=True)}"' if caption is not None else "")
        + ' xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html.escape(caption)}</title>" if caption is not None else "",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{BACKGROUND}"/>',
    ]
    caches = ds.caches(MinimapCaches)
    land = frame.clip(caches.land.get_or_make(lambda: _union_of(ds, "countries")))
    if land is not None:
        parts.append(f'<path d="{path_data(land)}" fill="{OUTSIDE_FILL}" stroke="none"/>')
    sides = []
    control = control_on(ds, day)
    for side, geom in zip(control["side"], control.geometry):
        clipped = frame.clip(geom)
        if clipped is None or clipped.area < 1:  # under a square pixel: nothing to see or explain
            continue
        sides.append(str(side))
        color = html.escape(side_color(ds, side), quote=True)
        parts.append(
            f'<path d="{path_data(clipped)}" fill="{color}" fill-opacity="0.55" fill-rule="evenodd" '
            f'stroke="{color}" stroke-width="0.6"/>'
        )
    edges = frame.clip(caches.district_edges.get_or_make(lambda: _edges_of(ds, "districts")))
    if edges is not None:
        parts.append(f'<path d="{path_data(edges)}" fill="none" stroke="#777" stroke-width="0.7"/>')
    region = region_geometry(ds)
    outline = frame.clip(_boundary(region))
    if outline is not None:
        parts.append(
            f'<path d="{path_data(outline)}" fill="none" stroke="#333" stroke-width="1.4" stroke-dasharray="6 3"/>'
        )
    lines = contact_line_on(ds, day)
    front = frame.clip(shapely.union_all(list(lines.geometry))) if not lines.empty else None
    front_d = path_data(front)
    if front_d:
        parts.append(f'<path d="{front_d}" fill="none" stroke="{FRONT_COLOR}" stroke-width="2.2"/>')
    cx, cy = WIDTH / 2, HEIGHT / 2
    parts.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="5.5" fill="#fff" stroke="#000" stroke-width="2.5"/>')
    if name is not None:
        parts.append(
            f'<text x="{_num(cx + 10)}" y="{_num(cy + 4)}" class="minimap-label" font-size="14" font-weight="700" '
            f'fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke">{html.escape(name)}</text>'
        )
    parts.append(_scale_bar(frame))
    parts.append(_locator(frame, region))
    parts.append("</svg>")
    return MiniMap("".join(parts), tuple(sides), bool(front_d))


def _scale_bar(frame: _Frame) -> str:
    length = SCALE_KM / KM_PER_DEG_LAT * frame.scale
    x, y = 12, HEIGHT - 14
    return (
        f'<g class="minimap-scale"><rect x="{x - 4}" y="{y - 16}" width="{_num(length + 8)}" height="24" '
        f'fill="#fff" fill-opacity="0.8"/>'
        f'<path d="M{x} {y - 4}V{y}H{_num(x + length)}V{y - 4}" fill="none" stroke="#111" stroke-width="1.5"/>'
        f'<text x="{x}" y="{y - 6}" font-size="11" fill="#111">{SCALE_KM} km</text></g>'
    )


def _locator(frame: _Frame, region: BaseGeometry | None) -> str:
    """A small box in the top-right corner: the whole region's outline with the window marked on it."""
    if region is None or region.is_empty:
        return ""
    x0, y0, x1, y1 = region.bounds
    pad = 0.08
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    kx = math.cos(math.radians((y0 + y1) / 2))
    scale = INSET_WIDTH / ((x1 - x0) * kx)
    height = (y1 - y0) * scale
    left, top = WIDTH - INSET_WIDTH - 6, 6

    def to_inset(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(((coords[:, 0] - x0) * kx * scale + left, (y1 - coords[:, 1]) * scale + top))

    shape = shapely.transform(region, to_inset).simplify(0.6)
    wx0, wy0, wx1, wy1 = frame.bbox
    box = shapely.transform(shapely.box(wx0, wy0, wx1, wy1), to_inset)
    bx0, by0, bx1, by1 = box.bounds
    # The window box, clipped to the inset so that a place at the region's edge still shows where it is.
    bx0, by0 = max(bx0, left), max(by0, top)
    bx1, by1 = min(bx1, left + INSET_WIDTH), min(by1, top + height)
    return (
        f'<g class="minimap-locator"><rect x="{left}" y="{top}" width="{INSET_WIDTH}" height="{_num(height)}" '
        f'fill="#fff" fill-opacity="0.85" stroke="#999" stroke-width="0.8"/>'
        f'<path d="{path_data(shape)}" fill="#ddd" stroke="#333" stroke-width="0.8"/>'
        f'<rect x="{_num(bx0)}" y="{_num(by0)}" width="{_num(max(bx1 - bx0, 2))}" height="{_num(max(by1 - by0, 2))}" '
        f'fill="none" stroke="#c00" stroke-width="1.5"/></g>'
    )


def _union_of(ds: Dataset, layer_id: str) -> BaseGeometry | None:
    frame = ds.layers.get(layer_id)
    if frame is None or frame.empty:
        return None
    return shapely.union_all([g for g in frame.geometry if g is not None])


def _edges_of(ds: Dataset, layer_id: str) -> BaseGeometry | None:
    """The outlines of a layer's areas, each shared edge once."""
    frame = ds.layers.get(layer_id)
    if frame is None or frame.empty:
        return None
    return shapely.union_all([g.boundary for g in frame.geometry if g is not None])


@dataclass
class MinimapCaches:
    """What every mini-map of a dataset draws alike (`Dataset.caches(MinimapCaches)`)."""

    land: Once[BaseGeometry | None] = field(default_factory=Once)  # every country of the frame, one geometry
    district_edges: Once[BaseGeometry | None] = field(default_factory=Once)  # the districts' outlines
