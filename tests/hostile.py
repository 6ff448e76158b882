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
from bedlink.errors import ProtocolError
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
    if draw(st.integers(0, 5)) == 5:  # an operator profile: a map whose entries the host shows and stores
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
    if roll == 19:
        return draw(st.binary(max_size=40))
    if roll == 18:
        return pack(draw(mp_values(4)))
    ev = draw(odd_event(seq, base))
    if roll == 17:
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
    refusals: dict = dc_field(default_factory=dict)  # request name -> (code, reason): answered with that error


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
        self.uptime = _Uptime(clock)
        self.service = LinkService(None, self.pairing, None, 1, self.uptime, None, lambda: self.responder.limit())
        handlers = self.service.handlers()
        values = {"set_time": self._set_time, "list_anchors": self._list_anchors, "list_cases": self._list_cases,
                  "pull": self._pull, "ack": self._ack, "profile": self._profile}
        handlers.update({name: self._refusing(name, fn) for name, fn in values.items()}, ping=self._ping)
        self.responder = Responder(handlers, plan.identity, 1024, gate=self.service.gate,
                                   on_session=self.pairing.end_session)
        self.service.start_sealing = self.responder.start_sealing  # v3: the session is sealed after auth_ok
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

    def open_pairing(self):
        """What someone at a real panel does before a host may pair: open its pairing screen."""
        self.pairing.arm(self.uptime.now())

    # -- the value handlers: the plan's answers ------------------------------------------------------------

    def _refusing(self, name, fn):
        def handle(f):
            self.requests.append(name)
            if name in self.plan.refusals:
                code, reason = self.plan.refusals[name]
                raise ProtocolError(code, reason)
            return fn(f)
        return handle

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


# -- plans: what a hostile panel says, drawn ----------------------------------------------------------------

U16_MAX, U32_MAX = 0xFFFF, 0xFFFFFFFF
WALL_2026 = 1_784_000_000_000


def _wall():
    """Wall times: any uint64, the edges of the host's window (2000..2200), and ordinary ones."""
    from bedside.panelvalues import WALL_MAX_MS, WALL_MIN_MS

    return st.one_of(_uint(U64), st.sampled_from([5, WALL_MIN_MS - 1, WALL_MIN_MS, WALL_MAX_MS - 1, WALL_MAX_MS]),
                     st.integers(WALL_2026 - 10**10, WALL_2026 + 10**10))


def mostly(sane, hostile):
    """`sane` three times in four, `hostile` otherwise: enough sense left for the host to go on to its later steps."""
    return st.one_of(sane, sane, sane, hostile)


