# tests/portable/test_case.py — the case model: append-only events, replay, undo, content version.
#
# Covers panel/case.py on CPython and MicroPython: an event is checked before it is
# appended (a refused one leaves no trace), the state rebuilt by replaying the events
# equals the state built live, undo is an event and never a deletion, a case opened
# with other content cannot be continued, checklist events reach the running
# checklist, a strategy change keeps the earlier checklist as it stood, timer alerts
# are journalled at the 30-minute threshold, outcomes follow TECHNIQUES.md's outcome
# definitions (procedural success = technical success with no in-hospital MACE),
# and every event is encodable on the wire (bedlink msgpack).
# Run alone: .venv/bin/pytest tests/portable/test_case.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_case

from bedlink.mpack import pack, unpack
from panel.case import Case, CaseError
from panel.checklist import BRANCH_SKIPPED, DONE
from panel.content import CONTENT_VERSION
from panel.scoring import evaluate_all
from panel.version import FIRMWARE_VERSION
from ptest import raises

MIN = 60 * 1000


def opened():
    return Case.open("c-0001", 1000)


def summary(case):
    st = case.state
    runs = []
    for cid, run, seq in st.runs:
        runs.append((cid, seq, run.cur, run.end, sorted(run.statuses()), len(run.history)))
    return (st.case_id, st.content, sorted(st.findings.values.items()), sorted(st.findings.sources.items()),
            st.viewed, runs, st.strategy, sorted(st.outcomes.items()), st.complications, st.notes, st.closed)


def test_open_records_content_and_firmware_versions():
    case = opened()
    [ev] = case.events
    assert ev == {"seq": 1, "t": 1000, "k": "open", "case": "c-0001", "cv": CONTENT_VERSION, "fw": FIRMWARE_VERSION}
    assert case.state.content == CONTENT_VERSION


def test_a_case_starts_with_open_and_opens_once():
    case = Case()
    raises(CaseError, case.record, "finding", 5, {"f": "age", "v": 70})
    assert case.events == []
    case = opened()
    raises(CaseError, case.record, "open", 5, {"case": "x", "cv": CONTENT_VERSION, "fw": "1"})
    assert len(case.events) == 1


def test_findings_are_checked_before_they_are_recorded():
    case = opened()
    case.record("finding", 2000, {"f": "length_mm", "v": 25, "src": "ct"})
    err = raises(CaseError, case.record, "finding", 2100, {"f": "length_mm", "v": 601})
    assert "1 to 600 mm" in str(err)
    raises(CaseError, case.record, "finding", 2100, {"f": "no_such", "v": "yes"})
    raises(CaseError, case.record, "finding", 2100, {"f": "age", "v": 70, "src": "ct"})
    assert len(case.events) == 2
    assert case.state.findings.get("length_mm") == 25
    assert case.state.findings.sources["length_mm"] == "ct"
    case.record("finding", 2200, {"f": "length_mm", "v": None})
    assert case.state.findings.get("length_mm") is None


def test_scores_come_from_the_case_findings():
    case = opened()
    for fid, v in (("blunt_stump", "yes"), ("calcification", "mild"), ("bending_45", "no"),
                   ("length_mm", 21), ("retry", "no")):
        case.record("finding", 3000, {"f": fid, "v": v})
    jcto = evaluate_all(case.state.findings)[0]
    assert jcto["id"] == "jcto" and jcto["total"] == "3"
    case.record("score_viewed", 3100, {"score": "jcto"})
    raises(CaseError, case.record, "score_viewed", 3200, {"score": "nope"})
    assert case.state.viewed == ["jcto"]


def test_operator_profile_fills_operator_findings_with_their_source():
    case = opened()
    case.record("profile", 10, {"p": {"annual_volume": 80, "years": 6, "last_year_cases": 50,
                                      "last_year_successes": 46}, "src": "host"})
    f = case.state.findings
    assert f.get("op_annual_volume") == 80 and f.sources["op_years"] == "host"
    raises(CaseError, case.record, "profile", 11, {"p": {"last_year_cases": 5, "last_year_successes": 6}})
    assert f.get("op_last_year_cases") == 50  # the refused profile changed nothing


