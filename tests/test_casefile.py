"""bedside.casefile: a case's events read into plain data, and a live case followed event by event.

Covers: the scripted WHIH case (bedside.scenarios.whih_case) run through the panel's Case
engine and read back from every form the host meets (decoded dicts, msgpack bytes, sync
rows, Store.events()-like rows): findings, every score exactly as panel.scoring.evaluate_all
gives it for the same findings, per-step durations from the
script's delays (e.g. close_mcs is reached 5 min after tip_in and confirmed 6 min 5 s
later: 365,000 ms), procedure start/end/duration (sum of the script's delays), the
outcome as entered; a general-strategy case with the 30-minute wire-crossing timer, its
alert and its two attempts; a reboot with and without a time anchor (relative vs wall
times); a gap in the events; a bad event; LiveCase with an injected clock.
Numbers come from the scripts' delays in bedside/scenarios.py and this file.
Run alone: .venv/bin/pytest tests/test_casefile.py
"""

import pytest

from bedlink.mpack import pack
from bedside.casefile import CaseFileError, LiveCase, as_event, figures, score_category, score_value, summarize
from bedside.scenarios import MIN, SEC, whih_case
from panel.case import Case
from panel.findings import Findings
from panel.scoring import evaluate_all


def record(script, boot=7, case_id="c-1"):
    """Replay a scenario script through the panel's Case engine; return its events (dicts)."""
    case, t = None, 0
    for delay, kind, fields in script:
        t += delay
        if kind == "new_case":
            case = Case.open(case_id, t, boot=boot)
        elif kind == "tick":
            case.tick(t)
        else:
            case.record(kind, t, fields or None)
    return case.events


def strategy_case():
    """General CTO strategy: antegrade 31 min (the 30-min alert fires), then retrograde crosses in 12 min."""
    return [
        [0, "new_case", {}],
        [10 * SEC, "finding", {"f": "vessel", "v": "lad"}],
        [10 * SEC, "finding", {"f": "length_mm", "v": 15}],
        [10 * SEC, "cl_start", {"cl": "strategy"}],
        [60 * SEC, "confirm", {"item": "angio"}],
        [60 * SEC, "confirm", {"item": "guides"}],
        [30 * SEC, "decide", {"item": "first", "opt": "antegrade"}],  # wire timer starts
        [30 * MIN, "tick", {}],  # exactly 1800 s: due
        [60 * SEC, "decide", {"item": "antegrade", "opt": "no"}],  # arrives at after_antegrade: timer stops
        [20 * SEC, "decide", {"item": "after_antegrade", "opt": "retrograde"}],  # fresh timer
        [12 * MIN, "decide", {"item": "retrograde", "opt": "yes"}],  # tech_ok: timer stops
        [60 * SEC, "decide", {"item": "tech_ok", "opt": "yes"}],
        [30 * SEC, "outcome", {"o": "contrast_ml", "v": 180}],
        [5 * SEC, "outcome", {"o": "in_hospital_mace", "v": "no"}],
        [5 * SEC, "close", {}],
    ]


def total_ms(script):
    return sum(step[0] for step in script)


class Row:
    """A stand-in for store.StoredEvent: what Store.events() returns."""

    def __init__(self, ev, wall_ms=None):
        self.seq, self.kind, self.boot, self.ticks = ev["seq"], ev["k"], ev.get("b", 0), ev["t"]
        self.wall_ms, self.payload = wall_ms, pack(ev)


def test_whih_case_findings_scores_and_outcome():
    events = record(whih_case())
    s = summarize(events)
    assert s["case_id"] == "c-1" and s["closed"] and s["complete"] and s["events"] == len(events)
    assert s["vessel"] == "rca"
    ages = [f for f in s["findings"] if f["id"] == "age"]
    assert ages == [{"id": "age", "label": "Age", "value": 68, "source": None, "unit": "years", "group": "patient"}]
    assert "werner" in s["unanswered"] and "age" not in s["unanswered"]
    # every score, exactly as the panel's engine computes it from the same findings
    findings = Findings({f["id"]: f["value"] for f in s["findings"]})
    assert s["scores"] == evaluate_all(findings)
    jcto = next(x for x in s["scores"] if x["id"] == "jcto")
    assert score_value(jcto) == (float(jcto["total"]),) * 2
    assert score_category(jcto) == jcto["categories"][0]["label"]
    op = next(x for x in s["scores"] if x["id"] == "operator_cto")
    assert op["total"] is None and score_value(op)[0] < score_value(op)[1]  # no operator profile: a range
    assert score_category(op) is None or len(op["categories"]) == 1
    out = s["outcome"]
    assert out["technical_success"] == {"value": "yes", "source": "entered"}
    assert out["procedural_success"]["value"] is None  # MACE not entered: undecided, not "yes"
    assert out["checklist_ends"] == [{"checklist": "whih", "end": "end:technical_success", "label": "Technical success"}]


