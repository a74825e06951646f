"""What the page shows, as plain data: the date, the visible layers, the map view, the palette and the play
period and the place whose card is open, read from and written to the URL
(`?date=2020-11-10&layers=control,lachin_corridor&view=39.8,46.7,9&place=place-shusha-susa`).

Kept out of app.py so the rules (what is valid, what a bad value falls back to) are plain functions with
tests; every bad value yields a warning that says what was wrong and what is shown instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from nkmap.data.dataset import Dataset
from nkmap.model import timeline
from nkmap.model.periods import DEFAULT_SPEED, SPEEDS, Period, Speed, jump_targets, period_for, periods
from nkmap.model.worded import N_, WordedError
from nkmap.text import style
from nkmap.text.error_text import worded
from nkmap.text.messages import DEFAULT_LANGUAGE, LANGUAGES, Messages, messages_for, parse_language
from nkmap.text.timeline_labels import jump_label, period_label, speed_label
from nkmap.web import mapview
from nkmap.web.place_finder import from_link

VIEW_DECIMALS = 4
# Periods, speeds and jump targets live in nkmap.model.periods (the standalone explorer offers the same ones), their
# labels in the interface's language in nkmap.text.timeline_labels.
__all__ = [
    "DEFAULT_SPEED",
    "SPEEDS",
    "Period",
    "Speed",
    "jump_label",
    "jump_targets",
    "period_for",
    "period_label",
    "periods",
    "speed_label",
]


@dataclass
class PageState:
    day: dt.date
    layers: list[str]
    view: tuple[float, float, int] | None = None  # lat, lon, zoom
    palette: str = "default"
    warnings: list[str] = field(default_factory=list)
    place: str | None = None  # a place id (nkmap.model.gazetteer)
    lang: str = DEFAULT_LANGUAGE  # the interface's language (nkmap.text.messages.LANGUAGES)


def default_layers(ds: Dataset) -> list[str]:
    return [s.id for s in ds.layer_specs if s.display and s.default_visible]


def _first(value) -> str:
    """st.query_params gives the last value of a repeated key; plain dicts may hold lists."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return "" if value is None else str(value)


def parse_layers(text: str, ds: Dataset, m: Messages | None = None) -> tuple[list[str], list[str]]:
    """Layer ids from 'a,b,c' in manifest order; unknown ids are reported (in `m`'s language), not fatal."""
    m = m or messages_for(DEFAULT_LANGUAGE)
    known = [s.id for s in ds.layer_specs if s.display]
    asked = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in asked if t not in known]
    chosen = [lid for lid in known if lid in asked]
    warnings = []
    if unknown:
        shown = ", ".join(u if len(u) <= 30 else u[:30] + "..." for u in unknown[:5])
        warnings.append(
            m._("Unknown layer(s) in the link: {shown}. Known layers: {known}.", shown=shown, known=", ".join(known))
        )
    return chosen, warnings


# A plain decimal number as a link writes it: ASCII digits, an optional sign and point; no exponent, no 'inf'/'nan',
# no other scripts' digits (str.isdigit() accepts '²', which int() refuses).
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,12}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})")


class LinkValueError(WordedError, ValueError):
    """A value of a link the page cannot use; the message says why (worded in the page's language)."""


def parse_decimal(text: str) -> float:
    """A finite decimal number from a link, or LinkValueError naming the text."""
    raw = text.strip()
    if not _DECIMAL.fullmatch(raw):
        shown = raw if len(raw) <= 20 else raw[:20] + "..."
        raise LinkValueError(N_("'{value}' is not a plain number"), value=shown)
    value = float(raw)
    if not math.isfinite(value):  # unreachable with at most 12 digits, kept as the rule
        raise LinkValueError(N_("'{value}' is not a finite number"), value=raw)
    return value


