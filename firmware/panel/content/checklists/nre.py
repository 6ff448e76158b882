# panel/content/checklists/nre.py — B. Needle re-entry (NRE) for an infrainguinal calcified occlusion.
#
# Data only (format: panel/checklist.py). Every step, branch, measure and success
# definition traces to shared/clinical/TECHNIQUES.md section B; "d" is its text,
# "s" its step number (0: the section's indication and limits).

_OTHER = ("other", "Other")

CHECKLIST = {
    "id": "nre",
    "title": "Needle re-entry (NRE)",
    "src": "needle re-entry case report",
    "ind": "femoropopliteal CTO with severe calcification where conventional crossing failed (antegrade"
    " wiring, intentional subintimal/PIER, a re-entry device such as Outback, retrograde wiring via distal"
    " puncture, looped wire).",
    "cau": (
        ("suprainguinal", "not for suprainguinal arteries", None, "Not suprainguinal"),
        ("balloon", "impossible if an antegrade balloon cannot be advanced into the subintimal plane", None,
         "Needs balloon in subintima"),
        ("back_side", "if the antegrade wire lies in the subintima on the back side of the vessel, use the"
         " Poorman's Outback (checklist C) instead", None, "Back side: POB"),
    ),
    # The .md names no NRE success; the technique's aim is the externalised wire (step 9).
    "ok": (
        ("Device success", "withdraw the ruptured balloon, which captures the wire, and follow it into the"
         " antegrade subintimal space, then into the antegrade sheath; externalise"),
    ),
    "ends": (
        ("end:device_success", "Wire externalised, lesion treated"),
        ("end:switch:pob", "Back side: Poorman's Outback (C)"),
        ("end:not_possible", "Balloon not in subintimal plane"),
        ("end:no_reentry", "Needle did not rupture balloon"),
        ("end:not_externalised", "Wire not externalised"),
    ),
    "rec": (),
    "tm": (),
    "items": (
        # Heparin up to 20,000 IU: the report gave 5,000 IU; the ceiling catches an extra zero.
        {"id": "access", "k": "do", "s": 1, "t": "Get access, give heparin",
         "d": "Access and anticoagulation",
         "m": (("sheath", "Sheath", (("7f_crossover", "7-Fr crossover"), _OTHER), 0),
               ("heparin", "Heparin dose", "IU", 0, 20000, 0))},
        {"id": "failed", "k": "meas", "s": 2, "t": "Record failed crossing attempts",
         "d": "Record the failed conventional attempts (pick list above).",
         "m": (("tried", "Failed attempts", (("ante_wiring", "Antegrade wiring"),
                                              ("pier", "Intentional subintimal/PIER"),
                                              ("reentry_device", "Re-entry device (Outback)"),
                                              ("retro_puncture", "Retrograde via distal puncture"),
                                              ("looped", "Looped wire"), _OTHER), 1),)},
        # The back-side limit names where to go, so it is asked before the retrograde access.
        {"id": "back_side", "k": "dec", "s": 0, "t": "Check: wire on the back side?",
         "d": "if the antegrade wire lies in the subintima on the back side of the vessel, use the Poorman's"
         " Outback (checklist C) instead",
         "o": (("yes", "Back side: use POB (C)", "end:switch:pob"), ("no", "Not back side", "retro_access"))},
        {"id": "retro_access", "k": "do", "s": 3, "t": "Puncture distal SFA, 0.018\" wire",
         "d": "Retrograde access: puncture the distal SFA under fluoroscopy (e.g. 20-gauge), 0.018\" wire with MC."},
        {"id": "balloon", "k": "dec", "s": 4, "t": "Advance 5.0 mm balloon: in plane?",
         "d": "Advance an antegrade 5.0-mm balloon into the subintimal space",
         "o": (("yes", "In subintimal plane", "inflate"), ("no", "Cannot advance", "end:not_possible"))},
        # Pressure 0-30 atm: balloon rated pressures stay below 30; the step holds 6 atm.
        {"id": "inflate", "k": "do", "s": 4, "t": "Inflate balloon, hold at 6 atm",
         "d": "inflate and hold at 6 atm.",
         "m": (("atm", "Balloon pressure", "atm", 0, 30, 0),)},
        {"id": "check_tip", "k": "do", "s": 5, "t": "Confirm MC tip vs balloon, 2 views",
         "d": "Confirm the retrograde MC tip sits below the inflated balloon in the ipsilateral view and overlaps"
         " it in the contralateral view."},
        {"id": "needle", "k": "dec", "s": 6, "t": "Insert 18G needle: balloon burst?",
         "d": "Insert an 18-gauge needle percutaneously from the distal thigh toward the inflated balloon."
         " (decision: balloon rupture by the needle confirmed?)",
         "o": (("yes", "Rupture confirmed", "needle_meet"), ("no", "No rupture", "end:no_reentry"))},
        {"id": "needle_meet", "k": "do", "s": 7, "t": "Advance needle to retro wire tip",
         "d": "Advance the needle through the balloon to meet the retrograde wire tip; check direction and"
         " depth in two views."},
        {"id": "rendezvous", "k": "do", "s": 8, "t": "Advance wire into needle lumen",
         "d": "Needle rendezvous: advance the retrograde 0.014\" wire into the needle lumen; continue to"
         " externalise; remove the needle."},
        {"id": "snare", "k": "dec", "s": 9, "t": "Withdraw balloon: wire externalised?",
         "d": "Balloon snare: withdraw the ruptured balloon, which captures the wire, and follow it into the"
         " antegrade subintimal space, then into the antegrade sheath; externalise.",
         "o": (("yes", "Externalised", "treat"), ("no", "Not externalised", "end:not_externalised"))},
        {"id": "treat", "k": "do", "s": 10, "t": "Treat: pave-and-crack, NC post",
         "d": "Treat: e.g. pave-and-crack (stent graft plus interwoven stent), post-dilation with a"
         " non-compliant balloon."},
        {"id": "final", "k": "do", "s": 11, "t": "Do final angiography and IVUS", "nx": "end:device_success",
         "d": "Final angiography and IVUS; record complications (none in the report).",
         "m": (("complications", "Complications", (("none", "None"), _OTHER), 1),)},
    ),
}
