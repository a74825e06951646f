"""The folium map: a base map that never changes, and the per-date layers that do.

Why it is built this way (measured in bench/bench_app.py and the browser test):
- st_folium reloads its iframe, losing the user's zoom and flashing, whenever the base map's script changes;
  so `base_map` holds no date-dependent content at all: tiles, panes, styles.
- Everything that depends on the date or the layer toggles goes through `feature_group_to_add` as one small
  `LayerSlots` element: a list of slots (one per layer) naming a prepared GeoJSON file (content-addressed,
  written once under `static/cache/`, fetched by the browser from Streamlit's static serving). A date step
  ships about 1 kB of JavaScript instead of the geometry, and the browser caches each file.
- The slots' layers live in their own Leaflet panes (fixed z-order) and a slot's old layer is removed only
  when its new one is ready, so a date change never shows an empty map, and unchanged slots are not touched.
- The country fills sit in a pane *below* the tiles: they are the offline base map (borders, fills, names);
  OpenStreetMap tiles come only when the user turns them on (nkmap.web.online_base), so offline the page asks
  for nothing.
For a standalone HTML file (no server to fetch from) `LayerSlots(..., inline=True)` carries the data inline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from nkmap.client import asset_text
from nkmap.data.dataset import Dataset, json_value
from nkmap.data.memo import Memo, Once
from nkmap.export.export_files import write_atomic
from nkmap.export.export_html import render_html_bytes
from nkmap.model import timeline
from nkmap.text import label_points, popups, style
from nkmap.text.map_css import MAP_CSS
from nkmap.text.messages import messages_for
from nkmap.text.state_text import side_name
from nkmap.web import offline, online_base
from nkmap.web.online_base import OnlineBaseScript
from nkmap.web.plain_render import BaseMap, PlainRendered, RenderedText

#: Opening view: the modelled region (Nagorno-Karabakh and the seven districts) fills a projector-sized map.
CENTER = (39.75, 46.75)
ZOOM = 8
MIN_ZOOM, MAX_ZOOM = 6, 14
#: Display simplification (degrees, ~50 m at this latitude); areas and exports use the full geometry.
DISPLAY_TOLERANCE = 0.0005
#: Coordinates are rounded to 5 decimals (~1 m) in what the browser receives.
DECIMALS = 5
#: Extra slot drawn over the control areas: the areas that changed hands on the date shown.
CHANGES_SLOT = "changes"
CHANGES_STYLE: dict[str, Any] = {"weight": 3, "dashArray": "6 4", "fillOpacity": 0.12, "opacity": 1.0}
CACHE_SUBDIR = "cache"

# --------------------------------------------------------------------------------------------- base map


class MapSetup(folium.elements.JSCSSMixin, PlainRendered):
    """Creates one Leaflet pane per layer (fixed z-order) and sets a plain attribution prefix. Brings the browser
    code of the per-date layers (nkmap.client's nkmap-map.js and layer-slots.js) that `LayerSlots` calls: from
    `code_url` (see `install_map_code`) when given, else inline."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.client_js }}
        nkmapSetup({{ this._parent.get_name() }}, {{ this.panes_json }});
        {% endmacro %}
        """
    )

    def __init__(self, panes: list[dict[str, Any]], code_url: str | None = None):
        super().__init__()
        self._name = "MapSetup"
        self.panes_json = json.dumps(panes)
        if code_url is None:
            self.client_js = asset_text("nkmap-map.js") + asset_text("layer-slots.js")
        else:
            # The file's name in the script: st_folium keeps a map's iframe while its script is the same, so new
            # code (a new name) must change the script, or a tab open across an upgrade keeps the old functions.
            self.client_js = "// nkmap's map code: " + code_url.rsplit("/", 1)[-1]
            self.default_js = [("nkmap_map_code", code_url)]


def map_code() -> str:
    """The browser code every page map runs: the renderer, the date's layers and the online base map's switch."""
    return asset_text("nkmap-map.js") + asset_text("layer-slots.js") + online_base.SCRIPT


#: Where `install_map_code` writes, under the app's static folder (beside the vendored Leaflet, gitignored).
MAP_CODE_SUBDIR = "vendor/nkmap"


def install_map_code(static_dir: str | os.PathLike) -> str:
    """Write `map_code()` under `static_dir` as a file named after its content, once; its path under `static_dir`.

    The page's map loads it with Leaflet (st_folium's `js_links`) instead of carrying ~22 kB of it in its script.
    st_folium hands the script to the browser on every date step, and on the server each step hashed, searched,
    dedented and serialised it: about a fifth of a step's CPU under a class (bench/bench_step_cpu.py). Named
    after its content, so a browser never runs a stale copy after an upgrade, and two app processes starting
    together write the same bytes."""
    data = map_code().encode("utf-8")
    name = f"{MAP_CODE_SUBDIR}/map-{hashlib.sha1(data).hexdigest()[:16]}.js"
    path = Path(static_dir) / name
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, check=False)
    return name


def pane_name(layer_id: str) -> str:
    return f"nk-{layer_id}"


def panes(ds: Dataset) -> list[dict[str, Any]]:
    """One pane per displayed layer in manifest order; the country fills go below the tiles (z 200)."""
    out = []
    for i, spec in enumerate(s for s in ds.layer_specs if s.display):
        z = 150 if spec.id == "countries" else 410 + 10 * i
        out.append({"name": pane_name(spec.id), "z": z})
        if spec.id == "control":
            out.append({"name": pane_name(CHANGES_SLOT), "z": 415 + 10 * i})
    return out


def region_bounds(ds: Dataset) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the modelled region (the manifest's `region_layer`), or None."""
    return _caches(ds).region_bounds.get_or_make(lambda: _region_bounds(ds))


