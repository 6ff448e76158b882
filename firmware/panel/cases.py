# panel/cases.py — the case on the panel: opened, recorded event by event into the journal, resumed after a reboot.
#
# Every event goes through Case.record (checked against the state) into the case's
# JournalLog (written, flushed and closed on flash) before it counts: a write that
# fails raises, the state is rebuilt without it and the UI shows the fault. Each
# event carries the boot id ("b") and the tick count ("t") so that the host can
# put a wall-clock time on it once the boot has an anchor.

import binascii
import os

from panel.case import Case, CaseError, CaseStorageError
from panel.journal import JournalError


class CaseKeeper:
    """The panel's current case and the journal it lives in."""

    def __init__(self, journal, boot, clock, on_recorded=None, random_bytes=os.urandom):
        self.journal = journal
        self.boot = boot
        self.clock = clock
        self.on_recorded = on_recorded  # fn(case_id, event) after an event is on flash (live push)
        self.random_bytes = random_bytes  # case ids (os.urandom; a fixed sequence in the screen walkthrough)
        self.case = None
        self.case_id = None
        self.resumed = None  # (case id, events) when a case left open was resumed at boot
        self.unresumed = None  # (case id, why) when a case left open cannot be continued on this firmware
        for cid in journal.open_cases()[-1:]:  # resume the case left open (power cut, reboot)
            log = journal.log(cid)
            try:
                self.case = Case.resume(log, full=False)
            except CaseError as e:  # opened with other content (a firmware update): read on the host, never here
                self.unresumed = (cid, str(e))
                continue
            self.case.boot = boot  # events from now on carry this boot
            self.case_id = cid
            self.resumed = (cid, len(log))

    def new_case(self):
        """Open a new case under a random id (no patient data on the panel); return its id."""
        if self.case is not None and not self.case.state.closed:
            raise CaseError("case %s is still open: close it first" % self.case_id)
        case_id = binascii.hexlify(self.random_bytes(4)).decode()
        try:
            self.journal.new_case(case_id)  # refuses when storage cannot hold a whole case
        except JournalError as e:  # StorageFull: every earlier case stays; the screen says why
            raise CaseStorageError(str(e))
        from panel.content.checklists import release_all_but

        self.case = None  # the closed case's state, and its checklists' data, leave RAM before the new one comes
        release_all_but(())
        self.case = Case.open(case_id, self.clock.ticks_ms(), log=self.journal.log(case_id), boot=self.boot,
                              full=False)
        self.case_id = case_id
        if self.on_recorded is not None:
            self.on_recorded(case_id, self.case.log.get(1))
        return case_id

    def tick(self):
        """Journal the alerts of timers past their threshold in the open case; return them."""
        if self.case is None or self.case.state.closed:
            return []
        events = self.case.tick(self.clock.ticks_ms())
        for ev in events:
            if self.on_recorded is not None:
                self.on_recorded(self.case_id, ev)
        return events

    def record(self, kind, fields=None):
        """Record one event in the current case; return it once it is on flash."""
        if self.case is None:
            raise CaseError("no case is open")
        ev = self.case.record(kind, self.clock.ticks_ms(), fields)
        if self.on_recorded is not None:
            self.on_recorded(self.case_id, ev)
        return ev
