# tests/scenarios/full_case.py — one complete scripted case, the firmware heap budget's scenario.
#
# What a long CTO case does to the panel's memory: open a case, enter every
# finding and the operator profile, compute every score for the overview and open
# each score's basis in turn, run
# the largest checklist (heavily calcified CTO, D) along its first path with every
# device tried logged, notes, deferred items and two resets, logging further tries
# until the checklist has taken 200 events, close it with outcomes, then rebuild the whole case from
# its events as after a reboot and compute every score again.
# Runs under MicroPython (tests/test_heap.py, make bench) and CPython alike:
#   MICROPYPATH=build/mpy micropython -X heapsize=128wK tests/scenarios/full_case.py
# Prints "OK events=<n> checklist_events=<n>" on success; a MemoryError ends it with status 1.

import gc

from panel.case import Case
from panel.content.scores import SCORE_IDS
from panel.scoring import evaluate_all, evaluate_one

CHECKLIST = "calcified"
CHECKLIST_EVENTS = 200
MAX_RESETS = 2
# The hard way through D: impenetrable cap, escalation, device-uncrossable, an
# under-expanded balloon; any other decision takes its first option.
ROUTE = {"cap": "no", "cap_options": "yes", "track": "yes", "device": "no", "uncrossable": "yes",
         "expanded": "no"}

FINDINGS = (
    ("age", 72), ("sex", "female"), ("vessel", "rca"), ("length_mm", 34), ("ostial", "no"),
    ("in_stent", "no"), ("retry", "yes"), ("calcification", "severe"), ("blunt_stump", "yes"),
    ("stump_visible", "yes"), ("cap_ambiguity", "yes"), ("bending_45", "yes"), ("bend_angle_deg", 60),
    ("tortuosity", "moderate"), ("curvature", "no"), ("interventional_collaterals", "yes"), ("rentrop", "2"),
    ("werner", "cc1"), ("distal_disease", "no"), ("prior_cabg", "no"), ("prior_cabg_target", "no"),
    ("prior_mi", "yes"), ("retrograde_planned", "no"), ("adr_planned", "yes"), ("ct_calcium", "central"),
    ("ct_calcium_csa50", "yes"),
)
PROFILE = {"annual_volume": 70, "years": 8, "last_year_cases": 64, "last_year_successes": 58}


def first_value(m):
    """A valid value for a measure: the first pick, or the low end of its range."""
    return m[2][0][0] if len(m) == 4 else m[3]


def is_multi(m):
    return len(m) == 4 and m[3] == 1


def step(case, t):
    """Take the next step along the first path; return the number of events recorded.

    At a "log each tried" measure every option but "other" is logged as tried, in order.
    """
    run = case.state.active
    legal = run.legal()
    for kind, iid, opt in legal:
        if kind not in ("decide", "confirm", "skip"):
            continue
        if kind == "decide" and opt != ROUTE.get(iid, opt):
            continue
        n = 0
        for m in run.item(iid).get("m", ()):
            picks = [p[0] for p in m[2] if p[0] != "other"] if is_multi(m) else [first_value(m)]
            for val in picks:
                case.record("measure", t, {"item": iid, "m": m[0], "val": val})
                n += 1
        if kind == "decide":
            case.record("decide", t, {"item": iid, "opt": opt})
        elif kind == "confirm":
            case.record("confirm", t, {"item": iid})
        else:
            case.record("skip", t, {"item": iid, "why": "not_needed"})
        return n + 1
    raise AssertionError("no way forward at %s: %r" % (run.cur, legal))


def log_another_try(case, t, k):
    """Log one more device tried at the first done "log each tried" step (tries repeat in long cases)."""
    run = case.state.active
    for it in run.items:
        for m in it.get("m", ()):
            if is_multi(m) and run.status(it["id"]) == "done":
                picks = [p[0] for p in m[2] if p[0] != "other"]
                case.record("measure", t, {"item": it["id"], "m": m[0], "val": picks[k % len(picks)]})
                return 1
    raise AssertionError("no done 'log each tried' step to log on")


def record_case():
    """Everything the operator does in the case; returns the log of recorded events."""
    t = 0
    case = Case.open("c-heap-0001", t)
    for fid, value in FINDINGS:
        t += 1500
        case.record("finding", t, {"f": fid, "v": value, "src": "ct" if fid.startswith("ct_") else None})
    case.record("profile", t, {"p": PROFILE, "src": "host"})
    overview = evaluate_all(case.state.findings, False)  # the scores screen: totals, categories, rates
    for sid in SCORE_IDS:  # each basis screen in turn: one full result, one score table, at a time
        basis = evaluate_one(sid, case.state.findings)
        case.record("score_viewed", t, {"score": basis["id"]})
        basis = None
    overview = None  # the scores screen is left for the checklist
    case.record("cl_start", t, {"cl": CHECKLIST})
    n = 0
    attempts = 0
    while n < CHECKLIST_EVENTS:
        run = case.state.active
        t += 20000
        if run.end is not None and attempts < MAX_RESETS:
            case.record("reset", t, {"why": "retry"})  # strategy retried from step 1
            attempts += 1
            n += 1
        elif run.end is not None:
            n += log_another_try(case, t, n)
        elif n % 5 == 3:
            case.record("note", t, {"text": "step note %d: position checked in two views" % n})
            n += 1
        elif n % 11 == 5 and ("defer", run.cur, None) in run.legal():
            case.record("defer", t, {"item": run.cur})
            n += 1
        else:
            n += step(case, t)
        n += len(case.tick(t))
    case.record("outcome", t, {"o": "technical_success", "v": "yes"})
    case.record("outcome", t, {"o": "contrast_ml", "v": 310})
    case.record("close", t)
    return case.log, n, attempts


def reboot(log):
    """After a reboot: the state rebuilt from the recorded events, every score computed again."""
    again = Case.resume(log)
    scores = evaluate_all(again.state.findings, False)
    assert len(scores) == len(SCORE_IDS) and scores[0]["complete"]
    return len(again.log)


def main():
    log, n, attempts = record_case()
    gc.collect()  # the live case is gone; only its recorded events remain
    events = reboot(log)
    print("OK events=%d checklist_events=%d resets=%d" % (events, n, attempts))


main()
