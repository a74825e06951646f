"""Find a place from any of its names, and read its history: the search behind `nkmap place` and the app's box.

Names differ by side, language and transliteration (Shusha / Şuşa / Shushi / Шуша / Շուշի). Every name is
reduced to a `spelling_key` in which the usual transliterations coincide (ə/a/e, ı/i/y, ş/sh/s, ç/ch/c/j,
ğ/gh/g/q/k, x/kh/h, ü/u, ö/o, Cyrillic and Armenian script), and the search ranks exact names, same keys,
prefixes, substrings and, when nothing else matches, similar keys ("did you mean").
The index is built once per dataset and kept in its `GazetteerCaches`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Iterable

from nkmap.data.dataset import Dataset, as_list, iso_date, plain_value
from nkmap.data.memo import Once
from nkmap.data.translations import HISTORY_BY_FIELDS, HISTORY_FIELDS, translated_keys
from nkmap.model.timeline import WAR_START, epoch_bounds, epoch_count, places_on
from nkmap.model.worded import N_, WordedError

MAX_QUERY_CHARS = 100  # the longest name in the data is under 100 characters; longer input is not a name
FUZZY_CUTOFF = 0.72  # difflib ratio on spelling keys below which a name is not offered as "did you mean"
MIN_FUZZY_KEY = 3  # keys shorter than this are too short to be compared by similarity

# How a name matched, best first; `Match.tier` is the index into this tuple.
TIERS = ("name", "spelling", "prefix", "contains", "similar")
TYPE_RANK = {"city": 0, "town": 1, "settlement": 2, "village": 3, "height": 4, "crossing": 5, "landmark": 6}

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Ukrainian and Belarusian (GeoNames carries both), then Azerbaijani Cyrillic (1939-1991).
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ў": "u",
    "ґ": "g",
    "ә": "e",
    "ғ": "gh",
    "ҝ": "g",
    "ҹ": "j",
    "җ": "j",
    "һ": "h",
    "ө": "o",
    "ү": "u",
    "ј": "y",
    "қ": "q",
    "џ": "j",
    "ӏ": "",  # Serbian dž (Хоџали); the palochka of Caucasian Cyrillic
}
_ARMENIAN = {
    "ա": "a",
    "բ": "b",
    "գ": "g",
    "դ": "d",
    "ե": "e",
    "զ": "z",
    "է": "e",
    "ը": "y",
    "թ": "t",
    "ժ": "zh",
    "ի": "i",
    "լ": "l",
    "խ": "kh",
    "ծ": "ts",
    "կ": "k",
    "հ": "h",
    "ձ": "dz",
    "ղ": "gh",
    "ճ": "ch",
    "մ": "m",
    "յ": "y",
    "ն": "n",
    "շ": "sh",
    "ո": "o",
    "չ": "ch",
    "պ": "p",
    "ջ": "j",
    "ռ": "r",
    "ս": "s",
    "վ": "v",
    "տ": "t",
    "ր": "r",
    "ց": "ts",
    "ւ": "v",
    "փ": "p",
    "ք": "k",
    "օ": "o",
    "ֆ": "f",
    "և": "ev",
}
# Letters NFKD does not decompose into a base letter and a mark.
_LATIN = {"ə": "e", "ı": "i", "ß": "ss", "ø": "o", "æ": "ae", "đ": "d", "ł": "l", "ǝ": "e"}
_TRANSLIT = {**_CYRILLIC, **_LATIN}
_SCRIPT = re.compile(r"[\u0400-\u04FF\u0531-\u058F]")  # Cyrillic or Armenian letters
_ARMENIAN_WORD = re.compile(r"[\u0561-\u0587]+")
# Spelling equivalences, longest first: each maps a transliteration's letters to one key letter. The back
# consonants merge because Russian renders h, ğ and x each with г or х (Гадрут = Hadrut, Тахлар = Tağlar).
_KEY_RULES = {
    "dzh": "c",
    "tsch": "c",
    "tch": "c",
    "dj": "c",
    "zh": "c",
    "ch": "c",
    "j": "c",
    "sch": "s",
    "sh": "s",
    "sz": "s",
    "sj": "s",
    "kh": "k",
    "x": "k",
    "h": "k",
    "gh": "k",
    "ck": "k",
    "g": "k",
    "q": "k",
    "ph": "p",
    "th": "t",
    "ow": "u",
    "w": "v",
    "ou": "u",
    "e": "a",
    "y": "i",
}
_KEY_PATTERN = re.compile("|".join(sorted(_KEY_RULES, key=len, reverse=True)))
_REPEATS = re.compile(r"(.)\1+")
# An i between a consonant and a back vowel is the softening of Russian ё/ю/я and of English 'yu' for ü
# (Гёразыллы = Gorazıllı, Кюратах = Kuratağ, Абдаляр = Abdallar): it is dropped.
_SOFTENING = re.compile(r"(?<=[bcdfklmnprstvz])i(?=[aou])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


class QueryError(WordedError, ValueError):
    """A query that cannot be searched (empty, too long); the message says what to type instead."""


def _armenian_word(match: re.Match) -> str:
    word = match.group(0).replace("ու", "u")
    out = []
    for i, ch in enumerate(word):
        if i == 0 and ch == "ե":
            out.append("ye")  # word-initial ye (Yeghtsahogh), vo (Vorotan): the usual English renderings
        elif i == 0 and ch == "ո":
            out.append("vo")
        else:
            out.append(_ARMENIAN.get(ch, ch))
    return "".join(out)


def fold(text: str) -> str:
    """A name as plain lower-case Latin words: case, diacritics and script dropped ('Şuşa' -> 'susa',
    'Шуша' -> 'shusha', 'Ստեփանակերտ' -> 'stepanakert', 'Kəlbəcər' -> 'kelbecer')."""
    text = unicodedata.normalize("NFC", str(text or "")).lower()
    text = _ARMENIAN_WORD.sub(_armenian_word, text)
    text = "".join(_TRANSLIT.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"['’ʼ`]", "", text).translate(_NON_ALNUM).split())


class _NonAlnum(dict):
    """str.translate table mapping every character that is not an ASCII letter or digit to a space."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        self[code] = code if ("a" <= ch <= "z" or "0" <= ch <= "9") else 32
        return self[code]