@st.composite
def plans(draw, device_id: str, good_case: str, real_events: list[dict]) -> Plan:
    """What a hostile panel answers: every field drawn from its catalogue kind, with some sense left in
    (mostly its own device id, an anchor for the time it was set, events whose seq fits) so that the
    host's later steps are reached too."""
    short = messages.CATALOGUE[messages.TYPE_OF["hello_reply"]][1][1][2]  # device_id's kind: SHORT_STR
    claimed = draw(st.sampled_from([device_id] * 5 + [None]))
    identity = {"device_id": claimed if claimed is not None else draw(field(short)),
                "firmware": draw(mostly(st.just("0.1.0"), field(short))),
                "content": draw(mostly(st.just("cto-2026.11.1"), field(short)))}
    time_set = draw(fields("time_set"))
    anchor_kind = messages.CATALOGUE[messages.TYPE_OF["anchors"]][1][0][2][1][0]  # ANCHOR_ROW
    anchors = draw(st.lists(st.tuples(_uint(U32_MAX), _uint(U32_MAX), _wall()).map(list) | field(anchor_kind),
                            max_size=4))
    if draw(st.integers(0, 5)) < 5:  # mostly the panel keeps the anchor it reported
        anchors.insert(draw(st.integers(0, len(anchors))), [time_set["boot"], time_set["ticks"], draw(_wall())])
    cases, events = [], {}
    for i in range(draw(st.integers(1, 3))):
        case_id = draw(mostly(st.sampled_from(["%08x" % i, good_case]), field(short)))
        n = draw(st.integers(1, 12))
        cases.append([case_id, draw(mostly(st.just(n), _uint(U32_MAX))),
                      draw(mostly(st.integers(0, n), _uint(U32_MAX))), draw(st.booleans())])
        boot = draw(mostly(st.just(time_set["boot"]), _uint(U32_MAX)))
        evs = []
        for seq in range(1, n + 1):
            base = dict(real_events[seq - 1], b=boot) if seq <= len(real_events) else None
            honest = base is not None and draw(st.integers(0, 2)) < 2
            evs.append(pack(dict(base, seq=seq)) if honest else draw(event_payload(seq, base)))
        events[case_id] = evs
    pages = draw(st.lists(_uint(U16_MAX), max_size=2)) if draw(st.integers(0, 6)) == 6 else []
    acked = draw(fields("acked")) if draw(st.integers(0, 6)) == 6 else None
    storage = draw(mostly(st.sampled_from(["ok", "low", "full"]), field(short)))
    refusals = {}
    if draw(st.integers(0, 7)) == 7:  # an error answer, of any code and any words
        error = messages.CATALOGUE[messages.ERROR][1]
        refusals[draw(st.sampled_from(["set_time", "list_anchors", "list_cases", "pull", "ack"]))] = (
            draw(field(error[0][2])), draw(field(error[1][2])))
    return Plan(identity, time_set, anchors, cases, events, storage, pages, acked, refusals)


# -- one run of the host's commands against a hostile panel ---------------------------------------------------

DEVICE = "panel-hostile"
GOOD_CASE = "900dca5e"
GOOD_ANCHOR = (3, 1_000, WALL_2026)


def good_events() -> list[dict]:
    """The scripted WHIH case as the panel's own Case engine records it on boot 3 (59 events)."""
    from bedside.scenarios import whih_case
    from panel.case import Case

    case, t = None, 0
    for delay, kind, f in whih_case():
        t += delay
        if kind == "new_case":
            case = Case.open(GOOD_CASE, t, boot=GOOD_ANCHOR[0])
        else:
            case.record(kind, t, f or None)
    return case.events


