"""End to end, as `bedside demo` runs it: the simulated panel plays the wires-hand-in-hand case, the app follows it
live, syncs when it closes, shows it in the case list, and its detail holds every event.

The panel is the real firmware on the MicroPython unix port behind a pty (bedside.sim);
the case and its 59 events are host/bedside/scenarios.py's WHIH script (played at
300x: 69 minutes in about 14 s, so the app is following while the case runs).
Run alone: .venv/bin/pytest tests/app/test_app_e2e.py
"""

import asyncio
import time

import pytest
from appsnapshot import screen_text
from textual.widgets import DataTable

from bedside.app.demo import demo_app, pair_with
from bedside.app.messages import LiveEvents, SyncFinished
from bedside.pairing import HostStore
from bedside.scenarios import check, whih_case, write
from bedside.sim import PanelSim
from bedside.store import Store

pytestmark = pytest.mark.micropython
SPEED = 300


async def until(pilot, condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{screen_text(pilot.app)}"
        await pilot.pause(0.1)


def test_simulated_panel_to_live_screen_to_sync_to_case_detail(tmp_path):
    events = check(whih_case())
    store = Store(f"sqlite:///{tmp_path / 'demo.db'}")
    hosts = HostStore(tmp_path / "pairing.json", host_name="e2e desk")
    seen = {"live": 0, "pushes": 0, "synced": None}

    def hook(message):
        if isinstance(message, LiveEvents):
            seen["pushes"] += 1
            seen["live"] = max(seen["live"], message.events[-1].seq if message.events else 0)
        elif isinstance(message, SyncFinished):
            seen["synced"] = message.summary

    async def go(sim):
        app = demo_app(sim, store, hosts, tick_seconds=0.5)
        async with app.run_test(size=(140, 44), message_hook=hook) as pilot:
            await pilot.pause()
            assert type(app.screen).__name__ == "LiveScreen"
            # live: the technique and the wire of the running case appear while it runs
            await until(pilot, lambda: "Wires hand-in-hand" in screen_text(app), 60, "the WHIH checklist live")
            assert not app.screen.model.summary()["closed"]
            # the case closes on the panel: the app syncs it and shows the case list
            await until(pilot, lambda: type(app.screen).__name__ == "CasesScreen", 90, "the case list after sync")
            assert seen["synced"] is not None and [c.events for c in seen["synced"].cases] == [events]
            # it was followed as it ran (several pushes, however a loaded machine batches them), to the last event
            assert seen["pushes"] >= 3 and seen["live"] == events
            table = app.screen.query_one(DataTable)
            await until(pilot, lambda: table.row_count == 1, 10, "the synced case in the list")
            row = table.get_row_at(0)
            assert row[2] == "rca" and row[3] == "whih" and row[4] == "success" and row[5] == "synced"
            # its detail: every event, wall-clock times (the host set the panel's clock), the outcome
            await pilot.press("enter")
            await until(pilot, lambda: type(app.screen).__name__ == "CaseDetailScreen", 10, "the case detail")
            text = screen_text(app)
            assert f"{events} of {events} events on this workstation (closed)" in text
            assert "Times are wall-clock UTC" in text
            app.screen.action_tab("outcome")
            await until(pilot, lambda: "Technical success" in screen_text(app), 10, "the outcome tab")
            line = next(ln for ln in screen_text(app).splitlines() if "Technical success" in ln)
            assert "yes (entered)" in line, line
            app.screen.action_tab("steps")
            await until(pilot, lambda: "Wires hand-in-hand (WHIH)" in screen_text(app), 10, "the steps tab")
            app.workers.cancel_all()  # the live follower, which would otherwise poll on

    try:
        with PanelSim(workdir=tmp_path / "panel", play=write(whih_case(), tmp_path / "whih.jsonl"),
                      speed=SPEED) as sim:
            sim.wait_ready()
            pair_with(sim, hosts, store)
            asyncio.run(go(sim))
            assert sim.alive(), sim.log_text()
    finally:
        store.close()
