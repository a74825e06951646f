"""No link and no command line reaches a user as a traceback: every URL parameter of both pages and the CLI's date
arguments are parsed by tested functions that name what is wrong (issue 13, first part)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_page
from nkmap.cli.commands import main as nkmap_main
from nkmap.data.dataset import load_dataset
from nkmap.web import pagestate

TEXT = st.text(max_size=60)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def ds():
    return load_dataset(ROOT / "geo")


@pytest.mark.parametrize(
    "view",
    [
        "39.7,46.7,1e400",
        "39.7,46.7,inf",
        "nan,46.7,8",
        "39.7,46.7,-inf",
        "1e400,2,8",
        "39.7,46.7,8.5",
        "39.7,46.7,٨",
        "３９,46,8",
        "39.7,46.7,9" * 30,
    ],
)
def test_hostile_views_fall_back_with_a_named_warning(ds, view):
    state = pagestate.from_query({"view": view}, ds)
    assert state.view is None
    assert state.warnings and "Map view in the link" in state.warnings[0]


@SETTINGS
@given(key=st.sampled_from(["date", "layers", "view", "palette", "place"]), value=TEXT)
def test_any_value_of_any_map_parameter_gives_a_state_and_plain_warnings(ds, key, value):
    state = pagestate.from_query({key: value}, ds)
    assert ds.start <= state.day <= ds.end
    assert all(isinstance(w, str) and len(w) < 600 for w in state.warnings)
    if state.view is not None:
        lat, lon, zoom = state.view
        assert -85 <= lat <= 85 and -180 <= lon <= 180 and isinstance(zoom, int)


@SETTINGS
@given(value=TEXT, total=st.integers(min_value=1, max_value=40))
def test_any_step_value_is_a_step_or_a_named_refusal(value, total):
    try:
        step = pagestate.parse_step_number(value, total)
    except ValueError as exc:
        assert "in the link is not 1 to" in str(exc)
    else:
        assert 1 <= step <= total and value.strip().isascii()


@pytest.mark.parametrize("step", ["²", "٣", "1e3", "-1", "0", "999999999999999999999", " 2 "])
def test_the_classroom_page_survives_hostile_steps(step):
    at = run_page(str(ROOT / "pages" / "1_Classroom.py"), step=step)
    if step.strip() != "2":
        assert any("is not 1 to" in w.value for w in at.warning), [w.value for w in at.warning]


def test_the_map_page_survives_a_view_of_1e400():
    at = run_page(str(ROOT / "app.py"), view="39.7,46.7,1e400")
    assert any("Map view in the link" in w.value for w in at.warning)


@settings(max_examples=60, deadline=None)
@given(value=TEXT)
def test_the_cli_names_a_bad_date_in_one_line(value):
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = nkmap_main(["state", "--date", value])
        except SystemExit as exc:  # argparse refuses an argument that looks like an option
            code = exc.code
    assert code in (0, 2)
    assert "Traceback" not in err.getvalue()
    if code == 2 and err.getvalue():
        assert err.getvalue().count("\n") <= 3


def test_a_good_day_still_parses(ds):
    assert pagestate.from_query({"date": "2020-11-09", "view": "39.80,46.75,11"}, ds).day == dt.date(2020, 11, 9)


def test_a_geo_folder_without_a_manifest_is_an_error_naming_it(tmp_path, monkeypatch):
    """The dataset the app serves is the one the user meant: ./geo without manifest.json is not silently replaced
    by the geo/ beside the installed source."""
    from nkmap.data.dataset import DatasetError, default_geo_dir, load_dataset

    (tmp_path / "geo").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NKMAP_GEO", raising=False)
    assert default_geo_dir() == tmp_path / "geo"
    with pytest.raises(DatasetError, match="no manifest"):
        load_dataset()
