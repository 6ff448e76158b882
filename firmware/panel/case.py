# panel/case.py — a case is an append-only list of events; what the screen shows is their replay.
#
# Nothing is ever edited or deleted: a correction is a new event, and undo is an
# event naming the one it cancels (the replay leaves the cancelled one out). An
# event is checked against the state before it is appended, so the list only
# ever holds events that replay cleanly. A case records the content version it
# opened with and is never continued with other content.
#
# Events are flat dicts of str/int values (they go to the journal and the wire):
#   every event   seq (1, 2, ...), t (ms ticks), k (kind), b (boot id, when the panel keeps one)
#   open          case, cv (content version), fw (firmware version)
#   finding       f (finding id), v (value, or None: unknown again), src (optional)
#   profile       p (operator profile dict, see panel/profile.py), src ("host"|"entered")
#   score_viewed  score (score id)
#   cl_start      cl (checklist id): start a checklist (none may be running)
#   strategy      to (checklist id, optional), why (text): leave the running checklist
#                 as it stands and start another (or none); the change is itself an event
#   confirm, decide, measure, skip, defer, timer_start, timer_stop, timer_alert,
#   abandon, reset
#                 checklist events, passed to the running checklist (panel/checklist.py)
#   note          text: on the current checklist item, or on the case when none runs
#   outcome       o (outcome id, panel/content/outcomes.py), v (value)
#   undo          ref (seq of the event it cancels)
#   close         the case ends; outcomes and notes may still be added

import gc

from bedlink.mpack import pack, unpack
from panel.content import CONTENT_VERSION
from panel.findings import Findings, check_answer
from panel.profile import apply_profile
from panel.version import FIRMWARE_VERSION

# The checklist engine, the score tables and the outcome list load when a case first
# needs them (panel RAM: a panel that only syncs never holds them).

CHECKLIST_EVENTS = ("confirm", "decide", "measure", "skip", "defer", "timer_start", "timer_stop",
                    "timer_alert", "abandon", "reset")
CASE_EVENTS = ("open", "finding", "profile", "score_viewed", "cl_start", "strategy", "note", "outcome", "close")
RUN_EVENTS = CHECKLIST_EVENTS + ("cl_start", "strategy", "note")  # events that belong to a checklist run
AFTER_CLOSE = ("outcome", "note", "undo")


def load_checklist(cid):
    from panel.content.checklists import load

    return load(cid)


def release_checklist(cid):
    from panel.content.checklists import release

    release(cid)


def outcome_entry(oid):
    """(catalogue entry of outcome oid or None, whether it collects several answers)."""
    from panel.content.outcomes import MANY, OUTCOMES

    for o in OUTCOMES:
        if o[0] == oid:
            return o, oid in MANY
    return None, False


class CaseError(ValueError):
    """An event the case cannot take now; the message says why. Nothing was recorded."""


class CaseStorageError(CaseError):
    """The event was valid but the flash refused it: nothing was recorded (the fault screen says so)."""


