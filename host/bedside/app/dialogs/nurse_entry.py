"""The nurse entry form: one entry (contrast, fluoroscopy, dose, device with lot, complication, note) with who enters it.

The store (bedside.store.nurse.add_entry) checks the entry; a refusal is shown in the
form, which keeps everything typed, so nothing is lost. Dismisses with the new entry's
id, or None when cancelled.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from panel.content.outcomes import COMPLICATIONS

KINDS = (
    ("contrast_ml", "Contrast (ml)"),
    ("fluoro_min", "Fluoroscopy time (min)"),
    ("dose_mgy", "Dose (mGy air kerma)"),
    ("device", "Device with lot number"),
    ("complication", "Complication"),
    ("note", "Note"),
)
NUMERIC = ("contrast_ml", "fluoro_min", "dose_mgy")
# Which inputs each kind uses (the others are hidden).
FIELDS = {"contrast_ml": ("value", "total"), "fluoro_min": ("value", "total"), "dose_mgy": ("value", "total"),
          "device": ("item", "lot", "text"), "complication": ("complication", "text"), "note": ("text",)}


class NurseEntryDialog(ModalScreen[int | None]):
    DEFAULT_CSS = """
    NurseEntryDialog { align: center middle; }
    NurseEntryDialog > Vertical { width: 76; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    NurseEntryDialog Input, NurseEntryDialog Select { width: 1fr; }
    NurseEntryDialog .buttons { height: auto; margin-top: 1; }
    NurseEntryDialog Button { margin-right: 2; }
    NurseEntryDialog #problem { color: $error; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, device_id: str, case_id: str, at_seq: int | None, user: str, kind: str = "contrast_ml") -> None:
        super().__init__()
        self.device_id = device_id
        self.case_id = case_id
        self.at_seq = at_seq
        self.user = user
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Nurse entry for case {self.case_id} (stored on this workstation)")
            yield Select([(label, k) for k, label in KINDS], value=self.kind, allow_blank=False, id="kind")
            yield Input(placeholder="amount (a number)", id="value")
            yield Checkbox("this is the running total shown on the injector / X-ray system", id="total")
            yield Input(placeholder="device name, e.g. Corsair Pro XS 150 cm", id="item")
            yield Input(placeholder="lot number", id="lot")
            yield Select([(label, cid) for cid, label in COMPLICATIONS], prompt="complication", id="complication")
            yield Input(placeholder="text (for a note, or details)", id="text")
            yield Input(value=self.user, placeholder="entered by (your name)", id="by")
            yield Label("", id="problem")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.show_fields()
        self.query_one("#value" if self.kind in NUMERIC else "#text", Input).focus()

    def show_fields(self) -> None:
        used = FIELDS[self.kind]
        for name in ("value", "total", "item", "lot", "complication", "text"):
            self.query_one(f"#{name}").display = name in used

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "kind" and event.value is not Select.BLANK:
            self.kind = str(event.value)
            self.show_fields()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _text(self, name: str) -> str | None:
        return self.query_one(f"#{name}", Input).value.strip() or None

    def entry(self) -> dict:
        """The add_entry() arguments the form holds for its kind; ValueError for a number that is not one."""
        kind, args = self.kind, {}
        if kind in NUMERIC:
            raw = self._text("value")
            if raw is None:
                raise ValueError("type the amount")
            try:
                args["value"] = float(raw.replace(",", "."))
            except ValueError:
                raise ValueError(f"the amount must be a number, not {raw!r}") from None
            args["is_total"] = self.query_one("#total", Checkbox).value
        if kind == "device":
            args["item"], args["lot"], args["text"] = self._text("item"), self._text("lot"), self._text("text")
        if kind == "complication":
            choice = self.query_one("#complication", Select).value
            args["item"] = None if choice is Select.BLANK else str(choice)
            args["text"] = self._text("text")
        if kind == "note":
            args["text"] = self._text("text")
        return args

    def save(self) -> None:
        from bedside.store import StoreError
        from bedside.store.nurse import add_entry

        problem = self.query_one("#problem", Label)
        try:
            args = self.entry()
            new_id = add_entry(self.app.ctx.store, self.device_id, self.case_id, self.kind,
                               entered_by=self.query_one("#by", Input).value, at_seq=self.at_seq, **args)
        except (ValueError, StoreError) as e:
            problem.update(f"Not saved: {e}")
            return
        self.dismiss(new_id)
