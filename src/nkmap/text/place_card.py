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
from nkmap.data.translations import SIDE_FIELDS, text_in
from nkmap.model.gazetteer import HistoryEntry, changed_hands_on, held_by_on, held_over_time, place, place_history
from nkmap.text.messages import Messages, messages_for
from nkmap.text.place_names import place_label
from nkmap.text.popups import change_word, long_date, position_notes, source_html, text


def columns(m: Messages) -> tuple[tuple[str, str], ...]:
    """The history table's columns (entry column, heading in `m`'s language)."""
    return (("claim", m._("Claimed")), ("response", m._("Acknowledged or denied")), ("record", m._("Other records")))


def kind_labels(m: Messages) -> dict[str, str]:
    """What kind of statement a history entry is, in `m`'s language."""
    return {
        "claimed_captured": m._("capture claimed"),
        "acknowledged": m._("acknowledged"),
        "denied": m._("denied"),
        "held": m._("held"),
        "reported": m._("reported"),
        "claim_reported": m._("claim relayed"),
        "captured": m._("taken"),
        "handed_over": m._("handed over"),
        "offensive": m._("2023 offensive"),
        "note": m._("note"),
    }


COLUMNS = columns(messages_for("en"))
KIND_LABELS = kind_labels(messages_for("en"))


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
    lang: str = "en"  # the language of the card's words (the data's texts stay as the record gives them)
    title: str = ""  # the place's name for readers of `lang` (place_names.place_label); English: name_en

    @property
    def m(self) -> Messages:
        return messages_for(self.lang)

    def side_label(self, side: str | None) -> str:
        """'Azerbaijan', 'Artsakh / Armenian forces', ... or what None means for this place."""
        if side is None:
            return (
                self.m._("outside the modelled area ({country})", country=self.country)
                if self.country not in (None, "Azerbaijan")
                else self.m._("outside the modelled area")
            )
        return self.side_labels.get(side, side)

    @property
    def where(self) -> str:
        district = self.district and self.m._("{district} district", district=self.district)
        return ", ".join(t for t in (self.type and self.type_word, district, self.country) if t)

    @property
    def type_word(self) -> str:
        """The kind of place ('village', 'town' ...) in the card's language."""
        if self.lang == "en" or not self.type:
            return self.type or ""
        return place_types(self.m).get(self.type, self.type)

    @property
    def held_sentence(self) -> str:
        """'On 8 November 2020 the map shows it held by Azerbaijan.' ('' when no day was asked for)."""
        if self.day is None:
            return ""
        day = long_date(self.day, self.lang)
        if self.held_on is None:
            return self.m._(
                "On {date} it lies {where}: the map shows no holder for it.", date=day, where=self.side_label(None)
            )
        return self.m._("On {date} the map shows it held by: {side}.", date=day, side=self.side_label(self.held_on))

    @property
    def change_sentence(self) -> str:
        """When it changed hands in the model, next to the claim when the two differ (claims stay claims)."""
        m = self.m
        parts = []
        if self.changed_on:
            kind = change_word(self.change_kind or "changed_hands", self.lang)
            parts.append(
                m._(
                    "Changed hands on the map on {date} ({kind}).",
                    date=long_date(self.changed_on, self.lang),
                    kind=kind,
                )
            )
        if self.claimed_on:
            notes = []
            if self.changed_on and self.changed_on != self.claimed_on:
                notes.append(m._("the map follows the sources' later date, see the note"))
            if not self.claim_verified:
                notes.append(
                    m._("no dated page of that announcement could be read, so the date is the research notes'")
                )
            claim = m._("Azerbaijan announced its capture on {date}", date=long_date(self.claimed_on, self.lang))
            parts.append(claim + " (" + "; ".join([m._("a claim"), *notes]) + ").")
        return " ".join(parts)

    @property
    def spans_text(self) -> list[str]:
        """'Artsakh / Armenian forces: 12 May 1994 - 7 November 2020', one per period."""
        return [
            f"{self.side_label(side)}: {long_date(first, self.lang)} - {long_date(last, self.lang)}"
            for first, last, side in self.spans
        ]


def place_types(m: Messages) -> dict[str, str]:
    """The kinds of place of the gazetteer, in `m`'s language."""
    return {
        "city": m._("city"),
        "town": m._("town"),
        "settlement": m._("settlement"),
        "village": m._("village"),
        "height": m._("height"),
        "landmark": m._("landmark"),
        "crossing": m._("crossing"),
    }


