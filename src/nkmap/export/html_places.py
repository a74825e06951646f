"""The explorer page's "find a place" data: the name index, the place cards and what the downloads name.

The page searches in the browser, but it does not build its own index: every name of every place comes here
already folded and keyed by `nkmap.model.gazetteer` (the same index `nkmap place` and the app rank), with the
tables the page's script needs to fold a typed query the same way (`gazetteer.fold_tables`). Each place's card is
`nkmap.text.place_card.card_html`, escaped here; the page only adds the line that depends on the date shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nkmap.data.dataset import Dataset
from nkmap.data.translations import SIDE_FIELDS, text_in
from nkmap.model import gazetteer
from nkmap.text.messages import messages_for
from nkmap.text.place_card import card_html, place_types
from nkmap.text.place_names import place_label


def source_ids(sources: Any) -> list[str]:
    """The ids of a feature's sources (a plain-text citation stands for itself), for the GeoJSON download."""
    out = []
    for s in sources or []:
        ident = s.get("id") if isinstance(s, dict) else s
        if ident is not None and str(ident).strip() and str(ident) not in out:
            out.append(str(ident))
    return out


def finder_data(ds: Dataset, lang: str = "en") -> dict[str, Any]:
    """{"fold": tables, "places": [...], "names": [[place number, name, folded, word keys, primary], ...],
    "cards": [escaped card HTML per place], "sideLabels": {side: short label}}.

    Names and labels are plain text (the page sets them as text, never as HTML); the cards are escaped HTML.
    `places[i].order` is the place's rank among equally good matches (gazetteer's type, name length, name, then
    id); `changed`/`claimed` are day numbers from the timeline's start (the card's "go to the day" buttons).
    `lang`: the language of the names shown, the cards and the labels (the search finds every name in any)."""
    try:
        recs = gazetteer.places(ds)
    except KeyError:  # a dataset without a places layer: nothing to find
        return {"fold": gazetteer.fold_tables(), "places": [], "names": [], "cards": [], "sideLabels": {}}
    idx = gazetteer.index(ds)
    ids = list(recs)
    number = {pid: i for i, pid in enumerate(ids)}
    order = {pid: i for i, pid in enumerate(sorted(ids, key=lambda pid: (idx.rank.get(pid, (9,)), pid)))}

    def day(value: dt.date | None) -> int | None:
        return None if value is None else (value - ds.start).days

    m = messages_for(lang)
    kinds = place_types(m)

    def where(rec: gazetteer.PlaceRecord) -> str:
        if m.lang == "en":
            parts = (rec.get("type"), rec.get("district") and f"{rec.get('district')} district")
        else:
            kind = rec.get("type")
            district = rec.get("district")
            parts = (kinds.get(str(kind), kind), district and m._("{district} district", district=district))
        return ", ".join(str(t) for t in parts if t) or str(rec.get("country") or "")

    places = []
    for pid in ids:
        rec = recs[pid]
        changed = gazetteer.changed_hands_on(ds, pid)
        places.append(
            {
                "id": pid,
                "name": str(rec.get("name_en", pid)) if m.lang == "en" else place_label(rec.props, m.lang),
                "az": rec.get("name_az"),
                "hy": rec.get("name_hy"),
                "where": where(rec),
                "lat": round(rec.lat, 5),
                "lon": round(rec.lon, 5),
                "order": order[pid],
                "changed": day(changed),
                "claimed": day(rec.get("capture_claimed_on")),
            }
        )
    names = [[number[n.place_id], n.name, n.folded, list(n.word_keys), 1 if n.primary else 0] for n in idx.names]
    return {
        "fold": gazetteer.fold_tables(),
        "places": places,
        "names": names,
        "cards": [card_html(ds, pid, None, m.lang) for pid in ids],
        "sideLabels": {
            s: str(text_in(info, "short_en", SIDE_FIELDS, m.lang) or info.get("short_en") or s)
            for s, info in ds.sides.items()
        },
    }
