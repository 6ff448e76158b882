"""One case in full: timeline with step times, technique steps, findings, scores with their basis, outcome, nurse entries."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from bedside.app.widgets import case_parts

TABS = (("timeline", "Timeline"), ("steps", "Steps"), ("findings", "Findings"), ("scores", "Scores"),
        ("outcome", "Outcome"), ("nurse", "Nurse entries"))


class CaseDetailScreen(Screen):
    """Reads summaries.case_detail() once and shows its parts in tabs; Escape goes back."""

    DEFAULT_CSS = """
    CaseDetailScreen #case-header { padding: 0 1; height: auto; border-bottom: solid $primary; }
    CaseDetailScreen TabbedContent { height: 1fr; }
    CaseDetailScreen VerticalScroll { padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("t", "tab('timeline')", "Timeline", show=False),
        Binding("x", "tab('scores')", "Scores", show=False),
    ]

    def __init__(self, device_id: str, case_id: str) -> None:
        super().__init__()
        self.device_id = device_id
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        from bedside.store.summaries import case_detail

        self.detail = case_detail(self.app.ctx.store, self.device_id, self.case_id)
        d, s = self.detail, self.detail["summary"]
        yield Header()
        yield Static(case_parts.header(d), id="case-header")
        parts = {"timeline": case_parts.timeline(s), "steps": case_parts.steps(s),
                 "findings": case_parts.findings(s), "scores": case_parts.scores(s), "outcome": case_parts.outcome(d),
                 "nurse": case_parts.nurse_entries(d["nurse_entries"])}
        with TabbedContent(id="tabs"):
            for key, title in TABS:
                with TabPane(title, id=key), VerticalScroll():
                    yield Static(parts[key], id=f"{key}-body")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Case {self.case_id}"

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
