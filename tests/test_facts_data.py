"""The fact-sheet layers in geo/ (places, events, line points): schema, sources, ids, dates and modelling rules.

Reads only geo/ (scripts/import_facts.py wrote it from the research fact sheet, which tests never read).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from nkmap.data.sources import CITATION_ROLES

GEO = Path(__file__).resolve().parents[1] / "geo"
CATALOGUE = {r["id"] for r in json.loads((GEO / "sources.json").read_text(encoding="utf-8"))["sources"]}
PLACE_TYPES = {"city", "town", "settlement", "village", "height", "landmark", "crossing"}
HISTORY_KINDS = {
    "held",
    "claimed_captured",
    "acknowledged",
    "denied",
    "handed_over",
    "captured",
    "offensive",
    "note",
    "reported",
    "claim_reported",
}
PRECISIONS = {"exact", "approximate", "schematic"}
CEASEFIRE = dt.date(2020, 11, 10)


def _load(name: str) -> dict:
    return json.loads((GEO / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def places() -> dict:
    return _load("places.geojson")


@pytest.fixture(scope="module")
def events() -> dict:
    return _load("events.geojson")


@pytest.fixture(scope="module")
def line_points() -> dict:
    return _load("line_points.geojson")


@pytest.fixture(scope="module")
def timeline() -> tuple[dt.date, dt.date]:
    t = _load("manifest.json")["timeline"]
    return dt.date.fromisoformat(t["start"]), dt.date.fromisoformat(t["end"])


def _day(value) -> dt.date:
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), f"not an ISO date: {value!r}"
    return dt.date.fromisoformat(value)


def _fold(text: str) -> str:
    text = (text or "").replace("ə", "a").replace("Ə", "a").replace("ı", "i").replace("İ", "i")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _km(a, b) -> float:
    lo1, la1, lo2, la2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _props(fc: dict) -> list[dict]:
    return [f["properties"] for f in fc["features"]]


def _place(places: dict, name_az: str, district: str) -> dict:
    hits = [p for p in _props(places) if p["name_az"] == name_az and p["district"] == district]
    assert len(hits) == 1, f"{name_az} ({district}): {len(hits)} places"
    return hits[0]


def _first_claim(p: dict) -> str | None:
    claims = [h["date"] for h in p["history"] if h["kind"] == "claimed_captured" and h["side"] == "azerbaijan"]
    return min(claims) if claims else None


# ---------------------------------------------------------------- schema and sources

PLACE_FIELDS = (
    "id",
    "name_en",
    "name_az",
    "name_hy",
    "names_variant",
    "district",
    "type",
    "history",
    "capture_claimed_on",
    "capture_modelled_on",
    "model_note",
    "side_2021",
    "side_1994",
    "coord_source",
    "coord_precision",
    "credit",
    "valid_from",
    "sources",
    "precision",
)
EVENT_FIELDS = (
    "id",
    "name_en",
    "name_az",
    "name_hy",
    "valid_from",
    "valid_to",
    "event_type",
    "summary_en",
    "wording_az",
    "wording_hy",
    "claimed_by",
    "acknowledged_by",
    "acknowledged_on",
    "key",
    "sources",
    "precision",
)


def test_every_place_has_the_schema_and_a_source(places):
    assert places["features"], "places.geojson is empty"
    for f in places["features"]:
        p = f["properties"]
        missing = [k for k in PLACE_FIELDS if k not in p]
        assert not missing, f"{p.get('id')}: missing {missing}"
        assert f["geometry"]["type"] == "Point", p["id"]
        assert p["name_en"].strip() and p["type"] in PLACE_TYPES, p["id"]
        assert isinstance(p["names_variant"], list), p["id"]
        assert p["sources"] and all(c["source"] in CATALOGUE and c["role"] in CITATION_ROLES for c in p["sources"]), p[
            "id"
        ]
        for h in p["history"]:  # every dated statement rests on a page that was read
            assert h["sources"] and all(c["source"] in CATALOGUE for c in h["sources"]), (p["id"], h["date"], h["kind"])
        assert p["precision"] in PRECISIONS and p["coord_precision"] in {"exact", "approximate"}, p["id"]
        assert p["valid_from"] == "1994-05-12", p["id"]
        assert p["side_1994"] in {"artsakh", "azerbaijan", "line", None}, p["id"]
        assert p["side_2021"] in {"artsakh", "azerbaijan", "corridor", None}, p["id"]
        for h in p["history"]:
            assert h["kind"] in HISTORY_KINDS and h["side"] in {"artsakh", "azerbaijan", None}, (p["id"], h)
            assert h["by"] and h["text_en"] and h["sources"], (p["id"], h)


def test_every_event_has_the_schema_and_a_source(events):
    assert events["features"], "events.geojson is empty"
    for f in events["features"]:
        p = f["properties"]
        missing = [k for k in EVENT_FIELDS if k not in p]
        assert not missing, f"{p.get('id')}: missing {missing}"
        assert f["geometry"]["type"] == "Point", p["id"]
        assert p["summary_en"].strip() and p["event_type"], p["id"]
        assert p["sources"] and all(c["source"] in CATALOGUE and c["role"] in CITATION_ROLES for c in p["sources"]), p[
            "id"
        ]
        assert p["precision"] in PRECISIONS and isinstance(p["key"], bool), p["id"]
        if p["precision"] == "schematic":
            assert p["location_note"], f"{p['id']}: a schematic point must say where it stands for"


def test_line_points_have_the_schema_and_name_their_place(line_points, places):
    place_ids = {p["id"] for p in _props(places)}
    sides = {
        "loc_1994": {"artsakh", "azerbaijan", "line", None},
        "line_2020_12": {"artsakh", "azerbaijan", "corridor", None},
        "corridor": {None},
    }
    assert {p["set"] for p in _props(line_points)} == set(sides)
    for p in _props(line_points):
        assert p["side"] in sides[p["set"]], p["id"]
        assert p["place_id"] in place_ids, p["id"]
        assert p["sources"] and p["precision"] in PRECISIONS, p["id"]
        assert isinstance(p["changes"], list), p["id"]
        if p["set"] == "corridor":
            assert p["route"] and isinstance(p["order"], int), p["id"]


def test_geonames_data_is_credited(places):
    for p in _props(places):
        if "geonames" in (p["coord_source"] or "").lower():
            assert p["credit"] == "GeoNames (geonames.org), CC BY 4.0", p["id"]


# ---------------------------------------------------------------- ids and dates


def test_ids_are_unique_across_the_three_files(places, events, line_points):
    ids = [p["id"] for fc in (places, events, line_points) for p in _props(fc)]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, dupes
    assert all(i.startswith("place-") for i in (p["id"] for p in _props(places)))
    assert all(i.startswith(("event-", "context-")) for i in (p["id"] for p in _props(events)))


def test_dates_parse_and_histories_run_oldest_first(places, events, line_points):
    for p in _props(places):
        _day(p["valid_from"])
        for key in ("capture_claimed_on", "capture_modelled_on"):
            if p[key] is not None:
                _day(p[key])
        days = [_day(h["date"]) for h in p["history"]]
        assert days == sorted(days), f"{p['id']}: history not in date order"
    for p in _props(events):
        assert _day(p["valid_from"]) <= _day(p["valid_to"]), p["id"]  # one day, or a span (a post, a period)
        if p["acknowledged_on"]:
            assert _day(p["acknowledged_on"]) >= _day(p["valid_from"]), p["id"]
    for p in _props(line_points):
        _day(p["valid_from"])
        for c in p["changes"]:
            if c["date"] is not None:
                _day(c["date"])


def test_events_lie_inside_the_timeline(events, timeline):
    start, end = timeline
    outside = [p["id"] for p in _props(events) if not start <= _day(p["valid_from"]) <= end]
    assert not outside, outside


def test_a_user_has_a_short_list_of_key_dates(events):
    key = [p for p in _props(events) if p["key"]]
    assert 15 <= len(key) <= 20, len(key)
    assert len({p["valid_from"] for p in key}) >= 15


def test_events_at_a_place_stand_on_that_place(events, places):
    by_id = {f["properties"]["id"]: f for f in places["features"]}
    for f in events["features"]:
        p = f["properties"]
        if p.get("place_id") and p["precision"] == "exact":
            assert p["place_id"] in by_id, p["id"]
            assert _km(f["geometry"]["coordinates"], by_id[p["place_id"]]["geometry"]["coordinates"]) < 0.01, p["id"]


# ---------------------------------------------------------------- the announcements


def test_no_place_is_announced_twice_under_two_ids(places):
    groups = defaultdict(list)
    for f in places["features"]:
        p = f["properties"]
        if p["capture_claimed_on"]:
            groups[(_fold(p["name_az"]), p["district"])].append(f)
    for key, feats in groups.items():
        for i, a in enumerate(feats):
            for b in feats[i + 1 :]:
                d = _km(a["geometry"]["coordinates"], b["geometry"]["coordinates"])
                assert d >= 4, f"{key}: {a['properties']['id']} and {b['properties']['id']} are {d:.1f} km apart"


def test_the_9_november_count_matches_the_announcements(places):
    meta = places["metadata"]
    from_history = sum(1 for p in _props(places) if _first_claim(p) == "2020-11-09")
    # announcements whose page could not be read in a dated copy keep the fact sheet's date, flagged as such
    unverified = sum(
        1
        for p in _props(places)
        if p["capture_claimed_on"] == "2020-11-09" and p.get("capture_claim_note") and _first_claim(p) != "2020-11-09"
    )
    from_field = sum(1 for p in _props(places) if p["capture_claimed_on"] == "2020-11-09")
    skipped = sum(1 for s in meta["skipped_without_coordinates"] if s["claimed_captured"] == "2020-11-09")
    assert from_history + unverified == from_field
    assert from_field + skipped == meta["announced_per_date"]["2020-11-09"]
    # captures.md: "74 places on 9 November" - the places whose first announcement was that day.
    assert meta["announced_per_date"]["2020-11-09"] == 74


def test_every_announcement_is_a_place_or_listed_as_skipped(places):
    meta = places["metadata"]
    drawn = Counter(p["capture_claimed_on"] for p in _props(places) if p["capture_claimed_on"])
    skipped = Counter(s["claimed_captured"] for s in meta["skipped_without_coordinates"] if s["claimed_captured"])
    assert drawn + skipped == Counter(meta["announced_per_date"])
    assert sum(drawn.values()) + sum(skipped.values()) == meta["announced_total"]


# ---------------------------------------------------------------- modelling decisions


def test_hadrut_is_modelled_after_its_claim(places):
    p = _place(places, "Hadrut", "Khojavend")
    assert _day(p["capture_modelled_on"]) > _day(p["capture_claimed_on"])
    assert "14-15 Oct" in p["model_note"]
    assert any(h["kind"] == "denied" and h["side"] == "artsakh" for h in p["history"])


def test_talish_keeps_its_claim_and_records_the_counter_claim(places):
    p = _place(places, "Talış", "Tartar")
    assert p["capture_modelled_on"] == p["capture_claimed_on"]
    claim = _day(p["capture_claimed_on"])
    assert any(h["side"] == "artsakh" and _day(h["date"]) > claim for h in p["history"])


@pytest.mark.parametrize("name_az", ["Şuşakənd", "Muxtar"])
def test_announced_villages_that_stayed_armenian_are_not_modelled_in_2020(places, name_az):
    p = _place(places, name_az, "Khojaly")
    assert p["capture_claimed_on"] == "2020-11-09" and p["side_2021"] == "artsakh"
    assert _day(p["capture_modelled_on"]).year == 2023 and p["model_note"]


@pytest.mark.parametrize("name_az", ["Köhnə Tağlar", "Çaylaqqala"])
def test_hin_tagher_and_khtsaberd_pass_after_the_ceasefire(places, name_az):
    p = _place(places, name_az, "Khojavend")
    assert _day(p["capture_modelled_on"]) > CEASEFIRE


@pytest.mark.parametrize("name_az", ["Laçın", "Zabux", "Sus"])
def test_the_lachin_corridor_settlements_are_handed_over_in_2022(places, name_az):
    p = _place(places, name_az, "Lachin")
    assert p["change_kind"] == "handed_over" and p["capture_modelled_on"] == "2022-08-26"
    assert p["capture_claimed_on"] is None


def test_modelled_dates_follow_the_place_s_side_on_the_2021_line(places):
    for p in _props(places):
        if p["side_2021"] == "artsakh" and p["capture_modelled_on"]:
            assert _day(p["capture_modelled_on"]) > dt.date(2021, 1, 1), p["id"]
        if p["side_2021"] == "azerbaijan":
            assert p["capture_modelled_on"] and _day(p["capture_modelled_on"]) <= dt.date(2022, 12, 31), p["id"]


@pytest.mark.parametrize(
    "name_az,district,hy",
    [
        ("Xankəndi", "Khankendi", "Stepanakert"),
        ("Şuşa", "Shusha", "Shushi"),
        ("Ağdərə", "Tartar", "Martakert"),
        ("Xocavənd", "Khojavend", "Martuni"),
        ("Əsgəran", "Khojaly", "Askeran"),
        ("Xocalı", "Khojaly", "Khojalu"),
        ("Hadrut", "Khojavend", "Hadrut"),
        ("Daşaltı", "Khojaly", "Karin Tak"),
        ("Laçın", "Lachin", "Berdzor"),
        ("Kəlbəcər", "Kalbajar", "Karvachar"),
        ("Ağdam", "Aghdam", "Akna"),
        ("Füzuli", "Fuzuli", "Varanda"),
        ("Cəbrayıl", "Jabrayil", "Jrakan"),
        ("Zəngilan", "Zangilan", "Kovsakan"),
        ("Qubadlı", "Qubadli", "Kashunik"),
    ],
)
def test_the_towns_carry_both_sides_names(places, name_az, district, hy):
    p = _place(places, name_az, district)
    assert p["name_hy"].split("(")[0].strip() == hy
    assert re.search(r"[\u0531-\u058F]", p["name_hy"]), f"{name_az}: no Armenian script"
    assert hy in p["name_en"] or hy == "Khojalu", p["name_en"]  # Khojaly's Armenian-side name is Ivanyan


RUSSIAN_ONLY = re.compile(r"[А-ЯЁ][а-яё]*(?:[ -][А-ЯЁа-яё][а-яё]*)*")


def test_russian_names_are_russian_and_from_the_place_s_gazetteer_names(places):
    """name_ru is in the Russian alphabet alone (no ә ө ү һ, no Chechen vowel + ь) and one of the place's GeoNames
    names; more than half the places have one (geo/SOURCES.md, "Names by language")."""
    named = [f["properties"] for f in places["features"] if f["properties"].get("name_ru")]
    assert len(named) > len(places["features"]) / 2
    for p in named:
        assert RUSSIAN_ONLY.fullmatch(p["name_ru"]) and not re.search("[аеиоуыэюя]ь", p["name_ru"]), p["name_ru"]
        assert p["name_ru"] in p["names_variant"] and p["geonameids"], p["id"]