def _region_bounds(ds: Dataset) -> list[list[float]] | None:
    layer = ds.manifest.get("region_layer", "region")
    frame = ds.layers.get(layer)
    if frame is None or frame.empty:
        return None
    west, south, east, north = (round(float(v), 4) for v in frame.total_bounds)
    return [[south, west], [north, east]]


def base_map(
    ds: Dataset,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    asset_url: str | None = None,
    code_url: str | None = None,
) -> folium.Map:
    """The map every rerun shares: same arguments give the same script, so st_folium never reloads it.

    `asset_url` is where the browser finds the vendored Leaflet (see `offline.static_base_url`); `code_url`,
    nkmap's own browser code (`install_map_code`), which is otherwise carried inline in the map's script."""
    m = BaseMap(
        location=list(center or CENTER),
        zoom_start=zoom if zoom is not None else ZOOM,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    if center is None and zoom is None:
        # Fit the modelled region to whatever screen the map is on (a laptop, a 1080p projector).
        bounds = region_bounds(ds)
        if bounds is not None:
            m.fit_bounds(bounds)
    MapSetup(panes(ds), code_url).add_to(m)
    if code_url is None:  # else the file at code_url has it
        OnlineBaseScript().add_to(m)  # no tile layer here: online_base.OnlineBase adds one when the user asks
    cast(Figure, m.get_root()).header.add_child(RenderedText(MAP_CSS), name="nkmap_css")
    offline.localise(m, asset_url if asset_url is not None else offline.static_base_url())
    return m


# ----------------------------------------------------------------------------------------- slot data


def _round(geom):
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def display_geometry(geom, tolerance: float = DISPLAY_TOLERANCE):
    """Simplified, rounded geometry for the browser (None stays None)."""
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type in ("Point", "MultiPoint"):
        return _round(geom)
    return _round(shapely.simplify(geom, tolerance, preserve_topology=True))


def row_props(row: pd.Series) -> dict[str, Any]:
    return {k: json_value(v) for k, v in row.items() if k != "geometry"}


#: Layers whose features stay put while their colour follows control: their data file holds the features once
#: (it changes only when a feature starts or ends), a small per-epoch "paint" file holds colour and holder.
PAINTED = ("places",)
#: Where a painted feature's holder line goes in its popup (filled in by the browser from the paint file).
HELD_MARK = "<!--held-->"
#: Settlement types named on the map; the other settlements are named on hover.
LABELLED_TYPES = ("city", "town", "settlement")
#: Dot size by settlement type: cities and towns stand out, villages stay small so the control colours show.
PLACE_RADIUS = {"city": 5.5, "town": 4.5, "settlement": 3.5}
VILLAGE_RADIUS = 2.5


def feature_for(
    ds: Dataset,
    layer_id: str,
    props: dict[str, Any],
    geom,
    day: dt.date,
    palette: str,
    labelled: bool = False,
    lang: str = "en",
) -> dict[str, Any]:
    """One GeoJSON feature as the browser draws it: display geometry and only what the map needs
    (Leaflet style, escaped popup and tooltip HTML in `lang`, an optional permanent label). Nothing in it may
    depend on the day unless the layer's file signature does (see `_signature`)."""
    m = messages_for(lang)
    if layer_id == CHANGES_SLOT:
        color = style.side_color(ds, props.get("side"), palette)
        out: dict[str, Any] = {"style": {**CHANGES_STYLE, "color": color, "fillColor": color}}
    elif layer_id in PAINTED:
        out = {"style": style.style_for(ds, layer_id, {}, palette)}
        kind = str(props.get("type") or props.get("kind") or "")
        out["style"]["radius"] = PLACE_RADIUS.get(kind, VILLAGE_RADIUS)
        out["style"]["weight"] = 1 if kind in PLACE_RADIUS else 0.6
    else:
        out = {"style": style.style_for(ds, layer_id, props, palette)}
    if layer_id == "control":
        # No date in the text: one prepared file serves every day of a control epoch.
        side: Any = props.get("side")
        area = m._("{area} on the date shown", area=popups.fmt_km2(float(props.get("area_km2") or 0), lang=lang))
        out["popup"] = popups.popup_html(
            {**props, "valid_from": None, "valid_to": None},
            extra=[f'<div class="nk-dates">{popups.text(area)}</div>'],
            lang=lang,
        )
        out["tooltip"] = f"{popups.text(side_label_long(ds, side, lang))}<br>{popups.text(area)}"
    elif layer_id == CHANGES_SLOT:
        side_label = side_label_long(ds, cast(str, props.get("side")), lang)
        passed = popups.text(m._("Passed on this date to: {side}", side=side_label))
        extra = [f'<div class="nk-dates">{passed}</div>']
        out["popup"] = popups.popup_html(props, extra=extra, lang=lang)
        changed = m._("Changed hands on {date}", date=popups.long_date(day, lang))
        out["tooltip"] = popups.tooltip_html(props, extra=popups.text(changed), lang=lang)
    elif layer_id == timeline.SUPPORT_LAYER:
        # No date in the text (one file per control epoch) and no source list: each change area under it carries
        # its own sources, in the control layer's popups.
        area = m._("{area} on the date shown", area=popups.fmt_km2(float(props.get("area_km2") or 0), lang=lang))
        name = popups.feature_name(props, lang) if lang != "en" else props.get("name_en")
        out["popup"] = (
            f'<div class="nk-popup"><div class="nk-title">{popups.text(name)}</div>'
            f'<div class="nk-dates">{popups.text(area)}</div>'
            f'<div class="nk-note">{popups.text(props.get("note"))}</div></div>'
        )
        out["tooltip"] = f"{popups.text(name)}<br>{popups.text(area)}"
    elif layer_id in ("events", "context"):
        out["popup"] = popups.popup_html(props, event=True, lang=lang)
        when = popups.text(popups.long_date(props.get("valid_from"), lang))
        out["tooltip"] = popups.tooltip_html(props, extra=when, lang=lang)
    elif layer_id == "places":
        out["popup"] = popups.popup_html({**props, "valid_from": None, "valid_to": None}, extra=[HELD_MARK], lang=lang)
        out["tooltip"] = popups.tooltip_html(props, lang=lang)
        if labelled:
            kind = str(props.get("type") or props.get("kind") or "")
            out["label"] = popups.text(popups.feature_name(props, lang))
            out["labelClass"] = f"nk-label nk-{'city' if kind == 'city' else 'town'}"
    elif layer_id == "countries":
        out["popup"] = popups.popup_html(props, lang=lang)
        at = label_points.map_label_point(geom, *label_points.opening_view(ds))
        if at is not None:  # in the country's own part of the opening view, not over the region
            name = label_points.country_name(props, lang)
            m = messages_for(lang)
            # the page's CSS capitalises it, but the map's frame has no language: Azerbaijani's i would become I
            out["label"] = popups.text(m.upper(name) if m.own_capitals else name)
            out["labelClass"] = "nk-label nk-country"
            out["labelAt"] = list(_round(at).coords[0])
    else:
        out["popup"] = popups.popup_html(props, lang=lang)
        out["tooltip"] = popups.tooltip_html(props, lang=lang)
    if layer_id in PAINTED:
        out["id"] = props.get("id")
    return {"type": "Feature", "properties": out, "geometry": mapping(geom) if geom is not None else None}


def side_label_long(ds: Dataset, side: str | None, lang: str = "en") -> str:
    """A side's full label ('Held by Artsakh (Nagorno-Karabakh) and Armenian forces') in `lang`."""
    info = ds.sides.get(side or "", {})
    if lang == "en":
        return str(info.get("label_en", side))
    return str(info.get(f"label_{lang}") or info.get("label_en", side))


def _labelled(props: dict[str, Any]) -> bool:
    """Name a settlement on the map when it is a city or town (the villages are named on hover)."""
    return str(props.get("type") or props.get("kind") or "") in LABELLED_TYPES


def _display_frame(ds: Dataset, layer_id: str, frame):
    """Display geometry per feature, cached per (layer, id, geometry)."""
    cache = _caches(ds).display_geometry
    geoms = []
    ids = frame["id"] if "id" in frame.columns else [None] * len(frame)
    for fid, geom in zip(ids, frame.geometry):
        key = (
            layer_id,
            fid,
            shapely.to_wkb(geom)
            if layer_id in ("control", "contact_line", CHANGES_SLOT, timeline.SUPPORT_LAYER)
            else None,
        )
        geoms.append(cache.get_or_make(key, lambda: display_geometry(geom)))
    return geoms


def control_display(ds: Dataset, day: dt.date):
    """The control areas simplified as one coverage, so neighbouring sides still share their edges."""
    epoch = timeline.epoch_of(ds, day)
    frame = timeline.control_on(ds, day)

    def make() -> list[BaseGeometry]:
        geoms = list(frame.geometry)
        try:
            simple = shapely.coverage_simplify(np.array(geoms, dtype=object), DISPLAY_TOLERANCE)
            return [_round(g) for g in simple]
        except Exception:  # not a clean coverage (overlaps): fall back to simplifying each side alone
            return [display_geometry(g) for g in geoms]

    return frame, _caches(ds).control_display.get_or_make(epoch, make)


def prepare_every_epoch(ds: Dataset) -> int:
    """Compute once what the map draws in every state of control (each layer's rows and display geometry, the
    state the panel reads); returns how many states there are.

    The server runs it once, beside its first page (`page_setup.dataset`): the dataset has a fixed number of
    states (37), ~1.4 s and ~12 MiB for all of them, so no pupil's step waits for a state to be computed, and
    what the memos keep for the server's life is made before a lesson's passing garbage is spread among it
    (bench/bench_soak.py)."""
    epochs = timeline.epoch_count(ds)
    for epoch in range(epochs):
        day = timeline.epoch_bounds(ds, epoch)[0]
        timeline.state_on(ds, day)
        for layer_id in ds.display_layers:
            _frame_for(ds, layer_id, day)
    return epochs


def _frame_for(ds: Dataset, layer_id: str, day: dt.date):
    """The rows a layer draws on `day` and their display geometry."""
    if layer_id == CHANGES_SLOT:
        frame = timeline.changes_on(ds, day)
    elif layer_id == "control":
        return control_display(ds, day)
    elif layer_id == "events":  # that day's events, or the latest before it (as the panel lists them)
        frame = timeline.events_on(ds, day)
    elif layer_id in PAINTED:  # every feature in force; the side comes with the paint
        frame = timeline.layer_in_force(ds, layer_id, day)
    else:
        frame = timeline.layer_on(ds, layer_id, day)
    return frame, _display_frame(ds, layer_id, frame)


def layer_collection(
    ds: Dataset, layer_id: str, day: dt.date, palette: str = "default", lang: str = "en"
) -> dict[str, Any]:
    """The FeatureCollection the browser draws for one layer (or the changes slot) on `day`, its texts in `lang`."""
    frame, geoms = _frame_for(ds, layer_id, day)
    features = []
    for (_, row), geom in zip(frame.iterrows(), geoms):
        props = row_props(row)
        if props.get("kind") == "front_derived":  # same line all epoch long: no date in its text
            front = messages_for(lang)._("Front line on the date shown (derived from the control areas)")
            props.update(name_en=front, valid_from=None, valid_to=None)
        features.append(feature_for(ds, layer_id, props, geom, day, palette, _labelled(props), lang))
    return {"type": "FeatureCollection", "features": features}


def layer_paint(
    ds: Dataset, layer_id: str, day: dt.date, palette: str = "default", lang: str = "en"
) -> dict[str, Any] | None:
    """For a painted layer: each feature's colour and holder on `day`, as variants (one per side) and the
    variant of each feature id. Features held by no side keep their file's style."""
    if layer_id != "places":
        return None
    frame = timeline.places_on(ds, day)
    variants: list[Any] = []
    index: dict[Any, Any] = {}
    by_id: dict[Any, Any] = {}
    for fid, side in zip(frame["id"], frame["side_on"]):
        if side is None or (isinstance(side, float) and np.isnan(side)):
            continue
        if side not in index:
            label = ds.sides.get(side, {}).get("short_en", side) if lang == "en" else side_name(ds, side, lang)
            held = messages_for(lang)._("Held on the date shown by: {side}", side=label)
            index[side] = len(variants)
            variants.append(
                {
                    "style": {"fillColor": style.side_color(ds, side, palette)},
                    "extra": f'<div class="nk-dates">{popups.text(held)}</div>',
                }
            )
        by_id[fid] = index[side]
    return {"variants": variants, "byId": by_id}


def _signature(ds: Dataset, layer_id: str, day: dt.date, palette: str, lang: str = "en") -> tuple:
    """What a layer's file depends on; two dates with equal signatures share one prepared file."""
    return (*_day_signature(ds, layer_id, day, palette), lang)


def _day_signature(ds: Dataset, layer_id: str, day: dt.date, palette: str) -> tuple:
    if layer_id in ("control", timeline.SUPPORT_LAYER):
        return (layer_id, timeline.epoch_of(ds, day), palette)
    if layer_id == CHANGES_SLOT:
        return (CHANGES_SLOT, day, palette)
    # A period of the features in force stands for their ids: same period, same features (and a key that costs
    # a bisection, where the ids cost a pass over a column on every layer of every date step).
    if layer_id == "contact_line":
        if timeline.layer_in_force(ds, "contact_line", day).empty:  # derived from control: changes with its epoch
            return ("contact_line", "derived", timeline.epoch_of(ds, day), palette)
        return ("contact_line", timeline.in_force_period(ds, "contact_line", day), palette)
    if layer_id == "events":
        return ("events", timeline.events_date(ds, day), palette)
    return (layer_id, timeline.in_force_period(ds, layer_id, day), palette)


def _paint_signature(ds: Dataset, layer_id: str, day: dt.date, palette: str, lang: str = "en") -> tuple:
    return (
        layer_id,
        "paint",
        timeline.epoch_of(ds, day),
        timeline.in_force_period(ds, layer_id, day),
        palette,
        lang,
    )


@dataclass(frozen=True)
class Slot:
    id: str
    file: str  # file name under static/cache/
    pane: str
    paint: str | None = None  # file name of the paint (painted layers only)


def cache_dir(static_dir: str | os.PathLike) -> Path:
    """`static/cache/`, created with a .gitignore of its own so the prepared files are never committed."""
    path = Path(static_dir) / CACHE_SUBDIR
    if not (path / ".gitignore").is_file():
        path.mkdir(parents=True, exist_ok=True)
        (path / ".gitignore").write_text("# written by nkmap.web.mapview at run time\n*\n", encoding="utf-8")
    return path


def _store(static_dir, stem: str, payload: Any) -> str:
    """Write `payload` as content-addressed JSON under static/cache/ (once) and return its file name."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = f"{stem}-{hashlib.sha1(data).hexdigest()[:16]}.json"
    path = cache_dir(static_dir) / name
    if not path.is_file():
        write_atomic(path, data, check=False)
    return name


def _memo(ds: Dataset, static_dir, sig: tuple, make) -> str:
    """The file for a signature, made once per process (and again if someone deleted it)."""
    memo = _caches(ds).files
    key = (str(static_dir), sig)
    name = memo.get(key)
    # os.path, not pathlib: this runs for every layer on every date step, and a Path costs more than the stat
    if name is None or not os.path.isfile(os.path.join(static_dir, CACHE_SUBDIR, name)):
        name = memo[key] = make()
    return name


def prepare_slot(
    ds: Dataset,
    layer_id: str,
    day: dt.date,
    static_dir: str | os.PathLike,
    palette: str = "default",
    lang: str = "en",
) -> Slot:
    """The prepared file(s) for one layer on `day` in `lang`, written on first use (content-addressed, so every
    process and every date with the same content shares them)."""
    name = _memo(
        ds,
        static_dir,
        _signature(ds, layer_id, day, palette, lang),
        lambda: _store(static_dir, layer_id, layer_collection(ds, layer_id, day, palette, lang)),
    )
    paint = None
    if layer_id in PAINTED:
        paint = _memo(
            ds,
            static_dir,
            _paint_signature(ds, layer_id, day, palette, lang),
            lambda: _store(static_dir, f"{layer_id}-paint", layer_paint(ds, layer_id, day, palette, lang)),
        )
    return Slot(layer_id, name, pane_name(layer_id), paint)


def slot_ids(ds: Dataset, layers: list[str]) -> list[str]:
    """Displayed layers in manifest order, with the changes slot right after control."""
    out = []
    for spec in ds.layer_specs:
        if spec.display and spec.id in layers:
            out.append(spec.id)
            if spec.id == "control":
                out.append(CHANGES_SLOT)
    return out


# ------------------------------------------------------------------------------------ the slots element


class LayerSlots(folium.FeatureGroup, PlainRendered):
    """The date-dependent part of the map, as one FeatureGroup for st_folium's `feature_group_to_add`.

    Its script calls nkmap.client's layer-slots.js (carried by the base map's `MapSetup`), which reconciles the
    map with a list of slots: a slot whose file changed is fetched (or taken from
    the browser-side store) and swapped in once ready, the old layer removed only after the new one is on the
    map; a slot whose paint changed is recoloured in place; a slot no longer listed is removed; the rest are
    not touched. When every slot is drawn it sets `data-nkmap-date` on the map container (the browser test and
    the benchmark wait for it)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({});
        nkmapLayerSlots({{ this._parent.get_name() }}, {{ this.slots_json }}, {{ this.day_json }}, {{ this.legend_json }});
        {% endmacro %}
        """
    )

    def __init__(self, slots: list[dict[str, Any]], day: dt.date, legend: str | None = None):
        super().__init__(name="nkmap layers", control=False)
        # keep folium's "FeatureGroup" name: st_folium adds the group as `feature_group_feature_group_<i>`
        self.slots = slots
        self.slots_json = json.dumps(slots, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        self.day_json = json.dumps(day.isoformat())
        self.legend = legend
        self.legend_json = json.dumps(legend, ensure_ascii=False).replace("</", "<\\/")


def _key(payload: Any) -> str:
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def layer_slots(
    ds: Dataset,
    day: dt.date,
    layers: list[str],
    static_dir: str | os.PathLike | None = None,
    url_prefix: str = "/app/static/",
    palette: str = "default",
    legend: str | None = None,
    lang: str = "en",
) -> LayerSlots:
    """The slots for `day` and the visible `layers`: files under `static_dir` fetched from `url_prefix`,
    or, with `static_dir=None`, the data inline (for a standalone HTML file). `legend` is escaped HTML shown
    in a box on the map (see datepanel.legend_html)."""
    slots = []
    for layer_id in slot_ids(ds, layers):
        if static_dir is None:
            data = layer_collection(ds, layer_id, day, palette, lang)
            slot: dict[str, Any] = {"id": layer_id, "key": _key(data), "pane": pane_name(layer_id), "data": data}
            coat = layer_paint(ds, layer_id, day, palette, lang)
            if coat is not None:
                slot.update(paintKey=_key(coat), paintData=coat)
        else:
            prepared = prepare_slot(ds, layer_id, day, static_dir, palette, lang)
            slot = {
                "id": layer_id,
                "key": prepared.file,
                "pane": prepared.pane,
                "url": f"{url_prefix}{CACHE_SUBDIR}/{prepared.file}",
            }
            if prepared.paint:
                slot.update(paintKey=prepared.paint, paint=f"{url_prefix}{CACHE_SUBDIR}/{prepared.paint}")
        slots.append(slot)
    return LayerSlots(slots, day, legend)


def class_map_file(ds: Dataset, static_dir: str | os.PathLike) -> str:
    """The standalone whole-timeline map (nkmap.export.export_html) under static/cache/, made once per dataset.

    Every date step on it happens in the pupil's browser, so a class of thirty stepping at once costs the server
    one file download each instead of thirty page reruns per step."""

    def make() -> str:
        data = render_html_bytes(ds)
        name = f"nkmap-timeline-{hashlib.sha1(data).hexdigest()[:16]}.html"
        path = cache_dir(static_dir) / name
        if not path.is_file():
            write_atomic(path, data, check=False)
        return name

    return _memo(ds, static_dir, ("class_map",), make)


@dataclass
class MapviewCaches:
    """What the map view keeps per dataset (`Dataset.caches(MapviewCaches)`)."""

    # (layer, feature id, WKB of the geometry for layers computed per date, else None) -> the display geometry
    display_geometry: Memo[tuple[str, Any, bytes | None], BaseGeometry] = field(default_factory=Memo)
    control_display: Memo[int, list[BaseGeometry]] = field(default_factory=Memo)  # per epoch: sides simplified
    files: Memo[tuple[str, tuple], str] = field(default_factory=Memo)  # (static dir, signature) -> file name
    region_bounds: Once[list[list[float]] | None] = field(default_factory=Once)  # the base map fits the view to it


def _caches(ds: Dataset) -> MapviewCaches:
    return ds.caches(MapviewCaches)
