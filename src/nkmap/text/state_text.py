"""The map's state in words: what the colours, outlines and hatching say on a date, as plain sentences for the
side panel, so a reader who cannot see the map (a screen reader, a text browser) follows the war too.

Plain text: escape (popups.text) before placing it in HTML. Figures come from nkmap.model (timeline, compare),
so they agree with the map and the areas table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable

from nkmap.data.dataset import Dataset, KeyDate
from nkmap.data.translations import CONTROL_FIELDS, KEY_DATE_FIELDS, SIDE_FIELDS, text_in
from nkmap.model import compare, timeline
from nkmap.text.messages import messages_for
from nkmap.text.popups import fmt_km2, long_date, support_words

#: Support levels in the order a summary names them.
SUPPORT_ORDER = ("confirmed", "claimed", "disputed")


def side_name(ds: Dataset, side: str, lang: str = "en") -> str:
    """A side's short label in `lang` ('Artsakh / Armenian forces', 'Artsax / erməni qüvvələri' ...)."""
    if lang == "en":
        return compare.side_label(ds, side)
    info = ds.sides.get(side, {})
    return str(text_in(info, "short_en", SIDE_FIELDS, lang) or text_in(info, "label_en", SIDE_FIELDS, lang) or side)


def support_word(level: str | None, lang: str = "en") -> str:
    """'confirmed', 'claimed by one side only', 'disputed'; 'not graded' when the data gives no level."""
    m = messages_for(lang)
    return support_words(m).get(level, level).lower() if level else m._("not graded")


def support_summary(changes: Iterable[compare.ChangeOfHands], lang: str = "en") -> str:
    """'3 confirmed, 2 claimed by one side only' (levels in SUPPORT_ORDER, then any other, then the ungraded;
    '' for no changes)."""
    counts = Counter(c.support for c in changes)
    rank = {level: i for i, level in enumerate(SUPPORT_ORDER)}
    levels = sorted(counts, key=lambda level: (rank.get(level, len(rank)) if level else len(rank) + 1, level or ""))
    return ", ".join(f"{counts[level]} {support_word(level, lang)}" for level in levels)


def area_name(ds: Dataset, change: compare.ChangeOfHands, lang: str = "en") -> str:
    """A control area's name in `lang` (its `title_<lang>`: 'Şuşa (Şuşi) ətrafı'); the English where it has none."""
    frame = ds.layers.get("control")
    if lang == "en" or frame is None or "id" not in frame:
        return change.name_en
    rows = frame[frame["id"] == change.feature_id]
    title = text_in(rows.iloc[0].to_dict(), "name_en", CONTROL_FIELDS, lang) if len(rows) else None
    return title if isinstance(title, str) and title else change.name_en


def change_line(ds: Dataset, change: compare.ChangeOfHands, with_date: bool = True, lang: str = "en") -> str:
    """'8 Nov 2020: Area around Shusha / Shushi, 8.0 km², to Azerbaijan (confirmed)'."""
    if lang == "en":
        when = f"{change.day.day} {change.day:%b %Y}: " if with_date else ""
        return (
            f"{when}{change.name_en}, {fmt_km2(change.area_km2)}, to {compare.side_label(ds, change.to_side)} "
            f"({support_word(change.support)})"
        )
    m = messages_for(lang)
    line = m._(
        "{name}, {area}, to {side} ({support})",
        name=area_name(ds, change, lang),
        area=fmt_km2(change.area_km2, lang=lang),
        side=side_name(ds, change.to_side, lang),
        support=support_word(change.support, lang),
    )
    return f"{m.short_day(change.day)}: {line}" if with_date else line


