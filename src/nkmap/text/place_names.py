"""Which name a place is shown under in each interface language: the policy of `geo/SOURCES.md`, "Names by language".

Each language shows a place under the name its readers use, with the other side's name beside it, so that readers on
both sides see the same place named both ways:

- English: `name_en`, which already carries both names where they differ ("Shusha / Shushi").
- Azerbaijani: `name_az`, then the Armenian name in Latin letters: "Şuşa (Shushi)".
- Armenian: the Armenian name in Armenian script (from `name_hy`, written "Shushi (Շուշի)" in the data), then the
  Azerbaijani name as Azerbaijanis write it: "Շուշի (Şuşa)". The data holds no Armenian-script form of Azerbaijani
  names, and the project does not invent one.
- Russian: `name_ru` where the dataset has it (it may carry both names), otherwise the English form.
A place may carry the project's form for a language in `label_az` / `label_hy` / `label_ru` (the table of
`geo/SOURCES.md`, "Names in translations": "Շուշի (Շուշա)", "Шуша (Шуши)"), which wins over the rule above, so
that map labels and the record's texts name the main places alike. A place with one name shows that name alone. Search finds a place by any of its names whatever the language
(`nkmap.model.gazetteer`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_ARMENIAN_SEGMENT = re.compile(r"\s*\(([\u0531-\u058f][^()]*)\)")
_ARMENIAN_IN_PARENS = re.compile(r"^(?P<latin>[^()]*?)\s*\((?P<armenian>[\u0531-\u058f][\u0531-\u058f\s\-–]*)\)$")


def armenian_parts(name_hy: str | None) -> tuple[str | None, str | None]:
    """`name_hy` split into its Latin form and its Armenian-script form ("Shushi (Շուշի)" -> ("Shushi", "Շուշի"))."""
    if not name_hy:
        return None, None
    match = _ARMENIAN_IN_PARENS.match(name_hy.strip())
    if match:
        return match["latin"] or None, match["armenian"].strip()
    several = _ARMENIAN_SEGMENT.findall(name_hy)
    if several:  # "Martuni (Մարտունի) and Hadrut (Հադրութ)": each Armenian form, and the Latin text around them
        latin = re.sub(r"\s+", " ", _ARMENIAN_SEGMENT.sub("", name_hy)).strip(" ;,")
        return latin or None, ", ".join(part.strip() for part in several)
    if re.search(r"[\u0531-\u058f]", name_hy):
        return None, name_hy.strip()
    return name_hy.strip(), None


def _with_other(own: str, other: str | None) -> str:
    if not other or other.casefold() == own.casefold():
        return own
    return f"{own} ({other})"


def place_label(props: Mapping[str, Any], lang: str) -> str:
    """The name a reader of `lang` sees for a place (map labels, cards, search results, exports)."""
    own_form = props.get(f"label_{lang}") if lang != "en" else None
    if own_form:
        return str(own_form)
    name_en = props.get("name_en") or props.get("name") or props.get("id") or ""
    name_az = props.get("name_az") or None
    hy_latin, hy_script = armenian_parts(props.get("name_hy"))
    if lang == "az":
        return _with_other(name_az, hy_latin) if name_az else str(name_en)
    if lang == "hy":
        own = hy_script or hy_latin
        return _with_other(own, name_az) if own else (name_az or str(name_en))
    if lang == "ru":
        return str(props.get("name_ru") or name_en)
    return str(name_en)
