"""What both Streamlit pages need once per process: the dataset, and Leaflet served from the app's ./static.

Defined once here so the explorer and the classroom page share one cached copy of each."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import streamlit as st

from nkmap.data.dataset import Dataset, load_dataset
from nkmap.data.translations import MANIFEST_FIELDS, text_in
from nkmap.text import popups
from nkmap.text.messages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, messages_for
from nkmap.web import mapview, offline, session_memory

LOG = logging.getLogger(__name__)

#: The stylesheet both pages load with st.html (contrast and a visible keyboard focus, see the file).
SHARED_CSS = Path(__file__).with_name("page.css")


@st.cache_resource(show_spinner="Loading the map data...")
def dataset() -> Dataset:
    """The dataset, once per process: every session and both pages share it and its per-date caches. (Also once
    per process: the sweep that lets departed sessions go, `session_memory`, and, beside the first page, what
    the map draws in every state of control, `mapview.prepare_every_epoch`.)"""
    session_memory.start()
    ds = load_dataset()
    # Not a daemon: a process that ends within its ~1.4 s waits for it, rather than tearing the interpreter down
    # under its numpy and GEOS calls (a daemon thread in C code at exit can end a process with "Fatal Python
    # error"; one local test run of AppTest pages ended so, once, and was not reproduced).
    threading.Thread(target=_prepare, args=(ds,), name=PREPARE_THREAD).start()
    return ds


PREPARE_THREAD = "nkmap-prepare-every-epoch"


def _prepare(ds: Dataset) -> None:
    try:
        mapview.prepare_every_epoch(ds)
    except Exception:  # the pages compute what they need themselves: only the head start is lost
        LOG.exception("preparing every state of control failed")


def leaflet_installed(static_dir: str) -> str:
    """Leaflet copied out of its wheel into `static_dir` (once per process, and again if someone cleared the
    folder while the server ran: a map whose Leaflet is missing stays an empty box); the URL prefix the browser
    uses."""
    _leaflet_copied(static_dir)
    if not os.path.isfile(os.path.join(static_dir, offline.VENDOR_SUBDIR, "leaflet.js")):
        offline.install_leaflet(static_dir)
    return offline.static_base_url(st.get_option("server.baseUrlPath") or "")


@st.cache_resource
def _leaflet_copied(static_dir: str) -> None:
    offline.install_leaflet(static_dir)


def map_code_installed(static_dir: str) -> str:
    """The URL of the page maps' browser code, written into `static_dir` by `mapview.install_map_code` (once per
    process, and again if the file went: without it the map stays an empty box)."""
    name = _map_code_written(static_dir)
    if not os.path.isfile(os.path.join(static_dir, name)):
        mapview.install_map_code(static_dir)
    return static_url_prefix() + name


@st.cache_resource
def _map_code_written(static_dir: str) -> str:
    return mapview.install_map_code(static_dir)


def static_url_prefix() -> str:
    """Where the browser finds the app's ./static (behind `server.baseUrlPath` when one is set)."""
    return offline.static_url(st.get_option("server.baseUrlPath") or "")


# Material Symbols ship with Streamlit (no emoji font needed: on machines without one, emoji were empty boxes).
PAGES = (("app.py", "Explore the map", ":material/map:"), ("pages/1_Classroom.py", "Classroom", ":material/school:"))
#: Where the session keeps the interface language: both pages read it, so the choice carries over between them.
LANG_KEY = "nk_lang"


def page_names(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    m = messages_for(lang)
    return {"app.py": m._("Explore the map"), "pages/1_Classroom.py": m._("Classroom")}


def page_links(lang: str = DEFAULT_LANGUAGE) -> None:
    """Links to both pages under names a reader understands (Streamlit's own list would call the explorer
    "app", after its file name; .streamlit/config.toml hides that list). The link keeps the language."""
    from streamlit.errors import StreamlitPageNotFoundError

    names = page_names(lang)
    query = {"lang": lang} if lang != DEFAULT_LANGUAGE else None
    for path, _label, icon in PAGES:
        try:
            st.page_link(path, label=names[path], icon=icon, query_params=query)
        except StreamlitPageNotFoundError:
            pass  # a page run as its own entry point (as AppTest does) knows no other page to link to


def page_language(asked: str | None) -> str:
    """The session's interface language: what the URL asks for (`asked`, from `pagestate.language_from_query`),
    else what the session chose on either page, else English."""
    ss = st.session_state
    if asked is not None:
        ss[LANG_KEY] = asked
    return str(ss.get(LANG_KEY) or DEFAULT_LANGUAGE)


def language_chooser(lang: str, key: str) -> str:
    """The sidebar's language chooser (each language in its own name); returns the language chosen.

    The widget's own state is set from the session's language on every run, so the other page's choice shows
    here too (a widget's state does not outlive the page it was drawn on)."""
    ss = st.session_state

    def chosen() -> None:
        ss[LANG_KEY] = ss[key]

    ss[key] = lang
    label = messages_for(lang)._("Language")
    st.selectbox(
        label if lang == DEFAULT_LANGUAGE else label + " · Language",  # a reader lost in a script finds the English
        LANGUAGES,
        key=key,
        format_func=lambda code: LANGUAGE_NAMES[code],
        on_change=chosen,
    )
    return str(ss.get(LANG_KEY) or lang)


def about_html(ds: Dataset, lang: str = DEFAULT_LANGUAGE) -> str:
    """Which data the page shows: the dataset folder and its version (escaped HTML)."""
    if lang == DEFAULT_LANGUAGE:
        span = f"{popups.long_date(ds.start)} to {popups.long_date(ds.end)}"
        return (
            '<div class="nk-about">'
            f"<p>{popups.text(ds.manifest.get('title') or 'nkmap')}: who held what, {popups.text(span)}.</p>"
            f'<p>Data version <b data-nk-version="{popups.text(ds.version)}">{popups.text(ds.version)}</b>, '
            f"from the folder <code>{popups.text(str(ds.geo_dir))}</code> "
            "(<code>manifest.json</code>; its sources in <code>SOURCES.md</code> and <code>sources.json</code>).</p>"
            "</div>"
        )
    m = messages_for(lang)
    title = text_in(ds.manifest, "title", MANIFEST_FIELDS, lang) or ds.manifest.get("title") or "nkmap"
    first = m._(
        "{title}: who held what, {start} to {end}.",
        title=popups.text(title),
        start=popups.text(popups.long_date(ds.start, lang)),
        end=popups.text(popups.long_date(ds.end, lang)),
    )
    version = f'<b data-nk-version="{popups.text(ds.version)}">{popups.text(ds.version)}</b>'
    second = m._(
        "Data version {version}, from the folder {folder} ({manifest}; its sources in {sources_md} and {sources_json}).",
        version=version,
        folder="<code>" + popups.text(str(ds.geo_dir)) + "</code>",
        manifest="<code>manifest.json</code>",
        sources_md="<code>SOURCES.md</code>",
        sources_json="<code>sources.json</code>",
    )
    return f'<div class="nk-about" lang="{m.tag}"><p>{first}</p><p>{second}</p></div>'


def about(ds: Dataset, lang: str = DEFAULT_LANGUAGE) -> None:
    """The sidebar's About: which dataset folder and which version this page shows."""
    with st.expander(messages_for(lang)._("About"), icon=":material/info:"):
        st.html(about_html(ds, lang))
