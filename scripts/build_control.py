#!/usr/bin/env python3
"""Derive the history layers of geo/ from the dataset's own facts (re-runnable; run after the context build).

Inputs (all in geo/): region, districts, nkao, countries, places, line_points.
Outputs: control.geojson, contact_line.geojson, lachin_corridor.geojson, shusha.geojson,
transferred_districts.geojson.

Method (every area drawn here is `approximate` or `schematic`, and says so):
- Seeds: every place and line point whose side on 26 Sep 2020 is known, with its dated changes of hands (the
  modelled capture date of each announced capture; the dated changes of the post-war line). Each seed gets its
  Voronoi cell inside the region: the area nearer to it than to any other settlement of known side.
- Baseline (12 May 1994 - 26 Sep 2020): Artsakh holds the cells of Artsakh-side seeds plus the districts that the
  sources say it held in full (Kalbajar, Lachin, Qubadli, Zangilan); Azerbaijan the rest of the region.
- Each captured seed's cell passes to Azerbaijan on its modelled date, as one change feature carrying the claim,
  the acknowledgement and the sources of that place. Remainders of the four southern districts still held on
  9 Nov are assigned to the district's last announced capture (Artsakh acknowledged losing them on 10 Nov).
- The three districts handed over under the 10 Nov 2020 statement pass on their handover dates (less the former
  NKAO, which Artsakh kept, and the Lachin corridor, which passed to the Russian peacekeepers).
- The corridor: 5 km wide (the statement's figure) along the road through the corridor's points; the 2022 route
  from 26 Aug 2022, when Lachin/Berdzor, Zabukh/Aghavno and Sus passed to Azerbaijan.
- 20 Sep 2023: after the offensive of 19-20 Sep, Artsakh's forces agreed to disarm; every remaining area is shown
  as passing to Azerbaijan that day (schematic: Azerbaijani forces entered the towns over the following weeks).
- Lines of contact: the edge of the Artsakh-held area on each date (less Armenia's and Iran's borders), computed
  by nkmap.model.timeline from the control layer written here, and stored for the pre-war and post-war periods.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely
import shapely.ops
from shapely.geometry import LineString, MultiPoint, Point, mapping

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
sys.path.insert(0, str(ROOT / "src"))

from nkmap.data.geometry import area_km2, from_equal_area, to_equal_area  # noqa: E402
from nkmap.text.messages import messages_for  # noqa: E402  (dates in each language, as the interface writes them)
from nkmap.text.place_names import place_label  # noqa: E402  (the names policy, as the map shows names)

sys.path.insert(0, str(ROOT / "scripts"))
from citations import Citer, dedupe, support_of  # noqa: E402
from facts_corrections import SUMMIT_REACH_M, SUMMITS  # noqa: E402

CITER: Citer | None = None  # the catalogue of geo/sources.json, opened by main()


def cite(urls, role: str) -> list[dict]:
    """Citations of the catalogue's records for these URLs (pages not in it are left out and counted)."""
    return CITER.cite(urls, role)


def event_citations(event_id: str) -> list[dict]:
    """The citations of one event of geo/events.geojson (the status of a layer feature rests on the same reports)."""
    for f in json.loads((GEO / "events.geojson").read_text(encoding="utf-8"))["features"]:
        if f["properties"]["id"] == event_id:
            return [c for c in f["properties"]["sources"] if c.get("role") in ("report", "claim", "acknowledgement")]
    return []


def supported(citations: list[dict], agreed: bool = False) -> dict:
    """`support` and `support_note` of a change from its citations (see citations.support_of)."""
    level, why = support_of(citations, CITER, agreed=agreed)
    return {"support": level, "support_note": why}


START, END = "1994-05-12", "2024-06-12"
WAR_START, CEASEFIRE = dt.date(2020, 9, 27), dt.date(2020, 11, 10)
SURRENDER = "2023-09-20"
# Dates on which whole areas change by the rules below (handovers, the corridor, the surrender): a settlement's
# own dated change on these days is already part of them.
RULE_DATES = {"2020-11-20", "2020-11-25", "2020-12-01", "2022-08-26", SURRENDER}
CORRIDOR_HALF_WIDTH_M = 2500
# A capture claim covers the settlement's Voronoi cell, but no further than this from it: where settlements are
# sparse (forests, mountains) a cell would otherwise hand over land no claim mentions. What is left is assigned
# by the district rules below (the southern districts' remainders, the handovers), or stays with Artsakh.
CAPTURE_REACH_M = 7000
KEPT_VILLAGE_M = 2500
ARAZ_BANK_M = 300  # how far around a bank village the region reaches across Natural Earth's generalised border  # a village kept by Artsakh at a handover keeps this much of its cell (no source gives more)
TAKEN_TOWN_RADIUS_M = 2000  # around places on the corridor road that Azerbaijan took in the war (Shusha, Dashalti)  # statement point 6: "a 5-km-wide Lachin corridor"
STATEMENT_SOURCES = [
    "https://www.primeminister.am/en/press-release/item/2020/11/10/Announcement/%20%20%20%20%20%20%20%20%20statement",
    "https://news.ru/en/cis-countries/full-text-of-statement-between-azerbaijan-and-armenia-revealed/",
]
HELD_IN_FULL = {  # districts the Armenian side held entirely before the war (facts: EJIL:Talk, district pages)
    "district-kalbajar",
    "district-lachin",
    "district-qubadli",
    "district-zangilan",
}
HELD_IN_FULL_SOURCES = [
    "https://www.ejiltalk.org/the-recent-ceasefire-in-nagorno-karabakh-territorial-control-peacekeepers-and-unanswered-question-of-status/",
]
SOUTHERN = ("district-fuzuli", "district-jabrayil", "district-zangilan", "district-qubadli")
HARUTYUNYAN_10_NOV = [
    "https://aysor.am/am/news/2020/11/10/arayik-harutyunyan/1769007",
    "https://mirrorspectator.com/2020/11/10/36108/",
]
TRANSFERS = [  # (district id, statement point, scheduled, actual, sources)
    (
        "district-aghdam",
        2,
        "2020-11-20",
        "2020-11-20",
        [
            "https://www.aljazeera.com/news/2020/11/20/azerbaijan-army-enters-district-handed-over-by-armenia",
            "https://artsakhinfo.am/en/a/adrbejani-zinvats-vouzhern-aknayvoum-en",
            *STATEMENT_SOURCES,
        ],
    ),
    (
        "district-kalbajar",
        6,
        "2020-11-15",
        "2020-11-25",
        [
            "https://jam-news.net/kelbajar-region-karabakh-news-war-transmission-armenia-azerbaijan/",
            "https://jam-news.net/trilateral-agreement-kelbajar-region-postponement-of-november-25-azerbaijan-news/",
            "https://www.commonspace.eu/news/hand-over-kelbajar-azerbaijan-postponed-until-25-november",
            *STATEMENT_SOURCES,
        ],
    ),
    (
        "district-lachin",
        6,
        "2020-12-01",
        "2020-12-01",
        [
            "https://tass.com/world/1229757",
            "https://dailyasianage.com/news/248568/azerbaijan-army-enters-last-district-handed-over-by-armenia",
            *STATEMENT_SOURCES,
        ],
    ),
]
CORRIDOR_SOURCES_2022 = [
    "https://www.civilnet.am/en/news/671866/three-days-left-till-armenia-hands-over-lachin-and-aghavno-to-azerbaijan/",
    "https://eng.kavkaz-uzel.eu/articles/61122/",
    "https://www.azatutyun.am/a/32001187.html",
    "https://caucasianknot.org/articles/60993",
]
BLOCKADE_SOURCES = [
    "https://forrights.am/2022/12/15/lachin-corridor-blocked-by-azerbaijani-eco-activists/",
    "https://news.am/eng/news/734702.html",
]
HAKARI_SOURCES = [
    "https://news.az/news/baku-dismisses-yerevans-claims-as-baseless",
    "https://menafn.com/1107080993/More-People-Of-Armenian-Origin-Leave-Azerbaijans-Karabakh-Photo",
]
SURRENDER_SOURCES = [
    "https://caliber.az/en/post/azerbaijani-mod-announces-end-to-anti-terror-operation-in-garabagh-lists-conditions",
    "https://sputnikglobe.com/20230920/azerbaijani-announces-reached-agreement-to-suspend-anti-terrorist-activities-in-nagorno-karabakh-1113517950.html",
    "https://babel.ua/en/news/98656-fighting-for-nagorno-karabakh-stops-the-sides-agreed-on-a-meeting",
]
SHUSHA_HELD_SOURCES = [
    "https://www.aljazeera.com/news/2020/11/9/ethnic-armenians-confirm-loss-of-shusha-to-azeri-forces"
]
SHUSHA_ACK_SOURCES = ["https://armenpress.am/eng/news/1034286/"]
SHUSHA_SOURCES = ["https://www.unian.info/world/nagorno-karabakh-aliyev-says-key-city-of-shusha-captured-11211161.html"]

