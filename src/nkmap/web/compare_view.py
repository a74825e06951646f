"""Two dates side by side: one HTML document with two Leaflet maps whose pan and zoom are kept in step by a small
script (nkmap.client's compare.js, inlined), and the area that changed hands between the dates highlighted on both.

Shown in a `st.components.v1.html` iframe. It needs no internet: Leaflet comes from the app's static folder
(nkmap.web.offline) and each date's layers are the files nkmap.web.mapview prepares under `static/cache/` (so the
compare maps draw exactly what the main map draws); only the changed areas travel inline. The view is kept in
the page's sessionStorage, so choosing other dates (which reloads the iframe) keeps the teacher's pan and zoom.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from shapely.geometry import mapping

from nkmap.client import asset_text
from nkmap.data.dataset import Dataset
from nkmap.model import compare
from nkmap.text import popups
from nkmap.text.map_css import BACKGROUND
from nkmap.text.messages import messages_for
from nkmap.text.state_text import side_name
from nkmap.web import mapview, online_base

#: Layers drawn on each compare map, bottom to top (those the dataset lacks are skipped).
LAYERS = ("countries", "districts", "nkao", "control", "lachin_corridor", "contact_line")
VIEW_STORAGE_KEY = "nkmap.model.compare.view"

_CSS = f"""
html, body {{ margin: 0; height: 100%; font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; }}
#wrap {{ display: flex; gap: 6px; height: 100vh; }}
.pane {{ flex: 1 1 0; position: relative; min-width: 0; }}
.map {{ position: absolute; inset: 0; background: {BACKGROUND}; }}
.stamp {{ position: absolute; z-index: 1000; top: 8px; left: 54px; right: 8px; pointer-events: none; }}
.stamp span {{ background: #fff; border: 2px solid #000; padding: 2px 10px; font-size: clamp(16px, 1.6vw, 28px);
  font-weight: 800; display: inline-block; }}
.leaflet-tooltip.nk-label {{ background: transparent; border: 0; box-shadow: none; padding: 0 2px; font-size: 14px;
  font-weight: 600; color: #333; text-shadow: 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; text-transform: uppercase;
  letter-spacing: 0.1em; }}
.leaflet-tooltip.nk-label:before {{ display: none; }}
.leaflet-tooltip.nk-km2 {{ background: #fff; border: 2px solid #000; border-radius: 3px; box-shadow: none; color: #000;
  padding: 1px 6px; font-size: clamp(15px, 1.25vw, 24px); font-weight: 800; }}
