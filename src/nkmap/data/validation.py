"""Check a dataset directory and name every problem: the file, the feature id and what is wrong.

Reads the raw JSON (not GeoPandas) so that a broken file still yields precise messages; never raises.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from nkmap.data.dataset import PRECISIONS
from nkmap.data.geometry import area_km2
from nkmap.data.sources import (
    CATALOGUE_FILE,
    SUPPORT_LEVELS,
    Catalogue,
    check_citation,
    check_record,
    read_catalogue_json,
)
from nkmap.data.story import check_stories, stories_dir, story_files
from nkmap.data.translations import LANGUAGES as TRANSLATED_LANGUAGES
from nkmap.data.translations import MIN_SCRIPT_SHARE, SCRIPTS, check_translations, script_share

GEOMETRY_KINDS = {
    "area": {"Polygon", "MultiPolygon"},
    "line": {"LineString", "MultiLineString"},
    "point": {"Point", "MultiPoint"},
}
CONTROL_ROLES = ("baseline", "change", "confirmation")  # a confirmation changes no holder, only the support
DERIVED_LAYERS = (
    "control",
    "events",
)  # what a manifest layer may be derived from (by nkmap.model.timeline or a filter)
#: The research files a dataset is made from (never shipped, so no reader can look them up): a text that names one
#: tells the reader about our workshop instead of the source; `by` says who said it, never a file.
INTERNAL_NAMES = re.compile(
    r"fact sheet|\b(?:facts|captures|lines|independent)\.(?:json|md)\b|docs/notes|shared/facts|stored in GitHub",
    re.IGNORECASE,
)
#: A place's research trail (how the import decided), kept in the data but shown to no reader.
COORD_TEXTS = ("coord_source", "coord_note")
RESEARCH_FIELDS = frozenset(
    {"notes", "side_1994_basis", "from_sets", "capture_claim_note", "district_as_given", "names_note", "sources"}
)
OVERLAP_TOLERANCE_KM2 = 0.5  # shared edges of hand-drawn areas produce slivers far below this
COVERAGE_TOLERANCE = 0.01  # share of the region that may be left uncovered by the baseline


@dataclass(frozen=True)
class Problem:
    file: str
    feature_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.feature_id}" if self.feature_id else self.file
        return f"{where}: {self.message}"


def _date(value: Any) -> dt.date:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError
    return dt.date.fromisoformat(value)


def _read_json(path: Path, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(path.name, None, "file is missing"))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(path.name, None, "not UTF-8 text, so not GeoJSON"))
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                path.name, None, f"not valid JSON, so not GeoJSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            )
        )
        return None


def _check_citations(
    fname: str, label: str, citations: Any, catalogue: Catalogue, problems: list[Problem], where: str = ""
) -> None:
    if not isinstance(citations, list) or not citations:
        problems.append(Problem(fname, label, f"missing source{where} (sources must be a non-empty list of citations)"))
        return
    for citation in citations:
        problem = check_citation(citation, catalogue)
        if problem:
            problems.append(Problem(fname, label, problem + where))


def _check_catalogue(root: Path, problems: list[Problem]) -> Catalogue:
    data = _read_json(root / CATALOGUE_FILE, problems)
    if data is None:
        return Catalogue()
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        problems.append(Problem(CATALOGUE_FILE, None, "expected an object with a 'sources' list of records"))
        return Catalogue()
    catalogue = read_catalogue_json(data)
    seen: set[str] = set()
    for index, rec in enumerate(data["sources"]):
        rid = rec.get("id") if isinstance(rec, dict) else None
        label = rid if isinstance(rid, str) and rid else f"source #{index}"
        if not isinstance(rid, str) or not rid:
            problems.append(Problem(CATALOGUE_FILE, label, "source record without id"))
        elif rid in seen:
            problems.append(Problem(CATALOGUE_FILE, label, "duplicate source id"))
        else:
            seen.add(rid)
        problems += [Problem(CATALOGUE_FILE, label, m) for m in check_record(rec, catalogue)]
    return catalogue


def _check_feature(
    fname: str,
    index: int,
    feature: Any,
    kind: str | None,
    sides: set[str],
    layer_id: str,
    seen_ids: dict[str, str],
    problems: list[Problem],
    catalogue: Catalogue | None = None,
) -> tuple[str | None, Any, dict] | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(Problem(fname, f"feature #{index}", "not a GeoJSON Feature"))
        return None
    props = feature.get("properties")
    if not isinstance(props, dict):
        problems.append(Problem(fname, f"feature #{index}", "has no properties"))
        return None
    fid = props.get("id")
    label = fid if isinstance(fid, str) and fid else f"feature #{index}"
    if not isinstance(fid, str) or not fid:
        problems.append(Problem(fname, label, "missing id"))
    elif fid in seen_ids:
        problems.append(Problem(fname, label, f"duplicate id (also in {seen_ids[fid]})"))
    else:
        seen_ids[fid] = fname
    if not isinstance(props.get("name_en"), str) or not props["name_en"].strip():
        problems.append(Problem(fname, label, "missing name_en"))
    catalogue = catalogue if catalogue is not None else Catalogue()
    _check_citations(fname, label, props.get("sources"), catalogue, problems)
    for entry in props.get("history") or []:
        if isinstance(entry, dict):
            _check_citations(
                fname,
                label,
                entry.get("sources"),
                catalogue,
                problems,
                where=f" in the history entry of {entry.get('date')} ({entry.get('kind')})",
            )
    problems += [Problem(fname, label, m) for m in internal_name_problems(props)]
    for key in COORD_TEXTS:  # where a position was read is shown with it: never a host that is not a source
        if isinstance(props.get(key), str):
            for host, reason in catalogue.denied_in_text(props[key]):
                problems.append(
                    Problem(fname, label, f"{key} names {host}, which is on the deny-list ({reason}): cite the source")
                )
    for lang in TRANSLATED_LANGUAGES:  # the project's form of a main place's name (geo/SOURCES.md)
        form = props.get(f"label_{lang}")
        if form is None:
            continue
        share, letters = script_share(form, lang) if isinstance(form, str) else (0.0, 0)
        if not isinstance(form, str) or not form.strip() or (letters and share < MIN_SCRIPT_SHARE[lang]):
            problems.append(
                Problem(fname, label, f"label_{lang} {form!r} is not a name in {SCRIPTS[lang].title()} script")
            )
    if props.get("precision") not in PRECISIONS:
        problems.append(
            Problem(fname, label, f"bad precision {props.get('precision')!r} (use one of {', '.join(PRECISIONS)})")
        )
    start = end = None
    try:
        start = _date(props.get("valid_from"))
    except (ValueError, TypeError):
        problems.append(Problem(fname, label, f"bad date in valid_from: {props.get('valid_from')!r} (use YYYY-MM-DD)"))
    if props.get("valid_to") is not None:
        try:
            end = _date(props.get("valid_to"))
        except (ValueError, TypeError):
            problems.append(Problem(fname, label, f"bad date in valid_to: {props.get('valid_to')!r} (use YYYY-MM-DD)"))
    if start and end and end < start:
        problems.append(Problem(fname, label, f"valid_to {end} is before valid_from {start}"))
    if layer_id == "control":
        if props.get("side") not in sides:
            problems.append(
                Problem(fname, label, f"unknown side {props.get('side')!r} (known: {', '.join(sorted(sides))})")
            )
        if props.get("role") not in CONTROL_ROLES:
            problems.append(
                Problem(fname, label, f"bad role {props.get('role')!r} (use baseline, change or confirmation)")
            )
        if props.get("role") in ("change", "confirmation") and props.get("support") not in SUPPORT_LEVELS:
            problems.append(
                Problem(
                    fname,
                    label,
                    f"change area without support {props.get('support')!r} (use one of {', '.join(SUPPORT_LEVELS)})",
                )
            )
    geometry = feature.get("geometry")
    if geometry is None:
        problems.append(Problem(fname, label, "bad geometry: none"))
        return None
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        problems.append(Problem(fname, label, f"bad geometry: cannot be read ({exc})"))
        return None
    if kind and geom.geom_type not in GEOMETRY_KINDS.get(kind, {geom.geom_type}):
        problems.append(Problem(fname, label, f"bad geometry: {geom.geom_type} in a layer of {kind}s"))
        return None
    if geom.is_empty:
        problems.append(Problem(fname, label, "bad geometry: empty"))
        return None
    if not geom.is_valid:
        problems.append(Problem(fname, label, f"bad geometry: {explain_validity(geom)}"))
        return None
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        problems.append(Problem(fname, label, "bad geometry: coordinates are not longitude/latitude (EPSG:4326)"))
        return None
    return (fid if isinstance(fid, str) else None, geom, props)


def internal_name_problems(props: dict[str, Any]) -> list[str]:
    """Where a feature's texts a reader sees name our research files, or a history entry's `by` or text names any
    file (".json"): who said it is a publisher, a side or an authority."""
    out = []

    def visit(value: Any, where: str) -> None:
        if isinstance(value, str):
            found = INTERNAL_NAMES.search(value)
            if found:
                out.append(f"{where} names an internal research file ({found.group()!r}): name the source instead")
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in RESEARCH_FIELDS:
                    visit(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list):
            for item in value:
                visit(item, where)

    visit(props, "")
    for entry in props.get("history") or []:
        if not isinstance(entry, dict):
            continue
        for key, text in entry.items():
            if (key == "by" or key.startswith(("by_", "text_"))) and isinstance(text, str) and ".json" in text.lower():
                out.append(f"history entry of {entry.get('date')}: {key} names a file ({text[:80]!r})")
    return out


def _check_control(
    fname: str, features: list[tuple[str | None, Any, dict]], region: Any, problems: list[Problem]
) -> None:
    baseline = [(fid, g, p) for fid, g, p in features if p.get("role") == "baseline"]
    for i, (fa, ga, pa) in enumerate(baseline):
        for fb, gb, pb in baseline[i + 1 :]:
            if pa.get("side") != pb.get("side") and ga.intersects(gb):
                shared = area_km2(ga.intersection(gb))
                if shared > OVERLAP_TOLERANCE_KM2:
                    problems.append(Problem(fname, fa, f"overlapping control: overlaps {fb} by {shared:.1f} km²"))
    changes = [(fid, g, p) for fid, g, p in features if p.get("role") == "change"]
    by_date: dict[Any, list] = {}
    for item in changes:
        by_date.setdefault(item[2].get("valid_from"), []).append(item)
    for day, items in by_date.items():
        for i, (fa, ga, pa) in enumerate(items):
            for fb, gb, pb in items[i + 1 :]:
                if pa.get("side") != pb.get("side") and ga.intersects(gb):
                    shared = area_km2(ga.intersection(gb))
                    if shared > OVERLAP_TOLERANCE_KM2:
                        problems.append(
                            Problem(
                                fname,
                                fa,
                                f"overlapping control: on {day} passes to {pa.get('side')} "
                                f"an area that {fb} gives to {pb.get('side')} ({shared:.1f} km²)",
                            )
                        )
    if region is not None and baseline:
        covered = shapely.union_all([g for _, g, _ in baseline])
        gap = area_km2(region.difference(covered))
        whole = area_km2(region)
        if whole and gap / whole > COVERAGE_TOLERANCE:
            problems.append(
                Problem(
                    fname, None, f"baseline control leaves {gap:.0f} km² of the region ({gap / whole:.1%}) uncovered"
                )
            )
        # The modelled frame: the region and whatever else the baseline gives a holder (the rest of Azerbaijan, Armenia).
        frame = shapely.union_all([region, covered]).buffer(0.01)
        for fid, g, _ in changes:
            outside = area_km2(g.difference(frame))
            if outside > OVERLAP_TOLERANCE_KM2:
                problems.append(
                    Problem(fname, fid, f"change area reaches {outside:.1f} km² outside the modelled frame")
                )


def validate_dataset(geo_dir: str | Path) -> list[Problem]:
    """Every problem in the dataset at `geo_dir`; an empty list means it is valid."""
    root = Path(geo_dir)
    problems: list[Problem] = []
    if not root.is_dir():
        return [Problem(str(root), None, "no such directory")]
    manifest = _read_json(root / "manifest.json", problems)
    if not isinstance(manifest, dict):
        if manifest is not None:
            problems.append(Problem("manifest.json", None, "must be a JSON object"))
        return problems
    version = manifest.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(
            Problem("manifest.json", None, "needs a 'version' (text, e.g. \"1.0\"): the page says which data it shows")
        )
    sides = set(manifest.get("sides", {}))
    if not sides:
        problems.append(Problem("manifest.json", None, "no sides declared"))
    timeline = manifest.get("timeline", {})
    t_start: dt.date | None
    t_end: dt.date | None
    try:
        t_start, t_end = _date(timeline.get("start")), _date(timeline.get("end"))
        if t_end <= t_start:
            problems.append(Problem("manifest.json", None, "timeline end is not after its start"))
    except (ValueError, TypeError):
        problems.append(Problem("manifest.json", None, "timeline start/end must be YYYY-MM-DD dates"))
        t_start = t_end = None
    for k in manifest.get("key_dates", []):
        try:
            day = _date(k.get("date"))
            if t_start and t_end and not t_start <= day <= t_end:
                problems.append(Problem("manifest.json", k.get("date"), "key date outside the timeline"))
        except (ValueError, TypeError, AttributeError):
            problems.append(Problem("manifest.json", str(k), "bad key date (use YYYY-MM-DD)"))
    catalogue = _check_catalogue(root, problems)
    seen_ids: dict[str, str] = {}
    parsed: dict[str, list] = {}
    layer_files: dict[str, tuple[str, Any]] = {}  # each layer's file, read once here, for its translations
    layer_ids = set()
    for spec in manifest.get("layers", []):
        if isinstance(spec, dict) and "id" in spec and spec.get("derived") is not None:
            if spec["derived"] not in DERIVED_LAYERS:
                problems.append(
                    Problem(
                        "manifest.json",
                        spec["id"],
                        f"unknown derived layer {spec['derived']!r} (known: {', '.join(DERIVED_LAYERS)})",
                    )
                )
            elif spec["derived"] == "events" and not isinstance(spec.get("filter"), dict):
                problems.append(
                    Problem(
                        "manifest.json",
                        spec["id"],
                        'a layer taken out of the events needs a filter, e.g. {"event_type": ["context"]}',
                    )
                )
            if spec["id"] in layer_ids:
                problems.append(Problem("manifest.json", spec["id"], "layer listed twice"))
            layer_ids.add(spec["id"])
            continue
        if not isinstance(spec, dict) or "id" not in spec or "file" not in spec:
            problems.append(Problem("manifest.json", None, f"layer entry needs id and file: {spec!r}"))
            continue
        if spec["id"] in layer_ids:
            problems.append(Problem("manifest.json", spec["id"], "layer listed twice"))
        layer_ids.add(spec["id"])
        fname = spec["file"]
        data = _read_json(root / fname, problems)
        if data is None:
            continue
        if (
            not isinstance(data, dict)
            or data.get("type") != "FeatureCollection"
            or not isinstance(data.get("features"), list)
        ):
            problems.append(Problem(fname, None, "not GeoJSON: expected a FeatureCollection with a features list"))
            continue
        layer_files[spec["id"]] = (fname, data)
        items = []
        for index, feature in enumerate(data["features"]):
            checked = _check_feature(
                fname, index, feature, spec.get("geometry"), sides, spec["id"], seen_ids, problems, catalogue
            )
            if checked:
                items.append(checked)
        parsed[spec["id"]] = items
    for required in ("control", "events"):
        if required not in layer_ids:
            problems.append(Problem("manifest.json", None, f"no '{required}' layer"))
    for k in manifest.get("key_dates", []):
        if isinstance(k, dict) and k.get("event_id") and k["event_id"] not in seen_ids:
            problems.append(
                Problem("manifest.json", k.get("date"), f"key date names an unknown event {k['event_id']!r}")
            )
    region = None
    region_layer = manifest.get("region_layer")
    if region_layer and parsed.get(region_layer):
        region = shapely.union_all([g for _, g, _ in parsed[region_layer]])
    if "control" in parsed:
        control_file = next(s["file"] for s in manifest["layers"] if isinstance(s, dict) and s.get("id") == "control")
        _check_control(control_file, parsed["control"], region, problems)
    # Classroom stories are data too: each problem names the story file and the step.
    ids = {layer: [fid for fid, _, _ in items if fid] for layer, items in parsed.items()}
    problems += [Problem(p.file, p.step, p.message) for p in check_stories(root, manifest, ids)]
    # The record's texts in az, hy and ru: each present, in its script, with the English's numbers.
    directory = stories_dir(root, manifest)
    stories = [(f"{directory.name}/{p.name}", p) for p in story_files(directory)] if directory else []
    publishers = {rid: str(rec.get("publisher") or "") for rid, rec in catalogue.records.items()}
    problems += [
        Problem(p.file, p.where, p.message) for p in check_translations(manifest, layer_files, stories, publishers)
    ]
    return problems
