"""The dataset's GeoJSON reader (json and shapely, no GDAL) reads every file as `geopandas.read_file` (pyogrio,
GDAL) does: the same columns in the same order, dtypes, values of the same types, geometries to the byte, CRS and
rows; and what it does not read like GDAL it refuses with a clear message."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from nkmap.data import dataset
from nkmap.data.dataset import DatasetError, load_dataset
from nkmap.data.geojson_file import GeoJSONError, read_geojson

GEO = Path(__file__).resolve().parents[1] / "geo"


def read_with_gdal(data: bytes) -> gpd.GeoDataFrame:
    return gpd.read_file(io.BytesIO(data))


def same_value(a: Any, b: Any) -> bool:
    """Equal and of the same type, down through lists, dicts and numpy arrays (dtype included)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and bool((a == b).all())
    if a is pd.NaT or (isinstance(a, float) and np.isnan(a)):
        return b is pd.NaT or np.isnan(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_value(a[k], b[k]) for k in a)
    return bool(a == b)


def differences(expected: gpd.GeoDataFrame, got: gpd.GeoDataFrame) -> list[str]:
    found = []
    if list(got.columns) != list(expected.columns):
        found.append(f"columns {list(got.columns)} != {list(expected.columns)}")
    if not got.index.equals(expected.index) or type(got.index) is not type(expected.index):
        found.append("index")
    if got.crs != expected.crs:
        found.append(f"crs {got.crs} != {expected.crs}")
    if got.geometry.name != expected.geometry.name or list(shapely.to_wkb(got.geometry.array)) != list(
        shapely.to_wkb(expected.geometry.array)
    ):
        found.append("geometry")
    for column in expected.columns.intersection(got.columns):
        if column == expected.geometry.name:
            continue
        if got[column].dtype != expected[column].dtype:
            found.append(f"{column}: dtype {got[column].dtype} != {expected[column].dtype}")
        for row, (a, b) in enumerate(zip(expected[column], got[column])):
            if not same_value(a, b):
                found.append(f"{column}[{row}]: {b!r} != {a!r}")
                break
    return found


@pytest.mark.parametrize("path", sorted(GEO.glob("*.geojson")), ids=lambda p: p.name)
def test_every_layer_file_reads_as_gdal_reads_it(path: Path):
    data = path.read_bytes()
    assert differences(read_with_gdal(data), read_geojson(data)) == []


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or {"type": "Point", "coordinates": [46.7, 39.8]},
    }


# Small collections for each rule GDAL reads by (the module's docstring), checked against GDAL itself.
CASES = {
    "order kept where features disagree": [
        feature({"a": 1, "c": 1}),
        feature({"a": 1, "b": 2, "c": 3}),
        feature({"d": 1, "a": 2}),
    ],
    "order: ties alphabetical, a cycle's last edge dropped": [
        feature({"id": "x", "valid_from": "2020-10-04", "valid_to": "2020-11-09", "sources": []}),
        feature({"id": "y", "valid_from": "2020-10-04", "claimed_by": "az", "sources": [], "valid_to": "2021-01-01"}),
    ],
    "integers, with a missing one, past int32, with floats": [
        feature({"n": 1, "m": 1, "big": 1, "real": 1, "flag": True, "flags": True}),
        feature({"n": 2, "big": 2**40, "real": 2.5, "flag": False}),
    ],
    "strings, numbers among strings, empty and missing": [
        feature({"s": "x", "mixed": 1, "empty": "", "parsed": 1, "flags": True}),
        feature({"mixed": "y", "empty": "2020-01-01", "parsed": "2", "flags": "[1]"}),
        feature({"s": None, "only_null": None}),
    ],
    "dates, missing, and a date among strings": [
        feature({"on": "2020-11-10", "text": "2020-11-10", "month": "2020-11"}),
        feature({"on": None, "text": "the 10th"}),
        feature({}),
    ],
    "arrays": [
        feature({"names": ["Şuşa", "Shushi"], "ids": [1, 2], "reals": [1, 2.5], "late": [], "json": [{"k": 1}]}),
        feature({"names": [], "ids": [], "reals": [3], "late": ["x"], "json": []}),
        feature({"names": None, "json": None}),
    ],
    "objects and mixed arrays": [feature({"o": {"k": [1, "x"]}, "mixed": [1, "x"]}), feature({})],
    "geometries of several kinds, and none": [
        feature({"id": "a"}, {"type": "Polygon", "coordinates": [[[46, 39], [47, 39], [47, 40], [46, 39]]]}),
        feature({"id": "b"}, {"type": "MultiLineString", "coordinates": [[[46, 39], [46.123456789012345, 39.5]]]}),
        {"type": "Feature", "properties": {"id": "c"}, "geometry": None},
    ],
}


