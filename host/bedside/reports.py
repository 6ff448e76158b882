"""What this lab's synced cases say: each score against its own endpoint, and time, fluoroscopy and contrast by technique.

Numbers, and what they mean:
- Technical success is the panel's outcome as entered, else the checklist's own
  technical-success decision (bedside.casefile.TECH_ENDS); a case with neither is
  "unknown outcome" and is left out of every rate and AUC (counted as such).
- Per score and category: cases whose score places them in that category with certainty
  (a complete total, or a range whose every reachable total lies in the category), and,
  where the host holds the score's own published endpoint per case (ENDPOINTS: technical
  success, technical failure, in-hospital MACE), how many of them had it and the observed
  rate — next to the published rate, like with like, with [verify] items marked
  unverified. Where that endpoint is technical success (or failure), both sides name
  their definition: the panel's (TIMI 3 antegrade flow and residual stenosis <30 %), and
  the paper's (the operator-CTO paper adds no related complications; the other papers'
  are not given in the clinical reference, and the report says so). A score whose endpoint is not recorded per case (crossing within 30 minutes,
  a major periprocedural complication, guidewire crossing) gets its case counts only,
  never a rate of another endpoint; a case whose endpoint is unknown is left out of its rate.
- AUC: how well the score separates technical failures from successes here: the
  probability that a failed case scores higher than a successful one, ties counting 1/2
  (Mann–Whitney U / (n_failures * n_successes)), from midranks. 0.5 is no better than
  chance. Cases whose score is a range (findings missing) are excluded for that score and
  counted, never scored as 0; so are cases the score does not apply to (e.g. a coronary
  score on a below-the-knee case). J-BTK grades count as A < B < C < D.
- Procedure time, fluoroscopy time and contrast by technique: n, median and IQR
  (quartiles by linear interpolation, R type 7 / numpy's default) of the cases with a value;
  a case that ran two techniques counts under both. Each figure is the case's first
  source of: panel outcome, nurse entries, checklist record, panel clock (procedure).

Public API: build(cases) -> dict; report(store) -> dict; auc(failures, successes);
quartiles(values); render_text(report) -> str.
"""

from __future__ import annotations

import json
import statistics

from sqlalchemy import select

from bedside.eventtext import checklist_title
from panel.content.outcomes import TECH_SUCCESS, success_definition
from panel.content.scores import SCORE_IDS, load
from panel.scoretext import UNVERIFIED, mark, rate_text
from panel.scoring import _category

GRADE_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}
# Score id -> its published endpoint as the host holds it per case (bedside.store.summaries): the outcome the
# observed rate counts. CL's published rate is of first attempts; the host does not tell a first attempt apart.
ENDPOINTS = {"progress": "technical success", "operator_cto": "technical success", "cl": "technical success",
             "castle": "technical failure", "ora": "technical failure", "progress_mace": "in-hospital MACE"}
ENDPOINT_NOTES = {"cl": "the published rate is of first attempts; re-attempts are not told apart here"}
FIGURES = (("procedure_s", "procedure time", "min", 60), ("fluoro_s", "fluoroscopy time", "min", 60),
           ("contrast_ml", "contrast", "ml", 1))


def auc(failures: list[float], successes: list[float]) -> float | None:
    """P(a failure scores higher than a success) + 1/2 P(tie); None if either group is empty."""
    nf, ns = len(failures), len(successes)
    if not nf or not ns:
        return None
    pooled = sorted([(v, 1) for v in failures] + [(v, 0) for v in successes])
    rank_sum_f = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j < len(pooled) and pooled[j][0] == pooled[i][0]:
            j += 1
        midrank = (i + 1 + j) / 2  # ranks i+1 .. j share their mean
        rank_sum_f += midrank * sum(1 for k in range(i, j) if pooled[k][1])
        i = j
    return (rank_sum_f - nf * (nf + 1) / 2) / (nf * ns)


def quartiles(values: list[float]) -> dict | None:
    """{"n", "median", "q1", "q3"} (linear interpolation, R type 7), or None with no values."""
    if not values:
        return None
    if len(values) == 1:
        return {"n": 1, "median": values[0], "q1": values[0], "q3": values[0]}
    q1, med, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"n": len(values), "median": med, "q1": q1, "q3": q3}


