"""The Streamlit pages' building blocks: the folium map and its per-date layers, offline Leaflet, the URL state,
the date panel, the place finder, the classroom presenter and compare view, the downloads. May import Streamlit."""
