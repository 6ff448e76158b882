# tests/portable/test_checklist_engine.py — the checklist engine's rules, on CPython and MicroPython.
#
# Covers panel.checklist: every illegal event is refused with ChecklistError and leaves
# the state unchanged (compared through Run.snapshot); skip needs a reason and "other"
# needs text; measures are range-checked at edge-1, edge and edge+1 of every range of
# every checklist; a decided item cannot be confirmed; deferred items come back before
# the end; abandon, reset, restart, timers (due at exactly the threshold, not 1 ms
# before), cautions (from an item, or from the first reached of several: a caution of
# some branches only; "at" its items only; the event from which each first applied), a decision option that leaves by the exit gate, notes, legal()
# agreeing with apply(), and validate() catching each broken content rule. The numbers are the fixture's own, or the content's ranges
# (firmware/panel/content/checklists, traced to shared/clinical/TECHNIQUES.md); the
# 30-minute wire timer (1800 s) is the project brief's.
# Run alone: .venv/bin/pytest tests/portable/test_checklist_engine.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_checklist_engine

from panel.checklist import (
    ABANDONED, BRANCH_SKIPPED, CASE, DEFERRED, DONE, OPEN, SKIPPED, ChecklistError, Run, describe, fmt,
    replay, switch_target,
)
from panel.checklist_check import validate
from panel.content.checklists import INDEX, load
from ptest import raises

_OTHER = ("other", "Other")

# A small checklist with one of everything: a do item with an optional number and pick,
# a measurement item (required number + multi pick) that starts the timer, a three-way
# decision (one option switches checklist), a do item that stops the timer, and a last
# decision whose options end, fail or restart.
T = {
    "id": "t", "title": "Fixture", "src": "engine test", "ind": "engine rules", "ok": (("Done", "reached end:ok"),),
    "cau": (("always", "standing limit", None), ("late", "from b on", "b"), ("e_only", "on the e branch", "e")),
    "ends": (("end:ok", "OK"), ("end:no", "No"), ("end:switch:pob", "POB")),
    "rec": (("vol", "Contrast", "ml", 0, 2000, 0), ("cfg", "Config", (("a", "A"), _OTHER), 0)),
    "tm": (("wire", "Wire crossing", 1800),),
    "items": (
        {"id": "a", "k": "do", "s": 1, "t": "Do a", "d": "a",
         "m": (("gap", "Gap", "mm", 0, 1000, 1), ("dev", "Device", (("x", "X"), _OTHER), 0))},
        {"id": "b", "k": "meas", "s": 2, "t": "Record b", "d": "b", "ts": ("wire",),
         "m": (("dose", "Heparin", "IU", 0, 20000, 0), ("tried", "Tried", (("p", "P"), ("q", "Q"), _OTHER), 1))},
        {"id": "c", "k": "dec", "s": 3, "t": "Decide c", "d": "c",
         "o": (("yes", "Yes", "d"), ("no", "No", "e"), ("pob", "Use POB", "end:switch:pob"))},
        {"id": "d", "k": "do", "s": 4, "t": "Do d", "d": "d", "nx": "f", "te": ("wire",)},
        {"id": "e", "k": "do", "s": 5, "t": "Do e", "d": "e"},
        {"id": "f", "k": "dec", "s": 6, "t": "Decide f", "d": "f",
         "o": (("yes", "Yes", "end:ok"), ("no", "No", "end:no"), ("again", "Again", "restart"))},
    ),
}

KNOWN = [e[0] for e in INDEX]


def at_c(t0=0):
    """A run of T with a and b done, the cursor on decision c; b arrived at t0 + 1000."""
    return replay(T, [
        {"k": "confirm", "item": "a", "t": t0 + 1000},
        {"k": "measure", "item": "b", "m": "dose", "val": 5000, "t": t0 + 2000},
        {"k": "measure", "item": "b", "m": "tried", "val": "p", "t": t0 + 3000},
        {"k": "confirm", "item": "b", "t": t0 + 4000},
    ], t0)


def refused(run, ev, words=None):
    """ev must raise ChecklistError (its message holding words) and change nothing."""
    before = run.snapshot()
    e = raises(ChecklistError, run.apply, ev)
    assert run.snapshot() == before, ev
    if words:
        for w in words:
            assert w in str(e), (w, str(e))
    return e


def variant(item_changes=None, **top):
    """A copy of T with some top-level keys replaced and some items' keys changed."""
    cl = dict(T)
    items = [dict(it) for it in T["items"]]
    for i, change in (item_changes or {}).items():
        for k in change:
            if change[k] is None:
                del items[i][k]
            else:
                items[i][k] = change[k]
    cl["items"] = tuple(items)
    for k in top:
        cl[k] = top[k]
    return cl


