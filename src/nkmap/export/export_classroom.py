"""The static site's classroom page: one self-contained HTML file (no server, no CDN, works from file://) with the
stories of the dataset's stories directory stepped by arrow keys, projector type, two dates compared side by side
and the area-over-time chart.

The data comes from the same functions the app's Classroom page uses: stories from `nkmap.data.story`, each step's
panel from `nkmap.text.story_panel` (the app's text, escaped), the map from the standalone page's payload
(`html_data.HtmlData`: control pieces recoloured per epoch), what changed hands from `nkmap.model.compare` and the
chart's series from `nkmap.model.area_series`. The browser code is nkmap.client's `classroom.html`, `classroom.js`
and `classroom.css` with the shared renderer `nkmap-map.js`, all inlined.

Compare: the page may be asked about any two dates, so the km² that changed hands are computed here with
`compare.transfers` for every pair of control epochs (a date pair only matters through its two epochs), and the
changed ground is drawn as the control pieces whose holder differs, in the directions `compare` kept.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import shapely
from shapely.geometry import mapping

from nkmap.client import asset_text
from nkmap.data import story
from nkmap.data.dataset import Dataset
from nkmap.data.translations import SIDE_FIELDS, STORY_FIELDS, text_in
from nkmap.export.export_html import messages_js
from nkmap.export.export_options import MapOptions
from nkmap.export.html_data import HtmlData, _display
from nkmap.export.html_leaflet import leaflet_assets
from nkmap.model import compare, timeline
from nkmap.model.area_series import area_series
from nkmap.model.control_pieces import control_pieces
from nkmap.text import popups, story_panel
from nkmap.text.chart_locale import number_symbols
from nkmap.text.map_css import MAP_CSS
from nkmap.text.messages import Messages, messages_for
from nkmap.text.timeline_labels import preset_label


def page_title(m: Messages) -> str:
    return m._("nkmap classroom: the 2020 Nagorno-Karabakh war and its aftermath, step by step")


def page_description(m: Messages) -> str:
    return m._(
        "Stories of the 2020 Nagorno-Karabakh war and its aftermath on a map, step by step for a classroom: "
        "two dates compared side by side, and the area each side held over time."
    )


def page_words(m: Messages) -> list[str]:
    """classroom.html's fixed words (its `data-t` elements; client/page-language.js translates them)."""
    return [
        m._("nkmap classroom"),
        m._("Story"),
        m._("Show"),
        m._("Compare"),
        m._("Area over time"),
        m._("Projector type"),
        m._("Large, high-contrast type for a projector"),
        m._("◀ Previous"),
        m._("Next ▶"),
        m._("Map"),
        m._("Span"),
        m._("Area held by each side over time (km²); click to show a date on the map"),
        m._("Click the chart to show that date on the map."),
        m._("Areas are modelled from dated, sourced claims and handovers (approximate)."),
        m._("Compare two dates"),
        m._("Compare a pair of dates"),
        m._("Earlier date"),
        m._("Later date"),
        m._("Map on the earlier date"),
        m._("Map on the later date"),
    ]


TITLE = page_title(messages_for("en"))
DESCRIPTION = page_description(messages_for("en"))
#: The English words `page_words` translates (the msgids, in the order of the list).
PAGE_WORDS = page_words(messages_for("en"))
#: The classroom opens in the colour-blind safe palette, as the app's Classroom page does.
PALETTE = "high_contrast"


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '<' can end the element or open a comment."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _day(ds: Dataset, day: dt.date) -> int:
    return (day - ds.start).days


def _highlight(ds: Dataset, step: story.Step) -> list[dict[str, Any]]:
    """The features a step cites under `features`, as GeoJSON outlines to draw over the map (escaped name)."""
    out = []
    for fid in step.features:
        props = next((p for lid in ds.layers if (p := story.feature_props(ds, lid, fid)) is not None), None)
        geom = _display((props or {}).get("geometry"))
        if props is None or geom is None:
            continue
        name = popups.text(props.get("name_en") or fid)
        out.append({"type": "Feature", "properties": {"tooltip": name}, "geometry": mapping(geom)})
    return out


def _side_short(ds: Dataset, side: str, lang: str) -> str:
    info = ds.sides.get(side, {})
    return str(text_in(info, "short_en", SIDE_FIELDS, lang) or compare.side_label(ds, side))


def _stories(ds: Dataset, palette: str, lang: str = "en") -> list[dict[str, Any]]:
    stories, _problems = story.load_stories(ds)  # broken files are `nkmap validate`'s to report, not the page's
    out = []
    for st in stories:
        steps = []
        for step in st.steps:
            places = story.step_places(ds, step)
            step_title = story_panel.step_texts(st, step, lang)[0]
            steps.append(
                {
                    "n": step.number,
                    "day": _day(ds, step.day),
                    "iso": step.day.isoformat(),
                    "title": popups.text(step_title),
                    "panel": story_panel.step_html(ds, st, step, palette, lang=lang),
                    "view": [step.view.lat, step.view.lon, step.view.zoom],
                    "layers": story.step_layers(ds, step),
                    "labels": [
                        {"lat": round(p.lat, 5), "lon": round(p.lon, 5), "html": story_panel.label_html(p, lang)}
                        for p in places
                        if p.lat == p.lat  # NaN: a place without a position gets no label
                    ],
                    "highlight": _highlight(ds, step),
                }
            )
        out.append(
            {
                "id": st.id,
                "title": popups.text(text_in(st.texts(), "title_en", STORY_FIELDS, lang) or st.title),
                "description": popups.text(text_in(st.texts(), "description_en", STORY_FIELDS, lang) or st.description),
                "steps": steps,
            }
        )
    return out


