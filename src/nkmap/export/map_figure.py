"""A finished map of the dataset as a matplotlib figure: drawn once, then shown for any date.

The geometry (base map, control pieces, lines, places) is laid out once per dataset and options; `show(day)`
only recolours the control pieces, toggles the dated features and rewrites the texts. That keeps a batch of
snapshots or an animation cheap per date. The map is in the region's equal-area projection, so the scale bar
and the area figures are right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")  # never a GUI backend: exports run headless (CLI, app, CI)

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from nkmap.data.dataset import Dataset
from nkmap.export.export_options import MapOptions, check_options, shown_layers, view_bounds
from nkmap.export.figure_drawing import (
    HALO,
    LAND,
    WATER,
    blend,
    dash_style,
    line_segments,
    polygon_path,
    project,
    to_map,
)
from nkmap.export.figure_furniture import draw_scale_and_north
from nkmap.export.figure_labels import declutter, label_countries, label_districts, labelled_place, place_rank
from nkmap.export.figure_panel import dated_panel_artists, init_panel, update_texts
from nkmap.model.control_pieces import NOBODY, control_pieces
from nkmap.model.timeline import events_on, layer_on
from nkmap.text import export_text as tx
from nkmap.text.style import side_color

# Text sizes are set for 1920x1080 at 150 dpi and scaled with the figure, so a map looks the same at any dpi.
REF_W_PT, REF_H_PT = 1920 / 150 * 72, 1080 / 150 * 72
CONTROL_ALPHA = 0.55  # side colours are blended with the land colour at this strength
DYNAMIC_GEOMETRY = (
    "support",
    "transferred_districts",
    "shusha",
    "lachin_corridor",
    "peacekeepers_zone",
    "contact_line",
)


class MapFigure:
    """One map layout (dataset + options) that can be shown for any date and saved in any format."""

    # Set by the helpers (figure_labels, figure_furniture, figure_panel), as `figure_parts.FigureParts` describes.
    country_labels: list[Any]
    map_furniture: list[Any]
    date_text: Text
    key_width: float
    key_labels: dict[Any, Any]
    key_text: Text
    area_texts: dict[str, Any]
    credit_box: tuple[float, float, float]
    credit_text: Text
    period_done: Any
    period_marker: Any

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
        self._page: Any = None  # the figure without anything a date changes (`rgb_array`)
        self._still_parts: Any = None  # and with the panel's seldom-changing texts of the current frame
        self._still_state: list[str] = []
        self._layout()
        self._draw_base()
        self._init_control()
        self._init_dated()
        draw_scale_and_north(self)
        init_panel(self)
        declutter(self)

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

    def clip(self, geom):
        if geom is None:
            return None
        # Clipping to a rectangle is fast and tolerates the slightly invalid rings hand-drawn data can have.
        return shapely.clip_by_rect(geom, *self.clip_box.bounds)

    def layer_style(self, layer_id: str) -> dict[str, Any]:
        try:
            return dict(self.ds.spec(layer_id).style)
        except KeyError:
            return {}

    def line_width(self, style: dict[str, Any], default: float = 1.0) -> float:
        return float(style.get("weight", default)) * 0.6 * self.scale

    # ----- base map -----------------------------------------------------------------------------------------
    def _draw_base(self) -> None:
        countries = self.ds.layers.get("countries")
        style = self.layer_style("countries")
        self.country_geoms = []
        if countries is not None and not countries.empty:
            geoms = [self.clip(g) for g in project(np.asarray(countries.geometry))]
            paths = [p for p in (polygon_path(g) for g in geoms if g is not None and not g.is_empty) if p]
            self.ax.add_collection(
                PatchCollection(
                    [PathPatch(p) for p in paths], facecolor=style.get("fillColor", LAND), edgecolor="none", zorder=1
                )
            )
            segs = [s for g in geoms if g is not None for s in line_segments(g)]
            self.ax.add_collection(
                LineCollection(
                    segs, colors=style.get("color", "#555555"), linewidths=self.line_width(style, 1.5) * 1.1, zorder=6
                )
            )
            self.country_geoms = list(zip(countries.to_dict("records"), geoms))
        for layer_id, z in (("districts", 5), ("nkao", 5.5)):
            if layer_id not in self.layers:
                continue
            st = self.layer_style(layer_id)
            geoms = [self.clip(g) for g in project(np.asarray(self.ds.layers[layer_id].geometry))]
            segs = [s for g in geoms if g is not None for s in line_segments(g)]
            lw = self.line_width(st)
            self.ax.add_collection(
                LineCollection(
                    segs, colors=st.get("color", "#888888"), linewidths=lw, linestyles=[dash_style(st, lw)], zorder=z
                )
            )
        self.district_labels = []
        if "districts" in self.layers:
            label_districts(self)
        label_countries(self)

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
            g = self.clip(g)
            path = polygon_path(g) if g is not None and not g.is_empty else None
            if path is not None:
                keep.append(i)
                patches.append(PathPatch(path))
        self.piece_index = np.array(keep, dtype=int)
        # Each piece is stroked in its own fill colour: adjacent pieces then meet without a hairline seam.
        self.control_coll = PatchCollection(
            patches, linewidths=max(0.5 * self.scale, 1.2 * 72 / self.opt.dpi), zorder=3
        )
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
            st = self.layer_style("places")
            # Towns are drawn larger than villages, and only towns are named (villages are too many).
            big = np.array([labelled_place(p, len(frame)) for p in frame.to_dict("records")])
            size = (float(st.get("radius", 3)) * 1.7 * self.scale) ** 2 * np.where(big, 1.0, 0.45)
            self.places = self.ax.scatter(
                self.place_xy[:, 0],
                self.place_xy[:, 1],
                s=size,
                edgecolors=st.get("color", "#222222"),
                linewidths=cast(Any, np.where(big, 0.6, 0.35) * self.scale),  # per point (the stubs say a sequence)
                zorder=8,
            )
            self.place_labels = {}
            self.place_label_rank = {}
            for pid, props, (x, y) in zip(self.place_ids, frame.to_dict("records"), self.place_xy):
                if labelled_place(props, len(frame)):
                    self.place_labels[pid] = self.ax.annotate(
                        tx.place_name(props, self.lang),
                        (x, y),
                        xytext=(4 * self.scale, 0),
                        textcoords="offset points",
                        fontsize=self.fs(7.3),
                        ha="left",
                        va="center",
                        color="#1a1a1a",
                        zorder=9,
                        path_effects=HALO,
                        annotation_clip=True,
                    )
                    self.place_label_rank[pid] = place_rank(props)
        self.events = None
        if "events" in self.layers:
            st = self.layer_style("events")
            self.events = self.ax.scatter(
                [],
                [],
                marker="*",
                s=(float(st.get("radius", 7)) * 2.6 * self.scale) ** 2,
                facecolors=st.get("fillColor", "#f1c40f"),
                edgecolors=st.get("color", "#000000"),
                linewidths=0.7 * self.scale,
                zorder=8.9,
            )  # under the names, which stay readable

        self.context = None
        if "context" in self.layers and "context" in self.ds.layers:
            st = self.layer_style("context")
            self.context = self.ax.scatter(
                [],
                [],
                marker="o",
                s=(float(st.get("radius", 6)) * 1.6 * self.scale) ** 2,
                facecolors=st.get("fillColor", "#ffffff"),
                edgecolors=st.get("color", "#555555"),
                linewidths=float(st.get("weight", 2)) * 0.6 * self.scale,
                zorder=8.8,
            )

    def _dated_artist(self, layer_id: str, geom, props: dict[str, Any] | None = None) -> list:
        level = (props or {}).get("support")
        key = (layer_id, level, hashlib.sha1(shapely.to_wkb(geom)).hexdigest())
        if key in self.dated_artists:
            return self.dated_artists[key]
        st = self.layer_style(layer_id)
        st.update(st.pop("levels", {}).get(level, {}))
        g = self.clip(project(geom))
        artists: list[Artist] = []
        if g is not None and not g.is_empty:
            lw = self.line_width(st)
            z = {
                "support": 6.2,
                "lachin_corridor": 6.6,
                "transferred_districts": 6.4,
                "shusha": 6.8,
                "contact_line": 7,
            }.get(layer_id, 6.5)
            if st.get("fillOpacity", 0) and st.get("fillColor") and g.geom_type in ("Polygon", "MultiPolygon"):
                path = polygon_path(g)
                if path is not None:
                    # A hatch (claimed or disputed ground) is drawn in the line colour over the paler fill, so the
                    # difference survives greyscale printing and colour-blind eyes.
                    hatch = st.get("hatch")
                    artists.append(
                        self.ax.add_patch(
                            PathPatch(
                                path,
                                facecolor=to_rgba(st["fillColor"], st["fillOpacity"]),
                                edgecolor=st.get("color", "#000000") if hatch else "none",
                                linewidth=0,
                                hatch=hatch,
                                zorder=z - 0.05,
                            )
                        )
                    )
            segs = line_segments(g)
            if segs:
                if layer_id == "contact_line":  # a white casing keeps the line readable over every fill
                    artists.append(
                        self.ax.add_collection(
                            LineCollection(segs, colors="white", linewidths=lw * 2.2, zorder=z - 0.01, capstyle="round")
                        )
                    )
                artists.append(
                    self.ax.add_collection(
                        LineCollection(
                            segs,
                            colors=st.get("color", "#000000"),
                            linewidths=lw,
                            linestyles=[dash_style(st, lw)],
                            zorder=z,
                            capstyle="round",
                        )
                    )
                )
        self.dated_artists[key] = artists
        return artists

    # ----- per date ----------------------------------------------------------------------------------------------
    def show(self, day: dt.date) -> "MapFigure":
        """Put the map in the state of `day` (cheap: no geometry is rebuilt)."""
        self.day = day
        if self.control_coll is not None:
            colors = self._control_colors(day)
            self.control_coll.set_facecolor(cast(Any, colors))  # an RGBA array (the stubs say a sequence)
            self.control_coll.set_edgecolor(cast(Any, colors))
        visible = set()
        drawn_features = []
        for layer_id in DYNAMIC_GEOMETRY:
            if layer_id not in self.layers or layer_id not in self.ds.layers:
                continue
            frame = layer_on(self.ds, layer_id, day)
            drawn_features.append(frame)
            levels = frame["support"] if "support" in frame.columns else [None] * len(frame)
            for geom, level in zip(frame.geometry, levels):
                if geom is not None and not geom.is_empty:
                    for artist in self._dated_artist(layer_id, geom, {"support": level}):
                        visible.add(id(artist))
        for artists in self.dated_artists.values():
            for artist in artists:
                artist.set_visible(id(artist) in visible)
        if self.places is not None:
            frame = layer_on(self.ds, "places", day)
            side_on = dict(zip(frame["id"], frame["side_on"]))
            colors = np.array(
                [
                    to_rgba(side_color(self.ds, side_on[p], self.opt.palette)) if p in side_on else (0, 0, 0, 0)
                    for p in self.place_ids
                ]
            )
            self.places.set_facecolor(cast(Any, colors))  # an RGBA array
            self.places.set_edgecolor(
                [(0.13, 0.13, 0.13, 1.0) if p in side_on else (0, 0, 0, 0) for p in self.place_ids]
            )
            for pid, label in self.place_labels.items():
                label.set_visible(pid in side_on)
        events = events_on(self.ds, day) if "events" in self.ds.layers else None
        if self.events is not None and events is not None:
            pts = project(np.asarray(events.geometry)) if len(events) else []
            xy = np.column_stack([shapely.get_x(pts), shapely.get_y(pts)]) if len(events) else np.zeros((0, 2))
            self.events.set_offsets(xy)
        if self.context is not None:
            ctx = layer_on(self.ds, "context", day)
            pts = project(np.asarray(ctx.geometry)) if len(ctx) else []
            self.context.set_offsets(
                np.column_stack([shapely.get_x(pts), shapely.get_y(pts)]) if len(ctx) else np.zeros((0, 2))
            )
        update_texts(self, day, events, drawn_features)
        return self

    # ----- output ------------------------------------------------------------------------------------------------
    def key_colors(self) -> list[tuple[int, int, int]]:
        """Colours that must stay exact in a reduced-palette image (GIF): fills, styles, text and base map."""
        colors = [
            to_rgb(c)
            for c in (
                "#ffffff",
                "#000000",
                "#1a1a1a",
                "#333333",
                "#555555",
                "#888888",
                "#bbbbbb",
                WATER,
                LAND,
                "#c0392b",
            )
        ]
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
        unique: list[tuple[int, int, int]] = []
        for rgb in (cast(tuple[int, int, int], tuple(int(round(v * 255)) for v in c)) for c in colors):
            if rgb not in unique:
                unique.append(rgb)
        return unique

    def pixel_of(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a lon/lat point lands in the PNG (x right, y down, in pixels)."""
        x, y = to_map.transform(lon, lat)
        px, py = self.ax.transData.transform((x, y))
        return float(px), float(self.opt.height - py)

    def rgb_array(self, redraw_all: bool = False) -> np.ndarray:
        """The current date's image as an (height, width, 3) uint8 array (for animation frames).

        Only what a date changes is drawn again: the map, and the panel's date, areas and period marker, over a
        copy of the rest of the figure (whose seldom-changing texts are drawn again when they change). The title,
        key, locator, strip and credits were ~60 % of a frame's time, nearly all of it laying out and
        rasterising text. The pixels are those of drawing the whole figure (`redraw_all`): what is drawn again
        overlaps nothing of the copy but the white page and the period strip's track, which it is drawn over in
        the figure's own order (tests/test_animation_frames.py compares frames of animations)."""
        if redraw_all:
            self.canvas.draw()
            return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()
        renderer = self.canvas.get_renderer()
        if not isinstance(getattr(renderer, "_text2path", None), TextOutlines):
            renderer._text2path = TextOutlines()  # the map's halo labels, drawn as outlines on every frame
        often, seldom = dated_panel_artists(self)
        redrawn = [self.ax, *often]
        if self._page is None:  # once: the figure without anything a date changes
            dated = [*redrawn, *seldom]
            shown = [artist.get_visible() for artist in dated]
            for artist in dated:
                artist.set_visible(False)
            self.canvas.draw()
            self._page = self.canvas.copy_from_bbox(self.fig.bbox)
            for artist, visible in zip(dated, shown):
                artist.set_visible(visible)
        still_state = [text.get_text() for text in seldom]
        if self._still_parts is None or self._still_state != still_state:  # that, and the seldom texts of now
            self.canvas.restore_region(self._page)
            for artist in seldom:
                artist.draw(renderer)
            self._still_parts = self.canvas.copy_from_bbox(self.fig.bbox)
            self._still_state = still_state
        self.canvas.restore_region(self._still_parts)
        for artist in redrawn:  # (hidden ones draw nothing)
            artist.draw(renderer)
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()


class TextOutlines(TextToPath):
    """matplotlib's text-to-outline conversion, remembered: the map's labels have a halo, so matplotlib draws
    them as outlines and laid each out again on every frame (~12 % of a frame). The same text in the same font
    has the same outline, so the pixels do not change."""

    LIMIT = 4096  # distinct (font, text) pairs; a map has a few hundred labels

    def __init__(self) -> None:
        super().__init__()
        self._outlines: dict[Any, Any] = {}

    def get_text_path(self, prop, s, ismath=False, **kwargs):  # type: ignore[no-untyped-def]
        key = (prop.copy(), s, str(ismath), repr(sorted(kwargs.items())))
        if key not in self._outlines:
            if len(self._outlines) >= self.LIMIT:
                self._outlines.clear()
            self._outlines[key] = super().get_text_path(prop, s, ismath, **kwargs)
        return self._outlines[key]
