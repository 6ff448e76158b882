# panel/content/outcomes.py — what the end-of-case screen records, as TECHNIQUES.md defines it.
#
# Source: shared/clinical/TECHNIQUES.md, "Outcome definitions used across the
# checklists", and the complications its checklists name (G: flow-limiting
# dissection, wire perforation, distal embolisation, puncture-site bleeding).
# Same entry format as the findings catalogue: (id, kind, label, definition,
# spec, group, sources). Procedural success is not entered: it is derived
# (technical success with no in-hospital MACE), see panel/case.py.

from panel.content.findings import CHOICE, INT, YN

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
    ("technical_success", YN, "Technical success", "TIMI 3 antegrade flow and residual stenosis <30 %",
     None, "outcome", ()),
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
