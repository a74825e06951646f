"""A finished map of the dataset as a matplotlib figure: drawn once, then shown for any date.

The geometry (base map, control pieces, lines, places) is laid out once per dataset and options; `show(day)`
only recolours the control pieces, toggles the dated features and rewrites the texts. That keeps a batch of
snapshots or an animation cheap per date. The map is in the region's equal-area projection, so the scale bar
and the area figures are right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import textwrap
from collections import Counter
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never a GUI backend: exports run headless (CLI, app, CI)

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from pyproj import Transformer

from . import export_text as tx
from .control_pieces import NOBODY, control_pieces
from .dataset import Dataset
from .export_options import MapOptions, check_options, shown_layers, view_bounds
from .style import side_color
from .timeline import EQUAL_AREA, control_on, events_on, layer_on

# Text sizes are set for 1920x1080 at 150 dpi and scaled with the figure, so a map looks the same at any dpi.
REF_W_PT, REF_H_PT = 1920 / 150 * 72, 1080 / 150 * 72
WATER = "#dae4ea"
LAND = "#f2efe9"
CONTROL_ALPHA = 0.55  # side colours are blended with the land colour at this strength
DYNAMIC_GEOMETRY = ("transferred_districts", "shusha", "lachin_corridor", "contact_line")
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]
URL_HOST = re.compile(r"https?://(?:www\.|m\.)?([^/\s)]+)")

_to_map = Transformer.from_crs(4326, EQUAL_AREA, always_xy=True)


def project(geoms):
    """Lon/lat shapely geometry (or an array of them) into the map's metres."""
    return shapely.transform(geoms, lambda xy: np.column_stack(_to_map.transform(xy[:, 0], xy[:, 1])))


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


def source_hosts(sources: list[str]) -> Counter:
    """How often each web host (or, for a citation without URL, its first words) is cited."""
    hosts: Counter = Counter()
    for text in sources:
        found = URL_HOST.findall(text)
        if found:
            hosts.update({h.lower() for h in found})
        elif text.strip():
            hosts[text.strip().split(",")[0][:40]] += 1
    return hosts


