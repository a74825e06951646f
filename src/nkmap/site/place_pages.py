"""A page per place (`places/<id>.html`, the place id being its permanent address) and the list of them all
(`places/index.html`). The page reads the place's card (`nkmap.text.place_card`): names in the three languages,
district, who held it when, the history with each claim beside the other side's acknowledgement or denial, and the
sources as full records; a mini-map (`minimap`) shows its surroundings on the day it last changed hands.

Every value from the data is escaped (`popups.text`) before it becomes markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from nkmap.data.dataset import Dataset
from nkmap.data.sources import KIND_LABELS, NO_HEADLINE, ROLE_LABELS
from nkmap.data.translations import SIDE_FIELDS, text_in
from nkmap.model.gazetteer import fold
from nkmap.site.minimap import minimap
from nkmap.site.pages import alternates_of, page, page_in, site_nav
from nkmap.text.messages import Messages, messages_for
from nkmap.text.place_card import Card, history_table_html
from nkmap.text.place_names import place_label
from nkmap.text.popups import position_notes, text

# A place id is a file name and a URL path segment as it is: letters, digits, '.', '_' and '-', not starting with
# a dot. Ids outside this set are refused by the build rather than renamed (a renamed page would not be permanent).
PAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
LANGUAGE_NAMES = (("English", "en", "name_en"), ("Azerbaijani", "az", "name_az"), ("Armenian", "hy", "name_hy"))
EN = messages_for("en")


def site_title(m: Messages) -> str:
    return m._("nkmap: territorial control in and after the 2020 Nagorno-Karabakh war")


SITE_TITLE = site_title(EN)


def _language_name(lang: str, m: Messages) -> str:
    """The language a name is in, in the reader's language (the names table's rows)."""
    return {"en": m._("English"), "az": m._("Azerbaijani"), "hy": m._("Armenian")}[lang]


def _kind_label(kind: Any, m: Messages) -> str:
    labels = {
        "azerbaijani": m._("Azerbaijani side"),
        "armenian": m._("Armenian side"),
        "russian": m._("Russian"),
        "independent": m._("independent"),
        "encyclopedia": m._("encyclopaedia"),
        "gazetteer": m._("gazetteer"),
    }
    return labels.get(str(kind), str(KIND_LABELS.get(str(kind), kind)))


def _role_label(role: Any, m: Messages) -> str:
    labels = {
        "claim": m._("claim"),
        "acknowledgement": m._("acknowledgement"),
        "denial": m._("denial"),
        "report": m._("report"),
        "prior_control": m._("earlier control"),
        "figure": m._("figure"),
        "location": m._("location"),
        "names": m._("names"),
    }
    return labels.get(str(role), str(ROLE_LABELS.get(str(role), role)))


def _words(sentence: str) -> str:
    """The interface's own words as the text of an element (quotes need no escaping there: the English pages keep
    their bytes)."""
    return html.escape(sentence, quote=False)


def card_name(card: Card, lang: str) -> str:
    """The place's name for a reader of `lang` (the one name policy, `place_label`; the card's own title when the
    card is in that language)."""
    if card.lang == lang and card.title:
        return card.title
    return place_label({"name_en": card.name_en, "name_az": card.name_az, "name_hy": card.name_hy}, lang)


#: The place pages' mini-maps (one SVG per place, shared by the languages), from the site's root.
MAP_FOLDER = "places/map"


def minimap_file(ds: Dataset, card: Card) -> str:
    """places/map/<id>.svg: the place's surroundings on the day its page shows, without words."""
    return minimap(ds, None, card.lon, card.lat, map_day(ds, card)).svg + "\n"


def page_name(place_id: str) -> str | None:
    """The place page's file name ('<id>.html'), or None when the id cannot be one as it is."""
    return f"{place_id}.html" if PAGE_NAME.fullmatch(place_id) else None


def last_change(card: Card) -> dt.date | None:
    """The first day of the place's last holder on the map (None: the map shows one holder throughout)."""
    return card.spans[-1][0] if len(card.spans) > 1 else None


def map_day(ds: Dataset, card: Card) -> dt.date:
    """The date a place's mini-map and its "open in the map" link show: its last change, else the map's default."""
    return last_change(card) or ds.default_date


def root_of(lang: str) -> str:
    """From a place page (or the list) in `lang` to the site's root."""
    return "../" if lang == "en" else "../../"