def _compare(ds: Dataset, lang: str = "en") -> dict[str, Any]:
    """Per pair of control epochs, what `compare.transfers` finds (direction as side numbers, km²); per epoch
    each side's area (`timeline.areas_on`, for the net change); per piece a point inside it (for the km² label)."""
    pieces = control_pieces(ds)
    side_no = {s: i for i, s in enumerate(pieces.sides)}
    starts = pieces.epoch_starts(ds)
    pairs: dict[str, list[list[float]]] = {}
    for i, earlier in enumerate(starts):
        for j in range(i + 1, len(starts)):
            moves = compare.transfers(ds, earlier, starts[j])
            pairs[f"{i}-{j}"] = [[side_no[t.from_side], side_no[t.to_side], t.area_km2] for t in moves]
    areas = []
    for day in starts:
        on = timeline.areas_on(ds, day)
        areas.append([round(float(on.get(s, 0.0)), 1) for s in pieces.sides])
    inside = shapely.point_on_surface(pieces.geoms) if pieces.geoms else []
    return {
        "pairs": pairs,
        "areas": areas,
        "pieceKm2": [round(timeline.area_km2(g), 2) for g in pieces.geoms],
        "pieceAt": [[round(float(p.y), 4), round(float(p.x), 4)] for p in inside],
        "sideLabels": [popups.text(_side_short(ds, s, lang)) for s in pieces.sides],
        "presets": [
            {"label": popups.text(preset_label(p, lang)), "a": _day(ds, p.earlier), "b": _day(ds, p.later)}
            for p in compare.presets(ds)
        ],
        "highlight": dict(compare.HIGHLIGHT),
        "casing": dict(compare.CASING),
    }


def _chart(ds: Dataset, m: Messages) -> dict[str, Any]:
    """The area chart's series (km² per side at the start of the timeline, every change date and the end) and the
    spans it offers (the app's default, war to the end, and the whole timeline)."""
    frame = area_series(ds)
    days = sorted({_day(ds, d) for d in frame["date"]})
    sides = [s for s in ds.sides if (frame.loc[frame["side"] == s, "km2"] > 0).any()]
    series = []
    for side in sides:
        rows = frame[frame["side"] == side].sort_values("date")
        series.append(
            {
                "side": side,
                "label": popups.text(
                    _side_short(ds, side, m.lang) if m.lang != "en" else ds.sides[side].get("short_en", side)
                ),
                "km2": [float(v) for v in rows["km2"]],
            }
        )
    war_from = max(ds.start, timeline.WAR_START - dt.timedelta(days=7))
    spans = [
        {
            "label": m._("War to the last peacekeepers ({first} - {last})", first=war_from.year, last=ds.end.year),
            "from": _day(ds, war_from),
        },
        {"label": m._("Whole timeline ({first} - {last})", first=ds.start.year, last=ds.end.year), "from": 0},
    ]
    return {"days": days, "series": series, "spans": spans if war_from > ds.start else spans[1:]}


def classroom_data(ds: Dataset, palette: str = PALETTE, lang: str = "en") -> dict[str, Any]:
    """Everything the page's script needs, as JSON-ready values; every text from the data is escaped here.
    The map's data is the explorer's without what only the explorer shows (the place finder and its cards, the
    "On this date" panel): half the page's bytes."""
    m = messages_for(lang)
    explorer_only = ("finder", "panel")
    data: dict[str, Any] = {
        "map": {
            k: v
            for k, v in HtmlData(ds, MapOptions(palette=palette, lang=m.lang)).build().items()
            if k not in explorer_only
        },
        "stories": _stories(ds, palette, m.lang),
        "defaultLayers": [s.id for s in ds.layer_specs if s.display and s.default_visible],
        "compare": _compare(ds, m.lang),
        "chart": _chart(ds, m),
        # How the page writes numbers (km², the chart's axis): CLDR's, as the app; a browser's Intl may lack the language.
        "number": number_symbols(m.lang),
    }
    colours = {s["id"]: s["color"] for s in data["map"]["sides"]}
    for line in data["chart"]["series"]:
        line["color"] = colours.get(line["side"], "#000000")
    return data


def render_classroom(ds: Dataset, head_links: str = "", site_nav: str = "", language_loader: str = "") -> str:
    """The classroom page as one HTML string (Leaflet, the scripts, the styles and the data inlined), in English.
    The static site adds `head_links` (in <head>), its links and language chooser (`site_nav`, in the header) and
    the script that loads another language (`language_loader`, markup run before the page's scripts)."""
    js, css = leaflet_assets()
    return (
        asset_text("classroom.html")
        .replace("{{lang}}", "en")
        .replace("{{title}}", html.escape(TITLE))
        .replace("{{description}}", html.escape(DESCRIPTION, quote=True))
        .replace("{{head_links}}", head_links)
        .replace("{{site_nav}}", site_nav)
        .replace("{{leaflet_css}}", css)
        .replace("{{map_css}}", MAP_CSS)
        .replace("{{page_css}}", asset_text("classroom.css"))
        .replace("{{leaflet_js}}", js.replace("</script", "<\\/script"))
        .replace("{{messages_js}}", messages_js("en"))
        .replace("{{language_loader}}", language_loader)
        .replace("{{nkmap_map_js}}", asset_text("nkmap-map.js"))
        .replace("{{app_js}}", asset_text("classroom.js"))
        .replace("{{data}}", _script_json(classroom_data(ds)))  # last: no placeholder inside the data is replaced
    )
