"""The exports and the command line in each interface language (issue 14): the map's text layer is in the asked
language with no English interface word left, every character has a glyph in the fonts the maps are drawn with (no
tofu in PNG, SVG or PDF), and `--lang` works on `nkmap export | timeline | state | place` (an unknown language is one
clear line and exit 2). Run on the real dataset: its record carries the az/hy/ru texts."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ET

import matplotlib
import numpy as np
import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.text import Text
from PIL import Image

from export_fixture import make_geo
from nkmap import cli
from nkmap.data import translations
from nkmap.data.dataset import load_dataset
from nkmap.export.export_html import messages_js, render_html
from nkmap.export.export_options import MapOptions
from nkmap.export.export_static import figure_bytes
from nkmap.export.map_figure import MapFigure
from nkmap.text.messages import LANGUAGES, LOCALES_DIR
from nkmap.text.place_names import place_label
from test_explorer_browser import open_page

DAY = dt.date(2020, 11, 10)
SMALL = MapOptions(width=960, height=540, dpi=100)
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]

# What a reader of each language must find on the map of 10 Nov 2020: the title, the date, legend entries (the
# record's labels) and the footer, written out here rather than read from the catalogue, so a lost translation fails.
EXPECTED = {
    "en": [
        "Territorial control in and around Nagorno-Karabakh",
        "10 November 2020",
        "Lachin corridor (5 km wide",
        "Precision: control areas and lines are",
    ],
    "az": [
        "Dağlıq Qarabağ və ətrafında ərazilərə nəzarət",
        "10 noyabr 2020",
        "Laçın dəhlizi (5 km enində",
        "Dəqiqlik: nəzarət əraziləri",
    ],
    "hy": [
        "Տարածքների վերահսկողությունը Լեռնային Ղարաբաղում և շրջակայքում",
        "10 նոյեմբերի 2020",
        "Լաչինի միջանցք (5 կմ լայնությամբ",
        "Ճշգրտություն. վերահսկողության",
    ],
    "ru": [
        "Контроль над территориями в Нагорном Карабахе и вокруг него",
        "10 ноября 2020",
        "Лачинский коридор (шириной 5 км",
        "Точность: области контроля",
        "Город Шуша (Шуши)",
    ],
}
# The map's own label of Shusha / Shushi (the name policy); drawn with a halo, so as paths even in an SVG.
SHUSHA = {"en": "Shusha / Shushi", "az": "Şuşa (Şuşi)", "hy": "Շուշի (Շուշա)", "ru": "Шуша (Шуши)"}
# English interface words that must not be left on a translated map.
ENGLISH = [
    "Territorial control",
    "Area held on this date",
    "Latest key date",
    "Precision:",
    "Sources cited",
    "Lachin corridor",
    "Map: nkmap",
    "November",
]


@pytest.fixture(scope="module")
def ds():
    return load_dataset(None)


@pytest.fixture(scope="module")
def figures(ds):
    """One drawn map per language (drawing is the slow part; each format is saved from the same figure)."""
    return {lang: MapFigure(ds, SMALL.with_(lang=lang)).show(DAY) for lang in LANGUAGES}


def svg_text_layer(fig: MapFigure) -> str:
    """The SVG's text as text: the product writes glyphs as paths, so the test saves the same figure with text
    kept as <text> elements and reads them (lines joined by spaces, as the panel wrapped them)."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.fig.savefig(buf, format="svg", dpi=fig.opt.dpi)
    root = ET.fromstring(buf.getvalue())
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    return " ".join(" ".join(t.split()) for t in texts)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_svg_text_layer_is_in_the_language(figures, lang):
    text = svg_text_layer(figures[lang])
    for expected in EXPECTED[lang]:
        assert expected in text, f"{lang}: {expected!r} not on the map"
    if lang != "en":
        left = [word for word in ENGLISH if word in text]
        assert left == [], f"{lang}: English left on the map: {left}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_place_labels_follow_the_name_policy(figures, lang):
    shown = [t.get_text() for t in figures[lang].fig.findobj(Text) if t.get_visible()]
    assert SHUSHA[lang] in shown


