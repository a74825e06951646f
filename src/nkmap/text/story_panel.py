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
from nkmap.data.translations import STEP_FIELDS, STORY_FIELDS, text_in
from nkmap.model import compare, timeline
from nkmap.text import popups, style
from nkmap.text.messages import messages_for
from nkmap.text.place_names import place_label
from nkmap.text.state_text import side_name


def label_html(place: story.PlaceNames, lang: str = "en") -> str:
    """'Shusha / Shushi' over 'Şuşa · Shushi (Շուշի)': the English name, then the Azerbaijani and Armenian ones;
    in another language the place's name by `place_names.place_label` ('Şuşa (Şuşi)')."""
    if lang != "en":
        return popups.text(place_label(_props(place), lang))
    local = " · ".join(popups.text(n) for n in (place.name_az, place.name_hy) if n)
    return popups.text(place.name_en) + (f'<br><span class="nk-local">{local}</span>' if local else "")


def _props(place: story.PlaceNames) -> dict[str, object]:
    return {
        "id": place.id,
        "name_en": place.name_en,
        "name_az": place.name_az,
        "name_hy": place.name_hy,
        **dict(place.labels),
    }


def counter_html(number: int, total: int, lang: str = "en") -> str:
    counter = messages_for(lang)._("Step {n} of {total}", n=number, total=total)
    return f'<div class="nk-counter" data-step="{number}">{popups.text(counter)}</div>'


def _swatch(color: str) -> str:
    return f'<span class="nk-sw" style="background:{popups.text(color)}"></span>'


def names_html(places: list[story.PlaceNames], lang: str = "en") -> str:
    """The step's places as a small table: English, Azerbaijani and Armenian names side by side."""
    if not places:
        return ""
    m = messages_for(lang)
    rows = "".join(
        f'<tr><td>{popups.text(p.name_en)}</td><td lang="az">{popups.text(p.name_az) or "&ndash;"}</td>'
        f'<td lang="hy">{popups.text(p.name_hy) or "&ndash;"}</td></tr>'
        for p in places
    )
    head = "".join(f"<th>{popups.text(h)}</th>" for h in (m._("English"), m._("Azerbaijani"), m._("Armenian")))
    return f'<table class="nk-names"><tr>{head}</tr>{rows}</table>'


def areas_html(ds: Dataset, day: dt.date, palette: str, lang: str = "en") -> str:
    """Area each side held on `day` on this map (modelled), with the side's colour."""
    rows = []
    for side, km2 in timeline.areas_on(ds, day).items():
        if km2 <= 0:
            continue
        rows.append(
            f'<div class="row">{_swatch(style.side_color(ds, side, palette))}'
            f"<span>{popups.text(side_name(ds, side, lang))}:</span>"
            f'<span class="num">{popups.text(popups.fmt_km2(km2, lang=lang))}</span></div>'
        )
    note = popups.text(messages_for(lang)._("Areas on this map (modelled, approximate)."))
    return '<div class="nk-areas">' + "".join(rows) + f'<div class="nk-muted">{note}</div></div>'


def sources_html(sources: list[str], lang: str = "en") -> str:
    items = "".join(f"<li>{popups.source_html(s)}</li>" for s in sources)
    summary = popups.text(messages_for(lang)._("Sources ({count})", count=len(sources)))
    return f'<details class="nk-sources"><summary>{summary}</summary><ol>{items}</ol></details>'


def step_texts(st_story: story.Story, step: story.Step, lang: str = "en") -> tuple[str, str, str]:
    """The step's title and caption and the story's title in `lang` (the English where the file has none)."""
    texts = step.texts()
    title = text_in(texts, "title_en", STEP_FIELDS, lang) or step.title
    caption = text_in(texts, "caption_en", STEP_FIELDS, lang) or step.caption
    story_title = text_in(st_story.texts(), "title_en", STORY_FIELDS, lang) or st_story.title
    return str(title), str(caption), str(story_title)


def step_html(ds: Dataset, st_story: story.Story, step: story.Step, palette: str = "default", lang: str = "en") -> str:
    """The panel beside the map: date, title, caption, the places' names in three languages, each side's wording
    where they differ, the areas held, and the sources (collapsed: they are for the teacher, not the back row)."""
    m = messages_for(lang)
    az, hy = story.step_wording(ds, step)
    if lang != "en":
        az, hy = _wording_in(ds, step, lang, az, hy)
    wording = ""
    if az:
        who = popups.text(m._("Azerbaijani side:"))
        wording += f'<div class="nk-wording"><span class="nk-who">{who}</span> {popups.text(az)}</div>'
    if hy:
        who = popups.text(m._("Armenian side:"))
        wording += f'<div class="nk-wording"><span class="nk-who">{who}</span> {popups.text(hy)}</div>'
    title, caption, story_title = step_texts(st_story, step, lang)
    story_line = m._("Story: {title} ({file})", title=popups.text(story_title), file=popups.text(st_story.file))
    return (
        f'<div class="nk-step" data-step="{step.number}" data-date="{step.day.isoformat()}">'
        f'<div class="nk-date">{popups.text(popups.long_date(step.day, lang))}</div>'
        f'<div class="nk-title">{popups.text(title)}</div>'
        f'<div class="nk-caption">{popups.text(caption)}</div>'
        f"{wording}{names_html(story.step_places(ds, step), lang)}{areas_html(ds, step.day, palette, lang)}"
        f"{sources_html(story.step_sources(ds, step), lang)}"
        f'<div class="nk-muted">{story_line}</div>'
        "</div>"
    )


