"""The page's About says which dataset folder and which version it shows (AppTest, both pages)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import run_page
from export_fixture import make_geo
from nkmap.data.dataset import default_geo_dir
from nkmap.data.validation import validate_dataset

ROOT = Path(__file__).resolve().parents[1]


def about_text(at: AppTest) -> tuple[str, str]:
    """The About expander's label and its HTML (it sits in the sidebar)."""
    (box,) = [e for e in at.sidebar.get("expander") if e.label == "About"]
    return box.label, "".join(h.proto.body for h in box.get("html"))


@pytest.fixture
def versioned_geo(tmp_path, monkeypatch):
    """The synthetic dataset in a folder of its own, with a version no other dataset has."""
    geo = make_geo(tmp_path / "lesson data" / "geo")
    manifest = json.loads((geo / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = "fixture-7.2 <b>"
    (geo / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setenv("NKMAP_GEO", str(geo))
    st.cache_resource.clear()
    yield geo
    st.cache_resource.clear()


def test_the_map_page_says_which_folder_and_version_it_shows(versioned_geo):
    at = run_page(str(ROOT / "app.py"))
    _, body = about_text(at)
    assert html.escape(str(versioned_geo)) in body
    assert "fixture-7.2 &lt;b&gt;" in body and "fixture-7.2 <b>" not in body  # the manifest's text, escaped


def test_the_classroom_says_which_folder_and_version_it_shows(monkeypatch):
    monkeypatch.delenv("NKMAP_GEO", raising=False)
    st.cache_resource.clear()
    at = run_page(str(ROOT / "pages" / "1_Classroom.py"))
    _, body = about_text(at)
    shipped = json.loads((default_geo_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert html.escape(str(default_geo_dir())) in body
    assert f'data-nk-version="{shipped["version"]}"' in body


def test_a_manifest_without_a_version_is_a_validation_problem(versioned_geo):
    manifest = json.loads((versioned_geo / "manifest.json").read_text(encoding="utf-8"))
    del manifest["version"]
    (versioned_geo / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    problems = [str(p) for p in validate_dataset(versioned_geo)]
    assert any("version" in p for p in problems), problems
    assert validate_dataset(ROOT / "geo") == []  # the shipped data has one