def parse_step_number(text: str, total: int) -> int:
    """A story step from a link: ASCII digits, 1 to `total`; ValueError otherwise."""
    raw = (text or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or not 1 <= int(raw) <= total:
        raise ValueError(f"Step '{raw[:20]}' in the link is not 1 to {total}")
    return int(raw)


def parse_view(text: str) -> tuple[float, float, int]:
    """'lat,lon,zoom' inside the map's limits, or LinkValueError saying what is wrong."""
    parts = text.split(",")
    if len(parts) != 3:
        raise LinkValueError(N_("expected lat,lon,zoom"))
    lat, lon = parse_decimal(parts[0]), parse_decimal(parts[1])
    zoom_value = parse_decimal(parts[2])
    if zoom_value != int(zoom_value):
        raise LinkValueError(N_("zoom must be a whole number"))
    zoom = int(zoom_value)
    if not (-85 <= lat <= 85 and -180 <= lon <= 180):
        raise LinkValueError(N_("latitude or longitude out of range"))
    if not mapview.MIN_ZOOM <= zoom <= mapview.MAX_ZOOM:
        raise LinkValueError(N_("zoom must be {min} to {max}"), min=mapview.MIN_ZOOM, max=mapview.MAX_ZOOM)
    return round(lat, VIEW_DECIMALS), round(lon, VIEW_DECIMALS), zoom


def language_from_query(params: Mapping[str, object]) -> tuple[str | None, list[str]]:
    """The interface language a URL asks for (`?lang=hy`; None when it names none), and a warning when the value
    is no known language (the page then shows English). Both pages read `lang` here."""
    if "lang" not in params:
        return None, []
    raw = _first(params["lang"])
    lang = parse_language(raw)
    if lang is not None:
        return lang, []
    shown = raw if len(raw) <= 20 else raw[:20] + "..."
    return DEFAULT_LANGUAGE, [
        messages_for(DEFAULT_LANGUAGE)._(
            "Unknown language in the link ('{value}'); showing English. Known: {known}.",
            value=shown,
            known=", ".join(LANGUAGES),
        )
    ]


def from_query(params: Mapping[str, object], ds: Dataset, lang: str | None = None) -> PageState:
    """The page state a URL asks for; every bad value falls back (default date, default layers, default
    view) with a warning naming the value, in the language the URL asks for (or `lang` when it asks for none)."""
    asked, warnings = language_from_query(params)
    lang = asked or lang or DEFAULT_LANGUAGE
    m = messages_for(lang)
    day = ds.default_date
    if "date" in params:
        try:
            day = timeline.parse_date(_first(params["date"]), ds)
        except timeline.DateError as exc:
            shown_day = f"{day:%d %B %Y}" if lang == DEFAULT_LANGUAGE else m.day(day)
            warnings.append(
                m._("Date in the link: {problem}. Showing {date} instead.", problem=worded(exc, m), date=shown_day)
            )
    layers = default_layers(ds)
    if "layers" in params:
        chosen, problems = parse_layers(_first(params["layers"]), ds, m)
        warnings += problems
        if chosen or not _first(params["layers"]).strip():
            layers = chosen
        else:
            warnings.append(m._("No known layer in the link; showing the default layers."))
    view = None
    if "view" in params:
        raw = _first(params["view"])
        try:
            view = parse_view(raw)
        except ValueError as exc:
            shown = raw if len(raw) <= 40 else raw[:40] + "..."
            warnings.append(
                m._(
                    "Map view in the link ('{value}'): {problem}. Showing the default view.",
                    value=shown,
                    problem=worded(exc, m),
                )
            )
    palette = "default"
    if "palette" in params:
        raw = _first(params["palette"])
        if raw in style.PALETTES:
            palette = raw
        else:
            warnings.append(m._("Unknown palette in the link; use one of {known}.", known=", ".join(style.PALETTES)))
    place = None
    if "place" in params:
        place, problem = from_link(ds, _first(params["place"]), lang)
        if problem:
            warnings.append(problem)
    return PageState(day, layers, view, palette, warnings, place, lang)


def to_query(state: PageState, ds: Dataset) -> dict[str, str]:
    """The URL parameters for a state (defaults are written too, so a shared link is explicit)."""
    query = {"date": state.day.isoformat(), "layers": ",".join(state.layers)}
    if state.view is not None:
        lat, lon, zoom = state.view
        query["view"] = f"{lat:.{VIEW_DECIMALS}f},{lon:.{VIEW_DECIMALS}f},{zoom}"
    if state.palette != "default":
        query["palette"] = state.palette
    if state.place:
        query["place"] = state.place
    if state.lang != DEFAULT_LANGUAGE:
        query["lang"] = state.lang
    return query


def view_from_map(value: object) -> tuple[float, float, int] | None:
    """(lat, lon, zoom) from st_folium's returned dict, or None when the map has not reported one."""
    if not isinstance(value, dict):
        return None
    center: Any = value.get("center")
    zoom: Any = value.get("zoom")
    try:
        lat, lon, z = float(center["lat"]), float(center["lng"]), int(zoom)
    except (TypeError, KeyError, ValueError):
        return None
    return round(lat, VIEW_DECIMALS), round(lon, VIEW_DECIMALS), z


def step(ds: Dataset, day: dt.date, days: int, period: Period | None = None) -> dt.date:
    """`day` moved by `days`, kept inside the period (or the timeline)."""
    lo, hi = (period.start, period.end) if period else (ds.start, ds.end)
    return min(max(day + dt.timedelta(days=days), lo), hi)
