"""The host shows every caution in force: on the live screen at the current item, and in the case record with its time.

Covers bedside.casefile (LiveCase.status()["cautions"], summary techniques[]["cautions"]), the live screen's table
(bedside.app.widgets.live_status.status_table), the case detail's steps (bedside.app.widgets.case_parts.steps) and
`bedside case`'s text (bedside.casetext.render on summaries.case_detail of an ingested case).
Every path of every checklist (the enumerator of tests/portable/test_checklist_paths.py) is recorded on the panel's
Case engine and pushed event by event into a LiveCase, as the live link does; at every item the cursor reaches, the
live status holds exactly the cautions the rules of tests/portable/test_checklist_cautions.py (written from
shared/clinical/TECHNIQUES.md) say apply there, each with the time of the event from which it applied, and the live
screen's table says each in full. At the end of each path the case record lists every caution that applied on it,
once, with the time it first applied (also after a reset: the first attempt's time).
Run alone: .venv/bin/pytest tests/test_live_cautions.py
"""

import io

from rich.console import Console

from bedlink.mpack import pack
from bedside.app.widgets.case_parts import steps as steps_part
from bedside.app.widgets.live_status import status_table
from bedside.casefile import LiveCase, summarize
from panel.case import Case
from panel.content.checklists import INDEX, load
from test_checklist_cautions import expected
from test_checklist_paths import events_for, paths


def text_of(renderable) -> str:
    console = Console(file=io.StringIO(), width=400, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def walk_path(cid, steps, check=None, case_id="c-1"):
    """Record the path on a panel Case and feed each event to a LiveCase; call check(live, cur, taken, visited, first)
    at every item; return (events, first) where first maps caution id -> seq of the event it first applied at."""
    cl = load(cid)
    case = Case.open(case_id, 1000, boot=3)
    live = LiveCase(clock=lambda: 0.0)
    t = 2000
    sent = 0

    def push():
        nonlocal sent
        for e in case.events[sent:]:
            live.feed(pack(e), received=0.0)
        sent = len(case.events)

    case.record("cl_start", t, {"cl": cid})
    push()
    taken, visited, first = [], {}, {}
    for step in steps:
        cur = step[0]
        for c in expected(cid, taken, visited, cur):
            first.setdefault(c, case.events[-1]["seq"])  # the event that brought the cursor here
        if check is not None:
            check(live, cur, taken, visited, first)
        t += 10
        for ev in events_for(cl, step, t):
            case.record(ev["k"], ev["t"], {k: v for k, v in ev.items() if k not in ("k", "t")})
        push()
        visited[cur] = 1
        if step[1] is not None:
            taken.append(step)
    return case.events, first, live


def test_the_live_status_holds_every_caution_in_force_at_every_item_of_every_path():
    counted = {"items": 0, "cautions": 0}
    for cid, _title, _module in INDEX:
        texts = {c[0]: c[1] for c in load(cid)["cau"]}

        def check(live, cur, taken, visited, first, cid=cid, texts=texts):
            st = live.status(0.0)
            assert st["step"]["item"] == cur, (cid, cur)
            want = expected(cid, taken, visited, cur)
            assert [c["id"] for c in st["cautions"]] == want, (cid, cur, taken)
            assert [c["text"] for c in st["cautions"]] == [texts[c] for c in want]
            for c in st["cautions"]:
                assert c["since"]["seq"] == first[c["id"]], (cid, cur, c)
            counted["items"] += 1
            counted["cautions"] += len(want)

        longest = max(paths(load(cid)), key=lambda p: len(p[0]))[0]
        for steps, _terminal in paths(load(cid)):
            walk_path(cid, steps, check)

        def shown(live, cur, taken, visited, first, cid=cid):
            # the live screen's table: each caution in force in full, with the time it applied from
            st = live.status(0.0)
            out = text_of(status_table(st))
            for c in st["cautions"]:
                assert "Caution" in out and c["text"] in out, (cid, cur, out)
            assert out.count("Caution ") == len(st["cautions"]), (cid, cur, out)

        walk_path(cid, longest, shown)
    assert counted["items"] > 3000 and counted["cautions"] > 3000, counted


def test_the_case_record_lists_each_caution_that_applied_with_the_time_it_first_applied():
    n = 0
    for cid, _title, _module in INDEX:
        cl = load(cid)
        for steps, _terminal in paths(cl):
            events, first, live = walk_path(cid, steps)
            for summary in (summarize(events), live.summary()):
                (tech,) = summary["techniques"]
                ids = [c[0] for c in cl["cau"] if c[0] in first]  # content order, each once
                assert [c["id"] for c in tech["cautions"]] == ids, (cid, steps)
                for c in tech["cautions"]:
                    ev = events[first[c["id"]] - 1]
                    assert c["since"] == {"seq": ev["seq"], "rel_ms": ev["t"] - events[0]["t"], "wall_ms": None}
                    assert c["attempt"] == 1
                n += len(ids)
    assert n > 1000


def test_after_a_reset_the_record_keeps_the_first_attempts_time():
    # POB: its limits apply from the start; a reset starts a second attempt, where they apply again from the reset
    case = Case.open("c-r", 1000, boot=3)
    case.record("cl_start", 2000, {"cl": "pob"})
    case.record("confirm", 3000, {"item": "needle"})
    case.record("reset", 4000, {"why": "retry"})
    live = LiveCase(case.events)
    now = live.status()
    assert [c["id"] for c in now["cautions"]] == ["infrainguinal", "thigh", "as_nre"]
    assert [c["since"]["seq"] for c in now["cautions"]] == [4, 4, 4]  # in force in this attempt since the reset
    (tech,) = live.summary()["techniques"]
    assert [(c["id"], c["since"]["seq"], c["attempt"]) for c in tech["cautions"]] == [
        ("infrainguinal", 2, 1), ("thigh", 2, 1), ("as_nre", 2, 1)]  # first applied: the first attempt's start
    out = text_of(steps_part(live.summary()))
    assert "Caution from +0:01 rel: infrainguinal (femoropopliteal) occlusions only, never suprainguinal" in out


def test_the_case_detail_and_bedside_case_list_each_caution_with_its_time(store):
    from bedside import casetext
    from bedside.store.summaries import case_detail
    from dbs import ingest_whih

    ingest_whih(store, "panel-c", "c-whih")
    detail = case_detail(store, "panel-c", "c-whih")
    (tech,) = detail["summary"]["techniques"]
    cautions = tech["cautions"]
    assert [c["id"] for c in cautions][:2] == ["last_resort", "devices"]
    text = casetext.render(detail)
    for c in cautions:
        line = f"  caution from {casetext.moment(c['since'])}: {c['text']}"
        assert line in text.splitlines(), (line, text)
    parts = text_of(steps_part(detail["summary"]))
    for c in cautions:
        assert c["text"] in parts
