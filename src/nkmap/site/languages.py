"""The site in English, Azerbaijani, Armenian and Russian: which page lives where, the language chooser, and the
translations of the two big pages as patches of their English data.

Where each language lives (measured against the site's budgets, docs/ARCHITECTURE.md):

    index.html, classroom.html      one page for every language: `?lang=az` (or `lang=az` in the hash) switches it
                                    in place; lang/<lang>.<page>.js holds the language's words and a patch of the
                                    page's English data (client/page-language.js)
    places/, data/index.html        English; <lang>/places/... and <lang>/data/index.html: each language's copy,
                                    plain HTML (the downloads in data/ are shared)

The explorer and the classroom carry the map's geometry, the same in every language (about a third of their data);
a copy per language would have taken the site over its 30 MB. Their texts differ, so a language ships a patch:
only the values that differ, and a long text as the English text's tokens it keeps plus what it adds
(`text_patch`), because a translated place card keeps its citations, names and quoted wording.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from nkmap.text.messages import LANGUAGE_NAMES, LANGUAGE_TAGS, LANGUAGES, Messages

#: A text is split into tags and the text between them (client/page-language.js splits alike): a translated card
#: or popup changes its labels and keeps the record's texts between them, so whole runs are copied.
TOKEN = re.compile(r"<[^>]*>|[^<]+|<")
#: Texts shorter than this are replaced whole: a token patch would not be smaller.
TOKEN_PATCH_MIN = 120
REPLACE, REBUILD = "=", "~"
#: In a language file: {"#": n} is the n-th text of the file's table (a text the patch uses more than once),
#: {"@": page} the whole patch of another page (the classroom's map is the explorer's map).
TABLED, SHARED = "#", "@"
RESERVED = {REPLACE, REBUILD, TABLED, SHARED}
#: Texts shorter than this stay where they are used (a table reference would not be shorter).
TABLE_MIN = 6


def folder(lang: str) -> str:
    """The folder of a language's own pages, relative to the site's root ('' for English)."""
    return "" if lang == "en" else f"{lang}/"


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def text_patch(english: str, other: str) -> list[str | list[int]] | None:
    """`other` as ops on `english`'s tokens (a text to insert, or [first, count] to copy), or None when that is
    not smaller than `other` itself."""
    a, b = _tokens(english), _tokens(other)
    ops: list[str | list[int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append([i1, i2 - i1])
        elif j2 > j1:
            inserted = "".join(b[j1:j2])
            if ops and isinstance(ops[-1], str):
                ops[-1] += inserted
            else:
                ops.append(inserted)
    size = len(json.dumps(ops, ensure_ascii=False, separators=(",", ":")))
    return ops if size < 0.8 * len(json.dumps(other, ensure_ascii=False)) else None


def data_patch(english: Any, other: Any) -> Any:
    """What turns `english` into `other` (JSON values): None when equal; {key: patch} into a dict or a list of the
    same length (by index); {"=": value} replacing it; {"~": ops} rebuilding a long text from its tokens."""
    if english == other:
        return None
    if isinstance(english, dict) and isinstance(other, dict):
        if english.keys() == other.keys() and not english.keys() & RESERVED:
            return {k: p for k in english if (p := data_patch(english[k], other[k])) is not None}
    elif isinstance(english, list) and isinstance(other, list):
        if len(english) == len(other):
            return {str(i): p for i, (x, y) in enumerate(zip(english, other)) if (p := data_patch(x, y)) is not None}
    elif isinstance(english, str) and isinstance(other, str) and len(other) >= TOKEN_PATCH_MIN:
        ops = text_patch(english, other)
        if ops is not None:
            return {REBUILD: ops}
    return {REPLACE: other}


def apply_patch(value: Any, patch: Any, shared: dict[str, Any] | None = None) -> Any:
    """`data_patch`'s inverse, as the browser applies it (used by the build to check every patch it writes);
    `shared`: the other pages' patches a {"@": page} names (applied to the keys the value has)."""
    if SHARED in patch:
        other = (shared or {})[patch[SHARED]]
        return apply_patch(value, {k: sub for k, sub in other.items() if k in value}, shared)
    if REPLACE in patch:
        return patch[REPLACE]
    if REBUILD in patch:
        tokens = _tokens(value)
        return "".join(op if isinstance(op, str) else "".join(tokens[op[0] : op[0] + op[1]]) for op in patch[REBUILD])
    for key, sub in patch.items():
        index: Any = int(key) if isinstance(value, list) else key
        value[index] = apply_patch(value[index], sub, shared)
    return value


