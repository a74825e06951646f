"""nkmap's page: who held what in Nagorno-Karabakh on a chosen date, 1994 - 2024.

Thin on purpose: widgets in, nkmap calls, map out. The rules live in nkmap.web.pagestate (URL, periods, steps),
nkmap.web.mapview (the map), nkmap.web.datepanel (the side panel), nkmap.web.place_finder (the find-a-place box, the highlight
and the card) and nkmap.web.downloads (the files offered for download). Run: `streamlit run app.py`.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from nkmap.data.dataset import DatasetError, default_geo_dir
from nkmap.data.validation import validate_dataset
from nkmap.export.export_files import ExportError
from nkmap.text import error_text, popups, style
from nkmap.text.export_text import LANGS as EXPORT_LANGS
from nkmap.text.messages import LANGUAGE_NAMES, messages_for
from nkmap.web import datepanel, downloads, mapview, online_base, pagestate, place_finder
from nkmap.web.page_setup import (
    SHARED_CSS,
    about,
    dataset,
    language_chooser,
    leaflet_installed,
    map_code_installed,
    page_language,
    page_links,
    static_url_prefix,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: The languages a downloaded map's labels may be in (those nkmap.export writes; see EXPORT_LANGS).
LABEL_LANGS = ("en", "az", "hy", "ru")
MARKDOWN_SPECIAL = set("\\`*_[]<>$~|#!&")
MAP_HEIGHT = 560  # the component's nominal height; PAGE_CSS makes the map fill the window below the controls
# Compact page for projectors: little padding, and the map iframe as tall as the window allows
# (inside the iframe nkmap.text.map_css.MAP_CSS makes the Leaflet container fill it; Leaflet tracks the resize).
PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 1.4rem; padding-bottom: 0.5rem; }
iframe[title="streamlit_folium.st_folium"] { height: max(420px, calc(100vh - 235px)) !important; }
[data-testid="stSidebarContent"] [data-testid="stCheckbox"] { margin-bottom: -0.4rem; }
/* the side panel scrolls beside the map instead of lengthening the page */
[data-testid="stColumn"]:has(.nk-panel) { max-height: max(420px, calc(100vh - 235px)); overflow-y: auto; }
/* Phones (Streamlit stacks columns below 640 px): the five controls two to a line and the date row on one line,
   so the map shows on the first screen (tests/test_phone.py) */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; }  /* below the sidebar button */
  [data-testid="stHorizontalBlock"]:has(.st-key-play) { flex-flow: row wrap; gap: 0.4rem 0.6rem; }
  [data-testid="stHorizontalBlock"]:has(.st-key-play) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.6rem) !important; min-width: 0 !important; width: auto !important; }
  [data-testid="stHorizontalBlock"]:has(.st-key-fwd) { flex-flow: row nowrap; gap: 0.5rem; }
  [data-testid="stHorizontalBlock"]:has(.st-key-fwd) > [data-testid="stColumn"] {
    flex: 0 0 2.6rem !important; min-width: 0 !important; width: auto !important; }
  [data-testid="stHorizontalBlock"]:has(.st-key-fwd) > [data-testid="stColumn"]:nth-child(2) { flex: 1 1 auto !important; }
  iframe[title="streamlit_folium.st_folium"] { height: max(360px, calc(100vh - 380px)) !important; }
}
</style>
"""

# The interface's language: the link's `lang` on a session's first run, then the session's choice (either page).
lang = page_language(
    pagestate.language_from_query(st.query_params.to_dict())[0] if "date" not in st.session_state else None
)
m = messages_for(lang)
st.set_page_config(page_title=m._("nkmap: Nagorno-Karabakh 1994-2024"), layout="wide", initial_sidebar_state="auto")


try:
    ds = dataset()
except DatasetError as exc:
    # A clear message naming the file, and every problem `nkmap validate` would list, never a traceback.
    st.error(m._("The map data cannot be loaded: {problem}", problem=exc))
    problems = validate_dataset(default_geo_dir())
    if problems:
        st.text("\n".join(str(p) for p in problems[:30]) + ("\n..." if len(problems) > 30 else ""))
    st.stop()

