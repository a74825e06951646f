"""A page per place (`places/<id>.html`, the place id being its permanent address) and the list of them all
(`places/index.html`). The page reads the place's card (`nkmap.text.place_card`): names in the three languages,
district, who held it when, the history with each claim beside the other side's acknowledgement or denial, and the
sources as full records; a mini-map (`minimap`) shows its surroundings on the day it last changed hands.

Every value from the data is escaped (`popups.text`) before it becomes markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from nkmap.data.dataset import Dataset
from nkmap.data.sources import KIND_LABELS, ROLE_LABELS
from nkmap.model.gazetteer import fold
from nkmap.site.minimap import minimap
from nkmap.site.pages import page, site_nav
from nkmap.text.place_card import Card, history_table_html
from nkmap.text.popups import PRECISION_NOTES, long_date, text

# A place id is a file name and a URL path segment as it is: letters, digits, '.', '_' and '-', not starting with
# a dot. Ids outside this set are refused by the build rather than renamed (a renamed page would not be permanent).
PAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
SITE_TITLE = "nkmap: territorial control in and after the 2020 Nagorno-Karabakh war"
LANGUAGE_NAMES = (("English", "en", "name_en"), ("Azerbaijani", "az", "name_az"), ("Armenian", "hy", "name_hy"))


def page_name(place_id: str) -> str | None:
    """The place page's file name ('<id>.html'), or None when the id cannot be one as it is."""
    return f"{place_id}.html" if PAGE_NAME.fullmatch(place_id) else None


def last_change(card: Card) -> dt.date | None:
    """The first day of the place's last holder on the map (None: the map shows one holder throughout)."""
    return card.spans[-1][0] if len(card.spans) > 1 else None


def map_day(ds: Dataset, card: Card) -> dt.date:
    """The date a place's mini-map and its "open in the map" link show: its last change, else the map's default."""
    return last_change(card) or ds.default_date


def map_link(ds: Dataset, card: Card, root: str = "../") -> str:
    """The explorer on that date with the place's card open (the app's URL parameters `date` and `place`)."""
    return f"{root}index.html?" + urlencode({"date": map_day(ds, card).isoformat(), "place": card.place_id})


def citation(card: Card, version: str) -> str:
    """How to cite the page, as plain text."""
    return (
        f"“{card.name_en}”, place {card.place_id}. In: {SITE_TITLE} (version {version}), "
        f"page places/{card.place_id}.html (accessed on the day you read it)."
    )


def place_page(ds: Dataset, card: Card, version: str) -> str:
    """The page of one place (written at places/<id>.html)."""
    day = map_day(ds, card)
    changed = last_change(card)
    when = (
        f"on {long_date(day)}, the day it last changed hands on the map"
        if changed
        else f"on {long_date(day)} (the map shows no change of holder here)"
    )
    drawn = minimap(ds, card.name_en, card.lon, card.lat, day, f"Map of the area around {card.name_en} {when}")
    body = [
        site_nav("../", ""),
        "<main>",
        f'<h1 id="name">{text(card.name_en)}</h1>',
        f'<p class="where">{text(card.where)}</p>',
        _names_html(card),
        '<p class="actions">'
        f'<a class="button" href="{text(map_link(ds, card))}">Open in the map on {text(long_date(day))}</a> '
        f'<a href="index.html">All places</a></p>',
        '<figure class="minimap-figure">',
        drawn.svg,
        f"<figcaption>Who held the ground around it {text(when)}. {_legend_html(ds, drawn.sides, drawn.has_front)}"
        "</figcaption>",
        "</figure>",
        '<section aria-labelledby="held"><h2 id="held">Who held it</h2>',
        f'<ul class="spans">{_spans_html(card)}</ul>',
    ]
    if card.change_sentence:
        body.append(f"<p>{text(card.change_sentence)}</p>")
    if card.model_note:
        confidence = f" (confidence: {text(card.model_confidence)})" if card.model_confidence else ""
        body.append(f'<p class="note">Note: {text(card.model_note)}{confidence}</p>')
    body += [
        "</section>",
        '<section aria-labelledby="history"><h2 id="history">History: claims, acknowledgements and denials</h2>',
        '<div class="table-wrap">',
        history_table_html(card),
        "</div></section>",
        '<section aria-labelledby="position"><h2 id="position">Position</h2>',
        _position_html(card),
        "</section>",
        '<section aria-labelledby="sources"><h2 id="sources">Sources</h2>',
        _sources_html(card.sources),
        "</section>",
        '<section aria-labelledby="cite"><h2 id="cite">How to cite this page</h2>',
        f'<p class="cite">{text(citation(card, version))}</p>',
        f'<p class="permalink">Permanent address: <code>places/{text(card.place_id)}.html</code></p>',
        "</section>",
        "</main>",
        _footer("../"),
    ]
    description = f"{card.name_en}: names, who held it and when, each side's claims and the sources"
    if card.district:
        description = f"{card.name_en} ({card.district} district): names, who held it and when, each side's claims and the sources"
    return page(f"{card.name_en} - nkmap places", description + ".", "\n".join(body), root="../")


