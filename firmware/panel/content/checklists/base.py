# panel/content/checklists/base.py — E. Balloon-assisted subintimal entry (BASE): move the cap.
#
# Data only (format: panel/checklist.py). Steps trace to shared/clinical/TECHNIQUES.md
# section E ("d" is its text, "s" its step number); the indication is D's step 1 and
# step 5 (where D hands over here) and the cautions are D's standing cautions for a
# wire in the extraplaque space, which step 3 creates (D: every path on which the wire
# is extraplaque carries them on every later item).

CHECKLIST = {
    "id": "base",
    "title": "Balloon-assisted subintimal entry",
    "src": "expert review, its Figure 4",
    "ind": "If impenetrable, options (pick, log each tried): … move-the-cap / balloon-assisted subintimal"
    " entry (BASE, checklist E)… Extraplaque alternatives: ADR (BASE, side-BASE, power knuckle), RDR.",
    "cau": (
        ("extraplaque", "extraplaque: no atherectomy, no very high-pressure balloon", "knuckle",
         "Extraplaque: no atherectomy"),
        ("no_high_pressure", "Standing caution when extraplaque: no very high-pressure balloon inflation (risk"
         " of large perforation).", "knuckle", "no very high pressure"),
    ),
    # The .md gives BASE no success rate; its aim is step 3's knuckle past the plaque.
    "ok": (("Device success", "push the wire forward to form a knuckle, bypassing the calcified plaque"),),
    "ends": (
        ("end:device_success", "Knuckle past the calcified plaque"),
        ("end:not_crossed", "Plaque not bypassed"),
    ),
    "rec": (),
    "tm": (),
    "items": (
        {"id": "inflate", "k": "do", "s": 1, "t": "Inflate SC balloon 1:1 at the cap",
         "d": "Inflate a semi-compliant balloon sized 1:1 to the proximal vessel immediately in front of the"
         " proximal cap to create micro-dissections."},
        {"id": "wire", "k": "do", "s": 2, "t": "Advance polymer wire over MC",
         "d": "Over an MC, advance a polymer-jacketed wire into the micro-dissections."},
        {"id": "knuckle", "k": "dec", "s": 3, "t": "Push wire to knuckle: bypassed?",
         "d": "In the extraplaque space push the wire forward to form a knuckle, bypassing the calcified plaque.",
         "o": (("yes", "Plaque bypassed", "end:device_success"), ("no", "Not bypassed", "end:not_crossed"))},
    ),
}
