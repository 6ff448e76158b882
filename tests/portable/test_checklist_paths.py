# tests/portable/test_checklist_paths.py — every path through every technique checklist, on CPython and MicroPython.
#
# Covers the content (firmware/panel/content/checklists) driven through the engine
# (panel/checklist.py): content validation (targets exist, no unreachable item, every
# measure has a unit and an integer range or a pick list with "other", source,
# indication and success present, unique ids, every end reachable); a path enumerator
# over the content graph, written here independently of the engine, whose paths are
# each replayed with events, checking the end reached, that every branch not taken is
# branch_skipped the moment it is decided against and that the items on the path are
# done (a decision that leaves by the exit gate ends as an abandon would); then a
# skip with a reason, a deferred item completed at the end, a reset mid-way, a
# re-wire restart, abandon at every step of WHIH, and the 30-minute
# (1800 s, the project brief) wire-crossing timer where TECHNIQUES.md starts a wire
# crossing (D phase 1, G step 1, H antegrade/retrograde/ADR wiring).
# The expected path counts are worked out by hand from shared/clinical/TECHNIQUES.md's
# branches as modelled (comments at PATH_COUNTS).
# Run alone: .venv/bin/pytest tests/portable/test_checklist_paths.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_checklist_paths

from panel.checklist import ABANDONED, BRANCH_SKIPPED, CASE, DEFERRED, DONE, OPEN, SKIPPED, ChecklistError, Run
from panel.content import CONTENT_VERSION
from panel.content.checklists import INDEX, load
from ptest import raises

IDS = [e[0] for e in INDEX]
ENDS = ("end:technical_success", "end:device_success", "end:converted", "end:not_crossed", "end:uncrossable",
        "end:undilatable", "end:not_possible", "end:no_reentry", "end:not_externalised", "end:technical_not_met")

# Paths from step 1 to an end (or a restart), counted from the branches:
# whih: step 2 yes (1); tip-in no -> the exit gate (1); tip-in yes -> step 4 yes (1); step 4
#       no -> step 5 ... step 8 {yes x step 9 IVUS intraplaque / not x step 10 yes/no (4),
#       rewire (1), no (1)} = 6 -> 9
# nre: back side (1), balloon no (1), needle no (1), snare no (1), externalised (1) -> 5
# pob, base, bam: one two-way decision at the end -> 2 each
# calcified: phase 1: 2 ways to phase 2 with the wire intraplaque (cap yes / escalated yes, x
#       intraplaque), 4 with it extraplaque (the same 2 x knuckle / extraplaque, x re-entered),
#       6 ends (escalation BASE / stop, re-entry failed x 4);
#       phase 3 from nc (intraplaque): expanded (1), or IVUS intraplaque / extraplaque (2) x 3
#       calcium types x (re-dilated 1 + undilatable yes 1) = 12, so 13 ways to the stent, and
#       2 x 3 undilatable ends: N = 13 x 2 + 6 = 32 paths (technical success yes/no);
#       from nc_x (extraplaque): expanded (1) + 3 x 2 = 7 ways, 3 ends: X = 7 x 2 + 3 = 17;
#       phase 2 from device: crossed -> nc (N), escalated: crossed -> nc (N), via ADR/RDR -> nc_x
#       (X), BAM, BASE, stop (3): 2N + X + 3 = 84; from device_x: 2X + 3 = 37;
#       6 + 2 x 84 + 4 x 37 = 322
# ivus_btk: crossed (1); IVUS yes (1); IVUS no -> puncture (2); puncture (2); each crossing then
#       success yes/no: (1 + 1 + 1 + 1) x 2 + 2 puncture-failed ends = 10
# strategy: tech = 2; ADR = re-entered -> tech (2) or not (1) = 3; retrograde when ADR was not
#       possible: crossed -> tech (2) or not (1) = 3; still open: that retrograde (3) or none (1)
#       = 4; ADR check (retrograde not tried): met -> ADR (3), 3 conditions not met -> still open
#       (3 x 4) = 15; ADR check after retrograde: 3 + 3 ends = 6; after retrograde: 6 + stop = 7;
#       retrograde: 2 + 7 = 9; after antegrade: retrograde 9 + ADR check 15 + stop 1 = 25;
#       antegrade: 2 + 25 = 27; first: 27 + 9 + 15 = 51
PATH_COUNTS = {"whih": 9, "nre": 5, "pob": 2, "calcified": 322, "base": 2, "bam": 2, "ivus_btk": 10, "strategy": 51}


