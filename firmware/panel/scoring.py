# panel/scoring.py — one small function computes every score from the findings.
#
# Scores are data (panel/content/scores/, one module per score). A variable's predicate is read with
# three-valued logic: True, False, or None when the findings that decide it are
# unknown. Unknown is never "no": an undecided variable widens the total into a
# range (its points added to the maximum if positive, to the minimum if
# negative) and its findings are listed as missing. Points are integers in half
# points (CL has 1.5-point items), so there are no floats anywhere.
#
# A result also says what is true of its category in one word ("state"): one category
# ("category"), none published ("no_categories"), a complete total between published
# categories ("between"), findings still needed to decide it ("needs", with what is needed
# in words), or the score is not for this vessel ("not_applicable": no total, no rate, and
# why). panel/scoretext.py turns a result into the words every screen shows.

from panel.content.scores import SCORE_IDS, load, release
from panel.findings import answer_of, label_of

TAG_VERIFY = "verify"
# Findings shown beside a variable that reads another: the CT calcium reads beside the calcification a
# score counts (angiography and CT may both be entered and differ; neither is resolved into the other).
BESIDE = (("calcification", ("ct_calcium", "ct_calcium_csa50")),)


def truth(pred, findings):
    """Evaluate a predicate: (True | False | None, finding ids that decided it or are missing)."""
    op = pred[0]
    if op == "any" or op == "first":
        unknown = []
        seen = []
        for sub in pred[1:]:
            val, fids = truth(sub, findings)
            if val is True and op == "any":
                return True, fids
            if val is not None and op == "first":
                return val, fids
            if val is None:
                unknown.extend(fids)
            else:
                seen.extend(fids)
        if unknown:
            return None, unknown
        return False, seen
    if op == "pct_ge":  # successes / cases >= pct %, in integers; no cases last year is "no"
        num, den, pct = pred[1], pred[2], pred[3]
        n = findings.get(num)
        d = findings.get(den)
        missing = [f for f, v in ((num, n), (den, d)) if v is None]
        if missing:
            return None, missing
        return (d > 0 and n * 100 >= pct * d), [num, den]
    fid = pred[1]
    v = findings.get(fid)
    if v is None:
        return None, [fid]
    if op == "yes":
        return v == "yes", [fid]
    if op == "no":
        return v == "no", [fid]
    if op == "in":
        if len(pred) > 3 and v in pred[3]:  # an answer this score cannot grade (e.g. tortuosity not seen)
            return None, [fid]
        return v in pred[2], [fid]
    if op == "notin":
        return v not in pred[2], [fid]
    if op == "gt":
        return v > pred[2], [fid]
    if op == "ge":
        return v >= pred[2], [fid]
    if op == "lt":
        return v < pred[2], [fid]
    raise ValueError("unknown predicate %r" % (op,))


