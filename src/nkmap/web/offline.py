"""Serve the map's Leaflet from the app itself instead of CDNs, so the map works with no internet.

Leaflet 1.9.4 comes from the `django-js-lib-leaflet` wheel (BSD-2, installed from PyPI as a dependency);
at app start its JS, CSS and marker images are copied into `static/vendor/leaflet/` (gitignored), which
Streamlit serves at `/app/static/...` when `server.enableStaticServing = true`. Every folium element's
asset list is re-pointed here, in one place (`ASSETS`). Everything else folium asks for (jQuery,
Bootstrap, Font Awesome, awesome-markers) is dropped: nkmap draws only vector layers, circle markers,
GeoJSON popups and tooltips, which need Leaflet alone.
"""

from __future__ import annotations

import os
from pathlib import Path

import folium
import folium.elements

from nkmap.export.export_files import write_atomic
from nkmap.export.html_leaflet import LEAFLET_FILES, OfflineAssetError, leaflet_package_dir

#: folium asset name -> file under the vendored Leaflet directory; None = not needed, dropped.
ASSETS: dict[str, str | None] = {
    "leaflet": "leaflet.js",
    "leaflet_css": "leaflet.css",
    "jquery": None,
    "bootstrap": None,
    "awesome_markers": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
}

#: Where the copies go, relative to the app's `static/` folder.
VENDOR_SUBDIR = "vendor/leaflet"


def install_leaflet(static_dir: str | os.PathLike) -> Path:
    """Copy Leaflet into `<static_dir>/vendor/leaflet/` unless an identical copy is there; return that dir.

    Files are written to a temporary name and renamed, so two app processes starting together never
    serve a half-written file.
    """
    source = leaflet_package_dir()
    target = Path(static_dir) / VENDOR_SUBDIR
    for name in LEAFLET_FILES:
        src, dst = source / name, target / name
        if dst.is_file() and dst.stat().st_size == src.stat().st_size and dst.read_bytes() == src.read_bytes():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(dst, src.read_bytes(), check=False)
    return target


def static_url(base_url_path: str = "") -> str:
    """URL prefix of the app's `./static` as the browser sees it (`/app/static/`).

    Absolute from the server root so it also resolves inside the st_folium component iframe;
    `base_url_path` is Streamlit's `server.baseUrlPath` when the app runs behind a path prefix.
    """
    prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return f"{prefix}/app/static/"


def static_base_url(base_url_path: str = "") -> str:
    """URL prefix of the vendored Leaflet as the browser sees it (`/app/static/vendor/leaflet/`)."""
    return f"{static_url(base_url_path)}{VENDOR_SUBDIR}/"


def _local(assets: list[tuple[str, str]], base_url: str) -> list[tuple[str, str]]:
    """Map one element's (name, url) list onto local files, dropping what the map does not need."""
    local = []
    for name, url in assets:
        if name not in ASSETS and not _remote(url):  # nkmap's own, already served by the app
            local.append((name, url))
            continue
        if name not in ASSETS:
            raise OfflineAssetError(
                f"map asset {name!r} ({url}) has no local copy; add it to nkmap.web.offline.ASSETS or drop the element"
            )
        local_path = ASSETS[name]
        if local_path is not None:
            local.append((name, base_url + local_path))
    return local


def _elements(root):
    """The element and all its descendants (folium's tree, depth first)."""
    yield root
    for child in getattr(root, "_children", {}).values():
        yield from _elements(child)


def localise(element, base_url: str) -> None:
    """Point every asset of `element` and its descendants at local files (instance attributes only,
    so folium's class defaults, and anyone else using folium in this process, are untouched)."""
    for elem in _elements(element):
        if isinstance(elem, folium.elements.JSCSSMixin):
            elem.default_js = _local(list(elem.default_js), base_url)
            elem.default_css = _local(list(elem.default_css), base_url)


def _remote(url: str) -> bool:
    return "://" in url or url.startswith("//")


def remote_assets(element) -> list[str]:
    """Every asset URL under `element` that is not served by the app (should be empty after `localise`)."""
    urls = []
    for elem in _elements(element):
        if isinstance(elem, folium.elements.JSCSSMixin):
            urls += [url for _, url in [*elem.default_js, *elem.default_css] if _remote(url)]
    return urls
