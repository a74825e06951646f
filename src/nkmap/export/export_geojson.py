"""The features in force on a date as one GeoJSON FeatureCollection, each tagged with its layer; and a whole
layer as loaded (every date, citations resolved), for the site's downloads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import geopandas as gpd

from nkmap.data.dataset import Dataset, json_value
from nkmap.model.timeline import state_on


def features_of(frame: gpd.GeoDataFrame, layer_id: str) -> list[dict[str, Any]]:
    """A layer's rows as GeoJSON features (JSON values; `properties.layer` says which layer); empty geometries
    are left out."""
    features = []
    props_cols = [c for c in frame.columns if c != frame.geometry.name]
    for row, geom in zip(frame[props_cols].to_dict("records"), frame.geometry):
        if geom is None or geom.is_empty:
            continue
        props = {k: json_value(v) for k, v in row.items()}
        props["layer"] = layer_id
        features.append({"type": "Feature", "properties": props, "geometry": geom.__geo_interface__})
    return features


def feature_collection_on(ds: Dataset, day: dt.date, layers: list[str] | None = None) -> dict[str, Any]:
    """Every feature in force on `day` (all layers, or the named ones); `properties.layer` says which layer."""
    features = []
    for layer_id, frame in state_on(ds, day, layers).items():
        features += features_of(frame, layer_id)
    return {
        "type": "FeatureCollection",
        "name": f"nkmap {day.isoformat()}",
        "date": day.isoformat(),
        "features": features,
    }


def geojson_bytes(ds: Dataset, day: dt.date, layers: list[str] | None = None) -> bytes:
    return json.dumps(feature_collection_on(ds, day, layers), ensure_ascii=False).encode("utf-8")


def layer_bytes(ds: Dataset, layer_id: str) -> bytes:
    """One layer as the loader holds it (all its features over the whole timeline, citations as full records),
    each feature with the properties it has: the empty cells of the layer's table (a property only other features
    carry) are left out, as geo/ writes them, and the JSON has no spaces (the site's downloads, within its budget)."""
    features = features_of(ds.layers[layer_id], layer_id)
    for feature in features:
        feature["properties"] = {k: v for k, v in feature["properties"].items() if v is not None}
    collection = {"type": "FeatureCollection", "name": layer_id, "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
