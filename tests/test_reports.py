"""bedside.reports: AUC, quartiles, each score's own endpoint by category, figures by technique, the text form.

Every expected number below is computed by hand in the comments; published rates are read
from the panel's content (never retyped). AUC is also checked against the plain pairwise
definition on random data (hypothesis). report(store) runs on SQLite and PostgreSQL.
Run alone: .venv/bin/pytest tests/test_reports.py
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.reports import auc, build, quartiles, render_text, report
from dbs import ingest_whih
from panel.content.scores import load
from panel.scoring import _category


def test_auc_on_a_small_known_set():
    # failures [3, 5, 5], successes [1, 3, 5, 2]; each (failure, success) pair scores
    # 1 if the failure is higher, 1/2 on a tie, 0 if lower:
    #   f=3: vs 1 -> 1, vs 3 -> 0.5, vs 5 -> 0, vs 2 -> 1   = 2.5
    #   f=5: vs 1 -> 1, vs 3 -> 1,   vs 5 -> 0.5, vs 2 -> 1 = 3.5  (twice)
    # AUC = (2.5 + 3.5 + 3.5) / (3 * 4) = 9.5 / 12
    assert auc([3, 5, 5], [1, 3, 5, 2]) == pytest.approx(9.5 / 12)
    assert auc([1, 2], [3, 4]) == 0.0  # every failure scores lower: perfectly wrong
    assert auc([3, 4], [1, 2]) == 1.0
    assert auc([2, 2], [2, 2, 2]) == 0.5  # all tied: chance
    assert auc([], [1]) is None and auc([1], []) is None


@given(st.lists(st.integers(-3, 6), min_size=1, max_size=25), st.lists(st.integers(-3, 6), min_size=1, max_size=25))
def test_auc_equals_the_pairwise_definition(fails, wins):
    pairs = sum(1.0 if f > s else 0.5 if f == s else 0.0 for f in fails for s in wins)
    assert auc(fails, wins) == pytest.approx(pairs / (len(fails) * len(wins)))


def test_quartiles_by_linear_interpolation():
    # [1, 2, 3, 4]: positions (n-1)p = 0.75, 1.5, 2.25 -> 1.75, 2.5, 3.25
    assert quartiles([4, 1, 3, 2]) == {"n": 4, "median": 2.5, "q1": 1.75, "q3": 3.25}
    assert quartiles([5]) == {"n": 1, "median": 5, "q1": 5, "q3": 5}
    assert quartiles([]) is None


def jcto(lo, hi=None, category=None, applicable=True):
    hi = lo if hi is None else hi
    return {"lo": lo, "hi": hi, "category": category, "complete": lo == hi, "grade": None, "applicable": applicable}


def case(tech, j, techniques=(), procedure_s=None, fluoro_s=None, contrast_ml=None):
    return {"tech": tech, "scores": {"jcto": j}, "techniques": list(techniques), "procedure_s": procedure_s,
            "fluoro_s": fluoro_s, "contrast_ml": contrast_ml}


CASES = [
    case("yes", jcto(0, category="easy"), ["whih"], procedure_s=3600),
    case("no", jcto(2, category="intermediate"), ["whih", "nre"], procedure_s=5400, contrast_ml=300),
    case("yes", jcto(2, category="intermediate"), ["whih"], procedure_s=7200),
    case("no", jcto(1, 3), ["nre"]),  # a range over two categories: uncategorised, out of the AUC
    case(None, jcto(4, category="difficult")),  # outcome unknown: out of everything
    case("no", jcto(6, category="very difficult")),
    case("yes", jcto(0, category="easy", applicable=False)),  # J-CTO is not for this vessel
]


def test_score_section_by_hand():
    rep = build(CASES)
    assert (rep["cases"], rep["known_outcome"], rep["technical_successes"]) == (7, 6, 3)
    assert rep["technical_success_pct"] == 50.0
    j = next(s for s in rep["scores"] if s["id"] == "jcto")
    # J-CTO's endpoint (guidewire crossing within 30 minutes) is not recorded per case: cases by category, no
    # rate of another endpoint. easy: case 1; intermediate: cases 2, 3; difficult: case 5 (its outcome unknown
    # does not matter here); very difficult: case 6
    assert j["observed"] is None
    assert [(c["label"], c["n"], c["events"], c["observed_pct"]) for c in j["categories"]] == [
        ("easy", 1, None, None), ("intermediate", 2, None, None), ("difficult", 1, None, None),
        ("very difficult", 1, None, None)]
    content = [_category(c) for c in load("jcto")["cats"]]
    assert [c["published"][0]["text"] for c in j["categories"]] == [c["rates"][0]["text"] for c in content]
    assert (j["uncategorised"], j["range"], j["unknown_outcome"], j["not_applicable"]) == (1, 1, 1, 1)


def castle(total):
    return jcto(total, category="0-1" if total <= 1 else ">=4" if total >= 4 else str(total))


def test_a_score_is_compared_with_its_own_endpoint_technical_failure():
    # CASTLE publishes technical failure: the observed rate counts failures, beside the published failure rate.
    cases = [dict(case(tech, None), scores={"castle": castle(v)}) for tech, v in
             (("yes", 0), ("no", 1), ("yes", 1), ("no", 5), ("no", 4), (None, 4))]
    (c,) = [s for s in build(cases)["scores"] if s["id"] == "castle"]
    assert c["observed"] == "technical failure"
    cats = {x["label"]: x for x in c["categories"]}
    # 0-1: failures 1 of 3 = 33.3 %; >=4: 2 of 2 (the unknown outcome is left out of the rate) = 100 %
    assert (cats["0-1"]["events"], cats["0-1"]["n"], cats["0-1"]["observed_pct"]) == (1, 3, 33.3)
    assert (cats[">=4"]["events"], cats[">=4"]["n"], cats[">=4"]["observed_pct"]) == (2, 2, 100.0)
    assert (cats["2"]["n"], cats["2"]["observed_pct"]) == (0, None)  # no case: no rate, not 0 %
    assert c["unknown_endpoint"] == 1
    published = {x["label"]: x["rates"][0]["text"] for x in map(_category, load("castle")["cats"]) if x["rates"]}
    assert cats["0-1"]["published"][0]["text"] == published["0-1"]


def test_the_mace_score_is_compared_with_in_hospital_mace_not_technical_success():
    # PROGRESS-CTO MACE: two technical successes, one with MACE; a failure without MACE; MACE unknown left out.
    band = {0: "0-1", 2: "2"}
    cases = [dict(case(tech, None), mace=mace, scores={"progress_mace": jcto(v, category=band[v])})
             for tech, mace, v in (("yes", "yes", 0), ("yes", "no", 0), ("no", "no", 0), ("yes", None, 2))]
    (m,) = [s for s in build(cases)["scores"] if s["id"] == "progress_mace"]
    assert m["observed"] == "in-hospital MACE"
    cats = {x["label"]: x for x in m["categories"]}
    assert (cats["0-1"]["events"], cats["0-1"]["n"], cats["0-1"]["observed_pct"]) == (1, 3, 33.3)
    assert (cats["2"]["n"], cats["2"]["observed_pct"], m["unknown_endpoint"]) == (0, None, 1)
    text = render_text(build(cases))
    assert "observed here: in-hospital MACE" in text and "in-hospital MACE 1/3 = 33.3 %" in text


def test_figures_by_technique_by_hand():
    rows = {r["technique"]: r for r in build(CASES)["by_technique"]}
    # whih: procedure 3600, 5400, 7200 s: median 5400; q1 = 3600 + 0.5 * 1800 = 4500; q3 = 6300
    assert rows["whih"]["procedure_s"] == {"n": 3, "median": 5400, "q1": 4500, "q3": 6300}
    # nre: case 2 (5400 s, 300 ml) and case 4 (no figures): n counts cases with a value
    assert rows["nre"]["cases"] == 2 and rows["nre"]["procedure_s"]["n"] == 1
    assert rows["nre"]["contrast_ml"] == {"n": 1, "median": 300, "q1": 300, "q3": 300}
    assert rows["nre"]["fluoro_s"] is None
    assert rows["all cases"]["cases"] == 7 and rows["all cases"]["procedure_s"]["n"] == 3


def test_text_form():
    text = render_text(build(CASES))
    assert "AUC for technical failure: 0.875 (2 failures, 2 successes; excluded: 1 with a range, " \
           "1 not applicable, 1 unknown outcome)" in text
    assert "observed here: not compared (this endpoint is not recorded per case)" in text  # J-CTO
    assert "2 (unverified)" in text  # CASTLE's [verify] category carries the one unverified mark, nothing else does
    assert " *" not in text
    # every published rate with its endpoint in words and its cohort (issue 12 §4)
    assert "published: 35.0 % technical failure (EuroCTO registry)" in text
    assert "99.0 % technical success (144 lesions)" in text
    assert "Wires hand-in-hand (WHIH) (3 cases): procedure time n=3 90 [75–105] min" in text


def test_report_from_a_store(store):
    ingest_whih(store, "panel-1", "c-1", [(1000, "outcome", {"o": "in_hospital_mace", "v": "no"})])
    rep = report(store)
    assert rep["cases"] == 1 and rep["technical_successes"] == 1
    (mace,) = [s for s in rep["scores"] if s["id"] == "progress_mace"]  # MACE reaches the report from the store
    assert mace["unknown_endpoint"] == 0
    assert sum(c["events"] for c in mace["categories"]) == 0
    assert sum(c["n"] for c in mace["categories"]) + mace["uncategorised"] + mace["not_applicable"] == 1
    (whih,) = [r for r in rep["by_technique"] if r["technique"] == "whih"]
    assert whih["contrast_ml"]["median"] == 240 and whih["fluoro_s"]["median"] == 96 * 60


def test_each_side_of_a_success_comparison_names_its_definition_of_technical_success():
    # TECHNIQUES.md: technical success is TIMI 3 antegrade flow and residual stenosis <30 %; the operator-CTO paper
    # adds "and no related complications during the operation": wherever observed success is set against a published
    # rate, say which definition each side uses. The panel records the first; SCORES.md names no definition for the
    # other scores' papers, and the report says so rather than assume one.
    ref = "TIMI 3 antegrade flow and residual stenosis <30 %"
    cases = [dict(case("yes", None), scores={"operator_cto": jcto(2, category="simple"), "castle": castle(0)})]
    rep = build(cases)
    assert rep["technical_success_definition"] == ref
    by = {s["id"]: s for s in rep["scores"]}
    assert by["operator_cto"]["published_definition"] == (
        "operator-CTO paper: " + ref + " and no related complications during the operation")
    for sid in ("operator_cto", "castle", "ora", "progress", "cl"):  # every score set against technical success
        assert by[sid]["observed_definition"] == "this panel: " + ref, sid
    for sid in ("castle", "ora", "progress", "cl"):
        assert by[sid]["published_definition"] == "its paper: as its paper defines it (not given in the clinical" \
            " reference)", sid
    for sid in ("jcto", "progress_compl", "progress_mace", "recharge", "jbtk"):  # no technical success compared
        assert by[sid]["published_definition"] is None and by[sid]["observed_definition"] is None, sid
    text = render_text(rep)
    assert f"technical success 1/1 (100 %) — technical success here: {ref} (as recorded at the panel)" in text
    block = text[text.index("Operator-CTO"):]
    block = block[:block.index("AUC")]
    assert f"  technical success, observed here: this panel: {ref}" in block
    assert f"  technical success, published rates: operator-CTO paper: {ref} and no related complications" \
        " during the operation" in block
