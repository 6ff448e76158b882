"""The help screen: what each screen does and every key, from bedside.app.actions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from bedside.app.actions import ACTIONS, SCREENS


def help_markdown() -> str:
    lines = ["# Bedside workstation", "", "## Keys everywhere", "", "| key | action | what it does |",
             "|---|---|---|"]
    lines += [f"| {a.key} | {a.title} | {a.help} |" for a in ACTIONS]
    lines += ["| ctrl+p | Commands | Search every action by name (the command palette). |", "", "## Screens", ""]
    for title, text, keys in SCREENS:
        lines += [f"### {title}", "", text, ""]
        if keys:
            lines += [f"Keys: {keys}", ""]
    lines += ["Times: *wall clock* when the panel's clock was set by a host during the case, otherwise "
              "*relative* (from the case start) and labelled so.", "", "Escape closes this help."]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; height: 90%; border: thick $accent; background: $surface; }
    """
    BINDINGS = [Binding("escape,f1,q", "close", "Close help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(help_markdown())

    def action_close(self) -> None:
        self.dismiss(None)
