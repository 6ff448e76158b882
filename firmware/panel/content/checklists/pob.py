# panel/content/checklists/pob.py — C. Poorman's Outback (POB): needle re-entry from the back side.
#
# Data only (format: panel/checklist.py). Every step, branch and success definition
# traces to shared/clinical/TECHNIQUES.md section C; "d" is its text, "s" its step
# number. NRE (checklist B) hands over here when the wire is on the back side.

CHECKLIST = {
    "id": "pob",
    "title": "Poorman's Outback (POB)",
    "src": "needle re-entry case report",
    "ind": "Use when the antegrade wire is subintimal on the back side of the vessel.",
    # Limits, shown before Start and throughout, also when POB is started on its own
    # rather than handed over from NRE.
    "cau": (
        ("infrainguinal", "infrainguinal (femoropopliteal) occlusions only, never suprainguinal", None,
         "Infrainguinal only"),
        ("thigh", "the needle goes in from the distal thigh", None, "Needle from distal thigh"),
        ("as_nre", "the same access and anticoagulation as NRE (checklist B)", None, "Access as NRE (B)"),
    ),
    "ok": (("Device success", "re-entry achieved"),),
    "ends": (
        ("end:device_success", "Re-entry achieved"),
        ("end:no_reentry", "Re-entry not achieved"),
    ),
    "rec": (),
    "tm": (),
    "items": (
        {"id": "needle", "k": "do", "s": 1, "t": "Insert 18G needle to ante wire tip",
         "d": "Insert an 18-gauge needle retrogradely from the distal thigh, through the distal lumen, to the tip"
         " of the antegrade wire in the subintimal plane."},
        {"id": "touch", "k": "do", "s": 2, "t": "Confirm needle touches wire tip",
         "d": "Confirm the needle touches the wire tip (two views)."},
        {"id": "wire_in", "k": "do", "s": 3, "t": "Advance wire into needle lumen",
         "d": "Advance the antegrade wire into the needle lumen; remove the needle."},
        {"id": "reentry", "k": "dec", "s": 4, "t": "Steer into distal lumen: re-entry?",
         "d": "Steer the wire into the distal lumen (re-entry achieved — decision).",
         "o": (("yes", "Re-entry achieved", "end:device_success"), ("no", "No re-entry", "end:no_reentry"))},
    ),
}
