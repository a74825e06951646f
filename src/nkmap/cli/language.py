"""The `--lang` option of `nkmap export | timeline | state | place`: the interface language, or a clear error."""

from __future__ import annotations

from nkmap.cli.errors import UsageError
from nkmap.text.messages import LANGUAGES, parse_language


def language_option(value: str | None) -> str:
    """The language `--lang` names (`az`, `AZ`, `ru_RU` ...); English without it; UsageError (exit 2) if unknown."""
    if value is None:
        return "en"
    code = parse_language(value)
    if code is None:
        raise UsageError(f"unknown label language '{value}'; use one of {', '.join(LANGUAGES)}")
    return code