def test_checklist_events_reach_the_running_checklist():
    case = opened()
    raises(CaseError, case.record, "confirm", 10, {"item": "in_guide"})
    case.record("cl_start", 20, {"cl": "whih"})
    case.record("measure", 30, {"item": "in_guide", "m": "wire", "val": "gaia"})
    case.record("confirm", 40, {"item": "in_guide"})
    case.record("decide", 50, {"item": "retro_mc", "opt": "no"})
    case.record("decide", 60, {"item": "tip_in", "opt": "yes"})
    case.record("decide", 65, {"item": "ante_mc", "opt": "no"})
    run = case.state.active
    assert run.status("in_guide") == DONE and run.status("ante_mc") == DONE
    assert run.cur == "close_mcs"
    err = raises(CaseError, case.record, "cl_start", 70, {"cl": "pob"})
    assert "still running" in str(err)
    raises(CaseError, case.record, "cl_start", 70, {"cl": "no_such_checklist"})
    raises(CaseError, case.record, "decide", 70, {"item": "tip_in", "opt": "yes"})
    assert len(case.events) == 7


def test_strategy_change_keeps_the_earlier_checklist_and_is_an_event():
    case = opened()
    case.record("cl_start", 20, {"cl": "strategy"})
    first = case.state.active
    case.record("strategy", 500, {"to": "calcified", "why": "heavy calcium on the first runs"})
    st = case.state
    assert [r[0] for r in st.runs] == ["strategy", "calcified"]
    assert st.runs[0][1] is first and first.end is None  # left as it stood, visible in the log
    assert st.strategy == [(3, 500, "strategy", "calcified", "heavy calcium on the first runs")]
    case.record("strategy", 600, {"why": "stop guided checklists"})
    assert st.active is None and st.strategy[-1][3] is None


def test_replay_rebuilds_exactly_the_live_state():
    case = opened()
    case.record("finding", 2, {"f": "age", "v": 71})
    case.record("cl_start", 3, {"cl": "whih"})
    case.record("confirm", 4, {"item": "in_guide"})
    case.record("note", 5, {"text": "septal channel tortuous"})
    case.record("decide", 6, {"item": "retro_mc", "opt": "no"})
    case.record("undo", 8, {"ref": 5})
    case.record("outcome", 9, {"o": "complication", "v": "perforation"})
    again = Case.replay(case.events)
    assert summary(again) == summary(case)
    assert again.events == case.events


def test_resume_rebuilds_over_the_same_log_without_copying_it():
    case = opened()
    case.record("finding", 2, {"f": "age", "v": 64})
    case.record("finding", 3, {"f": "age", "v": 66})
    case.record("cl_start", 4, {"cl": "whih"})
    case.record("confirm", 5, {"item": "in_guide"})
    case.record("undo", 6, {"ref": 3})
    again = Case.resume(case.log)
    assert again.log is case.log
    assert summary(again) == summary(case) and again.undone == [3]
    again.record("note", 7, {"text": "resumed"})  # the resumed case goes on in the same log
    assert len(case.log) == 7


def test_resume_refuses_a_log_with_a_gap():
    case = opened()
    case.record("finding", 2, {"f": "age", "v": 70})
    case.log.index.pop(0)
    err = raises(CaseError, Case.resume, case.log)
    assert "seq" in str(err)


def test_the_log_keeps_every_event_across_its_blocks():
    case = opened()
    long_text = "x" * 3000  # larger than a block: it gets a block of its own
    for i in range(150):
        case.record("note", i, {"text": long_text if i == 75 else "note %d" % i})
    events = case.events
    assert len(events) == 151 and len(case.log.blocks) > 2
    assert events[76]["text"] == long_text and events[150]["text"] == "note 149"
    assert [e["seq"] for e in events] == list(range(1, 152))


