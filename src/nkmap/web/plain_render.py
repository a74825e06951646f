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
from branca.element import Element, Figure


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
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("a map element renders only inside a Figure")
        macros = self._template.module.__dict__
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = macros.get(part)
            if macro is not None:
                target.add_child(RenderedText(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class BaseMap(folium.Map, PlainRendered):
    """folium's Map, its pieces added as rendered."""
