"""`bedside score --json FILE` as a user runs it: every score of a findings file, and its refusals (CPython).

Covers the installed console script in a subprocess: `{}` on stdin prints all ten scores
(ids as in the content) as ranges with what is missing, and the content version; three
realistic lesions give the totals, categories and rates computed by hand below from
shared/clinical/SCORES.md (the arithmetic is in the comments, weights and rates quoted
from its sections); the `{"value": v, "source": s}` form and the operator object are
recorded in the output; bad JSON, unknown findings, out-of-range values, wrong sources,
a non-object, a file that is not UTF-8, a missing file, a key given twice, a 5,000-digit integer,
100,000-deep nesting and NaN/Infinity each exit with status 1, print nothing on stdout, and
print one "error: ..." line naming every problem. Issue 12: totals are JSON numbers (6.5, not "6.5"); without
--json a readable table, every rate with its endpoint in words; a score not for the vessel has no total and no
rate, only why; a misspelt key anywhere (a finding, the operator object) is refused with the keys there are; two
answers that contradict each other are refused naming both; a choice whose options are numbers may be given as
the number (Rentrop 2).
Run alone: .venv/bin/pytest tests/test_score_cli.py
"""

import json
import subprocess
import sys
from pathlib import Path

from panel.content import CONTENT_VERSION

BEDSIDE = str(Path(sys.executable).parent / "bedside")
IDS = ["jcto", "progress", "progress_compl", "progress_mace", "castle", "ora", "recharge", "cl", "operator_cto",
       "jbtk"]


def score(data=None, *args, text=None):
    stdin = text if text is not None else json.dumps(data)
    return subprocess.run([BEDSIDE, "score", "--json", *(args or ("-",))], input=stdin,
                          capture_output=True, text=True, timeout=60)


def ok(data):
    res = score(data)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    report = json.loads(res.stdout)
    return report, {s["id"]: s for s in report["scores"]}


def refused(res, *names):
    assert res.returncode == 1, res.stdout
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


def summary(s):
    """(total or grade, category labels, first rate of each category)."""
    key = s["grade"] if s["id"] == "jbtk" else s["total"]
    return key, [c["label"] for c in s["categories"]], [c["rates"][0]["value10"] if c["rates"] else None
                                                        for c in s["categories"]]


def test_nothing_known_prints_every_score_as_a_range():
    report, scores = ok({})
    assert report["content_version"] == CONTENT_VERSION
    assert report["findings"] == {}
    assert [s["id"] for s in report["scores"]] == IDS
    for sid, s in scores.items():
        assert s["complete"] is False and s["total"] is None, sid
        assert s["missing"], sid
        assert s["applicable"] is None, sid
        if sid == "jbtk":
            assert s["grade"] is None and s["missing"] == ["jbtk_grade"] and s["categories"] == []
        else:
            assert s["min"] != s["max"], sid
    assert (scores["jcto"]["min"], scores["jcto"]["max"]) == (0, 5)            # §1 range 0–5
    assert (scores["operator_cto"]["min"], scores["operator_cto"]["max"]) == (-4, 9)  # §8 −4 to +9
    assert (scores["cl"]["min"], scores["cl"]["max"]) == (0, 8)                # §7 0–8


