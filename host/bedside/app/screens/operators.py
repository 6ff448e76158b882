"""Operators: profiles computed from the synced cases (bedside.operators), entered here, pushed to the panel."""

from __future__ import annotations

from datetime import datetime, timezone

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label

from bedside.app.format import MISSING

COLUMNS = (("name", "Operator", 20), ("since", "CTO since", 9), ("years", "Years", 5), ("cases", "Cases here", 10),
           ("volume", "Annual volume", 13), ("ly_cases", "Last-year cases", 15),
           ("ly_success", "Last-year success", 18), ("unknown", "Outcome unknown", 15),
           ("records", "Records here", 30))


class ProfilesPushed(Message):
    def __init__(self, ids: list[str] | None, error: str | None = None) -> None:
        super().__init__()
        self.ids = ids
        self.error = error


def _v(x) -> str:
    return MISSING if x is None else str(x)


class OperatorsScreen(Screen):
    DEFAULT_CSS = """
    OperatorsScreen > Vertical { padding: 0 1; }
    OperatorsScreen DataTable { height: 1fr; }
    OperatorsScreen #add { height: auto; margin-top: 1; }
    OperatorsScreen #name { width: 1fr; }
    OperatorsScreen #year { width: 24; }
    OperatorsScreen #status.error { color: $error; text-style: bold; }
    OperatorsScreen Label { margin-top: 1; }
    """
    AUTO_FOCUS = "DataTable"
    BINDINGS = [Binding("a", "add", "Add operator"), Binding("u", "push", "Push to panel")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Label("Computed from the cases in this database as of today; unknown is shown as —, never 0. "
                        "The annual volume needs records from the first year of practice, the last-year figures "
                        "a full year of records: where the records here start later, the value is unknown. "
                        "The panel uses these for the operator-CTO score.")
            yield DataTable(id="operators", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="add"):
                yield Input(placeholder="new operator's name", id="name")
                yield Input(placeholder="first CTO year", id="year", max_length=4)
                yield Button("Add", id="add-button")
                yield Button("Push to panel (u)", id="push", variant="primary")
            yield Label("", id="status")
        yield Footer()

    def today(self) -> datetime:
        return datetime.fromtimestamp(self.app.ctx.clock(), tz=timezone.utc)

    def on_mount(self) -> None:
        self.title = "Operators"
        table = self.query_one(DataTable)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def reload(self) -> None:
        from bedside.operators import profiles

        table = self.query_one(DataTable)
        table.clear()
        for p in profiles(self.app.ctx.store, self.today()):
            pct = p.last_year_success_pct
            success = MISSING if p.last_year_cases is None else \
                f"{p.last_year_successes}/{p.last_year_cases}" + ("" if pct is None else f" ({pct:.1f} %)")
            table.add_row(p.name, _v(p.cto_start_year), _v(p.years), str(p.cases), _v(p.annual_volume),
                          _v(p.last_year_cases), success, str(p.last_year_unknown), _v(p.coverage),
                          key=str(p.operator_id))

    def _status(self, text: str, error: bool = False) -> None:
        label = self.query_one("#status", Label)
        label.update(text)
        label.set_class(error, "error")

    def action_add(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.add_operator()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-button":
            self.add_operator()
        elif event.button.id == "push":
            self.action_push()

    def add_operator(self) -> None:
        from bedside.operators import add
        from bedside.store import StoreError

        name = self.query_one("#name", Input).value
        year_text = self.query_one("#year", Input).value.strip()
        try:
            year = int(year_text) if year_text else None
        except ValueError:
            self._status(f"Not added: the first CTO year is a year like 2015, not {year_text!r}.", error=True)
            return
        try:
            add(self.app.ctx.store, name, year, self.today())
        except StoreError as e:
            self._status(f"Not added: {e}", error=True)
            return
        self.query_one("#name", Input).value = ""
        self.query_one("#year", Input).value = ""
        self._status(f"Added {name.strip()}.")
        self.reload()

    def action_push(self) -> None:
        if not self.app.ctx.port:
            self._status("Choose the panel's port first (c), then push the profiles.", error=True)
            return
        self._status(f"Pushing the profiles to the panel on {self.app.ctx.port} ...")
        self.push_profiles()

    @work(thread=True, exclusive=True, group="push")
    def push_profiles(self) -> None:
        from bedside.app.errors import explain
        from bedside.link import LinkError, PanelLink
        from bedside.operators import push
        from bedside.pairing import PairingError

        ctx = self.app.ctx
        try:
            with ctx.guard.exclusive(), PanelLink(ctx.port) as link:
                ids = push(link, ctx.hosts, ctx.store, self.today())
            self.post_message(ProfilesPushed(ids))
        except (LinkError, PairingError) as e:
            self.post_message(ProfilesPushed(None, explain(e, ctx.port)))

    def on_profiles_pushed(self, message: ProfilesPushed) -> None:
        if message.error:
            self._status(f"Not pushed: {message.error}", error=True)
        else:
            self._status(f"The panel stored {len(message.ids)} operator profile(s).")
