"""The record's texts in Azerbaijani, Armenian and Russian (issue 14, item 3): every text has its translation in
each language, in that language's script, with the English's numbers, marked as the project's translation; place
names follow the policy of geo/SOURCES.md; and the checks catch a broken copy."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from nkmap.data.dataset import load_dataset
from nkmap.data.translations import (
    EVENT_FIELDS,
    HISTORY_BY_FIELDS,
    HISTORY_FIELDS,
    LANGUAGES,
    MANIFEST_FIELDS,
    STEP_FIELDS,
    STORY_FIELDS,
    numbers,
    script_share,
    text_in,
    translation_key,
)
from nkmap.data.validation import validate_dataset

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
STORIES = sorted((GEO / "stories").glob("*.json"))


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _translated_texts(root: Path = GEO) -> Iterator[tuple[str, str, str, str]]:
    """(language, file, where, text) for every translated text of the dataset at `root`."""
    manifest = _json(root / "manifest.json")
    records = [("manifest.json", "title", manifest, MANIFEST_FIELDS)]
    records += [
        ("manifest.json", f"side {k}", v, {"label_en": "label", "short_en": "short"})
        for k, v in manifest["sides"].items()
    ]
    for layer in manifest["layers"]:
        records.append(("manifest.json", f"layer {layer['id']}", layer, {"title": "title"}))
        records += [("manifest.json", f"legend of {layer['id']}", e, {"label_en": "label"}) for e in layer["legend"]]
    records += [("manifest.json", f"key date {k['date']}", k, {"label_en": "label"}) for k in manifest["key_dates"]]
    for f in _json(root / "events.geojson")["features"]:
        records.append(("events.geojson", f["properties"]["id"], f["properties"], EVENT_FIELDS))
    for layer in (
        "contact_line",
        "peacekeepers_zone",
        "transferred_districts",
        "lachin_corridor",
        "shusha",
        "districts",
    ):
        for f in _json(root / f"{layer}.geojson")["features"]:
            records.append((f"{layer}.geojson", f["properties"]["id"], f["properties"], {"name_en": "title"}))
    for f in _json(root / "places.geojson")["features"]:
        for i, entry in enumerate(f["properties"]["history"], start=1):
            where = f"{f['properties']['id']}, history entry {i}"
            records.append(("places.geojson", where, entry, {**HISTORY_FIELDS, **HISTORY_BY_FIELDS}))
    for path in sorted((root / "stories").glob("*.json")):
        story = _json(path)
        records.append((path.name, "story", story, STORY_FIELDS))
        records += [(path.name, f"step {i}", s, STEP_FIELDS) for i, s in enumerate(story["steps"], start=1)]
    for file, where, record, fields in records:
        for stem in fields.values():
            for lang in LANGUAGES:
                text = record.get(translation_key(stem, lang))
                if isinstance(text, str):
                    yield lang, file, where, text


# ------------------------------------------------------------------------------------------- the shipped record


def test_the_shipped_dataset_is_translated_into_every_language_and_valid():
    assert validate_dataset(GEO) == []
    # validate_dataset checks the languages each file names; the record must name all three.
    events = _json(GEO / "events.geojson")
    markers = [events["metadata"]["translations"]] + [_json(p)["translations"] for p in STORIES]
    markers.append(_json(GEO / "manifest.json")["translations"])
    for marker in markers:
        assert set(marker) == set(LANGUAGES)
        for entry in marker.values():
            assert entry["by"] == "nkmap project" and entry["from"] == "en" and "native reader" in entry["note"]


def test_every_event_has_a_headline_and_summary_in_every_language():
    features = _json(GEO / "events.geojson")["features"]
    assert len(features) == 61
    for f in features:
        p = f["properties"]
        for lang in LANGUAGES:
            for stem in ("title", "summary"):
                assert p[f"{stem}_{lang}"].strip(), (p["id"], stem, lang)
            for side in ("az", "hy"):
                # a side's wording is translated where the English gives one, and only there
                assert (p[f"wording_{side}_in_{lang}"] is None) == (p[f"wording_{side}"] is None), (p["id"], side)


def test_the_loader_carries_the_translations_to_every_consumer():
    ds = load_dataset(GEO)
    assert set(ds.layer_metadata["events"]["translations"]) == set(LANGUAGES)
    events = ds.layers["events"].set_index("id")
    shusha = events.loc["event-2020-11-08-shusha-claimed"].to_dict()
    assert text_in(shusha, "name_en", EVENT_FIELDS, "en") == shusha["name_en"]
    assert text_in(shusha, "name_en", EVENT_FIELDS, "az").startswith("Azərbaycan Şuşanı (Şuşi)")
    assert "Շուշի" in text_in(shusha, "summary_en", EVENT_FIELDS, "hy")
    assert "Шуша (Шуши)" in text_in(shusha, "wording_az", EVENT_FIELDS, "ru")
    context = ds.layers["context"].set_index("id")  # the context rows keep their translations too
    assert "Гянджа" in context.loc["context-2020-10-04-ganja-strikes", "title_ru"].replace("Гяндже", "Гянджа")


def test_quoted_words_stay_quoted_in_every_language():
    """An attributed quotation of the English ('local anti-terrorist measures') is a quotation in each
    translation too, so the neutral-wording check knows the words are the side's."""
    p = next(
        f["properties"]
        for f in _json(GEO / "events.geojson")["features"]
        if f["properties"]["id"] == "event-2023-09-19-azerbaijani-offensive"
    )
    assert "'local anti-terrorist measures'" in p["summary_en"]
    for lang in LANGUAGES:
        assert re.search(r"«[^»]+»[^«]+«[^»]+»", p[f"summary_{lang}"]), lang


