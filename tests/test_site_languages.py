"""The static site in English, Azerbaijani, Armenian and Russian (issue 14), in headless Chromium with every request
outside the site aborted: index.html and classroom.html with `?lang=` show their words in the language's script and
none of the English interface strings they translate; the panel's dates are written as the language writes them;
the language chooser keeps the date and the place; `lang` stays in the address; an unknown `lang` falls back to
English with a note; a place page in each language; the static pages' links all resolve.

Expected words are written here (the translations of the catalogues, the dates as each language writes them), not
taken from the code under test.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT
from nkmap.cli.commands import main as nkmap_main

pytestmark = pytest.mark.browser

GEO = ROOT / "geo"
SHUSHA = "place-shusha-susa"
MAP_DRAWN = "document.querySelectorAll('.leaflet-nk-control-pane path[fill]').length > 10"


def _shusha_label(lang: str) -> str:
    """The project's form of Shusha's name for `lang`, as geo/places.geojson gives it."""
    features = json.loads((GEO / "places.geojson").read_text(encoding="utf-8"))["features"]
    return next(f["properties"] for f in features if f["properties"]["id"] == SHUSHA)[f"label_{lang}"]


#: Per language: its tag, a letter test for its script, the panel's heading on 10 Nov 2020, and (English, the
#: language) pairs of interface words of the explorer and of the classroom page.
LANGUAGES = {
    "az": {
        "tag": "az-Latn",
        "script": re.compile(r"[əğıöşüçƏĞÖŞÜÇİ]"),
        "day": "10 noyabr 2020",
        "period": "Müharibə və təhvillər (sentyabr - dekabr 2020)",
        "preset": "Müharibə ərəfəsi → atəşkəs (26 sentyabr → 10 noyabr 2020)",
        "chart": "5.000",
        "explorer": [
            ("Events on this date", "Bu tarixdəki hadisələr"),
            ("Find a place", "Yer tap"),
            ("GeoJSON of this date", "Bu tarixin GeoJSON-u"),
            ("Held by", "Nəzarətdə"),
        ],
        "classroom": [
            ("Area over time", "Zamanla sahə"),
            ("Projector type", "Proyektor şrifti"),
            ("Step 1 of", "Addım 1 /"),
            ("Previous", "Əvvəlki"),
        ],
    },
    "hy": {
        "tag": "hy",
        "script": re.compile(r"[\u0531-\u058f]"),
        "day": "10 նոյեմբերի 2020",
        "period": "Պատերազմը և հանձնումները (սեպտեմբեր - դեկտեմբեր 2020)",
        "preset": "Պատերազմի նախօրե → հրադադար (26 սեպտեմբերի → 10 նոյեմբերի 2020)",
        "chart": "5\u00a0000",
        "explorer": [
            ("Events on this date", "Այս ամսաթվի իրադարձությունները"),
            ("Find a place", "Գտնել վայր"),
            ("GeoJSON of this date", "Այս ամսաթվի GeoJSON-ը"),
            ("Held by", "Վերահսկում է"),
        ],
        "classroom": [
            ("Area over time", "Տարածքը ժամանակի ընթացքում"),
            ("Projector type", "Պրոյեկտորի տառատեսակ"),
            ("Step 1 of", "Քայլ 1՝"),
            ("Previous", "Նախորդ"),
        ],
    },
    "ru": {
        "tag": "ru",
        "script": re.compile(r"[\u0400-\u04ff]"),
        "day": "10 ноября 2020",
        "period": "Война и передачи (сентябрь - декабрь 2020)",
        "preset": "Канун войны → прекращение огня (26 сентября → 10 ноября 2020)",
        "chart": "5\u00a0000",
        "explorer": [
            ("Events on this date", "События этого дня"),
            ("Find a place", "Найти место"),
            ("GeoJSON of this date", "GeoJSON этой даты"),
            ("Held by", "Контролирует"),
        ],
        "classroom": [
            ("Area over time", "Площадь во времени"),
            ("Projector type", "Шрифт для проектора"),
            ("Step 1 of", "Шаг 1 из"),
            ("Previous", "Назад"),
        ],
    },
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    assert nkmap_main(["--geo", str(GEO), "site", "--output", str(out)]) == 0
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def site_server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def visit(chromium, site):
    """A page that can reach only the site (from file://); console errors and aborted requests are recorded."""
    base = site.as_uri()
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    problems: list[str] = []

    def route(r):
        if r.request.url.startswith((base, "data:", "about:", "blob:")):
            r.continue_()
        else:
            problems.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield base, page, problems
    context.close()


def _shown(page) -> str:
    return page.evaluate("document.body.innerText")


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_explorer_speaks_each_language(visit, lang):
    base, page, problems = visit
    want = LANGUAGES[lang]
    page.goto(f"{base}/index.html?lang={lang}&date=2020-11-10")
    page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")
    assert page.evaluate("document.documentElement.lang") == want["tag"]
    shown = _shown(page)
    for english, translated in want["explorer"]:
        assert english not in shown, (lang, english)
        assert translated in shown, (lang, translated)
    assert page.inner_text("#nk-panel-body h2") == want["day"]  # the panel's date, as the language writes it
    assert page.inner_text("#nk-date") == want["day"]
    # The timeline's choices (periods, speeds, jumps) in the language, none left in English.
    options = page.eval_on_selector_all("#nk-period option, #nk-speed option", "os => os.map(o => o.textContent)")
    assert want["period"] in options
    assert not [o for o in options if re.search(r"\b(War|Whole timeline|per second)\b", o)], options
    jumps = page.eval_on_selector_all("#nk-jump option", "os => os.map(o => o.textContent)")
    month = want["day"].split()[1][:3]  # the language's short month ('noy', 'նոյ', 'ноя')
    assert any(j.startswith("10 " + month) and want["script"].search(j) for j in jumps), jumps[:5]
    assert not [j for j in jumps if re.search(r" (Sep|Oct|Nov|Dec) ", j)]
    # The latest key date: written as the language writes a date, never ISO.
    key = page.inner_text("#nk-key")
    assert want["script"].search(key) and not re.search(r"\d{4}-\d{2}-\d{2}", key), key
    assert len(want["script"].findall(shown)) > 200, lang  # its own letters, not a few words
    assert page.title() and page.title() != "Territorial control in and around Nagorno-Karabakh"
    # The place card in the language: Shusha's card names it as the language's readers do.
    page.evaluate(f"NKFinder.open('{SHUSHA}')")
    card = page.inner_text("#nk-placecard")
    assert "Go to the day" not in card and want["script"].search(card)
    assert problems == []


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_classroom_speaks_each_language(visit, lang):
    base, page, problems = visit
    want = LANGUAGES[lang]
    page.goto(f"{base}/classroom.html?lang={lang}")
    page.wait_for_function("document.body.getAttribute('data-step') === '1'")
    assert page.evaluate("document.documentElement.lang") == want["tag"]
    shown = _shown(page)
    for english, translated in want["classroom"]:
        assert english not in shown, (lang, english)
        assert translated in shown, (lang, translated)
    assert len(want["script"].findall(page.inner_text("#cl-panel"))) > 20  # the story's step in the language
    presets = page.eval_on_selector_all("#cl-preset option", "os => os.map(o => o.textContent)")
    assert want["preset"] in presets and not [p for p in presets if "Eve of the war" in p], presets
    # The area chart's km² ticks grouped as the language groups thousands (Chromium's Intl with the page's tag).
    page.click("#cl-modes button[data-mode=chart]")
    page.wait_for_function("document.querySelectorAll('#cl-chart .cl-axis text').length > 3")
    ticks = page.eval_on_selector_all("#cl-chart .cl-axis text", "ts => ts.map(t => t.textContent)")
    assert want["chart"] in ticks and "5,000" not in ticks, ticks
    assert problems == []


def test_the_language_chooser_keeps_the_date_and_the_place(visit):
    base, page, problems = visit
    page.goto(f"{base}/index.html?lang=ru&date=2020-11-08&place={SHUSHA}")
    page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")
    page.keyboard.press("ArrowRight")  # the reader moves on a day: the link follows the address
    page.wait_for_function("document.body.getAttribute('data-day') === '2020-11-09'")
    page.locator("#nk-languages a[lang='az-Latn']").click()
    page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")
    params = parse_qs(urlsplit(page.url).query) | parse_qs(urlsplit(page.url).fragment)
    assert params["lang"] == ["az"] and params["date"] == ["2020-11-09"] and params["place"] == [SHUSHA]
    assert page.evaluate("document.documentElement.lang") == "az-Latn"
    assert page.inner_text("#nk-placecard-title") == _shusha_label("az")
    assert page.inner_text("#nk-date") == "9 noyabr 2020"
    # Back to English: no lang left in the address, the English words again.
    page.locator("#nk-languages a[lang='en']").click()
    page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")
    assert "lang=" not in page.url and "Find a place" in _shown(page)
    assert problems == []


def test_lang_stays_in_the_address_and_an_unknown_one_falls_back_to_english(chromium, site_server):
    context = chromium.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_server) else r.abort())
    page = context.new_page()
    try:
        page.goto(f"{site_server}/index.html?lang=hy&date=2020-11-10")
        page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.body.getAttribute('data-day') === '2020-11-11'")
        query = parse_qs(urlsplit(page.url).query)
        assert query["lang"] == ["hy"] and query["date"] == ["2020-11-11"]
        page.reload()  # the address the page wrote opens the same page in the same language
        page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")
        assert page.inner_text("#nk-date") == "11 նոյեմբերի 2020"
        page.goto(f"{site_server}/classroom.html?lang=ru&story=war-and-aftermath&step=2")
        page.wait_for_function("document.body.getAttribute('data-step') !== null")
        assert parse_qs(urlsplit(page.url).query)["lang"] == ["ru"]

        page.goto(f"{site_server}/index.html?lang=xx")
        page.wait_for_function(f"window.NKExplorer !== undefined && {MAP_DRAWN}")
        assert page.evaluate("document.documentElement.lang") == "en"
        assert "Unknown language 'xx' in the link: showing English" in page.inner_text("#nk-warn")
        assert "Find a place" in _shown(page)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("lang", "english"), [("az", "Who held it"), ("hy", "How to cite this page"), ("ru", "Open in the map")]
)
def test_a_place_page_in_each_language(visit, site, lang, english):
    base, page, problems = visit
    page.goto(f"{base}/{lang}/places/{SHUSHA}.html")
    assert page.evaluate("document.documentElement.lang") == LANGUAGES[lang]["tag"]
    assert page.inner_text("h1") == _shusha_label(lang)
    shown = _shown(page)
    month = LANGUAGES[lang]["day"].split()[1]  # Shusha changed hands on 8 November 2020
    assert english not in shown and f"8 {month} 2020" in page.locator("a.button").inner_text()
    box = page.locator("img.minimap").bounding_box()
    assert box and box["width"] > 200 and page.evaluate("document.querySelector('img.minimap').naturalWidth") == 400
    # The map opens in the same language; the chooser leads to the same place in English.
    link = page.locator("a.button").get_attribute("href")
    assert parse_qs(urlsplit(link).query)["lang"] == [lang]
    alternates = page.evaluate("Array.from(document.querySelectorAll('link[rel=alternate]')).map(l => l.hreflang)")
    assert alternates == ["en", "az-Latn", "hy", "ru"]
    page.locator("#nk-languages a[lang='en']").click()
    page.wait_for_url(f"**/places/{SHUSHA}.html")
    assert page.inner_text("h1") == "Shusha / Shushi" and "/az/" not in page.url
    assert problems == []
