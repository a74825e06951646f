"""Leaflet inlined for the standalone HTML map: JS and CSS from the installed `django-js-lib-leaflet` wheel.

Leaflet 1.9.4 (BSD-2, (c) Vladimir Agafonkin and CloudMade) comes from the wheel via `offline.leaflet_package_dir`,
never a CDN, so the file works offline.
"""

from __future__ import annotations

import base64
import re

from nkmap.web import offline


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS from the installed wheel, with the CSS's images inlined as data URIs."""
    root = offline.leaflet_package_dir()
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        path = root / match.group(1)
        if not path.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode('ascii')})"

    css = re.sub(r"url\((images/[a-z0-9-]+\.png)\)", inline, css)
    return js, css
