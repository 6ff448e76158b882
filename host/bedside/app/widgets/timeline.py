"""A case's timeline as a table: time (wall clock or relative, said so), step time, what happened."""

from __future__ import annotations

from textual.widgets import DataTable

from bedside.app.format import when


def text_of(row: dict) -> str:
    return row["text"] + (" (undone)" if row.get("undone") else "")


class Timeline(DataTable):
    """Rows of bedside.casefile timeline entries; add_events() appends as they arrive."""

    DEFAULT_CSS = "Timeline { height: 1fr; }"

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("#", key="seq", width=4)
        self.add_column("time", key="time", width=14)
        self.add_column("event", key="text")

    def add_events(self, rows: list[dict], follow: bool = True) -> None:
        for r in rows:
            self.add_row(str(r["seq"]), when(r), text_of(r), key=str(r["seq"]))
        if follow and rows:
            self.move_cursor(row=self.row_count - 1)

    def mark_undone(self, rows: list[dict]) -> None:
        """Show events an undo cancelled as such (they stay on the timeline)."""
        for r in rows:
            if r.get("undone"):
                self.update_cell(str(r["seq"]), "text", text_of(r))

    def set_events(self, rows: list[dict]) -> None:
        self.clear()
        self.add_events(rows, follow=False)

