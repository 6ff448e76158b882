# panel/content/scores.py — every difficulty and risk score, as data.
#
# Source: shared/clinical/SCORES.md; section numbers below are that file's.
# Confidence tags as there: "seed", "abstract", "secondary", "verify". Anything
# tagged "verify" is shown with an "unverified" mark, never as established fact;
# a rate SCORES.md does not give is left out, not guessed.
#
# Points and category bounds are in HALF points (x2 integers): CL has 1.5-point
# items. A score is a dict:
#   id, name, citation, endpoint (None where SCORES.md names none), tag,
#   kind      "points" (summed variables) or "grade" (a grade the operator picks),
#   applies   predicate: the vessels the score is for (unknown vessel: shown anyway)
#   range     (min2, max2) as SCORES.md states it; a test checks the arithmetic
#   vars      ((var id, label, points2, predicate, tag, note), ...)
#   cats      ((lo2, hi2 or None, label, ((rate10, cohort, tag), ...), tag), ...)
#             rates in tenths of a percent of the score's endpoint
#   notes     ((text, tag), ...)
# Predicates (panel/scoring.py reads them, three-valued):
#   ("yes", f) ("no", f)             a yes/no finding answered yes / answered no
#   ("in", f, opts[, unknown_opts])  a choice among opts; unknown_opts count as unknown
#   ("notin", f, opts)               a choice outside opts
#   ("gt"|"ge"|"lt", f, n)           an integer finding against n
#   ("any", p, q, ...)               true if any is true; unknown while none is and one is unknown
#   ("first", p, q, ...)             the first that is known (a measured angle before a yes/no,
#                                    the strategy used before the strategy planned)
#   ("pct_ge", num, den, pct)        num / den >= pct %, in integers; den 0 is "no"

CORONARY = ("in", "vessel", ("lad", "lcx", "rca", "lm"))
BTK = ("in", "vessel", ("tpt", "ata", "pta", "peroneal"))

ANY_CALCIUM = ("in", "calcification", ("mild", "moderate", "severe"))
SEVERE_CALCIUM = ("in", "calcification", ("severe",))
RETROGRADE = ("first", ("yes", "retrograde_used"), ("yes", "retrograde_planned"))
ADR = ("first", ("yes", "adr_used"), ("yes", "adr_planned"))
BLUNT_OR_NO_STUMP = ("any", ("yes", "blunt_stump"), ("no", "stump_visible"))
RENTROP_LT_2 = ("in", "rentrop", ("0", "1"))

