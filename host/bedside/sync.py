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

from bedlink.errors import E_SHAPE, ProtocolError
from bedlink.mpack import unpack
from bedside.link import LinkError, PanelError, PanelLink
from bedside.pairing import AuthExchange, HostStore, PairingExchange
from bedside.panelvalues import SEQ_MAX, anchor_conflict, event_clock, ident_problem, label, show, wall_ok
from bedside.store.errors import StoreError

WINDOW = 64  # frames per pull: a 200-event case comes in one round trip


@dataclass
class CaseSync:
    """What one sync did for one case."""

    case_id: str
    events: int  # events the panel holds
    new: int = 0
    duplicate: int = 0
    closed: bool = False
    problem: str | None = None  # why the case stopped short of the panel's count (PanelValueError)


@dataclass
class SyncSummary:
    """What one sync did, for the summary line and the sync_sessions row."""

    device_id: str
    session_id: int | None = None
    cases: list[CaseSync] = field(default_factory=list)
    anchors: int = 0
    round_trips: int = 0
    warnings: list[str] = field(default_factory=list)  # panel values kept as unknown, in words
    failures: list[str] = field(default_factory=list)  # cases (or parts of them) not synced, in words
    stored: int | None = None  # new events the database holds from this session, counted there when it ended

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


class SyncInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sync, after its session began: `summary` says what was stored (the session is closed as
    "interrupted" and audited)."""

    def __init__(self, summary: SyncSummary):
        super().__init__("sync interrupted")
        self.summary = summary


class PanelValueError(LinkError):
    """The panel sent a value the host cannot take where it cannot go on without it; the message says which."""


MAX_REPORTED = 20  # warnings audited one by one per sync; the rest are counted in one more row


def _pages(link: PanelLink, request: str, rows: str) -> list:
    """Every row of a paged listing; a panel whose `next` does not follow on from its page is refused."""
    out, start = [], 0
    while True:
        reply = link.request(request, {"start": start})
        page = reply[rows]
        out.extend(page)
        nxt = reply["next"]
        if not nxt:
            return out
        if not page or nxt != start + len(page):
            raise PanelValueError(f"the panel's {rows} list does not page on: from {start} it sent {len(page)} "
                                  f"rows and next {nxt}")
        start = nxt


def events_of(part: dict, problems: list[str] | None = None) -> list[tuple]:
    """The (seq, payload, kind, boot, ticks) rows of one `events` frame, checked against its `first`.

    kind, boot and ticks are None where the panel's value cannot be kept (bedside.panelvalues); each
    such event is named in `problems`. An event that is not a msgpack map, or whose own seq is not its
    place in the frame, raises PanelValueError: the host cannot tell where it belongs.
    """
    rows = []
    for i, payload in enumerate(part["events"]):
        seq = part["first"] + i
        if not 1 <= seq <= SEQ_MAX:
            raise PanelValueError(f"event {seq} of case {show(part['case'])}: a seq the host cannot store "
                                  f"(1 to {SEQ_MAX})")
        try:
            ev = unpack(payload)
        except ProtocolError as e:
            raise PanelValueError(f"event {seq} of case {show(part['case'])} is not readable: {e.reason}") from None
        if not isinstance(ev, dict):
            raise PanelValueError(f"event {seq} of case {show(part['case'])} is not a map but {type(ev).__name__}")
        if type(ev.get("seq")) is not int or ev["seq"] != seq:
            raise PanelValueError(f"event {i} of a frame from {part['first']} carries seq {show(ev.get('seq'))}")
        kind, boot, ticks, odd = event_clock(ev)
        if odd and problems is not None:
            problems.append(f"event {seq}: " + ", ".join(odd))
        rows.append((seq, payload, kind, boot, ticks))
    return rows


def _close(store, summary: SyncSummary, hosts: HostStore, status: str, error: str | None) -> None:
    """End the sync session as `status` and audit it; a database that fails here too is left to the caller's
    error (which already says what went wrong)."""
    action = {"done": "sync_done", "failed": "sync_failed", "interrupted": "sync_interrupted"}[status]
    try:
        # Counted in the database: Ctrl-C may land after an ingest committed and before its count came back.
        summary.stored = store.session_events(summary.session_id)
        detail = (f"{len(summary.cases)} cases, {summary.stored} new events, {summary.duplicate} already held"
                  + (f"; {error}" if error else ""))
        store.finish_sync(summary.session_id, status, summary.stored, summary.duplicate, len(summary.cases), error)
        for i, w in enumerate(summary.warnings + summary.failures):
            if i == MAX_REPORTED:
                store.audit("panel_values", hosts.host_id, summary.device_id,
                            f"{len(summary.warnings) + len(summary.failures) - i} more (first {MAX_REPORTED} above)")
                break
            store.audit("panel_value" if i < len(summary.warnings) else "case_not_synced", hosts.host_id,
                        summary.device_id, w)
        store.audit(action, hosts.host_id, summary.device_id, detail)
    except StoreError:
        if status == "done":
            raise


def _anchors_kept(store, device_id: str, anchors: list, summary: SyncSummary) -> list[tuple]:
    """The listed anchors the host keeps: a wall time between 2000 and 2200, agreeing with the anchors the store
    already holds for the boot (bedside.panelvalues.anchor_conflict); the others are named in summary.warnings."""
    stored = store.anchors(device_id, {a[0] for a in anchors})
    kept, odd, conflicting = [], [], []
    for boot, ticks, wall in anchors:
        if not wall_ok(wall):
            odd.append((boot, ticks, wall))
        elif (ticks, wall) not in stored.get(boot, ()) and anchor_conflict(stored.get(boot, []), ticks, wall):
            conflicting.append((boot, ticks, wall, anchor_conflict(stored[boot], ticks, wall)))
        else:
            kept.append((boot, ticks, wall))
    if odd:
        summary.warnings.append(
            f"{len(odd)} time anchor(s) left out, their wall time not between 2000 and 2200 (first: boot "
            f"{odd[0][0]}, ticks {odd[0][1]}, {odd[0][2]} ms): events of those boots keep relative times")
    if conflicting:
        b, t, w, off = conflicting[0]
        summary.warnings.append(
            f"{len(conflicting)} time anchor(s) left out, disagreeing with the anchors already stored for their boot "
            f"(first: boot {b}, ticks {t}, {off:+} ms off): the times already shown stay")
    return kept


def _plan_cases(cases: list, summary: SyncSummary) -> list:
    """The listed cases the host can store, once each; the others are named in summary.failures."""
    out, seen = [], set()
    for case_id, count, acked, closed in cases:
        why = ident_problem(case_id)
        if why is None and (count > SEQ_MAX or acked > SEQ_MAX):
            why = f"counts {count} and {acked} events acknowledged: more than the host stores ({SEQ_MAX})"
        if why is None and case_id in seen:
            why = "listed twice"
        if why is not None:
            summary.failures.append(f"case {show(case_id)} not synced: {why}")
            continue
        seen.add(case_id)
        out.append((case_id, count, acked, closed))
    return out


def sync(link: PanelLink, store, hosts: HostStore, progress: Callable[[int, int], None] | None = None,
         window: int = WINDOW, wall_ms: Callable[[], int] | None = None) -> SyncSummary:
    """Sync every case of the panel on `link` into `store`.

    progress(done, total) is called as events arrive (total: events the store lacked at the start).
    Every value from the panel is checked first (bedside.panelvalues): one the host cannot keep is stored
    as unknown and named in summary.warnings; a case that cannot be synced (an id the host cannot store,
    an event it cannot place) is named in summary.failures and the others go on. Both are audited.
    Ctrl-C (KeyboardInterrupt) ends the session as "interrupted", audited, and is raised again.
    """
    wall_ms = wall_ms or (lambda: int(time.time() * 1000))
    hello = link.hello()
    device_id = hello["device_id"]
    why = ident_problem(device_id)
    if why is not None:
        raise PanelValueError(f"the panel's device id {why}: the host cannot store it; nothing was synced")
    if hello["version"] < 3:
        raise LinkError(f"panel {device_id} speaks protocol v{hello['version']}: sync needs v3")
    warnings = [f"the panel's {what} {show(hello[key])} is kept as unknown (not short printable text)"
                for key, what in (("firmware", "firmware version"), ("content", "content version"))
                if label(hello[key]) is None]
    store.upsert_device(device_id, label(hello["firmware"]), label(hello["content"]))
    authenticate(link, hosts, device_id, store)
    trips0 = link.round_trips
    summary = SyncSummary(device_id, session_id=store.begin_sync(device_id, hosts.host_id), warnings=warnings)
    store.audit("sync_started", hosts.host_id, device_id, f"session {summary.session_id}")
    try:
        try:
            anchor = link.request("set_time", {"wall_ms": wall_ms()})
        except PanelError as e:  # the panel's clock rules (JOURNAL.md, Time): the events come off all the same
            if e.code != E_SHAPE:
                raise
            anchor = None
            summary.warnings.append(f"the panel did not take this workstation's time ({show(e.reason)}); its "
                                    "events keep the times it already had: check this workstation's clock")
        anchors = _pages(link, "list_anchors", "anchors")
        if anchor is not None and [anchor["boot"], anchor["ticks"]] not in [a[:2] for a in anchors]:
            raise LinkError("the panel did not keep the time anchor it reported")
        kept = _anchors_kept(store, device_id, anchors, summary)
        store.add_anchors(device_id, kept)
        summary.anchors = len(kept)
        plan = []
        for case_id, count, acked, closed in _plan_cases(_pages(link, "list_cases", "cases"), summary):
            store.upsert_case(device_id, case_id, "closed" if closed else "open", count, acked)
            plan.append((case_id, count, acked, closed, store.checkpoint(device_id, case_id)))
        total = sum(max(0, count - cp) for _c, count, _a, _cl, cp in plan)
        done = 0
        if progress:
            progress(done, total)
        for case_id, count, acked, closed, checkpoint in plan:
            result = CaseSync(case_id, count, closed=closed)
            summary.cases.append(result)
            odd: list[str] = []
            try:
                while checkpoint < count:
                    parts = link.request_parts("pull", {"case": case_id, "start": checkpoint + 1, "window": window})
                    for part in parts:
                        rows = events_of(part, odd)
                        if rows:
                            new, dup = store.ingest(device_id, case_id, rows, summary.session_id)
                            result.new += new
                            result.duplicate += dup
                            done += len(rows)
                            if progress:
                                progress(min(done, total), total)
                    got = store.checkpoint(device_id, case_id)
                    if got <= checkpoint:
                        raise PanelValueError(f"a pull from {checkpoint + 1} brought nothing new (the panel lists "
                                              f"{count} events)")
                    checkpoint = got
            except PanelValueError as e:
                result.problem = str(e)
                summary.failures.append(f"case {case_id} synced up to event {checkpoint}, not further: {e}")
            if odd:
                summary.warnings.append(f"case {case_id}: {len(odd)} event(s) with values the host cannot keep, "
                                        f"stored as unknown (first: {odd[0]})")
            if checkpoint > acked:
                link.request("ack", {"case": case_id, "upto": checkpoint})
            store.upsert_case(device_id, case_id, "closed" if closed else "open", count, checkpoint)
    except KeyboardInterrupt:
        _close(store, summary, hosts, "interrupted", "stopped by the user (Ctrl-C)")
        raise SyncInterrupted(summary) from None
    except Exception as e:
        _close(store, summary, hosts, "failed", str(e))
        raise
    summary.round_trips = link.round_trips - trips0
    _close(store, summary, hosts, "done", "; ".join(summary.failures)[:1000] or None)
    return summary


def sync_port(port, store, hosts: HostStore, attempts: int = 3, progress=None, window: int = WINDOW,
              timeout: float = 1.0) -> SyncSummary:
    """Open `port` and sync; a link lost midway is reopened and the sync resumes from the checkpoint."""
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            with PanelLink(port, timeout=timeout) as link:
                return sync(link, store, hosts, progress, window)
        except PanelValueError:
            raise  # the same panel says the same again: no use reconnecting
        except LinkError as e:
            last = e
            time.sleep(0.2 * (attempt + 1))
    raise LinkError(f"sync did not complete after {attempts} attempts: {last}")
