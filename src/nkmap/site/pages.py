"""The pages of the site that are not about one place: the shell every page shares, the explorer (index.html)
and the classroom page, and the files that give those two their other languages (nkmap.site.languages).

Each page of the site is made by one function here, so that switching a page to a richer version is one line:
the explorer is the standalone HTML export of the whole timeline with the site's links, the classroom page
the static classroom of `nkmap.export.export_classroom`.
"""

from __future__ import annotations

import copy
import html
from typing import Any

from nkmap.client import asset_text
from nkmap.data.dataset import Dataset
from nkmap.export.export_classroom import PAGE_WORDS, classroom_data, page_description, page_title, render_classroom
from nkmap.export.export_html import SITE_NAV, messages_js, render_html
from nkmap.export.export_options import MapOptions
from nkmap.export.html_data import HtmlData
from nkmap.site.languages import (
    SHARED,
    alternate_links,
    apply_patch,
    chooser,
    data_patch,
    folder,
    language_script,
)
from nkmap.text.messages import LANGUAGES, Messages, browser_messages, messages_for

STYLESHEET = "site.css"  # at the site's root; pages link it relative to their own folder
#: The two pages that switch language in place, and the name of their language files (lang/<lang>.<page>.js).
IN_PLACE = {"index.html": "explorer", "classroom.html": "classroom"}


def page(
    title: str,
    description: str,
    body: str,
    root: str = "",
    lang: str = "en",
    alternates: dict[str, str] | None = None,
) -> str:
    """A complete HTML5 page around `body` (already escaped markup). `title` and `description` are plain text
    (escaped here); `root` is the relative path from the page's folder to the site's root ('' or '../');
    `alternates` the page in each language (language -> relative address)."""
    tag = messages_for(lang).tag
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(tag)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<meta name="description" content="{html.escape(description, quote=True)}">\n'
        f"{alternate_links(alternates) if alternates else ''}"
        f'<link rel="stylesheet" href="{root}{STYLESHEET}">\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def page_in(lang: str, path: str, root: str) -> str:
    """The address of the site's page `path` (from the root, English) in `lang`, relative to a page `root` deep."""
    if path in IN_PLACE:
        return f"{root}{path}" + ("" if lang == "en" else f"?lang={lang}")
    return f"{root}{folder(lang)}{path}"


def alternates_of(path: str, root: str) -> dict[str, str]:
    return {lang: page_in(lang, path, root) for lang in LANGUAGES}


def site_nav(root: str, here: str, m: Messages | None = None) -> str:
    """The links at the top of every page (the current one marked, not linked), then the language chooser.
    `root` leads to the site's root; `here` is the page's path as in English ('places/index.html')."""
    m = m or messages_for("en")
    items = [
        ("index.html", m._("Map")),
        ("classroom.html", m._("Classroom")),
        ("places/index.html", m._("Places")),
        ("data/index.html", m._("Data")),
    ]
    links = []
    for path, label in items:
        if path == here:
            links.append(f'<li><span aria-current="page">{html.escape(label)}</span></li>')
        else:
            links.append(f'<li><a href="{page_in(m.lang, path, root)}">{html.escape(label)}</a></li>')
    languages = chooser(m.lang, alternates_of(here, root), m._("Language")) if here else ""
    return f'<nav class="site-nav" aria-label="site"><ul>{"".join(links)}</ul>{languages}</nav>'


def explorer_description(m: Messages) -> str:
    return m._(
        "An interactive map of who held what in and after the 2020 Nagorno-Karabakh war, a day at a time from the "
        "1994 ceasefire to 2024, with each side's claims and their sources. Works offline."
    )


EXPLORER_DESCRIPTION = explorer_description(messages_for("en"))


def _loader(page_id: str) -> str:
    return f'<script>{asset_text("page-language.js")}NKMap.loadLanguage("{page_id}");</script>'


def _in_place_extras(path: str) -> tuple[str, str]:
    """The alternates for <head> and the language chooser of a page that switches language in place."""
    en = messages_for("en")
    hrefs = alternates_of(path, "")
    return alternate_links(hrefs), chooser("en", hrefs, en._("Language"))


