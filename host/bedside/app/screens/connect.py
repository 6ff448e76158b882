"""Connect and sync: choose the panel's serial port, pair, sync with a progress bar and a summary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select

from bedside.app import jobs
from bedside.app.dialogs.pair_code import PairCodeDialog
from bedside.app.messages import CodeNeeded, LinkFailed, Paired, PanelFound, SyncFinished
from bedside.app.widgets.sync_panel import SyncPanel


class ConnectScreen(Screen):
    """Port, pairing and sync; every link job runs in a thread worker and reports by message."""

    DEFAULT_CSS = """
    ConnectScreen > Vertical { padding: 1 2; }
    ConnectScreen .row { height: auto; margin-bottom: 1; }
    ConnectScreen Select { width: 1fr; }
    ConnectScreen #path { width: 1fr; }
    ConnectScreen Button { margin-right: 2; }
    ConnectScreen #panel-status { margin-bottom: 1; }
    ConnectScreen .error { color: $error; text-style: bold; }
    ConnectScreen .title { text-style: bold; }
    """
    BINDINGS = [Binding("f5", "refresh_ports", "Find ports")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Label("Serial port of the panel", classes="title")
            with Horizontal(classes="row"):
                yield Select([], prompt="Ports found on this workstation", id="ports", allow_blank=True)
            with Horizontal(classes="row"):
                yield Input(placeholder="or type a path, e.g. /dev/ttyACM0", id="path")
                yield Button("Use this port", id="use", variant="primary")
            yield Label("No port chosen.", id="panel-status")
            yield Label("To pair, first open pairing on the panel (its Pair a host button), then Pair (p) here.",
                        id="pair-hint")
            with Horizontal(classes="row"):
                yield Button("Pair (p)", id="pair")
                yield Button("Sync (s)", id="sync", variant="success")
            yield SyncPanel()
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_ports()
        if self.app.ctx.port:
            self.query_one("#path", Input).value = self.app.ctx.port
            self.query_one("#panel-status", Label).update(f"Port {self.app.ctx.port}.")

    def action_refresh_ports(self) -> None:
        ports = list(self.app.ctx.ports())
        known = {p for p, _ in ports}
        if self.app.ctx.port and self.app.ctx.port not in known:
            ports.insert(0, (self.app.ctx.port, "in use"))
        select = self.query_one("#ports", Select)
        select.set_options([(f"{path}  {desc}".rstrip(), path) for path, desc in ports])
        if not ports:
            self.query_one("#panel-status", Label).update("No serial ports found: connect the panel's cable, "
                                                          "or type the path (F5 looks again).")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK:
            self.query_one("#path", Input).value = str(event.value)
            self.use_port(str(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.use_port(event.value.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "use":
            self.use_port(self.query_one("#path", Input).value.strip())
        elif event.button.id == "pair":
            self.start_pairing()
        elif event.button.id == "sync":
            self.start_sync()

    def _status(self, text: str, error: bool = False) -> None:
        label = self.query_one("#panel-status", Label)
        label.update(text)
        label.set_class(error, "error")

    def use_port(self, path: str) -> None:
        """Choose `path` and check a panel answers there (handshake only)."""
        if not path:
            self._status("Type the port's path or choose one from the list.", error=True)
            return
        ctx = self.app.ctx
        ctx.port = path
        self._status(f"Asking {path} who it is ...")
        self.run_worker(lambda: jobs.hello_job(path, ctx.hosts, ctx.guard, self.post_message),
                        name="hello", thread=True, exit_on_error=False)

    def start_pairing(self) -> None:
        ctx = self.app.ctx
        if not ctx.port:
            self._status("Choose the panel's port first, then pair.", error=True)
            return
        self._status(f"Pairing with the panel on {ctx.port}: with pairing open on the panel, it now shows a code "
                     "and this workstation's name ...")
        self.run_worker(lambda: jobs.pair_job(ctx.port, ctx.hosts, ctx.store, ctx.guard, self.post_message,
                                              ctx.read_code, ctx.open_pairing),
                        name="pair", thread=True, exit_on_error=False)

    def start_sync(self) -> None:
        if not self.query_one(SyncPanel).start():
            self._status("Choose the panel's port first, then sync." if not self.app.ctx.port
                         else "A sync is already running.", error=not self.app.ctx.port)

    def on_panel_found(self, message: PanelFound) -> None:
        h = message.hello
        paired = "paired with this workstation" if message.paired else "NOT paired with this workstation: pair (p)"
        self._status(f"Panel {h['device_id']} on {self.app.ctx.port}: firmware {h['firmware']}, protocol "
                     f"v{h['version']}, content {h['content']}; {paired}.")

    def on_code_needed(self, message: CodeNeeded) -> None:
        def answered(code: str | None) -> None:
            message.answer.set_result(code)

        self.app.push_screen(PairCodeDialog(message.device_id), answered)

    def on_paired(self, message: Paired) -> None:
        self._status(f"Paired with panel {message.device_id}. You can sync now (s).")
        self.notify(f"Paired with panel {message.device_id}")
        self.app.follow_again()

    def on_link_failed(self, message: LinkFailed) -> None:
        self._status(message.text, error=True)

    def on_sync_finished(self, message: SyncFinished) -> None:
        self.notify(f"Synced {len(message.summary.cases)} case(s) from {message.summary.device_id}")