# ------------------------------------------------------------------------------------------- names policy

#: Per language: (the name its readers use, as a pattern for its inflected forms; the other side's name).
NAME_PAIRS = {
    "az": [
        ("Şuşa(?!n )", "Şuşi"),  # not Shushan Stepanyan
        ("Xankəndi", "Stepanakert"),
        ("Laçın", "Berdzor"),
        ("Kəlbəcər", "Karvaçar"),
        ("Füzuli", "Varanda"),
        ("Cəbrayıl", "Crakan"),
        ("Zəngilan", "Kovsakan"),
        ("Qubadlı", "Kaşunik"),
        ("Ağdam", "Akna(?!berd)"),  # not Aknaberd (Umudlu), a village of its own
    ],
    "hy": [
        ("Շուշի", "Շուշա(?!ն)"),
        ("Ստեփանակերտ", "Խանքենդի"),
        ("Բերձոր", "Լաչին"),
        ("Քարվաճառ", "Քելբաջար"),
        ("Վարանդա", "Ֆիզուլի"),
        ("Ջրական", "Ջաբրայիլ"),
        ("Կովսական", "Զանգելան"),
        ("Քաշունիք", "Կուբաթլու"),
        ("Ակնա(?!բերդ)", "Աղդամ"),
    ],
    "ru": [
        ("Шуш(?!ан)", "Шуши"),  # Шуша declines (Шуши, Шуше, Шушу); the Armenian name does not
        ("Степанакерт", "Ханкенди"),
        ("Лачин", "Бердзор"),
        ("Кельбаджар", "Карвачар"),
        ("Физули", "Варанд"),
        ("Джебраил", "Джракан"),
        ("Зангелан", "Ковсакан"),
        ("Кубатл", "Кашуник"),  # Кубатлы, Кубатлинский
        ("Агдам", "Акн(?!аберд)"),
    ],
}
#: The corridor's name is the same in every language's usage (it is no claim on the town).
CORRIDOR = {"az": r"Laçın dəhliz\w*", "hy": r"Լաչինի միջանցք\w*", "ru": r"Лачинск\w* коридор\w*"}
QUOTED = re.compile(r"«[^»]+»|“[^”]+”|\"[^\"]+\"")


def names_policy_problems(lang: str, text: str) -> list[str]:
    """Where a text does not name a place as the policy says: the first time, the name the language's readers
    use, with the other side's name in brackets after it (quotations keep their own words)."""
    text = re.sub(CORRIDOR[lang], "", QUOTED.sub("", text))
    problems = []
    for own, other in NAME_PAIRS[lang]:
        first = re.search(rf"{own}|{other}", text)
        if first and not re.match(rf"{own}\w*(?: \w+)? \({other}", text[first.start() :]):
            problems.append(f"{own}/{other}: {text[max(0, first.start() - 20) : first.start() + 40]!r}")
    return problems