SCORES = (
    {  # §1
        "id": "jcto", "name": "J-CTO", "kind": "points", "tag": "abstract",
        "citation": "Morino et al., JACC Cardiovasc Interv 2011;4:213-21",
        "endpoint": "guidewire crossing within 30 minutes",
        "applies": CORONARY, "range": (0, 10),
        "vars": (
            ("blunt_stump", "blunt entry", 2, ("yes", "blunt_stump"), "abstract", None),
            ("calcification", "calcification", 2, ANY_CALCIUM, "seed",
             "any calcification in the occluded segment, mild or severe alike"),
            ("bending", "bending >45°", 2, ("first", ("gt", "bend_angle_deg", 45), ("yes", "bending_45")),
             "secondary", "inside the occluded segment; a measured angle is used when entered"),
            ("length_20", "occlusion length >20 mm", 2, ("gt", "length_mm", 20), "abstract", None),
            ("retry", "re-try lesion", 2, ("yes", "retry"), "abstract", None),
        ),
        "cats": (
            (0, 0, "easy", ((877, "derivation", "abstract"),), "secondary"),
            (2, 2, "intermediate", ((671, "derivation", "abstract"),), "secondary"),
            (4, 4, "difficult", ((424, "derivation", "abstract"),), "secondary"),
            (6, None, "very difficult", ((100, "derivation", "abstract"),), "secondary"),
        ),
        "notes": (
            ("validation set 30-minute crossing: 92.3 %, 58.3 %, 34.8 %, 22.2 %", "abstract"),
            ("AUC 0.82 (derivation), 0.76 (validation)", "abstract"),
            ("boundaries: the panel follows the abstract (>20 mm, >45°); some sources write >=20 mm "
             "and >=45°", "verify"),
        ),
    },
    {  # §2
        "id": "progress", "name": "PROGRESS-CTO", "kind": "points", "tag": "abstract",
        "citation": "Christopoulos et al., JACC Cardiovasc Interv 2016;9:1-9",
        "endpoint": "technical success with the hybrid approach",
        "applies": CORONARY, "range": (0, 8),
        "vars": (
            ("cap_ambiguity", "proximal cap ambiguity", 2, ("yes", "cap_ambiguity"), "abstract", None),
            ("tortuosity_mod_severe", "moderate or severe tortuosity", 2,
             ("in", "tortuosity", ("moderate", "severe"), ("not_seen",)), "abstract", None),
            ("lcx", "circumflex CTO", 2, ("in", "vessel", ("lcx",)), "abstract", None),
            ("no_interventional_collaterals", "absence of interventional collaterals", 2,
             ("no", "interventional_collaterals"), "abstract",
             "collaterals usable for a retrograde approach"),
        ),
        "cats": (),
        "notes": (
            ("overall technical success in the derivation set 92.9 %", "abstract"),
            ("AUC 0.778 (derivation), 0.720 (validation)", "abstract"),
            ("rates per score value: not found", "verify"),
        ),
    },
    {  # §3a
        "id": "progress_compl", "name": "PROGRESS-CTO complications", "kind": "points", "tag": "abstract",
        "citation": "Danek et al., J Am Heart Assoc 2016;5:e004272",
        "endpoint": "in-hospital major periprocedural complication",
        "applies": CORONARY, "range": (0, 12),
        "vars": (
            ("age_over_65", "age >65 years", 6, ("gt", "age", 65), "abstract", "strictly greater than 65"),
            ("length_23", "lesion length >=23 mm", 4, ("ge", "length_mm", 23), "abstract", None),
            ("retrograde", "retrograde approach", 2, RETROGRADE, "abstract",
             "planned before crossing, used after the case"),
        ),
        "cats": (
            (0, 4, "low", ((4, "derivation", "abstract"), (0, "validation", "abstract")), "abstract"),
            (6, 8, "intermediate", ((18, "derivation", "abstract"), (25, "validation", "abstract")), "abstract"),
            (10, None, "high", ((65, "derivation", "abstract"), (68, "validation", "abstract")), "abstract"),
        ),
        "notes": (),
    },
    {  # §3b
        "id": "progress_mace", "name": "PROGRESS-CTO MACE", "kind": "points", "tag": "abstract",
        "citation": "Simsek et al., JACC Cardiovasc Interv 2022;15:1413-22",
        "endpoint": "MACE",
        "applies": CORONARY, "range": (0, 16),
        "vars": (
            ("age_65", "age >=65 years", 2, ("ge", "age", 65), "abstract", None),
            ("female", "female", 4, ("in", "sex", ("female",)), "abstract", None),
            ("calc_mod_severe", "moderate-severe calcification", 2,
             ("in", "calcification", ("moderate", "severe")), "abstract", None),
            ("blunt_or_no_stump", "blunt or no stump", 2, BLUNT_OR_NO_STUMP, "abstract", None),
            ("adr", "antegrade dissection and re-entry", 2, ADR, "abstract",
             "planned before crossing, used after the case"),
            ("retrograde", "retrograde approach", 4, RETROGRADE, "abstract",
             "planned before crossing, used after the case"),
        ),
        "cats": (
            (0, 2, "0-1", ((7, "external validation, Int J Cardiol 2022", "secondary"),), "secondary"),
            (4, 4, "2", ((15, "external validation, Int J Cardiol 2022", "secondary"),), "secondary"),
            (6, 6, "3", ((22, "external validation, Int J Cardiol 2022", "secondary"),), "secondary"),
            (8, 8, "4", ((38, "external validation, Int J Cardiol 2022", "secondary"),), "secondary"),
            (10, 10, "5", ((49, "external validation, Int J Cardiol 2022", "secondary"),), "secondary"),
            (12, 14, "6-7", ((58, "external validation, Int J Cardiol 2022", "secondary"),), "secondary"),
        ),
        "notes": (
            ("predicted MACE 0.4 %-9.4 % across the range", "abstract"),
            ("age >=65 here, >65 in the complications score: a 65-year-old scores differently", "abstract"),
        ),
    },
    {  # §4
        "id": "castle", "name": "EuroCTO CASTLE", "kind": "points", "tag": "abstract",
        "citation": "Szijgyarto et al., JACC Cardiovasc Interv 2019;12:335-42",
        "endpoint": "technical failure",
        "applies": CORONARY, "range": (0, 12),
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
            (0, 2, "0-1", ((80, "derivation", "abstract"),), "abstract"),
            (4, 4, "2", (), "verify"),
            (6, 6, "3", (), "verify"),
            (8, None, ">=4", ((350, "derivation", "abstract"),), "abstract"),
        ),
        "notes": (
            ("derived from the EuroCTO registry: 14,882 derivation, 5,745 validation", "abstract"),
            ("technical failure at scores 2 and 3: not confirmed", "verify"),
        ),
    },
    {  # §5
        "id": "ora", "name": "ORA", "kind": "points", "tag": "secondary",
        "citation": "Galassi et al., JACC Cardiovasc Interv 2016",
        "endpoint": "technical failure",
        "applies": CORONARY, "range": (0, 8),
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
    },
    {  # §6
        "id": "recharge", "name": "RECHARGE", "kind": "points", "tag": "seed",
        "citation": "Maeremans et al., Catheter Cardiovasc Interv 2018",
        "endpoint": None,
        "applies": CORONARY, "range": (0, 12),
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
    },
    {  # §7
        "id": "cl", "name": "CL", "kind": "points", "tag": "seed",
        "citation": "Alessandrino et al., JACC Cardiovasc Interv 2015;8:1540-48",
        "endpoint": "success of a first CTO PCI attempt",
        "applies": CORONARY, "range": (0, 16),
        "vars": (
            ("prior_cabg", "previous CABG", 3, ("yes", "prior_cabg"), "seed", None),
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
            ("rates: not confirmed", "verify"),
            ("1.5 lies between the published bands 0-1 and 2-3", "verify"),
        ),
    },
    {  # §8
        "id": "operator_cto", "name": "Operator-CTO", "kind": "points", "tag": "seed",
        "citation": "Xiao et al., J Interv Cardiol 2021, doi 10.1155/2021/9988943",
        "endpoint": "technical success",
        "applies": CORONARY, "range": (-8, 18),
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
            (-8, 4, "simple", ((990, "derivation", "seed"),), "seed"),
            (6, 6, "medium", ((875, "derivation", "seed"),), "seed"),
            (8, 8, "difficult", ((538, "derivation", "seed"),), "seed"),
            (10, None, "extremely difficult", ((250, "derivation", "seed"),), "seed"),
        ),
        "notes": (
            ("144 lesions, 10 operators; AUC 0.901 (0.821-0.982), above J-CTO 0.616, PROGRESS 0.745, "
             "ORA 0.783, RECHARGE 0.738 in the same cohort", "seed"),
        ),
    },
    {  # §9
        "id": "jbtk", "name": "J-BTK", "kind": "grade", "tag": "secondary",
        "citation": "Tan et al., J Vasc Surg 2021;74:506-13",
        "endpoint": "guidewire crossing",
        "applies": BTK, "range": (0, 12),
        "grade_finding": "jbtk_grade",
        "collected": ("btk_no_outflow", "length_mm", "btk_rvd_lt2", "btk_calc_entry", "blunt_stump"),
        "vars": (),
        "cats": (
            (0, 2, "A", ((973, "original study", "secondary"),), "secondary"),
            (4, 6, "B", ((768, "original study", "secondary"),), "secondary"),
            (8, 10, "C", ((193, "original study", "secondary"),), "secondary"),
            (12, 12, "D", ((0, "original study", "secondary"),), "secondary"),
        ),
        "notes": (
            ("the five findings are collected, not summed: which one carries 2 points is not confirmed", "verify"),
            ("the IVUS-first study reports more crossover to distal puncture in grades C/D", "seed"),
        ),
    },
)
