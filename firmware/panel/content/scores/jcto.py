# panel/content/scores/jcto.py — SCORES.md §1, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT, ANY_CALCIUM

SCORE = {
    "id": "jcto", "name": "J-CTO", "kind": "points", "tag": "abstract",
    "citation": "Morino et al., JACC Cardiovasc Interv 2011;4:213-21",
    "endpoint": "guidewire crossing within 30 minutes", "rate_words": "crossed within 30 min",
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (0, 10),
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
        (0, 0, "easy", ((877, "derivation set", "abstract"),), "secondary"),
        (2, 2, "intermediate", ((671, "derivation set", "abstract"),), "secondary"),
        (4, 4, "difficult", ((424, "derivation set", "abstract"),), "secondary"),
        (6, None, "very difficult", ((100, "derivation set", "abstract"),), "secondary"),
    ),
    "notes": (
        ("validation set 30-minute crossing: 92.3 %, 58.3 %, 34.8 %, 22.2 %", "abstract"),
        ("AUC 0.82 (derivation), 0.76 (validation)", "abstract"),
        ("boundaries: the panel follows the abstract (>20 mm, >45°); some sources write >=20 mm "
         "and >=45°", "verify", ("bending", "length_20")),
    ),
}
