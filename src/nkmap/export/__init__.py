"""Files of a date or a range: GeoJSON, static maps (PNG/SVG/PDF), the standalone HTML map, GIF/MP4, written
atomically. Imports nkmap.data, nkmap.model and nkmap.text; never Streamlit."""