def test_every_translation_names_places_by_the_policy():
    found = [
        (file, where, lang, p)
        for lang, file, where, text in _translated_texts()
        for p in names_policy_problems(lang, text)
    ]
    assert found == [], found[:10]


@pytest.mark.parametrize(
    "lang,text,bad",
    [
        ("az", "Prezident Əliyev Şuşanı (Şuşi) ələ keçirdiyini bildirdi; Şuşa", False),
        ("az", "Ermənistan MN: Şuşi uğrunda döyüşlər", True),
        ("az", "Ermənistan MN: «Şuşi uğrunda döyüşlər davam edir»", False),  # a quotation keeps its words
        ("hy", "Ալիևը հայտարարեց Շուշայի գրավման մասին", True),
        ("hy", "Լաչինի միջանցքը և Բերձոր (Լաչին) քաղաքը", False),
        ("ru", "бои за Шушу (Шуши) продолжаются", False),
        ("ru", "Погосян: Шуши полностью вне контроля", True),
        ("ru", "вошла в Кельбаджарский район (Карвачар)", False),
    ],
)
def test_the_names_check_can_fail(lang, text, bad):
    assert bool(names_policy_problems(lang, text)) == bad


# ------------------------------------------------------------------------------------------- the checks


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("en", "about 4,400 km² and 7.5 km in 2020", [4400, Decimal("7.5"), 2020]),
        ("az", "təxminən 4.400 km² və 7,5 km, 2020-ci il", [4400, Decimal("7.5"), 2020]),
        ("hy", "մոտ 4\u00a0400 կմ² և 7,5 կմ, 2020 թ.", [4400, Decimal("7.5"), 2020]),
        ("ru", "около 4\u00a0400 км² и 7,5 км, 2020 год", [4400, Decimal("7.5"), 2020]),
        ("ru", "с 13 по 16 декабря 2022 года", [13, 16, 2022]),
        ("en", "Aghdam / Akna: to be handed over by 2020-11-20", [20, 2020]),  # an ISO date: its day and year
        ("en", "Ceasefire line as changed on 01 Dec 2020", [1, 2020]),
    ],
)
def test_numbers_are_read_as_each_language_writes_them(lang, text, expected):
    assert sorted(numbers(text, lang).elements()) == sorted(Decimal(n) for n in expected)


def test_the_scripts_are_told_apart():
    assert script_share("Шуша (Shusha), Human Rights Watch", "ru")[0] < 0.7
    assert script_share("Human Rights Watch (HRW) сообщила о кассетных боеприпасах", "ru")[0] > 0.5
    assert script_share("Շուշի", "hy") == (1.0, 5)


def _broken(tmp_path: Path, name: str, change) -> list[str]:
    root = tmp_path / "geo"
    shutil.copytree(GEO, root)
    path = root / name
    data = _json(path)
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return [str(p) for p in validate_dataset(root)]


def _event(data, eid):
    return next(f["properties"] for f in data["features"] if f["properties"]["id"] == eid)


def _key_date(manifest, day):
    return next(k for k in manifest["key_dates"] if k["date"] == day)


def _history(data, place_id, starts):
    """The history entry of a place whose English text starts with `starts`."""
    props = next(f["properties"] for f in data["features"] if f["properties"]["id"] == place_id)
    return next(h for h in props["history"] if h["text_en"].startswith(starts))


STORY = "stories/war-and-aftermath.json"
HADRUT = "place-khojavend-hadrut"
SHUSHA = "event-2020-11-08-shusha-claimed"
DISPLACEMENT = "context-1994-05-12-displacement-1988-1994"
SHUSHA_AREA = "change-2020-11-08-place-shusha-susa"
LINE = "line-ceasefire-2020-11-10"
HANDOVER = "transfer-done-district-aghdam"


