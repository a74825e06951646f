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
from typing import Any

from nkmap.text.messages import LANGUAGE_NAMES, LANGUAGE_TAGS, LANGUAGES, Messages

#: A text is split into tags, words and runs of spaces (client/page-language.js splits alike).
TOKEN = re.compile(r"<[^>]*>|[^<\s]+|\s+|<")
#: Texts shorter than this are replaced whole: a token patch would not be smaller.
TOKEN_PATCH_MIN = 120
REPLACE, REBUILD = "=", "~"


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
        if english.keys() == other.keys() and not english.keys() & {REPLACE, REBUILD}:
            return {k: p for k in english if (p := data_patch(english[k], other[k])) is not None}
    elif isinstance(english, list) and isinstance(other, list):
        if len(english) == len(other):
            return {str(i): p for i, (x, y) in enumerate(zip(english, other)) if (p := data_patch(x, y)) is not None}
    elif isinstance(english, str) and isinstance(other, str) and len(other) >= TOKEN_PATCH_MIN:
        ops = text_patch(english, other)
        if ops is not None:
            return {REBUILD: ops}
    return {REPLACE: other}


def apply_patch(value: Any, patch: Any) -> Any:
    """`data_patch`'s inverse, as the browser applies it (used by the build to check every patch it writes)."""
    if REPLACE in patch:
        return patch[REPLACE]
    if REBUILD in patch:
        tokens = _tokens(value)
        return "".join(op if isinstance(op, str) else "".join(tokens[op[0] : op[0] + op[1]]) for op in patch[REBUILD])
    for key, sub in patch.items():
        index: Any = int(key) if isinstance(value, list) else key
        value[index] = apply_patch(value[index], sub)
    return value


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element and a .js file."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def language_script(m: Messages, page: str, catalogue: dict[str, str], patch: Any, words: dict[str, Any]) -> str:
    """lang/<lang>.<page>.js: the language's messages for the browser, the page's title, description and
    heading (`words`) and the patch of its data."""
    return (
        f"/* nkmap: {page} in {LANGUAGE_NAMES[m.lang]} (written by `nkmap site`; nkmap.site.languages). */\n"
        f"NKMap.setMessages({_script_json(m.lang)}, {_script_json(catalogue)});\n"
        f"NKMap.addTranslation({_script_json(page)}, {_script_json(patch or {})}, "
        f"{_script_json({'tag': m.tag, **words})});\n"
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
            items.append(f'<a data-lang="{lang}" lang="{tag}" aria-current="page">{name}</a>')
        else:
            href = html.escape(hrefs[lang], quote=True)
            items.append(f'<a data-lang="{lang}" lang="{tag}" hreflang="{tag}" href="{href}">{name}</a>')
    return f'<nav id="nk-languages" class="nk-languages" aria-label="{html.escape(label, quote=True)}">{"".join(items)}</nav>'
