"""The `nkmap` command as a user runs it: validate, export, timeline, state."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[1] / "geo"


def nkmap(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nkmap", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_validate_accepts_the_shipped_dataset():
    result = nkmap("validate", str(GEO))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


@pytest.fixture
def broken_geo(tmp_path: Path) -> tuple[Path, dict]:
    """A copy of the dataset with one problem of each kind, each in a known feature."""
    geo = tmp_path / "geo"
    shutil.copytree(GEO, geo)

    def edit(name, change):
        path = geo / name
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data["features"])
        path.write_text(json.dumps(data), encoding="utf-8")

    def break_events(features):
        features[0]["properties"]["sources"] = []
        features[1]["properties"]["valid_from"] = "2020-02-30"

    def break_control(features):
        baseline = next(
            f for f in features if f["properties"]["role"] == "baseline" and f["properties"]["side"] == "artsakh"
        )
        overlap = json.loads(json.dumps(baseline))
        overlap["properties"]["id"] = "control-bad-overlap"
        overlap["properties"]["side"] = "azerbaijan"
        features.append(overlap)
        change = next(f for f in features if f["properties"]["role"] == "change")
        change["properties"]["side"] = "martians"
        bowtie = next(f for f in features if f["properties"]["role"] == "change" and f is not change)
        bowtie["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[46.0, 39.5], [46.2, 39.7], [46.2, 39.5], [46.0, 39.7], [46.0, 39.5]]],
        }
        return change["properties"]["id"], bowtie["properties"]["id"]

    events = json.loads((geo / "events.geojson").read_text(encoding="utf-8"))["features"]
    control = json.loads((geo / "control.geojson").read_text(encoding="utf-8"))["features"]
    edit("events.geojson", break_events)
    ids = {}
    edit("control.geojson", lambda f: ids.setdefault("control", break_control(f)))
    (geo / "shusha.geojson").write_text("this is not { GeoJSON", encoding="utf-8")
    del control
    return geo, {
        "no_source": events[0]["properties"]["id"],
        "bad_date": events[1]["properties"]["id"],
        "unknown_side": ids["control"][0],
        "bowtie": ids["control"][1],
    }


def test_validate_names_every_problem_in_a_broken_copy(broken_geo):
    broken_geo, ids = broken_geo
    result = nkmap("validate", str(broken_geo))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()

    def line_for(file, fid, words):
        return [l for l in lines if l.startswith(f"{file}: {fid}") and words in l]

    assert line_for("events.geojson", ids["no_source"], "missing source"), lines
    assert line_for("events.geojson", ids["bad_date"], "bad date"), lines
    assert line_for("control.geojson", ids["unknown_side"], "unknown side 'martians'"), lines
    assert line_for("control.geojson", ids["bowtie"], "bad geometry"), lines
    assert [l for l in lines if "overlapping control" in l and "control-bad-overlap" in l], lines
    assert [l for l in lines if l.startswith("shusha.geojson") and "not valid JSON" in l], lines


def test_loading_a_broken_file_names_it_without_a_traceback(broken_geo):
    broken_geo, _ = broken_geo
    result = nkmap("--geo", str(broken_geo), "export", "--date", "2020-11-10")
    assert result.returncode == 1
    assert "shusha.geojson" in result.stderr and "nkmap validate" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_geojson_has_every_layer_and_sides(tmp_path: Path):
    out = tmp_path / "state.geojson"
    result = nkmap("export", "--date", "2020-11-10", "--format", "geojson", "--output", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert {
        "control",
        "contact_line",
        "lachin_corridor",
        "shusha",
        "transferred_districts",
        "events",
        "countries",
        "districts",
    } <= layers
    sides = {f["properties"]["side"] for f in data["features"] if f["properties"]["layer"] == "control"}
    # Armenia and the rest of Azerbaijan are held by their own states: no point of the frame is nobody's
    assert sides == {"artsakh", "azerbaijan", "armenia"}
    assert all(f["properties"].get("sources") for f in data["features"])
    # every citation is a record a reader can look up, with what it supports in the feature
    for f in data["features"]:
        for c in f["properties"]["sources"]:
            assert c["publisher"] and c["published"] and c["url"].startswith("http") and c["kind"] and c["role"], c
    # missing values are null, never the strings pandas prints for them
    text = out.read_text(encoding="utf-8")
    assert '"NaT"' not in text and '"nan"' not in text and "NaN" not in text


def test_a_png_export_reads_and_draws_without_gdal(tmp_path: Path):
    """GDAL (pyogrio, fiona) is ~29 MB of a PNG export's peak memory (bench/bench_png_memory.py) and the PNG needs
    none of it: the dataset is read with json and shapely; only the site's GeoPackage writer imports pyogrio."""
    out = tmp_path / "map.png"
    args = ["-X", "importtime", "-m", "nkmap", "export", "--date", "2020-11-10", "--format", "png", "-o", str(out)]
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert out.read_bytes().startswith(b"\x89PNG")
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    }
    assert {"geopandas", "matplotlib", "nkmap.export.map_figure"} <= imported  # the list is the program's imports
    assert not {m for m in imported if m.split(".")[0] in ("pyogrio", "fiona", "osgeo")}


def test_export_to_stdout_changes_with_the_date():
    a = json.loads(nkmap("export", "--date", "2020-09-26", "--layers", "control", "--output", "-").stdout)
    b = json.loads(nkmap("export", "--date", "2020-12-02", "--layers", "control", "--output", "-").stdout)
    area = lambda d, s: next(f["properties"]["area_km2"] for f in d["features"] if f["properties"]["side"] == s)
    assert area(a, "artsakh") > 3 * area(b, "artsakh")
    assert {f["properties"]["layer"] for f in a["features"]} == {"control"}


@pytest.mark.parametrize(
    "date, words", [("2020-31-12", "YYYY-MM-DD"), ("yesterday", "YYYY-MM-DD"), ("1980-01-01", "outside the timeline")]
)
def test_export_refuses_bad_dates(tmp_path: Path, date, words):
    out = tmp_path / "x.geojson"
    result = nkmap("export", "--date", date, "--output", str(out))
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_export_refuses_unknown_format_and_unwritable_path(tmp_path: Path):
    result = nkmap("export", "--date", "2020-11-10", "--format", "docx", "--output", str(tmp_path / "x"))
    assert result.returncode == 2 and "unknown format" in result.stderr
    result = nkmap("export", "--date", "2020-11-10", "--output", str(tmp_path / "missing" / "x.geojson"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_timeline_lists_key_dates_and_events_in_order():
    result = nkmap("timeline")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    dates = [l[:10] for l in lines]
    assert dates == sorted(dates)
    assert any("2020-11-10" in l and "statement" in l.lower() for l in lines)
    assert any(l.startswith("2024-06-12") for l in lines)
    assert len(lines) > 40


def test_state_prints_areas():
    result = nkmap("state", "--date", "2020-11-10")
    assert result.returncode == 0
    assert "km²" in result.stdout and "Artsakh" in result.stdout


def test_place_prints_the_first_matchs_card_and_lists_the_others():
    out = nkmap("place", "Shushi").stdout
    assert out.count("Held by, as the map shows it:") == 1  # one card, not three
    assert "Shushakand / Shosh" in out and "--all prints the card of each" in out
    every = nkmap("place", "Shushi", "--all").stdout
    assert every.count("Held by, as the map shows it:") == 3
