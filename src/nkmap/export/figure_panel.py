"""The static map's side panel: title, date, key date and events, areas per side, legend, period strip and the
precision, sources and credits lines; laid out once, its texts rewritten per date.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from typing import Any

from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from nkmap.export.figure_drawing import dash_style
from nkmap.export.figure_furniture import draw_locator
from nkmap.export.figure_parts import FigureParts
from nkmap.model.timeline import control_on
from nkmap.text import export_text as tx
from nkmap.text.style import legend_symbols


def source_kinds(sources: list[Any]) -> Counter:
    """How many distinct sources of each kind (independent, Azerbaijani side, ...) are cited."""
    seen: dict[Any, str] = {}
    for s in sources:
        if isinstance(s, dict) and s.get("id") is not None:
            seen[s["id"]] = str(s.get("kind"))
    return Counter(seen.values())


def panel_text(mf: FigureParts, x, y, text, size, **kw):
    """Text hung from (x, y) in figure fraction, at a size that scales with the figure."""
    return mf.fig.text(x, y, text, fontsize=mf.fs(size), va="top", **kw)


def line_h(mf: FigureParts, size: float, n: float = 1, spacing: float = 1.28) -> float:
    """Height of n lines of text at `size` (before scaling) in figure fraction."""
    return n * mf.fs(size) * spacing / (mf.fig.get_figheight() * 72)


def wrap(mf: FigureParts, text: str, size: float, width_frac: float) -> list[str]:
    """`text` wrapped to lines that fit `width_frac` of the figure at `size` (Armenian letters run wider)."""
    width_pt = width_frac * mf.fig.get_figwidth() * 72
    char_w = mf.fs(size) * (0.62 if mf.lang == "hy" else 0.55)
    return textwrap.wrap(text, max(int(width_pt / char_w), 10)) or [""]


def fit_size(mf: FigureParts, sample: str, size: float, width_frac: float, bold: bool = False) -> float:
    """The largest size up to `size` at which `sample` (the widest text it will hold) fits `width_frac` of the
    figure."""
    probe = mf.fig.text(0, 0, sample, fontsize=mf.fs(size), fontweight="bold" if bold else "normal")
    width = probe.get_window_extent(mf.canvas.get_renderer()).width / (mf.fig.get_figwidth() * mf.fig.dpi)
    probe.remove()
    return size if width <= width_frac else size * width_frac / width * 0.98


def init_panel(mf: FigureParts) -> None:
    """Lay out the panel once (landscape: beside the map; portrait: under it); the per-date texts start empty."""
    px, py, pw, ph = mf.panel_rect
    landscape = mf.opt.width / mf.opt.height >= 1.2
    # In portrait the panel sits under the map in two columns: texts left, locator and credits right.
    col_w = pw if landscape else pw * 0.55
    x = px
    y = py + ph
    title = wrap(mf, tx.ui("title", mf.lang), 13.5, col_w)
    panel_text(mf, x, y, "\n".join(title), 13.5, fontweight="bold", color="#1a1a1a", linespacing=1.15)
    y -= line_h(mf, 13.5, len(title), 1.2) + line_h(mf, 4)
    date_size = fit_size(mf, tx.widest_date(mf.lang), 21, col_w, bold=True)
    mf.date_text = panel_text(mf, x, y, "", date_size, fontweight="bold", color="#1a1a1a")
    y -= line_h(mf, date_size, 1, 1.2)
    if mf.opt.period:
        init_period_strip(mf, (x, y - line_h(mf, 9, 1.6), col_w * 0.96, line_h(mf, 9, 1.2)), mf.opt.period)
        y -= line_h(mf, 9, 2.6)
    mf.key_width = col_w
    # A key date's label in the map's language (the manifest's label_az, label_hy, label_ru).
    mf.key_labels = {
        (k.date, mf.lang): tx.key_date_label(mf.ds.manifest, k.date, k.label_en, mf.lang) for k in mf.ds.key_dates
    }
    mf.key_text = panel_text(mf, x, y, "", 8.6, color="#333333", linespacing=1.2)
    y -= line_h(mf, 8.6, 3, 1.25) + line_h(mf, 5)

    # Sides: a swatch, the side's name and the area held on the day.
    mf.area_texts = {}
    sides_shown = "control" in mf.layers
    if sides_shown:
        panel_text(mf, x, y, tx.ui("area_heading", mf.lang), 7.6, color="#555555", fontstyle="italic")
        y -= line_h(mf, 7.6, 1, 1.5)
        sw = line_h(mf, 8.8) * mf.opt.height / mf.opt.width * 1.05
        for i, side in enumerate(mf.pieces.sides):
            sh = line_h(mf, 8.8) * 0.8
            mf.fig.add_artist(
                Rectangle(
                    (x, y - sh * 1.05),
                    sw * 1.35,
                    sh,
                    transform=mf.fig.transFigure,
                    facecolor=mf.side_fill[i],
                    edgecolor="#555555",
                    linewidth=0.5 * mf.scale,
                )
            )
            label = wrap(mf, tx.side_label(mf.ds.sides, side, mf.lang), 8.8, col_w * 0.7)
            panel_text(mf, x + sw * 1.9, y, "\n".join(label[:2]), 8.8, color="#1a1a1a", linespacing=1.15)
            mf.area_texts[side] = panel_text(mf, x + col_w, y, "", 8.8, ha="right", color="#1a1a1a", fontweight="bold")
            y -= line_h(mf, 8.8, min(len(label), 2), 1.2) + line_h(mf, 3)
        y -= line_h(mf, 3)

    # Lines and points of the other layers shown.
    y = draw_legend(mf, x, y, col_w)

    # Locator map, then precision, sources and credits at the bottom.
    if landscape:
        credits_h = line_h(mf, 6.2, 9, 1.25)
        loc_h = min(ph * 0.26, y - (py + credits_h) - line_h(mf, 6))
        loc_w = min(col_w, loc_h * mf.opt.height / mf.opt.width * 1.5)
        if loc_h > ph * 0.08:
            draw_locator(mf, (x + col_w - loc_w, py + credits_h + line_h(mf, 4), loc_w, loc_h))
        mf.credit_box = (x, py + credits_h, col_w)
    else:
        rx = px + col_w + pw * 0.04
        rw = pw - col_w - pw * 0.04
        loc_h = ph * 0.45
        loc_w = min(rw, loc_h * mf.opt.height / mf.opt.width * 1.5)
        draw_locator(mf, (rx + rw - loc_w, py + ph - loc_h, loc_w, loc_h))
        mf.credit_box = (rx, py + ph - loc_h - line_h(mf, 6), rw)
    cx, cy, cw = mf.credit_box
    mf.credit_text = panel_text(mf, cx, cy, "", 6.2, color="#444444", linespacing=1.25)


def draw_legend(mf: FigureParts, x: float, y: float, col_w: float) -> float:
    """Swatches for the lines and points of the shown layers from `y` down; returns the y below them."""
    sw = line_h(mf, 8) * mf.opt.height / mf.opt.width * 2.4
    for spec, item in legend_symbols(mf.ds, mf.layers):
        title = tx.layer_title(mf.ds.manifest, spec.id, spec.title, mf.lang)
        label = wrap(mf, tx.legend_label(item, title, mf.lang), 7.4, col_w - sw * 1.3)[:2]
        mid = y - line_h(mf, 7.4) * 0.55
        st = mf.layer_style(spec.id)
        if item.get("kind") == "point":
            marker = "*" if spec.id == "events" else "o"
            size = 9 if spec.id == "events" else 5
            mf.fig.add_artist(
                Line2D(
                    [x + sw * 0.5],
                    [mid],
                    marker=marker,
                    markersize=size * mf.scale,
                    markerfacecolor=st.get("fillColor", item.get("color", "#222222"))
                    if spec.id == "events"
                    else "#ffffff",
                    markeredgecolor=st.get("color", "#222222"),
                    markeredgewidth=0.7 * mf.scale,
                    transform=mf.fig.transFigure,
                )
            )
        elif item.get("hatch"):  # claimed / disputed ground: a hatched, paler box with its dashed edge
            lw = mf.line_width(st)
            h = line_h(mf, 7.4)
            mf.fig.add_artist(
                Rectangle(
                    (x, mid - h * 0.35),
                    sw,
                    h * 0.7,
                    transform=mf.fig.transFigure,
                    facecolor=to_rgba("#bbbbbb", 1.0),
                    edgecolor=item.get("color", "#000"),
                    hatch=item["hatch"],
                    linewidth=lw,
                    linestyle=dash_style({"dashArray": item.get("dash")}, lw),
                )
            )
        else:
            lw = mf.line_width(st)
            if st.get("fillOpacity") and st.get("fillColor") and spec.id != "countries":
                mf.fig.add_artist(
                    Rectangle(
                        (x, mid - line_h(mf, 7.4) * 0.3),
                        sw,
                        line_h(mf, 7.4) * 0.6,
                        transform=mf.fig.transFigure,
                        edgecolor="none",
                        facecolor=to_rgba(st["fillColor"], st["fillOpacity"]),
                    )
                )
            mf.fig.add_artist(
                Line2D(
                    [x, x + sw],
                    [mid, mid],
                    color=item.get("color", st.get("color", "#000")),
                    linewidth=lw,
                    linestyle=dash_style(st, lw),
                    transform=mf.fig.transFigure,
                )
            )
        panel_text(mf, x + sw * 1.3, y, "\n".join(label), 7.4, color="#1a1a1a", linespacing=1.15)
        y -= line_h(mf, 7.4, len(label), 1.2) + line_h(mf, 3.2)
    return y


def init_period_strip(mf: FigureParts, rect, period: tuple[dt.date, dt.date]) -> None:
    """A strip for an animation's period, key dates ticked, with a marker that moves to the shown date."""
    start, end = period
    ax = mf.fig.add_axes(rect)
    ax.set_xlim(start.toordinal(), max(end.toordinal(), start.toordinal() + 1))
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.plot([start.toordinal(), end.toordinal()], [0.5, 0.5], color="#bbbbbb", lw=3 * mf.scale, solid_capstyle="round")
    for key in mf.ds.key_dates:
        if start <= key.date <= end:
            ax.plot([key.date.toordinal()] * 2, [0.25, 0.75], color="#888888", lw=0.8 * mf.scale)
    mf.period_done = ax.plot(
        [start.toordinal()] * 2, [0.5, 0.5], color="#333333", lw=3 * mf.scale, solid_capstyle="round"
    )[0]
    mf.period_marker = ax.plot([start.toordinal()], [0.5], "o", color="#1a1a1a", markersize=6 * mf.scale)[0]
    ax.text(
        0, -0.35, tx.short_date(start, mf.lang), transform=ax.transAxes, fontsize=mf.fs(6.5), va="top", color="#555555"
    )
    ax.text(
        1,
        -0.35,
        tx.short_date(end, mf.lang),
        transform=ax.transAxes,
        fontsize=mf.fs(6.5),
        va="top",
        ha="right",
        color="#555555",
    )


