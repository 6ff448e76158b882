# panel/content/checklists/ivus_btk.py — G. IVUS-first strategy for a below-the-knee (BTK) CTO.
#
# Data only (format: panel/checklist.py). Every step, branch, measure and success
# definition traces to shared/clinical/TECHNIQUES.md section G ("d" is its text, "s"
# its step number; 0: the setting). The wire-crossing timer runs from the first
# antegrade wire (step 1) until pre-dilation (step 7), which needs a wire across.

_OTHER = ("other", "Other")

CHECKLIST = {
    "id": "ivus_btk",
    "title": "IVUS-first strategy for below-the-knee CTO",
    "src": "IVUS-first BTK study",
    "ind": "Setting: chronic limb-threatening ischaemia (Rutherford 4–6), BTK CTO, ipsilateral antegrade femoral"
    " access (5–6 Fr sheath), unfractionated heparin.",
    "rep": "Reported: technical success 91.2 % (IVUS-first) vs 72.4 % (primary distal puncture); 70.6 %"
    " antegrade-only.",
    "cau": (
        ("calcium_crossover", "Standing note: in this 34-lesion study severe calcification was associated with"
         " crossover to distal puncture (90 % of crossovers vs 29 % of IVUS-only cases); J-BTK C/D likewise (an"
         " association in a small cohort, not a validated predictor).", "crossed", "Calcium: more crossover"),
        # Steps 3-5, while the IVUS catheter is in the vessel for wiring (a note of those steps).
        ("imaging_only", "The IVUS catheter is for imaging only, never a crossing device; no excessive force in"
         " heavy calcium.", ("ivus", "second_wire", "ivus_crossed"), "IVUS: imaging only", "at"),
        ("puncture_site", "distal puncture carries puncture-site complications (bleeding, haematoma, vessel injury"
         " at the puncture); IVUS-guided wiring avoids them.", "puncture", "Puncture-site risks"),
        ("no_stenting", "No provisional stenting (balloon angioplasty only in the study).", "predilate",
         "No provisional stenting"),
    ),
    "ok": (("Technical success", "wire crossed and balloon delivered, residual stenosis <30 %, no slow/no flow"),),
    "ends": (
        ("end:technical_success", "Technical success"),
        ("end:technical_not_met", "Success criteria not met"),
        ("end:not_crossed", "Wire did not cross"),
    ),
    "rec": (
        ("rutherford", "Rutherford category", (("r4", "4"), ("r5", "5"), ("r6", "6"), _OTHER), 0),
    ),
    # The J-BTK grade is a lesion finding, entered once with the findings: read from there.
    "fin": ("jbtk_grade",),
    "tm": (("wire", "Wire crossing", 1800),),  # alert after 30 min of a wire-crossing attempt
    "items": (
        # Sheath 4-8 Fr brackets the setting's 5-6 Fr; heparin up to 20,000 IU catches an extra zero.
        {"id": "access", "k": "do", "s": 0, "t": "Get antegrade femoral access",
         "d": "ipsilateral antegrade femoral access (5–6 Fr sheath), unfractionated heparin",
         "m": (("sheath", "Sheath", "Fr", 4, 8, 0), ("heparin", "Unfractionated heparin", "IU", 0, 20000, 0))},
        {"id": "wire", "k": "do", "s": 1, "t": "Advance 0.014\" wire intraplaque", "ts": ("wire",),
         "d": "Antegrade 0.014\" wire with a support catheter, kept intraplaque as far as possible (angiography)."},
        {"id": "crossed", "k": "dec", "s": 2, "t": "Check: antegrade wire crossed?",
         "d": "Crossed? yes → go to 7. no → choose: IVUS-guided wiring, or retrograde distal puncture. Guidance"
         " from the study: IVUS-guided wiring was chosen when subintimal passage was confirmed and the distal"
         " vessel was not seen well enough for a safe puncture.",
         "o": (("yes", "Crossed", "predilate"), ("ivus", "No: IVUS-guided wiring", "ivus"),
               ("puncture", "No: distal puncture", "puncture"))},
        {"id": "ivus", "k": "do", "s": 3, "t": "Run IVUS along the first wire",
         "d": "IVUS-guided parallel wiring (EXCAVATOR): advance the first wire as far distally as possible; if it"
         " is subintimal, run the IVUS catheter (AnteOwl WR) along it to see the subintima and the true lumen."},
        {"id": "second_wire", "k": "do", "s": 4, "t": "Steer 2nd wire under IVUS",
         "d": "Deliver a second wire with an MC next to the first (the \"Passable\" technique helps, especially in"
         " the anterior tibial artery) and steer it into the intraplaque/true lumen under real-time IVUS."},
        {"id": "ivus_crossed", "k": "dec", "s": 5, "t": "Check: crossed with IVUS?",
         "d": "Crossed with IVUS guidance? no → crossover to distal puncture (record it).",
         "o": (("yes", "Crossed", "predilate"), ("no", "No: cross over to puncture", "puncture"))},
        # Step 6 has no decision of its own; whether the puncture route crossed decides
        # between step 7 and the end, as step 8's "wire crossed" needs it.
        {"id": "puncture", "k": "dec", "s": 6, "t": "Puncture distally: crossed?",
         "d": "Distal puncture / retrograde approach as needed. Caution: distal puncture carries puncture-site"
         " complications (bleeding, haematoma, vessel injury at the puncture); IVUS-guided wiring avoids them.",
         "o": (("yes", "Crossed", "predilate"), ("no", "Not crossed", "end:not_crossed"))},
        # Inflation time in seconds: the study asks for at least 60; 600 catches a typo.
        {"id": "predilate", "k": "do", "s": 7, "t": "Pre-dilate ≥1 min, size by IVUS", "te": ("wire",),
         "d": "Pre-dilate; add scoring or high-pressure balloon as needed; inflations of at least 1 minute; size the"
         " balloon by IVUS.",
         "m": (("inflation", "Longest inflation", "s", 0, 600, 0),)},
        {"id": "success", "k": "dec", "s": 8, "t": "Check: crossed, ballooned, <30 %?",
         "d": "Success (decision): wire crossed and balloon delivered, residual stenosis <30 %, no slow/no flow."
         " Complications to record: flow-limiting dissection, wire perforation, distal embolisation,"
         " puncture-site bleeding.",
         "m": (("complications", "Complications", (("none", "None"), ("dissection", "Flow-limiting dissection"),
                                                    ("perforation", "Wire perforation"),
                                                    ("embolisation", "Distal embolisation"),
                                                    ("bleeding", "Puncture-site bleeding"), _OTHER), 1),),
         "o": (("yes", "Success", "end:technical_success"), ("no", "Not met", "end:technical_not_met"))},
    ),
}