def _pct(k: int, n: int) -> float | None:
    return None if n == 0 else round(100 * k / n, 1)


def _score_value(d: dict) -> float | None:
    if d.get("grade") is not None:
        return GRADE_ORDER.get(d["grade"])
    if d.get("lo") is None or d["lo"] != d["hi"]:
        return None
    return d["lo"]


def _had(endpoint: str | None, c: dict) -> bool | None:
    """Whether case c had `endpoint` (ENDPOINTS' values); None when unknown or not held."""
    value = c.get("mace") if endpoint == "in-hospital MACE" else c["tech"]
    if endpoint is None or value not in ("yes", "no"):
        return None
    return value == ("no" if endpoint == "technical failure" else "yes")


def _score_section(sid: str, cases: list[dict]) -> dict:
    score = load(sid)
    endpoint = ENDPOINTS.get(sid)
    cats = [_category(c, score.get("rate_words")) for c in score["cats"]]
    counts = {c["label"]: [0, 0] for c in cats}  # label -> [n, cases with the endpoint]
    success = "succ" in score and endpoint in ("technical success", "technical failure")
    out = {"id": sid, "name": score["name"], "endpoint": score["endpoint"], "citation": score["citation"],
           "observed": endpoint, "observed_note": ENDPOINT_NOTES.get(sid),
           "published_definition": ": ".join(success_definition(score["succ"])) if success else None,
           "observed_definition": "this panel: " + TECH_SUCCESS if success else None,
           "unverified": score["tag"] == "verify", "not_applicable": 0, "unknown_outcome": 0,
           "unknown_endpoint": 0, "uncategorised": 0, "range": 0}
    fails, wins = [], []
    for c in cases:
        d = c["scores"].get(sid)
        if d is None or d.get("applicable") is False:
            out["not_applicable"] += 1
            continue
        cat = d.get("category")
        had = _had(endpoint, c)
        if cat not in counts:
            out["uncategorised"] += 1
        elif endpoint is None:
            counts[cat][0] += 1
        elif had is None:
            out["unknown_endpoint"] += 1
        else:
            counts[cat][0] += 1
            counts[cat][1] += had
        if c["tech"] not in ("yes", "no"):
            out["unknown_outcome"] += 1
            continue
        v = _score_value(d)
        if v is None:
            out["range"] += 1
        else:
            (wins if c["tech"] == "yes" else fails).append(v)
    out["categories"] = [{
        "label": c["label"], "from": c["from"], "to": c["to"], "n": counts[c["label"]][0],
        "events": counts[c["label"]][1] if endpoint else None,
        "observed_pct": _pct(counts[c["label"]][1], counts[c["label"]][0]) if endpoint else None,
        "published": [{"text": r["text"], "cohort": r["cohort"], "unverified": r["unverified"], "words": rate_text(r)}
                      for r in c["rates"]],
        "unverified": c["unverified"] or any(r["unverified"] for r in c["rates"]),
    } for c in cats]
    out["auc"] = {"value": auc(fails, wins), "failures": len(fails), "successes": len(wins),
                  "excluded_range": out["range"], "excluded_not_applicable": out["not_applicable"],
                  "excluded_unknown_outcome": out["unknown_outcome"]}
    return out


def build(cases: list[dict]) -> dict:
    """The report of `cases`: dicts with tech and mace ("yes"/"no"/None), scores (score_digest), techniques
    (checklist ids), procedure_s, fluoro_s, contrast_ml (None where unknown)."""
    known = [c for c in cases if c["tech"] in ("yes", "no")]
    wins = sum(1 for c in known if c["tech"] == "yes")
    techs = sorted({t for c in cases for t in c["techniques"]})
    by_tech = []
    for t in [None] + techs:
        group = cases if t is None else [c for c in cases if t in c["techniques"]]
        row = {"technique": t or "all cases", "title": checklist_title(t) if t else "All cases", "cases": len(group)}
        for key, _label, _unit, _scale in FIGURES:
            row[key] = quartiles([c[key] for c in group if c.get(key) is not None])
        by_tech.append(row)
    return {
        "cases": len(cases), "known_outcome": len(known), "unknown_outcome": len(cases) - len(known),
        "technical_successes": wins, "technical_success_pct": _pct(wins, len(known)),
        "technical_success_definition": TECH_SUCCESS,
        "scores": [_score_section(sid, cases) for sid in SCORE_IDS],
        "by_technique": by_tech,
    }