def test_fixture_and_every_checklist_validate_clean():
    assert validate(T, KNOWN) == []
    for cid, _title, _mod in INDEX:
        assert validate(load(cid), KNOWN) == [], cid


def test_validate_catches_each_broken_rule():
    cases = (
        (variant({1: {"id": "a"}}), "duplicate item id: a"),
        (variant({2: {"o": (("yes", "Yes", "d"), ("no", "No", "zz"))}}), "unknown target zz"),
        (variant({3: {"nx": "end:maybe"}}), "end end:maybe is not declared"),
        (variant({2: {"o": (("yes", "Yes", "d"), ("no", "No", "d"), ("pob", "POB", "end:switch:pob"))}}),
         "unreachable item: e"),
        (variant({2: {"o": (("yes", "Yes", "d"), ("no", "No", "e"))}}), "end end:switch:pob is never reached"),
        (variant({0: {"m": (("gap", "Gap", "mm", 0, 1000, 1), ("w", "W", "mm", 0.5, 2, 0))}}), "float in content"),
        (variant({0: {"m": (("gap", "Gap", "", 0, 1000, 1),)}}), "a.gap: a number needs"),
        (variant({0: {"m": (("gap", "Gap", "mm", 10, 10, 0),)}}), "a.gap: range must be integers lo < hi"),
        (variant({0: {"m": (("dev", "Device", (("x", "X"),), 0),)}}), 'a.dev: pick list lacks "other"'),
        (variant({0: {"m": (("dev", "D", (("x", "X"), _OTHER), 0), ("dev", "D", (("x", "X"), _OTHER), 0))}}),
         "a: duplicate measure dev"),
        (variant({2: {"o": (("yes", "Yes", "d"),)}}), "c: a decision needs 2+"),
        (variant({4: {"nx": "c"}}), "cycle through"),
        (variant(ok=()), "no success definition"),
        (variant(src=""), "missing src"),
        (variant(ind=None), "missing ind"),
        (variant({0: {"t": "Do a very long item text that runs off the line"}}), "a: short text must be"),
        (variant({3: {"te": ("clock",)}}), "d: unknown timer clock"),
        (variant({5: {"k": "do", "o": None}}), "f: the last item needs nx"),
        (variant({1: {"k": "meas", "m": None}}), "b: a measurement item needs measures"),
        (variant({0: {"id": "case"}}), "bad item id: 'case'"),
        (variant(cau=(("x", "text", "nowhere"),)), "bad caution"),
        (variant(cau=(("x", "text", ("d", "nowhere")),)), "bad caution"),
        (variant(cau=(("x", "text", ()),)), "bad caution"),
        (variant(cau=(("x", "text", "b", 7),)), "caution x: its short label must be text"),
        (variant(cau=(("x", "text", None, "x", "at"),)), 'caution x: the fifth element is "at"'),
        (variant(cau=(("x", "text", "b", "x", "on"),)), 'caution x: the fifth element is "at"'),
        (variant(cau=(("x", "text", "b", "x", "at", 1),)), "bad caution"),
        (variant(tm=(("wire", "Wire", 0),)), "threshold must be a positive integer"),
        (variant(fin=("jbtk",)), "fin must be a tuple of finding ids"),
        (variant({0: {"k": "check"}}), "a: unknown kind"),
    )
    for cl, expected in cases:
        bad = validate(cl, KNOWN)
        assert [b for b in bad if expected in b], (expected, bad)
    # a switch to a checklist that does not exist is caught only when the ids are known
    cl = variant(ends=(("end:ok", "OK"), ("end:no", "No"), ("end:switch:pob", "POB"), ("end:switch:nope", "?")),
                 items=None)
    cl["items"] = T["items"][:2] + ({"id": "c", "k": "dec", "s": 3, "t": "Decide c", "d": "c",
                                     "o": (("yes", "Yes", "d"), ("no", "No", "e"), ("pob", "POB", "end:switch:pob"),
                                           ("nope", "Nope", "end:switch:nope"))},) + T["items"][3:]
    assert [b for b in validate(cl, KNOWN) if "end:switch:nope names no known checklist" in b]
    assert validate(cl) == []


def test_a_new_run_stands_on_step_one_with_every_item_open():
    run = Run(T, 500)
    assert run.cur == "a" and run.end is None and run.t == 500
    assert [s for _i, s in run.statuses()] == [OPEN] * 6
    assert run.cautions() == [("always", "standing limit")]
    assert run.upcoming() == ["b", "c"]
    legal = run.legal()
    for want in (("confirm", "a", None), ("skip", "a", None), ("defer", "a", None), ("measure", "a", "gap"),
                 ("measure", "a", "dev"), ("timer_start", "wire", None), ("abandon", None, None),
                 ("measure", CASE, "vol"), ("measure", CASE, "cfg"), ("reset", None, None), ("note", None, None)):
        assert want in legal, want
    assert not [a for a in legal if a[0] == "decide" or a[1] in ("b", "c", "d", "e", "f")]


