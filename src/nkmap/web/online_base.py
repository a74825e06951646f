"""The online base map (OpenStreetMap tiles): off until the user turns it on, so an offline page asks for nothing.

The browser side is `online_base.js` (loaded once into each map by `OnlineBaseScript`, part of the base map that
never changes); each rerun says whether the user wants the tiles with `OnlineBase`, a small element handed to
st_folium's `feature_group_to_add` beside the date's layers, so turning it on or off never reloads the map.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import folium
from jinja2 import Template

from nkmap.text.messages import messages_for
from nkmap.web.plain_render import PlainRendered

TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
UNAVAILABLE = "Online base map unavailable: showing nkmap's own base map."
#: The sidebar switch's label (both pages).
TOGGLE_LABEL = "Online base map (OpenStreetMap; needs internet)"
SCRIPT = Path(__file__).with_name("online_base.js").read_text(encoding="utf-8")
#: The same, safe inside an HTML <script> element.
INLINE_SCRIPT = SCRIPT.replace("</", "<\\/")


def toggle_label(lang: str = "en") -> str:
    """The sidebar switch's label in `lang`."""
    return messages_for(lang)._("Online base map (OpenStreetMap; needs internet)")


def config(on: bool, lang: str = "en") -> dict[str, Any]:
    """What `nkmapOnlineBase(map, cfg)` gets in the browser (its notice in `lang`)."""
    return {
        "on": bool(on),
        "url": TILE_URL,
        "attribution": ATTRIBUTION,
        "maxZoom": 19,
        "opacity": 0.75,
        "unavailable": messages_for(lang)._("Online base map unavailable: showing nkmap's own base map."),
    }


def config_json(on: bool, lang: str = "en") -> str:
    return json.dumps(config(on, lang), ensure_ascii=False).replace("</", "<\\/")


class OnlineBaseScript(PlainRendered):
    """Defines `nkmapOnlineBase` in the map's document (the same text on every rerun: no reload)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "OnlineBaseScript"
        self.code = INLINE_SCRIPT


class OnlineBase(folium.FeatureGroup, PlainRendered):
    """For `feature_group_to_add`: adds the tile layer when `on`, takes it off when not (see online_base.js)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({});
        nkmapOnlineBase({{ this._parent.get_name() }}, {{ this.cfg_json }});
        {% endmacro %}
        """
    )

    def __init__(self, on: bool, lang: str = "en"):
        super().__init__(name="nkmap online base map", control=False)
        self.wanted = bool(on)
        self.cfg_json = config_json(on, lang)