# A 72-year-old woman, circumflex CTO, blunt stump (visible), severe calcium, 25 mm on CT,
# a 50° bend, first attempt, moderate tortuosity, no cap ambiguity, interventional
# collaterals present, Rentrop 2, previous MI, ADR planned (retrograde not), and an
# operator of 80 cases/year, 10 years, 46 of 50 last year (92 %).
LESION_1 = {
    "age": 72, "sex": "female", "vessel": "lcx", "blunt_stump": "yes", "stump_visible": "yes",
    "calcification": {"value": "severe", "source": "angio"}, "length_mm": {"value": 25, "source": "ct"},
    "bend_angle_deg": 50, "retry": "no", "tortuosity": "moderate", "cap_ambiguity": "no",
    "interventional_collaterals": "yes", "rentrop": "2", "ostial": "no", "in_stent": "no", "curvature": "no",
    "distal_disease": "no", "prior_cabg": "no", "prior_cabg_target": "no", "prior_mi": "yes",
    "retrograde_planned": "no", "adr_planned": "yes",
    "operator": {"annual_volume": 80, "years": 10, "last_year_cases": 50, "last_year_successes": 46,
                 "source": "host"},
}
EXPECTED_1 = {
    # §1 blunt 1 + calcium 1 + bend 50>45 1 + length 25>20 1 + retry 0 = 4: very difficult (≥3), 10.0 %
    "jcto": (4, ["very difficult"], [100]),
    # §2 cap 0 + moderate tortuosity 1 + LCX 1 + collaterals present 0 = 2; no categories
    "progress": (2, [], []),
    # §3a age 72>65 3 + length 25≥23 2 + retrograde not planned 0 = 5: high (≥5), 6.5 %
    "progress_compl": (5, ["high"], [65]),
    # §3b age ≥65 1 + female 2 + severe calcium 1 + blunt 1 + ADR planned 1 + retrograde 0 = 6: 6–7, 5.8 %
    "progress_mace": (6, ["6-7"], [58]),
    # §4 CABG 0 + age 72≥70 1 + blunt stump 1 + moderate tortuosity 0 + 25≥20 1 + severe calcium 1 = 4: ≥4, 35 %
    "castle": (4, [">=4"], [350]),
    # §5 ostial 0 + Rentrop 2 (not <2) 0 + age 72<75 0 = 0: easy (no rate)
    "ora": (0, ["easy"], [None]),
    # §6 blunt 1 + calcium 1 + bend 50≥45 1 + 25>20 1 + distal 0 + graft 0 = 4
    "recharge": (4, [], []),
    # §7 CABG 0 + MI 1 + severe calcium 2 + 25≥20 1.5 + not LAD 1 + blunt 1 = 6.5: very difficult (≥5) [verify]
    "cl": (6.5, ["very difficult"], [None]),
    # §8 blunt 1 + calcium 1 + 25≥20 1 = 3; volume 80≥60 −1, 10≥5 years −1, 46/50 = 92 %≥90 % −2: −1, simple 99.0 %
    "operator_cto": (-1, ["simple"], [990]),
    # §9 no grade chosen
    "jbtk": (None, [], []),
}


def test_a_72_year_old_woman_with_a_calcified_circumflex_cto():
    report, scores = ok(LESION_1)
    for sid, want in EXPECTED_1.items():
        assert summary(scores[sid]) == want, (sid, summary(scores[sid]))
        assert scores[sid]["applicable"] is (sid != "jbtk"), sid
    for sid in IDS[:-1]:
        assert scores[sid]["complete"] is True and scores[sid]["missing"] == [], sid
    assert sorted(scores["progress_mace"]["planned_strategy"]) == ["adr", "retrograde"]
    assert scores["cl"]["unverified"]  # CL's bands are [verify]
    assert "category very difficult" in scores["cl"]["unverified"]
    # the sources are recorded with the answers
    f = report["findings"]
    assert f["length_mm"] == {"value": 25, "source": "ct"}
    assert f["calcification"] == {"value": "severe", "source": "angio"}
    assert f["age"] == {"value": 72, "source": None}
    assert f["op_last_year_successes"] == {"value": 46, "source": "host"}
    assert "operator" not in f
    basis = {b["var"]: b for b in scores["cl"]["basis"]}
    assert basis["length_20"]["scored"] == 1.5 and basis["length_20"]["answers"] == [["length_mm", 25]]