def test_events_travel_on_the_wire_unchanged():
    case = opened()
    case.record("finding", 2, {"f": "vessel", "v": "lcx"})
    case.record("profile", 3, {"p": {"years": 4}, "src": "entered"})
    case.record("cl_start", 4, {"cl": "whih"})
    case.record("measure", 5, {"item": "in_guide", "m": "channel", "val": "other", "text": "atrial"})
    for ev in case.events:
        assert unpack(pack(ev)) == ev
    assert summary(Case.replay([unpack(pack(ev)) for ev in case.events])) == summary(case)


def test_undo_is_an_event_and_restores_the_earlier_state():
    case = opened()
    case.record("finding", 2, {"f": "age", "v": 64})
    case.record("finding", 3, {"f": "age", "v": 66})
    case.record("undo", 4, {"ref": 3})
    assert case.state.findings.get("age") == 64
    assert [e["k"] for e in case.events] == ["open", "finding", "finding", "undo"]
    raises(CaseError, case.record, "undo", 5, {"ref": 3})  # already undone
    raises(CaseError, case.record, "undo", 5, {"ref": 4})  # an undo is not undone
    raises(CaseError, case.record, "undo", 5, {"ref": 1})  # nor the opening
    raises(CaseError, case.record, "undo", 5, {"ref": 99})
    assert len(case.events) == 4


def test_undo_that_would_break_a_later_step_is_refused():
    case = opened()
    case.record("cl_start", 2, {"cl": "whih"})
    case.record("confirm", 3, {"item": "in_guide"})
    case.record("decide", 4, {"item": "retro_mc", "opt": "no"})
    err = raises(CaseError, case.record, "undo", 5, {"ref": 3})
    assert "undo that first" in str(err)
    case.record("undo", 5, {"ref": 4})
    assert case.state.active.cur == "retro_mc"
    case.record("undo", 6, {"ref": 3})
    assert case.state.active.cur == "in_guide"


def test_a_case_opened_with_other_content_is_not_continued():
    events = opened().events
    old = dict(events[0])
    old["cv"] = "cto-1999.01.1"
    err = raises(CaseError, Case.replay, [old])
    assert "cto-1999.01.1" in str(err) and CONTENT_VERSION in str(err)


def test_replay_refuses_a_gap_in_the_sequence():
    case = opened()
    case.record("finding", 2, {"f": "age", "v": 70})
    case.record("finding", 3, {"f": "sex", "v": "male"})
    raises(CaseError, Case.replay, [case.events[0], case.events[2]])


def walk_to_antegrade_wiring(case, t):
    """General strategy (H): dual angiography, choose guides, go antegrade (starts the wire timer)."""
    case.record("cl_start", t, {"cl": "strategy"})
    run = case.state.active
    case.record("confirm", t, {"item": "angio"})
    case.record("confirm", t, {"item": "guides"})
    case.record("decide", t, {"item": "first", "opt": "antegrade"})
    return run


def test_wire_crossing_timer_alert_is_journalled_at_30_minutes():
    case = opened()
    t0 = 5000
    run = walk_to_antegrade_wiring(case, t0)
    assert run.cur == "antegrade" and run.timer("wire", t0)["on"]
    assert case.tick(t0 + 30 * MIN - 1) == []
    [alert] = case.tick(t0 + 30 * MIN)
    assert alert["k"] == "timer_alert" and alert["timer"] == "wire" and alert["t"] == t0 + 30 * MIN
    assert case.tick(t0 + 31 * MIN) == []  # journalled once
    assert run.timer("wire", t0 + 31 * MIN)["alerted"]
    assert summary(Case.replay(case.events)) == summary(case)


def test_outcomes_and_derived_procedural_success():
    case = opened()
    assert case.state.procedural_success() is None
    case.record("outcome", 2, {"o": "technical_success", "v": "yes"})
    assert case.state.procedural_success() is None  # MACE not known yet
    case.record("outcome", 3, {"o": "in_hospital_mace", "v": "no"})
    assert case.state.procedural_success() == "yes"
    case.record("outcome", 4, {"o": "in_hospital_mace", "v": "yes"})
    assert case.state.procedural_success() == "no"
    case.record("outcome", 5, {"o": "contrast_ml", "v": 250})
    raises(CaseError, case.record, "outcome", 6, {"o": "contrast_ml", "v": 2001})
    raises(CaseError, case.record, "outcome", 6, {"o": "technical_success", "v": "maybe"})
    raises(CaseError, case.record, "outcome", 6, {"o": "nothing", "v": "yes"})
    case.record("outcome", 6, {"o": "complication", "v": "perforation"})
    raises(CaseError, case.record, "outcome", 7, {"o": "complication", "v": "perforation"})
    assert case.state.complications == ["perforation"]


