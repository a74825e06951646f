"""The "History layers" and "Sources and support" sections of geo/SOURCES.md, written by scripts/build_control.py
from the dataset it has just written: every figure here is the one `nkmap state` and `nkmap sources` print."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nkmap.data.dataset import load_dataset  # noqa: E402
from nkmap.data.source_audit import audit  # noqa: E402
from nkmap.model.timeline import areas_on, held_in_country_km2  # noqa: E402

HISTORY = "## History layers (control, contact_line, lachin_corridor, shusha, transferred_districts)"
SOURCES = "## Sources and support"


def km2(value: float) -> str:
    return f"{value:,.0f} km²"


def history_section(geo: Path) -> str:
    ds = load_dataset(geo)
    eve, after, end_2023 = (
        areas_on(ds, dt.date(2020, 9, 26)),
        areas_on(ds, dt.date(2020, 12, 2)),
        areas_on(ds, dt.date(2023, 9, 19)),
    )
    before_2016, after_2016 = areas_on(ds, dt.date(2016, 3, 31)), areas_on(ds, dt.date(2016, 4, 6))
    armenia_2021 = held_in_country_km2(ds, dt.date(2021, 5, 13), "azerbaijan", "country-arm")
    armenia_2022 = held_in_country_km2(ds, dt.date(2022, 9, 15), "azerbaijan", "country-arm")
    lines = [
        HISTORY,
        "",
        "Derived from the layers above by `scripts/build_control.py` (re-run it after changing places, line points, the",
        "episodes or the context layers: `.venv/bin/python scripts/build_control.py`, then `nkmap validate`); it writes",
        "this section with the figures `nkmap state` prints. Nothing in these layers is surveyed: every area and line",
        "is `approximate` or `schematic`, and each feature says how it was drawn.",
        "",
        "- **Seeds**: every place and line point whose side on 26 Sep 2020 is sourced (`side_1994`), with the date the",
        "  model uses for its capture (`capture_modelled_on`, the first Azerbaijani announcement unless the place's",
        "  `model_note` says why not). Natural Earth's 1:10m border runs north of the Araz in places; the region reaches",
        "  out 300 m around each settlement of the Azerbaijani bank it leaves outside, so every place has a holder.",
        "- **The frame**: the rest of Azerbaijan and Armenia are held by their own states (sides `azerbaijan`,",
        "  `armenia`), so no point of either country is nobody's. Areas count the modelled region only.",
        "- **Baseline** (12 May 1994): Artsakh holds the Voronoi cells of Artsakh-side seeds, the districts it held in",
        "  full (Kalbajar, Lachin, Qubadli, Zangilan) and the ground Azerbaijan took in April 2016 (below): modelled",
        f"  {km2(before_2016['artsakh'])} before April 2016 and {km2(eve['artsakh'])} on 26 Sep 2020. Published figures",
        "  differ (see the story's first step); the tests allow 10 %.",
        f"- **April 2016** (2 Apr): Lalatapa and a strip of heights near Talish pass to Azerbaijan, "
        f"{km2(before_2016['artsakh'] - after_2016['artsakh'])} in all (Azerbaijan said 20 km², Armenia 4-8 km²).",
        "- **Captures**: each captured seed's cell, cut to at most 7 km from the settlement, passes to Azerbaijan on the",
        "  modelled date, citing what the change rests on: the claim, the other side's acknowledgement or denial, and",
        "  independent reports (not the place's coordinates or pre-war sources). Each change has a `support`:",
        "  `confirmed` (an independent report of the change, the other side's acknowledgement or an agreement both",
        "  signed), `claimed` (one side's word only) or `disputed` (claimed and denied, nothing confirming it). An",
        "  independent outlet that relays one side's announcement ('Aliyev said ...') cites it as a claim: it shows",
        "  the announcement was made, not that the ground changed hands, so it confirms nothing.",
        "  Remainders of Fuzuli, Jabrayil, Zangilan and Qubadli pass with the district's last announced capture;",
        "  pockets cut off by captures pass with the last capture around them.",
        "- **Confirmation** (10 Nov 2020): a `confirmation` row changes no holder; from the day the statement fixed the",
        "  positions held (and Artsakh's president listed the areas lost), the ground Azerbaijan took in the war is",
        "  confirmed, so the map marks wartime captures as claims only while the fighting lasted.",
        "- **Handovers** (statement of 10 Nov 2020, points 2 and 6): Aghdam 20 Nov, Kalbajar 25 Nov (scheduled 15 Nov),",
        "  Lachin 1 Dec 2020, each less the former NKAO, the corridor and the villages the sources put on the Armenian",
        f"  side after the handover (Charektar): modelled after 1 Dec 2020 {km2(after['artsakh'])} held by Artsakh and",
        f"  {km2(after['peacekeepers'])} by the peacekeepers' corridor.",
        "- **After the war**: Hin Tagher and Khtsaberd (12 Dec 2020), Parukh and part of Karaglukh (24 Mar 2022; the",
        "  village under the peacekeepers from 27 Mar, disputed), the Operation Revenge heights (3 Aug 2022, drawn as",
        "  their summits, 800 m), Lachin town (26 Aug 2022), and on 20 Sep 2023 everything Artsakh and the",
        f"  peacekeepers still held ({km2(end_2023['artsakh'] + end_2023['peacekeepers'])} on 19 Sep 2023).",
        f"- **Ground of Armenia** held by Azerbaijani forces: Lake Sev (12 May 2021, {km2(armenia_2021)}, sized to",
        f"  Armenia's 41 km²) and the Jermuk sector (13 Sep 2022; {km2(armenia_2022)} in all from then), schematic, with",
        "  both governments' positions on the undelimited border in each feature's note.",
        "- **Lachin corridor**: a 5 km band (statement, point 6) along the road through the corridor points; statuses",
        "  open, rerouted (26-30 Aug 2022), blockaded (12 Dec 2022), Hakari checkpoint (23 Apr 2023).",
        "- **Lines of contact**: the edge of the area held by Artsakh and the peacekeepers, less Armenia's and Iran's",
        "  borders, stored for 1994-2020 and each post-war state, derived on the fly for the war's dates.",
        "- **Shusha / Shushi**: a 1.5 km disc around the town centre (about the municipality's 7 km²).",
        "- **Side labels**: `artsakh` ('Artsakh (Nagorno-Karabakh) and Armenian forces') is the side that held the",
        "  ground on the Armenian side of the line. From 1994 to the 2020 ceasefire that was the Nagorno-Karabakh",
        "  Republic's forces together with Armenian forces, and the label names both because the sources of the war",
        "  seldom tell them apart. After the ceasefire it is Artsakh's forces: Armenia said in September 2023 that it",
        "  had no troops in Karabakh (event of 19 Sep 2023); the map keeps one label and one colour so that the",
        "  ground reads the same across the periods. `armenia` is the Republic of Armenia's own territory;",
        "  `peacekeepers` the Russian contingent's corridor (and Parukh village from 27 Mar 2022).",
    ]
    return "\n".join(lines) + "\n"


def sources_section(geo: Path) -> str:
    ds = load_dataset(geo)
    a = audit(ds)
    kinds = ", ".join(
        f"{k} {a.records_by_kind[k]}"
        for k in ("independent", "azerbaijani", "armenian", "russian", "encyclopedia", "gazetteer")
        if a.records_by_kind[k]
    )
    support = ", ".join(f"{k} {a.changes_by_support[k]}" for k in ("confirmed", "claimed", "disputed"))
    lines = [
        SOURCES,
        "",
        "Every citation names a record of `geo/sources.json` (publisher, title, date published, the original",
        "publisher's URL, language and kind) and says what it",
        "supports in that feature (`role`: claim, acknowledgement, denial, report, prior control, figure, location,",
        "names, boundary). Every record is a page that was read in a stored copy and says what it is cited for; the",
        "fact sheet's URLs that could not be read, had no visible date, or are on the deny-list were left out (counts",
        "in `places.geojson` metadata). `deny_hosts` in the same file lists the hosts that are never sources, with the",
        "reason: copies of encyclopaedias (cite the article itself), forums, blogs, aggregators and content farms,",
        "press-release resellers, reposts, user-edited maps and personal repositories. `nkmap validate` refuses them,",
        "also where a feature's `coord_source` or `coord_note` names one: a position only a copy of an encyclopaedia",
        "gave is kept as `approximate` and said to be unverified, or replaced by the place's GeoNames record.",
        "",
        "The publisher is the outlet at the URL, named one way for all its pages; a wire agency's text on another",
        "outlet's page is credited 'Outlet (Wire)', e.g. 'Al Arabiya (AFP)' (tests/test_record.py). The title is the",
        "page's headline, '(headline not available)' where the stored copy begins with the article's text, or the",
        "address's words where `title_from` says `url`; what the page says that we cite it for is in `note`.",
        "",
        f"Figures of `nkmap sources` when this section was written: {a.records} records ({kinds}); events with an",
        f"independent source {a.events_independent}/{a.events}; changes of district centres and towns with one",
        f"{a.town_changes_independent}/{a.town_changes}; change areas by support: {support}.",
        "",
        "Kinds: `azerbaijani` (Azerbaijan's state, army and media, and Turkish media, which relayed Baku's statements),",
        "`armenian` (Armenia, Artsakh and Armenian media, diaspora papers included), `russian` (Russian state and",
        "media), `independent` (wire agencies, third-country press, RFE/RL, OC Media, JAMnews, Caucasian Knot,",
        "international bodies), `encyclopedia`, `gazetteer` (GeoNames, Natural Earth via npm).",
    ]
    return "\n".join(lines) + "\n"


def replace_section(path: Path, heading: str, section: str) -> None:
    """Put `section` in place of the section starting with `heading` (or at the end), keeping the others."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Sources of the data in geo/\n"
    start = text.find(heading)
    if start >= 0:
        nxt = text.find("\n## ", start + len(heading))
        text = text[:start].rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n" + (text[nxt:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    path.write_text(text, encoding="utf-8")


def write_sections(geo: Path) -> None:
    replace_section(geo / "SOURCES.md", HISTORY, history_section(geo))
    replace_section(geo / "SOURCES.md", SOURCES, sources_section(geo))
