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
- The country fills sit in a pane *below* the tiles: with internet, OpenStreetMap covers them; without it,
  they are the offline base map (borders, fills, names).
For a standalone HTML file (no server to fetch from) `LayerSlots(..., inline=True)` carries the data inline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element
from jinja2 import Template
from shapely.geometry import mapping

from . import offline, popups, style, timeline
from .dataset import Dataset

#: Opening view: the modelled region (Nagorno-Karabakh and the seven districts) fills a projector-sized map.
CENTER = (39.75, 46.75)
ZOOM = 8
MIN_ZOOM, MAX_ZOOM = 6, 14
#: Display simplification (degrees, ~50 m at this latitude); areas and exports use the full geometry.
DISPLAY_TOLERANCE = 0.0005
#: Coordinates are rounded to 5 decimals (~1 m) in what the browser receives.
DECIMALS = 5
#: Map background: what shows where neither tiles nor the offline country fills are (sea, outside the box).
BACKGROUND = "#dfe7ec"
#: Extra slot drawn over the control areas: the areas that changed hands on the date shown.
CHANGES_SLOT = "changes"
CHANGES_STYLE = {"weight": 3, "dashArray": "6 4", "fillOpacity": 0.12, "opacity": 1.0}
CACHE_SUBDIR = "cache"

MAP_CSS = f"""
<style>
#map_div {{ height: 100vh !important; }}
.leaflet-container {{ background: {BACKGROUND}; font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; }}
.nk-popup {{ font-size: 14px; line-height: 1.35; max-width: 340px; }}
.nk-popup .nk-title {{ font-weight: 700; font-size: 15px; }}
.nk-popup .nk-names, .nk-popup .nk-dates {{ color: #333; }}
.nk-popup .nk-summary, .nk-popup .nk-claims, .nk-popup .nk-note, .nk-popup .nk-wording {{ margin-top: 4px; }}
.nk-popup .nk-precision {{ margin-top: 4px; font-style: italic; color: #444; }}
.nk-popup .nk-sources {{ margin-top: 4px; font-size: 12px; color: #444; }}
.nk-popup .nk-sources ol {{ margin: 2px 0 0 0; padding-left: 18px; max-height: 110px; overflow-y: auto; }}
.nk-popup .nk-sources a {{ word-break: break-all; }}
.leaflet-tooltip.nk-label {{ background: transparent; border: 0; box-shadow: none; padding: 0 2px;
  font-size: 12px; font-weight: 600; color: #222;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }}
.leaflet-tooltip.nk-label:before {{ display: none; }}
.leaflet-tooltip.nk-country {{ font-size: 15px; font-weight: 400; letter-spacing: 0.12em; text-transform: uppercase; color: #555; }}
.leaflet-tooltip .nk-local {{ color: #555; font-weight: 400; }}
</style>
"""


# --------------------------------------------------------------------------------------------- base map


