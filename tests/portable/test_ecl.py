# tests/portable/test_ecl.py — the checklist as an ECL's list (panel/ui/ecl.py), on CPython and MicroPython.
#
# Written from shared/design/HUMAN-FACTORS.md (the Boeing 777/787 electronic checklist) and issue 13: every item keeps
# its number, its place in the checklist; along every path of every checklist the number shown never goes backwards
# (the content has no edge back to an earlier item, checked here) except for a deferred item, which comes back at the
# end under the number it had; every line carries its state mark, each mark meaning one thing; a branch not taken is
# "n/a"; a finished checklist says CHECKLIST COMPLETE (ABANDONED by the exit gate); no internal id reaches a line.
# Run alone: .venv/bin/pytest tests/portable/test_ecl.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_ecl

from panel.checklist import ABANDONED, BRANCH_SKIPPED, DEFERRED, DONE, OPEN, SKIPPED, Run
from panel.content.checklists import INDEX, load
from panel.ui import ecl
from test_checklist_paths import events_for, paths


def test_no_option_and_no_next_item_points_back_up_the_list():
    # what lets the numbers only go forward: a path moves down the list (a restart starts the attempt again)
    for cid, _t, _m in INDEX:
        cl = load(cid)
        place = {}
        for i in range(len(cl["items"])):
            place[cl["items"][i]["id"]] = i
        for i in range(len(cl["items"])):
            it = cl["items"][i]
            targets = [o[2] for o in it.get("o", ())] + ([it["nx"]] if it.get("nx") else [])
            for t in targets:
                assert t not in place or place[t] > i, (cid, it["id"], t)


def test_along_every_path_the_number_shown_only_goes_forward_and_is_the_items_place():
    for cid, _t, _m in INDEX:
        cl = load(cid)
        n_items = len(cl["items"])
        for steps, terminal in paths(cl):
            run = Run(cl, 0, False)
            last = 0
            t = 1
            for step in steps:
                n = ecl.number(run, run.cur)
                assert n > last, (cid, steps, run.cur, n, last)
                assert [it["id"] for it in cl["items"]][n - 1] == run.cur
                assert ecl.progress(run) == "item %d of %d" % (n, n_items)
                last = n
                for ev in events_for(cl, step, t):
                    run.apply(ev)
                    t += 1
            if terminal != "restart":
                assert run.end is not None
                assert ecl.progress(run) == (ecl.ABANDONED_WORDS if run.end == ABANDONED else ecl.COMPLETE)


def _first_do(cl):
    for it in cl["items"]:
        if it["k"] == "do":
            return it["id"]
    return None


def test_a_deferred_item_keeps_its_number_and_comes_back_under_it_at_the_end():
    cl = load("whih")
    run = Run(cl, 0, False)
    first = run.cur
    n = ecl.number(run, first)
    run.apply({"k": "defer", "item": first, "t": 1})
    assert run.st[first] == DEFERRED
    assert ecl.line(run, first).startswith("» %d  " % n) and ecl.line(run, first).endswith("— deferred")
    assert ecl.brief(run, first) == "» %d  deferred" % n
    t = 2
    while run.pend is None and run.end is None:  # the first option each time, down to an end
        it = run.item(run.cur)
        for m in it.get("m", ()):
            run.apply({"k": "measure", "item": it["id"], "m": m[0], "val": m[2][0][0] if type(m[2]) is tuple
                       else m[3], "t": t})
            t += 1
        if it["k"] == "dec":
            run.apply({"k": "decide", "item": it["id"], "opt": it["o"][0][0], "t": t})
        else:
            run.apply({"k": "confirm", "item": it["id"], "t": t})
        t += 1
    assert run.pend is not None and run.cur == first
    assert ecl.number(run, run.cur) == n
    assert ecl.progress(run) == "item %d of %d, deferred" % (n, len(cl["items"]))
    run.apply({"k": "confirm", "item": first, "t": t})
    assert run.end is not None and ecl.progress(run) == ecl.COMPLETE


