"""A place's card: its names side by side, district, who held it on a date, its history with each claim beside
the other side's acknowledgement or denial, and its sources. The same `Card` renders as escaped HTML (the app)
and as plain text (`nkmap place`).

Every value from the data passes through `popups.text` / `popups.source_html` before it is placed in markup.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from nkmap.data.dataset import Dataset
from nkmap.data.sources import citation_label, unique_citations
from nkmap.model.gazetteer import HistoryEntry, changed_hands_on, held_by_on, held_over_time, place, place_history
from nkmap.text.popups import PRECISION_NOTES, long_date, source_html, text

COLUMNS = (("claim", "Claimed"), ("response", "Acknowledged or denied"), ("record", "Other records"))
KIND_LABELS = {
    "claimed_captured": "capture claimed",
    "acknowledged": "acknowledged",
    "denied": "denied",
    "held": "held",
    "reported": "reported",
    "claim_reported": "claim relayed",
    "captured": "taken",
    "handed_over": "handed over",
    "offensive": "2023 offensive",
    "note": "note",
}


@dataclass(frozen=True)
class HistoryRow:
    """The statements of one day, split into the card's three columns."""

    date: dt.date | None
    claim: list[HistoryEntry] = field(default_factory=list)
    response: list[HistoryEntry] = field(default_factory=list)
    record: list[HistoryEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Card:
    """Everything the card shows about one place, as plain values (no markup)."""

    place_id: str
    name_en: str
    name_az: str | None
    name_hy: str | None
    variants: list[str]
    type: str | None
    district: str | None
    country: str | None
    day: dt.date | None
    held_on: str | None  # side id on `day` (None: outside the modelled area, or no day asked)
    spans: list[tuple[dt.date, dt.date, str | None]]
    claimed_on: dt.date | None
    changed_on: dt.date | None
    change_kind: str | None
    model_note: str | None
    model_confidence: str | None
    rows: list[HistoryRow]
    claim_verified: bool
    lat: float
    lon: float
    coord_source: str | None
    coord_precision: str | None
    coord_note: str | None
    credit: str | None
    district_exception: str | None
    sources: list[dict[str, Any]]
    side_labels: dict[str, str]

    def side_label(self, side: str | None) -> str:
        """'Azerbaijan', 'Artsakh / Armenian forces', ... or what None means for this place."""
        if side is None:
            return (
                f"outside the modelled area ({self.country})"
                if self.country not in (None, "Azerbaijan")
                else "outside the modelled area"
            )
        return self.side_labels.get(side, side)

    @property
    def where(self) -> str:
        return ", ".join(t for t in (self.type, self.district and f"{self.district} district", self.country) if t)

    @property
    def held_sentence(self) -> str:
        """'On 8 November 2020 the map shows it held by Azerbaijan.' ('' when no day was asked for)."""
        if self.day is None:
            return ""
        if self.held_on is None:
            return f"On {long_date(self.day)} it lies {self.side_label(None)}: the map shows no holder for it."
        return f"On {long_date(self.day)} the map shows it held by: {self.side_label(self.held_on)}."

    @property
    def change_sentence(self) -> str:
        """When it changed hands in the model, next to the claim when the two differ (claims stay claims)."""
        parts = []
        if self.changed_on:
            kind = (self.change_kind or "changed hands").replace("_", " ")
            parts.append(f"Changed hands on the map on {long_date(self.changed_on)} ({kind}).")
        if self.claimed_on:
            claim = f"Azerbaijan announced its capture on {long_date(self.claimed_on)} (a claim"
            if self.changed_on and self.changed_on != self.claimed_on:
                claim += "; the map follows the sources' later date, see the note"
            if not self.claim_verified:
                claim += "; no dated page of that announcement could be read, so the date is the research notes'"
            parts.append(claim + ").")
        return " ".join(parts)

    @property
    def spans_text(self) -> list[str]:
        """'Artsakh / Armenian forces: 12 May 1994 - 7 November 2020', one per period."""
        return [f"{self.side_label(side)}: {long_date(first)} - {long_date(last)}" for first, last, side in self.spans]


def build_card(ds: Dataset, place_id: str, day: dt.date | None = None) -> Card:
    """The card of one place; `day` adds who held it that day."""
    rec = place(ds, place_id)
    history = place_history(ds, place_id)
    rows: dict[dt.date | None, HistoryRow] = {}
    for entry in history:
        row = rows.setdefault(entry.date, HistoryRow(entry.date))
        getattr(row, entry.column).append(entry)
    sources = unique_citations([*rec.get("sources", []), *(s for e in history for s in e.sources)])
    labels = {side: str(info.get("short_en") or side) for side, info in ds.sides.items()}
    return Card(
        place_id=place_id,
        name_en=str(rec.get("name_en", place_id)),
        name_az=rec.get("name_az"),
        name_hy=rec.get("name_hy"),
        variants=[str(v) for v in rec.get("names_variant", [])],
        type=rec.get("type"),
        district=rec.get("district"),
        country=rec.get("country"),
        day=day,
        held_on=held_by_on(ds, place_id, day) if day else None,
        spans=held_over_time(ds, place_id),
        claimed_on=rec.get("capture_claimed_on"),
        changed_on=changed_hands_on(ds, place_id),
        change_kind=rec.get("change_kind"),
        model_note=rec.get("model_note"),
        model_confidence=rec.get("model_confidence"),
        rows=list(rows.values()),
        claim_verified=not rec.get("capture_claim_note"),
        lat=rec.lat,
        lon=rec.lon,
        coord_source=rec.get("coord_source"),
        coord_precision=rec.get("coord_precision"),
        coord_note=rec.get("coord_note"),
        credit=rec.get("credit"),
        district_exception=rec.get("district_exception"),
        sources=sources,
        side_labels=labels,
    )


# ---------------------------------------------------------------- plain text


def card_text(ds: Dataset, place_id: str, day: dt.date | None = None, width: int = 100) -> str:
    """The card as plain text for a terminal (no markup; data text as it is, control characters removed)."""
    c = build_card(ds, place_id, day)
    out = [f"{_plain(c.name_en)}  [{_plain(c.where)}]"]
    names = [
        f"Azerbaijani: {_plain(c.name_az)}" if c.name_az else "",
        f"Armenian: {_plain(c.name_hy)}" if c.name_hy else "",
    ]
    if any(names):
        out.append("  " + "  |  ".join(n for n in names if n))
    if c.variants:
        out.append(_wrap("  Also written: ", ", ".join(_plain(v) for v in c.variants), width))
    if c.held_sentence:
        out.append("  " + c.held_sentence)
    out.append("  Held by, as the map shows it:")
    out += [f"    {s}" for s in c.spans_text]
    if c.change_sentence:
        out.append(_wrap("  ", c.change_sentence, width))
    if c.model_note:
        conf = f" (confidence: {c.model_confidence})" if c.model_confidence else ""
        out.append(_wrap("  Note: ", _plain(c.model_note) + conf, width))
    if c.rows:
        out.append("  History (claims | acknowledgements and denials | other records):")
        for row in c.rows:
            day_text = row.date.isoformat() if row.date else "undated   "
            first = True
            for column, _ in COLUMNS:
                for e in getattr(row, column):
                    lead = f"    {day_text if first else ' ' * len(day_text)}  {KIND_LABELS.get(e.kind, e.kind):<15} "
                    body = f"{_plain(e.by)}: {_plain(e.text_en)}"
                    if e.date_precision:
                        body += f" (date: {_plain(e.date_precision)})"
                    out.append(_wrap(lead, body, width))
                    first = False
    out.append(f"  Position: {c.lat:.5f} N, {c.lon:.5f} E ({_plain(c.coord_precision) or 'precision not stated'})")
    if c.coord_source:
        out.append(_wrap("    from: ", _plain(c.coord_source), width))
    if c.credit:
        out.append(f"    credit: {_plain(c.credit)}")
    if c.district_exception:
        out.append(_wrap("  Outside its district's polygon: ", _plain(c.district_exception), width))
    out.append("  Sources:")
    for i, s in enumerate(c.sources, 1):
        out.append(_wrap(f"    {i}. ", _plain(citation_label(s)), width))
        out.append(f"       {_plain(s.get('url'))}")
    if not c.sources:
        out.append("    none given")
    return "\n".join(out)


def _plain(value) -> str:
    """Data text for a terminal: control characters (escape sequences) dropped, whitespace collapsed."""
    if value is None:
        return ""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())


