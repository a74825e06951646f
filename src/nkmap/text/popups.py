"""Popup and tooltip HTML for map features: names in English, Azerbaijani and Armenian, dates, who claimed
and who acknowledged what, precision, sources as links.

Every value that comes from data passes through `text()` (html.escape) before it is placed in markup, and
only http(s) URLs become links, so a feature can never inject HTML or script into the map.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from typing import Any, Iterable

from nkmap.data.sources import citation_label
from nkmap.data.translations import ATTRIBUTION_FIELDS, CONTROL_FIELDS, EVENT_FIELDS, HISTORY_FIELDS, text_in
from nkmap.text.messages import Messages, messages_for
from nkmap.text.place_names import place_label


def precision_notes(m: Messages) -> dict[str, str]:
    """What each precision level means, in `m`'s language."""
    return {
        "exact": m._("exact (from a surveyed or published boundary)"),
        "approximate": m._("approximate (edges may be several km off)"),
        "schematic": m._("schematic (shows the idea, not the ground)"),
    }


def position_notes(m: Messages) -> dict[str, str]:
    """What each precision level means for a place's point, in `m`'s language (a point has no boundary: its
    exactness is the gazetteer's or the survey's it was read from)."""
    return {
        "exact": m._("exact (a gazetteer's or surveyed point)"),
        "approximate": m._("approximate (may be a few km off)"),
        "schematic": m._("schematic (marks the area, not the spot)"),
    }


def support_words(m: Messages) -> dict[str, str]:
    """How well sourced a change is, in `m`'s language."""
    return {
        "confirmed": m._("Confirmed"),
        "claimed": m._("Claimed by one side only"),
        "disputed": m._("Disputed"),
    }


def change_words(m: Messages) -> dict[str, str]:
    """The kinds of change of the data (`change`, `change_kind`), in `m`'s language; other values as written."""
    return {
        "captured": m._("captured"),
        "captured_post_war": m._("captured post war"),
        "transferred": m._("transferred"),
        "handed_over": m._("handed over"),
        "offensive": m._("offensive"),
        "border_incursion": m._("border incursion"),
        "peacekeepers_deployed": m._("peacekeepers deployed"),
        "corridor_rerouted": m._("corridor rerouted"),
        "changed_hands": m._("changed hands"),
    }


_URL = re.compile(r"https?://[^\s<>\"']+")

SUPPORT_WORDS = support_words(messages_for("en"))


def change_word(value: Any, lang: str = "en") -> str:
    """'captured', 'handed over' ... in `lang` (a value the data names otherwise: its words, underscores as spaces)."""
    raw = str(value)
    if lang == "en":
        return raw.replace("_", " ")
    return change_words(messages_for(lang)).get(raw, raw.replace("_", " "))


def fmt_km2(value: float, signed: bool = False, lang: str = "en") -> str:
    """'1,234 km²' (whole km² from 10 up, one decimal below); `signed`: '+1,234 km²' / '-0.4 km²'; numbers
    written as `lang` writes them ('1.234 km²', '1 234 km²')."""
    if lang == "en":
        sign = "+" if signed else ""
        return f"{value:{sign},.0f} km²" if abs(value) >= 10 else f"{value:{sign},.1f} km²"
    m = messages_for(lang)
    decimals = 0 if abs(value) >= 10 else 1
    shown = m.km2(abs(value), decimals)
    negative = round(value, decimals) < 0
    return ("-" if negative else "+" if signed else "") + shown


def km2_change(value: float, lang: str = "en") -> str:
    """A change of area: 'no change' under 0.05 km², else signed ('+4,318 km²')."""
    return messages_for(lang)._("no change") if abs(value) < 0.05 else fmt_km2(value, signed=True, lang=lang)