# A 65-year-old man, RCA, tapered visible stump, no calcium, exactly 20 mm, a bend measured
# at exactly 45°, a re-try, tortuosity not seen, ambiguous cap, no interventional
# collaterals, Rentrop 1, ostial, previous CABG with a graft on the target, distal disease,
# curvature, retrograde used (ADR not), and an operator entered by hand: 30 cases/year,
# 3 years, no cases last year.
LESION_2 = {
    "age": 65, "sex": "male", "vessel": "rca", "blunt_stump": "no", "stump_visible": "yes",
    "calcification": "none", "length_mm": 20, "bend_angle_deg": 45, "bending_45": "no", "retry": "yes",
    "tortuosity": "not_seen", "cap_ambiguity": "yes", "interventional_collaterals": "no", "rentrop": "1",
    "ostial": "yes", "in_stent": "no", "curvature": "yes", "distal_disease": "yes", "prior_cabg": "yes",
    "prior_cabg_target": "yes", "prior_mi": "no", "retrograde_used": "yes", "adr_used": "no",
    "operator": {"annual_volume": 30, "years": 3, "last_year_cases": 0, "last_year_successes": 0,
                 "source": "entered"},
}
EXPECTED_2 = {
    # §1 blunt 0 + calcium 0 + 45 not >45 0 + 20 not >20 0 + re-try 1 = 1: intermediate, 67.1 %
    "jcto": (1, ["intermediate"], [671]),
    # §2 cap 1 + tortuosity not seen (unknown to PROGRESS) + LCX 0 + no collaterals 1 = 2 to 3
    "progress": (None, [], []),
    # §3a age 65 not >65 0 + 20<23 0 + retrograde used 1 = 1: low 0–2, 0.4 %
    "progress_compl": (1, ["low"], [4]),
    # §3b age ≥65 1 + male 0 + no calcium 0 + tapered visible stump 0 + ADR 0 + retrograde 2 = 3: 2.2 %
    "progress_mace": (3, ["3"], [22]),
    # §4 CABG 1 + age 65<70 0 + stump 0 + tortuosity not seen 1 + 20≥20 1 + calcium 0 = 3: [verify], no rate
    "castle": (3, ["3"], [None]),
    # §5 ostial 1 + Rentrop 1 (<2) 2 + age 0 = 3: very difficult 3–4
    "ora": (3, ["very difficult"], [None]),
    # §6 blunt 0 + calcium 0 + bend 45≥45 1 + 20 not >20 0 + distal 1 + graft on target 1 = 3
    "recharge": (3, [], []),
    # §7 CABG 1.5 + MI 0 + calcium 0 + 20≥20 1.5 + RCA (not LAD) 1 + blunt 0 = 4: difficult 3.5–4.5 [verify]
    "cl": (4, ["difficult"], [None]),
    # §8 graft 1 + curvature 1 + 20≥20 1 + distal 1 + Rentrop <2 1 + ostial 1 = 6; volume 30 0, 3 years 0,
    # no cases last year 0 = 6: extremely difficult (≥5), 25.0 %
    "operator_cto": (6, ["extremely difficult"], [250]),
    "jbtk": (None, [], []),
}


def test_a_65_year_old_man_with_a_grafted_ostial_rca_cto():
    report, scores = ok(LESION_2)
    for sid, want in EXPECTED_2.items():
        assert summary(scores[sid]) == want, (sid, summary(scores[sid]))
    p = scores["progress"]
    assert (p["min"], p["max"]) == (2, 3) and p["missing"] == ["tortuosity"] and p["complete"] is False
    assert scores["progress_mace"]["planned_strategy"] == []
    assert scores["castle"]["unverified"] == ["category 3", "note: technical failure at scores 2 and 3: not confirmed"]
    assert report["findings"]["op_years"] == {"value": 3, "source": "entered"}
    # the 65-year-old: 0 in 3a (>65), 1 in 3b (≥65)
    age_3a = [b for b in scores["progress_compl"]["basis"] if b["var"] == "age_over_65"][0]
    age_3b = [b for b in scores["progress_mace"]["basis"] if b["var"] == "age_65"][0]
    assert (age_3a["scored"], age_3b["scored"]) == (0, 1)


# An 80-year-old, anterior tibial CTO graded J-BTK C by the operator; the five J-BTK findings
# are entered (no outflow, 250 mm, reference <2.0 mm, entry not calcified, blunt entry).
LESION_3 = {
    "age": 80, "vessel": "ata", "jbtk_grade": "C", "btk_no_outflow": "yes", "length_mm": 250,
    "btk_rvd_lt2": "yes", "btk_calc_entry": "no", "blunt_stump": "yes",
}


def test_a_below_the_knee_cto_graded_c():
    _, scores = ok(LESION_3)
    j = scores["jbtk"]
    # §9 C 4–5: guidewire crossing 19.3 % in the original study
    assert summary(j) == ("C", ["C"], [193])
    assert j["applicable"] is True and j["complete"] is True and j["total"] is None
    assert {f: v for f, v in j["collected"]} == {"btk_no_outflow": "yes", "length_mm": 250, "btk_rvd_lt2": "yes",
                                                  "btk_calc_entry": "no", "blunt_stump": "yes"}
    for sid in IDS[:-1]:
        assert scores[sid]["applicable"] is False, sid


def test_a_findings_file_on_disk(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"length_mm": {"value": 21, "source": "angio"}, "retry": "yes"}))
    res = score(None, str(path), text="")
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["findings"]["length_mm"] == {"value": 21, "source": "angio"}
    jcto = [s for s in report["scores"] if s["id"] == "jcto"][0]
    assert (jcto["min"], jcto["max"]) == (2, 5)  # retry 1 + 21>20 1, three unknown


