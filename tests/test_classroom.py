"""The classroom page through Streamlit's AppTest (no browser): story navigation (next, previous, step number,
caption, map date and view), names and sources, the URL, compare (the area that changed hands and its size)
and broken story files (a message naming the file and the step, never a traceback); plus the story loader,
`nkmap validate` on stories, and the area series.

It runs on the synthetic dataset of export_fixture.py, whose facts are known without the code under test: the
south box (46.3-47.2 E, 39.0-39.5 N) passes from Artsakh to Azerbaijan on 2020-10-04, the corridor box to the
peacekeepers on 2020-12-01, the rest of Artsakh's box to Azerbaijan on 2023-09-20.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from pyproj import Geod
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from conftest import run_page
from export_fixture import make_geo
from nkmap.data import story
from nkmap.data.dataset import load_dataset
from nkmap.model import area_series
from nkmap.web import area_chart

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages" / "1_Classroom.py")

#: The test story: three steps whose dates fall either side of the fixture's control changes.
STORY = {
    "title_en": "Test story",
    "steps": [
        {
            "date": "2020-10-03",
            "title_en": "Before the south changes hands",
            "caption_en": "The eve of the <b>claim</b> & its day.",
            "view": {"center": [39.8, 46.7], "zoom": 8, "layers": ["countries", "control"]},
            "places": ["place-south"],
            "sources": [{"source": "synthetic", "role": "report"}],
        },
        {
            "date": "2020-10-04",
            "title_en": "The south is claimed",
            "caption_en": "Southtown/Cənubkənd is claimed by Azerbaijan's MoD.",
            "view": {"center": [39.25, 46.75], "zoom": 10, "layers": ["countries", "control", "events"]},
            "events": ["event-south"],
            "places": ["place-south", "place-north"],
            "wording_az": "Az side says: taken.",
            "wording_hy": "Hy side says: <not taken>.",
        },
        {
            "date": "2020-12-01",
            "title_en": "The corridor",
            "caption_en": "The corridor passes to the peacekeepers.",
            "view": {"center": [39.6, 46.45], "zoom": 11},
            "features": ["chg-corridor"],
        },
    ],
}


def write_story(geo: Path, name: str, data) -> Path:
    directory = geo / "stories"
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fixture_geo(tmp_path_factory):
    geo = make_geo(tmp_path_factory.mktemp("classroom") / "geo")
    write_story(geo, "test-story.json", STORY)
    return geo


@pytest.fixture
def page(fixture_geo, monkeypatch):
    """A fresh classroom page on a dataset directory (the synthetic one unless another is given)."""
    st.cache_resource.clear()

    def make(geo: Path | None = None, **query) -> AppTest:
        monkeypatch.setenv("NKMAP_GEO", str(geo or fixture_geo))
        return run_page(PAGE, 90, **query)

    yield make
    st.cache_resource.clear()


def html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def map_date(at: AppTest) -> str:
    """The date the map's layer slots were asked to draw (from the LayerSlots script)."""
    match = re.search(r'nkmapLayerSlots\(map_div, \[.*?\], "(\d{4}-\d{2}-\d{2})"', map_args(at)["feature_group"], re.S)
    assert match, map_args(at)["feature_group"][-400:]
    return match.group(1)


def step_view(at: AppTest) -> list:
    """[lat, lon, zoom] the step overlay asks the live map for (from the StepOverlay script)."""
    match = re.search(r'"test-story:\d+",\s*(\[[^\]]*\]|null)', map_args(at)["feature_group"])
    assert match, map_args(at)["feature_group"][-400:]
    return json.loads(match.group(1))


def counter(at: AppTest) -> str:
    match = re.search(r'class="nk-counter"[^>]*>([^<]+)<', html(at))
    assert match, html(at)[:500]
    return match.group(1)


def caption(at: AppTest) -> str:
    match = re.search(r'<div class="nk-caption">(.*?)</div>', html(at), re.S)
    assert match
    return match.group(1)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def first(value):
    return value[0] if isinstance(value, list) else value


# ----------------------------------------------------------------------------------------- navigation


