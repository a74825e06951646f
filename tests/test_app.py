"""The page's logic through Streamlit's AppTest (no browser): URL parameters in and out, bad values, layer
toggles, stepping, jumping, play, and the "On this date" panel.

It runs on the synthetic dataset of export_fixture.py, whose facts are known without the code under test:
the south passes to Azerbaijan on 2020-10-04, the corridor to the peacekeepers on 2020-12-01, the rest to
Azerbaijan on 2023-09-20; events on 2020-09-27 and 2020-10-04.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
import streamlit as st
import streamlit_folium
from streamlit.testing.v1 import AppTest

from conftest import run_page
from export_fixture import make_geo
from nkmap.web import mapview

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
ALL_LAYERS = [
    "countries",
    "districts",
    "nkao",
    "control",
    "support",
    "transferred_districts",
    "shusha",
    "lachin_corridor",
    "contact_line",
    "places",
    "events",
    "context",
]


@pytest.fixture(scope="module")
def fixture_geo(tmp_path_factory):
    return make_geo(tmp_path_factory.mktemp("app") / "geo")


@pytest.fixture
def app(fixture_geo, monkeypatch):
    """A fresh page on the synthetic dataset (the process-wide dataset cache is cleared around it)."""
    monkeypatch.setenv("NKMAP_GEO", str(fixture_geo))
    st.cache_resource.clear()

    def make(**query) -> AppTest:
        return run_page(APP, 60, **query)

    yield make
    st.cache_resource.clear()


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def _slots_call(at: AppTest) -> re.Match:
    script = map_args(at)["feature_group"]
    match = re.search(
        r"nkmapLayerSlots\(map_div, (\[.*?\]), \"(\d{4}-\d{2}-\d{2})\", (null|\".*?\")\);\n", script, re.S
    )
    assert match, script[-600:]
    return match


def slots(at: AppTest) -> tuple[list[dict], str]:
    """The layer slots and the date the map was asked to draw (parsed from the LayerSlots script)."""
    match = _slots_call(at)
    return json.loads(match.group(1)), match.group(2)


def legend(at: AppTest) -> str:
    """The legend HTML the map shows in its legend box."""
    return json.loads(_slots_call(at).group(3).replace("<\\/", "</"))


def slot_data(slot: dict) -> dict:
    """The GeoJSON file behind a slot, read from the app's static folder as the browser would fetch it."""
    assert slot["url"].startswith("/app/static/cache/")
    return json.loads((ROOT / "static" / slot["url"][len("/app/static/") :]).read_text(encoding="utf-8"))