@pytest.mark.filterwarnings("ignore:Could not parse column:UserWarning")  # pyogrio, on numbers among strings
@pytest.mark.parametrize("features", CASES.values(), ids=CASES.keys())
def test_each_rule_reads_as_gdal_reads_it(features: list[dict[str, Any]]):
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    assert differences(read_with_gdal(data), read_geojson(data)) == []


REFUSED = {
    "a date with a time": ([feature({"at": "2020-11-10T00:00:00Z"})], "only dates written YYYY-MM-DD"),
    "a date that is not one": ([feature({"on": "2020-02-30"})], "'2020-02-30' is not a date"),
    "a list among strings": ([feature({"a": "x"}), feature({"a": ["y"]})], "property 'a'"),
    "an id outside the properties": ([{**feature({"name_en": "x"}), "id": 7}], "an 'id' outside its properties"),
    "coordinates with a height": ([feature({}, {"type": "Point", "coordinates": [46, 39, 1000]})], "only 2D"),
    "not a geometry": ([feature({}, {"type": "Polygon", "coordinates": 5})], "not GeoJSON"),
}


@pytest.mark.parametrize(("features", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_what_gdal_would_read_otherwise_is_refused_by_name(features: list[dict[str, Any]], message: str):
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    with pytest.raises(GeoJSONError, match=message):
        read_geojson(data)


def test_a_refused_file_is_a_dataset_error_naming_it(tmp_path: Path):
    geo = tmp_path / "geo"
    shutil.copytree(GEO, geo)
    events = json.loads((geo / "events.geojson").read_text(encoding="utf-8"))
    events["features"][3]["properties"]["valid_from"] = "2020-10-04T12:00"
    (geo / "events.geojson").write_text(json.dumps(events), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"events\.geojson: cannot be read as GeoJSON .*YYYY-MM-DD.*nkmap validate"):
        load_dataset(geo)
    (geo / "events.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"events\.geojson: cannot be read as GeoJSON \(not JSON"):
        load_dataset(geo)


def test_the_loaded_dataset_is_the_one_gdal_gave(monkeypatch: pytest.MonkeyPatch):
    """Every layer of the dataset as loaded (normalised, citations resolved, derived layers split off) and every
    file's metadata, against the same load with GDAL reading the files."""
    ours = load_dataset(GEO)

    def with_gdal(data: bytes, metadata: dict[str, Any] | None = None) -> gpd.GeoDataFrame:
        if metadata is not None:
            metadata.update(json.loads(data).get("metadata") or {})
        return read_with_gdal(data)

    monkeypatch.setattr(dataset, "_CACHE", {})
    monkeypatch.setattr(dataset, "read_geojson", with_gdal)
    gdal = load_dataset(GEO)
    assert gdal is not ours
    assert list(ours.layers) == list(gdal.layers)
    for layer_id, frame in gdal.layers.items():
        assert differences(frame, ours.layers[layer_id]) == [], layer_id
    assert ours.layer_metadata == gdal.layer_metadata
