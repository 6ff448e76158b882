# tests/portable/test_scoring.py — every score computed from findings, CPython and MicroPython.
#
# Covers panel.scoring (evaluate, evaluate_all, truth, half, percent) over the content of
# panel.content.scores, panel.findings (Findings, check, spec, options, FindingError) and
# panel.profile.apply_profile: for every score, each category edge at edge-1, edge, edge+1
# (totals built from findings, category label and published rate checked), the full range
# with nothing known, the exact maximum, one unknown variable as a range that collapses when
# answered; CASTLE's "not visible / not seen" answers; every age, length and angle threshold
# on both sides; CL's half points; operator-CTO's negative points and operator profile;
# planned vs used strategy; the J-BTK grade; applicability by vessel; [verify] marking;
# every integer finding's range and the other refusals of Findings.set.
#
# Numbers: every weight, cut-off, band and rate below is written out by hand from
# /work/shared/clinical/SCORES.md (section numbers in the comments), NOT read from the
# content, so the content is checked against them. Points and band bounds are in half
# points (x2), rates in tenths of a percent, as in the content. The integer ranges of the
# findings (not in SCORES.md) come from the catalogue itself (panel/content/findings.py).
# tests/test_scores_reference.py parses SCORES.md and checks the content against it.
#
# Run alone: .venv/bin/pytest tests/portable/test_scoring.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_scoring

from panel.content.findings import CHOICE, FINDINGS, INT
from panel.content.scores import SCORES
from panel.findings import FindingError, Findings, check, options, spec
from panel.profile import apply_profile
from panel.scoring import evaluate, evaluate_all, half, percent, truth
from ptest import raises

# -- the reference, by hand ---------------------------------------------------------------
# Per score: its range in half points, its bands (lo2, hi2 or None, label, rates10 in the
# content's cohort order), and its variables: (var id, points2, findings that decide it,
# findings making it score, findings making it not score).

RANGES = {
    "jcto": (0, 10),            # §1 "Range 0–5"
    "progress": (0, 8),         # §2 "Range 0–4"
    "progress_compl": (0, 12),  # §3a 3 + 2 + 1
    "progress_mace": (0, 16),   # §3b "Range 0–8"
    "castle": (0, 12),          # §4 "Range 0–6"
    "ora": (0, 8),              # §5 "Range 0–4"
    "recharge": (0, 12),        # §6 "range 0–6"
    "cl": (0, 16),              # §7 "Range 0–8 in half points"
    "operator_cto": (-8, 18),   # §8 "Range −4 to +9"
}

BANDS = {
    # §1 easy 0, intermediate 1, difficult 2, very difficult >=3; derivation 87.7/67.1/42.4/10.0 %
    "jcto": ((0, 0, "easy", (877,)), (2, 2, "intermediate", (671,)), (4, 4, "difficult", (424,)),
             (6, None, "very difficult", (100,))),
    # §2 rates per score value [verify]: no categories
    "progress": (),
    # §3a low 0–2 (0.4 % / 0.0 %), intermediate 3–4 (1.8 % / 2.5 %), high >=5 (6.5 % / 6.8 %)
    "progress_compl": ((0, 4, "low", (4, 0)), (6, 8, "intermediate", (18, 25)), (10, None, "high", (65, 68))),
    # §3b observed MACE 0–1: 0.7 %, 2: 1.5 %, 3: 2.2 %, 4: 3.8 %, 5: 4.9 %, 6–7: 5.8 % (8: none given)
    "progress_mace": ((0, 2, "0-1", (7,)), (4, 4, "2", (15,)), (6, 6, "3", (22,)), (8, 8, "4", (38,)),
                      (10, 10, "5", (49,)), (12, 14, "6-7", (58,))),
    # §4 8 % at 0–1, 35 % at >=4; scores 2 and 3 [verify]: no rate
    "castle": ((0, 2, "0-1", (80,)), (4, 4, "2", ()), (6, 6, "3", ()), (8, None, ">=4", (350,))),
    # §5 easy 0, intermediate 1, difficult 2, very difficult 3–4; rates [verify]
    "ora": ((0, 0, "easy", ()), (2, 2, "intermediate", ()), (4, 4, "difficult", ()), (6, 8, "very difficult", ())),
    # §6 categories and rates [verify]
    "recharge": (),
    # §7 easy 0–1, intermediate 2–3, difficult 3.5–4.5, very difficult >=5 [verify]; 1.5 in none
    "cl": ((0, 2, "easy", ()), (4, 6, "intermediate", ()), (7, 9, "difficult", ()), (10, None, "very difficult", ())),
    # §8 simple <=2 -> 99.0 %, medium 3 -> 87.5 %, difficult 4 -> 53.8 %, extremely difficult >=5 -> 25.0 %
    "operator_cto": ((-8, 4, "simple", (990,)), (6, 6, "medium", (875,)), (8, 8, "difficult", (538,)),
                     (10, None, "extremely difficult", (250,))),
}

Y = "yes"
N = "no"

