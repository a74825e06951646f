"""The page's map reaches the browser as the same bytes when its elements' pieces are added as rendered text
(nkmap.web.plain_render) and st_folium skips its first whole-figure render: what st_folium hands the browser is
compared with what branca's own path gives, for both pages' maps."""

from __future__ import annotations

import datetime as dt
import itertools

import branca.element
import folium
import pytest
import streamlit_folium

from nkmap.data import story
from nkmap.data.dataset import load_dataset
from nkmap.web import datepanel, mapview, online_base, place_finder, plain_render, presenter


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def browser_args(monkeypatch, ds, tmp_path, day, lang, palette, place, online, overlay_of, branca_path: bool) -> dict:
    """What st_folium sends the browser for the page's map, with ids numbered in order (branca draws them at
    random); `branca_path`: branca's MacroElement.render, Element for the map's CSS, and st_folium's own render."""
    counter = itertools.count()
    monkeypatch.setattr(branca.element.Element, "_generate_id", classmethod(lambda cls: f"{next(counter):032x}"))
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw) or kw.get("default"))
    if branca_path:
        monkeypatch.setattr(plain_render.PlainRendered, "render", folium.MacroElement.render)
        monkeypatch.setattr(mapview, "RenderedText", branca.element.Element)
    layers = [s.id for s in ds.layer_specs if s.display]
    base = mapview.base_map(ds, asset_url="/app/static/", code_url="/app/static/vendor/nkmap/map-0.js")
    slots = mapview.layer_slots(
        ds,
        day,
        layers,
        tmp_path,
        "/app/static/",
        palette,
        legend=datepanel.legend_html(ds, layers, palette, lang),
        lang=lang,
    )
    groups = [slots, online_base.OnlineBase(online, lang)]
    if place:
        groups.append(place_finder.highlight(ds, place, lang))
    if overlay_of is not None:
        groups.append(overlay_of(lang))
    streamlit_folium.st_folium(
        base,
        key="map",
        height=600,
        use_container_width=True,
        feature_group_to_add=groups,
        returned_objects=["center", "zoom", "bounds"],
        render=branca_path,
    )
    monkeypatch.undo()
    return {k: v for k, v in sent.items() if k != "on_change"}


def story_overlay(ds):
    stories, _ = story.load_stories(ds)
    the_story = stories[0]
    step = the_story.steps[1]
    return lambda lang: presenter.StepOverlay(
        story.step_places(ds, step), f"{the_story.id}:{step.number}", step.view, lang
    )


@pytest.mark.parametrize(
    "day, lang, palette, place, online, with_story",
    [
        (dt.date(2020, 11, 8), "en", "default", "place-shusha-susa", False, False),
        (dt.date(2020, 10, 4), "hy", "high_contrast", None, True, False),
        (dt.date(2021, 6, 1), "az", "default", None, False, True),
        (dt.date(2023, 9, 20), "ru", "default", "place-shusha-susa", True, True),
    ],
)
def test_the_browser_gets_the_bytes_branca_would_give(
    monkeypatch, ds, tmp_path, day, lang, palette, place, online, with_story
):
    overlay = story_overlay(ds) if with_story else None
    ours = browser_args(monkeypatch, ds, tmp_path, day, lang, palette, place, online, overlay, branca_path=False)
    theirs = browser_args(monkeypatch, ds, tmp_path, day, lang, palette, place, online, overlay, branca_path=True)
    assert len(ours["script"]) > 500 and len(ours["feature_group"]) > 1_000 and len(ours["header"]) > 1_000
    assert ours == theirs, [k for k in ours if ours[k] != theirs.get(k)]


@pytest.mark.parametrize("text", ["var a = 1;", "var a = 1;\n", "\n  x\n\n", "", "<style>.a { b: c }</style>\n"])
def test_rendered_text_is_what_an_element_of_the_same_text_renders(text):
    assert plain_render.RenderedText(text).render() == branca.element.Element(text).render()


def test_rendered_text_never_reads_its_text_as_a_template():
    """A name with template syntax in it (data text) stays as it is; branca's Element would run it."""
    text = 'L.tooltip("{{ 7 * 7 }} {# x #}")'
    assert plain_render.RenderedText(text).render() == text
    assert branca.element.Element(text).render() != text


def test_a_date_step_compiles_no_template_once_the_base_map_is_made(monkeypatch, ds, tmp_path):
    """Compiling a jinja template costs ~0.6 ms of the server's CPU; a date step used to compile one for each
    shown layer's `addTo` and for `fit_bounds`. Only folium's `Map` itself still compiles one (its meta tag)."""
    import jinja2

    compiled = []
    real = jinja2.Environment.from_string
    monkeypatch.setattr(
        jinja2.Environment,
        "from_string",
        lambda env, source, *a, **k: compiled.append(source) or real(env, source, *a, **k),
    )
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: kw.get("default"))
    layers = [s.id for s in ds.layer_specs if s.display]
    for day in (dt.date(2020, 10, 4), dt.date(2020, 11, 10)):
        base = mapview.base_map(ds, asset_url="/app/static/", code_url="/app/static/vendor/nkmap/map-0.js")
        made_by_map = len(compiled)
        slots = mapview.layer_slots(ds, day, layers, tmp_path, "/app/static/", lang="en")
        streamlit_folium.st_folium(
            base,
            key="map",
            feature_group_to_add=[
                slots,
                online_base.OnlineBase(False, "en"),
                place_finder.highlight(ds, "place-shusha-susa"),
            ],
            returned_objects=["center", "zoom", "bounds"],
            render=False,
        )
        assert compiled[made_by_map:] == [], compiled[made_by_map:]
    assert any("meta" in source for source in compiled)  # the counter sees compiles at all
