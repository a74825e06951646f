"""One self-contained HTML file with the whole timeline: a date slider, layer control, legend and popups,
working offline (no CDN), so it can be emailed or opened from a USB stick.

Rather than one geometry per day, the file carries the control pieces once and, per epoch (the control state
changes on a few dozen dates), which side holds each piece; the other layers carry their validity dates. A small
inline script steps through the days in the browser. Leaflet 1.9.4 (BSD-2, (c) Vladimir Agafonkin and
CloudMade) is inlined from the `django-js-lib-leaflet` wheel via `offline.leaflet_package_dir`; popups come
from `popups`, so the file reads like the app. Every text from the data is escaped before it becomes HTML.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from . import export_text as tx
from . import offline, popups
from .control_pieces import NOBODY, control_pieces
from .dataset import Dataset, iso_date
from .export_files import ExportError, write_atomic
from .export_options import MapOptions, check_options, shown_layers, view_bounds
from .style import side_color, style_for
from .timeline import contact_line_on, control_on, in_force

DISPLAY_TOLERANCE = 0.0005  # degrees (~50 m): invisible at the zooms the file offers, halves the vertices
DECIMALS = 4  # ~10 m: finer than the data's precision; shared edges round alike, so pieces stay gap-free
FOREVER = 10**6  # a valid_to of "still in force", as a day index
PANES = {"countries": 250, "districts": 420, "nkao": 430, "control": 410}


def _round(geom):
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def _display(geom):
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Point", "MultiPoint"):
        return _round(geom)
    return _round(shapely.simplify(geom, DISPLAY_TOLERANCE, preserve_topology=True))


def _day(ds: Dataset, day: Any, default: int) -> int:
    """A date (or ISO text) as a day index from the timeline's start; `default` when there is none."""
    day = iso_date(day) if not isinstance(day, dt.date) else day
    return default if day is None else (day - ds.start).days


def _plain(value: Any) -> Any:
    """Property values as plain Python for the popups: missing dates (NaT) and NaN as None, dates as dates."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _diff(style: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The style keys that differ from the layer's (most features share it; the page merges the two)."""
    return {k: v for k, v in style.items() if base.get(k) != v}


def _props(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items() if k != "geometry"}


def _legend_swatch(kind: str, style: dict[str, Any], color: str) -> str:
    """A small inline SVG showing a line, area or point style (colours are checked to be plain CSS colours)."""
    safe = color if re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-z]+", str(color)) else "#000000"
    dash = str(style.get("dashArray") or "")
    dash_attr = f' stroke-dasharray="{html.escape(dash)}"' if re.fullmatch(r"[0-9 .,]+", dash) else ""
    if kind == "point":
        fill = style.get("fillColor", "#ffffff")
        fill = fill if re.fullmatch(r"#[0-9a-fA-F]{3,8}", str(fill)) else "#ffffff"
        return (f'<svg width="28" height="14"><circle cx="14" cy="7" r="5" fill="{fill}" stroke="{safe}" '
                f'stroke-width="1.5"/></svg>')
    fill = ""
    if style.get("fillOpacity") and style.get("fillColor"):
        fc = style["fillColor"] if re.fullmatch(r"#[0-9a-fA-F]{3,8}", str(style["fillColor"])) else "#000000"
        fill = f'<rect x="1" y="3" width="26" height="8" fill="{fc}" fill-opacity="{float(style["fillOpacity"]):g}"/>'
    width = min(float(style.get("weight", 2)), 4)
    return (f'<svg width="28" height="14">{fill}<line x1="1" y1="7" x2="27" y2="7" stroke="{safe}" '
            f'stroke-width="{width:g}"{dash_attr}/></svg>')


