"""What the static map's helpers (figure_labels, figure_panel, figure_furniture) use of a `MapFigure`.

A Protocol, so the helpers depend on this description and not on map_figure.py, which imports them: no import
cycle, not even for annotations. `MapFigure` provides every attribute (the panel's texts are set by
`figure_panel.init_panel`, the labels by `figure_labels`).
"""

from __future__ import annotations

from typing import Any, Protocol

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from nkmap.data.dataset import Dataset
from nkmap.export.export_options import MapOptions
from nkmap.model.control_pieces import ControlPieces


class FigureParts(Protocol):
    # drawn once per dataset by MapFigure
    ds: Dataset
    opt: MapOptions
    lang: str
    layers: list[str]
    scale: float
    fig: Figure
    canvas: FigureCanvasAgg
    ax: Axes
    extent: tuple[float, float, float, float]
    panel_rect: tuple[float, float, float, float]
    country_geoms: list[tuple[dict[str, Any], Any]]
    pieces: ControlPieces
    side_fill: Any
    places: Any
    place_labels: dict[str, Any]
    place_label_rank: dict[str, Any]
    # set by the helpers
    country_labels: list[Any]
    district_labels: list[Any]
    map_furniture: list[Any]
    date_text: Text
    key_width: float
    key_labels: dict[Any, Any]
    key_text: Text
    area_texts: dict[str, Any]
    credit_box: tuple[float, float, float]
    credit_text: Text
    period_done: Any
    period_marker: Any

    def fs(self, size: float) -> float: ...

    def layer_style(self, layer_id: str) -> dict[str, Any]: ...

    def line_width(self, style: dict[str, Any], default: float = 1.0) -> float: ...