class CaseState:
    """Everything the screens show, built only by apply()-ing events in order."""

    def __init__(self, loader=load_checklist, full=True):
        self.loader = loader
        # full=False on the panel: nothing here grows with the events (firmware/JOURNAL.md, RAM). A note's
        # text stays in the journal (Case.note_text), earlier checklists are let go, reasons are not kept.
        self.full = full
        self.case_id = None
        self.content = None
        self.opened = None
        self.findings = Findings()
        self.viewed = []  # score ids, in the order first viewed
        self.runs = []  # [checklist id, Run, seq of its start], oldest first (not full: the latest only)
        self.active = None  # the Run in progress, or None
        self.strategy = []  # (seq, t, from checklist id, to checklist id, why) (full only)
        self.outcomes = {}
        self.complications = []
        self.notes = []  # (seq, t, text): notes on the case itself (full only)
        self.operator = None  # the name in the latest operator profile, for the screens
        self.operator_coverage = None  # what the workstation's records behind that profile cover, in words
        self.closed = False

    def apply(self, ev):
        k = ev["k"]
        if self.case_id is None and k != "open":
            raise CaseError("a case starts with an open event")
        if self.closed and k not in AFTER_CLOSE:
            raise CaseError("the case is closed: only outcomes and notes can be added")
        if k in CHECKLIST_EVENTS:
            fn = self._checklist
        elif k in CASE_EVENTS:
            fn = getattr(self, "_" + k)
        else:
            raise CaseError("unknown event kind %r" % (k,))
        try:
            fn(ev)
        except CaseError:
            raise
        except ValueError as e:  # FindingError, ChecklistError: the content's rules refused it
            raise CaseError(str(e))

    def _open(self, ev):
        if self.case_id is not None:
            raise CaseError("the case is already open")
        if ev["cv"] != CONTENT_VERSION:
            raise CaseError("case %s was opened with content %s; this panel carries %s: it can be "
                            "read on the host, not continued here" % (ev["case"], ev["cv"], CONTENT_VERSION))
        self.case_id = ev["case"]
        self.content = ev["cv"]
        self.opened = ev["t"]  # ms ticks: the procedure clock runs from here

    def _finding(self, ev):
        self.findings.set(ev["f"], ev.get("v"), ev.get("src"))

    def _profile(self, ev):
        apply_profile(self.findings, ev["p"], ev.get("src", "host"))
        self.operator = ev["p"].get("name")
        self.operator_coverage = ev["p"].get("coverage")

    def _score_viewed(self, ev):
        from panel.content.scores import SCORE_IDS

        if ev["score"] not in SCORE_IDS:
            raise CaseError("no score named %r" % (ev["score"],))
        if ev["score"] not in self.viewed:
            self.viewed.append(ev["score"])

    def _start(self, cid, ev):
        from panel.checklist import Run

        try:
            data = self.loader(cid)
        except ValueError:
            raise CaseError("no checklist named %r" % (cid,))
        run = Run(data, ev["t"], self.full, ev.get("seq"))
        if not self.full:
            for r in self.runs:  # the earlier checklist's state goes (the journal keeps its events) ...
                if r[0] != cid and self.loader is load_checklist:
                    release_checklist(r[0])  # ... and so does its content, until it runs again
            self.runs = []
        self.runs.append([cid, run, ev["seq"]])
        self.active = run

    def _cl_start(self, ev):
        if self.active is not None and self.active.end is None:
            raise CaseError("checklist %s is still running: finish it, abandon it or change strategy"
                            % self.runs[-1][0])
        self._start(ev["cl"], ev)

    def _strategy(self, ev):
        was = self.runs[-1][0] if self.active is not None and self.active.end is None else None
        to = ev.get("to")
        if to is not None:
            self._start(to, ev)
        else:
            self.active = None
        if self.full:
            self.strategy.append((ev["seq"], ev["t"], was, to, ev.get("why", "")))

    def _checklist(self, ev):
        if self.active is None:
            raise CaseError("no checklist is running")
        self.active.apply(ev)

    def _note(self, ev):
        text = ev.get("text")
        if type(text) is not str or not text:
            raise CaseError("a note needs text")
        if self.active is not None and self.active.end is None and not self.closed:
            self.active.apply(ev)
        elif self.full:
            self.notes.append((ev["seq"], ev["t"], text))

    def _outcome(self, ev):
        entry, many = outcome_entry(ev["o"])
        if entry is None:
            raise CaseError("no outcome named %r" % (ev["o"],))
        v = ev.get("v")
        check_answer(entry, v)
        if many:
            if v is None or v in self.complications:
                raise CaseError("%s %r is already recorded (undo it to remove it)" % (ev["o"], v))
            self.complications.append(v)
        elif v is None:
            self.outcomes.pop(ev["o"], None)
        else:
            self.outcomes[ev["o"]] = v

    def _close(self, ev):
        self.closed = True

    def procedural_success(self):
        """'yes' (technical success with no in-hospital MACE), 'no', or None while undecided."""
        tech = self.outcomes.get("technical_success")
        mace = self.outcomes.get("in_hospital_mace")
        if tech == "no" or mace == "yes":
            return "no"
        if tech == "yes" and mace == "no":
            return "yes"
        return None


ARENA = 1024  # bytes per block of the in-RAM log: small, so a new one fits between fragments


class PackedLog:
    """The case's events in RAM as their msgpack bytes, packed end to end in 1 KB blocks.

    One bytes object per event would cost ~40 bytes of object overhead each; blocks
    cost nothing per event but a small int in the index (block << 16 | offset) and a
    2-byte length. The journal on flash holds the same bytes and can stand in for
    this: anything with append(ev), len(), iteration in order and get(seq).
    """

    def __init__(self):
        self.blocks = []
        self.index = []
        self.used = ARENA  # bytes used in the last block: full, so the first append opens one

    def append(self, ev):
        rec = pack(ev)
        n = len(rec)
        if n > 0xFFFF:
            raise CaseError("an event of %d bytes is too large to record" % n)
        if self.used + 2 + n > ARENA:
            self.blocks.append(bytearray(max(ARENA, 2 + n)))
            self.used = 0
        block = self.blocks[-1]
        at = self.used
        block[at] = n >> 8
        block[at + 1] = n & 0xFF
        block[at + 2 : at + 2 + n] = rec
        self.index.append(((len(self.blocks) - 1) << 16) | at)
        self.used = at + 2 + n

    def __len__(self):
        return len(self.index)

    def get(self, seq):
        where = self.index[seq - 1]
        block = self.blocks[where >> 16]
        at = where & 0xFFFF
        n = (block[at] << 8) | block[at + 1]
        return unpack(bytes(block[at + 2 : at + 2 + n]))

    def __iter__(self):
        for seq in range(1, len(self.index) + 1):
            yield self.get(seq)


