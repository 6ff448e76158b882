"""Pairing, authentication and sync with a panel: every case into the store, exactly once, resumable.

Modelled on CouchDB replication: the host's checkpoint for a case is the highest
seq it holds with nothing missing below (Store.checkpoint); a pull asks for the
events after it, a window of frames per round trip; each frame's events are
stored as they arrive (idempotent on device, case, seq) and the panel is told
(ack) only what the store holds. A sync broken at any point resumes from the
checkpoint the next time, never from zero. No Textual here: the app and the
CLI both call these functions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from bedlink.mpack import unpack
from bedside.link import LinkError, PanelError, PanelLink
from bedside.pairing import AuthExchange, HostStore, PairingExchange

WINDOW = 64  # frames per pull: a 200-event case comes in one round trip


@dataclass
class CaseSync:
    """What one sync did for one case."""

    case_id: str
    events: int  # events the panel holds
    new: int = 0
    duplicate: int = 0
    closed: bool = False


@dataclass
class SyncSummary:
    """What one sync did, for the summary line and the sync_sessions row."""

    device_id: str
    session_id: int | None = None
    cases: list[CaseSync] = field(default_factory=list)
    anchors: int = 0
    round_trips: int = 0

    @property
    def new(self) -> int:
        return sum(c.new for c in self.cases)

    @property
    def duplicate(self) -> int:
        return sum(c.duplicate for c in self.cases)


def pair(link: PanelLink, hosts: HostStore, read_code: Callable[[str], str], store=None) -> str:
    """Pair this host with the panel on `link`; read_code(device_id) returns the code the panel shows.

    Returns the device id. Raises PanelError (wrong code, locked) or PairingError (a panel whose proof fails).
    """
    device_id = link.hello()["device_id"]
    exchange = PairingExchange(hosts, device_id)
    challenge = link.request("pair_start", exchange.start_fields())
    try:
        done = link.request("pair_confirm", exchange.confirm_fields(challenge, read_code(device_id)))
    except PanelError as e:
        if store is not None:
            store.audit("pair_failed", hosts.host_id, device_id, e.reason)
        raise
    exchange.finish(done)
    if store is not None:
        store.audit("pair", hosts.host_id, device_id, f"paired as {hosts.host_name}")
    return device_id


def authenticate(link: PanelLink, hosts: HostStore, device_id: str, store=None) -> None:
    """Challenge-response with the panel's key; both sides prove they hold it (fresh nonces each time).

    From then on every frame of the session is sealed under the session key both derived (protocol v3).
    """
    exchange = AuthExchange(hosts, device_id)
    try:
        challenge = link.request("auth_start", exchange.start_fields())
        exchange.finish(link.request("auth", exchange.answer_fields(challenge)))
    except PanelError as e:
        if store is not None:
            store.audit("auth_failed", hosts.host_id, device_id, e.reason)
        raise
    link.start_sealing(exchange.session_key())


def unpair(link: PanelLink, hosts: HostStore, store=None) -> str:
    """Remove this host's key from the panel and from this host; returns the device id."""
    device_id = link.hello()["device_id"]
    authenticate(link, hosts, device_id, store)
    link.request("unpair", {})
    hosts.forget(device_id)
    if store is not None:
        store.audit("unpair", hosts.host_id, device_id, "")
    return device_id


def push_profiles(link: PanelLink, hosts: HostStore, profiles: list[dict]) -> list[str]:
    """Send operator profiles to the panel for operator-CTO; returns the operator ids it stored.

    Each profile: operator_id, name, and what is known of annual_volume, years,
    last_year_cases, last_year_successes (the host computes them from its cases).
    """
    device_id = link.hello()["device_id"]
    authenticate(link, hosts, device_id)
    stored = []
    for p in profiles:
        fields = {k: v for k, v in p.items() if v is not None}
        stored.append(link.request("profile", fields)["operator_id"])
    return stored


def _pages(link: PanelLink, request: str, rows: str) -> list:
    out, start = [], 0
    while True:
        reply = link.request(request, {"start": start})
        out.extend(reply[rows])
        if not reply["next"]:
            return out
        start = reply["next"]


