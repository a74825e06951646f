"""Both pages in each of the four languages in a real headless Chromium with no internet (nkmap issue 14): a link
with `?lang=` shows the page's words, the panel and the map's legend in that language's script, none of a few
distinctive English interface strings, and the address keeps `lang`.

What counts as "in the script" is measured on the text a visitor sees (the page's and the map's inner text), with
the share of letters in the language's script; Azerbaijani is Latin like English, so it is told apart by its own
letters and by the English strings that must be gone.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from nkmap.data.dataset import load_dataset
from nkmap.data.story import load_stories

pytestmark = pytest.mark.browser

FRAME = "iframe[title='streamlit_folium.st_folium']"
DAY = dt.date(2020, 11, 10)
LANGS = ("en", "az", "hy", "ru")
SCRIPT = {"hy": "ARMENIAN", "ru": "CYRILLIC"}
AZERBAIJANI_LETTERS = set("əğıöşüçƏĞİÖŞÜÇ")
#: English words of the interface that no translated page may show, and a word each translation shows instead.
EXPLORER_ENGLISH = ("Find a place", "Events on this date", "Download this map", "Layers", "Other symbols")
EXPLORER_OWN = {"en": "Find a place", "az": "Yer tap", "hy": "Գտնել վայր", "ru": "Найти место"}
CLASSROOM_ENGLISH = ("Next ▶", "Step 1 of", "Areas on this map", "Colour-blind safe colours")
CLASSROOM_OWN = {"en": "Next ▶", "az": "Növbəti ▶", "hy": "Հաջորդ ▶", "ru": "Далее ▶"}


def share(text: str, script: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(unicodedata.name(ch, "").startswith(script) for ch in letters) / max(1, len(letters))


def check_language(lang: str, text: str, english: tuple[str, ...], own: str, where: str) -> None:
    assert own in text, f"{where} ({lang}): {own!r} not shown"
    if lang == "en":
        return
    left = [e for e in english if e in text]
    assert not left, f"{where} ({lang}): English left: {left}"
    if lang in SCRIPT:
        assert share(text, SCRIPT[lang]) > 0.6, f"{where} ({lang}): {share(text, SCRIPT[lang]):.2f} in script"
    else:
        assert sum(ch in AZERBAIJANI_LETTERS for ch in text) >= 20, f"{where} (az): too few Azerbaijani letters"


def test_the_explorer_in_each_language(offline_page, app_server):
    page = offline_page
    for lang in LANGS:
        page.goto(f"{app_server.url}/?lang={lang}&date={DAY.isoformat()}")
        frame = page.frame_locator(FRAME)
        frame.locator(f"#map_div[data-nkmap-date='{DAY.isoformat()}']").wait_for(state="attached", timeout=60_000)
        page.locator(".nk-panel h4").wait_for(timeout=30_000)
        sidebar = page.locator("[data-testid='stSidebar']")
        if sidebar.count() and not sidebar.is_visible():
            page.locator(
                "[data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl']"
            ).first.click()
        main = page.locator("[data-testid='stMain']").inner_text()
        panel = page.locator(".nk-panel").inner_text()
        legend = frame.locator(".nk-legend").first.inner_text()
        check_language(lang, main, EXPLORER_ENGLISH, EXPLORER_OWN[lang], "explorer")
        check_language(
            lang,
            panel,
            EXPLORER_ENGLISH,
            {"en": "November", "az": "noyabr", "hy": "նոյեմբերի", "ru": "ноября"}[lang],
            "panel",
        )
        if lang in SCRIPT:
            assert share(legend, SCRIPT[lang]) > 0.6, (lang, legend)
        assert (f"lang={lang}" in page.url) == (lang != "en"), page.url
        assert page.locator(f"h3[lang='{ {'en': 'en', 'az': 'az-Latn', 'hy': 'hy', 'ru': 'ru'}[lang] }']").count() == 1
    assert [u for u in page.blocked if "tile.openstreetmap.org" not in u] == []


def test_the_classroom_in_each_language(offline_page, app_server):
    ds = load_dataset()
    stories, _problems = load_stories(ds)
    first = stories[0].steps[0]
    page = offline_page
    for lang in LANGS:
        page.goto(f"{app_server.url}/Classroom?lang={lang}")
        page.frame_locator(FRAME).locator(f"#map_div[data-nkmap-date='{first.day.isoformat()}']").wait_for(
            state="attached", timeout=60_000
        )
        page.locator(".nk-step[data-step='1']").wait_for(timeout=30_000)
        main = page.locator("[data-testid='stMain']").inner_text()
        step = page.locator(".nk-step").inner_text().split("\n")
        # The step's panel before its folded sources (their titles stay as published).
        words = "\n".join(
            line for line in step if not line.startswith(("Sources", "Mənbələr", "Աղբյուրներ", "Источники"))
        )
        check_language(lang, main, CLASSROOM_ENGLISH, CLASSROOM_OWN[lang], "classroom")
        if lang in SCRIPT:
            assert share(words, SCRIPT[lang]) > 0.8, (lang, words[:300])
        assert (f"lang={lang}" in page.url) == (lang != "en"), page.url
    assert [u for u in page.blocked if "tile.openstreetmap.org" not in u] == []


def test_the_classroom_area_chart_writes_numbers_and_months_in_the_language(offline_page, app_server):
    """Vega draws the chart's axes with `config.locale` from CLDR (nkmap.text.chart_locale): Armenian months and
    thousands grouped by a no-break space, where Vega alone would write 'Jan 2021' and '5,000'."""
    page = offline_page
    page.goto(f"{app_server.url}/Classroom?lang=hy")
    page.locator(".nk-step[data-step='1']").wait_for(timeout=60_000)
    page.locator(".st-key-cl_mode button").filter(has_text="Տարածքը ժամանակի ընթացքում").click()
    page.locator(".stVegaLiteChart svg.marks .role-axis-label text").first.wait_for(timeout=30_000)
    ticks = page.locator(".stVegaLiteChart svg.marks .role-axis-label text").evaluate_all(
        "ts => ts.map(t => t.textContent)"
    )
    armenian_months = ("հնվ", "փտվ", "մրտ", "ապր", "մյս", "հնս", "հլս", "օգս", "սեպ", "հոկ", "նոյ", "դեկ")
    assert any(t.split(" ")[0] in armenian_months for t in ticks), ticks
    assert any("\u00a0000" in t for t in ticks), ticks  # '5 000'
    english = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    assert not [t for t in ticks if t.startswith(english) or "," in t], ticks
    assert [u for u in page.blocked if "tile.openstreetmap.org" not in u] == []