def _names_html(card: Card) -> str:
    rows = []
    for label, lang, key in LANGUAGE_NAMES:
        value = getattr(card, key)
        if value:
            rows.append(f'<tr><th scope="row">{label}</th><td lang="{lang}">{text(value)}</td></tr>')
    if card.variants:
        rows.append(f'<tr><th scope="row">Also written</th><td>{text(card.variants)}</td></tr>')
    return f'<table class="names"><caption>Names</caption>{"".join(rows)}</table>'


def _spans_html(card: Card) -> str:
    return "".join(
        f'<li class="nk-side-{text(side or "none")}">{text(span)}</li>'
        for (_, _, side), span in zip(card.spans, card.spans_text)
    )


def _legend_html(ds: Dataset, sides: tuple[str, ...], has_front: bool) -> str:
    items = []
    for side in sides:
        color = text(ds.sides.get(side, {}).get("color", "#999999"))
        label = text(ds.sides.get(side, {}).get("short_en", side))
        items.append(f'<li><span class="swatch" style="background:{color}"></span>{label}</li>')
    if has_front:
        items.append('<li><span class="swatch line"></span>front line that day</li>')
    items.append('<li><span class="swatch dashed"></span>the region (former NKAO and seven districts)</li>')
    items.append('<li><span class="swatch dot"></span>the place</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def _position_html(card: Card) -> str:
    precision = PRECISION_NOTES.get(str(card.coord_precision), card.coord_precision or "not stated")
    parts = [f"<p>{card.lat:.5f} N, {card.lon:.5f} E ({text(precision)})."]
    if card.coord_source:
        parts.append(f" From: {text(card.coord_source)}.")
    if card.credit:
        parts.append(f' <span class="credit">Credit: {text(card.credit)}.</span>')
    parts.append("</p>")
    if card.district_exception:
        parts.append(f"<p>Outside its district's polygon: {text(card.district_exception)}</p>")
    return "".join(parts)


def _sources_html(sources: list[dict[str, Any]]) -> str:
    if not sources:
        return "<p>None given.</p>"
    return f'<ol class="sources">{"".join(source_record_html(s) for s in sources)}</ol>'


def _link(url: Any) -> str:
    raw = str(url or "")
    if raw.lower().startswith(("http://", "https://")):
        return f'<a href="{text(raw)}" rel="noopener noreferrer">{text(raw)}</a>'
    return text(raw)


def source_record_html(s: dict[str, Any]) -> str:
    """One source as its whole record: publisher, title, date, side or kind, language, what it is cited for, the
    original URL (a link) and any other copy of it, and the record's note."""
    bits = [f'<span class="publisher">{text(s.get("publisher"))}</span>']
    if s.get("title"):
        bits.append(f"“{text(s.get('title'))}”")
    if s.get("published"):
        bits.append(f"published {text(s.get('published'))}")
    facts = []
    if s.get("kind"):
        facts.append(text(KIND_LABELS.get(str(s.get("kind")), s.get("kind"))))
    if s.get("language"):
        facts.append(f"language: {text(s.get('language'))}")
    if s.get("role"):
        facts.append(f"cited for: {text(ROLE_LABELS.get(str(s.get('role')), s.get('role')))}")
    out = [", ".join(bits) + ". " + "; ".join(facts) + "."]
    if s.get("url"):
        out.append(f'<br><span class="url">{_link(s.get("url"))}</span>')
    also = [a for a in (s.get("also_at") or []) if a]
    if also:
        links = ", ".join(_link(a.get("url") if isinstance(a, dict) else a) for a in also)
        out.append(f'<br><span class="also-at">Also at: {links}</span>')
    if s.get("note"):
        out.append(f'<br><span class="note">Note: {text(s.get("note"))}</span>')
    anchor = f' id="src-{text(s.get("id"))}"' if s.get("id") else ""
    return f"<li{anchor}>{''.join(out)}</li>"


def _footer(root: str) -> str:
    return (
        '<footer class="site-footer"><p>nkmap: the record of who held what, with each side\'s claims and their '
        f'sources. <a href="{root}data/index.html">Data, licences and how to cite</a>.</p></footer>'
    )


def places_index(ds: Dataset, cards: list[Card]) -> str:
    """places/index.html: every place, grouped by district (then country), each with all its names."""
    groups: dict[str, list[Card]] = defaultdict(list)
    for card in cards:
        groups[f"{card.district} district" if card.district else (card.country or "Elsewhere")].append(card)
    # Districts first (alphabetically), then the places outside any district.
    order = sorted(groups, key=lambda g: (not g.endswith(" district"), fold(g), g))
    anchors = {g: _anchor(i, g) for i, g in enumerate(order, 1)}
    toc = "".join(f'<li><a href="#{anchors[g]}">{text(g)}</a> ({len(groups[g])})</li>' for g in order)
    sections = []
    for group in order:
        items = "".join(_index_item(c) for c in sorted(groups[group], key=lambda c: (fold(c.name_en), c.place_id)))
        sections.append(
            f'<section aria-labelledby="{anchors[group]}"><h2 id="{anchors[group]}">{text(group)}</h2>'
            f'<ul class="place-list">{items}</ul></section>'
        )
    body = [
        site_nav("../", "places/index.html"),
        "<main>",
        "<h1>Places</h1>",
        f"<p>{len(cards)} places, each with a page of its own: its names in English, Azerbaijani and Armenian, "
        "who held it and when, each side's claims and the sources. Grouped by district; find a name in any "
        "spelling with your browser's search (Ctrl+F).</p>",
        f'<nav aria-label="districts"><ul class="toc">{toc}</ul></nav>',
        *sections,
        "</main>",
        _footer("../"),
    ]
    description = (
        f"The {len(cards)} places of the nkmap record by district, with their English, Azerbaijani and Armenian "
        "names and the day each changed hands."
    )
    return page("Places - nkmap", description, "\n".join(body), root="../")


def _anchor(number: int, group: str) -> str:
    """A fragment id for a group: numbered, so that two names folding alike never share one."""
    return f"g{number}-" + ("-".join(fold(group).split()) or "other")


def _index_item(card: Card) -> str:
    local = [
        f'<span lang="{lang}">{text(getattr(card, key))}</span>'
        for _, lang, key in LANGUAGE_NAMES[1:]
        if getattr(card, key)
    ]
    parts = [f'<li><a href="{text(card.place_id)}.html">{text(card.name_en)}</a>']
    if local:
        parts.append(" · " + " · ".join(local))
    details = [text(card.type)] if card.type else []
    changed = last_change(card)
    if changed:
        details.append(f"changed hands {text(long_date(changed))}")
    if details:
        parts.append(f' <span class="details">({", ".join(details)})</span>')
    if card.variants:
        parts.append(f'<br><span class="variants">also written: {text(card.variants)}</span>')
    parts.append("</li>")
    return "".join(parts)
