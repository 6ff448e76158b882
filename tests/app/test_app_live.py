"""The live screen without a panel: events arrive as the follower posts them (LiveEvents), the clocks run on a
fixed clock, the 30-minute wire-crossing alert is said in words, nurse entries are stored with who entered them.

Events: the deterministic sample cases of bedside.samples; the 30-minute limit is the
wire-crossing timer of the panel's content (shared/clinical/SCORES.md, via casefile).
Run alone: .venv/bin/pytest tests/app/test_app_live.py
"""

import asyncio

from appfactory import make_app
from appsnapshot import screen_text
from textual.widgets import Input

from bedside import samples
from bedside.app.messages import LiveEvents
from bedside.casefile import summarize
from bedside.store import nurse

WIDE = (160, 44)  # long technique titles and step texts on one line


def case_with_alert():
    for c in samples.sample_cases(40):
        s = summarize(c.events)
        if s["alerts"]:
            return c, s["alerts"][0]["seq"]
    raise AssertionError("no sample case has a wire-crossing alert")


async def feed(app, pilot, case, upto):
    app.screen.post_message(LiveEvents(case.device_id, case.case_id, case.events[:upto]))
    await pilot.pause()


def test_current_technique_step_and_clocks(tmp_path):
    async def go():
        app = make_app(tmp_path, start="live", n=0)
        case, _alert = case_with_alert()
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            assert "waiting for the panel" in screen_text(app)
            start = next(i for i, e in enumerate(case.events) if e["k"] == "cl_start")
            await feed(app, pilot, case, start + 3)
            status = app.screen.model.status(app.ctx.monotonic())
            text = screen_text(app)
            assert status["technique"]["title"][:28] in text
            assert status["step"]["text"][:28] in text
            assert f"{case.case_id} (in progress, {start + 3} events)" in text
            # the step clock runs on: 95 s later on the host's clock
            app.ctx.monotonic.advance(95)
            app.screen.refresh_status()
            await pilot.pause()
            later = app.screen.model.status(app.ctx.monotonic())
            assert later["step"]["elapsed_ms"] == status["step"]["elapsed_ms"] + 95000
            assert "live (panel ticks + time since" in screen_text(app)
            # the timeline holds every event, oldest first
            assert app.screen.query_one("#timeline").row_count == start + 3
            # the steps finished so far, each with the time spent in it (casefile's per-step times)
            from bedside.app.format import duration

            tech = summarize(case.events[: start + 3])["techniques"][-1]
            done = [st for st in tech["steps"] if st["visits"] and st["time_ms"] is not None]
            assert done and f"Steps of {tech['title']}"[:30] in screen_text(app)
            line = next(ln for ln in screen_text(app).splitlines() if done[0]["text"][:25] in ln)
            assert duration(done[0]["time_ms"]) in line

    asyncio.run(go())


def test_wire_crossing_alert_is_said_in_words(tmp_path):
    async def go():
        app = make_app(tmp_path, start="live", n=0)
        case, alert_seq = case_with_alert()
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            await feed(app, pilot, case, alert_seq - 1)
            assert "ALERT" not in screen_text(app)
            await feed(app, pilot, case, alert_seq)
            text = screen_text(app)
            assert "⚠ ALERT" in text and "Wire crossing passed its limit after 30:00" in text
            assert app.screen.query_one("#now").has_class("alert")

    asyncio.run(go())


def test_out_of_order_events_wait_for_the_gap_and_duplicates_are_ignored(tmp_path):
    async def go():
        app = make_app(tmp_path, start="live", n=0)
        case, _ = case_with_alert()
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            app.screen.post_message(LiveEvents(case.device_id, case.case_id, case.events[:5] + case.events[6:8]))
            await pilot.pause()
            assert app.screen.query_one("#timeline").row_count == 5
            assert "events 6..6 not yet received" in screen_text(app)
            await feed(app, pilot, case, 8)
            assert app.screen.query_one("#timeline").row_count == 8

    asyncio.run(go())


def test_nurse_entries_are_stored_with_who_entered_them_and_bad_input_is_kept(tmp_path):
    async def go():
        app = make_app(tmp_path, start="live", n=0)
        case, _ = case_with_alert()
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            await pilot.press("n")
            assert type(app.screen).__name__ == "LiveScreen"  # no case yet: nothing to attach an entry to
            await feed(app, pilot, case, 10)
            await pilot.press("n")
            await pilot.pause()
            dialog = app.screen
            assert type(dialog).__name__ == "NurseEntryDialog"
            await pilot.press(*"12o")  # a slipped key
            await pilot.press("enter")
            await pilot.pause()
            assert "Not saved: the amount must be a number, not '12o'" in screen_text(app)
            assert dialog.query_one("#value", Input).value == "12o"  # nothing typed is lost
            dialog.query_one("#value", Input).value = "120"
            await pilot.press("enter")
            await pilot.pause()
            assert type(app.screen).__name__ == "LiveScreen"
            # a device with its lot number, entered by someone else at this desk
            await pilot.press("n")
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#kind").value = "device"
            await pilot.pause()
            dialog.query_one("#item", Input).value = "Corsair Pro XS 150 cm"
            dialog.query_one("#lot", Input).value = "L2611-07"
            dialog.query_one("#by", Input).value = "Nurse Other"
            await pilot.click("#save")
            await pilot.pause()
            rows = nurse.entries(app.ctx.store, case.device_id, case.case_id)
            assert [(r.kind, r.value, r.entered_by, r.item, r.lot) for r in rows] == [
                ("contrast_ml", 120.0, "Nurse Test", None, None),
                ("device", None, "Nurse Other", "Corsair Pro XS 150 cm", "L2611-07")]
            assert rows[0].at_seq == 10
            text = screen_text(app)
            assert "nurse 120 ml" in text and "Nurse Other: Device Corsair Pro XS 150 cm, lot L2611-07" in text

    asyncio.run(go())


def test_a_refused_entry_says_why(tmp_path):
    async def go():
        app = make_app(tmp_path, start="live", n=0)
        case, _ = case_with_alert()
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            await feed(app, pilot, case, 3)
            await pilot.press("n")
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#value", Input).value = "5000"  # over the 2000 ml the panel allows
            await pilot.click("#save")
            await pilot.pause()
            assert "Not saved: nurse entry refused: contrast_ml must be 0 to 2000 ml" in screen_text(app)
            assert nurse.entries(app.ctx.store, case.device_id, case.case_id) == []

    asyncio.run(go())


def test_an_undone_event_stays_on_the_timeline_marked(tmp_path):
    async def go():
        app = make_app(tmp_path, start="live", n=0)
        case, _ = case_with_alert()
        last = case.events[9]
        undo = {"seq": 11, "t": last["t"] + 2000, "k": "undo", "ref": 10, "b": last["b"]}
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            await feed(app, pilot, case, 10)
            app.screen.post_message(LiveEvents(case.device_id, case.case_id, [undo]))
            await pilot.pause()
            table = app.screen.query_one("#timeline")
            assert table.row_count == 11
            assert table.get_row("10")[2].endswith("(undone)")
            assert table.get_row("11")[2] == "Undo of event 10"

    asyncio.run(go())
