"""Both pages in English, Azerbaijani, Armenian and Russian (nkmap issue 14) through Streamlit's AppTest, on the
real dataset: `?lang=` opens a page in that language and the URL keeps it; the sidebar's chooser changes it; the
choice carries over to the other page; an unknown `lang` falls back to English with a warning naming it.

Expected words are written here (the catalogues' translations and CLDR's dates as a reader would look for them),
and the record's texts are read from geo/ (the story file, the manifest), not from the code under test.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import run_page

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
CLASSROOM = str(ROOT / "pages" / "1_Classroom.py")
MANIFEST = json.loads((ROOT / "geo" / "manifest.json").read_text(encoding="utf-8"))
STORY = json.loads((ROOT / "geo" / "stories" / "war-and-aftermath.json").read_text(encoding="utf-8"))

#: A few of the explorer's interface strings, and what a reader of each language sees instead.
EXPLORER_WORDS = {
    "en": {"find": "Find a place", "heading": "Who held what in Nagorno-Karabakh", "layers": "Layers"},
    "az": {"find": "Yer tap", "heading": "Dağlıq Qarabağda nə kimin nəzarətində idi", "layers": "Laylar"},
    "hy": {"find": "Գտնել վայր", "heading": "Ով ինչ էր վերահսկում Լեռնային Ղարաբաղում", "layers": "Շերտեր"},
    "ru": {"find": "Найти место", "heading": "Кто что контролировал в Нагорном Карабахе", "layers": "Слои"},
}
#: The panel's heading for 10 November 2020 (CLDR's month names, genitive where the language needs it).
PANEL_DAY = {"en": "10 November 2020", "az": "10 noyabr 2020", "hy": "10 նոյեմբերի 2020", "ru": "10 ноября 2020"}
#: English interface strings of the panel and the page that must not be left in a translated page.
ENGLISH_LEFT = ("Find a place", "Events on this date", "Held by", "Download this map", "Other symbols", "Since 27 Sep")
SCRIPT = {"hy": "ARMENIAN", "ru": "CYRILLIC"}


@pytest.fixture
def page(monkeypatch):
    """A fresh page on the real dataset (geo/)."""
    monkeypatch.delenv("NKMAP_GEO", raising=False)
    st.cache_resource.clear()

    def make(path: str = APP, **query) -> AppTest:
        return run_page(path, 120, **query)

    yield make
    st.cache_resource.clear()


def html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def visible_text(at: AppTest) -> str:
    """The page's words: its HTML without tags, and every widget's label, caption and option shown."""
    parts = [re.sub(r"<style>.*?</style>|<[^>]+>", " ", html(at), flags=re.S)]
    for kind in ("selectbox", "checkbox", "toggle", "button", "caption", "subheader", "markdown", "expander"):
        for element in at.get(kind):
            proto = element.proto
            parts += [str(getattr(proto, name, "")) for name in ("label", "body", "placeholder")]
    return " ".join(parts)


def script_share(text: str, script: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(unicodedata.name(ch, "").startswith(script) for ch in letters) / max(1, len(letters))


def panel(at: AppTest) -> str:
    (body,) = [h.proto.body for h in at.get("html") if 'class="nk-panel"' in h.proto.body]
    return body


# ------------------------------------------------------------------------------------------------ explorer


@pytest.mark.parametrize("lang", ["az", "hy", "ru"])
def test_the_link_opens_the_explorer_in_its_language_and_keeps_it(page, lang):
    at = page(lang=lang, date="2020-11-10")
    words = EXPLORER_WORDS[lang]
    assert at.selectbox(key="place_box").label == words["find"]
    assert words["heading"] in html(at)
    assert words["layers"] in [s.value for s in at.sidebar.subheader]
    assert re.search(rf"<h4>{PANEL_DAY[lang]}</h4>", panel(at))
    # The record's texts in the interface language: the key date of 10 November and the sides' short labels.
    (key,) = [k for k in MANIFEST["key_dates"] if k["date"] == "2020-11-10"]
    assert key[f"label_{lang}"] in panel(at)
    assert MANIFEST["sides"]["azerbaijan"][f"short_{lang}"] in panel(at)
    text = visible_text(at)
    for english in ENGLISH_LEFT:
        assert english not in text, english
    if lang in SCRIPT:
        assert script_share(re.sub(r"<[^>]+>", " ", panel(at)), SCRIPT[lang]) > 0.6
    assert at.query_params["lang"] == lang
    assert at.query_params["date"] == "2020-11-10"
    # the date slider's own text has English month names only: in other languages it writes the day in digits
    assert at.slider(key="date").proto.format == "DD.MM.YYYY"


def test_english_stays_the_default_and_writes_no_lang(page):
    at = page(date="2020-11-10")
    assert at.selectbox(key="place_box").label == "Find a place"
    assert "<h4>On 10 November 2020</h4>" in panel(at)
    assert "lang" not in at.query_params
    assert at.slider(key="date").proto.format == "D MMM YYYY"


def test_the_sidebar_chooser_changes_the_language_and_the_url(page):
    at = page(date="2020-11-10")
    chooser = at.sidebar.selectbox(key="lang_choice")
    assert chooser.options == ["English", "Azərbaycanca", "Հայերեն", "Русский"]  # each in its own name
    chooser.set_value("az").run()
    assert not at.exception
    assert at.selectbox(key="place_box").label == "Yer tap"
    assert "<h4>10 noyabr 2020</h4>" in panel(at)
    assert at.query_params["lang"] == "az"
    # A step keeps the language, in the page and in the URL.
    at.button(key="fwd").click().run()
    assert "<h4>11 noyabr 2020</h4>" in panel(at)
    assert at.query_params["lang"] == "az" and at.query_params["date"] == "2020-11-11"


def test_an_unknown_language_falls_back_to_english_with_a_warning(page):
    at = page(lang="xx-<b>", date="2020-11-10")
    (warning,) = [w.value for w in at.warning if "language" in w.value]
    assert "Unknown language in the link" in warning and "xx" in warning
    assert at.selectbox(key="place_box").label == "Find a place"
    assert "lang" not in at.query_params


def test_the_place_card_speaks_the_language(page):
    at = page(lang="ru", place="place-shusha-susa", date="2020-11-10")
    card = html(at)
    assert "Шуша (Шуши)" in card  # the project's Russian form (geo/SOURCES.md, "Names in translations")
    assert "Held by, as the map shows it:" not in card
    assert "Под контролем, как показывает карта:" in card


#: What Hadrut's history says in each language, where the English says "RT reporter: An RT reporter found part of
#: the town still held by Armenian forces." and "Capture announced by Azerbaijan's President Ilham Aliyev ...".
HADRUT_HISTORY = {
    "hy": ("RT-ի թղթակից", "RT-ի թղթակիցը պարզել է", "Գրավման մասին հայտարարեց՝ Ադրբեջանի նախագահ Իլհամ Ալիև"),
    "ru": ("Корреспондент RT", "Корреспондент RT застал часть города", "О взятии объявил: президент Азербайджана"),
}


@pytest.mark.parametrize("lang", sorted(HADRUT_HISTORY))
def test_the_place_card_history_speaks_the_language(page, lang):
    """Who said what about the place, in the card's language (publishers' names as published)."""
    at = page(lang=lang, place="place-khojavend-hadrut", date="2020-11-10")
    card = html(at)
    for words in HADRUT_HISTORY[lang]:
        assert words in card
    assert "An RT reporter found" not in card and "Capture announced by" not in card
    assert '<span class="nk-by">Bellingcat</span>' in card  # a publisher stays as published


def test_the_language_carries_over_to_the_classroom(page):
    at = page(lang="hy", date="2020-11-10")
    at.switch_page("pages/1_Classroom.py").run()
    assert not at.exception
    assert "Քայլ 1՝ 18-ից" in html(at)
    assert at.query_params["lang"] == "hy"


# ----------------------------------------------------------------------------------------------- classroom

#: The step counter of the first of 18 steps, and the Next button, per language.
COUNTER = {"en": "Step 1 of 18", "az": "Addım 1 / 18", "hy": "Քայլ 1՝ 18-ից", "ru": "Шаг 1 из 18"}
NEXT = {"en": "Next ▶", "az": "Növbəti ▶", "hy": "Հաջորդ ▶", "ru": "Далее ▶"}
STEP_DAY = {"en": "12 May 1994", "az": "12 may 1994", "hy": "12 մայիսի 1994", "ru": "12 мая 1994"}


@pytest.mark.parametrize("lang", ["az", "hy", "ru"])
def test_the_link_opens_the_classroom_in_its_language(page, lang):
    at = page(CLASSROOM, lang=lang)
    body = html(at)
    assert COUNTER[lang] in body and COUNTER["en"] not in body
    step = STORY["steps"][0]
    assert step["date"] == "1994-05-12"
    assert f'<div class="nk-date">{STEP_DAY[lang]}</div>' in body
    assert step[f"title_{lang}"] in body and step["title_en"] not in body
    assert step[f"caption_{lang}"][:40] in body
    assert at.button(key="story_next").label == NEXT[lang]
    assert STORY[f"title_{lang}"] in at.selectbox(key="cl_story").format_func(at.selectbox(key="cl_story").value)
    text = visible_text(at)
    for english in ("Next ▶", "◀ Previous", "Areas on this map (modelled, approximate).", "Sources ("):
        assert english not in text, english
    if lang in SCRIPT:  # the panel before its sources (whose titles stay as published)
        words = body[body.index('<div class="nk-step"') : body.index('<details class="nk-sources"')]
        assert script_share(re.sub(r"<[^>]+>", " ", words), SCRIPT[lang]) > 0.8
    at.button(key="story_next").click().run()
    assert COUNTER[lang].replace("1", "2", 1) in html(at)
    assert at.query_params["lang"] == lang and at.query_params["step"] == "2"


def test_the_classroom_chooser_changes_the_language(page):
    at = page(CLASSROOM)
    assert COUNTER["en"] in html(at)
    at.sidebar.selectbox(key="cl_lang_choice").set_value("ru").run()
    assert not at.exception
    assert COUNTER["ru"] in html(at)
    assert at.query_params["lang"] == "ru"


def test_the_classroom_compare_and_chart_speak_the_language(page):
    at = page(CLASSROOM, lang="az")
    at.segmented_control(key="cl_mode").set_value("Compare").run()
    body = html(at)
    assert "Xalis dəyişiklik" in body and "Net change" not in body
    at.segmented_control(key="cl_mode").set_value("Area over time").run()
    assert not at.exception
    assert "Click a point" not in " ".join(c.value for c in at.caption)


# ------------------------------------------------------------------ the timeline's choices and the link's problems

#: Per language: the war's period as the period chooser names it, the first play speed, 10 Nov 2020 as a jump
#: writes it, a compare preset, and the problems of a bad view and a date outside the timeline (in the language).
CHOICES = {
    "az": {
        "period": "Müharibə və təhvillər (sentyabr - dekabr 2020)",
        "speed": "saniyədə 1 gün",
        "jump_day": "10 noy 2020",
        "preset": "Müharibə ərəfəsi → atəşkəs (26 sentyabr → 10 noyabr 2020)",
        "view": "Keçiddəki xəritə görünüşü ('91,0,9'): en və ya uzunluq icazə verilən hüdudlardan kənardadır. Standart",
        "date": "1990-01-01 zaman xəttindən kənardadır (1994-05-12 - 2024-06-12)",
    },
    "hy": {
        "period": "Պատերազմը և հանձնումները (սեպտեմբեր - դեկտեմբեր 2020)",
        "speed": "վայրկյանում 1 օր",
        "jump_day": "10 նոյ 2020",
        "preset": "Պատերազմի նախօրե → հրադադար (26 սեպտեմբերի → 10 նոյեմբերի 2020)",
        "view": "Հղման քարտեզի տեսքը ('91,0,9')՝ լայնությունը կամ երկայնությունը թույլատրելի սահմաններից դուրս է։",
        "date": "1990-01-01-ը ժամանակագրությունից դուրս է (1994-05-12-ից 2024-06-12)",
    },
    "ru": {
        "period": "Война и передачи (сентябрь - декабрь 2020)",
        "speed": "1 день в секунду",
        "jump_day": "10 нояб. 2020",
        "preset": "Канун войны → прекращение огня (26 сентября → 10 ноября 2020)",
        "view": "Вид карты в ссылке ('91,0,9'): широта или долгота вне допустимого диапазона. Показан вид",
        "date": "1990-01-01 вне хронологии (с 1994-05-12 по 2024-06-12)",
    },
}


@pytest.mark.parametrize("lang", ["az", "hy", "ru"])
def test_the_period_speed_and_jump_choosers_speak_the_language(page, lang):
    at = page(lang=lang, date="2020-11-10")
    want = CHOICES[lang]
    periods = at.selectbox(key="period").options
    assert want["period"] in periods
    assert not [p for p in periods if re.search(r"\b(War|Whole timeline|Blockade)\b", p)], periods
    assert want["speed"] in at.selectbox(key="speed").options
    jumps = at.selectbox(key="jump").options
    (key,) = [k for k in MANIFEST["key_dates"] if k["date"] == "2020-11-10"]
    assert f"{want['jump_day']} - {key[f'label_{lang}']}" in jumps
    assert not [j for j in jumps if re.search(r" (Sep|Oct|Nov|Dec) 20\d\d - ", j)], jumps[:5]


@pytest.mark.parametrize("lang", ["az", "hy", "ru"])
def test_a_bad_link_is_explained_wholly_in_the_language(page, lang):
    at = page(lang=lang, view="91,0,9", date="1990-01-01")
    warnings = " ".join(w.value for w in at.warning)
    assert CHOICES[lang]["view"] in warnings, warnings
    assert CHOICES[lang]["date"] in warnings, warnings
    for english in ("latitude or longitude out of range", "outside the timeline", "Showing the default view"):
        assert english not in warnings, english


@pytest.mark.parametrize("lang", ["az", "hy", "ru"])
def test_the_classroom_compare_presets_speak_the_language(page, lang):
    at = page(CLASSROOM, lang=lang)
    at.segmented_control(key="cl_mode").set_value("Compare").run()
    presets = at.selectbox(key="cl_cmp_preset").options
    assert CHOICES[lang]["preset"] in presets
    assert not [p for p in presets if "Eve of the war" in p or "Ceasefire" in p], presets


@pytest.mark.parametrize(
    "lang,area,who",
    [
        ("hy", "Շրջակա տարածք՝ Շուշի (Շուշա)", "Պնդել է՝ Ադրբեջանի նախագահ (Իլհամ Ալիև)"),
        ("az", "Şuşa (Şuşi) ətrafı", "Azərbaycan Prezidenti (İlham Əliyev)"),
    ],
)
def test_the_panel_names_the_area_and_who_claimed_it_in_the_language(page, lang, area, who):
    at = page(lang=lang, date="2020-11-08")
    shown = panel(at)
    assert area in shown and who in shown
    assert "Area around Shusha" not in shown and "President of Azerbaijan" not in shown