def report(store) -> dict:
    """The report of every case in `store` (summary rows brought up to date first)."""
    from bedside.store.summaries import SUMMARIES, refresh_stale

    refresh_stale(store)
    s = SUMMARIES.c
    q = select(s.technical_success, s.scores, s.techniques, s.procedure_s, s.fluoro_s, s.contrast_ml,
               s.in_hospital_mace)
    with store._tx(write=False) as conn:
        cases = [{"tech": r[0], "scores": json.loads(r[1]), "techniques": [t for t in r[2].split(", ") if t],
                  "procedure_s": r[3], "fluoro_s": r[4], "contrast_ml": r[5], "mace": r[6]}
                 for r in conn.execute(q)]
    return build(cases)


def _num(v, scale=1) -> str:
    if v is None:
        return "-"
    v = v / scale
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 or abs(v) >= 100 else f"{v:.1f}"


def render_text(rep: dict) -> str:
    """The report as plain text (what `bedside report` prints)."""
    out = [f"Cases: {rep['cases']}; outcome known: {rep['known_outcome']}; technical success "
           f"{rep['technical_successes']}/{rep['known_outcome']} ({_num(rep['technical_success_pct'])} %) — "
           f"technical success here: {rep['technical_success_definition']} (as recorded at the panel)", ""]
    out.append("Scores: by category, the observed rate of the score's own published endpoint next to the published "
               "rate")
    out.append(f"({UNVERIFIED}: not confirmed by the clinical reference; not established fact)")
    for s in rep["scores"]:
        a = s["auc"]
        auc_text = "-" if a["value"] is None else f"{a['value']:.3f}"
        out.append("")
        out.append(f"{mark(s['name'], s['unverified'])} — published endpoint: {s['endpoint'] or 'none given'}")
        if s["observed"] is None:
            out.append("  observed here: not compared (this endpoint is not recorded per case); cases by category")
        else:
            out.append(f"  observed here: {s['observed']}" + (f" ({s['observed_note']})" if s["observed_note"] else "")
                       + (f"; {s['unknown_endpoint']} case(s) with it unknown left out" if s["unknown_endpoint"] else ""))
        if s["published_definition"]:  # which technical success each side of the comparison means
            out.append(f"  technical success, observed here: {s['observed_definition']}")
            out.append(f"  technical success, published rates: {s['published_definition']}")
        for c in s["categories"]:
            pub = "; ".join(r["words"] for r in c["published"])
            label = f"  {mark(c['label'], c['unverified']):<22} n={c['n']:<5}"
            if s["observed"] is not None:
                obs = "-" if c["observed_pct"] is None else f"{c['observed_pct']:.1f} %"
                label += f" {s['observed']} {c['events']}/{c['n']} = {obs:<8}"
            out.append(f"{label} published: {pub or 'none given'}")
        out.append(f"  AUC for technical failure: {auc_text} ({a['failures']} failures, {a['successes']} successes; "
                   f"excluded: {a['excluded_range']} with a range, {a['excluded_not_applicable']} not applicable, "
                   f"{a['excluded_unknown_outcome']} unknown outcome)")
    out.append("")
    out.append("By technique: n, median [IQR] (a case that ran two techniques counts under both)")
    for t in rep["by_technique"]:
        parts = []
        for key, label, unit, scale in FIGURES:
            q = t[key]
            parts.append(f"{label} -" if q is None else
                         f"{label} n={q['n']} {_num(q['median'], scale)} [{_num(q['q1'], scale)}–"
                         f"{_num(q['q3'], scale)}] {unit}")
        out.append(f"  {t['title']} ({t['cases']} cases): " + "; ".join(parts))
    return "\n".join(out) + "\n"
