"""`bedside demo` with the app: the simulated panel plays a wires-hand-in-hand case; the nurse watches it live.

The panel is the real firmware on the MicroPython unix port behind a pty, so no
board is needed. This workstation pairs with it first (the code is read off the
simulated panel's screen, as a nurse would read it, after opening pairing on it as the
person at the table would), then the app opens on the
live screen; when the case closes it syncs and shows the case list.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from bedside.app.app import BedsideApp
from bedside.app.context import AppContext
from bedside.link import PanelLink
from bedside.pairing import HostStore
from bedside.scenarios import whih_case, write
from bedside.sim import PanelSim
from bedside.store import Store
from bedside.sync import pair


def demo_app(sim: PanelSim, store, hosts: HostStore, **ctx_fields) -> BedsideApp:
    """The app on the live screen of a running simulated panel this host is paired with."""
    ctx = AppContext(store=store, hosts=hosts, port=sim.port, read_code=lambda _d: sim.pairing_code(),
                     open_pairing=sim.open_pairing, show_cases_after_sync=True, **ctx_fields)
    return BedsideApp(ctx, start="live")


def pair_with(sim: PanelSim, hosts: HostStore, store) -> str:
    """Pair with the simulated panel using the code its screen shows; returns its device id.

    First it opens pairing on the panel, as the person at the table would (a tap on "Pair a host")."""
    sim.open_pairing()
    with PanelLink(sim.port) as link:
        return pair(link, hosts, lambda _d: sim.pairing_code(), store)


def run_demo(speed: int, db: str | None, echo: Callable[[str], object] = print) -> None:
    """Start the simulated panel, pair, run the app on the live screen; stop the panel when the app quits."""
    work = Path(tempfile.mkdtemp(prefix="bedside-demo-"))
    script = write(whih_case(), work / "whih.jsonl")
    store = Store(db or f"sqlite:///{work / 'demo.db'}")
    hosts = HostStore(work / "pairing.json", host_name="demo workstation")
    echo("starting the simulated panel (the real firmware on the MicroPython unix port) ...")
    try:
        with PanelSim(workdir=work / "panel", play=script, speed=speed) as sim:
            sim.wait_ready()
            device_id = pair_with(sim, hosts, store)
            echo(f"paired with {device_id} on {sim.port}; opening the app (ctrl+q quits)")
            demo_app(sim, store, hosts).run()
    finally:
        store.close()
    echo(f"demo database: {db or work / 'demo.db'}")
