# panel/content/scores/recharge.py — SCORES.md §6, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT, ANY_CALCIUM

SCORE = {
    "id": "recharge", "name": "RECHARGE", "kind": "points", "tag": "seed",
    "citation": "Maeremans et al., Catheter Cardiovasc Interv 2018",
    "endpoint": None, "rate_words": None,
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (0, 12),
    "vars": (
        ("blunt_stump", "blunt stump", 2, ("yes", "blunt_stump"), "seed", None),
        ("calcification", "calcification", 2, ANY_CALCIUM, "seed", None),
        ("bending_45", "bending >=45°", 2, ("first", ("ge", "bend_angle_deg", 45), ("yes", "bending_45")),
         "seed", "a measured angle is used when entered; otherwise the >45° answer"),
        ("length_20", "occlusion length >20 mm", 2, ("gt", "length_mm", 20), "seed", None),
        ("distal_disease", "diseased distal landing zone", 2, ("yes", "distal_disease"), "seed",
         "significant disease beyond the occlusion and/or distal lumen <2 mm"),
        ("prior_cabg_target", "previous CABG graft on the target vessel", 2,
         ("yes", "prior_cabg_target"), "seed", None),
    ),
    "cats": (),
    "notes": (("categories and rates: not confirmed", "verify"),),
}
