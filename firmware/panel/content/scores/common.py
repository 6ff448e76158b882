# panel/content/scores/common.py — predicates several scores share (the vessel groups, calcium, strategy).
#
# Source: shared/clinical/SCORES.md. Format of predicates: panel/content/scores/__init__.py.

CORONARY = ("in", "vessel", ("lad", "lcx", "rca", "lm"))
CORONARY_TEXT = "coronary CTOs"
BTK = ("in", "vessel", ("tpt", "ata", "pta", "peroneal"))
BTK_TEXT = "below-the-knee CTOs"

ANY_CALCIUM = ("in", "calcification", ("mild", "moderate", "severe"))
SEVERE_CALCIUM = ("in", "calcification", ("severe",))
RETROGRADE = ("first", ("yes", "retrograde_used"), ("yes", "retrograde_planned"))
ADR = ("first", ("yes", "adr_used"), ("yes", "adr_planned"))
BLUNT_OR_NO_STUMP = ("any", ("yes", "blunt_stump"), ("no", "stump_visible"))
RENTROP_LT_2 = ("in", "rentrop", ("0", "1"))