# Buffers in metres: the band, the capture reach and the town discs are real distances.
to_m, to_deg = to_equal_area, from_equal_area


def read(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / f"{name}.geojson")


def listed(value) -> list:
    if value is None:
        return []
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
            return loaded if isinstance(loaded, list) else [loaded]
        except json.JSONDecodeError:
            return [value]
    return list(value)


def day(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value)[:10]
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:  # partial dates ("2023-09") say too little to draw a change from
        return None


def polygonal(geom):
    """The valid polygonal part of an overlay result, however small."""
    geom = shapely.make_valid(geom)
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def clean(geom):
    """Valid, polygonal, with slivers from overlay noise dropped."""
    geom = shapely.make_valid(geom)
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        return shapely.Polygon()
    geom = shapely.union_all(polys)
    parts = [p for p in getattr(geom, "geoms", [geom]) if area_km2(p) > 0.05]
    # No simplification here: areas that meet must keep identical edges, or slivers appear between them.
    return shapely.union_all(parts) if parts else shapely.Polygon()


def seeds(places: gpd.GeoDataFrame, line_points: gpd.GeoDataFrame) -> list[dict]:
    """Settlements whose side before the war is known, with the dated steps their cell follows."""
    out: dict[tuple, dict] = {}
    for _, row in places.iterrows():
        p = row.to_dict()
        modelled = day(p.get("capture_modelled_on"))
        side0 = p.get("side_1994") or ("artsakh" if day(p.get("capture_claimed_on")) else None)
        if side0 not in ("artsakh", "azerbaijan"):
            continue
        steps = []
        # Handovers and the 2023 offensive are drawn by the district and corridor rules below, not per place.
        kind = p.get("change_kind")
        captured = kind is None or (isinstance(kind, float) and kind != kind) or kind == "captured"
        if modelled and side0 == "artsakh" and captured:
            steps.append({"date": modelled, "side": "azerbaijan", "place": p})
        key = (round(row.geometry.x, 3), round(row.geometry.y, 3))
        out[key] = {"id": p["id"], "point": row.geometry, "side0": side0, "steps": steps, "place": p}
    seeded = {s["id"] for s in out.values()}
    for _, row in line_points.iterrows():
        p = row.to_dict()
        key = (round(row.geometry.x, 3), round(row.geometry.y, 3))
        if key in out:
            continue
        if p.get("place_id") in seeded and p.get("set") == "line_2020_12":
            # The same settlement as a place already seeded (e.g. Khtsaberd: the place changes on 12 Dec, its line
            # point on 13 Dec): one seed per settlement, or the settlement changes hands twice.
            continue
        side = p.get("side")
        changes = sorted(
            (c for c in listed(p.get("changes")) if isinstance(c, dict) and day(c.get("date"))),
            key=lambda c: day(c["date"]),
        )
        to_az = [c for c in changes if str(c.get("to", "")).startswith("azerbaijan")]
        if p.get("set") == "loc_1994" and side in ("artsakh", "azerbaijan"):
            side0 = side
        elif p.get("set") == "line_2020_12" and (
            side == "artsakh" or to_az or any(c.get("to") == "artsakh" for c in changes)
        ):
            side0 = "artsakh"  # held by Artsakh at some time after the war, so before it too
        else:
            continue  # Azerbaijani after the war with no dated change: its side before the war is unknown
        steps = [
            {
                "date": day(c["date"]),
                "side": "azerbaijan",
                "place": p,
                "note": f"{c.get('note') or 'change of hands'} ({c.get('to')})",
            }
            for c in to_az
        ]
        out[key] = {"id": p["id"], "point": row.geometry, "side0": side0, "steps": steps, "place": p}
    return list(out.values())


