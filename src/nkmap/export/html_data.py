"""The data payload of the standalone HTML map: everything its script needs, as JSON-ready Python values.

Control comes as fixed pieces plus, per epoch, which side holds each piece; the other layers carry their validity
dates; popups reuse `popups` with one shared source table. Every text from the data is escaped here.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

from nkmap.data.dataset import Dataset, iso_date, plain_value
from nkmap.export.export_options import MapOptions, check_options, shown_layers, view_bounds
from nkmap.export.html_places import finder_data, source_ids
from nkmap.model import gazetteer, periods
from nkmap.model.control_pieces import NOBODY, control_pieces
from nkmap.model.timeline import (
    SUPPORT_LAYER,
    WAR_START,
    area_change_since_war,
    areas_on,
    changes_on,
    contact_line_on,
    control_model,
    control_on,
    events_on,
    in_force,
    support_history,
)
from nkmap.text import export_text as tx
from nkmap.text import label_points, popups
from nkmap.text.messages import messages_for
from nkmap.text.place_names import place_label
from nkmap.text.style import PALETTES, legend_symbols, side_color, style_for
from nkmap.text.timeline_labels import jump_label, period_label, speed_label

DISPLAY_TOLERANCE = 0.0005  # degrees (~50 m): invisible at the zooms the file offers, halves the vertices
DECIMALS = 4  # ~10 m: finer than the data's precision; shared edges round alike, so pieces stay gap-free
FOREVER = 10**6  # a valid_to of "still in force", as a day index
PANES = {"countries": 250, "districts": 420, "nkao": 430, "control": 410}
#: The zooms a `view=` link may ask for: the app's (nkmap.web.mapview.MIN_ZOOM, MAX_ZOOM; a test checks they agree),
#: so a link to the app and to the page are interchangeable.
VIEW_ZOOMS = (6, 14)
#: The layers besides control that the page's "GeoJSON of this date" download holds (the lines and the places).
DOWNLOADED = ("contact_line", "places")
PALETTE_LABELS = {"default": "Standard colours", "high_contrast": "High contrast (colour-blind safe)"}


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


def _diff(style: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The style keys that differ from the layer's (most features share it; the page merges the two)."""
    return {k: v for k, v in style.items() if base.get(k) != v}


def _props(row: dict[str, Any]) -> dict[str, Any]:
    return {k: plain_value(v) for k, v in row.items() if k != "geometry"}


def _legend_swatch(kind: str, style: dict[str, Any], color: str) -> str:
    """A small inline SVG showing a line, area or point style (colours are checked to be plain CSS colours)."""
    safe = color if re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-z]+", str(color)) else "#000000"
    dash = str(style.get("dashArray") or "")
    dash_attr = f' stroke-dasharray="{html.escape(dash)}"' if re.fullmatch(r"[0-9 .,]+", dash) else ""
    if kind == "point":
        fill = style.get("fillColor", "#ffffff")
        fill = fill if re.fullmatch(r"#[0-9a-fA-F]{3,8}", str(fill)) else "#ffffff"
        return (
            f'<svg width="28" height="14"><circle cx="14" cy="7" r="5" fill="{fill}" stroke="{safe}" '
            f'stroke-width="1.5"/></svg>'
        )
    if kind == "area" and style.get("hatch"):  # claimed / disputed ground: hatched box with its dashed edge
        cross = "x" in str(style["hatch"])
        lines = "".join(
            f'<line x1="{x}" y1="12" x2="{x + 8}" y2="2" stroke="{safe}" stroke-width="0.8"/>' for x in range(-6, 28, 4)
        )
        if cross:
            lines += "".join(
                f'<line x1="{x}" y1="2" x2="{x + 8}" y2="12" stroke="{safe}" stroke-width="0.8"/>'
                for x in range(-6, 28, 4)
            )
        return (
            f'<svg width="28" height="14"><rect x="1" y="2" width="26" height="10" fill="#f4f4f4"/>{lines}'
            f'<rect x="1" y="2" width="26" height="10" fill="none" stroke="{safe}" stroke-width="1.2"{dash_attr}/></svg>'
        )
    fill = ""
    if style.get("fillOpacity") and style.get("fillColor"):
        fc = style["fillColor"] if re.fullmatch(r"#[0-9a-fA-F]{3,8}", str(style["fillColor"])) else "#000000"
        fill = f'<rect x="1" y="3" width="26" height="8" fill="{fc}" fill-opacity="{float(style["fillOpacity"]):g}"/>'
    width = min(float(style.get("weight", 2)), 4)
    return (
        f'<svg width="28" height="14">{fill}<line x1="1" y1="7" x2="27" y2="7" stroke="{safe}" '
        f'stroke-width="{width:g}"{dash_attr}/></svg>'
    )


