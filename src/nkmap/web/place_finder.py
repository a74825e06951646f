"""The page's "Find a place" box: the options its select box filters as the user types, what a typed text or a
`?place=` value opens, where the map goes, and the highlight drawn around the chosen place.

Why a select box: Streamlit filters its options in the browser on every keystroke (no round trip to the server),
so suggestions appear as fast on a classroom's slow network as on a laptop. Its filter is a plain lower-case
subsequence match, so each option's label carries every name and spelling of the place (gazetteer.choices) and,
for names with diacritics, the same name without them ('Kəlbəcər' is also found as 'kelbecer'). A text that
matches no label can still be submitted (the box accepts new text); the server then searches it with
nkmap.model.gazetteer's transliteration rules and offers the places it finds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import folium
from jinja2 import Template

from nkmap.data.dataset import Dataset
from nkmap.data.memo import Memo, Once
from nkmap.model import gazetteer
from nkmap.text import popups
from nkmap.text.error_text import worded
from nkmap.text.messages import messages_for
from nkmap.text.place_card import Card, build_card, card_html, place_types
from nkmap.text.place_names import place_label
from nkmap.web.mapview import LABELLED_TYPES
from nkmap.web.plain_render import PlainRendered

#: Zoom the map goes to (at least) when a place is chosen: villages and their labels show from zoom 9.
FOCUS_ZOOM = 11
#: A nudge far below a metre (degrees) that makes a repeated choice of the same place a new centre for
#: st_folium, which only moves the map when the centre it is given differs from the last one it was given.
NUDGE = 1e-7
MAX_CANDIDATES = 6


def labels(ds: Dataset) -> dict[str, str]:
    """Place id -> the select box label: every name and spelling (gazetteer.choices), then each name's words
    folded to plain Latin where the label lacks them, so that the browser's plain filter finds 'susa' as well as
    'Şuşa' and 'kelbecer' as well as 'Kəlbəcər'. Built once per dataset; biggest places first."""
    return _caches(ds).labels.get_or_make(lambda: _labels(ds))


def _labels(ds: Dataset) -> dict[str, str]:
    out = {}
    for place_id, label in gazetteer.choices(ds):
        lowered = label.lower()
        extra: list[str] = []
        for name in _names(ds, place_id):
            for word in gazetteer.fold(name).split():
                if len(word) > 2 and word not in lowered and word not in extra:
                    extra.append(word)
        out[place_id] = label + (f" · {' '.join(extra)}" if extra else "")
    return out


def _names(ds: Dataset, place_id: str) -> list[str]:
    rec = gazetteer.place(ds, place_id)
    return [
        str(n) for n in (rec.get("name_en"), rec.get("name_az"), rec.get("name_hy"), *rec.get("names_variant", [])) if n
    ]


def options(ds: Dataset) -> list[str]:
    """The select box's options: place ids, biggest places first."""
    return list(labels(ds))


def label(ds: Dataset, value: Any) -> str:
    """What the box shows for an option (a place id) or for a text the user typed."""
    return labels(ds).get(value, str(value))


def short_name(ds: Dataset, place_id: str, lang: str = "en") -> str:
    """'Shusha / Shushi (Şuşa)': the English name and the Azerbaijani one where it differs; in another language
    the name by `place_names.place_label`."""
    rec = gazetteer.place(ds, place_id)
    if lang != "en":
        return place_label(rec.props, lang)
    name_en, name_az = str(rec.get("name_en", place_id)), rec.get("name_az")
    if name_az and gazetteer.fold(name_az).split()[0] not in gazetteer.fold(name_en):
        return f"{name_en} ({name_az})"
    return name_en


def candidate_label(match: gazetteer.Match, lang: str = "en", ds: Dataset | None = None) -> str:
    """A short button label for a place offered to choose: 'Aghdam / Akna (town, Aghdam district)'."""
    m = messages_for(lang)
    where = m._("{district} district", district=match.district) if match.district else (match.country or "")
    kind = match.type if lang == "en" or not match.type else place_types(m).get(match.type, match.type)
    detail = ", ".join(t for t in (kind, where) if t)
    name = match.name_en if lang == "en" or ds is None else short_name(ds, match.place_id, lang)
    return name + (f" ({detail})" if detail else "")


@dataclass
class Resolution:
    """What a typed text or a link value opens: one place, or places to choose from, or a message saying why
    nothing was opened (plain text: the caller escapes it for where it goes)."""

    place_id: str | None = None
    candidates: list[gazetteer.Match] = field(default_factory=list)
    message: str | None = None


