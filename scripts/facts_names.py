"""Name handling for scripts/import_facts.py: clean the fact sheet's name strings, derive ids, match places.

The fact sheet writes names with commentary ("Akna (Ակնա) since 2010; also Aghdam (Աղդամ)"); the dataset wants one
primary name per language plus a list of every other spelling, so nothing seen in a source is lost.
"""

from __future__ import annotations

import math
import re
import unicodedata

ARMENIAN = re.compile(r"[\u0531-\u058F]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# A Latin form followed by its Armenian script, e.g. "Shushi (Շուշի)" or "T'alish (Թալիշ)".
LATIN_WITH_ARMENIAN = re.compile(r"([A-Z][\w'’\- ]*?)\s*\(([\u0531-\u058F][\u0531-\u058F \-]*)\)")
# Words that mark a parenthesis or a trailing clause as commentary rather than a name.
COMMENTARY = re.compile(
    r"GeoNames|as used|used by|historical|official|renamed|since|former|until|also|reported|"
    r"per |spelling|not confirmed|tweet|\d{3,4} m\b|village|settlement|town|height|city",
    re.IGNORECASE,
)

# Azerbaijani Latin -> the English transliteration the fact sheet uses (Qaraxanbəyli -> Garakhanbayli).
AZ_TO_EN = str.maketrans(
    {
        "ə": "a",
        "Ə": "A",
        "ı": "i",
        "I": "I",
        "İ": "I",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "ğ": "gh",
        "Ğ": "Gh",
        "x": "kh",
        "X": "Kh",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
        "q": "g",
        "Q": "G",
        "c": "j",
        "C": "J",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII skeleton of a name, for comparing spellings (Şuşa -> susa, T'alish -> talish)."""
    text = text.replace("ə", "a").replace("Ə", "a").replace("ı", "i").replace("İ", "i")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def slug(text: str) -> str:
    """An id fragment from a name: ASCII, lower case, hyphens (Cəbrayıl -> cabrayil, Qarxulu -> qarxulu)."""
    text = text.replace("ə", "a").replace("Ə", "a").replace("ı", "i").replace("İ", "i")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def az_to_en(name: str) -> str:
    """The English rendering of an Azerbaijani Latin name, used when no source gives one."""
    return name.translate(AZ_TO_EN)


def split_name(raw: str | None) -> tuple[str | None, list[str]]:
    """(primary name, other spellings) from one fact-sheet name string; commentary is dropped.

    "Yenikənd (GeoNames alt.)" is not a primary name at all: GeoNames alternate names are unreliable here
    (lines.md, Cautions), so such a form only becomes a variant.
    """
    if not raw or not raw.strip():
        return None, []
    raw = re.sub(r"\s+[—–-]\s+.*$", "", raw.strip())  # "Hakari bridge — spelling not confirmed" -> commentary
    if re.search(r"\(GeoNames alt\.?\)", raw):
        return None, [re.sub(r"\s*\(GeoNames alt\.?\)", "", raw).strip()]
    first, *rest = [seg.strip() for seg in re.split(r";\s*", raw)]
    variants: list[str] = []
    pairs = LATIN_WITH_ARMENIAN.findall(first)
    if pairs:
        primary = f"{pairs[0][0].strip()} ({pairs[0][1].strip()})"
        for latin, arm in pairs[1:]:
            variants.append(f"{latin.strip()} ({arm.strip()})")
        # Latin alternates written as "A / B (Armenian)" before the first pair.
        for part in re.split(r"\s*/\s*", first.split("(")[0]):
            part = part.strip(" ,")
            if part and fold(part) != fold(pairs[0][0]):
                variants.append(part)
        trailing = re.sub(r"^.*\)", "", first).strip()
        if trailing:
            rest.insert(0, trailing)
    else:
        paren = re.findall(r"\(([^)]*)\)", first)
        base = re.sub(r"\s*\([^)]*\)", "", first).strip()
        parts = [p.strip() for p in re.split(r"\s*/\s*", base) if p.strip()]
        primary = parts[0] if parts else None
        variants += parts[1:]
        rest = paren + rest
    for seg in rest:
        variants += _names_in(seg)
    return primary, _unique([v for v in variants if v and v != primary])


def _names_in(text: str) -> list[str]:
    """Name-like fragments of a commentary string ("also reported as Mekhakavan/Мехакаван by Meduza")."""
    if not COMMENTARY.search(text):
        return [p.strip() for p in re.split(r"\s*[/,]\s*", text) if p.strip()[:1].isupper()]
    out = []
    for latin, arm in LATIN_WITH_ARMENIAN.findall(text):
        out.append(f"{latin.strip()} ({arm.strip()})")
    if not out:
        # Capitalised words and Cyrillic words that are not commentary vocabulary.
        for word in re.findall(r"[A-ZА-Я][\w’'\-]+", text):
            if not COMMENTARY.fullmatch(word) and word not in {
                "GeoNames",
                "Meduza",
                "Artsakh",
                "Azerbaijani",
                "Wikipedia",
                "MoD",
                "Armenian",
                "Russian",
            }:
                out.append(word)
    return out


def _unique(items: list[str]) -> list[str]:
    seen, out = set(), []
    for item in items:
        key = item.strip()
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    return out


def latin_part(name_hy: str | None) -> str | None:
    """The Latin transliteration of a "Latin (Armenian)" name."""
    if not name_hy:
        return None
    return name_hy.split("(")[0].strip() or None


def name_keys(*names: str | None) -> set[str]:
    """Folded forms of every name and of each part of "A / B" and "A (B)" names, for matching places."""
    keys = set()
    for name in names:
        if not name:
            continue
        for part in re.split(r"\s*/\s*|\(|\)|;", name):
            part = part.strip()
            if part and not ARMENIAN.search(part) and not COMMENTARY.search(part):
                k = fold(part)
                if len(k) >= 3:
                    keys.add(k)
    return keys


def script_of(name: str) -> str | None:
    """'latin', 'cyrillic' or 'armenian' for a GeoNames alternate name; None for any other script."""
    letters = [ch for ch in name if ch.isalpha()]
    if not letters:
        return None
    if all(ARMENIAN.match(ch) for ch in letters):
        return "armenian"
    if all(CYRILLIC.match(ch) for ch in letters):
        return "cyrillic"
    if all("LATIN" in unicodedata.name(ch, "") for ch in letters):
        return "latin"
    return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in km."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# The Russian alphabet alone: a GeoNames record's Cyrillic alternates mix Russian with Azerbaijani Cyrillic
# (ә ғ җ һ ө ү), Chechen (Ӏ and a vowel before ь: "Каьрваьнд"), Ukrainian (і ї є ґ) and others.
RUSSIAN_WORD = re.compile(r"[А-ЯЁ][а-яё]*(?:[ -][А-ЯЁа-яё][а-яё]*)*")
NOT_RUSSIAN_DIGRAPH = re.compile(r"[аеёиоуыэюя]ь", re.IGNORECASE)


def is_russian(name: str) -> bool:
    """Whether a name is written in the Russian alphabet only ("Агдам", "Баш-Карвенд"; not "Кәнгәрли", "Чимаьн")."""
    return bool(RUSSIAN_WORD.fullmatch(name)) and not NOT_RUSSIAN_DIGRAPH.search(name)


def russian_name(names: list[str]) -> str | None:
    """The Russian name among a place's GeoNames alternates: the one candidate in the Russian alphabet alone, or
    None when there is none or more than one (geo/SOURCES.md, "Names by language": no guessing between them)."""
    found = list(dict.fromkeys(n.strip() for n in names if is_russian(n.strip())))
    return found[0] if len(found) == 1 else None