def plain(value):
    """JSON-safe property values: NaN/NaT as null, numpy values as Python ones, timestamps as ISO dates."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "isoformat"):
        return None if str(value) == "NaT" else value.isoformat()[:10]
    if hasattr(value, "tolist"):
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def feature(geom, **props) -> dict:
    geom = shapely.set_precision(geom, 1e-5) if geom.geom_type != "Point" else geom
    props = {k: plain(v) for k, v in props.items() if plain(v) is not None}
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


TRANSLATIONS_FILE = ROOT / "scripts" / "control_translations.json"
TRANSLATED = ("az", "hy", "ru")
ATTRIBUTIONS = ("claimed_by", "acknowledged_by", "denied_by")
TRANSLATION_MARKER = {
    lang: {
        "by": "nkmap project",
        "from": "en",
        "note": "the project's translation of the English (scripts/control_translations.json); names of places by "
        "the names policy of geo/SOURCES.md; to be reviewed by a native reader",
    }
    for lang in TRANSLATED
}


#: The layers whose features' names get `title_<lang>` (nkmap.data.translations.TITLED_LAYERS written here).
TITLED = ("control", "contact_line", "peacekeepers_zone", "transferred_districts", "lachin_corridor", "shusha")


def titled(pattern: str, **values) -> dict:
    """`title_<lang>` of a name this script puts together: the pattern of that name in each language (the table's
    `patterns`), with a date (`dt.date`) as the language writes it (nkmap.text.messages `m.day`) and a place (a
    record's properties) as its readers name it (`place_label`; a district by its own `title_<lang>`)."""
    table = json.loads(TRANSLATIONS_FILE.read_text(encoding="utf-8"))["patterns"][pattern]

    def shown(value, lang: str) -> str:
        if isinstance(value, dt.date):
            return messages_for(lang).day(value)
        if isinstance(value, dict):
            return str(value.get(f"title_{lang}") or place_label(value, lang))
        return str(value)

    return {
        f"title_{lang}": table[lang].format(**{k: shown(v, lang) for k, v in values.items()}) for lang in TRANSLATED
    }


def translate(name: str, features: list[dict]) -> dict:
    """Add each feature's texts in az, hy and ru beside the English (nkmap.data.translations: `title_<lang>` for a
    feature's name, `claimed_by_<lang>` ...), from scripts/control_translations.json (a name put together from a
    pattern comes with its titles, `titled`); the file's metadata marking them as the project's translation ({} when
    the file has nothing to translate)."""
    table = json.loads(TRANSLATIONS_FILE.read_text(encoding="utf-8"))
    places = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads((GEO / "places.geojson").read_text(encoding="utf-8"))["features"]
    }
    missing = []

    def texts(english: str, group: str, props: dict) -> dict | None:
        if english in table[group]:
            return table[group][english]
        place = places.get(props.get("place_id") or "")
        if group == "titles" and place and english == f"Area around {place['name_en']}":
            return {lang: table["area_around"][lang].format(name=place_label(place, lang)) for lang in TRANSLATED}
        missing.append(english)
        return None

    translated = False
    for f in features:
        props = f["properties"]
        keys = [("name_en", "title", "titles")] if name in TITLED else []
        keys += [(k, k, "attributions") for k in ATTRIBUTIONS]
        for english_key, stem, group in keys:
            if props.get(english_key):
                translated = True
                if all(props.get(f"{stem}_{lang}") for lang in TRANSLATED):
                    continue  # put together with the English (`titled`)
                found = texts(props[english_key], group, props)
                props.update({f"{stem}_{lang}": found[lang] for lang in TRANSLATED} if found else {})
    if missing:
        sys.exit(f"{name}: no translation in {TRANSLATIONS_FILE.name} of: " + "; ".join(sorted(set(missing))))
    return {"translations": TRANSLATION_MARKER} if translated else {}


def write(name: str, features: list[dict]) -> None:
    path = GEO / f"{name}.geojson"
    kept = [f for f in features if not shapely.geometry.shape(f["geometry"]).is_empty]
    if len(kept) < len(features):  # slivers that vanish on the 1e-5° grid the files are written on
        print(f"{name}: dropped {len(features) - len(kept)} features with no area left on the file's grid")
    metadata = translate(name, kept)
    data = {"type": "FeatureCollection", **({"metadata": metadata} if metadata else {}), "features": kept}
    path.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {path}: {len(features)} features, {path.stat().st_size / 1024:.0f} KB")


def claim_props(place: dict) -> dict:
    """Who claimed the capture and when, who acknowledged it, from the place's history."""
    history = [h for h in listed(place.get("history")) if isinstance(h, dict)]
    claim = next((h for h in history if h.get("kind") == "claimed_captured"), None)
    ack = next((h for h in history if h.get("kind") == "acknowledged"), None)
    denial = next((h for h in history if h.get("kind") == "denied"), None)
    return {
        "claimed_by": (claim or {}).get("by"),
        "claimed_on": day(place.get("capture_claimed_on")) or (claim or {}).get("date"),
        "acknowledged_by": (ack or {}).get("by"),
        "acknowledged_on": (ack or {}).get("date"),
        "denied_by": (denial or {}).get("by"),
        "denied_on": (denial or {}).get("date"),
    }


CHANGE_ROLES = ("claimed_captured", "acknowledged", "denied", "captured", "reported", "claim_reported")


def change_citations(place: dict) -> list[dict]:
    """What a settlement's change of hands rests on: the claim, the other side's acknowledgement or denial and any
    report of the capture, from its history; a line point's own citations when it has no such history."""
    out = []
    for h in listed(place.get("history")):
        if isinstance(h, dict) and h.get("kind") in CHANGE_ROLES:
            out += [c for c in listed(h.get("sources")) if isinstance(c, dict)]
    if not out:  # a line point's own pages (who held it when); a gazetteer only locates a place, it reports nothing
        out = [
            {"source": c["source"], "role": "report"}
            for c in listed(place.get("sources"))
            if isinstance(c, dict) and CITER.kind(c) not in ("gazetteer", "encyclopedia")
        ]
    return dedupe(out)


def unread_claim_citations(place: dict) -> tuple[list[dict], dict]:
    """For a wartime capture whose announcement could not be re-read: the Artsakh president's list of the areas
    lost (10 Nov 2020), and a support that says the date is one side's announcement, not a read source's."""
    cited = cite(HARUTYUNYAN_10_NOV, "acknowledgement")
    note = (
        "the date is Azerbaijan's announcement as the research notes give it (no dated page of it could be read "
        "again); Artsakh's president listed the district among the areas lost on 10 Nov 2020"
    )
    return cited, {"support": "claimed", "support_note": note}


EPISODES_FILE = ROOT / "scripts" / "episode_areas.json"


def episode_shape(shape: dict, line_of_contact, border, clip):
    """The area an episode's `shape` describes (see scripts/episode_areas.json), before clipping."""
    if "around" in shape:
        return to_deg(to_m(Point(shape["around"])).buffer(shape["radius_m"])).intersection(clip)
    if "line_strip" in shape:  # a strip along the line of contact near a place
        near = to_deg(to_m(Point(shape["line_strip"])).buffer(shape["within_m"]))
        return to_deg(to_m(line_of_contact.intersection(near)).buffer(shape["depth_m"])).intersection(clip)
    if "border_strip" in shape:  # a strip of the front along the Armenia-Azerbaijan border, nearest a place
        place = Point(shape["border_strip"])
        anchor = shapely.ops.nearest_points(border, place)[0]

        def strip(front_m: float):
            front = border.intersection(to_deg(to_m(anchor).buffer(front_m / 2)))
            area = to_deg(to_m(front).buffer(shape["depth_m"], cap_style="flat")).intersection(clip)
            if shape.get("keep_from_m"):
                area = area.difference(to_deg(to_m(place).buffer(shape["keep_from_m"])))
            return area

        if not shape.get("target_km2"):
            return strip(shape["front_m"])
        # The border winds, so the front is found by bisection to give the area the source states.
        lo, hi = 100.0, float(shape["front_m"])
        for _ in range(30):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if area_km2(strip(mid)) < shape["target_km2"] else (lo, mid)
        return strip((lo + hi) / 2)
    raise ValueError(f"unknown episode shape {shape}")


