"""Export: CSV, JSON or a FHIR R4 bundle of every case (bedside.export), optionally de-identified."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select

FORMATS = (("CSV: cases.csv, events.csv, scores.csv (a folder)", "csv"), ("JSON: everything (one file)", "json"),
           ("HL7 FHIR bundle: Procedure with its Observations (one file, validated)", "fhir"))


class ExportDone(Message):
    def __init__(self, paths: list[Path] | None, error: str | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.error = error


def default_target(folder: Path, fmt: str, now: datetime, deidentified: bool) -> str:
    """A new name in `folder`: bedside-export-YYYYMMDD-HHMM[-deid] (a folder for CSV, else .json / .fhir.json)."""
    stem = f"bedside-export-{now:%Y%m%d-%H%M}" + ("-deid" if deidentified else "")
    return str(Path(folder) / (stem if fmt == "csv" else f"{stem}.{'fhir.json' if fmt == 'fhir' else 'json'}"))


class ExportScreen(Screen):
    DEFAULT_CSS = """
    ExportScreen > Vertical { padding: 1 2; }
    ExportScreen Select, ExportScreen Input { width: 1fr; margin-bottom: 1; }
    ExportScreen Horizontal { height: auto; }
    ExportScreen #result { margin-top: 1; }
    ExportScreen #result.error { color: $error; text-style: bold; }
    """
    BINDINGS = [Binding("ctrl+s", "export", "Export")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Label("Every case in this database, with its events, scores, nurse entries and figures.")
            yield Select(FORMATS, value="csv", allow_blank=False, id="format")
            yield Checkbox("De-identified: no names, free text, ids or dates (years only; relative times kept)",
                           id="deid")
            yield Input(id="target", placeholder="where to write")
            with Horizontal():
                yield Button("Export (ctrl+s)", id="go", variant="primary")
            yield Label("", id="result")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Export"
        self.update_target()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.app.ctx.clock(), tz=timezone.utc)

    def update_target(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        deid = self.query_one("#deid", Checkbox).value
        self.query_one("#target", Input).value = default_target(self.app.ctx.export_dir, fmt, self.now(), deid)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.update_target()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.update_target()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_export()

    def action_export(self) -> None:
        target = self.query_one("#target", Input).value.strip()
        result = self.query_one("#result", Label)
        if not target:
            result.update("Say where to write the export.")
            result.add_class("error")
            return
        result.remove_class("error")
        result.update("Exporting ...")
        self.run_export(str(self.query_one("#format", Select).value), target, self.query_one("#deid", Checkbox).value)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, fmt: str, target: str, deidentify: bool) -> None:
        from bedside.export import write

        try:
            self.post_message(ExportDone(write(self.app.ctx.store, fmt, target, deidentify)))
        except Exception as e:  # a full disk, a folder in the way, a bundle the FHIR library refuses: say it
            self.post_message(ExportDone(None, f"{type(e).__name__}: {e}"))

    def on_export_done(self, message: ExportDone) -> None:
        result = self.query_one("#result", Label)
        if message.error:
            result.update(f"Not exported: {message.error}")
            result.add_class("error")
        else:
            result.update("Written:\n" + "\n".join(f"  {p}" for p in message.paths))