@pytest.mark.parametrize(
    "name,change,expected",
    [
        # a translation left out
        ("events.geojson", lambda d: _event(d, SHUSHA).pop("summary_hy"), f"{SHUSHA}: no summary_hy"),
        ("events.geojson", lambda d: _event(d, SHUSHA).update(title_az="  "), f"{SHUSHA}: title_az is empty"),
        # English where the Russian should be: the same text, or another English text
        (
            "events.geojson",
            lambda d: _event(d, SHUSHA).update(summary_ru=_event(d, SHUSHA)["summary_en"]),
            f"{SHUSHA}: summary_ru is the English of summary_en",
        ),
        (
            "events.geojson",
            lambda d: _event(d, SHUSHA).update(summary_ru="On 8 Nov 2020 President Aliyev announced, 9 Nov."),
            f"{SHUSHA}: summary_ru is not in Russian",
        ),
        (
            "events.geojson",
            lambda d: _event(d, SHUSHA).update(title_az="Azerbaijan claims Shusha"),
            f"{SHUSHA}: title_az has none of the Azerbaijani letters",
        ),
        # a changed figure, in each language's way of writing it
        (
            "events.geojson",
            lambda d: _event(d, DISPLACEMENT).update(
                summary_az=_event(d, DISPLACEMENT)["summary_az"].replace("572.000", "527.000")
            ),
            f"{DISPLACEMENT}: summary_az lacks the number(s) 572,000 of summary_en",
        ),
        (
            "events.geojson",
            lambda d: _event(d, DISPLACEMENT).update(
                summary_ru=_event(d, DISPLACEMENT)["summary_ru"].replace("1990", "1991")
            ),
            f"{DISPLACEMENT}: summary_ru has number(s) 1991 that summary_en does not have",
        ),
        # a side's wording translated where the English has none
        (
            "events.geojson",
            lambda d: _event(d, DISPLACEMENT).update(wording_az_in_ru="Азербайджан: ..."),
            f"{DISPLACEMENT}: wording_az_in_ru translates wording_az, which is empty",
        ),
        # the mark of the project's translation taken away
        ("events.geojson", lambda d: d["metadata"].pop("translations"), "events.geojson: no `metadata.translations`"),
        # the story: a caption left out, or left in English
        (STORY, lambda s: s["steps"][7].pop("caption_hy"), f"{STORY}: step 8: no caption_hy"),
        (
            STORY,
            lambda s: s["steps"][7].update(caption_ru=s["steps"][7]["caption_en"]),
            f"{STORY}: step 8: caption_ru is the English of caption_en",
        ),
        (STORY, lambda s: s.update(description_az=None), f"{STORY}: no description_az"),
        # the manifest: a side, a key date, a legend entry, a layer
        ("manifest.json", lambda m: m["sides"]["artsakh"].pop("label_hy"), "manifest.json: side artsakh: no label_hy"),
        (
            "manifest.json",
            lambda m: _key_date(m, "2020-11-10").update(label_ru="Трёхстороннее заявление: прекращение огня с 01:00"),
            "manifest.json: key date 2020-11-10: label_ru has number(s) 1 that label_en does not have",
        ),
        (
            "manifest.json",
            lambda m: m["layers"][0]["legend"][0].update(label_az="International border (Natural Earth 1:10m)"),
            "manifest.json: layer countries, legend entry 1: label_az is the English",
        ),
        ("manifest.json", lambda m: m["layers"][1].update(title_en="Districts"), "layer districts: title_en differs"),
        # a place's history: a text left untranslated, who said it left in English, a publisher's name translated
        (
            "places.geojson",
            lambda d: _history(d, HADRUT, "Bellingcat verified").pop("text_ru"),
            f"{HADRUT}, history entry 4: no text_ru (the Russian translation of text_en)",
        ),
        (
            "places.geojson",
            lambda d: _history(d, HADRUT, "An RT reporter").update(by_hy="RT correspondent"),
            f"{HADRUT}, history entry 3: by_hy is not in Armenian",
        ),
        (
            "places.geojson",
            lambda d: _history(d, HADRUT, "The Armenian MoD still").pop("by_az"),
            f"{HADRUT}, history entry 7: no by_az (the Azerbaijani translation of by)",
        ),
        (
            "places.geojson",
            lambda d: _history(d, HADRUT, "Bellingcat verified").update(by_ru="Беллингкэт"),
            f"{HADRUT}, history entry 4: by_ru translates a publisher's name ('Bellingcat')",
        ),
        (
            "places.geojson",
            lambda d: _history(d, HADRUT, "Held by Azerbaijan on the post-war").update(
                text_hy=_history(d, HADRUT, "Held by Azerbaijan on the post-war")["text_hy"].replace("2021", "2020")
            ),
            f"{HADRUT}, history entry 10: text_hy lacks the number(s) 2021 of text_en",
        ),
        # who claimed a change, and a control area's name: left out, left in English, in another script
        ("control.geojson", lambda d: _event(d, SHUSHA_AREA).pop("claimed_by_hy"), f"{SHUSHA_AREA}: no claimed_by_hy"),
        (
            "control.geojson",
            lambda d: _event(d, SHUSHA_AREA).update(claimed_by_hy=_event(d, SHUSHA_AREA)["claimed_by"]),
            f"{SHUSHA_AREA}: claimed_by_hy is the English of claimed_by",
        ),
        (
            "control.geojson",
            lambda d: _event(d, SHUSHA_AREA).update(claimed_by_hy=_event(d, SHUSHA_AREA)["claimed_by_ru"]),
            f"{SHUSHA_AREA}: claimed_by_hy is not in Armenian",
        ),
        (
            "control.geojson",
            lambda d: _event(d, SHUSHA_AREA).update(denied_by_az="Armenian MoD spokesman"),
            f"{SHUSHA_AREA}: denied_by_az has none of the Azerbaijani letters",
        ),
        (
            "control.geojson",
            lambda d: _event(d, SHUSHA_AREA).update(title_az="Area around Şuşa"),
            f"{SHUSHA_AREA}: title_az has no words in Azerbaijani besides the names",
        ),
        ("control.geojson", lambda d: _event(d, SHUSHA_AREA).pop("title_ru"), f"{SHUSHA_AREA}: no title_ru"),
        ("control.geojson", lambda d: d.pop("metadata"), "control.geojson: no `metadata.translations`"),
        ("events.geojson", lambda d: _event(d, SHUSHA).pop("claimed_by_ru"), f"{SHUSHA}: no claimed_by_ru"),
        ("lachin_corridor.geojson", lambda d: d["features"][2]["properties"].pop("denied_by_az"), "no denied_by_az"),
        # the names of the other layers' features: a contact line, a district, a handover
        ("contact_line.geojson", lambda d: _event(d, LINE).pop("title_hy"), f"{LINE}: no title_hy"),
        (
            "contact_line.geojson",
            lambda d: _event(d, LINE).update(title_hy=_event(d, LINE)["name_en"]),
            f"{LINE}: title_hy is the English of name_en",
        ),
        (
            "contact_line.geojson",
            lambda d: _event(d, LINE).update(title_hy=_event(d, LINE)["title_ru"]),
            f"{LINE}: title_hy is not in Armenian",
        ),
        (
            "districts.geojson",
            lambda d: _event(d, "district-aghdam").update(title_ru="Aghdam (Akna)"),
            "district-aghdam: title_ru has no words in Russian besides the names",
        ),
        (
            "transferred_districts.geojson",
            lambda d: _event(d, HANDOVER).update(
                title_ru=_event(d, HANDOVER)["title_ru"].replace("20 ноября", "21 ноября")
            ),
            f"{HANDOVER}: title_ru lacks the number(s) 20 of name_en",
        ),
        (
            "peacekeepers_zone.geojson",
            lambda d: d.pop("metadata"),
            "peacekeepers_zone.geojson: no `metadata.translations`",
        ),
    ],
)
def test_the_translation_checks_can_fail(tmp_path, name, change, expected):
    problems = _broken(tmp_path, name, change)
    assert [p for p in problems if expected in p], problems[:10]
    assert len(problems) <= 3, problems  # the rest of the copy is still valid