class HtmlData:
    """Everything the page's script needs, as JSON-ready Python values."""

    def __init__(self, ds: Dataset, options: MapOptions):
        self.ds = ds
        self.opt = check_options(ds, options)
        self.lang = options.lang
        self.layers = shown_layers(ds, options)
        self.all_layers = [s.id for s in ds.layer_specs if s.display and s.id in ds.layers]
        self.sources: list[str] = []  # escaped citation HTML, shared by every popup
        self.source_index: dict[str, int] = {}

    def popup(self, props: dict[str, Any], event: bool = False) -> dict[str, Any]:
        """A feature's popup as {"html": ..., "src": [source numbers]}: the app's popup (`popups.popup_html`) with
        its source list cut off, because the same citations recur in hundreds of popups; the page's script
        appends the list from one shared table (this keeps the whole-timeline file small)."""
        sources = [str(x) for x in (props.get("sources") or []) if str(x).strip()]
        body = popups.popup_html({**props, "sources": []}, event=event)
        tail = popups.sources_html([]) + "</div>"
        if not body.endswith(tail):  # popups changed its layout: ship the full popup rather than guess
            return {"html": popups.popup_html(props, event=event)}
        numbers = []
        for source in sources:
            if source not in self.source_index:
                self.source_index[source] = len(self.sources)
                self.sources.append(popups.source_html(source))
            numbers.append(self.source_index[source])
        return {"html": body[: -len(tail)], "src": numbers}

    def build(self) -> dict[str, Any]:
        ds = self.ds
        x0, y0, x1, y1 = view_bounds(ds, self.opt.area)
        data: dict[str, Any] = {
            "start": ds.start.isoformat(),
            "days": (ds.end - ds.start).days,
            "initial": (ds.default_date - ds.start).days,
            "bounds": [[y0, x0], [y1, x1]],
            "lang": self.lang,
            "ui": {k: html.escape(tx.ui(k, self.lang)) for k in ("title", "latest", "layers", "play", "pause", "html_note",
                                                        "area_heading", "date_label")},
            "months": tx.MONTHS[self.lang],
            "keyDates": [{"day": _day(ds, k.date, 0), "label": html.escape(k.label_en)} for k in ds.key_dates
                         if ds.start <= k.date <= ds.end],
            "sides": [{"id": s, "label": html.escape(tx.side_label(ds.sides, s, self.lang)),
                       "color": side_color(ds, s, self.opt.palette)} for s in ds.sides],
        }
        data["control"] = self._control()
        data["layers"] = [self._layer(lid) for lid in self.all_layers if lid != "control"]
        data["legend"] = self._legend()
        data["sources"] = self.sources
        data["noSources"] = popups.sources_html([])
        return data

    # -- control: pieces, side per epoch, the feature that explains each piece --------------------------------
    def _control(self) -> dict[str, Any]:
        ds = self.ds
        pieces = control_pieces(ds)
        geoms = np.array(pieces.geoms, dtype=object)
        try:  # a coverage simplification keeps neighbouring pieces sharing their edges (no gaps, no overlaps)
            simple = shapely.coverage_simplify(geoms, DISPLAY_TOLERANCE) if len(geoms) else geoms
        except Exception:  # not a clean coverage: each piece on its own is still fine at this tolerance
            simple = [shapely.simplify(g, DISPLAY_TOLERANCE, preserve_topology=True) for g in geoms]
        simple = [_round(g) for g in simple]
        epochs = [_day(ds, d, 0) for d in pieces.change_dates]
        assign = ["".join(str(int(v) + 1) for v in row) for row in pieces.assign]  # '0' = nobody, '1'.. = sides
        areas = []
        first = min(ds.start, pieces.change_dates[0] - dt.timedelta(days=1)) if pieces.change_dates else ds.start
        for day in [first, *pieces.change_dates]:
            frame = control_on(ds, day)
            by_side = dict(zip(frame["side"], frame["area_km2"]))
            areas.append([round(float(by_side.get(s, 0.0))) for s in pieces.sides])
        feats, history = self._piece_history(pieces)
        return {
            "pieces": [mapping(g) for g in simple],
            "epochs": epochs,
            "assign": assign,
            "areas": areas,
            "features": feats,
            "history": history,
            "style": dict(ds.spec("control").style),
            "title": html.escape(tx.LAYERS.get("control", {}).get(self.lang, ds.spec("control").title)
                                 if self.lang != "en" else ds.spec("control").title),
        }

    def _piece_history(self, pieces) -> tuple[list[dict[str, Any]], list[list[list[int]]]]:
        """Per piece, [[first day, feature index], ...]: the control feature that gave the piece to its side."""
        ds = self.ds
        frame = ds.layers["control"]
        rows = frame.to_dict("records")
        if not pieces.geoms:
            return [], []
        pts = shapely.point_on_surface(np.array(pieces.geoms, dtype=object))
        xs, ys = shapely.get_x(pts), shapely.get_y(pts)
        covers = np.array([shapely.contains_xy(shapely.make_valid(g), xs, ys) for g in frame.geometry])
        roles = [r.get("role", "baseline") for r in rows]
        froms = [r.get("valid_from") for r in rows]
        sides = [r.get("side") for r in rows]
        popups_html = []
        for r in rows:
            props = _props(r)
            props["valid_to"] = None  # a change holds until a later one; its own valid_to is not the control's end
            popups_html.append(self.popup(props))
        starts = [None, *pieces.change_dates]
        history: list[list[list[int]]] = [[] for _ in pieces.geoms]
        for e, start in enumerate(starts):
            row = pieces.assign[e]
            for p in range(len(pieces.geoms)):
                side = pieces.sides[row[p]] if row[p] != NOBODY else None
                best, best_key = None, None
                for f in np.nonzero(covers[:, p])[0]:
                    if sides[f] != side:
                        continue
                    if roles[f] == "change" and (start is None or froms[f] is None or froms[f] > start):
                        continue
                    key = (0 if roles[f] == "baseline" else 1, froms[f] or dt.date.min, rows[f].get("id", ""))
                    if best_key is None or key > best_key:
                        best, best_key = int(f), key
                day = -FOREVER if start is None else _day(ds, start, 0)
                if best is not None and (not history[p] or history[p][-1][1] != best):
                    history[p].append([day, best])
        return popups_html, history

    # -- other layers ----------------------------------------------------------------------------------------
    def _layer(self, layer_id: str) -> dict[str, Any]:
        ds = self.ds
        spec = ds.spec(layer_id)
        frame = ds.layers[layer_id]
        rows = [_props(r) for r in frame.to_dict("records")]
        geoms = list(frame.geometry)
        if layer_id == "contact_line":
            extra_rows, extra_geoms = self._derived_lines()
            rows += extra_rows
            geoms += extra_geoms
        pieces = control_pieces(ds)
        piece_of = self._piece_of(geoms) if layer_id == "places" else None
        layer_style = style_for(ds, layer_id, {}, self.opt.palette)
        features = []
        for i, (props, geom) in enumerate(zip(rows, geoms)):
            shown = _display(geom)
            if shown is None:
                continue
            out: dict[str, Any] = {
                "from": _day(ds, props.get("valid_from"), -FOREVER),
                "to": _day(ds, props.get("valid_to"), FOREVER),
                "style": _diff(style_for(ds, layer_id, props, self.opt.palette), layer_style),
                "popup": self.popup(props, event=layer_id == "events"),
            }
            if layer_id == "places":
                out["piece"] = int(piece_of[i])
                kind = str(props.get("type") or props.get("kind") or "").lower()
                if len(rows) <= 60 or kind in ("city", "town", "capital"):
                    out["label"] = html.escape(tx.place_name(props, self.lang))
                else:
                    out["tooltip"] = html.escape(tx.place_name(props, self.lang))
            elif layer_id == "countries":
                pt = _round(shapely.point_on_surface(geom))
                out["label"] = html.escape(tx.place_name(props, self.lang))
                out["labelAt"] = [pt.y, pt.x]
            else:
                out["tooltip"] = html.escape(tx.place_name(props, self.lang))
            features.append({"type": "Feature", "properties": out, "geometry": mapping(shown)})
        del pieces
        return {
            "id": layer_id,
            "title": html.escape(tx.LAYERS.get(layer_id, {}).get(self.lang, spec.title) if self.lang != "en" else spec.title),
            "geometry": spec.geometry,
            "visible": layer_id in self.layers,
            "style": layer_style,
            "pane": PANES.get(layer_id, 440 + 10 * self.all_layers.index(layer_id)),
            "features": features,
        }

    def _piece_of(self, geoms) -> list[int]:
        """The control piece that contains each point (-1 outside every piece)."""
        pieces = control_pieces(self.ds)
        out = []
        tree = shapely.STRtree(pieces.geoms) if pieces.geoms else None
        for geom in geoms:
            hit = -1
            if tree is not None and geom is not None and not geom.is_empty:
                found = tree.query(geom, predicate="within")
                hit = int(found[0]) if len(found) else -1
            out.append(hit)
        return out

    def _derived_lines(self) -> tuple[list[dict[str, Any]], list]:
        """The front line derived from control for the days no stored contact line covers (the war)."""
        ds = self.ds
        pieces = control_pieces(ds)
        stored = ds.layers["contact_line"]
        covered = sorted((f, t or ds.end) for f, t in zip(stored["valid_from"], stored["valid_to"]) if f is not None)
        starts = [ds.start, *[d for d in pieces.change_dates if ds.start < d <= ds.end]]
        ends = [s - dt.timedelta(days=1) for s in starts[1:]] + [ds.end]
        rows, geoms = [], []
        for e_start, e_end in zip(starts, ends):
            day = e_start
            while day <= e_end:
                blocking = [(f, t) for f, t in covered if f <= day <= t]
                if blocking:
                    day = max(t for _, t in blocking) + dt.timedelta(days=1)
                    continue
                nxt = min([f for f, _ in covered if f > day] + [e_end + dt.timedelta(days=1)])
                last = min(nxt - dt.timedelta(days=1), e_end)
                frame = contact_line_on(ds, day)
                if not in_force(stored, day).empty or frame.empty:
                    day = last + dt.timedelta(days=1)
                    continue
                props = _props(frame.to_dict("records")[0])
                props.update(valid_from=day, valid_to=last, id=f"front-derived-{day.isoformat()}")
                props["name_en"] = f"Front line {day:%d %b %Y} – {last:%d %b %Y} (derived from the control areas)"
                rows.append(props)
                geoms.append(frame.geometry.iloc[0])
                day = last + dt.timedelta(days=1)
        return rows, geoms

    def _legend(self) -> list[dict[str, str]]:
        out = []
        for spec in self.ds.layer_specs:
            if spec.id not in self.all_layers or spec.id == "control":
                continue
            for item in spec.legend:
                if item.get("kind") == "side":
                    continue
                st = dict(spec.style)
                color = item.get("color", st.get("color", "#000000"))
                out.append({"layer": spec.id,
                            "swatch": _legend_swatch(item.get("kind", "line"), st, color),
                            "label": html.escape(tx.legend_label(item, spec.id, spec.title, self.lang))})
        return out