class Case:
    """One case: its events and the state they build. record() is the only way in."""

    def __init__(self, loader=load_checklist, log=None, boot=None, full=True):
        self.loader = loader
        self.log = PackedLog() if log is None else log
        self.boot = boot  # stamped on every event recorded from now on ("b")
        self.full = full  # False on the panel: the state's RAM does not grow with the events (CaseState)
        self.undone = []  # seqs cancelled by undo events
        self.state = CaseState(loader, full)

    @property
    def events(self):
        """The recorded events, decoded, in order."""
        return list(self.log)

    @classmethod
    def open(cls, case_id, t, loader=load_checklist, log=None, boot=None, full=True):
        case = cls(loader, log, boot, full)
        case.record("open", t, {"case": case_id, "cv": CONTENT_VERSION, "fw": FIRMWARE_VERSION})
        return case

    def record(self, kind, t, fields=None):
        """Check and append one event; return it. Raises CaseError and records nothing if it does not fit."""
        ev = {"seq": len(self.log) + 1, "t": t, "k": kind}
        if self.boot is not None:
            ev["b"] = self.boot
        if fields:
            for key in fields:
                if key in ("seq", "t", "k", "b"):
                    raise CaseError("field %r is set by the case" % key)
                ev[key] = fields[key]
        undone = self.undone
        if kind == "undo":
            self._undo(ev)
        else:
            self.state.apply(ev)
        try:
            self.log.append(ev)
        except (OSError, MemoryError) as e:  # on flash or not at all: the state forgets what was not recorded
            if len(self.log) >= ev["seq"]:
                return ev  # it reached the log before memory ran out: recorded, and the state holds it
            self.undone = undone
            self.state = None  # type: ignore[assignment]  # it holds what was not recorded: let it go first (RAM)
            gc.collect()
            self.state = self._rebuild(undone)
            if isinstance(e, MemoryError):
                raise CaseStorageError("not recorded: the panel ran out of memory")
            raise CaseStorageError("not recorded: the flash refused the write (%s)" % e)
        return ev

    def tick(self, t):
        """Journal an alert for every running timer past its threshold at tick t; return those events."""
        run = self.state.active
        if run is None or run.end is not None:
            return []
        return [self.record("timer_alert", t, {"timer": tid}) for tid in run.timer_due(t)]

    def _undo(self, ev):
        ref = ev.get("ref")
        target = self.log.get(ref) if type(ref) is int and 1 <= ref <= len(self.log) else None
        if target is None:
            raise CaseError("undo names no event of this case")
        if target["k"] in ("open", "undo") or ref in self.undone:
            raise CaseError("event %d cannot be undone" % ref)
        if not self.full and target["k"] in RUN_EVENTS and ref < self._run_start():
            raise CaseError("event %d belongs to an earlier checklist: on the panel only the running checklist's "
                            "entries, findings and outcomes can be undone" % ref)
        undone = self.undone + [ref]
        self.state = None  # type: ignore[assignment]  # one state at a time (RAM): rebuilt below, whatever happens
        gc.collect()
        try:
            self.state = self._rebuild(undone)
        except CaseError as e:
            self.state = self._rebuild(self.undone)
            raise CaseError("undoing event %d breaks a later step (%s): undo that first" % (ref, e))
        self.undone = undone

    def _run_start(self):
        runs = self.state.runs
        return runs[-1][2] if runs else 0

    def note_text(self, seq):
        """The text of the note recorded as event seq (from the log when the state keeps no texts)."""
        return self.log.get(seq)["text"]

    def _rebuild(self, undone):
        """The state of every event not undone, replayed from the log.

        Not full (the panel): the events of checklists before the last one started are not replayed (their
        state is not kept, and they were checked when recorded); nor is their content loaded again.
        """
        state = CaseState(self.loader, self.full)
        start = 0
        if not self.full:
            for ev in self.log:
                if (ev["k"] == "cl_start" or ev["k"] == "strategy") and ev["seq"] not in undone:
                    start = ev["seq"]
        for ev in self.log:
            k = ev["k"]
            if k == "undo" or ev["seq"] in undone or (ev["seq"] < start and k in RUN_EVENTS):
                continue
            state.apply(ev)
        return state

    @classmethod
    def resume(cls, log, loader=load_checklist, full=True):
        """Rebuild the case over a log that already holds its events (after a reboot): nothing is copied.

        Every event is checked as when it was recorded; CaseError names the first that
        does not replay (a different content version, a gap in the sequence).
        """
        case = cls(loader, log, full=full)
        seq = 0
        undone = []
        for ev in log:
            seq += 1
            if ev.get("seq") != seq:
                raise CaseError("event %d of the log carries seq %r" % (seq, ev.get("seq")))
            if ev["k"] == "undo":
                undone.append(ev["ref"])
        case.undone = undone
        case.state = case._rebuild(undone)
        return case

    @classmethod
    def replay(cls, events, loader=load_checklist):
        """Rebuild a case from its recorded events (after a reboot, or on the host)."""
        case = cls(loader)
        for i, ev in enumerate(events):
            if ev.get("seq") != i + 1:
                raise CaseError("event %d of the journal carries seq %r" % (i + 1, ev.get("seq")))
            fields = {}
            for key in ev:
                if key not in ("seq", "t", "k", "b"):
                    fields[key] = ev[key]
            case.boot = ev.get("b")
            case.record(ev["k"], ev["t"], fields)
        return case
