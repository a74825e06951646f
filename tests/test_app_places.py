"""Find a place in the page (nkmap issue 7, items 3 and 4) through Streamlit's AppTest, on the real dataset:
choosing a place from the box opens its card, rings it on the map and centres the map on it; 'go to the day it
changed hands' moves the date; ?place= opens a place and a bad value warns and falls back; the panel lists the
places whose capture was announced that day.

Expected places and dates are read from geo/places.geojson (the data), not from the code under test, except the
two the issue names: Shusha changed hands on 8 November 2020, and 74 places were announced on 9 November 2020.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import run_page
from nkmap.model import gazetteer
from nkmap.web import place_finder

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PLACES = json.loads((ROOT / "geo" / "places.geojson").read_text(encoding="utf-8"))


def place_props(name_en_start: str) -> dict:
    (feature,) = [
        f
        for f in PLACES["features"]
        if f["properties"]["name_en"].startswith(name_en_start) and f["properties"].get("type") in ("city", "town")
    ]
    return {
        **feature["properties"],
        "lon": feature["geometry"]["coordinates"][0],
        "lat": feature["geometry"]["coordinates"][1],
    }


SHUSHA = place_props("Shusha /")
KALBAJAR = place_props("Kalbajar /")


@pytest.fixture
def app(monkeypatch):
    """A fresh page on the real dataset (geo/)."""
    monkeypatch.delenv("NKMAP_GEO", raising=False)
    st.cache_resource.clear()

    def make(**query) -> AppTest:
        return run_page(APP, 90, **query)

    yield make
    st.cache_resource.clear()


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def html_of(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def card(at: AppTest) -> str:
    """The open card's HTML: the line for the date shown and the card itself ('' when no card is open)."""
    return "".join(h.proto.body for h in at.get("html") if 'data-place-id="' in h.proto.body)


