# panel/content/checklists/calcified.py — D. Heavily calcified coronary CTO: crossing and lesion preparation.
#
# Data only (format: panel/checklist.py). A guided decision tree, not a fixed list:
# phase 1 wire crossing (steps 1-3, the wire-crossing timer runs from the cap to the
# wire across), phase 2 device crossing (4-5), phase 3 lesion preparation (6-8).
# Every branch and measure traces to shared/clinical/TECHNIQUES.md section D ("d" is
# its text, "s" its step number; 0: the assessment and the outcome definitions).
# The lesion findings are entered once on the findings screen, not here.
#
# Where the wire is or may be extraplaque (D's last paragraph), phases 2 and 3 run on
# their own items (ids ending "_x"), reached from every branch that leaves the wire
# extraplaque: a knuckle or a wire tracked extraplaque (re-entry, step 3), a device
# crossed by an extraplaque alternative (step 5), a track IVUS has not shown
# intraplaque (step 8). The caution "extraplaque: no atherectomy, no very high-pressure
# balloon" stands from the first of them on every later item, and those items offer
# neither atherectomy nor a high or very high-pressure balloon. In phase 3 atherectomy
# is offered only after IVUS has shown the track intraplaque (step 8). Phase 2's
# stepwise list keeps atherectomy for a wire tracked intraplaque, as step 5 lists it
# ("intraplaque options first"). Step 7's "rotational atherectomy only with small burrs
# (<1.5 mm) at the intra-to-extraplaque transition" is not offered: on an extraplaque
# wire it contradicts the standing "no atherectomy" (left to the reference's owner).

_OTHER = ("other", "Other")
# The first item of each branch on which the wire is or may be extraplaque.
_XP = ("reentry", "nc_x", "calcium_x")