def text(value: Any) -> str:
    """A data value as escaped HTML text ('' for missing values; lists joined with commas)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(t for t in (text(v) for v in value) if t)
    if isinstance(value, dict):
        return "; ".join(f"{text(k)}: {text(v)}" for k, v in value.items())
    if isinstance(value, (dt.date, dt.datetime)):
        return html.escape(long_date(value))
    return html.escape(str(value), quote=True)


def words(message: str) -> str:
    """An interface message as HTML text: `<`, `>` and `&` escaped, quotes kept (a message is never an attribute)."""
    return html.escape(message, quote=False)


def long_date(value: Any, lang: str = "en") -> str:
    """'10 November 2020' ('10 noyabr 2020', '10 ноября 2020' ...) from a date or an ISO string; other text
    unchanged (not escaped)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10]) if len(value) >= 10 else value
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}" if lang == "en" else messages_for(lang).day(value)
    return "" if value is None else str(value)


def source_html(source: Any) -> str:
    """One citation: a record (publisher, "title", date, kind and role) linked to its page, or escaped text where
    every http(s) URL is a link; everything opens in a new tab."""
    if isinstance(source, dict):
        label = html.escape(citation_label(source))
        url = str(source.get("url") or "")
        if url.lower().startswith(("http://", "https://")):
            href = html.escape(url, quote=True)
            return (
                f'<a href="{href}" target="_blank" rel="noopener noreferrer" '
                f'class="nk-src nk-src-{html.escape(str(source.get("kind")), quote=True)}">{label}</a>'
            )
        return label
    raw = str(source)
    out, pos = [], 0
    for match in _URL.finditer(raw):
        url = match.group(0).rstrip(".,;)")
        out.append(html.escape(raw[pos : match.start()]))
        href = html.escape(url, quote=True)
        out.append(f'<a href="{href}" target="_blank" rel="noopener noreferrer">{href}</a>')
        pos = match.start() + len(url)
    out.append(html.escape(raw[pos:]))
    return "".join(out)


def _present(props: dict[str, Any], key: str) -> bool:
    return text(props.get(key)) != ""


def derived_front_name(props: Any, lang: str) -> str | None:
    """The name of a front line derived from the control areas (`kind` "front_derived", named in English by
    nkmap.model.timeline / the HTML export: "Front line from 27 Sep 2020 ...", "Front line 27 Sep 2020 - ...") in
    `lang`, from its dates; None for any other feature or a line without its dates."""
    if props.get("kind") != "front_derived" or not isinstance(props.get("valid_from"), dt.date):
        return None
    m = messages_for(lang)
    start, end = props["valid_from"], props.get("valid_to")
    if str(props.get("name_en") or "").startswith("Front line from") or not isinstance(end, dt.date):
        return m._("Front line from {date} (derived from the control areas)", date=m.short_day(start))
    return m._(
        "Front line {start} – {end} (derived from the control areas)", start=m.short_day(start), end=m.short_day(end)
    )


def feature_name(props: dict[str, Any], lang: str = "en") -> str:
    """A feature's name for readers of `lang` (plain text): an event's headline in that language, a place's name by
    the policy of `place_names.place_label`; English: `name_en` (or the id)."""
    if lang == "en":
        return str(props.get("name_en") or props.get("id") or "")
    front = derived_front_name(props, lang)
    if front:
        return front
    title = text_in(props, "name_en", EVENT_FIELDS, lang) if "summary_en" in props else None
    if title:
        return str(title)
    area = text_in(props, "name_en", CONTROL_FIELDS, lang)  # a control area's name ("Şuşa (Şuşi) ətrafı")
    if isinstance(area, str) and area:
        return area
    return place_label(props, lang)


def names_html(props: dict[str, Any], lang: str = "en") -> str:
    """The name as a heading (English: `name_en`; other languages: `feature_name`), then the Azerbaijani and Armenian
    names where the data has them."""
    m = messages_for(lang)
    heading = text(props.get("name_en")) or text(props.get("id")) if lang == "en" else text(feature_name(props, lang))
    parts = [f'<div class="nk-title">{heading}</div>']
    others = []
    if _present(props, "name_az"):
        others.append('<span lang="az">' + m._("Azerbaijani: {name}", name=text(props["name_az"])) + "</span>")
    if _present(props, "name_hy"):
        others.append('<span lang="hy">' + m._("Armenian: {name}", name=text(props["name_hy"])) + "</span>")
    if others:
        parts.append(f'<div class="nk-names">{" · ".join(others)}</div>')
    return "".join(parts)


