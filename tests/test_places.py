"""Finding a place (nkmap issue 7): spellings, the control model's agreement with the places, district polygons,
`nkmap place`, bad input and the place card's escaping.

The spelling pairs come from geo/places.geojson: a spelling is searched in an index that holds only *other*
names of the places (e.g. only the Azerbaijani names), so it is found through the folding of transliterations,
never because the very string is in the index.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point

from nkmap.data.dataset import load_dataset
from nkmap.model import gazetteer
from nkmap.model.gazetteer import (
    announced_on,
    best_matches,
    build_index,
    changed_hands_on,
    held_by_on,
    held_over_time,
    name_forms,
    place_history,
    search,
    search_index,
    spelling_key,
)
from nkmap.model.timeline import control_model
from nkmap.text.place_card import build_card, card_html, card_text

GEO = Path(__file__).resolve().parents[1] / "geo"
PLACES = [f["properties"] for f in json.loads((GEO / "places.geojson").read_text(encoding="utf-8"))["features"]]
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
ARMENIAN = re.compile(r"[\u0531-\u058F]")
LATIN = re.compile(r"[A-Za-z]")
# Parts of English names that describe rather than name ("Murovdag ridge heights", "Bartaz height", "271 m").
DESCRIPTIVE = re.compile(
    r"\d|\b(heights?|pass|bridges?|mine|monastery|ridge|site|intersection|section|peak|"
    r"junction|town|village|settlement|incl)\b",
    re.IGNORECASE,
)
QUALIFIERS = gazetteer.QUALIFIERS | {gazetteer.fold(p["district"]) for p in PLACES if p["district"]}

# Forms in the data that are other names or translations, not spellings, of the names they are paired with.
OTHER_NAMES = {
    "near Parukh": "a description of the Karaglukh height's position, not a name",
    "Martuni": "the Armenian province Norshen lies in, not Yenikənd's English form",
    # English-column names that are the Armenian or a historical name, not a rendering of the Azerbaijani one.
    "Artsvashen": "Armenian name of Yarımca (a GeoNames mix-up, see lines.md)",
    "Khoda Afarin": "Persian name of the Xudafərin bridges",
    "Ivanyan": "Armenian name of Xocalı",
    "Demirli": "an older name of Canyataq",
    "Madagiz": "Armenian name of Suqovuşan (Madaghis)",
    "Nakhichevanik": "Armenian name of Naxçıvanlı",
    "Ghaibalishen": "Armenian name of Qaybalı",
    # Translations: 'район' is 'district'; 'Сяло', 'Вёска' and 'Пасёлак' are Belarusian 'village', 'settlement';
    # 'Первое', 'Второе', 'Ստորին', 'Ներքին' translate Birinci, İkinci, Aşağı.
    "Ходжалин кӀошт": "Chechen 'Khojaly district'",
    "Ходжалинский район": "Russian 'Khojaly district'",
    "Хоџалински рејон": "Serbian 'Khojaly district'",
    "Алыбейли Первое": "Russian translation of Birinci Alıbəyli",
    "Алибейли Второе": "translation of İkinci Alıbəyli",
    "Ստորին Աղճաքէնտ": "Armenian translation of Aşağı Ağcakənd",
    "Ներքին Աղջաքենդ": "the same",
    "Մռավի լեռնաշղթա": "Armenian 'Mrav range', a translation of Murovdağ silsiləsi",
    "Ումարի Լեռնանցք": "Armenian 'Omar pass', a translation of Ömər aşırımı",
    "Мецкаладереск": "half-Armenian 'Mets' (great) for Böyük Qaladərəsi",
    # Armenian names that the data has only in Armenian or Cyrillic script (no Latin form to be found through).
    "Ալամանց-գոմեր": "Armenian name of Mədətkənd",
    "Ալամենց-գոմեր": "the same",
    "Ալամենց Գոմեր": "the same",
    "Մատաթաշեն": "Armenian name of Mədətkənd",
    "Վարդաբաց": "Armenian name of Ulaşlı",
    "Տելիքթաշ": "Armenian name of Turabad",
    "Վձնալք": "Armenian name of Vejnəli",
    "Ծոբի": "Armenian name of Şöbü",
    "Թաթարասի": "Armenian name of Tatar",
    "Ներկին Կավձուտ": "Armenian 'Lower Kavdzut' for Qovşudlu",
    "Цопаадзор": "Armenian name of Çöpədərə",
    "Արազբազարը": "Armenian name of Arazbar (Arazbazar)",
    "Բլուքան": "Armenian name of Bulutan (Blukan)",
    "Քաղավարդ": "Armenian name of Tağavard (Kaghavard)",
    "Ձրակուս": "Armenian name of Cocuq Mərcanlı's neighbour Çərəkən (Dzrakus)",
    "Пасёлак Шаўмянаўск": "Belarusian 'settlement Shaumyanovsk', the Soviet name of Aşağı Ağcakənd",
    # Renderings too far from the name to be found as a spelling, even as a suggestion.
    "Ձրալի": "Armenian-script Çərəli with ձ (dz) for ç and no vowel after it",
}
# Real spellings that the folding rules do not reconcile (a changed vowel, swapped or missing letters): a search
# must still offer the place among its first suggestions.
IRREGULAR = {
    "Khachindorbatli": "o for ə",
    "Charpand": "r and p swapped",
    "Gulabird": "i for ü",
    "Тар Гарагойунлу": "GeoNames' Тар for Тап",
    "Джахайгирбейли": "no n",
    "Мәшәдиисмаеллы": "е for yı",
    "Յուխարը Րաֆանդիլի": "Rafandili for Rəfədinli",
    "Ձրական": "ձ (dz) for ջ (j)",
    "Մատաթքենդ": "t for d",
    "Մատաթքէնտ": "t for d",
    "Բունյաքլը": "k for d",
    "Արծուաշէն": "u for v",
    "Չոբեդերե": "b for p",
    "Իչարի Մուշուլան": "an extra u",
    "Вёска Арэвашат": "Belarusian 'village Arevashat'",
}


def _forms(p: dict, keys: tuple[str, ...]) -> list[str]:
    out = []
    for key in keys:
        values = p.get(key) or []
        for value in values if isinstance(values, list) else [values]:
            out += name_forms(value, QUALIFIERS)
    return list(dict.fromkeys(out))


def _script_only(form: str, script: re.Pattern) -> bool:
    return bool(script.search(form)) and not LATIN.search(form)


def _english_vs_azerbaijani() -> list[tuple[str, str, str]]:
    """(place id, name_az, an English form of that name) for every place: the English forms of name_en that are
    neither the Armenian name nor a description."""
    pairs = []
    for p in PLACES:
        if not p["name_az"]:
            continue
        armenian = {gazetteer.fold(f) for f in _forms(p, ("name_hy",))}
        for form in name_forms(p["name_en"], QUALIFIERS):
            if (
                "(" in form
                or "/" in form
                or DESCRIPTIVE.search(form)
                or gazetteer.fold(form) in armenian
                or gazetteer.fold(form) == gazetteer.fold(p["name_az"])
                or form in OTHER_NAMES
            ):
                continue
            pairs.append((p["id"], p["name_az"], form))
    return pairs


def _script_forms(script: re.Pattern) -> list[tuple[str, str]]:
    """(place id, a form written only in `script`) for every such form of a place's names; GeoNames' Belarusian
    'Сяло X' ('village X') forms are translations and left out."""
    return [
        (p["id"], f)
        for p in PLACES
        for f in _forms(p, ("name_hy", "names_variant"))
        if _script_only(f, script) and f not in OTHER_NAMES and not f.startswith("Сяло ")
    ]


def _check(index, place_id: str, form: str) -> None:
    """A regular spelling finds the place through its spelling; an IRREGULAR one among the first suggestions."""
    if form in IRREGULAR:
        suggested = [m.place_id for m in search_index(index, None, form, limit=5)]
        assert place_id in suggested, (form, IRREGULAR[form], suggested)
    else:
        assert place_id in _found(index, form), (form, gazetteer.fold(form), spelling_key(form))


EN_AZ = _english_vs_azerbaijani()
CYRILLIC_FORMS = _script_forms(CYRILLIC)
ARMENIAN_FORMS = _script_forms(ARMENIAN)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(GEO)


@pytest.fixture(scope="module")
def az_only_index():
    """Each place under its Azerbaijani name only."""
    return build_index((p["id"], [p["name_az"]] if p["name_az"] else [], [], p["type"], p["name_en"]) for p in PLACES)


@pytest.fixture(scope="module")
def latin_only_index():
    """Each place under every Latin-script form of its names (no Cyrillic, no Armenian script)."""
    return build_index(
        (
            p["id"],
            [f for f in _forms(p, ("name_en", "name_az", "name_hy")) if not (CYRILLIC.search(f) or ARMENIAN.search(f))],
            [f for f in _forms(p, ("names_variant",)) if not (CYRILLIC.search(f) or ARMENIAN.search(f))],
            p["type"],
            p["name_en"],
        )
        for p in PLACES
    )


def _found(index, query: str) -> list[str]:
    """The places a query finds through its spelling (a merely similar name does not count)."""
    return [m.place_id for m in best_matches(search_index(index, None, query, limit=20)) if not m.did_you_mean]


# ---------------------------------------------------------------- spellings from the data


def test_there_are_enough_pairs_from_the_data():
    assert len(EN_AZ) >= 200 and len(CYRILLIC_FORMS) >= 200 and len(ARMENIAN_FORMS) >= 100


@pytest.mark.parametrize("place_id, name_az, english", EN_AZ, ids=[f"{a}={e}" for _, a, e in EN_AZ])
def test_the_english_spelling_finds_the_place_of_the_azerbaijani_name(az_only_index, place_id, name_az, english):
    _check(az_only_index, place_id, english)


@pytest.mark.parametrize("place_id, form", CYRILLIC_FORMS, ids=[f for _, f in CYRILLIC_FORMS])
def test_a_cyrillic_spelling_finds_the_place_through_its_latin_names(latin_only_index, place_id, form):
    _check(latin_only_index, place_id, form)


@pytest.mark.parametrize("place_id, form", ARMENIAN_FORMS, ids=[f for _, f in ARMENIAN_FORMS])
def test_an_armenian_script_spelling_finds_the_place_through_its_latin_names(latin_only_index, place_id, form):
    _check(latin_only_index, place_id, form)


def test_the_exception_lists_are_used():
    """Every listed form occurs in the data, so the lists cannot hide more than they say."""
    forms = {f for p in PLACES for f in _forms(p, ("name_en", "name_hy", "names_variant"))}
    assert set(OTHER_NAMES) - forms == set() and set(IRREGULAR) - forms == set()
    checked = {f for _, _, f in EN_AZ} | {f for _, f in CYRILLIC_FORMS + ARMENIAN_FORMS}
    assert len(set(IRREGULAR) & checked) == len(IRREGULAR)
    assert len(checked) > 15 * (len(OTHER_NAMES) + len(IRREGULAR))


# ---------------------------------------------------------------- real-world spellings on the whole dataset

SAME_PLACE = {
    "place-shusha-susa": ["Shushi", "Şuşa", "Шуша", "Shusha", "SHUSHA", "şuşa", "Schuscha", "Shoushi", "Շուշի"],
    "place-kalbajar-kalbacar": ["Karvachar", "Kəlbəcər", "Kalbajar", "Kelbajar", "Kelbecer", "Kälbäcär", "Քարվաճառ"],
    "place-jabrayil-cabrayil": ["Jebrail", "Cəbrayıl", "Jabrayil", "Djebrail", "Dzhebrail", "Джебраил", "Jrakan"],
    "place-khankendi-xankandi": [
        "Khankendi",
        "Stepanakert",
        "Xankəndi",
        "Xankendi",
        "Hankendi",
        "Степанакерт",
        "Ստեփանակերտ",
        "stepanakert",
    ],
    "place-tartar-talis": ["Talish", "Talış", "Talysh", "T'alish", "T’alish", "Թալիշ", "TALISH"],
    "place-khojavend-hadrut": ["Hadrut", "Гадрут", "Hadrout", "Հադրութ"],
    "place-tartar-agdara": ["Martakert", "Ağdərə", "Aghdara", "Agdere", "Мартакерт"],
    "place-lachin-lacin": ["Lachin", "Laçın", "Berdzor", "Лачин", "Latschin"],
    "place-tartar-suqovusan": ["Madagiz", "Suqovuşan", "Sugovushan", "Mataghis", "Suqovushan"],
    "place-qubadli-qubadli": ["Qubadlı", "Gubadly", "Kubatly", "Kashunik", "Gubadli"],
    "place-zangilan-zangilan": ["Zangilan", "Zəngilan", "Zengilan", "Kovsakan"],
    "place-fuzuli-fuzuli": ["Fuzuli", "Füzuli", "Fizuli", "Varanda"],
    "place-aghdam-agdam": ["Aghdam", "Ağdam", "Agdam", "Akna", "Агдам"],
    "place-khojavend-xocavand": ["Khojavend", "Xocavənd", "Martuni", "Khodjavend"],
    "place-khojaly-xocali": ["Khojaly", "Xocalı", "Khojalu", "Xocali", "Hocalı"],
    "place-khojaly-susakand": ["Shosh", "Şuşakənd", "Shushakand", "Шош"],
}
MUST_DIFFER = [
    ("Shusha", "Shosh"),
    ("Sus", "Shusha"),
    ("Tartar", "Tatar"),
    ("Hadrut", "Horadiz"),
    ("Khojaly", "Khojavend"),
    ("Jabrayil", "Jojug Marjanli"),
    ("Aghdam", "Aghdara"),
]


@pytest.mark.parametrize("place_id", sorted(SAME_PLACE))
def test_every_spelling_of_a_town_finds_it_first(ds, place_id):
    for query in SAME_PLACE[place_id]:
        matches = search(ds, query)
        assert matches and matches[0].place_id == place_id, (query, [m.place_id for m in matches[:3]])
        assert not matches[0].did_you_mean, query


@pytest.mark.parametrize("a, b", MUST_DIFFER)
def test_near_spellings_of_different_places_stay_apart(ds, a, b):
    first_a, first_b = search(ds, a)[0], search(ds, b)[0]
    assert first_a.place_id != first_b.place_id, (a, b, first_a.place_id)
    assert spelling_key(a) != spelling_key(b)


def test_suggestions_narrow_as_the_user_types(ds):
    for word, place_id in (
        ("Stepanakert", "place-khankendi-xankandi"),
        ("Kəlbəcər", "place-kalbajar-kalbacar"),
        ("Шуша", "place-shusha-susa"),
        ("Hadrut", "place-khojavend-hadrut"),
    ):
        for n in range(3, len(word) + 1):
            ids = [m.place_id for m in search(ds, word[:n], limit=8)]
            assert place_id in ids, (word[:n], ids)


def test_a_typo_is_only_a_suggestion(ds):
    matches = search(ds, "Stepanakrt")
    assert matches and matches[0].place_id == "place-khankendi-xankandi" and matches[0].did_you_mean
    assert not any(m.did_you_mean for m in search(ds, "Stepanakert"))
    assert "Stepanakert" in " ".join(gazetteer.did_you_mean(ds, "Stepanakrt"))


def test_a_url_value_opens_a_place_by_id_or_by_an_unambiguous_name(ds):
    assert gazetteer.find_place(ds, "place-khojavend-hadrut") == "place-khojavend-hadrut"
    assert gazetteer.find_place(ds, "Шуша") == gazetteer.find_place(ds, "Shushi") == "place-shusha-susa"
    assert gazetteer.find_place(ds, "Qaracallı") is None  # two villages bear the name
    for bad in ("", None, "Stepanakrt", "x" * 10240, "<script>", "place-nowhere"):
        assert gazetteer.find_place(ds, bad) is None, bad


def test_every_place_has_a_choice_label_with_all_its_names(ds):
    labels = dict(gazetteer.choices(ds))
    assert len(labels) == len(PLACES)
    shusha = labels["place-shusha-susa"]
    assert all(name in shusha for name in ("Shusha / Shushi", "Şuşa", "Шуша", "Շուշի", "Shusha district"))
    assert list(labels)[0].startswith("place-")


def test_a_name_shared_by_two_villages_finds_both(ds):
    same = {}
    for p in PLACES:
        if p["name_az"]:
            same.setdefault(p["name_az"], []).append(p["id"])
    shared = {name: ids for name, ids in same.items() if len(ids) > 1}
    assert shared
    for name, ids in shared.items():
        assert set(ids) <= {m.place_id for m in best_matches(search(ds, name, limit=20))}, name


# ---------------------------------------------------------------- the control model agrees with the places

CLAIMED = [p for p in PLACES if p["capture_claimed_on"]]


@pytest.mark.parametrize("p", [pytest.param(p, id=p["id"]) for p in CLAIMED])
def test_the_map_shows_each_announced_capture_from_its_modelled_day(ds, p):
    """Azerbaijani from the modelled day on, Artsakh the day before; where the model departs from the claim the
    data says why and the claim stays a claim on the map."""
    claimed = dt.date.fromisoformat(p["capture_claimed_on"])
    modelled = dt.date.fromisoformat(p["capture_modelled_on"] or p["capture_claimed_on"])
    pid = p["id"]
    assert modelled >= claimed
    if modelled != claimed:
        assert p["model_note"] and len(p["model_note"]) > 40, f"{pid}: the model departs from the claim silently"
        assert held_by_on(ds, pid, claimed) == "artsakh", f"{pid}: the claim day should still show Artsakh"
    # the claim is in the history with its sources, or the place says its date is the fact sheet's, unverified
    assert any(h["kind"] == "claimed_captured" and h["date"] == p["capture_claimed_on"] for h in p["history"]) or p.get(
        "capture_claim_note"
    ), pid
    assert held_by_on(ds, pid, modelled - dt.timedelta(days=1)) == "artsakh", pid
    assert held_by_on(ds, pid, modelled) == "azerbaijan", pid
    later = [d for d in control_model(ds).change_dates if d > modelled] + [ds.end]
    assert [d for d in later if held_by_on(ds, pid, d) != "azerbaijan"] == [], pid
    assert changed_hands_on(ds, pid) == modelled


def test_hadrut_shows_the_claim_as_a_claim(ds):
    card = build_card(ds, "place-khojavend-hadrut", dt.date(2020, 10, 10))
    assert card.held_on == "artsakh" and card.claimed_on == dt.date(2020, 10, 9)
    assert card.changed_on == dt.date(2020, 10, 15)
    assert "a claim" in card.change_sentence and "9 October 2020" in card.change_sentence
    assert any(r.claim and r.response for r in card.rows), "claim and denial should sit side by side"


def test_places_that_never_change_hands_have_no_day(ds):
    spans = held_over_time(ds, "place-armenia-goris")
    assert spans == [(ds.start, ds.end, "armenia")]  # Armenia is held by its own state: nobody's point is none
    assert changed_hands_on(ds, "place-armenia-goris") is None


# ---------------------------------------------------------------- districts


def test_every_place_lies_in_its_district_or_says_why(ds):
    districts = {
        re.split(r"\s*/\s*|\s*\(", n)[0].strip(): g
        for n, g in zip(ds.layers["districts"]["name_en"], ds.layers["districts"].geometry)
    }
    problems = []
    for p, f in zip(PLACES, json.loads((GEO / "places.geojson").read_text(encoding="utf-8"))["features"]):
        if not p["district"]:
            assert p["country"] != "Azerbaijan", f"{p['id']}: a place in Azerbaijan needs a district"
            continue
        point = Point(f["geometry"]["coordinates"])
        inside = districts[p["district"]].contains(point)
        reason = p.get("district_exception")
        if inside and reason:
            problems.append(f"{p['id']}: inside {p['district']} but has a stale district_exception")
        if not inside:
            km = districts[p["district"]].distance(point) * 100  # ~100 km per degree here, a loose bound
            if not reason or len(reason) < 60:
                problems.append(f"{p['id']}: outside {p['district']} ({km:.1f} km) with no reason in the data")
            elif km > 7:
                problems.append(f"{p['id']}: {km:.1f} km outside {p['district']}: too far to be the polygons' fault")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- what was announced on a day


def test_the_9_november_announcements_are_the_official_74(ds):
    items = announced_on(ds, dt.date(2020, 11, 9))
    assert len(items) == 74
    placed = [a for a in items if a.place_id]
    assert len(placed) == len({a.place_id for a in placed}) == 65
    assert all(a.reason_unplaced for a in items if not a.place_id)


def test_every_announcement_day_matches_the_recorded_count(ds):
    meta = json.loads((GEO / "places.geojson").read_text(encoding="utf-8"))["metadata"]["announced_per_date"]
    for day, count in meta.items():
        items = announced_on(ds, dt.date.fromisoformat(day))
        assert len(items) == count, day
        for a in items:
            if a.place_id:
                assert gazetteer.place(ds, a.place_id).get("capture_claimed_on") == a.claimed_on
    assert announced_on(ds, dt.date(2020, 11, 11)) == []


# ---------------------------------------------------------------- the card


def test_the_card_puts_both_sides_and_the_sources_together(ds):
    html = card_html(ds, "place-shusha-susa", dt.date(2020, 11, 8))
    assert "Şuşa" in html and "Շուշի" in html and "Shusha district" in html
    assert "held by: Azerbaijan" in html
    row = re.search(r"<tr><th scope=\"row\">8 November 2020</th>(.*?)</tr>", html).group(1)
    assert "Aliyev" in row.split('class="nk-col-response"')[0] and "Hovhannisyan" in row
    assert html.count("<li>") >= len(gazetteer.place(ds, "place-shusha-susa").get("sources"))
    assert 'href="https://www.unian.info/' in html
    text = card_text(ds, "place-shusha-susa", dt.date(2020, 11, 7))
    assert "held by: Artsakh" in text and "2020-11-09" in text and "acknowledged" in text


def test_a_place_s_position_is_called_a_point_not_a_boundary(ds):
    """A place is a point: its card, in each language, and its page on the static site say what kind of point it
    is (a gazetteer's or surveyed one), not that it comes from a boundary, which is what an area's precision means."""
    from nkmap.site.place_pages import place_page

    kavdar = "place-jabrayil-kavdar"  # its point is GeoNames record 147869
    assert gazetteer.place(ds, kavdar).get("coord_precision") == "exact"
    html = card_html(ds, kavdar, dt.date(2020, 11, 5))
    assert "exact (a gazetteer&#x27;s or surveyed point)" in html or "exact (a gazetteer's or surveyed point)" in html
    assert "boundary" not in html.split("Position:")[1].split("</div>")[0]
    assert "из справочника географических названий" in card_html(ds, kavdar, dt.date(2020, 11, 5), lang="ru")
    assert "չափագրված կետ" in card_html(ds, kavdar, dt.date(2020, 11, 5), lang="hy")
    page = place_page(ds, build_card(ds, kavdar, None), "test")
    assert "gazetteer" in page and "published boundary" not in page


def test_history_is_in_date_order(ds):
    for p in PLACES:
        days = [e.date for e in place_history(ds, p["id"]) if e.date]
        assert days == sorted(days), p["id"]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        None,
        "x" * 10240,
        "<script>alert(1)</script>",
        "\x1b[31m\x00",
        "' OR 1=1 --",
        "%00",
        "🙂",
        "Ş" * 200,
        "\u202eahsuhS",
    ],
)
def test_search_answers_bad_queries_calmly(ds, query):
    matches = search(ds, query)
    assert isinstance(matches, list) and len(matches) <= 10
    for m in matches:
        assert m.place_id in gazetteer.places(ds)


def test_clean_query_says_what_is_wrong():
    for query, words in (("", "empty"), (" \t", "empty"), ("x" * 10240, "10,240 characters"), ("!!!", "no letters")):
        with pytest.raises(gazetteer.QueryError, match=words):
            gazetteer.clean_query(query)


@pytest.fixture(scope="module")
def hostile_geo(tmp_path_factory) -> Path:
    """A copy of the dataset whose Shusha carries markup and script in its names, history and sources."""
    geo = tmp_path_factory.mktemp("hostile") / "geo"
    shutil.copytree(GEO, geo)
    path = geo / "places.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    p = next(f["properties"] for f in data["features"] if f["properties"]["id"] == "place-shusha-susa")
    p["name_en"] = "Shusha <script>alert('name')</script>"
    p["name_az"] = 'Şuşa"><img src=x onerror=alert(1)>'
    p["names_variant"] = p["names_variant"] + ["<b>bold</b>"]
    p["history"][0]["by"] = "<iframe src='javascript:alert(2)'></iframe>"
    p["history"][0]["text_en"] = "</td></tr></table><script>alert(3)</script>"
    p["history"][0]["sources"] = ["javascript:alert(4)", 'https://example.org/"onmouseover="alert(5)']
    p["model_note"] = "<style>body{display:none}</style>"
    p["sources"] = ["<a href='javascript:alert(6)'>x</a>"] + p["sources"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return geo


def test_markup_in_the_data_is_shown_as_text(hostile_geo):
    ds = load_dataset(hostile_geo)
    matches = search(ds, "Shusha")
    assert matches[0].place_id == "place-shusha-susa"
    html = card_html(ds, "place-shusha-susa", dt.date(2020, 11, 8))
    for bad in (
        "<script",
        "<img",
        "<iframe",
        "<style",
        "<b>",
        'href="javascript',
        "href='javascript",
        '"onmouseover="',
    ):
        assert bad not in html, bad
    assert "&lt;script&gt;alert(&#x27;name&#x27;)" in html and "&lt;iframe" in html
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in html
    assert html.count("<table") == html.count("</table>") == 1
    text = card_text(ds, "place-shusha-susa")
    assert "<script>alert('name')</script>" in text  # plain text for a terminal is shown as written


# ---------------------------------------------------------------- nkmap place


def nkmap(*args: str, geo: Path | None = None) -> subprocess.CompletedProcess:
    prefix = ["--geo", str(geo)] if geo else []
    return subprocess.run([sys.executable, "-m", "nkmap", *prefix, *args], capture_output=True, text=True, timeout=300)


def test_nkmap_place_prints_the_history():
    result = nkmap("place", "Shushi", "--date", "2020-11-08")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[1].startswith("  - Shusha / Shushi")
    assert "Azerbaijani: Şuşa" in out and "held by: Azerbaijan" in out
    for day in ("2020-11-08", "2020-11-09", "2020-11-10"):
        assert day in out
    assert "capture claimed" in out and "acknowledged" in out and "denied" in out
    assert "https://www.unian.info/" in out


def test_nkmap_place_without_a_match_suggests_names():
    result = nkmap("place", "Karvachr")
    assert result.returncode == 1
    assert "no place matches 'Karvachr'" in result.stderr and "did you mean" in result.stderr
    assert "Karvachar" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["place"], 2, "empty"),
        (["place", ""], 2, "empty"),
        (["place", "x" * 10240], 2, "10,240 characters"),
        (["place", "<script>alert(1)</script>"], 1, "no place matches"),
        (["place", "Shusha", "--date", "2020-13-01"], 2, "YYYY-MM-DD"),
    ],
)
def test_nkmap_place_answers_bad_input_calmly(args, code, words):
    result = nkmap(*args)
    assert result.returncode == code, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr) < 400


def test_nkmap_place_on_hostile_data(hostile_geo):
    result = nkmap("place", "Şuşa", geo=hostile_geo)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "<script>alert('name')</script>" in result.stdout


def test_a_place_is_found_by_its_russian_name(ds):
    """name_ru is one of the place's own names in the index (not a mere variant), so a Russian reader typing it
    gets the place first; the Russian name of a town too."""
    matches = search(ds, "Абдынлы")
    assert matches[0].place_id == "place-aghdam-abdinli" and matches[0].tier == 0
    assert any(n.primary and n.name == "Абдынлы" for n in gazetteer.index(ds).names)
    assert search(ds, "Физули")[0].place_id == "place-fuzuli-fuzuli"