def graph(cl):
    """(items by id, successor targets by id), read from the data as the format defines it."""
    items = {}
    nxt = {}
    seq = cl["items"]
    for i in range(len(seq)):
        it = seq[i]
        items[it["id"]] = it
        if it["k"] == "dec":
            nxt[it["id"]] = [o[2] for o in it["o"]]
        else:
            nxt[it["id"]] = [it.get("nx") or seq[i + 1]["id"]]
    return items, nxt


def reach(nxt, start):
    """Item ids reachable from start (itself included)."""
    seen = {}
    stack = [start]
    while stack:
        i = stack.pop()
        if i in seen or i not in nxt:
            continue
        seen[i] = 1
        stack.extend(nxt[i])
    return seen


def paths(cl):
    """Every path from step 1: [(steps [(item id, option id or None)], terminal)], terminal an end or "restart"."""
    items, nxt = graph(cl)
    out = []

    def walk(iid, trail):
        it = items[iid]
        opts = it["o"] if it["k"] == "dec" else ((None, "", nxt[iid][0]),)
        for o in opts:
            step = trail + [(iid, o[0])]
            if o[2] in items:
                walk(o[2], step)
            else:
                out.append((step, o[2]))

    walk(cl["items"][0]["id"], [])
    return out


def value_for(m):
    """A valid entry for measure m: the first pick, or the low end of the range."""
    return m[2][0][0] if type(m[2]) is tuple else m[3]


def events_for(cl, step, t):
    """The events an operator enters for one step of a path, at ticks t, t+1, ..."""
    items, _nxt = graph(cl)
    iid, opt = step
    it = items[iid]
    evs = []
    if it["k"] == "meas":
        for m in it["m"]:
            evs.append({"k": "measure", "item": iid, "m": m[0], "val": value_for(m), "t": t + len(evs)})
    if opt is None:
        evs.append({"k": "confirm", "item": iid, "t": t + len(evs)})
    else:
        evs.append({"k": "decide", "item": iid, "opt": opt, "t": t + len(evs)})
    return evs


def drive(cl, steps, run=None, t=1000):
    """Replay a path's steps on a run, checking branch_skipped after every decision."""
    items, nxt = graph(cl)
    run = run or Run(cl)
    visited = {}
    for step in steps:
        iid, opt = step
        assert run.cur == iid, (cl["id"], step, run.cur)
        for ev in events_for(cl, step, t):
            run.apply(ev)
        t += 10
        visited[iid] = 1
        chosen = [o[2] for o in items[iid]["o"] if o[0] == opt][0] if opt is not None else None
        if chosen is not None and chosen in items:  # ends and restarts are checked by the caller
            taken = reach(nxt, chosen)
            for o in items[iid]["o"]:
                for other in reach(nxt, o[2]):
                    if other not in taken and other not in visited:
                        assert run.status(other) == BRANCH_SKIPPED, (cl["id"], step, other, run.status(other))
            for i in taken:
                assert run.status(i) == OPEN, (cl["id"], step, i)
    return run


def test_content_version_is_set():
    assert type(CONTENT_VERSION) is str and CONTENT_VERSION


