"""The control model over the whole timeline: no overlaps, full cover, explained changes, published areas."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from shapely.geometry import Point

from nkmap.data.dataset import load_dataset
from nkmap.model.control_pieces import control_pieces
from nkmap.model.timeline import (
    DateError,
    TimelineCaches,
    area_km2,
    areas_on,
    control_model,
    control_on,
    epoch_bounds,
    epoch_of,
    events_date,
    events_on,
    in_force,
    in_force_period,
    layer_on,
    parse_date,
    places_on,
    replayed_control,
)

OVERLAP_KM2 = 1.0  # slivers where simplified polygons meet
COVER_SHARE = 0.005  # at most 0.5 % of the region unaccounted for


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def region(ds):
    return shapely.union_all(list(ds.layers["region"].geometry))


def test_every_day_partitions_the_region(ds, region):
    """On every day the sides' areas are disjoint and together cover the region; outside it they cover the rest of
    Azerbaijan and Armenia (each held by its own state unless a change says otherwise) and nothing else."""
    countries = ds.layers["countries"].set_index("id").geometry
    frame_area = shapely.union_all([region, countries["country-aze"], countries["country-arm"]])
    checked = {}
    for day in ds.days():
        epoch = epoch_of(ds, day)
        if epoch in checked:
            continue
        frame = control_on(ds, day)
        geoms = list(frame.geometry)
        for i in range(len(geoms)):
            for j in range(i + 1, len(geoms)):
                shared = area_km2(geoms[i].intersection(geoms[j]))
                assert shared < OVERLAP_KM2, (
                    f"{day}: {frame.side.iloc[i]} and {frame.side.iloc[j]} overlap by {shared:.1f} km²"
                )
        union = shapely.union_all(geoms)
        gap = area_km2(region.difference(union))
        spill = area_km2(union.difference(frame_area))
        whole = area_km2(region)
        assert gap / whole < COVER_SHARE, f"{day}: {gap:.0f} km² of the region is held by no side"
        assert area_km2(frame_area.difference(union)) / whole < COVER_SHARE, f"{day}: part of the frame is nobody's"
        assert spill / whole < COVER_SHARE, f"{day}: {spill:.0f} km² of control lies outside the region"
        checked[epoch] = day
    assert len(checked) == len(control_model(ds).change_dates) + 1


def test_artsakh_area_never_grows_during_the_war_and_handovers(ds):
    day, previous = dt.date(2020, 9, 27), None
    while day <= dt.date(2020, 12, 1):
        held = areas_on(ds, day)["artsakh"]
        if previous is not None:
            assert held <= previous + 0.5, f"Artsakh-held area grew on {day}: {previous:.0f} -> {held:.0f} km²"
        previous = held
        day += dt.timedelta(days=1)


def test_every_change_of_control_is_explained_by_a_dated_sourced_feature(ds):
    control = ds.layers["control"]
    changes = control[control["role"] == "change"]
    confirmations = control[control["role"] == "confirmation"]
    for day in control_model(ds).change_dates:
        if day in set(confirmations["valid_from"]):  # a confirmation changes no holder
            assert areas_on(ds, day) == areas_on(ds, day - dt.timedelta(days=1)), day
            continue
        before = control_on(ds, day - dt.timedelta(days=1)).set_index("side").geometry
        after = control_on(ds, day).set_index("side").geometry
        moved = shapely.union_all(
            [
                shapely.symmetric_difference(before.get(s, shapely.Polygon()), after.get(s, shapely.Polygon()))
                for s in set(before.index) | set(after.index)
            ]
        )
        todays = changes[[d == day for d in changes["valid_from"]]]
        assert len(todays), f"control changed on {day} with no change feature dated that day"
        for _, row in todays.iterrows():
            assert row["sources"], f"{row['id']} has no source"
        unexplained = area_km2(moved.difference(shapely.union_all(list(todays.geometry)).buffer(0.001)))
        assert unexplained < OVERLAP_KM2, (
            f"{day}: {unexplained:.1f} km² changed hands outside that day's change features"
        )
    # and nothing changes on a day without a change feature
    quiet = dt.date(2021, 6, 1)
    assert quiet not in control_model(ds).change_dates
    assert areas_on(ds, quiet) == areas_on(ds, quiet - dt.timedelta(days=1))


def test_areas_match_published_figures(ds):
    """Published: ~11,458 km² held before the war; ~2,800-3,170 km² after 1 Dec 2020; NKAO ~4,400 km².

    Tolerance 10 %: the district polygons are Natural Earth generalisations (some 10-20 % under the cited areas)
    and the lines are drawn from settlements, so a closer match would be luck, not accuracy."""
    before = areas_on(ds, dt.date(2020, 9, 26))["artsakh"]
    assert 11458 * 0.9 <= before <= 11458 * 1.1, before
    after = areas_on(ds, dt.date(2020, 12, 2))["artsakh"]
    assert 2800 * 0.9 <= after <= 3170 * 1.1, after
    nkao = area_km2(shapely.union_all(list(ds.layers["nkao"].geometry)))
    assert 4400 * 0.9 <= nkao <= 4400 * 1.1, nkao
    assert areas_on(ds, dt.date(2023, 9, 21))["artsakh"] == 0


def _side_at(ds, day, lon, lat):
    frame = control_on(ds, day)
    hits = [s for s, g in zip(frame.side, frame.geometry) if g.contains(Point(lon, lat))]
    return hits[0] if hits else None


@pytest.mark.parametrize(
    "name, lon, lat, day, side",
    [
        ("Stepanakert/Khankendi", 46.7519, 39.8153, "1994-05-12", "artsakh"),
        ("Stepanakert/Khankendi", 46.7519, 39.8153, "2021-06-01", "artsakh"),
        ("Stepanakert/Khankendi", 46.7519, 39.8153, "2023-10-01", "azerbaijan"),
        ("Shusha/Shushi", 46.7483, 39.7583, "2020-11-07", "artsakh"),
        ("Shusha/Shushi", 46.7483, 39.7583, "2020-11-08", "azerbaijan"),
        ("Kalbajar/Karvachar", 46.0383, 40.1067, "2020-11-24", "artsakh"),
        ("Kalbajar/Karvachar", 46.0383, 40.1067, "2020-11-25", "azerbaijan"),
        ("Aghdam/Akna", 46.9306, 39.9931, "2020-11-19", "artsakh"),
        ("Aghdam/Akna", 46.9306, 39.9931, "2020-11-20", "azerbaijan"),
        ("Jabrayil/Jrakan", 47.0261, 39.4000, "2020-10-03", "artsakh"),
        ("Jabrayil/Jrakan", 47.0261, 39.4000, "2020-10-04", "azerbaijan"),
        ("Lachin/Berdzor", 46.5469, 39.6408, "2020-11-30", "artsakh"),
        ("Lachin/Berdzor", 46.5469, 39.6408, "2021-06-01", "peacekeepers"),
        ("Lachin/Berdzor", 46.5469, 39.6408, "2022-08-26", "azerbaijan"),
        ("Martakert/Aghdara", 46.8128, 40.2153, "2021-06-01", "artsakh"),
    ],
)
def test_known_places_are_held_by_the_right_side(ds, name, lon, lat, day, side):
    assert _side_at(ds, dt.date.fromisoformat(day), lon, lat) == side, f"{name} on {day}"


def test_layers_follow_their_dates(ds):
    corridor_2021 = layer_on(ds, "lachin_corridor", dt.date(2021, 6, 1))
    assert set(corridor_2021["status"]) == {"open"}
    blockade = layer_on(ds, "lachin_corridor", dt.date(2023, 1, 15))
    assert "blockaded" in set(blockade["status"])
    assert layer_on(ds, "lachin_corridor", dt.date(2019, 1, 1)).empty
    line_1994 = layer_on(ds, "contact_line", dt.date(2010, 1, 1))
    assert list(line_1994["id"]) == ["line-1994"]
    war = layer_on(ds, "contact_line", dt.date(2020, 10, 20))
    assert war["id"].iloc[0].startswith("front-derived")
    assert war.geometry.iloc[0].length > 0.5  # degrees: a front of ~100+ km, not a stub
    assert layer_on(ds, "contact_line", dt.date(2021, 6, 1))["id"].iloc[0].startswith("line-ceasefire")
    assert layer_on(ds, "contact_line", dt.date(2024, 1, 1)).empty


def test_events_on_a_quiet_day_are_the_latest_before_it(ds):
    quiet = events_on(ds, dt.date(2021, 6, 1))
    assert len(quiet) and all(d <= dt.date(2021, 6, 1) for d in quiet["valid_from"])
    assert len(set(quiet["valid_from"])) == 1
    assert events_on(ds, dt.date(1994, 5, 12)).empty or events_on(ds, dt.date(1994, 5, 12))["valid_from"].iloc[
        0
    ] == dt.date(1994, 5, 12)


def test_days_of_one_in_force_period_have_the_same_features(ds):
    """The map view keys a layer's prepared file on its period (mapview._signature). Checked, with `in_force`
    itself, on the timeline's ends and either side of every feature's start and end: where the features can
    change."""
    one = dt.timedelta(days=1)
    periods = {}
    for layer_id, frame in ds.layers.items():
        if "valid_from" not in frame.columns:
            continue
        edges = {ds.start, ds.end}
        edges |= {d + k * one for d in frame["valid_from"] if d is not None for k in (-1, 0)}
        edges |= {d + k * one for d in frame["valid_to"] if d is not None for k in (0, 1)}
        ids_of: dict[int, frozenset] = {}
        for day in sorted(d for d in edges if ds.start <= d <= ds.end):
            ids = frozenset(in_force(frame, day)["id"])
            assert ids_of.setdefault(in_force_period(ds, layer_id, day), ids) == ids, (layer_id, day)
        periods[layer_id] = len(ids_of)
    assert periods["control"] > 30 and periods["lachin_corridor"] > 2 and periods["contact_line"] > 2, periods


def test_events_date_is_the_date_of_the_events_shown(ds):
    first = min(d for d in ds.layers["events"]["valid_from"] if d is not None)
    assert events_date(ds, first - dt.timedelta(days=1)) is None
    for day in (first, dt.date(2020, 10, 9), dt.date(2021, 6, 1), ds.end):
        shown = events_on(ds, day)
        assert set(shown["valid_from"]) == {events_date(ds, day)} and events_date(ds, day) <= day


@pytest.mark.parametrize("text", ["", "2020-13-01", "10/11/2020", "2020-11-1", "1990-01-01", "2030-01-01", "x" * 5000])
def test_bad_dates_are_refused_with_a_message(ds, text):
    with pytest.raises(DateError) as err:
        parse_date(text, ds)
    assert "YYYY-MM-DD" in str(err.value) or "outside the timeline" in str(err.value)
    assert len(str(err.value)) < 200


def test_first_and_last_day_parse(ds):
    assert parse_date(ds.start.isoformat(), ds) == ds.start
    assert parse_date(ds.end.isoformat(), ds) == ds.end


def test_replayed_control_states_are_the_ones_control_on_gives():
    """`replayed_control` (what the control pieces are coloured from) walks the states without keeping them, and
    gives for each exactly the areas `control_on` has: same sides, in the same order, same geometries."""
    fresh = load_dataset()
    fresh.clear_caches()
    replayed = [[(side, shapely.to_wkb(geom)) for side, geom in held] for held in replayed_control(fresh)]
    assert len(fresh.caches(TimelineCaches).control_geoms) == 0
    assert len(replayed) == len(control_model(fresh).change_dates) + 1
    for epoch, held in enumerate(replayed):
        frame = control_on(fresh, epoch_bounds(fresh, epoch)[0])
        assert held == [(side, shapely.to_wkb(geom)) for side, geom in zip(frame["side"], frame.geometry)], epoch


def test_control_states_asked_in_any_order_are_the_ones_replayed_in_order():
    """`control_on` replays from the nearest earlier state it kept: asked out of order (a slider dragged back
    and forth), every state is still the one the replay from the baseline gives."""
    import random

    fresh = load_dataset()
    fresh.clear_caches()
    in_order = [[(side, shapely.to_wkb(geom)) for side, geom in held] for held in replayed_control(fresh)]
    epochs = list(range(len(in_order)))
    random.Random(13).shuffle(epochs)
    for epoch in epochs:
        frame = control_on(fresh, epoch_bounds(fresh, epoch)[0])
        assert [(side, shapely.to_wkb(geom)) for side, geom in zip(frame["side"], frame.geometry)] == in_order[epoch]


def test_drawing_one_date_keeps_one_control_state_and_no_prepared_index():
    """A PNG export colours the pieces from every state and shows one date: only that date's state stays in the
    caches (each state is ~0.2 MB of geometry), and the shared areas are not left prepared (indexed) after the
    point tests that prepared them."""
    fresh = load_dataset()
    fresh.clear_caches()
    day = dt.date(2021, 3, 1)
    control_pieces(fresh)
    places_on(fresh, day)
    assert list(fresh.caches(TimelineCaches).control_geoms) == [epoch_of(fresh, day)]
    assert not any(shapely.is_prepared(geom) for geom in control_on(fresh, day).geometry)


def test_the_written_out_projection_is_the_one_proj_finds():
    """nkmap.data.geometry builds its transformers from the pipelines written out, not by PROJ's search: they
    must be the operations `Transformer.from_crs` finds for EPSG:4326 <-> EQUAL_AREA, to the bit, both ways."""
    import numpy as np
    from pyproj import Transformer

    from nkmap.data.geometry import EQUAL_AREA, EQUAL_AREA_FROM_LONLAT, LONLAT_FROM_EQUAL_AREA

    found = Transformer.from_crs(4326, EQUAL_AREA, always_xy=True)
    found_back = Transformer.from_crs(EQUAL_AREA, 4326, always_xy=True)
    assert EQUAL_AREA_FROM_LONLAT.definition == found.definition
    assert LONLAT_FROM_EQUAL_AREA.definition == found_back.definition
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(38.0, 56.0, 50_000), rng.uniform(33.0, 46.0, 50_000)
    x, y = found.transform(lon, lat)
    assert all(np.array_equal(a, b) for a, b in zip(EQUAL_AREA_FROM_LONLAT.transform(lon, lat), (x, y)))
    assert all(np.array_equal(a, b) for a, b in zip(LONLAT_FROM_EQUAL_AREA.transform(x, y), found_back.transform(x, y)))


def test_changes_on_is_the_control_changes_of_that_day_and_kept_per_change_date(ds):
    """`changes_on` (read on every date step by the map and the panel) gives each day exactly the control layer's
    `role == "change"` rows dated that day, and keeps one frame per change date: every day without a change
    shares one empty frame."""
    from nkmap.model.timeline import changes_on

    control = ds.layers["control"]
    dated = {}
    for role, day, fid in zip(control["role"], control["valid_from"], control["id"]):
        if role == "change":
            dated.setdefault(day, []).append(fid)
    assert len(dated) > 10
    fresh = load_dataset()
    fresh.clear_caches()
    for day, ids in dated.items():
        assert list(changes_on(fresh, day)["id"]) == ids, day
        assert changes_on(fresh, day) is changes_on(fresh, day)
    quiet = [d for d in (dt.date(2020, 9, 26), dt.date(2021, 6, 1), dt.date(2023, 1, 1)) if d not in dated]
    assert len(quiet) == 3
    assert all(changes_on(fresh, d).empty for d in quiet)
    assert changes_on(fresh, quiet[0]) is changes_on(fresh, quiet[2])
    assert list(changes_on(fresh, quiet[0]).columns) == list(control.columns)
    assert len(fresh.caches(TimelineCaches).changes_on) == len(dated) + 1
