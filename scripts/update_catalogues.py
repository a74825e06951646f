#!/usr/bin/env python3
"""Extract the interface's strings into `src/nkmap/text/locales/nkmap.pot` and merge them into each language's `.po`.

  .venv/bin/python scripts/update_catalogues.py          # extract and update every .po (new strings come untranslated)
  .venv/bin/python scripts/update_catalogues.py --check  # exit 1 if the template is stale (what the tests check)

Marked strings: `_("...")`, `m._("...")`, `ngettext(s, p, n)`, `pgettext(ctx, s)`, `N_("...")` (an error's
template, translated where it is shown: nkmap.model.worded) in Python; `_("...")` and
`NKMap.t("...")` in `src/nkmap/client/*.js` and `app.py`/`pages/`. After an update, translate the new `msgstr`s
(empty ones) in `az`, `hy` and `ru`; `tests/test_messages.py` fails until every one is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "src" / "nkmap" / "text" / "locales"
POT = LOCALES / "nkmap.pot"
LANGUAGES = ("az", "hy", "ru")
KEYWORDS = {"_": None, "N_": None, "t": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
METHOD_MAP = [("**.py", "python"), ("**.js", "javascript")]
#: Where strings are marked: the package and the Streamlit pages (relative paths keep the template stable).
SOURCE_DIRS = ("src/nkmap", "pages")
SOURCE_FILES = ("app.py",)


def extract() -> Catalog:
    catalog = Catalog(
        project="nkmap", domain="nkmap", fuzzy=False, header_comment="# The interface's strings (extracted)."
    )
    found = []
    for folder in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
        ):
            found.append((f"{folder}/{filename}", lineno, message, comments, context))
    for name in SOURCE_FILES:
        from babel.messages.extract import extract as extract_one

        with (ROOT / name).open("rb") as fh:
            for lineno, message, comments, context in extract_one(
                "python", fh, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
            ):
                found.append((name, lineno, message, comments, context))
    for path, lineno, message, comments, context in sorted(found, key=lambda f: (f[0], f[1])):
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def render(catalog: Catalog, **kw: object) -> bytes:
    import io

    out = io.BytesIO()
    write_po(out, catalog, width=120, omit_header=False, sort_output=True, include_lineno=False, **kw)  # type: ignore[arg-type]
    # The creation date would change the file on every run.
    return b"\n".join(line for line in out.getvalue().split(b"\n") if not line.startswith(b'"POT-Creation-Date'))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the template is stale")
    args = parser.parse_args()
    template = extract()
    rendered = render(template)
    if args.check:
        if not POT.exists() or POT.read_bytes() != rendered:
            print(f"{POT.relative_to(ROOT)} is stale: run scripts/update_catalogues.py", file=sys.stderr)
            return 1
        return 0
    POT.write_bytes(rendered)
    for lang in LANGUAGES:
        po_path = LOCALES / lang / "LC_MESSAGES" / "nkmap.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(
                locale=lang,
                project="nkmap",
                domain="nkmap",
                fuzzy=False,
                header_comment=f"# {lang}: the nkmap project's own translation of its interface (to be reviewed by native readers).",
                last_translator="the nkmap project",
                language_team=f"nkmap {lang}",
                copyright_holder="nkmap contributors",
                version="1.0",
            )
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        po_path.write_bytes(render(catalog, ignore_obsolete=True))
        untranslated = sum(
            1 for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string or ()))
        )
        print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages, {untranslated} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