def _announced_item(a: gazetteer.Announcement, lang: str = "en") -> str:
    """A place whose capture was announced that day, with the map's own date for it when that differs."""
    if lang == "en":
        name = popups.text(a.name_en)
        if a.district:
            name += f' <span class="nk-muted">({popups.text(a.district)})</span>'
        if a.place_id is None:
            name += ' <span class="nk-muted">(not on the map: no sourced position)</span>'
        elif a.modelled_on and a.modelled_on != a.claimed_on:
            name += f' <span class="nk-muted">(changes hands on the map on {popups.text(popups.long_date(a.modelled_on))})</span>'
        return f"<li>{name}</li>"
    m = messages_for(lang)
    name = popups.text(place_label({"name_en": a.name_en, "name_az": a.name_az}, lang))
    if a.district:
        name += f' <span class="nk-muted">({popups.text(a.district)})</span>'
    if a.place_id is None:
        unplaced = popups.text(m._("not on the map: no sourced position"))
        name += f' <span class="nk-muted">({unplaced})</span>'
    elif a.modelled_on and a.modelled_on != a.claimed_on:
        note = m._("changes hands on the map on {date}", date=m.day(a.modelled_on))
        name += f' <span class="nk-muted">({popups.text(note)})</span>'
    return f"<li>{name}</li>"


