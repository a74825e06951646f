"""Classroom mode: walk a class through the war and its aftermath on a projector, one story step at a time;
compare two dates side by side; see the area each side held over time.

Thin on purpose, like app.py: widgets in, nkmap calls, map out. Stories are files in the dataset's stories
directory (nkmap.data.story); the presenter view's type, panel and arrow keys are nkmap.web.presenter; the compare maps
are nkmap.web.compare_view over nkmap.model.compare; the chart is nkmap.web.area_chart. URL: `?story=<id>&step=<n>`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from nkmap.data import story
from nkmap.data.dataset import DatasetError
from nkmap.model import compare
from nkmap.text import timeline_labels
from nkmap.text.messages import messages_for
from nkmap.web import area_chart, compare_view, datepanel, mapview, online_base, pagestate, presenter
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

ROOT = Path(__file__).resolve().parents[1]
STATIC_DIR = ROOT / "static"
MAP_HEIGHT = 600  # nominal; presenter.PAGE_CSS sizes the map to the window
MODES = ("Story", "Compare", "Area over time")

# The interface's language: the link's `lang` on this page's first run, then the session's choice (either page).
asked_lang, lang_warnings = (
    pagestate.language_from_query(st.query_params.to_dict()) if "cl_step" not in st.session_state else (None, [])
)
lang = page_language(asked_lang)
m = messages_for(lang)
st.set_page_config(page_title=m._("nkmap classroom"), layout="wide", initial_sidebar_state="collapsed")


try:
    ds = dataset()
except DatasetError as exc:
    st.error(presenter.plain_markdown(m._("The map data cannot be loaded: {problem}", problem=exc)))
    st.stop()

asset_url = leaflet_installed(str(STATIC_DIR))
code_url = map_code_installed(str(STATIC_DIR))
st.html(presenter.PAGE_CSS)
st.html(SHARED_CSS)
with st.container(key="cl_keys"):
    st.iframe(presenter.KEYS_HTML, height=1)  # arrow keys and clicker keys -> Previous / Next
ss = st.session_state

stories, problems = story.load_stories(ds)
for problem in problems[:8]:
    st.error(presenter.plain_markdown(m._("Story file {problem}", problem=problem)), icon="⚠️")
if len(problems) > 8:
    st.error(
        m._(
            "... and {count} more problems in story files; run `nkmap validate` for the full list.",
            count=len(problems) - 8,
        )
    )
if not stories:
    where = story.stories_dir(ds.geo_dir, ds.manifest)
    st.info(
        presenter.plain_markdown(
            m._(
                "No usable story in {where}. A story is a JSON file there; see docs/stories.md for the format.",
                where=where or m._("this dataset (the manifest names no stories_dir)"),
            )
        )
    )
    st.stop()
by_id = {s.id: s for s in stories}


# ---- first run of a session: the URL may name a story and a step; bad values fall back with a warning
def story_title(sid: str) -> str:
    """A story's title in the interface's language."""
    chosen = by_id[sid]
    return presenter.step_texts(chosen, chosen.steps[0], lang)[2]


if "cl_step" not in ss:
    ss.cl_warnings = list(lang_warnings)
    wanted = st.query_params.get("story")
    ss.cl_story_id = wanted if wanted in by_id else stories[0].id
    if wanted is not None and wanted not in by_id:
        ss.cl_warnings.append(
            m._(
                "No story '{wanted}' in this dataset; showing '{title}'.",
                wanted=wanted[:40],
                title=story_title(ss.cl_story_id),
            )
        )
    ss.cl_step = 1
    raw_step = st.query_params.get("step")
    if raw_step is not None:
        total = len(by_id[ss.cl_story_id].steps)
        try:
            ss.cl_step = pagestate.parse_step_number(raw_step, total)
        except ValueError:
            ss.cl_warnings.append(
                m._(
                    "Step '{step}' in the link is not 1 to {total}; showing step 1.",
                    step=raw_step.strip()[:20],
                    total=total,
                )
            )
if ss.cl_story_id not in by_id:  # the file was removed or broken while the page was open
    ss.cl_story_id, ss.cl_step = stories[0].id, 1
ss.setdefault("cl_story", ss.cl_story_id)
ss.setdefault("cl_mode", MODES[0])
ss.setdefault("cl_hc", True)  # the classroom opens in the colour-blind safe palette
for warning in ss.cl_warnings:
    st.warning(presenter.plain_markdown(warning), icon="⚠️")


def palette() -> str:
    return "high_contrast" if ss.get("cl_hc", True) else "default"


def current() -> tuple[story.Story, story.Step]:
    chosen = by_id[ss.cl_story_id]
    ss.cl_step = min(max(ss.cl_step, 1), len(chosen.steps))
    return chosen, chosen.steps[ss.cl_step - 1]


def follow_step() -> None:
    """Compare and the chart start again from the story's step once the step changes."""
    for key in ("cl_cmp_a", "cl_cmp_b", "cl_area_day"):
        ss.pop(key, None)


