"""What both Streamlit pages need once per process: the dataset, and Leaflet served from the app's ./static.

Defined once here so the explorer and the classroom page share one cached copy of each."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from nkmap.data.dataset import Dataset, load_dataset
from nkmap.text import popups
from nkmap.web import offline, session_memory

#: The stylesheet both pages load with st.html (contrast and a visible keyboard focus, see the file).
SHARED_CSS = Path(__file__).with_name("page.css")


@st.cache_resource(show_spinner="Loading the map data...")
def dataset() -> Dataset:
    """The dataset, once per process: every session and both pages share it and its per-date caches. (Also once
    per process: the sweep that lets departed sessions go, `session_memory`.)"""
    session_memory.start()
    return load_dataset()


@st.cache_resource
def leaflet_installed(static_dir: str) -> str:
    """Copy Leaflet out of its wheel into `static_dir` once per process; the URL prefix the browser uses."""
    offline.install_leaflet(static_dir)
    return offline.static_base_url(st.get_option("server.baseUrlPath") or "")


def static_url_prefix() -> str:
    """Where the browser finds the app's ./static (behind `server.baseUrlPath` when one is set)."""
    return offline.static_url(st.get_option("server.baseUrlPath") or "")


# Material Symbols ship with Streamlit (no emoji font needed: on machines without one, emoji were empty boxes).
PAGES = (("app.py", "Explore the map", ":material/map:"), ("pages/1_Classroom.py", "Classroom", ":material/school:"))


def page_links() -> None:
    """Links to both pages under names a reader understands (Streamlit's own list would call the explorer
    "app", after its file name; .streamlit/config.toml hides that list)."""
    from streamlit.errors import StreamlitPageNotFoundError

    for path, label, icon in PAGES:
        try:
            st.page_link(path, label=label, icon=icon)
        except StreamlitPageNotFoundError:
            pass  # a page run as its own entry point (as AppTest does) knows no other page to link to


def about_html(ds: Dataset) -> str:
    """Which data the page shows: the dataset folder and its version (escaped HTML)."""
    span = f"{popups.long_date(ds.start)} to {popups.long_date(ds.end)}"
    return (
        '<div class="nk-about">'
        f"<p>{popups.text(ds.manifest.get('title') or 'nkmap')}: who held what, {popups.text(span)}.</p>"
        f'<p>Data version <b data-nk-version="{popups.text(ds.version)}">{popups.text(ds.version)}</b>, '
        f"from the folder <code>{popups.text(str(ds.geo_dir))}</code> "
        "(<code>manifest.json</code>; its sources in <code>SOURCES.md</code> and <code>sources.json</code>).</p>"
        "</div>"
    )


def about(ds: Dataset) -> None:
    """The sidebar's About: which dataset folder and which version this page shows."""
    with st.expander("About", icon=":material/info:"):
        st.html(about_html(ds))
