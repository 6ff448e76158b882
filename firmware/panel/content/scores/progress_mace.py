# panel/content/scores/progress_mace.py — SCORES.md §3b, as data (format: panel/content/scores/__init__.py).

from panel.content.scores.common import CORONARY, CORONARY_TEXT, RETROGRADE, ADR, BLUNT_OR_NO_STUMP

SCORE = {
    "id": "progress_mace", "name": "PROGRESS-CTO MACE", "kind": "points", "tag": "abstract",
    "citation": "Simsek et al., JACC Cardiovasc Interv 2022;15:1413-22",
    "endpoint": "MACE", "rate_words": "MACE",
    "applies": CORONARY, "applies_to": CORONARY_TEXT, "range": (0, 16),
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
}