def test_confirm_moves_the_cursor_and_logs_the_event():
    run = Run(T)
    ev = {"k": "confirm", "item": "a", "t": 1200, "seq": 1}
    run.apply(ev)
    assert run.status("a") == DONE and run.cur == "b" and run.t == 1200
    assert run.n == 1 and run.at == {"a": 1200} and run.reached["b"] == 1200


def test_illegal_events_are_refused_and_change_nothing():
    run = at_c()
    for ev, words in (
        ({"k": "fly"}, ["unknown event kind"]),
        (["confirm", "c"], ["an event is a dict"]),
        ({"item": "c"}, ["unknown event kind"]),
        ({"k": "confirm", "item": "c"}, ["decision"]),
        ({"k": "confirm", "item": "d"}, ["not the current item"]),
        ({"k": "confirm", "item": "a"}, ["not the current item", "done"]),
        ({"k": "confirm", "item": "zz"}, ["unknown item"]),
        ({"k": "confirm"}, ["unknown item"]),
        ({"k": "decide", "item": "c", "opt": "maybe"}, ["yes, no, pob"]),
        ({"k": "decide", "item": "c"}, ["option"]),
        ({"k": "decide", "item": "f", "opt": "yes"}, ["not the current item"]),
        ({"k": "decide", "item": "a", "opt": "yes"}, ["not a decision"]),
        ({"k": "measure", "item": "d", "m": "x", "val": 1}, ["open"]),
        ({"k": "measure", "item": "a", "m": "nope", "val": 1}, ["no measure nope"]),
        ({"k": "measure", "item": "a", "m": "gap", "val": True}, ["out of range"]),
        ({"k": "measure", "item": "a", "m": "gap", "val": "12"}, ["out of range"]),
        ({"k": "measure", "item": "a", "m": "gap", "val": 5, "text": 7}, ["text"]),
        ({"k": "measure", "item": CASE, "m": "cfg", "val": "b"}, ["not allowed", "a, other"]),
        ({"k": "skip", "item": "c", "why": "not_needed"}, ["decision"]),
        ({"k": "defer", "item": "c"}, ["decision"]),
        ({"k": "defer", "item": "d"}, ["not the current open item"]),
        ({"k": "timer_start", "item": "c", "timer": "wire"}, ["already running"]),
        ({"k": "timer_start", "timer": "clock"}, ["unknown timer"]),
        ({"k": "timer_stop", "timer": ["wire"]}, ["unknown timer"]),
        ({"k": "timer_alert", "timer": "wire", "t": 5000}, ["not due"]),
        ({"k": "abandon"}, ["reason must be one of"]),
        ({"k": "abandon", "why": "bored"}, ["reason must be one of"]),
        ({"k": "reset", "why": "other"}, ['"other" needs text']),
        ({"k": "note"}, ["a note needs text"]),
        ({"k": "note", "text": ""}, ["a note needs text"]),
        ({"k": "confirm", "item": "a", "t": "5"}, ["t must be integer ms"]),
        ({"k": "confirm", "item": "a", "t": True}, ["t must be integer ms"]),
    ):
        refused(run, ev, words)
    run.apply({"k": "timer_stop", "timer": "wire"})
    refused(run, {"k": "timer_stop", "timer": "wire"}, ["not running"])
    refused(run, {"k": "timer_alert", "timer": "wire", "t": 10 ** 7}, ["not running"])


def test_skip_needs_a_reason_and_other_needs_text():
    run = Run(T)
    refused(run, {"k": "skip", "item": "a"}, ["reason must be one of", "not_needed"])
    refused(run, {"k": "skip", "item": "a", "why": "lazy"}, ["reason must be one of"])
    refused(run, {"k": "skip", "item": "a", "why": "other"}, ['"other" needs text'])
    refused(run, {"k": "skip", "item": "a", "why": "other", "text": ""}, ['"other" needs text'])
    run.apply({"k": "skip", "item": "a", "why": "other", "text": "done by the fellow"})
    assert run.status("a") == SKIPPED and run.skips["a"] == ("other", "done by the fellow")
    run.apply({"k": "skip", "item": "b", "why": "not_possible"})  # a meas item may be skipped unmeasured
    assert run.status("b") == SKIPPED and run.cur == "c"
    refused(run, {"k": "measure", "item": "b", "m": "dose", "val": 1}, ["skipped"])
    assert [s for _i, s in run.statuses()][:2] == [SKIPPED, SKIPPED]  # still listed, in their own style