@pytest.mark.parametrize("lang", TRANSLATED)
def test_png_in_each_language_differs_from_english(figures, lang):
    en = np.asarray(Image.open(io.BytesIO(figure_bytes(figures["en"], "png"))).convert("L"))
    other = np.asarray(Image.open(io.BytesIO(figure_bytes(figures[lang], "png"))).convert("L"))
    panel = slice(int(960 * 0.75), 960)
    assert en.shape == other.shape
    assert (en[:, panel] != other[:, panel]).mean() > 0.02


# ------------------------------------------------------------------------------------------------- no tofu


def _missing_glyph_is_an_error():
    """A context in which matplotlib's "Glyph ... missing from font(s)" warning raises."""
    context = warnings.catch_warnings()
    context.__enter__()
    warnings.filterwarnings("error", message=r"(?i).*glyph.*missing from")
    return context


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_every_format_draws_every_glyph(figures, lang, fmt):
    context = _missing_glyph_is_an_error()
    try:  # text is laid out (and a missing glyph found) each time the figure is drawn
        data = figure_bytes(figures[lang], fmt)
    finally:
        context.__exit__(None, None, None)
    assert len(data) > 10_000


def test_the_tofu_check_catches_a_missing_glyph(figures):
    # The check above can fail: a character no font of the map has (a CJK ideograph) raises.
    fig = figures["en"]
    probe = fig.fig.text(0.5, 0.5, "漢")
    context = _missing_glyph_is_an_error()
    try:
        with pytest.raises(UserWarning, match="missing from"):
            figure_bytes(fig, "png")
    finally:
        context.__exit__(None, None, None)
        probe.remove()


def _cmap(props: font_manager.FontProperties) -> set[int]:
    path = font_manager.findfont(props, fallback_to_default=False)
    return set(TTFont(path, fontNumber=0).getBestCmap())


def _drawn(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch)[0] != "C"


def test_fonts_of_every_drawn_text_have_its_characters(figures):
    for lang, fig in figures.items():
        for text in fig.fig.findobj(Text):
            cmap = _cmap(text.get_fontproperties())
            missing = {ch for ch in text.get_text() if _drawn(ch) and ord(ch) not in cmap}
            assert not missing, f"{lang}: {text.get_text()!r} lacks {missing} in {text.get_fontname()}"


def _language_texts(ds) -> dict[str, str]:
    """Every text a map in each language may draw: its catalogue, the record's translations, the place names."""
    out = {}
    for lang in TRANSLATED:
        with (LOCALES_DIR / lang / "LC_MESSAGES" / "nkmap.po").open("rb") as po:
            strings = [
                s for m in read_po(po) if m.id for s in (m.string if isinstance(m.string, tuple) else [m.string])
            ]
        record = json.dumps(ds.manifest, ensure_ascii=False)
        for layer in ("events", "context"):
            strings += [str(t) for t in ds.layers[layer].get(f"title_{lang}", []) if isinstance(t, str)]
        for layer in ("places", "countries", "districts"):
            strings += [
                place_label({k: v for k, v in r.items() if isinstance(v, str)}, lang)
                for r in ds.layers[layer].drop(columns="geometry").to_dict("records")
            ]
        out[lang] = "".join(strings) + record
    return out


def test_fonts_cover_every_character_of_each_language(ds):
    # The map's faces (regular, bold, italic, bold italic) have every letter of every catalogue, record text and
    # place name, whatever the map shows on a given day.
    faces = [
        font_manager.FontProperties(family=matplotlib.rcParams["font.family"], weight=w, style=s)
        for w in ("normal", "bold")
        for s in ("normal", "italic")
    ]
    cmaps = [_cmap(face) for face in faces]
    for lang, text in _language_texts(ds).items():
        letters = {ch for ch in text if _drawn(ch)}
        assert any(translations.SCRIPTS[lang] in unicodedata.name(ch, "") for ch in letters)
        for face, cmap in zip(faces, cmaps):
            missing = sorted(ch for ch in letters if ord(ch) not in cmap)
            assert not missing, f"{lang}: {face.get_weight()} {face.get_style()} lacks {missing[:10]}"