def resolve(ds: Dataset, text: Any, lang: str = "en") -> Resolution:
    """A place id as is; else a name that matches one place opens it; several equally good matches are offered as
    candidates; a similar name as 'did you mean'; empty, over-long or letterless text gets a message."""
    m = messages_for(lang)
    raw = str(text if text is not None else "")
    if raw.strip() in gazetteer.places(ds):
        return Resolution(place_id=raw.strip())
    try:
        query = gazetteer.clean_query(raw)
    except gazetteer.QueryError as exc:
        return Resolution(message=m._("Cannot search for that: {problem}.", problem=worded(exc, m)))
    found = gazetteer.find_place(ds, query)
    if found is not None:
        return Resolution(place_id=found)
    matches = gazetteer.search(ds, query, limit=MAX_CANDIDATES)
    shown = gazetteer.shown(query)
    if not matches:
        return Resolution(message=m._("No place called '{name}' in the data.", name=shown))
    if matches[0].did_you_mean:
        return Resolution(
            candidates=matches, message=m._("No place called '{name}'. Did you mean one of these?", name=shown)
        )
    return Resolution(candidates=matches, message=m._("Several places match '{name}'. Choose one:", name=shown))


def from_link(ds: Dataset, value: Any, lang: str = "en") -> tuple[str | None, str | None]:
    """(place id, None) for a `?place=` value naming one place, else (None, a warning saying what is shown)."""
    m = messages_for(lang)
    result = resolve(ds, value, lang)
    if result.place_id is not None:
        return result.place_id, None
    raw = str(value if value is not None else "")
    shown = gazetteer.shown(raw) if raw.strip() else ""
    reason = result.message or m._("no single place matches it")
    hints = [short_name(ds, c.place_id, lang) for c in result.candidates[:4]]
    hint = " " + m._("Matching or similar: {names}.", names=", ".join(hints)) if hints else ""
    return None, (
        m._("Place in the link ('{value}'): {reason}.", value=shown, reason=reason.rstrip(".").rstrip(":"))
        if lang != "en"
        else f"Place in the link ('{shown}'): {reason.rstrip('.')}."
    ) + hint + " " + m._("Showing the map without a place; use Find a place to choose one.")


def focus(ds: Dataset, place_id: str, seq: int, zoom: int | None = None) -> tuple[tuple[float, float], float]:
    """The centre and zoom to hand st_folium for the `seq`-th choice of a place: at the place, at least
    FOCUS_ZOOM (the current `zoom` if closer). Consecutive choices differ by NUDGE, so choosing the same place
    again after panning away centres it again."""
    rec = gazetteer.place(ds, place_id)
    nudge = NUDGE * (seq % 2)
    return (round(rec.lat + nudge, 7), round(rec.lon, 7)), max(FOCUS_ZOOM, int(zoom or 0)) + nudge


# ------------------------------------------------------------------------------------------ highlight


class PlaceHighlight(folium.FeatureGroup, PlainRendered):
    """A ring around the chosen place and its name, in a pane above every layer; passed to st_folium with the
    layer slots (`feature_group_to_add`), so choosing a place never rebuilds the base map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({});
        (function (map, group, p) {
            if (!map.getPane('nk-highlight')) { map.createPane('nk-highlight').style.zIndex = 640; }
            var opts = {pane: 'nk-highlight', interactive: false, fill: false};
            L.circleMarker([p.lat, p.lon], Object.assign({radius: 15, color: '#ffffff', weight: 7, opacity: 0.95}, opts)).addTo(group);
            var ring = L.circleMarker([p.lat, p.lon], Object.assign({radius: 15, color: '#111111', weight: 3, opacity: 1}, opts));
            if (p.label) {  // villages have no label of their own on the map
                ring.bindTooltip(p.label, {permanent: true, direction: 'top', offset: [0, -14], pane: 'nk-highlight',
                                           className: 'nk-label nk-highlight-label'});
            }
            ring.addTo(group);
            map.getContainer().setAttribute('data-nkmap-place', p.id);
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.place_json }});
        {% endmacro %}
        """
    )

    def __init__(self, place_id: str, lat: float, lon: float, label: str | None):
        super().__init__(name="nkmap place", control=False)
        payload = {"id": place_id, "lat": round(lat, 6), "lon": round(lon, 6), "label": popups.text(label) or None}
        self.place_json = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")