def test_every_range_of_every_checklist_at_its_edges():
    # edge-1 and edge+1 refused, edge and the value inside it accepted, for each numeric measure
    checked = 0
    for cid, _title, _mod in INDEX + (("t", "", ""),):
        cl = T if cid == "t" else load(cid)
        owners = [(CASE, cl["rec"])] + [(it["id"], it.get("m", ())) for it in cl["items"]]
        for iid, ms in owners:
            for m in ms:
                if type(m[2]) is tuple:
                    continue
                run = Run(cl)
                if iid != CASE:
                    run.cur = iid  # stand on the item: the range check does not depend on the path
                lo, hi = m[3], m[4]
                for v in (lo - 1, hi + 1):
                    e = refused(run, {"k": "measure", "item": iid, "m": m[0], "val": v})
                    assert describe(m) in str(e) and m[2] in str(e), str(e)
                for v in (lo, lo + 1, hi - 1, hi):
                    run.apply({"k": "measure", "item": iid, "m": m[0], "val": v})
                    assert run.value(iid, m[0]) == (v, None)
                checked += 1
    assert checked >= 14, checked  # every numeric range of the eight checklists


def test_range_message_names_unit_and_range_with_decimals():
    run = Run(T)
    e = refused(run, {"k": "measure", "item": "a", "m": "gap", "val": 1001})
    assert "Gap: 0.0..100.0 mm" in str(e)
    assert fmt(45, 1) == "4.5" and fmt(125, 2) == "1.25" and fmt(5, 2) == "0.05" and fmt(-15, 1) == "-1.5"
    assert fmt(20000, 0) == "20000"
    assert describe(("sz", "Balloon", "mm", 50, 500, 2)) == "Balloon: 0.50..5.00 mm"


def test_pick_lists_other_needs_text_and_multi_keeps_each_try():
    run = Run(T)
    e = refused(run, {"k": "measure", "item": "a", "m": "dev", "val": "y"})
    assert "x, other" in str(e)
    refused(run, {"k": "measure", "item": "a", "m": "dev", "val": "other"}, ['"other" needs text'])
    run.apply({"k": "measure", "item": "a", "m": "dev", "val": "x"})
    run.apply({"k": "measure", "item": "a", "m": "dev", "val": "other", "text": "Gladius"})
    assert run.value("a", "dev") == ("other", "Gladius")  # single pick: the latest entry counts
    run.apply({"k": "confirm", "item": "a"})
    for val, text in (("q", None), ("p", None), ("other", "Tornus"), ("q", None)):
        ev = {"k": "measure", "item": "b", "m": "tried", "val": val}
        if text:
            ev["text"] = text
        run.apply(ev)
    assert run.value("b", "tried") == [("q", None), ("p", None), ("other", "Tornus"), ("q", None)]


def test_a_measurement_item_is_confirmed_only_once_measured():
    run = replay(T, [{"k": "confirm", "item": "a"}])
    refused(run, {"k": "confirm", "item": "b"}, ["record dose, tried first"])
    assert ("confirm", "b", None) not in run.legal()
    run.apply({"k": "measure", "item": "b", "m": "dose", "val": 5000})
    refused(run, {"k": "confirm", "item": "b"}, ["record tried first"])
    run.apply({"k": "measure", "item": "b", "m": "tried", "val": "p"})
    assert ("confirm", "b", None) in run.legal()
    run.apply({"k": "confirm", "item": "b"})
    assert run.cur == "c"


def test_a_decided_item_cannot_be_confirmed_or_decided_again():
    run = at_c()
    run.apply({"k": "decide", "item": "c", "opt": "yes"})
    assert run.dec == {"c": "yes"} and run.status("c") == DONE
    refused(run, {"k": "confirm", "item": "c"}, ["decision"])
    refused(run, {"k": "decide", "item": "c", "opt": "no"}, ["not the current item"])
    refused(run, {"k": "skip", "item": "c", "why": "not_needed"})


def test_the_branch_not_taken_is_shown_as_branch_skipped():
    run = at_c()
    run.apply({"k": "decide", "item": "c", "opt": "yes"})
    assert run.status("e") == BRANCH_SKIPPED and run.status("d") == OPEN and run.status("f") == OPEN
    run = at_c()
    run.apply({"k": "decide", "item": "c", "opt": "no"})
    assert run.status("d") == BRANCH_SKIPPED and run.status("e") == OPEN and run.cur == "e"
    assert ("e_only", "on the e branch") in run.cautions()
    run = at_c()
    run.apply({"k": "decide", "item": "c", "opt": "pob"})
    assert run.end == "end:switch:pob" and switch_target(run.end) == "pob" and run.cur is None
    assert [s for _i, s in run.statuses()] == [DONE, DONE, DONE] + [BRANCH_SKIPPED] * 3
    assert switch_target("end:ok") is None and switch_target(None) is None