def test_after_close_only_outcomes_notes_and_undo():
    case = opened()
    case.record("close", 2)
    raises(CaseError, case.record, "finding", 3, {"f": "age", "v": 70})
    raises(CaseError, case.record, "cl_start", 3, {"cl": "whih"})
    case.record("outcome", 3, {"o": "in_hospital_mace", "v": "no"})
    case.record("note", 4, {"text": "sheath out, no bleeding"})
    raises(CaseError, case.record, "note", 5, {"text": ""})
    assert case.state.notes == [(4, 4, "sheath out, no bleeding")]


def test_record_refuses_fields_the_case_sets_itself():
    case = opened()
    raises(CaseError, case.record, "finding", 2, {"f": "age", "v": 70, "seq": 9})
    raises(CaseError, case.record, "mystery", 2)
    for internal in ("start", "checklist", "rebuild", "undo_"):  # names of the state's own helpers
        raises(CaseError, case.record, internal, 2, {"cl": "whih"})
    assert len(case.events) == 1


class FailingLog(object):
    """A log whose next append fails: before storing (err_before) or after (recorded anyway)."""

    def __init__(self, inner, exc, after=False):
        self.inner = inner
        self.exc = exc
        self.after = after
        self.armed = False

    def append(self, ev):
        if self.armed:
            self.armed = False
            if self.after:
                self.inner.append(ev)
            raise self.exc
        self.inner.append(ev)

    def __len__(self):
        return len(self.inner)

    def __iter__(self):
        return iter(self.inner)

    def get(self, seq):
        return self.inner.get(seq)


def test_an_event_the_log_refuses_leaves_no_trace_in_the_state():
    from panel.case import CaseStorageError, PackedLog

    for exc in (OSError(28, "no space"), MemoryError("heap full")):
        log = FailingLog(PackedLog(), exc)
        case = Case.open("c", 1, log=log)
        case.record("finding", 2, {"f": "age", "v": 70})
        log.armed = True
        err = raises(CaseStorageError, case.record, "finding", 3, {"f": "age", "v": 71})
        assert "not recorded" in str(err)
        assert case.state.findings.get("age") == 70 and len(case.events) == 2


def test_an_event_that_reached_the_log_before_memory_ran_out_counts_as_recorded():
    from panel.case import PackedLog

    log = FailingLog(PackedLog(), MemoryError("after the write"), after=True)
    case = Case.open("c", 1, log=log)
    log.armed = True
    ev = case.record("finding", 2, {"f": "age", "v": 70})
    assert ev["seq"] == 2 and case.state.findings.get("age") == 70 and len(case.events) == 2


def test_on_the_panel_a_case_notes_text_stays_in_the_log():
    # full=False (the panel's CaseKeeper): the state counts the note and reads its text back from the log
    case = Case.open("n", 0, full=False)
    case.record("note", 3, {"text": "sheath out, no bleeding"})
    assert case.state.notes == []
    assert case.note_text(2) == "sheath out, no bleeding"
    undo = case.record("undo", 4, {"ref": 2})
    assert undo["seq"] == 3 and case.undone == [2]


_OTHER = ("other", "Other")
LEAN_CL = {  # a synthetic checklist (panel/checklist.py format): one item with a "log each tried" measure
    "id": "lean", "title": "Lean", "src": "test", "ind": "test", "cau": (), "ok": (), "ends": (("end:done", "Done"),),
    "rec": (("fluoro", "Fluoroscopy", "min", 0, 720, 0),), "tm": (),
    "items": ({"id": "wire", "k": "do", "s": 1, "t": "Wire", "d": "Wire", "nx": "end:done",
               "m": (("tried", "Wires tried", (("pilot", "Pilot"), ("gaia", "Gaia"), _OTHER), 1),)},),
}