def highlight(ds: Dataset, place_id: str, lang: str = "en") -> PlaceHighlight:
    """The ring around the place; named unless the map names it already (cities, towns, settlements)."""
    rec = gazetteer.place(ds, place_id)
    labelled = str(rec.get("type") or rec.get("kind") or "") in LABELLED_TYPES
    return PlaceHighlight(place_id, rec.lat, rec.lon, None if labelled else short_name(ds, place_id, lang))


# ------------------------------------------------------------------------------------------ the card

CARD_CSS = """
<style>
.nk-card { font-size: 14px; line-height: 1.35; }
.nk-card .nk-card-title { font-weight: 700; font-size: 17px; }
.nk-card .nk-card-names, .nk-card .nk-card-where, .nk-card .nk-card-variants { color: #333; }
.nk-card .nk-card-variants { font-size: 12px; line-height: 1.35; color: #555; max-height: 4.05em; overflow-y: auto; }
.nk-card-today { font-size: 15px; font-weight: 600; line-height: 1.35; margin-bottom: 4px; }
.nk-card ul, .nk-card ol { margin: 2px 0 6px 0; padding-left: 18px; }
.nk-card .nk-card-change, .nk-card .nk-card-note, .nk-card .nk-card-spans { margin-top: 4px; }
/* History: a narrow panel, so each row is the date, then claims beside acknowledgements/denials, then other
   records across the full width (the place_card table, laid out as a grid). */
.nk-card table.nk-card-history { display: block; font-size: 12px; margin: 6px 0; }
.nk-card table.nk-card-history thead, .nk-card table.nk-card-history tbody { display: block; }
.nk-card table.nk-card-history tr { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8px;
  border-bottom: 1px solid #e5e5e5; padding: 3px 0; }
.nk-card table.nk-card-history thead tr { font-weight: 600; color: #333; border-bottom: 2px solid #ccc; }
.nk-card table.nk-card-history th, .nk-card table.nk-card-history td { display: block; text-align: left;
  padding: 0; font-weight: inherit; }
.nk-card table.nk-card-history thead th:first-child, .nk-card table.nk-card-history thead th:last-child { display: none; }
.nk-card table.nk-card-history tbody th { grid-column: 1 / -1; font-weight: 700; }
.nk-card table.nk-card-history td.nk-col-record { grid-column: 1 / -1; }
.nk-card table.nk-card-history td:empty { display: none; }
.nk-card .nk-kind { font-weight: 600; }
.nk-card .nk-entry { margin-bottom: 3px; }
.nk-card .nk-card-position, .nk-card .nk-sources, .nk-card .nk-card-district-note { font-size: 12px; color: #444; margin-top: 4px; }
.nk-card .nk-sources ol { max-height: 120px; overflow-y: auto; }
.nk-card a { word-break: break-all; }
</style>
"""


def card_today_html(ds: Dataset, place_id: str, day, lang: str = "en") -> str:
    """'On 10 November 2020 the map shows it held by: …' for the date shown: the only part of the card that changes
    with the date, kept apart so a date step re-sends one line, not the card (see `card_body_html`)."""
    held = gazetteer.held_by_on(ds, place_id, day)
    sentence = replace(_card(ds, place_id, lang), day=day, held_on=held).held_sentence
    return (
        f'<div class="nk-card-today nk-side-{popups.text(held or "none")}" data-place-id="{popups.text(place_id)}">'
        f"{popups.text(sentence)}</div>"
    )


def card_body_html(ds: Dataset, place_id: str, lang: str = "en") -> str:
    """The place's card (nkmap.text.place_card, escaped) with the page's styles, without the date-dependent line. The
    same on every date, so Streamlit, which caches elements of 10 kB or more in the browser, sends a long card once."""
    return _caches(ds).card_html.get_or_make((place_id, lang), lambda: CARD_CSS + card_html(ds, place_id, None, lang))


def _card(ds: Dataset, place_id: str, lang: str = "en"):
    return _caches(ds).card_data.get_or_make((place_id, lang), lambda: build_card(ds, place_id, None, lang))


@dataclass
class PlaceFinderCaches:
    """What the find-a-place box keeps per dataset (`Dataset.caches(PlaceFinderCaches)`)."""

    labels: Once[dict[str, str]] = field(default_factory=Once)  # place id -> the select box's label
    card_html: Memo[tuple[str, str], str] = field(default_factory=Memo)  # (place id, lang) -> its card's HTML, styled
    card_data: Memo[tuple[str, str], Card] = field(default_factory=Memo)  # (place id, lang) -> `build_card`, no date


def _caches(ds: Dataset) -> PlaceFinderCaches:
    return ds.caches(PlaceFinderCaches)