def episode_feature(ep: dict, area) -> dict:
    cited = dedupe([c for s in ep["sources"] for c in cite([s["url"]], s["role"])])
    support = (
        {"support": ep["support"], "support_note": "sources disagree: see the note"}
        if ep.get("support")
        else supported(cited)
    )
    props = {
        k: ep[k]
        for k in (
            "name_en",
            "name_az",
            "name_hy",
            "claimed_by",
            "claimed_on",
            "acknowledged_by",
            "acknowledged_on",
            "denied_by",
            "denied_on",
            "note",
        )
        if ep.get(k)
    }
    return feature(
        area,
        id=ep["id"],
        role="change",
        side=ep["side"],
        change=ep["change"],
        valid_from=ep["valid_from"],
        precision=ep["precision"],
        shape_drawn=json.dumps(ep["shape"]),
        sources=cited,
        **support,
        **props,
    )


def corridor_polygon(points: gpd.GeoDataFrame, route: str, region, armenia):
    """The 5-km band along the road through the corridor points of one route, inside Azerbaijan's region."""
    names = {"old": ("old", "2020-2022", "both"), "new": ("new", "2022-2023", "both")}[route]
    rows = points[(points["set"] == "corridor") & (points["route"].isin(names))].copy()
    rows = rows[rows.geometry.notna()].sort_values("order")
    line = LineString([(g.x, g.y) for g in rows.geometry])
    band = to_deg(to_m(line).buffer(CORRIDOR_HALF_WIDTH_M, cap_style="flat"))
    return clean(band.intersection(region).difference(armenia)), line, rows


LINE_1994_CITATIONS: list[dict] = []


