"""Connect and sync: the port list, pairing by typing the code the panel shows, sync with progress and summary,
and the plain-words errors for a wrong port, an unpaired panel and a lost cable (nothing lost: sync resumes).

The panel is the real firmware on the MicroPython unix port behind a pty (bedside.sim),
as in tests/test_sync_e2e.py; event counts from host/bedside/scenarios.py (WHIH: 59).
Run alone: .venv/bin/pytest tests/app/test_app_connect.py
"""

import asyncio
import time

import pytest
from appfactory import SIZE, make_app
from appsnapshot import screen_text
from textual.widgets import Input, Select

from bedlink.errors import E_AUTH, E_LOCKED, E_PAIRING
from bedside.app.errors import explain
from bedside.app.messages import LiveState
from bedside.link import LinkError, PanelError, SessionEnded
from bedside.pairing import NotPairedError
from bedside.scenarios import check, whih_case, write
from bedside.sim import PanelSim

WHIH_EVENTS = check(whih_case())


async def until(pilot, condition, timeout=30.0, what=""):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{screen_text(pilot.app)}"
        await pilot.pause(0.05)


@pytest.mark.parametrize("error, words", [
    (LinkError("cannot open /dev/x: [Errno 2] No such file"), "No serial port at /dev/x"),
    (LinkError("no answer to 'hello' from /dev/x after 3 tries"), "nothing answered like a panel"),
    (LinkError("lost the link on /dev/x: [Errno 5] Input/output error"), "The link to the panel was lost"),
    (LinkError("sync did not complete after 3 attempts: lost the link on /dev/x: EIO"), "Nothing is lost"),
    (NotPairedError("no key"), "not paired with this panel yet. Pair first (p)"),
    (PanelError(E_AUTH, "authenticate first"), "does not know this workstation"),
    (PanelError(E_PAIRING, "wrong code"), "refused the pairing: wrong code"),
    (PanelError(E_LOCKED, "retry in 60 s"), "locked after too many wrong codes: retry in 60 s"),
    (PanelError(E_PAIRING, "pairing is not open: open pairing on the panel (Pair a host), then pair within 120 s"),
     "Tap Pair a host on the panel first"),
    (SessionEnded("the panel ended the session: no authenticated session"), "ended this workstation's session"),
], ids=["wrong-port", "not-a-panel", "lost-cable", "lost-then-gave-up", "unpaired", "key-refused", "bad-code",
        "locked", "pairing-not-open", "session-ended"])
def test_link_errors_in_plain_words(error, words):
    assert words in explain(error, "/dev/x")


def test_ports_found_are_listed_and_a_wrong_port_says_so(tmp_path):
    async def go():
        app = make_app(tmp_path, start="connect", n=0)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            options = [o[1] for o in app.screen.query_one("#ports", Select)._options if isinstance(o[1], str)]
            assert options == ["/dev/ttyACM0", "/dev/ttyUSB0"]
            await pilot.press("s")
            await pilot.pause()
            assert "Choose the panel's port first" in screen_text(app)
            app.screen.query_one("#path", Input).value = "/dev/no-such-panel"
            await pilot.click("#use")
            await until(pilot, lambda: "No serial port at /dev/no-such-panel" in screen_text(app), what="error")
            await pilot.press("s")
            await until(pilot, lambda: "Sync failed: No serial port at /dev/no-such-panel" in screen_text(app),
                        what="sync error")

    asyncio.run(go())


@pytest.fixture
def panel(tmp_path):
    sim = PanelSim(workdir=tmp_path / "panel", play=write(whih_case(), tmp_path / "whih.jsonl"), speed=100000)
    sim.start()
    try:
        deadline = time.monotonic() + 30
        while "script played" not in sim.log_text():
            sim.check_alive()
            assert time.monotonic() < deadline, sim.log_text()
            time.sleep(0.05)
        yield sim
    finally:
        sim.stop()


@pytest.mark.micropython
def test_unpaired_then_pair_by_typing_the_code_then_sync(tmp_path, panel):
    async def go():
        app = make_app(tmp_path, start="connect", n=0, port=panel.port)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            await pilot.click("#use")
            await until(pilot, lambda: "NOT paired with this workstation" in screen_text(app), what="hello")
            await pilot.press("s")
            await until(pilot, lambda: "Sync failed: This workstation is not paired" in screen_text(app),
                        what="unpaired sync error")
            assert "first open pairing on the panel" in screen_text(app)  # the nurse is told where pairing starts
            panel.open_pairing()  # the nurse at the table taps Pair a host
            await pilot.press("p")
            await until(pilot, lambda: type(app.screen).__name__ == "PairCodeDialog", what="code dialog")
            code = panel.pairing_code()
            await pilot.press(*f"{code[:3]} {code[3:]}")
            await pilot.press("enter")
            await until(pilot, lambda: "Paired with panel" in screen_text(app), what="paired")
            await pilot.press("s")
            await until(pilot, lambda: "Synced. Panel" in screen_text(app), what="sync summary")
            text = screen_text(app)
            assert f"1 case(s), {WHIH_EVENTS} new event(s) stored, 0 already held" in text
            assert "100%" in text
            await pilot.press("s")  # again: nothing new, nothing stored twice
            await until(pilot, lambda: "0 new event(s) stored" in screen_text(app), what="second sync")
            store = app.ctx.store
            [case] = store.cases()
            assert len(store.events(case.device_id, case.case_id)) == WHIH_EVENTS

    asyncio.run(go())


@pytest.mark.micropython
def test_a_lost_cable_while_following_is_reported_and_nothing_held_is_lost(tmp_path, panel):
    from bedside.app.demo import pair_with

    async def go():
        states = []
        app = make_app(tmp_path, start="live", n=0, port=panel.port)
        pair_with(panel, app.ctx.hosts, app.ctx.store)

        def hook(message):
            if isinstance(message, LiveState):
                states.append((message.state, message.detail))

        async with app.run_test(size=(140, 40), message_hook=hook) as pilot:
            await until(pilot, lambda: app.screen.model is not None and app.screen.model.summary()["closed"],
                        what="the case caught up on connecting")
            held = len(app.ctx.store.events(app.screen.device_id, app.screen.case_id))
            assert held == WHIH_EVENTS
            panel.stop()  # the cable is pulled
            await until(pilot, lambda: any(s == "lost" for s, _ in states), what="lost state")
            detail = next(d for s, d in states if s == "lost")
            assert "The link to the panel was lost" in detail or "No serial port at" in detail
            assert app.screen.query_one("#link").has_class("error")
            assert len(app.ctx.store.events(app.screen.device_id, app.screen.case_id)) == held
            app.screen.workers.cancel_all()

    asyncio.run(go())


@pytest.mark.micropython
def test_operator_profiles_are_pushed_to_the_panel(tmp_path, panel):
    from bedside.app.demo import pair_with

    async def go():
        app = make_app(tmp_path, start="operators", n=10, port=panel.port)
        pair_with(panel, app.ctx.hosts, app.ctx.store)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            await pilot.press("u")
            await until(pilot, lambda: "operator profile(s)" in screen_text(app) or "Not pushed" in screen_text(app),
                        what="push result")
            assert "The panel stored 4 operator profile(s)." in screen_text(app)

    asyncio.run(go())
