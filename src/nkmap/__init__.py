"""nkmap: how territory changed hands in and after the 2020 Nagorno-Karabakh war, as data, maps and exports.

For notebooks and scripts (see README.md, "Python"):

    import nkmap
    ds = nkmap.load_dataset()
    nkmap.control_on(ds, "2020-11-10")          # who held what: a GeoDataFrame, one row per side
    nkmap.find_place(ds, "Shushi")[0].place_id  # any spelling or script
    nkmap.export_map(ds, "2020-11-10", "map.png")

The functions live in `nkmap.api`; the subpackages (`nkmap.data`, `model`, `text`, `export`, `web`, `cli`) are
the layers described in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Dataset",
    "DatasetError",
    "DateError",
    "ExportError",
    "HistoryEntry",
    "Match",
    "DateLike",
    "EXPORT_FORMATS",
    "load_dataset",
    "control_on",
    "state_on",
    "find_place",
    "place_history",
    "events",
    "export_map",
]
_API = frozenset(__all__)

if TYPE_CHECKING:
    from nkmap.api import (
        EXPORT_FORMATS,
        Dataset,
        DatasetError,
        DateError,
        DateLike,
        ExportError,
        HistoryEntry,
        Match,
        control_on,
        events,
        export_map,
        find_place,
        load_dataset,
        place_history,
        state_on,
    )


def __getattr__(name: str) -> Any:
    # nkmap.api is imported on first use, not here: it imports the exports (matplotlib), which would add ~0.33 s
    # (measured) to every `import nkmap.<subpackage>`, the app's start included.
    if name in _API:
        from nkmap import api

        return getattr(api, name)
    raise AttributeError(f"module 'nkmap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
