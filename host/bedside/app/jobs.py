"""The blocking serial work of the app, run in thread workers: handshake, pairing, sync, following live.

Each job takes a `post` callable (a screen's or widget's post_message, thread-safe)
and reports only through it. One port, one user at a time: PortGuard lets a sync
or a pairing take the port from the live follower, which steps aside and comes
back when they are done.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import contextmanager

from bedside.app.errors import explain
from bedside.app.messages import CodeNeeded, LinkFailed, LiveEvents, LiveState, Paired, PanelFound, SyncFinished, SyncProgress
from bedside.link import LinkError, PanelError, PanelLink
from bedside.pairing import HostStore, PairingError
from bedside.sync import events_of, pair, sync, sync_port

Post = Callable[[object], object]
CODE_WAIT_S = 300  # the nurse walks to the table and back


class PortGuard:
    """Who has the serial port: the live follower by default, a sync or a pairing when asked."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.wanted = threading.Event()  # set while a sync or pairing needs the port

    @contextmanager
    def exclusive(self, timeout: float = 5.0):
        self.wanted.set()
        try:
            if not self.lock.acquire(timeout=timeout):
                raise LinkError("the port stays busy: another task of this workstation holds it")
            try:
                yield
            finally:
                self.lock.release()
        finally:
            self.wanted.clear()


def list_ports() -> list[tuple[str, str]]:
    """(device path, description) of every serial port pyserial finds, by path."""
    from serial.tools import list_ports as lp

    return sorted((p.device, p.description or "") for p in lp.comports())


def hello_job(port: str, hosts: HostStore, guard: PortGuard, post: Post) -> None:
    """Open the port, shake hands, say who answered and whether this host is paired with it."""
    try:
        with guard.exclusive(), PanelLink(port) as link:
            reply = link.hello()
        post(PanelFound(reply, hosts.key_for(reply["device_id"]) is not None))
    except (LinkError, PairingError) as e:
        post(LinkFailed("connect", explain(e, port)))


def pair_job(port: str, hosts: HostStore, store, guard: PortGuard, post: Post,
             read_code: Callable[[str], str | None] | None = None,
             open_pairing: Callable[[], None] | None = None) -> None:
    """Pair with the panel; the code comes from read_code, or from the nurse through CodeNeeded.

    Pairing must have been opened on the panel first (its Pair a host screen); open_pairing, when given,
    does that for a simulated panel (the demo)."""

    def ask(device_id: str) -> str:
        if read_code is not None:
            code = read_code(device_id)
        else:
            answer: Future = Future()
            post(CodeNeeded(device_id, answer))
            code = answer.result(timeout=CODE_WAIT_S)
        if not code:
            raise PairingError("pairing cancelled: no code entered")
        from bedside.pairing import normalize_code

        return normalize_code(code)

    try:
        if open_pairing is not None:
            open_pairing()
        with guard.exclusive(), PanelLink(port) as link:
            device_id = pair(link, hosts, ask, store)
        post(Paired(device_id))
    except (LinkError, PairingError, TimeoutError) as e:
        post(LinkFailed("pair", explain(e, port)))


def sync_job(port: str, hosts: HostStore, store, guard: PortGuard, post: Post, attempts: int = 3) -> None:
    """Sync every case of the panel into the store, with progress; resumes from the checkpoint."""
    try:
        with guard.exclusive(timeout=10.0):
            summary = sync_port(port, store, hosts, attempts, lambda d, t: post(SyncProgress(d, t)))
        post(SyncFinished(summary))
    except (LinkError, PairingError) as e:
        post(LinkFailed("sync", explain(e, port)))


def follow_job(port: str, hosts: HostStore, store, guard: PortGuard, post: Post,
               cancelled: Callable[[], bool], retry_s: float = 1.0) -> None:
    """Follow the panel's live pushes until cancelled: store each event (idempotent) and post it.

    On connecting it first syncs (the events recorded before it was listening), then
    posts the open case whole (or the panel's latest); a push that leaves a gap (a lost frame) makes it
    sync again. Events are posted as the store holds them, wall times included.
    Steps aside while a sync or pairing wants the port; reconnects after a lost cable.
    Stops on a refusal only a person can fix (not paired, key refused).
    """
    while not cancelled():
        if guard.wanted.is_set() or not guard.lock.acquire(timeout=0.2):
            post(LiveState("paused", "a sync or pairing has the port"))
            time.sleep(0.2)
            continue
        try:
            post(LiveState("connecting", port))
            with PanelLink(port) as link:
                device_id = link.hello()["device_id"]
                post(LiveState("connecting", f"{port}: catching up with panel {device_id}"))
                sync(link, store, hosts)
                cases = store.cases(device_id)
                known = {c.case_id: [c.state, c.event_count, c.acked_seq] for c in cases}
                if cases:  # the case running now, else the panel's latest
                    latest = max(cases, key=lambda c: (c.state == "open", c.start_wall_ms or 0, c.first_seen))
                    post(LiveEvents(device_id, latest.case_id, store.events(device_id, latest.case_id)))
                post(LiveState("following", device_id))
                while not cancelled() and not guard.wanted.is_set():
                    for part in link.poll_pushed(wait=0.2):
                        rows = events_of(part)
                        if not rows:
                            continue
                        case_id = part["case"]
                        store.ingest(device_id, case_id, rows)
                        row = known.setdefault(case_id, ["open", 0, 0])
                        if rows[-1][0] > row[1] or any(r[2] == "close" for r in rows):
                            # the push tells what the panel holds now: the case list's sync state follows it
                            row[0] = "closed" if any(r[2] == "close" for r in rows) else row[0]
                            row[1] = max(row[1], rows[-1][0])
                            store.upsert_case(device_id, case_id, row[0], row[1], row[2])
                        if store.checkpoint(device_id, case_id) < rows[-1][0]:
                            sync(link, store, hosts)  # a gap below this push: pull it now
                            first = 1
                        else:
                            first = rows[0][0]
                        post(LiveEvents(device_id, case_id,
                                        [e for e in store.events(device_id, case_id) if e.seq >= first]))
        except (PanelError, PairingError) as e:
            post(LiveState("stopped", explain(e, port)))
            return
        except LinkError as e:
            post(LiveState("lost", explain(e, port)))
            time.sleep(retry_s)
        finally:
            guard.lock.release()
    post(LiveState("stopped", "no longer following"))