def test_story_opens_on_its_first_step(page):
    at = page()
    assert counter(at) == "Step 1 of 3"
    assert "The eve of the &lt;b&gt;claim&lt;/b&gt; &amp; its day." == caption(at)  # escaped, not dropped
    assert map_date(at) == "2020-10-03"
    assert step_view(at) == [39.8, 46.7, 8]
    assert at.button(key="story_prev").disabled is True
    assert at.button(key="story_next").disabled is False
    assert first(at.query_params["story"]) == "test-story" and first(at.query_params["step"]) == "1"
    assert errors(at) == []


def test_next_and_previous_move_the_map_caption_and_step_number(page):
    at = page()
    seen = [(counter(at), caption(at), map_date(at), step_view(at)[2])]
    at.button(key="story_next").click().run()
    seen.append((counter(at), caption(at), map_date(at), step_view(at)[2]))
    at.button(key="story_next").click().run()
    seen.append((counter(at), caption(at), map_date(at), step_view(at)[2]))
    assert [s[0] for s in seen] == ["Step 1 of 3", "Step 2 of 3", "Step 3 of 3"]
    assert [s[2] for s in seen] == [s["date"] for s in STORY["steps"]]
    assert [s[3] for s in seen] == [s["view"]["zoom"] for s in STORY["steps"]]
    assert len({s[1] for s in seen}) == 3  # a different caption at every step
    assert "peacekeepers" in seen[2][1]
    assert at.button(key="story_next").disabled is True  # the last step
    assert first(at.query_params["step"]) == "3"
    at.button(key="story_prev").click().run()
    assert counter(at) == "Step 2 of 3" and map_date(at) == "2020-10-04"
    assert step_view(at) == [39.25, 46.75, 10]


def test_the_base_map_stays_the_same_across_steps(page):
    """st_folium reloads its iframe when the base map's script changes; a step must change only the layers,
    the labels and the view."""
    at = page()
    before = map_args(at)
    at.button(key="story_next").click().run()
    after = map_args(at)
    for key in ("script", "header", "html", "js_links", "css_links"):
        assert before[key] == after[key], key
    assert before["feature_group"] != after["feature_group"]
    assert '"keyboard": false' in before["script"]  # the arrow keys step the story, not pan the map


def test_step_layers_come_from_the_story(page):
    at = page()
    slots = re.search(r"nkmapLayerSlots\(map_div, (\[.*?\]), \"", map_args(at)["feature_group"], re.S).group(1)
    assert [s["id"] for s in json.loads(slots)] == ["countries", "control", "changes"]


def test_names_in_three_languages_on_the_map_and_in_the_panel(page):
    at = page(step="2")
    panel = html(at)
    for name in ("Southtown", "Cənubkənd", "Հարավավան", "Northtown", "Şimalkənd", "Հյուսիսավան"):
        assert name in panel
    labels = map_args(at)["feature_group"]
    assert "Cənubkənd" in labels and "Հարավավան" in labels  # the map labels carry both local names
    assert '"test-story:2"' in labels  # the step the map shows, for the browser test


def test_each_sides_wording_and_the_sources(page):
    at = page(step="2")
    panel = html(at)
    assert "Azerbaijani side:</span> Az side says: taken." in panel
    assert "Armenian side:</span> Hy side says: &lt;not taken&gt;." in panel
    assert "Synthetic test data" in panel  # the cited event's sources, as records (publisher, title, date)
    assert "nkmap tests" in panel and "2026-12-06" in panel
    at = page(step="1")
    assert 'href="https://example.org/nkmap-synthetic"' in html(at)  # the step's own citation, as a linked record
    assert "Azerbaijani side" not in html(at)


def control_colours(at: AppTest) -> set[str]:
    """Fill colours of the control areas in the file the map fetches (read as the browser would)."""
    slots = json.loads(
        re.search(r"nkmapLayerSlots\(map_div, (\[.*?\]), \"", map_args(at)["feature_group"], re.S).group(1)
    )
    control = next(s for s in slots if s["id"] == "control")
    data = json.loads((ROOT / "static" / control["url"][len("/app/static/") :]).read_text(encoding="utf-8"))
    return {f["properties"]["style"]["fillColor"] for f in data["features"]}