def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS from the installed wheel, with the CSS's images inlined as data URIs."""
    root = offline.leaflet_package_dir()
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        path = root / match.group(1)
        if not path.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode('ascii')})"

    css = re.sub(r"url\((images/[a-z0-9-]+\.png)\)", inline, css)
    return js, css


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '<' can end the element or open a comment."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def render_html(ds: Dataset, options: MapOptions = MapOptions()) -> str:
    """The standalone page as a string."""
    data = HtmlData(ds, options).build()
    js, css = _leaflet_assets()
    from .mapview import MAP_CSS  # the app's popup and label styles, so both look alike

    title = html.escape(tx.ui("title", options.lang))
    return (PAGE.replace("{{lang}}", html.escape(options.lang))
            .replace("{{title}}", title)
            .replace("{{leaflet_css}}", css)
            .replace("{{map_css}}", MAP_CSS)
            .replace("{{note}}", html.escape(tx.ui("html_note", options.lang)))
            .replace("{{leaflet_js}}", js.replace("</script", "<\\/script"))
            .replace("{{data}}", _script_json(data))
            .replace("{{app_js}}", APP_JS))


def render_html_bytes(ds: Dataset, options: MapOptions = MapOptions()) -> bytes:
    """For the app's download button: the standalone HTML (the whole timeline) as UTF-8 bytes."""
    return render_html(ds, options).encode("utf-8")


