"""The event table for scripts/import_facts.py: where each fact-sheet event goes and how it is worded.

Dates, claimants and sources come from facts.json at run time; this table only adds what the fact sheet has as
prose (a short title, a neutral summary, each side's wording from its claim/denial columns) and the place a point
goes. `match` is (date, text in the fact sheet's `place`) and must pick exactly one facts.json event, so a changed
fact sheet fails loudly instead of being dropped. `at` names a place by (name_az, district) or a schematic zone.
"""

from __future__ import annotations

# Zones for events that have no single place; import_facts.py computes each as a mean of named points.
ZONES = {
    "line_1994": "the 1994-2020 line of contact (mean of its sourced points on both sides)",
    "peacekeeping_zone": "the Armenian-held area of 2021-2023 (mean of the places held by Artsakh in 2021)",
    "south_east": "the south-east (mean of the Jabrayil, Fuzuli, Zangilan and Qubadli town points)",
    "new_road": "the 2022 corridor road (mean of its sourced points: Kornidzor, Hin Shen, Mets Shen)",
}

HARUTYUNYAN = "Artsakh President Arayik Harutyunyan (10 Nov 2020 list of lost areas)"

EVENTS = [
    {
        "match": ("2020-09-27", "Line of Contact"),
        "slug": "war-begins",
        "type": "war_start",
        "key": True,
        "at": "zone:line_1994",
        "title": "War begins along the line of contact",
        "summary": "Large-scale fighting began along the whole line of contact on 27 Sep 2020, each side blaming the "
        "other. Armenia and Artsakh declared martial law and mobilisation; Azerbaijan declared martial law "
        "and a curfew, and partial mobilisation on 28 Sep.",
        "az": "Azerbaijan blames Armenian forces for starting the fighting.",
        "hy": "Armenia and Artsakh blame Azerbaijan for starting the fighting.",
    },
    {
        "match": ("2020-10-03", "Madagiz"),
        "slug": "madagiz-sugovushan-claimed",
        "type": "capture_claim",
        "at": ("Suqovuşan", "Tartar"),
        "title": "Azerbaijan claims Madagiz, renamed Sugovushan",
        "summary": "On 3 Oct 2020 President Aliyev announced the capture of Madagiz (Tartar district) and renamed it "
        "Sugovushan. Artsakh's defence ministry called the claim false; the village was held by Azerbaijan "
        "after the war.",
        "az": "Aliyev: Madagiz taken and renamed Sugovushan from 3 Oct 2020.",
        "hy": "Artsakh MoD: the claim is false; Armenian MoD spokesman neither confirms nor denies it.",
    },
    {
        "match": ("2020-10-03", "Talish"),
        "slug": "talish-claimed",
        "type": "capture_claim",
        "at": ("Talış", "Tartar"),
        "title": "Azerbaijan claims Talish",
        "summary": "On 3 Oct 2020 President Aliyev listed Talish among villages taken. The Armenian MoD said on 12 Oct "
        "that Talish was under Armenian control; Azerbaijan held the village after the war.",
        "az": "Aliyev lists Talish among the villages taken (3 Oct).",
        "hy": "Armenian MoD: Talish under Armenian control (12 Oct).",
    },
    {
        "match": ("2020-10-04", "Jabrayil"),
        "slug": "jabrayil-claimed",
        "type": "capture_claim",
        "key": True,
        "at": ("Cəbrayıl", "Jabrayil"),
        "title": "Azerbaijan claims Jabrayil / Jrakan",
        "summary": "On 4 Oct 2020 President Aliyev announced the capture of Jabrayil town and 9 villages. The Armenian "
        "MoD called it disinformation; Artsakh's president listed Jabrayil as lost on 10 Nov 2020.",
        "az": "Aliyev: the army has taken Jabrayil town and 9 villages; MoD video from the town on 9 Oct.",
        "hy": "Armenian MoD: 'disinformation', 'a lie' (4 Oct).",
        "ack_by": HARUTYUNYAN,
        "ack_on": "2020-11-10",
    },
    {
        "match": ("2020-10-09", "Hadrut"),
        "slug": "hadrut-claimed",
        "type": "capture_claim",
        "key": True,
        "at": ("Hadrut", "Khojavend"),
        "title": "Azerbaijan claims Hadrut",
        "summary": "On 9 Oct 2020 (about 17:00) President Aliyev announced the capture of Hadrut and 8 villages. "
        "Artsakh and the Armenian MoD denied it on 9-12 Oct and reporters filmed Armenian forces in the town; "
        "third-party sources put its fall on 14 or 15 Oct.",
        "az": "Aliyev: Hadrut and 8 villages taken (9 Oct).",
        "hy": "Artsakh presidency: 'total lie'; Armenian MoD spokesman Hovhannisyan: 'I am in Hadrut' (9-12 Oct).",
        "ack_by": HARUTYUNYAN + ": Hadrut region 'mostly' lost",
        "ack_on": "2020-11-10",
    },
    {
        "match": ("2020-10-10", "Moscow statement"),
        "slug": "humanitarian-ceasefire-moscow",
        "type": "ceasefire_attempt",
        "at": "zone:line_1994",
        "title": "First humanitarian ceasefire (Moscow) fails",
        "summary": "The Armenian and Azerbaijani foreign ministers agreed in Moscow, with Lavrov, a humanitarian "
        "ceasefire from 12:00 on 10 Oct 2020 to exchange prisoners and bodies via the ICRC. It failed; "
        "each side accused the other of violating it.",
        "az": None,
        "hy": "Armenian FM: Azerbaijani attacks continued after 12:00.",
    },
    {
        "match": ("2020-10-14", "Hadrut"),
        "slug": "hadrut-third-party-fall",
        "type": "assessment",
        "at": ("Hadrut", "Khojavend"),
        "title": "Hadrut taken, according to third-party sources",
        "summary": "Third-party sources, as summarised by Wikipedia, put Azerbaijani control of Hadrut town on 14 or "
        "15 Oct 2020, five or six days after Azerbaijan's claim. Armenia never officially announced a date.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2020-10-17", "Fuzuli"),
        "slug": "fuzuli-claimed",
        "type": "capture_claim",
        "key": True,
        "at": ("Füzuli", "Fuzuli"),
        "title": "Azerbaijan claims Fuzuli / Varanda",
        "summary": "On 17 Oct 2020 President Aliyev announced the capture of Fuzuli town and 7 villages. The Armenian "
        "MoD did not comment that day and on 25 Oct still claimed the town; Artsakh's president listed it "
        "as lost on 10 Nov 2020.",
        "az": "Aliyev: Fuzuli city and 7 villages taken.",
        "hy": "Armenian MoD: no comment on 17 Oct; Fuzuli (Varanda) still claimed as Armenian-held on 25 Oct.",
        "ack_by": HARUTYUNYAN,
        "ack_on": "2020-11-10",
    },
    {
        "match": ("2020-10-18", "Whole conflict zone"),
        "slug": "humanitarian-ceasefire-paris",
        "type": "ceasefire_attempt",
        "at": "zone:line_1994",
        "title": "Second humanitarian ceasefire fails",
        "summary": "Both foreign ministries announced on 17 Oct 2020 a humanitarian truce from 00:00 on 18 Oct. It "
        "failed within hours, each side accusing the other.",
        "az": "Azerbaijani MoD: Armenian forces violated the truce.",
        "hy": "Armenian MoD: Azerbaijani fire from 00:04 and an attack at 07:20 near the Khudaferin reservoir.",
    },
    {
        "match": ("2020-10-18", "Khudafarin"),
        "slug": "khudafarin-claimed",
        "type": "capture_claim",
        "at": ("Xudafərin körpüləri", "Jabrayil"),
        "title": "Azerbaijan claims the Khudafarin bridges",
        "summary": "Azerbaijan says it took the Khudafarin bridges on the Araz on 18 Oct 2020 (President Aliyev's post "
        "about the flag raised over the bridges). No independent confirmation was found.",
        "az": "Azerbaijan: flag raised over the Khudafarin bridges (18 Oct).",
        "hy": None,
    },
    {
        "match": ("2020-10-20", "Zangilan"),
        "slug": "zangilan-claimed",
        "type": "capture_claim",
        "at": ("Zəngilan", "Zangilan"),
        "title": "Azerbaijan claims Zangilan / Kovsakan",
        "summary": "On 20 Oct 2020 President Aliyev announced the capture of Zangilan town and 24 villages. Artsakh's "
        "president spoke of the heaviest fighting in the Kovsakan area and listed Zangilan as lost on "
        "10 Nov 2020.",
        "az": "Aliyev: Zangilan city and 24 villages taken.",
        "hy": "Harutyunyan: heaviest fighting in the Kovsakan area; the Armenian MoD indirectly confirms a retreat.",
        "ack_by": HARUTYUNYAN,
        "ack_on": "2020-11-10",
    },
    {
        "match": ("2020-10-25", "Qubadli"),
        "slug": "qubadli-claimed",
        "type": "capture_claim",
        "key": True,
        "at": ("Qubadlı", "Qubadli"),
        "title": "Azerbaijan claims Qubadli / Kashunik",
        "summary": "President Aliyev announced the capture of Qubadli town; Azerbaijan's official date is 25 Oct 2020, "
        "though some outlets date the post 26 Oct. On 26 Oct the Armenian MoD spokesman confirmed the town "
        "had been taken the night before.",
        "az": "Aliyev: Qubadli city and villages of three districts taken (official date 25 Oct).",
        "hy": "Armenian MoD, 26 Oct: 'Yes, the enemy captured Qubatlu last night.'",
        "ack_by": "Armenian MoD spokesman Artsrun Hovhannisyan",
        "ack_on": "2020-10-26",
    },
    {
        "match": ("2020-10-25", "South-eastern"),
        "slug": "armenian-mod-map-south-east",
        "type": "acknowledgement",
        "at": "zone:south_east",
        "title": "Armenian MoD map concedes the south-east",
        "summary": "On 25 Oct 2020 an Armenian MoD interactive map acknowledged Azerbaijani control of south-eastern "
        "Nagorno-Karabakh, according to Geopolitic.org, while still claiming Hadrut and Fuzuli.",
        "az": None,
        "hy": "Armenian MoD map: the south-east lost, Hadrut and Fuzuli still held.",
    },
    {
        "match": ("2020-10-26", "Whole conflict zone"),
        "slug": "humanitarian-ceasefire-us",
        "type": "ceasefire_attempt",
        "at": "zone:line_1994",
        "title": "Third humanitarian ceasefire (US-brokered) fails",
        "summary": "A ceasefire agreed after both foreign ministers met US Deputy Secretary of State Biegun took effect "
        "at 08:00 on 26 Oct 2020 and broke within minutes.",
        "az": "Azerbaijani MoD: Armenian fire at 08:05.",
        "hy": "Armenian side: denies it and counter-accuses.",
    },
    {
        "match": ("2020-11-08", "Shusha"),
        "slug": "shusha-claimed",
        "type": "capture_claim",
        "key": True,
        "at": ("Şuşa", "Shusha"),
        "title": "Azerbaijan claims Shusha / Shushi",
        "summary": "On 8 Nov 2020 President Aliyev announced in a televised address that the army had taken Shusha. The "
        "Armenian MoD said the battles continued; Artsakh's presidential spokesman acknowledged the loss on "
        "9 Nov.",
        "az": "Aliyev: Shusha taken (televised address, 8 Nov).",
        "hy": "Armenian MoD, 8 Nov: 'the battles for Shushi continue'.",
        "ack_by": "Artsakh presidential spokesman Vahram Poghosyan",
        "ack_on": "2020-11-09",
    },
    {
        "match": ("2020-11-09", "Shusha"),
        "slug": "shushi-acknowledged",
        "type": "acknowledgement",
        "at": ("Şuşa", "Shusha"),
        "title": "Artsakh acknowledges the loss of Shushi",
        "summary": "On 9 Nov 2020 Artsakh's presidential spokesman wrote that Shushi was 'completely out of our control' "
        "(confirmed to Reuters and RFE/RL); PM Pashinyan said the same evening that fighting continued. On "
        "10 Nov Harutyunyan said control was lost completely on 7 Nov.",
        "az": None,
        "hy": "Poghosyan: Shushi 'completely out of our control'; Pashinyan: fighting for Shushi continues.",
        "ack_by": "Artsakh presidential spokesman Vahram Poghosyan",
        "ack_on": "2020-11-09",
    },
    {
        "match": ("2020-11-09", "Moscow"),
        "slug": "trilateral-statement-signed",
        "type": "statement",
        "at": "zone:line_1994",
        "title": "Trilateral statement signed",
        "summary": "Aliyev, Pashinyan and Putin signed the trilateral statement on 9 Nov 2020; the ceasefire was to take "
        "effect at 00:00 Moscow time on 10 Nov (21:00 GMT on 9 Nov). Artsakh's president also agreed to "
        "stop fighting.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2020-11-10", "Whole conflict zone"),
        "slug": "ceasefire-in-force",
        "type": "ceasefire",
        "key": True,
        "at": "zone:line_1994",
        "title": "Ceasefire in force; Russian peacekeepers deploy",
        "summary": "The ceasefire took effect at 00:00 Moscow time on 10 Nov 2020 and held, unlike the three earlier "
        "truces. Russian peacekeepers began deploying along the contact line and the Lachin corridor.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2020-11-15", "Kalbajar"),
        "slug": "kalbajar-handover-postponed",
        "type": "handover",
        "at": ("Kəlbəcər", "Kalbajar"),
        "district": "Kəlbəcər rayonu",
        "title": "Kalbajar / Karvachar handover postponed to 25 Nov",
        "summary": "The statement set 15 Nov 2020 for the return of Kalbajar district. That day Azerbaijan (presidential "
        "aide Hajiyev) said it had accepted an Armenian request, passed via Russia, to postpone it to 25 Nov "
        "because of a single narrow road and bad weather.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2020-11-20", "Aghdam"),
        "slug": "aghdam-handover",
        "type": "handover",
        "key": True,
        "at": ("Ağdam", "Aghdam"),
        "district": "Ağdam rayonu",
        "title": "Aghdam district handed over",
        "summary": "The Azerbaijani army entered Aghdam district on 20 Nov 2020, the first of the three districts "
        "returned under the statement (reported by Al Jazeera and, citing TASS, by artsakhinfo.am).",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2020-11-25", "Kalbajar"),
        "slug": "kalbajar-handover",
        "type": "handover",
        "key": True,
        "at": ("Kəlbəcər", "Kalbajar"),
        "district": "Kəlbəcər rayonu",
        "title": "Kalbajar / Karvachar district handed over",
        "summary": "The Azerbaijani army entered Kalbajar district on 25 Nov 2020 from the Dashkasan and Goygol "
        "directions; the northern road between Armenia and Karabakh closed.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2020-12-01", "Lachin district"),
        "slug": "lachin-district-handover",
        "type": "handover",
        "key": True,
        "at": ("Laçın", "Lachin"),
        "district": "Laçın rayonu",
        "title": "Lachin / Berdzor district handed over; corridor stays with peacekeepers",
        "summary": "The Azerbaijani army entered Lachin district on 1 Dec 2020, the last of the three. The Lachin "
        "corridor, with Lachin/Berdzor town, stayed under the Russian peacekeepers.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2020-12-12", "Khtsaberd"),
        "slug": "hin-tagher-khtsaberd-taken",
        "type": "capture",
        "key": True,
        "at": ("Köhnə Tağlar", "Khojavend"),
        "precision": "approximate",
        "location_note": "two villages about 5 km apart; the point is Hin Tagher",
        "title": "Hin Tagher and Khtsaberd taken after the ceasefire",
        "summary": "On 12 Dec 2020, after the ceasefire, Azerbaijani units took Hin Tagher and Khtsaberd in the Hadrut "
        "region, which Armenian sources say were still Armenian-held on 10 Nov; Russian peacekeepers then "
        "arrived.",
        "az": "Azerbaijan: a 'counter-terrorist operation' after attacks on its servicemen.",
        "hy": "Armenian sources: a violation of point 1 of the statement.",
    },
    {
        "match": ("2022-08-11", "bypass"),
        "slug": "lachin-bypass-road-completed",
        "type": "corridor",
        "at": "zone:new_road",
        "title": "Azerbaijan completes its part of the Lachin bypass road",
        "summary": "On 11 Aug 2022 Azerbaijan announced it had finished its section of the new road bypassing Lachin "
        "town (32 km in all, about 10 km of it in Armenia).",
        "az": "Azerbaijan: its section of the new road is finished.",
        "hy": "Armenian side: the road was built unilaterally.",
    },
    {
        "match": ("2022-08-25", "Berdzor"),
        "slug": "lachin-handover-armenian-date",
        "type": "handover",
        "at": ("Laçın", "Lachin"),
        "title": "Berdzor, Aghavno and Nerkin Sus handed over (Armenian date)",
        "summary": "Armenian sources (CivilNet, Artsakhpress) date the handover of Berdzor/Lachin, Aghavno/Zabukh and "
        "Nerkin Sus to 25 Aug 2022, the day residents had to leave; Azertag dates the army's full control to "
        "26 Aug.",
        "az": "Azertag: the army took full control on 26 Aug.",
        "hy": "Armenian sources: handed over on 25 Aug; residents had to leave by then.",
    },
    {
        "match": ("2022-08-26", "Lachin town"),
        "slug": "lachin-town-handover",
        "type": "handover",
        "key": True,
        "at": ("Laçın", "Lachin"),
        "title": "Lachin / Berdzor town handed over",
        "summary": "The Azerbaijani army took full control of Lachin town and the villages of Zabukh and Sus on "
        "26 Aug 2022 and raised its flag (Azertag); Armenian sources give 25 Aug.",
        "az": "Azertag: full control of Lachin, Zabukh and Sus (26 Aug).",
        "hy": "Armenian sources: handed over on 25 Aug.",
    },
    {
        "match": ("2022-08-30", "New Lachin corridor"),
        "slug": "corridor-rerouted",
        "type": "corridor",
        "at": "zone:new_road",
        "title": "Corridor traffic moves to the new road",
        "summary": "From 20:00 on 30 Aug 2022 traffic between Armenia and Artsakh moved to the new road through Mets "
        "Shen and Hin Shen, bypassing Lachin (Artsakh Security Council and Interior Ministry, via Armenpress).",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2022-12-12", "Lachin corridor near Shusha"),
        "slug": "blockade-begins",
        "type": "blockade",
        "key": True,
        "at": ("Şuşa–Daşaltı", "Shusha"),
        "title": "Blockade of the Lachin corridor begins",
        "summary": "From about 10:30 on 12 Dec 2022 Azerbaijanis presenting themselves as eco-activists blocked the "
        "corridor at the Shusha-Dashalty junction (Shushi-Karin Tak section); gas was cut from 13 to 16 Dec.",
        "az": "Baku: a civil, environmental protest.",
        "hy": "Yerevan and Stepanakert: a blockade.",
    },
    {
        "match": ("2023-04-23", "Hakari"),
        "slug": "hakari-checkpoint",
        "type": "corridor",
        "key": True,
        "at": ("Kornidzor", "Armenia"),
        "precision": "schematic",
        "location_note": "no sourced coordinate for the Hakari bridge; shown at Kornidzor, the Armenian village "
        "opposite the bridge",
        "title": "Azerbaijani checkpoint at the Hakari bridge",
        "summary": "At about 12:00 on 23 Apr 2023 Azerbaijan's State Border Service set up a checkpoint at the Hakari "
        "bridge at the start of the corridor road. Armenia called it a gross violation; the Russian MoD "
        "called it unilateral.",
        "az": "Azerbaijan: a response to an Armenian checkpoint set up on 22 Apr and to arms transfers.",
        "hy": "Armenia: a gross violation of the 2020 statement.",
    },
    {
        "match": ("2023-04-28", "Lachin corridor near Shusha"),
        "slug": "blockade-sit-in-suspended",
        "type": "blockade",
        "at": ("Şuşa–Daşaltı", "Shusha"),
        "title": "Eco-activist sit-in suspended",
        "summary": "The sit-in on the corridor near Shusha was reported suspended on 28 Apr 2023 and had ended by "
        "1 May, after the checkpoint was set up.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2023-06-15", "Hakari"),
        "slug": "hakari-incident-full-closure",
        "type": "blockade",
        "at": ("Kornidzor", "Armenia"),
        "precision": "schematic",
        "location_note": "no sourced coordinate for the Hakari bridge; shown at Kornidzor",
        "title": "Hakari bridge incident; corridor fully closed",
        "summary": "After an incident at the Hakari bridge on 15 Jun 2023 Azerbaijan closed the corridor, including to "
        "humanitarian cargo. The two sides give conflicting accounts of the incident.",
        "az": "Azerbaijan: its border guards were fired on while raising a flag on its sovereign territory.",
        "hy": "Armenia: Azerbaijan tried to place a flag on the Armenian side of the bridge.",
    },
    {
        "match": ("2023-09-19", "Nagorno-Karabakh"),
        "slug": "azerbaijani-offensive",
        "type": "offensive",
        "key": True,
        "at": "zone:peacekeeping_zone",
        "title": "Azerbaijani offensive",
        "summary": "On 19 Sep 2023 Azerbaijan launched what it called 'local anti-terrorist measures' in Karabakh. "
        "Armenia called it aggression and said it had no troops there.",
        "az": "'Local anti-terrorist measures'.",
        "hy": "Aggression; Armenia has no troops in Karabakh.",
    },
    {
        "match": ("2023-09-20", "Nagorno-Karabakh"),
        "slug": "ceasefire-disarmament",
        "type": "ceasefire",
        "key": True,
        "at": "zone:peacekeeping_zone",
        "title": "Ceasefire: Artsakh forces to disarm",
        "summary": "A ceasefire mediated by the Russian peacekeepers took effect at 13:00 local time on 20 Sep 2023: "
        "Artsakh forces were to disarm and disband and hand over heavy weapons; talks followed in Yevlakh "
        "on 21 Sep.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2023-09-28", "Armenia (via"),
        "slug": "exodus",
        "type": "exodus",
        "key": True,
        "at": ("Kornidzor", "Armenia"),
        "precision": "schematic",
        "location_note": "the crossing into Armenia at the Hakari bridge has no sourced coordinate; shown at Kornidzor",
        "title": "Exodus of Nagorno-Karabakh's Armenians",
        "summary": "By 10:00 on 28 Sep 2023, 66,500 people had crossed into Armenia, and 101,848 were registered by "
        "20 Oct (Armenian government figures), of a pre-offensive population of about 120,000; UNHCR "
        "reported more than 100,000 arrivals.",
        "az": "Azerbaijan: there was no ethnic cleansing; residents chose to leave.",
        "hy": "Armenian government: the people of Artsakh were forcibly displaced.",
    },
    {
        "match": ("2023-09-28", "Republic of Artsakh"),
        "slug": "dissolution-decree",
        "type": "dissolution",
        "key": True,
        "at": ("Xankəndi", "Khankendi"),
        "precision": "schematic",
        "location_note": "an act of the Artsakh authorities, shown at Stepanakert / Khankendi",
        "title": "Decree to dissolve Artsakh's institutions by 1 Jan 2024",
        "summary": "On 28 Sep 2023 Artsakh President Samvel Shahramanyan signed a decree dissolving all state "
        "institutions by 1 Jan 2024.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2023-12-22", "Republic of Artsakh"),
        "slug": "dissolution-decree-annulled-claim",
        "type": "dissolution",
        "at": ("Xankəndi", "Khankendi"),
        "precision": "schematic",
        "location_note": "said by the Artsakh leadership in exile; shown at Stepanakert / Khankendi",
        "title": "Artsakh adviser says the dissolution decree was annulled",
        "summary": "On 22 Dec 2023 an adviser to Shahramanyan said the 28 Sep decree had been annulled by a decree of "
        "19 Oct 2023 and that Artsakh bodies would keep working; the legal status is disputed.",
        "az": None,
        "hy": "Artsakh presidential adviser: the decree was annulled on 19 Oct 2023.",
    },
    {
        "match": ("2024-01-01", "Republic of Artsakh"),
        "slug": "dissolution-date",
        "type": "dissolution",
        "key": True,
        "at": ("Xankəndi", "Khankendi"),
        "precision": "schematic",
        "location_note": "shown at Stepanakert / Khankendi",
        "title": "Date set for the dissolution of Artsakh's institutions",
        "summary": "1 Jan 2024 was the date the 28 Sep 2023 decree set for dissolving Artsakh's institutions; "
        "Ukrainska Pravda calls it the day the republic officially ceased to exist, while the exiled "
        "leadership says the decree was annulled.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2024-04-10", "Khudavang"),
        "slug": "peacekeepers-leave-dadivank",
        "type": "withdrawal",
        "at": ("Xudavəng", "Kalbajar"),
        "title": "Russian peacekeepers begin to withdraw",
        "summary": "Around 10 Apr 2024 Russian peacekeeper equipment was filmed leaving, and the peacekeepers handed "
        "Khudavang (Dadivank) monastery to Azerbaijani police (AzVision).",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2024-04-17", "Nagorno-Karabakh"),
        "slug": "withdrawal-confirmed",
        "type": "withdrawal",
        "at": "zone:peacekeeping_zone",
        "title": "Kremlin confirms the peacekeepers' withdrawal",
        "summary": "On 17 Apr 2024 Kremlin spokesman Peskov confirmed that the Russian peacekeepers were withdrawing; "
        "Azerbaijan (Hajiyev) said the two leaders had agreed an early withdrawal.",
        "az": None,
        "hy": None,
    },
    {
        "match": ("2024-06-12", "Nagorno-Karabakh"),
        "slug": "withdrawal-complete",
        "type": "withdrawal",
        "key": True,
        "at": "zone:peacekeeping_zone",
        "title": "Russian peacekeepers' withdrawal complete",
        "summary": "On 12 Jun 2024 Azerbaijan's MoD said the withdrawal of the Russian peacekeeping contingent was "
        "complete.",
        "az": None,
        "hy": None,
    },
]

