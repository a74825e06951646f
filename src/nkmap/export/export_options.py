"""What an exported map shows and how big it is: size, dpi, layers, area (a named view or a bounding box),
label language and palette, checked against the dataset with messages that say what is allowed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import shapely

from nkmap.data.dataset import Dataset
from nkmap.export.export_files import ExportError
from nkmap.text.messages import LANGUAGES
from nkmap.text.style import PALETTES

# Views that do not depend on a layer; the rest are derived from the dataset's own layers (see `view_bounds`).
FIXED_VIEWS = {"caucasus": (43.0, 38.2, 50.6, 42.2)}
# view name -> (layer whose extent it shows, margin as a share of the extent, least half-size in degrees)
LAYER_VIEWS = {
    "region": ("region", 0.06, 0.2),
    "nkao": ("nkao", 0.12, 0.2),
    "lachin": ("lachin_corridor", 0.25, 0.25),
    "shusha": ("shusha", 0.0, 0.12),
}
MAX_PIXELS = 8000


@dataclass(frozen=True)
class MapOptions:
    """Everything that shapes one map besides the date (frozen: usable as a cache key)."""

    width: int = 1920
    height: int = 1080
    dpi: float = 150.0
    layers: tuple[str, ...] | None = None  # None: the manifest's default-visible layers
    area: str | tuple[float, float, float, float] | None = None  # None: the whole modelled region
    lang: str = "en"
    palette: str = "default"
    # Animations show where each frame falls in the animated period (a strip under the date).
    period: tuple[dt.date, dt.date] | None = None

    def with_(self, **changes) -> "MapOptions":
        return replace(self, **changes)


def parse_size(text: str) -> tuple[int, int]:
    """'1920x1080' (or 1920×1080) -> (1920, 1080), or ExportError."""
    raw = (text or "").lower().replace("×", "x").replace(" ", "")
    try:
        w, h = (int(v) for v in raw.split("x"))
    except ValueError:
        raise ExportError(f"size '{text}' is not WIDTHxHEIGHT in pixels, e.g. 1920x1080") from None
    return w, h


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    """'lon_min,lat_min,lon_max,lat_max' -> a tuple, or None when the text is not four numbers."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        return None
    try:
        return tuple(float(p) for p in parts)  # type: ignore[return-value]
    except ValueError:
        return None


def view_names(ds: Dataset) -> list[str]:
    names = [n for n, (layer, _, _) in LAYER_VIEWS.items() if layer in ds.layers and not ds.layers[layer].empty]
    return sorted({*names, *FIXED_VIEWS, *ds.manifest.get("views", {})})


def view_bounds(ds: Dataset, area: str | tuple | None) -> tuple[float, float, float, float]:
    """The lon/lat box an `area` option names: a manifest view, a built-in one, or a bounding box."""
    if area is None:
        area = "region" if "region" in view_names(ds) else None
    if area is None:
        return tuple(ds.layers["control"].total_bounds)  # type: ignore[return-value]
    if isinstance(area, str):
        bbox = parse_bbox(area)
        if bbox is None:
            views = ds.manifest.get("views", {})
            if area in views:
                return tuple(float(v) for v in views[area])  # type: ignore[return-value]
            if area in FIXED_VIEWS:
                return FIXED_VIEWS[area]
            if area in LAYER_VIEWS and area in view_names(ds):
                layer, margin, least = LAYER_VIEWS[area]
                x0, y0, x1, y1 = ds.layers[layer].total_bounds
                half_w = max((x1 - x0) * (0.5 + margin), least)
                half_h = max((y1 - y0) * (0.5 + margin), least * 0.77)
                cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
            raise ExportError(
                f"unknown area '{area}': use a view ({', '.join(view_names(ds))}) or lon_min,lat_min,lon_max,lat_max"
            )
        area = bbox
    x0, y0, x1, y1 = area
    if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        raise ExportError(f"area {x0},{y0},{x1},{y1} is not a box lon_min,lat_min,lon_max,lat_max in degrees")
    region = shapely.box(*ds.layers["control"].total_bounds)
    if not shapely.box(x0, y0, x1, y1).intersects(region):
        raise ExportError(f"area {x0},{y0},{x1},{y1} does not overlap the mapped region {tuple(region.bounds)}")
    return (x0, y0, x1, y1)


def check_options(ds: Dataset, options: MapOptions) -> MapOptions:
    """The options if the dataset can draw them; otherwise ExportError saying which value is wrong and why."""
    if not (16 <= options.width <= MAX_PIXELS and 16 <= options.height <= MAX_PIXELS):
        raise ExportError(f"size {options.width}x{options.height} is out of range (16 to {MAX_PIXELS} pixels a side)")
    if min(options.width, options.height) < 200:
        raise ExportError(
            f"size {options.width}x{options.height} is too small for a map with a legend (200 px a side at least)"
        )
    if not 20 <= options.dpi <= 1200:
        raise ExportError(f"dpi {options.dpi:g} is out of range (20 to 1200)")
    if options.lang not in LANGUAGES:
        raise ExportError(f"unknown label language '{options.lang}'; use one of {', '.join(LANGUAGES)}")
    if options.palette not in PALETTES:
        raise ExportError(f"unknown palette '{options.palette}'; use one of {', '.join(PALETTES)}")
    if options.layers is not None:
        known = {s.id for s in ds.layer_specs}
        unknown = [lid for lid in options.layers if lid not in known]
        if unknown:
            raise ExportError(f"unknown layer(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    view_bounds(ds, options.area)
    return options


def shown_layers(ds: Dataset, options: MapOptions) -> list[str]:
    """The layers drawn, in manifest order; the country borders are the base map and always drawn."""
    if options.layers is None:
        wanted = {s.id for s in ds.layer_specs if s.default_visible and s.display}
    else:
        wanted = set(options.layers)
    wanted.add("countries")
    return [s.id for s in ds.layer_specs if s.id in wanted and s.id in ds.layers]