def dates_html(props: dict[str, Any], event: bool = False, lang: str = "en") -> str:
    """'On 8 November 2020' for an event; 'From … to …' / 'From …' for a state that holds over time."""
    m = messages_for(lang)
    start, end = props.get("valid_from"), props.get("valid_to")
    if not text(start):
        return ""
    first = text(long_date(start, lang))
    if event:
        return '<div class="nk-dates">' + m._("On {date}", date=first) + "</div>"
    if text(end):
        last = text(long_date(end, lang))
        return '<div class="nk-dates">' + m._("From {start} to {end} (inclusive)", start=first, end=last) + "</div>"
    return '<div class="nk-dates">' + m._("From {start}", start=first) + "</div>"


def attribution(props: dict[str, Any], key: str, lang: str = "en") -> str:
    """Who claimed, acknowledged or denied (`key`) in `lang`: the record's translation, else its English."""
    said = text_in(props, key, ATTRIBUTION_FIELDS, lang) if lang != "en" else None
    return text(said) if text(said) else text(props.get(key))


def claims_html(props: dict[str, Any], lang: str = "en") -> str:
    """Who claimed it and when, who acknowledged or denied it and when; only what the data says, nothing
    inferred. Who said it in `lang` where the record has the translation (`claimed_by_hy` ...)."""
    m = messages_for(lang)
    rows = []
    if _present(props, "change"):
        rows.append(m._("Change: {change}", change=text(change_word(props["change"], lang))))
    if _present(props, "claimed_by"):
        who = attribution(props, "claimed_by", lang)
        if _present(props, "claimed_on"):
            rows.append(m._("Claimed by {who} on {date}", who=who, date=text(long_date(props["claimed_on"], lang))))
        else:
            rows.append(m._("Claimed by {who}", who=who))
    if _present(props, "acknowledged_by"):
        who = attribution(props, "acknowledged_by", lang)
        if _present(props, "acknowledged_on"):
            day = text(long_date(props["acknowledged_on"], lang))
            rows.append(m._("Acknowledged by {who} on {date}", who=who, date=day))
        else:
            rows.append(m._("Acknowledged by {who}", who=who))
    if _present(props, "denied_by"):
        who = attribution(props, "denied_by", lang)
        if _present(props, "denied_on"):
            rows.append(m._("Denied by {who} on {date}", who=who, date=text(long_date(props["denied_on"], lang))))
        else:
            rows.append(m._("Denied by {who}", who=who))
    if _present(props, "support"):
        level = str(props["support"])
        why = f": {text(props['support_note'])}" if _present(props, "support_note") else ""
        rows.append(
            f'<span class="nk-support nk-support-{text(level)}">{text(support_words(m).get(level, level))}</span>{why}'
        )
    if not rows:
        return ""
    return '<div class="nk-claims">' + "<br>".join(rows) + "</div>"


def wording_html(props: dict[str, Any], lang: str = "en") -> str:
    """The summary, then each side's own wording where it differs (in `lang` where the record has it)."""
    m = messages_for(lang)
    parts = []
    summary = props.get("summary_en") if lang == "en" else text_in(props, "summary_en", EVENT_FIELDS, lang)
    if text(summary) or (lang != "en" and _present(props, "summary_en")):
        parts.append(f'<div class="nk-summary">{text(summary or props.get("summary_en"))}</div>')
    for key, label in (
        ("wording_az", m._("Azerbaijani side: {wording}")),
        ("wording_hy", m._("Armenian side: {wording}")),
    ):
        if _present(props, key):
            said = props[key] if lang == "en" else text_in(props, key, EVENT_FIELDS, lang) or props[key]
            parts.append(f'<div class="nk-wording">{label.format(wording=text(said))}</div>')
    return "".join(parts)


