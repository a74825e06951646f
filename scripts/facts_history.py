"""Dated statements about single places that the fact sheet gives as prose (denials, acknowledgements, reports).

import_facts.py builds most of each place's history from captures.json and lines.json; these entries add the
other side's statements from facts.md / facts.json `events`, so a place shows who claimed what and when.
`src` is (date, text in the facts.json event's `place`, optional URL fragments to keep); the sources are read
from facts.json at run time. `side` is the side the statement says holds the place.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from nkmap.data.translations import HISTORY_BY_FIELDS, HISTORY_FIELDS, LANGUAGES, names_publishers, translation_key
from nkmap.text.messages import messages_for

HARUTYUNYAN_LIST = ("2020-11-09", "Shusha", ("aysor.am",))

PLACE_HISTORY = {
    ("Suqovuşan", "Tartar"): [
        {
            "date": "2020-10-03",
            "kind": "denied",
            "side": "artsakh",
            "by": "Artsakh Ministry of Defence",
            "text_en": "Artsakh's defence ministry called the claim false (date of the denial approximate); the Armenian "
            "MoD spokesman neither confirmed nor denied it.",
            "date_precision": "approximate",
            "src": ("2020-10-03", "Madagiz", ("armenews", "hetq")),
        },
        {
            "date": "2020-10-09",
            "kind": "note",
            "side": "azerbaijan",
            "by": "JAMnews (independent outlet)",
            "text_en": "JAMnews (c. 9-12 Oct) described Talish and Madagiz as taken by Azerbaijani troops.",
            "date_precision": "approximate",
            "src": ("2020-10-03", "Madagiz", ("quoterix",)),
        },
    ],
    ("Talış", "Tartar"): [
        {
            "date": "2020-10-09",
            "kind": "note",
            "side": "azerbaijan",
            "by": "JAMnews (independent outlet)",
            "text_en": "JAMnews (c. 9-12 Oct) described Talish and Madagiz as taken by Azerbaijani troops.",
            "date_precision": "approximate",
            "src": ("2020-10-03", "Talish", ("quoterix",)),
        },
        {
            "date": "2020-10-12",
            "kind": "denied",
            "side": "artsakh",
            "by": "Armenian Ministry of Defence",
            "text_en": "The Armenian MoD said Talish was fully under Armenian control.",
            "src": ("2020-10-03", "Talish", ("yerepouni",)),
        },
    ],
    ("Cəbrayıl", "Jabrayil"): [
        {
            "date": "2020-10-04",
            "kind": "denied",
            "side": "artsakh",
            "by": "Armenian Ministry of Defence",
            "text_en": "The Armenian MoD called the claim disinformation; spokeswoman Shushan Stepanyan called it a lie.",
            "src": ("2020-10-04", "Jabrayil", ("meduza", "naslovi")),
        },
        {
            "date": "2020-10-09",
            "kind": "note",
            "side": "azerbaijan",
            "by": "Azerbaijani Ministry of Defence",
            "text_en": "The Azerbaijani MoD released video from the town.",
            "src": ("2020-10-04", "Jabrayil", ("almasdar",)),
        },
        {
            "date": "2020-10-25",
            "kind": "acknowledged",
            "side": "azerbaijan",
            "by": "Armenian Ministry of Defence",
            "text_en": "An Armenian MoD map conceded Azerbaijani control of the south-east (as read by Geopolitic.org).",
            "src": ("2020-10-04", "Jabrayil", ("geopolitic",)),
        },
        {
            "date": "2020-11-10",
            "kind": "acknowledged",
            "side": "azerbaijan",
            "by": "Artsakh President Arayik Harutyunyan",
            "text_en": "Harutyunyan listed Jabrayil among the areas lost.",
            "src": HARUTYUNYAN_LIST,
        },
    ],
    ("Hadrut", "Khojavend"): [
        {
            "date": "2020-10-09",
            "kind": "denied",
            "side": "artsakh",
            "by": "Artsakh presidency; Armenian MoD spokesman Artsrun Hovhannisyan",
            "text_en": "Denied on 9-12 Oct: the Artsakh presidency called the claim a 'total lie'; Hovhannisyan: "
            "'I am in Hadrut'.",
            "src": ("2020-10-09", "Hadrut", ("armenpress", "hyetert")),
        },
        {
            "date": "2020-10-11",
            "kind": "note",
            "side": "artsakh",
            "by": "RT reporter",
            "text_en": "An RT reporter found part of the town still held by Armenian forces.",
            "src": ("2020-10-09", "Hadrut", ("rt.com",)),
        },
        {
            "date": "2020-10-14",
            "kind": "captured",
            "side": "azerbaijan",
            "by": "third-party sources, as summarised by Wikipedia",
            "text_en": "Third-party sources put Azerbaijani control of the town on 14 or 15 Oct.",
            "date_precision": "14 or 15 Oct 2020",
            "src": ("2020-10-14", "Hadrut", ()),
        },
        {
            "date": "2020-10-25",
            "kind": "denied",
            "side": "artsakh",
            "by": "Armenian Ministry of Defence",
            "text_en": "The Armenian MoD still claimed Hadrut.",
            "src": ("2020-10-09", "Hadrut", ("geopolitic",)),
        },
        {
            "date": "2020-11-10",
            "kind": "acknowledged",
            "side": "azerbaijan",
            "by": "Artsakh President Arayik Harutyunyan",
            "text_en": "Harutyunyan said the Hadrut region was 'mostly' lost; Armenia never announced a date for the "
            "town's fall (FIP.am).",
            "src": ("2020-10-09", "Hadrut", ("aysor.am", "fip.am")),
        },
    ],
    ("Füzuli", "Fuzuli"): [
        {
            "date": "2020-10-17",
            "kind": "note",
            "side": None,
            "by": "Armenian Ministry of Defence",
            "text_en": "The Armenian MoD made no comment that day.",
            "src": ("2020-10-17", "Fuzuli", ("almasdar",)),
        },
        {
            "date": "2020-10-25",
            "kind": "denied",
            "side": "artsakh",
            "by": "Armenian Ministry of Defence",
            "text_en": "The Armenian MoD still claimed Fuzuli (Varanda) was under Armenian control.",
            "src": ("2020-10-17", "Fuzuli", ("geopolitic",)),
        },
        {
            "date": "2020-11-10",
            "kind": "acknowledged",
            "side": "azerbaijan",
            "by": "Artsakh President Arayik Harutyunyan",
            "text_en": "Harutyunyan listed Fizuli among the areas lost.",
            "src": HARUTYUNYAN_LIST,
        },
    ],
    ("Zəngilan", "Zangilan"): [
        {
            "date": "2020-10-20",
            "kind": "note",
            "side": None,
            "by": "Artsakh President Arayik Harutyunyan",
            "text_en": "Harutyunyan said the heaviest fighting was in the Kovsakan area; the Armenian MoD indirectly "
            "confirmed a general retreat (Caucasian Knot).",
            "src": ("2020-10-20", "Zangilan", ("caucasianknot",)),
        },
        {
            "date": "2020-11-10",
            "kind": "acknowledged",
            "side": "azerbaijan",
            "by": "Artsakh President Arayik Harutyunyan",
            "text_en": "Harutyunyan listed Zangelan among the areas lost.",
            "src": HARUTYUNYAN_LIST,
        },
    ],
    ("Qubadlı", "Qubadli"): [
        {
            "date": "2020-11-10",
            "kind": "acknowledged",
            "side": "azerbaijan",
            "by": "Artsakh President Arayik Harutyunyan",
            "text_en": "Harutyunyan listed Kubatlu among the areas lost.",
            "src": HARUTYUNYAN_LIST,
        },
    ],
    ("Şuşa", "Shusha"): [
        {
            "date": "2020-11-08",
            "kind": "denied",
            "side": "artsakh",
            "by": "Armenian MoD spokesman Artsrun Hovhannisyan",
            "text_en": "The Armenian MoD said the battles for Shushi continued.",
            "src": ("2020-11-08", "Shusha", ("unian",)),
        },
        {
            "date": "2020-11-09",
            "kind": "denied",
            "side": "artsakh",
            "by": "Armenian PM Nikol Pashinyan",
            "text_en": "Pashinyan said the fighting for Shushi continued, the evening after Artsakh's acknowledgement.",
            "src": ("2020-11-09", "Shusha", ("urdupoint",)),
        },
        {
            "date": "2020-11-10",
            "kind": "acknowledged",
            "side": "azerbaijan",
            "by": "Artsakh President Arayik Harutyunyan",
            "text_en": "Harutyunyan said control of Shushi was lost completely on 7 Nov and the main control from 5 Nov.",
            "src": ("2020-11-09", "Shusha", ("aysor.am", "darelhilal")),
        },
    ],
    ("Ağdam", "Aghdam"): [
        {
            "date": "2020-11-20",
            "kind": "handed_over",
            "side": "azerbaijan",
            "by": "Azerbaijani Ministry of Defence",
            "text_en": "The Azerbaijani army entered Aghdam district under point 2 of the statement.",
            "src": ("2020-11-20", "Aghdam", ()),
        },
    ],
    ("Kəlbəcər", "Kalbajar"): [
        {
            "date": "2020-11-15",
            "kind": "note",
            "side": "artsakh",
            "by": "Azerbaijani presidential aide Hikmet Hajiyev",
            "text_en": "The handover due on 15 Nov was postponed to 25 Nov at Armenia's request, passed via Russia.",
            "src": ("2020-11-15", "Kalbajar", ()),
        },
        {
            "date": "2020-11-25",
            "kind": "handed_over",
            "side": "azerbaijan",
            "by": "Azerbaijani Ministry of Defence",
            "text_en": "The Azerbaijani army entered Kalbajar district from the Dashkasan and Goygol directions.",
            "src": ("2020-11-25", "Kalbajar", ()),
        },
    ],
    ("Laçın", "Lachin"): [
        {
            "date": "2020-12-01",
            "kind": "note",
            "side": None,
            "by": "Azerbaijani Ministry of Defence (TASS, AFP)",
            "text_en": "Lachin district was handed over; the town stayed in the Lachin corridor under Russian "
            "peacekeepers.",
            "src": ("2020-12-01", "Lachin district", ()),
        },
        {
            "date": "2022-08-25",
            "kind": "handed_over",
            "side": "azerbaijan",
            "by": "Armenian sources (CivilNet, Artsakhpress)",
            "text_en": "Armenian sources date the handover to 25 Aug 2022, when residents had to leave.",
            "src": ("2022-08-25", "Berdzor", ("civilnet",)),
        },
    ],
    ("Zabux", "Lachin"): [
        {
            "date": "2022-08-25",
            "kind": "handed_over",
            "side": "azerbaijan",
            "by": "Armenian sources (CivilNet, Artsakhpress)",
            "text_en": "Armenian sources date the handover of Aghavno to 25 Aug 2022, when residents had to leave.",
            "src": ("2022-08-25", "Berdzor", ("civilnet",)),
        },
    ],
    ("Sus", "Lachin"): [
        {
            "date": "2022-08-25",
            "kind": "handed_over",
            "side": "azerbaijan",
            "by": "Armenian sources (CivilNet, Artsakhpress)",
            "text_en": "Armenian sources date the handover of Nerkin Sus to 25 Aug 2022, when residents had to leave.",
            "src": ("2022-08-25", "Berdzor", ("civilnet",)),
        },
    ],
    ("Xudavəng", "Kalbajar"): [
        {
            "date": "2024-04-10",
            "kind": "note",
            "side": "azerbaijan",
            "by": "AzVision (Azerbaijani media)",
            "text_en": "Russian peacekeepers left the monastery and Azerbaijani police took over guarding it.",
            "date_precision": "approximate",
            "src": ("2024-04-10", "Khudavang", ()),
        },
    ],
}

# Places whose modelled date is not the first Azerbaijani announcement, and why (captures.md / lines.md Cautions).
MODEL_OVERRIDES = {
    ("Hadrut", "Khojavend"): {
        "date": "2020-10-15",
        "confidence": "medium",
        "note": "Claimed on 9 Oct 2020, but reporters filmed the town in Armenian hands on 9-11 Oct and the Armenian "
        "MoD still claimed it on 25 Oct; third-party sources put the fall on 14-15 Oct, so the model uses "
        "15 Oct (the later day, when both agree it had fallen).",
    },
    ("Talış", "Tartar"): {
        "date": "2020-10-03",
        "confidence": "medium",
        "note": "Claimed on 3 Oct 2020; the Armenian MoD said on 12 Oct it was under Armenian control. Wikipedia and JAMnews date the "
        "Azerbaijani capture to 3 Oct and Azerbaijan held it after the war, so the model keeps 3 Oct and "
        "records the denial in the history.",
    },
    ("Şuşakənd", "Khojaly"): {
        "date": "2023-09-20",
        "kind": "offensive",
        "confidence": "medium",
        "note": "Announced as captured on 9 Nov 2020 but stayed under Artsakh after the ceasefire, so the "
        "model does not change it in 2020; it passes with the 20 Sep 2023 ceasefire and "
        "disarmament (no place-specific date in the sources).",
    },
    ("Muxtar", "Khojaly"): {
        "date": "2023-09-20",
        "kind": "offensive",
        "confidence": "medium",
        "note": "Announced as captured on 9 Nov 2020 but Armenian-inhabited 'at the very foot' of Shusha in 2021 "
        "so the model does not change it in 2020; it passes with the 20 Sep 2023 ceasefire and disarmament "
        "(no place-specific date in the sources).",
    },
    ("Murovdağ", "Kalbajar"): {
        "date": "2020-11-25",
        "kind": "handed_over",
        "confidence": "low",
        "note": "Azerbaijan's MoD announced on 27 Sep 2020 that 'important heights' of the Murovdag ridge had been "
        "taken: a claim about some heights of a ridge about 70 km long, not the whole of it. This point is "
        "only the ridge's centre, inside Kalbajar district, which Armenian forces held until its handover on "
        "25 Nov 2020, so the model shows the point passing with the district; the 27 Sep claim stays in the "
        "history as a claim.",
    },
    ("Köhnə Tağlar", "Khojavend"): {
        "date": "2020-12-12",
        "kind": "captured",
        "confidence": "high",
        "note": "Held by Armenian forces at the 10 Nov 2020 ceasefire; taken by Azerbaijani forces on 12 Dec 2020 "
        "(Azerbaijan called it a 'counter-terrorist operation'; no Azerbaijani capture claim was found).",
    },
    ("Çaylaqqala", "Khojavend"): {
        "date": "2020-12-12",
        "kind": "captured",
        "confidence": "high",
        "note": "Held by Armenian forces at the 10 Nov 2020 ceasefire; taken on 12-13 Dec 2020 (the sources "
        "differ by a day; the earlier, 12 Dec, is used).",
    },
}


# ---------------------------------------------------------------- the history in az, hy and ru
#
# Texts import_facts.py makes from a template (a side, a date) are translated by the same template in each language,
# the date written by Babel as the card writes dates (`Messages.day`); every other text and every `by` that is not a
# publisher's name is translated once in history_translations.json (English -> az, hy, ru), the project's
# translation for native review. Publishers' names are never translated.

TRANSLATIONS_FILE = Path(__file__).resolve().parent / "history_translations.json"

#: A side as the templates name it, in the genitive each language's template needs ("under the control of X").
SIDE_GENITIVE = {
    "Artsakh": {"az": "Artsaxın", "hy": "Արցախի", "ru": "Арцаха"},
    "Azerbaijan": {"az": "Azərbaycanın", "hy": "Ադրբեջանի", "ru": "Азербайджана"},
}

#: English pattern (as import_facts.py writes it) -> the date it names (None: none) and each language's template.
HISTORY_TEMPLATES: list[tuple[re.Pattern[str], dt.date | None, dict[str, str]]] = [
    (
        re.compile(r"Held by (?P<side>Artsakh|Azerbaijan) on 26 Sep 2020, the day before the war\."),
        dt.date(2020, 9, 26),
        {
            "az": "Müharibədən bir gün əvvəl, {date}, {side} nəzarətində idi.",
            "hy": "Պատերազմից մեկ օր առաջ՝ {date}, գտնվում էր {side} վերահսկողության տակ։",
            "ru": "{date}, за день до войны, находился под контролем {side}.",
        },
    ),
    (
        re.compile(r"Held by (?P<side>Artsakh|Azerbaijan) on the post-war line in 2021\."),
        dt.date(2021, 1, 1),
        {
            "az": "{year}-ci ildə müharibədən sonrakı xətdə {side} nəzarətində idi.",
            "hy": "{year} թ. հետպատերազմյան գծում գտնվում էր {side} վերահսկողության տակ։",
            "ru": "В {year} г. на послевоенной линии находился под контролем {side}.",
        },
    ),
    (
        re.compile(r"Held by (?P<side>Artsakh|Azerbaijan) when the ceasefire took effect\."),
        None,
        {
            "az": "Atəşkəs qüvvəyə minəndə {side} nəzarətində idi.",
            "hy": "Հրադադարն ուժի մեջ մտնելու պահին գտնվում էր {side} վերահսկողության տակ։",
            "ru": "На момент вступления в силу прекращения огня находился под контролем {side}.",
        },
    ),
    (
        re.compile(r"Capture announced by (?P<who>.+)\."),
        None,
        {
            "az": "Ələ keçirilməsini elan edən: {who}.",
            "hy": "Գրավման մասին հայտարարեց՝ {who}։",
            "ru": "О взятии объявил: {who}.",
        },
    ),
]


def read_translations(path: Path = TRANSLATIONS_FILE) -> dict[str, dict[str, dict[str, str]]]:
    """{"text": {English: {lang: text}}, "by": {English: {lang: text}}} from history_translations.json."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"text": data.get("text", {}), "by": data.get("by", {})}


