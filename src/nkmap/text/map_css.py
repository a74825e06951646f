"""The map's own CSS: popups, labels and the legend box, the same in the app and in the standalone HTML."""

#: Map background: what shows where neither tiles nor the offline country fills are (sea, outside the box).
BACKGROUND = "#dfe7ec"

MAP_CSS = f"""
<style>
#map_div {{ height: 100vh !important; }}
.leaflet-container {{ background: {BACKGROUND}; font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; }}
.nk-popup {{ font-size: 14px; line-height: 1.35; max-width: 340px; }}
.nk-popup .nk-title {{ font-weight: 700; font-size: 15px; }}
.nk-popup .nk-names, .nk-popup .nk-dates {{ color: #333; }}
.nk-popup .nk-summary, .nk-popup .nk-claims, .nk-popup .nk-note, .nk-popup .nk-wording {{ margin-top: 4px; }}
.nk-popup .nk-precision {{ margin-top: 4px; font-style: italic; color: #444; }}
.nk-popup .nk-history ul {{ margin: 2px 0 0 0; padding-left: 18px; }}
.nk-popup .nk-sources {{ margin-top: 4px; font-size: 12px; color: #444; }}
.nk-popup .nk-sources ol {{ margin: 2px 0 0 0; padding-left: 18px; max-height: 110px; overflow-y: auto; }}
.nk-popup .nk-sources a {{ word-break: break-all; }}
.leaflet-tooltip.nk-label {{ background: transparent; border: 0; box-shadow: none; padding: 0 2px;
  font-size: 12px; font-weight: 600; color: #222;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }}
.leaflet-tooltip.nk-label:before {{ display: none; }}
#map_div[data-zoom="6"] .nk-town, #map_div[data-zoom="7"] .nk-town, #map_div[data-zoom="8"] .nk-town {{ display: none; }}
#map_div[data-zoom="6"] .nk-city {{ display: none; }}
.leaflet-tooltip.nk-city {{ font-size: 13px; }}
.leaflet-tooltip.nk-country {{ font-size: 15px; font-weight: 400; letter-spacing: 0.12em; text-transform: uppercase; color: #555; }}
.leaflet-tooltip .nk-local {{ color: #555; font-weight: 400; }}
.nk-legend-box {{ background: rgba(255,255,255,0.92); padding: 4px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); max-width: 240px; max-height: 60vh; overflow-y: auto; }}
.nk-legend-box summary {{ font-weight: 600; font-size: 12px; cursor: pointer; color: #333; }}
.nk-legend {{ font-size: 12px; line-height: 1.25; }}
.nk-legend .row {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
.nk-legend .sw {{ box-sizing: border-box; }}
.nk-legend .nk-muted {{ color: #555; }}
</style>
"""