VARS = {
    "jcto": (  # §1, 1 point each; the panel follows the abstract: >20 mm, >45°
        ("blunt_stump", 2, ("blunt_stump",), {"blunt_stump": Y}, {"blunt_stump": N}),
        ("calcification", 2, ("calcification",), {"calcification": "mild"}, {"calcification": "none"}),
        ("bending", 2, ("bend_angle_deg", "bending_45"), {"bending_45": Y}, {"bending_45": N}),
        ("length_20", 2, ("length_mm",), {"length_mm": 21}, {"length_mm": 20}),
        ("retry", 2, ("retry",), {"retry": Y}, {"retry": N}),
    ),
    "progress": (  # §2, 1 point each
        ("cap_ambiguity", 2, ("cap_ambiguity",), {"cap_ambiguity": Y}, {"cap_ambiguity": N}),
        ("tortuosity_mod_severe", 2, ("tortuosity",), {"tortuosity": "moderate"}, {"tortuosity": "mild"}),
        ("lcx", 2, ("vessel",), {"vessel": "lcx"}, {"vessel": "lad"}),
        ("no_interventional_collaterals", 2, ("interventional_collaterals",),
         {"interventional_collaterals": N}, {"interventional_collaterals": Y}),
    ),
    "progress_compl": (  # §3a: age >65 3, length >=23 mm 2, retrograde 1
        ("age_over_65", 6, ("age",), {"age": 66}, {"age": 65}),
        ("length_23", 4, ("length_mm",), {"length_mm": 23}, {"length_mm": 22}),
        ("retrograde", 2, ("retrograde_planned", "retrograde_used"), {"retrograde_used": Y}, {"retrograde_used": N}),
    ),
    "progress_mace": (  # §3b: age >=65 1, female 2, moderate–severe calcium 1, blunt/no stump 1, ADR 1, retrograde 2
        ("age_65", 2, ("age",), {"age": 65}, {"age": 64}),
        ("female", 4, ("sex",), {"sex": "female"}, {"sex": "male"}),
        ("calc_mod_severe", 2, ("calcification",), {"calcification": "moderate"}, {"calcification": "mild"}),
        ("blunt_or_no_stump", 2, ("blunt_stump", "stump_visible"),
         {"blunt_stump": Y, "stump_visible": Y}, {"blunt_stump": N, "stump_visible": Y}),
        ("adr", 2, ("adr_planned", "adr_used"), {"adr_used": Y}, {"adr_used": N}),
        ("retrograde", 4, ("retrograde_planned", "retrograde_used"), {"retrograde_used": Y}, {"retrograde_used": N}),
    ),
    "castle": (  # §4, 1 point each; "not visible" / "not seen" score
        ("prior_cabg", 2, ("prior_cabg",), {"prior_cabg": Y}, {"prior_cabg": N}),
        ("age_70", 2, ("age",), {"age": 70}, {"age": 69}),
        ("stump_blunt_or_invisible", 2, ("blunt_stump", "stump_visible"),
         {"stump_visible": N}, {"blunt_stump": N, "stump_visible": Y}),
        ("tortuosity_severe_or_unseen", 2, ("tortuosity",), {"tortuosity": "not_seen"}, {"tortuosity": "moderate"}),
        ("length_20", 2, ("length_mm",), {"length_mm": 20}, {"length_mm": 19}),
        ("calcification_severe", 2, ("calcification",), {"calcification": "severe"}, {"calcification": "moderate"}),
    ),
    "ora": (  # §5: ostial 1, Rentrop <2 2 (the panel's choice in the conflict), age >=75 1
        ("ostial", 2, ("ostial",), {"ostial": Y}, {"ostial": N}),
        ("rentrop_lt_2", 4, ("rentrop",), {"rentrop": "1"}, {"rentrop": "2"}),
        ("age_75", 2, ("age",), {"age": 75}, {"age": 74}),
    ),
    "recharge": (  # §6, 1 point each: bending >=45°, length >20 mm
        ("blunt_stump", 2, ("blunt_stump",), {"blunt_stump": Y}, {"blunt_stump": N}),
        ("calcification", 2, ("calcification",), {"calcification": "severe"}, {"calcification": "none"}),
        ("bending_45", 2, ("bend_angle_deg", "bending_45"), {"bend_angle_deg": 45}, {"bend_angle_deg": 44}),
        ("length_20", 2, ("length_mm",), {"length_mm": 21}, {"length_mm": 20}),
        ("distal_disease", 2, ("distal_disease",), {"distal_disease": Y}, {"distal_disease": N}),
        ("prior_cabg_target", 2, ("prior_cabg_target",), {"prior_cabg_target": Y}, {"prior_cabg_target": N}),
    ),
    "cl": (  # §7: CABG 1.5, MI 1, severe calcium 2, length >=20 mm 1.5, not LAD 1, blunt 1
        ("prior_cabg", 3, ("prior_cabg",), {"prior_cabg": Y}, {"prior_cabg": N}),
        ("prior_mi", 2, ("prior_mi",), {"prior_mi": Y}, {"prior_mi": N}),
        ("calcification_severe", 4, ("calcification",), {"calcification": "severe"}, {"calcification": "mild"}),
        ("length_20", 3, ("length_mm",), {"length_mm": 20}, {"length_mm": 19}),
        ("non_lad", 2, ("vessel",), {"vessel": "rca"}, {"vessel": "lad"}),
        ("blunt_stump", 2, ("blunt_stump",), {"blunt_stump": Y}, {"blunt_stump": N}),
    ),
    "operator_cto": (  # §8: nine lesion items +1, volume >=60 -1, years >=5 -1, success >=90 % -2
        ("prior_cabg_target", 2, ("prior_cabg_target",), {"prior_cabg_target": Y}, {"prior_cabg_target": N}),
        ("blunt", 2, ("blunt_stump",), {"blunt_stump": Y}, {"blunt_stump": N}),
        ("calcification", 2, ("calcification",), {"calcification": "moderate"}, {"calcification": "none"}),
        ("curvature", 2, ("curvature",), {"curvature": Y}, {"curvature": N}),
        ("length_20", 2, ("length_mm",), {"length_mm": 20}, {"length_mm": 19}),
        ("distal_disease", 2, ("distal_disease",), {"distal_disease": Y}, {"distal_disease": N}),
        ("rentrop_lt_2", 2, ("rentrop",), {"rentrop": "0"}, {"rentrop": "3"}),
        ("in_stent", 2, ("in_stent",), {"in_stent": Y}, {"in_stent": N}),
        ("ostial", 2, ("ostial",), {"ostial": Y}, {"ostial": N}),
        ("volume_60", -2, ("op_annual_volume",), {"op_annual_volume": 60}, {"op_annual_volume": 59}),
        ("years_5", -2, ("op_years",), {"op_years": 5}, {"op_years": 4}),
        ("success_90", -4, ("op_last_year_cases", "op_last_year_successes"),
         {"op_last_year_cases": 10, "op_last_year_successes": 9},
         {"op_last_year_cases": 100, "op_last_year_successes": 89}),
    ),
}

POINT_SCORES = ("jcto", "progress", "progress_compl", "progress_mace", "castle", "ora", "recharge", "cl",
                "operator_cto")
ALL_IDS = POINT_SCORES + ("jbtk",)
# §9 grades A 0–1, B 2–3, C 4–5, D 6; crossing A 97.3 %, B 76.8 %, C 19.3 %, D 0 %
JBTK = (("A", 973), ("B", 768), ("C", 193), ("D", 0))
CORONARY_VESSELS = ("lad", "lcx", "rca", "lm")
BTK_VESSELS = ("tpt", "ata", "pta", "peroneal")
OTHER_VESSELS = ("sfa", "popliteal")  # peripheral but above the knee: no score of this content applies


# -- helpers ------------------------------------------------------------------------------

def over(base, changes):
    """`base` with some answers replaced (None: made unknown)."""
    out = {}
    for k in base:
        out[k] = base[k]
    for k in changes:
        out[k] = changes[k]
    return out


def merged(*dicts):
    out = {}
    for d in dicts:
        for k in d:
            assert k not in out or out[k] == d[k], "conflicting answers for " + k
            out[k] = d[k]
    return out


def score_def(sid):
    for s in SCORES:
        if s["id"] == sid:
            return s
    raise AssertionError("no score " + sid)


