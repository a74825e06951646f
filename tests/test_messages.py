"""The interface's catalogues: complete in every language, current with the code, placeholders kept; dates,
numbers and place names per language."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from nkmap.data.translations import AZERBAIJANI_LETTERS, SCRIPTS
from nkmap.text.messages import LANGUAGES, LOCALES_DIR, messages_for, parse_language
from nkmap.text.place_names import armenian_parts, place_label

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _catalogue(lang: str):
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "nkmap.po").open("rb") as po:
        return read_po(po, locale=lang)


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_template_is_current_with_the_code():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_catalogues.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    with (LOCALES_DIR / "nkmap.pot").open("rb") as pot:
        template = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(pot) if m.id}
    catalogue = _catalogue(lang)
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue if m.id}
    missing = template - set(have)
    assert not missing, f"{lang}: not in the catalogue: {sorted(missing)[:5]}"
    empty = [key for key, m in have.items() if not all(_strings(m))]
    assert not empty, f"{lang}: untranslated: {empty[:5]}"
    fuzzy = [key for key, m in have.items() if m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang):
    for m in _catalogue(lang):
        if not m.id:
            continue
        source = m.id if isinstance(m.id, str) else m.id[-1]
        wanted = set(PLACEHOLDER.findall(source)) - {"n"}
        for text in _strings(m):
            got = set(PLACEHOLDER.findall(text)) - {"n"}
            assert got == wanted, f"{lang}: {source!r} -> {text!r}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_are_in_their_language_script(lang):
    # Not English left in place: most letters of the translations are in the language's own script.
    letters = [
        ch for m in _catalogue(lang) if m.id for text in _strings(m) for ch in PLACEHOLDER.sub("", text) if ch.isalpha()
    ]
    import unicodedata

    share = sum(SCRIPTS[lang] in unicodedata.name(ch, "") for ch in letters) / max(1, len(letters))
    assert share > 0.8, (lang, share)
    if lang == "az" and len(letters) > 200:
        assert any(ch in AZERBAIJANI_LETTERS for ch in letters)


@pytest.mark.parametrize(
    ("lang", "day", "km2"),
    [
        ("en", "10 November 2020", "4,321 km²"),
        ("az", "10 noyabr 2020", "4.321 km²"),
        ("hy", "10 նոյեմբերի 2020", "4\u00a0321 կմ²"),
        ("ru", "10 ноября 2020", "4\u00a0321 км²"),
    ],
)
def test_dates_and_areas_are_written_as_each_language_writes_them(lang, day, km2):
    m = messages_for(lang)
    assert m.day(dt.date(2020, 11, 10)) == day
    assert m.km2(4321.4) == km2


def test_english_dates_and_numbers_are_babels_without_loading_cldr(monkeypatch: pytest.MonkeyPatch):
    """English is written without CLDR's data (~4 MB an English export would load for nothing) and reads exactly
    as Babel writes it with "en": every day of the timeline and around it, every month name, and numbers that
    round half to even from their shortest decimal form (2.675 -> 2.68, 0.125 -> 0.12), negatives and numpy's."""
    import babel.localedata
    import numpy as np
    from babel.dates import format_date, get_month_names
    from babel.numbers import format_decimal

    m = messages_for("en")
    days = [dt.date(2019, 1, 1) + dt.timedelta(days=n) for n in range(0, 2400, 3)]
    values = [0, 1, -1, 0.5, 1.5, 2.5, -0.4, -0.04, 0.125, 2.675, 999.95, 1234.5, 4321.45, 999999.5, 12345678.9]
    values += [n * 0.37 - 80 for n in range(600)] + [np.float64(4400.05), np.int64(12345), 10**12 + 0.5]
    words: list[str] = []

    def written() -> list[str]:
        out = [m.day(d) for d in days] + [m.short_day(d) for d in days]
        out += [m.number(v, decimals) for v in values for decimals in (0, 1, 2)]
        for width in ("abbreviated", "narrow", "wide"):
            out += m.month_names(width) + m.month_names(width, "format")
        return out

    def refuse(name: str, merge_inherited: bool = True) -> dict:
        raise AssertionError(f"CLDR data loaded for {name}")

    with monkeypatch.context() as patched:
        patched.setattr(babel.localedata, "load", refuse)
        words = written()
    babels = [format_date(d, "d MMMM y", locale="en") for d in days]
    babels += [format_date(d, "d MMM y", locale="en") for d in days]
    babels += [
        format_decimal(v, "#,##0" + ("." + "0" * n if n else ""), locale="en") for v in values for n in (0, 1, 2)
    ]
    for width in ("abbreviated", "narrow", "wide"):
        for context in ("stand-alone", "format"):
            names = get_month_names(width, context, locale="en")
            babels += [str(names[i]) for i in range(1, 13)]
    assert words == babels


