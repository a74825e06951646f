"""The classroom's text beside the map, as escaped HTML: a story step's panel (date, title, caption, the places'
names in English, Azerbaijani and Armenian, each side's wording, the areas held, the sources), the compare summary
and the area chart's heading.

Shared by the app's Classroom page (nkmap.web.presenter) and the static classroom page (nkmap.export.export_classroom),
so both read alike. Every value that comes from data or a story file passes through `popups.text` before it is
placed in markup.
"""

from __future__ import annotations

import datetime as dt

from nkmap.data import story
from nkmap.data.dataset import Dataset
from nkmap.model import compare, timeline
from nkmap.text import popups, style


def label_html(place: story.PlaceNames) -> str:
    """'Shusha / Shushi' over 'Şuşa · Shushi (Շուշի)': the English name, then the Azerbaijani and Armenian ones."""
    local = " · ".join(popups.text(n) for n in (place.name_az, place.name_hy) if n)
    return popups.text(place.name_en) + (f'<br><span class="nk-local">{local}</span>' if local else "")


def counter_html(number: int, total: int) -> str:
    return f'<div class="nk-counter" data-step="{number}">Step {number} of {total}</div>'


def _swatch(color: str) -> str:
    return f'<span class="nk-sw" style="background:{popups.text(color)}"></span>'


def names_html(places: list[story.PlaceNames]) -> str:
    """The step's places as a small table: English, Azerbaijani and Armenian names side by side."""
    if not places:
        return ""
    rows = "".join(
        f'<tr><td>{popups.text(p.name_en)}</td><td lang="az">{popups.text(p.name_az) or "&ndash;"}</td>'
        f'<td lang="hy">{popups.text(p.name_hy) or "&ndash;"}</td></tr>'
        for p in places
    )
    return f'<table class="nk-names"><tr><th>English</th><th>Azerbaijani</th><th>Armenian</th></tr>{rows}</table>'


def areas_html(ds: Dataset, day: dt.date, palette: str) -> str:
    """Area each side held on `day` on this map (modelled), with the side's colour."""
    rows = []
    for side, km2 in timeline.areas_on(ds, day).items():
        if km2 <= 0:
            continue
        rows.append(
            f'<div class="row">{_swatch(style.side_color(ds, side, palette))}'
            f"<span>{popups.text(compare.side_label(ds, side))}:</span>"
            f'<span class="num">{popups.text(popups.fmt_km2(km2))}</span></div>'
        )
    return (
        '<div class="nk-areas">'
        + "".join(rows)
        + '<div class="nk-muted">Areas on this map (modelled, approximate).</div></div>'
    )


def sources_html(sources: list[str]) -> str:
    items = "".join(f"<li>{popups.source_html(s)}</li>" for s in sources)
    return f'<details class="nk-sources"><summary>Sources ({len(sources)})</summary><ol>{items}</ol></details>'


def step_html(ds: Dataset, st_story: story.Story, step: story.Step, palette: str = "default") -> str:
    """The panel beside the map: date, title, caption, the places' names in three languages, each side's wording
    where they differ, the areas held, and the sources (collapsed: they are for the teacher, not the back row)."""
    az, hy = story.step_wording(ds, step)
    wording = ""
    if az:
        wording += f'<div class="nk-wording"><span class="nk-who">Azerbaijani side:</span> {popups.text(az)}</div>'
    if hy:
        wording += f'<div class="nk-wording"><span class="nk-who">Armenian side:</span> {popups.text(hy)}</div>'
    return (
        f'<div class="nk-step" data-step="{step.number}" data-date="{step.day.isoformat()}">'
        f'<div class="nk-date">{popups.text(popups.long_date(step.day))}</div>'
        f'<div class="nk-title">{popups.text(step.title)}</div>'
        f'<div class="nk-caption">{popups.text(step.caption)}</div>'
        f"{wording}{names_html(story.step_places(ds, step))}{areas_html(ds, step.day, palette)}"
        f"{sources_html(story.step_sources(ds, step))}"
        f'<div class="nk-muted">Story: {popups.text(st_story.title)} ({popups.text(st_story.file)})</div>'
        "</div>"
    )


def compare_html(ds: Dataset, earlier: dt.date, later: dt.date, palette: str = "default") -> str:
    """Beside the two maps: what changed hands between the dates, in km² by direction, and each side's net change."""
    earlier, later = compare.ordered(earlier, later)
    moves = compare.transfers(ds, earlier, later)
    head = (
        f'<div class="nk-head">From {popups.text(popups.long_date(earlier))} '
        f"to {popups.text(popups.long_date(later))}</div>"
    )
    if moves:
        total = sum(t.area_km2 for t in moves)
        items = "".join(
            f'<li><span class="big">{popups.text(popups.fmt_km2(t.area_km2))}</span><br>'
            f"{_swatch(style.side_color(ds, t.from_side, palette))} {popups.text(compare.side_label(ds, t.from_side))} "
            f"&rarr; {_swatch(style.side_color(ds, t.to_side, palette))} {popups.text(compare.side_label(ds, t.to_side))}</li>"
            for t in moves
        )
        body = (
            f'<div><span class="nk-sw" style="background:{compare.HIGHLIGHT["fillColor"]};border-style:dashed"></span> '
            f'Changed hands: <span class="big" data-total-km2="{total:.1f}">{popups.text(popups.fmt_km2(total))}</span></div>'
            f"<ul>{items}</ul>"
        )
    else:
        body = '<div class="big" data-total-km2="0">No land changed hands between these dates.</div>'
    net = "".join(
        f'<div class="row">{_swatch(style.side_color(ds, side, palette))}<span>{popups.text(compare.side_label(ds, side))}:</span>'
        f'<span class="num">{popups.text(popups.km2_change(v))}</span></div>'
        for side, v in compare.net_change(ds, earlier, later).items()
        if abs(v) >= 0.05 or timeline.areas_on(ds, later).get(side, 0) > 0
    )
    note = (
        '<div class="nk-muted">Areas are modelled from dated, sourced claims and handovers (approximate). '
        "The maps move together: pan or zoom either one.</div>"
    )
    return f'<div class="nk-compare">{head}{body}<div class="nk-areas"><b>Net change</b>{net}</div>{note}</div>'


def area_head_html(ds: Dataset, day: dt.date, palette: str = "default") -> str:
    parts = [
        f'<span style="white-space:nowrap">{_swatch(style.side_color(ds, s, palette))} '
        f"{popups.text(compare.side_label(ds, s))}: <b>{popups.text(popups.fmt_km2(v))}</b></span>"
        for s, v in timeline.areas_on(ds, day).items()
        if v > 0
    ]
    return (
        f'<div class="nk-area-head" data-date="{day.isoformat()}"><b>{popups.text(popups.long_date(day))}</b> '
        f"&nbsp; {' &nbsp; '.join(parts)}</div>"
    )