def run(sid, answers):
    return evaluate(score_def(sid), Findings(answers))


def answers_for(sid, mask):
    """Findings making exactly the variables in `mask` (bit i = variable i) score."""
    parts = []
    for i, v in enumerate(VARS[sid]):
        parts.append(v[3] if mask & (1 << i) else v[4])
    return merged(*parts)


def mask_total(sid, mask):
    t = 0
    for i, v in enumerate(VARS[sid]):
        if mask & (1 << i):
            t += v[1]
    return t


def masks_by_total(sid):
    """One variable subset for every reachable total (half points)."""
    out = {}
    for mask in range(1 << len(VARS[sid])):
        t = mask_total(sid, mask)
        if t not in out:
            out[t] = mask
    return out


def band_of(sid, t2):
    for b in BANDS[sid]:
        if b[0] <= t2 and (b[1] is None or t2 <= b[1]):
            return b
    return None


def check_total(sid, t2, mask):
    r = run(sid, answers_for(sid, mask))
    where = "%s total %s" % (sid, half(t2))
    assert r["complete"] is True, where
    assert r["missing"] == [], where
    assert r["total"] == half(t2), (where, r["total"])
    assert r["min2"] == t2 and r["max2"] == t2, where
    scored = [b["var"] for b in r["basis"] if b["answer"] == "yes"]
    expected = [v[0] for i, v in enumerate(VARS[sid]) if mask & (1 << i)]
    assert sorted(scored) == sorted(expected), (where, scored)
    band = band_of(sid, t2)
    if band is None:
        assert r["categories"] == [], where
        assert r["uncategorised"] == ([half(t2)] if BANDS[sid] else []), where
        return
    assert r["uncategorised"] == [], where
    assert [c["label"] for c in r["categories"]] == [band[2]], (where, r["categories"])
    assert [x["value10"] for x in r["categories"][0]["rates"]] == list(band[3]), where


def edges_checked(sid):
    """Check every reachable total at each band edge -1, edge, edge +1 (whole and half points)."""
    by_total = masks_by_total(sid)
    lo, hi = RANGES[sid]
    assert min(by_total) == lo and max(by_total) == hi, sid
    edges = []
    for b in BANDS[sid]:
        edges.append(b[0])
        edges.append(b[0] if b[1] is None else b[1])
    seen = []
    for e in edges:
        for t in (e - 2, e - 1, e, e + 1, e + 2):
            if t in by_total and t not in seen:
                check_total(sid, t, by_total[t])
                seen.append(t)
    return sorted(seen)


def by_var(result, vid):
    for b in result["basis"]:
        if b["var"] == vid:
            return b
    raise AssertionError("no variable " + vid)


def cat_labels(result):
    return [c["label"] for c in result["categories"]]


# -- every band edge, every score ---------------------------------------------------------

def test_jcto_band_edges():
    assert edges_checked("jcto") == [0, 2, 4, 6, 8]


def test_progress_compl_band_edges():
    assert edges_checked("progress_compl") == [0, 2, 4, 6, 8, 10, 12]


def test_progress_mace_band_edges():
    # 8 (the top of the range) lies in no band: SCORES.md gives rates up to 6–7 only
    assert edges_checked("progress_mace") == [0, 2, 4, 6, 8, 10, 12, 14, 16]
    r = run("progress_mace", answers_for("progress_mace", masks_by_total("progress_mace")[16]))
    assert r["total"] == "8" and r["categories"] == [] and r["uncategorised"] == ["8"]


def test_castle_band_edges():
    assert edges_checked("castle") == [0, 2, 4, 6, 8, 10]


def test_ora_band_edges():
    assert edges_checked("ora") == [0, 2, 4, 6, 8]


def test_cl_band_edges_in_half_points():
    # with 1.5-point items every half point is reachable but 0.5
    assert edges_checked("cl") == [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]


def test_operator_cto_band_edges():
    # the simple band runs from the floor of the range (-4) to 2
    assert edges_checked("operator_cto") == [-8, -6, 2, 4, 6, 8, 10, 12]


def test_progress_and_recharge_have_no_bands_but_every_total():
    # no categories: totals only, never a category or a gap
    for sid in ("progress", "recharge"):
        by_total = masks_by_total(sid)
        for t in sorted(by_total):
            check_total(sid, t, by_total[t])
        assert sorted(by_total) == list(range(RANGES[sid][0], RANGES[sid][1] + 1, 2))


def test_every_reachable_total_of_every_score():
    for sid in POINT_SCORES:
        by_total = masks_by_total(sid)
        for t in sorted(by_total):
            check_total(sid, t, by_total[t])


# -- ranges: nothing known, everything scoring --------------------------------------------

MISSING_WHEN_NOTHING_KNOWN = {
    "jcto": ["bend_angle_deg", "bending_45", "blunt_stump", "calcification", "length_mm", "retry"],
    "progress": ["cap_ambiguity", "interventional_collaterals", "tortuosity", "vessel"],
    "progress_compl": ["age", "length_mm", "retrograde_planned", "retrograde_used"],
    "progress_mace": ["adr_planned", "adr_used", "age", "blunt_stump", "calcification", "retrograde_planned",
                      "retrograde_used", "sex", "stump_visible"],
    "castle": ["age", "blunt_stump", "calcification", "length_mm", "prior_cabg", "stump_visible", "tortuosity"],
    "ora": ["age", "ostial", "rentrop"],
    "recharge": ["bend_angle_deg", "bending_45", "blunt_stump", "calcification", "distal_disease", "length_mm",
                 "prior_cabg_target"],
    "cl": ["blunt_stump", "calcification", "length_mm", "prior_cabg", "prior_mi", "vessel"],
    "operator_cto": ["blunt_stump", "calcification", "curvature", "distal_disease", "in_stent", "length_mm",
                     "op_annual_volume", "op_last_year_cases", "op_last_year_successes", "op_years", "ostial",
                     "prior_cabg_target", "rentrop"],
    "jbtk": ["jbtk_grade"],
}


def test_evaluate_all_gives_every_score_in_content_order():
    rs = evaluate_all(Findings())
    assert [r["id"] for r in rs] == list(ALL_IDS)
    assert [s["id"] for s in SCORES] == list(ALL_IDS)


