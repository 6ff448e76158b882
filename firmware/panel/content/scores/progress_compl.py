# panel/content/scores/progress_compl.py — SCORES.md §3a, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT, RETROGRADE

SCORE = {
    "id": "progress_compl", "name": "PROGRESS-CTO complications", "short": "PROGRESS complications", "kind": "points", "tag": "abstract",
    "citation": "Danek et al., J Am Heart Assoc 2016;5:e004272",
    "endpoint": "in-hospital major periprocedural complication", "rate_words": "major complication",
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (0, 12),
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
}
