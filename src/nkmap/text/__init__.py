"""How the record reads and looks, with no page: popups' escaped HTML, the place card, export labels in en/az/hy,
colours, legend entries and the map's CSS. Imports nkmap.data and nkmap.model."""
