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

PRECISION_NOTES = {
    "exact": "exact (from a surveyed or published boundary)",
    "approximate": "approximate (edges may be several km off)",
    "schematic": "schematic (shows the idea, not the ground)",
}
_URL = re.compile(r"https?://[^\s<>\"']+")

SUPPORT_WORDS = {
    "confirmed": "Confirmed",
    "claimed": "Claimed by one side only",
    "disputed": "Disputed",
}


def fmt_km2(value: float, signed: bool = False) -> str:
    """'1,234 km²' (whole km² from 10 up, one decimal below); `signed`: '+1,234 km²' / '-0.4 km²'."""
    sign = "+" if signed else ""
    return f"{value:{sign},.0f} km²" if abs(value) >= 10 else f"{value:{sign},.1f} km²"


def km2_change(value: float) -> str:
    """A change of area: 'no change' under 0.05 km², else signed ('+4,318 km²')."""
    return "no change" if abs(value) < 0.05 else fmt_km2(value, signed=True)


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


def long_date(value: Any) -> str:
    """'10 November 2020' from a date or an ISO string; other text unchanged (not escaped)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10]) if len(value) >= 10 else value
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
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


def names_html(props: dict[str, Any]) -> str:
    """The English name as a heading, then the Azerbaijani and Armenian names where the data has them."""
    parts = [f'<div class="nk-title">{text(props.get("name_en")) or text(props.get("id"))}</div>']
    others = []
    if _present(props, "name_az"):
        others.append(f'<span lang="az">Azerbaijani: {text(props["name_az"])}</span>')
    if _present(props, "name_hy"):
        others.append(f'<span lang="hy">Armenian: {text(props["name_hy"])}</span>')
    if others:
        parts.append(f'<div class="nk-names">{" · ".join(others)}</div>')
    return "".join(parts)


def dates_html(props: dict[str, Any], event: bool = False) -> str:
    """'On 8 November 2020' for an event; 'From … to …' / 'From …' for a state that holds over time."""
    start, end = props.get("valid_from"), props.get("valid_to")
    if not text(start):
        return ""
    if event:
        return f'<div class="nk-dates">On {text(long_date(start))}</div>'
    if text(end):
        return f'<div class="nk-dates">From {text(long_date(start))} to {text(long_date(end))} (inclusive)</div>'
    return f'<div class="nk-dates">From {text(long_date(start))}</div>'


def claims_html(props: dict[str, Any]) -> str:
    """Who claimed it and when, who acknowledged it and when; only what the data says, nothing inferred."""
    rows = []
    if _present(props, "change"):
        rows.append(f"Change: {text(str(props['change']).replace('_', ' '))}")
    if _present(props, "claimed_by"):
        when = f" on {text(long_date(props['claimed_on']))}" if _present(props, "claimed_on") else ""
        rows.append(f"Claimed by {text(props['claimed_by'])}{when}")
    if _present(props, "acknowledged_by"):
        when = f" on {text(long_date(props['acknowledged_on']))}" if _present(props, "acknowledged_on") else ""
        rows.append(f"Acknowledged by {text(props['acknowledged_by'])}{when}")
    if _present(props, "support"):
        level = str(props["support"])
        why = f": {text(props['support_note'])}" if _present(props, "support_note") else ""
        rows.append(
            f'<span class="nk-support nk-support-{text(level)}">{text(SUPPORT_WORDS.get(level, level))}</span>{why}'
        )
    if not rows:
        return ""
    return '<div class="nk-claims">' + "<br>".join(rows) + "</div>"


def wording_html(props: dict[str, Any]) -> str:
    """The summary, then each side's own wording where it differs."""
    parts = []
    if _present(props, "summary_en"):
        parts.append(f'<div class="nk-summary">{text(props["summary_en"])}</div>')
    if _present(props, "wording_az"):
        parts.append(f'<div class="nk-wording">Azerbaijani side: {text(props["wording_az"])}</div>')
    if _present(props, "wording_hy"):
        parts.append(f'<div class="nk-wording">Armenian side: {text(props["wording_hy"])}</div>')
    return "".join(parts)