asset_url = leaflet_installed(str(STATIC_DIR))
code_url = map_code_installed(str(STATIC_DIR))
st.html(PAGE_CSS)
st.html(SHARED_CSS)
ss = st.session_state

# ---- first run of a session: the URL decides the state; bad values fall back with a warning
if "date" not in ss:
    state = pagestate.from_query(st.query_params.to_dict(), ds, lang)
    ss.date = state.day
    ss.initial_view = state.view
    ss.view = state.view
    ss.palette_hc = state.palette == "high_contrast"
    ss.link_warnings = state.warnings
    for spec in ds.layer_specs:
        if spec.display:
            ss[f"layer_{spec.id}"] = spec.id in state.layers
    ss.period = pagestate.period_for(ds, "war", state.day).id
    ss.speed = pagestate.DEFAULT_SPEED
    ss.playing = False
    ss.last_step_at = 0.0
    ss.place = None
    ss.place_box = None
    ss.place_seq = 0
    ss.place_focus = None  # (centre, zoom) handed to st_folium since the last choice of a place
    if state.place:
        # A shared link with a view keeps that view; a link with only a place centres the map on it.
        ss.place = ss.place_box = state.place
        ss.place_seq = 1
        ss.place_focus = None if state.view else place_finder.focus(ds, state.place, 1)


def plain_markdown(message: str) -> str:
    """A message that quotes user text, made safe for st.warning/st.caption (Markdown): one line, and every
    character that could format, link, open HTML or LaTeX or name an entity is backslash-escaped, so the text is
    shown exactly as typed."""
    one_line = " ".join(message.splitlines())
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in one_line)


for warning in ss.get("link_warnings", []):
    st.warning(plain_markdown(warning), icon="⚠️")


def visible_layers() -> list[str]:
    return [s.id for s in ds.layer_specs if s.display and ss.get(f"layer_{s.id}")]


def palette() -> str:
    return "high_contrast" if ss.get("palette_hc") else "default"


def current_period() -> pagestate.Period:
    return pagestate.period_for(ds, ss.period, ss.date)


def stop_playing() -> None:
    ss.playing = False


def toggle_play() -> None:
    if ss.playing:
        ss.playing = False
        return
    period = pagestate.period_for(ds, ss.period)
    if not period.start <= ss.date < period.end:
        ss.date = period.start
    ss.period = period.id
    ss.playing = True
    ss.last_step_at = time.monotonic()


def jump() -> None:
    """Go to the picked key date or event (widening the slider when the date lies outside its period)."""
    stop_playing()
    picked = ss.get("jump")
    if picked:
        ss.date = picked[0]
        ss.period = pagestate.period_for(ds, ss.period, ss.date).id
        ss.jump = None


def step_by(days: int) -> None:
    stop_playing()
    ss.date = pagestate.step(ds, ss.date, days, current_period())


def open_place(place_id: str) -> None:
    """Open a place's card, highlight it and centre the map on it (at least at place_finder.FOCUS_ZOOM)."""
    ss.place = ss.place_box = place_id
    ss.place_seq = ss.get("place_seq", 0) + 1
    view = ss.get("view")
    ss.place_focus = place_finder.focus(ds, place_id, ss.place_seq, view[2] if view else None)
    ss.place_candidates, ss.place_message = [], None


def choose_place() -> None:
    """The find-a-place box changed: an option opens its place; typed text is searched on the server."""
    value = ss.get("place_box")
    if value is None:
        close_place()
        return
    found = place_finder.resolve(ds, value, lang)
    if found.place_id is not None:
        open_place(found.place_id)
        return
    ss.place_box = ss.get("place")  # the box goes back to the open place (or to empty)
    ss.place_candidates = [(c.place_id, place_finder.candidate_label(c, lang, ds)) for c in found.candidates]
    ss.place_message = found.message


def dismiss_candidates() -> None:
    ss.place_candidates, ss.place_message = [], None


def close_place() -> None:
    ss.place = ss.place_box = None
    ss.place_candidates, ss.place_message = [], None


def close_card() -> None:
    close_place()
    ss.full_rerun = True  # the find-a-place box sits outside the fragment that has the card's close button