def test_nothing_known_gives_the_full_range():
    for r in evaluate_all(Findings()):
        sid = r["id"]
        assert r["complete"] is False, sid
        assert r["total"] is None, sid
        assert r["missing"] == MISSING_WHEN_NOTHING_KNOWN[sid], (sid, r["missing"])
        assert r["applicable"] is None, sid  # vessel unknown: shown anyway
        if sid == "jbtk":
            assert r["grade"] is None and r["categories"] == [] and r["min"] is None and r["max"] is None
            continue
        lo, hi = RANGES[sid]
        assert (r["min2"], r["max2"]) == (lo, hi), sid
        assert (r["min"], r["max"]) == (half(lo), half(hi)), sid
        assert r["reachable"][0] == half(lo) and r["reachable"][-1] == half(hi), sid
        # every band is reachable from the full range, and only the published gaps are left over
        assert cat_labels(r) == [b[2] for b in BANDS[sid]], sid
        assert [b["answer"] for b in r["basis"]] == ["unknown"] * len(VARS[sid]), sid
        assert [b["scored"] for b in r["basis"]] == [None] * len(VARS[sid]), sid
    rs = {}
    for r in evaluate_all(Findings()):
        rs[r["id"]] = r
    assert (rs["jcto"]["min"], rs["jcto"]["max"]) == ("0", "5")
    assert (rs["operator_cto"]["min"], rs["operator_cto"]["max"]) == ("-4", "9")
    assert (rs["cl"]["min"], rs["cl"]["max"]) == ("0", "8")
    assert rs["cl"]["uncategorised"] == ["1.5"]
    assert rs["progress_mace"]["uncategorised"] == ["8"]
    for sid in ("jcto", "progress", "progress_compl", "castle", "ora", "recharge", "operator_cto"):
        assert rs[sid]["uncategorised"] == [], sid


def test_everything_scoring_gives_the_exact_maximum():
    for sid in POINT_SCORES:
        best = merged(*[v[3] if v[1] > 0 else v[4] for v in VARS[sid]])
        r = run(sid, best)
        assert r["complete"] is True and r["missing"] == [], sid
        assert r["min2"] == r["max2"] == RANGES[sid][1], sid
        assert r["total"] == half(RANGES[sid][1]), sid
        worst = merged(*[v[4] if v[1] > 0 else v[3] for v in VARS[sid]])
        r = run(sid, worst)
        assert r["min2"] == r["max2"] == RANGES[sid][0], sid
    # operator-CTO with every item scoring, operator items too: 9 - 4 = 5
    r = run("operator_cto", merged(*[v[3] for v in VARS["operator_cto"]]))
    assert r["total"] == "5" and cat_labels(r) == ["extremely difficult"]
    r = run("jcto", merged(*[v[3] for v in VARS["jcto"]]))
    assert r["total"] == "5" and cat_labels(r) == ["very difficult"]
    assert r["categories"][0]["rates"][0]["text"] == "10.0 %"


# -- unknowns -----------------------------------------------------------------------------

def test_one_unknown_variable_gives_a_range_that_collapses_when_answered():
    for sid in POINT_SCORES:
        vs = VARS[sid]
        for i, v in enumerate(vs):
            vid, p2, needs, yes, no = v
            others = merged(*[w[4] for j, w in enumerate(vs) if j != i])
            r = run(sid, others)
            where = sid + " " + vid
            assert r["complete"] is False, where
            assert r["total"] is None, where
            assert r["missing"] == sorted(needs), (where, r["missing"])
            lo, hi = (p2, 0) if p2 < 0 else (0, p2)
            assert (r["min2"], r["max2"]) == (lo, hi), where
            assert r["reachable"] == [half(lo), half(hi)], where
            assert by_var(r, vid)["answer"] == "unknown", where
            # the categories span the range: the band of each end, once each
            want = []
            for t in (lo, hi):
                b = band_of(sid, t)
                if b is not None and b[2] not in want:
                    want.append(b[2])
            assert cat_labels(r) == want, (where, cat_labels(r))
            r = run(sid, merged(others, yes))
            assert r["complete"] is True and r["total"] == half(p2), where
            assert by_var(r, vid)["answer"] == "yes" and by_var(r, vid)["scored"] == half(p2), where
            r = run(sid, merged(others, no))
            assert r["complete"] is True and r["total"] == "0", where
            assert by_var(r, vid)["answer"] == "no" and by_var(r, vid)["scored"] == "0", where


def test_a_range_over_several_unknowns_lists_every_reachable_total():
    # J-CTO with blunt stump yes, the rest unknown but retry: 1 to 4
    r = run("jcto", {"blunt_stump": Y, "retry": N})
    assert (r["min"], r["max"]) == ("1", "4")
    assert r["reachable"] == ["1", "2", "3", "4"]
    assert cat_labels(r) == ["intermediate", "difficult", "very difficult"]
    assert r["missing"] == ["bend_angle_deg", "bending_45", "calcification", "length_mm"]
    # 3a with only the age unknown and 2 fixed points: 2 or 5, low or high, never intermediate
    r = run("progress_compl", {"length_mm": 30, "retrograde_used": N})
    assert r["reachable"] == ["2", "5"]
    assert cat_labels(r) == ["low", "high"]


def test_unknown_answer_is_not_no():
    # an unanswered blunt stump never counts as "no": the total stays open
    r = run("jcto", {"calcification": "none", "bending_45": N, "length_mm": 10, "retry": N})
    assert r["total"] is None and r["max"] == "1" and r["missing"] == ["blunt_stump"]


# -- "not visible" / "not seen" -----------------------------------------------------------

def test_castle_not_visible_stump_and_unseen_tortuosity_score():
    base = {"prior_cabg": N, "age": 60, "length_mm": 10, "calcification": "none"}
    r = run("castle", merged(base, {"stump_visible": N, "tortuosity": "not_seen"}))
    assert r["complete"] is True and r["total"] == "2"
    assert by_var(r, "stump_blunt_or_invisible")["answer"] == "yes"
    assert by_var(r, "stump_blunt_or_invisible")["findings"] == ["stump_visible"]
    assert by_var(r, "tortuosity_severe_or_unseen")["answer"] == "yes"
    assert cat_labels(r) == ["2"]
    # a visible stump needs the blunt answer; severe tortuosity also scores, moderate does not
    r = run("castle", merged(base, {"stump_visible": Y, "tortuosity": "severe"}))
    assert r["total"] is None and r["missing"] == ["blunt_stump"] and (r["min"], r["max"]) == ("1", "2")
    r = run("castle", merged(base, {"stump_visible": Y, "blunt_stump": Y, "tortuosity": "moderate"}))
    assert r["total"] == "1"
    # the blunt answer alone, visibility unknown: blunt scores; tapered leaves it open
    assert run("castle", merged(base, {"blunt_stump": Y, "tortuosity": "none"}))["total"] == "1"
    r = run("castle", merged(base, {"blunt_stump": N, "tortuosity": "none"}))
    assert r["total"] is None and r["missing"] == ["stump_visible"]


