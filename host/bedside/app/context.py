"""What the app's screens share: the store, the host's pairing keys, the port, the clock, who is at the desk."""

from __future__ import annotations

import getpass
import time
from pathlib import Path
from collections.abc import Callable
from dataclasses import dataclass, field

from bedside.app.jobs import PortGuard, list_ports
from bedside.pairing import HostStore


@dataclass
class AppContext:
    """Built once by the caller (cli `bedside app`, the demo, a test's factory) and handed to BedsideApp.

    clock: wall time in seconds since 1970 (a fixed value makes the screens deterministic).
    monotonic: seconds for timers that tick on screen (fixed in snapshot tests).
    live: follow the panel's live pushes as soon as a port is known.
    read_code: where pairing codes come from instead of asking (the demo reads the simulated panel's screen).
    open_pairing: stands in for the person who opens pairing on the panel before the workstation pairs
        (the demo taps the simulated panel's "Pair a host"); None: a person does it at the table.
    ports: what the port list shows (pyserial's list by default; fixed in tests).
    """

    store: object  # bedside.store.Store
    hosts: HostStore
    port: str | None = None
    user: str = field(default_factory=lambda: _user())
    clock: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    live: bool = True
    read_code: Callable[[str], str] | None = None
    open_pairing: Callable[[], None] | None = None
    auto_sync: bool = True  # sync when the live case closes (the after-case safety net)
    show_cases_after_sync: bool = False  # the demo: after the live case's sync, open the case list
    tick_seconds: float = 1.0  # how often on-screen clocks refresh (0: never, for snapshots)
    guard: PortGuard = field(default_factory=PortGuard)
    ports: Callable[[], list[tuple[str, str]]] = list_ports  # (path, description) of the serial ports found
    export_dir: Path = field(default_factory=Path.home)  # where exports go unless the nurse types another path


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "nurse"