def test_a_story_without_translations_is_an_english_story(tmp_path):
    """A teacher's own story needs no translation: without a `translations` object its English is enough."""

    def english_only(story):
        story.pop("translations")
        for record in [story, *story["steps"]]:
            for key in [k for k in record if k[-3:] in ("_az", "_hy", "_ru")]:
                record.pop(key)

    assert _broken(tmp_path, STORY, english_only) == []


def _place(data, pid):
    return next(f["properties"] for f in data["features"] if f["properties"]["id"] == pid)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("label_hy", "Shushi (Shusha)"),
        ("label_ru", "Shusha"),
        ("label_az", "Шуша"),
        ("label_az", "  "),
        ("label_ru", 7),
    ],
)
def test_a_place_form_in_the_wrong_script_is_reported(tmp_path, key, value):
    problems = _broken(tmp_path, "places.geojson", lambda data: _place(data, "place-shusha-susa").update({key: value}))
    assert any("place-shusha-susa" in p and key in p for p in problems), problems


def test_the_places_forms_are_valid_as_shipped():
    assert not [str(p) for p in validate_dataset(GEO) if "label_" in str(p)]


# ------------------------------------------------------------------------------------------- a place's history


def test_a_place_history_names_who_said_it_never_our_research_files(tmp_path):
    """`by` of a history entry is a publisher, a side or an authority, and no text a reader sees names the
    research files the data was made from; nkmap validate says where."""
    problems = _broken(
        tmp_path,
        "places.geojson",
        lambda d: _history(d, HADRUT, "Bellingcat verified").update(by="fact sheet lines.json (A): Azerbaijani-held"),
    )
    assert [p for p in problems if f"{HADRUT}: history.by names an internal research file ('fact sheet')" in p]
    assert [p for p in problems if f"{HADRUT}: history entry of 2020-10-15: by names a file" in p]

    def note(d):
        props = next(f["properties"] for f in d["features"] if f["properties"]["id"] == HADRUT)
        props["model_note"] += " Its post-war side is unresolved in lines.json."

    assert [p for p in _broken(tmp_path / "2", "places.geojson", note) if "model_note names an internal" in p]

    def copy_of_dump(d):  # where the research read a copy of GeoNames' dump is not the source: GeoNames is
        props = next(f["properties"] for f in d["features"] if f["properties"]["id"] == HADRUT)
        props["coord_source"] = (
            "GeoNames geonameid 148105 'Hadrut' (PPLA2), https://www.geonames.org/148105 ; read from the GeoNames "
            "AZ.txt country dump stored in GitHub someone/Private, path data/AZ.txt (dump rows modified up to 2026)"
        )

    found = _broken(tmp_path / "3", "places.geojson", copy_of_dump)
    assert [p for p in found if f"{HADRUT}: coord_source names an internal research file ('stored in GitHub')" in p]
    places = _json(GEO / "places.geojson")["features"]
    assert not [f for f in places if "GitHub" in str(f["properties"].get("coord_source"))]


