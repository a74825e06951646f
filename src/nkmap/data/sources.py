"""Sources as records: the catalogue `geo/sources.json` and the citations that point into it.

A feature cites a source as `{"source": "<record id>", "role": "<what it supports here>"}`. The record says who
published what and when (`publisher`, `title`, `published`, `url`, `language`) and which side it speaks for
(`kind`). The catalogue also keeps the hosts that are never sources (mirrors of encyclopaedias, forums, blogs,
aggregators, resellers, personal repositories), so that `nkmap validate` can refuse them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CATALOGUE_FILE = "sources.json"

SOURCE_KINDS = {
    "azerbaijani": "Azerbaijan's state, army and media (Turkish state media count here)",
    "armenian": "Armenia's and Artsakh's authorities and Armenian media",
    "russian": "Russia's state and media",
    "independent": "wire agencies, international press and bodies, independent regional outlets",
    "encyclopedia": "an encyclopaedia article (cited as the article itself, never a copy)",
    "gazetteer": "a gazetteer or geographic dataset (names, coordinates, borders)",
}
PARTISAN_KINDS = ("azerbaijani", "armenian", "russian")

CITATION_ROLES = {
    "claim": "a side's statement that it took, holds or did this",
    "acknowledgement": "the other side's acknowledgement of the claim",
    "denial": "the other side's denial of the claim",
    "report": "a report of what happened (independent when the source is)",
    "prior_control": "which side held the ground before",
    "figure": "a number: an area, a toll, a count",
    "location": "where it is: coordinates",
    "names": "the names and spellings",
    "boundary": "the outline or border it is drawn from",
    "wording": "a side's own wording, quoted",
    "context": "background that explains the feature",
}

SUPPORT_LEVELS = {
    "confirmed": "an independent source or the other side's acknowledgement",
    "claimed": "one side's word only",
    "disputed": "the sources disagree",
}

RECORD_FIELDS = ("publisher", "title", "published", "url", "language", "kind")
#: The title of a record whose page gave no headline to read and whose URL spells none (its `note` says what it is).
NO_HEADLINE = "(headline not available)"
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass
class Catalogue:
    """The source records by id, and the hosts that are never sources (host -> reason)."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    deny_hosts: dict[str, str] = field(default_factory=dict)

    def denied(self, url: str) -> str | None:
        """Why `url`'s host is not a source, or None when it may be one."""
        host = url_host(url)
        for denied, reason in self.deny_hosts.items():
            if host == denied or host.endswith("." + denied):
                return reason
        return None

    def denied_in_text(self, text: str) -> list[tuple[str, str]]:
        """The deny-listed hosts a free text names, as addresses or bare host names ("pt.qaz.wiki"), with why."""
        hosts = [url_host(u) for u in _URL_IN_TEXT.findall(text)]
        hosts += [h.lower() for h in _HOST_IN_TEXT.findall(_URL_IN_TEXT.sub(" ", text))]
        out: dict[str, str] = {}
        for host in hosts:
            reason = self.denied("//" + host)
            if reason:
                out.setdefault(host, reason)
        return list(out.items())

    def resolve(self, citation: Any) -> dict[str, Any] | None:
        """A citation as a full record with its role; None when it names no record."""
        if not isinstance(citation, dict):
            return None
        record = self.records.get(str(citation.get("source")))
        if record is None:
            return None
        out = {"id": citation["source"], **{k: record.get(k) for k in RECORD_FIELDS}, "role": citation.get("role")}
        if citation.get("note"):
            out["note"] = citation["note"]
        if record.get("title_from"):  # a title spelled from the URL, not read on the page: said where it is shown
            out["title_from"] = record["title_from"]
        return out

    def resolve_all(self, citations: Any) -> list[dict[str, Any]]:
        return [r for r in (self.resolve(c) for c in (citations or [])) if r is not None]


_URL_IN_TEXT = re.compile(r"https?://[^\s)\]]+", re.IGNORECASE)
_HOST_IN_TEXT = re.compile(r"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b", re.IGNORECASE)


def url_host(url: str) -> str:
    host = urlsplit(str(url).strip()).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def read_catalogue_json(data: Any) -> Catalogue:
    """A Catalogue from the parsed `sources.json` (unchecked: `check_catalogue` names what is wrong)."""
    if not isinstance(data, dict):
        return Catalogue()
    records = {}
    for rec in data.get("sources") or []:
        if isinstance(rec, dict) and isinstance(rec.get("id"), str):
            records[rec["id"]] = rec
    deny = {}
    for item in data.get("deny_hosts") or []:
        if isinstance(item, dict) and isinstance(item.get("host"), str):
            deny[item["host"].lower()] = str(item.get("reason") or "not a source")
    return Catalogue(records, deny)


def load_catalogue(geo_dir: str | Path) -> Catalogue:
    """The catalogue of `geo_dir`; empty when the dataset has none (validation says so)."""
    path = Path(geo_dir) / CATALOGUE_FILE
    try:
        return read_catalogue_json(json.loads(path.read_text(encoding="utf-8")))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return Catalogue()