class HtmlData:
    """Everything the page's script needs, as JSON-ready Python values."""

    def __init__(self, ds: Dataset, options: MapOptions):
        self.ds = ds
        self.opt = check_options(ds, options)
        self.lang = options.lang
        self.layers = shown_layers(ds, options)
        self.all_layers = [s.id for s in ds.layer_specs if s.display and s.id in ds.layers]
        self.sources: list[str] = []  # escaped citation HTML, shared by every popup
        self.source_index: dict[str, int] = {}  # by record id and role (or the text of a plain citation)

    def popup(self, props: dict[str, Any], event: bool = False) -> dict[str, Any]:
        """A feature's popup as {"html": ..., "src": [source numbers]}: the app's popup (`popups.popup_html`) with
        its source list cut off, because the same citations recur in hundreds of popups; the page's script
        appends the list from one shared table (this keeps the whole-timeline file small)."""
        sources = [x for x in (props.get("sources") or []) if isinstance(x, dict) or str(x).strip()]
        body = popups.popup_html({**props, "sources": []}, event=event, lang=self.lang)
        tail = popups.sources_html([], lang=self.lang) + "</div>"
        if not body.endswith(tail):  # popups changed its layout: ship the full popup rather than guess
            return {"html": popups.popup_html(props, event=event, lang=self.lang)}
        numbers = []
        for source in sources:
            key = f"{source.get('id')}#{source.get('role')}" if isinstance(source, dict) else str(source)
            if key not in self.source_index:
                self.source_index[key] = len(self.sources)
                self.sources.append(popups.source_html(source))
            numbers.append(self.source_index[key])
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
            "ui": {
                k: html.escape(tx.ui(k, self.lang))
                for k in ("title", "layers", "play", "pause", "html_note", "area_heading", "date_label")
            },
            "months": tx.month_names(self.lang),
            "keyDates": [
                {
                    "day": _day(ds, k.date, 0),
                    "label": html.escape(tx.key_date_label(ds.manifest, k.date, k.label_en, self.lang)),
                }
                for k in ds.key_dates
                if ds.start <= k.date <= ds.end
            ],
            "sides": [
                {
                    "id": s,
                    "label": html.escape(tx.side_label(ds.sides, s, self.lang)),
                    "color": side_color(ds, s, self.opt.palette),
                }
                for s in ds.sides
            ],
        }
        data["control"] = self._control()
        data["layers"] = [self._layer(lid) for lid in self.all_layers if lid != "control"]
        data["legend"] = self._legend()
        data.update(self._explorer())
        data["finder"] = finder_data(ds, self.lang)
        # The control model's own epochs (some change a feature but no piece's holder): the download's ids use them.
        data["controlEpochs"] = [_day(ds, d, 0) for d in control_model(ds).change_dates]
        data["sources"] = self.sources
        data["noSources"] = popups.sources_html([], lang=self.lang)
        return data

    # -- what the explorer's controls and "On this date" panel offer (all from the model, as the app's) --------
    def _explorer(self) -> dict[str, Any]:
        ds = self.ds
        display = [s.id for s in ds.layer_specs if s.display]
        return {
            "palette": self.opt.palette,
            "palettes": [
                {
                    "id": pid,
                    "label": html.escape(PALETTE_LABELS.get(pid, pid)),
                    "sides": [side_color(ds, s, pid) for s in ds.sides],
                }
                for pid in PALETTES
            ],
            "layerIds": display,
            "defaultLayers": [s.id for s in ds.layer_specs if s.display and s.default_visible],
            "viewZooms": list(VIEW_ZOOMS),
            "placeIds": [str(i) for i in ds.layers["places"]["id"]] if "places" in ds.layers else [],
            "periods": [
                {
                    "id": p.id,
                    "label": html.escape(period_label(p, self.lang)),
                    "start": _day(ds, p.start, 0),
                    "end": _day(ds, p.end, 0),
                }
                for p in periods.periods(ds)
            ],
            "defaultPeriod": "war",
            "speeds": [
                {
                    "id": sp.id,
                    "label": html.escape(speed_label(sp, self.lang)),
                    "ms": round(sp.interval_s * 1000),
                    "days": sp.days,
                }
                for sp in periods.SPEEDS
            ],
            "defaultSpeed": periods.DEFAULT_SPEED,
            "jumps": [
                {"day": _day(ds, d, 0), "label": html.escape(jump_label(ds, (d, label), self.lang))}
                for d, label in periods.jump_targets(ds)
            ],
            "panel": self._panel(),
        }

    def _panel(self) -> dict[str, Any]:
        """'On this date', sparse by day: events (the page shows the latest day with events on or before the
        date, as `timeline.events_on` does), changes of control with their support, announced places, and per
        control epoch the area each side held (`timeline.areas_on`) and its change since the war began."""
        ds = self.ds
        events: dict[int, list[str]] = {}
        if "events" in ds.layers:
            for d in sorted({d for d in ds.layers["events"]["valid_from"] if d is not None}):
                items = [popups.event_item_html(_props(r), lang=self.lang) for r in events_on(ds, d).to_dict("records")]
                events[_day(ds, d, 0)] = items
        frame = ds.layers["control"]
        change_days = sorted({d for r, d in zip(frame.get("role", []), frame["valid_from"]) if r == "change" and d})
        changes: dict[int, list[str]] = {}
        for d in change_days:
            items = []
            for r in changes_on(ds, d).to_dict("records"):
                props = _props(r)
                side = tx.side_label(ds.sides, str(props.get("side")), self.lang) or props.get("side")
                claims = popups.claims_html(props, self.lang)
                if self.lang == "en":
                    side = ds.sides.get(str(props.get("side")), {}).get("short_en", props.get("side"))
                    line = f"<b>{popups.text(props.get('name_en'))}</b> to {popups.text(side)}"
                else:
                    name = f"<b>{popups.text(popups.feature_name(props, self.lang))}</b>"
                    line = messages_for(self.lang)._("{name} to {side}", name=name, side=popups.text(side))
                items.append(f"<li>{line}{'<br>' + claims if claims else ''}</li>")
            changes[_day(ds, d, 0)] = items
        announced: dict[int, list[str]] = {}
        try:
            records = list(gazetteer.places(ds).values())
        except KeyError:  # a dataset without a places layer
            records = []
        claim_days = sorted({_day(ds, r.get("capture_claimed_on"), -1) for r in records if r.get("capture_claimed_on")})
        for i in claim_days:
            if 0 <= i <= (ds.end - ds.start).days:
                said = gazetteer.announced_on(ds, ds.start + dt.timedelta(days=i))
                if said:
                    announced[i] = [_announced_item(a, self.lang) for a in said]
        m = messages_for(self.lang)
        pieces = control_pieces(ds)
        first = min(ds.start, pieces.change_dates[0] - dt.timedelta(days=1)) if pieces.change_dates else ds.start
        shown = [s for s, info in ds.sides.items() if not info.get("outside_region")]
        m = messages_for(self.lang)
        areas = []
        for day in [first, *pieces.change_dates]:
            held, since = areas_on(ds, day), area_change_since_war(ds, day)
            areas.append(
                [
                    [
                        popups.text(tx.side_label(ds.sides, s, self.lang)),
                        popups.text(m.km2(held.get(s, 0))),
                        popups.text(popups.km2_change(since.get(s, 0.0), lang=self.lang))
                        if day >= WAR_START
                        else "&ndash;",
                    ]
                    for s in shown
                ]
            )
        return {
            "events": {str(k): v for k, v in events.items()},
            "eventDays": sorted(events),
            "changes": {str(k): v for k, v in changes.items()},
            "announced": {str(k): v for k, v in announced.items()},
            "areas": areas,
            "warStart": _day(ds, WAR_START, 0),
            "keys": {
                str(_day(ds, k.date, 0)): html.escape(tx.key_date_label(ds.manifest, k.date, k.label_en, self.lang))
                for k in ds.key_dates
            },
        }

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
            "visible": "control" in self.layers,
            "title": html.escape(tx.layer_title(ds.manifest, "control", ds.spec("control").title, self.lang)),
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
                    if sides[f] != side or roles[f] not in ("baseline", "change"):
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
        # A derived layer (claimed / disputed ground) comes as one feature per control state and level.
        frame = support_history(ds) if layer_id == SUPPORT_LAYER else ds.layers[layer_id]
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
                "popup": self.popup(props, event=layer_id in ("events", "context")),
            }
            if layer_id in DOWNLOADED:  # what the page's "GeoJSON of this date" names (plain text, not HTML)
                out["dl"] = {k: props.get(k) for k in ("id", "name_en", "name_az", "name_hy", "side", "precision")}
                out["dl"]["sources"] = source_ids(props.get("sources"))
            if piece_of is not None:  # the places layer
                out["piece"] = int(piece_of[i])
                out["id"] = props.get("id")
                kind = str(props.get("type") or props.get("kind") or "").lower()
                if len(rows) <= 60 or kind in ("city", "town", "capital"):
                    out["label"] = html.escape(tx.place_name(props, self.lang))
                else:
                    out["tooltip"] = html.escape(tx.place_name(props, self.lang))
            elif layer_id == "countries":
                avoid = label_points.opening_view(self.ds)[1]
                at = label_points.map_label_point(geom, shapely.box(*view_bounds(self.ds, self.opt.area)), avoid)
                if at is not None:  # in the country's own part of the opening view, not over the region
                    pt = _round(at)
                    out["label"] = html.escape(tx.country_name(props, self.lang))
                    out["labelAt"] = [pt.y, pt.x]
            else:
                out["tooltip"] = html.escape(tx.place_name(props, self.lang))
            features.append({"type": "Feature", "properties": out, "geometry": mapping(shown)})
        del pieces
        return {
            "id": layer_id,
            "title": html.escape(tx.layer_title(ds.manifest, layer_id, spec.title, self.lang)),
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
        for spec, item in legend_symbols(self.ds, self.all_layers):
            st = dict(spec.style)
            st.pop("levels", None)
            if item.get("hatch"):
                st.update(hatch=item["hatch"], dashArray=item.get("dash"))
            color = item.get("color", st.get("color", "#000000"))
            out.append(
                {
                    "layer": spec.id,
                    "swatch": _legend_swatch(item.get("kind", "line"), st, color),
                    "label": html.escape(
                        tx.legend_label(
                            item, tx.layer_title(self.ds.manifest, spec.id, spec.title, self.lang), self.lang
                        )
                    ),
                }
            )
        return out
