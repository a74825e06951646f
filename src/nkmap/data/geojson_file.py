"""A GeoJSON FeatureCollection read into a GeoDataFrame with the standard library's json and shapely, without GDAL.

Why not `geopandas.read_file`: it reads through pyogrio and GDAL, ~29 MB of a process's memory for files this
small, a fifth of what `nkmap export --format png` is allowed (issue 13; bench/bench_png_memory.py). The frame is
the one `geopandas.read_file` gives (pyogrio, GDAL's GeoJSON driver), column for column, which
tests/test_geojson_file.py checks on every layer of geo/, so the dataset does not depend on which reader made it:

- columns: every property of any feature, in an order that keeps each feature's own order (GDAL's: the graph of
  which property follows which, sorted topologically, ties in alphabetical order; an edge that would close a cycle
  is dropped), then `geometry`;
- types from all the values of a column: booleans -> bool, integers -> int32 (int64 past its range), any float
  -> float64, and any of these with a missing value -> float64 with NaN; strings -> str, unless every one is a
  date (`YYYY-MM-DD` -> datetime64[ms], NaT where missing); arrays of strings / integers / numbers -> numpy arrays
  per row (None where missing; an empty array of strings is GDAL's empty float64 array); objects, arrays of
  objects or of mixed values, and an array seen empty before any other -> the parsed JSON (NaN where missing);
  a mix of numbers and strings -> str, or what the JSON parser makes of them if every one parses;
- the CRS: EPSG:4326 (RFC 7946), or the legacy `crs` member's name if the file has one.
What GDAL reads that this does not (datetimes with a time, a feature's top-level `id`, mixed lists) raises
GeoJSONError naming the property, so a new kind of value is noticed rather than read differently.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry


class GeoJSONError(ValueError):
    """The file is not a FeatureCollection this reader understands."""


def read_geojson(data: bytes | str, metadata: dict[str, Any] | None = None) -> gpd.GeoDataFrame:
    """The FeatureCollection in `data` (the file's bytes) as a GeoDataFrame; GeoJSONError if it is not one. Given
    a `metadata` dict, the collection's top-level `metadata` object (if any) is copied into it."""
    try:
        document = json.loads(data)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise GeoJSONError(f"not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise GeoJSONError("not a GeoJSON FeatureCollection")
    if metadata is not None and isinstance(document.get("metadata"), dict):
        metadata.update(document["metadata"])
    features = document.get("features")
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise GeoJSONError("'features' is not a list of features")
    rows = []
    for number, feature in enumerate(features):
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise GeoJSONError(f"feature {number}: 'properties' is not an object")
        if "id" in feature and "id" not in properties:
            raise GeoJSONError(f"feature {number}: an 'id' outside its properties")
        rows.append(properties)
    columns = _column_order(rows)
    kinds = {name: _column_kind(name, [row.get(name) for row in rows]) for name in columns}
    frame = pd.DataFrame(
        {name: _column(name, kinds[name], [row.get(name) for row in rows]) for name in columns}, columns=columns
    )
    for name in columns:
        if kinds[name] == "numbers_in_text":  # GDAL marks the column JSON, and pyogrio parses it if it can
            try:
                frame[name] = frame[name].map(json.loads, na_action="ignore")
            except ValueError:
                pass
    try:
        geometries = [None if f.get("geometry") is None else shapely.geometry.shape(f["geometry"]) for f in features]
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, shapely.errors.ShapelyError) as exc:
        raise GeoJSONError(f"a geometry that is not GeoJSON ({exc})") from None
    if any(shapely.has_z(geometries)):  # GDAL would make the CRS EPSG:4979
        raise GeoJSONError("coordinates with a height: only 2D geometries are read")
    return gpd.GeoDataFrame(frame, geometry=geometries, crs=_crs(document))


def _column_order(rows: list[dict[str, Any]]) -> list[str]:
    """Every property name, each feature's own order kept: a topological sort of the graph of which name follows
    which, the names free at a step taken in alphabetical order; an edge that would close a cycle is left out."""
    index: dict[str, int] = {}
    after: list[set[int]] = []
    for row in rows:
        previous = -1
        for name in row:
            node = index.setdefault(name, len(index))
            if node == len(after):
                after.append(set())
            if previous != -1 and node not in after[previous] and not _reaches(after, node, previous):
                after[previous].add(node)
            previous = node
    incoming = [0] * len(after)
    for targets in after:
        for node in targets:
            incoming[node] += 1
    names = list(index)
    free = [(names[node], node) for node, count in enumerate(incoming) if count == 0]
    heapq.heapify(free)
    order = []
    while free:
        _, node = heapq.heappop(free)
        order.append(names[node])
        for target in after[node]:
            incoming[target] -= 1
            if incoming[target] == 0:
                heapq.heappush(free, (names[target], target))
    return order


def _reaches(after: list[set[int]], start: int, goal: int) -> bool:
    if start == goal:
        return True
    seen, todo = {start}, [start]
    while todo:
        for node in after[todo.pop()]:
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return False


_NUMBERS = ("bool", "int32", "int64", "real")  # mixed, a column takes the latest of them
_LISTS = ("intlist", "int64list", "reallist")  # the same for arrays of numbers
_LIST_DTYPES = {"intlist": np.int32, "int64list": np.int64, "reallist": np.float64}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
# What GDAL takes for a date, a date and time or a time: only the plain date is read here.
_DATE_LIKE = re.compile(
    r"(\d{4}[-/]\d{2}[-/]\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?"
    r"|\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)\Z"
)
_INT32 = range(-(2**31), 2**31)
_INT64 = range(-(2**63), 2**63)


def _kind(name: str, value: Any) -> str:
    """The type GDAL gives one value that is not null."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        if value not in _INT64:
            raise GeoJSONError(f"property {name!r}: {value} is past a 64-bit integer")
        return "int32" if value in _INT32 else "int64"
    if isinstance(value, float):
        return "real"
    if isinstance(value, str):
        if not _DATE_LIKE.match(value):
            return "string"
        if not _DATE.match(value):
            raise GeoJSONError(f"property {name!r}: {value!r}: only dates written YYYY-MM-DD are read")
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise GeoJSONError(f"property {name!r}: {value!r} is not a date") from None
        return "date"
    if isinstance(value, list):
        if not value:
            return "emptylist"
        if all(isinstance(v, str) for v in value):
            return "strlist"
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            widest = max((_kind(name, v) for v in value), key=_NUMBERS.index)
            return {"int32": "intlist", "int64": "int64list", "real": "reallist"}[widest]
        return "json"
    if isinstance(value, dict):
        return "json"
    raise GeoJSONError(f"property {name!r}: {value!r} is not a JSON value")


def _merged(name: str, kind: str | None, new: str) -> str:
    """The type of a column whose values so far are of `kind` (None: only nulls) once it also has a `new` one."""
    if kind is None:
        return "json" if new == "emptylist" else new  # an array first seen empty: GDAL keeps it as JSON
    if new == kind or (new == "emptylist" and (kind in _LISTS or kind in ("strlist", "json"))):
        return kind
    if kind in _NUMBERS and new in _NUMBERS:
        return max(kind, new, key=_NUMBERS.index)
    if kind in _LISTS and new in _LISTS:
        return max(kind, new, key=_LISTS.index)
    if {kind, new} <= {"string", "date"}:
        return "string"
    if {kind, new} <= {*_NUMBERS, "string", "date", "numbers_in_text"}:
        return "numbers_in_text"  # strings, which pyogrio then reads as JSON if every one is
    if {kind, new} <= {*_LISTS, "strlist", "json"} and "json" in (kind, new):
        return "json"
    raise GeoJSONError(f"property {name!r}: values of two kinds, {kind} and {new}, which this reader does not mix")


def _column_kind(name: str, values: list[Any]) -> str | None:
    kind: str | None = None
    for value in values:
        if value is not None:
            kind = _merged(name, kind, _kind(name, value))
    return kind


def _column(name: str, kind: str | None, values: list[Any]) -> np.ndarray:
    """One property of every feature as the array pyogrio gives pandas (see the module's docstring)."""
    missing = any(value is None for value in values)
    if kind in _NUMBERS:
        if missing:
            return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
        return np.array(
            values, dtype={"bool": np.bool_, "int32": np.int32, "int64": np.int64, "real": np.float64}[kind]
        )
    if kind == "date":
        return np.array(values, dtype="datetime64[ms]")
    column = np.empty(len(values), dtype=object)  # filled one by one: numpy would make arrays of the lists
    for row, value in enumerate(values):
        if value is None:
            column[row] = np.nan if kind == "json" else None
        elif kind == "strlist":
            column[row] = np.array(value)  # [] is numpy's float64 empty array, as pyogrio gives it
        elif kind in _LIST_DTYPES:
            column[row] = np.array(value, dtype=_LIST_DTYPES[kind])
        elif kind in ("string", "numbers_in_text"):
            column[row] = _as_text(name, value)
        else:
            column[row] = value
    return column


def _as_text(name: str, value: Any) -> str:
    """A value in a column of strings, written as GDAL writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or isinstance(value, str):
        return str(value)
    raise GeoJSONError(f"property {name!r}: {value!r} among strings")


def _crs(document: dict[str, Any]) -> str:
    """RFC 7946's EPSG:4326, or the name in a legacy `crs` member."""
    crs = document.get("crs")
    if crs is None:
        return "EPSG:4326"
    try:
        return str(crs["properties"]["name"])
    except (KeyError, TypeError):
        raise GeoJSONError("a 'crs' member without a name") from None
