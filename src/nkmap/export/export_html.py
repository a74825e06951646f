"""One self-contained HTML file with the whole timeline: a date slider, layer control, legend and popups,
working offline (no CDN), so it can be emailed or opened from a USB stick.

Rather than one geometry per day, the file carries the control pieces once and, per epoch (the control state
changes on a few dozen dates), which side holds each piece; the other layers carry their validity dates. A small
script (`nkmap.client`'s explorer.js, inlined) steps through the days in the browser. Leaflet 1.9.4 (BSD-2, (c) Vladimir Agafonkin and
CloudMade) is inlined from the `django-js-lib-leaflet` wheel via `html_leaflet.leaflet_package_dir`; popups come
from `popups`, so the file reads like the app. Every text from the data is escaped before it becomes HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from pathlib import Path
from typing import Any

from nkmap.client import asset_text
from nkmap.data.dataset import Dataset
from nkmap.export.export_files import check_day, write_atomic
from nkmap.export.export_options import MapOptions
from nkmap.export.html_data import HtmlData
from nkmap.export.html_leaflet import leaflet_assets
from nkmap.text import export_text as tx
from nkmap.text.map_css import MAP_CSS  # the app's popup and label styles, so both look alike
from nkmap.text.messages import browser_messages, messages_for


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '<' can end the element or open a comment."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


#: The static site's pages the explorer links to when it is the site's index.html (`site_links=True`).
SITE_NAV = (
    '<nav id="nk-site" aria-label="site"><a href="classroom.html">Classroom</a>'
    '<a href="places/index.html">Places</a><a href="data/index.html">Data</a></nav>'
)


def messages_js(lang: str) -> str:
    """The browser's message lookup (`NKMap.t`, client/messages.js) with the page's language and its catalogue:
    the translations of the messages the page's scripts use (none for English, which they are written in)."""
    m = messages_for(lang)
    catalogue = m.catalogue(browser_messages()) if m.lang != "en" else {}
    return f"{asset_text('messages.js')}\nNKMap.setMessages({_script_json(m.lang)}, {_script_json(catalogue)});\n"


def render_html(ds: Dataset, options: MapOptions = MapOptions(), site_links: bool = False) -> str:
    """The standalone page as a string. With `site_links` it is the static site's index.html: it links to
    classroom.html, places/index.html and data/index.html, and a place's card to places/<id>.html; without, it is one
    self-contained file that links nowhere."""
    data = HtmlData(ds, options).build()
    data["siteLinks"] = site_links
    js, css = leaflet_assets()

    title = html.escape(tx.ui("title", options.lang))
    return (
        asset_text("explorer.html")
        .replace("{{lang}}", html.escape(messages_for(options.lang).tag))
        .replace("{{title}}", title)
        .replace("{{leaflet_css}}", css)
        .replace("{{map_css}}", MAP_CSS)
        .replace("{{page_css}}", asset_text("explorer.css") + asset_text("finder.css"))
        .replace("{{site_nav}}", SITE_NAV if site_links else "")
        .replace("{{note}}", html.escape(tx.ui("html_note", options.lang)))
        .replace("{{leaflet_js}}", js.replace("</script", "<\\/script"))
        .replace("{{data}}", _script_json(data))
        .replace("{{messages_js}}", messages_js(options.lang))
        .replace("{{nkmap_map_js}}", asset_text("nkmap-map.js"))
        .replace("{{place_search_js}}", asset_text("place-search.js"))
        .replace("{{app_js}}", asset_text("explorer.js"))
        .replace("{{finder_js}}", asset_text("finder.js"))
        .replace("{{downloads_js}}", asset_text("downloads.js"))
    )


def render_html_bytes(ds: Dataset, options: MapOptions = MapOptions(), initial: dt.date | None = None) -> bytes:
    """The standalone HTML (the whole timeline) as UTF-8 bytes, opening on `initial` (default: the dataset's
    default date), as `export_html` writes it."""
    if initial is not None:
        check_day(ds, initial)
    page = render_html(ds, options)
    if initial is not None:
        page = page.replace("/*INITIAL*/null", str((initial - ds.start).days))
    return page.encode("utf-8")


def export_html(
    ds: Dataset, output: str | os.PathLike, options: MapOptions = MapOptions(), initial: dt.date | None = None
) -> Path:
    """Write the standalone HTML; `initial` is the date it opens on (default: the dataset's default date)."""
    return write_atomic(output, render_html_bytes(ds, options, initial))