# ------------------------------------------------------------------------------------------ the command line


def nkmap(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_state_in_russian_writes_russian_dates_and_km2(capsys):
    code, out, _ = nkmap(capsys, "state", "--date", "2020-11-10", "--lang", "ru")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "На 10 ноября 2020:"
    assert any(line.startswith("  Азербайджан: ") and "км²" in line and "с 26 сент. 2020" in line for line in lines)
    assert re.search(r"\d[\u00a0\u202f ]\d{3} км²", out)  # Russian groups thousands with a (narrow) space
    assert "since" not in out and "km²" not in out and "event:" not in out


def test_state_in_azerbaijani_and_armenian(capsys):
    _, az, _ = nkmap(capsys, "state", "--date", "2020-11-10", "--lang", "az")
    assert az.startswith("10 noyabr 2020 tarixində:") and "Azərbaycan: " in az and "hadisə: " in az
    _, hy, _ = nkmap(capsys, "state", "--date", "2020-11-10", "--lang", "hy")
    assert hy.startswith("10 նոյեմբերի 2020 դրությամբ՝") and "Ադրբեջան՝ " in hy and "կմ²" in hy


def test_timeline_in_armenian_names_key_dates_and_events_in_armenian(capsys):
    code, out, _ = nkmap(capsys, "timeline", "--lang", "hy")
    assert code == 0
    assert "2020-11-10  * Եռակողմ հայտարարություն" in out
    assert "[համատեքստ] " in out and "[context]" not in out
    assert "Bishkek ceasefire" not in out


def test_place_in_azerbaijani_uses_the_name_policy(capsys):
    code, out, _ = nkmap(capsys, "place", "Shushi", "--lang", "az")
    assert code == 0
    assert "  - Şuşa (Şuşi)" in out.splitlines()
    assert "nan" not in out.split()
    assert "uyğun gələn yerlər" in out


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "png", "--date", "2020-11-10"],
        ["export", "--format", "geojson", "--date", "2020-11-10"],
        ["state", "--date", "2020-11-10"],
        ["timeline"],
        ["place", "Shushi"],
    ],
)
def test_unknown_language_is_one_clear_line_and_exit_2(capsys, tmp_path, command):
    out_file = tmp_path / "map.png"
    args = [*command, "--lang", "xx"] + (["--output", str(out_file)] if command[0] == "export" else [])
    code, out, err = nkmap(capsys, *args)
    assert code == 2
    assert err == "nkmap: unknown label language 'xx'; use one of en, az, hy, ru\n"
    assert out == "" and not out_file.exists()


def test_language_codes_in_other_forms_are_understood(capsys):
    code, out, _ = nkmap(capsys, "state", "--date", "2020-11-10", "--lang", "RU_ru")
    assert code == 0 and out.startswith("На 10 ноября 2020:")


# ------------------------------------------------------------------------------------------ the standalone HTML


@pytest.fixture(scope="module")
def small_ds(tmp_path_factory):
    # The synthetic dataset (the real manifest, so the layers' translated titles; a few places): quick to render.
    return load_dataset(make_geo(tmp_path_factory.mktemp("geo")))


@pytest.fixture(scope="module")
def az_page(small_ds):
    return render_html(small_ds, SMALL.with_(lang="az"))


def test_html_export_in_a_language_ships_its_catalogue(az_page):
    assert '<html lang="az-Latn">' in az_page
    assert "<title>Dağlıq Qarabağ və ətrafında ərazilərə nəzarət</title>" in az_page
    found = re.search(r'NKMap\.setMessages\("az", (\{.*?\})\);', az_page)
    assert found, "the page does not hand its catalogue to NKMap.setMessages"
    catalogue = json.loads(found.group(1))
    assert all(isinstance(v, str) and v for v in catalogue.values())
    data = json.loads(re.search(r'<script id="nk-data" type="application/json">(.*?)</script>', az_page, re.S).group(1))
    assert data["months"][10] == "noyabr"
    assert "Laçın dəhlizi" in [layer["title"] for layer in data["layers"]]
    assert data["ui"]["play"] == "Oynat"


