"""The interface's words in English, Azerbaijani (Latin), Armenian and Russian, from gettext catalogues.

Every string a user reads is written in English in the code, marked for extraction (`m._("Play")`, in browser code
`_("Play")` or `NKMap.t("Play")`), and translated in `locales/<lang>/LC_MESSAGES/nkmap.po`. The catalogues are read
with Babel at first use (no compiled `.mo` files in the repository); `scripts/update_catalogues.py` extracts the
strings from `src/nkmap` (Python and `client/*.js`) into `locales/nkmap.pot` and merges them into each `.po`.

Placeholders are named and filled with `str.format` *after* translation (`m._("Step {n} of {total}", n=3, total=9)`),
so a translator can move them. Dates and numbers are formatted per language with Babel's CLDR data, except
English's, which are fixed and written here (`_EnglishFormats`): a process that writes only English, such as an
English PNG export, then never loads CLDR's data (~4 MB of its memory, bench/bench_png_memory.py) nor imports
Babel (~1 MB more): Babel is imported in the functions that use it.

`tests/test_messages.py` fails when the template is stale, when a message lacks a translation in any language
(no English fallback is left in `az`, `hy`, `ru`), or when a translation drops or adds a placeholder.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gettext
import io
from functools import cache
from pathlib import Path
from typing import Any, Literal

#: The interface's languages, English first (the language the record is written in).
LANGUAGES = ("en", "az", "hy", "ru")
DEFAULT_LANGUAGE = "en"
#: Each language's own name for itself, for the language chooser (not translated: a reader looks for their own).
LANGUAGE_NAMES = {"en": "English", "az": "Azərbaycanca", "hy": "Հայերեն", "ru": "Русский"}
#: The BCP 47 tag for `<html lang>`, `lang=` attributes and Babel (Azerbaijani in Latin script).
LANGUAGE_TAGS = {"en": "en", "az": "az-Latn", "hy": "hy", "ru": "ru"}
# English as CLDR's "en": its "d MMM y" is "26 Sep 2020" as the English outputs write it (en_GB's is "26 Sept 2020").
_BABEL_LOCALES = {"en": "en", "az": "az", "hy": "hy", "ru": "ru"}

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "nkmap"

#: A day written out in full, the same pattern in each language: "10 November 2020", "10 noyabr 2020",
#: "10 նոյեմբերի 2020", "10 ноября 2020" (CLDR's month names, genitive where the language needs it).
DAY_PATTERN = "d MMMM y"
SHORT_DAY_PATTERN = "d MMM y"


def parse_language(value: object) -> str | None:
    """The language a link or a command line asks for (`az`, `AZ`, `az-Latn`, `ru_RU` ...), or None if unknown."""
    if not isinstance(value, str):
        return None
    code = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


class Messages:
    """The interface's strings in one language: `gettext`, `ngettext`, `pgettext`, each with named placeholders."""

    def __init__(self, lang: str, translations: gettext.NullTranslations) -> None:
        self.lang = lang
        self.tag = LANGUAGE_TAGS[lang]
        #: The Babel (CLDR) locale its dates and numbers are formatted in.
        self.babel_locale = _BABEL_LOCALES[lang]
        self._translations = translations

    def _(self, message: str, **fields: Any) -> str:
        text = self._translations.gettext(message)
        return text.format(**fields) if fields else text

    gettext = _

    def ngettext(self, singular: str, plural: str, n: int, **fields: Any) -> str:
        return self._translations.ngettext(singular, plural, n).format(n=n, **fields)

    def pgettext(self, context: str, message: str, **fields: Any) -> str:
        text = self._translations.pgettext(context, message)
        return text.format(**fields) if fields else text

    def day(self, day: dt.date) -> str:
        """A date in full, as this language's readers write it."""
        if self.lang == "en":
            return _EnglishFormats.day(day, _EnglishFormats.MONTHS["wide"])
        from babel.dates import format_date  # Babel only where it is used: see the module's docstring

        return format_date(day, DAY_PATTERN, locale=self.babel_locale)

    def short_day(self, day: dt.date) -> str:
        if self.lang == "en":
            return _EnglishFormats.day(day, _EnglishFormats.MONTHS["abbreviated"])
        from babel.dates import format_date

        return format_date(day, SHORT_DAY_PATTERN, locale=self.babel_locale)

    @property
    def own_capitals(self) -> bool:
        """Whether capitals in this language follow rules of its own (Azerbaijani's dotted İ): a page that
        capitalises with CSS in a frame without a language gets them wrong, so such text comes capitalised."""
        return self.lang == "az"

    def upper(self, text: str) -> str:
        """`text` in capitals as this language writes them: Azerbaijani capitalises i as İ (Ermənistan ->
        ERMƏNİSTAN, not ERMƏNISTAN); str.upper knows no language."""
        return (text.replace("i", "İ") if self.lang == "az" else text).upper()

    def month_names(
        self,
        width: Literal["abbreviated", "narrow", "wide"] = "abbreviated",
        context: Literal["stand-alone", "format"] = "stand-alone",
    ) -> list[str]:
        """January to December as this language names a month on its own (a chart's axis: "noy", "нояб."), or
        with `context="format"` as a date writes it (Armenian and Russian: genitive)."""
        if self.lang == "en":
            return list(_EnglishFormats.MONTHS[width])
        from babel.dates import get_month_names

        names = get_month_names(width, context=context, locale=_BABEL_LOCALES[self.lang])
        return [str(names[i]) for i in range(1, 13)]

    def number(self, value: float, decimals: int = 0) -> str:
        """A number with this language's grouping and decimal sign (12,346 / 12.346 / 12 346)."""
        if self.lang == "en":
            return _EnglishFormats.number(value, decimals)
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.babel_locale)

    def km2(self, value: float, decimals: int = 0) -> str:
        return self._("{area} km²", area=self.number(value, decimals))

    def catalogue(self, messages: list[str]) -> dict[str, str]:
        """The translations of `messages` for browser code (`NKMap.t`): English to this language."""
        return {m: self._translations.gettext(m) for m in messages}


