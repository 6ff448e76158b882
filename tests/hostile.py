"""A hostile panel for the host's tests: Hypothesis strategies from the wire's own types, and a fake panel on a pty.

Strategies. field(kind) draws any value a field of bedlink.messages' kind may carry ("uint"
up to its limit, edges and all, "str" of up to its limit in UTF-8 bytes, "bin", "bool",
"list", "row"); fields(name) draws the fields of a message of the catalogue. mp_values
draws any value bedlink.mpack can carry (nil, bool, int -2**63..2**64-1, str, bin,
arrays, maps with int or str keys, 15 levels at most); event_payloads(seq) draws an
`events` item: the msgpack bytes of a semantically odd event map (a real event of the
panel's content with fields swapped for odd values, an event kind with random fields, a
random map) with its seq right, sometimes wrong, sometimes bytes that are no msgpack at
all.

HostilePanel. A fake panel speaking the protocol over a real pty (the host opens the
pty's path with pyserial, exactly as it opens a board): the project's own
bedlink.session.Responder and panel.pairing.Pairing (the handshake, pairing,
authentication and whatever the session layer adds), the firmware's
panel.service.LinkService for its pairing handlers and gate; only the handlers that
produce values (set_time, list_anchors, list_cases, pull, ack, profile) are replaced by
`answers`, a Plan of values drawn from the strategies. It runs in a thread.

Used by tests/test_hostile_panel.py (bounded, in make test) and tests/soak/hostile_panel.py (make soak).
"""

from __future__ import annotations

import os
import select
import threading
import tty
from dataclasses import dataclass, field as dc_field
from pathlib import Path

from hypothesis import strategies as st

from bedlink import messages
from bedlink.mpack import MAX_DEPTH, pack
from bedlink.session import Responder
from panel.case import CASE_EVENTS, CHECKLIST_EVENTS
from panel.pairing import Pairing
from panel.service import LinkService

U64 = 2**64 - 1
I64_MIN = -(2**63)

# -- values of the wire's types -------------------------------------------------------------------------------


def _uint(limit: int):
    edges = [0, 1, limit, limit - 1, 2**31 - 1, 2**31, 2**32 - 1, 10**16, 2**63 - 1, 2**63]
    return st.one_of(st.sampled_from([e for e in edges if 0 <= e <= limit]), st.integers(0, limit))