def test_mace_no_stump_scores_like_a_blunt_one():
    base = {"age": 50, "sex": "male", "calcification": "none", "adr_used": N, "retrograde_used": N}
    assert run("progress_mace", merged(base, {"stump_visible": N}))["total"] == "1"
    assert run("progress_mace", merged(base, {"blunt_stump": Y, "stump_visible": Y}))["total"] == "1"
    assert run("progress_mace", merged(base, {"blunt_stump": N, "stump_visible": Y}))["total"] == "0"


def test_progress_treats_unseen_tortuosity_as_unknown():
    base = {"cap_ambiguity": Y, "vessel": "rca", "interventional_collaterals": Y}
    r = run("progress", merged(base, {"tortuosity": "not_seen"}))
    assert r["complete"] is False and r["total"] is None
    assert (r["min"], r["max"]) == ("1", "2")
    assert r["missing"] == ["tortuosity"]
    assert by_var(r, "tortuosity_mod_severe")["answer"] == "unknown"
    for t, want in (("none", "1"), ("mild", "1"), ("moderate", "2"), ("severe", "2")):
        assert run("progress", merged(base, {"tortuosity": t}))["total"] == want, t


# -- thresholds ---------------------------------------------------------------------------

def points_of(sid, vid, answers):
    b = by_var(run(sid, answers), vid)
    assert b["answer"] != "unknown", (sid, vid, answers)
    return b["scored"]


def test_age_thresholds_3a_over_65_3b_from_65_castle_70_ora_75():
    for age, compl, mace in ((64, "0", "0"), (65, "0", "1"), (66, "3", "1")):
        assert points_of("progress_compl", "age_over_65", {"age": age}) == compl, age
        assert points_of("progress_mace", "age_65", {"age": age}) == mace, age
    for age, want in ((69, "0"), (70, "1"), (71, "1")):
        assert points_of("castle", "age_70", {"age": age}) == want, age
    for age, want in ((74, "0"), (75, "1"), (76, "1")):
        assert points_of("ora", "age_75", {"age": age}) == want, age
    # a 65-year-old: 0 in 3a, 1 in 3b
    rs = {}
    for r in evaluate_all(Findings({"age": 65})):
        rs[r["id"]] = r
    assert by_var(rs["progress_compl"], "age_over_65")["answer"] == "no"
    assert by_var(rs["progress_mace"], "age_65")["answer"] == "yes"


def test_length_thresholds():
    over_20 = (("jcto", "length_20"), ("recharge", "length_20"))  # >20 mm
    from_20 = (("castle", "length_20"), ("cl", "length_20"), ("operator_cto", "length_20"))  # >=20 mm
    for mm in (19, 20, 21):
        for sid, vid in over_20:
            assert points_of(sid, vid, {"length_mm": mm}) == ("1" if mm > 20 else "0"), (sid, mm)
        for sid, vid in from_20:
            want = "0" if mm < 20 else ("1.5" if sid == "cl" else "1")
            assert points_of(sid, vid, {"length_mm": mm}) == want, (sid, mm)
    for mm, want in ((22, "0"), (23, "2"), (24, "2")):  # 3a: >=23 mm, 2 points
        assert points_of("progress_compl", "length_23", {"length_mm": mm}) == want, mm


def test_bend_angle_jcto_over_45_recharge_from_45():
    for deg, jcto, recharge in ((44, "0", "0"), (45, "0", "1"), (46, "1", "1")):
        assert points_of("jcto", "bending", {"bend_angle_deg": deg}) == jcto, deg
        assert points_of("recharge", "bending_45", {"bend_angle_deg": deg}) == recharge, deg


def test_measured_angle_takes_precedence_over_the_yes_no_answer():
    # the two answers agree (a contradiction is refused: tests below); at exactly 45° J-CTO's >45° says no and
    # RECHARGE's >=45° reads the measured angle as yes
    for deg, answer, jcto, recharge in ((44, N, "0", "0"), (46, Y, "1", "1"), (45, N, "0", "1")):
        a = {"bend_angle_deg": deg, "bending_45": answer}
        b = by_var(run("jcto", a), "bending")
        assert b["scored"] == jcto and b["findings"] == ["bend_angle_deg"], (deg, answer)
        assert points_of("recharge", "bending_45", a) == recharge, (deg, answer)
    # no measured angle: the yes/no answer decides both
    assert points_of("jcto", "bending", {"bending_45": Y}) == "1"
    assert points_of("recharge", "bending_45", {"bending_45": Y}) == "1"
    assert points_of("jcto", "bending", {"bending_45": N}) == "0"
    assert by_var(run("jcto", {"bending_45": Y}), "bending")["findings"] == ["bending_45"]


def test_calcium_grades_per_score():
    # J-CTO / RECHARGE / operator-CTO: any; MACE: moderate–severe; CASTLE / CL: severe only
    table = (("none", "0", "0", "0", "0", "0", "0"), ("mild", "1", "1", "1", "0", "0", "0"),
             ("moderate", "1", "1", "1", "1", "0", "0"), ("severe", "1", "1", "1", "1", "1", "2"))
    for calc, jcto, recharge, op, mace, castle, cl in table:
        a = {"calcification": calc}
        assert points_of("jcto", "calcification", a) == jcto, calc
        assert points_of("recharge", "calcification", a) == recharge, calc
        assert points_of("operator_cto", "calcification", a) == op, calc
        assert points_of("progress_mace", "calc_mod_severe", a) == mace, calc
        assert points_of("castle", "calcification_severe", a) == castle, calc
        assert points_of("cl", "calcification_severe", a) == cl, calc


def test_rentrop_below_2_for_ora_and_operator_cto():
    for grade, ora, op in (("0", "2", "1"), ("1", "2", "1"), ("2", "0", "0"), ("3", "0", "0")):
        assert points_of("ora", "rentrop_lt_2", {"rentrop": grade}) == ora, grade
        assert points_of("operator_cto", "rentrop_lt_2", {"rentrop": grade}) == op, grade


def test_vessel_items_lcx_and_non_lad():
    for vessel in CORONARY_VESSELS:
        assert points_of("progress", "lcx", {"vessel": vessel}) == ("1" if vessel == "lcx" else "0"), vessel
        assert points_of("cl", "non_lad", {"vessel": vessel}) == ("0" if vessel == "lad" else "1"), vessel


# -- half points --------------------------------------------------------------------------