def test_whih_case_steps_times_and_figures():
    script = whih_case()
    s = summarize(record(script))
    assert s["clock"] == "relative" and s["start"] == {"seq": 1, "rel_ms": 0, "wall_ms": None}
    assert s["duration_ms"] == total_ms(script) - script[0][0]  # from open to close
    (whih,) = s["techniques"]
    assert whih["checklist"] == "whih" and whih["end_id"] == "end:technical_success"
    steps = {st["item"]: st for st in whih["steps"]}
    # in_guide: reached at cl_start, confirmed after 40 + 5 + 5 s
    assert steps["in_guide"]["time_ms"] == 50 * SEC
    assert steps["retro_mc"]["time_ms"] == 3 * MIN + 5 * SEC and steps["retro_mc"]["option"] == "no"
    assert steps["close_mcs"]["time_ms"] == 6 * MIN + 5 * SEC
    assert steps["close_mcs"]["values"] == {"gap": [{"value": 45, "text": None}]}
    assert steps["prep_stent"]["time_ms"] == 25 * MIN
    # step 9's branch not taken (no IVUS-confirmed intraplaque track) shows, skipped and never visited
    assert steps["prep_stent_x"]["status"] == "branch_skipped" and steps["prep_stent_x"]["visits"] == 0
    assert all(st["visits"] == 1 for st in whih["steps"] if st["item"] != "prep_stent_x")
    assert whih["notes"] == [{"item": "hand_in_hand", "text": "tips 4.5 mm apart in two views"}]
    # the sum of step times is the checklist's time from start to its end
    assert sum(st["time_ms"] or 0 for st in whih["steps"]) == whih["ms"]
    pf = s["panel_figures"]
    assert pf["contrast_ml"] == [{"value": 240, "source": "panel outcome"},
                                 {"value": 240, "source": "panel checklist record (whih)"}]
    assert pf["fluoro_s"] == [{"value": 96 * 60, "source": "panel checklist record (whih)"}]
    assert pf["procedure_s"][0] == {"value": 182 * 60, "source": "panel checklist record (whih)"}
    assert pf["procedure_s"][1]["source"] == "panel clock (open to close)"
    fig = figures(s, {"fluoro_s": 5000, "dose_mgy": 900})
    assert fig["contrast_ml"]["value"] == 240 and fig["contrast_ml"]["source"] == "panel outcome"
    assert fig["fluoro_s"]["value"] == 5000 and fig["fluoro_s"]["source"] == "nurse entries"
    assert [a["source"] for a in fig["fluoro_s"]["all"]] == ["nurse entries", "panel checklist record (whih)"]
    assert fig["dose_mgy"] == {"value": 900, "source": "nurse entries", "all": [{"value": 900, "source": "nurse entries"}]}
    assert s["timeline"][0]["text"].startswith("Case opened")
    assert any(r["text"] == "Done: Push both MCs into CTO body" for r in s["timeline"])


def test_every_input_form_gives_the_same_summary():
    events = record(whih_case())
    want = summarize(events)
    assert summarize([pack(e) for e in events]) == want
    assert summarize([(e["seq"], pack(e), e["k"], e["b"], e["t"]) for e in events]) == want
    assert summarize([Row(e) for e in reversed(events)]) == want  # order does not matter
    assert summarize(events + events[:5]) == want  # nor repeats


def test_wire_crossing_timer_alert_and_attempts():
    script = strategy_case()
    s = summarize(record(script))
    assert s["vessel"] == "lad"
    wire = s["timers"]
    assert [(t["timer"], t["limit_s"], t["ms"]) for t in wire] == [("wire", 1800, 31 * MIN), ("wire", 1800, 12 * MIN)]
    assert len(wire[0]["alerts"]) == 1 and wire[1]["alerts"] == []
    assert s["wire_crossing"] == {"attempts": 2, "ms": 43 * MIN, "alerts": 1}
    (alert,) = s["alerts"]
    assert alert["after_ms"] == 30 * MIN and alert["timer"] == "wire"
    assert s["outcome"]["technical_success"] == {"value": "yes", "source": "checklist:strategy"}
    assert s["outcome"]["procedural_success"]["value"] == "yes"  # tech yes, MACE entered no
    steps = {st["item"]: st for st in s["techniques"][0]["steps"]}
    assert steps["antegrade"]["time_ms"] == 31 * MIN
    assert steps["adr"]["status"] == "branch_skipped" and steps["adr"]["time_ms"] is None