def panel_html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def shown_text(markdown: str) -> str:
    """What Markdown shows for a message whose special characters are backslash-escaped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def warnings(at: AppTest) -> list[str]:
    """The warnings as the reader sees them (the app escapes Markdown in them)."""
    return [shown_text(w.value) for w in at.warning]


def query(at: AppTest) -> dict:
    return {k: v for k, v in at.query_params.items()}


def first(value):
    return value[0] if isinstance(value, list) else value


# ----------------------------------------------------------------------------------------------- URL


def test_opens_on_10_november_2020_with_default_layers(app):
    at = app()
    assert at.slider(key="date").value == dt.date(2020, 11, 10)
    layer_ids, day = slots(at)
    assert day == "2020-11-10"
    assert [s["id"] for s in layer_ids] == [
        "countries",
        "districts",
        "nkao",
        "control",
        "changes",
        "support",
        "transferred_districts",
        "shusha",
        "lachin_corridor",
        "contact_line",
        "places",
        "events",
        "context",
    ]
    assert warnings(at) == []
    assert first(query(at)["date"]) == "2020-11-10"
    assert first(query(at)["layers"]).split(",") == ALL_LAYERS


def test_url_date_and_layers_open_that_view(app):
    at = app(date="2020-10-04", layers="control,lachin_corridor")
    assert at.slider(key="date").value == dt.date(2020, 10, 4)
    assert at.checkbox(key="layer_control").value is True
    assert at.checkbox(key="layer_lachin_corridor").value is True
    assert at.checkbox(key="layer_places").value is False
    ids = [s["id"] for s in slots(at)[0]]
    assert ids == ["control", "changes", "lachin_corridor"]
    assert first(query(at)["layers"]) == "control,lachin_corridor"


def test_url_view_is_the_opening_view(app):
    at = app(view="39.9,46.6,10")
    script = map_args(at)["script"]
    assert "[39.9, 46.6]" in script and '"zoom": 10' in script
    assert first(query(at)["view"]) == "39.9000,46.6000,10"


@pytest.mark.parametrize(
    "params, needle",
    [
        ({"date": "2020-02-31"}, "2020-02-31"),
        ({"date": "yesterday"}, "yesterday"),
        ({"date": "1990-01-01"}, "outside the timeline"),
        ({"date": "<script>alert(1)</script>"}, "<script>"),
        ({"layers": "control,no_such_layer"}, "no_such_layer"),
        ({"view": "91,46,8"}, "out of range"),
        ({"view": "39.8,46.7,30"}, "zoom"),
        ({"view": "abc"}, "abc"),
        ({"palette": "neon"}, "palette"),
    ],
)
def test_bad_url_values_fall_back_with_a_visible_warning(app, params, needle):
    at = app(**params)
    assert any(needle in w for w in warnings(at)), warnings(at)
    assert not at.exception
    if "date" in params:
        assert at.slider(key="date").value == dt.date(2020, 11, 10)
        assert first(query(at)["date"]) == "2020-11-10"  # the URL is corrected to what is shown
    if "layers" in params:
        assert [s["id"] for s in slots(at)[0]] == ["control", "changes"]


def test_warning_text_is_not_html(app):
    at = app(date="<img src=x onerror=alert(1)>")
    (warning,) = warnings(at)
    # the value must arrive as text (not be dropped), and every Markdown/HTML character in it escaped
    assert "<img src=x onerror=alert(1)>" in warning
    assert "\\<img src=x onerror=alert(1)\\>" in at.warning[0].value


def test_markdown_in_a_link_value_does_not_format_the_warning(app):
    at = app(date="**b** [x](js:a) $x$ &lt;")
    (raw,) = [w.value for w in at.warning]
    assert "\\*\\*b\\*\\*" in raw and "\\[x\\]" in raw and "\\$x\\$" in raw and "\\&lt;" in raw
    assert "**b** [x](js:a) $x$ &lt;" in warnings(at)[0]


# ------------------------------------------------------------------------------------------- widgets


def test_layer_toggle_changes_map_and_url(app):
    at = app(date="2020-10-04")
    at.checkbox(key="layer_control").uncheck().run()
    ids = [s["id"] for s in slots(at)[0]]
    assert "control" not in ids and "changes" not in ids
    assert "control" not in first(query(at)["layers"]).split(",")
    assert at.slider(key="date").value == dt.date(2020, 10, 4)  # the date stays


def test_base_map_is_identical_across_date_changes(app):
    """The iframe reloads when the base map script changes; a date step must only change the slots."""
    at = app(date="2020-10-03")
    before = map_args(at)
    at.button(key="fwd").click().run()
    after = map_args(at)
    assert at.slider(key="date").value == dt.date(2020, 10, 4)
    for key in ("script", "header", "html", "js_links", "css_links", "height"):
        assert before[key] == after[key], key
    assert before["feature_group"] != after["feature_group"]


def test_control_slot_follows_the_date(app):
    at = app(date="2020-10-03", layers="control")
    control = next(s for s in slots(at)[0] if s["id"] == "control")
    sides_before = sorted(f["properties"]["style"]["fillColor"] for f in slot_data(control)["features"])
    south = (46.75, 39.25)  # Southtown: Artsakh until 2020-10-03, Azerbaijan from 2020-10-04

    def side_colour_at(data, point):
        from shapely.geometry import Point, shape

        hits = [
            f["properties"]["style"]["fillColor"]
            for f in data["features"]
            if shape(f["geometry"]).contains(Point(point))
        ]
        assert len(hits) == 1, hits
        return hits[0]

    data_before = slot_data(control)
    at.button(key="fwd").click().run()
    control_after = next(s for s in slots(at)[0] if s["id"] == "control")
    data_after = slot_data(control_after)
    assert control_after["url"] != control["url"]
    assert side_colour_at(data_before, south) == "#c0392b"  # artsakh in the manifest
    assert side_colour_at(data_after, south) == "#1f6fb2"  # azerbaijan
    assert len(sides_before) == 2
    # the change of that day is outlined, with who claimed it
    changes = next(s for s in slots(at)[0] if s["id"] == "changes")
    (feature,) = slot_data(changes)["features"]
    assert "Claimed by Azerbaijan MoD on 4 October 2020" in feature["properties"]["popup"]


def test_step_buttons_move_one_day_and_stop_at_the_period_end(app):
    at = app(date="2020-12-14")
    at.button(key="fwd").click().run()
    assert at.slider(key="date").value == dt.date(2020, 12, 15)
    at.button(key="fwd").click().run()
    assert at.slider(key="date").value == dt.date(2020, 12, 15)  # end of "War and handovers"
    at.button(key="back").click().run()
    assert at.slider(key="date").value == dt.date(2020, 12, 14)
    assert first(query(at)["date"]) == "2020-12-14"


def test_jump_to_a_key_date_outside_the_period_widens_the_slider(app):
    at = app(date="2020-10-04")
    target = next(o for o in at.selectbox(key="jump").options if "Ceasefire" in o)
    at.selectbox(key="jump").select_index(at.selectbox(key="jump").options.index(target)).run()
    slider = at.slider(key="date")
    assert slider.value == dt.date(2023, 9, 20)
    from nkmap.data.dataset import load_dataset
    from nkmap.web import pagestate

    period = at.selectbox(key="period").value
    span = next(p for p in pagestate.periods(load_dataset()) if p.id == period)
    assert period != "war" and span.start <= dt.date(2023, 9, 20) <= span.end


def test_play_steps_the_date_and_stops_at_the_end(app):
    at = app(date="2020-12-13")
    at.button(key="play").click().run()
    assert at.session_state["playing"] is True
    assert at.button(key="play").label.startswith("■")
    time.sleep(1.0)
    at.run()  # what the fragment timer does
    assert at.slider(key="date").value == dt.date(2020, 12, 14)
    time.sleep(1.0)
    at.run()
    time.sleep(1.0)
    at.run()
    assert at.slider(key="date").value == dt.date(2020, 12, 15)
    assert at.session_state["playing"] is False  # stopped at the end of the period
    assert at.button(key="play").label.startswith("▶")


def test_stop_button_stops_play(app):
    at = app(date="2020-10-01")
    at.button(key="play").click().run()
    at.button(key="play").click().run()
    assert at.session_state["playing"] is False
    day = at.slider(key="date").value
    time.sleep(1.0)
    at.run()
    assert at.slider(key="date").value == day


# --------------------------------------------------------------------------------------------- panel


def test_panel_lists_that_days_events_escaped(app):
    html = panel_html(app(date="2020-10-04"))
    assert "Events on this date" in html
    assert "Southtown claimed" in html
    assert "Claimed &lt;b&gt;by&lt;/b&gt; Azerbaijan" in html and "<b>by</b>" not in html


def test_panel_falls_back_to_the_latest_earlier_events(app):
    html = panel_html(app(date="2020-10-03"))
    assert "Latest events before this date" in html and "27 September 2020" in html
    assert "War begins" in html


def test_panel_areas_change_since_the_war_balance(app):
    """Land passes between sides, so the gains and losses since the eve of the war sum to zero."""
    html = panel_html(app(date="2020-10-04"))
    changes = [float(v.replace(",", "")) for v in re.findall(r"([+-][\d,]+(?:\.\d)?) km²", html)]
    assert len(changes) == 2 and changes[0] < 0 < changes[1]
    assert abs(sum(changes)) <= 1
    before = panel_html(app(date="2020-09-26"))
    assert "no change" in before or "&ndash;" in before


def test_legend_on_the_map_follows_the_layers(app):
    at = app(date="2020-10-04", layers="control")
    html = legend(at)
    assert "Held by Azerbaijan" in html and "Changed hands" in html
    assert "Lachin corridor (5 km wide" not in html
    at.checkbox(key="layer_lachin_corridor").check().run()
    assert "Lachin corridor (5 km wide" in legend(at)
    at.checkbox(key="layer_control").uncheck().run()
    at.checkbox(key="layer_lachin_corridor").uncheck().run()
    assert "No layer is switched on" in legend(at)


def test_no_remote_assets_in_the_map(app):
    args = map_args(app())
    leaflet, code = args["js_links"]
    assert [leaflet, *args["css_links"]] == [
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/vendor/leaflet/leaflet.css",
    ]
    assert (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()
    # nkmap's own map code, after Leaflet: a file the app wrote under its static folder, named after its content
    assert code.startswith("/app/static/vendor/nkmap/map-") and code.endswith(".js")
    assert (ROOT / "static" / code.removeprefix("/app/static/")).read_text(encoding="utf-8") == mapview.map_code()
    assert "https://" not in args["header"]


def test_map_files_removed_while_the_server_runs_are_written_again(app):
    """Someone clears ./static while the server runs: the next page run writes Leaflet and the map's code again
    (without them the map would stay an empty box)."""
    at = app()
    code = ROOT / "static" / map_args(at)["js_links"][1].removeprefix("/app/static/")
    leaflet = ROOT / "static" / "vendor" / "leaflet" / "leaflet.js"
    code.unlink()
    leaflet.unlink()
    at.run()
    assert not at.exception
    assert code.read_text(encoding="utf-8") == mapview.map_code() and leaflet.stat().st_size > 100_000


def test_new_map_code_gives_the_map_a_new_key(ds_fixture_free_base_maps):
    """st_folium keeps a map's iframe (and the code it loaded) while the map's script is the same: code under a
    new name must change the script, so a tab open across an upgrade gets a fresh map with the new code."""
    keys = {
        url: streamlit_folium.generate_js_hash(
            streamlit_folium._get_map_string(ds_fixture_free_base_maps(url)), "map", False
        )
        for url in ("/app/static/vendor/nkmap/map-aaaa.js", "/app/static/vendor/nkmap/map-bbbb.js")
    }
    assert len(set(keys.values())) == 2, keys


@pytest.fixture
def ds_fixture_free_base_maps(fixture_geo):
    from nkmap.data.dataset import load_dataset

    ds = load_dataset(fixture_geo)
    return lambda code_url: mapview.base_map(ds, asset_url="/app/static/vendor/leaflet/", code_url=code_url)


def test_broken_dataset_gives_a_message_not_a_traceback(fixture_geo, tmp_path, monkeypatch):
    import shutil

    broken = tmp_path / "geo"
    shutil.copytree(fixture_geo, broken)
    (broken / "events.geojson").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("NKMAP_GEO", str(broken))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    st.cache_resource.clear()
    assert not at.exception
    (error,) = at.error
    assert "events.geojson" in error.value
    assert any("events.geojson" in t.value for t in at.text)


def test_high_contrast_palette_recolours_the_control_areas(app):
    from nkmap.data.dataset import load_dataset
    from nkmap.text import style

    at = app(date="2020-10-04", layers="control", palette="high_contrast")
    assert at.toggle(key="palette_hc").value is True
    control = next(s for s in slots(at)[0] if s["id"] == "control")
    fills = {f["properties"]["style"]["fillColor"] for f in slot_data(control)["features"]}
    ds = load_dataset()
    assert fills == {
        style.side_color(ds, "artsakh", "high_contrast"),
        style.side_color(ds, "azerbaijan", "high_contrast"),
    }
    assert first(query(at)["palette"]) == "high_contrast"


def test_class_map_is_offered_as_a_static_in_browser_timeline():
    """'A class on many screens?': the button writes the standalone map under static/cache and links to it."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not [b for b in at.get("link_button") if "in-browser" in b.proto.label]
    at.button(key="class_map").click().run()
    links = [b for b in at.get("link_button") if "in-browser" in b.proto.label]
    assert len(links) == 1
    url = links[0].proto.url
    assert url.startswith("/app/static/cache/nkmap-timeline-") and url.endswith(".html")
    page = (Path(APP).parent / "static" / "cache" / url.rsplit("/", 1)[1]).read_text(encoding="utf-8")
    assert "L.map(" in page or "L.map (" in page, "the file carries its own Leaflet map"
    assert "https://unpkg.com" not in page and "cdn.jsdelivr" not in page
