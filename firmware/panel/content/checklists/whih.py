# panel/content/checklists/whih.py — A. Wires hand-in-hand (WHIH): retrograde-to-antegrade conversion.
#
# Data only (format: panel/checklist.py). Every step, branch, measure and success
# definition traces to shared/clinical/TECHNIQUES.md section A; "d" is its text,
# "s" its step number. Frozen into flash on the board: costs RAM only while running.
# The series' WHIH has no wire-crossing timer.

_OTHER = ("other", "Other")

CHECKLIST = {
    "id": "whih",
    "title": "Wires hand-in-hand (WHIH)",
    "src": "WHIH case series",
    "ind": "during a retrograde CTO PCI the retrograde wire has reached the antegrade guide catheter, the"
    " retrograde microcatheter (MC) cannot cross the CTO, and the antegrade MC also fails to cross along the"
    " retrograde wire.",
    "rep": "The series reported procedure 243.5 ± 69.4 min, fluoroscopy 141.5 ± 66.3 min, contrast 296.8 ±"
    " 73.7 ml; no in-hospital MACE.",
    "cau": (
        ("last_resort", "Offered as a last-resort portal technique.", None, "Last resort"),
        ("devices", "Needs no devices beyond those for tip-in / rendezvous.", None, "No extra devices"),
        # Step 9, where IVUS is asked: the track can be subintimal, so rotational atherectomy
        # waits for IVUS (a note of that step: the branch taken then carries its own).
        ("atherectomy_ivus", "rotational atherectomy for heavy calcium (3 of 14 cases) only once IVUS confirms the"
         " track is intraplaque", "ivus", "Atherectomy only if intraplaque", "at"),
        # Step 9: a track IVUS has not shown intraplaque may be subintimal: checklist D's
        # extraplaque cautions (same ids, words and labels as there) from that branch on.
        ("extraplaque", "extraplaque: no atherectomy, no very high-pressure balloon", "prep_stent_x",
         "Extraplaque: no atherectomy"),
        ("no_high_pressure", "Standing caution when extraplaque: no very high-pressure balloon inflation (risk"
         " of large perforation).", "prep_stent_x", "no very high pressure"),
    ),
    "ok": (
        ("Device success", "the antegrade wire has crossed the CTO into the distal vessel"),
        ("Technical success", "TIMI 3 antegrade flow and residual stenosis <30 %"),
        ("Procedural success", "technical success with no in-hospital MACE"),
    ),
    "ends": (
        ("end:technical_success", "Technical success"),
        ("end:device_success", "Device success; technical success not met"),
        ("end:converted", "MC crossed: externalise, leave WHIH"),
        ("end:not_crossed", "Antegrade wire did not cross"),
    ),
    # Times in whole minutes, as the series reports them; 12 h and 2 l are far beyond its
    # mean + 6 SD (procedure 243.5 ± 69.4 min, contrast 296.8 ± 73.7 ml) and catch a typo.
    "rec": (
        ("guides", "Guide configuration",
         (("bilateral", "Bilateral"), ("ping_pong", "Ping-pong"), ("single", "Single"), _OTHER), 0),
        ("approach", "Approach",
         (("primary", "Primary retrograde"), ("after_ante", "Retrograde after failed antegrade"), _OTHER), 0),
        ("fluoro", "Fluoroscopy time", "min", 0, 720, 0),
        ("proc", "Procedure time", "min", 0, 720, 0),
        ("contrast", "Contrast volume", "ml", 0, 2000, 0),
    ),
    "tm": (),
    "items": (
        {"id": "in_guide", "k": "do", "s": 1, "t": "Confirm retro wire in ante guide",
         "d": "Confirm the retrograde wire is inside the antegrade guide catheter.",
         "m": (("wire", "Wire used", (("pilot", "Pilot"), ("gaia", "Gaia"), ("ub3", "UB3"), _OTHER), 0),
               ("channel", "Collateral channel", (("septal", "Septal"), ("epicardial", "Epicardial"),
                                                  ("ipsi_epicardial", "Ipsilateral epicardial"), _OTHER), 0))},
        {"id": "retro_mc", "k": "dec", "s": 2, "t": "Advance retro MC: crossed CTO?",
         "d": "Retrograde MC advanced to cross the CTO.",
         "o": (("yes", "Crossed: externalise", "end:converted"), ("no", "Not crossed", "tip_in")),
         "m": (("mc", "MC type", (("finecross", "Finecross"), ("corsair", "Corsair"), ("radpass", "RAD-pass"),
                                  ("turnpike", "Turnpike"), _OTHER), 0),)},
        # No tip-in: WHIH cannot go on (every case of the series had tip-in before the
        # antegrade MC went over the retrograde wire): the run leaves by the exit gate.
        {"id": "tip_in", "k": "dec", "s": 3, "t": "Steer retro wire into ante MC",
         "d": "Tip-in: steer the retrograde wire into the antegrade MC and push it as deep as possible into the"
         " antegrade MC for support. (decision: tip-in achieved? no → WHIH cannot go on: every case of the series"
         " achieved tip-in before the antegrade MC was advanced over the retrograde wire; leave through the exit"
         " gate to another strategy)",
         "o": (("yes", "Tip-in achieved", "ante_mc"), ("no", "No tip-in: exit gate", "end:abandoned"))},
        {"id": "ante_mc", "k": "dec", "s": 4, "t": "Advance ante MC: crossed CTO?",
         "d": "Advance the antegrade MC over the retrograde wire.",
         "o": (("yes", "Crossed: leave WHIH", "end:converted"), ("no", "Not crossed", "close_mcs"))},
        # Gap in tenths of a mm: the series' median 4.5 mm needs one decimal; 0-100 mm
        # spans its range 2-20 mm with room for any occlusion length.
        {"id": "close_mcs", "k": "do", "s": 5, "t": "Push both MCs into CTO body",
         "d": "Push both MCs as far into the CTO body as they go, to bring the two tips as close as possible.",
         "m": (("gap", "Gap between MC tips", "mm", 0, 1000, 1),)},
        {"id": "hand_in_hand", "k": "do", "s": 6, "t": "Withdraw retro, advance ante wire",
         "d": "Hand-in-hand: one operator slowly withdraws the retrograde wire while the other advances an"
         " antegrade workhorse wire (e.g. Sion / Sion Black) along the track it leaves.",
         "m": (("wire", "Antegrade wire", (("sion", "Sion"), ("sion_black", "Sion Black"), _OTHER), 0),)},
        {"id": "rendezvous", "k": "do", "s": 7, "t": "Steer ante wire into retro MC",
         "d": "When the antegrade wire reaches the retrograde MC tip, steer it into the retrograde MC"
         " (rendezvous-style) and on into the distal true vessel."},
        # Re-wiring into another path starts the technique again from step 1 ("restart").
        {"id": "device_ok", "k": "dec", "s": 8, "t": "Check ante wire in distal vessel",
         "d": "Device success (decision): the antegrade wire has crossed the CTO into the distal vessel. If the"
         " antegrade system still will not follow: re-wire retrogradely into another path (seen once in the"
         " series).",
         "o": (("yes", "Crossed: device success", "ivus"), ("rewire", "Re-wire retro, other path", "restart"),
               ("no", "Not crossed", "end:not_crossed"))},
        # Step 9: the track can be subintimal (the series' Figure 2), so the lesion is
        # prepared one of two ways: rotational atherectomy only where IVUS showed the
        # track intraplaque; otherwise (subintimal, or not imaged) without it.
        {"id": "ivus", "k": "dec", "s": 9, "t": "Confirm wire position (IVUS)",
         "d": "Confirm the wire position (IVUS where available), prepare the lesion, stent. The WHIH track can run in"
         " the subintimal space (the series' first illustrated case, Figure 2: IVUS showed the wire subintimal"
         " beyond D1)",
         "o": (("intraplaque", "IVUS: intraplaque", "prep_stent"),
               ("not_intraplaque", "Subintimal or not imaged", "prep_stent_x"))},
        {"id": "prep_stent", "k": "do", "s": 9, "t": "Prepare lesion, stent", "nx": "tech_ok",
         "d": "rotational atherectomy for heavy calcium (3 of 14 cases) only once IVUS confirms the track is"
         " intraplaque"},
        {"id": "prep_stent_x", "k": "do", "s": 9, "t": "Prepare lesion: no atherectomy",
         "d": "otherwise checklist D's extraplaque cautions apply (no atherectomy, no very high-pressure balloon)."},
        {"id": "tech_ok", "k": "dec", "s": 10, "t": "Check TIMI 3, residual <30 %",
         "d": "Technical success (decision): TIMI 3 antegrade flow and residual stenosis <30 %.",
         "o": (("yes", "Technical success", "end:technical_success"), ("no", "Not met", "end:device_success"))},
    ),
}