_NON_ALNUM = _NonAlnum()


def spelling_key(text: str) -> str:
    """The name reduced so that its usual transliterations coincide (no spaces): 'Kəlbəcər', 'Kalbajar' and
    'Kelbajar' -> 'kalbacar'; 'Cəbrayıl', 'Jebrail', 'Джебраил' -> 'cabrail'; 'Xankəndi', 'Khankendi' -> 'kankandi'."""
    return "".join(_word_key(w) for w in fold(text).split())


def _word_key(word: str) -> str:
    key = _REPEATS.sub(r"\1", _KEY_PATTERN.sub(lambda m: _KEY_RULES[m.group(0)], word))
    key = _SOFTENING.sub("", key)
    # Armenian writes a word-initial o as ո, rendered 'vo' (Որդեկլի = Ordəkli, Vorotan = Orotan).
    return key[1:] if key.startswith("vo") else key


def fold_tables() -> dict[str, Any]:
    """What `fold` and `spelling_key` use, for the explorer page's script (nkmap.client's place-search.js), which
    folds a typed query exactly as this module folds the names it searches (a browser test compares the two):
    the letter tables, the key rules in the order the pattern tries them, the combining marks NFKD leaves
    (as code point ranges: JavaScript has no `unicodedata.combining`) and the query limits."""
    return {
        "translit": dict(_TRANSLIT),
        "armenian": dict(_ARMENIAN),
        "keyRules": [[k, _KEY_RULES[k]] for k in sorted(_KEY_RULES, key=len, reverse=True)],
        "combining": _combining_ranges(),
        "maxQuery": MAX_QUERY_CHARS,
        "fuzzyCutoff": FUZZY_CUTOFF,
        "minFuzzyKey": MIN_FUZZY_KEY,
    }


def _combining_ranges() -> list[list[int]]:
    """[first, last] code points of each run of characters with a combining class (what `fold` drops)."""
    out: list[list[int]] = []
    for code in range(0x110000):
        if unicodedata.combining(chr(code)):
            if out and out[-1][1] == code - 1:
                out[-1][1] = code
            else:
                out.append([code, code])
    return out


