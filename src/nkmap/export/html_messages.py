"""The browser's words for a page nkmap writes: `client/messages.js` and the language's catalogue (only the
messages the browser code uses), as one script to inline before the page's own scripts."""

from __future__ import annotations

import json

from nkmap.client import asset_text
from nkmap.text.messages import browser_messages, messages_for


def browser_catalogue(lang: str) -> dict[str, str]:
    """English -> `lang` for every message of client/*.js (empty for English: NKMap.t gives the English back)."""
    m = messages_for(lang)
    return {} if m.lang == "en" else m.catalogue(browser_messages())


def messages_script(lang: str) -> str:
    """The text of a <script> element: NKMap.t and the language's catalogue."""
    m = messages_for(lang)
    catalogue = json.dumps(browser_catalogue(lang), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return asset_text("messages.js") + f'NKMap.setMessages("{m.lang}", {catalogue});\n'