.leaflet-tooltip.nk-km2:before {{ display: none; }}
.nk-popup {{ font-size: 14px; line-height: 1.35; max-width: 340px; }}
.nk-popup .nk-title {{ font-weight: 700; font-size: 15px; }}
.nk-popup .nk-precision {{ margin-top: 4px; font-style: italic; color: #444; }}
.nk-popup .nk-sources {{ margin-top: 4px; font-size: 12px; color: #444; }}
.nk-popup .nk-sources ol {{ margin: 2px 0 0 0; padding-left: 18px; max-height: 110px; overflow-y: auto; }}
"""


def _side(
    ds: Dataset, day: dt.date, static_dir: str | os.PathLike, url_prefix: str, palette: str, lang: str = "en"
) -> dict[str, Any]:
    slots = []
    for layer_id in LAYERS:
        if layer_id in ds.layers and layer_id in ds.display_layers:
            prepared = mapview.prepare_slot(ds, layer_id, day, static_dir, palette, lang)
            slots.append(
                {"id": layer_id, "pane": prepared.pane, "url": f"{url_prefix}{mapview.CACHE_SUBDIR}/{prepared.file}"}
            )
    return {"day": day.isoformat(), "slots": slots}


def compare_html(
    ds: Dataset,
    earlier: dt.date,
    later: dt.date,
    static_dir: str | os.PathLike,
    url_prefix: str,
    asset_url: str,
    palette: str = "default",
    tiles: bool = False,
    lang: str = "en",
) -> str:
    """The whole document for the compare iframe: two maps (earlier left, later right), kept in step;
    OpenStreetMap tiles under them only when `tiles` (the user turned the online base map on)."""
    earlier, later = compare.ordered(earlier, later)
    cfg = {
        "earlier": _side(ds, earlier, static_dir, url_prefix, palette, lang),
        "later": _side(ds, later, static_dir, url_prefix, palette, lang),
        "transfers": transfers_geojson(ds, earlier, later, lang),
        "panes": [p for p in mapview.panes(ds) if p["name"] != mapview.pane_name(mapview.CHANGES_SLOT)],
        "bounds": mapview.region_bounds(ds) or [[39.0, 45.9], [40.6, 47.5]],
        "minZoom": mapview.MIN_ZOOM,
        "maxZoom": mapview.MAX_ZOOM,
        "storageKey": VIEW_STORAGE_KEY,
        "online": online_base.config(tiles, lang),
    }
    data = json.dumps(cfg, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    asset = popups.text(asset_url)
    m = messages_for(lang)
    first, second = popups.text(popups.long_date(earlier, lang)), popups.text(popups.long_date(later, lang))
    title = m._("Map of {earlier} beside {later}", earlier=first, later=second)
    return (
        f'<!DOCTYPE html><html lang="{m.tag}"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f'<link rel="stylesheet" href="{asset}leaflet.css"><script src="{asset}leaflet.js"></script>'
        f"<script>{online_base.INLINE_SCRIPT}</script>"
        f"<style>{_CSS}</style></head><body>"
        '<div id="wrap">'
        f'<div class="pane"><div id="map1" class="map"></div><div class="stamp"><span>{first}</span></div></div>'
        f'<div class="pane"><div id="map2" class="map"></div><div class="stamp"><span>{second}</span></div></div>'
        "</div>"
        f"<script>{asset_text('nkmap-map.js')}{asset_text('compare.js')}</script><script>nkmapCompareView({data});</script></body></html>"
    )


def transfers_geojson(ds: Dataset, earlier: dt.date, later: dt.date, lang: str = "en") -> dict[str, Any]:
    """The changed areas as the compare maps draw them: display geometry, highlight style, escaped tooltip
    and popup (direction, size, dates, precision)."""
    m = messages_for(lang)
    earlier, later = compare.ordered(earlier, later)
    features = []
    for t in compare.transfers(ds, earlier, later):
        text = transfer_text(ds, t, lang)
        when = m._(
            "Held on {earlier} by {before}; on {later} by {after}.",
            earlier=popups.long_date(earlier, lang),
            before=side_name(ds, t.from_side, lang),
            later=popups.long_date(later, lang),
            after=side_name(ds, t.to_side, lang),
        )
        precision = m._(
            "Precision: {note}. Modelled from the dated, sourced changes of the control layer (click the map's areas "
            "on a given date for each change's claims and sources).",
            note=popups.text(popups.precision_notes(m)["approximate"]),
        )
        popup = (
            f'<div class="nk-popup"><div class="nk-title">{popups.text(text)}</div>'
            f'<div class="nk-dates">{popups.text(when)}</div>'
            f'<div class="nk-precision">{popups.words(precision)}</div></div>'
        )
        largest = max(getattr(t.geometry, "geoms", [t.geometry]), key=lambda g: g.area)
        at = largest.representative_point()
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "style": dict(compare.HIGHLIGHT),
                    "casing": dict(compare.CASING),
                    "label": popups.text(popups.fmt_km2(t.area_km2, lang=lang)),
                    "labelAt": [round(at.x, 5), round(at.y, 5)],
                    "tooltip": popups.text(text),
                    "popup": popup,
                    "area_km2": t.area_km2,
                    "from_side": t.from_side,
                    "to_side": t.to_side,
                },
                "geometry": mapping(mapview.display_geometry(t.geometry)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def transfer_text(ds: Dataset, t: compare.Transfer, lang: str = "en") -> str:
    """'1,234 km² from Artsakh / Armenian forces to Azerbaijan' (plain text; escape before HTML)."""
    return messages_for(lang)._(
        "{area} from {before} to {after}",
        area=popups.fmt_km2(t.area_km2, lang=lang),
        before=side_name(ds, t.from_side, lang),
        after=side_name(ds, t.to_side, lang),
    )