class HostileBench:
    """A paired host with a known-good case stored, and a way to run the host's commands against a hostile panel.

    Built once in `root`: the panel's pairing state, the host's pairing file (XDG_DATA_HOME) and a database
    holding GOOD_CASE, synced from an honest plan through the real CLI. Each run() copies them afresh.
    """

    COMMANDS = ("cases", "cases --json", "case", "report", "report --json", "export csv", "export json",
                "export fhir", "export fhir --deidentify")

    def __init__(self, root: Path):
        import shutil

        from bedside.pairing import HostStore
        from bedside.sync import pair
        from bedside.link import PanelLink

        self.root = root
        self.events = good_events()
        (root / "data" / "bedside").mkdir(parents=True)
        hosts = HostStore(root / "data" / "bedside" / "pairing.json", host_name="hostile bench")
        with HostilePanel(root / "pairing", DEVICE, self.honest_plan()) as panel:
            panel.open_pairing()
            with PanelLink(panel.port) as link:
                pair(link, hosts, lambda _d: panel.codes[-1])
            res = self.cli(root / "data", ["sync", "--port", panel.port, "--db", self.url(root)])
        assert res.exit_code == 0 and "59 new events" in res.stdout, (res.stdout, res.stderr, res.exception)
        self.good = self.snapshot(root)
        self._shutil = shutil

    def honest_plan(self) -> Plan:
        return Plan({"device_id": DEVICE, "firmware": "0.1.0", "content": "cto-2026.11.1"},
                    {"boot": GOOD_ANCHOR[0], "ticks": GOOD_ANCHOR[1]}, [list(GOOD_ANCHOR)],
                    [[GOOD_CASE, len(self.events), 0, True]], {GOOD_CASE: [pack(e) for e in self.events]})

    @staticmethod
    def url(where: Path) -> str:
        return f"sqlite:///{where / 'cases.db'}"

    @staticmethod
    def cli(data: Path, args: list[str]):
        from typer.testing import CliRunner

        from bedside.cli import app

        return CliRunner().invoke(app, args, env={"XDG_DATA_HOME": str(data)})

    def snapshot(self, where: Path) -> tuple:
        """The good case as stored (every column of every event) and as `bedside case --json` shows it."""
        import json

        from bedside.store import Store

        with Store(self.url(where)) as store:
            rows = [(e.seq, e.kind, e.boot, e.ticks, e.wall_ms, e.payload) for e in store.events(DEVICE, GOOD_CASE)]
        res = self.cli(where / "data", ["case", GOOD_CASE, "--device", DEVICE, "--json", "--db", self.url(where)])
        assert res.exit_code == 0, (res.stderr, res.exception)
        detail = json.loads(res.stdout)
        detail.pop("sync")  # the panel's own count of the case may be anything a panel says
        return rows, detail

    def copy(self, work: Path) -> str:
        """A fresh copy of the bench in `work` (pairing state, host's data, database); returns its database URL."""
        work.mkdir(parents=True)
        for name in ("data", "pairing"):
            self._shutil.copytree(self.root / name, work / name)
        self._shutil.copy(self.root / "cases.db", work / "cases.db")
        return self.url(work)

    def sync(self, plan: Plan, work: Path, *extra: str):
        """`bedside sync` of the copy in `work` from a panel answering `plan` (CliRunner's result)."""
        with HostilePanel(work / "pairing", DEVICE, plan) as panel:
            return self.cli(work / "data", ["sync", "--port", panel.port, "--db", self.url(work), *extra])

    def run(self, plan: Plan, work: Path) -> list[str]:
        """Sync `plan` through the CLI, then every reading command; check each; return what sync said."""
        db = self.copy(work)
        res = self.sync(plan, work, "--attempts", "1")
        self.last_sync = res
        said = checked(res, "sync", allowed=(0, 1))
        listed = [c[0] for c in plan.cases if isinstance(c[0], str) and c[0].isprintable() and c[0].strip()]
        for name in self.COMMANDS:
            args = name.split()
            if args[0] == "case":
                args = ["case", GOOD_CASE, "--device", DEVICE]
            if args[0] == "export":
                args = ["export", "--format", args[1], "--out", str(work / f"out-{args[1]}"), *args[2:]]
            checked(self.cli(work / "data", [*args, "--db", db]), name, allowed=(0,))
        for case_id in listed[:2]:  # the hostile panel's own cases, as far as they were stored
            res = self.cli(work / "data", ["case", case_id, "--device", DEVICE, "--db", db])
            checked(res, f"case {case_id!r}", allowed=(0, 1))
        assert self.snapshot(work) == self.good, "the known-good case changed"
        self._shutil.rmtree(work)  # kept only when something failed
        return said


def checked(res, name: str, allowed: tuple) -> list[str]:
    """A command's result: no traceback, an exit status in `allowed`, every line on stderr one that says
    `error:` or `warning:`; an exit status 1 says why. Returns the stderr lines."""
    import traceback

    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"{name}: {''.join(traceback.format_exception(res.exception))}")
    assert res.exit_code in allowed, (name, res.exit_code, res.stdout[-500:], res.stderr)
    lines = res.stderr.splitlines()
    assert all(ln.startswith(("error: ", "warning: ")) for ln in lines), (name, res.stderr)
    if name != "sync":  # (sync's progress bar draws with control characters on a terminal)
        shown = res.stdout + res.stderr  # whatever the panel sent, nothing reaches the terminal that acts on it
        assert all(c.isprintable() or c in "\n" for c in shown), (name, [c for c in shown if not c.isprintable()][:5])
    assert "Traceback" not in res.stdout + res.stderr
    if res.exit_code:
        assert any(ln.startswith("error: ") for ln in lines), (name, res.stderr)
    return lines