def test_colour_blind_safe_palette_by_default_and_switchable(page):
    manifest = json.loads((ROOT / "geo" / "manifest.json").read_text(encoding="utf-8"))
    okabe_ito = {manifest["sides"][s]["high_contrast"] for s in ("artsakh", "azerbaijan")}
    default = {manifest["sides"][s]["color"] for s in ("artsakh", "azerbaijan")}
    at = page()
    assert control_colours(at) == okabe_ito
    at.toggle(key="cl_hc").set_value(False).run()
    assert control_colours(at) == default
    assert counter(at) == "Step 1 of 3"  # the step stays


def test_url_opens_a_step_and_bad_values_warn(page):
    at = page(story="test-story", step="3")
    assert counter(at) == "Step 3 of 3"
    at = page(story="nope", step="9")
    warnings = [w.value for w in at.warning]
    assert any("nope" in w for w in warnings) and any("9" in w for w in warnings), warnings
    assert counter(at) == "Step 1 of 3"


# ---------------------------------------------------------------------------------------------- compare


def km2(x0, y0, x1, y1) -> float:
    """Geodesic area of a lon/lat box in km², independent of nkmap's projection code."""
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(box(x0, y0, x1, y1))
    return abs(area) / 1e6


def test_compare_shows_the_area_that_changed_hands(page):
    at = page()
    at.segmented_control(key="cl_mode").set_value("Compare").run()
    assert not at.exception
    # The default pair follows the story: its first step and the next one.
    assert at.date_input(key="cl_cmp_a").value == dt.date(2020, 10, 3)
    assert at.date_input(key="cl_cmp_b").value == dt.date(2020, 10, 4)
    summary = html(at)
    total = float(re.search(r'data-total-km2="([\d.]+)"', summary).group(1))
    assert total == pytest.approx(km2(46.3, 39.0, 47.2, 39.5), rel=0.01)  # the south box
    assert "Artsakh / Armenian forces" in summary and "&rarr;" in summary
    frame = at.get("iframe")[-1].proto
    doc = frame.srcdoc
    assert "3 October 2020" in doc and "4 October 2020" in doc
    assert doc.count('"from_side":"artsakh"') == 1 and '"to_side":"azerbaijan"' in doc
    assert "https://" not in doc.split("tile.openstreetmap.org")[0].split("<script>")[0]  # Leaflet is local


def test_compare_with_no_change_says_so_and_dates_are_ordered(page):
    at = page()
    at.segmented_control(key="cl_mode").set_value("Compare").run()
    at.date_input(key="cl_cmp_a").set_value(dt.date(2021, 6, 1)).run()
    at.date_input(key="cl_cmp_b").set_value(dt.date(2021, 1, 1)).run()
    summary = html(at)
    assert "No land changed hands" in summary
    assert "From 1 January 2021 to 1 June 2021" in summary  # the earlier date first
    at.date_input(key="cl_cmp_b").set_value(dt.date(2023, 12, 31)).run()
    summary = html(at)
    total = float(re.search(r'data-total-km2="([\d.]+)"', summary).group(1))
    # On 2023-09-20 the whole box north of the south passes to Azerbaijan: Artsakh's part and the corridor,
    # which the peacekeepers held from 2020-12-01.
    assert total == pytest.approx(km2(46.3, 39.5, 47.2, 40.5), rel=0.01)
    corridor = km2(46.3, 39.55, 46.6, 39.65)
    moved = [float(v.replace(",", "")) for v in re.findall(r'<span class="big">([\d,.]+) km²</span><br>', summary)]
    assert sorted(moved) == pytest.approx(sorted([km2(46.3, 39.5, 47.2, 40.5) - corridor, corridor]), rel=0.02)


def test_compare_preset_sets_both_dates(page, tmp_path):
    geo = make_geo(tmp_path / "geo")
    write_story(geo, "test-story.json", STORY)
    at = page(geo)
    at.segmented_control(key="cl_mode").set_value("Compare").run()
    box_ = at.selectbox(key="cl_cmp_preset")
    label = next(o for o in box_.options if "offensive" in o)
    box_.select(label).run()
    assert at.date_input(key="cl_cmp_a").value == dt.date(2023, 9, 18)
    assert at.date_input(key="cl_cmp_b").value == dt.date(2023, 9, 20)


# -------------------------------------------------------------------------------------- area over time