CHECKLIST = {
    "id": "calcified",
    "title": "Heavily calcified coronary CTO",
    "src": "EuroCTO Club expert review",
    "ind": "Heavily calcified coronary CTO — crossing and lesion preparation. Heavy calcification"
    " (angiographic): radiopacity at the lesion before contrast, usually on both sides of the lumen.",
    # short labels: the runner's caution band (the text is one tap away); "at": a note of
    # the step it names (ADR's condition at re-entry, the order of the escalation at step 5,
    # step 8's rule at the undilatable lesion on the intraplaque track; on the extraplaque
    # track the standing extraplaque cautions already say it, and that item offers IVL only).
    "cau": (
        ("extraplaque", "extraplaque: no atherectomy, no very high-pressure balloon", _XP,
         "Extraplaque: no atherectomy"),
        ("no_high_pressure", "Standing caution when extraplaque: no very high-pressure balloon inflation (risk"
         " of large perforation).", _XP, "no very high pressure"),
        ("adr_vessel", "ADR needs a large, not heavily calcified distal vessel.", "reentry",
         "ADR: large distal vessel", "at"),
        ("intraplaque_first", "Standing caution: intraplaque options first, because extraplaque tracking rules"
         " out atherectomy and high-pressure balloons afterwards.", "uncrossable", "Intraplaque options first",
         "at"),
        ("ivl_perforation", "perforations with IVL have been described", ("eccentric", "eccentric_x"),
         "IVL: perforations described"),
        ("eccentric", "if extraplaque, keep pressure <14 atm", "eccentric_x", "<14 atm"),
        ("undilatable", "Undilatable lesion: high-pressure NC / OPN balloon only if the wire is intraplaque;"
         " IVL if it can be delivered; atherectomy once intraplaque tracking is confirmed by IVUS.",
         "undilatable", "NC/OPN only if intraplaque", "at"),
    ),
    "ok": (
        ("Technical success", "TIMI 3 antegrade flow and residual stenosis <30 %"),
        ("Procedural success", "technical success with no in-hospital MACE"),
    ),
    "ends": (
        ("end:technical_success", "Technical success"),
        ("end:technical_not_met", "Stented; technical success not met"),
        ("end:not_crossed", "Wire did not cross"),
        ("end:uncrossable", "Device-uncrossable"),
        ("end:undilatable", "Undilatable lesion"),
        ("end:switch:base", "Move the cap: BASE (E)"),
        ("end:switch:bam", "Microdissection: BAM (F)"),
    ),
    "rec": (),
    "tm": (("wire", "Wire crossing", 1800),),  # alert after 30 min of a wire-crossing attempt
    "items": (
        {"id": "assess", "k": "do", "s": 0, "t": "Review dual injection and CCTA",
         "d": "Assessment: dual injection angiography; CCTA where available (calcium distribution; circumferential"
         " \"full moon\" calcium; calcified area >50 % of the cross-section). Enter the lesion findings once"
         " (scores are computed from them)."},
        # Phase 1 — wire crossing
        {"id": "cap", "k": "dec", "s": 1, "t": "Penetrate cap, high tip-load wire", "ts": ("wire",),
         "d": "Proximal cap: penetrate with a high tip-load wire.",
         "o": (("yes", "Penetrated", "track"), ("no", "Impenetrable", "cap_options"))},
        {"id": "cap_options", "k": "dec", "s": 1, "t": "Escalate at cap: penetrated?",
         "d": "If impenetrable, options (pick, log each tried): stiffer wires; more support; penetrating MCs"
         " (Tornus, Turnpike Gold); move-the-cap / balloon-assisted subintimal entry (BASE, checklist E); Carlino"
         " (contrast micro-injection); intravascular lithotripsy (IVL); retrograde.",
         "m": (("tried", "Options tried", (("stiffer", "Stiffer wires"), ("support", "More support"),
                                            ("penetrating_mc", "Penetrating MC (Tornus, Turnpike Gold)"),
                                            ("carlino", "Carlino (contrast micro-injection)"),
                                            ("ivl", "Intravascular lithotripsy (IVL)"),
                                            ("retrograde", "Retrograde"), _OTHER), 1),),
         "o": (("yes", "Penetrated", "track"), ("base", "Move the cap: BASE (E)", "end:switch:base"),
               ("no", "Impenetrable: stop", "end:not_crossed"))},
        {"id": "track", "k": "dec", "s": 2, "t": "Track intraplaque: wire across?",
         "d": "Intraplaque tracking (antegrade or retrograde wire escalation) first. Long and/or tortuous segment"
         " → polymer-jacketed knuckle wire in the extraplaque space.",
         "o": (("yes", "Across, intraplaque", "device"), ("knuckle", "Long/tortuous: knuckle", "reentry"),
               ("no", "Extraplaque", "reentry"))},
        # From re-entry on the wire is extraplaque: phases 2 and 3 go on the "_x" items.
        {"id": "reentry", "k": "dec", "s": 3, "t": "Dissect and re-enter: re-entered?",
         "d": "If intraplaque fails (wire extraplaque): dissection and re-entry (ADR / RDR). ADR needs a large,"
         " not heavily calcified distal vessel.",
         "m": (("method", "Method", (("adr", "ADR"), ("rdr", "RDR"), _OTHER), 0),),
         "o": (("yes", "Re-entered", "device_x"), ("no", "Not re-entered", "end:not_crossed"))},
        # Phase 2 — device crossing (after the wire has crossed), the wire tracked intraplaque
        {"id": "device", "k": "dec", "s": 4, "t": "Cross with MC or low-profile balloon", "te": ("wire",),
         "d": "Try to cross with an MC or low-profile balloon. (decision: device-uncrossable?)",
         "o": (("yes", "Device crossed", "nc"), ("no", "Device-uncrossable", "uncrossable"))},
        # Crossed by an extraplaque alternative (side-BASE, power knuckle, RDR): the wire is extraplaque now.
        {"id": "uncrossable", "k": "dec", "s": 5, "t": "Escalate stepwise: crossed now?",
         "d": "Device-uncrossable, stepwise (log each tried): stronger guide support (larger lumen, Amplatz shape);"
         " low-profile balloon <1.5 mm; guide extension; anchoring balloon; special MCs (Tornus, Turnpike"
         " Spiral/Gold); balloon-assisted microdissection (BAM, checklist F); rotational / orbital / laser"
         " atherectomy. Extraplaque alternatives: ADR (BASE, side-BASE, power knuckle), RDR.",
         "m": (("tried", "Options tried", (("guide_support", "Stronger guide support"),
                                            ("low_profile", "Low-profile balloon <1.5 mm"),
                                            ("extension", "Guide extension"), ("anchoring", "Anchoring balloon"),
                                            ("special_mc", "Special MC (Tornus, Turnpike)"),
                                            ("atherectomy", "Rotational/orbital/laser atherectomy"),
                                            ("side_base", "Side-BASE"), ("power_knuckle", "Power knuckle"),
                                            ("rdr", "RDR"), _OTHER), 1),),
         # five options: the last three short enough for the runner's narrower buttons
         "o": (("yes", "Crossed, intraplaque", "nc"), ("xcrossed", "Crossed via ADR/RDR", "nc_x"),
               ("bam", "BAM (F)", "end:switch:bam"), ("base", "ADR: BASE (E)", "end:switch:base"),
               ("no", "Stop", "end:uncrossable"))},
        # Phase 2 — device crossing, the wire extraplaque (re-entered): no atherectomy offered
        {"id": "device_x", "k": "dec", "s": 4, "t": "Cross with MC or low-profile balloon", "te": ("wire",),
         "d": "Try to cross with an MC or low-profile balloon. (decision: device-uncrossable?)",
         "o": (("yes", "Device crossed", "nc_x"), ("no", "Device-uncrossable", "uncrossable_x"))},
        {"id": "uncrossable_x", "k": "dec", "s": 5, "t": "Escalate stepwise: crossed now?",
         "d": "Device-uncrossable, stepwise (log each tried): stronger guide support (larger lumen, Amplatz shape);"
         " low-profile balloon <1.5 mm; guide extension; anchoring balloon; special MCs (Tornus, Turnpike"
         " Spiral/Gold); balloon-assisted microdissection (BAM, checklist F)",
         "m": (("tried", "Options tried", (("guide_support", "Stronger guide support"),
                                            ("low_profile", "Low-profile balloon <1.5 mm"),
                                            ("extension", "Guide extension"), ("anchoring", "Anchoring balloon"),
                                            ("special_mc", "Special MC (Tornus, Turnpike)"),
                                            ("side_base", "Side-BASE"), ("power_knuckle", "Power knuckle"),
                                            ("rdr", "RDR"), _OTHER), 1),),
         "o": (("yes", "Device crossed", "nc_x"), ("bam", "Microdissection: BAM (F)", "end:switch:bam"),
               ("base", "ADR: BASE (E)", "end:switch:base"), ("no", "Uncrossable: stop", "end:uncrossable"))},
        # Phase 3 — lesion preparation, the wire tracked intraplaque
        {"id": "nc", "k": "do", "s": 6, "t": "Inflate NC balloon 1:1, two views",
         "d": "Non-compliant balloon sized 1:1 to the vessel; confirm full expansion in two views."},
        {"id": "expanded", "k": "dec", "s": 7, "t": "Check: balloon fully expanded?",
         "d": "Balloon fully expanded? yes → stent. no → characterise calcium with IVUS",
         "o": (("yes", "Fully expanded", "ivus"), ("no", "Not expanded", "ivus_track"))},
        # The IVUS run that characterises the calcium shows the track (step 8): intraplaque,
        # and atherectomy is offered; extraplaque or unsure, the "_x" items and their caution.
        {"id": "ivus_track", "k": "dec", "s": 8, "t": "Image with IVUS: track intraplaque?",
         "d": "atherectomy once intraplaque tracking is confirmed by IVUS.",
         "o": (("intraplaque", "IVUS: intraplaque", "calcium"), ("extraplaque", "Extraplaque or unsure", "calcium_x"))},
        {"id": "calcium", "k": "dec", "s": 7, "t": "Characterise calcium with IVUS",
         "d": "characterise calcium with IVUS",
         "o": (("superficial", "Superficial concentric", "superficial"),
               ("eccentric", "Eccentric / nodule", "eccentric"), ("deep", "Deep concentric", "deep"))},
        {"id": "superficial", "k": "do", "s": 7, "t": "Modify superficial calcium", "nx": "redilate",
         "d": "superficial concentric calcium (intraplaque): rotational/orbital atherectomy, cutting/scoring"
         " balloon, high or very high pressure (OPN) balloon, or IVL",
         "m": (("used", "Used", (("atherectomy", "Rotational/orbital atherectomy"),
                                  ("cutting", "Cutting/scoring balloon"), ("opn", "High/very high pressure (OPN)"),
                                  ("ivl", "IVL"), _OTHER), 1),)},
        {"id": "eccentric", "k": "do", "s": 7, "t": "Treat eccentric calcium/nodule", "nx": "redilate",
         "d": "eccentric calcium / calcified nodule: IVL (caution: perforations with IVL have been described)",
         "m": (("used", "Used", (("ivl", "IVL"), _OTHER), 1),)},
        {"id": "deep", "k": "do", "s": 7, "t": "Treat deep calcium only if needed", "nx": "redilate",
         "d": "deep concentric calcium: treat only if it compromises the lumen (small minimal lumen area,"
         " incomplete balloon expansion in two views)."},
        # Not a numbered .md decision: after calcium modification the expansion is checked
        # again (step 7's question); "no" leads to step 8, the undilatable lesion.
        {"id": "redilate", "k": "dec", "s": 7, "t": "Re-dilate: balloon fully expanded?",
         "d": "Balloon fully expanded?",
         "o": (("yes", "Fully expanded", "ivus"), ("no", "Undilatable", "undilatable"))},
        {"id": "undilatable", "k": "dec", "s": 8, "t": "Escalate undilatable: expanded?",
         "d": "Undilatable lesion: high-pressure NC / OPN balloon only if the wire is intraplaque; IVL if it can be"
         " delivered; atherectomy once intraplaque tracking is confirmed by IVUS.",
         "m": (("tried", "Options tried", (("high_pressure", "High-pressure NC / OPN"), ("ivl", "IVL"),
                                            ("atherectomy", "Atherectomy"), _OTHER), 1),),
         "o": (("yes", "Fully expanded", "ivus"), ("no", "Undilatable: stop", "end:undilatable"))},
        # Phase 3 — lesion preparation, the wire extraplaque or not shown intraplaque: no
        # atherectomy, no high or very high-pressure balloon, <14 atm at eccentric calcium.
        {"id": "nc_x", "k": "do", "s": 6, "t": "Inflate NC balloon 1:1, two views",
         "d": "Non-compliant balloon sized 1:1 to the vessel; confirm full expansion in two views."},
        {"id": "expanded_x", "k": "dec", "s": 7, "t": "Check: balloon fully expanded?",
         "d": "Balloon fully expanded? yes → stent. no → characterise calcium with IVUS",
         "o": (("yes", "Fully expanded", "ivus"), ("no", "Not expanded", "calcium_x"))},
        {"id": "calcium_x", "k": "dec", "s": 7, "t": "Characterise calcium with IVUS",
         "d": "characterise calcium with IVUS",
         "o": (("superficial", "Superficial concentric", "superficial_x"),
               ("eccentric", "Eccentric / nodule", "eccentric_x"), ("deep", "Deep concentric", "deep_x"))},
        # Step 7's list without what the extraplaque caution rules out ("…" marks what is left out).
        {"id": "superficial_x", "k": "do", "s": 7, "t": "Modify calcium: cutting/scoring, IVL", "nx": "redilate_x",
         "d": "superficial concentric calcium (intraplaque): … cutting/scoring balloon, … or IVL",
         "m": (("used", "Used", (("cutting", "Cutting/scoring balloon"), ("ivl", "IVL"), _OTHER), 1),)},
        {"id": "eccentric_x", "k": "do", "s": 7, "t": "Treat eccentric: IVL, <14 atm", "nx": "redilate_x",
         "d": "eccentric calcium / calcified nodule: IVL (caution: perforations with IVL have been described); if"
         " extraplaque, keep pressure <14 atm",
         "m": (("used", "Used", (("ivl", "IVL"), _OTHER), 1),)},
        {"id": "deep_x", "k": "do", "s": 7, "t": "Treat deep calcium only if needed", "nx": "redilate_x",
         "d": "deep concentric calcium: treat only if it compromises the lumen (small minimal lumen area,"
         " incomplete balloon expansion in two views)."},
        {"id": "redilate_x", "k": "dec", "s": 7, "t": "Re-dilate: balloon fully expanded?",
         "d": "Balloon fully expanded?",
         "o": (("yes", "Fully expanded", "ivus"), ("no", "Undilatable", "undilatable_x"))},
        {"id": "undilatable_x", "k": "dec", "s": 8, "t": "Escalate with IVL: expanded?",
         "d": "IVL if it can be delivered",
         "m": (("tried", "Options tried", (("ivl", "IVL"), _OTHER), 1),),
         "o": (("yes", "Fully expanded", "ivus"), ("no", "Undilatable: stop", "end:undilatable"))},
        # Both ways end here; on the extraplaque ways the caution stands on these items too.
        {"id": "ivus", "k": "do", "s": 6, "t": "Image with IVUS before stenting",
         "d": "IVUS before stenting."},
        {"id": "stent", "k": "do", "s": 7, "t": "Implant stent",
         "d": "Balloon fully expanded? yes → stent."},
        {"id": "tech_ok", "k": "dec", "s": 0, "t": "Check TIMI 3, residual <30 %",
         "d": "Technical success (coronary): TIMI 3 antegrade flow and residual stenosis <30 %.",
         "o": (("yes", "Technical success", "end:technical_success"), ("no", "Not met", "end:technical_not_met"))},
    ),
}