def update_texts(mf: FigureParts, day: dt.date, events, drawn_features) -> None:
    """Rewrite the panel's texts for `day`: date, latest key date or events, areas, period marker, credits."""
    mf.date_text.set_text(tx.format_date(day, mf.lang))
    lines = []
    keys = [k for k in mf.ds.key_dates if k.date <= day]
    if keys:
        key = keys[-1]
        label = mf.key_labels.get((key.date, mf.lang)) or key.label_en
        lines += wrap(mf, tx.latest_key_date(key.date, label, mf.lang), 8.6, mf.key_width)
    if events is not None and len(events):
        when = events["valid_from"].iloc[0]
        names = [tx.event_title(p, mf.lang) for p in events.to_dict("records")]
        if not keys or when != keys[-1].date or mf.lang != "en":
            lines += wrap(mf, tx.events_of(when, names, mf.lang), 8.6, mf.key_width)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][: max(len(lines[-1]) - 1, 1)] + "…"
    mf.key_text.set_text("\n".join(lines))
    if mf.area_texts:
        frame = control_on(mf.ds, day)
        areas = dict(zip(frame["side"], frame["area_km2"]))
        for side, text in mf.area_texts.items():
            km2 = areas.get(side, 0.0)
            text.set_text(f"{km2:,.0f}".replace(",", "\u202f") if km2 else "–")
    if mf.opt.period:
        start = mf.opt.period[0]
        mf.period_done.set_xdata([start.toordinal(), day.toordinal()])
        mf.period_marker.set_xdata([day.toordinal()])
    mf.credit_text.set_text("\n".join(credit_lines(mf, day, drawn_features)))


def credit_lines(mf: FigureParts, day: dt.date, drawn_features) -> list[str]:
    """Precision, the most cited source hosts and the credits for what is drawn on `day`, wrapped."""
    cx, cy, cw = mf.credit_box
    precisions: set[str] = set()
    sources: list[str] = []
    control = mf.ds.layers.get("control")
    if control is not None and "control" in mf.layers:
        started = control[[d is not None and d <= day for d in control["valid_from"]]]
        precisions |= set(started.get("precision", []))
        for s in started["sources"]:
            sources += list(s)
    for frame in drawn_features:
        if "precision" in frame.columns:
            precisions |= set(frame["precision"].dropna())
        if "sources" in frame.columns:
            for s in frame["sources"]:
                sources += list(s) if isinstance(s, (list, tuple)) else []
    # By kind, not by outlet: the most-cited outlets of a war map are one side's announcements, and a footer
    # naming only them would misstate the record's balance.
    text = [
        tx.precision_note(precisions, mf.lang),
        tx.sources_cited(source_kinds(sources), mf.lang),
        tx.ui("credits", mf.lang),
    ]
    lines = []
    for paragraph in text:
        if paragraph:
            lines += wrap(mf, paragraph, 6.2, cw)
    return lines
