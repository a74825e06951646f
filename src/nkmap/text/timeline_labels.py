"""The timeline's choices in the interface's language: the periods the slider covers, the play speeds, the dates to
jump to (nkmap.model.periods) and the pairs of dates to compare (nkmap.model.compare's presets).

The model names them in English; every surface (the app's pages, the standalone HTML export, the static site's
explorer and classroom) words them here, keyed by the model's ids, so they read the same everywhere.
"""

from __future__ import annotations

import datetime as dt

from nkmap.data.dataset import Dataset
from nkmap.data.translations import EVENT_FIELDS, KEY_DATE_FIELDS, text_in
from nkmap.model.compare import Preset
from nkmap.model.periods import Period, Speed
from nkmap.text.messages import DEFAULT_LANGUAGE, messages_for

#: How nkmap.model.periods.jump_targets marks a context event's label.
CONTEXT_MARK = "Context: "


def period_label(period: Period, lang: str = DEFAULT_LANGUAGE) -> str:
    """A period's label in `lang` (nkmap.model.periods names them in English)."""
    if lang == DEFAULT_LANGUAGE:
        return period.label
    m = messages_for(lang)
    labels = {
        "war": m._("War and handovers (Sep - Dec 2020)"),
        "after": m._("War to the last peacekeepers (2020 - 2024)"),
        "offensive": m._("Blockade and 2023 offensive (Dec 2022 - Oct 2023)"),
        "april-2016": m._("The April 2016 fighting (25 Mar - 15 Apr 2016)"),
        "all": m._("Whole timeline ({start} - {end})", start=period.start.year, end=period.end.year),
    }
    return labels.get(period.id, period.label)


def speed_label(speed: Speed, lang: str = DEFAULT_LANGUAGE) -> str:
    """A play speed's label in `lang`."""
    if lang == DEFAULT_LANGUAGE:
        return speed.label
    m = messages_for(lang)
    labels = {
        "day": m._("1 day per second"),
        "day-fast": m._("2 days per second"),
        "week": m._("1 week per second"),
        "month": m._("1 month per second"),
    }
    return labels.get(speed.id, speed.label)


def jump_label(ds: Dataset, target: tuple[dt.date, str], lang: str = DEFAULT_LANGUAGE) -> str:
    """'10 Nov 2020 - what happened' for a jump target, the key date's or event's text in `lang` (plain text)."""
    day, label = target
    if lang == DEFAULT_LANGUAGE:
        return f"{day:%d %b %Y} - {label}"
    return f"{messages_for(lang).short_day(day)} - {_target_text(ds, day, label, lang)}"


def _target_text(ds: Dataset, day: dt.date, label: str, lang: str) -> str:
    for raw in ds.manifest.get("key_dates", []):
        if raw.get("label_en") == label and str(raw.get("date")) == day.isoformat():
            return str(text_in(raw, "label_en", KEY_DATE_FIELDS, lang) or label)
    context = label.startswith(CONTEXT_MARK)
    name = label.removeprefix(CONTEXT_MARK) if context else label
    for layer in ("events", "context"):
        frame = ds.layers.get(layer)
        if frame is None:
            continue
        for row in frame[(frame["name_en"] == name)].to_dict("records"):
            if row.get("valid_from") == day:
                name = str(text_in(row, "name_en", EVENT_FIELDS, lang) or name)
                break
    return messages_for(lang)._("Context: {name}", name=name) if context else name


def preset_label(preset: Preset, lang: str = DEFAULT_LANGUAGE) -> str:
    """A compare preset's label (nkmap.model.compare.PRESETS names them in English) in `lang`."""
    if lang == DEFAULT_LANGUAGE:
        return preset.label
    m = messages_for(lang)
    labels = {
        "war-to-ceasefire": m._("Eve of the war → ceasefire (26 Sep → 10 Nov 2020)"),
        "ceasefire-to-handovers": m._("Ceasefire → the three handovers done (10 Nov → 1 Dec 2020)"),
        "war-to-handovers": m._("Eve of the war → after the handovers (26 Sep → 1 Dec 2020)"),
        "lachin-handover": m._("Lachin / Berdzor handed over (25 → 26 Aug 2022)"),
        "offensive-2023": m._("Before → after the 2023 offensive (18 → 20 Sep 2023)"),
        "line-1994-to-end": m._("1994 line → the end of the timeline"),
    }
    return labels.get(preset.id, preset.label)
