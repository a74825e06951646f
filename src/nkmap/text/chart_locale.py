"""How a chart writes numbers and dates in the interface's language, from Babel's CLDR data (the same data as
nkmap.text.messages' `number` and `day`): for the app's Vega-Lite chart (`vega_locale`, Vega's `config.locale`) and
the classroom page's own SVG chart (`number_symbols`), whose browser may have no data for the language (a Chromium
built with a reduced ICU writes 12,000 and "Nov" for Azerbaijani and Armenian)."""

from __future__ import annotations

from typing import Any

from babel.dates import get_day_names, get_month_names, get_period_names
from babel.numbers import get_decimal_symbol, get_group_symbol

from nkmap.text.messages import messages_for


def number_symbols(lang: str) -> dict[str, str]:
    """The decimal sign and the thousands separator: {"decimal": ",", "group": "."} in Azerbaijani."""
    locale = messages_for(lang).babel_locale
    return {"decimal": str(get_decimal_symbol(locale)), "group": str(get_group_symbol(locale))}


def vega_locale(lang: str) -> dict[str, Any]:
    """Vega's `config.locale`: a d3-format number locale and a d3-time-format time locale for `lang` (month and
    day names as they stand alone, as an axis writes them)."""
    m = messages_for(lang)
    locale = m.babel_locale
    symbols = number_symbols(lang)

    def months(width: str) -> list[str]:
        names = get_month_names(width, context="stand-alone", locale=locale)  # type: ignore[arg-type]
        return [str(names[i]) for i in range(1, 13)]

    def days(width: str) -> list[str]:
        names = get_day_names(width, context="stand-alone", locale=locale)  # type: ignore[arg-type]
        return [str(names[i]) for i in (6, 0, 1, 2, 3, 4, 5)]  # d3 starts the week on Sunday, Babel on Monday

    periods = get_period_names(locale=locale)
    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [3],
            "currency": ["", ""],
        },
        "time": {
            "dateTime": "%x %X",
            "date": "%d.%m.%Y",
            "time": "%H:%M:%S",
            "periods": [str(periods.get("am", "AM")), str(periods.get("pm", "PM"))],
            "days": days("wide"),
            "shortDays": days("abbreviated"),
            "months": months("wide"),
            "shortMonths": months("abbreviated"),
        },
    }
