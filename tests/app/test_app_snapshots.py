"""Snapshots of the main screens against golden SVGs (tests/app/snapshots), from the deterministic app factory:
sample cases of bedside.samples, a fixed clock, a fixed terminal size, fixed ports and user.

A failure shows the text diff; the new screenshot is written beside the golden one.
Regenerate on purpose: BEDSIDE_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/app/test_app_snapshots.py
Run alone: .venv/bin/pytest tests/app/test_app_snapshots.py
"""

import asyncio

import pytest
from appfactory import SIZE, make_app
from appsnapshot import assert_snapshot

from bedside import samples
from bedside.app.messages import LiveEvents


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def shoot(tmp_path, name, start="cases", theme="textual-dark", steps=None, n=30):
    async def go():
        app = make_app(tmp_path, start=start, theme=theme, n=n)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            if steps:
                await steps(app, pilot)
                await settle(app, pilot)
            assert_snapshot(app, name)

    asyncio.run(go())


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_cases(tmp_path, theme):
    shoot(tmp_path, f"cases-{theme.split('-')[1]}", theme=theme)


def test_case_detail(tmp_path):
    async def steps(app, pilot):
        await pilot.press("down", "enter")

    shoot(tmp_path, "case-detail", steps=steps)


def test_case_detail_scores(tmp_path):
    async def steps(app, pilot):
        await pilot.press("down", "enter")
        await pilot.pause()
        app.screen.action_tab("scores")

    shoot(tmp_path, "case-detail-scores", steps=steps)


def test_live_with_alert(tmp_path):
    case = next(c for c in samples.sample_cases(5) if any(e["k"] == "timer_alert" for e in c.events))
    upto = next(i for i, e in enumerate(case.events) if e["k"] == "timer_alert") + 1

    async def steps(app, pilot):
        app.screen.post_message(LiveEvents(case.device_id, case.case_id, case.events[:upto]))
        await pilot.pause()
        app.ctx.monotonic.advance(42)
        app.screen.refresh_status()

    shoot(tmp_path, "live-alert", start="live", steps=steps, n=0)


def test_connect(tmp_path):
    shoot(tmp_path, "connect", start="connect", n=0)


def test_help(tmp_path):
    async def steps(app, pilot):
        await pilot.press("f1")

    shoot(tmp_path, "help", steps=steps, n=0)


def test_reports(tmp_path):
    shoot(tmp_path, "reports", start="reports", n=60)