def test_a_deferred_item_returns_before_the_end():
    run = Run(T)
    run.apply({"k": "defer", "item": "a", "t": 10})
    assert run.status("a") == DEFERRED and run.cur == "b" and run.deferred() == ["a"]
    assert ("confirm", "a", None) in run.legal() and ("defer", "a", None) not in run.legal()
    for ev in ({"k": "measure", "item": "b", "m": "dose", "val": 1},
               {"k": "measure", "item": "b", "m": "tried", "val": "q"},
               {"k": "defer", "item": "b"}, {"k": "decide", "item": "c", "opt": "yes"}, {"k": "confirm", "item": "d"},
               {"k": "decide", "item": "f", "opt": "yes", "t": 99}):
        run.apply(ev)
    # the path reached end:ok, but two deferred items hold the checklist open
    assert run.end is None and run.pend == "end:ok" and run.cur == "a" and run.upcoming() == ["b"]
    assert ("defer", "a", None) not in run.legal() and ("abandon", None, None) in run.legal()
    refused(run, {"k": "defer", "item": "a"})
    run.apply({"k": "measure", "item": "a", "m": "gap", "val": 45})
    run.apply({"k": "confirm", "item": "a", "t": 120})
    assert run.status("a") == DONE and run.cur == "b" and run.end is None
    run.apply({"k": "skip", "item": "b", "why": "not_needed", "t": 130})
    assert run.end == "end:ok" and run.status("b") == SKIPPED and run.value("a", "gap") == (45, None)


def test_a_deferred_item_may_be_done_before_the_end():
    run = replay(T, [{"k": "defer", "item": "a"}, {"k": "confirm", "item": "a"}])
    assert run.status("a") == DONE and run.cur == "b" and run.deferred() == []


def test_abandon_ends_the_run_with_its_reason():
    run = at_c()
    refused(run, {"k": "abandon", "why": "other"}, ['"other" needs text'])
    run.apply({"k": "abandon", "why": "complication", "t": 7000})
    assert run.end == ABANDONED and run.why == ("complication", None) and run.cur is None
    assert run.timer("wire", 10 ** 8)["ms"] == 6000  # timers stop with the run
    for ev in ({"k": "decide", "item": "c", "opt": "yes"}, {"k": "abandon", "why": "patient"},
               {"k": "timer_start", "timer": "wire"}, {"k": "confirm", "item": "d"}):
        refused(run, ev, ["ended"])
    assert run.legal() == [("measure", "a", "gap"), ("measure", "a", "dev"), ("measure", "b", "dose"),
                           ("measure", "b", "tried"), ("measure", CASE, "vol"), ("measure", CASE, "cfg"),
                           ("reset", None, None), ("note", None, None)]
    run.apply({"k": "note", "text": "perforation, coiled"})
    assert run.notes[-1] == (None, "perforation, coiled", 7000)


def test_reset_starts_again_and_keeps_the_attempt_in_history():
    run = at_c()
    run.apply({"k": "note", "text": "tortuous", "t": 4500})
    run.apply({"k": "measure", "item": CASE, "m": "vol", "val": 120})
    run.apply({"k": "reset", "why": "strategy_switch", "t": 5000})
    assert run.cur == "a" and run.end is None and len(run.history) == 1
    assert [s for _i, s in run.statuses()] == [OPEN] * 6 and run.dec == {} and run.vals == {}
    assert run.n == 1 and run.at == {}  # the reset is the new attempt's first event
    old = run.history[0]
    assert old["why"] == "strategy_switch" and old["t"] == 5000 and old["end"] is None
    assert old["st"]["a"] == DONE and old["st"]["c"] == OPEN and old["vals"]["b"]["dose"] == (5000, None)
    assert old["notes"] == [("c", "tortuous", 4500)] and old["n"] == 6
    assert old["at"] == {"a": 1000, "b": 4000} and old["reached"]["c"] == 4000
    assert old["timers"]["wire"][1] == 5000  # the old attempt's timer stopped at the reset
    assert run.timers == {} and run.value(CASE, "vol") == (120, None)  # case records outlive attempts
    refused(run, {"k": "reset", "why": "because"})
    run.apply({"k": "reset", "why": "other", "text": "wrong checklist"})
    assert len(run.history) == 2 and run.history[1]["text"] == "wrong checklist"