def go_to_change(day: dt.date) -> None:
    """'Go to the day it changed hands': that date, with the period widened if it lies outside it."""
    stop_playing()
    ss.date = day
    period = pagestate.period_for(ds, ss.period, day)
    if period.id != ss.period:
        ss.period = period.id
        ss.full_rerun = True  # the period select sits outside the fragment


def change_period() -> None:
    stop_playing()
    period = pagestate.period_for(ds, ss.period)
    if not period.start <= ss.date <= period.end:
        ss.date = min(max(ss.date, period.start), period.end)


# ---- sidebar: layers and colours (a change reruns the whole page; the map itself stays)
with st.sidebar:
    lang = language_chooser(lang, "lang_choice")
    m = messages_for(lang)
    page_links(lang)
    st.subheader(m._("Layers"))
    for group, title in (("history", m._("History")), ("context", m._("Context"))):
        st.caption(title)
        for spec in ds.layer_specs:
            if spec.display and spec.group == group:
                st.checkbox(style.layer_title(ds, spec, lang), key=f"layer_{spec.id}")
    st.toggle(m._("High-contrast colours (colour-blind safe)"), key="palette_hc")
    st.toggle(online_base.toggle_label(lang), key="online_base")  # off: offline, the page asks the internet for nothing
    st.divider()
    st.caption(
        m._(
            "Dates of captures are the dates they were claimed. Areas are approximate. Click a place, an area or "
            "an event on the map for names in English, Azerbaijani and Armenian, who claimed what and when, and sources."
        )
    )
    with st.expander(m._("A class on many screens?")):
        # Thirty pupils stepping this page at once saturate the server (about 1 s a step, measured); the
        # standalone map steps in each browser and costs the server one download.
        st.caption(
            m._(
                "Open the map that moves through time inside each browser: the same data, slider, layers and "
                "popups, with no load on this server, offline once opened."
            )
        )
        if st.button(m._("Prepare the in-browser map"), key="class_map"):
            ss.class_map_file = mapview.class_map_file(ds, STATIC_DIR)
        if ss.get("class_map_file"):
            st.link_button(m._("Open the in-browser map"), static_url_prefix() + "cache/" + ss.class_map_file)
    about(ds, lang)

# ---- header: title, jump-to, period, play
# st.html, not st.markdown(unsafe_allow_html=True): the latter makes the browser fetch and parse another
# ~190 kB chunk (rehype-raw) before the page settles, which showed in the cold start.
heading = popups.words(m._("Who held what in Nagorno-Karabakh"))
st.html(f"<h3 lang='{m.tag}' style='margin:0;padding:0;font-size:1.5rem;line-height:1.2'>{heading}</h3>")
ss.period = current_period().id  # the period select always names the span the slider shows
targets = pagestate.jump_targets(ds)
c_place, c_jump, c_period, c_speed, c_play = st.columns([4.2, 3.8, 3.4, 2.2, 1.3], vertical_alignment="bottom")
# Suggestions while typing come from the select box's own filter in the browser (see nkmap.web.place_finder for why);
# text that matches no option can still be submitted and is searched with the gazetteer's spelling rules.
c_place.selectbox(
    m._("Find a place"),
    place_finder.options(ds),
    index=None,
    key="place_box",
    placeholder=m._("Any name or spelling: Shusha, Şuşa, Шуша..."),
    format_func=lambda value: place_finder.label(ds, value),
    accept_new_options=True,
    on_change=choose_place,
)
c_jump.selectbox(
    m._("Jump to a key date or event"),
    targets,
    index=None,
    key="jump",
    placeholder=m._("Choose a key date or event..."),
    format_func=lambda t: pagestate.jump_label(ds, t, lang),
    on_change=jump,
)
period_options = pagestate.periods(ds)
c_period.selectbox(
    m._("Period (slider and play)"),
    [p.id for p in period_options],
    key="period",
    format_func=lambda pid: next(pagestate.period_label(p, lang) for p in period_options if p.id == pid),
    on_change=change_period,
)
c_speed.selectbox(
    m._("Speed"),
    [s.id for s in pagestate.SPEEDS],
    key="speed",
    format_func=lambda sid: next(pagestate.speed_label(s, lang) for s in pagestate.SPEEDS if s.id == sid),
)
c_play.button(
    m._("■ Stop") if ss.playing else m._("▶ Play"),
    key="play",
    on_click=toggle_play,
    use_container_width=True,
    type="primary" if ss.playing else "secondary",
)