def events_of(part: dict) -> list[tuple]:
    """The (seq, payload, kind, boot, ticks) rows of one `events` frame, checked against its `first`."""
    rows = []
    for i, payload in enumerate(part["events"]):
        ev = unpack(payload)
        seq = part["first"] + i
        if ev.get("seq") != seq:
            raise LinkError(f"event {i} of a frame from {part['first']} carries seq {ev.get('seq')}")
        rows.append((seq, payload, ev.get("k", ""), ev.get("b", 0), ev.get("t", 0)))
    return rows


def sync(link: PanelLink, store, hosts: HostStore, progress: Callable[[int, int], None] | None = None,
         window: int = WINDOW, wall_ms: Callable[[], int] | None = None) -> SyncSummary:
    """Sync every case of the panel on `link` into `store`.

    progress(done, total) is called as events arrive (total: events the store lacked at the start).
    """
    wall_ms = wall_ms or (lambda: int(time.time() * 1000))
    hello = link.hello()
    device_id = hello["device_id"]
    if hello["version"] < 3:
        raise LinkError(f"panel {device_id} speaks protocol v{hello['version']}: sync needs v3")
    store.upsert_device(device_id, hello["firmware"], hello["content"])
    authenticate(link, hosts, device_id, store)
    trips0 = link.round_trips
    summary = SyncSummary(device_id, session_id=store.begin_sync(device_id, hosts.host_id))
    store.audit("sync_started", hosts.host_id, device_id, f"session {summary.session_id}")
    try:
        anchor = link.request("set_time", {"wall_ms": wall_ms()})
        anchors = _pages(link, "list_anchors", "anchors")
        if [anchor["boot"], anchor["ticks"]] not in [a[:2] for a in anchors]:
            raise LinkError("the panel did not keep the time anchor it reported")
        store.add_anchors(device_id, [tuple(a) for a in anchors])
        summary.anchors = len(anchors)
        cases = _pages(link, "list_cases", "cases")
        plan = []
        for case_id, count, acked, closed in cases:
            store.upsert_case(device_id, case_id, "closed" if closed else "open", count, acked)
            plan.append((case_id, count, acked, closed, store.checkpoint(device_id, case_id)))
        total = sum(max(0, count - cp) for _c, count, _a, _cl, cp in plan)
        done = 0
        if progress:
            progress(done, total)
        for case_id, count, acked, closed, checkpoint in plan:
            result = CaseSync(case_id, count, closed=closed)
            summary.cases.append(result)
            while checkpoint < count:
                parts = link.request_parts("pull", {"case": case_id, "start": checkpoint + 1, "window": window})
                for part in parts:
                    rows = events_of(part)
                    if rows:
                        new, dup = store.ingest(device_id, case_id, rows, summary.session_id)
                        result.new += new
                        result.duplicate += dup
                        done += len(rows)
                        if progress:
                            progress(min(done, total), total)
                got = store.checkpoint(device_id, case_id)
                if got <= checkpoint:
                    raise LinkError(f"pull of case {case_id} from {checkpoint + 1} brought nothing new")
                checkpoint = got
            if checkpoint > acked:
                link.request("ack", {"case": case_id, "upto": checkpoint})
            store.upsert_case(device_id, case_id, "closed" if closed else "open", count, checkpoint)
    except Exception as e:
        store.finish_sync(summary.session_id, "failed", summary.new, summary.duplicate, len(summary.cases), str(e))
        store.audit("sync_failed", hosts.host_id, device_id, str(e))
        raise
    summary.round_trips = link.round_trips - trips0
    store.finish_sync(summary.session_id, "done", summary.new, summary.duplicate, len(summary.cases))
    store.audit("sync_done", hosts.host_id, device_id,
                f"{len(summary.cases)} cases, {summary.new} new events, {summary.duplicate} already held")
    return summary


def sync_port(port, store, hosts: HostStore, attempts: int = 3, progress=None, window: int = WINDOW,
              timeout: float = 1.0) -> SyncSummary:
    """Open `port` and sync; a link lost midway is reopened and the sync resumes from the checkpoint."""
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            with PanelLink(port, timeout=timeout) as link:
                return sync(link, store, hosts, progress, window)
        except LinkError as e:
            last = e
            time.sleep(0.2 * (attempt + 1))
    raise LinkError(f"sync did not complete after {attempts} attempts: {last}")
