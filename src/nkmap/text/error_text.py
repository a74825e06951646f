"""An error's message in the reader's language, for the sentence that shows it ("Map view in the link ('x'):
{problem}. Showing the default view.")."""

from __future__ import annotations

from nkmap.model.worded import WordedError
from nkmap.text.messages import Messages


def worded(exc: BaseException, m: Messages) -> str:
    """`exc`'s message in `m`'s language when it is a WordedError (its template is a catalogue's msgid), else as
    it was written (English)."""
    if isinstance(exc, WordedError):
        return m._(exc.template, **exc.values)
    return str(exc)
