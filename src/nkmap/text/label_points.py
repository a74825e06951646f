"""Where a country's name goes: inside that country's own part of the view, outside the disputed region; and what
the name says in each interface language (`country_name`).

One rule for the app's map (`nkmap.web.mapview`), the standalone HTML (`nkmap.export.html_data`) and the static
exports (`nkmap.export.figure_labels`). A name placed on the whole country's shape can land anywhere its outline
allows: over the modelled region (a name over ground the other side held reads as a claim), or off the view, so
that neighbours in plain sight (Armenia, Iran) go unnamed. Pure geometry, in whatever coordinates it is given.
"""

from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from nkmap.data.dataset import Dataset
from nkmap.text.messages import Messages, messages_for
from nkmap.text.place_names import place_label

#: How far (degrees, about 3 km) a country's name keeps from the modelled region on the interactive maps.
CLEARANCE_DEG = 0.03
#: A country gets a name when its largest piece in the view, outside the region, is at least this share of the view.
MIN_SHARE = 0.04


def largest_polygon(geom: BaseGeometry) -> BaseGeometry | None:
    """The largest polygon of `geom` (None when it has no area)."""
    pieces = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon") and g.area > 0]
    polygons = [p for g in pieces for p in getattr(g, "geoms", [g])]
    return max(polygons, key=lambda p: p.area) if polygons else None


def country_label_point(
    country: BaseGeometry | None,
    view: BaseGeometry,
    avoid: BaseGeometry | None = None,
    min_share: float = MIN_SHARE,
) -> shapely.Point | None:
    """The point for a country's name: in the largest piece of (country ∩ view) − avoid, as far from that piece's
    edges as can be (its pole of inaccessibility, so the name sits well inside the country and the view); None
    when the country has no piece there of at least `min_share` of the view."""
    if country is None or country.is_empty:
        return None
    part = country.intersection(view)
    if avoid is not None and not avoid.is_empty:
        part = part.difference(avoid)
    piece = largest_polygon(part)
    if piece is None or piece.area < min_share * view.area:
        return None
    width = view.bounds[2] - view.bounds[0]
    point = polylabel(piece, tolerance=width / 500)
    return point if piece.contains(point) else piece.representative_point()


def map_label_point(
    country: BaseGeometry | None, view: BaseGeometry, avoid: BaseGeometry | None = None
) -> shapely.Point | None:
    """For a map the user can pan and zoom out (the app, the standalone HTML), with `view` its opening view: the
    point in the view (`country_label_point`), or, for a country with too little of itself in the view, a point
    in its part outside the view, so a zoomed-out map still names it without crowding the opening view."""
    inside = country_label_point(country, view, avoid)
    if inside is not None or country is None or country.is_empty:
        return inside
    rest = country.difference(view)
    return country_label_point(rest, rest.envelope, avoid, min_share=0.0) if not rest.is_empty else None


def opening_view(ds: Dataset) -> tuple[BaseGeometry, BaseGeometry | None]:
    """For the interactive maps (lon/lat): their opening view, the modelled region's bounds (which they fit to any
    screen), and the region, widened by CLEARANCE_DEG, that country names keep off."""
    frame = ds.layers.get(ds.manifest.get("region_layer", "region"))
    if frame is None or frame.empty:
        return shapely.box(45.0, 38.5, 48.5, 41.0), None  # no region: the area the map opens on
    region = shapely.union_all(list(frame.geometry))
    return shapely.box(*frame.total_bounds), region.buffer(CLEARANCE_DEG)


def country_names(m: Messages) -> dict[str, str]:
    """The countries of the base map by id, in `m`'s language (the data names them in English, az and hy only)."""
    return {
        "country-arm": m._("Armenia"),
        "country-aze": m._("Azerbaijan"),
        "country-irn": m._("Iran"),
        "country-geo": m._("Georgia"),
        "country-tur": m._("Turkey (Türkiye)"),
        "country-rus": m._("Russia"),
    }


def country_name(props: dict, lang: str = "en") -> str:
    """A country's name on the map for readers of `lang` (English: the data's `name_en`)."""
    if lang == "en":
        return str(props.get("name_en") or "")
    return country_names(messages_for(lang)).get(str(props.get("id")), "") or place_label(props, lang)
