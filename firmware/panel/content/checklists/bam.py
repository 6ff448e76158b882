# panel/content/checklists/bam.py — F. Balloon-assisted microdissection (BAM) of a device-uncrossable cap.
#
# Data only (format: panel/checklist.py). Steps trace to shared/clinical/TECHNIQUES.md
# section F ("d" is its text, "s" its step number); the indication is D's step 5,
# where D hands over here.

CHECKLIST = {
    "id": "bam",
    "title": "Balloon-assisted microdissection",
    "src": "expert review",
    "ind": "Device-uncrossable, stepwise (log each tried): … balloon-assisted microdissection (BAM, checklist F)",
    "rep": "Reported effective in about half of cases.",
    "cau": (),
    "ok": (("Device success", "MC/balloon now crosses"),),
    "ends": (
        ("end:device_success", "MC/balloon crosses"),
        ("end:uncrossable", "Still device-uncrossable"),
    ),
    "rec": (),
    "tm": (),
    "items": (
        # Diameter in hundredths of a mm (1.25-1.50 mm needs two decimals); 0.50-5.00 mm
        # spans every coronary balloon, so a larger balloon than the step asks is still logged.
        {"id": "engage", "k": "do", "s": 1, "t": "Engage small balloon into the cap",
         "d": "Engage a small balloon (1.25–1.50 mm) as far as possible into the proximal cap.",
         "m": (("size", "Balloon diameter", "mm", 50, 500, 2),)},
        {"id": "rupture", "k": "dec", "s": 2, "t": "Inflate to rupture: MC crosses?",
         "d": "Inflate until it ruptures. (decision: MC/balloon now crosses?)",
         "o": (("yes", "MC/balloon crosses", "end:device_success"), ("no", "Still uncrossable", "end:uncrossable"))},
    ),
}