def explorer_page(ds: Dataset) -> str:
    """index.html: the map of the whole timeline, stepping through the days in the browser; in English, and in
    the other languages with `?lang=` (lang/<lang>.explorer.js)."""
    head, languages = _in_place_extras("index.html")
    page_html = _with_description(
        render_html(ds, MapOptions(), site_links=True), EXPLORER_DESCRIPTION, "\n" + head.rstrip("\n")
    )
    page_html = _replace_once(page_html, SITE_NAV, SITE_NAV + languages)
    messages = f"<script>{messages_js('en')}</script>"
    return _replace_once(page_html, messages, messages + "\n" + _loader("explorer"))


def classroom_page(ds: Dataset) -> str | None:
    """classroom.html: the stories step by step, two dates compared, the area over time (None leaves it out)."""
    head, languages = _in_place_extras("classroom.html")
    en = messages_for("en")
    links = (
        f'<nav id="cl-site" aria-label="site"><a href="index.html">{html.escape(en._("Map"))}</a>'
        f'<a href="places/index.html">{html.escape(en._("Places"))}</a>'
        f'<a href="data/index.html">{html.escape(en._("Data"))}</a>{languages}</nav>'
    )
    return render_classroom(ds, head_links=head, site_nav=links, language_loader=_loader("classroom"))


def _checked_patch(english: Any, other: Any, what: str) -> Any:
    patch = data_patch(english, other)
    if patch is not None and apply_patch(copy.deepcopy(english), patch) != other:
        raise AssertionError(f"{what}: the patch does not give the translation back")  # a bug of data_patch
    return patch


def language_files(ds: Dataset, lang: str) -> dict[str, str]:
    """lang/<lang>.explorer.js and lang/<lang>.classroom.js: what index.html and classroom.html need in `lang`.
    The classroom's map is the explorer's map (less what only the explorer shows): where its patch is the
    explorer's, the classroom file names it ({"@": "explorer"}) and the page loads both files."""
    m = messages_for(lang)
    catalogue = m.catalogue(browser_messages())
    english = HtmlData(ds, MapOptions()).build()
    other = HtmlData(ds, MapOptions(lang=lang)).build()
    title = html.unescape(other["ui"]["title"])
    explorer_patch = _checked_patch(english, other, f"{lang} explorer") or {}
    explorer = language_script(
        m,
        "explorer",
        catalogue,
        explorer_patch,
        {
            "title": title,
            "heading": title,
            "description": explorer_description(m),
            "texts": {"nk-note": html.unescape(other["ui"]["html_note"])},
        },
    )
    english_room, other_room = classroom_data(ds), classroom_data(ds, lang=lang)
    room_patch = _checked_patch(english_room, other_room, f"{lang} classroom") or {}
    shared = {k: sub for k, sub in explorer_patch.items() if k in english_room["map"]}
    if "map" in room_patch and room_patch["map"] == shared:
        room_patch["map"] = {SHARED: "explorer"}
        checked = apply_patch(copy.deepcopy(english_room), room_patch, {"explorer": explorer_patch})
        if checked != other_room:
            raise AssertionError(f"{lang} classroom: the explorer's patch does not give its map back")
    classroom = language_script(
        m,
        "classroom",
        catalogue | {english: m._(english) for english in PAGE_WORDS},
        room_patch,
        {"title": page_title(m), "description": page_description(m)},
    )
    return {f"{lang}.explorer.js": explorer, f"{lang}.classroom.js": classroom}


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise ValueError(f"expected {old[:60]!r} once in the page, found it {text.count(old)} times")
    return text.replace(old, new)


def _with_description(page_html: str, description: str, extra: str = "") -> str:
    """The page with a `<meta name="description">` after its viewport line, unless it has one already."""
    if 'name="description"' in page_html:
        return page_html
    meta = f'<meta name="description" content="{html.escape(description, quote=True)}">'
    viewport = page_html.find('<meta name="viewport"')
    if viewport < 0:
        raise ValueError("the explorer page has no viewport <meta>; cannot place its description")
    viewport_end = page_html.index(">", viewport) + 1
    return page_html[:viewport_end] + "\n" + meta + extra + page_html[viewport_end:]
