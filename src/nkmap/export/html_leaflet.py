"""Leaflet inlined for the standalone HTML map: JS and CSS from the installed `django-js-lib-leaflet` wheel.

Leaflet 1.9.4 (BSD-2, (c) Vladimir Agafonkin and CloudMade) comes from the wheel via `leaflet_package_dir`,
never a CDN, so the file works offline. The app's offline copy (`nkmap.web.offline`) comes from the same place.
"""

from __future__ import annotations

import base64
import importlib.util
import re
from pathlib import Path

#: What is copied from the wheel: the minified build, its stylesheet and the images the CSS refers to.
LEAFLET_FILES = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)


class OfflineAssetError(RuntimeError):
    """A map element wants a remote asset nkmap has no local copy of (the map would hang offline)."""


def leaflet_package_dir() -> Path:
    """The Leaflet build inside the installed django-js-lib-leaflet wheel (found without importing Django)."""
    spec = importlib.util.find_spec("js_lib_leaflet")
    if spec is None or not spec.submodule_search_locations:
        raise OfflineAssetError(
            "django-js-lib-leaflet is not installed; install nkmap's dependencies (pip install -e .)"
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "static" / "js_lib_leaflet"
    missing = [name for name in LEAFLET_FILES if not (root / name).is_file()]
    if missing:
        raise OfflineAssetError(f"django-js-lib-leaflet at {root} lacks {', '.join(missing)}")
    return root


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS from the installed wheel, with the CSS's images inlined as data URIs."""
    root = leaflet_package_dir()
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        path = root / match.group(1)
        if not path.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode('ascii')})"

    css = re.sub(r"url\((images/[a-z0-9-]+\.png)\)", inline, css)
    return js, css
