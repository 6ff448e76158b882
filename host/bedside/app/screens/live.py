"""The live case: what the operator is doing now, as the panel pushes each event, and the nurse's entries."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label
from textual.worker import get_current_worker

from bedside.app import jobs
from bedside.app.dialogs.nurse_entry import NurseEntryDialog
from bedside.app.messages import LiveEvents, LiveState, SyncFinished
from bedside.app.widgets.case_parts import entry_text
from bedside.app.widgets.live_status import LiveStatus, StepTimes
from bedside.app.widgets.sync_panel import SyncPanel
from bedside.app.widgets.timeline import Timeline
from bedside.casefile import LiveCase
from bedside.store import nurse

STATES = {
    "connecting": "Connecting to {detail} ...",
    "following": "Following panel {detail} live.",
    "paused": "Paused: {detail}.",
    "lost": "Link lost, retrying: {detail}",
    "stopped": "Not following: {detail}",
}


class LiveScreen(Screen):
    """Follows the panel in a thread worker (jobs.follow_job); the model is a bedside.casefile.LiveCase."""

    DEFAULT_CSS = """
    LiveScreen #link { padding: 0 1; background: $boost; }
    LiveScreen #link.error { color: $error; text-style: bold; }
    LiveScreen #left { width: 45%; min-width: 50; }
    LiveScreen #right { width: 1fr; }
    LiveScreen #entries { padding: 0 1; height: auto; }
    """
    BINDINGS = [
        Binding("n", "nurse_entry", "Nurse entry"),
        Binding("f", "follow", "Follow panel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.device_id: str | None = None
        self.case_id: str | None = None
        self.model: LiveCase | None = None
        self.entries: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Not connected: choose the panel's port (c).", id="link")
        with Horizontal():
            with Vertical(id="left"):
                yield LiveStatus(id="now")
                yield Label("No nurse entries yet for this case (n adds one).", id="entries")
                yield SyncPanel()
            with Vertical(id="right"):
                yield StepTimes("No technique checklist yet.", id="steps")
                yield Timeline(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Live case"
        self.refresh_status()
        if self.app.ctx.tick_seconds:
            self.set_interval(self.app.ctx.tick_seconds, self.refresh_status)
        if self.app.ctx.port and self.app.ctx.live:
            self.action_follow()

    def on_screen_resume(self) -> None:
        # A port chosen on the Connect screen since: follow it now.
        if self.is_mounted and self.app.ctx.port and self.app.ctx.live and not self.following:
            self.action_follow()

    # -- following the panel ------------------------------------------------------------

    @property
    def following(self) -> bool:
        return any(w.name == "follow" and not w.is_finished for w in self.workers)

    def action_follow(self) -> None:
        ctx = self.app.ctx
        if not ctx.port:
            self._link("No port chosen: open Connect (c) and choose the panel's port.", error=True)
            return
        if self.following:
            return

        def work() -> None:
            worker = get_current_worker()
            jobs.follow_job(ctx.port, ctx.hosts, ctx.store, ctx.guard, self.post_message,
                            lambda: worker.is_cancelled)

        self.run_worker(work, name="follow", thread=True, exit_on_error=False)

    def _link(self, text: str, error: bool = False) -> None:
        label = self.query_one("#link", Label)
        label.update(text)
        label.set_class(error, "error")

    def on_live_state(self, message: LiveState) -> None:
        self._link(STATES.get(message.state, "{detail}").format(detail=message.detail),
                   error=message.state in ("lost", "stopped"))

    def on_live_events(self, message: LiveEvents) -> None:
        ctx = self.app.ctx
        timeline = self.query_one(Timeline)
        if self.model is None or (message.device_id, message.case_id) != (self.device_id, self.case_id):
            # A new case (or the first we see): start from what the store already holds of it.
            self.device_id, self.case_id = message.device_id, message.case_id
            self.model = LiveCase(ctx.store.events(message.device_id, message.case_id), clock=ctx.monotonic)
            timeline.set_events(self.model.timeline)
            self.refresh_entries()
        was_closed = self.model.summary()["closed"] if self.model.timeline else False
        for ev in message.events:
            rows = self.model.feed(ev)
            timeline.add_events(rows)
            if any(r["kind"] == "undo" for r in rows):
                timeline.mark_undone(self.model.timeline)
        self.query_one(StepTimes).show(self.model.summary()["techniques"])
        self.refresh_status()
        if ctx.auto_sync and not was_closed and self.model.status(ctx.monotonic())["closed"]:
            self.notify("The case is closed on the panel: syncing it now.")
            self.query_one(SyncPanel).start()

    async def on_sync_finished(self, message: SyncFinished) -> None:
        self.notify(f"Synced: {len(message.summary.cases)} case(s), {message.summary.new} new event(s). "
                    "The case is in the case list (l).")
        if self.app.ctx.show_cases_after_sync and self.case_id is not None:
            await self.app.switch_mode("cases")
            self.app.screen.select_case(self.device_id, self.case_id)

    # -- what is shown ------------------------------------------------------------------

    def refresh_status(self) -> None:
        ctx = self.app.ctx
        status = self.model.status(ctx.monotonic()) if self.model else LiveCase().status(ctx.monotonic())
        self.query_one(LiveStatus).show(status, self.tallies())

    def tallies(self) -> dict | None:
        return nurse.tallies(self.entries) if self.case_id else None

    def refresh_entries(self) -> None:
        """Re-read this case's nurse entries (they are few) and show the latest."""
        self.entries = nurse.entries(self.app.ctx.store, self.device_id, self.case_id) if self.case_id else []
        label = self.query_one("#entries", Label)
        if not self.entries:
            label.update("No nurse entries yet for this case (n adds one).")
        else:
            shown = [f"{e.entered_by}: {entry_text(nurse.as_dict(e))}" for e in self.entries[-4:]]
            label.update(f"Nurse entries ({len(self.entries)}), latest:\n" + "\n".join(shown))
        self.refresh_status()

    def action_nurse_entry(self) -> None:
        if self.case_id is None:
            self.notify("Nurse entries belong to a case: wait for the panel to start one.", severity="warning")
            return
        at_seq = len(self.model.timeline) if self.model else None

        def saved(entry_id: int | None) -> None:
            if entry_id is not None:
                self.notify("Nurse entry stored.")
                self.refresh_entries()

        self.app.push_screen(NurseEntryDialog(self.device_id, self.case_id, at_seq or None, self.app.ctx.user), saved)
