# panel/content/scores/jbtk.py — SCORES.md §9, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import BTK, BTK_TEXT

SCORE = {
    "id": "jbtk", "name": "J-BTK", "kind": "grade", "tag": "secondary",
    "citation": "Tan et al., J Vasc Surg 2021;74:506-13",
    "endpoint": "guidewire crossing", "rate_words": "guidewire crossing",
    "applies": BTK, "applies_to": BTK_TEXT, "range": (0, 12),
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
}