# -- refusals -------------------------------------------------------------------------------

def test_bad_json_is_refused():
    refused(score(text="{bad"), "not valid JSON")
    refused(score(text=""), "not valid JSON")


def test_a_file_that_is_not_utf8_text_is_refused(tmp_path):
    path = tmp_path / "case.json"
    path.write_bytes(b'\xff\xfe{"age": 70}')
    refused(score(None, str(path), text=""), str(path), "not UTF-8")


def test_a_non_object_is_refused():
    for text in ("[1, 2]", "42", '"age"', "null"):
        refused(score(text=text), "JSON object")


def test_a_missing_file_is_refused(tmp_path):
    missing = str(tmp_path / "nope.json")
    refused(score(None, missing, text=""), "cannot read", missing)


def test_every_problem_is_named_at_once():
    line = refused(score({
        "age": 130,                                             # out of range
        "bluntstump": "yes",                                    # unknown finding
        "calcification": "heavy",                               # unknown option
        "retry": True,                                          # not yes/no
        "length_mm": {"value": 25, "source": "mri"},            # wrong source
        "sex": {"value": "female", "colour": "x"},              # unexpected key
        "op_years": 4.5,                                        # not a whole number
        "operator": {"last_year_cases": 3, "last_year_successes": 5},  # successes > cases
    }), "age must be 18 to 120", "bluntstump", "calcification", "heavy", "retry", "length_mm", "mri",
        "sex", "colour", "op_years", "operator", "Operator successes last year: 5 cases contradicts")
    assert line.count(";") >= 7


def test_out_of_range_and_wrong_source_alone():
    refused(score({"length_mm": 0}), "length_mm must be 1 to 600 mm")
    refused(score({"bend_angle_deg": 181}), "bend_angle_deg")
    refused(score({"age": {"value": 70, "source": "ct"}}), "age takes no source")
    refused(score({"operator": {"years": 5, "source": "guess"}}), "operator", "guess")
    refused(score({"operator": [1]}), "operator must be an object")
    refused(score({"length_mm": {"source": "ct"}}), "length_mm: no value")


def test_an_absurd_integer_is_refused_in_one_line():
    refused(score(text='{"age": ' + "7" * 5000 + "}"), "age", "5000 digits")
    refused(score(text='{"operator": {"years": -' + "1" * 400 + "}}"), "digits")


def test_deep_nesting_is_refused_in_one_line():
    refused(score(text="[" * 100_000 + "]" * 100_000), "nested")
    refused(score(text='{"age": ' + "[" * 50 + "]" * 50 + "}"), "nested")


def test_a_duplicated_key_is_refused_not_silently_overwritten():
    refused(score(text='{"age": 72, "age": 80}'), "age", "twice")
    refused(score(text='{"length_mm": {"value": 20, "value": 30}}'), "value", "twice")


def test_non_numbers_json_allows_are_refused():
    refused(score(text='{"age": NaN}'), "NaN")
    refused(score(text='{"length_mm": Infinity}'), "Infinity")


# -- issue 12: numbers, the table, misspellings, contradictions, numeric choices -------------

def test_totals_are_json_numbers_half_points_included():
    res = score(LESION_1)
    assert res.returncode == 0, res.stderr
    assert '"total": 6.5' in res.stdout and '"total": "6.5"' not in res.stdout  # CL, §7: 6.5
    _, scores = ok(LESION_1)
    assert type(scores["cl"]["total"]) is float and type(scores["jcto"]["total"]) is int
    assert scores["jcto"]["categories"][0]["from"] == 3 and scores["jcto"]["categories"][0]["to"] is None
    assert scores["operator_cto"]["reachable"] == [-1]