def test_a_restart_option_resets_and_logs_the_decision_in_the_old_attempt():
    run = replay(T, [{"k": "confirm", "item": "a"}, {"k": "skip", "item": "b", "why": "not_needed"},
                     {"k": "decide", "item": "c", "opt": "yes"}, {"k": "confirm", "item": "d"},
                     {"k": "decide", "item": "f", "opt": "again", "t": 8000}])
    assert run.cur == "a" and run.end is None and len(run.history) == 1 and run.n == 0
    old = run.history[0]
    assert old["dec"] == {"c": "yes", "f": "again"} and old["why"] == "retry" and old["text"] == "f:again"
    assert old["n"] == 5 and old["at"]["f"] == 8000 and old["st"]["b"] == "skipped"


def test_the_wire_timer_is_due_at_exactly_its_threshold():
    run = at_c(100000)  # b starts the timer on arrival at t = 101000
    assert run.timer("wire", 101000) == {"on": True, "ms": 0, "due": False, "alerted": False, "limit": 1800}
    assert run.timer_due(101000 + 1799999) == []
    assert run.timer_due(101000 + 1800000) == ["wire"]
    refused(run, {"k": "timer_alert", "timer": "wire", "t": 101000 + 1799999}, ["not due: 1799 of 1800 s"])
    run.apply({"k": "timer_alert", "timer": "wire", "t": 101000 + 1800000})
    assert run.timer("wire", 101000 + 1800000)["alerted"] and run.timer_due(101000 + 1900000) == []
    refused(run, {"k": "timer_alert", "timer": "wire", "t": 101000 + 1900000}, ["already alerted"])
    run.apply({"k": "decide", "item": "c", "opt": "yes", "t": 101000 + 2000000})  # d stops it on arrival
    tm = run.timer("wire", 10 ** 9)
    assert not tm["on"] and tm["ms"] == 2000000 and not tm["due"]


def test_explicit_timer_events_and_a_timer_that_never_started():
    run = Run(T)
    assert run.timer("wire", 5000) == {"on": False, "ms": 0, "due": False, "alerted": False, "limit": 1800}
    assert ("timer_start", "wire", None) in run.legal()
    run.apply({"k": "timer_start", "timer": "wire", "t": 1000})
    assert ("timer_stop", "wire", None) in run.legal() and ("timer_alert", "wire", None) not in run.legal()
    run.apply({"k": "timer_stop", "timer": "wire", "t": 3000})
    assert run.timer("wire", 10 ** 7)["ms"] == 2000
    run.apply({"k": "timer_start", "timer": "wire", "t": 4000})  # a fresh attempt
    run.apply({"k": "note", "text": "late", "t": 1804000})
    assert ("timer_alert", "wire", None) in run.legal()
    raises(ChecklistError, run.timer, "clock", 0)


def test_reaching_a_timer_item_again_after_restart_starts_it_afresh():
    run = at_c(0)
    run.apply({"k": "reset", "why": "retry", "t": 50000})
    run.apply({"k": "confirm", "item": "a", "t": 60000})
    assert run.timer("wire", 70000)["ms"] == 10000


def test_cautions_apply_from_their_item_on():
    run = Run(T)
    assert run.cautions() == [("always", "standing limit")]
    run.apply({"k": "confirm", "item": "a"})
    assert run.cautions() == [("always", "standing limit"), ("late", "from b on")]
    run.apply({"k": "reset", "why": "retry"})
    assert run.cautions() == [("always", "standing limit")]


def test_the_run_records_the_event_from_which_each_caution_first_applied():
    # since: caution id -> (t, seq) of the event at which it first applied in this attempt; the case
    # model's events carry seq, a Run made for a cl_start event gets that event's seq
    run = Run(T, 500, seq=7)
    assert run.since == {"always": (500, 7)}
    run.apply({"k": "note", "text": "x", "t": 700, "seq": 8})
    run.apply({"k": "confirm", "item": "a", "t": 1000, "seq": 9})  # the cursor arrives at b: "late" from here
    assert run.since == {"always": (500, 7), "late": (1000, 9)}
    refused(run, {"k": "confirm", "item": "b", "t": 1100, "seq": 10})  # refused: nothing recorded
    for ev in ({"k": "measure", "item": "b", "m": "dose", "val": 1, "seq": 10},
               {"k": "measure", "item": "b", "m": "tried", "val": "p", "seq": 11},
               {"k": "confirm", "item": "b", "t": 2000, "seq": 12}):
        run.apply(ev)
    assert run.since["late"] == (1000, 9)  # still applies: the first time is kept
    run.apply({"k": "decide", "item": "c", "opt": "no", "t": 3000, "seq": 13})
    assert run.since["e_only"] == (3000, 13) and run.cautions()[-1] == ("e_only", "on the e branch")
    run.apply({"k": "reset", "why": "retry", "t": 4000, "seq": 14})  # a new attempt: from its start again
    assert run.since == {"always": (4000, 14)} and run.history[0]["since"]["e_only"] == (3000, 13)
    assert Run(T).since == {"always": (0, None)}  # events without seq (tests, the host's bare replays)


