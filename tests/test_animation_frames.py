"""Animation frames drawn the quick way (`MapFigure.rgb_array`: only the map and the panel's dated parts drawn
again over a saved copy of the rest) have exactly the pixels of drawing the whole figure, on the real dataset:
through the war (events and key dates change the panel's texts), years later, in a wide script, portrait, high
contrast and every layer. And the comparison can fail: a dated text left out of the redrawn parts shows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from nkmap.data.dataset import default_geo_dir, load_dataset
from nkmap.export import figure_panel, map_figure
from nkmap.export.export_animation import animation_options
from nkmap.export.export_options import MapOptions
from nkmap.export.map_figure import MapFigure

D = dt.date
# days in date order, as an animation shows them: the war's first days, Shushi, the ceasefire, the handovers, 2023
DAYS = [D(2020, 9, 27), D(2020, 9, 28), D(2020, 10, 17), D(2020, 11, 8), D(2020, 11, 10), D(2020, 11, 20),
        D(2020, 12, 1), D(2022, 8, 26), D(2023, 9, 20)]  # fmt: skip


@pytest.fixture(scope="module")
def real_ds():
    geo = default_geo_dir()
    if not (geo / "control.geojson").is_file():
        pytest.skip("geo/control.geojson is not built yet")
    return load_dataset(geo)


def differing_frames(ds, options: MapOptions) -> list[tuple[dt.date, int]]:
    """(day, pixels that differ) for each day whose quick frame is not the whole figure's."""
    options = animation_options(options, DAYS)
    quick, whole = MapFigure(ds, options), MapFigure(ds, options)
    differ = []
    for day in DAYS:
        a = quick.show(day).rgb_array()
        b = whole.show(day).rgb_array(redraw_all=True)
        assert a.shape == b.shape == (options.height, options.width, 3)
        if not np.array_equal(a, b):
            differ.append((day, int((a != b).any(axis=2).sum())))
    return differ


@pytest.mark.parametrize(
    "options",
    [
        MapOptions(width=1280, height=720, lang="hy"),
        MapOptions(width=720, height=1280, lang="az", palette="high_contrast", layers=("all",)),
    ],
    ids=["landscape-hy", "portrait-az-all-layers"],
)
def test_quick_frames_have_the_pixels_of_the_whole_figure(real_ds, options):
    if options.layers == ("all",):
        options = options.with_(layers=tuple(s.id for s in real_ds.layer_specs if s.display))
    assert differing_frames(real_ds, options) == []


def test_a_dated_text_left_out_of_the_redrawn_parts_would_show(real_ds, monkeypatch):
    def without_the_date(mf):
        often, seldom = figure_panel.dated_panel_artists(mf)
        return [a for a in often if a is not mf.date_text], seldom

    monkeypatch.setattr(map_figure, "dated_panel_artists", without_the_date)
    differ = differing_frames(real_ds, MapOptions(width=1280, height=720))
    assert [day for day, _ in differ] == DAYS[1:]  # each later frame keeps the first frame's date