def test_without_json_a_readable_table_with_every_rate_in_words():
    res = subprocess.run([BEDSIDE, "score", "-"], input=json.dumps(LESION_1), capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    lines = res.stdout.splitlines()
    row = [line for line in lines if line.startswith("J-CTO ")][0]
    # §1: 4 points, very difficult (≥3), 10.0 % crossing within 30 minutes in the derivation set
    assert row.split()[:2] == ["J-CTO", "4"]
    assert row.endswith("very difficult: 10.0 % crossed within 30 min (derivation set)")
    assert [line for line in lines if line.startswith("J-BTK ")][0].split(None, 2)[1:] == [
        "-", "does not apply: for below-the-knee CTOs; target vessel: circumflex"]
    assert any("computed for the planned strategy" in line for line in lines)  # 3a and 3b: ADR planned
    assert "CL                      6.5     very difficult (unverified)" in res.stdout
    assert "(unverified): not confirmed by the clinical reference" in res.stdout
    assert "lad" not in res.stdout.lower().split() and "blunt_stump" not in res.stdout  # words, never ids


def test_a_score_not_for_the_vessel_has_no_total_and_no_rate_only_why():
    _, scores = ok(LESION_3)
    for sid in IDS[:-1]:
        s = scores[sid]
        assert (s["state"], s["total"], s["min"], s["max"], s["categories"]) == ("not_applicable", None, None, None,
                                                                                  []), sid
        assert s["why_not"] == "for coronary CTOs; target vessel: anterior tibial", sid
    _, scores = ok({"vessel": "rca"})
    assert scores["jbtk"]["why_not"] == "for below-the-knee CTOs; target vessel: RCA"
    assert scores["jbtk"]["categories"] == [] and scores["jbtk"]["grade"] is None


def test_what_a_category_needs_is_said_in_words():
    _, scores = ok({"vessel": "rca", "blunt_stump": "yes", "retry": "no", "calcification": "none"})
    j = scores["jcto"]
    assert j["state"] == "needs" and j["needs"] == ["Largest bend or Bending >45°", "Occlusion length"]
    assert scores["progress"]["state"] == "no_categories" and scores["recharge"]["state"] == "no_categories"
    # CL 1.5 (§7): between the published bands 0–1 and 2–3
    _, scores = ok({"vessel": "lad", "prior_cabg": "yes", "prior_mi": "no", "calcification": "none",
                    "length_mm": 10, "blunt_stump": "no"})
    assert scores["cl"]["total"] == 1.5 and scores["cl"]["state"] == "between" and scores["cl"]["categories"] == []


def test_a_misspelt_key_is_refused_with_the_keys_there_are():
    line = refused(score({"operator": {"anual_volume": 80, "years": 10}}), "operator", "'anual_volume'",
                   "annual_volume, years, last_year_cases, last_year_successes, source")
    assert "not known" in line
    line = refused(score({"anual_volume": 80, "agee": 70}), "'agee'", "'anual_volume'", "are not known")
    assert "age, sex, vessel, length_mm" in line and "operator" in line
    refused(score({"length_mm": {"value": 25, "sorce": "ct"}}), "length_mm", "'sorce'", "value, source")


def test_contradicting_answers_are_refused_naming_both():
    line = refused(score({"prior_cabg": "no", "prior_cabg_target": "yes"}))
    assert "CABG of the target vessel: yes contradicts Previous CABG: no" in line
    line = refused(score({"bending_45": "yes", "bend_angle_deg": 30}))
    assert "Bending >45°: yes contradicts Largest bend: 30°" in line
    refused(score({"bending_45": "no", "bend_angle_deg": 50}), "Bending >45°: no", "Largest bend: 50°")
    refused(score({"calcification": {"value": "none", "source": "ct"}, "ct_calcium": {"value": "central",
                                                                                      "source": "ct"}}),
            "Calcification: none", "CT calcium pattern: central (full moon)")
    # angiography and CT may differ: both are kept, and shown side by side (never resolved into one)
    _, scores = ok({"calcification": {"value": "none", "source": "angio"},
                    "ct_calcium": {"value": "central", "source": "ct"}})
    calc = [b for b in scores["jcto"]["basis"] if b["var"] == "calcification"][0]
    assert calc["answers"] == [["calcification", "none"]] and calc["beside"] == [["ct_calcium", "central"]]
    # at exactly 45° "bending >45°: no" agrees with the measured angle
    ok({"bending_45": "no", "bend_angle_deg": 45})


def test_a_numeric_choice_may_be_given_as_its_number():
    report, scores = ok({"rentrop": 2})
    assert report["findings"]["rentrop"] == {"value": "2", "source": None}
    report, _ = ok({"rentrop": {"value": 1, "source": None}})
    assert report["findings"]["rentrop"]["value"] == "1"
    refused(score({"rentrop": 5}), "rentrop must be one of 0, 1, 2, 3")
    refused(score({"rentrop": True}), "rentrop")
    refused(score({"calcification": 2}), "calcification must be one of")