def choose_story() -> None:
    ss.cl_story_id, ss.cl_step = ss.cl_story, 1
    follow_step()


def go(delta: int) -> None:
    ss.cl_step += delta  # clamped by current()
    follow_step()


def draw_map(day: dt.date, layers: list[str], key: str, overlay: presenter.StepOverlay | None = None) -> None:
    """The map for `day`: the explorer's constant base map (so a step never reloads it), the per-date layers and
    a story step's overlay (its view and labels), all swapped in place in the live map."""
    base = mapview.base_map(ds, asset_url=asset_url, code_url=code_url)
    base.options["keyboard"] = False  # arrow keys step the story, even when the map has the focus
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
    with st.container(key="cl_mapbox"):
        st_folium(
            base,
            key=key,
            height=MAP_HEIGHT,
            use_container_width=True,
            feature_group_to_add=[slots, online_base.OnlineBase(ss.get("cl_online_base", False), lang)]
            + ([overlay] if overlay is not None else []),
            returned_objects=[],
            render=False,  # st_folium renders the map in any case; its whole-figure render first adds nothing
        )


with st.sidebar:
    lang = language_chooser(lang, "cl_lang_choice")
    m = messages_for(lang)
    page_links(lang)
    st.toggle(m._("Colour-blind safe colours (Okabe-Ito)"), key="cl_hc")
    st.toggle(online_base.toggle_label(lang), key="cl_online_base")
    st.caption(m._("Keys: → or Page Down for the next step, ← or Page Up for the previous one."))
    st.caption(
        presenter.plain_markdown(
            m._(
                "Stories are files in {folder}; write your own (format: docs/stories.md) and reload the page.",
                folder=story.stories_dir(ds.geo_dir, ds.manifest),
            )
        )
    )
    about(ds, lang)

# ---- one row of controls: story, mode, and in story mode previous / step / next
the_story, the_step = current()
story_mode = ss.cl_mode == MODES[0]
lang_query = {"lang": lang} if lang != "en" else {}  # the URL keeps the language, as the explorer's does
c_story, c_mode, c_prev, c_count, c_next = st.columns([3, 3.3, 1.35, 1.5, 1.35], vertical_alignment="bottom")
c_story.selectbox(
    m._("Story"),
    list(by_id),
    key="cl_story",
    format_func=story_title,
    on_change=choose_story,
    label_visibility="collapsed",
)
mode_names = dict(zip(MODES, (m._("Story"), m._("Compare"), m._("Area over time"))))
c_mode.segmented_control(
    m._("Show"), MODES, key="cl_mode", required=True, label_visibility="collapsed", format_func=mode_names.get
)
if story_mode:
    c_prev.button(
        m._("◀ Previous"),
        key="story_prev",
        on_click=go,
        args=(-1,),
        disabled=the_step.number == 1,
        use_container_width=True,
    )
    c_count.html(presenter.counter_html(the_step.number, len(the_story.steps), lang))
    c_next.button(
        m._("Next ▶"),
        key="story_next",
        on_click=go,
        args=(1,),
        type="primary",
        disabled=the_step.number == len(the_story.steps),
        use_container_width=True,
    )