@pytest.mark.parametrize(
    ("value", "lang"),
    [
        ("az", "az"),
        ("AZ", "az"),
        ("az-Latn", "az"),
        ("ru_RU", "ru"),
        (" hy ", "hy"),
        ("en", "en"),
        ("de", None),
        ("", None),
        (None, None),
        ("ru\x00", None),
    ],
)
def test_parse_language(value, lang):
    assert parse_language(value) == lang


def test_unknown_language_falls_back_to_english():
    assert messages_for("xx").lang == "en"
    assert messages_for(None)._("{area} km²", area="5") == "5 km²"


SHUSHA = {"name_en": "Shusha / Shushi", "name_az": "Şuşa", "name_hy": "Shushi (Շուշի)"}


@pytest.mark.parametrize(
    ("props", "lang", "label"),
    [
        (SHUSHA, "en", "Shusha / Shushi"),
        (SHUSHA, "az", "Şuşa (Shushi)"),
        (SHUSHA, "hy", "Շուշի (Şuşa)"),
        (SHUSHA, "ru", "Shusha / Shushi"),
        ({**SHUSHA, "name_ru": "Шуша (Шуши)"}, "ru", "Шуша (Шуши)"),
        ({**SHUSHA, "label_hy": "Շուշի (Շուշա)"}, "hy", "Շուշի (Շուշա)"),
        ({**SHUSHA, "label_hy": "Շուշի (Շուշա)"}, "az", "Şuşa (Shushi)"),
        ({"name_en": "Abdinli", "name_az": "Abdınlı", "name_hy": None}, "hy", "Abdınlı"),
        ({"name_en": "Abdinli", "name_az": "Abdınlı", "name_hy": None}, "az", "Abdınlı"),
        ({"name_en": "Seysulan", "name_az": "Seysulan", "name_hy": "Seysulan"}, "az", "Seysulan"),
        ({"name_en": "Stepanakert", "name_az": None, "name_hy": "Stepanakert (Ստեփանակերտ)"}, "az", "Stepanakert"),
    ],
)
def test_place_names_follow_the_stated_policy(props, lang, label):
    assert place_label(props, lang) == label


def test_russian_maps_name_countries_and_villages_in_russian():
    """Countries take CLDR's Russian name (geo/countries.geojson `name_ru`); a place its one Russian GeoNames name;
    a place with none, or in Armenia outside the GeoNames file read, keeps the English (geo/SOURCES.md)."""
    import json

    def features(name):
        data = json.loads((ROOT / "geo" / name).read_text(encoding="utf-8"))
        return {f["properties"]["id"]: f["properties"] for f in data["features"]}

    countries, places = features("countries.geojson"), features("places.geojson")
    assert [place_label(countries[c], "ru") for c in ("country-arm", "country-aze", "country-irn")] == [
        "Армения",
        "Азербайджан",
        "Иран",
    ]
    assert place_label(places["place-aghdam-abdinli"], "ru") == "Абдынлы"
    # Alıbəyli's record also has "Алибаьйли" (Chechen digraph) and "Алыбәйли" (Azerbaijani Cyrillic): not Russian
    assert place_label(places["place-aghdam-alibayli"], "ru") == "Алыбейли"
    # a village whose record has no single Russian-alphabet name keeps the English (the policy's fallback)
    assert place_label(places["place-fuzuli-asagi-abdurrahmanli"], "ru") == "Ashaghi Abdurrahmanli"
    assert place_label(places["place-armenia-vardenis"], "ru") == "Варденис"  # the table's form (no GeoNames record)


