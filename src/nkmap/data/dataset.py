"""Load the `geo/` dataset (manifest + one GeoJSON per layer) into GeoDataFrames, once per process.

Loading trusts files that `validation.validate_dataset` accepts; when a file cannot be read the error names it
and points at `nkmap validate`, which lists every problem with the feature it is in.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd

from nkmap.data.geojson_file import GeoJSONError, read_geojson
from nkmap.data.sources import Catalogue, load_catalogue

C = TypeVar("C")
GEO_ENV = "NKMAP_GEO"
PRECISIONS = ("exact", "approximate", "schematic")


class DatasetError(Exception):
    """The dataset cannot be loaded; the message names the file and says what to run."""


@dataclass(frozen=True)
class LayerSpec:
    """One layer as the manifest declares it."""

    id: str
    file: str
    title: str
    group: str
    geometry: str
    default_visible: bool
    display: bool
    style: dict[str, Any]
    legend: list[dict[str, Any]]
    derived: str | None = None  # computed from another layer (e.g. `support` from `control`); no file of its own
    filter: dict[str, list[Any]] | None = None  # for a layer taken out of another: the rows whose column is in the list


@dataclass(frozen=True)
class KeyDate:
    date: dt.date
    label_en: str
    event_id: str | None = None


@dataclass
class Dataset:
    """The validated dataset: manifest, layers as GeoDataFrames (EPSG:4326), timeline bounds."""

    geo_dir: Path
    manifest: dict[str, Any]
    layer_specs: list[LayerSpec]
    layers: dict[str, gpd.GeoDataFrame]
    start: dt.date
    end: dt.date
    default_date: dt.date
    key_dates: list[KeyDate]
    catalogue: Catalogue = field(default_factory=Catalogue, repr=False)
    # Per layer read from a file: the file's top-level `metadata` object ({} when it has none).
    layer_metadata: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    # What the layers above compute from the dataset (control per epoch, the name index ...): per memo class (a
    # dataclass of typed `Memo`s, declared by the module that fills it), its instance; see `caches`.
    _caches: dict[type, Any] = field(default_factory=dict, repr=False)

    @property
    def sides(self) -> dict[str, dict[str, Any]]:
        return self.manifest["sides"]

    @property
    def version(self) -> str:
        """The manifest's `version` of the data (said in the page's About and checked by `nkmap validate`)."""
        return str(self.manifest.get("version") or "unversioned")

    def spec(self, layer_id: str) -> LayerSpec:
        for spec in self.layer_specs:
            if spec.id == layer_id:
                return spec
        raise KeyError(layer_id)

    @property
    def history_layers(self) -> list[str]:
        return [s.id for s in self.layer_specs if s.group == "history" and s.display]

    @property
    def display_layers(self) -> list[str]:
        return [s.id for s in self.layer_specs if s.display]

    def days(self) -> list[dt.date]:
        n = (self.end - self.start).days
        return [self.start + dt.timedelta(days=i) for i in range(n + 1)]

    def caches(self, kind: type[C]) -> C:
        """This dataset's instance of the memo class `kind` (made empty on first use): results that depend only on
        the dataset live with it, each in a named, typed memo of the module that computes it."""
        memos = self._caches.get(kind)
        if memos is None:
            memos = self._caches.setdefault(kind, kind())
        return memos

    def clear_caches(self, kind: type | None = None) -> None:
        """Forget what was computed: the memos of class `kind`, or all of them (benchmarks time cold runs)."""
        if kind is None:
            self._caches.clear()
        else:
            self._caches.pop(kind, None)

    def kept_values(self) -> Iterator[Any]:
        """What the dataset holds for the life of the process, each object once: its layers and its memos' values
        (a dict's or a list's items, one level down), for `process_memory.forget_dead_views`, which takes the
        frames among them."""
        seen: set[int] = set()
        for value in self._kept_values():
            if id(value) not in seen:
                seen.add(id(value))
                yield value

    def _kept_values(self) -> Iterator[Any]:
        yield from self.layers.values()
        for memos in list(self._caches.values()):
            for name in getattr(memos, "__dataclass_fields__", {}):
                for value in getattr(memos, name).values():
                    if isinstance(value, dict):
                        yield from value.values()
                    elif isinstance(value, list | tuple):
                        yield from value
                    else:
                        yield value

    def __hash__(self) -> int:  # lets Streamlit and lru caches key on the dataset object
        return id(self)


def default_geo_dir() -> Path:
    """`$NKMAP_GEO`, else `./geo`, else the `geo/` beside the source checkout. A `./geo` without a manifest is the
    dataset the user meant, broken: it is returned, so loading it names what is missing instead of silently
    showing another dataset."""
    env = os.environ.get(GEO_ENV)
    if env:
        return Path(env)
    here = Path.cwd() / "geo"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[3] / "geo"


def iso_date(value: Any) -> dt.date | None:
    """A date from what a GeoJSON reader gives back (ISO string, Timestamp, None/NaT)."""
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    return dt.date.fromisoformat(str(value)[:10])


def as_list(value: Any) -> list[Any]:
    """Lists come back from GeoJSON as lists, numpy arrays, JSON strings or None."""
    if value is None:
        return []
    if isinstance(value, float) and np.isnan(value):
        return []
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return list(json.loads(text))
            except json.JSONDecodeError:
                pass
        return [value]
    return [value]


def plain_value(value: Any) -> Any:
    """A GeoDataFrame cell as plain Python: None for NaN/NaT, lists for arrays, `datetime.date` for timestamps,
    Python scalars for numpy ones (recursively through lists and dicts). Every consumer of frame rows uses it."""
    if value is None or value is pd.NaT:  # NaT first: it is also a datetime, whose isoformat() is 'NaT'
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, np.ndarray):
        return [plain_value(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def json_value(value: Any) -> Any:
    """`plain_value`, with dates as ISO strings: what GeoJSON and the browser get."""
    value = plain_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value


def read_manifest(geo_dir: Path) -> dict[str, Any]:
    path = geo_dir / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(f"{path}: no manifest; is {geo_dir} an nkmap dataset?") from None
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}: not valid JSON ({exc}); run `nkmap validate {geo_dir}`") from None


def layer_specs_from(manifest: dict[str, Any]) -> list[LayerSpec]:
    specs = []
    for raw in manifest.get("layers", []):
        specs.append(
            LayerSpec(
                id=raw["id"],
                file=raw.get("file", ""),
                title=raw.get("title", raw["id"]),
                group=raw.get("group", "history"),
                geometry=raw.get("geometry", "area"),
                default_visible=bool(raw.get("default_visible", True)),
                display=bool(raw.get("display", True)),
                style=dict(raw.get("style", {})),
                legend=list(raw.get("legend", [])),
                derived=raw.get("derived"),
                filter=raw.get("filter"),
            )
        )
    return specs


def _normalise(frame: gpd.GeoDataFrame, catalogue: Catalogue) -> gpd.GeoDataFrame:
    """Dates as `datetime.date`, citations as full source records (publisher, title, date, url, language, kind,
    role), also in a place's `history`, so every consumer sees one shape of data."""
    frame = frame.copy()
    for column in ("valid_from", "valid_to"):
        if column not in frame.columns:
            frame[column] = None
        frame[column] = pd.Series([iso_date(v) for v in frame[column]], index=frame.index, dtype=object)
    if "sources" in frame.columns:
        frame["sources"] = pd.Series(
            [catalogue.resolve_all(as_list(v)) for v in frame["sources"]], index=frame.index, dtype=object
        )
    if "history" in frame.columns:
        frame["history"] = pd.Series(
            [_resolved_history(as_list(v), catalogue) for v in frame["history"]], index=frame.index, dtype=object
        )
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def _resolved_history(entries: list[Any], catalogue: Catalogue) -> list[Any]:
    out = []
    for entry in entries:
        if isinstance(entry, dict):
            entry = {**entry, "sources": catalogue.resolve_all(as_list(entry.get("sources")))}
        out.append(entry)
    return out