def main() -> None:
    global CITER
    CITER = Citer(GEO)
    region = read("region").geometry.union_all()
    districts = read("districts").set_index("id")
    nkao = read("nkao").geometry.union_all()
    countries = read("countries").set_index("id")
    armenia = countries.loc["country-arm"].geometry
    places = read("places")
    line_points = read("line_points")
    # Natural Earth's 1:10m border runs north of the Araz in places, leaving villages of its Azerbaijani bank a few
    # hundred metres "in Iran". The modelled region reaches out to each such village (a 300 m band from the
    # region's edge), so every settlement lies inside an area with a holder.
    bank = [
        pt
        for pt, country in zip(places.geometry, places["country"])
        if country == "Azerbaijan" and not region.contains(pt) and region.distance(pt) < 0.03
    ]
    if bank:
        region = shapely.union_all(
            [region]
            + [
                to_deg(to_m(LineString([pt, shapely.ops.nearest_points(region, pt)[0]])).buffer(ARAZ_BANK_M))
                for pt in bank
            ]
        )
        print(f"region: reaches out to {len(bank)} settlements that Natural Earth's border leaves outside it")

    seed_list = seeds(places, line_points)
    # Villages on the Araz bank can lie a little south of Natural Earth's generalised border: their cell is drawn
    # from the nearest point just inside the region, so that the area beside them is theirs.
    inner = region.buffer(-0.002)
    for seed in seed_list:
        if not seed["point"].within(region) and seed["point"].distance(region) < 0.03:
            seed["point"] = shapely.ops.nearest_points(inner, seed["point"])[0]
    cells = shapely.voronoi_polygons(
        MultiPoint([s["point"] for s in seed_list]), extend_to=region.envelope.buffer(1.0), ordered=True
    )
    for seed, cell in zip(seed_list, cells.geoms):
        seed["cell"] = cell.intersection(region)
        reach_m = SUMMIT_REACH_M if seed["id"] in SUMMITS else CAPTURE_REACH_M
        seed["reach"] = seed["cell"].intersection(to_deg(to_m(seed["point"]).buffer(reach_m)))
    print(f"{len(seed_list)} seeds ({sum(s['side0'] == 'artsakh' for s in seed_list)} Artsakh-side on 26 Sep 2020)")

    # The baseline rests on the settlements either side of the 1994 line: their citations, by side.
    line_citations = dedupe(
        [
            c
            for _, r in line_points.iterrows()
            if r.get("set") == "loc_1994" and r.get("side") == "artsakh"
            for c in listed(r.get("sources"))
            if isinstance(c, dict)
        ]
    )[:12]
    az_line_citations = dedupe(
        [
            c
            for _, r in line_points.iterrows()
            if r.get("set") == "loc_1994" and r.get("side") == "azerbaijan"
            for c in listed(r.get("sources"))
            if isinstance(c, dict)
        ]
    )[:12]
    LINE_1994_CITATIONS[:] = dedupe(line_citations + az_line_citations)
    held_in_full = shapely.union_all([districts.loc[d].geometry for d in HELD_IN_FULL]).intersection(region)
    artsakh0 = clean(
        shapely.union_all([s["cell"] for s in seed_list if s["side0"] == "artsakh"] + [held_in_full]).intersection(
            region
        )
    )
    azerbaijan0 = clean(region.difference(artsakh0))
    control = [
        feature(
            artsakh0,
            id="control-baseline-artsakh",
            role="baseline",
            side="artsakh",
            name_en="Held by Artsakh (Nagorno-Karabakh) and Armenian forces, 1994 ceasefire to 26 Sep 2020",
            valid_from=START,
            precision="approximate",
            note="Voronoi cells of settlements known to be on the Armenian side of the 1994-2020 line of contact "
            "(geo/line_points, geo/places), plus the districts the sources say were held in full.",
            derived_from="geo/line_points.geojson, geo/places.geojson (settlements either side of the 1994 line)",
            sources=cite(HELD_IN_FULL_SOURCES, "prior_control") + line_citations,
        ),
        feature(
            azerbaijan0,
            id="control-baseline-azerbaijan",
            role="baseline",
            side="azerbaijan",
            name_en="Held by Azerbaijan inside the region, 1994 ceasefire to 26 Sep 2020",
            valid_from=START,
            precision="approximate",
            note="The rest of the region: parts of Aghdam, Fuzuli, Jabrayil (Jojug Marjanli) and of the former NKAO's edges.",
            derived_from="geo/line_points.geojson (settlements either side of the 1994 line)",
            sources=az_line_citations,
        ),
    ]

    # The rest of the frame: Azerbaijan outside the region and Armenia, each held by its own state throughout, so that
    # no point of either country is nobody's and Armenia's ground held by Azerbaijani forces since 2021 can be drawn.
    azerbaijan_rest = clean(countries.loc["country-aze"].geometry.difference(region))
    control += [
        feature(
            azerbaijan_rest,
            id="control-baseline-azerbaijan-rest",
            role="baseline",
            side="azerbaijan",
            name_en="Azerbaijan outside the modelled region",
            valid_from=START,
            precision="exact",
            note="Natural Earth's Azerbaijan less the modelled region; held by Azerbaijan throughout.",
            sources=[{"source": "npm-world-atlas-2-0-2", "role": "boundary"}],
        ),
        feature(
            clean(armenia),
            id="control-baseline-armenia",
            role="baseline",
            side="armenia",
            name_en="Armenia",
            name_az="Ermənistan",
            name_hy="Հայաստան",
            valid_from=START,
            precision="exact",
            note="Natural Earth's Armenia; held by Armenia except where the change areas of 2021-2022 say otherwise.",
            sources=[{"source": "npm-world-atlas-2-0-2", "role": "boundary"}],
        ),
    ]

    # Episodes drawn as areas (scripts/episode_areas.json), by the holder they are clipped to.
    episodes = json.loads(EPISODES_FILE.read_text(encoding="utf-8"))["areas"]
    line_of_contact = artsakh0.boundary.intersection(azerbaijan0.buffer(0.001))
    # The Armenia-Azerbaijan border along the region (Kalbajar to Zangilan), where the 2021-2022 episodes happened;
    # Nakhchivan's border is not part of it.
    border = armenia.boundary.intersection(region.buffer(0.01))
    replaced = {pid for ep in episodes for pid in ep.get("replaces_place_steps", [])}
    for seed in seed_list:
        if seed["id"] in replaced:
            seed["steps"] = []

    def episode_areas(clip_to: str, holder) -> list[dict]:
        out = []
        for ep in episodes:
            if (ep.get("clip_to") or "none") != clip_to:
                continue
            area = clean(episode_shape(ep["shape"], line_of_contact, border, holder if holder is not None else region))
            out.append(episode_feature(ep, area))
        return out

    # Ground Azerbaijan took in April 2016 lies on its side of the pre-war line the settlements give: Artsakh held it
    # from 1994 until the change, so it joins Artsakh's baseline.
    prewar = episode_areas("azerbaijan_prewar", azerbaijan0)
    taken_2016 = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in prewar] or [shapely.Polygon()])
    control[0]["geometry"] = mapping(shapely.set_precision(clean(artsakh0.union(taken_2016)), 1e-5))
    control[1]["geometry"] = mapping(shapely.set_precision(clean(azerbaijan0.difference(taken_2016)), 1e-5))
    control += prewar + episode_areas("armenia", armenia)
    artsakh0_eve = artsakh0

    # Captures and the post-war line's dated changes, one feature per settlement and date.
    held = artsakh0_eve
    war_changes = []
    for seed in sorted(seed_list, key=lambda s: s["id"]):
        for step in seed["steps"]:
            if not step["date"] or step["date"] < "2020-09-27" or step["date"] in RULE_DATES:
                continue
            area = clean(seed["reach"].intersection(artsakh0) if step["side"] == "azerbaijan" else seed["reach"])
            if area.is_empty:
                continue
            place = step["place"]
            wartime = step["date"] <= "2020-11-09"
            kind = "captured" if step["date"] <= "2020-12-31" else "captured_post_war"
            props = claim_props(place) if wartime or step["date"] <= "2020-12-31" else {}
            name = place.get("name_en") or seed["id"]
            cited = change_citations(place)
            support = supported(cited)
            if not cited and wartime:
                cited, support = unread_claim_citations(place)
            war_changes.append(
                feature(
                    area,
                    id=f"change-{step['date']}-{seed['id']}",
                    role="change",
                    side=step["side"],
                    change=kind,
                    name_en=f"Area around {name}",
                    name_az=place.get("name_az"),
                    name_hy=place.get("name_hy"),
                    place_id=seed["id"],
                    valid_from=step["date"],
                    precision="approximate",
                    note=(
                        place.get("model_note")
                        or step.get("note")
                        or "The area nearer to this settlement than to any other of known side (Voronoi cell)."
                    ),
                    sources=cited,
                    **support,
                    **props,
                )
            )
            if step["side"] == "azerbaijan" and step["date"] <= "2020-11-09":
                held = held.difference(area)

    # Remainders of the southern districts still shown as Artsakh-held when the ceasefire began.
    for did in SOUTHERN:
        district = districts.loc[did]
        rest = polygonal(held.intersection(district.geometry).difference(nkao))
        if rest.is_empty:
            continue
        dates = [
            s["date"]
            for sd in seed_list
            for s in sd["steps"]
            if s["date"] and "2020-09-27" <= s["date"] <= "2020-11-09" and sd["point"].within(district.geometry)
        ]
        last = max(dates) if dates else "2020-11-09"
        war_changes.append(
            feature(
                rest,
                id=f"change-{last}-remainder-{did}",
                role="change",
                side="azerbaijan",
                change="captured",
                name_en=f"Rest of {district['name_en']} district",
                name_az=district.get("name_az"),
                name_hy=district.get("name_hy"),
                valid_from=last,
                precision="schematic",
                claimed_by="President of Azerbaijan (announcements of the district's settlements)",
                acknowledged_by="Arayik Harutyunyan, President of Artsakh",
                acknowledged_on="2020-11-10",
                note=f"No settlement of known capture date lies here; shown as lost with the district's last announced capture "
                f"({last}). On 10 Nov 2020 Harutyunyan listed the district among the areas lost.",
                sources=cite(HARUTYUNYAN_10_NOV, "acknowledgement"),
                **supported(cite(HARUTYUNYAN_10_NOV, "acknowledgement")),
            )
        )
        held = held.difference(rest)
    # Pockets cut off from the main Artsakh-held area when the fighting stopped were not held on: each passes with
    # the latest capture among the settlements whose areas touch it.
    parts = sorted(getattr(held, "geoms", [held]), key=area_km2, reverse=True)
    captured = [
        (f["properties"]["valid_from"], shapely.geometry.shape(f["geometry"]))
        for f in war_changes
        if f["properties"]["valid_from"] <= "2020-11-09"
    ]
    for n, pocket in enumerate(parts[1:], start=1):
        touching = [d for d, g in captured if g.buffer(0.002).intersects(pocket)]
        if not touching:  # a sliver: it goes with the nearest capture
            touching = [min(captured, key=lambda c: c[1].distance(pocket))[0]]
        last = max(touching)
        war_changes.append(
            feature(
                polygonal(pocket),
                id=f"change-{last}-pocket-{n}",
                role="change",
                side="azerbaijan",
                change="captured",
                name_en="Pocket cut off by the surrounding captures",
                valid_from=last,
                precision="schematic",
                claimed_by="President of Azerbaijan / Ministry of Defence (captures of the surrounding settlements)",
                note="No settlement of known side lies here; the area was surrounded by captured settlements and is "
                "shown as passing with the last of them.",
                sources=(
                    pocket_cited := dedupe(
                        [
                            c
                            for f in war_changes
                            if f["properties"]["valid_from"] == last
                            and shapely.geometry.shape(f["geometry"]).buffer(0.002).intersects(pocket)
                            for c in f["properties"]["sources"]
                        ]
                    )[:8]
                    or cite(HARUTYUNYAN_10_NOV, "acknowledgement")
                ),
                **supported(pocket_cited),
            )
        )
        held = held.difference(pocket)
    control += war_changes

    ceasefire_held = held  # what Artsakh held when the fighting stopped
    for f in war_changes:  # a capture after the ceasefire takes only ground Artsakh still held then
        if f["properties"]["valid_from"] > "2020-11-09":
            f["geometry"] = mapping(
                shapely.set_precision(clean(shapely.geometry.shape(f["geometry"]).intersection(held)), 1e-5)
            )
    # The Lachin corridor, 2020 and 2022 routes.
    corridor_old, road_old, _ = corridor_polygon(line_points, "old", region, armenia)
    corridor_new, road_new, _ = corridor_polygon(line_points, "new", region, armenia)
    postwar_held = held
    transferred_features = []
    # Settlements the sources put on the Armenian side after the handovers (e.g. Charektar): their areas are not
    # handed over with their district.
    kept = shapely.union_all(
        [
            s["cell"].intersection(to_deg(to_m(s["point"]).buffer(KEPT_VILLAGE_M)))
            for s in seed_list
            if s["place"].get("side_2021") == "artsakh" and s["place"].get("change_kind") == "offensive"
        ]
        or [shapely.Polygon()]
    )
    for did, point, scheduled, actual, sources in TRANSFERS:
        district = districts.loc[did]
        area = clean(
            postwar_held.intersection(district.geometry).difference(nkao).difference(corridor_old).difference(kept)
        )
        whole = clean(district.geometry.intersection(region).difference(nkao).difference(corridor_old))
        name = district["name_en"]
        common = dict(
            name_az=district.get("name_az"),
            name_hy=district.get("name_hy"),
            statement_point=point,
            scheduled_on=scheduled,
            handed_over_on=actual,
            precision="approximate",
            sources=cite(sources, "report"),
        )
        control.append(
            feature(
                area,
                id=f"change-{actual}-transfer-{did}",
                role="change",
                side="azerbaijan",
                change="transferred",
                name_en=f"{name} district handed over",
                valid_from=actual,
                claimed_by="Statement of 10 Nov 2020 (Azerbaijan, Armenia, Russia)",
                note=f"Point {point} of the 10 Nov 2020 statement; scheduled for {scheduled}, handed over "
                f"on {actual}. The former NKAO part, which Artsakh kept, and the corridor are excluded.",
                **supported(common["sources"], agreed=True),
                **common,
            )
        )
        postwar_held = postwar_held.difference(area)
        by, on = dt.date.fromisoformat(actual), dt.date.fromisoformat(scheduled)
        late = f" (first set for {on:%-d %b}; postponed that day)" if scheduled != actual else ""
        place = {k: v for k, v in district.items() if isinstance(v, str)}
        transferred_features.append(
            feature(
                whole,
                id=f"transfer-scheduled-{did}",
                name_en=f"{name}: to be handed over by {actual}{late}",
                **(
                    titled("to_be_handed_over_postponed", district=place, date=by, postponed_on=on, postponed_from=on)
                    if late
                    else titled("to_be_handed_over", district=place, date=by)
                ),
                valid_from="2020-11-10",
                valid_to=(dt.date.fromisoformat(actual) - dt.timedelta(days=1)).isoformat(),
                status="scheduled",
                **common,
            )
        )
        transferred_features.append(
            feature(
                whole,
                id=f"transfer-done-{did}",
                name_en=f"{name}: handed over to Azerbaijan on {actual}",
                **titled("handed_over", district=place, date=by),
                valid_from=actual,
                valid_to="2023-09-19",
                status="handed_over",
                **common,
            )
        )

    # The corridor outside the part of the former NKAO that Artsakh kept passes to the peacekeepers; inside it,
    # the road ran through Artsakh-held land and control stays with Artsakh.
    # Nor does it cover Shusha (statement, point 6) or other places Azerbaijan took in the war that lie on the road
    # (Dashalti / Karin Tak): their surroundings stay Azerbaijani.
    taken = [
        s["point"]
        for s in seed_list
        for st in s["steps"]
        if st["date"] and "2020-09-27" <= st["date"] <= "2020-11-09" and s["point"].within(corridor_old)
    ]
    taken_zone = to_deg(to_m(shapely.MultiPoint(taken)).buffer(TAKEN_TOWN_RADIUS_M)) if taken else shapely.Polygon()
    corridor_old = clean(corridor_old.difference(taken_zone))
    corridor_new = clean(corridor_new.difference(taken_zone))
    corridor_pk = clean(corridor_old.difference(postwar_held.intersection(nkao)))
    postwar_held = clean(postwar_held.difference(corridor_pk))
    control.append(
        feature(
            corridor_pk,
            id="change-2020-12-01-corridor-peacekeepers",
            role="change",
            side="peacekeepers",
            change="peacekeepers_deployed",
            name_en="Lachin corridor under Russian peacekeepers",
            valid_from="2020-12-01",
            precision="approximate",
            claimed_by="Statement of 10 Nov 2020, point 6",
            note="The 5 km corridor (statement, point 6) outside the area Artsakh still held, from the "
            "day the rest of Lachin district passed to Azerbaijan.",
            sources=cite(STATEMENT_SOURCES + ["https://tass.com/world/1229757"], "report"),
            **supported([], agreed=True),
        )
    )
    new_pk = clean(corridor_new.difference(postwar_held.intersection(nkao)))
    old_only = clean(corridor_pk.difference(corridor_new))
    control.append(
        feature(
            old_only,
            id="change-2022-08-26-lachin-town-handover",
            role="change",
            side="azerbaijan",
            change="handed_over",
            name_en="Lachin / Berdzor, Zabukh / Aghavno and Sus handed over; old corridor route ends",
            name_az="Laçın, Zabux, Sus",
            name_hy="Berdzor, Aghavno, Sus",
            valid_from="2022-08-26",
            precision="approximate",
            acknowledged_by="Artsakh authorities (residents told to leave by 25 Aug)",
            note="Armenian sources give 25 Aug as the residents' deadline; Azerbaijani forces entered on 26 Aug.",
            sources=cite(CORRIDOR_SOURCES_2022, "report"),
            **supported([], agreed=True),
        )
    )
    control.append(
        feature(
            new_pk,
            id="change-2022-08-26-new-corridor",
            role="change",
            side="peacekeepers",
            change="corridor_rerouted",
            name_en="New corridor route (via Mets Shen and Hin Shen) under Russian peacekeepers",
            valid_from="2022-08-26",
            precision="schematic",
            note="Traffic switched to the new road on 30 Aug 2022 at 20:00.",
            sources=cite(CORRIDOR_SOURCES_2022, "report"),
            **supported([], agreed=True),
        )
    )
    control += episode_areas("artsakh", postwar_held)
    control += episode_areas("none", None)

    # When the fighting stopped, the ground Azerbaijan held was no longer one side's word: the statement of 10 Nov
    # 2020 fixed the positions held, and Artsakh's president listed the areas lost. A `confirmation` changes no
    # holder; it marks the wartime captures' ground as confirmed from that day.
    events = {
        f["properties"]["id"]: f["properties"] for f in json.loads((GEO / "events.geojson").read_text())["features"]
    }
    confirmed_by = dedupe(
        [
            c
            for eid in (
                "event-2020-11-10-ceasefire-in-force",
                "event-2020-11-10-harutyunyan-lists-losses",
                "event-2020-11-10-trilateral-statement-terms",
            )
            for c in events.get(eid, {}).get("sources", [])
        ]
    )
    control.append(
        feature(
            clean(region.difference(ceasefire_held)),
            id="confirmation-2020-11-10-ceasefire",
            role="confirmation",
            side="azerbaijan",
            name_en="Ground held by Azerbaijan when the ceasefire took effect",
            valid_from="2020-11-10",
            precision="approximate",
            support="confirmed",
            support_note="the statement of 10 Nov 2020 fixed the positions held; Artsakh's president listed the areas lost",
            note="Changes no holder: from this day the ground Azerbaijan took in the war is shown as confirmed, "
            "not as claims.",
            sources=confirmed_by,
        )
    )
    write("control", control)
    # The surrender takes whatever the replayed model still shows as held on its eve, slivers included.
    write_empty_derived()
    from nkmap.data.dataset import load_dataset
    from nkmap.model.timeline import control_on

    eve = control_on(load_dataset(GEO), dt.date.fromisoformat(SURRENDER) - dt.timedelta(days=1))
    final_held = shapely.union_all(list(eve[eve["side"].isin(["artsakh", "peacekeepers"])].geometry)).intersection(
        region
    )
    control.append(
        feature(
            final_held,
            id="change-2023-09-20-offensive",
            role="change",
            side="azerbaijan",
            change="offensive",
            name_en="Area held by Artsakh until the offensive of 19-20 Sep 2023",
            valid_from=SURRENDER,
            precision="schematic",
            claimed_by="Azerbaijan's Ministry of Defence (ceasefire terms, 20 Sep 2023)",
            acknowledged_by="Artsakh authorities (agreed to disarm, 20 Sep 2023)",
            acknowledged_on=SURRENDER,
            note="Shown as passing in full on the day of the ceasefire; Azerbaijani forces entered the towns "
            "over the following weeks while almost the whole population left.",
            sources=cite(SURRENDER_SOURCES, "report"),
            **supported(cite(SURRENDER_SOURCES, "report")),
        )
    )
    write("control", control)

    # Shusha / Shushi town: an approximate 1.5 km disc (7 km², the municipality's area).
    shusha_pt = places[places["name_az"].fillna("").str.fullmatch("Şuşa")]
    centre = shusha_pt.geometry.iloc[0] if len(shusha_pt) else Point(46.7483, 39.7583)
    shusha_place = {k: v for k, v in shusha_pt.iloc[0].items() if isinstance(v, str)} if len(shusha_pt) else {}
    town = to_deg(to_m(centre).buffer(1500))
    names = dict(
        name_az="Şuşa",
        name_hy="Shushi (Շուշի)",
        precision="approximate",
        note="A 1.5 km disc around the town centre (about the municipality's 7 km²).",
    )
    write(
        "shusha",
        [
            feature(
                town,
                id="shusha-armenian-held",
                name_en="Shusha / Shushi (held by Artsakh)",
                **titled("held_by_artsakh", place=shusha_place),
                valid_from=START,
                valid_to="2020-11-07",
                sources=cite(SHUSHA_HELD_SOURCES, "prior_control"),
                **names,
            ),
            feature(
                town,
                id="shusha-captured",
                name_en="Shusha / Shushi: capture claimed by Azerbaijan 8 Nov 2020, acknowledged by Artsakh 9 Nov",
                **titled(
                    "capture_claimed",
                    place=shusha_place,
                    claimed_on=dt.date(2020, 11, 8),
                    acknowledged_on=dt.date(2020, 11, 9),
                ),
                valid_from="2020-11-08",
                claimed_by="President Ilham Aliyev (televised address)",
                claimed_on="2020-11-08",
                acknowledged_by="Artsakh authorities / Armenian PM",
                acknowledged_on="2020-11-09",
                sources=cite(SHUSHA_SOURCES, "claim") + cite(SHUSHA_ACK_SOURCES, "acknowledgement"),
                **names,
            ),
        ],
    )

    # The corridor layer: dated statuses of the band.
    corr_note = "5 km band along the road (statement, point 6), drawn from the road's settlements; approximate."
    hakari = Point(road_new.coords[0])
    write(
        "lachin_corridor",
        [
            feature(
                corridor_old,
                id="corridor-2020",
                name_en="Lachin corridor (Goris-Lachin/Berdzor-Stepanakert road)",
                name_az="Laçın dəhlizi",
                name_hy="Lachini mijantsk (Լաչինի միջանցք)",
                status="open",
                valid_from="2020-11-10",
                valid_to="2022-08-25",
                precision="approximate",
                note=corr_note,
                sources=cite(STATEMENT_SOURCES, "report"),
            ),
            feature(
                corridor_new,
                id="corridor-2022",
                name_en="Lachin corridor, new route bypassing Lachin/Berdzor",
                name_az="Laçın dəhlizi (yeni yol)",
                name_hy="Lachini mijantsk (new road)",
                status="open",
                valid_from="2022-08-26",
                valid_to="2022-12-11",
                precision="schematic",
                note="Traffic switched on 30 Aug 2022 at 20:00. " + corr_note,
                sources=cite(CORRIDOR_SOURCES_2022, "report"),
            ),
            feature(
                corridor_new,
                id="corridor-2022-blockade",
                name_en="Lachin corridor blockaded (from 12 Dec 2022)",
                status="blockaded",
                valid_from="2022-12-12",
                valid_to="2023-04-22",
                precision="schematic",
                claimed_by="Azerbaijan: protest by environmental activists",
                denied_by="Armenia: a blockade organised by the Azerbaijani state",
                note="The road was closed near Shusha at the Shusha-Dashalti junction.",
                sources=dedupe(cite(BLOCKADE_SOURCES, "report") + event_citations("event-2022-12-12-blockade-begins")),
            ),
            feature(
                corridor_new,
                id="corridor-2023-checkpoint",
                name_en="Lachin corridor blockaded; Azerbaijani checkpoint at the Hakari bridge (from 23 Apr 2023)",
                status="checkpoint",
                valid_from="2023-04-23",
                valid_to="2023-09-20",
                precision="schematic",
                note="The Hakari bridge's position is not in the sources; the checkpoint symbol is at the corridor's "
                "border end.",
                sources=dedupe(cite(HAKARI_SOURCES, "report") + event_citations("event-2023-04-23-hakari-checkpoint")),
            ),
            feature(
                hakari.buffer(0.01),
                id="corridor-hakari-checkpoint",
                name_en="Hakari bridge checkpoint (Azerbaijan's State Border Service)",
                name_az="Həkəri körpüsü",
                status="checkpoint",
                valid_from="2023-04-23",
                valid_to="2023-09-30",
                precision="schematic",
                note="Position approximate: where the new road meets the Armenian border.",
                sources=dedupe(cite(HAKARI_SOURCES, "report") + event_citations("event-2023-04-23-hakari-checkpoint")),
            ),
        ],
    )
    write("transferred_districts", transferred_features)
    print(
        f"areas: Artsakh before the war {area_km2(artsakh0):,.0f} km²; after 1 Dec 2020 {area_km2(postwar_held):,.0f} km² "
        f"(+ corridor {area_km2(corridor_pk):,.0f} km²); region {area_km2(region):,.0f} km²"
    )
    write_contact_lines()
    write_peacekeepers_zone()
    from control_sources import write_sections  # noqa: E402  (prose, kept apart from the logic)

    write_sections(GEO)


