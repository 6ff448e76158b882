"""A progress bar and a status line for one sync, which it runs in a thread worker."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from bedside.app import jobs
from bedside.app.messages import LinkFailed, SyncFinished, SyncProgress


def summary_text(summary) -> str:
    """The one-paragraph summary of a finished sync (bedside.sync.SyncSummary)."""
    lines = [f"Panel {summary.device_id}: {len(summary.cases)} case(s), {summary.new} new event(s) stored, "
             f"{summary.duplicate} already held, {summary.round_trips} round trip(s)."]
    for c in summary.cases:
        lines.append(f"  case {c.case_id} ({'closed' if c.closed else 'open'}): {c.events} events, {c.new} new")
    lines += [f"  not synced: {f}" for f in summary.failures] + [f"  warning: {w}" for w in summary.warnings]
    return "\n".join(lines)


class SyncPanel(Vertical):
    """Runs bedside.sync through jobs.sync_job; SyncFinished and LinkFailed bubble on to the screen."""

    DEFAULT_CSS = """
    SyncPanel { height: auto; padding: 0 1; }
    SyncPanel ProgressBar { width: 1fr; }
    SyncPanel .error { color: $error; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1, show_eta=False, id="sync-bar")
        yield Label("Not synced yet in this session.", id="sync-status")

    @property
    def running(self) -> bool:
        return any(w.name == "sync" and not w.is_finished for w in self.workers)

    def start(self) -> bool:
        """Start a sync on the context's port; False (and a message) if there is no port or one runs."""
        ctx = self.app.ctx
        status = self.query_one("#sync-status", Label)
        if ctx.port is None:
            status.update("Choose the panel's port first.")
            status.add_class("error")
            return False
        if self.running:
            return False
        status.remove_class("error")
        status.update(f"Syncing from {ctx.port} ...")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.run_worker(lambda: jobs.sync_job(ctx.port, ctx.hosts, ctx.store, ctx.guard, self.post_message),
                        name="sync", thread=True, exit_on_error=False)
        return True

    def on_sync_progress(self, message: SyncProgress) -> None:
        self.query_one(ProgressBar).update(total=max(message.total, 1), progress=message.done)

    def on_sync_finished(self, message: SyncFinished) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(bar.total or 1, 1), progress=bar.total or 1)
        # what the panel sent (case ids, warnings quoting its values) is text, never markup
        self.query_one("#sync-status", Label).update("Synced. " + escape(summary_text(message.summary)))

    def on_link_failed(self, message: LinkFailed) -> None:
        if message.job != "sync":
            return
        status = self.query_one("#sync-status", Label)
        status.update("Sync failed: " + message.text)
        status.add_class("error")
        self.query_one(ProgressBar).update(total=None, progress=0)
