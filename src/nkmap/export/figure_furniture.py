"""Map furniture on the static map: the scale bar, the north arrow and the locator map."""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.collections import PatchCollection
from matplotlib.patches import PathPatch, Rectangle
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from nkmap.export.figure_drawing import HALO, WATER, polygon_path, project
from nkmap.export.figure_parts import FigureParts
from nkmap.text import export_text as tx


def draw_scale_and_north(mf: FigureParts) -> None:
    """A round-length scale bar (about a fifth of the map's width) and a north arrow, kept in `mf.map_furniture`
    so town names avoid them."""
    width_m = mf.extent[2] - mf.extent[0]
    target = width_m / 5
    exp = 10 ** np.floor(np.log10(target))
    length = max(v * exp for v in (1, 2, 5) if v * exp <= target)
    km = length / 1000
    label = tx.scale_label(km, mf.lang)
    bar = AnchoredSizeBar(
        mf.ax.transData,
        length,
        label,
        loc="lower left",
        pad=0.5,
        borderpad=0.8,
        sep=3 * mf.scale,
        frameon=True,
        size_vertical=width_m / 350,
        color="#222222",
        fontproperties={"size": mf.fs(8)},
    )
    bar.patch.set_alpha(0.8)
    bar.patch.set_edgecolor("none")
    bar.set_zorder(20)
    mf.ax.add_artist(bar)
    # North is straight up along the projection's central meridian; elsewhere in the region within ~1°.
    north = mf.ax.annotate(
        tx.ui("north", mf.lang),
        xy=(0.965, 0.955),
        xytext=(0.965, 0.865),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="center",
        fontsize=mf.fs(10),
        fontweight="bold",
        zorder=20,
        arrowprops=dict(arrowstyle="-|>", color="#222222", lw=1.4 * mf.scale, mutation_scale=14 * mf.scale),
        bbox=dict(boxstyle="circle,pad=0.25", fc="white", ec="none", alpha=0.8),
    )
    mf.map_furniture = [bar, north]


def draw_locator(mf: FigureParts, rect: tuple[float, float, float, float]) -> None:
    """A small overview of the wider region in `rect` (figure fraction) with the map's extent outlined in red."""
    ax = mf.fig.add_axes(rect)
    ax.set_facecolor(WATER)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6 * mf.scale)
        spine.set_color("#777777")
    ex0, ey0, ex1, ey1 = mf.extent
    cx, cy = (ex0 + ex1) / 2, (ey0 + ey1) / 2
    w_px, h_px = rect[2] * mf.opt.width, rect[3] * mf.opt.height
    half_w = max((ex1 - ex0) * 2.2, 380_000)
    half_h = half_w * h_px / w_px
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_aspect("equal", adjustable="box")
    countries = mf.ds.layers.get("countries")
    if countries is not None and not countries.empty:
        box = shapely.box(cx - half_w * 1.2, cy - half_h * 1.2, cx + half_w * 1.2, cy + half_h * 1.2)
        geoms = [shapely.intersection(g, box) for g in project(np.asarray(countries.geometry))]
        geoms = [shapely.simplify(g, half_w / 400) for g in geoms]
        paths = [p for p in (polygon_path(g) for g in geoms if not g.is_empty) if p]
        ax.add_collection(
            PatchCollection(
                [PathPatch(p) for p in paths], facecolor="#ebe7df", edgecolor="#8f8f8f", linewidths=0.5 * mf.scale
            )
        )
        for props, g in zip(countries.to_dict("records"), geoms):
            inside = g.intersection(shapely.box(cx - half_w, cy - half_h, cx + half_w, cy + half_h))
            if inside.is_empty or inside.area < 0.05 * (4 * half_w * half_h):
                continue
            pt = shapely.point_on_surface(inside)
            ax.text(
                pt.x,
                pt.y,
                tx.country_name(props, mf.lang).split(" (")[0],
                fontsize=mf.fs(6),
                ha="center",
                va="center",
                color="#555555",
                path_effects=HALO,
                clip_on=True,
            )
    region_layer = mf.ds.manifest.get("region_layer")
    if region_layer in mf.ds.layers and not mf.ds.layers[region_layer].empty:
        region = project(shapely.union_all(list(mf.ds.layers[region_layer].geometry)))
        path = polygon_path(region)
        if path is not None:
            ax.add_patch(PathPatch(path, facecolor="#b9b2a6", edgecolor="none"))
    ax.add_patch(
        Rectangle((ex0, ey0), ex1 - ex0, ey1 - ey0, fill=False, edgecolor="#c0392b", linewidth=1.3 * mf.scale, zorder=5)
    )