def _text(limit: int):
    return st.text(max_size=limit).filter(lambda s: len(s.encode("utf-8")) <= limit) | st.sampled_from(
        ["", "\x00", "a\x00b", "\x1b[2J\x1b[31mred", "line\nbreak", "‮evil", "é" * (limit // 2), "x" * limit])


def field(kind):
    """A strategy for any value of a catalogue field kind."""
    k, limit = kind[0], kind[1]
    if k == "uint":
        return _uint(limit)
    if k == "str":
        return _text(limit)
    if k == "bin":
        least = kind[2] if len(kind) > 2 else 0
        return st.binary(min_size=least, max_size=limit)
    if k == "bool":
        return st.booleans()
    if k == "list":
        item, most = limit
        return st.lists(field(item), max_size=min(most, 8))
    return st.tuples(*(field(x) for x in limit)).map(list)  # row


def fields(name: str):
    """A strategy for the fields of catalogue message `name`: every required field, optional ones sometimes."""
    spec = messages.CATALOGUE[messages.TYPE_OF[name]][1]
    required = {f: field(kind) for _key, f, kind, req in spec if req}
    optional = {f: field(kind) for _key, f, kind, req in spec if not req}
    return st.fixed_dictionaries(required, optional=optional)


# -- msgpack values and odd events ----------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(I64_MIN, U64),
    st.sampled_from([0, -1, 2**32, 2**63, U64, I64_MIN, 10**16]),
    st.text(max_size=40), st.binary(max_size=20),
    st.sampled_from(["", "\x00", "yes", "no", "lad", "rca", "other", "whih", "strategy", "wire", "x" * 200]),
)


def mp_values(max_leaves: int = 12):
    """Any value bedlink.mpack packs, nested well inside its MAX_DEPTH."""
    return st.recursive(
        _scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
            st.one_of(st.text(max_size=8), st.integers(-5, 300), st.sampled_from(["seq", "k", "t", "b", "p", "v"])),
            inner, max_size=4),
        max_leaves=max_leaves,
    ).filter(lambda v: _depth(v) < MAX_DEPTH - 2)


def _depth(v) -> int:
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    return 0


KINDS = CASE_EVENTS + CHECKLIST_EVENTS + ("undo",)
FIELDS = ("case", "cv", "fw", "f", "v", "src", "p", "score", "cl", "to", "why", "text", "o", "ref", "item", "opt",
          "m", "val", "timer", "name", "operator_id", "annual_volume", "years")


PROFILE_KEYS = ("operator_id", "name", "annual_volume", "years", "last_year_cases", "last_year_successes")


def _odd_inside(draw, value):
    """`value` with one of its entries (of a map or a list) replaced by an odd value, or an odd value."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        value = dict(value)
        value[draw(st.sampled_from(sorted(value, key=str)))] = draw(mp_values())
        return value
    if isinstance(value, list) and value and draw(st.booleans()):
        value = list(value)
        value[draw(st.integers(0, len(value) - 1))] = draw(mp_values())
        return value
    return draw(mp_values())


@st.composite
def odd_event(draw, seq: int, base: dict | None = None) -> dict:
    """A decoded event with its seq: a real one (`base`) with odd fields, or an event kind with random fields."""
    if draw(st.integers(0, 5)) == 0:  # an operator profile: a map whose entries the host shows and stores
        p = draw(st.fixed_dictionaries({}, optional={k: mp_values(3) for k in PROFILE_KEYS}))
        ev = {"k": "profile", "t": draw(_uint(2**32)), "p": p, "src": draw(st.sampled_from(["host", "entered"])
                                                                           | mp_values(2))}
    elif base is not None and draw(st.booleans()):
        ev = dict(base)
        for key in draw(st.lists(st.sampled_from(sorted(set(ev) - {"seq"}) + list(FIELDS)), max_size=3)):
            ev[key] = _odd_inside(draw, ev.get(key))
    else:
        ev = {"k": draw(st.sampled_from(KINDS) | mp_values(3)), "t": draw(_uint(2**32) | mp_values(2))}
        if draw(st.booleans()):
            ev["b"] = draw(_uint(2**32) | mp_values(2))
        for key in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
            ev[key] = draw(mp_values())
    ev["seq"] = seq
    return ev


@st.composite
def event_payload(draw, seq: int, base: dict | None = None) -> bytes:
    """The bytes of one `events` item for `seq`: mostly an odd event map, sometimes a wrong seq or no msgpack."""
    roll = draw(st.integers(0, 19))
    if roll == 0:
        return draw(st.binary(max_size=40))
    if roll == 1:
        return pack(draw(mp_values(4)))
    ev = draw(odd_event(seq, base))
    if roll == 2:
        ev["seq"] = draw(mp_values(2))
    payload = pack(ev)
    return payload if len(payload) <= 1000 else pack({"seq": seq, "k": "note", "t": 0, "text": "cut"})


# -- the hostile panel ----------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What the hostile panel answers: drawn values, or None for "what an honest panel of these events says"."""

    identity: dict
    time_set: dict
    anchors: list  # rows; the panel pages them 32 at a time
    cases: list  # rows [case_id, count, acked, closed]
    events: dict  # case id -> list of payload bytes (seq 1, 2, ...)
    storage: str = "ok"
    pages: list = dc_field(default_factory=list)  # odd `next` values, used once each, before honest paging
    acked: dict | None = None  # fields of every `acked` answer, else the honest one


class _Uptime:
    def __init__(self, clock):
        self.clock = clock

    def now(self) -> int:
        return self.clock()


class HostilePanel:
    """A fake panel on a pty: the project's session and pairing, `plan`'s values for everything else.

    root: a folder for the pairing state (kept, so one pairing serves many panels);
    device_id: the id its pairing keys are bound to (the plan's hello may claim another).
    """

    def __init__(self, root: Path, device_id: str, plan: Plan, random_bytes=os.urandom):
        import time

        self.plan = plan
        self.codes: list[str] = []
        self.requests: list[str] = []
        start = time.monotonic()
        clock = lambda: int((time.monotonic() - start) * 1000) + 1  # noqa: E731
        self.pairing = Pairing(str(root), device_id, random_bytes, self._show_code)
        self.service = LinkService(None, self.pairing, None, 1, _Uptime(clock), None, lambda: self.responder.limit())
        handlers = self.service.handlers()
        handlers.update({"ping": self._ping, "set_time": self._set_time, "list_anchors": self._list_anchors,
                         "list_cases": self._list_cases, "pull": self._pull, "ack": self._ack,
                         "profile": self._profile})
        self.responder = Responder(handlers, plan.identity, 1024, gate=self.service.gate,
                                   on_session=self.pairing.end_session)
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self.master, self.slave = master, slave
        self.port = os.ttyname(slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _show_code(self, code):
        if code is not None:
            self.codes.append(code)

    # -- the value handlers: the plan's answers ------------------------------------------------------------

    def _ping(self, f):
        reply = {"rx_frames": self.responder.decoder.frames, "rx_dropped": self.responder.decoder.dropped}
        if "data" in f:
            reply["data"] = f["data"]
        return reply

    def _set_time(self, f):
        return dict(self.plan.time_set)

    def _page(self, rows, start):
        if self.plan.pages:
            return rows[start:start + messages.PAGE], self.plan.pages.pop(0)
        page = rows[start:start + messages.PAGE]
        return page, (start + messages.PAGE if start + messages.PAGE < len(rows) else 0)

    def _list_anchors(self, f):
        page, nxt = self._page(self.plan.anchors, f["start"])
        return {"anchors": page, "next": nxt}

    def _list_cases(self, f):
        page, nxt = self._page(self.plan.cases, f["start"])
        return {"cases": page, "next": nxt, "storage": self.plan.storage}

    def _pull(self, f):
        """The events from `start`, as many to a frame as fit (as the firmware packs them), `window` frames."""
        events = self.plan.events.get(f["case"], [])
        start, window, limit = f["start"], f["window"], self.responder.limit()
        parts = [{"case": f["case"], "first": start, "events": [], "last": False}]
        for payload in events[start - 1:]:
            part = parts[-1]
            part["events"].append(payload)
            if len(messages.encode("events", 0xFFFF, part)) > limit and len(part["events"]) > 1:
                part["events"].pop()
                if len(parts) == window:
                    break
                parts.append({"case": f["case"], "first": part["first"] + len(part["events"]),
                              "events": [payload], "last": False})
        parts[-1]["last"] = True
        return parts

    def _ack(self, f):
        return dict(self.plan.acked) if self.plan.acked is not None else {"case": f["case"], "upto": f["upto"]}

    def _profile(self, f):
        return {"operator_id": f["operator_id"]}

    # -- the link -------------------------------------------------------------------------------------------

    def _run(self):
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except BlockingIOError:
                continue
            except OSError:  # the host closed its end (EIO): a hang-up; wait for the next host
                self.responder.reset()
                self._stop.wait(0.01)
                continue
            for answer in self.responder.feed(data):
                for frame in ([answer] if type(answer) is bytes else answer):
                    self._write(frame)

    def _write(self, frame: bytes):
        view = memoryview(frame)
        while view and not self._stop.is_set():
            try:
                view = view[os.write(self.master, view):]
            except BlockingIOError:
                select.select([], [self.master], [], 0.05)
            except OSError:
                return

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)
        os.close(self.master)
        os.close(self.slave)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
