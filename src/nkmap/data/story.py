"""Classroom stories: an ordered walk through dated map views, kept as data (`geo/stories/<id>.json`).

A teacher can write their own file next to the shipped ones; the classroom page lists every file in the
dataset's stories directory (the manifest's `stories_dir`). Every problem in a file is named with the file and
the step (`stories/x.json, step 3: ...`), so a broken story gets a message, never a traceback; `nkmap validate`
runs the same checks. The format is described in docs/stories.md.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, cast

from nkmap.data.dataset import Dataset
from nkmap.data.memo import Memo, Once
from nkmap.data.sources import CITATION_ROLES, load_catalogue
from nkmap.data.translations import STEP_FIELDS, STORY_FIELDS, TRANSLATIONS_KEY, translated_keys

#: Keys a story file and a step may have; anything else is reported (a typo would otherwise be ignored silently).
#: The translated texts (`title_hy`, `caption_ru` ...) are checked by nkmap.data.translations (`nkmap validate`).
STORY_KEYS = {"title_en", "description_en", "steps", TRANSLATIONS_KEY}
STEP_KEYS = {
    "date",
    "title_en",
    "caption_en",
    "wording_az",
    "wording_hy",
    "view",
    "events",
    "places",
    "features",
    "sources",
}
VIEW_KEYS = {"center", "zoom", "layers"}
TRANSLATED_STORY_KEYS, TRANSLATED_STEP_KEYS = translated_keys(STORY_FIELDS), translated_keys(STEP_FIELDS)
#: A caption longer than this does not fit beside the map in type readable from the back of a classroom.
MAX_CAPTION = 600
MAX_TITLE = 120
#: Zoom levels the map offers (nkmap.web.mapview.MIN_ZOOM / MAX_ZOOM; repeated so validation needs no folium).
MIN_ZOOM, MAX_ZOOM = 6, 14
#: Layer ids whose features a step may cite under `events` and `places`.
EVENTS_LAYER, PLACES_LAYER = "events", "places"
PLACE_LABEL_KEYS = ("label_az", "label_hy", "label_ru")


@dataclass(frozen=True)
class StoryProblem:
    """One problem in a story file: the file (relative to the dataset), the step ("step 3") and what is wrong."""

    file: str
    step: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.step}: {self.message}" if self.step else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class StoryView:
    """Where the map looks at a step: centre, zoom and the layers shown (None: the dataset's default layers)."""

    lat: float
    lon: float
    zoom: int
    layers: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as the page shows it
    day: dt.date
    title: str
    caption: str
    view: StoryView
    wording_az: str | None = None
    wording_hy: str | None = None
    events: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    sources: tuple[dict[str, Any], ...] = ()  # the step's own citations: {"source": record id, "role": ...}
    #: The step's texts in other languages as (key, text) pairs (`title_az`, `caption_ru`, `wording_hy_in_ru` ...);
    #: `translations.text_in(step.texts(), "caption_en", STEP_FIELDS, lang)` picks one.
    translated: tuple[tuple[str, str], ...] = ()

    def texts(self) -> dict[str, Any]:
        """The step's English texts and their translations, keyed as in the story file."""
        english = {"title_en": self.title, "caption_en": self.caption}
        return {**english, "wording_az": self.wording_az, "wording_hy": self.wording_hy, **dict(self.translated)}


@dataclass(frozen=True)
class Story:
    id: str  # the file name without .json
    file: str  # e.g. "stories/war-and-aftermath.json"
    title: str
    description: str
    steps: tuple[Step, ...]
    translated: tuple[tuple[str, str], ...] = ()  # `title_az`, `description_ru` ... (see Step.translated)

    def texts(self) -> dict[str, Any]:
        """The story's English texts and their translations, keyed as in the story file."""
        return {"title_en": self.title, "description_en": self.description, **dict(self.translated)}


@dataclass(frozen=True)
class Catalogue:
    """What a story may refer to: the displayable layers, the timeline and the feature ids of each layer."""

    layers: frozenset[str]
    start: dt.date
    end: dt.date
    ids: Mapping[str, frozenset[str]] = field(default_factory=dict)
    source_ids: frozenset[str] = frozenset()  # the records of geo/sources.json a step may cite

    def all_ids(self) -> set[str]:
        return set().union(*self.ids.values()) if self.ids else set()


# ------------------------------------------------------------------------------------------- catalogue


def catalogue_of(ds: Dataset) -> Catalogue:
    """The catalogue of a loaded dataset (cached on it)."""
    return ds.caches(StoryCaches).catalogue.get_or_make(lambda: _catalogue_of(ds))


def _catalogue_of(ds: Dataset) -> Catalogue:
    ids = {lid: frozenset(str(i) for i in frame["id"]) for lid, frame in ds.layers.items() if "id" in frame.columns}
    for spec in ds.layer_specs:  # a file's features include those taken out of it (context events: events file)
        if spec.derived and spec.filter and spec.derived in ids and spec.id in ids:
            ids[spec.derived] = ids[spec.derived] | ids[spec.id]
    return Catalogue(frozenset(ds.display_layers), ds.start, ds.end, ids, frozenset(ds.catalogue.records))


def catalogue_from_manifest(
    manifest: Mapping[str, Any], ids: Mapping[str, Iterable[str]], source_ids: Iterable[str] = ()
) -> Catalogue | None:
    """The catalogue of a dataset read as raw JSON (for `validate_dataset`); None if its timeline is unreadable."""
    try:
        start = dt.date.fromisoformat(manifest["timeline"]["start"])
        end = dt.date.fromisoformat(manifest["timeline"]["end"])
    except (KeyError, TypeError, ValueError):
        return None
    layers = frozenset(
        str(s["id"]) for s in manifest.get("layers", []) if isinstance(s, dict) and "id" in s and s.get("display", True)
    )
    return Catalogue(layers, start, end, {k: frozenset(v) for k, v in ids.items()}, frozenset(source_ids))


def stories_dir(geo_dir: str | Path, manifest: Mapping[str, Any]) -> Path | None:
    """The directory the manifest names as `stories_dir` (relative to the dataset), or None if it names none."""
    name = manifest.get("stories_dir")
    if not isinstance(name, str) or not name.strip():
        return None
    return Path(geo_dir) / name


# --------------------------------------------------------------------------------------------- parsing


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _shown(value: Any) -> str:
    """A bad value quoted in a message, cut short (a pasted paragraph must not flood the page)."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _date(value: Any, cat: Catalogue, problem) -> dt.date | None:
    if not isinstance(value, str) or len(value.strip()) != 10:
        problem(f"date {_shown(value)} is not a date (use YYYY-MM-DD, e.g. 2020-11-10)")
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        problem(f"date {_shown(value)} is not a date (use YYYY-MM-DD, e.g. 2020-11-10)")
        return None
    if not cat.start <= day <= cat.end:
        problem(
            f"date {day.isoformat()} is outside the map's timeline ({cat.start.isoformat()} to {cat.end.isoformat()})"
        )
        return None
    return day


def _view(value: Any, cat: Catalogue, problem) -> StoryView | None:
    if not isinstance(value, dict):
        problem('view is missing or not an object (e.g. {"center": [39.8, 46.75], "zoom": 9})')
        return None
    for key in sorted(set(value) - VIEW_KEYS):
        problem(f"unknown key {_shown(key)} in view (known: {', '.join(sorted(VIEW_KEYS))})")
    center = value.get("center")
    lat = lon = None
    if (
        isinstance(center, (list, tuple))
        and len(center) == 2
        and all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in center)
    ):
        lat, lon = float(center[0]), float(center[1])
        if not (-85 <= lat <= 85 and -180 <= lon <= 180):
            problem(f"view centre {_shown(center)} is not [latitude, longitude]")
            lat = lon = None
    else:
        problem(f"view centre {_shown(center)} must be [latitude, longitude], e.g. [39.8, 46.75]")
    zoom = value.get("zoom")
    if isinstance(zoom, bool) or not isinstance(zoom, int) or not MIN_ZOOM <= zoom <= MAX_ZOOM:
        problem(f"view zoom {_shown(zoom)} must be a whole number from {MIN_ZOOM} to {MAX_ZOOM}")
        zoom = None
    layers = value.get("layers")
    chosen: tuple[str, ...] | None = None
    if layers is not None:
        if not isinstance(layers, list) or not all(isinstance(x, str) for x in layers):
            problem(f"view layers {_shown(layers)} must be a list of layer ids")
        else:
            unknown = [x for x in layers if x not in cat.layers]
            if unknown:
                problem(
                    f"unknown layer(s) {', '.join(_shown(u) for u in unknown[:5])} in view "
                    f"(known: {', '.join(sorted(cat.layers))})"
                )
            chosen = tuple(x for x in layers if x in cat.layers)
    if lat is None or lon is None or zoom is None:
        return None
    return StoryView(lat, lon, zoom, chosen)


def _refs(step: dict, key: str, layer: str | None, cat: Catalogue, problem) -> tuple[str, ...]:
    """Feature ids cited under `key`, each checked against its layer (or, for `features`, any layer)."""
    value = step.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        problem(f"{key} must be a list of feature ids")
        return ()
    known = cat.ids.get(layer, frozenset()) if layer else cat.all_ids()
    where = f"the {layer} layer" if layer else "the dataset"
    for ref in value:
        if ref not in known:
            problem(f"{key}: no feature {_shown(ref)} in {where}")
    return tuple(x for x in value if x in known)


def _step(raw: Any, number: int, cat: Catalogue, file: str, problems: list[StoryProblem]) -> Step | None:
    label = f"step {number}"

    def problem(message: str) -> None:
        problems.append(StoryProblem(file, label, message))

    if not isinstance(raw, dict):
        problem("not an object with date, title_en, caption_en, view and sources")
        return None
    title = _text(raw.get("title_en"))
    if title:
        label = f"step {number} ({title if len(title) <= 40 else title[:37] + '...'})"
    count = len(problems)
    for key in sorted(set(raw) - STEP_KEYS - TRANSLATED_STEP_KEYS):
        problem(f"unknown key {_shown(key)} (known: {', '.join(sorted(STEP_KEYS))}, and their translations)")
    day = _date(raw.get("date"), cat, problem)
    if not title:
        problem("title_en is missing or empty")
    elif len(title) > MAX_TITLE:
        problem(f"title_en has {len(title)} characters; keep it under {MAX_TITLE}")
    caption = _text(raw.get("caption_en"))
    if not caption:
        problem("caption_en is missing or empty")
    elif len(caption) > MAX_CAPTION:
        problem(f"caption_en has {len(caption)} characters; keep it under {MAX_CAPTION} so it reads from the back row")
    wording = {}
    for key in ("wording_az", "wording_hy"):
        if key in raw and raw[key] is not None and not _text(raw[key]):
            problem(f"{key} must be text")
        wording[key] = _text(raw.get(key))
    view = _view(raw.get("view"), cat, problem)
    events = _refs(raw, "events", EVENTS_LAYER, cat, problem)
    places = _refs(raw, "places", PLACES_LAYER, cat, problem)
    features = _refs(raw, "features", None, cat, problem)
    sources = raw.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        problem('sources must be a list of citations, e.g. {"source": "<record id of sources.json>", "role": "report"}')
        sources = []
    for c in sources:
        if c.get("source") not in cat.source_ids:
            problem(f"sources: no record {c.get('source')!r} in sources.json")
        if c.get("role") not in CITATION_ROLES:
            problem(f"sources: citation of {c.get('source')!r} without a role ({', '.join(CITATION_ROLES)})")
    if not sources and not (raw.get("events") or raw.get("places") or raw.get("features")):
        problem("no source: give `sources`, or cite events, places or features (their sources are shown)")
    if len(problems) > count or day is None or view is None or not title or not caption:
        return None  # (a missing title or caption is a problem above)
    return Step(
        number,
        day,
        title,
        caption,
        view,
        wording["wording_az"],
        wording["wording_hy"],
        events,
        places,
        features,
        tuple(dict(c) for c in sources),
        _translated(raw, TRANSLATED_STEP_KEYS),
    )


def _translated(raw: dict[str, Any], keys: set[str]) -> tuple[tuple[str, str], ...]:
    """The translated texts of a story or step that are text (the checks of nkmap.data.translations report the rest)."""
    return tuple(sorted((k, v) for k, v in raw.items() if k in keys and isinstance(v, str) and v.strip()))


def parse_story(
    data: Any, file: str, cat: Catalogue, story_id: str | None = None
) -> tuple[Story | None, list[StoryProblem]]:
    """A story from decoded JSON, or None and every problem found (each naming `file` and the step)."""
    problems: list[StoryProblem] = []
    if not isinstance(data, dict):
        return None, [StoryProblem(file, None, "must be a JSON object with title_en and steps")]
    for key in sorted(set(data) - STORY_KEYS - TRANSLATED_STORY_KEYS):
        known = ", ".join(sorted(STORY_KEYS))
        problems.append(StoryProblem(file, None, f"unknown key {_shown(key)} (known: {known}, and their translations)"))
    title = _text(data.get("title_en"))
    if not title:
        problems.append(StoryProblem(file, None, "title_en is missing or empty"))
    if "description_en" in data and data["description_en"] is not None and not isinstance(data["description_en"], str):
        problems.append(StoryProblem(file, None, "description_en must be text"))
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(StoryProblem(file, None, "steps must be a non-empty list"))
        return None, problems
    steps = [_step(raw, i, cat, file, problems) for i, raw in enumerate(raw_steps, start=1)]
    if problems or not title:  # (a missing title is a problem above)
        return None, problems
    sid = story_id or Path(file).stem
    # A step is None only with a problem, and there is none.
    description = _text(data.get("description_en")) or ""
    steps_read = tuple(cast(list[Step], steps))
    return Story(sid, file, title, description, steps_read, _translated(data, TRANSLATED_STORY_KEYS)), []


def read_story(path: Path, cat: Catalogue, file: str | None = None) -> tuple[Story | None, list[StoryProblem]]:
    """Read and check one story file; unreadable or malformed JSON is a problem with its line and column."""
    name = file or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [StoryProblem(name, None, "not UTF-8 text; save the file as UTF-8")]
    except OSError as exc:
        return None, [StoryProblem(name, None, f"cannot be read ({exc.strerror or exc})")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        step = _step_at(text, exc.pos)
        return None, [StoryProblem(name, step, f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")]
    return parse_story(data, name, cat, path.stem)


def _step_at(text: str, pos: int) -> str | None:
    """Which step a JSON syntax error falls in, counted from the `"date"` keys before it (a good guess for
    the usual one-object-per-step layout; None before the first step)."""
    head = text[:pos]
    if '"steps"' not in head:
        return None
    count = head[head.index('"steps"') :].count('"date"')
    return f"step {max(count, 1)}"


def story_files(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.json") if p.is_file() and not p.name.startswith("."))


def check_stories(
    geo_dir: str | Path, manifest: Mapping[str, Any], ids: Mapping[str, Iterable[str]]
) -> list[StoryProblem]:
    """Every problem in every story of a dataset read as raw JSON (what `nkmap validate` reports)."""
    directory = stories_dir(geo_dir, manifest)
    if directory is None:
        return []
    if not directory.is_dir():
        return [StoryProblem("manifest.json", None, f"stories_dir {manifest.get('stories_dir')!r} is not a directory")]
    cat = catalogue_from_manifest(manifest, ids, load_catalogue(geo_dir).records)
    if cat is None:
        return []  # the timeline problem is reported by validate_dataset itself
    out: list[StoryProblem] = []
    for path in story_files(directory):
        out += read_story(path, cat, f"{directory.name}/{path.name}")[1]
    return out


def load_stories(ds: Dataset) -> tuple[list[Story], list[StoryProblem]]:
    """The dataset's usable stories (by title) and the problems of the broken ones; re-read when a file changes."""
    directory = stories_dir(ds.geo_dir, ds.manifest)
    files = story_files(directory)
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    memo = ds.caches(StoryCaches).stories
    if stamp not in memo:
        cat = catalogue_of(ds)
        stories, problems = [], []
        for path in files:
            story, found = read_story(path, cat, f"{directory.name if directory else ''}/{path.name}")
            if story is not None:
                stories.append(story)
            problems += found
        memo.clear()  # only the files' current state is kept
        memo[stamp] = (sorted(stories, key=lambda s: (s.title.lower(), s.id)), problems)
    return memo[stamp]


# --------------------------------------------------------------------------------------- step content


def feature_props(ds: Dataset, layer_id: str, fid: str) -> dict[str, Any] | None:
    """The properties of one feature of a layer (dates and lists as the loader normalised them), or None."""
    return ds.caches(StoryCaches).feature_index.get_or_make(layer_id, lambda: _feature_index(ds, layer_id)).get(fid)


def _feature_index(ds: Dataset, layer_id: str) -> dict[str, dict[str, Any]]:
    # A layer's features include those of the layers taken out of it (the context events of the events file).
    taken = [s.id for s in ds.layer_specs if s.derived == layer_id and s.filter]
    index: dict[str, dict[str, Any]] = {}
    for lid in [layer_id, *taken]:
        frame = ds.layers.get(lid)
        if frame is not None and "id" in frame.columns:
            for (_, row), geom in zip(frame.drop(columns="geometry").iterrows(), frame.geometry):
                props = {k: v for k, v in row.items()}
                props["geometry"] = geom
                index[str(props["id"])] = props
    return index


def _any_layer(ds: Dataset, fid: str) -> dict[str, Any] | None:
    for layer_id in ds.layers:
        props = feature_props(ds, layer_id, fid)
        if props is not None:
            return props
    return None


def _missing(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def step_sources(ds: Dataset, step: Step) -> list[Any]:
    """The step's own citations, then the source records of every event, place and feature it cites; each source
    once, in order."""
    out: dict[str, Any] = {}
    for own in ds.catalogue.resolve_all(step.sources):
        out.setdefault(str(own["id"]), own)
    cited = [feature_props(ds, EVENTS_LAYER, e) for e in step.events]
    cited += [feature_props(ds, PLACES_LAYER, p) for p in step.places]
    cited += [_any_layer(ds, f) for f in step.features]
    for props in cited:
        for source in (props or {}).get("sources") or []:
            key = str(source.get("id")) if isinstance(source, dict) else str(source)
            out.setdefault(key, source)
    return list(out.values())


def step_wording(ds: Dataset, step: Step) -> tuple[str | None, str | None]:
    """Each side's wording for the step: the step's own, else that of its first cited event (the step's main
    event; the others are context, and their wording would crowd the panel)."""
    if step.wording_az or step.wording_hy:
        return step.wording_az, step.wording_hy
    if not step.events:
        return None, None
    props = feature_props(ds, EVENTS_LAYER, step.events[0]) or {}
    az, hy = props.get("wording_az"), props.get("wording_hy")
    return (None if _missing(az) else str(az)), (None if _missing(hy) else str(hy))


@dataclass(frozen=True)
class PlaceNames:
    id: str
    name_en: str
    name_az: str | None
    name_hy: str | None
    lat: float
    lon: float
    #: The project's forms for a language (`label_az`, `label_hy`, `label_ru`: geo/SOURCES.md), as (key, text) pairs.
    labels: tuple[tuple[str, str], ...] = ()


def step_places(ds: Dataset, step: Step) -> list[PlaceNames]:
    """The places a step names, with their English, Azerbaijani and Armenian names and position."""
    out = []
    for pid in step.places:
        props = feature_props(ds, PLACES_LAYER, pid)
        if props is None:
            continue
        geom = props.get("geometry")
        point = geom.representative_point() if geom is not None and geom.geom_type != "Point" else geom
        out.append(
            PlaceNames(
                pid,
                str(props.get("name_en") or pid),
                None if _missing(props.get("name_az")) else str(props["name_az"]),
                None if _missing(props.get("name_hy")) else str(props["name_hy"]),
                float(point.y) if point is not None else math.nan,
                float(point.x) if point is not None else math.nan,
                tuple((k, str(props[k])) for k in PLACE_LABEL_KEYS if not _missing(props.get(k))),
            )
        )
    return out


def step_layers(ds: Dataset, step: Step) -> list[str]:
    """The layers shown at a step, in manifest order (the dataset's defaults when the step names none)."""
    if step.view.layers is None:
        return [s.id for s in ds.layer_specs if s.display and s.default_visible]
    return [s.id for s in ds.layer_specs if s.display and s.id in step.view.layers]


@dataclass
class StoryCaches:
    """What the stories keep per dataset (`Dataset.caches(StoryCaches)`)."""

    catalogue: Once[Catalogue] = field(default_factory=Once)  # what a story may name: layers, dates, ids, sources
    # per state of the story files (names, mtimes, sizes): the stories by title and the broken ones' problems
    stories: Memo[tuple[tuple[str, int, int], ...], tuple[list[Story], list[StoryProblem]]] = field(
        default_factory=Memo
    )
    feature_index: Memo[str, dict[str, dict[str, Any]]] = field(default_factory=Memo)  # per layer: id -> properties