def test_every_checklist_has_source_indication_limits_and_success():
    for cid in IDS:
        cl = load(cid)
        for key in ("src", "ind", "title"):
            assert type(cl[key]) is str and len(cl[key]) > 5, (cid, key)
        assert cl["ok"] and [o for o in cl["ok"] if o[1]] == list(cl["ok"]), cid
        assert type(cl["cau"]) is tuple and type(cl["rec"]) is tuple and type(cl["tm"]) is tuple, cid
        for e in cl["ends"]:
            assert e[0].startswith("end:switch:") or e[0] in ENDS, (cid, e)


def test_item_ids_are_unique_and_targets_exist():
    for cid in IDS:
        cl = load(cid)
        items, nxt = graph(cl)
        assert len(items) == len(cl["items"]), cid
        ends = [e[0] for e in cl["ends"]]
        for iid in nxt:
            for tg in nxt[iid]:
                gate = tg == ABANDONED and items[iid]["k"] == "dec"  # a decision may leave by the exit gate
                assert tg in items or tg in ends or tg == "restart" or gate, (cid, iid, tg)


def test_no_item_is_unreachable_and_every_end_is_reached():
    for cid in IDS:
        cl = load(cid)
        items, nxt = graph(cl)
        assert sorted(reach(nxt, cl["items"][0]["id"])) == sorted(items), cid
        got = sorted(set([p[1] for p in paths(cl) if p[1] not in ("restart", ABANDONED)]))
        assert got == sorted([e[0] for e in cl["ends"]]), (cid, got)


def test_every_measure_has_a_unit_and_an_integer_range_or_a_pick_list():
    n = 0
    for cid in IDS:
        cl = load(cid)
        owners = [cl["rec"]] + [it.get("m", ()) for it in cl["items"]]
        for ms in owners:
            for m in ms:
                n += 1
                if type(m[2]) is tuple:
                    ids = [p[0] for p in m[2]]
                    assert "other" in ids and len(ids) >= 2 and m[3] in (0, 1), (cid, m[0])
                else:
                    assert m[2] and type(m[3]) is int and type(m[4]) is int and m[3] < m[4], (cid, m[0])
                    assert type(m[5]) is int and 0 <= m[5] <= 2, (cid, m[0])
    assert n > 30


def test_switches_name_checklists_that_exist():
    seen = []
    for cid in IDS:
        for e in load(cid)["ends"]:
            if e[0].startswith("end:switch:"):
                target = e[0][len("end:switch:"):]
                assert target in IDS and target != cid, (cid, e)
                seen.append((cid, target))
    assert sorted(seen) == [("calcified", "bam"), ("calcified", "base"), ("nre", "pob")]


def test_the_enumerator_finds_the_hand_counted_paths():
    got = {}
    for cid in IDS:
        got[cid] = len(paths(load(cid)))
    assert got == PATH_COUNTS


def test_every_path_of_every_checklist_reaches_its_end():
    total = 0
    for cid in IDS:
        cl = load(cid)
        items, _nxt = graph(cl)
        for steps, terminal in paths(cl):
            run = drive(cl, steps)
            total += 1
            if terminal == "restart":
                assert run.end is None and run.cur == cl["items"][0]["id"] and len(run.history) == 1, cid
                old = run.history[0]
                assert old["dec"][steps[-1][0]] == steps[-1][1]
                assert [i for i in old["st"] if old["st"][i] == DONE] and run.statuses()[0][1] == OPEN
                continue
            assert run.end == terminal and run.cur is None, (cid, steps, run.end)
            on_path = [s[0] for s in steps]
            if terminal == ABANDONED:  # the content's exit gate: as an abandon, the rest left as it stood
                assert run.why == ("strategy_switch", "%s:%s" % steps[-1]), (cid, run.why)
                for iid, status in run.statuses():
                    assert status == (DONE if iid in on_path else OPEN), (cid, iid, status)
                continue
            for iid, status in run.statuses():
                assert status == (DONE if iid in on_path else BRANCH_SKIPPED), (cid, iid, status)
            assert run.legal()[-2:] == [("reset", None, None), ("note", None, None)]
            raises(ChecklistError, run.apply, {"k": "abandon", "why": "no_progress"})
    assert total == sum([PATH_COUNTS[c] for c in PATH_COUNTS])