def clean_query(text: Any) -> str:
    """The query as it will be searched, or a QueryError saying why it cannot be (empty, not a name, too long)."""
    raw = _CONTROL.sub(" ", str(text if text is not None else "")).strip()
    if not raw:
        raise QueryError(N_("the query is empty: type part of a place's name, e.g. Shusha, Şuşa or Шуша"))
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(
            N_("the query is {length} characters long; a place name is at most {most}"),
            length=f"{len(raw):,}",
            most=MAX_QUERY_CHARS,
        )
    if not spelling_key(raw):
        raise QueryError(N_("'{query}' has no letters or digits to search for"), query=shown(raw))
    return raw


def shown(text: Any, limit: int = 40) -> str:
    """User text made safe to echo in a message: control characters removed, cut to `limit` characters."""
    raw = " ".join(_CONTROL.sub(" ", str(text if text is not None else "")).split())
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"


# ---------------------------------------------------------------- the places as plain records


@dataclass(frozen=True)
class PlaceRecord:
    """One place's properties as plain Python values, plus its position."""

    id: str
    props: dict[str, Any]
    lon: float
    lat: float

    def get(self, key: str, default: Any = None) -> Any:
        value = self.props.get(key)
        return default if value is None else value


def places(ds: Dataset) -> dict[str, PlaceRecord]:
    """Every place by id (built once per dataset)."""
    return _caches(ds).places.get_or_make(lambda: _places(ds))


def _places(ds: Dataset) -> dict[str, PlaceRecord]:
    frame = ds.layers["places"]
    out = {}
    for row in frame.to_dict("records"):
        geom = row.pop("geometry", None)
        props = {k: plain_value(v) for k, v in row.items()}
        for key in ("names_variant", "sources", "notes", "history", "geonameids", "from_sets"):
            props[key] = as_list(props.get(key))
        props["history"] = [h for h in props["history"] if isinstance(h, dict)]
        for key in ("capture_claimed_on", "capture_modelled_on"):
            props[key] = _date_or_none(props.get(key))
        out[props["id"]] = PlaceRecord(props["id"], props, float(geom.x), float(geom.y))
    return out


def place(ds: Dataset, place_id: str) -> PlaceRecord:
    """The place with this id, or KeyError naming it."""
    try:
        return places(ds)[place_id]
    except KeyError:
        raise KeyError(f"no place with id '{shown(place_id)}' in {ds.geo_dir}") from None