def test_reboot_without_anchor_is_relative_then_with_anchor_is_wall():
    # events 1..3 on boot 1, 4..5 on boot 2 (ticks restart); no anchors: boot 2 times are unknown
    a = record([[1000, "new_case", {}], [5000, "finding", {"f": "age", "v": 70}]], boot=1)
    case = Case.replay(a)
    case.boot = 2
    case.record("finding", 200, {"f": "sex", "v": "male"})
    case.record("close", 900)
    evs = case.events
    s = summarize(evs)
    assert s["clock"] == "relative"
    assert [r["rel_ms"] for r in s["timeline"]] == [0, 5000, None, None]
    assert s["duration_ms"] is None  # across a reboot with no wall clock: unknown, not 0
    # with wall times known for every event (anchors on both boots), the span comes from them
    walls = [1_700_000_000_000, 1_700_000_005_000, 1_700_000_060_000, 1_700_000_060_700]
    s2 = summarize([Row(e, w) for e, w in zip(evs, walls)])
    assert s2["clock"] == "wall" and s2["duration_ms"] == 60_700
    s3 = summarize([Row(e, w if e["b"] == 1 else None) for e, w in zip(evs, walls)])
    assert s3["clock"] == "mixed" and s3["end"] == {"seq": 4, "rel_ms": None, "wall_ms": None}


def test_a_gap_stops_the_replay_and_says_where():
    events = record(whih_case())
    s = summarize(events[:10] + events[12:])
    assert s["events"] == 10 and s["missing_from"] == 11 and not s["complete"]


def test_an_event_the_engine_refuses_is_reported_not_raised():
    events = record(whih_case())[:3]
    bad = dict(events[2], f="no_such_finding")
    s = summarize(events[:2] + [bad])
    assert s["replay_error"]["seq"] == 3 and "no_such_finding" in s["replay_error"]["reason"]
    assert s["events"] == 3 and not s["complete"]
    with pytest.raises(CaseFileError):
        as_event({"k": "note"})
    with pytest.raises(CaseFileError):
        as_event(42)


def test_live_case_status_with_an_injected_clock():
    events = record(strategy_case())
    clock = [100.0]
    live = LiveCase(clock=lambda: clock[0])
    assert live.status()["technique"] is None and live.status()["procedure_ms"] is None
    for e in events[:7]:  # up to the decision "antegrade first": the wire timer runs
        live.feed(pack(e))
    st = live.status()
    assert st["technique"]["checklist"] == "strategy" and st["step"]["item"] == "antegrade"
    assert st["step"]["elapsed_ms"] == 0 and st["clock"] == "live"
    assert st["timers"] == [{"timer": "wire", "label": "Wire crossing", "limit_s": 1800, "on": True, "ms": 0,
                             "due": False, "alerted": False}]
    clock[0] += 1800.5  # host time passes: the panel's clock is estimated from the last event
    st = live.status()
    assert st["step"]["elapsed_ms"] == 1_800_500 and st["timers"][0]["due"]
    assert st["procedure_ms"] == events[6]["t"] - events[0]["t"] + 1_800_500
    # out of order: event 9 before 8 is held until 8 arrives
    assert live.feed(events[8]) == [] and live.missing == [8]
    rows = live.feed(events[7])
    assert [r["seq"] for r in rows] == [8, 9] and live.missing == []
    assert live.feed(events[7]) == []  # a duplicate push changes nothing
    assert live.status()["alerts"][0]["after_ms"] == 30 * MIN
    for e in events[9:]:
        live.feed(e)
    assert live.summary() == summarize(events)
    assert live.status()["closed"] and live.status()["technique"] is None
    # once closed, the procedure clock stops at the close event, however long the host waits
    clock[0] += 3600
    assert live.status()["procedure_ms"] == events[-1]["t"] - events[0]["t"] == live.summary()["duration_ms"]


def test_undo_keeps_the_event_on_the_timeline_and_out_of_the_state():
    script = [
        [0, "new_case", {}],
        [1000, "finding", {"f": "age", "v": 70}],
        [1000, "finding", {"f": "sex", "v": "male"}],
        [1000, "undo", {"ref": 3}],  # the sex was entered by mistake
        [1000, "cl_start", {"cl": "whih"}],
        [60 * SEC, "measure", {"item": "in_guide", "m": "wire", "val": "gaia"}],
        [5 * SEC, "measure", {"item": "in_guide", "m": "channel", "val": "septal"}],
        [5 * SEC, "confirm", {"item": "in_guide"}],
        [30 * SEC, "undo", {"ref": 8}],  # not confirmed after all: back to step 1
        [20 * SEC, "confirm", {"item": "in_guide"}],
    ]
    s = summarize(record(script))
    assert [f["id"] for f in s["findings"]] == ["age"]
    assert [r["undone"] for r in s["timeline"]] == [False, False, True, False, False, False, False, True, False, False]
    steps = {st["item"]: st for st in s["techniques"][0]["steps"]}
    # step 1: 70 s until the confirm later undone, then 20 s from the undo to the confirm that stands
    assert steps["in_guide"]["visits"] == 2 and steps["in_guide"]["time_ms"] == 70 * SEC + 20 * SEC
    assert steps["in_guide"]["status"] == "done" and s["techniques"][0]["current"] == "retro_mc"

