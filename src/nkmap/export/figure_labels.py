"""Names on the static map: countries and districts, which towns get a label, and placing town names so
they cover no other name (district names give way).
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import shapely

from nkmap.export.figure_drawing import HALO, project
from nkmap.export.figure_parts import FigureParts
from nkmap.text import export_text as tx
from nkmap.text.label_points import country_label_point
from nkmap.text.messages import messages_for

#: How far (metres) a country's name keeps from the modelled region.
REGION_CLEARANCE_M = 3000


def label_countries(mf: FigureParts) -> None:
    """Country names inside each country's own part of the view, away from the modelled region
    (`nkmap.text.label_points`, the same rule as the app's map)."""
    mf.country_labels = []
    view = shapely.box(*mf.extent)
    region_layer = mf.ds.manifest.get("region_layer")
    region = None
    if region_layer in mf.ds.layers and not mf.ds.layers[region_layer].empty:
        region = project(shapely.union_all(list(mf.ds.layers[region_layer].geometry))).buffer(REGION_CLEARANCE_M)
    for props, geom in mf.country_geoms:
        point = country_label_point(geom, view, region)
        if point is None:
            continue
        name = messages_for(mf.lang).upper(tx.country_name(props, mf.lang))
        mf.country_labels.append(
            mf.ax.text(
                point.x,
                point.y,
                name,
                ha="center",
                va="center",
                fontsize=mf.fs(11),
                color="#9a948a",
                fontweight="bold",
                zorder=9,
                path_effects=HALO,
                clip_on=True,
            )
        )


def label_districts(mf: FigureParts) -> None:
    """District names in small italics (dropped later where they would cover a town's name)."""
    mf.district_labels = []
    frame = mf.ds.layers["districts"]
    view = shapely.box(*mf.extent)
    view_area = view.area
    for props, geom in zip(frame.to_dict("records"), project(np.asarray(frame.geometry))):
        part = geom.intersection(view) if geom is not None else None
        if part is None or part.is_empty or part.area < 0.008 * view_area:
            continue
        point = shapely.point_on_surface(part)
        name = tx.place_name(props, mf.lang)
        mf.district_labels.append(
            mf.ax.text(
                point.x,
                point.y,
                "\n".join(textwrap.wrap(name, 18)),
                ha="center",
                va="center",
                fontsize=mf.fs(6.3),
                color="#6b6b6b",
                fontstyle="italic",
                zorder=8.5,
                path_effects=HALO,
                clip_on=True,
            )
        )


def place_rank(props: dict[str, Any]) -> int:
    """Which town names are placed first: capitals, then cities, then towns, then the rest."""
    kind = str(props.get("type") or props.get("kind") or "").lower()
    return {"capital": 0, "city": 1, "town": 2}.get(kind, 3)


def labelled_place(props: dict[str, Any], count: int) -> bool:
    """Towns get a label; villages only when there are few places (labels would hide the map)."""
    kind = str(props.get("type") or props.get("kind") or props.get("place_type") or "").lower()
    if props.get("label") is True or kind in ("city", "town", "capital", "district_centre", "district_center"):
        return True
    return count <= 15


def declutter(mf: FigureParts) -> None:
    """Place town names where they cover no other name (right, left, above or below the dot), biggest first;
    then drop the district names that would cover a town's name."""
    renderer = mf.canvas.get_renderer()
    placed = [t.get_window_extent(renderer).expanded(1.05, 1.1) for t in mf.country_labels]
    placed += [a.get_window_extent(renderer) for a in mf.map_furniture]  # north arrow, scale bar
    if mf.places is not None:
        offsets = [
            ((4, 0), "left", "center"),
            ((-4, 0), "right", "center"),
            ((0, 3), "center", "bottom"),
            ((0, -3), "center", "top"),
        ]
        order = sorted(mf.place_labels, key=lambda pid: (mf.place_label_rank[pid], pid))
        for pid in order:
            label = mf.place_labels[pid]
            for (dx, dy), ha, va in offsets:
                label.xyann = (dx * mf.scale, dy * mf.scale)
                label.set_ha(ha)
                label.set_va(va)
                box = label.get_window_extent(renderer)
                if not any(box.overlaps(other) for other in placed):
                    break
            else:
                label.xyann = (offsets[0][0][0] * mf.scale, 0)
                label.set_ha("left")
                label.set_va("center")
                box = label.get_window_extent(renderer)
            placed.append(box)
    for label in mf.district_labels:
        box = label.get_window_extent(renderer)
        if any(box.overlaps(other) for other in placed):
            label.set_visible(False)
        else:
            placed.append(box)