def read_layer(
    path: Path, catalogue: Catalogue | None = None, metadata: dict[str, Any] | None = None
) -> gpd.GeoDataFrame:
    """One layer file as a normalised GeoDataFrame; a clear DatasetError when it cannot be read. The file is read
    once: given a `metadata` dict, the file's top-level `metadata` object (if any) is copied into it."""
    try:
        frame = read_geojson(path.read_bytes(), metadata)
    except (OSError, GeoJSONError) as exc:
        raise DatasetError(f"{path}: cannot be read as GeoJSON ({exc}); run `nkmap validate {path.parent}`") from None
    try:
        return _normalise(frame, catalogue if catalogue is not None else load_catalogue(path.parent))
    except (ValueError, TypeError) as exc:
        raise DatasetError(f"{path}: bad value ({exc}); run `nkmap validate {path.parent}`") from None


def _fingerprint(geo_dir: Path) -> tuple:
    files = sorted(p for p in geo_dir.glob("*") if p.suffix in (".json", ".geojson"))
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)


_CACHE: dict[tuple, Dataset] = {}


def loaded_datasets() -> list[Dataset]:
    """The datasets this process has loaded (kept by `load_dataset`)."""
    return list(_CACHE.values())


def load_dataset(geo_dir: str | os.PathLike | None = None) -> Dataset:
    """The dataset in `geo_dir` (default: see `default_geo_dir`), read once per process and file state."""
    root = Path(geo_dir) if geo_dir is not None else default_geo_dir()
    root = root.resolve()
    if not root.is_dir():
        raise DatasetError(f"{root}: no such dataset directory")
    key = (str(root), _fingerprint(root))
    if key in _CACHE:
        return _CACHE[key]
    manifest = read_manifest(root)
    specs = layer_specs_from(manifest)
    catalogue = load_catalogue(root)
    layers = {}
    metadata: dict[str, dict[str, Any]] = {}
    for spec in specs:
        if spec.derived and not spec.filter:  # filled by `timeline` per date; an empty frame keeps `ds.layers` complete
            layers[spec.id] = gpd.GeoDataFrame({"id": [], "valid_from": [], "valid_to": []}, geometry=[], crs=4326)
            continue
        if spec.derived:
            continue
        path = root / spec.file
        if not path.is_file():
            raise DatasetError(f"{path}: layer '{spec.id}' is listed in the manifest but the file is missing")
        metadata[spec.id] = {}
        layers[spec.id] = read_layer(path, catalogue, metadata[spec.id])
    for spec in specs:  # layers taken out of another (e.g. context events out of the events): shown and hidden apart
        if spec.derived and spec.filter and spec.derived in layers:
            base = layers[spec.derived]
            mask = np.ones(len(base), dtype=bool)
            for column, values in spec.filter.items():
                mask &= base[column].isin(values).to_numpy() if column in base.columns else False
            layers[spec.id] = base[mask]
            layers[spec.derived] = base[~mask]
    timeline = manifest["timeline"]
    ds = Dataset(
        geo_dir=root,
        manifest=manifest,
        layer_specs=specs,
        layers=layers,
        start=dt.date.fromisoformat(timeline["start"]),
        end=dt.date.fromisoformat(timeline["end"]),
        default_date=dt.date.fromisoformat(timeline.get("default", timeline["start"])),
        key_dates=[
            KeyDate(dt.date.fromisoformat(k["date"]), k["label_en"], k.get("event_id"))
            for k in manifest.get("key_dates", [])
        ],
        catalogue=catalogue,
        layer_metadata=metadata,
    )
    for old in [k for k in _CACHE if k[0] == key[0]]:
        del _CACHE[old]  # a changed dataset replaces its older version
    _CACHE[key] = ds
    return ds
