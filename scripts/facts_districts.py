"""Places that lie outside their district's polygon, and why: the `district_exception` of geo/places.geojson.

The district polygons (geo/districts.geojson, scripts/build_context.py) are Natural Earth 1:10m admin-1 shapes:
edges several km off and, along the Araz, an international border generalised to the north of the river. A place
whose announced district is not the polygon it falls in keeps the announced district and gets a written reason.
The table below is checked against the polygons on every import: a place outside its polygon without a reason,
or a reason for a place that is inside, stops the import, so the list cannot go stale.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

# The villages and crossings on the Araz valley that fall south of Natural Earth's border line (inside the
# polygon it draws for Iran), so in no district at all.
ARAZ_BANK = {
    "place-jabrayil-asagi-maralyan",
    "place-jabrayil-darzili",
    "place-jabrayil-hasanli",
    "place-jabrayil-karxulu",
    "place-jabrayil-mahmudlu",
    "place-jabrayil-masanli",
    "place-jabrayil-saricali",
    "place-jabrayil-sixali-agali",
    "place-jabrayil-sukurbayli",
    "place-jabrayil-xudafarin-korpulari",
    "place-jabrayil-yuxari-maralyan",
    "place-zangilan-agband",
    "place-zangilan-bartaz-settlement",
    "place-zangilan-dallakli",
    "place-zangilan-qarqulu",
    "place-zangilan-tiri",
    "place-zangilan-valiqulubayli",
    "place-zangilan-xurama",
}
# Points just across a schematic internal edge, where GeoNames (the coordinate's source) files the place under
# its announced district.
EDGE = {
    "place-aghdam-alibayli",
    "place-aghjabadi-hacilar",
    "place-fuzuli-yuxari-veysalli",
    "place-zangilan-yenikand",
    "place-aghdam-tazakand",
}
SPECIFIC = {
    "place-khojaly-dasalti": "Announced by Azerbaijan under Khojaly district, although the village lies in Shusha "
    "district (the research notes place it in Shusha). The place keeps the announced district.",
    "place-jabrayil-yuxari-mazra": "Announced under Jabrayil district; the coordinate's GeoNames record (main name "
    "'Dzoragyugh', admin1 Jabrayil) notes that Yuxarı Məzrə was later moved "
    "administratively to Khojavend, whose polygon it falls in.",
    "place-aghdam-yarimca": "The sources give its district as 'Aghdam/Tartar' (the Azerbaijani MoD listed it "
    "under Tartar, GeoNames under Aghdam), and its position is only approximate.",
    "place-kalbajar-omar-asirimi": "A mountain pass on the Kalbajar/Goranboy district line (as the sources "
    "give it); the schematic polygons put the pass point on the other side.",
    "place-lachin-saribaba-dagi": "A height on the Lachin/Shusha district line (as the sources give it); "
    "GeoNames files it under Lachin.",
    "place-lachin-qirxqiz-dagi": "A height on the range between the Lachin and Kalbajar districts; "
    "GeoNames files it under Lachin; the schematic polygons put it in Khojaly's.",
}
LIMIT_KM = 6.0  # farther than this from its district, a place's district or coordinate is wrong, not schematic


class DistrictError(Exception):
    """The exceptions table and the polygons disagree."""


def _district_name(name_en: str) -> str:
    """'Aghdam / Akna' and 'Tartar (west: Martakert)' -> the places layer's district names."""
    return re.split(r"\s*/\s*|\s*\(", name_en)[0].strip()


def _km(geom, point) -> float:
    """Approximate distance in km between a polygon and a point near 40°N (good to a few per cent)."""
    from shapely.geometry import Point

    lon, lat = point
    nearest = geom.exterior if geom.geom_type == "Polygon" else geom.boundary
    proj = nearest.interpolate(nearest.project(Point(lon, lat)))
    dx = (proj.x - lon) * 111.32 * math.cos(math.radians(lat))
    dy = (proj.y - lat) * 110.57
    return math.hypot(dx, dy)


def district_exceptions(features: list[dict], geo_dir: Path) -> dict[str, str]:
    """place id -> the reason it lies outside its district's polygon, checked against geo/districts.geojson."""
    from shapely.geometry import Point, shape

    data = json.loads((geo_dir / "districts.geojson").read_text(encoding="utf-8"))
    polygons = {_district_name(f["properties"]["name_en"]): shape(f["geometry"]) for f in data["features"]}
    countries = json.loads((geo_dir / "countries.geojson").read_text(encoding="utf-8"))
    iran = next((shape(f["geometry"]) for f in countries["features"] if f["properties"]["id"] == "country-irn"), None)
    reasons, problems = {}, []
    for f in features:
        p = f["properties"]
        if not p.get("district"):
            continue
        poly = polygons.get(p["district"])
        if poly is None:
            problems.append(f"{p['id']}: no polygon for district {p['district']!r}")
            continue
        pt = Point(f["geometry"]["coordinates"])
        listed = p["id"] in ARAZ_BANK | EDGE | set(SPECIFIC)
        if poly.contains(pt):
            if listed:
                problems.append(f"{p['id']}: listed as an exception but lies inside the {p['district']} polygon")
            continue
        if not listed:
            problems.append(f"{p['id']}: outside the {p['district']} polygon and not in scripts/facts_districts.py")
            continue
        km = _km(poly, f["geometry"]["coordinates"])
        if km > LIMIT_KM:
            problems.append(f"{p['id']}: {km:.1f} km outside the {p['district']} polygon (limit {LIMIT_KM} km)")
        other = next((name for name, g in polygons.items() if g.contains(pt)), None)
        where = f"in the {other} polygon" if other else "in no district polygon"
        head = f"{km:.1f} km outside the schematic {p['district']} polygon, {where}. "
        if p["id"] in ARAZ_BANK:
            if iran is None or not iran.contains(pt):
                problems.append(f"{p['id']}: listed as on the Araz bank but not inside Natural Earth's Iran polygon")
            reason = (
                "On the Araz valley at the Iranian border: the district polygons follow Natural Earth's 1:10m "
                "border, which is generalised here and runs north of the place, so the place's own coordinate "
                "falls on the Iranian side of the drawn line."
            )
        elif p["id"] in EDGE:
            admin1 = re.search(r"admin1 (\d+)", p.get("coord_source") or "")
            if not admin1 or "geonames" not in (p.get("coord_source") or "").lower():
                problems.append(f"{p['id']}: listed as a GeoNames edge case but its coordinate is not from GeoNames")
            reason = (
                f"District edges are schematic (Natural Earth admin-1, several km off); GeoNames, the "
                f"coordinate's source, files the place under {p['district']} (admin1 "
                f"{admin1.group(1) if admin1 else '?'})."
            )
        else:
            reason = SPECIFIC[p["id"]]
        reasons[p["id"]] = head + reason
    if problems:
        raise DistrictError("; ".join(problems))
    return reasons