def check_record(rec: Any, catalogue: Catalogue) -> list[str]:
    """What is wrong with one catalogue record (empty when it is a usable source)."""
    if not isinstance(rec, dict):
        return ["a source record must be an object"]
    problems = []
    for name in ("publisher", "title", "url"):
        if not isinstance(rec.get(name), str) or not rec[name].strip():
            problems.append(f"source record without {name}")
    published = rec.get("published")
    if not isinstance(published, str) or not _PUBLISHED.match(published):
        problems.append(f"source record without a date published (YYYY-MM-DD, YYYY-MM or YYYY): {published!r}")
    if rec.get("kind") not in SOURCE_KINDS:
        problems.append(f"source record with kind {rec.get('kind')!r} (use one of {', '.join(SOURCE_KINDS)})")
    if not isinstance(rec.get("language"), str) or not _LANGUAGE.match(rec["language"]):
        problems.append(f"source record without a language code: {rec.get('language')!r}")
    # title_from says the title is not the page's own headline but the URL's words; "url" is its only value
    if "title_from" in rec and rec["title_from"] != "url":
        problems.append(f"source record with title_from {rec['title_from']!r} (use 'url' or leave it out)")
    if "note" in rec and (not isinstance(rec["note"], str) or not rec["note"].strip()):
        problems.append(f"source record with an empty or non-text note: {rec['note']!r}")
    url = rec.get("url")
    if isinstance(url, str) and url.strip():
        if not url.startswith(("https://", "http://")):
            problems.append(f"source url is not a web address: {url!r}")
        reason = catalogue.denied(url)
        if reason:
            problems.append(f"source url {url} is on the deny-list ({url_host(url)}: {reason})")
    return problems


def check_citation(citation: Any, catalogue: Catalogue) -> str | None:
    """What is wrong with one citation, or None."""
    if isinstance(citation, str):
        return f"citation is a bare string ({citation[:80]!r}): cite a record of sources.json with a role"
    if not isinstance(citation, dict):
        return f"citation must be an object with source and role, not {type(citation).__name__}"
    ref = citation.get("source")
    if not isinstance(ref, str) or not ref:
        return "citation without a source id"
    if ref not in catalogue.records:
        return f"citation of unknown source {ref!r} (not in sources.json)"
    role = citation.get("role")
    if role not in CITATION_ROLES:
        return f"citation of {ref} without a role (use one of {', '.join(CITATION_ROLES)}), got {role!r}"
    return None


def unique_citations(citations: list[Any]) -> list[dict[str, Any]]:
    """Each source once (the first role it is cited for), in the order given."""
    seen, out = set(), []
    for c in citations:
        if isinstance(c, dict) and c.get("id") not in seen:
            seen.add(c.get("id"))
            out.append(c)
    return out


def kinds_of(citations: list[dict[str, Any]], roles: tuple[str, ...] | None = None) -> Counter:
    """How many of the (resolved) citations are of each kind, optionally only those with the given roles."""
    return Counter(c.get("kind") for c in citations if roles is None or c.get("role") in roles)


def one_sided(citations: list[dict[str, Any]]) -> str | None:
    """The one partisan kind all the citations come from (ignoring gazetteers and encyclopaedias), or None when an
    independent source or both sides are cited."""
    kinds = {c.get("kind") for c in citations} - {"gazetteer", "encyclopedia"}
    partisan = kinds & set(PARTISAN_KINDS)
    if "independent" in kinds or len(partisan) != 1:
        return None
    return next(iter(partisan))


def citation_label(c: dict[str, Any]) -> str:
    """One line a reader can look up: publisher, "title", date (kind; role)."""
    title = str(c.get("title") or "").strip()
    bits = [str(c.get("publisher") or "").strip()]
    if title == NO_HEADLINE:
        bits.append(title)  # not a title: no quotation marks
    elif title:
        bits.append(f"“{title}”" + (" (title as its URL gives it)" if c.get("title_from") == "url" else ""))
    if c.get("published"):
        bits.append(str(c["published"]))
    tail = "; ".join(
        x
        for x in (
            KIND_LABELS.get(str(c.get("kind")), c.get("kind")),
            ROLE_LABELS.get(str(c.get("role")), c.get("role")),
        )
        if x
    )
    return ", ".join(b for b in bits if b) + (f" ({tail})" if tail else "")


KIND_LABELS = {
    "azerbaijani": "Azerbaijani side",
    "armenian": "Armenian side",
    "russian": "Russian",
    "independent": "independent",
    "encyclopedia": "encyclopaedia",
    "gazetteer": "gazetteer",
}
ROLE_LABELS = {
    "claim": "claim",
    "acknowledgement": "acknowledgement",
    "denial": "denial",
    "report": "report",
    "prior_control": "earlier control",
    "figure": "figure",
    "location": "location",
    "names": "names",
    "boundary": "outline",
    "wording": "wording",
    "context": "context",
}