def history_html(props: dict[str, Any]) -> str:
    """A place's sourced history (each entry's date and English text) and how the map models its change."""
    rows = []
    for item in props.get("history") or []:
        if isinstance(item, dict) and text(item.get("text_en")):
            when = text(long_date(item.get("date"))) if text(item.get("date")) else ""
            rows.append(f"<li>{when + ': ' if when else ''}{text(item['text_en'])}</li>")
    parts = []
    if _present(props, "capture_claimed_on"):
        parts.append(f"Capture claimed on {text(long_date(props['capture_claimed_on']))}")
    if _present(props, "capture_modelled_on"):
        kind = f" ({text(str(props['change_kind']).replace('_', ' '))})" if _present(props, "change_kind") else ""
        parts.append(f"On this map it changes hands on {text(long_date(props['capture_modelled_on']))}{kind}")
    out = ""
    if parts:
        out += '<div class="nk-claims">' + "<br>".join(parts) + "</div>"
    if rows:
        out += '<div class="nk-history">History:<ul>' + "".join(rows) + "</ul></div>"
    return out


def sources_html(sources: Iterable[Any]) -> str:
    items = [f"<li>{source_html(s)}</li>" for s in sources if isinstance(s, dict) or str(s).strip()]
    if not items:
        return '<div class="nk-sources">Sources: none given</div>'
    return '<div class="nk-sources">Sources:<ol>' + "".join(items) + "</ol></div>"


def precision_html(props: dict[str, Any]) -> str:
    precision = str(props.get("precision") or "")
    note = PRECISION_NOTES.get(precision, precision or "not stated")
    return f'<div class="nk-precision">Precision: {text(note)}</div>'


def popup_html(props: dict[str, Any], event: bool = False, extra: Iterable[str] = ()) -> str:
    """The full popup of one feature. `extra` is already-escaped HTML lines (e.g. an area) placed after the dates."""
    sources = props.get("sources") or []
    if isinstance(sources, str):
        sources = [sources]
    parts = [
        names_html(props),
        dates_html(props, event=event),
        *extra,
        wording_html(props),
        claims_html(props),
        history_html(props),
    ]
    if _present(props, "status"):
        parts.append(f'<div class="nk-note">Status: {text(str(props["status"]).replace("_", " "))}</div>')
    for key in ("note", "model_note", "location_note"):
        if _present(props, key):
            parts.append(f'<div class="nk-note">{text(props[key])}</div>')
    parts += [precision_html(props), sources_html(sources)]
    return '<div class="nk-popup">' + "".join(p for p in parts if p) + "</div>"


def tooltip_html(props: dict[str, Any], extra: str = "") -> str:
    """A one- or two-line hover label: the names, and an already-escaped `extra` line."""
    names = [text(props.get("name_en")) or text(props.get("id"))]
    local = " / ".join(t for t in (text(props.get("name_az")), text(props.get("name_hy"))) if t)
    line = names[0] + (f' <span class="nk-local">({local})</span>' if local else "")
    return line + (f"<br>{extra}" if extra else "")


def event_item_html(props: dict[str, Any]) -> str:
    """An event as a list item of the "On this date" panel: name, summary, claims, sources (escaped); one form for
    the app's panel and the explorer's."""
    parts = [f"<b>{text(props.get('name_en'))}</b>"]
    if text(props.get("summary_en")):
        parts.append(text(props.get("summary_en")))
    claims = claims_html(props)
    if claims:
        parts.append(claims)
    sources = props.get("sources") or []
    if sources:
        links = "; ".join(source_html(s) for s in sources)
        parts.append(f"<details><summary>Sources ({len(sources)})</summary>{links}</details>")
    return "<li>" + "<br>".join(parts) + "</li>"