def export_html(ds: Dataset, output: str | Path, options: MapOptions = MapOptions(), initial: dt.date | None = None) -> Path:
    """Write the standalone HTML; `initial` is the date it opens on (default: the dataset's default date)."""
    if initial is not None and not ds.start <= initial <= ds.end:
        raise ExportError(f"{initial.isoformat()} is outside the timeline ({ds.start.isoformat()} to {ds.end.isoformat()})")
    page = render_html(ds, options)
    if initial is not None:
        page = page.replace("/*INITIAL*/null", str((initial - ds.start).days))
    return write_atomic(output, page.encode("utf-8"))


PAGE = """<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<!-- Made with nkmap. Map library: Leaflet 1.9.4 (https://leafletjs.com), BSD-2-Clause,
     (c) 2010-2023 Vladimir Agafonkin, (c) 2010-2011 CloudMade. Borders: Natural Earth (public domain). -->
<style>{{leaflet_css}}</style>
{{map_css}}
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; }
#nk-head { padding: 8px 14px 6px; border-bottom: 1px solid #ccc; background: #fafafa; }
#nk-head h1 { font-size: 17px; margin: 0 0 2px; }
#nk-row { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
#nk-date { font-size: 24px; font-weight: 700; min-width: 13em; }
#nk-slider { flex: 1 1 320px; min-width: 200px; }
#nk-head button, #nk-head select { font-size: 14px; padding: 3px 8px; }
#nk-jump { max-width: 18em; }
#nk-key { font-size: 14px; color: #333; margin-top: 3px; min-height: 1.3em; }
#nk-note { font-size: 12px; color: #666; }
#map { flex: 1 1 auto; min-height: 300px; }
.nk-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px; font-size: 12px;
  line-height: 1.3; max-width: 330px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.nk-legend .nk-side { display: flex; align-items: center; gap: 6px; }
.nk-legend .nk-sw { width: 22px; height: 12px; border: 1px solid #555; flex: none; }
.nk-legend .nk-area { margin-left: auto; font-weight: 700; padding-left: 8px; }
.nk-legend .nk-line { display: flex; align-items: center; gap: 6px; }
.nk-legend .nk-line svg { flex: none; }
.nk-legend .nk-head { font-style: italic; color: #555; margin-bottom: 2px; }
</style>
</head>
<body>
<div id="nk-head">
  <h1>{{title}}</h1>
  <div id="nk-row">
    <span id="nk-date" aria-live="polite"></span>
    <button id="nk-prev" type="button" aria-label="previous day">&#9664;</button>
    <input id="nk-slider" type="range" min="0" max="0" step="1" value="0" aria-label="date">
    <button id="nk-next" type="button" aria-label="next day">&#9654;</button>
    <button id="nk-play" type="button"></button>
    <select id="nk-jump" aria-label="key dates"></select>
  </div>
  <div id="nk-key"></div>
  <div id="nk-note">{{note}}</div>
</div>
<div id="map"></div>
<script>{{leaflet_js}}</script>
<script id="nk-data" type="application/json">{{data}}</script>
<script>var NK_INITIAL = /*INITIAL*/null;</script>
<script>{{app_js}}</script>
</body>
</html>
"""

