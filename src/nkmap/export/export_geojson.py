"""The features in force on a date as one GeoJSON FeatureCollection, each tagged with its layer."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from nkmap.data.dataset import Dataset, json_value
from nkmap.model.timeline import state_on


def feature_collection_on(ds: Dataset, day: dt.date, layers: list[str] | None = None) -> dict[str, Any]:
    """Every feature in force on `day` (all layers, or the named ones); `properties.layer` says which layer."""
    features = []
    for layer_id, frame in state_on(ds, day, layers).items():
        props_cols = [c for c in frame.columns if c != frame.geometry.name]
        for row, geom in zip(frame[props_cols].to_dict("records"), frame.geometry):
            if geom is None or geom.is_empty:
                continue
            props = {k: json_value(v) for k, v in row.items()}
            props["layer"] = layer_id
            features.append({"type": "Feature", "properties": props, "geometry": geom.__geo_interface__})
    return {
        "type": "FeatureCollection",
        "name": f"nkmap {day.isoformat()}",
        "date": day.isoformat(),
        "features": features,
    }


def geojson_bytes(ds: Dataset, day: dt.date, layers: list[str] | None = None) -> bytes:
    return json.dumps(feature_collection_on(ds, day, layers), ensure_ascii=False).encode("utf-8")