def _texts_of(patch: Any) -> Iterator[str]:
    """Every text a patch inserts (the values it replaces with a text, the texts of its rebuild ops)."""
    if SHARED in patch:
        return
    if REPLACE in patch:
        if isinstance(patch[REPLACE], str):
            yield patch[REPLACE]
    elif REBUILD in patch:
        yield from (op for op in patch[REBUILD] if isinstance(op, str))
    else:
        for sub in patch.values():
            yield from _texts_of(sub)


def with_table(patch: Any) -> tuple[Any, list[str]]:
    """The patch with each text it uses more than once replaced by its number in a table (a translated label
    recurs in hundreds of popups and cards), and the table."""
    counts = Counter(_texts_of(patch))
    table = [t for t, n in sorted(counts.items(), key=lambda tn: (-tn[1], tn[0])) if n > 1 and len(t) >= TABLE_MIN]
    number = {t: i for i, t in enumerate(table)}

    def encode(p: Any) -> Any:
        if SHARED in p:
            return p
        if REPLACE in p:
            value = p[REPLACE]
            return {TABLED: number[value]} if isinstance(value, str) and value in number else p
        if REBUILD in p:
            return {REBUILD: [number.get(op, op) if isinstance(op, str) else op for op in p[REBUILD]]}
        return {k: encode(sub) for k, sub in p.items()}

    return encode(patch), table


def without_table(patch: Any, table: list[str]) -> Any:
    """`with_table`'s inverse (the build checks the round trip)."""
    if TABLED in patch:
        return {REPLACE: table[patch[TABLED]]}
    if REPLACE in patch or SHARED in patch:
        return patch
    if REBUILD in patch:
        return {REBUILD: [table[op] if isinstance(op, int) else op for op in patch[REBUILD]]}
    return {k: without_table(sub, table) for k, sub in patch.items()}


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element and a .js file."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def language_script(m: Messages, page: str, catalogue: dict[str, str], patch: Any, words: dict[str, Any]) -> str:
    """lang/<lang>.<page>.js: the language's messages for the browser, the page's title, description and
    heading (`words`) and the patch of its data."""
    encoded, table = with_table(patch or {})
    if without_table(encoded, table) != (patch or {}):
        raise AssertionError(f"{m.lang} {page}: the text table does not give the patch back")  # a bug here
    return (
        f"/* nkmap: {page} in {LANGUAGE_NAMES[m.lang]} (written by `nkmap site`; nkmap.site.languages). */\n"
        f"NKMap.setMessages({_script_json(m.lang)}, {_script_json(catalogue)});\n"
        f"NKMap.addTranslation({_script_json(page)}, {_script_json(encoded)}, "
        f"{_script_json({'tag': m.tag, **words})}, {_script_json(table)});\n"
    )


def alternate_links(hrefs: dict[str, str]) -> str:
    """`<link rel="alternate" hreflang>` for the page in each language (`hrefs`: language -> relative address)."""
    return "".join(
        f'<link rel="alternate" hreflang="{LANGUAGE_TAGS[lang]}" href="{html.escape(hrefs[lang], quote=True)}">\n'
        for lang in LANGUAGES
    )


def chooser(current: str, hrefs: dict[str, str], label: str) -> str:
    """The language chooser: the page in each language, each named in its own language; the current one marked."""
    items = []
    for lang in LANGUAGES:
        name = html.escape(LANGUAGE_NAMES[lang])
        tag = LANGUAGE_TAGS[lang]
        if lang == current:
            items.append(f'<a lang="{tag}" aria-current="page">{name}</a>')
        else:
            items.append(f'<a lang="{tag}" href="{html.escape(hrefs[lang], quote=True)}">{name}</a>')
    return f'<nav id="nk-languages" class="nk-languages" aria-label="{html.escape(label, quote=True)}">{"".join(items)}</nav>'
