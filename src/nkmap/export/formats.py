"""The file formats nkmap writes: the one list every other module (exports, CLI, page, API) takes them from."""

#: Static maps of one date, drawn by matplotlib.
STATIC_FORMATS = ("png", "svg", "pdf")
#: Animations of a range of dates.
ANIMATION_FORMATS = ("gif", "mp4")
#: Every map: static, the standalone HTML (the whole timeline) and the animations.
MAP_FORMATS = (*STATIC_FORMATS, "html", *ANIMATION_FORMATS)
#: Everything `nkmap export` and `nkmap.export_map` write: the data (GeoJSON) and the maps.
EXPORT_FORMATS = ("geojson", *MAP_FORMATS)