if story_mode:
    c_map, c_text = st.columns([1.6, 1])
    with c_map:
        overlay = presenter.StepOverlay(
            story.step_places(ds, the_step), f"{the_story.id}:{the_step.number}", the_step.view, lang
        )
        draw_map(the_step.day, story.step_layers(ds, the_step), "cl_map", overlay)
    with c_text, st.container(key="cl_textbox"):
        st.html(presenter.step_html(ds, the_story, the_step, palette(), lang))
    st.query_params.from_dict({"story": the_story.id, "step": str(the_step.number), **lang_query})

elif ss.cl_mode == MODES[1]:
    # Default pair: the previous story step and this one, so "what changed?" follows the lesson.
    if "cl_cmp_a" not in ss:
        steps = the_story.steps
        prev = steps[the_step.number - 2] if the_step.number > 1 else None
        nxt = steps[the_step.number] if the_step.number < len(steps) else None
        a, b = (prev.day, the_step.day) if prev else (the_step.day, nxt.day if nxt else ds.end)
        ss.cl_cmp_a, ss.cl_cmp_b = compare.ordered(a, b)

    def use_preset() -> None:
        chosen = next((p for p in compare.presets(ds) if p.label == ss.get("cl_cmp_preset")), None)
        if chosen:
            ss.cl_cmp_a, ss.cl_cmp_b = chosen.earlier, chosen.later
        ss.cl_cmp_preset = None

    c_pre, c_a, c_b = st.columns([3, 1.2, 1.2], vertical_alignment="bottom")
    presets = {p.label: p for p in compare.presets(ds)}
    c_pre.selectbox(
        m._("Compare"),
        list(presets),
        index=None,
        key="cl_cmp_preset",
        placeholder=m._("Choose a pair of dates..."),
        format_func=lambda label: timeline_labels.preset_label(presets[label], lang),
        on_change=use_preset,
    )
    c_a.date_input(m._("Earlier date"), key="cl_cmp_a", min_value=ds.start, max_value=ds.end, format="YYYY-MM-DD")
    c_b.date_input(m._("Later date"), key="cl_cmp_b", min_value=ds.start, max_value=ds.end, format="YYYY-MM-DD")
    earlier, later = compare.ordered(ss.cl_cmp_a, ss.cl_cmp_b)
    c_maps, c_sum = st.columns([2.7, 1])
    with c_maps, st.container(key="cl_comparebox"):
        st.iframe(
            compare_view.compare_html(
                ds,
                earlier,
                later,
                STATIC_DIR,
                static_url_prefix(),
                asset_url,
                palette(),
                ss.get("cl_online_base", False),
                lang,
            ),
            height=MAP_HEIGHT,
        )
    with c_sum, st.container(key="cl_textbox"):
        st.html(presenter.compare_html(ds, earlier, later, palette(), lang))
    st.query_params.from_dict({"story": the_story.id, "step": str(the_step.number), **lang_query})

else:
    periods = pagestate.periods(ds)
    ss.setdefault("cl_area_period", next((p.id for p in periods if p.id == "after"), periods[-1].id))
    ss.setdefault("cl_area_day", the_step.day)

    def pick_date() -> None:
        day = area_chart.picked_date(ss.get("cl_area_chart"))
        if day is not None:
            ss.cl_area_day = day

    period = next(p for p in periods if p.id == ss.cl_area_period)
    day: dt.date = ss.cl_area_day
    c_map, c_chart = st.columns([1.25, 1])
    with c_chart:
        st.selectbox(
            m._("Period"),
            [p.id for p in periods],
            key="cl_area_period",
            label_visibility="collapsed",
            format_func=lambda pid: next(pagestate.period_label(p, lang) for p in periods if p.id == pid),
        )
        st.html(presenter.area_head_html(ds, day, palette(), lang))
        marked = day if period.start <= day <= period.end else None
        st.altair_chart(
            area_chart.area_chart(ds, period.start, period.end, marked, palette(), lang=lang),
            key="cl_area_chart",
            on_select=pick_date,
            selection_mode=area_chart.SELECTION,
            width="stretch",
        )
        st.caption(
            m._(
                "Click a point to show that date on the map. Areas are modelled from dated, sourced claims "
                "and handovers (approximate)."
            )
        )
    with c_map:
        draw_map(day, pagestate.default_layers(ds), "cl_area_map")
    st.query_params.from_dict({"story": the_story.id, "step": str(the_step.number), **lang_query})