class MapFigure:
    """One map layout (dataset + options) that can be shown for any date and saved in any format."""

    def __init__(self, ds: Dataset, options: MapOptions = MapOptions()):
        self.ds = ds
        self.opt = check_options(ds, options)
        self.lang = options.lang
        self.layers = shown_layers(ds, options)
        w_in, h_in = options.width / options.dpi, options.height / options.dpi
        # Text scales with the shorter side, so portrait maps (for phones, print columns) keep readable labels.
        self.scale = min(w_in * 72 / REF_H_PT, h_in * 72 / REF_H_PT, w_in * 72 / REF_W_PT * 1.25)
        self.fig = Figure(figsize=(w_in, h_in), dpi=options.dpi, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self.day: dt.date | None = None
        self._layout()
        self._draw_base()
        self._init_control()
        self._init_dated()
        self._draw_decorations()
        self._init_panel()
        self._declutter()

    # ----- layout -------------------------------------------------------------------------------------------
    def fs(self, size: float) -> float:
        return size * self.scale

    def _layout(self) -> None:
        W, H = self.opt.width, self.opt.height
        landscape = W / H >= 1.2
        pad = 0.012
        if landscape:
            panel_w = 0.28 if W / H < 2 else 0.22
            self.map_rect = (pad * H / W, pad, 1 - panel_w - 2 * pad * H / W, 1 - 2 * pad)
            self.panel_rect = (1 - panel_w, pad, panel_w - pad * H / W, 1 - 2 * pad)
        else:
            panel_h = 0.36
            self.map_rect = (pad, panel_h + pad, 1 - 2 * pad, 1 - panel_h - 2 * pad)
            self.panel_rect = (pad * 2, pad, 1 - 4 * pad, panel_h - 2 * pad)
        self.ax = self.fig.add_axes(self.map_rect)
        self.ax.set_facecolor(WATER)
        self.ax.set_xticks([])
        self.ax.set_yticks([])
        for spine in self.ax.spines.values():
            spine.set_linewidth(0.8 * self.scale)
            spine.set_color("#555555")
        # The asked box, widened to the axes' shape so the map fills them without distortion.
        x0, y0, x1, y1 = view_bounds(self.ds, self.opt.area)
        box = project(shapely.box(x0, y0, x1, y1))
        bx0, by0, bx1, by1 = box.bounds
        ax_w = self.map_rect[2] * W
        ax_h = self.map_rect[3] * H
        cx, cy = (bx0 + bx1) / 2, (by0 + by1) / 2
        half_w, half_h = (bx1 - bx0) / 2, (by1 - by0) / 2
        if half_w / half_h < ax_w / ax_h:
            half_w = half_h * ax_w / ax_h
        else:
            half_h = half_w * ax_h / ax_w
        self.extent = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        self.ax.set_xlim(self.extent[0], self.extent[2])
        self.ax.set_ylim(self.extent[1], self.extent[3])
        self.ax.set_aspect("equal", adjustable="box")
        ex0, ey0, ex1, ey1 = self.extent
        self.clip_box = shapely.box(ex0 - half_w * 0.2, ey0 - half_h * 0.2, ex1 + half_w * 0.2, ey1 + half_h * 0.2)

    def _clip(self, geom):
        if geom is None:
            return None
        # Clipping to a rectangle is fast and tolerates the slightly invalid rings hand-drawn data can have.
        return shapely.clip_by_rect(geom, *self.clip_box.bounds)

    def _style(self, layer_id: str) -> dict[str, Any]:
        try:
            return dict(self.ds.spec(layer_id).style)
        except KeyError:
            return {}

    def _lw(self, style: dict[str, Any], default: float = 1.0) -> float:
        return float(style.get("weight", default)) * 0.6 * self.scale

    # ----- base map -----------------------------------------------------------------------------------------
    def _draw_base(self) -> None:
        countries = self.ds.layers.get("countries")
        style = self._style("countries")
        self.country_geoms = []
        if countries is not None and not countries.empty:
            geoms = [self._clip(g) for g in project(np.asarray(countries.geometry))]
            paths = [p for p in (polygon_path(g) for g in geoms if g is not None and not g.is_empty) if p]
            self.ax.add_collection(PatchCollection([PathPatch(p) for p in paths], facecolor=style.get("fillColor", LAND),
                                                   edgecolor="none", zorder=1))
            segs = [s for g in geoms if g is not None for s in line_segments(g)]
            self.ax.add_collection(LineCollection(segs, colors=style.get("color", "#555555"),
                                                  linewidths=self._lw(style, 1.5) * 1.1, zorder=6))
            self.country_geoms = list(zip(countries.to_dict("records"), geoms))
        for layer_id, z in (("districts", 5), ("nkao", 5.5)):
            if layer_id not in self.layers:
                continue
            st = self._style(layer_id)
            geoms = [self._clip(g) for g in project(np.asarray(self.ds.layers[layer_id].geometry))]
            segs = [s for g in geoms if g is not None for s in line_segments(g)]
            lw = self._lw(st)
            self.ax.add_collection(LineCollection(segs, colors=st.get("color", "#888888"), linewidths=lw,
                                                  linestyles=[dash_style(st, lw)], zorder=z))
        self.district_labels = []
        if "districts" in self.layers:
            self._label_districts()
        self._label_countries()

    def _label_countries(self) -> None:
        """Country names where a country fills a fair share of the view, away from the modelled region."""
        self.country_labels = []
        view = shapely.box(*self.extent)
        region_layer = self.ds.manifest.get("region_layer")
        region = None
        if region_layer in self.ds.layers and not self.ds.layers[region_layer].empty:
            region = project(shapely.union_all(list(self.ds.layers[region_layer].geometry))).buffer(3000)
        for props, geom in self.country_geoms:
            if geom is None or geom.is_empty:
                continue
            inside = geom.intersection(view)
            if region is not None:
                inside = inside.difference(region)
            if inside.area < 0.06 * view.area:
                continue
            point = shapely.point_on_surface(inside.buffer(-0.03 * (self.extent[2] - self.extent[0])) or inside)
            if point.is_empty:
                point = shapely.point_on_surface(inside)
            name = tx.place_name(props, self.lang).upper()
            self.country_labels.append(self.ax.text(
                point.x, point.y, name, ha="center", va="center", fontsize=self.fs(11), color="#9a948a",
                fontweight="bold", zorder=9, path_effects=HALO, clip_on=True))

    def _label_districts(self) -> None:
        """District names in small italics (dropped later where they would cover a town's name)."""
        self.district_labels = []
        frame = self.ds.layers["districts"]
        view = shapely.box(*self.extent)
        view_area = view.area
        for props, geom in zip(frame.to_dict("records"), project(np.asarray(frame.geometry))):
            part = geom.intersection(view) if geom is not None else None
            if part is None or part.is_empty or part.area < 0.008 * view_area:
                continue
            point = shapely.point_on_surface(part)
            name = tx.place_name(props, self.lang)
            self.district_labels.append(self.ax.text(
                point.x, point.y, "\n".join(textwrap.wrap(name, 18)), ha="center", va="center",
                fontsize=self.fs(6.3), color="#6b6b6b", fontstyle="italic", zorder=8.5,
                path_effects=HALO, clip_on=True))

    # ----- control ------------------------------------------------------------------------------------------
    def _init_control(self) -> None:
        self.pieces = control_pieces(self.ds)
        self.side_fill = {}
        for i, side in enumerate(self.pieces.sides):
            self.side_fill[i] = blend(side_color(self.ds, side, self.opt.palette), CONTROL_ALPHA)
        self.control_coll = None
        if "control" not in self.layers or not self.pieces.geoms:
            return
        geoms = project(np.asarray(self.pieces.geoms, dtype=object))
        keep, patches = [], []
        for i, g in enumerate(geoms):
            g = self._clip(g)
            path = polygon_path(g) if g is not None and not g.is_empty else None
            if path is not None:
                keep.append(i)
                patches.append(PathPatch(path))
        self.piece_index = np.array(keep, dtype=int)
        # Each piece is stroked in its own fill colour: adjacent pieces then meet without a hairline seam.
        self.control_coll = PatchCollection(patches, linewidths=max(0.5 * self.scale, 1.2 * 72 / self.opt.dpi), zorder=3)
        self.ax.add_collection(self.control_coll)

    def _control_colors(self, day: dt.date) -> np.ndarray:
        idx = self.pieces.side_index_on(day)[self.piece_index]
        colors = np.zeros((len(idx), 4))
        for i, rgba in self.side_fill.items():
            colors[idx == i] = rgba
        colors[idx == NOBODY] = (0, 0, 0, 0)
        return colors

    # ----- dated features -------------------------------------------------------------------------------------
    def _init_dated(self) -> None:
        self.dated_artists: dict[tuple, list] = {}
        self.places = None
        if "places" in self.layers and not self.ds.layers["places"].empty:
            frame = self.ds.layers["places"]
            pts = project(np.asarray(frame.geometry))
            self.place_ids = list(frame["id"])
            self.place_xy = np.column_stack([shapely.get_x(pts), shapely.get_y(pts)])
            st = self._style("places")
            # Towns are drawn larger than villages, and only towns are named (villages are too many).
            big = np.array([self._labelled_place(p, len(frame)) for p in frame.to_dict("records")])
            size = (float(st.get("radius", 3)) * 1.7 * self.scale) ** 2 * np.where(big, 1.0, 0.45)
            self.places = self.ax.scatter(self.place_xy[:, 0], self.place_xy[:, 1], s=size,
                                          edgecolors=st.get("color", "#222222"),
                                          linewidths=np.where(big, 0.6, 0.35) * self.scale, zorder=8)
            self.place_labels = {}
            self.place_label_rank = {}
            for pid, props, (x, y) in zip(self.place_ids, frame.to_dict("records"), self.place_xy):
                if self._labelled_place(props, len(frame)):
                    self.place_labels[pid] = self.ax.annotate(
                        tx.place_name(props, self.lang), (x, y), xytext=(4 * self.scale, 0),
                        textcoords="offset points", fontsize=self.fs(7.3), ha="left", va="center",
                        color="#1a1a1a", zorder=9, path_effects=HALO, annotation_clip=True)
                    self.place_label_rank[pid] = self._place_rank(props)
        self.events = None
        if "events" in self.layers:
            st = self._style("events")
            self.events = self.ax.scatter([], [], marker="*", s=(float(st.get("radius", 7)) * 2.6 * self.scale) ** 2,
                                          facecolors=st.get("fillColor", "#f1c40f"),
                                          edgecolors=st.get("color", "#000000"), linewidths=0.7 * self.scale,
                                          zorder=8.9)  # under the names, which stay readable

    @staticmethod
    def _place_rank(props: dict[str, Any]) -> int:
        kind = str(props.get("type") or props.get("kind") or "").lower()
        return {"capital": 0, "city": 1, "town": 2}.get(kind, 3)

    def _declutter(self) -> None:
        """Place town names where they cover no other name (right, left, above or below the dot), biggest first;
        then drop the district names that would cover a town's name."""
        renderer = self.canvas.get_renderer()
        placed = [t.get_window_extent(renderer).expanded(1.05, 1.1) for t in self.country_labels]
        placed += [a.get_window_extent(renderer) for a in self.map_furniture]  # north arrow, scale bar
        if self.places is not None:
            offsets = [((4, 0), "left", "center"), ((-4, 0), "right", "center"), ((0, 3), "center", "bottom"),
                       ((0, -3), "center", "top")]
            order = sorted(self.place_labels, key=lambda pid: (self.place_label_rank[pid], pid))
            for pid in order:
                label = self.place_labels[pid]
                for (dx, dy), ha, va in offsets:
                    label.xyann = (dx * self.scale, dy * self.scale)
                    label.set_ha(ha)
                    label.set_va(va)
                    box = label.get_window_extent(renderer)
                    if not any(box.overlaps(other) for other in placed):
                        break
                else:
                    label.xyann = (offsets[0][0][0] * self.scale, 0)
                    label.set_ha("left")
                    label.set_va("center")
                    box = label.get_window_extent(renderer)
                placed.append(box)
        for label in self.district_labels:
            box = label.get_window_extent(renderer)
            if any(box.overlaps(other) for other in placed):
                label.set_visible(False)
            else:
                placed.append(box)

    @staticmethod
    def _labelled_place(props: dict[str, Any], count: int) -> bool:
        """Towns get a label; villages only when there are few places (labels would hide the map)."""
        kind = str(props.get("type") or props.get("kind") or props.get("place_type") or "").lower()
        if props.get("label") is True or kind in ("city", "town", "capital", "district_centre", "district_center"):
            return True
        return count <= 15

    def _dated_artist(self, layer_id: str, geom) -> list:
        key = (layer_id, hashlib.sha1(shapely.to_wkb(geom)).hexdigest())
        if key in self.dated_artists:
            return self.dated_artists[key]
        st = self._style(layer_id)
        g = self._clip(project(geom))
        artists = []
        if g is not None and not g.is_empty:
            lw = self._lw(st)
            z = {"lachin_corridor": 6.6, "transferred_districts": 6.4, "shusha": 6.8, "contact_line": 7}.get(layer_id, 6.5)
            if st.get("fillOpacity", 0) and st.get("fillColor") and g.geom_type in ("Polygon", "MultiPolygon"):
                path = polygon_path(g)
                if path is not None:
                    artists.append(self.ax.add_patch(PathPatch(path, facecolor=to_rgba(st["fillColor"], st["fillOpacity"]),
                                                               edgecolor="none", zorder=z - 0.05)))
            segs = line_segments(g)
            if segs:
                if layer_id == "contact_line":  # a white casing keeps the line readable over every fill
                    artists.append(self.ax.add_collection(LineCollection(segs, colors="white", linewidths=lw * 2.2,
                                                                         zorder=z - 0.01, capstyle="round")))
                artists.append(self.ax.add_collection(LineCollection(segs, colors=st.get("color", "#000000"),
                                                                     linewidths=lw, linestyles=[dash_style(st, lw)],
                                                                     zorder=z, capstyle="round")))
        self.dated_artists[key] = artists
        return artists

    # ----- scale bar, north arrow, locator ------------------------------------------------------------------
    def _draw_decorations(self) -> None:
        width_m = self.extent[2] - self.extent[0]
        target = width_m / 5
        exp = 10 ** np.floor(np.log10(target))
        length = max(v * exp for v in (1, 2, 5) if v * exp <= target)
        km = length / 1000
        label = f"{km:g} {tx.ui('km', self.lang)}"
        bar = AnchoredSizeBar(self.ax.transData, length, label, loc="lower left", pad=0.5, borderpad=0.8, sep=3 * self.scale,
                              frameon=True, size_vertical=width_m / 350, color="#222222",
                              fontproperties={"size": self.fs(8)})
        bar.patch.set_alpha(0.8)
        bar.patch.set_edgecolor("none")
        bar.set_zorder(20)
        self.ax.add_artist(bar)
        # North is straight up along the projection's central meridian; elsewhere in the region within ~1°.
        north = self.ax.annotate(tx.ui("north", self.lang), xy=(0.965, 0.955), xytext=(0.965, 0.865),
                         xycoords="axes fraction", textcoords="axes fraction", ha="center", va="center",
                         fontsize=self.fs(10), fontweight="bold", zorder=20,
                         arrowprops=dict(arrowstyle="-|>", color="#222222", lw=1.4 * self.scale,
                                         mutation_scale=14 * self.scale),
                         bbox=dict(boxstyle="circle,pad=0.25", fc="white", ec="none", alpha=0.8))
        self.map_furniture = [bar, north]

    def _draw_locator(self, rect: tuple[float, float, float, float]) -> None:
        ax = self.fig.add_axes(rect)
        ax.set_facecolor(WATER)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_linewidth(0.6 * self.scale)
            spine.set_color("#777777")
        ex0, ey0, ex1, ey1 = self.extent
        cx, cy = (ex0 + ex1) / 2, (ey0 + ey1) / 2
        w_px, h_px = rect[2] * self.opt.width, rect[3] * self.opt.height
        half_w = max((ex1 - ex0) * 2.2, 380_000)
        half_h = half_w * h_px / w_px
        ax.set_xlim(cx - half_w, cx + half_w)
        ax.set_ylim(cy - half_h, cy + half_h)
        ax.set_aspect("equal", adjustable="box")
        countries = self.ds.layers.get("countries")
        if countries is not None and not countries.empty:
            box = shapely.box(cx - half_w * 1.2, cy - half_h * 1.2, cx + half_w * 1.2, cy + half_h * 1.2)
            geoms = [shapely.intersection(g, box) for g in project(np.asarray(countries.geometry))]
            geoms = [shapely.simplify(g, half_w / 400) for g in geoms]
            paths = [p for p in (polygon_path(g) for g in geoms if not g.is_empty) if p]
            ax.add_collection(PatchCollection([PathPatch(p) for p in paths], facecolor="#ebe7df", edgecolor="#8f8f8f",
                                              linewidths=0.5 * self.scale))
            for props, g in zip(countries.to_dict("records"), geoms):
                inside = g.intersection(shapely.box(cx - half_w, cy - half_h, cx + half_w, cy + half_h))
                if inside.is_empty or inside.area < 0.05 * (4 * half_w * half_h):
                    continue
                pt = shapely.point_on_surface(inside)
                ax.text(pt.x, pt.y, tx.place_name(props, self.lang).split(" (")[0], fontsize=self.fs(6), ha="center",
                        va="center", color="#555555", path_effects=HALO, clip_on=True)
        region_layer = self.ds.manifest.get("region_layer")
        if region_layer in self.ds.layers and not self.ds.layers[region_layer].empty:
            region = project(shapely.union_all(list(self.ds.layers[region_layer].geometry)))
            path = polygon_path(region)
            if path is not None:
                ax.add_patch(PathPatch(path, facecolor="#b9b2a6", edgecolor="none"))
        ax.add_patch(Rectangle((ex0, ey0), ex1 - ex0, ey1 - ey0, fill=False, edgecolor="#c0392b",
                               linewidth=1.3 * self.scale, zorder=5))

    # ----- side panel -----------------------------------------------------------------------------------------
    def _text(self, x, y, text, size, **kw):
        return self.fig.text(x, y, text, fontsize=self.fs(size), va="top", **kw)

    def _line_h(self, size: float, n: int = 1, spacing: float = 1.28) -> float:
        """Height of n lines of text at `size` (before scaling) in figure fraction."""
        return n * self.fs(size) * spacing / (self.fig.get_figheight() * 72)

    def _wrap(self, text: str, size: float, width_frac: float) -> list[str]:
        width_pt = width_frac * self.fig.get_figwidth() * 72
        char_w = self.fs(size) * (0.62 if self.lang == "hy" else 0.55)
        return textwrap.wrap(text, max(int(width_pt / char_w), 10)) or [""]

    def _fit_size(self, sample: str, size: float, width_frac: float, bold: bool = False) -> float:
        """The largest size up to `size` at which `sample` fits `width_frac` of the figure (the longest month)."""
        widest = max((sample.replace(tx.MONTHS[self.lang][8], m) for m in tx.MONTHS[self.lang]), key=len)
        probe = self.fig.text(0, 0, widest, fontsize=self.fs(size), fontweight="bold" if bold else "normal")
        width = probe.get_window_extent(self.canvas.get_renderer()).width / (self.fig.get_figwidth() * self.fig.dpi)
        probe.remove()
        return size if width <= width_frac else size * width_frac / width * 0.98

    def _init_panel(self) -> None:
        px, py, pw, ph = self.panel_rect
        landscape = self.opt.width / self.opt.height >= 1.2
        # In portrait the panel sits under the map in two columns: texts left, locator and credits right.
        col_w = pw if landscape else pw * 0.55
        x = px
        y = py + ph
        title = self._wrap(tx.ui("title", self.lang), 13.5, col_w)
        self._text(x, y, "\n".join(title), 13.5, fontweight="bold", color="#1a1a1a", linespacing=1.15)
        y -= self._line_h(13.5, len(title), 1.2) + self._line_h(4)
        date_size = self._fit_size(tx.format_date(dt.date(2020, 9, 28), self.lang), 21, col_w, bold=True)
        self.date_text = self._text(x, y, "", date_size, fontweight="bold", color="#1a1a1a")
        y -= self._line_h(date_size, 1, 1.2)
        if self.opt.period:
            self._init_period_strip((x, y - self._line_h(9, 1.6), col_w * 0.96, self._line_h(9, 1.2)))
            y -= self._line_h(9, 2.6)
        self.key_width = col_w
        # A translated key-date label in the manifest (label_az, label_hy) is used when the map is in that language.
        self.key_labels = {(dt.date.fromisoformat(k["date"]), self.lang): k.get(f"label_{self.lang}")
                           for k in self.ds.manifest.get("key_dates", []) if k.get(f"label_{self.lang}")}
        self.key_text = self._text(x, y, "", 8.6, color="#333333", linespacing=1.2)
        y -= self._line_h(8.6, 3, 1.25) + self._line_h(5)

        # Sides: a swatch, the side's name and the area held on the day.
        self.area_texts = {}
        sides_shown = "control" in self.layers
        if sides_shown:
            self._text(x, y, tx.ui("area_heading", self.lang), 7.6, color="#555555", fontstyle="italic")
            y -= self._line_h(7.6, 1, 1.5)
            sw = self._line_h(8.8) * self.opt.height / self.opt.width * 1.05
            for i, side in enumerate(self.pieces.sides):
                sh = self._line_h(8.8) * 0.8
                self.fig.add_artist(Rectangle((x, y - sh * 1.05), sw * 1.35, sh, transform=self.fig.transFigure,
                                              facecolor=self.side_fill[i], edgecolor="#555555", linewidth=0.5 * self.scale))
                label = self._wrap(tx.side_label(self.ds.sides, side, self.lang), 8.8, col_w * 0.7)
                self._text(x + sw * 1.9, y, "\n".join(label[:2]), 8.8, color="#1a1a1a", linespacing=1.15)
                self.area_texts[side] = self._text(x + col_w, y, "", 8.8, ha="right", color="#1a1a1a",
                                                   fontweight="bold")
                y -= self._line_h(8.8, min(len(label), 2), 1.2) + self._line_h(3)
            y -= self._line_h(3)

        # Lines and points of the other layers shown.
        y = self._draw_legend(x, y, col_w)

        # Locator map, then precision, sources and credits at the bottom.
        if landscape:
            credits_h = self._line_h(6.2, 9, 1.25)
            loc_h = min(ph * 0.26, y - (py + credits_h) - self._line_h(6))
            loc_w = min(col_w, loc_h * self.opt.height / self.opt.width * 1.5)
            if loc_h > ph * 0.08:
                self._draw_locator((x + col_w - loc_w, py + credits_h + self._line_h(4), loc_w, loc_h))
            self.credit_box = (x, py + credits_h, col_w)
        else:
            rx = px + col_w + pw * 0.04
            rw = pw - col_w - pw * 0.04
            loc_h = ph * 0.45
            loc_w = min(rw, loc_h * self.opt.height / self.opt.width * 1.5)
            self._draw_locator((rx + rw - loc_w, py + ph - loc_h, loc_w, loc_h))
            self.credit_box = (rx, py + ph - loc_h - self._line_h(6), rw)
        cx, cy, cw = self.credit_box
        self.credit_text = self._text(cx, cy, "", 6.2, color="#444444", linespacing=1.25)

    def _draw_legend(self, x: float, y: float, col_w: float) -> float:
        sw = self._line_h(8) * self.opt.height / self.opt.width * 2.4
        for spec in self.ds.layer_specs:
            if spec.id not in self.layers or spec.id == "control":
                continue
            for item in spec.legend:
                if item.get("kind") == "side":
                    continue
                label = self._wrap(tx.legend_label(item, spec.id, spec.title, self.lang), 7.4, col_w - sw * 1.3)[:2]
                mid = y - self._line_h(7.4) * 0.55
                st = self._style(spec.id)
                if item.get("kind") == "point":
                    marker = "*" if spec.id == "events" else "o"
                    size = 9 if spec.id == "events" else 5
                    self.fig.add_artist(Line2D([x + sw * 0.5], [mid], marker=marker, markersize=size * self.scale,
                                               markerfacecolor=st.get("fillColor", item.get("color", "#222222"))
                                               if spec.id == "events" else "#ffffff",
                                               markeredgecolor=st.get("color", "#222222"),
                                               markeredgewidth=0.7 * self.scale, transform=self.fig.transFigure))
                else:
                    lw = self._lw(st)
                    if st.get("fillOpacity") and st.get("fillColor") and spec.id != "countries":
                        self.fig.add_artist(Rectangle((x, mid - self._line_h(7.4) * 0.3), sw, self._line_h(7.4) * 0.6,
                                                      transform=self.fig.transFigure, edgecolor="none",
                                                      facecolor=to_rgba(st["fillColor"], st["fillOpacity"])))
                    self.fig.add_artist(Line2D([x, x + sw], [mid, mid], color=item.get("color", st.get("color", "#000")),
                                               linewidth=lw, linestyle=dash_style(st, lw),
                                               transform=self.fig.transFigure))
                self._text(x + sw * 1.3, y, "\n".join(label), 7.4, color="#1a1a1a", linespacing=1.15)
                y -= self._line_h(7.4, len(label), 1.2) + self._line_h(3.2)
        return y

    def _init_period_strip(self, rect) -> None:
        start, end = self.opt.period
        ax = self.fig.add_axes(rect)
        ax.set_xlim(start.toordinal(), max(end.toordinal(), start.toordinal() + 1))
        ax.set_ylim(0, 1)
        ax.axis("off")
        ax.plot([start.toordinal(), end.toordinal()], [0.5, 0.5], color="#bbbbbb", lw=3 * self.scale,
                solid_capstyle="round")
        for key in self.ds.key_dates:
            if start <= key.date <= end:
                ax.plot([key.date.toordinal()] * 2, [0.25, 0.75], color="#888888", lw=0.8 * self.scale)
        self.period_done = ax.plot([start.toordinal()] * 2, [0.5, 0.5], color="#333333", lw=3 * self.scale,
                                   solid_capstyle="round")[0]
        self.period_marker = ax.plot([start.toordinal()], [0.5], "o", color="#1a1a1a", markersize=6 * self.scale)[0]
        ax.text(0, -0.35, tx.short_date(start, self.lang), transform=ax.transAxes, fontsize=self.fs(6.5), va="top",
                color="#555555")
        ax.text(1, -0.35, tx.short_date(end, self.lang), transform=ax.transAxes, fontsize=self.fs(6.5), va="top",
                ha="right", color="#555555")

    # ----- per date ----------------------------------------------------------------------------------------------
    def show(self, day: dt.date) -> "MapFigure":
        """Put the map in the state of `day` (cheap: no geometry is rebuilt)."""
        self.day = day
        if self.control_coll is not None:
            colors = self._control_colors(day)
            self.control_coll.set_facecolor(colors)
            self.control_coll.set_edgecolor(colors)
        visible = set()
        drawn_features = []
        for layer_id in DYNAMIC_GEOMETRY:
            if layer_id not in self.layers or layer_id not in self.ds.layers:
                continue
            frame = layer_on(self.ds, layer_id, day)
            drawn_features.append(frame)
            for geom in frame.geometry:
                if geom is not None and not geom.is_empty:
                    for artist in self._dated_artist(layer_id, geom):
                        visible.add(id(artist))
        for artists in self.dated_artists.values():
            for artist in artists:
                artist.set_visible(id(artist) in visible)
        if self.places is not None:
            frame = layer_on(self.ds, "places", day)
            side_on = dict(zip(frame["id"], frame["side_on"]))
            colors = np.array([to_rgba(side_color(self.ds, side_on[p], self.opt.palette)) if p in side_on
                               else (0, 0, 0, 0) for p in self.place_ids])
            self.places.set_facecolor(colors)
            self.places.set_edgecolor([(0.13, 0.13, 0.13, 1.0) if p in side_on else (0, 0, 0, 0) for p in self.place_ids])
            for pid, label in self.place_labels.items():
                label.set_visible(pid in side_on)
        events = events_on(self.ds, day) if "events" in self.ds.layers else None
        if self.events is not None and events is not None:
            pts = project(np.asarray(events.geometry)) if len(events) else []
            xy = np.column_stack([shapely.get_x(pts), shapely.get_y(pts)]) if len(events) else np.zeros((0, 2))
            self.events.set_offsets(xy)
        self._update_texts(day, events, drawn_features)
        return self

    def _update_texts(self, day: dt.date, events, drawn_features) -> None:
        self.date_text.set_text(tx.format_date(day, self.lang))
        lines = []
        keys = [k for k in self.ds.key_dates if k.date <= day]
        if keys:
            key = keys[-1]
            label = self.key_labels.get((key.date, self.lang)) or key.label_en
            lines += self._wrap(f"{tx.ui('latest', self.lang)}: {tx.short_date(key.date, self.lang)} – {label}",
                                8.6, self.key_width)
        if events is not None and len(events):
            when = events["valid_from"].iloc[0]
            names = "; ".join(tx.place_name(p, self.lang) for p in events.to_dict("records"))
            if not keys or when != keys[-1].date or self.lang != "en":
                lines += self._wrap(f"{tx.ui('events', self.lang)} {tx.short_date(when, self.lang)}: {names}", 8.6,
                                    self.key_width)
        if len(lines) > 3:
            lines = lines[:3]
            lines[-1] = lines[-1][: max(len(lines[-1]) - 1, 1)] + "…"
        self.key_text.set_text("\n".join(lines))
        if self.area_texts:
            frame = control_on(self.ds, day)
            areas = dict(zip(frame["side"], frame["area_km2"]))
            for side, text in self.area_texts.items():
                km2 = areas.get(side, 0.0)
                text.set_text(f"{km2:,.0f}".replace(",", "\u202f") if km2 else "–")
        if self.opt.period:
            start = self.opt.period[0]
            self.period_done.set_xdata([start.toordinal(), day.toordinal()])
            self.period_marker.set_xdata([day.toordinal()])
        self.credit_text.set_text("\n".join(self._credit_lines(day, drawn_features)))

    def _credit_lines(self, day: dt.date, drawn_features) -> list[str]:
        cx, cy, cw = self.credit_box
        precisions: set[str] = set()
        sources: list[str] = []
        control = self.ds.layers.get("control")
        if control is not None and "control" in self.layers:
            started = control[[d is not None and d <= day for d in control["valid_from"]]]
            precisions |= set(started.get("precision", []))
            for s in started["sources"]:
                sources += list(s)
        for frame in drawn_features:
            if "precision" in frame.columns:
                precisions |= set(frame["precision"].dropna())
            if "sources" in frame.columns:
                for s in frame["sources"]:
                    sources += list(s) if isinstance(s, (list, tuple)) else []
        hosts = source_hosts(sources)
        top = [h for h, _ in sorted(hosts.items(), key=lambda kv: (-kv[1], kv[0]))[:7]]
        more = len(hosts) - len(top)
        cited = ", ".join(top) + (f" {tx.ui('more', self.lang, n=more)}" if more > 0 else "")
        text = [
            tx.ui("precision", self.lang, precision=tx.precision_words(precisions, self.lang)),
            f"{tx.ui('sources', self.lang)}: {cited}." if cited else "",
            tx.ui("credits", self.lang),
        ]
        lines = []
        for paragraph in text:
            if paragraph:
                lines += self._wrap(paragraph, 6.2, cw)
        return lines

    # ----- output ------------------------------------------------------------------------------------------------
    def key_colors(self) -> list[tuple[int, int, int]]:
        """Colours that must stay exact in a reduced-palette image (GIF): fills, styles, text and base map."""
        colors = [to_rgb(c) for c in ("#ffffff", "#000000", "#1a1a1a", "#333333", "#555555", "#888888", "#bbbbbb",
                                      WATER, LAND, "#c0392b")]
        colors += [rgba[:3] for rgba in self.side_fill.values()]
        colors += [to_rgb(side_color(self.ds, side, self.opt.palette)) for side in self.ds.sides]
        for spec in self.ds.layer_specs:
            for key in ("color", "fillColor"):
                value = spec.style.get(key)
                if isinstance(value, str):
                    try:
                        colors.append(to_rgb(value))
                    except ValueError:
                        continue
        unique = []
        for rgb in (tuple(int(round(v * 255)) for v in c) for c in colors):
            if rgb not in unique:
                unique.append(rgb)
        return unique

    def pixel_of(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a lon/lat point lands in the PNG (x right, y down, in pixels)."""
        x, y = _to_map.transform(lon, lat)
        px, py = self.ax.transData.transform((x, y))
        return float(px), float(self.opt.height - py)

    def rgb_array(self) -> np.ndarray:
        """The current date's image as an (height, width, 3) uint8 array (for animation frames)."""
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()