class MapSetup(folium.MacroElement):
    """Creates one Leaflet pane per layer (fixed z-order) and sets a plain attribution prefix."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var panes = {{ this.panes_json }};
            panes.forEach(function (p) {
                if (!map.getPane(p.name)) { map.createPane(p.name).style.zIndex = p.z; }
            });
            map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Leaflet, BSD-2 licence">Leaflet</a>');
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, panes: list[dict[str, Any]]):
        super().__init__()
        self._name = "MapSetup"
        self.panes_json = json.dumps(panes)


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


def base_map(ds: Dataset, center: tuple[float, float] | None = None, zoom: int | None = None,
             asset_url: str | None = None, tiles: bool = True) -> folium.Map:
    """The map every rerun shares: same arguments give the same script, so st_folium never reloads it.

    `asset_url` is where the browser finds the vendored Leaflet (see `offline.static_base_url`)."""
    m = folium.Map(
        location=list(center or CENTER),
        zoom_start=zoom if zoom is not None else ZOOM,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    if tiles:
        folium.TileLayer(
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            attr='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
            name="OpenStreetMap",
            max_zoom=19,
            opacity=0.75,
        ).add_to(m)
    MapSetup(panes(ds)).add_to(m)
    m.get_root().header.add_child(Element(MAP_CSS), name="nkmap_css")
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


def _json_value(value: Any) -> Any:
    """Property values as plain JSON (dates as ISO strings, numpy scalars as Python, NaN as None)."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, np.ndarray):
        return [_json_value(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NaT:
        return None
    return value


def row_props(row: pd.Series) -> dict[str, Any]:
    return {k: _json_value(v) for k, v in row.items() if k != "geometry"}


def _fmt_km2(value: float) -> str:
    return f"{value:,.0f} km²" if value >= 10 else f"{value:,.1f} km²"


def feature_for(ds: Dataset, layer_id: str, props: dict[str, Any], geom, day: dt.date, palette: str,
                label_places: bool) -> dict[str, Any]:
    """One GeoJSON feature as the browser draws it: display geometry and only what the map needs
    (Leaflet style, escaped popup and tooltip HTML, an optional permanent label)."""
    if layer_id == CHANGES_SLOT:
        color = style.side_color(ds, props.get("side"), palette)
        out: dict[str, Any] = {"style": {**CHANGES_STYLE, "color": color, "fillColor": color}}
    else:
        out = {"style": style.style_for(ds, layer_id, props, palette)}
    if layer_id == "control":
        # No date in the text: one prepared file serves every day of a control epoch.
        side = props.get("side")
        area = f"{_fmt_km2(float(props.get('area_km2') or 0))} on the date shown"
        out["popup"] = popups.popup_html({**props, "valid_from": None, "valid_to": None},
                                         extra=[f'<div class="nk-dates">{popups.text(area)}</div>'])
        out["tooltip"] = f"{popups.text(ds.sides.get(side, {}).get('label_en', side))}<br>{popups.text(area)}"
    elif layer_id == CHANGES_SLOT:
        side_label = ds.sides.get(props.get("side"), {}).get("label_en", props.get("side"))
        extra = [f'<div class="nk-dates">{popups.text("Passed on this date to: " + str(side_label))}</div>']
        out["popup"] = popups.popup_html(props, extra=extra)
        out["tooltip"] = popups.tooltip_html(props, extra=popups.text(f"Changed hands on {popups.long_date(day)}"))
    elif layer_id == "events":
        out["popup"] = popups.popup_html(props, event=True)
        out["tooltip"] = popups.tooltip_html(props, extra=popups.text(popups.long_date(props.get("valid_from"))))
    elif layer_id == "places":
        side = props.get("side_on")
        held = ds.sides.get(side, {}).get("short_en") if side else None
        extra = popups.text(f"Held on the date shown by: {held}") if held else ""
        out["popup"] = popups.popup_html(props, extra=[f'<div class="nk-dates">{extra}</div>'] if extra else [])
        if label_places:
            out["label"] = popups.text(props.get("name_en") or props.get("id"))
        else:
            out["tooltip"] = popups.tooltip_html(props, extra=extra)
    elif layer_id == "countries":
        out["popup"] = popups.popup_html(props)
        out["label"] = popups.text(props.get("name_en"))
        out["labelClass"] = "nk-label nk-country"
        out["labelAt"] = list(_round(geom.representative_point()).coords[0]) if geom is not None else None
    else:
        out["popup"] = popups.popup_html(props)
        out["tooltip"] = popups.tooltip_html(props)
    return {"type": "Feature", "properties": out, "geometry": mapping(geom) if geom is not None else None}


def _label_places(frame: pd.DataFrame) -> bool:
    """Name every settlement on the map while there are few enough to stay legible; else names on hover."""
    return len(frame) <= 60


def _display_frame(ds: Dataset, layer_id: str, frame):
    """The frame with display geometry; per-feature simplification is cached per (layer, id)."""
    cache = ds.cache.setdefault("nkmap.display", {})
    geoms = []
    for fid, geom in zip(frame["id"] if "id" in frame.columns else [None] * len(frame), frame.geometry):
        key = (layer_id, fid, shapely.to_wkb(geom) if layer_id in ("control", "contact_line", CHANGES_SLOT) else None)
        if key not in cache:
            cache[key] = display_geometry(geom)
        geoms.append(cache[key])
    return geoms


def control_display(ds: Dataset, day: dt.date):
    """The control areas simplified as one coverage, so neighbouring sides still share their edges."""
    epoch = timeline.epoch_of(ds, day)
    key = ("nkmap.control_display", epoch)
    frame = timeline.control_on(ds, day)
    if key not in ds.cache:
        geoms = list(frame.geometry)
        try:
            simple = shapely.coverage_simplify(np.array(geoms, dtype=object), DISPLAY_TOLERANCE)
            simple = [_round(g) for g in simple]
        except Exception:  # not a clean coverage (overlaps): fall back to simplifying each side alone
            simple = [display_geometry(g) for g in geoms]
        ds.cache[key] = simple
    return frame, ds.cache[key]


def layer_collection(ds: Dataset, layer_id: str, day: dt.date, palette: str = "default") -> dict[str, Any]:
    """The FeatureCollection the browser draws for one layer (or the changes slot) on `day`."""
    if layer_id == CHANGES_SLOT:
        frame = timeline.changes_on(ds, day)
        geoms = _display_frame(ds, layer_id, frame)
    elif layer_id == "control":
        frame, geoms = control_display(ds, day)
    elif layer_id == "events":  # that day's events, or the latest before it (as the panel lists them)
        frame = timeline.events_on(ds, day)
        geoms = _display_frame(ds, layer_id, frame)
    else:
        frame = timeline.layer_on(ds, layer_id, day)
        geoms = _display_frame(ds, layer_id, frame)
    label_places = layer_id == "places" and _label_places(frame)
    features = []
    for (_, row), geom in zip(frame.iterrows(), geoms):
        props = row_props(row)
        if props.get("kind") == "front_derived":  # same line all epoch long: no date in its text
            props.update(name_en="Front line on the date shown (derived from the control areas)",
                         valid_from=None, valid_to=None)
        features.append(feature_for(ds, layer_id, props, geom, day, palette, label_places))
    return {"type": "FeatureCollection", "features": features}


def _signature(ds: Dataset, layer_id: str, day: dt.date, palette: str) -> tuple:
    """What a layer's drawing depends on; two dates with equal signatures share one prepared file."""
    if layer_id == "control":
        return ("control", timeline.epoch_of(ds, day), palette)
    if layer_id == CHANGES_SLOT:
        return (CHANGES_SLOT, day, palette)
    if layer_id == "contact_line":
        stored = timeline.in_force(ds.layers["contact_line"], day)
        if stored.empty:  # derived from control, so it changes with the control epoch
            return ("contact_line", "derived", timeline.epoch_of(ds, day), palette)
        return ("contact_line", tuple(stored["id"]), palette)
    if layer_id == "places":
        return ("places", timeline.epoch_of(ds, day), tuple(timeline.in_force(ds.layers["places"], day)["id"]), palette)
    if layer_id == "events":
        return ("events", tuple(timeline.events_on(ds, day)["id"]), palette)
    return (layer_id, tuple(timeline.in_force(ds.layers[layer_id], day)["id"]), palette)


@dataclass(frozen=True)
class Slot:
    id: str
    file: str  # file name under static/cache/
    pane: str
    count: int  # features drawn


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def cache_dir(static_dir: str | os.PathLike) -> Path:
    """`static/cache/`, created with a .gitignore of its own so the prepared files are never committed."""
    path = Path(static_dir) / CACHE_SUBDIR
    if not (path / ".gitignore").is_file():
        path.mkdir(parents=True, exist_ok=True)
        (path / ".gitignore").write_text("# written by nkmap.mapview at run time\n*\n", encoding="utf-8")
    return path


def prepare_slot(ds: Dataset, layer_id: str, day: dt.date, static_dir: str | os.PathLike, palette: str = "default") -> Slot:
    """The prepared file for one layer on `day`, written on first use (content-addressed, so every process
    and every date with the same content shares it)."""
    sig = _signature(ds, layer_id, day, palette)
    memo = ds.cache.setdefault("nkmap.slots", {})
    key = (str(static_dir), sig)
    slot = memo.get(key)
    if slot is not None and (Path(static_dir) / CACHE_SUBDIR / slot.file).is_file():
        return slot
    collection = layer_collection(ds, layer_id, day, palette)
    data = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = f"{layer_id}-{hashlib.sha1(data).hexdigest()[:16]}.json"
    path = cache_dir(static_dir) / name
    if not path.is_file():
        _write_atomic(path, data)
    slot = Slot(layer_id, name, pane_name(layer_id), len(collection["features"]))
    memo[key] = slot
    return slot


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


class LayerSlots(folium.FeatureGroup):
    """The date-dependent part of the map, as one FeatureGroup for st_folium's `feature_group_to_add`.

    Its script reconciles the map with a list of slots: a slot whose file changed is fetched (or taken from
    the browser-side cache) and swapped in once ready; a slot no longer listed is removed; the rest stay.
    When every slot is drawn it sets `data-nkmap-date` on the map container (the browser test and the
    benchmark wait for it)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({});
        (function (map, want, day) {
            var reg = map.nkmapSlots = map.nkmapSlots || {};
            var store = map.nkmapData = map.nkmapData || {};
            var seq = map.nkmapSeq = (map.nkmapSeq || 0) + 1;
            var ids = {};
            want.forEach(function (s) { ids[s.id] = true; });
            Object.keys(reg).forEach(function (id) {
                if (!ids[id]) { if (reg[id].layer) { map.removeLayer(reg[id].layer); } delete reg[id]; }
            });
            var pending = 0;
            function done() {
                if (seq !== map.nkmapSeq) { return; }
                var el = map.getContainer();
                el.setAttribute('data-nkmap-date', day);
                el.setAttribute('data-nkmap-slots', want.map(function (s) { return s.id + ':' + s.key; }).join(' '));
            }
            function build(s, data) {
                var group = L.featureGroup();
                L.geoJson(data, {
                    pane: s.pane,
                    style: function (f) { return f.properties.style; },
                    pointToLayer: function (f, latlng) {
                        return L.circleMarker(latlng, Object.assign({pane: s.pane}, f.properties.style));
                    },
                    onEachFeature: function (f, layer) {
                        var p = f.properties;
                        if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 360, maxHeight: 420}); }
                        if (p.label && !p.labelAt) {
                            layer.bindTooltip(p.label, {permanent: true, direction: 'right', offset: [4, 0], className: p.labelClass || 'nk-label'});
                        } else if (p.tooltip) {
                            layer.bindTooltip(p.tooltip, {sticky: f.geometry && f.geometry.type.indexOf('Point') < 0});
                        }
                        if (p.label && p.labelAt) {
                            L.tooltip({permanent: true, direction: 'center', className: p.labelClass || 'nk-label', interactive: false})
                                .setLatLng([p.labelAt[1], p.labelAt[0]]).setContent(p.label).addTo(group);
                        }
                    }
                }).addTo(group);
                return group;
            }
            function place(s, data) {
                var cur = reg[s.id];
                if (!cur || cur.want !== s.key) { return; }
                if (cur.layer) { map.removeLayer(cur.layer); }
                cur.layer = build(s, data).addTo(map);
                cur.key = s.key;
            }
            want.forEach(function (s) {
                var cur = reg[s.id] = reg[s.id] || {};
                cur.want = s.key;
                if (cur.key === s.key) { return; }
                if (s.data) { place(s, s.data); return; }
                if (store[s.url]) { place(s, store[s.url]); return; }
                pending += 1;
                fetch(s.url).then(function (r) {
                    if (!r.ok) { throw new Error(r.status + ' ' + r.statusText); }
                    return r.json();
                }).then(function (data) {
                    store[s.url] = data;
                    place(s, data);
                }).catch(function (err) {
                    console.error('nkmap: could not load layer ' + s.id + ' from ' + s.url, err);
                    map.getContainer().setAttribute('data-nkmap-error', s.id);
                }).then(function () { pending -= 1; if (pending === 0) { done(); } });
            });
            if (pending === 0) { done(); }
        })({{ this._parent.get_name() }}, {{ this.slots_json }}, {{ this.day_json }});
        {% endmacro %}
        """
    )

    def __init__(self, slots: list[dict[str, Any]], day: dt.date):
        super().__init__(name="nkmap layers", control=False)
        # keep folium's "FeatureGroup" name: st_folium adds the group as `feature_group_feature_group_<i>`
        self.slots = slots
        self.slots_json = json.dumps(slots, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        self.day_json = json.dumps(day.isoformat())


def layer_slots(ds: Dataset, day: dt.date, layers: list[str], static_dir: str | os.PathLike | None = None,
                url_prefix: str = "/app/static/", palette: str = "default") -> LayerSlots:
    """The slots for `day` and the visible `layers`: files under `static_dir` fetched from `url_prefix`,
    or, with `static_dir=None`, the data inline (for a standalone HTML file)."""
    slots = []
    for layer_id in slot_ids(ds, layers):
        if static_dir is None:
            data = layer_collection(ds, layer_id, day, palette)
            key = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
            slots.append({"id": layer_id, "key": key, "pane": pane_name(layer_id), "data": data})
        else:
            slot = prepare_slot(ds, layer_id, day, static_dir, palette)
            slots.append({"id": layer_id, "key": slot.file, "pane": slot.pane,
                          "url": f"{url_prefix}{CACHE_SUBDIR}/{slot.file}"})
    return LayerSlots(slots, day)