def test_on_the_panel_the_state_does_not_grow_with_notes_tries_resets_or_checklists():
    # firmware/JOURNAL.md, RAM: 0 bytes per note and per measurement. A lean state (full=False) keeps counts,
    # the latest entry of a "log each tried" measure, and only the checklist running; the full state (the
    # host's) keeps everything, and both agree on what the panel shows.
    def loader(cid):
        return LEAN_CL

    lean = Case.open("r", 0, loader=loader, full=False)
    full = Case.open("r", 0, loader=loader)
    t = 10
    for _attempt in range(3):
        for case in (lean, full):
            case.record("cl_start" if not case.state.runs else "strategy", t,
                        {"cl": "lean"} if not case.state.runs else {"to": "lean", "why": "again"})
            for i, wire in enumerate(("pilot", "gaia") * 6):
                case.record("measure", t + i, {"item": "wire", "m": "tried", "val": wire})
                case.record("note", t + i, {"text": "try %d" % i})
            case.record("measure", t + 50, {"item": "case", "m": "fluoro", "val": 30})
            case.record("reset", t + 60, {"why": "retry"})
        t += 100
    ls, fs = lean.state, full.state
    run, frun = ls.active, fs.active
    assert len(ls.runs) == 1 and len(fs.runs) == 3
    assert ls.strategy == [] and len(fs.strategy) == 2
    assert run.notes == [] and run.history == [] and run.attempts == frun.attempts == 2
    assert len(frun.history) == 1 and len(frun.history[0]["notes"]) == 12
    # after the reset the item's tries start again; the case-level record carries over in both
    assert run.value("wire", "tried") is None and frun.value("wire", "tried") is None
    assert run.value("case", "fluoro") == frun.value("case", "fluoro") == (30, None)
    for case in (lean, full):
        for wire in ("pilot", "gaia"):
            case.record("measure", t, {"item": "wire", "m": "tried", "val": wire})
    assert run.value("wire", "tried") == [("gaia", None)] and run.tried("wire", "tried") == 2
    assert frun.value("wire", "tried") == [("pilot", None), ("gaia", None)] and frun.tried("wire", "tried") == 2
    assert run.statuses() == frun.statuses() and run.cur == frun.cur


def test_on_the_panel_a_rebuild_replays_only_the_running_checklist_and_agrees_with_the_full_replay():
    # A lean rebuild (undo, a failed write, a resume after reboot) skips the events of earlier checklists; what
    # it shows must equal the full replay's, and an entry of an earlier checklist cannot be undone on the panel.
    def loader(cid):
        return LEAN_CL

    lean = Case.open("r", 0, loader=loader, full=False)
    full = Case.open("r", 0, loader=loader)
    for case in (lean, full):
        case.record("finding", 1, {"f": "age", "v": 70})
        case.record("cl_start", 2, {"cl": "lean"})
        case.record("measure", 3, {"item": "wire", "m": "tried", "val": "pilot"})  # seq 4: earlier checklist
        case.record("strategy", 4, {"to": "lean", "why": "again"})  # seq 5
        case.record("measure", 5, {"item": "wire", "m": "tried", "val": "gaia"})
        case.record("note", 6, {"text": "on the second run"})
        case.record("undo", 7, {"ref": 7})  # the note: the running checklist's
        case.record("undo", 8, {"ref": 2})  # the finding: case-level
    assert lean.state.findings.get("age") is None and full.state.findings.get("age") is None
    err = raises(CaseError, lean.record, "undo", 9, {"ref": 4})
    assert "earlier checklist" in str(err) and len(lean.log) == 9
    full.record("undo", 9, {"ref": 4})  # the host's full replay takes it (the journal of the panel never holds it)
    resumed = Case.resume(lean.log, loader, full=False)
    for case in (lean, resumed):
        run = case.state.active
        assert run.statuses() == full.state.active.statuses() and run.value("wire", "tried") == [("gaia", None)]
        assert len(case.state.runs) == 1  # the earlier checklist was not replayed
    assert resumed.undone == [7, 2]
