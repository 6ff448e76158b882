# panel/content/scores/ora.py — SCORES.md §5, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT, RENTROP_LT_2

SCORE = {
    "id": "ora", "name": "ORA", "kind": "points", "tag": "secondary",
    "citation": "Galassi et al., JACC Cardiovasc Interv 2016",
    "endpoint": "technical failure", "rate_words": "technical failure",
    # the definition of technical success its published rates use (panel/content/outcomes.py)
    "succ": None,
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (0, 8),
    "vars": (
        ("ostial", "ostial location", 2, ("yes", "ostial"), "secondary", None),
        ("rentrop_lt_2", "collateral filling Rentrop <2", 4, RENTROP_LT_2, "secondary",
         "two points, as two secondary sources and the operator-CTO cohort's mean ORA imply"),
        ("age_75", "age >=75 years", 2, ("ge", "age", 75), "secondary", None),
    ),
    "cats": (
        (0, 0, "easy", (), "secondary"),
        (2, 2, "intermediate", (), "secondary"),
        (4, 4, "difficult", (), "secondary"),
        (6, 8, "very difficult", (), "secondary"),
    ),
    "notes": (("rates per category: not confirmed", "verify"),),
}