def test_an_at_caution_applies_only_while_the_cursor_is_on_its_items():
    cl = variant(cau=(("here", "at c and f only", ("c", "f"), "At c, f", "at"), ("late", "from b on", "b")))
    assert validate(cl, KNOWN) == []
    run = replay(cl, [{"k": "confirm", "item": "a", "t": 1}, {"k": "measure", "item": "b", "m": "dose", "val": 1},
                      {"k": "measure", "item": "b", "m": "tried", "val": "p"}])
    assert run.cur == "b" and run.cautions() == [("late", "from b on")]
    run.apply({"k": "confirm", "item": "b", "t": 5, "seq": 5})
    assert run.cur == "c" and run.active_cautions() == list(cl["cau"])  # the entries, short label and all
    run.apply({"k": "decide", "item": "c", "opt": "yes", "t": 6, "seq": 6})
    assert run.cur == "d" and run.cautions() == [("late", "from b on")]  # left its item: no longer applies
    run.apply({"k": "confirm", "item": "d", "t": 7, "seq": 7})
    assert run.cur == "f" and [c[0] for c in run.cautions()] == ["here", "late"]  # on its other item: again
    assert run.since["here"] == (5, 5)  # first applied at c
    run.apply({"k": "decide", "item": "f", "opt": "yes", "t": 8, "seq": 8})
    assert run.end == "end:ok" and run.cautions() == [("late", "from b on")]  # ended: no item, only standing


def test_a_caution_from_several_items_applies_once_any_of_them_is_reached():
    # a caution of some branches only: from d (the "yes" branch) or from e (the "no" branch), never before
    cl = variant(cau=(("branch", "on d or e", ("d", "e")),))
    for opt, item in (("yes", "d"), ("no", "e")):
        run = replay(cl, [
            {"k": "confirm", "item": "a"}, {"k": "measure", "item": "b", "m": "dose", "val": 1},
            {"k": "measure", "item": "b", "m": "tried", "val": "p"}, {"k": "confirm", "item": "b"}])
        assert run.cautions() == []
        run.apply({"k": "decide", "item": "c", "opt": opt})
        assert run.cur == item and run.cautions() == [("branch", "on d or e")]
        run.apply({"k": "confirm", "item": item})
        assert run.cur == "f" and run.cautions() == [("branch", "on d or e")]  # and on every later item
        run.apply({"k": "reset", "why": "retry"})
        assert run.cautions() == []  # a new attempt has reached neither
    assert validate(cl, KNOWN) == []


def test_a_decision_option_can_leave_by_the_exit_gate():
    # the option's target is the exit gate: the run ends as an abandon would, with why
    # ("strategy_switch", "<item>:<option>"), at once (deferred items do not hold it)
    items = list(T["items"])
    items[2] = dict(items[2], o=(("yes", "Yes", "d"), ("no", "No", "e"), ("pob", "POB", "end:switch:pob"),
                                ("gate", "Leave", ABANDONED)))
    cl = variant(items=None)
    cl["items"] = tuple(items)
    assert validate(cl, KNOWN) == []
    run = replay(cl, [{"k": "defer", "item": "a"}, {"k": "measure", "item": "b", "m": "dose", "val": 1},
                      {"k": "measure", "item": "b", "m": "tried", "val": "p"}, {"k": "confirm", "item": "b"}])
    run.apply({"k": "decide", "item": "c", "opt": "gate", "t": 7000})
    assert run.end == ABANDONED and run.cur is None and run.pend is None
    assert run.why == ("strategy_switch", "c:gate") and run.dec["c"] == "gate" and run.at["c"] == 7000
    assert run.status("a") == DEFERRED and run.status("d") == OPEN  # left as they stood, as by abandon
    refused(run, {"k": "confirm", "item": "a"}, ["ended"])
    run.apply({"k": "reset", "why": "retry"})
    assert run.history[0]["end"] == ABANDONED and run.history[0]["abandon"] == ("strategy_switch", "c:gate")


def test_notes_attach_to_the_current_item():
    run = Run(T)
    run.apply({"k": "note", "text": "calcified stump", "t": 9})
    run.apply({"k": "confirm", "item": "a", "t": 10})
    run.apply({"k": "note", "text": "second look", "t": 11})
    assert run.notes == [("a", "calcified stump", 9), ("b", "second look", 11)]


