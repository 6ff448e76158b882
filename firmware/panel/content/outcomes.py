# panel/content/outcomes.py — what the end-of-case screen records, as TECHNIQUES.md defines it.
#
# Source: shared/clinical/TECHNIQUES.md, "Outcome definitions used across the
# checklists" (both definitions of technical success), and the complications its
# checklists name (G: flow-limiting dissection, wire perforation, distal
# embolisation, puncture-site bleeding).
# Same entry format as the findings catalogue: (id, kind, label, definition,
# spec, group, sources). Procedural success is not entered: it is derived
# (technical success with no in-hospital MACE), see panel/case.py.

from panel.content.findings import CHOICE, INT, YN

# Technical success (coronary), as TECHNIQUES.md's outcome definitions give it: what this
# panel records. The operator-CTO paper adds "and no related complications during the
# operation". Wherever observed success is set against a score's published rate, each side
# says which definition it uses: a score names the one of its published rates with "succ"
# (panel/content/scores), None where SCORES.md does not give it.
TECH_SUCCESS = "TIMI 3 antegrade flow and residual stenosis <30 %"
TECH_SUCCESS_DEFS = (
    ("reference", "this panel", TECH_SUCCESS),
    ("operator_cto", "operator-CTO paper", TECH_SUCCESS + " and no related complications during the operation"),
)
UNSTATED = "as its paper defines it (not given in the clinical reference)"


def success_definition(key):
    """(whose, definition) of technical success for a score's "succ" key (None: not given in the reference)."""
    for k, who, text in TECH_SUCCESS_DEFS:
        if k == key:
            return (who, text)
    return ("its paper", UNSTATED)


COMPLICATIONS = (
    ("perforation", "perforation"),
    ("flow_limiting_dissection", "flow-limiting dissection"),
    ("distal_embolisation", "distal embolisation"),
    ("bleeding", "bleeding needing treatment"),
    ("puncture_site_bleeding", "puncture-site bleeding"),
    ("emergency_haemofiltration", "emergency haemofiltration"),
    ("other", "other"),
)

OUTCOMES = (
    ("technical_success", YN, "Technical success", TECH_SUCCESS, None, "outcome", ()),
    ("device_success", YN, "Device success",
     "technique-specific, e.g. WHIH: the antegrade wire crossed into the distal vessel", None, "outcome", ()),
    ("in_hospital_mace", YN, "In-hospital MACE",
     "cardiac death, PCI-related MI, ischaemia-driven repeat revascularisation, emergency cardiac surgery "
     "(operator-CTO paper adds perforation or bleeding needing treatment, emergency haemofiltration)",
     None, "outcome", ()),
    ("complication", CHOICE, "Complication", "each complication is recorded once", COMPLICATIONS, "outcome", ()),
    ("contrast_ml", INT, "Contrast volume", "total contrast volume of the procedure", ("ml", 0, 2000), "tally", ()),
    ("fluoro_s", INT, "Fluoroscopy time", "total fluoroscopy time", ("s", 0, 36000), "tally", ()),
    ("procedure_s", INT, "Procedure time", "from access to closure", ("s", 0, 86400), "tally", ()),
)

# Outcomes that collect several answers (one event each) instead of one value.
MANY = ("complication",)