def held_sentence(ds: Dataset, day: dt.date, lang: str = "en") -> str:
    """Who held how much of the region: 'Artsakh / Armenian forces held 8,966 km² of the region, Azerbaijan
    3,923 km² and Russian peacekeepers none.' (sides outside the region, such as Armenia, are not counted)."""
    m = messages_for(lang)
    areas = timeline.areas_on(ds, day)
    parts = []
    for side, info in ds.sides.items():
        if info.get("outside_region"):
            continue
        km2 = areas.get(side, 0.0)
        parts.append((side_name(ds, side, lang), fmt_km2(km2, lang=lang) if km2 >= 0.05 else m._("none")))
    if not parts:
        return ""
    first = m._("{side} held {area} of the region", side=parts[0][0], area=parts[0][1])
    rest = [m._("{side} {area}", side=label, area=value) for label, value in parts[1:]]
    if not rest:
        return first + "."
    if len(rest) == 1:
        return m._("{first}, {last}.", first=first, last=rest[0])
    return m._("{first}, {middle} and {last}.", first=first, middle=", ".join(rest[:-1]), last=rest[-1])


def unconfirmed_sentence(ds: Dataset, day: dt.date, lang: str = "en") -> str:
    """The ground whose holder on `day` rests on one side's claim only or on disputed sources (hatched on the map):
    'Of that, 1,234 km² rests on one side's claim only and 12 km² is disputed (hatched on the map).' '' when none."""
    m = messages_for(lang)
    support = timeline.support_on(ds, day)
    km2 = {str(level): float(area) for level, area in zip(support["support"], support["area_km2"])}
    claimed = fmt_km2(km2["claimed"], lang=lang) if km2.get("claimed", 0.0) >= 0.05 else None
    disputed = fmt_km2(km2["disputed"], lang=lang) if km2.get("disputed", 0.0) >= 0.05 else None
    if claimed and disputed:
        return m._(
            "Of that, {claimed} rests on one side's claim only and {disputed} is disputed (hatched on the map).",
            claimed=claimed,
            disputed=disputed,
        )
    if claimed:
        return m._("Of that, {claimed} rests on one side's claim only (hatched on the map).", claimed=claimed)
    if disputed:
        return m._("Of that, {disputed} is disputed (hatched on the map).", disputed=disputed)
    return ""


def key_date_label(ds: Dataset, key: KeyDate, lang: str = "en") -> str:
    """A key date's label in `lang` (the manifest's `label_az` ...; the English where it has none)."""
    if lang == "en":
        return key.label_en
    for raw in ds.manifest.get("key_dates", []):
        if raw.get("label_en") == key.label_en and str(raw.get("date")) == key.date.isoformat():
            return str(text_in(raw, "label_en", KEY_DATE_FIELDS, lang) or key.label_en)
    return key.label_en


def since_heading(key: KeyDate, lang: str = "en", label: str | None = None) -> str:
    """'Since 25 October 2020 (Qubadli / Kashunik claimed by Azerbaijan)'; `label`: the key date's label in `lang`
    (`key_date_label`), else its English."""
    return messages_for(lang)._(
        "Since {date} ({label})", date=long_date(key.date, lang), label=label if label is not None else key.label_en
    )


def net_change_sentence(ds: Dataset, earlier: dt.date, later: dt.date, lang: str = "en") -> str:
    """Each side's gain or loss in the region between the dates, gains first: 'Azerbaijan gained 722 km²,
    Artsakh / Armenian forces lost 722 km².' or 'No change in the area each side held in the region.'"""
    m = messages_for(lang)
    net = compare.net_change(ds, earlier, later)
    moved = sorted(
        ((side, km2) for side, km2 in net.items() if abs(km2) >= 0.5 and not ds.sides[side].get("outside_region")),
        key=lambda item: -item[1],
    )
    if not moved:
        return m._("No change in the area each side held in the region.")
    return (
        ", ".join(
            m._("{side} gained {area}", side=side_name(ds, side, lang), area=fmt_km2(abs(km2), lang=lang))
            if km2 > 0
            else m._("{side} lost {area}", side=side_name(ds, side, lang), area=fmt_km2(abs(km2), lang=lang))
            for side, km2 in moved
        )
        + "."
    )


def changes_summary(changes: list[compare.ChangeOfHands], lang: str = "en") -> str:
    """'51 areas changed hands (10 confirmed, 41 claimed by one side only).' or 'Nothing changed hands.'"""
    m = messages_for(lang)
    if not changes:
        return m._("Nothing changed hands.")
    count = len(changes)
    return m.ngettext(
        "{n} area changed hands ({summary}).",
        "{n} areas changed hands ({summary}).",
        count,
        summary=support_summary(changes, lang),
    )
