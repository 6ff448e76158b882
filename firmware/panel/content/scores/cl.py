# panel/content/scores/cl.py — SCORES.md §7, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT, SEVERE_CALCIUM

_CABG = ("CABG item: which CABG CL means, any or of the target vessel, is not confirmed; read here as any"
         " previous CABG (the operator-CTO paper's table reads it as CABG of the target vessel)")

SCORE = {
    "id": "cl", "name": "CL", "kind": "points", "tag": "seed",
    "citation": "Alessandrino et al., JACC Cardiovasc Interv 2015;8:1540-48",
    "endpoint": "success of a first CTO PCI attempt", "rate_words": "success of a first attempt",
    # the definition of technical success its published rates use (panel/content/outcomes.py)
    "succ": None,
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (0, 16),
    "vars": (
        # SCORES.md §7: which CABG CL means (any, or of the target vessel) is [verify]; read as any previous CABG
        ("prior_cabg", "previous CABG (read as any CABG)", 3, ("yes", "prior_cabg"), "verify", _CABG),
        ("prior_mi", "previous myocardial infarction", 2, ("yes", "prior_mi"), "seed", None),
        ("calcification_severe", "severe lesion calcification", 4, SEVERE_CALCIUM, "seed", None),
        ("length_20", "occlusion length >=20 mm", 3, ("ge", "length_mm", 20), "verify",
         "the comparison table heads this column >20 mm: boundary not confirmed"),
        ("non_lad", "CTO not in the LAD", 2, ("notin", "vessel", ("lad",)), "seed", None),
        ("blunt_stump", "blunt stump", 2, ("yes", "blunt_stump"), "seed", None),
    ),
    "cats": (
        (0, 2, "easy", (), "verify"),
        (4, 6, "intermediate", (), "verify"),
        (7, 9, "difficult", (), "verify"),
        (10, None, "very difficult", (), "verify"),
    ),
    "notes": (
        (_CABG, "verify"),
        ("rates: not confirmed", "verify"),
        ("1.5 lies between the published bands 0-1 and 2-3", "verify"),
    ),
}
