"""The app's frame: every action reachable by its key and from the command palette, the help screen, themes.

The actions are bedside.app.actions.ACTIONS; the app runs headless with Pilot
(App.run_test) over sample cases (tests/app/appfactory.py).
Run alone: .venv/bin/pytest tests/app/test_app_shell.py
"""

import asyncio

import pytest
from appfactory import SIZE, make_app
from appsnapshot import screen_text

from bedside.app.actions import ACTIONS
from bedside.app.commands import BedsideCommands

SCREEN_OF = {"open_cases": "CasesScreen", "open_live": "LiveScreen", "connect": "ConnectScreen",
             "pair": "ConnectScreen", "sync": "ConnectScreen", "open_reports": "ReportsScreen",
             "open_export": "ExportScreen", "open_operators": "OperatorsScreen", "help": "HelpScreen"}


def run(coro):
    return asyncio.run(coro)


def test_every_action_has_a_key_a_title_and_help_and_the_palette_lists_them():
    names = [a.name for a in ACTIONS]
    assert len(set(names)) == len(names)
    assert len({a.key for a in ACTIONS}) == len(ACTIONS)
    required = {"connect", "pair", "sync", "open_cases", "open_reports", "open_export", "open_operators",
                "toggle_theme", "help", "quit"}
    assert required <= set(names)
    assert all(a.title and a.help for a in ACTIONS)


@pytest.mark.parametrize("action", [a for a in ACTIONS if a.name in SCREEN_OF], ids=lambda a: a.name)
def test_each_key_opens_its_screen(tmp_path, action):
    async def go():
        app = make_app(tmp_path, n=3)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press(action.key)
            await pilot.pause()
            assert type(app.screen).__name__ == SCREEN_OF[action.name]
            await app.workers.wait_for_complete()

    run(go())


def test_footer_shows_the_keys_and_help_lists_every_action(tmp_path):
    async def go():
        app = make_app(tmp_path, n=3)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            for title in ("Cases", "Live", "Connect", "Pair", "Sync", "Reports", "Export"):
                assert title in footer, footer
            await pilot.press("f1")
            await pilot.pause()
            text = screen_text(app)
            assert "Keys everywhere" in text
            for a in ACTIONS[:6]:
                assert a.title in text
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen).__name__ == "CasesScreen"

    run(go())


def test_theme_toggles_between_dark_and_light(tmp_path):
    async def go():
        app = make_app(tmp_path, n=0)
        async with app.run_test(size=SIZE) as pilot:
            assert app.theme == "textual-dark"
            await pilot.press("ctrl+t")
            assert app.theme == "textual-light"
            await pilot.press("ctrl+t")
            assert app.theme == "textual-dark"

    run(go())


def test_command_palette_offers_every_action_and_runs_the_chosen_one(tmp_path):
    async def go():
        app = make_app(tmp_path, n=3)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            provider = BedsideCommands(app.screen)
            found = [hit.text async for hit in provider.discover()]
            assert found == [a.title for a in ACTIONS]
            hits = [hit async for hit in provider.search("reports")]
            assert max(hits, key=lambda h: h.score).text == "Reports"
            # through the real palette: ctrl+p, type, enter
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Operators")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(0.3)
            assert type(app.screen).__name__ == "OperatorsScreen"
            await app.workers.wait_for_complete()

    run(go())


def test_bedside_app_refuses_an_unknown_first_screen():
    import subprocess
    import sys
    from pathlib import Path

    bedside = Path(sys.executable).parent / "bedside"
    res = subprocess.run([str(bedside), "app", "--screen", "bogus"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 1
    assert "no screen 'bogus': choose one of cases, live, connect" in res.stderr