def write_empty_derived() -> None:
    """The loader needs every manifest file; layers written later in this run start empty."""
    for name in ("contact_line", "shusha", "lachin_corridor", "transferred_districts", "peacekeepers_zone"):
        if not (GEO / f"{name}.geojson").is_file():
            write(name, [])


def write_peacekeepers_zone() -> None:
    """The Russian peacekeepers' zone of responsibility: from the statement of 10 Nov 2020 the area held by Artsakh
    and the corridor, as the model has it in each post-war control state; after 20 Sep 2023 the same outline while
    the posts closed, to the last contingent's departure."""
    from nkmap.data.dataset import load_dataset
    from nkmap.model.timeline import control_model, control_on

    ds = load_dataset(GEO)
    posts = event_citations("event-2020-11-10-russian-peacekeepers-deploy-observation-posts")
    left = dedupe(
        event_citations("event-2024-04-17-withdrawal-confirmed")
        + event_citations("event-2024-06-12-withdrawal-complete")
    )
    end = dt.date.fromisoformat(SURRENDER) - dt.timedelta(days=1)
    starts = [CEASEFIRE] + [d for d in control_model(ds).change_dates if CEASEFIRE < d <= end]
    features, last_zone = [], None
    for i, first in enumerate(starts):
        last = starts[i + 1] - dt.timedelta(days=1) if i + 1 < len(starts) else end
        frame = control_on(ds, first)
        zone = clean(shapely.union_all(list(frame[frame["side"].isin(["artsakh", "peacekeepers"])].geometry)))
        if last_zone is not None and zone.equals(last_zone):
            features[-1]["properties"]["valid_to"] = last.isoformat()
            continue
        features.append(
            feature(
                zone,
                id=f"peacekeepers-zone-{first.isoformat()}",
                kind="zone_of_responsibility",
                name_en="Zone of responsibility of the Russian peacekeepers",
                valid_from=first.isoformat(),
                valid_to=last.isoformat(),
                precision="approximate",
                note="The area left to Artsakh by the statement of 10 Nov 2020, and the Lachin corridor, "
                "as this map models them; the peacekeepers' own maps are not among the sources.",
                sources=posts,
            )
        )
        last_zone = zone
    if last_zone is not None:
        features.append(
            feature(
                last_zone,
                id="peacekeepers-zone-withdrawal",
                kind="zone_withdrawal",
                name_en="Russian peacekeepers closing their posts (after the September 2023 offensive)",
                valid_from=SURRENDER,
                valid_to=END,
                precision="schematic",
                note="The zone's last outline while the contingent closed its posts; Russia confirmed the "
                "withdrawal in April 2024, completed on 12 June 2024.",
                sources=dedupe(posts + left),
            )
        )
    write("peacekeepers_zone", features)