def query(at: AppTest) -> dict:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def shown_warnings(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", w.value) for w in at.warning]


def browser_filter(options: list[str], typed: str) -> list[str]:
    """The options the browser's 'contains' reading of the box's filter keeps for what the user typed."""
    return [o for o in options if typed.lower() in o.lower()]


def highlighted_place(at: AppTest) -> str | None:
    match = re.search(r'"id": "([^"]+)", "lat"', map_args(at)["feature_group"] or "")
    return match.group(1) if match else None


# ------------------------------------------------------------------------------------------ the box


def test_typing_shushi_offers_shusha_and_choosing_it_opens_card_ring_and_centre(app):
    at = app()
    box = at.selectbox(key="place_box")
    offered = browser_filter(box.options, "Shushi")
    assert offered and offered[0].startswith(SHUSHA["name_en"]), offered[:3]  # the city first
    box.select_index(box.options.index(offered[0])).run()
    assert not at.exception

    html = card(at)
    assert f'data-place-id="{SHUSHA["id"]}"' in html
    assert SHUSHA["name_az"] in html and SHUSHA["name_hy"] in html
    assert "On 10 November 2020 the map shows it held by: Azerbaijan" in html
    assert "Claimed" in html and "Acknowledged or denied" in html  # claims beside acknowledgements
    assert "Sources:" in html
    args = map_args(at)
    assert args["center"] == pytest.approx([SHUSHA["lat"], SHUSHA["lon"]], abs=1e-4)
    assert args["zoom"] >= place_finder.FOCUS_ZOOM
    assert highlighted_place(at) == SHUSHA["id"]
    assert query(at)["place"] == SHUSHA["id"]


def test_go_to_the_day_it_changed_hands(app):
    at = app()
    at.selectbox(key="place_box").select(SHUSHA["id"]).run()
    go = at.button(key="place_go")
    assert "8 Nov 2020" in go.label
    go.click().run()
    assert not at.exception
    assert at.slider(key="date").value == dt.date(2020, 11, 8)
    assert query(at)["date"] == "2020-11-08"
    assert "On 8 November 2020 the map shows it held by: Azerbaijan" in card(at)
    assert at.button(key="place_go").disabled  # already there
    # a day earlier the map still shows it held by the Armenian side
    at.button(key="back").click().run()
    assert "On 7 November 2020 the map shows it held by: Artsakh" in card(at)


def test_go_to_a_day_outside_the_period_widens_it(app):
    """Khankendi / Stepanakert changed hands in the 2023 offensive, outside the war period the page opens on."""
    (capital,) = [
        f["properties"]
        for f in PLACES["features"]
        if f["properties"].get("type") == "city" and "Stepanakert" in f["properties"]["name_en"]
    ]
    changed = dt.date.fromisoformat(capital["capture_modelled_on"])
    at = app(place=capital["id"])
    assert at.selectbox(key="period").value == "war"
    at.button(key="place_go").click().run()
    assert not at.exception
    assert at.slider(key="date").value == changed
    period = at.selectbox(key="period").value
    assert period != "war"
    from nkmap.data.dataset import load_dataset
    from nkmap.web import pagestate

    span = next(p for p in pagestate.periods(load_dataset()) if p.id == period)
    assert span.start <= changed <= span.end
    assert at.selectbox(key="place_box").value == capital["id"]  # the card stays open


def test_a_date_step_changes_only_the_line_for_the_date(app):
    """The card itself is the same on every date (Streamlit then sends a long one once, by reference)."""
    at = app(place=SHUSHA["id"], date="2020-11-07")
    parts = [h.proto.body for h in at.get("html") if 'data-place-id="' in h.proto.body]
    at.button(key="fwd").click().run()
    after = [h.proto.body for h in at.get("html") if 'data-place-id="' in h.proto.body]
    assert len(parts) == len(after) == 2
    assert parts[1] == after[1]
    assert "held by: Artsakh" in parts[0] and "held by: Azerbaijan" in after[0]


def test_base_map_is_the_same_with_a_place_open(app):
    """Choosing a place must not change the base map script (st_folium would reload the iframe)."""
    at = app()
    before = map_args(at)
    at.selectbox(key="place_box").select(KALBAJAR["id"]).run()
    after = map_args(at)
    for key in ("script", "header", "html", "js_links", "css_links", "height"):
        assert before[key] == after[key], key
    assert after["center"] == pytest.approx([KALBAJAR["lat"], KALBAJAR["lon"]], abs=1e-4)


def test_choosing_the_same_place_again_recentres(app):
    """st_folium moves the map only when the centre it is given changes: a second choice of the same place
    (after the user panned away) must hand it a different, still sub-metre-close, centre."""
    at = app()
    at.selectbox(key="place_box").select(SHUSHA["id"]).run()
    first = map_args(at)["center"]
    at.button(key="place_close").click().run()
    assert card(at) == "" and highlighted_place(at) is None and "place" not in query(at)
    at.selectbox(key="place_box").select(SHUSHA["id"]).run()
    second = map_args(at)["center"]
    assert first != second and first == pytest.approx(second, abs=1e-6)


def test_clearing_the_box_closes_the_card(app):
    at = app(place=SHUSHA["id"])
    assert card(at)
    at.selectbox(key="place_box").set_value(None).run()
    assert card(at) == "" and "place" not in query(at)


# ------------------------------------------------------------------------------------------ the URL


@pytest.mark.parametrize("value", ["Shushi", "şuşa", "Шуша", SHUSHA["id"]])
def test_place_in_the_url_opens_it(app, value):
    at = app(place=value)
    assert shown_warnings(at) == []
    assert f'data-place-id="{SHUSHA["id"]}"' in card(at)
    assert at.selectbox(key="place_box").value == SHUSHA["id"]
    assert map_args(at)["center"] == pytest.approx([SHUSHA["lat"], SHUSHA["lon"]], abs=1e-4)
    assert query(at)["place"] == SHUSHA["id"]


def test_place_and_view_in_the_url_keep_the_shared_view(app):
    at = app(place=KALBAJAR["id"], view="39.9,46.6,10")
    assert f'data-place-id="{KALBAJAR["id"]}"' in card(at)
    args = map_args(at)
    assert args["center"] is None and "[39.9, 46.6]" in args["script"]
    assert highlighted_place(at) == KALBAJAR["id"]


@pytest.mark.parametrize(
    "value, needle",
    [
        ("Nowhereville", "No place called 'Nowhereville'"),
        ("", "the query is empty"),
        ("   ", "the query is empty"),
        ("x" * 10_000, "10,000 characters"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("**bold** [x](javascript:alert(1))", "**bold** [x](javascript"),
        ("Stepanakerd", "Did you mean"),
        ("Agdam", "Several places match"),
    ],
)
def test_bad_place_in_the_url_warns_and_falls_back(app, value, needle):
    at = app(place=value)
    assert not at.exception
    warnings = shown_warnings(at)
    assert any(needle in w and "Showing the map without a place" in w for w in warnings), warnings
    assert card(at) == "" and highlighted_place(at) is None
    assert "place" not in query(at)
    assert at.selectbox(key="place_box").value is None
    for raw in (w.value for w in at.warning):
        assert "<" not in raw.replace("\\<", "") and "**" not in raw  # escaped, never markup
        assert len(raw) < 600  # a 10 KB value is not echoed back


def test_similar_names_in_a_bad_link_are_offered(app):
    at = app(place="Stepanakerd")
    (warning,) = shown_warnings(at)
    assert "Stepanakert" in warning


# ------------------------------------------------------------------------------------------ the panel


def test_panel_lists_the_74_places_announced_on_9_november_2020(app):
    html = html_of(app(date="2020-11-09"))
    match = re.search(r'<details class="nk-announced">(.*?)</details>', html, re.S)
    assert match, "no list of announced places"
    assert "announced the capture of 74 places on this date" in match.group(1)
    assert len(re.findall(r"<li>", match.group(1))) == 74
    announced = [
        f["properties"] for f in PLACES["features"] if f["properties"].get("capture_claimed_on") == "2020-11-09"
    ]
    for props in announced:  # every place the data says was announced that day is listed
        assert f"<li>{props['name_en']}" in match.group(1).replace("&#x27;", "'"), props["name_en"]


def test_panel_has_no_announcement_list_on_a_quiet_day(app):
    assert '<details class="nk-announced"' not in html_of(app(date="2021-03-01"))


# --------------------------------------------------------------------------------- nkmap.web.place_finder alone


@pytest.fixture(scope="module")
def ds():
    from nkmap.data.dataset import load_dataset

    return load_dataset(ROOT / "geo")


def test_every_name_of_a_place_is_in_its_label(ds):
    """Each name is in the label as written, or folded as the search folds what is typed ("Kel'badzhar", a
    GeoNames variant, is there as 'kelbadzhar')."""
    label = place_finder.labels(ds)[KALBAJAR["id"]].lower()
    for name in [KALBAJAR["name_en"], KALBAJAR["name_az"], KALBAJAR["name_hy"], *KALBAJAR.get("names_variant", [])]:
        for part in re.split(r"\s*/\s*|\s*\(\s*|\s*\)\s*", name):
            assert part.lower() in label or gazetteer.fold(part) in label, part
    assert "kelbecer" in label  # Kəlbəcər without its diacritics, for a filter that does not fold them


def test_typed_spellings_that_no_label_holds_are_resolved_on_the_server(ds):
    labels = [v.lower() for v in place_finder.labels(ds).values()]
    assert not any("kelbejar" in v for v in labels)  # so the browser's filter cannot offer it ...
    assert place_finder.resolve(ds, "Kelbejar").place_id == KALBAJAR["id"]  # ... but submitting it works
    several = place_finder.resolve(ds, "Agdam")
    assert several.place_id is None and len(several.candidates) >= 2 and "Several places" in several.message


@pytest.mark.parametrize("text", ["", "\x00\x1b[31m", "x" * 10_000, "<b>", None])
def test_unusable_text_gets_a_message_not_an_error(ds, text):
    result = place_finder.resolve(ds, text)
    assert result.place_id is None and result.message
    assert len(result.message) < 300


def test_highlight_escapes_the_name():
    group = place_finder.PlaceHighlight("p-1", 39.7, 46.7, "<img src=x onerror=alert(1)>")
    assert "<img" not in group.place_json and "&lt;img" in group.place_json


def test_the_panel_never_shows_a_missing_value_as_text(ds):
    """Every day of the war and handovers: no 'NaT', 'nan' or 'None' where the data has no value."""
    from nkmap.web import datepanel

    day = dt.date(2020, 9, 20)
    while day <= dt.date(2020, 12, 15):
        words = re.sub(r"<[^>]+>", " ", datepanel.on_this_date_html(ds, day)).split()
        assert not {"NaT", "nan", "None"} & set(words), day
        day += dt.timedelta(days=1)


def test_the_panel_is_made_once_per_day_and_language_and_only_the_recent_ones_are_kept():
    """The panel is read on every date step by every session: kept per (day, language), the same text as made
    afresh, at most PANELS_KEPT of them (a day's text never grows the server for hours)."""
    from nkmap.data.dataset import load_dataset
    from nkmap.web import datepanel

    fresh = load_dataset()
    fresh.clear_caches()
    day = dt.date(2020, 11, 8)
    first = datepanel.on_this_date_html(fresh, day, "hy")
    assert datepanel.on_this_date_html(fresh, day, "hy") is first
    assert first == datepanel._on_this_date_html(fresh, day, "hy")
    assert datepanel.on_this_date_html(fresh, day, "en") != first
    kept = fresh.caches(datepanel.DatepanelCaches).panels
    for n in range(datepanel.PANELS_KEPT + 40):
        datepanel.on_this_date_html(fresh, dt.date(2021, 1, 1) + dt.timedelta(days=n), "en")
    assert len(kept) == datepanel.PANELS_KEPT
    assert (day, "hy") not in kept