# Events the fact sheet has as prose rather than as rows of facts.json `events`; `sources_from` names the
# facts.json key (and for events a (date, place text, URL filter)) that supplies their sources.
EXTRA_EVENTS = [
    {
        "date": "2020-11-10",
        "slug": "trilateral-statement-terms",
        "type": "statement",
        "at": "zone:line_1994",
        "sources_from": "statement_points",
        "title": "The trilateral statement's nine points",
        "claimed_by": "Azerbaijan, Armenia, Russia",
        "summary": "The statement in force from 10 Nov 2020: ceasefire at current positions; Aghdam back to Azerbaijan by "
        "20 Nov, Kalbajar by 15 Nov (moved to 25 Nov) and Lachin district by 1 Dec; 1,960 Russian "
        "peacekeepers for 5 years along the contact line and a 5-km Lachin corridor; return of displaced "
        "people under UNHCR; prisoner exchange; unblocking of transport links.",
        "az": "Russian-language and Azerbaijani versions of point 2 also return the Armenian-held territories of Gazakh "
        "district.",
        "hy": "The English text on the Armenian PM's website mentions Aghdam only in point 2.",
    },
    {
        "date": "2020-11-10",
        "slug": "harutyunyan-lists-losses",
        "type": "acknowledgement",
        "at": ("Xankəndi", "Khankendi"),
        "precision": "schematic",
        "location_note": "a statement by Artsakh's president, shown at Stepanakert / Khankendi",
        "sources_from": ("2020-11-09", "Shusha", ("aysor.am", "darelhilal")),
        "title": "Artsakh's president lists the areas lost",
        "claimed_by": "Artsakh President Arayik Harutyunyan",
        "summary": "On 10 Nov 2020 Artsakh President Harutyunyan said Artsakh had lost Fizuli, Jabrayil, Kubatlu, "
        "Zangelan, the Hadrut region (mostly), part of Martuni and Askeran and Shushi, with fighting 2-3 km "
        "from Stepanakert.",
        "az": None,
        "hy": None,
        "ack_by": "Artsakh President Arayik Harutyunyan",
        "ack_on": "2020-11-10",
    },
    {
        "date": "2022-08-03",
        "slug": "operation-revenge-heights-claimed",
        "type": "capture_claim",
        "at": ("Qırxqız dağı", "Lachin"),
        "sources": [
            "https://babel.ua/en/news/82435-azerbaijan-reported-on-the-operation-revenge-in-nagorno-karabakh",
            "https://www.azernews.az/nation/198827.html",
            "https://eng.kavkaz-uzel.media/articles/60997",
            "https://jam-news.net/renewed-tension-in-nagorno-karabakh-what-yerevan-and-baku-report/",
            "https://news.am/eng/news/714799.html",
            "https://jpost.com/international/article-713825",
        ],
        "title": "Azerbaijan claims the Girkhgiz and Saribaba heights ('Operation Revenge')",
        "claimed_by": "Azerbaijan's Ministry of Defence",
        "summary": "On 3 Aug 2022 Azerbaijan's Ministry of Defence said it had taken Girkhgiz, Saribaba and other heights "
        "of the Karabakh ridge in an operation it called 'Revenge', after one of its soldiers was killed.",
        "az": "Azerbaijan's MoD (3 Aug 2022): 'illegal Armenian armed formations' fired on its positions in the Lachin "
        "direction, killing a soldier, and tried to seize the Girkhgiz height; the army answered with "
        "'Operation Revenge'.",
        "hy": "Artsakh Defence Army (3-4 Aug 2022): Azerbaijani units broke the ceasefire from 09:00 with mortars, "
        "grenade launchers and drones; two servicemen were killed and 19 wounded; the aim was to take positions "
        "around the Berdzor (Lachin) corridor.",
    },
]
