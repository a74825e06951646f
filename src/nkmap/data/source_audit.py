"""The audit of the record behind `nkmap sources`: what the dataset cites, how balanced it is, and where it rests on
one side's word only.

Pure function of the dataset: `audit(ds)` returns the figures, `audit_text(audit)` the report a reader can check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import shapely

from nkmap.data.dataset import Dataset, plain_value
from nkmap.data.sources import PARTISAN_KINDS, SOURCE_KINDS, SUPPORT_LEVELS, one_sided

URL = re.compile(r"https?://[^\s<>\"')\]]+")
TOWN_TYPES = ("city", "town")  # towns, and the places marked `district_centre`: the changes every reader checks first


#: The roles in which an independent page confirms a change: it reports it, acknowledges it or counts it; a page
#: relaying one side's announcement (role `claim`) confirms nothing (scripts/citations.support_of follows this too).
CONFIRMING_ROLES = ("report", "acknowledgement", "figure")


def event_support(citations: list[dict[str, Any]]) -> str:
    """An event's support by the rule the change areas follow: an independent report or the other side's
    acknowledgement confirms it; a denial with neither makes it disputed; otherwise it is one side's claim."""
    if any(c.get("kind") == "independent" and c.get("role") in CONFIRMING_ROLES for c in citations):
        return "confirmed"
    if any(c.get("role") == "acknowledgement" for c in citations):
        return "confirmed"
    if any(c.get("role") == "denial" for c in citations):
        return "disputed"
    return "claimed"


@dataclass
class Audit:
    records: int = 0
    records_by_kind: Counter = field(default_factory=Counter)
    citations_by_kind: Counter = field(default_factory=Counter)
    citations_by_role: Counter = field(default_factory=Counter)
    denied_urls: list[tuple[str, str, str]] = field(default_factory=list)  # (feature id, url, reason)
    events: int = 0
    events_independent: int = 0
    events_without_independent: list[str] = field(default_factory=list)
    events_by_support: Counter = field(default_factory=Counter)
    changes: int = 0
    changes_by_support: Counter = field(default_factory=Counter)
    changes_without_support: list[str] = field(default_factory=list)
    town_changes: int = 0
    town_changes_independent: int = 0
    town_changes_without_independent: list[str] = field(default_factory=list)
    settlement_changes: int = 0  # the other settlements (qəsəbə), reported apart
    settlement_changes_independent: int = 0
    settlement_changes_without_independent: list[str] = field(default_factory=list)
    one_sided: list[tuple[str, str, str]] = field(default_factory=list)  # (layer, feature id, kind)
    uncited_records: int = 0

    @property
    def share_events_independent(self) -> float:
        return self.events_independent / self.events if self.events else 0.0

    @property
    def share_town_changes_independent(self) -> float:
        return self.town_changes_independent / self.town_changes if self.town_changes else 1.0