APP_JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("nk-data").textContent);
  var DAY_MS = 86400000;
  var startMs = Date.parse(D.start + "T00:00:00Z");
  function isoOf(i) { return new Date(startMs + i * DAY_MS).toISOString().slice(0, 10); }
  function longDate(i) {
    var d = new Date(startMs + i * DAY_MS), m = D.months[d.getUTCMonth()];
    if (D.lang === "hy") { return d.getUTCFullYear() + " թ. " + m + " " + d.getUTCDate(); }
    return d.getUTCDate() + " " + m + " " + d.getUTCFullYear();
  }
  function fmtKm2(v) { return v ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f") : "–"; }

  var map = L.map("map", { zoomSnap: 0.25, minZoom: 5, maxZoom: 14 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="BSD-2-Clause">Leaflet</a>');
  map.attributionControl.addAttribution("Borders: Natural Earth · nkmap");
  map.fitBounds(D.bounds);
  L.control.scale({ imperial: false }).addTo(map);
  function pane(name, z, opacity) {
    var p = map.createPane(name); p.style.zIndex = z;
    if (opacity !== undefined) { p.style.opacity = opacity; }
    return name;
  }

  // Control: every piece drawn once, opaque, in a pane that is see-through as a whole (no seams between pieces).
  var C = D.control;
  var controlPane = pane("nk-control", 410, C.style.fillOpacity !== undefined ? Math.min(C.style.fillOpacity + 0.1, 1) : 0.55);
  var pieceLayers = [];
  var controlGroup = L.featureGroup();
  C.pieces.forEach(function (geom, i) {
    var layer = L.geoJSON({ type: "Feature", geometry: geom, properties: {} },
      { pane: controlPane, style: { stroke: true, weight: 1, opacity: 1, fillOpacity: 1 } });
    layer.nkPiece = i;
    layer.bindPopup(function () { return piecePopup(i); }, { maxWidth: 360 });
    pieceLayers.push(layer);
    controlGroup.addLayer(layer);
  });
  controlGroup.addTo(map);

  var current = 0, epoch = -1;
  function epochOf(day) { var e = 0; while (e < C.epochs.length && C.epochs[e] <= day) { e++; } return e; }
  function sideIndexOf(piece, ep) { return parseInt(C.assign[ep].charAt(piece), 10) - 1; }
  function popupHtml(p) {
    if (p.src === undefined) { return p.html; }
    var list = p.src.length ? '<div class="nk-sources">Sources:<ol>' +
      p.src.map(function (n) { return "<li>" + D.sources[n] + "</li>"; }).join("") + "</ol></div>" : D.noSources;
    return p.html + list + "</div>";
  }
  function piecePopup(i) {
    var s = sideIndexOf(i, epoch), hist = C.history[i] || [], f = null;
    for (var k = 0; k < hist.length; k++) { if (hist[k][0] <= current) { f = hist[k][1]; } }
    var head = '<div class="nk-dates"><b>' + longDate(current) + ":</b> " +
      (s >= 0 ? D.sides[s].label : "–") + "</div>";
    return head + (f !== null ? popupHtml(C.features[f]) : "");
  }

  // Other layers: each feature drawn when first needed, shown on the days it is in force.
  var overlays = {};
  var layerState = D.layers.map(function (spec) {
    var group = L.featureGroup();
    var paneName = pane("nk-" + spec.id, spec.pane);
    var items = spec.features.map(function (f) {
      return { f: f, layer: null };
    });
    overlays[spec.title] = group;
    if (spec.visible) { group.addTo(map); }
    return { spec: spec, group: group, pane: paneName, items: items };
  });
  overlays[C.title] = controlGroup;

  function makeLayer(st, item) {
    var p = item.f.properties, layer, style = Object.assign({}, st.spec.style, p.style);
    if (item.f.geometry.type === "Point") {
      var c = item.f.geometry.coordinates;
      layer = L.circleMarker([c[1], c[0]], Object.assign({ pane: st.pane }, style));
    } else {
      layer = L.geoJSON(item.f, { pane: st.pane, style: function () { return style; } });
    }
    if (p.popup) { layer.bindPopup(function () { return popupHtml(p.popup); }, { maxWidth: 360 }); }
    if (p.label) {
      if (p.labelAt) {
        var lab = L.tooltip({ permanent: true, direction: "center", className: "nk-label nk-country" })
          .setLatLng(p.labelAt).setContent(p.label);
        layer = L.featureGroup([layer]).on("add", function () { map.addLayer(lab); }).on("remove", function () { map.removeLayer(lab); });
      } else {
        layer.bindTooltip(p.label, { permanent: true, direction: "right", offset: [5, 0], className: "nk-label" });
      }
    } else if (p.tooltip) {
      layer.bindTooltip(p.tooltip, { sticky: true });
    }
    return layer;
  }

  function latestEventDay(items, day) {
    var best = null;
    items.forEach(function (it) { var f = it.f.properties.from; if (f <= day && (best === null || f > best)) { best = f; } });
    return best;
  }

  function show(day) {
    current = Math.max(0, Math.min(D.days, day));
    var ep = epochOf(current);
    if (ep !== epoch) {
      epoch = ep;
      pieceLayers.forEach(function (layer, i) {
        var s = sideIndexOf(i, ep);
        var color = s >= 0 ? D.sides[s].color : "#000000";
        layer.setStyle({ color: color, fillColor: color, opacity: s >= 0 ? 1 : 0, fillOpacity: s >= 0 ? 1 : 0 });
      });
    }
    layerState.forEach(function (st) {
      var eventDay = st.spec.id === "events" ? latestEventDay(st.items, current) : null;
      st.items.forEach(function (it) {
        var p = it.f.properties;
        var on = st.spec.id === "events" ? p.from === eventDay : (p.from <= current && current <= p.to);
        if (on && !it.layer) { it.layer = makeLayer(st, it); }
        if (on && st.spec.id === "places" && it.layer.setStyle) {
          var s = p.piece >= 0 ? sideIndexOf(p.piece, ep) : -1;
          it.layer.setStyle({ fillColor: s >= 0 ? D.sides[s].color : "#999999" });
        }
        if (it.layer) {
          if (on && !st.group.hasLayer(it.layer)) { st.group.addLayer(it.layer); }
          if (!on && st.group.hasLayer(it.layer)) { st.group.removeLayer(it.layer); }
        }
      });
    });
    document.getElementById("nk-date").textContent = longDate(current);
    var slider = document.getElementById("nk-slider");
    if (Number(slider.value) !== current) { slider.value = current; }
    var key = null;
    D.keyDates.forEach(function (k) { if (k.day <= current) { key = k; } });
    document.getElementById("nk-key").innerHTML = key ? D.ui.latest + ": " + isoOf(key.day) + " – " + key.label : "";
    var areas = C.areas[ep] || [];
    D.sides.forEach(function (s, i) {
      var el = document.getElementById("nk-area-" + i);
      if (el) { el.textContent = fmtKm2(areas[i]); }
    });
    if (history.replaceState) { history.replaceState(null, "", "#" + isoOf(current)); }
    document.body.setAttribute("data-day", isoOf(current));
  }

  // Legend: sides with their area on the date, then the line and point styles.
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "nk-legend");
    var out = '<div class="nk-head">' + D.ui.area_heading + "</div>";
    D.sides.forEach(function (s, i) {
      out += '<div class="nk-side"><span class="nk-sw" style="background:' + s.color + ';opacity:0.7"></span>' +
        "<span>" + s.label + '</span><span class="nk-area" id="nk-area-' + i + '"></span></div>';
    });
    D.legend.forEach(function (e) { out += '<div class="nk-line">' + e.swatch + "<span>" + e.label + "</span></div>"; });
    div.innerHTML = out;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);
  L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);

  // Date controls: slider, previous/next day, key dates, play (steps from one change of control to the next).
  var slider = document.getElementById("nk-slider");
  slider.max = D.days;
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  document.getElementById("nk-prev").addEventListener("click", function () { show(current - 1); });
  document.getElementById("nk-next").addEventListener("click", function () { show(current + 1); });
  var jump = document.getElementById("nk-jump");
  jump.innerHTML = '<option value="">' + D.ui.date_label + "…</option>" + D.keyDates.map(function (k) {
    return '<option value="' + k.day + '">' + isoOf(k.day) + " – " + k.label + "</option>";
  }).join("");
  jump.addEventListener("change", function () { if (jump.value !== "") { show(Number(jump.value)); } });
  var stops = C.epochs.concat(D.keyDates.map(function (k) { return k.day; }))
    .filter(function (d) { return d >= 0 && d <= D.days; }).sort(function (a, b) { return a - b; });
  var playBtn = document.getElementById("nk-play"), timer = null;
  function setPlaying(on) {
    if (timer) { clearInterval(timer); timer = null; }
    playBtn.textContent = on ? "❚❚ " + D.ui.pause : "► " + D.ui.play;
    if (on) {
      timer = setInterval(function () {
        var next = stops.filter(function (d) { return d > current; })[0];
        if (next === undefined) { setPlaying(false); return; }
        show(next);
      }, 900);
    }
  }
  playBtn.addEventListener("click", function () { setPlaying(!timer); });
  setPlaying(false);
  document.addEventListener("keydown", function (ev) {
    if (ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT")) { return; }
    if (ev.key === "ArrowLeft") { show(current - 1); }
    if (ev.key === "ArrowRight") { show(current + 1); }
  });

  var fromHash = /^#(\d{4}-\d{2}-\d{2})$/.exec(location.hash || "");
  var initial = NK_INITIAL !== null ? NK_INITIAL : D.initial;
  if (fromHash) {
    var i = Math.round((Date.parse(fromHash[1] + "T00:00:00Z") - startMs) / DAY_MS);
    if (i >= 0 && i <= D.days) { initial = i; }
  }
  show(initial);
  window.nkmap = { map: map, show: show, day: function () { return current; }, isoOf: isoOf };
})();
"""
