"""The map's state in words (issue 13, item 7): the "On this date" panel says who holds how much, what changed hands
that day and since the key date before it, and how well each change is sourced, so a screen-reader user follows
the war too.

Areas on the synthetic dataset (boxes) are checked against the area of a latitude-longitude box on the sphere,
computed here independently of the package's projection; on the shipped dataset against the control layer read
directly.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re

import pytest
import streamlit as st

from conftest import ROOT, run_page
from export_fixture import make_geo
from nkmap.data.dataset import load_dataset
from nkmap.model import compare, timeline
from nkmap.text import state_text

EARTH_KM = 6371.0
SHUSHA_DAY = dt.date(2020, 11, 8)


def box_km2(x0: float, y0: float, x1: float, y1: float) -> float:
    """Area of a longitude-latitude box on a sphere of the Earth's mean radius."""
    return EARTH_KM**2 * math.radians(x1 - x0) * (math.sin(math.radians(y1)) - math.sin(math.radians(y0)))


def km2_figures(sentence: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"([\d,]+(?:\.\d)?) km²", sentence)]


def plain(markup: str) -> str:
    """What a screen reader reads: the text of the HTML, with styles dropped and whitespace collapsed."""
    markup = re.sub(r"<style>.*?</style>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return load_dataset(make_geo(tmp_path_factory.mktemp("geo")))


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(ROOT / "geo")


SOUTH = box_km2(46.3, 39.0, 47.2, 39.5)  # chg-south, to Azerbaijan on 2020-10-04, claimed
CORRIDOR = box_km2(46.3, 39.55, 46.6, 39.65)  # chg-corridor, to the peacekeepers on 2020-12-01, confirmed
WEST = box_km2(46.3, 39.0, 47.2, 40.5)  # Artsakh's baseline
EAST = box_km2(47.2, 39.0, 47.5, 40.5)  # Azerbaijan's baseline


def test_changes_between_lists_the_dated_changes_with_their_area_and_support(synthetic):
    (south,) = compare.changes_between(synthetic, dt.date(2020, 10, 3), dt.date(2020, 10, 4))
    assert (south.feature_id, south.day, south.to_side, south.support) == (
        "chg-south",
        dt.date(2020, 10, 4),
        "azerbaijan",
        "claimed",
    )
    assert south.area_km2 == pytest.approx(SOUTH, rel=0.01)
    span = compare.changes_between(synthetic, dt.date(2020, 9, 27), dt.date(2020, 12, 1))
    assert [c.feature_id for c in span] == ["chg-south", "chg-corridor"]
    assert compare.changes_between(synthetic, dt.date(2020, 12, 1), dt.date(2020, 9, 27)) == span  # either order
    assert compare.changes_between(synthetic, dt.date(2020, 10, 4), dt.date(2020, 10, 4)) == []
    assert compare.changes_between(synthetic, dt.date(2020, 10, 4), dt.date(2020, 11, 30)) == []


def test_key_date_before_is_the_latest_strictly_earlier_one(synthetic):
    assert compare.key_date_before(synthetic, dt.date(2020, 9, 27)) is None
    assert compare.key_date_before(synthetic, dt.date(2020, 10, 4)).label_en == "War begins"
    assert compare.key_date_before(synthetic, dt.date(2020, 10, 5)).label_en == "South claimed by Azerbaijan"
    assert compare.key_date_before(synthetic, dt.date(2023, 12, 31)).date == dt.date(2023, 9, 20)


def test_held_sentence_names_every_side_of_the_region_with_its_area(synthetic):
    before = state_text.held_sentence(synthetic, dt.date(2020, 9, 30))
    assert before.startswith("Artsakh / Armenian forces held ") and before.endswith("and Russian peacekeepers none.")
    assert "Armenia " not in before.replace("Armenian", "")  # Armenia itself lies outside the region's figures
    west, east = km2_figures(before)
    assert west == pytest.approx(WEST, rel=0.01) and east == pytest.approx(EAST, rel=0.01)
    after = state_text.held_sentence(synthetic, dt.date(2020, 12, 1))
    west, east, corridor = km2_figures(after)
    assert west == pytest.approx(WEST - SOUTH - CORRIDOR, rel=0.01)
    assert east == pytest.approx(EAST + SOUTH, rel=0.01)
    assert corridor == pytest.approx(CORRIDOR, rel=0.02)


def test_unconfirmed_sentence_says_how_much_ground_rests_on_a_claim(synthetic):
    assert state_text.unconfirmed_sentence(synthetic, dt.date(2020, 9, 30)) == ""
    claimed = state_text.unconfirmed_sentence(synthetic, dt.date(2020, 10, 4))
    assert claimed.startswith("Of that, ") and "rests on one side's claim only" in claimed
    assert "disputed" not in claimed
    assert km2_figures(claimed) == [pytest.approx(SOUTH, rel=0.01)]


def test_net_change_and_summary_in_words(synthetic):
    sentence = state_text.net_change_sentence(synthetic, dt.date(2020, 9, 27), dt.date(2020, 10, 4))
    assert re.fullmatch(r"Azerbaijan gained ([\d,]+) km², Artsakh / Armenian forces lost ([\d,]+) km²\.", sentence)
    gained, lost = km2_figures(sentence)
    assert gained == lost == pytest.approx(SOUTH, rel=0.01)
    quiet = state_text.net_change_sentence(synthetic, dt.date(2020, 10, 4), dt.date(2020, 11, 30))
    assert quiet == "No change in the area each side held in the region."
    span = compare.changes_between(synthetic, dt.date(2020, 9, 27), dt.date(2020, 12, 1))
    assert state_text.changes_summary(span) == "2 areas changed hands (1 confirmed, 1 claimed by one side only)."
    assert state_text.changes_summary([]) == "Nothing changed hands."
    assert state_text.change_line(synthetic, span[0]).startswith("4 Oct 2020: chg-south, ")
    assert state_text.change_line(synthetic, span[0]).endswith(", to Azerbaijan (claimed by one side only)")


def test_support_summary_orders_levels_and_counts_the_ungraded():
    def change(level):
        return compare.ChangeOfHands(dt.date(2020, 10, 4), "x", "x", "azerbaijan", 1.0, level)

    levels = ["disputed", None, "claimed", "confirmed", "claimed"]
    assert (
        state_text.support_summary(change(level) for level in levels)
        == "1 confirmed, 2 claimed by one side only, 1 disputed, 1 not graded"
    )


def test_the_panel_on_8_november_2020_says_who_holds_what_and_what_changed(monkeypatch, shipped):
    """On the day Azerbaijan claimed Shusha/Shushi, the page's panel, read as text, names the change of hands (its
    area, new holder and support), each side's area, the ground resting on a claim, and what changed since the key
    date before (25 October, Qubadli), with the count of changes read straight from the control layer."""
    monkeypatch.delenv("NKMAP_GEO", raising=False)
    st.cache_resource.clear()
    at = run_page(str(ROOT / "app.py"), 90, date=SHUSHA_DAY.isoformat())
    st.cache_resource.clear()
    text = plain("".join(h.proto.body for h in at.get("html") if "nk-panel" in h.proto.body))

    control = shipped.layers["control"]
    changed = control[(control["role"] == "change") & (control["valid_from"] == SHUSHA_DAY)]
    assert list(changed["name_en"]) == ["Area around Shusha / Shushi"]
    km2 = timeline.area_km2(changed.geometry.iloc[0])
    assert f"Area around Shusha / Shushi ({km2:.1f} km²) to Azerbaijan" in text
    assert "Confirmed" in text.split("Area around Shusha / Shushi", 1)[1].split("Since", 1)[0]

    areas = timeline.areas_on(shipped, SHUSHA_DAY)
    held = f"Artsakh / Armenian forces held {areas['artsakh']:,.0f} km² of the region, Azerbaijan {areas['azerbaijan']:,.0f} km²"
    assert held in text
    support = timeline.support_on(shipped, SHUSHA_DAY)
    claimed = float(support.loc[support["support"] == "claimed", "area_km2"].iloc[0])
    assert f"Of that, {claimed:,.0f} km² rests on one side's claim only" in text

    assert "Since 25 October 2020 (Qubadli / Kashunik claimed by Azerbaijan)" in text
    span = control[
        (control["role"] == "change")
        & (control["valid_from"] > dt.date(2020, 10, 25))
        & (control["valid_from"] <= SHUSHA_DAY)
    ]
    counts = span["support"].value_counts()
    assert (
        f"{len(span)} areas changed hands ({counts['confirmed']} confirmed, "
        f"{counts['claimed']} claimed by one side only)." in text
    )
    assert f"8 Nov 2020: Area around Shusha / Shushi, {km2:.1f} km², to Azerbaijan (confirmed)" in text
    gained = areas["azerbaijan"] - timeline.areas_on(shipped, dt.date(2020, 10, 25))["azerbaijan"]
    assert f"Azerbaijan gained {gained:,.0f} km²" in text