def test_every_line_has_one_mark_for_its_state_and_a_branch_not_taken_is_not_applicable():
    cl = load("whih")
    run = Run(cl, 0, False)
    a = run.cur
    run.apply({"k": "skip", "item": a, "why": "not_needed", "t": 1})
    assert ecl.line(run, a) == "– 1  %s — skipped: not needed" % cl["items"][0]["t"]
    assert ecl.brief(run, a) == "– 1  skipped: not needed"
    # answer decisions with their first option until one leaves a branch behind
    t = 2
    while not [1 for _i, s in run.statuses() if s == BRANCH_SKIPPED]:
        it = run.item(run.cur)
        if it["k"] == "dec":
            run.apply({"k": "decide", "item": it["id"], "opt": it["o"][0][0], "t": t})
            dec = it
        else:
            for m in it.get("m", ()):
                run.apply({"k": "measure", "item": it["id"], "m": m[0], "val": m[2][0][0], "t": t})
            run.apply({"k": "confirm", "item": it["id"], "t": t})
        t += 1
    taken = [o for o in dec["o"] if o[0] == run.dec[dec["id"]]][0]
    assert ecl.line(run, dec["id"]).endswith("→ " + taken[1]) and ecl.line(run, dec["id"]).startswith("✓ ")
    assert ecl.brief(run, dec["id"]).endswith("→ " + taken[1])
    blocks = ecl.whole_list(run)
    kinds = [b[0] for b in blocks]
    assert kinds.count("x") == (0 if run.cur is None else 1)
    na = [b[1] for b in blocks if b[0] == "n"]
    assert na and all(b.startswith("n/a ") and b.endswith("branch not taken") for b in na)
    # every item is on the list once: numbered lines and the n/a runs cover 1..N
    covered = []
    for kind, text in blocks:
        if kind == "n":
            span = text.split(" ")[1]
            lo, hi = (span.split("–") + [span])[:2]
            covered += list(range(int(lo), int(hi) + 1))
        elif kind == "x":
            covered.append(int(text.split(" ")[0]))
        else:
            covered.append(int(text.split(" ")[1]))
    assert covered == list(range(1, len(cl["items"]) + 1)), covered
    marks = {}
    for iid, s in run.statuses():
        if s != BRANCH_SKIPPED and iid != run.cur:
            marks.setdefault(s, set()).add(ecl.line(run, iid).split(" ")[0])
    for s, seen in marks.items():
        assert seen == {ecl.MARKS[s]}, (s, seen)
    assert len(set(ecl.MARKS.values())) == len(ecl.MARKS)  # one mark, one meaning
    assert "!" not in "".join(ecl.MARKS.values())  # "!" is for alerts only


def test_the_end_in_words_and_the_counts_and_no_internal_id_on_any_line():
    for cid, _t, _m in INDEX:
        cl = load(cid)
        ids = [it["id"] for it in cl["items"]]
        for steps, terminal in paths(cl):
            run = Run(cl, 0, False)
            t = 1
            for step in steps:
                for ev in events_for(cl, step, t):
                    run.apply(ev)
                    t += 1
            if terminal == "restart":
                continue
            words = ecl.end_words(cl, run.end)
            assert words and not words.startswith("end:"), (cid, run.end, words)
            c = ecl.counts(run)
            assert c.startswith("%d done" % len([1 for _i, s in run.statuses() if s == DONE])), c
            for kind, text in ecl.whole_list(run):
                if kind == "l":  # mark, number, the item's own words and what was recorded in words
                    n = int(text.split(" ")[1])
                    assert text.startswith("%s %d  %s" % (ecl.MARKS[run.st[ids[n - 1]]], n, cl["items"][n - 1]["t"]))
                assert "end:" not in text and "_" not in text, (cid, text)
            if run.end.startswith("end:switch:"):
                assert ecl.title(run.end[len("end:switch:"):]) in [e[1] for e in INDEX]


def test_counts_name_each_state_in_words():
    cl = load("pob")
    run = Run(cl, 0, False)
    assert ecl.counts(run) == "0 done, %d not reached" % len(cl["items"])
    first = run.cur
    run.apply({"k": "skip", "item": first, "why": "other", "text": "x", "t": 1})
    assert ecl.counts(run).startswith("0 done, 1 skipped, ")
    assert run.st[first] == SKIPPED and OPEN in [s for _i, s in run.statuses()]
