# panel/content/checklists/strategy.py — H. General coronary CTO strategy (procedural principles).
#
# Data only (format: panel/checklist.py). Every step and branch traces to
# shared/clinical/TECHNIQUES.md section H ("d" is its text, "s" its principle number;
# 0: the outcome definitions). Each wiring strategy (antegrade, retrograde, ADR)
# starts the wire-crossing timer afresh; the choice after a failed one stops it. A
# change of strategy is a decision here, time-stamped like every event.

_OTHER = ("other", "Other")

_ADR = "Antegrade dissection re-entry when earlier antegrade attempts failed, collaterals are poor or retrograde failed"
_ADR_IF = ("provided the distal vessel is free of severe diffuse disease, the landing zone spares large branches and"
           " the occlusion is longer than 20 mm (the panel lists these three conditions where it asks)")
_YES = ("yes", "Yes: all 3 met", "adr")
_NOT = ("No: distal vessel diseased", "No: large branch at landing", "No: length ≤20 mm")
_OPEN = ("ADR not possible → the other approaches still open (retrograde if usable collaterals and not yet tried)"
         " before \"not crossed\"")

CHECKLIST = {
    "id": "strategy",
    "title": "General coronary CTO strategy",
    "src": "operator-CTO paper, its procedural principles",
    "ind": "CTO: total occlusion, TIMI 0 flow, ≥3 months (estimated from the last consistent acute event or prior"
    " angiogram).",
    "cau": (("log_change", "A strategy change is itself an event: log when and why.", None, "Log strategy changes"),),
    "ok": (
        ("Technical success", "TIMI 3 antegrade flow and residual stenosis <30 %"),
        ("Procedural success", "technical success with no in-hospital MACE"),
    ),
    "ends": (
        ("end:technical_success", "Technical success"),
        ("end:technical_not_met", "Technical success not met"),
        ("end:not_crossed", "Wire did not cross"),
    ),
    "rec": (),
    "tm": (("wire", "Wire crossing", 1800),),  # alert after 30 min of a wire-crossing attempt
    "items": (
        # Length in whole mm (ADR needs >20 mm); 300 mm is longer than any coronary artery.
        # The findings (stump, tortuosity, length, collaterals) are entered once, on the
        # findings screen, where every score reads them: this step does not ask them again.
        {"id": "angio", "k": "do", "s": 1, "t": "Do dual angiography, enter findings",
         "d": "Bilateral (dual) angiography: stump, tortuosity, length, collaterals."},
        # Guides are 5-8 F; 7-8 F when real-time IVUS or ADR devices are planned.
        {"id": "guides", "k": "do", "s": 5, "t": "Choose strongly supportive guides",
         "d": "Strongly supportive guides (EBU/XB/Amplatz left; Amplatz/XB RCA right); 7–8 F where real-time IVUS"
         " guidance or ADR devices are planned.",
         "m": (("left", "Left guide", (("ebu", "EBU"), ("xb", "XB"), ("amplatz_left", "Amplatz left"), _OTHER), 0),
               ("right", "Right guide", (("amplatz_right", "Amplatz right"), ("xb_rca", "XB RCA"), _OTHER), 0),
               ("size", "Guide size", "F", 5, 8, 0))},
        {"id": "first", "k": "dec", "s": 2, "t": "Choose the first strategy",
         "d": "Tapered stump → antegrade first",
         "o": (("antegrade", "Antegrade (tapered stump)", "antegrade"),
               ("retrograde", "Retrograde (usable collaterals)", "retrograde"),
               ("adr", "ADR (poor collaterals)", "adr_check"))},
        {"id": "antegrade", "k": "dec", "s": 2, "t": "Wire antegrade: crossed?", "ts": ("wire",),
         "d": "antegrade first: wire escalation, parallel wire, anchoring, seesaw, side-branch, subintimal tracking"
         " and re-entry, IVUS-guided true-lumen seeking.",
         "m": (("tried", "Techniques tried", (("escalation", "Wire escalation"), ("parallel", "Parallel wire"),
                                               ("anchoring", "Anchoring"), ("seesaw", "Seesaw"),
                                               ("side_branch", "Side-branch"),
                                               ("str", "Subintimal tracking and re-entry"),
                                               ("ivus", "IVUS-guided true-lumen seeking"), _OTHER), 1),),
         "o": (("yes", "Crossed", "tech_ok"), ("no", "Not crossed", "after_antegrade"))},
        {"id": "after_antegrade", "k": "dec", "s": 4, "t": "Choose next after failed antegrade", "te": ("wire",),
         "d": _ADR,
         "o": (("retrograde", "Retrograde", "retrograde"), ("adr", "ADR", "adr_check"),
               ("stop", "Stop", "end:not_crossed"))},
        {"id": "retrograde", "k": "dec", "s": 3, "t": "Wire retrograde: crossed?", "ts": ("wire",),
         "d": "Not suited to antegrade and usable collaterals → retrograde: kissing wire, reverse CART.",
         "m": (("tried", "Techniques tried", (("kissing", "Kissing wire"), ("reverse_cart", "Reverse CART"),
                                               _OTHER), 1),),
         "o": (("yes", "Crossed", "tech_ok"), ("no", "Not crossed", "after_retrograde"))},
        {"id": "after_retrograde", "k": "dec", "s": 4, "t": "Choose next after failed retro", "te": ("wire",),
         "d": _ADR,
         "o": (("adr", "ADR", "adr_check_r"), ("stop", "Stop", "end:not_crossed"))},
        # The three conditions are the options' words ("the panel lists these three conditions
        # where it asks"): any one not met makes ADR not possible, and says which. The longer
        # labels come first, on the runner's wider buttons.
        {"id": "adr_check", "k": "dec", "s": 4, "t": "Check ADR conditions: all 3 met?",
         "d": _ADR_IF,
         "o": (("distal", _NOT[0], "adr_open"), ("branch", _NOT[1], "adr_open"), ("short", _NOT[2], "adr_open"),
               _YES)},
        # ADR not possible: the approaches still open before "not crossed". Retrograde has not been
        # tried on the ways here (first choice ADR, or after a failed antegrade attempt).
        {"id": "adr_open", "k": "dec", "s": 4, "t": "Choose an approach still open",
         "d": _OPEN,
         "o": (("retrograde", "Retrograde if usable collaterals", "retrograde_last"),
               ("stop", "None open: not crossed", "end:not_crossed"))},
        {"id": "retrograde_last", "k": "dec", "s": 3, "t": "Wire retrograde: crossed?", "ts": ("wire",),
         "d": "Not suited to antegrade and usable collaterals → retrograde: kissing wire, reverse CART.",
         "m": (("tried", "Techniques tried", (("kissing", "Kissing wire"), ("reverse_cart", "Reverse CART"),
                                               _OTHER), 1),),
         "o": (("yes", "Crossed", "tech_ok"), ("no", "Not crossed", "end:not_crossed"))},
        # After a failed retrograde attempt nothing else is open: ADR not possible is "not crossed".
        {"id": "adr_check_r", "k": "dec", "s": 4, "t": "Check ADR conditions: all 3 met?",
         "d": _ADR_IF,
         "o": (("distal", _NOT[0], "end:not_crossed"), ("branch", _NOT[1], "end:not_crossed"),
               ("short", _NOT[2], "end:not_crossed"), _YES)},
        {"id": "adr", "k": "dec", "s": 4, "t": "Perform ADR: re-entered?", "ts": ("wire",),
         "d": "Antegrade dissection re-entry",
         "o": (("yes", "Re-entered", "tech_ok"), ("no", "Not re-entered", "end:not_crossed"))},
        {"id": "tech_ok", "k": "dec", "s": 0, "t": "Check TIMI 3, residual <30 %", "te": ("wire",),
         "d": "Technical success (coronary): TIMI 3 antegrade flow and residual stenosis <30 %.",
         "o": (("yes", "Technical success", "end:technical_success"), ("no", "Not met", "end:technical_not_met"))},
    ),
}