if ss.get("place_message"):
    # Typed text that did not name one place: what was found, as buttons (user text escaped).
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(plain_markdown(ss.place_message))
        for place_id, label in ss.get("place_candidates", []):
            st.button(
                plain_markdown(label), key=f"pick_{place_id}", on_click=open_place, args=(place_id,), type="tertiary"
            )
        st.button("✕", key="pick_none", help=m._("Dismiss"), on_click=dismiss_candidates, type="tertiary")

speed = next(s for s in pagestate.SPEEDS if s.id == ss.speed)
play_interval = speed.interval_s if ss.playing else None


def place_card(place_id: str, day: dt.date) -> None:
    """The chosen place's card (escaped HTML from nkmap.text.place_card), with 'go to the day it changed hands'."""
    from nkmap.model.gazetteer import changed_hands_on

    changed = changed_hands_on(ds, place_id)
    with st.container(border=True, key="place_card"):
        st.html(place_finder.card_today_html(ds, place_id, day, lang))
        st.html(place_finder.card_body_html(ds, place_id, lang))
        c_go, c_close = st.columns([4, 1], vertical_alignment="center")
        if changed is not None and ds.start <= changed <= ds.end:
            when = f"{changed.day} {changed:%b %Y}" if lang == "en" else m.short_day(changed)
            c_go.button(
                m._("Go to the day it changed hands ({date})", date=when),
                key="place_go",
                on_click=go_to_change,
                args=(changed,),
                disabled=changed == day,
                use_container_width=True,
            )
        else:
            c_go.caption(m._("The map does not show it changing hands."))
        c_close.button(
            "✕", key="place_close", help=m._("Close the card"), on_click=close_card, use_container_width=True
        )


def download_section(day: dt.date, layers: list[str]) -> None:
    """Downloads of the map shown (date, view, layers, palette) and an animation of a range, folded away so the
    map keeps the screen. Files are made by the export workers when asked for (nkmap.web.downloads)."""
    # Lazy: while folded (the usual case) a date step sends nothing for it; opening it reruns the fragment.
    box = st.expander(m._("Download this map"), icon="⬇️", key="downloads_open", on_change="rerun")
    if not box.open:
        return
    downloads.panel_open(ds)
    with box:
        whole = st.toggle(m._("Whole region (not only the view on screen)"), key="dl_whole")
        area, note = (None, None) if whole else downloads.view_area(ds, ss.get("bounds"), lang)
        # The files' labels: the languages the exports write (nkmap.export), the interface's own first.
        label_langs = [code for code in LABEL_LANGS if code in EXPORT_LANGS]
        label_lang = (
            st.segmented_control(
                m._("Labels"),
                label_langs,
                default=lang if lang in label_langs else "en",
                key="dl_lang",
                format_func=LANGUAGE_NAMES.get,
            )
            or "en"
        )
        options = downloads.snapshot_options(ds, layers, palette(), area, label_lang)
        if note:
            st.caption(note)
        st.caption(
            m._(
                "Maps of {date} with the layers shown; GeoJSON holds every feature of those "
                "layers in force that day (not cut to the view).",
                date=popups.long_date(day, lang),
            )
        )
        labels = downloads.format_labels(m)
        rows = [
            (fmt, labels[fmt], downloads.snapshot_request(ds, fmt, day, options, layers))
            for fmt in downloads.SNAPSHOT_FORMATS
        ]
        animation = animation_row(options)
        downloads.export_rows(ds, rows + ([animation] if animation else []), lang)