def _date_or_none(value: Any) -> dt.date | None:
    try:
        return iso_date(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- names and the index


QUALIFIERS = frozenset(TYPE_RANK) | {"armenia", "azerbaijan", "iran", "district", "rayon", "region"}


def _qualifiers(ds_places: Iterable[PlaceRecord]) -> set[str]:
    """Words in parentheses that qualify a name rather than being one: types, countries, districts."""
    words = set(QUALIFIERS)
    for rec in ds_places:
        for key in ("district", "country"):
            if rec.get(key):
                words.add(fold(rec.get(key)))
    return words


def name_forms(raw: str, qualifiers: AbstractSet[str] = frozenset()) -> list[str]:
    """A data name string and the names inside it: 'Aghdam / Akna' -> also 'Aghdam', 'Akna';
    'Shushi (Շուշի)' -> also 'Shushi', 'Շուշի'; commentary after ' - ' and qualifiers like '(town)' dropped."""
    raw = " ".join(str(raw or "").split())
    if not raw:
        return []
    head = re.split(r"\s+[-–—]\s+", raw)[0]  # "Kanach Tala (Goytala) - start of the new section": commentary
    forms = [head]
    for part in re.split(r"\s*/\s*|\s*[()]\s*|;\s*|,\s+", head):
        part = part.strip(" ,.")
        if part and fold(part) not in qualifiers and part not in forms and spelling_key(part):
            forms.append(part)
    return forms


@dataclass(frozen=True)
class IndexedName:
    place_id: str
    name: str  # as written in the data
    folded: str
    key: str
    word_keys: tuple[str, ...]  # the key from each word's start to the end of the name
    primary: bool  # from name_en, name_az, name_hy or name_ru rather than the variants


@dataclass
class Index:
    """Every name of every place with its folded form and spelling key."""

    names: list[IndexedName]
    rank: dict[str, tuple]  # place id -> tie-break (type, name length, name)
    by_key: dict[str, list[int]] = field(default_factory=dict)
    by_folded: dict[str, list[int]] = field(default_factory=dict)
    fuzzy_keys: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for i, n in enumerate(self.names):
            self.by_key.setdefault(n.key, []).append(i)
            self.by_folded.setdefault(n.folded, []).append(i)
        self.fuzzy_keys = sorted(k for k in self.by_key if len(k) >= MIN_FUZZY_KEY)


def build_index(
    entries: Iterable[tuple[str, Iterable[str], Iterable[str], str, str]], qualifiers: Iterable[str] = QUALIFIERS
) -> Index:
    """An index from (place id, primary names, other names, type, English name) entries; names are data strings,
    split into their forms here ('(town)', '(Aghjabadi)' and other `qualifiers` are not names)."""
    qualifiers = set(qualifiers)
    names: list[IndexedName] = []
    rank = {}
    for place_id, primary, others, kind, name_en in entries:
        seen = set()
        for is_primary, group in ((True, primary), (False, others)):
            for raw in group:
                for form in name_forms(raw, qualifiers):
                    folded = fold(form)
                    if not folded or (folded, is_primary) in seen or (folded, True) in seen:
                        continue
                    seen.add((folded, is_primary))
                    words = folded.split()
                    word_keys = tuple("".join(_word_key(w) for w in words[i:]) for i in range(len(words)))
                    names.append(IndexedName(place_id, form, folded, word_keys[0], word_keys, is_primary))
        rank[place_id] = (TYPE_RANK.get(kind, 9), len(name_en or ""), name_en or place_id)
    return Index(names, rank)


def index(ds: Dataset) -> Index:
    """The dataset's name index (built once and kept in the dataset's `GazetteerCaches`)."""
    return _caches(ds).index.get_or_make(lambda: _index(ds))


def _index(ds: Dataset) -> Index:
    recs = list(places(ds).values())
    return build_index(
        (
            (
                r.id,
                [r.get("name_en"), r.get("name_az"), r.get("name_hy"), r.get("name_ru")],
                r.get("names_variant", []),
                r.get("type"),
                r.get("name_en"),
            )
            for r in recs
        ),
        _qualifiers(recs),
    )


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class Match:
    """One place found by a query: how well (`tier`, `how`, `score`) and through which of its names."""

    place_id: str
    name_en: str
    name_az: str | None
    name_hy: str | None
    district: str | None
    country: str | None
    type: str | None
    matched_name: str
    tier: int
    score: float  # orders matches within a tier: similarity for 'similar', word start (1.0) vs inside (0.9)

    @property
    def how(self) -> str:
        return TIERS[self.tier]

    @property
    def did_you_mean(self) -> bool:
        """Only similar, not matching: offered as a suggestion, not as an answer."""
        return TIERS[self.tier] == "similar"

    @property
    def label(self) -> str:
        """A one-line plain-text label for a suggestion list: names, type and district, and the spelling that
        matched when it is not already shown ('Shusha / Shushi (Şuşa) - city, Shusha district; matched Шуша')."""
        local = [n for n in (self.name_az, self.name_hy) if n and fold(n).split()[0] not in fold(self.name_en)]
        where = f"{self.district} district" if self.district else (self.country or "")
        text = self.name_en + (f" ({' / '.join(local)})" if local else "")
        text += " - " + ", ".join(t for t in (self.type, where) if t)
        if fold(self.matched_name) not in fold(text):
            text += f"; matched {self.matched_name}"
        return text


def search(ds: Dataset, query: Any, limit: int = 10) -> list[Match]:
    """The places whose names match `query`, best first, one entry per place.

    Never raises: an empty or unusable query gives []; a query over MAX_QUERY_CHARS is cut to that length.
    Similar-but-not-matching names (tier 'similar') are returned only when nothing matches."""
    return search_index(index(ds), places(ds), query, limit)


def search_index(idx: Index, recs: dict[str, PlaceRecord] | None, query: Any, limit: int = 10) -> list[Match]:
    """`search` on a given index (tests build indexes from a subset of the names)."""
    raw = _CONTROL.sub(" ", str(query if query is not None else ""))[:MAX_QUERY_CHARS]
    q_fold = fold(raw)
    q_key = "".join(_word_key(w) for w in q_fold.split())
    if not q_key or limit <= 0:
        return []
    best: dict[str, tuple] = {}  # place id -> (tier, not primary, score, name index)

    def offer(i: int, tier: int, score: float = 1.0) -> None:
        n = idx.names[i]
        cand = (tier, not n.primary, -score, i)
        if n.place_id not in best or cand < best[n.place_id]:
            best[n.place_id] = cand

    for i in idx.by_folded.get(q_fold, ()):
        offer(i, 0)
    for i in idx.by_key.get(q_key, ()):
        offer(i, 1)
    for i, n in enumerate(idx.names):
        if n.place_id in best and best[n.place_id][0] <= 2:
            continue
        if n.key.startswith(q_key):
            offer(i, 2, 1.0 if n.folded.startswith(q_fold) else 0.95)  # as typed first, then other spellings
        elif len(q_key) < 3:
            continue  # one or two letters inside a name match almost everything
        elif any(k.startswith(q_key) for k in n.word_keys[1:]):
            offer(i, 3, 1.0)  # a later word of the name starts with it ("abdur" in "Yuxarı Əbdürrəhmanlı")
        elif q_key in n.key:
            offer(i, 3, 0.9)
    if not best and len(q_key) >= MIN_FUZZY_KEY:
        for key in difflib.get_close_matches(q_key, idx.fuzzy_keys, n=max(limit, 5) * 2, cutoff=FUZZY_CUTOFF):
            score = difflib.SequenceMatcher(None, q_key, key).ratio()
            for i in idx.by_key[key]:
                offer(i, 4, score)
    ranked = sorted(best.items(), key=lambda kv: (kv[1][:3], idx.rank.get(kv[0], (9,)), kv[0]))
    out = []
    for place_id, (tier, _, neg_score, i) in ranked[:limit]:
        rec = recs.get(place_id) if recs else None
        get = rec.get if rec else (lambda k, d=None: d)
        out.append(
            Match(
                place_id,
                get("name_en", idx.names[i].name),
                get("name_az"),
                get("name_hy"),
                get("district"),
                get("country"),
                get("type"),
                idx.names[i].name,
                tier,
                round(-neg_score, 3),
            )
        )
    return out


def find_place(ds: Dataset, text: Any) -> str | None:
    """The place a URL value or a typed name stands for: a place id as is, else the first match of a name if it
    matches (not merely resembles) and is not tied with another place; None otherwise."""
    raw = _CONTROL.sub("", str(text if text is not None else "")).strip()[:MAX_QUERY_CHARS]
    if raw in places(ds):
        return raw
    best = [m for m in best_matches(search(ds, raw, limit=5)) if not m.did_you_mean]
    return best[0].place_id if len(best) == 1 else None


def choices(ds: Dataset) -> list[tuple[str, str]]:
    """(place id, label) for every place, biggest first, the label holding every name and spelling of the place
    so that a select box's own type-ahead filter finds it from any of them."""
    out = []
    for rec in places(ds).values():
        names = [rec.get("name_en", rec.id)]
        for value in (rec.get("name_az"), rec.get("name_hy"), rec.get("name_ru"), *rec.get("names_variant", [])):
            # Spellings that differ only in case or accents add nothing; other scripts are kept as written.
            if value and value not in names and (_SCRIPT.search(value) or all(fold(value) != fold(n) for n in names)):
                names.append(str(value))
        where = f"{rec.get('district')} district" if rec.get("district") else rec.get("country", "")
        extra = ", ".join(names[1:])
        label = f"{names[0]} ({rec.get('type')}, {where})" + (f" · {extra}" if extra else "")
        out.append((rec.id, label, (TYPE_RANK.get(rec.get("type"), 9), fold(names[0]))))
    return [(pid, label) for pid, label, _ in sorted(out, key=lambda t: t[2])]


def best_matches(matches: list[Match]) -> list[Match]:
    """The matches that share the first one's tier and score (several places can bear the same name)."""
    if not matches:
        return []
    first = matches[0]
    return [m for m in matches if (m.tier, m.score) == (first.tier, first.score)]


def did_you_mean(ds: Dataset, query: Any, limit: int = 5) -> list[str]:
    """The places with names most similar to `query`, for 'no match' messages: one line per place, the similar
    name first ('Stepanakert' or 'Şuşa (Shusha / Shushi, Shusha district)'), most similar first."""
    raw = str(query if query is not None else "")[:MAX_QUERY_CHARS]
    q_key = spelling_key(raw)
    if len(q_key) < MIN_FUZZY_KEY:
        return []
    idx, recs = index(ds), places(ds)
    seen: dict[str, str] = {}
    for key in difflib.get_close_matches(q_key, idx.fuzzy_keys, n=limit * 6, cutoff=0.6):
        for i in sorted(idx.by_key[key], key=lambda i: not idx.names[i].primary):
            n = idx.names[i]
            if n.place_id in seen:
                continue
            rec = recs.get(n.place_id)
            name_en = rec.get("name_en", n.name) if rec else n.name
            where = f"{rec.get('district')} district" if rec and rec.get("district") else (rec and rec.get("country"))
            label = ", ".join(t for t in (name_en if fold(name_en) != n.folded else None, where) if t)
            seen[n.place_id] = n.name + (f" ({label})" if label else "")
    return list(seen.values())[:limit]


# ---------------------------------------------------------------- history and dates


HISTORY_COLUMNS = {  # which side-by-side column an entry belongs in (see place_card)
    "claimed_captured": "claim",
    "acknowledged": "response",
    "denied": "response",
    "held": "record",
    "captured": "record",
    "handed_over": "record",
    "offensive": "record",
    "note": "record",
    "reported": "record",  # an independent report of the change
    "claim_reported": "claim",  # an independent outlet relaying one side's claim
}
_KIND_ORDER = [
    "held",
    "claimed_captured",
    "claim_reported",
    "denied",
    "acknowledged",
    "captured",
    "reported",
    "handed_over",
    "offensive",
    "note",
]


@dataclass(frozen=True)
class HistoryEntry:
    """One dated statement about a place: who said what about who held it."""

    date: dt.date | None
    kind: str
    side: str | None  # the side said to hold (or take) the place
    by: str
    text_en: str
    sources: tuple[dict[str, Any], ...]  # source records with their role (see nkmap.data.sources)
    date_precision: str | None = None
    confidence: str | None = None
    #: The project's translations of the entry (text_az ... by_ru, see nkmap.data.translations), as (key, text).
    translated: tuple[tuple[str, str], ...] = ()

    @property
    def column(self) -> str:
        return HISTORY_COLUMNS.get(self.kind, "record")

    def text(self, lang: str) -> str:
        """What was said, in `lang` where the record translates it, else the English."""
        return dict(self.translated).get(f"{HISTORY_FIELDS['text_en']}_{lang}") or self.text_en

    def said_by(self, lang: str) -> str:
        """Who said it, in `lang` where `by` is not a publisher's name (publishers' names stay as published)."""
        return dict(self.translated).get(f"{HISTORY_BY_FIELDS['by']}_{lang}") or self.by


_HISTORY_KEYS = translated_keys(HISTORY_FIELDS) | translated_keys(HISTORY_BY_FIELDS)


def place_history(ds: Dataset, place_id: str) -> list[HistoryEntry]:
    """The place's dated history, oldest first (claims, acknowledgements, denials, handovers, notes)."""
    out = []
    for h in place(ds, place_id).get("history", []):
        out.append(
            HistoryEntry(
                date=_date_or_none(h.get("date")),
                kind=str(h.get("kind") or "note"),
                side=h.get("side"),
                by=str(h.get("by") or ""),
                text_en=str(h.get("text_en") or ""),
                sources=tuple(s for s in as_list(h.get("sources")) if isinstance(s, dict)),
                date_precision=h.get("date_precision"),
                confidence=h.get("confidence"),
                translated=tuple((k, str(h[k])) for k in sorted(_HISTORY_KEYS) if isinstance(h.get(k), str)),
            )
        )
    order = {k: i for i, k in enumerate(_KIND_ORDER)}
    return sorted(out, key=lambda e: (e.date or dt.date.max, order.get(e.kind, 99)))


def changed_hands_on(ds: Dataset, place_id: str) -> dt.date | None:
    """The day nkmap's control model shows the place passing to Azerbaijan (its `capture_modelled_on`); for a
    place without one, the first day its holder changes in the model after the war began; None if it never does."""
    modelled = place(ds, place_id).get("capture_modelled_on")
    if modelled is not None:
        return modelled
    for first, _, _ in held_over_time(ds, place_id)[1:]:
        if first >= WAR_START:
            return first
    return None


def held_by_on(ds: Dataset, place_id: str, day: dt.date) -> str | None:
    """The side whose control area contains the place on `day` (None: outside every modelled area)."""
    frame = places_on(ds, day)
    hits = frame.loc[frame["id"] == place_id, "side_on"]
    if hits.empty:
        return None
    side = hits.iloc[0]
    return side if isinstance(side, str) else None


def held_over_time(ds: Dataset, place_id: str) -> list[tuple[dt.date, dt.date, str | None]]:
    """(first day, last day, side) spans over the whole timeline, as the control model shows the place (kept per
    dataset: the site asks for every place once per language)."""
    place(ds, place_id)
    return list(_caches(ds).held.get_or_make(lambda: _held_over_time(ds))[place_id])


def _held_over_time(ds: Dataset) -> dict[str, tuple[tuple[dt.date, dt.date, str | None], ...]]:
    """`held_over_time` of every place at once: one look at the places per epoch (as `held_by_on` looks)."""
    spans: dict[str, list[list]] = {}
    for epoch in range(epoch_count(ds)):
        first, last = epoch_bounds(ds, epoch)
        frame = places_on(ds, first)
        held: dict[str, str | None] = {}
        for pid, side in zip(frame["id"], frame["side_on"]):
            held.setdefault(str(pid), side if isinstance(side, str) else None)
        for pid in places(ds):
            side = held.get(pid)
            own = spans.setdefault(pid, [])
            if own and own[-1][2] == side:
                own[-1][1] = last
            else:
                own.append([first, last, side])
    return {pid: tuple((a, b, c) for a, b, c in own) for pid, own in spans.items()}


@dataclass(frozen=True)
class Announcement:
    """A place whose capture Azerbaijan first announced on a day; `place_id` is None for the few announced
    places the data has no coordinate for (listed in the places layer's metadata)."""

    name_en: str
    name_az: str | None
    district: str | None
    claimed_on: dt.date
    place_id: str | None
    modelled_on: dt.date | None
    reason_unplaced: str | None = None


def announced_on(ds: Dataset, day: dt.date) -> list[Announcement]:
    """The places whose capture was first announced on `day` (the official count: 74 on 9 Nov 2020), placed ones
    first, each group by district and name."""
    by_day = _announcements(ds)
    return list(by_day.get(day, []))


def _announcements(ds: Dataset) -> dict[dt.date, list[Announcement]]:
    return _caches(ds).announcements.get_or_make(lambda: _make_announcements(ds))


def _make_announcements(ds: Dataset) -> dict[dt.date, list[Announcement]]:
    by_day: dict[dt.date, list[Announcement]] = {}
    for rec in places(ds).values():
        claimed = rec.get("capture_claimed_on")
        if claimed:
            by_day.setdefault(claimed, []).append(
                Announcement(
                    rec.get("name_en"),
                    rec.get("name_az"),
                    rec.get("district"),
                    claimed,
                    rec.id,
                    rec.get("capture_modelled_on"),
                )
            )
    for raw in places_metadata(ds).get("skipped_without_coordinates", []):
        claimed = _date_or_none(raw.get("claimed_captured")) if isinstance(raw, dict) else None
        if claimed:
            by_day.setdefault(claimed, []).append(
                Announcement(
                    str(raw.get("name_en") or raw.get("name_az") or "?"),
                    raw.get("name_az"),
                    raw.get("district"),
                    claimed,
                    None,
                    None,
                    str(raw.get("reason") or "no sourced coordinate"),
                )
            )
    for items in by_day.values():
        items.sort(key=lambda a: (a.place_id is None, a.district or "", a.name_en))
    return by_day


def places_metadata(ds: Dataset) -> dict[str, Any]:
    """The places file's `metadata` object (announcement counts, places without coordinates); {} if unreadable."""
    return ds.layer_metadata.get("places", {})


@dataclass
class GazetteerCaches:
    """What the gazetteer builds once per dataset (`Dataset.caches(GazetteerCaches)`)."""

    places: Once[dict[str, PlaceRecord]] = field(default_factory=Once)  # every place by id
    index: Once[Index] = field(default_factory=Once)  # the name index the search ranks
    announcements: Once[dict[dt.date, list[Announcement]]] = field(default_factory=Once)  # by day, as announced
    held: Once[dict[str, tuple[tuple[dt.date, dt.date, str | None], ...]]] = field(default_factory=Once)  # by id


def _caches(ds: Dataset) -> GazetteerCaches:
    return ds.caches(GazetteerCaches)