def test_legal_agrees_with_apply_at_every_state_of_a_path():
    path = [{"k": "defer", "item": "a"}, {"k": "measure", "item": "b", "m": "dose", "val": 3},
            {"k": "measure", "item": "b", "m": "tried", "val": "q"}, {"k": "confirm", "item": "b"},
            {"k": "timer_stop", "timer": "wire", "t": 1500}, {"k": "timer_start", "timer": "wire", "t": 2000},
            {"k": "decide", "item": "c", "opt": "no"},
            {"k": "confirm", "item": "e", "t": 1900000}, {"k": "timer_alert", "timer": "wire", "t": 1900000},
            {"k": "decide", "item": "f", "opt": "no"}, {"k": "measure", "item": "a", "m": "gap", "val": 2},
            {"k": "confirm", "item": "a"}]
    ok = 0
    for n in range(len(path) + 1):
        run = replay(T, path[:n])
        legal = run.legal()
        for cand in candidates(run.t):
            trial = replay(T, path[:n])
            try:
                trial.apply(cand)
                worked = True
            except ChecklistError:
                worked = False
            key = (cand["k"], cand.get("item", cand.get("timer")), cand.get("opt", cand.get("m")))
            assert worked == (key in legal), (n, cand, worked)
            ok += worked
    assert ok > 50


def candidates(t):
    out = [{"k": "abandon", "why": "no_progress"}, {"k": "reset", "why": "retry"}, {"k": "note", "text": "n"}]
    for it in T["items"]:
        iid = it["id"]
        out += [{"k": "confirm", "item": iid}, {"k": "skip", "item": iid, "why": "not_needed"},
                {"k": "defer", "item": iid}]
        for o in it.get("o", ()):
            out.append({"k": "decide", "item": iid, "opt": o[0]})
        for m in it.get("m", ()):
            out.append({"k": "measure", "item": iid, "m": m[0], "val": m[3] if type(m[2]) is not tuple else m[2][0][0]})
    for m in T["rec"]:
        out.append({"k": "measure", "item": CASE, "m": m[0], "val": m[3] if type(m[2]) is not tuple else m[2][0][0]})
    for k in ("timer_start", "timer_stop", "timer_alert"):
        out.append({"k": k, "timer": "wire", "t": t})
    return out


def test_replay_rebuilds_the_same_state():
    evs = [{"k": "confirm", "item": "a", "t": 5}, {"k": "skip", "item": "b", "why": "done_differently", "t": 6},
           {"k": "note", "text": "x", "t": 7}, {"k": "decide", "item": "c", "opt": "no", "t": 8}]
    live = Run(T)
    for ev in evs:
        live.apply(ev)
    again = replay(T, evs)
    assert again.snapshot() == live.snapshot() and again.cur == "e"


def test_upcoming_follows_the_path_and_stops_after_a_decision():
    run = Run(T)
    assert run.upcoming(1) == ["b"] and run.upcoming(5) == ["b", "c"]
    run = at_c()
    assert run.upcoming() == []
    run.apply({"k": "decide", "item": "c", "opt": "yes"})
    assert run.upcoming() == ["f"]


def test_the_index_loads_each_checklist_lazily_by_id():
    ids = [e[0] for e in INDEX]
    assert ids == ["whih", "nre", "pob", "calcified", "base", "bam", "ivus_btk", "strategy"]
    for cid, title, mod in INDEX:
        cl = load(cid)
        assert cl["id"] == cid and cl["title"] == title and mod == cid
    e = raises(ValueError, load, "zz")
    assert "zz" in str(e)
    raises(ChecklistError, Run(T).item, "zz")
    raises(ChecklistError, Run(T).status, "zz")


def test_the_wire_timer_counts_across_the_wrap_of_the_tick_counter():
    # A board's ms ticks wrap at 2**30 (12.4 days): a timer started 1 s before the wrap reads 31 min after it
    from panel.checklist import TICKS_PERIOD, ticks_diff

    start = TICKS_PERIOD - 1000
    run = at_c(start - 1000)  # b starts the timer on arrival, 1000 ms after at_c's t
    assert run.timer("wire", start)["ms"] == 0
    after = 30 * 60 * 1000  # 1800 s later, the counter has wrapped
    now = (start + after) % TICKS_PERIOD
    assert now < start and ticks_diff(now, start) == after
    assert run.timer("wire", now)["ms"] == after and run.timer_due(now) == ["wire"]
    run.apply({"k": "timer_alert", "timer": "wire", "t": now})
    assert run.timer("wire", now)["alerted"]
