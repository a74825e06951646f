"""A tiny synthetic dataset for the export tests: boxes instead of districts, three control changes.

Artsakh holds the west of the modelled region until the south is taken on 2020-10-04, the corridor goes to the
peacekeepers on 2020-12-01 and the rest to Azerbaijan on 2023-09-20. The facts are invented; the shapes are
boxes, so every point's side on every date is known without the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

SRC = [{"source": "synthetic", "role": "report"}]
CATALOGUE = {
    "deny_hosts": [],
    "sources": [
        {
            "id": "synthetic",
            "publisher": "nkmap tests",
            "title": "Synthetic test data",
            "published": "2026-12-06",
            "url": "https://example.org/nkmap-synthetic",
            "language": "en",
            "kind": "independent",
        }
    ],
}

# Points whose side is known: (lon, lat) -> side on a date.
SOUTH_POINT = (46.75, 39.25)  # artsakh until 2020-10-03, azerbaijan from 2020-10-04
NORTH_POINT = (46.75, 40.2)  # artsakh until 2023-09-19, azerbaijan from 2023-09-20
EAST_POINT = (47.35, 39.8)  # azerbaijan throughout
CORRIDOR_POINT = (46.45, 39.6)  # artsakh, peacekeepers from 2020-12-01
# Places and events stand apart from those points, so their markers and labels never cover them.
SOUTH_TOWN = (46.45, 39.4)
NORTH_TOWN = (46.95, 40.4)


def box(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def feature(fid: str, geometry: dict, **props) -> dict:
    base = {
        "id": fid,
        "name_en": props.pop("name_en", fid),
        "valid_from": props.pop("valid_from", "1994-05-12"),
        "sources": SRC,
        "precision": props.pop("precision", "approximate"),
    }
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": geometry}


def collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def make_geo(root: Path) -> Path:
    """Write the synthetic dataset into `root` (created) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((Path(__file__).resolve().parents[1] / "geo" / "manifest.json").read_text(encoding="utf-8"))
    manifest["timeline"] = {"start": "2020-09-01", "end": "2023-12-31", "default": "2020-11-10"}
    manifest["key_dates"] = [
        {"date": "2020-09-27", "label_en": "War begins"},
        {"date": "2020-10-04", "label_en": "South claimed by Azerbaijan"},
        {"date": "2020-12-01", "label_en": "Corridor to peacekeepers"},
        {"date": "2023-09-20", "label_en": "Ceasefire"},
    ]
    layers = {
        "countries": [
            feature(
                "country-arm",
                box(44.5, 38.8, 46.3, 41.2),
                name_en="Armenia",
                name_az="Ermənistan",
                name_hy="Հայաստան",
                precision="exact",
            ),
            feature(
                "country-aze",
                box(46.3, 38.4, 49.5, 41.8),
                name_en="Azerbaijan",
                name_az="Azərbaycan",
                name_hy="Ադրբեջան",
                precision="exact",
            ),
            feature(
                "country-irn",
                box(44.0, 37.0, 49.5, 38.4),
                name_en="Iran",
                name_az="İran",
                name_hy="Իրան",
                precision="exact",
            ),
        ],
        "districts": [
            feature("district-north", box(46.3, 39.5, 47.5, 40.5), name_en="North district"),
            feature("district-south", box(46.3, 39.0, 47.5, 39.5), name_en="South district"),
        ],
        "nkao": [feature("nkao", box(46.6, 39.5, 47.2, 40.3), name_en="NKAO (former)")],
        "region": [feature("region", box(46.3, 39.0, 47.5, 40.5), name_en="Region")],
        "control": [
            feature("base-artsakh", box(46.3, 39.0, 47.2, 40.5), role="baseline", side="artsakh"),
            feature("base-azerbaijan", box(47.2, 39.0, 47.5, 40.5), role="baseline", side="azerbaijan"),
            feature(
                "chg-south",
                box(46.3, 39.0, 47.2, 39.5),
                role="change",
                side="azerbaijan",
                valid_from="2020-10-04",
                change="captured",
                claimed_by="Azerbaijan MoD",
                claimed_on="2020-10-04",
                support="claimed",
            ),
            feature(
                "chg-corridor",
                box(46.3, 39.55, 46.6, 39.65),
                role="change",
                side="peacekeepers",
                valid_from="2020-12-01",
                change="handed_over",
                support="confirmed",
            ),
            feature(
                "chg-rest",
                box(46.3, 39.0, 47.2, 40.5),
                role="change",
                side="azerbaijan",
                valid_from="2023-09-20",
                change="offensive",
                support="confirmed",
            ),
        ],
        "transferred_districts": [
            feature("transfer-north", box(46.3, 40.3, 46.6, 40.5), name_en="Kalbajar", valid_from="2020-11-25"),
        ],
        "shusha": [feature("shusha", box(46.74, 39.75, 46.76, 39.77), name_en="Shusha / Shushi")],
        "lachin_corridor": [
            feature(
                "corridor",
                box(46.3, 39.55, 46.6, 39.65),
                name_en="Lachin corridor",
                valid_from="2020-12-01",
                valid_to="2023-09-19",
            ),
        ],
        "contact_line": [
            feature(
                "loc-1994",
                {"type": "LineString", "coordinates": [[47.2, 39.0], [47.2, 40.5]]},
                name_en="Line of contact",
                valid_to="2020-09-26",
            ),
        ],
        "places": [
            feature(
                "place-south",
                {"type": "Point", "coordinates": list(SOUTH_TOWN)},
                name_en="Southtown",
                name_az="Cənubkənd",
                name_hy="Հարավավան",
                kind="town",
            ),
            feature(
                "place-north",
                {"type": "Point", "coordinates": list(NORTH_TOWN)},
                name_en="Northtown",
                name_az="Şimalkənd",
                name_hy="Հյուսիսավան",
                kind="town",
            ),
        ],
        "events": [
            feature(
                "event-south",
                {"type": "Point", "coordinates": list(SOUTH_TOWN)},
                name_en="Southtown claimed",
                valid_from="2020-10-04",
                event_type="capture_claim",
                summary_en="Claimed <b>by</b> Azerbaijan",
            ),
            feature(
                "event-war",
                {"type": "Point", "coordinates": [46.9, 39.8]},
                name_en="War begins",
                valid_from="2020-09-27",
                event_type="war",
            ),
        ],
        "line_points": [feature("lp-1", {"type": "Point", "coordinates": [47.2, 39.7]}, name_en="Point")],
    }
    for spec in manifest["layers"]:
        if spec.get("derived"):
            continue
        features = layers.get(spec["id"], [])
        (root / spec["file"]).write_text(json.dumps(collection(features), ensure_ascii=False), encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    (root / "sources.json").write_text(json.dumps(CATALOGUE, ensure_ascii=False, indent=1), encoding="utf-8")
    return root