def _wording_in(
    ds: Dataset, step: story.Step, lang: str, az: str | None, hy: str | None
) -> tuple[str | None, str | None]:
    """Each side's wording (as `story.step_wording` picks it) in `lang`: the step's own translation, else that of
    its first event; the English where neither has one."""
    if step.wording_az or step.wording_hy:
        texts = step.texts()
    else:
        texts = story.feature_props(ds, story.EVENTS_LAYER, step.events[0]) or {} if step.events else {}
    az_in = text_in(texts, "wording_az", STEP_FIELDS, lang) if az else None
    hy_in = text_in(texts, "wording_hy", STEP_FIELDS, lang) if hy else None
    return (str(az_in) if az_in else az), (str(hy_in) if hy_in else hy)


def compare_html(ds: Dataset, earlier: dt.date, later: dt.date, palette: str = "default", lang: str = "en") -> str:
    """Beside the two maps: what changed hands between the dates, in km² by direction, and each side's net change."""
    m = messages_for(lang)
    earlier, later = compare.ordered(earlier, later)
    moves = compare.transfers(ds, earlier, later)
    span = m._(
        "From {start} to {end}",
        start=popups.text(popups.long_date(earlier, lang)),
        end=popups.text(popups.long_date(later, lang)),
    )
    head = f'<div class="nk-head">{span}</div>'
    if moves:
        total = sum(t.area_km2 for t in moves)
        items = "".join(
            f'<li><span class="big">{popups.text(popups.fmt_km2(t.area_km2, lang=lang))}</span><br>'
            f"{_swatch(style.side_color(ds, t.from_side, palette))} {popups.text(side_name(ds, t.from_side, lang))} "
            f"&rarr; {_swatch(style.side_color(ds, t.to_side, palette))} {popups.text(side_name(ds, t.to_side, lang))}</li>"
            for t in moves
        )
        changed = popups.text(m._("Changed hands:"))
        body = (
            f'<div><span class="nk-sw" style="background:{compare.HIGHLIGHT["fillColor"]};border-style:dashed"></span> '
            f'{changed} <span class="big" data-total-km2="{total:.1f}">{popups.text(popups.fmt_km2(total, lang=lang))}</span></div>'
            f"<ul>{items}</ul>"
        )
    else:
        nothing = popups.text(m._("No land changed hands between these dates."))
        body = f'<div class="big" data-total-km2="0">{nothing}</div>'
    net = "".join(
        f'<div class="row">{_swatch(style.side_color(ds, side, palette))}<span>{popups.text(side_name(ds, side, lang))}:</span>'
        f'<span class="num">{popups.text(popups.km2_change(v, lang))}</span></div>'
        for side, v in compare.net_change(ds, earlier, later).items()
        if abs(v) >= 0.05 or timeline.areas_on(ds, later).get(side, 0) > 0
    )
    modelled = popups.text(
        m._(
            "Areas are modelled from dated, sourced claims and handovers (approximate). "
            "The maps move together: pan or zoom either one."
        )
    )
    note = f'<div class="nk-muted">{modelled}</div>'
    net_head = popups.text(m._("Net change"))
    return f'<div class="nk-compare">{head}{body}<div class="nk-areas"><b>{net_head}</b>{net}</div>{note}</div>'


def area_head_html(ds: Dataset, day: dt.date, palette: str = "default", lang: str = "en") -> str:
    parts = [
        f'<span style="white-space:nowrap">{_swatch(style.side_color(ds, s, palette))} '
        f"{popups.text(side_name(ds, s, lang))}: <b>{popups.text(popups.fmt_km2(v, lang=lang))}</b></span>"
        for s, v in timeline.areas_on(ds, day).items()
        if v > 0
    ]
    return (
        f'<div class="nk-area-head" data-date="{day.isoformat()}"><b>{popups.text(popups.long_date(day, lang))}</b> '
        f"&nbsp; {' &nbsp; '.join(parts)}</div>"
    )