def build_card(ds: Dataset, place_id: str, day: dt.date | None = None, lang: str = "en") -> Card:
    """The card of one place; `day` adds who held it that day; `lang`: the language of its words."""
    rec = place(ds, place_id)
    history = place_history(ds, place_id)
    rows: dict[dt.date | None, HistoryRow] = {}
    for entry in history:
        row = rows.setdefault(entry.date, HistoryRow(entry.date))
        getattr(row, entry.column).append(entry)
    sources = unique_citations([*rec.get("sources", []), *(s for e in history for s in e.sources)])
    labels = {
        side: str(text_in(info, "short_en", SIDE_FIELDS, lang) or info.get("short_en") or side)
        for side, info in ds.sides.items()
    }
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
        lang=lang,
        title=place_label(rec.props, lang) if lang != "en" else str(rec.get("name_en", place_id)),
    )


# ---------------------------------------------------------------- plain text


def card_text(ds: Dataset, place_id: str, day: dt.date | None = None, width: int = 100, lang: str = "en") -> str:
    """The card as plain text for a terminal (no markup; data text as it is, control characters removed)."""
    c = build_card(ds, place_id, day, lang)
    m = c.m
    out = [f"{_plain(c.title or c.name_en)}  [{_plain(c.where)}]"]
    names = [
        m._("Azerbaijani: {name}", name=_plain(c.name_az)) if c.name_az else "",
        m._("Armenian: {name}", name=_plain(c.name_hy)) if c.name_hy else "",
    ]
    if any(names):
        out.append("  " + "  |  ".join(n for n in names if n))
    if c.variants:
        out.append(_wrap("  " + m._("Also written:") + " ", ", ".join(_plain(v) for v in c.variants), width))
    if c.held_sentence:
        out.append("  " + c.held_sentence)
    out.append("  " + m._("Held by, as the map shows it:"))
    out += [f"    {s}" for s in c.spans_text]
    if c.change_sentence:
        out.append(_wrap("  ", c.change_sentence, width))
    if c.model_note:
        conf = " " + m._("(confidence: {level})", level=c.model_confidence) if c.model_confidence else ""
        out.append(_wrap("  " + m._("Note:") + " ", _plain(c.model_note) + conf, width))
    if c.rows:
        out.append("  " + m._("History (claims | acknowledgements and denials | other records):"))
        kinds = kind_labels(m)
        undated = m._("undated")
        for row in c.rows:
            day_text = row.date.isoformat() if row.date else f"{undated:<10}"
            first = True
            for column, _ in COLUMNS:
                for e in getattr(row, column):
                    lead = f"    {day_text if first else ' ' * len(day_text)}  {kinds.get(e.kind, e.kind):<15} "
                    body = f"{_plain(e.said_by(c.lang))}: {_plain(e.text(c.lang))}"
                    if e.date_precision:
                        body += " " + m._("(date: {precision})", precision=_plain(e.date_precision))
                    out.append(_wrap(lead, body, width))
                    first = False
    precision = _plain(c.coord_precision) or m._("precision not stated")
    out.append(
        "  "
        + m._(
            "Position: {lat} N, {lon} E ({precision})",
            lat=format(c.lat, ".5f"),
            lon=format(c.lon, ".5f"),
            precision=precision,
        )
    )
    if c.coord_source:
        out.append(_wrap("    " + m._("from:") + " ", _plain(c.coord_source), width))
    if c.credit:
        out.append("    " + m._("credit: {credit}", credit=_plain(c.credit)))
    if c.district_exception:
        out.append(_wrap("  " + m._("Outside its district's polygon:") + " ", _plain(c.district_exception), width))
    out.append("  " + m._("Sources:"))
    for i, s in enumerate(c.sources, 1):
        out.append(_wrap(f"    {i}. ", _plain(citation_label(s)), width))
        out.append(f"       {_plain(s.get('url'))}")
    if not c.sources:
        out.append("    " + m._("none given"))
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