def test_area_mode_charts_the_sides_and_marks_the_date(page):
    at = page(step="2")
    at.segmented_control(key="cl_mode").set_value("Area over time").run()
    assert not at.exception
    import pyarrow as pa

    (chart,) = at.get("vega_lite_chart")
    assert f'"name": "{area_chart.SELECTION}"' in chart.proto.spec  # the point selection a click makes
    tables = [pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.proto.datasets]
    series = max(tables, key=len)
    assert {r["iso"] for r in series} >= {"2020-10-04", "2020-12-01", "2023-09-20"}  # the change dates
    assert [{"iso": "2020-10-04"}] in [[{"iso": r["iso"]} for r in t] for t in tables]  # the current date's rule
    assert map_date(at) == "2020-10-04"  # the map shows the step's date until a point is picked


def test_area_series_follows_the_control_changes(fixture_geo):
    ds = load_dataset(fixture_geo)
    frame = area_series.area_series(ds, dt.date(2020, 9, 1), dt.date(2023, 12, 31))
    dates = sorted(set(frame["date"]))
    assert dates == [
        dt.date(2020, 9, 1),
        dt.date(2020, 10, 4),
        dt.date(2020, 12, 1),
        dt.date(2023, 9, 20),
        dt.date(2023, 12, 31),
    ]
    held = {(d, s): v for d, s, v in zip(frame["date"], frame["side"], frame["km2"])}
    assert held[(dt.date(2020, 9, 1), "artsakh")] == pytest.approx(km2(46.3, 39.0, 47.2, 40.5), rel=0.01)
    assert held[(dt.date(2020, 10, 4), "artsakh")] == pytest.approx(km2(46.3, 39.5, 47.2, 40.5), rel=0.01)
    assert held[(dt.date(2023, 9, 20), "artsakh")] == 0


@pytest.mark.parametrize(
    "state, expected",
    [
        ({"selection": {"pick": [{"iso": 1604448000000}]}}, dt.date(2020, 11, 4)),  # epoch ms, UTC
        ({"selection": {"pick": [{"iso": "2020-11-10"}]}}, dt.date(2020, 11, 10)),
        ({"selection": {"pick": {"iso": [1604448000000]}}}, dt.date(2020, 11, 4)),
        ({"selection": {"pick": []}}, None),
        ({"selection": {}}, None),
        (None, None),
        ({"selection": {"pick": [{"iso": "yesterday"}]}}, None),
    ],
)
def test_picked_date_reads_the_chart_selection(state, expected):
    assert area_chart.picked_date(state) == expected


# ------------------------------------------------------------------------------------------ broken files


BROKEN = {
    "title_en": "Broken story",
    "steps": [
        STORY["steps"][0],
        {**STORY["steps"][1], "date": "2020-02-30"},
        {**STORY["steps"][2], "view": {"center": [46.45, 39.6], "zoom": 30}, "events": ["no-such-event"]},
    ],
}


def test_a_broken_story_file_gets_a_message_naming_the_file_and_the_step(page, tmp_path):
    geo = make_geo(tmp_path / "geo")
    write_story(geo, "test-story.json", STORY)
    write_story(geo, "broken.json", BROKEN)
    write_story(geo, "syntax.json", '{"title_en": "x", "steps": [\n {"date": "2020-10-03",}\n]}')
    at = page(geo)
    messages = errors(at)
    assert any("stories/broken.json, step 2 (The south is claimed)" in m and "2020-02-30" in m for m in messages), (
        messages
    )
    assert any("stories/broken.json, step 3 (The corridor)" in m and "zoom" in m for m in messages), messages
    assert any("stories/broken.json, step 3" in m and "no-such-event" in m for m in messages), messages
    assert any("stories/syntax.json" in m and "line 2" in m and "step 1" in m for m in messages), messages
    assert not any("Traceback" in m for m in messages)
    assert at.selectbox(key="cl_story").options == ["Test story"]  # the good story is still offered
    assert counter(at) == "Step 1 of 3"