def test_cl_half_points_are_exact():
    base = merged(*[v[4] for v in VARS["cl"]])
    r = run("cl", over(base, {"prior_cabg": Y}))
    assert r["total"] == "1.5" and r["min2"] == 3 and r["max2"] == 3
    assert by_var(r, "prior_cabg")["points"] == "1.5" and by_var(r, "prior_cabg")["points2"] == 3
    assert by_var(r, "prior_cabg")["scored"] == "1.5"
    assert r["categories"] == [] and r["uncategorised"] == ["1.5"]  # between easy 0–1 and intermediate 2–3
    r = run("cl", over(base, {"prior_cabg": Y, "length_mm": 25}))
    assert r["total"] == "3" and cat_labels(r) == ["intermediate"]
    r = run("cl", over(base, {"prior_cabg": Y, "length_mm": 25, "prior_mi": Y}))
    assert r["total"] == "4" and cat_labels(r) == ["difficult"]
    r = run("cl", over(base, {"prior_cabg": Y, "length_mm": 25, "prior_mi": Y, "vessel": "lcx"}))
    assert r["total"] == "5" and cat_labels(r) == ["very difficult"]
    # one 1.5-point item unknown: 0 to 1.5, easy, and 1.5 reported as a gap
    r = run("cl", over(base, {"prior_cabg": None}))
    assert (r["min"], r["max"]) == ("0", "1.5") and r["reachable"] == ["0", "1.5"]
    assert cat_labels(r) == ["easy"] and r["uncategorised"] == ["1.5"]


def test_half_and_percent_text():
    assert half(0) == "0" and half(2) == "1" and half(3) == "1.5" and half(17) == "8.5"
    assert half(-3) == "-1.5" and half(-8) == "-4" and half(-1) == "-0.5"
    assert percent(877) == "87.7 %" and percent(0) == "0.0 %" and percent(4) == "0.4 %"
    assert percent(100) == "10.0 %" and percent(350) == "35.0 %"


# -- operator-CTO -------------------------------------------------------------------------

LESION_3 = {"prior_cabg_target": N, "blunt_stump": Y, "calcification": "mild", "curvature": N,
            "length_mm": 25, "distal_disease": N, "rentrop": "2", "in_stent": N, "ostial": N}


def test_operator_cto_without_profile_is_a_range_down_to_minus_4():
    r = run("operator_cto", LESION_3)
    assert (r["min"], r["max"]) == ("-1", "3") and r["total"] is None
    assert r["missing"] == ["op_annual_volume", "op_last_year_cases", "op_last_year_successes", "op_years"]
    assert cat_labels(r) == ["simple", "medium"]
    assert r["reachable"] == ["-1", "0", "1", "2", "3"]


def test_operator_profile_fills_the_operator_variables():
    f = Findings(LESION_3)
    done = apply_profile(f, {"annual_volume": 80, "years": 10, "last_year_cases": 10, "last_year_successes": 9})
    assert done == ["op_annual_volume", "op_last_year_cases", "op_last_year_successes", "op_years"]
    assert f.sources["op_years"] == "host" and f.get("op_years") == 10
    r = evaluate(score_def("operator_cto"), f)
    assert r["complete"] is True and r["total"] == "-1"  # 3 - 1 - 1 - 2
    assert by_var(r, "success_90")["scored"] == "-2" and by_var(r, "success_90")["points"] == "-2"
    assert cat_labels(r) == ["simple"] and r["categories"][0]["rates"][0]["text"] == "99.0 %"
    # a profile without a value leaves it unknown (and clears the one set before)
    done = apply_profile(f, {"annual_volume": 80, "years": 10}, "entered")
    assert done == ["op_annual_volume", "op_years"]
    assert f.sources["op_years"] == "entered" and f.get("op_last_year_cases") is None
    r = evaluate(score_def("operator_cto"), f)
    assert (r["min"], r["max"]) == ("-1", "1")
    assert r["missing"] == ["op_last_year_cases", "op_last_year_successes"]


def test_operator_success_90_percent():
    for cases, wins, want in ((10, 9, "-2"), (100, 89, "0"), (100, 90, "-2"), (0, 0, "0"), (1, 1, "-2"),
                              (10, 10, "-2"), (10, 8, "0")):
        a = {"op_last_year_cases": cases, "op_last_year_successes": wins}
        assert points_of("operator_cto", "success_90", a) == want, (cases, wins)
    r = run("operator_cto", {"op_last_year_cases": 10})
    assert by_var(r, "success_90")["answer"] == "unknown"
    assert by_var(r, "success_90")["findings"] == ["op_last_year_successes"]


def test_operator_volume_and_years_edges():
    for v, want in ((59, "0"), (60, "-1"), (61, "-1")):
        assert points_of("operator_cto", "volume_60", {"op_annual_volume": v}) == want, v
    for y, want in ((4, "0"), (5, "-1"), (6, "-1")):
        assert points_of("operator_cto", "years_5", {"op_years": y}) == want, y


def test_successes_above_cases_are_refused_everywhere():
    f = Findings({"op_last_year_cases": 10})
    e = raises(FindingError, f.set, "op_last_year_successes", 11)
    assert "Operator successes last year: 11 cases contradicts Operator cases last year: 10 cases" in str(e)
    assert f.get("op_last_year_successes") is None
    f.set("op_last_year_successes", 10)
    raises(FindingError, f.set, "op_last_year_cases", 9)
    assert f.get("op_last_year_cases") == 10
    raises(FindingError, Findings, {"op_last_year_cases": 3, "op_last_year_successes": 4})
    # a bad profile changes nothing
    g = Findings({"op_years": 7})
    g.set("op_annual_volume", 40, "entered")
    raises(FindingError, apply_profile, g, {"annual_volume": 90, "last_year_cases": 3, "last_year_successes": 4})
    assert g.get("op_annual_volume") == 40 and g.sources["op_annual_volume"] == "entered"
    assert g.get("op_years") == 7 and "op_years" not in g.sources
    assert g.get("op_last_year_cases") is None
    raises(FindingError, apply_profile, g, {"years": 3}, "guessed")
    assert g.get("op_years") == 7


# -- strategy -----------------------------------------------------------------------------

def test_strategy_planned_before_crossing_used_after():
    base = {"age": 60, "length_mm": 10}
    r = run("progress_compl", merged(base, {"retrograde_planned": Y}))
    assert r["total"] == "1" and r["planned_strategy"] == ["retrograde"]
    assert by_var(r, "retrograde")["findings"] == ["retrograde_planned"]
    # used overrides planned, both ways
    r = run("progress_compl", merged(base, {"retrograde_planned": Y, "retrograde_used": N}))
    assert r["total"] == "0" and r["planned_strategy"] == []
    assert by_var(r, "retrograde")["findings"] == ["retrograde_used"]
    r = run("progress_compl", merged(base, {"retrograde_planned": N, "retrograde_used": Y}))
    assert r["total"] == "1" and r["planned_strategy"] == []
    # planned "no" still decides the variable, and is labelled as planned
    r = run("progress_compl", merged(base, {"retrograde_planned": N}))
    assert r["total"] == "0" and r["planned_strategy"] == ["retrograde"]
    # neither: unknown, both findings missing
    r = run("progress_compl", base)
    assert r["missing"] == ["retrograde_planned", "retrograde_used"] and r["planned_strategy"] == []