def card_html(ds: Dataset, place_id: str, day: dt.date | None = None, lang: str = "en") -> str:
    """The card as one escaped HTML fragment (class names `nk-card-*`; sides as `nk-side-<id>`)."""
    c = build_card(ds, place_id, day, lang)
    m = c.m
    parts = [
        f'<div class="nk-card" data-place-id="{text(c.place_id)}">',
        f'<div class="nk-card-title">{text(c.title or c.name_en)}</div>',
    ]
    names = []
    if c.name_az:
        names.append('<span lang="az">' + m._("Azerbaijani: {name}", name=text(c.name_az)) + "</span>")
    if c.name_hy:
        names.append('<span lang="hy">' + m._("Armenian: {name}", name=text(c.name_hy)) + "</span>")
    if names:
        parts.append(f'<div class="nk-card-names">{" · ".join(names)}</div>')
    if c.variants:
        parts.append('<div class="nk-card-variants">' + m._("Also written:") + f" {text(c.variants)}</div>")
    parts.append(f'<div class="nk-card-where">{text(c.where)}</div>')
    if c.day is not None:
        parts.append(f'<div class="nk-card-held nk-side-{text(c.held_on or "none")}">{text(c.held_sentence)}</div>')
    spans = "".join(
        f'<li class="nk-side-{text(side or "none")}">{text(s)}</li>' for (_, _, side), s in zip(c.spans, c.spans_text)
    )
    parts.append('<div class="nk-card-spans">' + m._("Held by, as the map shows it:") + f"<ul>{spans}</ul></div>")
    if c.change_sentence:
        parts.append(f'<div class="nk-card-change">{text(c.change_sentence)}</div>')
    if c.model_note:
        conf = " " + m._("(confidence: {level})", level=text(c.model_confidence)) if c.model_confidence else ""
        parts.append('<div class="nk-card-note">' + m._("Note:") + f" {text(c.model_note)}{conf}</div>")
    parts.append(history_table_html(c))
    precision = position_notes(m).get(str(c.coord_precision), c.coord_precision or m._("not stated"))
    position = m._(
        "Position: {lat} N, {lon} E, {precision}",
        lat=format(c.lat, ".5f"),
        lon=format(c.lon, ".5f"),
        precision=text(precision),
    )
    if c.coord_source:
        position += "; " + m._("from {source}", source=source_html(c.coord_source))
    if c.credit:
        position += '; <span class="nk-credit">' + m._("credit: {credit}", credit=text(c.credit)) + "</span>"
    parts.append(f'<div class="nk-card-position">{position}</div>')
    if c.district_exception:
        parts.append(
            '<div class="nk-card-district-note">'
            + m._("Outside its district's polygon:")
            + f" {text(c.district_exception)}</div>"
        )
    items = "".join(f"<li>{source_html(s)}</li>" for s in c.sources)
    parts.append(
        '<div class="nk-sources">' + m._("Sources:") + f"<ol>{items}</ol></div>"
        if items
        else '<div class="nk-sources">' + m._("Sources: none given") + "</div>"
    )
    parts.append("</div>")
    return "".join(parts)


def history_table_html(c: Card) -> str:
    """The history as a table: one row per day, claims beside acknowledgements or denials and other records."""
    m = c.m
    if not c.rows:
        return '<div class="nk-card-history">' + m._("No dated statements about this place in the data.") + "</div>"
    head = "".join(f"<th>{text(label)}</th>" for _, label in columns(m))
    kinds = kind_labels(m)
    body = []
    for row in c.rows:
        cells = "".join(
            f'<td class="nk-col-{column}">{"".join(_entry_html(e, m, kinds, c.lang) for e in getattr(row, column))}</td>'
            for column, _ in COLUMNS
        )
        when = text(long_date(row.date, c.lang)) if row.date else m._("undated")
        body.append(f'<tr><th scope="row">{when}</th>{cells}</tr>')
    return (
        '<table class="nk-card-history"><thead><tr><th>' + m._("Date") + f"</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _entry_html(e: HistoryEntry, m: Messages, kinds: dict[str, str], lang: str = "en") -> str:
    kind = text(kinds.get(e.kind, e.kind))
    precision = m._("(date: {precision})", precision=text(e.date_precision))
    when = f' <span class="nk-date-precision">{precision}</span>' if e.date_precision else ""
    links = ", ".join(_source_link(s) for s in e.sources)
    cited = f' <span class="nk-entry-sources">[{links}]</span>' if links else ""
    return (
        f'<div class="nk-entry nk-kind-{text(e.kind)}"><span class="nk-kind">{kind}</span> '
        f'<span class="nk-by">{text(e.said_by(lang))}</span>: {text(e.text(lang))}{when}{cited}</div>'
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
