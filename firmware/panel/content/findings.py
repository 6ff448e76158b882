# panel/content/findings.py — every finding the panel asks for, entered once per case.
#
# Source: shared/clinical/SCORES.md (the variables of every score, §10 CT
# calcium, §11 gradings) and §8's operator variables. Each finding is answered
# once; every score reads the same answers. An unanswered finding is unknown,
# never "no": scores over it become ranges.
#
# A finding is (id, kind, label, definition, spec, group, sources):
#   kind "yn"      answers "yes" / "no";                   spec None
#   kind "choice"  one option id;                          spec ((option, label), ...)
#   kind "int"     an integer with a unit and valid range; spec (unit, min, max)
#   sources        where an answer may come from, recorded with it: () when it
#                  does not matter; ("angio", "ct") where CT reads differ (SCORES.md
#                  rule 5); ("host", "entered") for operator facts.
# Groups order the findings screen: patient, lesion, cap, course, collaterals,
# distal, history, strategy, operator, ct, btk.

YN = "yn"
CHOICE = "choice"
INT = "int"

IMAGING = ("angio", "ct")
OPERATOR_SOURCES = ("host", "entered")

FINDINGS = (
    # -- patient
    ("age", INT, "Age", "age in years on the day of the procedure", ("years", 18, 120), "patient", ()),
    ("sex", CHOICE, "Sex", "as recorded for the patient", (("female", "female"), ("male", "male")), "patient", ()),
    # -- lesion
    ("vessel", CHOICE, "Target vessel", "the vessel with the occlusion",
     (("lad", "LAD"), ("lcx", "circumflex"), ("rca", "RCA"), ("lm", "left main"),
      ("sfa", "SFA"), ("popliteal", "popliteal"), ("tpt", "tibioperoneal trunk"),
      ("ata", "anterior tibial"), ("pta", "posterior tibial"), ("peroneal", "peroneal")), "lesion", ()),
    ("length_mm", INT, "Occlusion length", "true occlusion length measured on good collateral filling",
     ("mm", 1, 600), "lesion", IMAGING),
    ("ostial", YN, "Ostial occlusion", "occlusion at the opening of the proximal segment", None, "lesion", ()),
    ("in_stent", YN, "In-stent occlusion",
     "prior stent in the target vessel, now totally occluded for more than 3 months", None, "lesion", ()),
    ("retry", YN, "Re-try lesion", "a previous attempt at this CTO failed", None, "lesion", ()),
    ("calcification", CHOICE, "Calcification",
     "calcification in the occluded segment (entrance or body); severe: more than 50 % of the CTO segment",
     (("none", "none"), ("mild", "mild"), ("moderate", "moderate"), ("severe", "severe")), "lesion", IMAGING),
    # -- proximal cap
    ("blunt_stump", YN, "Blunt stump",
     "the proximal cap has no tapered tip or dimple pointing into the occlusion (knife-cut, not a funnel)",
     None, "cap", ()),
    ("stump_visible", YN, "Stump visible", "the proximal stump can be seen on angiography", None, "cap", ()),
    ("cap_ambiguity", YN, "Proximal cap ambiguity", "the location of the proximal cap is ambiguous", None, "cap", ()),
    # -- course of the occluded segment
    ("bending_45", YN, "Bending >45°", "a bend of more than 45° inside the occluded segment", None, "course", ()),
    ("bend_angle_deg", INT, "Largest bend", "largest bend angle inside the occluded segment, when measured",
     ("deg", 0, 180), "course", ()),
    ("tortuosity", CHOICE, "Tortuosity", "tortuosity of the occluded segment",
     (("none", "none"), ("mild", "mild"), ("moderate", "moderate"), ("severe", "severe"), ("not_seen", "not seen")),
     "course", ()),
    ("curvature", YN, "Curvature",
     "at least 2 bends >70° or 1 bend >90° in the entrance and body segments", None, "course", ()),
    # -- collaterals
    ("interventional_collaterals", YN, "Interventional collaterals",
     "collaterals usable for a retrograde approach", None, "collaterals", ()),
    ("rentrop", CHOICE, "Rentrop grade", "collateral filling of the occluded artery",
     (("0", "0: none"), ("1", "1: side branches only"), ("2", "2: partial epicardial"), ("3", "3: complete epicardial")),
     "collaterals", ()),
    ("werner", CHOICE, "Werner collateral connection",
     "CC0 no continuous connection; CC1 thread-like; CC2 side-branch-like",
     (("cc0", "CC0"), ("cc1", "CC1"), ("cc2", "CC2")), "collaterals", ()),
    # -- distal vessel
    ("distal_disease", YN, "Distal vessel disease",
     "significant disease beyond the occlusion and/or distal lumen <2 mm", None, "distal", ()),
    # -- history
    ("prior_cabg", YN, "Previous CABG", "any previous coronary bypass surgery", None, "history", ()),
    ("prior_cabg_target", YN, "CABG of the target vessel",
     "a bypass graft on the target vessel, surgery at least 3 months before this PCI", None, "history", ()),
    ("prior_mi", YN, "Previous MI", "previous myocardial infarction", None, "history", ()),
    # -- strategy (planned before crossing; used, after the case)
    ("retrograde_planned", YN, "Retrograde planned", "a retrograde approach is planned", None, "strategy", ()),
    ("retrograde_used", YN, "Retrograde used", "a retrograde approach was used", None, "strategy", ()),
    ("adr_planned", YN, "ADR planned", "antegrade dissection and re-entry is planned", None, "strategy", ()),
    ("adr_used", YN, "ADR used", "antegrade dissection and re-entry was used", None, "strategy", ()),
    # -- operator (facts about the operator, from the host's records or entered)
    ("op_annual_volume", INT, "Operator annual CTO volume", "total CTO-PCI cases / years performing them",
     ("cases/year", 0, 2000), "operator", OPERATOR_SOURCES),
    ("op_years", INT, "Operator CTO experience",
     "years as primary CTO-PCI operator; more than 6 months counts as a year", ("years", 0, 60), "operator",
     OPERATOR_SOURCES),
    ("op_last_year_cases", INT, "Operator cases last year", "CTO-PCI cases in the previous year",
     ("cases", 0, 2000), "operator", OPERATOR_SOURCES),
    ("op_last_year_successes", INT, "Operator successes last year",
     "technically successful CTO-PCI cases in the previous year", ("cases", 0, 2000), "operator", OPERATOR_SOURCES),
    # -- CT calcium (recorded, not totalled: SCORES.md §10)
    ("ct_calcium", CHOICE, "CT calcium pattern", "calcium distribution on CT",
     (("none", "none"), ("peripheral", "peripheral"), ("central", "central (full moon)")), "ct", ("ct",)),
    ("ct_calcium_csa50", YN, "CT calcium ≥50 % CSA",
     "calcification of 50 % or more of the cross-sectional area within the CTO", None, "ct", ("ct",)),
    # -- below the knee (J-BTK: the grade is the operator's; its five findings are collected, not summed:
    #    these three, blunt_stump, and length_mm > 200)
    ("jbtk_grade", CHOICE, "J-BTK grade", "the J-BTK grade as scored by the operator",
     (("A", "A (0-1)"), ("B", "B (2-3)"), ("C", "C (4-5)"), ("D", "D (6)")), "btk", ()),
    ("btk_no_outflow", YN, "No outflow", "no outflow of the target vessel", None, "btk", ()),
    ("btk_rvd_lt2", YN, "Reference diameter <2.0 mm", "reference vessel diameter below 2.0 mm", None, "btk", ()),
    ("btk_calc_entry", YN, "Calcified entry", "calcification at the proximal entry", None, "btk", ()),
)
