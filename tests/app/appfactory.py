"""A deterministic workstation app for Pilot and snapshot tests: sample cases, a fixed clock, fixed ports and user.

The cases come from bedside.samples (fixed seed, fixed clock), so every screen shows
the same thing on every machine. Nothing here opens a serial port unless a test gives
the context one.
"""

from __future__ import annotations

from pathlib import Path

from bedside import samples
from bedside.app import AppContext, BedsideApp
from bedside.pairing import HostStore
from bedside.store import Store

SIZE = (120, 36)  # the terminal every snapshot is taken at
FIXED_WALL = samples.CLOCK_END_MS / 1000 + 3600  # an hour after the newest sample case
FIXED_MONOTONIC = 5000.0
PORTS = [("/dev/ttyACM0", "Bedside panel (USB CDC)"), ("/dev/ttyUSB0", "USB serial")]


class Clock:
    """A monotonic clock that moves only when told (timers on the live screen)."""

    def __init__(self, t: float = FIXED_MONOTONIC) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def sample_store(tmp: Path, n: int = 30) -> Store:
    store = Store(f"sqlite:///{tmp / 'cases.db'}")
    if n:
        samples.fill(store, n)
    return store


def make_context(tmp: Path, store: Store | None = None, n: int = 30, **fields) -> AppContext:
    """The app's context over `n` sample cases in a new SQLite file under `tmp`."""
    store = store or sample_store(tmp, n)
    defaults = dict(hosts=HostStore(tmp / "pairing.json", host_name="test desk"), clock=lambda: FIXED_WALL,
                    monotonic=Clock(), tick_seconds=0, ports=lambda: list(PORTS), user="Nurse Test",
                    export_dir=tmp / "exports")
    defaults.update(fields)
    return AppContext(store=store, **defaults)


def make_app(tmp: Path, start: str = "cases", theme: str = "textual-dark", **ctx_fields) -> BedsideApp:
    app = BedsideApp(make_context(tmp, **ctx_fields), start=start, theme=theme)
    app.animation_level = "none"  # no tab underline caught halfway in a snapshot
    return app
