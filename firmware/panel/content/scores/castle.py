# panel/content/scores/castle.py — SCORES.md §4, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT, SEVERE_CALCIUM, BLUNT_OR_NO_STUMP

SCORE = {
    "id": "castle", "name": "EuroCTO CASTLE", "kind": "points", "tag": "abstract",
    "citation": "Szijgyarto et al., JACC Cardiovasc Interv 2019;12:335-42",
    "endpoint": "technical failure", "rate_words": "technical failure",
    # the definition of technical success its published rates use (panel/content/outcomes.py)
    "succ": None,
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (0, 12),
    "vars": (
        ("prior_cabg", "C: CABG history", 2, ("yes", "prior_cabg"), "abstract", None),
        ("age_70", "A: age >=70 years", 2, ("ge", "age", 70), "abstract", None),
        ("stump_blunt_or_invisible", "S: stump blunt or not visible", 2, BLUNT_OR_NO_STUMP, "abstract",
         "not visible scores: it is an answer, not an unknown"),
        ("tortuosity_severe_or_unseen", "T: tortuosity severe or not seen", 2,
         ("in", "tortuosity", ("severe", "not_seen")), "abstract",
         "not seen scores: it is an answer, not an unknown"),
        ("length_20", "L: occlusion length >=20 mm", 2, ("ge", "length_mm", 20), "abstract", None),
        ("calcification_severe", "E: severe calcification", 2, SEVERE_CALCIUM, "seed",
         "more than 50 % of the CTO segment"),
    ),
    "cats": (
        (0, 2, "0-1", ((80, "EuroCTO registry", "abstract"),), "abstract"),
        (4, 4, "2", (), "verify"),
        (6, 6, "3", (), "verify"),
        (8, None, ">=4", ((350, "EuroCTO registry", "abstract"),), "abstract"),
    ),
    "notes": (
        ("derived from the EuroCTO registry: 14,882 derivation, 5,745 validation", "abstract"),
        ("technical failure at scores 2 and 3: not confirmed", "verify"),
    ),
}
