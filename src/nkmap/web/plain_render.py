"""Map elements whose rendered pieces reach the page as they are, not compiled again as templates.

branca's `MacroElement.render` puts each piece it renders (header, html, script) into a new `Element(text)`: a
jinja template compiled from the rendered text, which the figure then renders once more. For the page's map that
was over half of a date step's CPU on the server (py-spy under 10 stepping sessions: the base map's script alone
carries nkmap-map.js and layer-slots.js), and a `{{` in any text a piece carries would be read as template syntax.
`PlainRendered` adds each piece as a `RenderedText`, which gives the text back as rendered.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement


class RenderedText(Element):
    """Text already rendered: given back as it is, less the one trailing newline a jinja template drops (so the
    page gets the bytes an `Element(text)` would give for any text without template syntax)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RenderedText"
        self.text = text[:-1] if text.endswith("\n") else text

    def render(self, **kwargs: Any) -> str:
        return self.text


class PlainRendered(folium.MacroElement):
    """A MacroElement whose header, html and script macros are added to the figure as `RenderedText`.

    Listed after the folium class it renders for (`class LayerSlots(folium.FeatureGroup, PlainRendered)`), so
    folium's own steps (script includes, JS and CSS links) run first and this replaces branca's last one."""

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as branca's MacroElement.render: no text
        _add_pieces(self, kwargs)
        for element in self._children.values():
            if isinstance(element, MacroElement) and type(element).render is MacroElement.render:
                # folium's own plain macros under these elements (the `addTo` a shown layer adds on each render,
                # `fit_bounds`): rendered the same way, so a date step compiles no template for them either
                _add_pieces(element, kwargs)
                for child in element._children.values():
                    child.render(**kwargs)
            else:
                element.render(**kwargs)


def _add_pieces(element: MacroElement, kwargs: dict[str, Any]) -> None:
    """What branca's `MacroElement.render` adds to the figure for `element`, each piece as `RenderedText`."""
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("a map element renders only inside a Figure")
    macros = element._template.module.__dict__
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = macros.get(part)
        if macro is not None:
            target.add_child(RenderedText(macro(element, kwargs)), name=element.get_name())


class BaseMap(folium.Map, PlainRendered):
    """folium's Map, its pieces added as rendered."""