def test_a_public_file_name_is_not_a_research_file(tmp_path):
    """A coordinate read from a published package's file (GeoNames' cities500.json) may say so."""
    places = _json(GEO / "places.geojson")["features"]
    assert any("cities500.json" in (f["properties"].get("coord_source") or "") for f in places)
    assert not [p for p in validate_dataset(GEO) if "research file" in str(p)]


def test_the_history_templates_write_each_language_s_date():
    """Texts the import makes from a template ("Held by Artsakh on 26 Sep 2020, ...") carry the date as each
    language writes it (CLDR's month names)."""
    places = {f["properties"]["id"]: f["properties"] for f in _json(GEO / "places.geojson")["features"]}
    held = [h for p in places.values() for h in p["history"] if h["text_en"].startswith("Held by Artsakh on 26 Sep")]
    assert len(held) > 20
    for h in held:
        assert "26 sentyabr 2020" in h["text_az"] and "Artsaxın" in h["text_az"]
        assert "26 սեպտեմբերի 2020" in h["text_hy"] and "Արցախի" in h["text_hy"]
        assert "26 сентября 2020" in h["text_ru"] and "Арцаха" in h["text_ru"]


# ------------------------------------------------------------------------------------------- claims and areas shown


def test_popups_and_the_panel_say_who_claimed_and_the_area_in_the_language():
    """The popup's "Claimed by …" / "Denied by …" lines and a control area's name, in the reader's language (the
    words a reader looks for are written here; the English must be gone)."""
    import datetime as dt

    from nkmap.data.dataset import load_dataset
    from nkmap.model import compare
    from nkmap.text import popups, state_text

    ds = load_dataset(GEO)
    props = next(
        f["properties"] for f in _json(GEO / "control.geojson")["features"] if f["properties"]["id"] == SHUSHA_AREA
    )
    hy = popups.claims_html(props, "hy")
    assert "Պնդել է՝ Ադրբեջանի նախագահ (Իլհամ Ալիև)" in hy and "Ilham Aliyev" not in hy
    assert "Հերքել է՝ ՀՀ ՊՆ խոսնակ Արծրուն Հովհաննիսյան" in hy and "Artsrun" not in hy
    assert "İlham Əliyev" in popups.claims_html(props, "az")
    assert "Опровергнуто: Представитель Минобороны Армении" in popups.claims_html(props, "ru")
    assert "Denied by Armenian MoD spokesman Artsrun Hovhannisyan on " in popups.claims_html(props, "en")
    assert popups.feature_name(props, "az") == "Şuşa (Şuşi) ətrafı"
    assert "Շրջակա տարածք՝ Շուշի (Շուշա)" in popups.popup_html(props, lang="hy")
    (change,) = [
        c
        for c in compare.changes_between(ds, dt.date(2020, 11, 7), dt.date(2020, 11, 8))
        if c.feature_id == SHUSHA_AREA
    ]
    assert "Окрестности: Шуша (Шуши)" in state_text.change_line(ds, change, lang="ru")
    assert "Area around Shusha / Shushi" in state_text.change_line(ds, change, lang="en")


