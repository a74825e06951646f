"""nkmap's page: who held what in Nagorno-Karabakh on a chosen date, 1994 - 2024.

Thin on purpose: widgets in, nkmap calls, map out. The rules live in nkmap.pagestate (URL, periods, steps),
nkmap.mapview (the map) and nkmap.datepanel (the side panel). Run: `streamlit run app.py`.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from nkmap import datepanel, mapview, offline, pagestate
from nkmap.dataset import DatasetError, default_geo_dir, load_dataset
from nkmap.validation import validate_dataset

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAP_HEIGHT = 560  # the component's nominal height; PAGE_CSS makes the map fill the window below the controls
# Compact page for projectors: little padding, and the map iframe as tall as the window allows
# (inside the iframe nkmap.mapview.MAP_CSS makes the Leaflet container fill it; Leaflet tracks the resize).
PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 1.4rem; padding-bottom: 0.5rem; }
iframe[title="streamlit_folium.st_folium"] { height: max(420px, calc(100vh - 235px)) !important; }
[data-testid="stSidebarContent"] [data-testid="stCheckbox"] { margin-bottom: -0.4rem; }
/* the side panel scrolls beside the map instead of lengthening the page */
[data-testid="stColumn"]:has(.nk-panel) { max-height: max(420px, calc(100vh - 235px)); overflow-y: auto; }
</style>
"""

st.set_page_config(page_title="nkmap: Nagorno-Karabakh 1994-2024", layout="wide", initial_sidebar_state="expanded")


@st.cache_resource(show_spinner="Loading the map data...")
def dataset():
    """The dataset, once per process (every session shares it and its per-date caches)."""
    return load_dataset()


@st.cache_resource
def leaflet_installed() -> str:
    """Copy Leaflet out of its wheel into ./static once per process; return the URL prefix the browser uses."""
    offline.install_leaflet(STATIC_DIR)
    return offline.static_base_url(st.get_option("server.baseUrlPath") or "")


def static_url_prefix() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


try:
    ds = dataset()
except DatasetError as exc:
    # A clear message naming the file, and every problem `nkmap validate` would list, never a traceback.
    st.error(f"The map data cannot be loaded: {exc}")
    problems = validate_dataset(default_geo_dir())
    if problems:
        st.text("\n".join(str(p) for p in problems[:30]) + ("\n..." if len(problems) > 30 else ""))
    st.stop()

asset_url = leaflet_installed()
st.html(PAGE_CSS)
ss = st.session_state

# ---- first run of a session: the URL decides the state; bad values fall back with a warning
if "date" not in ss:
    state = pagestate.from_query(st.query_params.to_dict(), ds)
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

for warning in ss.get("link_warnings", []):
    st.warning(warning, icon="⚠️")


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


def change_period() -> None:
    stop_playing()
    period = pagestate.period_for(ds, ss.period)
    if not period.start <= ss.date <= period.end:
        ss.date = min(max(ss.date, period.start), period.end)


# ---- sidebar: layers and colours (a change reruns the whole page; the map itself stays)
with st.sidebar:
    st.subheader("Layers")
    for group, title in (("history", "History"), ("context", "Context")):
        st.caption(title)
        for spec in ds.layer_specs:
            if spec.display and spec.group == group:
                st.checkbox(spec.title, key=f"layer_{spec.id}")
    st.toggle("High-contrast colours (colour-blind safe)", key="palette_hc")
    st.divider()
    st.caption(
        "Dates of captures are the dates they were claimed. Areas are approximate. Click a place, an area or "
        "an event on the map for names in English, Azerbaijani and Armenian, who claimed what and when, and sources."
    )

# ---- header: title, jump-to, period, play
# st.html, not st.markdown(unsafe_allow_html=True): the latter makes the browser fetch and parse another
# ~190 kB chunk (rehype-raw) before the page settles, which showed in the cold start.
st.html("<h3 style='margin:0;padding:0;font-size:1.5rem;line-height:1.2'>Who held what in Nagorno-Karabakh</h3>")
ss.period = current_period().id  # the period select always names the span the slider shows
targets = pagestate.jump_targets(ds)
c_jump, c_period, c_speed, c_play = st.columns([5, 4, 2.5, 1.3], vertical_alignment="bottom")
c_jump.selectbox(
    "Jump to a key date or event",
    targets,
    index=None,
    key="jump",
    placeholder="Choose a key date or event...",
    format_func=lambda t: f"{t[0]:%d %b %Y} - {t[1]}",
    on_change=jump,
)
period_options = pagestate.periods(ds)
c_period.selectbox(
    "Period (slider and play)",
    [p.id for p in period_options],
    key="period",
    format_func=lambda pid: next(p.label for p in period_options if p.id == pid),
    on_change=change_period,
)
c_speed.selectbox(
    "Speed",
    [s.id for s in pagestate.SPEEDS],
    key="speed",
    format_func=lambda sid: next(s.label for s in pagestate.SPEEDS if s.id == sid),
)
c_play.button("■ Stop" if ss.playing else "▶ Play", key="play", on_click=toggle_play, use_container_width=True,
              type="primary" if ss.playing else "secondary")

speed = next(s for s in pagestate.SPEEDS if s.id == ss.speed)
play_interval = speed.interval_s if ss.playing else None


@st.fragment(run_every=play_interval)
def timeline_view() -> None:
    """Date controls, map and panel. A fragment: a date step reruns only this, and play ticks it."""
    if ss.playing != (play_interval is not None):
        st.rerun(scope="app")  # play started or stopped: the fragment must be re-made with(out) its timer
    period = current_period()
    if ss.playing and time.monotonic() - ss.last_step_at >= speed.interval_s * 0.8:
        ss.last_step_at = time.monotonic()
        if ss.date >= period.end:
            ss.playing = False
            st.rerun(scope="app")
        ss.date = pagestate.step(ds, ss.date, speed.days, period)

    c_back, c_slider, c_fwd = st.columns([1, 14, 1], vertical_alignment="center")
    c_back.button("◀", key="back", help="One day back", on_click=step_by, args=(-1,), use_container_width=True)
    c_slider.slider(
        "Date",
        min_value=period.start,
        max_value=period.end,
        step=dt.timedelta(days=1),
        format="D MMM YYYY",
        key="date",
        on_change=stop_playing,
        label_visibility="collapsed",
    )
    c_fwd.button("▶", key="fwd", help="One day forward", on_click=step_by, args=(1,), use_container_width=True)

    day: dt.date = ss.date
    layers = visible_layers()
    c_map, c_panel = st.columns([3, 1.15])
    with c_map:
        initial = ss.initial_view
        base = mapview.base_map(ds, center=initial[:2] if initial else None,
                                zoom=initial[2] if initial else None, asset_url=asset_url)
        slots = mapview.layer_slots(ds, day, layers, STATIC_DIR, static_url_prefix(), palette(),
                                    legend=datepanel.legend_html(ds, layers, palette()))
        returned = st_folium(
            base,
            key="map",
            height=MAP_HEIGHT,
            use_container_width=True,
            feature_group_to_add=slots,
            returned_objects=["center", "zoom"],
        )
        view = pagestate.view_from_map(returned)
        if view is not None:
            ss.view = view
    with c_panel:
        st.html(datepanel.on_this_date_html(ds, day))

    st.query_params.from_dict(
        pagestate.to_query(pagestate.PageState(day, layers, ss.view, palette()), ds)
    )


timeline_view()