def test_mace_strategy_variables():
    base = {"age": 50, "sex": "male", "calcification": "none", "blunt_stump": N, "stump_visible": Y}
    r = run("progress_mace", merged(base, {"adr_planned": Y, "retrograde_planned": Y}))
    assert r["total"] == "3" and sorted(r["planned_strategy"]) == ["adr", "retrograde"]
    assert cat_labels(r) == ["3"]
    r = run("progress_mace", merged(base, {"adr_planned": Y, "retrograde_planned": Y, "adr_used": N,
                                           "retrograde_used": Y}))
    assert r["total"] == "2" and r["planned_strategy"] == []
    r = run("progress_mace", merged(base, {"adr_used": Y, "retrograde_planned": N}))
    assert r["total"] == "1" and r["planned_strategy"] == ["retrograde"]
    # strategy findings of other scores never leak: J-CTO has none
    assert run("jcto", {"retrograde_planned": Y})["planned_strategy"] == []


# -- J-BTK --------------------------------------------------------------------------------

def test_jbtk_grade_gives_its_category_and_rate():
    for grade, rate in JBTK:
        r = run("jbtk", {"vessel": "ata", "jbtk_grade": grade})
        assert r["applicable"] is True and r["complete"] is True and r["missing"] == []
        assert r["grade"] == grade and r["total"] is None
        assert cat_labels(r) == [grade]
        assert [x["value10"] for x in r["categories"][0]["rates"]] == [rate], grade
        assert r["basis"][0]["var"] == "jbtk_grade" and r["basis"][0]["answer"] == grade
    assert run("jbtk", {"jbtk_grade": "D"})["categories"][0]["rates"][0]["text"] == "0.0 %"


def test_jbtk_collects_its_findings_without_summing_them():
    five = {"btk_no_outflow": Y, "length_mm": 250, "btk_rvd_lt2": Y, "btk_calc_entry": N, "blunt_stump": Y}
    r = run("jbtk", merged({"vessel": "pta"}, five))
    got = {}
    for fid, value in r["collected"]:
        got[fid] = value
    assert got == five
    assert len(r["collected"]) == 5
    assert r["grade"] is None and r["total"] is None and r["min2"] is None and r["max2"] is None
    assert r["complete"] is False and r["missing"] == ["jbtk_grade"] and r["categories"] == []
    r = run("jbtk", {})
    assert len(r["collected"]) == 5
    for fid, value in r["collected"]:
        assert value is None, fid


# -- applicability ------------------------------------------------------------------------

def test_applicable_by_vessel():
    for vessel in CORONARY_VESSELS + BTK_VESSELS + OTHER_VESSELS:
        for r in evaluate_all(Findings({"vessel": vessel})):
            coronary = vessel in CORONARY_VESSELS
            btk = vessel in BTK_VESSELS
            want = btk if r["id"] == "jbtk" else coronary
            assert r["applicable"] is want, (vessel, r["id"], r["applicable"])
    assert set(options("vessel")) == set(CORONARY_VESSELS + BTK_VESSELS + OTHER_VESSELS)
    for r in evaluate_all(Findings({"age": 70})):
        assert r["applicable"] is None, r["id"]


# -- [verify] marking ---------------------------------------------------------------------

def results_showing_everything(s):
    if s["kind"] == "grade":
        return [evaluate(s, Findings({"jbtk_grade": g})) for g, _ in JBTK] + [evaluate(s, Findings())]
    return [evaluate(s, Findings())]


def test_every_verify_element_is_marked_unverified_and_nothing_else():
    for s in SCORES:
        for r in results_showing_everything(s):
            where = s["id"]
            expected = []
            assert r["tag"] == s["tag"] and s["tag"] != "verify", where
            for v in s["vars"]:
                b = by_var(r, v[0])
                assert b["tag"] == v[4] and b["unverified"] is (v[4] == "verify"), (where, v[0])
                if v[4] == "verify":
                    expected.append("variable " + v[1])
                # a note about a variable (an unverified boundary) sits on that variable
                about = [n[0] for n in s["notes"] if len(n) > 2 and v[0] in n[2] and n[1] == "verify"]
                assert b["caveats"] == about, (where, v[0])
            shown = {}
            for c in r["categories"]:
                shown[c["label"]] = c
            for c in s["cats"]:
                if c[2] not in shown:
                    continue
                rc = shown[c[2]]
                assert rc["tag"] == c[4] and rc["unverified"] is (c[4] == "verify"), (where, c[2])
                if c[4] == "verify":
                    expected.append("category " + c[2])
                assert len(rc["rates"]) == len(c[3]), (where, c[2])
                for rr, cr in zip(rc["rates"], c[3]):
                    assert rr["value10"] == cr[0] and rr["cohort"] == cr[1] and rr["tag"] == cr[2]
                    assert rr["unverified"] is (cr[2] == "verify"), (where, c[2])
                    if cr[2] == "verify":
                        expected.append("rate for " + c[2])
            assert len(r["notes"]) == len(s["notes"]), where
            for rn, n in zip(r["notes"], s["notes"]):
                assert rn["text"] == n[0] and rn["unverified"] is (n[1] == "verify"), (where, n[0])
                assert rn["about"] == list(n[2] if len(n) > 2 else ()), (where, n[0])
                if n[1] == "verify":
                    expected.append("note: " + n[0])
            assert sorted(r["unverified"]) == sorted(expected), (where, r["unverified"])


