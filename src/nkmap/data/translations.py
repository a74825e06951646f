"""The record's texts in Azerbaijani (Latin script), Armenian and Russian, kept in `geo/` beside the English.

A translated field is named after the English one with the language as suffix: `summary_en` -> `summary_hy`,
an event's headline `name_en` -> `title_ru` (an event's `name_az` / `name_hy` are the names of its place, so the
headline's translations cannot take those names; so with the name of a control area, a contact line, a district ...:
`TITLED_LAYERS`), a manifest `title` -> `title_az`;
who claimed, acknowledged or denied a change: `claimed_by` -> `claimed_by_ru` (scripts/build_control.py writes
the control, Shusha and Lachin corridor layers' from scripts/control_translations.json). The English descriptions of
each side's wording, `wording_az` and `wording_hy`, are translated as `wording_az_in_hy`, `wording_hy_in_ru` ...:
the side, then `in` and the language. Each file says the translations are the project's in a `translations`
object (a GeoJSON file: inside its top-level `metadata`): `{"az": {"by": ..., "from": "en", "note": ...}, ...}`.

`check_translations` is what `nkmap validate` reports: every text has its translation in each language the
manifest's `translations` names (no English fallback), in that language's script, with the English's numbers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

#: The languages the record is translated into, besides the English it is written in.
LANGUAGES = ("az", "hy", "ru")
LANGUAGE_NAMES = {"az": "Azerbaijani", "hy": "Armenian", "ru": "Russian"}
TRANSLATIONS_KEY = "translations"

#: English field -> the stem of its translations (`stem_<lang>`), per kind of record.
EVENT_FIELDS = {
    "name_en": "title",
    "summary_en": "summary",
    "wording_az": "wording_az_in",
    "wording_hy": "wording_hy_in",
}
STORY_FIELDS = {"title_en": "title", "description_en": "description"}
STEP_FIELDS = {
    "title_en": "title",
    "caption_en": "caption",
    "wording_az": "wording_az_in",
    "wording_hy": "wording_hy_in",
}
MANIFEST_FIELDS = {"title": "title"}
SIDE_FIELDS = {"label_en": "label", "short_en": "short"}
LAYER_FIELDS = {"title": "title"}
LEGEND_FIELDS = {"label_en": "label"}
KEY_DATE_FIELDS = {"label_en": "label"}
#: A place's history entry (`history[]` of places.geojson): its text, and who said it where `by` is not the name of
#: the publisher(s) it cites (a publisher's name is never translated; see `names_publishers`).
HISTORY_FIELDS = {"text_en": "text"}
HISTORY_BY_FIELDS = {"by": "by"}
#: Who claimed, acknowledged or denied a change (control areas, events, the Shusha and Lachin corridor layers).
ATTRIBUTION_FIELDS = {"claimed_by": "claimed_by", "acknowledged_by": "acknowledged_by", "denied_by": "denied_by"}
#: A control area's name: `title_<lang>`, as for events (a control area's `name_az` / `name_hy` name its place).
CONTROL_FIELDS = {"name_en": "title", **ATTRIBUTION_FIELDS}
#: The layers whose features' names are translated as the control areas' are (`title_<lang>` beside `name_en`):
#: scripts/build_control.py and scripts/build_context.py write them. Countries and places are named by
#: `name_<lang>` / `label_<lang>` (the name policy of nkmap.text.place_names), not here.
TITLED_LAYERS = (
    "control",
    "contact_line",
    "peacekeepers_zone",
    "transferred_districts",
    "lachin_corridor",
    "shusha",
    "region",
    "nkao",
    "districts",
)
#: Layers whose records are translated, and with which fields (any other layer: only its attributions).
LAYER_RECORD_FIELDS = {
    "events": {**EVENT_FIELDS, **ATTRIBUTION_FIELDS},
    **{layer: CONTROL_FIELDS for layer in TITLED_LAYERS},
}
#: Fields whose text is mostly a place's name (written in each language by the name policy, in whatever script
#: that leaves it): the script check reads the words that are not the record's names.
NAMED_FIELDS = {
    layer: frozenset({"name_en"})
    for layer in ("control", "transferred_districts", "lachin_corridor", "shusha", "region", "nkao", "districts")
}

#: The script each language is written in: the Unicode script name its letters carry.
SCRIPTS = {"az": "LATIN", "hy": "ARMENIAN", "ru": "CYRILLIC"}
#: Share of a text's letters that must be in its language's script. Below 1 because names of sources stay in
#: Latin letters (Human Rights Watch, Reuters, CivilNet); an English text in the field scores near 0.
MIN_SCRIPT_SHARE = {"az": 0.95, "hy": 0.5, "ru": 0.5}
#: Azerbaijani is written in Latin letters as English is; its own letters tell the two apart.
AZERBAIJANI_LETTERS = frozenset("əğıöşüçƏĞIÖŞÜÇİ")
MIN_LETTERS_FOR_AZ_CHECK = 8  # a short label ("Baku") may have none of them

#: How each language writes numbers (Babel/CLDR): the thousands separators and the decimal sign.
_ENGLISH_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")
_NUMBER = {
    "en": (_ENGLISH_NUMBER, ",", "."),
    "az": (re.compile(r"\d{1,3}(?:\.\d{3})+(?!\d)|\d+(?:,\d+)?"), ".", ","),
    "hy": (re.compile(r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:,\d+)?"), "\u00a0\u202f ", ","),
    "ru": (re.compile(r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:,\d+)?"), "\u00a0\u202f ", ","),
}


def translation_key(stem: str, lang: str) -> str:
    return f"{stem}_{lang}"


def translated_keys(fields: Mapping[str, str], languages: tuple[str, ...] = LANGUAGES) -> set[str]:
    """Every translated key of one kind of record (for the story format's list of known keys)."""
    return {translation_key(stem, lang) for stem in fields.values() for lang in languages}


def text_in(record: Mapping[str, Any], english_key: str, fields: Mapping[str, str], lang: str) -> Any:
    """The text of `english_key` in `lang` ("en": the English itself); None where the record has none."""
    if lang == "en":
        return record.get(english_key)
    return record.get(translation_key(fields[english_key], lang))


# ------------------------------------------------------------------------------------------- one text


#: A date written the ISO way (2020-11-20): a translation writes it in words ("20 ноября 2020"), so only its day
#: and year are numbers there.
_ISO_DATE = re.compile(r"\b(\d{4})-\d{2}-(\d{2})\b")


def numbers(text: str, lang: str) -> Counter[Decimal]:
    """The numbers a text gives, read as its language writes them (4,400 / 4.400 / 4 400; 7.5 / 7,5); of an ISO
    date (2020-11-20), its day and year."""
    pattern, groups, decimal = _NUMBER[lang]
    found: Counter[Decimal] = Counter()
    text = _ISO_DATE.sub(r"\2 \1", text)
    for match in pattern.finditer(text):
        token = match.group()
        for sep in groups:
            token = token.replace(sep, "")
        found[Decimal(token.replace(decimal, "."))] += 1
    return found


def script_share(text: str, lang: str) -> tuple[float, int]:
    """The share of `text`'s letters written in `lang`'s script, and how many letters it has."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0, 0
    script = SCRIPTS[lang]
    inside = sum(1 for ch in letters if unicodedata.name(ch, "").startswith(script))
    return inside / len(letters), len(letters)


def _shown(number: Decimal) -> str:
    """A number as the English writes it (4,400; 2020; 7.5)."""
    return f"{number:,}" if number >= 10_000 and number == number.to_integral_value() else str(number)


_WORD = re.compile(r"[^\W\d_]+")


def own_words(text: str, names: frozenset[str]) -> str:
    """`text` without the words that are names (compared casefolded): what is left is written in the language."""
    return " ".join(w for w in _WORD.findall(text) if w.casefold() not in names)


def name_words(record: Mapping[str, Any]) -> frozenset[str]:
    """The words of a record's names in the languages of the region (`name_az`, `name_hy`, `label_ru` ...)."""
    keys = ["name_az", "name_hy", "name_ru", *(f"label_{lang}" for lang in LANGUAGES)]
    return frozenset(
        w.casefold() for k in keys if isinstance(record.get(k), str) for w in _WORD.findall(str(record[k]))
    )


def text_problems(
    english: str, translated: Any, key: str, english_key: str, lang: str, names: frozenset[str] | None = None
) -> list[str]:
    """What is wrong with one translation of one English text (an empty list: nothing). `names`: words of the
    record's names (`name_words`) for a text that is mostly a name, such as a control area's: those words, and the
    English's (a place the language has no form of its own for keeps the English's), are not counted by the script
    check, and the rest must not be English alone."""
    name = LANGUAGE_NAMES[lang]
    if translated is None:
        return [f"no {key} (the {name} translation of {english_key})"]
    if not isinstance(translated, str) or not translated.strip():
        return [f"{key} is empty (it should be the {name} translation of {english_key})"]
    if translated.strip() == english.strip():
        return [f"{key} is the English of {english_key}, not its {name} translation"]
    problems = []
    checked = translated
    if names is not None:
        english_words = frozenset(w.casefold() for w in _WORD.findall(english))
        checked = own_words(translated, names | english_words)
        english_only = {w for w in _WORD.findall(translated) if w.casefold() in english_words - names}
        if not checked and english_only:
            problems.append(f"{key} has no words in {name} besides the names: is it the English of {english_key}?")
    share, letters = script_share(checked, lang)
    if share < MIN_SCRIPT_SHARE[lang]:
        problems.append(
            f"{key} is not in {name}: {share:.0%} of its letters are {SCRIPTS[lang].title()} "
            f"(at least {MIN_SCRIPT_SHARE[lang]:.0%} expected; other letters only for names of sources)"
        )
    elif lang == "az" and letters >= MIN_LETTERS_FOR_AZ_CHECK and not AZERBAIJANI_LETTERS & set(checked):
        problems.append(f"{key} has none of the Azerbaijani letters ə ğ ı ö ş ü ç: is it the English?")
    want, have = numbers(english, "en"), numbers(translated, lang)
    missing = sorted(n for n in want if have[n] < want[n])
    extra = sorted(n for n in have if n not in want)
    if missing:
        problems.append(
            f"{key} lacks the number(s) {', '.join(_shown(n) for n in missing)} of {english_key}"
            f" (or gives them fewer times)"
        )
    if extra:
        problems.append(f"{key} has number(s) {', '.join(_shown(n) for n in extra)} that {english_key} does not have")
    return problems


# ------------------------------------------------------------------------------------------- files


@dataclass(frozen=True)
class TranslationProblem:
    file: str
    where: str | None
    message: str


def _record_problems(
    record: Mapping[str, Any],
    fields: Mapping[str, str],
    languages: tuple[str, ...],
    named: frozenset[str] = frozenset(),
) -> Iterator[str]:
    for english_key, stem in fields.items():
        english = record.get(english_key)
        names = name_words(record) if english_key in named else None
        for lang in languages:
            key = translation_key(stem, lang)
            if not isinstance(english, str) or not english.strip():
                if record.get(key) is not None:
                    yield f"{key} translates {english_key}, which is empty"
                continue
            own = record.get(f"name_{lang}")
            if names is not None and isinstance(own, str) and own and record.get(key) == own:
                continue  # the place's own name in that language, which may be written as the English (Goranboy)
            yield from text_problems(english, record.get(key), key, english_key, lang, names)


def _marker_problems(marker: Any, languages: tuple[str, ...], where: str) -> list[str]:
    if not isinstance(marker, dict):
        return [
            f"no `{where}` object saying whose translations these are, e.g. "
            '{"az": {"by": "nkmap project", "from": "en", "note": "..."}, ...}'
        ]
    problems = []
    for lang in languages:
        entry = marker.get(lang)
        if not isinstance(entry, dict) or not entry.get("by") or entry.get("from") != "en":
            problems.append(f'`{where}` has no entry for {lang} with "by" and "from": "en"')
    return problems


def declared_languages(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The languages a file's `translations` object names, in the order of LANGUAGES."""
    marker = data.get(TRANSLATIONS_KEY)
    if not isinstance(marker, dict):
        return ()
    return tuple(lang for lang in LANGUAGES if lang in marker)


def check_manifest(manifest: Mapping[str, Any]) -> list[TranslationProblem]:
    """The manifest's own texts, in every language its `translations` names."""
    languages = declared_languages(manifest)
    out: list[TranslationProblem] = []
    if TRANSLATIONS_KEY in manifest:
        marker = manifest[TRANSLATIONS_KEY]
        out += [
            TranslationProblem("manifest.json", None, m)
            for m in _marker_problems(marker, languages or LANGUAGES, TRANSLATIONS_KEY)
        ]

    def add(where: str | None, record: Any, fields: Mapping[str, str]) -> None:
        if isinstance(record, dict) and "title_en" in record and record.get("title_en") != record.get("title"):
            # `title` stays the English (what reads it today); `title_en` names it like the other languages
            out.append(TranslationProblem("manifest.json", where, "title_en differs from title (both are the English)"))
        if isinstance(record, dict):
            out.extend(
                TranslationProblem("manifest.json", where, m) for m in _record_problems(record, fields, languages)
            )

    add(None, manifest, MANIFEST_FIELDS)
    for sid, side in (manifest.get("sides") or {}).items():
        add(f"side {sid}", side, SIDE_FIELDS)
    for layer in manifest.get("layers") or []:
        if isinstance(layer, dict):
            add(f"layer {layer.get('id')}", layer, LAYER_FIELDS)
            for i, entry in enumerate(layer.get("legend") or []):
                add(f"layer {layer.get('id')}, legend entry {i + 1}", entry, LEGEND_FIELDS)
    for k in manifest.get("key_dates") or []:
        if isinstance(k, dict):
            add(f"key date {k.get('date')}", k, KEY_DATE_FIELDS)
    return out


def check_layer(
    fname: str, data: Mapping[str, Any], languages: tuple[str, ...], layer_id: str = "events"
) -> list[TranslationProblem]:
    """A layer's translated texts (events: headlines, summaries, wordings; control: area names; every layer:
    who claimed, acknowledged or denied) in `languages` (the manifest's) and in those the file's own marker names,
    and that marker. A layer with none of these texts needs no translations."""
    fields = LAYER_RECORD_FIELDS.get(layer_id, ATTRIBUTION_FIELDS)
    named = NAMED_FIELDS.get(layer_id, frozenset())
    found = data.get("metadata")
    metadata: Mapping[str, Any] = found if isinstance(found, dict) else {}
    own = declared_languages(metadata)
    languages = tuple(lang for lang in LANGUAGES if lang in languages or lang in own)
    records = [
        (str(props.get("id") or f"feature #{index}"), props)
        for index, feature in enumerate(data.get("features") or [])
        if isinstance(feature, dict) and isinstance(props := feature.get("properties"), dict)
    ]
    if not languages or not any(
        isinstance(props.get(key), str) and props[key] for _, props in records for key in fields
    ):
        return []
    out = [
        TranslationProblem(fname, None, m)
        for m in _marker_problems(metadata.get(TRANSLATIONS_KEY), languages, "metadata.translations")
    ]
    for label, props in records:
        out += [TranslationProblem(fname, label, m) for m in _record_problems(props, fields, languages, named)]
    return out


def names_publishers(by: Any, publishers: list[str]) -> bool:
    """Whether a history entry's `by` names only publishers of the sources it cites ("AzerNews; Trend News Agency"),
    each as the catalogue writes it or its leading words ("Al Jazeera" of "Al Jazeera English")."""
    if not isinstance(by, str) or not by.strip():
        return False
    return all(
        any(p == part or p.startswith(part + " ") for p in publishers) for part in (x.strip() for x in by.split(";"))
    )


def check_places(
    fname: str, data: Mapping[str, Any], languages: tuple[str, ...], publishers: Mapping[str, str]
) -> list[TranslationProblem]:
    """The places' history texts, and each `by` that is not its sources' publishers (source id -> publisher), in
    `languages` and in those the file's own marker names; a publisher's name given a translation is a problem."""
    found = data.get("metadata")
    metadata: Mapping[str, Any] = found if isinstance(found, dict) else {}
    own = declared_languages(metadata)
    languages = tuple(lang for lang in LANGUAGES if lang in languages or lang in own)
    features = [f for f in data.get("features") or [] if isinstance(f, dict)]
    if not languages or not any(isinstance((f.get("properties") or {}).get("history"), list) for f in features):
        return []  # no places with a history: nothing of theirs to translate
    out = [
        TranslationProblem(fname, None, m)
        for m in _marker_problems(metadata.get(TRANSLATIONS_KEY), languages, "metadata.translations")
    ]
    for index, feature in enumerate(features):
        props = feature.get("properties")
        if not isinstance(props, dict) or not isinstance(props.get("history"), list):
            continue
        label = str(props.get("id") or f"feature #{index}")
        for number, entry in enumerate(props["history"], start=1):
            if not isinstance(entry, dict):
                continue
            where = f"{label}, history entry {number}"
            out += [TranslationProblem(fname, where, m) for m in _record_problems(entry, HISTORY_FIELDS, languages)]
            cited = [
                publishers.get(str(c.get("source")), "") for c in entry.get("sources") or [] if isinstance(c, dict)
            ]
            if not names_publishers(entry.get("by"), cited):
                out += [
                    TranslationProblem(fname, where, m) for m in _record_problems(entry, HISTORY_BY_FIELDS, languages)
                ]
            else:
                out += [
                    TranslationProblem(fname, where, f"{key} translates a publisher's name ({entry.get('by')!r})")
                    for key in translated_keys(HISTORY_BY_FIELDS, languages)
                    if key in entry
                ]
    return out


def check_events(fname: str, data: Mapping[str, Any], languages: tuple[str, ...]) -> list[TranslationProblem]:
    """The events file's translations (`check_layer` of the events layer)."""
    return check_layer(fname, data, languages, "events")


def check_story(file: str, data: Any) -> list[TranslationProblem]:
    """A story's texts in the languages its own `translations` names (a story without one is English only:
    a teacher's own story needs no translation)."""
    if not isinstance(data, dict) or TRANSLATIONS_KEY not in data:
        return []
    languages = declared_languages(data)
    out = [
        TranslationProblem(file, None, m)
        for m in _marker_problems(data.get(TRANSLATIONS_KEY), languages or LANGUAGES, "translations")
    ]
    out += [TranslationProblem(file, None, m) for m in _record_problems(data, STORY_FIELDS, languages)]
    for number, step in enumerate(data.get("steps") or [], start=1):
        if isinstance(step, dict):
            out += [
                TranslationProblem(file, f"step {number}", m) for m in _record_problems(step, STEP_FIELDS, languages)
            ]
    return out


def check_translations(
    manifest: Mapping[str, Any],
    layers: Mapping[str, tuple[str, Any]],
    stories: list[tuple[str, Path]],
    publishers: Mapping[str, str] | None = None,
) -> list[TranslationProblem]:
    """Every translation problem of a dataset read as raw JSON: the manifest, the layers' files (layer id ->
    (file name, decoded JSON)) and the story files ((name shown, path)); a places layer's history `by` is checked
    against `publishers` (source id -> publisher). Unreadable files are reported elsewhere."""
    out = check_manifest(manifest)
    languages = declared_languages(manifest)
    for layer_id, (fname, data) in layers.items():
        if isinstance(data, dict):
            out += check_layer(fname, data, languages, layer_id)
            out += check_places(fname, data, languages, publishers or {})
    for shown, path in stories:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue  # the story checks name the file
        out += check_story(shown, data)
    return out
