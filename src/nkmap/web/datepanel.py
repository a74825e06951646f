"""The page's side panel as HTML: "On this date" (the map's state in words, events, what changed hands that day and
since the key date before it, the places whose capture was announced that day, km² held and the change since the war
began) and the legend (what each colour and line means). All data text is escaped (popups.text).

The panel is the map's text equivalent: who holds what, what changed and how well each change is sourced are all
said in words (nkmap.text.state_text), so a reader who cannot see the colours follows the war too.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from nkmap.data.dataset import Dataset
from nkmap.model import compare, gazetteer, timeline
from nkmap.text import popups, state_text, style
from nkmap.web import mapview

#: Up to this many announced places the list is open; a longer one (74 on 9 November 2020) folds.
ANNOUNCED_OPEN = 12

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


def legend_html(ds: Dataset, layers: list[str], palette: str = "default") -> str:
    """What each colour and line of the visible layers means, as a box drawn on the map itself (so it is on
    screen, and in screenshots, whenever the map is). The sides' colours are always shown; the other symbols
    fold away (open by default on wide maps) so the box never hides the region on a small screen."""
    key: list[str] = []
    rows: list[str] = []
    for entry in style.legend_entries(ds, layers, palette):
        row = (
            f'<div class="row">{_swatch(entry["kind"], entry["color"], entry.get("dash"), hatch=entry.get("hatch"))}'
            f"<span>{popups.text(entry['label'])}</span></div>"
        )
        on_key = entry["layer"] in ("control", "support") and entry["kind"] == "area"
        (key if on_key else rows).append(row)
    if "control" in layers:
        changed = (
            f'<div class="row">{_swatch("area", "#555555", mapview.CHANGES_STYLE["dashArray"], 0.12)}'
            "<span>Changed hands on the date shown (outlined in the new holder's colour)</span></div>"
        )
        key.append(changed)
    if "countries" in layers:
        rows.append(
            '<div class="row"><span class="nk-muted">Base map: country borders and names drawn by nkmap; '
            "OpenStreetMap tiles only when switched on in the sidebar.</span></div>"
        )
    if not rows and not key:
        return '<div class="nk-legend"><span class="nk-muted">No layer is switched on.</span></div>'
    more = f'<details class="nk-more"><summary>Other symbols</summary>{"".join(rows)}</details>' if rows else ""
    return '<div class="nk-legend">' + "".join(key) + more + "</div>"


def areas_table(ds: Dataset, day: dt.date) -> str:
    areas = timeline.areas_on(ds, day)
    change = timeline.area_change_since_war(ds, day)
    eve = timeline.WAR_START - dt.timedelta(days=1)
    rows = []
    for side, info in ds.sides.items():
        if info.get("outside_region"):  # held outside the region only (Armenia): not part of the region's figures
            continue
        rows.append(
            f"<tr><td>{popups.text(info.get('short_en', info.get('label_en', side)))}</td>"
            f'<td class="num">{areas.get(side, 0):,.0f} km²</td>'
            f'<td class="num">{popups.text(popups.km2_change(change.get(side, 0.0))) if day >= timeline.WAR_START else "&ndash;"}</td></tr>'
        )
    head = (
        f'<tr><th>Held by</th><th class="num">Area</th>'
        f'<th class="num" title="Compared with {eve:%d %B %Y}, the eve of the war">Since 27 Sep 2020</th></tr>'
    )
    note = (
        '<div class="nk-muted">Area of the modelled region (former NKAO and the seven surrounding districts) '
        "each side held, in km² (approximate; an equal-area projection). The change compares with the eve of "
        "the war, 26 September 2020.</div>"
    )
    abroad = timeline.held_in_country_km2(ds, day, "azerbaijan", "country-arm")
    if abroad >= 0.5:
        note += (
            f'<div class="nk-muted">Outside the region: about {abroad:,.0f} km² of Armenia held by Azerbaijani '
            "forces (schematic; the figures each government gives are in the change areas' notes).</div>"
        )
    label = f"Area each side held on {popups.long_date(day)}"
    return f'<table aria-label="{popups.text(label)}">{head}{"".join(rows)}</table>{note}'


def on_this_date_html(ds: Dataset, day: dt.date) -> str:
    """The panel for `day`: key date, that day's events (or the latest before it), what changed hands,
    the areas held and their change since the war began."""
    out = [PANEL_CSS, '<div class="nk-panel">', f"<h4>On {popups.text(popups.long_date(day))}</h4>"]
    keys = [k.label_en for k in ds.key_dates if k.date == day]
    for label in keys:
        out.append(f'<div class="nk-key">{popups.text(label)}</div>')
    state = " ".join(t for t in (state_text.held_sentence(ds, day), state_text.unconfirmed_sentence(ds, day)) if t)
    if state:
        out.append(f'<p class="nk-state">{popups.text(state)}</p>')
    events = timeline.events_on(ds, day)
    if not events.empty:
        when = events["valid_from"].iloc[0]
        if when == day:
            out.append("<div><b>Events on this date</b></div>")
        else:
            out.append(f"<div><b>Latest events before this date</b> ({popups.text(popups.long_date(when))})</div>")
        out.append(
            "<ul>" + "".join(popups.event_item_html(mapview.row_props(row)) for _, row in events.iterrows()) + "</ul>"
        )
    else:
        out.append('<div class="nk-muted">No recorded event on or before this date.</div>')
    context = timeline.layer_on(ds, "context", day) if "context" in ds.layers else None
    if context is not None and not context.empty:
        out.append(
            '<div><b>Context</b> <span class="nk-muted">(what explains the war without moving the line)</span></div>'
        )
        # Folded to its titles: the context lasts weeks, so it would resend the same long text on every date step;
        # each title opens its summary, and the marker's popup on the map carries the sources.
        items = [
            f"<li><details><summary>{popups.text(name)}</summary>{popups.text(summary)}</details></li>"
            for name, summary in zip(context["name_en"], context["summary_en"])
        ]
        out.append("<ul>" + "".join(items) + "</ul>")
    changes = timeline.changes_on(ds, day)
    if not changes.empty:
        km2 = {c.feature_id: c.area_km2 for c in compare.changes_between(ds, day - dt.timedelta(days=1), day)}
        items = []
        for _, row in changes.iterrows():
            props = mapview.row_props(row)
            side = ds.sides.get(cast(str, props.get("side")), {}).get("short_en", props.get("side"))
            size = f" ({popups.text(popups.fmt_km2(km2[props['id']]))})" if props.get("id") in km2 else ""
            items.append(
                f"<li><b>{popups.text(props.get('name_en'))}</b>{size} to {popups.text(side)}"
                f"{'<br>' + popups.claims_html(props) if popups.claims_html(props) else ''}</li>"
            )
        out.append("<div><b>Changed hands on this date</b></div><ul>" + "".join(items) + "</ul>")
    out.append(since_key_date_html(ds, day))
    out.append(announced_html(ds, day))
    out.append(areas_table(ds, day))
    out.append("</div>")
    return "".join(out)


def since_key_date_html(ds: Dataset, day: dt.date) -> str:
    """What changed since the key date before `day` (that day included): each side's net gain or loss, how many
    areas changed hands and how well sourced, and the list (dated, km², support; folded when long). '' before
    the first key date."""
    key = compare.key_date_before(ds, day)
    if key is None:
        return ""
    changes = compare.changes_between(ds, key.date, day)
    parts = [
        f"<div><b>{popups.text(state_text.since_heading(key))}</b></div>",
        f"<div>{popups.text(state_text.net_change_sentence(ds, key.date, day))}</div>",
    ]
    summary = popups.text(state_text.changes_summary(changes))
    if changes:
        items = "".join(f"<li>{popups.text(state_text.change_line(ds, c))}</li>" for c in changes)
        opened = " open" if len(changes) <= ANNOUNCED_OPEN else ""
        parts.append(f'<details class="nk-since-list"{opened}><summary>{summary}</summary><ul>{items}</ul></details>')
    else:
        parts.append(f"<div>{summary}</div>")
    return '<div class="nk-since">' + "".join(parts) + "</div>"


def announced_html(ds: Dataset, day: dt.date) -> str:
    """The places whose capture Azerbaijan announced on `day` (gazetteer.announced_on), grouped by district; each
    is a claim, and the map may date the change differently (the place's card says why). '' when none."""
    try:
        items = gazetteer.announced_on(ds, day)
    except KeyError:  # a dataset without a places layer
        return ""
    if not items:
        return ""
    groups: dict[str, list[str]] = {}
    for a in items:
        name = popups.text(a.name_en)
        if a.name_az and gazetteer.fold(a.name_az).split()[:1] != gazetteer.fold(a.name_en).split()[:1]:
            name += f' <span class="nk-muted" lang="az">({popups.text(a.name_az)})</span>'
        if a.place_id is None:
            name += ' <span class="nk-muted">(not on the map: no sourced position)</span>'
        elif a.modelled_on and a.modelled_on != a.claimed_on:
            name += f' <span class="nk-muted">(changes hands on the map on {popups.text(popups.long_date(a.modelled_on))})</span>'
        groups.setdefault(a.district or "District not recorded", []).append(f"<li>{name}</li>")
    body = "".join(
        f'<div class="nk-district">{popups.text(d)}{" district" if d != "District not recorded" else ""} '
        f"({len(names)})</div><ul>{''.join(names)}</ul>"
        for d, names in groups.items()
    )
    count = len(items)
    head = (
        f"<b>Azerbaijan announced the capture of {count} place{'s' if count != 1 else ''} on this date</b> "
        '<span class="nk-muted">(claims; each place\'s card gives what the other side said)</span>'
    )
    return (
        f'<details class="nk-announced"{" open" if count <= ANNOUNCED_OPEN else ""}>'
        f"<summary>{head}</summary>{body}</details>"
    )