def map_link(ds: Dataset, card: Card, root: str = "../", lang: str = "en") -> str:
    """The explorer on that date with the place's card open (the app's URL parameters `date` and `place`), in
    `lang` (`lang=`, as the app's links)."""
    query = {"date": map_day(ds, card).isoformat(), "place": card.place_id}
    return f"{root}index.html?" + urlencode(query | ({"lang": lang} if lang != "en" else {}))


def citation(card: Card, version: str, m: Messages = EN) -> str:
    """How to cite the page, as plain text."""
    page_path = f"{'' if m.lang == 'en' else m.lang + '/'}places/{card.place_id}.html"
    return m._(
        "“{name}”, place {id}. In: {site} (version {version}), page {page} (accessed on the day you read it).",
        name=card_name(card, m.lang),
        id=card.place_id,
        site=site_title(m),
        version=version,
        page=page_path,
    )


def place_page(ds: Dataset, card: Card, version: str, m: Messages = EN) -> str:
    """The page of one place in the language of `m` (written at places/<id>.html, <lang>/places/<id>.html)."""
    day = map_day(ds, card)
    changed = last_change(card)
    name = card_name(card, m.lang)
    when = (
        m._("on {date}, the day it last changed hands on the map", date=m.day(day))
        if changed
        else m._("on {date} (the map shows no change of holder here)", date=m.day(day))
    )
    root = root_of(m.lang)
    path = f"places/{card.place_id}.html"
    drawn = minimap(ds, None, card.lon, card.lat, day)
    caption = m._("Map of the area around {name} {when}", name=name, when=when)
    # The picture is the same in every language: one file (MAP_FOLDER), the name and the caption on the page.
    picture = (
        f'<span class="minimap-box"><img class="minimap" src="{root}{MAP_FOLDER}/{text(card.place_id)}.svg" '
        f'width="400" height="300" alt="{text(caption)}"><span class="minimap-label" aria-hidden="true">'
        f"{text(name)}</span></span>"
    )
    # Each word outside the f-strings below: gettext's extraction does not look inside them.
    open_map = text(m._("Open in the map on {date}", date=m.day(day)))
    all_places = text(m._("All places"))
    around = text(m._("Who held the ground around it {when}.", when=when))
    who_held = text(m._("Who held it"))
    history = text(m._("History: claims, acknowledgements and denials"))
    position = text(m._("Position"))
    sources = text(m._("Sources"))
    how_to_cite = text(m._("How to cite this page"))
    permanent = text(m._("Permanent address:"))
    body = [
        site_nav(root, path, m),
        "<main>",
        f'<h1 id="name">{text(name)}</h1>',
        f'<p class="where">{text(card.where)}</p>',
        _names_html(card, m),
        '<p class="actions">'
        f'<a class="button" href="{text(map_link(ds, card, root, m.lang))}">'
        f"{open_map}</a> "
        f'<a href="index.html">{all_places}</a></p>',
        '<figure class="minimap-figure">',
        picture,
        f"<figcaption>{around} {_legend_html(ds, drawn.sides, drawn.has_front, m)}</figcaption>",
        "</figure>",
        f'<section aria-labelledby="held"><h2 id="held">{who_held}</h2>',
        f'<ul class="spans">{_spans_html(card)}</ul>',
    ]
    if card.change_sentence:
        body.append(f"<p>{text(card.change_sentence)}</p>")
    if card.model_note:
        note = text(m._("Note: {note}", note=card.model_note))
        confidence = (
            " " + text(m._("(confidence: {level})", level=card.model_confidence)) if card.model_confidence else ""
        )
        body.append(f'<p class="note">{note}{confidence}</p>')
    body += [
        "</section>",
        f'<section aria-labelledby="history"><h2 id="history">{history}</h2>',
        '<div class="table-wrap">',
        history_table_html(card),
        "</div></section>",
        f'<section aria-labelledby="position"><h2 id="position">{position}</h2>',
        _position_html(card, m),
        "</section>",
        f'<section aria-labelledby="sources"><h2 id="sources">{sources}</h2>',
        _sources_html(card.sources, m),
        "</section>",
        f'<section aria-labelledby="cite"><h2 id="cite">{how_to_cite}</h2>',
        f'<p class="cite">{text(citation(card, version, m))}</p>',
        f'<p class="permalink">{permanent} <code>{text(path)}</code></p>',
        "</section>",
        "</main>",
        _footer(root, m),
    ]
    if card.district:
        description = m._(
            "{name} ({district} district): names, who held it and when, each side's claims and the sources.",
            name=name,
            district=card.district,
        )
    else:
        description = m._("{name}: names, who held it and when, each side's claims and the sources.", name=name)
    title = m._("{name} - nkmap places", name=name)
    return page(title, description, "\n".join(body), root=root, lang=m.lang, alternates=alternates_of(path, root))