def test_html_export_in_english_has_an_empty_catalogue():
    assert messages_js("en").endswith('NKMap.setMessages("en", {});\n')


@pytest.mark.browser
def test_html_export_in_azerbaijani_reads_in_azerbaijani(az_page, chromium, tmp_path):
    path = tmp_path / "map-az.html"
    path.write_text(az_page, encoding="utf-8")
    context, page = open_page(chromium, path.as_uri())
    try:
        assert page.inner_text("h1") == "Dağlıq Qarabağ və ətrafında ərazilərə nəzarət"
        assert page.inner_text("#nk-date") == "10 noyabr 2020"
        assert page.evaluate("NKMap.lang") == "az"
        # The timeline's choices in Azerbaijani (nkmap.text.timeline_labels), where the English was.
        periods = page.eval_on_selector_all("#nk-period option", "os => os.map(o => o.textContent)")
        assert "Müharibə və təhvillər (sentyabr - dekabr 2020)" in periods
        assert "Bütün zaman xətti (2020 - 2023)" in periods
        assert not any("War" in p or "Whole timeline" in p for p in periods)
        speeds = page.eval_on_selector_all("#nk-speed option", "os => os.map(o => o.textContent)")
        assert "saniyədə 1 gün" in speeds and "1 day per second" not in speeds
        jumps = page.eval_on_selector_all("#nk-jump option", "os => os.map(o => o.textContent)")
        # The synthetic key dates have no Azerbaijani label: the record's English, the date the language's.
        assert "4 okt 2020 - South claimed by Azerbaijan" in jumps
        assert not any(" Oct " in j for j in jumps)
        # The latest key date before 10 Nov 2020, its date written out in Azerbaijani (not ISO, not English).
        assert page.inner_text("#nk-key") == "Son əsas tarix: 4 oktyabr 2020 – South claimed by Azerbaijan"
        assert page.errors == [] and page.blocked == []
    finally:
        context.close()


def test_country_names_in_capitals_as_each_language_writes_them(figures):
    """Country labels are in capitals; Azerbaijani capitalises i as İ (ERMƏNİSTAN), which str.upper does not."""
    from nkmap.text.messages import messages_for

    assert messages_for("az").upper("Ermənistan, Rusiya") == "ERMƏNİSTAN, RUSİYA"
    assert messages_for("en").upper("Armenia") == "ARMENIA"
    assert messages_for("ru").upper("Армения") == "АРМЕНИЯ"
    shown = {t.get_text() for t in figures["az"].fig.findobj(Text) if t.get_visible()}
    assert "ERMƏNİSTAN" in shown and "ERMƏNISTAN" not in shown, sorted(s for s in shown if s.isupper())
    assert "ARMENIA" in {t.get_text() for t in figures["en"].fig.findobj(Text) if t.get_visible()}


def test_the_app_map_writes_azerbaijani_country_names_in_capitals_with_dotted_i():
    """The app's map frame has no language for the CSS to capitalise by: the label comes capitalised."""
    import tempfile
    from pathlib import Path

    from nkmap.data.dataset import load_dataset
    from nkmap.web import mapview

    ds = load_dataset()
    with tempfile.TemporaryDirectory() as tmp:
        slots = mapview.layer_slots(ds, dt.date(2020, 11, 10), ["countries"], tmp, lang="az")
        text = "".join(p.read_text(encoding="utf-8") for p in Path(tmp).rglob("*") if p.is_file())
    assert slots is not None
    assert "ERMƏNİSTAN" in text and "ERMƏNISTAN" not in text
    with tempfile.TemporaryDirectory() as tmp:  # other languages leave the capitals to the CSS (screen readers
        mapview.layer_slots(ds, dt.date(2020, 11, 10), ["countries"], tmp, lang="ru")  # read the name, not letters)
        text = "".join(p.read_text(encoding="utf-8") for p in Path(tmp).rglob("*") if p.is_file())
    assert "Армения" in text or "\\u0410\\u0440\\u043c" in text