def animation_row(options):
    """The choice of a GIF or MP4 of a range (default: the play period); its row goes with the others."""
    from nkmap.export.animation_range import animation_days, parse_step

    st.markdown("**" + plain_markdown(m._("Animation")) + "**")
    period = current_period()
    start = st.date_input(
        m._("From"), value=period.start, min_value=ds.start, max_value=ds.end, key="anim_start", format="DD.MM.YYYY"
    )
    end = st.date_input(
        m._("To"), value=period.end, min_value=ds.start, max_value=ds.end, key="anim_end", format="DD.MM.YYYY"
    )
    c_step, c_fmt = st.columns(2)
    step = c_step.selectbox(
        m._("Step"), [s for s, _ in downloads.STEPS], key="anim_step", format_func=downloads.step_labels(m).get
    )
    labels = downloads.format_labels(m)
    fmt = c_fmt.selectbox(m._("Format"), list(downloads.ANIMATION_FORMATS), key="anim_fmt", format_func=labels.get)
    try:
        days = animation_days(ds, start, end, parse_step(step))
        request = downloads.animation_request(days, fmt, options)
    except ExportError as exc:
        st.warning(plain_markdown(error_text.worded(exc, m)))
        return None
    st.caption(
        m._(
            "{frames} frames, 1280x720, 4 per second; about {seconds} s to make.",
            frames=len(days),
            seconds=max(1, round(downloads.estimate_seconds(len(days), fmt))),
        )
    )
    return ("animation", m._("{format} animation", format=labels[fmt]), request)


@st.fragment(run_every=play_interval)
def timeline_view() -> None:
    """Date controls, map and panel. A fragment: a date step reruns only this, and play ticks it."""
    if ss.playing != (play_interval is not None) or ss.pop("full_rerun", False):
        # play started or stopped (the fragment must be re-made with(out) its timer), or a callback changed a
        # widget that sits outside the fragment
        st.rerun(scope="app")
    period = current_period()
    if ss.playing and time.monotonic() - ss.last_step_at >= speed.interval_s * 0.8:
        ss.last_step_at = time.monotonic()
        if ss.date >= period.end:
            ss.playing = False
            st.rerun(scope="app")
        ss.date = pagestate.step(ds, ss.date, speed.days, period)

    c_back, c_slider, c_fwd = st.columns([1, 14, 1], vertical_alignment="center")
    c_back.button("◀", key="back", help=m._("One day back"), on_click=step_by, args=(-1,), use_container_width=True)
    c_slider.slider(
        m._("Date"),
        min_value=period.start,
        max_value=period.end,
        step=dt.timedelta(days=1),
        # The slider writes month names in English only (its date library has no other locale): other languages
        # get the day as digits, the way their readers write a date.
        format="D MMM YYYY" if lang == "en" else "DD.MM.YYYY",
        key="date",
        on_change=stop_playing,
        label_visibility="collapsed",
    )
    c_fwd.button("▶", key="fwd", help=m._("One day forward"), on_click=step_by, args=(1,), use_container_width=True)

    day: dt.date = ss.date
    layers = visible_layers()
    place = ss.get("place")
    focus = ss.get("place_focus") if place else None
    c_map, c_panel = st.columns([3, 1.15])
    with c_map:
        initial = ss.initial_view
        base = mapview.base_map(
            ds,
            center=initial[:2] if initial else None,
            zoom=initial[2] if initial else None,
            asset_url=asset_url,
            code_url=code_url,
        )
        slots = mapview.layer_slots(
            ds,
            day,
            layers,
            STATIC_DIR,
            static_url_prefix(),
            palette(),
            legend=datepanel.legend_html(ds, layers, palette(), lang),
            lang=lang,
        )
        returned = st_folium(
            base,
            key="map",
            height=MAP_HEIGHT,
            use_container_width=True,
            # centre and zoom move the map in place (no reload) whenever they differ from the last ones given
            center=focus[0] if focus else None,
            zoom=focus[1] if focus else None,
            feature_group_to_add=[slots, online_base.OnlineBase(ss.get("online_base", False), lang)]
            + ([place_finder.highlight(ds, place, lang)] if place else []),
            returned_objects=["center", "zoom", "bounds"],
            render=False,  # st_folium renders the map in any case; its whole-figure render first adds nothing
        )
        view = pagestate.view_from_map(returned)
        if view is not None:
            ss.view = view
        bounds = downloads.bounds_from_map(returned.get("bounds") if isinstance(returned, dict) else None)
        if bounds is not None:
            ss.bounds = bounds
    with c_panel:
        if place:
            place_card(place, day)
        download_section(day, layers)
        st.html(datepanel.on_this_date_html(ds, day, lang))

    state = pagestate.PageState(day, layers, ss.view, palette(), place=place, lang=lang)
    st.query_params.from_dict(pagestate.to_query(state, ds))


timeline_view()