def _wrap(lead: str, body: str, width: int) -> str:
    return textwrap.fill(
        body,
        width=max(width, len(lead) + 20),
        initial_indent=lead,
        subsequent_indent=" " * min(len(lead), 34),
        break_long_words=False,
        break_on_hyphens=False,
    )


# ---------------------------------------------------------------- HTML


def card_html(ds: Dataset, place_id: str, day: dt.date | None = None) -> str:
    """The card as one escaped HTML fragment (class names `nk-card-*`; sides as `nk-side-<id>`)."""
    c = build_card(ds, place_id, day)
    parts = [
        f'<div class="nk-card" data-place-id="{text(c.place_id)}">',
        f'<div class="nk-card-title">{text(c.name_en)}</div>',
    ]
    names = []
    if c.name_az:
        names.append(f'<span lang="az">Azerbaijani: {text(c.name_az)}</span>')
    if c.name_hy:
        names.append(f'<span lang="hy">Armenian: {text(c.name_hy)}</span>')
    if names:
        parts.append(f'<div class="nk-card-names">{" · ".join(names)}</div>')
    if c.variants:
        parts.append(f'<div class="nk-card-variants">Also written: {text(c.variants)}</div>')
    parts.append(f'<div class="nk-card-where">{text(c.where)}</div>')
    if c.day is not None:
        parts.append(f'<div class="nk-card-held nk-side-{text(c.held_on or "none")}">{text(c.held_sentence)}</div>')
    spans = "".join(
        f'<li class="nk-side-{text(side or "none")}">{text(s)}</li>' for (_, _, side), s in zip(c.spans, c.spans_text)
    )
    parts.append(f'<div class="nk-card-spans">Held by, as the map shows it:<ul>{spans}</ul></div>')
    if c.change_sentence:
        parts.append(f'<div class="nk-card-change">{text(c.change_sentence)}</div>')
    if c.model_note:
        conf = f" (confidence: {text(c.model_confidence)})" if c.model_confidence else ""
        parts.append(f'<div class="nk-card-note">Note: {text(c.model_note)}{conf}</div>')
    parts.append(history_table_html(c))
    precision = PRECISION_NOTES.get(str(c.coord_precision), c.coord_precision or "not stated")
    position = f"Position: {c.lat:.5f} N, {c.lon:.5f} E, {text(precision)}"
    if c.coord_source:
        position += f"; from {source_html(c.coord_source)}"
    if c.credit:
        position += f'; <span class="nk-credit">credit: {text(c.credit)}</span>'
    parts.append(f'<div class="nk-card-position">{position}</div>')
    if c.district_exception:
        parts.append(
            f'<div class="nk-card-district-note">Outside its district\'s polygon: {text(c.district_exception)}</div>'
        )
    items = "".join(f"<li>{source_html(s)}</li>" for s in c.sources)
    parts.append(
        f'<div class="nk-sources">Sources:<ol>{items}</ol></div>'
        if items
        else '<div class="nk-sources">Sources: none given</div>'
    )
    parts.append("</div>")
    return "".join(parts)