class _EnglishFormats:
    """English dates and numbers as Babel writes them with CLDR's "en" (DAY_PATTERN, SHORT_DAY_PATTERN, "#,##0.0"):
    its month names in every context, ',' grouping thousands and '.' before decimals, rounded half to even from the
    number's shortest decimal form. tests/test_messages.py compares them with Babel's for every day of the timeline
    and a sweep of numbers."""

    MONTHS = {
        "wide": (
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December",
        ),
        "abbreviated": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        "narrow": ("J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"),
    }  # fmt: skip

    @staticmethod
    def day(day: dt.date, months: tuple[str, ...]) -> str:
        return f"{day.day} {months[day.month - 1]} {day.year}"

    @staticmethod
    def number(value: float, decimals: int) -> str:
        exact = decimal.Decimal(str(value))  # as Babel: the shortest decimal that reads back as the float
        rounded = abs(exact).quantize(decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_EVEN)
        return ("-" if exact.is_signed() else "") + f"{rounded:,f}"


@cache
def messages_for(lang: str | None) -> Messages:
    """The messages of `lang` (any form `parse_language` accepts); English for None or an unknown language."""
    code = parse_language(lang) or DEFAULT_LANGUAGE
    if code == DEFAULT_LANGUAGE:
        return Messages(code, gettext.NullTranslations())
    return Messages(code, _read_catalogue(code))


def _read_catalogue(lang: str) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    # Read the .po with Babel and compile it in memory: the repository holds only text catalogues, and gettext's
    # own machinery then handles plural forms and contexts.
    with (LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        catalog = read_po(po, locale=_BABEL_LOCALES[lang], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def browser_messages() -> list[str]:
    """Every message the browser code uses (the template's messages found in `client/*.js`)."""
    from babel.messages.pofile import read_po

    with (LOCALES_DIR / f"{DOMAIN}.pot").open("rb") as pot:
        catalog = read_po(pot)
    return sorted(
        str(m.id)
        for m in catalog
        if m.id and isinstance(m.id, str) and any(path.endswith(".js") for path, _line in m.locations)
    )