def _strings(value: Any):
    """Every string inside a property value (lists and dicts included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def audit(ds: Dataset) -> Audit:
    out = Audit()
    cat = ds.catalogue
    out.records = len(cat.records)
    out.records_by_kind = Counter(r.get("kind") for r in cat.records.values())
    cited_ids: set[str] = set()
    for spec in ds.layer_specs:
        if spec.derived:
            continue
        frame = ds.layers[spec.id]
        for row in frame.to_dict("records"):
            fid = str(row.get("id"))
            citations = list(row.get("sources") or [])
            for entry in plain_value(row.get("history")) or []:
                if isinstance(entry, dict):
                    citations += list(entry.get("sources") or [])
            for c in citations:
                out.citations_by_kind[c.get("kind")] += 1
                out.citations_by_role[c.get("role")] += 1
                cited_ids.add(c.get("id"))
            # A mirror or aggregator URL anywhere in the feature's text (notes, coordinate sources...) counts too.
            for text in _strings(
                {k: plain_value(v) for k, v in row.items() if k not in ("geometry", "sources", "history")}
            ):
                for url in URL.findall(text):
                    reason = cat.denied(url)
                    if reason:
                        out.denied_urls.append((fid, url, reason))
            kind = one_sided([c for c in row.get("sources") or []])
            if kind in PARTISAN_KINDS:
                out.one_sided.append((spec.id, fid, kind))
    for rec in cat.records.values():
        reason = cat.denied(str(rec.get("url")))
        if reason:
            out.denied_urls.append((f"sources.json:{rec.get('id')}", str(rec.get("url")), reason))
    out.uncited_records = len(set(cat.records) - cited_ids)

    events = ds.layers["events"]
    if "context" in ds.layers:  # context events are events too, shown and hidden apart
        events = pd.concat([events, ds.layers["context"]])
    out.events = len(events)
    for fid, cited in zip(events["id"], events["sources"]):
        if any(c.get("kind") == "independent" for c in cited):
            out.events_independent += 1
        else:
            out.events_without_independent.append(str(fid))
        out.events_by_support[event_support(cited)] += 1

    control = ds.layers["control"]
    changes = control[control["role"] == "change"]
    out.changes = len(changes)
    levels = changes["support"] if "support" in changes.columns else [None] * len(changes)
    for fid, level in zip(changes["id"], levels):
        if level in SUPPORT_LEVELS:
            out.changes_by_support[level] += 1
        else:
            out.changes_without_support.append(str(fid))

    # Each district centre or town that changed hands: the change area that took it on its modelled day.
    places = ds.layers["places"]
    for row in places.to_dict("records"):
        day = plain_value(row.get("capture_modelled_on"))
        is_town = row.get("type") in TOWN_TYPES or bool(plain_value(row.get("district_centre")))
        if not day or not (is_town or row.get("type") == "settlement"):
            continue
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        point = row["geometry"]
        taking = [
            cited
            for d, g, cited in zip(changes["valid_from"], changes.geometry, changes["sources"])
            if d == day and g is not None and shapely.intersects(g, point.buffer(0.02))
        ]
        independent = any(c.get("kind") == "independent" for cited in taking for c in cited)
        label = f"{row['id']} ({day.isoformat()})"
        if is_town:
            out.town_changes += 1
            out.town_changes_independent += independent
            if not independent:
                out.town_changes_without_independent.append(label)
        else:
            out.settlement_changes += 1
            out.settlement_changes_independent += independent
            if not independent:
                out.settlement_changes_without_independent.append(label)
    return out


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f} %)" if d else "0/0"


def audit_text(a: Audit, full: bool = True) -> str:
    lines = [
        f"Sources: {a.records} records in sources.json ({', '.join(f'{k} {a.records_by_kind[k]}' for k in SOURCE_KINDS if a.records_by_kind[k])})"
    ]
    lines.append("Citations by kind: " + ", ".join(f"{k} {n}" for k, n in a.citations_by_kind.most_common()))
    lines.append("Citations by role: " + ", ".join(f"{k} {n}" for k, n in a.citations_by_role.most_common()))
    lines.append(f"Mirror, forum, blog, aggregator or personal-repository URLs: {len(a.denied_urls)}")
    lines += [f"  {fid}: {url} ({reason})" for fid, url, reason in a.denied_urls]
    lines.append(f"Events with an independent source: {_pct(a.events_independent, a.events)}")
    lines += [f"  without: {fid}" for fid in a.events_without_independent]
    lines.append(
        "Events by support: " + ", ".join(f"{k} {_pct(a.events_by_support[k], a.events)}" for k in SUPPORT_LEVELS)
    )
    lines.append(
        "Change areas by support: "
        + ", ".join(f"{k} {_pct(a.changes_by_support[k], a.changes)}" for k in SUPPORT_LEVELS)
    )
    lines += [f"  without a support value: {fid}" for fid in a.changes_without_support]
    lines.append(
        f"Changes of district centres and towns with an independent source: "
        f"{_pct(a.town_changes_independent, a.town_changes)}"
    )
    lines += [f"  without: {t}" for t in a.town_changes_without_independent]
    lines.append(
        f"Changes of other settlements (qəsəbə) with an independent source: "
        f"{_pct(a.settlement_changes_independent, a.settlement_changes)}"
    )
    lines += [f"  without: {t}" for t in a.settlement_changes_without_independent]
    by_kind = Counter(k for _, _, k in a.one_sided)
    lines.append(
        f"Features whose sources are one side's only: {len(a.one_sided)} "
        f"({', '.join(f'{k} {n}' for k, n in by_kind.most_common())})"
    )
    if full:
        lines += [f"  {layer}: {fid} ({kind} only)" for layer, fid, kind in a.one_sided]
    lines.append(f"Records cited by no feature: {a.uncited_records}")
    return "\n".join(lines)
