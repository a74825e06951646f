"""Turn the fact sheet's bare URLs into citations of geo/sources.json records, each with the role it plays.

Used by import_facts.py and build_control.py. A URL becomes a citation only when the catalogue has a record for
it (a page that was read, with publisher, title, date, language and kind) and its host is not on the deny-list;
every URL left out is counted, with the reason, for geo/SOURCES.md.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nkmap.data.source_audit import CONFIRMING_ROLES  # noqa: E402
from nkmap.data.sources import CATALOGUE_FILE, Catalogue, read_catalogue_json  # noqa: E402

# A place's history entry supports, in the feature that cites it, what its kind says.
HISTORY_ROLES = {
    "claimed_captured": "claim",
    "claimed": "claim",
    "acknowledged": "acknowledgement",
    "denied": "denial",
    "captured": "report",
    "held": "report",
    "note": "report",
    "handed_over": "report",
    "reported": "report",  # an independent page reporting the change as fact
    "claim_reported": "claim",  # an independent page relaying one side's claim
}


# (history kind, side said to hold the place) -> the kind of outlet that cannot be the source of that statement.
OTHER_SIDE = {
    ("claimed_captured", "azerbaijan"): "armenian",
    ("denied", "artsakh"): "azerbaijani",
}


def url_key(url: str) -> str:
    """The form two spellings of one page share: no scheme, no www., no trailing slash or /amp."""
    text = str(url).strip()
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if text.startswith("www."):
        text = text[4:]
    text = text.rstrip("/")
    if text.endswith("/amp"):
        text = text[:-4]
    return text.lower()


class Citer:
    """Looks URLs up in the catalogue and remembers the ones it had to leave out."""

    def __init__(self, geo_dir: Path):
        self.path = geo_dir / CATALOGUE_FILE
        self.data = json.loads(self.path.read_text(encoding="utf-8"))
        self.catalogue: Catalogue = read_catalogue_json(self.data)
        self.by_url: dict[str, str] = {}
        for rid, rec in self.catalogue.records.items():
            for url in [rec.get("url"), *rec.get("also_at", [])]:
                if url:
                    self.by_url.setdefault(url_key(url), rid)
        self.left_out: Counter = Counter()

    def source_id(self, url: str) -> str | None:
        if not isinstance(url, str) or not url.strip():
            return None
        rid = self.by_url.get(url_key(url))
        if rid is None:
            reason = self.catalogue.denied(url) if url.startswith("http") else None
            self.left_out[("deny-listed: " + reason) if reason else "not verified"] += 1
            return None
        return rid

    def cite(self, urls, role: str) -> list[dict]:
        """Citations of the given URLs (those the catalogue has), each once, in the order given."""
        out, seen = [], set()
        for url in urls or []:
            if isinstance(url, dict):  # already a citation
                key = (url.get("source"), url.get("role"))
                if key not in seen:
                    seen.add(key)
                    out.append(url)
                continue
            rid = self.source_id(url)
            if rid and (rid, role) not in seen:
                seen.add((rid, role))
                out.append({"source": rid, "role": role})
        return out

    def kind(self, citation: dict) -> str | None:
        rec = self.catalogue.records.get(citation.get("source"))
        return rec.get("kind") if rec else None


def dedupe(citations: list[dict]) -> list[dict]:
    seen, out = set(), []
    for c in citations:
        key = (c["source"], c["role"])
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def support_of(citations: list[dict], citer: Citer, agreed: bool = False) -> tuple[str, str]:
    """(support, why) of a change of control from what its citations are: `confirmed` by an independent source's
    report or the other side's acknowledgement (or an agreement both sides signed), `disputed` when the other side
    denied it and nothing confirms it, else `claimed`. An independent page that only relays one side's announcement
    (role `claim`) shows the announcement was made, not that the ground changed hands: it confirms nothing (the
    rule `nkmap.data.source_audit.event_support` applies to events)."""
    independent = [c for c in citations if citer.kind(c) == "independent" and c["role"] in CONFIRMING_ROLES]
    acknowledged = [c for c in citations if c["role"] == "acknowledgement"]
    denied = [c for c in citations if c["role"] == "denial"]
    if agreed:
        return "confirmed", "set by an agreement both sides signed"
    if independent:
        return "confirmed", "reported by an independent source"
    if acknowledged:
        return "confirmed", "acknowledged by the other side"
    if denied:
        return "disputed", "claimed by one side, denied by the other; no independent report found"
    return "claimed", "one side's claim only; no acknowledgement or independent report found"


GEONAMES_URL = re.compile(r"^https?://(?:www\.)?geonames\.org/(\d+)")


def add_geonames_records(citer: Citer, urls, geonames: dict) -> None:
    """Gazetteer records for the GeoNames features cited (title = the record's name, date = its last
    modification in the GeoNames dump), kept in the catalogue beside the pages that were read."""
    for url in urls:
        m = GEONAMES_URL.match(str(url))
        if not m or url_key(url) in citer.by_url:
            continue
        g = geonames.get(m.group(1))
        if not g:
            continue
        rid = f"geonames-{m.group(1)}"
        rec = {
            "id": rid,
            "publisher": "GeoNames",
            "title": f"GeoNames feature {m.group(1)}: {g['name']}",
            "published": g["modified"],
            "url": f"https://www.geonames.org/{m.group(1)}",
            "language": "en",
            "kind": "gazetteer",
        }
        citer.catalogue.records[rid] = rec
        citer.by_url[url_key(url)] = rid
        citer.by_url[url_key(rec["url"])] = rid


def write_catalogue(citer: Citer) -> None:
    data = dict(citer.data)
    data["sources"] = sorted(citer.catalogue.records.values(), key=lambda r: r["id"])
    citer.path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def cite_place(props: dict, citer: Citer) -> None:
    """A place's URLs as citations: each history entry's with the role of its kind; the place's own with the role
    they play in its history, or `location` for gazetteer records."""
    roles: dict[str, str] = {}
    for entry in props.get("history") or []:
        role = HISTORY_ROLES.get(entry.get("kind"), "report")
        for url in entry.get("sources") or []:
            if isinstance(url, str):
                roles.setdefault(url_key(url), role)
        cited = citer.cite(entry.get("sources"), role)
        # The fact sheet often lists one article under both a claim and the other side's answer to it: the other
        # side's outlet is cited for its denial or acknowledgement, not as a source of the claim.
        against = OTHER_SIDE.get((entry.get("kind"), entry.get("side")))
        if against:
            cited = [c for c in cited if citer.kind(c) != against]
        entry["sources"] = cited
    own = []
    for url in props.get("sources") or []:
        if isinstance(url, dict):
            own.append(url)
            continue
        role = "location" if GEONAMES_URL.match(url) else roles.get(url_key(url), "report")
        own += citer.cite([url], role)
    if not own:
        own = [c for e in props.get("history") or [] for c in e["sources"]]
    props["sources"] = dedupe(own)


def cite_plain(props: dict, citer: Citer, role: str) -> None:
    props["sources"] = citer.cite(props.get("sources"), role)


def apply_place_sources(features: list[dict], path: Path) -> None:
    """Add the project's own citations and dated statements (scripts/place_sources.json) to the places, as URLs
    (cite_place turns them into citations with the catalogue)."""
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    by_id = {f["properties"]["id"]: f["properties"] for f in features}
    for c in data.get("citations", []):
        props = by_id.get(c["place_id"])
        if props is None:
            continue
        if c.get("kind") == "place":
            props["sources"] = [*(props.get("sources") or []), c["url"]]
            continue
        for entry in props.get("history") or []:
            if entry.get("date") == c.get("date") and entry.get("kind") == c.get("kind"):
                entry["sources"] = [*(entry.get("sources") or []), c["url"]]
    for e in data.get("entries", []):
        props = by_id.get(e["place_id"])
        if props is None or not e.get("date"):
            continue
        entry = {k: e[k] for k in ("date", "kind", "side", "by", "text_en")}
        entry["sources"] = list(e["sources"])
        props["history"] = sorted([*(props.get("history") or []), entry], key=lambda h: h.get("date") or "9999")


UNREAD_CLAIM_NOTE = (
    "No dated page of this announcement could be read again, so its date is the research notes' "
    "(the fact sheet's), not a cited source's."
)


def drop_unsourced_history(props: dict, left_out: Counter) -> None:
    """History entries none of whose pages could be read are left out (counted); a capture claim left out this way
    is flagged, so the card says the date is the fact sheet's, not a read source's."""
    kept = []
    for entry in props.get("history") or []:
        if entry.get("sources"):
            kept.append(entry)
            continue
        left_out[entry.get("kind")] += 1
        if entry.get("kind") == "claimed_captured" and entry.get("date") == props.get("capture_claimed_on"):
            props["capture_claim_note"] = UNREAD_CLAIM_NOTE
    props["history"] = kept
