"""The page's side panel as HTML: "On this date" (the map's state in words, events, what changed hands that day and
since the key date before it, the places whose capture was announced that day, km² held and the change since the war
began) and the legend (what each colour and line means). All data text is escaped (popups.text).

The panel is the map's text equivalent: who holds what, what changed and how well each change is sourced are all
said in words (nkmap.text.state_text), so a reader who cannot see the colours follows the war too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from nkmap.data.dataset import Dataset
from nkmap.data.memo import RecentMemo
from nkmap.data.translations import EVENT_FIELDS, text_in
from nkmap.model import compare, gazetteer, timeline
from nkmap.text import popups, state_text, style
from nkmap.text.messages import messages_for
from nkmap.text.place_names import place_label
from nkmap.web import mapview

#: Up to this many announced places the list is open; a longer one (74 on 9 November 2020) folds.
ANNOUNCED_OPEN = 12
# Panels kept, each a day in a language (~3-10 kB): a class steps through a few dozen dates, and every session on
# the same date shares its panel; the whole timeline in four languages would be ~5,000.
PANELS_KEPT = 256

PANEL_CSS = """
<style>
.nk-panel { font-size: 15px; line-height: 1.4; }
.nk-panel h4 { font-size: 17px; margin: 0 0 4px 0; padding: 0; }
.nk-panel .nk-key { font-weight: 600; margin-bottom: 6px; }
.nk-panel .nk-muted { color: #555; font-size: 13px; }
.nk-panel ul { margin: 2px 0 8px 0; padding-left: 18px; }
.nk-panel li { margin-bottom: 4px; }
.nk-panel table { border-collapse: collapse; width: 100%; margin: 4px 0 8px 0; font-size: 14px; }
.nk-panel td, .nk-panel th { padding: 2px 4px; text-align: left; border-bottom: 1px solid #e5e5e5; }
.nk-panel td.num, .nk-panel th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.nk-panel details { font-size: 12px; color: #444; }
.nk-panel details.nk-announced, .nk-panel details.nk-since-list { font-size: 14px; color: inherit; margin-bottom: 6px; }
.nk-panel details.nk-announced summary, .nk-panel details.nk-since-list summary { cursor: pointer; }
.nk-panel .nk-district { font-size: 13px; font-weight: 600; color: #333; margin-top: 2px; }
.nk-panel .nk-state { margin: 2px 0 8px 0; }
.nk-legend { font-size: 14px; line-height: 1.3; }
.nk-legend .row { display: flex; align-items: center; gap: 8px; margin: 3px 0; }
.nk-legend .sw { box-sizing: border-box; }
</style>
"""


def _rgba(color: str, alpha: float) -> str:
    """'#rrggbb' as rgba() with `alpha` (other colour strings are returned unchanged)."""
    c = color.lstrip("#")
    if len(c) == 6:
        try:
            r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
            return f"rgba({r},{g},{b},{alpha})"
        except ValueError:
            pass
    return color


def _swatch(kind: str, color: str, dash: str | None, fill_opacity: float = 0.45, hatch: str | None = None) -> str:
    """A small sample of the symbol: filled box (area), dot (point) or line; dashed lines drawn dashed.

    Plain styled spans, because st.html strips SVG."""
    c = popups.text(color)
    border = "dashed" if dash else "solid"
    if dash and dash.split()[0] in ("1", "2"):
        border = "dotted"
    if kind == "area" and hatch:  # claimed / disputed ground: hatched, as on the exported maps
        angles = ["45deg", "-45deg"] if "x" in hatch else ["45deg"]
        lines = ",".join(f"repeating-linear-gradient({a},{c} 0 1px,transparent 1px 4px)" for a in angles)
        css = f"width:24px;height:13px;background:{lines},#f4f4f4;border:2px {border} {c};"
    elif kind == "area":
        fill = popups.text(_rgba(color, fill_opacity))
        css = f"width:24px;height:13px;background:{fill};border:2px {border} {c};"
    elif kind == "point":
        css = f"width:12px;height:12px;margin:0 7px;border-radius:50%;background:{c};border:1px solid #222;"
    else:
        css = f"width:26px;height:0;border-top:3px {border} {c};"
    return f'<span class="sw" style="display:inline-block;flex:none;{css}"></span>'


def legend_html(ds: Dataset, layers: list[str], palette: str = "default", lang: str = "en") -> str:
    """What each colour and line of the visible layers means, as a box drawn on the map itself (so it is on
    screen, and in screenshots, whenever the map is). The sides' colours are always shown; the other symbols
    fold away (open by default on wide maps) so the box never hides the region on a small screen."""
    m = messages_for(lang)
    key: list[str] = []
    rows: list[str] = []
    for entry in style.legend_entries(ds, layers, palette, lang):
        row = (
            f'<div class="row">{_swatch(entry["kind"], entry["color"], entry.get("dash"), hatch=entry.get("hatch"))}'
            f"<span>{popups.text(entry['label'])}</span></div>"
        )
        on_key = entry["layer"] in ("control", "support") and entry["kind"] == "area"
        (key if on_key else rows).append(row)
    if "control" in layers:
        changed = popups.words(m._("Changed hands on the date shown (outlined in the new holder's colour)"))
        key.append(
            f'<div class="row">{_swatch("area", "#555555", mapview.CHANGES_STYLE["dashArray"], 0.12)}'
            f"<span>{changed}</span></div>"
        )
    if "countries" in layers:
        base = popups.text(
            m._(
                "Base map: country borders and names drawn by nkmap; "
                "OpenStreetMap tiles only when switched on in the sidebar."
            )
        )
        rows.append(f'<div class="row"><span class="nk-muted">{base}</span></div>')
    if not rows and not key:
        none = popups.text(m._("No layer is switched on."))
        return f'<div class="nk-legend"><span class="nk-muted">{none}</span></div>'
    other = popups.text(m._("Other symbols"))
    more = f'<details class="nk-more"><summary>{other}</summary>{"".join(rows)}</details>' if rows else ""
    return '<div class="nk-legend">' + "".join(key) + more + "</div>"


def areas_table(ds: Dataset, day: dt.date, lang: str = "en") -> str:
    m = messages_for(lang)
    areas = timeline.areas_on(ds, day)
    change = timeline.area_change_since_war(ds, day)
    eve = timeline.WAR_START - dt.timedelta(days=1)
    rows = []
    for side, info in ds.sides.items():
        if info.get("outside_region"):  # held outside the region only (Armenia): not part of the region's figures
            continue
        name = (
            info.get("short_en", info.get("label_en", side)) if lang == "en" else state_text.side_name(ds, side, lang)
        )
        held = f"{areas.get(side, 0):,.0f} km²" if lang == "en" else m.km2(areas.get(side, 0))
        rows.append(
            f"<tr><td>{popups.text(name)}</td>"
            f'<td class="num">{popups.text(held) if lang != "en" else held}</td>'
            f'<td class="num">{popups.text(popups.km2_change(change.get(side, 0.0), lang)) if day >= timeline.WAR_START else "&ndash;"}</td></tr>'
        )
    eve_text = f"{eve:%d %B %Y}" if lang == "en" else m.day(eve)
    compared = popups.text(m._("Compared with {date}, the eve of the war", date=eve_text))
    since = popups.text(m._("Since {date}", date="27 Sep 2020" if lang == "en" else m.short_day(timeline.WAR_START)))
    held_by, area_head = popups.text(m._("Held by")), popups.text(m._("Area"))
    head = f'<tr><th>{held_by}</th><th class="num">{area_head}</th><th class="num" title="{compared}">{since}</th></tr>'
    explained = popups.text(
        m._(
            "Area of the modelled region (former NKAO and the seven surrounding districts) "
            "each side held, in km² (approximate; an equal-area projection). The change compares with the eve of "
            "the war, 26 September 2020."
        )
    )
    note = f'<div class="nk-muted">{explained}</div>'
    abroad = timeline.held_in_country_km2(ds, day, "azerbaijan", "country-arm")
    if abroad >= 0.5:
        area = f"{abroad:,.0f} km²" if lang == "en" else m.km2(abroad)
        outside = m._(
            "Outside the region: about {area} of Armenia held by Azerbaijani forces "
            "(schematic; the figures each government gives are in the change areas' notes).",
            area=area,
        )
        note += f'<div class="nk-muted">{popups.text(outside) if lang != "en" else outside}</div>'
    label = m._("Area each side held on {date}", date=popups.long_date(day, lang))
    return f'<table aria-label="{popups.text(label)}">{head}{"".join(rows)}</table>{note}'


def on_this_date_html(ds: Dataset, day: dt.date, lang: str = "en") -> str:
    """The panel for `day`: key date, that day's events (or the latest before it), what changed hands,
    the areas held and their change since the war began (made once per day and language, PANELS_KEPT kept)."""
    return ds.caches(DatepanelCaches).panels.get_or_make((day, lang), lambda: _on_this_date_html(ds, day, lang))


@dataclass
class DatepanelCaches:
    """The panels most recently made for a dataset (`Dataset.caches(DatepanelCaches)`)."""

    panels: RecentMemo[tuple[dt.date, str], str] = field(default_factory=lambda: RecentMemo(PANELS_KEPT))


def _on_this_date_html(ds: Dataset, day: dt.date, lang: str) -> str:
    m = messages_for(lang)
    heading = popups.text(m._("On {date}", date=popups.long_date(day, lang)))
    out = [PANEL_CSS, '<div class="nk-panel">', f"<h4>{heading}</h4>"]
    keys = [state_text.key_date_label(ds, k, lang) for k in ds.key_dates if k.date == day]
    for label in keys:
        out.append(f'<div class="nk-key">{popups.text(label)}</div>')
    held = state_text.held_sentence(ds, day, lang)
    unconfirmed = state_text.unconfirmed_sentence(ds, day, lang)
    state = " ".join(t for t in (held, unconfirmed) if t)
    if state:
        out.append(f'<p class="nk-state">{popups.text(state)}</p>')
    events = timeline.events_on(ds, day)
    if not events.empty:
        when = events["valid_from"].iloc[0]
        if when == day:
            on_day = popups.text(m._("Events on this date"))
            out.append(f"<div><b>{on_day}</b></div>")
        else:
            latest = popups.text(m._("Latest events before this date"))
            out.append(f"<div><b>{latest}</b> ({popups.text(popups.long_date(when, lang))})</div>")
        out.append(
            "<ul>"
            + "".join(popups.event_item_html(mapview.row_props(row), lang) for _, row in events.iterrows())
            + "</ul>"
        )
    else:
        none = popups.text(m._("No recorded event on or before this date."))
        out.append(f'<div class="nk-muted">{none}</div>')
    context = timeline.layer_on(ds, "context", day) if "context" in ds.layers else None
    if context is not None and not context.empty:
        why = popups.text(m._("(what explains the war without moving the line)"))
        title = popups.text(m._("Context"))
        out.append(f'<div><b>{title}</b> <span class="nk-muted">{why}</span></div>')
        # Folded to its titles: the context lasts weeks, so it would resend the same long text on every date step;
        # each title opens its summary, and the marker's popup on the map carries the sources.
        records = context.to_dict("records")
        items = [
            f"<li><details><summary>{popups.text(_in(r, 'name_en', lang))}</summary>"
            f"{popups.text(_in(r, 'summary_en', lang))}</details></li>"
            for r in records
        ]
        out.append("<ul>" + "".join(items) + "</ul>")
    changes = timeline.changes_on(ds, day)
    if not changes.empty:
        km2 = {c.feature_id: c.area_km2 for c in compare.changes_between(ds, day - dt.timedelta(days=1), day)}
        items = []
        for _, row in changes.iterrows():
            props = mapview.row_props(row)
            side_id = cast(str, props.get("side"))
            side = (
                ds.sides.get(side_id, {}).get("short_en", props.get("side"))
                if lang == "en"
                else state_text.side_name(ds, side_id, lang)
            )
            size = f" ({popups.text(popups.fmt_km2(km2[props['id']], lang=lang))})" if props.get("id") in km2 else ""
            claims = popups.claims_html(props, lang)
            name = f"<b>{popups.text(props.get('name_en') if lang == 'en' else popups.feature_name(props, lang))}</b>{size}"
            line = (
                f"{name} to {popups.text(side)}"
                if lang == "en"
                else m._("{name} to {side}", name=name, side=popups.text(side))
            )
            items.append(f"<li>{line}{'<br>' + claims if claims else ''}</li>")
        changed = popups.text(m._("Changed hands on this date"))
        out.append(f"<div><b>{changed}</b></div><ul>" + "".join(items) + "</ul>")
    out.append(since_key_date_html(ds, day, lang))
    out.append(announced_html(ds, day, lang))
    out.append(areas_table(ds, day, lang))
    out.append("</div>")
    return "".join(out)


def _in(record: dict, english_key: str, lang: str) -> object:
    """An event's text in `lang` (its English where the record has no translation)."""
    return (text_in(record, english_key, EVENT_FIELDS, lang) if lang != "en" else None) or record.get(english_key)


def since_key_date_html(ds: Dataset, day: dt.date, lang: str = "en") -> str:
    """What changed since the key date before `day` (that day included): each side's net gain or loss, how many
    areas changed hands and how well sourced, and the list (dated, km², support; folded when long). '' before
    the first key date."""
    key = compare.key_date_before(ds, day)
    if key is None:
        return ""
    changes = compare.changes_between(ds, key.date, day)
    heading = state_text.since_heading(key, lang, state_text.key_date_label(ds, key, lang))
    parts = [
        f"<div><b>{popups.text(heading)}</b></div>",
        f"<div>{popups.text(state_text.net_change_sentence(ds, key.date, day, lang))}</div>",
    ]
    summary = popups.text(state_text.changes_summary(changes, lang))
    if changes:
        items = "".join(f"<li>{popups.text(state_text.change_line(ds, c, lang=lang))}</li>" for c in changes)
        opened = " open" if len(changes) <= ANNOUNCED_OPEN else ""
        parts.append(f'<details class="nk-since-list"{opened}><summary>{summary}</summary><ul>{items}</ul></details>')
    else:
        parts.append(f"<div>{summary}</div>")
    return '<div class="nk-since">' + "".join(parts) + "</div>"


def announced_html(ds: Dataset, day: dt.date, lang: str = "en") -> str:
    """The places whose capture Azerbaijan announced on `day` (gazetteer.announced_on), grouped by district; each
    is a claim, and the map may date the change differently (the place's card says why). '' when none."""
    m = messages_for(lang)
    try:
        items = gazetteer.announced_on(ds, day)
    except KeyError:  # a dataset without a places layer
        return ""
    if not items:
        return ""
    not_recorded = m._("District not recorded")
    groups: dict[str, list[str]] = {}
    for a in items:
        if lang == "en":
            name = popups.text(a.name_en)
            if a.name_az and gazetteer.fold(a.name_az).split()[:1] != gazetteer.fold(a.name_en).split()[:1]:
                name += f' <span class="nk-muted" lang="az">({popups.text(a.name_az)})</span>'
        else:
            rec = gazetteer.place(ds, a.place_id).props if a.place_id else {"name_en": a.name_en, "name_az": a.name_az}
            name = popups.text(place_label(rec, lang))
        if a.place_id is None:
            unplaced = popups.text(m._("(not on the map: no sourced position)"))
            name += f' <span class="nk-muted">{unplaced}</span>'
        elif a.modelled_on and a.modelled_on != a.claimed_on:
            later = m._("(changes hands on the map on {date})", date=popups.long_date(a.modelled_on, lang))
            name += f' <span class="nk-muted">{popups.text(later)}</span>'
        groups.setdefault(a.district or not_recorded, []).append(f"<li>{name}</li>")
    body = "".join(
        f'<div class="nk-district">{_district(d, not_recorded, lang)} ({len(names)})</div><ul>{"".join(names)}</ul>'
        for d, names in groups.items()
    )
    count = len(items)
    head_text = m.ngettext(
        "Azerbaijan announced the capture of {n} place on this date",
        "Azerbaijan announced the capture of {n} places on this date",
        count,
    )
    note = popups.words(m._("(claims; each place's card gives what the other side said)"))
    head = f'<b>{popups.text(head_text)}</b> <span class="nk-muted">{note}</span>'
    return (
        f'<details class="nk-announced"{" open" if count <= ANNOUNCED_OPEN else ""}>'
        f"<summary>{head}</summary>{body}</details>"
    )


def _district(name: str, not_recorded: str, lang: str) -> str:
    if name == not_recorded:
        return popups.text(name)
    if lang == "en":
        return f"{popups.text(name)} district"
    return popups.text(messages_for(lang)._("{district} district", district=name))
