# panel/content/scores/operator_cto.py — SCORES.md §8, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT, ANY_CALCIUM, RENTROP_LT_2

SCORE = {
    "id": "operator_cto", "name": "Operator-CTO", "kind": "points", "tag": "seed",
    "citation": "Xiao et al., J Interv Cardiol 2021, doi 10.1155/2021/9988943",
    "endpoint": "technical success", "rate_words": "technical success",
    # the definition of technical success its published rates use (panel/content/outcomes.py)
    "succ": "operator_cto",
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (-8, 18),
    "vars": (
        ("prior_cabg_target", "previous CABG of the target vessel", 2, ("yes", "prior_cabg_target"), "seed",
         "surgery at least 3 months before this PCI"),
        ("blunt", "blunt occlusion", 2, ("yes", "blunt_stump"), "seed",
         "the occlusion ends in a knife-cut shape, not a funnel, triangle or bead"),
        ("calcification", "calcification", 2, ANY_CALCIUM, "seed", "entrance or body, mild or severe alike"),
        ("curvature", "curvature", 2, ("yes", "curvature"), "seed",
         "at least 2 bends >70° or 1 bend >90° in the entrance and body segments"),
        ("length_20", "occlusion length >=20 mm", 2, ("ge", "length_mm", 20), "seed", None),
        ("distal_disease", "distal vessel disease", 2, ("yes", "distal_disease"), "seed",
         "significant disease beyond the occlusion and/or distal lumen <2 mm"),
        ("rentrop_lt_2", "collateral Rentrop grade <2", 2, RENTROP_LT_2, "seed", "grade 0 or 1"),
        ("in_stent", "in-stent occlusion", 2, ("yes", "in_stent"), "seed",
         "prior stent in the target vessel, totally occluded for >3 months"),
        ("ostial", "ostial occlusion", 2, ("yes", "ostial"), "seed", None),
        ("volume_60", "operator's annual CTO-PCI volume >=60", -2, ("ge", "op_annual_volume", 60), "seed",
         "total CTO-PCI cases / years performing them"),
        ("years_5", "operator's CTO-PCI experience >=5 years", -2, ("ge", "op_years", 5), "seed",
         "more than 6 months counts as a year"),
        ("success_90", "operator's last-year technical success >=90 %", -4,
         ("pct_ge", "op_last_year_successes", "op_last_year_cases", 90), "seed",
         "successes / cases in the previous year; no cases last year does not meet it"),
    ),
    "cats": (
        (-8, 4, "simple", ((990, "144 lesions", "seed"),), "seed"),
        (6, 6, "medium", ((875, "144 lesions", "seed"),), "seed"),
        (8, 8, "difficult", ((538, "144 lesions", "seed"),), "seed"),
        (10, None, "extremely difficult", ((250, "144 lesions", "seed"),), "seed"),
    ),
    "notes": (
        ("144 lesions, 10 operators; AUC 0.901 (0.821-0.982), above J-CTO 0.616, PROGRESS 0.745, "
         "ORA 0.783, RECHARGE 0.738 in the same cohort", "seed"),
    ),
}
