"""Ask for the pairing code the panel shows (six digits); dismisses with the code or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


class PairCodeDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PairCodeDialog { align: center middle; }
    PairCodeDialog > Vertical { width: 60; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    PairCodeDialog Horizontal { height: auto; margin-top: 1; }
    PairCodeDialog Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, device_id: str) -> None:
        super().__init__()
        self.device_id = device_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Pairing with panel {self.device_id}.")
            yield Label("Type the 6-digit code the panel shows now:")
            yield Input(placeholder="123 456", id="code", max_length=9)
            with Horizontal():
                yield Button("Pair", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.dismiss(self.query_one(Input).value.strip() or None)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