def test_the_verify_items_of_scores_md_show_as_unverified():
    rs = {}
    for r in evaluate_all(Findings()):
        rs[r["id"]] = r

    def notes(sid):
        return [n["text"] for n in rs[sid]["notes"] if n["unverified"]]

    # §1 boundary note; §2 rates per value; §5 ORA rates; §6 RECHARGE categories; §9 which item is 2 points
    for sid in ("jcto", "progress", "ora", "recharge", "jbtk"):
        assert len(notes(sid)) == 1, sid
    # §4 CASTLE scores 2 and 3: marked, no rate
    for c in rs["castle"]["categories"]:
        assert c["unverified"] is (c["label"] in ("2", "3")), c["label"]
        assert (c["rates"] == []) is (c["label"] in ("2", "3")), c["label"]
    assert "category 2" in rs["castle"]["unverified"] and "category 3" in rs["castle"]["unverified"]
    # §7 CL: every category, and the length boundary (>=20 vs >20 mm)
    for c in rs["cl"]["categories"]:
        assert c["unverified"] is True and c["rates"] == [], c["label"]
    assert by_var(rs["cl"], "length_20")["unverified"] is True
    assert "variable occlusion length >=20 mm" in rs["cl"]["unverified"]
    # §1 J-CTO's boundaries (>20 mm, >45°): the note sits on the two variables, not on the score
    assert by_var(rs["jcto"], "length_20")["caveats"] == notes("jcto")
    assert by_var(rs["jcto"], "bending")["caveats"] == notes("jcto")
    assert by_var(rs["jcto"], "length_20")["unverified"] is False
    # §5 ORA categories are [secondary], their rates [verify]: categories shown unmarked, no rates
    for c in rs["ora"]["categories"]:
        assert c["unverified"] is False and c["rates"] == [], c["label"]
    # established items stay unmarked
    for sid in ("progress_compl", "progress_mace", "operator_cto"):
        assert rs[sid]["unverified"] == [], sid


# -- findings: validation -----------------------------------------------------------------

def test_every_int_finding_refuses_outside_its_range():
    n = 0
    for f in FINDINGS:
        if f[1] != INT:
            continue
        fid, (unit, lo, hi) = f[0], f[4]
        x = Findings()
        e = raises(FindingError, x.set, fid, lo - 1)
        assert fid in str(e) and str(lo) in str(e) and str(hi) in str(e), str(e)
        x.set(fid, lo)
        assert x.get(fid) == lo
        x.set(fid, hi)
        assert x.get(fid) == hi
        raises(FindingError, x.set, fid, hi + 1)
        assert x.get(fid) == hi  # a refusal leaves the answer as it was
        for bad in (str(lo), lo + 0.5, float(lo), True, "yes"):
            e = raises(FindingError, x.set, fid, bad)
            assert "whole number" in str(e), (fid, bad)
        assert x.get(fid) == hi
        n += 1
    assert n == 7  # age, length_mm, bend_angle_deg and the four operator counts


def test_yes_no_and_choice_answers():
    f = Findings()
    for bad in ("Yes", "y", True, 1, "unknown"):
        e = raises(FindingError, f.set, "retry", bad)
        assert "retry" in str(e) and "yes or no" in str(e)
    e = raises(FindingError, f.set, "calcification", "heavy")
    msg = str(e)
    assert "calcification" in msg and "heavy" in msg
    for o in options("calcification"):
        assert o in msg, o
    e = raises(FindingError, f.set, "rentrop", 1)  # an option id is text: "1", not 1
    assert "0, 1, 2, 3" in str(e)
    e = raises(FindingError, f.set, "tortuosity", "not seen")
    assert "not_seen" in str(e)
    assert f.known() == []
    for fd in FINDINGS:
        if fd[1] == CHOICE:
            for o in options(fd[0]):
                check(fd[0], o)


def test_sources_are_checked():
    f = Findings()
    f.set("length_mm", 25, "ct")
    f.set("calcification", "severe", "angio")
    assert f.sources["length_mm"] == "ct" and f.sources["calcification"] == "angio"
    e = raises(FindingError, f.set, "length_mm", 30, "mri")
    assert "angio, ct" in str(e) and "mri" in str(e)
    assert f.get("length_mm") == 25 and f.sources["length_mm"] == "ct"
    e = raises(FindingError, f.set, "age", 70, "ct")  # a finding whose source does not matter
    assert "no source" in str(e)
    raises(FindingError, f.set, "op_years", 5, "ct")
    f.set("op_years", 5, "entered")
    raises(FindingError, f.set, "ct_calcium", "central", "angio")
    f.set("ct_calcium", "central", "ct")
    # answering again without a source drops the old source
    f.set("length_mm", 26)
    assert "length_mm" not in f.sources and f.get("length_mm") == 26


def test_none_clears_an_answer_and_its_source():
    f = Findings({"age": 70, "retry": Y})
    f.set("length_mm", 25, "ct")
    f.set("length_mm", None)
    assert f.get("length_mm") is None and "length_mm" not in f.sources
    f.set("age", None)
    assert f.known() == ["retry"]
    f.set("age", None)  # clearing an unknown answer is fine
    r = evaluate(score_def("castle"), f)
    assert "age" in r["missing"] and "length_mm" in r["missing"]


def test_unknown_finding_names_are_refused():
    e = raises(FindingError, Findings().set, "bluntstump", Y)
    assert "bluntstump" in str(e)
    raises(FindingError, Findings().get, "nope")
    raises(FindingError, spec, "nope")
    raises(FindingError, Findings, {"retry": Y, "nope": 1})
    assert isinstance(FindingError("x"), ValueError)


def test_every_finding_a_score_reads_is_in_the_catalogue():
    def fids(pred):
        if pred[0] in ("any", "first"):
            out = []
            for p in pred[1:]:
                out.extend(fids(p))
            return out
        if pred[0] == "pct_ge":
            return [pred[1], pred[2]]
        return [pred[1]]

    for s in SCORES:
        for v in s["vars"]:
            for fid in fids(v[3]):
                spec(fid)
        for fid in fids(s["applies"]):
            spec(fid)
        for fid in s.get("collected", ()):
            spec(fid)
    assert truth(("yes", "retry"), Findings({"retry": Y})) == (True, ["retry"])
    assert truth(("yes", "retry"), Findings()) == (None, ["retry"])
    raises(ValueError, truth, ("bogus", "retry"), Findings({"retry": Y}))


def test_a_score_whose_rates_are_of_technical_success_names_both_definitions():
    # TECHNIQUES.md, outcome definitions: technical success is TIMI 3 antegrade flow and residual stenosis <30 %
    # (what the panel records); the operator-CTO paper adds "and no related complications during the operation";
    # SCORES.md gives no definition for the other papers. The basis shows both sides.
    ref = "TIMI 3 antegrade flow and residual stenosis <30 %"
    by = {}
    for s in SCORES:
        by[s["id"]] = s
    r = evaluate(by["operator_cto"], Findings(), True)
    assert r["success_published"] == ["operator-CTO paper", ref + " and no related complications during the operation"]
    assert r["success_recorded"] == ref
    for sid in ("progress", "castle", "ora", "cl"):
        r = evaluate(by[sid], Findings(), True)
        assert r["success_published"] == ["its paper", "as its paper defines it (not given in the clinical reference)"]
        assert r["success_recorded"] == ref
    for sid in ("jcto", "progress_compl", "progress_mace", "recharge", "jbtk"):
        assert "success_published" not in evaluate(by[sid], Findings(), True), sid
    assert "success_published" not in evaluate(by["operator_cto"], Findings(), False)  # the overview: no basis
