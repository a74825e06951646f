"""The public API (`import nkmap`): the README's example runs as written, and the functions keep their promises."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import nkmap

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped_ds():
    return nkmap.load_dataset(ROOT / "geo")


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # not the checkout: the default dataset is still found, files land here
    monkeypatch.delenv("NKMAP_GEO", raising=False)
    exec(compile(readme_example(), "README.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "azerbaijan" in out and "claimed_captured" in out
    collection = json.loads((tmp_path / "map.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and collection["features"]


def test_import_nkmap_stays_light():
    """The API loads on first use: `import nkmap` and the app's modules do not pay for matplotlib."""
    code = "import sys, nkmap, nkmap.web.mapview; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_api_answers_as_the_layers_below(shipped_ds):
    from nkmap.model import timeline

    day = dt.date(2020, 11, 10)
    control = nkmap.control_on(shipped_ds, "2020-11-10")
    assert control.equals(timeline.control_on(shipped_ds, day))
    control.loc[:, "area_km2"] = 0  # a copy: the shared frame is untouched
    assert timeline.control_on(shipped_ds, day)["area_km2"].sum() > 0
    assert list(nkmap.state_on(shipped_ds, day, ["control", "places"])) == ["control", "places"]
    events = nkmap.events(shipped_ds, "2020-09-27", "2020-11-10")
    assert events["valid_from"].is_monotonic_increasing and set(events["layer"]) <= {"events", "context"}
    assert events["valid_from"].min() >= dt.date(2020, 9, 27) and events["valid_from"].max() <= day


def test_places_by_any_name_and_by_id(shipped_ds):
    match = nkmap.find_place(shipped_ds, "Şuşa")[0]
    by_match = nkmap.place_history(shipped_ds, match)
    assert by_match == nkmap.place_history(shipped_ds, match.place_id) == nkmap.place_history(shipped_ds, "Shushi")
    with pytest.raises(KeyError):
        nkmap.place_history(shipped_ds, "no such place anywhere")


def test_bad_dates_and_formats_say_why(shipped_ds, tmp_path):
    with pytest.raises(nkmap.DateError, match="outside the timeline"):
        nkmap.control_on(shipped_ds, dt.date(1990, 1, 1))
    with pytest.raises(nkmap.ExportError, match="unknown format"):
        nkmap.export_map(shipped_ds, "2020-11-10", tmp_path / "map.docx")
    with pytest.raises(nkmap.ExportError, match="end date"):
        nkmap.export_map(shipped_ds, "2020-11-10", tmp_path / "map.gif")
    assert not list(tmp_path.iterdir())


def test_the_package_lists_exactly_the_api_it_forwards():
    # nkmap/__init__.py repeats nkmap.api's names so `import nkmap` stays light (the API loads on first use);
    # the two lists must not drift apart.
    import nkmap.api

    assert sorted(nkmap.__all__) == sorted(nkmap.api.__all__)
    for name in nkmap.__all__:
        assert getattr(nkmap, name) is getattr(nkmap.api, name)
