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
from nkmap.model import compare, timeline
from nkmap.text.popups import SUPPORT_WORDS, fmt_km2, long_date

#: Support levels in the order a summary names them.
SUPPORT_ORDER = ("confirmed", "claimed", "disputed")


def support_word(level: str | None) -> str:
    """'confirmed', 'claimed by one side only', 'disputed'; 'not graded' when the data gives no level."""
    return SUPPORT_WORDS.get(level, level).lower() if level else "not graded"


def support_summary(changes: Iterable[compare.ChangeOfHands]) -> str:
    """'3 confirmed, 2 claimed by one side only' (levels in SUPPORT_ORDER, then any other, then the ungraded;
    '' for no changes)."""
    counts = Counter(c.support for c in changes)
    rank = {level: i for i, level in enumerate(SUPPORT_ORDER)}
    levels = sorted(counts, key=lambda level: (rank.get(level, len(rank)) if level else len(rank) + 1, level or ""))
    return ", ".join(f"{counts[level]} {support_word(level)}" for level in levels)


def change_line(ds: Dataset, change: compare.ChangeOfHands, with_date: bool = True) -> str:
    """'8 Nov 2020: Area around Shusha / Shushi, 8.0 km², to Azerbaijan (confirmed)'."""
    when = f"{change.day.day} {change.day:%b %Y}: " if with_date else ""
    return (
        f"{when}{change.name_en}, {fmt_km2(change.area_km2)}, to {compare.side_label(ds, change.to_side)} "
        f"({support_word(change.support)})"
    )


def held_sentence(ds: Dataset, day: dt.date) -> str:
    """Who held how much of the region: 'Artsakh / Armenian forces held 8,966 km² of the region, Azerbaijan
    3,923 km² and Russian peacekeepers none.' (sides outside the region, such as Armenia, are not counted)."""
    areas = timeline.areas_on(ds, day)
    parts = []
    for side, info in ds.sides.items():
        if info.get("outside_region"):
            continue
        km2 = areas.get(side, 0.0)
        parts.append((compare.side_label(ds, side), fmt_km2(km2) if km2 >= 0.05 else "none"))
    if not parts:
        return ""
    first = f"{parts[0][0]} held {parts[0][1]} of the region"
    rest = [f"{label} {value}" for label, value in parts[1:]]
    if not rest:
        return first + "."
    return first + ", " + (", ".join(rest[:-1]) + " and " if len(rest) > 1 else "") + rest[-1] + "."


def unconfirmed_sentence(ds: Dataset, day: dt.date) -> str:
    """The ground whose holder on `day` rests on one side's claim only or on disputed sources (hatched on the map):
    'Of that, 1,234 km² rests on one side's claim only and 12 km² is disputed (hatched on the map).' '' when none."""
    support = timeline.support_on(ds, day)
    km2 = {str(level): float(area) for level, area in zip(support["support"], support["area_km2"])}
    parts = []
    if km2.get("claimed", 0.0) >= 0.05:
        parts.append(f"{fmt_km2(km2['claimed'])} rests on one side's claim only")
    if km2.get("disputed", 0.0) >= 0.05:
        parts.append(f"{fmt_km2(km2['disputed'])} is disputed")
    if not parts:
        return ""
    return "Of that, " + " and ".join(parts) + " (hatched on the map)."


def since_heading(key: KeyDate) -> str:
    """'Since 25 October 2020 (Qubadli / Kashunik claimed by Azerbaijan)'."""
    return f"Since {long_date(key.date)} ({key.label_en})"


def net_change_sentence(ds: Dataset, earlier: dt.date, later: dt.date) -> str:
    """Each side's gain or loss in the region between the dates, gains first: 'Azerbaijan gained 722 km²,
    Artsakh / Armenian forces lost 722 km².' or 'No change in the area each side held in the region.'"""
    net = compare.net_change(ds, earlier, later)
    moved = sorted(
        ((side, km2) for side, km2 in net.items() if abs(km2) >= 0.5 and not ds.sides[side].get("outside_region")),
        key=lambda item: -item[1],
    )
    if not moved:
        return "No change in the area each side held in the region."
    return (
        ", ".join(
            f"{compare.side_label(ds, side)} {'gained' if km2 > 0 else 'lost'} {fmt_km2(abs(km2))}"
            for side, km2 in moved
        )
        + "."
    )


def changes_summary(changes: list[compare.ChangeOfHands]) -> str:
    """'51 areas changed hands (10 confirmed, 41 claimed by one side only).' or 'Nothing changed hands.'"""
    if not changes:
        return "Nothing changed hands."
    count = len(changes)
    return f"{count} area{'s' if count != 1 else ''} changed hands ({support_summary(changes)})."