def text_translations(english: str, table: dict[str, dict[str, dict[str, str]]]) -> dict[str, str] | None:
    """A history text in az, hy and ru: by its template when import_facts.py made it from one, else the table's."""
    for pattern, day, forms in HISTORY_TEMPLATES:
        match = pattern.fullmatch(english)
        if not match:
            continue
        out = {}
        for lang in LANGUAGES:
            values = {"date": messages_for(lang).day(day) if day else "", "year": str(day.year) if day else ""}
            if "side" in match.groupdict():
                values["side"] = SIDE_GENITIVE[match["side"]][lang]
            if "who" in match.groupdict():
                who = table["by"].get(match["who"])
                if not who:
                    return None
                values["who"] = who[lang]
            out[lang] = forms[lang].format(**values)
        return out
    return table["text"].get(english)


def translate_history(props: dict, table: dict, publishers_of) -> list[str]:
    """Write text_az/hy/ru (and by_az/hy/ru where `by` is not its sources' publishers) into each history entry
    of a place; the English texts left without a translation are returned (import_facts.py lists them)."""
    missing = []
    for entry in props.get("history") or []:
        for key in [k for k in entry if re.fullmatch(r"(text|by)_(az|hy|ru)", k)]:
            del entry[key]
        texts = text_translations(entry["text_en"], table)
        if texts is None:
            missing.append(f"text: {entry['text_en']}")
        else:
            entry.update({translation_key(HISTORY_FIELDS["text_en"], lang): texts[lang] for lang in LANGUAGES})
        if names_publishers(entry.get("by"), publishers_of(entry)):
            continue
        by = table["by"].get(entry["by"])
        if by is None:
            missing.append(f"by: {entry['by']}")
        else:
            entry.update({translation_key(HISTORY_BY_FIELDS["by"], lang): by[lang] for lang in LANGUAGES})
    return missing