def test_armenian_parts():
    assert armenian_parts("Karin Tak (Քարին Տակ)") == ("Karin Tak", "Քարին Տակ")
    assert armenian_parts("Շուշի") == (None, "Շուշի")
    assert armenian_parts("Madatashen") == ("Madatashen", None)
    assert armenian_parts(None) == (None, None)


def _names_in_translations_table() -> dict[str, dict[str, str]]:
    """The table of geo/SOURCES.md, "Names in translations": English name -> {az, hy, ru} (one place per row)."""
    text = (ROOT / "geo" / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("## Names in translations", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("Place (English)", "---"):
            continue
        split = [c.split(", ") for c in cells]  # a row of several places ("Mets Shen, Hin Shen")
        if len({len(parts) for parts in split}) == 1:
            for english, *forms in zip(*split):
                rows[english] = dict(zip(TRANSLATED, forms))
    return rows


def test_place_label_gives_the_forms_of_the_names_table():
    """The main places carry the table's forms (label_az/hy/ru, from scripts/place_labels.json), and place_label
    shows them; every row of the table that names one place of the dataset is covered."""
    import json

    places = json.loads((ROOT / "geo" / "places.geojson").read_text(encoding="utf-8"))["features"]
    table = _names_in_translations_table()
    by_az = {forms["az"]: (english, forms) for english, forms in table.items()}
    covered = set()
    for feature in places:
        props = feature["properties"]
        if "label_az" not in props:
            continue
        english, forms = by_az[props["label_az"]]
        words = {w for w in re.split(r"[ /()]+", english) if len(w) > 3 and w != "height"}
        assert words & set(re.split(r"[ /()]+", props["name_en"])), (english, props["name_en"])
        for lang in TRANSLATED:
            assert place_label(props, lang) == forms[lang], (english, lang)
        covered.add(english)
    # a lake, a bridge and two towns of Armenia off the map (the general rule names them): no form of their own in places.geojson
    not_places = {"Sev Lich / Garagol", "Hakari bridge", "Kapan", "Jermuk"}
    assert covered == set(table) - not_places


def test_errors_keep_their_english_and_are_worded_in_the_readers_language():
    """An error raised by the model, the exports or the link parsers reads as before in English (str, the CLI's
    and the API's text) and in the reader's language where a page shows it (nkmap.text.error_text.worded)."""
    from nkmap.data.dataset import load_dataset
    from nkmap.export.animation_range import animation_days, parse_step
    from nkmap.model.gazetteer import clean_query
    from nkmap.model.timeline import parse_date
    from nkmap.text.error_text import worded
    from nkmap.web.pagestate import parse_view

    ds = load_dataset(None)
    ru, en = messages_for("ru"), messages_for("en")
    cases = [
        (
            lambda: parse_date("1990-01-01", ds),
            "1990-01-01 is outside the timeline (1994-05-12 to 2024-06-12)",
            "1990-01-01 вне хронологии (с 1994-05-12 по 2024-06-12)",
        ),
        (
            lambda: parse_date("soon", ds),
            "'soon' is not a date; use YYYY-MM-DD, e.g. 2020-11-10",
            "«soon» — не дата; используйте YYYY-MM-DD, например 2020-11-10",
        ),
        (lambda: parse_view("40,46,99"), "zoom must be 6 to 14", "масштаб должен быть от 6 до 14"),
        (lambda: parse_view("x,46,9"), "'x' is not a plain number", "«x» — не простое число"),
        (
            lambda: clean_query("!!"),
            "'!!' has no letters or digits to search for",
            "в «!!» нет ни букв, ни цифр для поиска",
        ),
        (
            lambda: parse_step("fortnight"),
            "step 'fortnight' is not a number of days or weeks, e.g. 1d, 7d or 2w",
            "шаг «fortnight» — не число дней или недель, например 1d, 7d или 2w",
        ),
        (
            lambda: animation_days(ds, dt.date(2021, 1, 2), dt.date(2021, 1, 1)),
            "the range 2021-01-02 to 2021-01-01 has no days (the end is before the start)",
            "в промежутке с 2021-01-02 по 2021-01-01 нет дней (конец раньше начала)",
        ),
    ]
    for raise_it, english, russian in cases:
        with pytest.raises(Exception) as caught:
            raise_it()
        assert str(caught.value) == english
        assert worded(caught.value, en) == english
        assert worded(caught.value, ru) == russian