def half(p2):
    """Half points as text: 3 -> '1.5', -3 -> '-1.5', 4 -> '2'."""
    sign = "-" if p2 < 0 else ""
    a = -p2 if p2 < 0 else p2
    return "%s%d%s" % (sign, a // 2, ".5" if a % 2 else "")


def percent(v10):
    """A rate in tenths of a percent as text: 877 -> '87.7 %'."""
    return "%d.%d %%" % (v10 // 10, v10 % 10)


def _unique(items):
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def _category(cat, words=None):
    """A category of the content as data; each rate with its endpoint `words` and its cohort."""
    lo2, hi2, label, rates, tag = cat
    out = {
        "label": label,
        "from": half(lo2),
        "to": None if hi2 is None else half(hi2),
        "from2": lo2,
        "to2": hi2,
        "tag": tag,
        "unverified": tag == TAG_VERIFY,
        "rates": [],
    }
    for v10, cohort, rtag in rates:
        out["rates"].append({"value10": v10, "text": percent(v10), "endpoint": words, "cohort": cohort,
                             "tag": rtag, "unverified": rtag == TAG_VERIFY})
    return out


def _achievable(fixed2, open_points):
    """Every total the score can still reach: `fixed2` plus any subset of the undecided points."""
    totals = [fixed2]
    for p2 in open_points:
        for t in list(totals):
            if t + p2 not in totals:
                totals.append(t + p2)
    totals.sort()
    return totals


def _in(cat, t):
    return cat[0] <= t and (cat[1] is None or t <= cat[1])


def _categories_of(cats, totals):
    """Categories holding at least one reachable total, and reachable totals no category holds."""
    hit = [c for c in cats if any(_in(c, t) for t in totals)]
    gaps = [half(t) for t in totals if cats and not any(_in(c, t) for c in cats)]
    return hit, gaps


def _needs(pred, fids):
    """What an undecided variable needs, in words: "Largest bend or Bending >45°"."""
    labels = _unique([label_of(f) for f in fids])
    return (" and " if pred[0] == "pct_ge" else " or ").join(labels)


def _strategy(kinds):
    """The strategy a score is computed for, from how each strategy variable was decided."""
    if not kinds:
        return None
    if "planned" in kinds:
        basis = "planned and used" if "used" in kinds else "planned"
    elif "used" in kinds:
        basis = "used"
    else:
        return "not entered"
    return basis + (", partly not entered" if "unknown" in kinds else "")


def _notes(score, basis):
    """The score's notes (text, tag, unverified, the variable ids a note is about)."""
    if not basis:
        return []
    out = []
    for n in score.get("notes", ()):
        out.append({"text": n[0], "tag": n[1], "unverified": n[1] == TAG_VERIFY,
                    "about": list(n[2]) if len(n) > 2 else []})
    return out


def evaluate(score, findings, basis=True):
    """Compute one score from `findings`: total or range, categories, rates and the full basis.

    basis=False leaves out the per-variable basis and the notes (the scores
    overview needs neither; the panel builds one basis when its screen opens).
    """
    applies, _ = truth(score["applies"], findings) if "applies" in score else (True, [])
    result = {
        "id": score["id"],
        "name": score["name"],
        "short": score.get("short", score["name"]),
        "citation": score["citation"],
        "endpoint": score["endpoint"],
        "rate_words": score.get("rate_words"),
        "tag": score["tag"],
        "applicable": applies,
        "why_not": None,
        "notes": _notes(score, basis),
    }
    if applies is False:
        return _not_applicable(score, findings, result)
    if "succ" in score and basis:  # observed success set against a published rate: both definitions
        from panel.content.outcomes import TECH_SUCCESS, success_definition

        result["success_published"] = list(success_definition(score["succ"]))
        result["success_recorded"] = TECH_SUCCESS
    if score["kind"] == "grade":
        return _grade(score, findings, result, basis)
    lo2 = hi2 = 0
    fixed2 = 0
    open_points = []
    entries = []
    missing = []
    needs = []
    planned = []
    kinds = []  # how each strategy variable was decided: "planned", "used", "unknown"
    unverified_vars = []
    sources = getattr(findings, "sources", None) or {}
    for vid, label, p2, pred, tag, note in score["vars"]:
        val, fids = truth(pred, findings)
        if tag == TAG_VERIFY:
            unverified_vars.append(label)
        entry = {
            "var": vid, "label": label, "points": half(p2), "points2": p2, "findings": fids,
            "answers": [[f, findings.get(f)] for f in fids], "tag": tag, "unverified": tag == TAG_VERIFY,
            "note": note, "sources": [[f, sources[f]] for f in fids if f in sources],
            "caveats": [n["text"] for n in result["notes"] if vid in n["about"] and n["unverified"]],
            "beside": [],
        }
        for fid, shown in BESIDE:
            if fid in fids:
                for f in shown:
                    if findings.get(f) is not None:
                        entry["beside"].append([f, findings.get(f)])
        strategic = [f for f in fids if f.endswith("_planned") or f.endswith("_used")]
        if val is None:
            entry["answer"] = "unknown"
            entry["scored"] = None
            open_points.append(p2)
            if p2 > 0:
                hi2 += p2
            else:
                lo2 += p2
            missing.extend(fids)
            needs.append(_needs(pred, fids))
            if strategic:
                kinds.append("unknown")
        else:
            entry["answer"] = "yes" if val else "no"
            entry["scored"] = half(p2) if val else "0"
            if val:
                fixed2 += p2
                lo2 += p2
                hi2 += p2
            for f in strategic:
                if f.endswith("_planned"):
                    planned.append(vid)
                kinds.append("planned" if f.endswith("_planned") else "used")
        if basis:
            entries.append(entry)
    totals = _achievable(fixed2, open_points)
    cats, gaps = _categories_of(score["cats"], totals)
    if not score["cats"]:
        state = "no_categories"
    elif len(cats) == 1 and not gaps:
        state = "category"
    elif not missing:
        state = "between"  # a complete total no published category holds (CL 1.5)
    else:
        state = "needs"
    result.update({
        "complete": not missing,
        "total": half(lo2) if lo2 == hi2 else None,
        "min": half(lo2), "max": half(hi2), "min2": lo2, "max2": hi2,
        "reachable": [half(t) for t in totals],
        "missing": sorted(_unique(missing)),
        "needs": _unique(needs),
        "state": state,
        "categories": [_category(c, score.get("rate_words")) for c in cats],
        "uncategorised": gaps,
        "basis": entries,
        "planned_strategy": planned,
        "strategy": _strategy(kinds),
    })
    result["unverified"] = _unverified(result, unverified_vars, score)
    return result


def _not_applicable(score, findings, result):
    # Not for this vessel: no total, no category, no rate; only why.
    vessel = findings.get("vessel")
    result["why_not"] = "for %s; target vessel: %s" % (score.get("applies_to", "other vessels"),
                                                        answer_of("vessel", vessel))
    result.update({
        "complete": True, "total": None, "min": None, "max": None, "min2": None, "max2": None,
        "reachable": [], "missing": [], "needs": [], "state": "not_applicable", "categories": [],
        "uncategorised": [], "basis": [], "planned_strategy": [], "strategy": None, "unverified": [],
    })
    if score["kind"] == "grade":
        result["grade"] = None
        result["collected"] = []
    return result


def _grade(score, findings, result, basis):
    # A grade chosen by the operator (J-BTK): the category is the answer itself.
    fid = score["grade_finding"]
    grade = findings.get(fid)
    cats = [c for c in score["cats"] if grade is None or c[2] == grade]
    result.update({
        "complete": grade is not None,
        "total": None, "min": None, "max": None, "min2": None, "max2": None,
        "grade": grade,
        "missing": [] if grade is not None else [fid],
        "needs": [] if grade is not None else [label_of(fid)],
        "state": "category" if grade is not None else "needs",
        "categories": [_category(c, score.get("rate_words")) for c in cats] if grade is not None else [],
        "uncategorised": [],
        "basis": [{"var": fid, "label": "grade chosen by the operator", "answer": grade or "unknown",
                   "findings": [fid], "answers": [[fid, grade]], "tag": score["tag"],
                   "unverified": False, "note": None, "points": None, "points2": None, "scored": None,
                   "sources": [], "caveats": []}]
        if basis else [],
        "collected": [[f, findings.get(f)] for f in score["collected"]] if basis else [],
        "planned_strategy": [],
        "strategy": None,
    })
    result["unverified"] = _unverified(result, [], score)
    return result


def _unverified(result, unverified_vars, score):
    """Plain-language list of everything in this result that SCORES.md tags [verify] (each item by its words)."""
    out = []
    if result["tag"] == TAG_VERIFY:
        out.append("the score as a whole")
    for label in unverified_vars:
        out.append("variable " + label)
    for c in result["categories"]:
        if c["unverified"]:
            out.append("category " + c["label"])
        for r in c["rates"]:
            if r["unverified"]:
                out.append("rate for " + c["label"])
    for n in score.get("notes", ()):
        if n[1] == TAG_VERIFY:
            out.append("note: " + n[0])
    return out


def evaluate_all(findings, basis=True):
    """Every score of the content, in content order (basis=False: the overview).

    Each score's table is loaded for its turn and released after it: on the panel at
    most one table is in RAM at a time.
    """
    out = []
    for sid in SCORE_IDS:
        out.append(evaluate(load(sid), findings, basis))
        release(sid)
    return out


def evaluate_one(sid, findings, basis=True):
    """One score by id (a basis screen), its table released after."""
    result = evaluate(load(sid), findings, basis)
    release(sid)
    return result
