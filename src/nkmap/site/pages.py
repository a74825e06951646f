"""The pages of the site that are not about one place: the shell every page shares, the explorer (index.html)
and the classroom page.

Each page of the site is made by one function here, so that switching a page to a richer version is one line:
the explorer is the standalone HTML export of the whole timeline with the site's links, the classroom page
the static classroom of `nkmap.export.export_classroom`.
"""

from __future__ import annotations

import html

from nkmap.data.dataset import Dataset
from nkmap.export.export_classroom import render_classroom
from nkmap.export.export_html import render_html
from nkmap.export.export_options import MapOptions

STYLESHEET = "site.css"  # at the site's root; pages link it relative to their own folder


def page(title: str, description: str, body: str, root: str = "", lang: str = "en") -> str:
    """A complete HTML5 page around `body` (already escaped markup). `title` and `description` are plain text
    (escaped here); `root` is the relative path from the page's folder to the site's root ('' or '../')."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<meta name="description" content="{html.escape(description, quote=True)}">\n'
        f'<link rel="stylesheet" href="{root}{STYLESHEET}">\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def site_nav(root: str, here: str) -> str:
    """The links at the top of every page (the current one marked, not linked)."""
    items = [
        ("index.html", "Map"),
        ("classroom.html", "Classroom"),
        ("places/index.html", "Places"),
        ("data/index.html", "Data"),
    ]
    links = []
    for href, label in items:
        if href == here:
            links.append(f'<li><span aria-current="page">{label}</span></li>')
        else:
            links.append(f'<li><a href="{root}{href}">{label}</a></li>')
    return f'<nav class="site-nav" aria-label="site"><ul>{"".join(links)}</ul></nav>'


EXPLORER_DESCRIPTION = (
    "An interactive map of who held what in and after the 2020 Nagorno-Karabakh war, a day at a time from the "
    "1994 ceasefire to 2024, with each side's claims and their sources. Works offline."
)


def explorer_page(ds: Dataset) -> str:
    """index.html: the map of the whole timeline, stepping through the days in the browser."""
    return _with_description(render_html(ds, MapOptions(), site_links=True), EXPLORER_DESCRIPTION)


def classroom_page(ds: Dataset) -> str | None:
    """classroom.html: the stories step by step, two dates compared, the area over time (None leaves it out)."""
    return render_classroom(ds)


def _with_description(page_html: str, description: str) -> str:
    """The page with a `<meta name="description">` after its viewport line, unless it has one already."""
    if 'name="description"' in page_html:
        return page_html
    meta = f'<meta name="description" content="{html.escape(description, quote=True)}">'
    viewport = page_html.find('<meta name="viewport"')
    if viewport < 0:
        raise ValueError("the explorer page has no viewport <meta>; cannot place its description")
    viewport_end = page_html.index(">", viewport) + 1
    return page_html[:viewport_end] + "\n" + meta + page_html[viewport_end:]