@pytest.mark.parametrize(
    "lang,line,zone,handover",
    [
        (
            "hy",
            "Հրադադարի գիծը՝ 10 նոյեմբերի 2020",
            "Ռուս խաղաղապահների պատասխանատվության գոտին",
            "Ակնա (Աղդամ)՝ հանձնվել է Ադրբեջանին 20 նոյեմբերի 2020",
        ),
        (
            "ru",
            "Линия прекращения огня на 10 ноября 2020",
            "Зона ответственности российских миротворцев",
            "Агдам (Акна): передача Азербайджану состоялась 20 ноября 2020",
        ),
    ],
)
def test_popups_name_the_contact_line_the_zone_and_a_handover_in_the_language(lang, line, zone, handover):
    """The popup (and the hover label) of a ceasefire line, the peacekeepers' zone and a handed-over district
    is headed by the feature's name in the reader's language; the English name is gone."""
    from nkmap.text import popups
    from nkmap.text.export_text import place_name

    def props(layer: str, fid: str) -> dict:
        return next(
            f["properties"] for f in _json(GEO / f"{layer}.geojson")["features"] if f["properties"]["id"] == fid
        )

    for (layer, fid), name in [
        (("contact_line", LINE), line),
        (("peacekeepers_zone", "peacekeepers-zone-2020-11-10"), zone),
        (("transferred_districts", HANDOVER), handover),
    ]:
        record = props(layer, fid)
        shown = popups.popup_html(record, lang=lang)
        assert f'<div class="nk-title">{name}</div>' in shown, (layer, shown[:200])
        assert record["name_en"] not in shown
        assert popups.tooltip_html(record, lang=lang) == name
        assert place_name(record, lang) == name  # the site's and the HTML export's hover label
    assert "2020-11-20" in props("transferred_districts", HANDOVER)["name_en"]  # the English keeps its ISO date


@pytest.mark.parametrize(
    "lang, from_name, span_name",
    [
        ("az", "15 okt 2020 tarixindən cəbhə xətti", "Cəbhə xətti, 15 okt 2020 – 20 okt 2020"),
        ("hy", "Առաջնագիծը 15 հոկ 2020-ից", "Առաջնագիծը, 15 հոկ 2020 – 20 հոկ 2020"),
        ("ru", "Линия фронта с 15 окт. 2020", "Линия фронта, 15 окт. 2020 – 20 окт. 2020"),
    ],
)
def test_the_front_line_derived_during_the_war_is_named_in_the_language(lang, from_name, span_name):
    """The front line the model derives for a day of the war (named in English by nkmap.model.timeline) and the
    HTML export's span of days are named in the reader's language with the language's dates; English unchanged."""
    import datetime as dt

    from nkmap.model.timeline import contact_line_on
    from nkmap.text import popups
    from nkmap.text.export_text import place_name

    line = contact_line_on(load_dataset(GEO), dt.date(2020, 10, 15)).to_dict("records")[0]
    assert line["kind"] == "front_derived"
    shown = popups.popup_html(line, lang=lang)
    assert from_name in shown and "Front line" not in shown, shown[:300]
    assert place_name(line, lang).startswith(from_name)
    assert popups.feature_name(line, "en") == line["name_en"]
    span = {**line, "valid_to": dt.date(2020, 10, 20), "name_en": "Front line 15 Oct 2020 – 20 Oct 2020 (derived)"}
    assert popups.feature_name(span, lang).startswith(span_name)
