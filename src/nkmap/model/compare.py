"""What changed hands between two dates: the areas that passed from one side to another, with their size in km²
and their geometry, each side's net gain or loss, and the dated changes in between (`changes_between`, with the
key date before a day, `key_date_before`: the text equivalent of the map's story).

Computed from `timeline.control_on` on the two dates (one coverage per date), so it agrees with the map and with
`timeline.areas_on` by construction. Results depend only on the two control states, so they are cached per pair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from nkmap.data.dataset import Dataset, KeyDate
from nkmap.data.memo import Memo, Once
from nkmap.model import timeline

#: Smaller pieces are where the edges of the two dates' coverages do not quite coincide, not land that changed
#: hands: each polygon must reach MIN_PIECE_KM2, each direction's total MIN_KM2.
MIN_PIECE_KM2 = 0.1
MIN_KM2 = 0.5
#: A changed area on the compare maps: a dashed Okabe-Ito yellow edge over a black casing and a light yellow
#: wash, so the holder's colour underneath still shows on both dates and in both palettes.
HIGHLIGHT = {"color": "#f0e442", "weight": 3.5, "dashArray": "10 7", "fillColor": "#f0e442", "fillOpacity": 0.3}
CASING = {"color": "#000000", "weight": 7, "fill": False, "interactive": False}


@dataclass(frozen=True)
class Transfer:
    """Land held by `from_side` on the earlier date and by `to_side` on the later one."""

    from_side: str
    to_side: str
    area_km2: float
    geometry: BaseGeometry


@dataclass(frozen=True)
class ChangeOfHands:
    """One dated change of control (a `change` feature): the area drawn as passing to `to_side` on `day`, its size,
    and how well that rests on the sources (`support`: confirmed | claimed | disputed, or None when not graded)."""

    day: dt.date
    feature_id: str
    name_en: str
    to_side: str
    area_km2: float
    support: str | None


@dataclass(frozen=True)
class Preset:
    id: str  # names the pair for translations and links (nkmap.text.timeline_labels.preset_label)
    label: str
    earlier: dt.date
    later: dt.date


#: Pairs a teacher asks about most; only those inside a dataset's timeline are offered.
PRESETS = (
    Preset(
        "war-to-ceasefire",
        "Eve of the war → ceasefire (26 Sep → 10 Nov 2020)",
        dt.date(2020, 9, 26),
        dt.date(2020, 11, 10),
    ),
    Preset(
        "ceasefire-to-handovers",
        "Ceasefire → the three handovers done (10 Nov → 1 Dec 2020)",
        dt.date(2020, 11, 10),
        dt.date(2020, 12, 1),
    ),
    Preset(
        "war-to-handovers",
        "Eve of the war → after the handovers (26 Sep → 1 Dec 2020)",
        dt.date(2020, 9, 26),
        dt.date(2020, 12, 1),
    ),
    Preset(
        "lachin-handover", "Lachin / Berdzor handed over (25 → 26 Aug 2022)", dt.date(2022, 8, 25), dt.date(2022, 8, 26)
    ),
    Preset(
        "offensive-2023",
        "Before → after the 2023 offensive (18 → 20 Sep 2023)",
        dt.date(2023, 9, 18),
        dt.date(2023, 9, 20),
    ),
    Preset("line-1994-to-end", "1994 line → the end of the timeline", dt.date(1994, 5, 12), dt.date(2024, 6, 12)),
)


def presets(ds: Dataset) -> list[Preset]:
    return [p for p in PRESETS if ds.start <= p.earlier < p.later <= ds.end]


def ordered(a: dt.date, b: dt.date) -> tuple[dt.date, dt.date]:
    """The two dates, earlier first (a change of hands only has a direction in time)."""
    return (a, b) if a <= b else (b, a)


def _polygons(geom: BaseGeometry) -> list[BaseGeometry]:
    """The polygons in a geometry (an intersection may also yield lines and points where edges touch)."""
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def transfers(ds: Dataset, earlier: dt.date, later: dt.date) -> list[Transfer]:
    """Every (from side, to side) pair with land that changed hands between the dates, largest first."""
    earlier, later = ordered(earlier, later)
    key = (timeline.epoch_of(ds, earlier), timeline.epoch_of(ds, later))
    return ds.caches(CompareCaches).transfers.get_or_make(key, lambda: _transfers(ds, earlier, later, key))


def _transfers(ds: Dataset, earlier: dt.date, later: dt.date, key: tuple[int, int]) -> list[Transfer]:
    before = timeline.control_on(ds, earlier)
    after = timeline.control_on(ds, later)
    out = []
    if key[0] != key[1]:
        for s1, g1 in zip(before["side"], before.geometry):
            for s2, g2 in zip(after["side"], after.geometry):
                if s1 == s2 or not g1.intersects(g2):
                    continue
                piece = shapely.intersection(g1, g2)
                polys = [p for p in _polygons(piece) if timeline.area_km2(p) >= MIN_PIECE_KM2]
                if not polys:
                    continue
                piece = shapely.union_all(polys)
                km2 = timeline.area_km2(piece)
                if km2 >= MIN_KM2:
                    out.append(Transfer(s1, s2, round(km2, 1), piece))
    return sorted(out, key=lambda t: -t.area_km2)


def net_change(ds: Dataset, earlier: dt.date, later: dt.date) -> dict[str, float]:
    """km² gained (+) or lost (-) by each side from the earlier to the later date."""
    earlier, later = ordered(earlier, later)
    a, b = timeline.areas_on(ds, earlier), timeline.areas_on(ds, later)
    return {side: round(b.get(side, 0.0) - a.get(side, 0.0), 1) for side in ds.sides}


def changes_between(ds: Dataset, earlier: dt.date, later: dt.date) -> list[ChangeOfHands]:
    """The dated changes of control after `earlier` up to and including `later`, in date order (an empty list
    when the dates are equal). `changes_between(ds, day - 1 day, day)` is what changed hands on `day`."""
    earlier, later = ordered(earlier, later)
    every = ds.caches(CompareCaches).changes.get_or_make(lambda: _all_changes(ds))
    return [c for c in every if earlier < c.day <= later]


def _all_changes(ds: Dataset) -> list[ChangeOfHands]:
    frame = ds.layers["control"]
    out = []
    for props, geom in zip(frame.drop(columns="geometry").to_dict("records"), frame.geometry):
        if props.get("role") != "change":
            continue
        support = props.get("support")
        out.append(
            ChangeOfHands(
                day=props["valid_from"],
                feature_id=str(props["id"]),
                name_en=str(props.get("name_en") or props["id"]),
                to_side=str(props.get("side")),
                area_km2=round(timeline.area_km2(geom), 1),
                support=support if isinstance(support, str) and support else None,
            )
        )
    return sorted(out, key=lambda c: (c.day, c.name_en))


def key_date_before(ds: Dataset, day: dt.date) -> KeyDate | None:
    """The latest key date of the manifest strictly before `day` (None before the first)."""
    earlier = [k for k in ds.key_dates if k.date < day]
    return max(earlier, key=lambda k: k.date) if earlier else None


def side_label(ds: Dataset, side: str) -> str:
    info = ds.sides.get(side, {})
    return str(info.get("short_en") or info.get("label_en") or side)


@dataclass
class CompareCaches:
    """`Dataset.caches(CompareCaches)`."""

    transfers: Memo[tuple[int, int], list[Transfer]] = field(default_factory=Memo)  # (epoch, epoch): `transfers`
    changes: Once[list[ChangeOfHands]] = field(default_factory=Once)  # every dated change, for `changes_between`