def longest(cid):
    cl = load(cid)
    best = None
    for steps, terminal in paths(cl):
        if terminal != "restart" and (best is None or len(steps) > len(best[0])):
            best = (steps, terminal)
    return cl, best[0], best[1]


def test_a_skip_with_a_reason_on_a_real_path():
    cl, steps, end = longest("whih")
    run = drive(cl, steps[:4])
    assert run.cur == "close_mcs"
    run.apply({"k": "skip", "item": "close_mcs", "why": "not_possible"})
    assert run.status("close_mcs") == SKIPPED and run.skips["close_mcs"] == ("not_possible", None)
    drive(cl, steps[5:], run)
    assert run.end == end and run.status("close_mcs") == SKIPPED


def test_a_deferred_item_is_completed_at_the_end():
    # NRE: the failed conventional attempts are recorded after the re-entry
    cl = load("nre")
    steps, end = [p for p in paths(cl) if p[1] == "end:device_success"][0]
    run = drive(cl, steps[:1])
    assert run.cur == "failed"
    run.apply({"k": "defer", "item": "failed"})
    assert run.status("failed") == DEFERRED and run.cur == "back_side"
    drive(cl, steps[2:], run)
    assert run.end is None and run.pend == end and run.cur == "failed" and run.deferred() == ["failed"]
    raises(ChecklistError, run.apply, {"k": "confirm", "item": "failed"})  # its measure is not yet in
    for val in ("pier", "reentry_device"):
        run.apply({"k": "measure", "item": "failed", "m": "tried", "val": val})
    run.apply({"k": "confirm", "item": "failed"})
    assert run.end == end and run.status("failed") == DONE
    assert run.value("failed", "tried") == [("pier", None), ("reentry_device", None)]


def test_a_reset_mid_way_keeps_the_earlier_attempt():
    cl, steps, end = longest("calcified")
    run = drive(cl, steps[:6])
    before = run.statuses()
    run.apply({"k": "reset", "why": "strategy_switch", "text": "go retrograde"})
    assert run.cur == "assess" and len(run.history) == 1
    assert [s for _i, s in run.statuses()] == [OPEN] * len(cl["items"])
    old = run.history[0]
    assert [(it["id"], old["st"][it["id"]]) for it in cl["items"]] == before
    assert old["why"] == "strategy_switch" and old["text"] == "go retrograde" and old["timers"]["wire"][1] is not None
    drive(cl, steps, run)
    assert run.end == end and len(run.history) == 1


def test_whih_rewire_restarts_from_step_one():
    cl = load("whih")
    steps = [p[0] for p in paths(cl) if p[1] == "restart"][0]
    run = drive(cl, steps)
    assert run.cur == "in_guide" and run.history[0]["dec"]["device_ok"] == "rewire"
    steps2, end = longest("whih")[1:]
    drive(cl, steps2, run)
    assert run.end == end and len(run.history) == 1


def test_abandon_is_legal_at_every_step_of_whih():
    cl, steps, _end = longest("whih")
    for n in range(len(steps)):
        run = drive(cl, steps[:n])
        assert ("abandon", None, None) in run.legal()
        run.apply({"k": "abandon", "why": "other", "text": "step %d" % n, "t": 99999})
        assert run.end == ABANDONED and run.why == ("other", "step %d" % n) and run.cur is None
        raises(ChecklistError, run.apply, {"k": "confirm", "item": steps[n][0]})
        assert run.status(steps[n][0]) == OPEN  # the step abandoned at stays open, visibly not done


