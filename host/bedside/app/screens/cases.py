"""The case list: every case in the database, searchable and sortable, a page at a time."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label

from bedside.app.format import MISSING

PAGE = 500  # rows fetched per query: the store sorts and filters, the table holds one page

COLUMNS = (("date", "Date"), ("operator", "Operator"), ("vessel", "Vessel"), ("techniques", "Techniques"),
           ("outcome", "Outcome"), ("sync", "Sync"), ("case", "Case"))


class CasesScreen(Screen):
    """A DataTable fed by the store's case query; search and sort are the store's, not the table's."""

    DEFAULT_CSS = """
    CasesScreen #bar { height: 3; padding: 0 1; }
    CasesScreen #search { width: 1fr; }
    CasesScreen #count { width: auto; padding: 1 1 0 1; }
    CasesScreen DataTable { height: 1fr; }
    """
    AUTO_FOCUS = "DataTable"
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("enter", "open", "Open case", show=True),
        Binding("f5", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = "date"
        self.descending = True
        self.keys: dict[str, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="bar"):
            yield Input(placeholder="Search: operator, vessel, technique, outcome, case id", id="search")
            yield Label("", id="count")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Cases"
        table = self.query_one(DataTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def action_reload(self) -> None:
        self.reload()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = key, key == "date"
        self.reload()

    def reload(self) -> None:
        """Ask the store for one page of rows matching the search, in the chosen order."""
        from bedside.app import caserows

        text = self.query_one("#search", Input).value.strip()
        rows, total = caserows.page(self.app.ctx.store, text, self.sort, self.descending, PAGE)
        table = self.query_one(DataTable)
        table.clear()
        self.keys = {}
        for r in rows:
            key = f"{r.device_id}/{r.case_id}"
            self.keys[key] = (r.device_id, r.case_id)
            table.add_row(*(r.cells.get(k) or MISSING for k, _ in COLUMNS), key=key)
        arrow = "↓" if self.descending else "↑"
        shown = f"{len(rows)} of {total}" if total > len(rows) else f"{total}"
        self.query_one("#count", Label).update(f"{shown} case(s), by {self.sort} {arrow}")

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.app.open_case(*self.keys[key])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_case(*self.keys[event.row_key.value])

    def select_case(self, device_id: str, case_id: str) -> bool:
        """Put the cursor on a case (the demo shows the case it just synced)."""
        table = self.query_one(DataTable)
        try:
            table.move_cursor(row=table.get_row_index(f"{device_id}/{case_id}"))
        except Exception:
            return False
        return True
