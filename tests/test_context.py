"""Checks of the context layers built by scripts/build_context.py (reads only geo/)."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, shape

GEO = Path(__file__).resolve().parents[1] / "geo"
# Local Lambert azimuthal equal-area centred on the region, so areas and lengths are in metres.
EQUAL_AREA = "+proj=laea +lat_0=39.8 +lon_0=46.7 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
SEVEN = ["kalbajar", "lachin", "qubadli", "zangilan", "jabrayil", "fuzuli", "aghdam"]
IN_REGION = SEVEN + ["khojaly", "khankendi", "shusha", "khojavend", "tartar"]
REQUIRED = ("id", "name_en", "name_az", "valid_from", "sources", "precision", "group", "in_region", "note")


def read(name: str) -> list[dict]:
    """Features of geo/<name>.geojson with their geometry as a shapely object (lon/lat)."""
    data = json.loads((GEO / f"{name}.geojson").read_text(encoding="utf-8"))
    return [dict(f["properties"], geometry=shape(f["geometry"])) for f in data["features"]]


def projected(geom):
    """A lon/lat geometry in the local equal-area projection (metres)."""
    return gpd.GeoSeries([geom], crs=4326).to_crs(EQUAL_AREA).iloc[0]


def km2(geom) -> float:
    return projected(geom).area / 1e6


@pytest.fixture(scope="module")
def districts() -> dict[str, dict]:
    return {f["id"].removeprefix("district-"): f for f in read("districts")}


@pytest.fixture(scope="module")
def countries() -> dict[str, dict]:
    return {f["id"]: f for f in read("countries")}


def test_every_district_has_the_schema_properties(districts):
    assert set(IN_REGION) <= set(districts), "a district of the region is missing"
    for key, f in districts.items():
        missing = [p for p in REQUIRED if f.get(p) in (None, "", [])]
        assert not missing, f"district-{key} lacks {missing}"
        assert f["precision"] == "approximate"
        assert f["valid_from"] == "1994-05-12" and "valid_to" not in f
        assert all(isinstance(s, dict) and s["source"] and s["role"] for s in f["sources"])
        assert f["in_region"] == (key in IN_REGION)
        assert f["group"] in {"seven_districts", "nkao_core", "partly_nkao", "neighbour"}
    assert {k for k, f in districts.items() if f["group"] == "seven_districts"} == set(SEVEN)
    for key in IN_REGION:
        assert districts[key].get("name_hy"), f"district-{key} needs its Armenian-side name"


def test_lachin_is_not_labelled_lankaran(districts):
    lachin = districts["lachin"]
    assert "Lachin" in lachin["name_en"] and lachin["name_az"] == "Laçın"
    assert not any("Lankaran" in f["name_en"] for f in districts.values())


def test_geometries_are_valid_polygons(districts, countries):
    for f in [*districts.values(), *countries.values(), *read("nkao"), *read("region")]:
        g = f["geometry"]
        assert g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid and not g.is_empty, f["id"]


def test_districts_do_not_overlap(districts):
    for (a, fa), (b, fb) in combinations(districts.items(), 2):
        if fa["geometry"].intersects(fb["geometry"]):
            overlap = km2(fa["geometry"].intersection(fb["geometry"]))
            assert overlap < 0.01, f"{a} and {b} overlap by {overlap:.3f} km²"


def test_districts_lie_within_azerbaijan(districts, countries):
    azerbaijan = countries["country-aze"]["geometry"]
    for key, f in districts.items():
        outside = km2(f["geometry"].difference(azerbaijan))
        assert outside < 0.05, f"{key} reaches {outside:.2f} km² outside Azerbaijan"


def shared_km(a, b, tolerance_m: float = 20.0) -> float:
    """Length (km) of A's boundary that runs along B's boundary, within TOLERANCE_M."""
    pa, pb = projected(a), projected(b)
    return pa.boundary.intersection(pb.boundary.buffer(tolerance_m)).length / 1000


@pytest.mark.parametrize("key,min_km", [("kalbajar", 60), ("lachin", 50), ("qubadli", 20), ("zangilan", 30)])
def test_western_districts_follow_the_armenian_border(districts, countries, key, min_km):
    length = shared_km(districts[key]["geometry"], countries["country-arm"]["geometry"])
    assert length > min_km, f"{key} shares only {length:.1f} km with Armenia's border"


@pytest.mark.parametrize("key,min_km", [("zangilan", 20), ("jabrayil", 20), ("fuzuli", 5)])
def test_southern_districts_follow_the_iranian_border(districts, countries, key, min_km):
    length = shared_km(districts[key]["geometry"], countries["country-irn"]["geometry"])
    assert length > min_km, f"{key} shares only {length:.1f} km with Iran's border"


def test_no_sliver_between_the_region_and_armenia_or_iran(districts, countries):
    """Azerbaijan's land within 3 km of the region's Armenian and Iranian border is all in some district."""
    region = shapely.union_all([districts[k]["geometry"] for k in IN_REGION])
    border_zone = shapely.union_all([countries[c]["geometry"] for c in ("country-arm", "country-irn")])
    near = countries["country-aze"]["geometry"].intersection(border_zone.buffer(0.03)).intersection(region.buffer(0.03))
    covered = shapely.union_all([f["geometry"] for f in districts.values()])
    assert km2(near.difference(covered)) < 0.5


def test_nkao_area_is_about_4400_km2():
    (nkao,) = read("nkao")
    area = km2(nkao["geometry"])
    assert 4400 * 0.9 <= area <= 4400 * 1.1, f"NKAO measures {area:,.0f} km²"
    assert nkao["id"] == "nkao" and nkao["precision"] == "approximate"
    assert nkao["name_az"] == "Dağlıq Qarabağ Muxtar Vilayəti"
    assert any(s["source"] == "britannica-nagorno-karabakh" and s["role"] == "figure" for s in nkao["sources"])


@pytest.mark.parametrize(
    "name,lon,lat,inside",
    [
        ("Stepanakert / Khankendi", 46.7519, 39.8153, True),
        ("Martakert / Aghdara", 46.8128, 40.2153, True),
        ("Talish", 46.7408, 40.3814, True),
        ("Hadrut", 47.0300, 39.5167, True),
        ("Tartar town", 46.93, 40.34, False),
        ("Kalbajar / Karvachar", 46.0383, 40.1067, False),
        ("Lachin / Berdzor", 46.5469, 39.6408, False),
        ("Aghdam / Akna", 46.9306, 39.9931, False),
    ],
)
def test_nkao_holds_its_towns_and_not_the_districts_towns(name, lon, lat, inside):
    (nkao,) = read("nkao")
    assert nkao["geometry"].contains(Point(lon, lat)) == inside, name


@pytest.mark.parametrize(
    "key,lon,lat",
    [  # district centres (facts.json places, Wikipedia coordinates)
        ("lachin", 46.5469, 39.6408),
        ("kalbajar", 46.0383, 40.1067),
        ("qubadli", 46.5797, 39.3439),
        ("zangilan", 46.6969, 39.0656),
        ("jabrayil", 47.0261, 39.4000),
        ("fuzuli", 47.1431, 39.6003),
        ("aghdam", 46.9306, 39.9931),
        ("shusha", 46.7483, 39.7583),
        ("khankendi", 46.7519, 39.8153),
        ("khojaly", 46.7892, 39.9111),
        ("khojavend", 47.1131, 39.7953),
        ("tartar", 46.8128, 40.2153),
    ],
)
def test_district_centres_lie_in_their_district(districts, key, lon, lat):
    assert districts[key]["geometry"].contains(Point(lon, lat))


def test_region_is_the_nkao_plus_the_seven_districts(districts):
    (region,) = read("region")
    (nkao,) = read("nkao")
    seven = shapely.union_all([districts[k]["geometry"] for k in SEVEN])
    area = km2(region["geometry"])
    expected = km2(nkao["geometry"]) + km2(seven) - km2(nkao["geometry"].intersection(seven))
    assert abs(area - expected) < 0.01 * expected
    # NKAO (~4,400) plus the seven districts (~10,000 km² cited, Kalbajar's NKAO part counted once).
    assert 11_500 < area < 15_000
    assert abs(region["area_km2"] - area) < 0.01 * area
    assert region["id"] == "region" and region["precision"] == "approximate"


def test_countries_layer(countries):
    assert {"country-arm", "country-aze", "country-irn", "country-geo", "country-tur"} <= set(countries)
    for f in countries.values():
        assert f["precision"] == "exact" and f["sources"] and f["valid_from"] == "1994-05-12"
        minx, miny, maxx, maxy = f["geometry"].bounds
        assert minx >= 43.0 - 1e-6 and maxx <= 51.0 + 1e-6 and miny >= 37.5 - 1e-6 and maxy <= 42.5 + 1e-6
    # Azerbaijan includes Nakhchivan (Sharur lies at 45.0E 39.55N) and Nagorno-Karabakh.
    assert countries["country-aze"]["geometry"].contains(Point(45.0, 39.55))
    assert countries["country-aze"]["geometry"].contains(Point(46.7519, 39.8153))
    assert 29_000 < km2(countries["country-arm"]["geometry"]) < 30_200


def test_context_files_stay_small():
    names = ["countries", "districts", "nkao", "region"]
    total = sum((GEO / f"{n}.geojson").stat().st_size for n in names)
    assert total < 600_000, f"context layers weigh {total / 1e3:.0f} KB"