def wire_timer_case(cid, steps_to_start, start_item):
    """Drive to the item that starts the wire timer at t0 and check its alert edge."""
    cl = load(cid)
    steps = [s for s in paths(cl)[0][0]][:steps_to_start]
    run = drive(cl, steps, t=1000)
    assert run.cur == start_item, (cid, run.cur)
    t0 = run.reached[start_item]
    assert run.timer("wire", t0)["on"] and run.timer("wire", t0)["limit"] == 1800
    assert run.timer_due(t0 + 1799999) == [] and run.timer_due(t0 + 1800000) == ["wire"]
    raises(ChecklistError, run.apply, {"k": "timer_alert", "timer": "wire", "t": t0 + 1799999})
    run.apply({"k": "timer_alert", "timer": "wire", "t": t0 + 1800000})
    assert run.timer("wire", t0 + 1800000)["alerted"] and run.timer_due(t0 + 3600000) == []
    return cl, run


def test_the_wire_timer_alerts_at_30_minutes_in_d_g_and_h():
    cl, run = wire_timer_case("calcified", 1, "cap")
    drive(cl, [("cap", "yes"), ("track", "yes")], run, t=run.t + 1)
    assert run.cur == "device" and not run.timer("wire", run.t)["on"]  # the wire is across: stopped
    cl, run = wire_timer_case("ivus_btk", 1, "wire")
    drive(cl, [("wire", None), ("crossed", "yes")], run, t=run.t + 1)
    assert run.cur == "predilate" and not run.timer("wire", run.t)["on"]
    cl, run = wire_timer_case("strategy", 3, "antegrade")
    t_fail = run.t + 1
    drive(cl, [("antegrade", "no")], run, t=t_fail)
    assert run.cur == "after_antegrade" and run.timer("wire", t_fail + 5)["ms"] == t_fail - run.reached["antegrade"]
    drive(cl, [("after_antegrade", "retrograde")], run, t=t_fail + 100)
    assert run.cur == "retrograde" and run.timer("wire", t_fail + 100)["ms"] == 0  # retrograde starts afresh
    assert not run.timer("wire", t_fail + 100)["alerted"]


def test_whih_has_no_timer_and_d_g_h_start_theirs_where_wiring_starts():
    assert load("whih")["tm"] == ()
    starts = {}
    for cid in IDS:
        for it in load(cid)["items"]:
            for tid in it.get("ts", ()):
                starts.setdefault(cid, []).append((it["id"], tid))
    assert starts == {
        "calcified": [("cap", "wire")],
        "ivus_btk": [("wire", "wire")],
        "strategy": [("antegrade", "wire"), ("retrograde", "wire"), ("retrograde_last", "wire"), ("adr", "wire")],
    }
    for cid in starts:
        assert load(cid)["tm"] == (("wire", "Wire crossing", 1800),)


def test_standing_cautions_follow_the_path():
    cl = load("calcified")
    run = drive(cl, [("assess", None), ("cap", "yes"), ("track", "yes")])
    assert run.cautions() == []  # intraplaque: no extraplaque caution
    run = drive(cl, [("assess", None), ("cap", "yes"), ("track", "knuckle")])
    assert [c[0] for c in run.cautions()] == ["extraplaque", "no_high_pressure", "adr_vessel"]
    nre = Run(load("nre"))
    assert [c[0] for c in nre.cautions()] == ["suprainguinal", "balloon", "back_side"]


def test_case_records_are_taken_any_time_even_after_the_end():
    cl = load("whih")
    steps, end = paths(cl)[0]
    run = drive(cl, steps)
    assert run.end == end
    run.apply({"k": "measure", "item": CASE, "m": "fluoro", "val": 142})
    run.apply({"k": "measure", "item": CASE, "m": "guides", "val": "ping_pong"})
    assert run.value(CASE, "fluoro") == (142, None) and run.value(CASE, "guides") == ("ping_pong", None)
    raises(ChecklistError, run.apply, {"k": "measure", "item": CASE, "m": "contrast", "val": 2001})
