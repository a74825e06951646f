"""Errors a reader is shown, worded in the reader's language where they are shown.

The model, the exports and the link parsers say what is wrong in English (`str(exc)`, what the CLI, the API and
the logs print), but a page in Azerbaijani shows the problem inside an Azerbaijani sentence. So such an error
carries its English message as a template and the values that fill it: the surface words it with its catalogue
(`nkmap.text.error_text.worded`). The templates are marked with `N_` so that scripts/update_catalogues.py puts them
in the catalogues, as gettext's `gettext_noop`: marked here, translated where they are shown.
"""

from __future__ import annotations

from typing import Any


def N_(template: str) -> str:  # noqa: N802 - gettext's name for a message marked, not translated, where it is written
    return template


class WordedError(Exception):
    """An error whose message is `template` (a catalogue's msgid) filled with `values`; a plain message (no
    values) is shown as it is."""

    def __init__(self, template: str, **values: Any) -> None:
        super().__init__(template.format(**values) if values else template)
        self.template = template
        self.values = values
