"""Colours and line styles per layer and side, and the legend that explains them.

Everything comes from the manifest, so a new layer or a changed colour needs no Python change. The
`high_contrast` palette (Okabe-Ito colours) stays readable for colour-blind viewers and on projectors.
"""

from __future__ import annotations

from typing import Any

from nkmap.data.dataset import Dataset, LayerSpec
from nkmap.data.translations import LAYER_FIELDS, LEGEND_FIELDS, SIDE_FIELDS, text_in

PALETTES = ("default", "high_contrast")


def side_color(ds: Dataset, side: str | None, palette: str = "default") -> str:
    """The fill colour of a side; grey for an unknown side so it is visible, never silently dropped."""
    spec = ds.sides.get(side or "", {})
    if palette == "high_contrast" and "high_contrast" in spec:
        return spec["high_contrast"]
    return spec.get("color", "#999999")


def style_for(
    ds: Dataset, layer_id: str, props: dict[str, Any] | None = None, palette: str = "default"
) -> dict[str, Any]:
    """Leaflet path options for one feature of a layer (control and places are coloured by side)."""
    style = dict(ds.spec(layer_id).style)
    levels = style.pop("levels", {})
    props = props or {}
    if props.get("support") in levels:  # the support layer: claimed and disputed ground drawn apart
        style.update(levels[props["support"]])
    if layer_id == "control":
        color = side_color(ds, props.get("side"), palette)
        style.update({"color": color, "fillColor": color})
    elif layer_id == "places":
        style["fillColor"] = side_color(ds, props.get("side_on"), palette)
    if palette == "high_contrast" and "weight" in style:
        style["weight"] = style["weight"] * 1.5
    return style


def legend_items(ds: Dataset, layers: list[str] | None = None) -> list[tuple[LayerSpec, dict[str, Any]]]:
    """The manifest's legend items of the layers shown (default: the display layers), in the manifest's order:
    the one place that decides what a legend lists, for the page, the static maps and the standalone HTML."""
    shown = layers if layers is not None else ds.display_layers
    return [(spec, item) for spec in ds.layer_specs if spec.id in shown for item in spec.legend]


def legend_symbols(ds: Dataset, layers: list[str] | None = None) -> list[tuple[LayerSpec, dict[str, Any]]]:
    """The legend items but the sides' colours (which the exports list with each side's area): lines, points,
    hatched ground."""
    return [
        (spec, item) for spec, item in legend_items(ds, layers) if spec.id != "control" and item.get("kind") != "side"
    ]


def layer_title(ds: Dataset, spec: LayerSpec, lang: str = "en") -> str:
    """A layer's title in `lang` (the manifest's `title_az` ...; its English title where it has none)."""
    if lang == "en":
        return spec.title
    raw: dict[str, Any] = next((layer for layer in ds.manifest.get("layers", []) if layer.get("id") == spec.id), {})
    return str(text_in(raw, "title", LAYER_FIELDS, lang) or spec.title)


def legend_entries(
    ds: Dataset, layers: list[str] | None = None, palette: str = "default", lang: str = "en"
) -> list[dict[str, Any]]:
    """What each colour and line means, for the layers shown: `kind` (area|line|point), `color`, `dash`, `label`
    (in `lang` where the manifest has the translation)."""
    entries = []
    for spec, item in legend_items(ds, layers):
        if item.get("kind") == "side":
            side = item["side"]
            entries.append(
                {
                    "kind": "area",
                    "color": side_color(ds, side, palette),
                    "dash": None,
                    "label": ds.sides[side]["label_en"]
                    if lang == "en"
                    else text_in(ds.sides[side], "label_en", SIDE_FIELDS, lang) or ds.sides[side]["label_en"],
                    "layer": spec.id,
                }
            )
        else:
            entries.append(
                {
                    "kind": item.get("kind", "line"),
                    "color": item.get("color", "#000000"),
                    "dash": item.get("dash"),
                    "label": item.get("label_en", spec.title)
                    if lang == "en"
                    else text_in(item, "label_en", LEGEND_FIELDS, lang)
                    or item.get("label_en", layer_title(ds, spec, lang)),
                    "layer": spec.id,
                    "fill": item.get("fill"),
                    "hatch": item.get("hatch"),
                }
            )
    return entries