def history_html(props: dict[str, Any], lang: str = "en") -> str:
    """A place's sourced history (each entry's date and text, in `lang` where the record translates it) and how
    the map models its change."""
    m = messages_for(lang)
    rows = []
    for item in props.get("history") or []:
        if isinstance(item, dict) and text(item.get("text_en")):
            when = text(long_date(item.get("date"), lang)) if text(item.get("date")) else ""
            said = text_in(item, "text_en", HISTORY_FIELDS, lang) or item["text_en"]
            rows.append(f"<li>{when + ': ' if when else ''}{text(said)}</li>")
    parts = []
    if _present(props, "capture_claimed_on"):
        parts.append(m._("Capture claimed on {date}", date=text(long_date(props["capture_claimed_on"], lang))))
    if _present(props, "capture_modelled_on"):
        day = text(long_date(props["capture_modelled_on"], lang))
        if _present(props, "change_kind"):
            kind = text(change_word(props["change_kind"], lang))
            parts.append(m._("On this map it changes hands on {date} ({kind})", date=day, kind=kind))
        else:
            parts.append(m._("On this map it changes hands on {date}", date=day))
    out = ""
    if parts:
        out += '<div class="nk-claims">' + "<br>".join(parts) + "</div>"
    if rows:
        out += '<div class="nk-history">' + m._("History:") + "<ul>" + "".join(rows) + "</ul></div>"
    return out


def sources_html(sources: Iterable[Any], lang: str = "en") -> str:
    m = messages_for(lang)
    items = [f"<li>{source_html(s)}</li>" for s in sources if isinstance(s, dict) or str(s).strip()]
    if not items:
        return '<div class="nk-sources">' + m._("Sources: none given") + "</div>"
    return '<div class="nk-sources">' + m._("Sources:") + "<ol>" + "".join(items) + "</ol></div>"


def precision_html(props: dict[str, Any], lang: str = "en") -> str:
    m = messages_for(lang)
    precision = str(props.get("precision") or "")
    note = precision_notes(m).get(precision, precision or m._("not stated"))
    return '<div class="nk-precision">' + m._("Precision: {note}", note=text(note)) + "</div>"


def popup_html(props: dict[str, Any], event: bool = False, extra: Iterable[str] = (), lang: str = "en") -> str:
    """The full popup of one feature. `extra` is already-escaped HTML lines (e.g. an area) placed after the dates."""
    m = messages_for(lang)
    sources = props.get("sources") or []
    if isinstance(sources, str):
        sources = [sources]
    parts = [
        names_html(props, lang),
        dates_html(props, event=event, lang=lang),
        *extra,
        wording_html(props, lang),
        claims_html(props, lang),
        history_html(props, lang),
    ]
    if _present(props, "status"):
        status = text(change_word(props["status"], lang))
        parts.append('<div class="nk-note">' + m._("Status: {status}", status=status) + "</div>")
    for key in ("note", "model_note", "location_note"):
        if _present(props, key):
            parts.append(f'<div class="nk-note">{text(props[key])}</div>')
    parts += [precision_html(props, lang), sources_html(sources, lang)]
    return '<div class="nk-popup">' + "".join(p for p in parts if p) + "</div>"


def tooltip_html(props: dict[str, Any], extra: str = "", lang: str = "en") -> str:
    """A one- or two-line hover label: the names, and an already-escaped `extra` line."""
    if lang != "en":
        line = text(feature_name(props, lang))
        return line + (f"<br>{extra}" if extra else "")
    names = [text(props.get("name_en")) or text(props.get("id"))]
    local = " / ".join(t for t in (text(props.get("name_az")), text(props.get("name_hy"))) if t)
    line = names[0] + (f' <span class="nk-local">({local})</span>' if local else "")
    return line + (f"<br>{extra}" if extra else "")


def event_item_html(props: dict[str, Any], lang: str = "en") -> str:
    """An event as a list item of the "On this date" panel: name, summary, claims, sources (escaped); one form for
    the app's panel and the explorer's."""
    m = messages_for(lang)
    parts = [f"<b>{text(feature_name(props, lang) if lang != 'en' else props.get('name_en'))}</b>"]
    summary = props.get("summary_en") if lang == "en" else text_in(props, "summary_en", EVENT_FIELDS, lang)
    if text(summary or props.get("summary_en")):
        parts.append(text(summary or props.get("summary_en")))
    claims = claims_html(props, lang)
    if claims:
        parts.append(claims)
    sources = props.get("sources") or []
    if sources:
        links = "; ".join(source_html(s) for s in sources)
        summary = m._("Sources ({count})", count=len(sources))
        parts.append(f"<details><summary>{summary}</summary>{links}</details>")
    return "<li>" + "<br>".join(parts) + "</li>"
