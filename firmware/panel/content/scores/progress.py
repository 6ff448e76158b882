# panel/content/scores/progress.py — SCORES.md §2, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT

SCORE = {
    "id": "progress", "name": "PROGRESS-CTO", "kind": "points", "tag": "abstract",
    "citation": "Christopoulos et al., JACC Cardiovasc Interv 2016;9:1-9",
    "endpoint": "technical success with the hybrid approach", "rate_words": "technical success",
    # the definition of technical success its published rates use (panel/content/outcomes.py)
    "succ": None,
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (0, 8),
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
}
