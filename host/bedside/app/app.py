"""The Bedside workstation: a small App that holds the shared context and switches between screens.

Each area is a mode with its own screen stack (cases, live, connect, reports,
operators, export), so the live case keeps following while the nurse looks at
the case list. Screens live in bedside.app.screens, dialogs in bedside.app.dialogs.
"""

from __future__ import annotations

import importlib

from textual.app import App
from textual.binding import Binding

from bedside.app.actions import ACTIONS
from bedside.app.commands import BedsideCommands
from bedside.app.context import AppContext

DARK, LIGHT = "textual-dark", "textual-light"


def _lazy(module: str, name: str):
    def make():
        return getattr(importlib.import_module(f"bedside.app.screens.{module}"), name)()

    return make


class BedsideApp(App):
    """The nurse's workstation: follow the case live, sync the panel, read the cases."""

    TITLE = "Bedside"
    SUB_TITLE = "CTO workstation"
    COMMANDS = App.COMMANDS | {BedsideCommands}
    BINDINGS = [Binding(a.key, a.name, a.title, show=a.name != "quit") for a in ACTIONS]
    # Screens import when first shown: the first screen is up sooner (make bench: app start).
    MODES = {
        "cases": _lazy("cases", "CasesScreen"),
        "live": _lazy("live", "LiveScreen"),
        "connect": _lazy("connect", "ConnectScreen"),
        "reports": _lazy("reports", "ReportsScreen"),
        "operators": _lazy("operators", "OperatorsScreen"),
        "export": _lazy("export", "ExportScreen"),
    }

    def __init__(self, ctx: AppContext, start: str = "cases", theme: str = DARK) -> None:
        super().__init__()
        self.ctx = ctx
        self.start = start
        self.theme = theme

    def on_mount(self) -> None:
        self.switch_mode(self.start)

    # -- actions (every one is also in the command palette and on the help screen) ------

    def action_open_cases(self) -> None:
        self.switch_mode("cases")

    def action_open_live(self) -> None:
        self.switch_mode("live")

    def action_connect(self) -> None:
        self.switch_mode("connect")

    async def action_pair(self) -> None:
        await self.switch_mode("connect")
        self.screen.start_pairing()

    async def action_sync(self) -> None:
        await self.switch_mode("connect")
        self.screen.start_sync()

    def action_open_reports(self) -> None:
        self.switch_mode("reports")

    def action_open_export(self) -> None:
        self.switch_mode("export")

    def action_open_operators(self) -> None:
        self.switch_mode("operators")

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def action_help(self) -> None:
        from bedside.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def follow_again(self) -> None:
        """After a pairing: let the live screen, if it was opened, start following (again)."""
        try:
            stack = self.get_screen_stack("live")
        except KeyError:
            return
        if stack:
            stack[0].action_follow()

    def open_case(self, device_id: str, case_id: str) -> None:
        """Show one case's detail on top of the current screen."""
        from bedside.app.screens.detail import CaseDetailScreen

        self.push_screen(CaseDetailScreen(device_id, case_id))