def history_table_html(c: Card) -> str:
    """The history as a table: one row per day, claims beside acknowledgements or denials and other records."""
    if not c.rows:
        return '<div class="nk-card-history">No dated statements about this place in the data.</div>'
    head = "".join(f"<th>{text(label)}</th>" for _, label in COLUMNS)
    body = []
    for row in c.rows:
        cells = "".join(
            f'<td class="nk-col-{column}">{"".join(_entry_html(e) for e in getattr(row, column))}</td>'
            for column, _ in COLUMNS
        )
        body.append(f'<tr><th scope="row">{text(long_date(row.date)) if row.date else "undated"}</th>{cells}</tr>')
    return (
        f'<table class="nk-card-history"><thead><tr><th>Date</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _entry_html(e: HistoryEntry) -> str:
    kind = text(KIND_LABELS.get(e.kind, e.kind))
    when = f' <span class="nk-date-precision">(date: {text(e.date_precision)})</span>' if e.date_precision else ""
    links = ", ".join(_source_link(s) for s in e.sources)
    cited = f' <span class="nk-entry-sources">[{links}]</span>' if links else ""
    return (
        f'<div class="nk-entry nk-kind-{text(e.kind)}"><span class="nk-kind">{kind}</span> '
        f'<span class="nk-by">{text(e.by)}</span>: {text(e.text_en)}{when}{cited}</div>'
    )


def _source_link(source: Any) -> str:
    """A short link for a citation (its publisher, with the whole record as the title); other text escaped."""
    if isinstance(source, dict):
        url = str(source.get("url") or "")
        label = text(source.get("publisher") or url)
        if url.lower().startswith(("http://", "https://")):
            return (
                f'<a href="{text(url)}" target="_blank" rel="noopener noreferrer" '
                f'title="{text(citation_label(source))}">{label}</a>'
            )
        return label
    raw = str(source).strip()
    if raw.lower().startswith(("http://", "https://")):
        try:
            host = (urlsplit(raw).hostname or raw).removeprefix("www.")
        except ValueError:  # e.g. a malformed IPv6 host: show the whole citation
            host = raw
        return f'<a href="{text(raw)}" target="_blank" rel="noopener noreferrer" title="{text(raw)}">{text(host)}</a>'
    return text(raw)