def _names_html(card: Card, m: Messages = EN) -> str:
    rows = []
    for _label, lang, key in LANGUAGE_NAMES:
        value = getattr(card, key)
        if value:
            label = text(_language_name(lang, m))
            rows.append(f'<tr><th scope="row">{label}</th><td lang="{lang}">{text(value)}</td></tr>')
    if card.variants:
        also = text(m._("Also written"))
        rows.append(f'<tr><th scope="row">{also}</th><td>{text(card.variants)}</td></tr>')
    names = text(m._("Names"))
    return f'<table class="names"><caption>{names}</caption>{"".join(rows)}</table>'


def _spans_html(card: Card) -> str:
    return "".join(
        f'<li class="nk-side-{text(side or "none")}">{text(span)}</li>'
        for (_, _, side), span in zip(card.spans, card.spans_text)
    )


def _side_short(ds: Dataset, side: str, lang: str) -> str:
    record = ds.sides.get(side, {})
    return str(text_in(record, "short_en", SIDE_FIELDS, lang) or record.get("short_en") or side)


def _legend_html(ds: Dataset, sides: tuple[str, ...], has_front: bool, m: Messages = EN) -> str:
    items = []
    for side in sides:
        color = text(ds.sides.get(side, {}).get("color", "#999999"))
        label = text(_side_short(ds, side, m.lang))
        items.append(f'<li><span class="swatch" style="background:{color}"></span>{label}</li>')
    if has_front:
        front = text(m._("front line that day"))
        items.append(f'<li><span class="swatch line"></span>{front}</li>')
    region = text(m._("the region (former NKAO and seven districts)"))
    items.append(f'<li><span class="swatch dashed"></span>{region}</li>')
    here = text(m._("the place"))
    items.append(f'<li><span class="swatch dot"></span>{here}</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def _position_html(card: Card, m: Messages = EN) -> str:
    precision = position_notes(m).get(str(card.coord_precision), card.coord_precision or m._("not stated"))
    parts = [f"<p>{card.lat:.5f} N, {card.lon:.5f} E ({text(precision)})."]
    if card.coord_source:
        parts.append(" " + text(m._("From: {source}.", source=card.coord_source)))
    if card.credit:
        credit = text(m._("Credit: {credit}.", credit=card.credit))
        parts.append(f' <span class="credit">{credit}</span>')
    parts.append("</p>")
    if card.district_exception:
        outside = _words(m._("Outside its district's polygon:"))
        parts.append(f"<p>{outside} {text(card.district_exception)}</p>")
    return "".join(parts)


def _sources_html(sources: list[dict[str, Any]], m: Messages = EN) -> str:
    if not sources:
        return "<p>" + text(m._("None given.")) + "</p>"
    return f'<ol class="sources">{"".join(source_record_html(s, m) for s in sources)}</ol>'


def _link(url: Any) -> str:
    raw = str(url or "")
    if raw.lower().startswith(("http://", "https://")):
        return f'<a href="{text(raw)}" rel="noopener noreferrer">{text(raw)}</a>'
    return text(raw)


def source_record_html(s: dict[str, Any], m: Messages = EN) -> str:
    """One source as its whole record: publisher, title, date, side or kind, language, what it is cited for, the
    original URL (a link) and any other copy of it, and the record's note."""
    bits = [f'<span class="publisher">{text(s.get("publisher"))}</span>']
    if s.get("title") == NO_HEADLINE:
        bits.append(text(m._("(headline not available)")))
    elif s.get("title"):
        from_url = " " + text(m._("(title as its URL gives it)")) if s.get("title_from") == "url" else ""
        bits.append(f"“{text(s.get('title'))}”{from_url}")
    if s.get("published"):
        bits.append(text(m._("published {date}", date=s.get("published"))))
    facts = []
    if s.get("kind"):
        facts.append(text(_kind_label(s.get("kind"), m)))
    if s.get("language"):
        facts.append(text(m._("language: {language}", language=s.get("language"))))
    if s.get("role"):
        facts.append(text(m._("cited for: {role}", role=_role_label(s.get("role"), m))))
    out = [", ".join(bits) + ". " + "; ".join(facts) + "."]
    if s.get("url"):
        out.append(f'<br><span class="url">{_link(s.get("url"))}</span>')
    also = [a for a in (s.get("also_at") or []) if a]
    if also:
        links = ", ".join(_link(a.get("url") if isinstance(a, dict) else a) for a in also)
        also_at = text(m._("Also at:"))
        out.append(f'<br><span class="also-at">{also_at} {links}</span>')
    if s.get("note"):
        note = text(m._("Note: {note}", note=s.get("note")))
        out.append(f'<br><span class="note">{note}</span>')
    anchor = f' id="src-{text(s.get("id"))}"' if s.get("id") else ""
    return f"<li{anchor}>{''.join(out)}</li>"


def _footer(root: str, m: Messages = EN) -> str:
    record = _words(m._("nkmap: the record of who held what, with each side's claims and their sources."))
    data = text(m._("Data, licences and how to cite"))
    return (
        f'<footer class="site-footer"><p>{record} <a href="{page_in(m.lang, "data/index.html", root)}">{data}</a>.</p>'
        "</footer>"
    )


def places_index(ds: Dataset, cards: list[Card], m: Messages = EN) -> str:
    """places/index.html: every place, grouped by district (then country), each with all its names; in the
    language of `m` (<lang>/places/index.html)."""
    groups: dict[str, list[Card]] = defaultdict(list)
    districts = set()
    for card in cards:
        if card.district:
            group = m._("{district} district", district=card.district)
            districts.add(group)
        else:
            group = card.country or m._("Elsewhere")
        groups[group].append(card)
    # Districts first (alphabetically), then the places outside any district.
    order = sorted(groups, key=lambda g: (g not in districts, fold(g), g))
    anchors = {g: _anchor(i, g) for i, g in enumerate(order, 1)}
    toc = "".join(f'<li><a href="#{anchors[g]}">{text(g)}</a> ({len(groups[g])})</li>' for g in order)
    sections = []
    for group in order:
        ordered = sorted(groups[group], key=lambda c: (fold(card_name(c, m.lang)), c.place_id))
        items = "".join(_index_item(c, m) for c in ordered)
        sections.append(
            f'<section aria-labelledby="{anchors[group]}"><h2 id="{anchors[group]}">{text(group)}</h2>'
            f'<ul class="place-list">{items}</ul></section>'
        )
    root = root_of(m.lang)
    intro = m._(
        "{n} places, each with a page of its own: its names in English, Azerbaijani and Armenian, who held it and "
        "when, each side's claims and the sources. Grouped by district; find a name in any spelling with your "
        "browser's search (Ctrl+F).",
        n=len(cards),
    )
    heading, districts_label = text(m._("Places")), text(m._("districts"))
    body = [
        site_nav(root, "places/index.html", m),
        "<main>",
        f"<h1>{heading}</h1>",
        f"<p>{_words(intro)}</p>",
        f'<nav aria-label="{districts_label}"><ul class="toc">{toc}</ul></nav>',
        *sections,
        "</main>",
        _footer(root, m),
    ]
    description = m._(
        "The {n} places of the nkmap record by district, with their English, Azerbaijani and Armenian names and the "
        "day each changed hands.",
        n=len(cards),
    )
    alternates = alternates_of("places/index.html", root)
    return page(m._("Places - nkmap"), description, "\n".join(body), root=root, lang=m.lang, alternates=alternates)


def _anchor(number: int, group: str) -> str:
    """A fragment id for a group: numbered, so that two names folding alike never share one."""
    return f"g{number}-" + ("-".join(fold(group).split()) or "other")


def _index_item(card: Card, m: Messages = EN) -> str:
    local = [
        f'<span lang="{lang}">{text(getattr(card, key))}</span>'
        for _, lang, key in LANGUAGE_NAMES[1:]
        if getattr(card, key)
    ]
    parts = [f'<li><a href="{text(card.place_id)}.html">{text(card_name(card, m.lang))}</a>']
    if local:
        parts.append(" · " + " · ".join(local))
    details = [text(card.type)] if card.type else []
    changed = last_change(card)
    if changed:
        details.append(text(m._("changed hands {date}", date=m.day(changed))))
    if details:
        parts.append(f' <span class="details">({", ".join(details)})</span>')
    if card.variants:
        variants = text(m._("also written: {names}", names=", ".join(card.variants)))
        parts.append(f'<br><span class="variants">{variants}</span>')
    parts.append("</li>")
    return "".join(parts)