def test_story_text_in_a_message_is_shown_as_written_not_as_markdown(page, tmp_path):
    geo = make_geo(tmp_path / "geo")
    write_story(geo, "test-story.json", STORY)
    bad = json.loads(json.dumps(STORY))
    bad["steps"][0].update(title_en="**Loud** [link](http://x)", date="<img src=x onerror=alert(1)>")
    write_story(geo, "md.json", bad)
    (message,) = [m for m in errors(page(geo)) if "md.json" in m]
    assert r"\*\*Loud\*\* \[link\](http://x)" in message
    assert r"\<img src=x onerror=alert(1)\>" in message


def test_no_usable_story_says_where_to_put_one(page, tmp_path):
    geo = make_geo(tmp_path / "geo")
    write_story(geo, "syntax.json", "not json")
    at = page(geo)
    assert any("stories/syntax.json" in e for e in errors(at))
    assert any("docs/stories.md" in i.value for i in at.info)
    assert not at.get("component_instance")


def test_validate_reports_story_problems_with_file_and_step(tmp_path):
    geo = make_geo(tmp_path / "geo")
    write_story(geo, "broken.json", BROKEN)
    result = subprocess.run(
        [sys.executable, "-m", "nkmap", "validate", str(geo)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [l for l in lines if l.startswith("stories/broken.json: step 2") and "2020-02-30" in l], lines
    assert [l for l in lines if l.startswith("stories/broken.json: step 3") and "no-such-event" in l], lines
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda s: s.update(steps=[]), "steps must be a non-empty list"),
        (lambda s: s["steps"][0].update(caption_en="x" * 700), "700 characters"),
        (lambda s: s["steps"][0].update(sources=[], places=[]), "no source"),
        (lambda s: s["steps"][0].update(captoin_en="typo"), "unknown key 'captoin_en'"),
        (lambda s: s["steps"][0]["view"].update(layers=["control", "rivers"]), "unknown layer(s) 'rivers'"),
        (lambda s: s["steps"][0]["view"].update(center="39.8,46.7"), "[latitude, longitude]"),
        (lambda s: s["steps"][0].update(date="1990-01-01"), "outside the map's timeline"),
        (lambda s: s.pop("title_en"), "title_en is missing"),
        # a story cites records of the dataset's catalogue, as the features do: no bare URLs, no unknown records
        (lambda s: s["steps"][0].update(sources=["https://example.org/eve"]), "sources must be a list of citations"),
        (lambda s: s["steps"][0].update(sources=[{"source": "no-such", "role": "report"}]), "no record 'no-such'"),
        (lambda s: s["steps"][0].update(sources=[{"source": "synthetic"}]), "without a role"),
    ],
)
def test_story_checks_name_what_is_wrong(fixture_geo, change, words):
    ds = load_dataset(fixture_geo)
    data = json.loads(json.dumps(STORY))
    change(data)
    parsed, problems = story.parse_story(data, "stories/t.json", story.catalogue_of(ds))
    assert parsed is None
    assert any(words in str(p) and str(p).startswith("stories/t.json") for p in problems), [str(p) for p in problems]


def test_shipped_story_is_valid_and_cites_a_source_at_every_step():
    ds = load_dataset(ROOT / "geo")
    stories, problems = story.load_stories(ds)
    assert problems == []
    shipped = next(s for s in stories if s.id == "war-and-aftermath")
    # 12-16 steps, and at most four more for the episodes of the record (April 2016, the border 2021-2022)
    assert 12 <= len(shipped.steps) <= 20
    days = [s.day for s in shipped.steps]
    assert dt.date(2016, 4, 6) in days and dt.date(2022, 9, 15) in days
    # the context of the war sits in the steps where a class asks about it
    cited = {e for s in shipped.steps for e in s.events}
    assert {
        "context-2020-09-27-drones-2020-war",
        "context-2020-10-04-ganja-strikes",
        "context-2020-10-27-barda-strikes",
        "context-2020-11-10-casualty-totals-2020-war",
        "context-1994-05-12-displacement-1988-1994",
    } <= cited
    assert days == sorted(days) and days[0] == ds.start
    assert all(story.step_sources(ds, s) for s in shipped.steps)
    # the dates the issue asks for are all steps
    for wanted in ("2020-09-27", "2020-11-10", "2020-11-20", "2020-11-25", "2020-12-01", "2022-12-12", "2023-09-20"):
        assert dt.date.fromisoformat(wanted) in days, wanted