def write_contact_lines() -> None:
    """Store the 1994 line and each version of the post-war line, computed by nkmap from the layer just written."""
    write("contact_line", [])  # the loader needs the file; the war's front lines are derived on the fly
    from nkmap.data.dataset import load_dataset
    from nkmap.model.timeline import control_model, front_line

    ds = load_dataset(GEO)  # the module-level GEO may point at a scratch copy
    model = control_model(ds)
    features = [
        feature(
            front_line(ds, dt.date(2020, 9, 26)),
            id="line-1994",
            kind="line_of_contact_1994",
            name_en="Line of contact of the 1994 (Bishkek) ceasefire",
            valid_from=START,
            valid_to="2020-09-26",
            precision="approximate",
            note="The edge of the Artsakh-held area as modelled from settlements "
            "either side of the line (geo/line_points); the line was about 245 km long (Tabakian).",
            derived_from="geo/line_points.geojson (settlements either side of the 1994 line)",
            sources=LINE_1994_CITATIONS,
        )
    ]
    dates = [d for d in model.change_dates if CEASEFIRE <= d < dt.date.fromisoformat(SURRENDER)]
    bounds = [CEASEFIRE] + [d for d in dates if d > CEASEFIRE]
    for i, first in enumerate(bounds):
        last = (
            (bounds[i + 1] - dt.timedelta(days=1))
            if i + 1 < len(bounds)
            else dt.date.fromisoformat(SURRENDER) - dt.timedelta(days=1)
        )
        line = front_line(ds, first)
        label = "Ceasefire line of 10 Nov 2020" if i == 0 else f"Ceasefire line as changed on {first:%d %b %Y}"
        titles = titled("ceasefire_line" if i == 0 else "ceasefire_line_changed", date=first)
        features.append(
            feature(
                line,
                id=f"line-ceasefire-{first.isoformat()}",
                kind="ceasefire_line",
                name_en=label,
                **titles,
                valid_from=first.isoformat(),
                valid_to=last.isoformat(),
                precision="approximate",
                note="The edge of the area held by Artsakh and the peacekeepers, as modelled; "
                "the statement fixed the positions held at 00:00 Moscow time on 10 Nov 2020.",
                sources=cite(STATEMENT_SOURCES, "report"),
            )
        )
    write("contact_line", features)


if __name__ == "__main__":
    if len(sys.argv) > 1:  # another dataset directory, e.g. a scratch copy
        GEO = Path(sys.argv[1]).resolve()
    main()
