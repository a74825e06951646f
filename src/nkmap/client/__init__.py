"""The browser code of every map nkmap draws, as real files: `.js`, `.css` and the standalone page's `.html`.

The lowest layer of the package: it imports nothing from nkmap and only finds and reads its own files, so the
exports (which inline them) and the app (which inlines them into its folium elements) share one copy.
`nkmap-map.js` is the shared renderer (`window.NKMap`); the other files are each surface's own script.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def asset_path(name: str) -> Path:
    """The file `name` of this folder (a plain name, no folders), or FileNotFoundError naming it."""
    path = _HERE / name
    if "/" in name or "\\" in name or not path.is_file() or path.suffix not in (".js", ".css", ".html"):
        raise FileNotFoundError(f"nkmap.client has no asset {name!r}")
    return path


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    """The text of an asset (read once per process: the files ship with the package and do not change)."""
    return asset_path(name).read_text(encoding="utf-8")
