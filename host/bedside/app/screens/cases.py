"""The case list: every case in the database, searchable and sortable, a page at a time.

Search, sort and paging are the store's (bedside.store.summaries.list_cases, in SQL);
the query runs in a thread worker, so typing stays smooth with 10,000 cases, and only
the newest request's answer is shown.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label

from bedside.app.format import MISSING

PAGE = 200  # rows per query; PageDown at the end of the table asks for the next page

# (column key = the store's sort key, header, width, how a CaseRow shows it). The date is the panel's
# wall clock at the case's first event (UTC), or, marked "(host)", when this workstation first heard of it.
COLUMNS = (
    ("date", "Date", 23, lambda r: r.date.strftime("%Y-%m-%d %H:%M") + (" UTC" if r.date_source == "panel"
                                                                          else " (host)")),
    ("operator", "Operator", 16, lambda r: r.operator),
    ("vessel", "Vessel", 9, lambda r: r.vessel),
    ("techniques", "Techniques", 22, lambda r: r.techniques),
    ("outcome", "Outcome", 8, lambda r: r.outcome),
    ("sync", "Sync", 14, lambda r: r.sync),
    ("case", "Case", 12, lambda r: r.case_id),
)


class CasesLoaded(Message):
    def __init__(self, serial: int, page, append: bool) -> None:
        super().__init__()
        self.serial = serial
        self.page = page
        self.append = append


class CasesScreen(Screen):
    """A DataTable of one page of the store's case query; Enter opens a case."""

    DEFAULT_CSS = """
    CasesScreen #bar { height: 3; padding: 0 1; }
    CasesScreen #search { width: 1fr; }
    CasesScreen #count { width: auto; padding: 1 1 0 1; }
    CasesScreen DataTable { height: 1fr; }
    """
    AUTO_FOCUS = "DataTable"
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("m", "more", "More rows"),
        Binding("f5", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = "date"
        self.descending = True
        self.serial = 0  # the newest query; older answers are dropped
        self.total = 0
        self.keys: dict[str, tuple[str, str]] = {}
        self.pending_select: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="bar"):
            yield Input(placeholder="Search: operator, vessel, technique, outcome, case id (all words)", id="search")
            yield Label("loading ...", id="count")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Cases"
        table = self.query_one(DataTable)
        for key, label, width, _show in COLUMNS:
            table.add_column(label, key=key, width=width)
        self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.serial:
            self.reload()

    # -- queries ---------------------------------------------------------------------

    def reload(self, append: bool = False) -> None:
        """Ask the store for a page matching the search, in the chosen order (in a worker)."""
        self.serial += 1
        text = self.query_one("#search", Input).value
        offset = self.query_one(DataTable).row_count if append else 0
        self.load(self.serial, text, self.sort, self.descending, offset, append)

    @work(thread=True, exclusive=True, group="cases")
    def load(self, serial: int, text: str, sort: str, descending: bool, offset: int, append: bool) -> None:
        from bedside.store.summaries import list_cases

        page = list_cases(self.app.ctx.store, text, sort, descending, limit=PAGE, offset=offset)
        self.post_message(CasesLoaded(serial, page, append))

    def on_cases_loaded(self, message: CasesLoaded) -> None:
        if message.serial != self.serial:
            return
        table = self.query_one(DataTable)
        if not message.append:
            table.clear()
            self.keys = {}
        for r in message.page.rows:
            key = f"{r.device_id}/{r.case_id}"
            self.keys[key] = (r.device_id, r.case_id)
            table.add_row(*((show(r) or MISSING) for _k, _h, _w, show in COLUMNS), key=key)
        self.total = message.page.total
        arrow = "newest first" if self.sort == "date" and self.descending else ("↓" if self.descending else "↑")
        shown = f"{table.row_count} of {self.total}" if self.total > table.row_count else f"{self.total}"
        self.query_one("#count", Label).update(f"{shown} case(s), by {self.sort} {arrow}")
        if self.pending_select:
            self.select_case(*self.pending_select)

    # -- actions ---------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def action_more(self) -> None:
        if self.query_one(DataTable).row_count < self.total:
            self.reload(append=True)

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

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.query_one(DataTable)
        if event.cursor_row >= table.row_count - 1 and table.row_count < self.total:
            self.action_more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_case(*self.keys[event.row_key.value])

    def select_case(self, device_id: str, case_id: str) -> bool:
        """Put the cursor on a case (the demo shows the case it just synced)."""
        key = f"{device_id}/{case_id}"
        if key not in self.keys:
            self.pending_select = (device_id, case_id)
            return False
        self.pending_select = None
        table = self.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(key))
        return True
