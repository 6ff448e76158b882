# tests/soak/monkey.py — a seeded monkey: random taps through the whole panel, on MicroPython, at the board's heap.
#
#   main([seed, taps, workdir])   (tests/soak/monkey_run.py builds the image and runs it; make soak, make test)
#
# The real panel (panel.app.Panel, the touch UI painted into its band on every tap, the journal on littlefs in
# a file) with a clock that moves only when told. Each turn picks, from a xorshift32 stream of the seed, one of:
# a press inside a random tappable target of the screen on top (a random point of it, as a finger lands), a press
# anywhere on the glass (dead space, the status bar), or time passing (up to 10 minutes: the timers, their alerts,
# pairing windows closing). Nothing here catches an exception: one ends the run with its trace (on a board the
# loop would have survived it, the firmware's guard, or reset). Checked as it goes and at the end:
#   - no reset: the panel never falls back to safe mode;
#   - the journal is consistent: every event the case recorded is on flash (counts per case as the keeper
#     recorded them), seqs run 1..n, and the open case rebuilt from its journal (Case.resume, as after a power
#     cut) has the same state as the case in RAM; at the end the panel is rebooted on the same flash and resumes
#     the same state;
#   - no heap growth: the heap in use (after gc.collect) is sampled whenever the panel is in the same state
#     (same screen, stack depth, case, checklist item and number of findings); a later sample of a state may not
#     exceed its first by more than SLACK bytes.
# Output: "MONKEY seed=… taps=…", progress lines, then "MONKEY OK {json figures}" (exit 0) or a trace (exit 1).
# Constraints: MicroPython; the harness's own objects are small (the figures are a few ints), so the panel has
# the heap; imported as .mpy from the same ROMFS image as the firmware.

import binascii
import gc
import json
import os
import sys

from boards.sim import FileBlockDevice, FlashStorage, GramDisplay
from boards.walk import Counter, NoLink, QueueTouch, StepClock

SLACK = 2048  # bytes (64-bit heap): what one state's heap may differ by between two visits
CHECK_EVERY = 250  # taps between two journal checks
REBOOT_EVERY = 2500  # taps between two reboots (the open case resumed from the journal must be the one in RAM)
STATES = 96  # states whose heap is followed (the harness's own RAM is bounded)
KEEP = 8  # cases whose event counts are followed (the latest; earlier ones are closed and checked whole on flash)
W, H = 480, 320


class Rng:
    """xorshift32: the same stream from the same seed on every port."""

    def __init__(self, seed):
        self.s = (seed & 0xFFFFFFFF) or 1

    def next(self):
        x = self.s
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.s = x
        return x

    def below(self, n):
        return self.next() % n


class Board:
    name = "monkey"
    device_id = "monkey"

    def __init__(self, flash, clock=None):
        self.clock = clock or StepClock()
        self.link = NoLink()
        self.blockdev = FileBlockDevice(flash)
        self.storage = FlashStorage(self.blockdev)
        self.display = GramDisplay(None)  # the band is painted on every tap; the pixels are counted, not kept
        self.touch = QueueTouch()

    def log(self, text):
        pass


def state_key(case):
    """The open case's state as one comparable string (what a replay of its journal must rebuild)."""
    if case is None:
        return "no case"
    st = case.state
    f = st.findings
    run = st.active
    return repr((st.case_id, st.content, st.closed, sorted(f.values.items()), sorted(f.sources.items()),
                 sorted(st.outcomes.items()), st.complications, st.viewed, st.operator,
                 [r[0] for r in st.runs], [r[2] for r in st.runs], run.snapshot() if run is not None else None,
                 case.undone))


class Monkey:
    def __init__(self, seed, work):
        self.rng = Rng(seed)
        self.work = work
        self.flash = work + "/flash.img"
        self.counts = {}  # case id -> events the keeper recorded (what must be on flash), the latest KEEP cases
        self.order = []  # those case ids, oldest first
        self.heap = {}  # hash of a state signature -> first heap sample
        self.first_tap = {}  # hash of a state signature -> the tap of its first sample
        self.grew = 0  # the largest growth of one state's heap
        self.samples = 0
        self.screens = {}
        self.events = 0
        self.tap = 0
        self.reboots = 0
        self.boot()

    def boot(self, clock=None):
        from panel.app import Panel
        from panel.ui.touchui import TouchUI

        self.board = Board(self.flash, clock)
        self.screen = TouchUI(self.board.display)
        self.panel = Panel(self.board, self.screen, random_bytes=Counter())
        assert not self.panel.safe, self.panel.safe
        self.screen.show(self.panel)
        self.panel.step(0)
        self.panel.started()  # as panel.app.run does after the first turn: this start got the panel ready
        keeper = self.panel.keeper
        recorded = keeper.on_recorded

        def counted(case_id, ev, _recorded=recorded):
            counts = self.counts
            if case_id not in counts and len(counts) >= KEEP:
                counts.pop(self.order.pop(0))
            if case_id not in counts:
                self.order.append(case_id)
            counts[case_id] = ev["seq"]
            self.events += 1
            if _recorded is not None:
                _recorded(case_id, ev)

        keeper.on_recorded = counted

    def targets(self):
        top = self.screen.ui.top()
        return [w for w in top.widgets if w.visible and w.action is not None]

    def turn(self):
        rng = self.rng
        board = self.board
        r = rng.below(100)
        if r < 4:  # time passes: the clocks, the timers and their alerts, windows that close
            board.clock.t += 1000 * (1 + rng.below(600))
            self.panel.step(0)
            return
        board.clock.t += 50 + rng.below(3000)
        targets = self.targets()
        if r < 12 or not targets:  # anywhere on the glass
            press = (rng.below(W), rng.below(H))
        else:
            x, y, w, h = targets[rng.below(len(targets))].rect
            press = (x + rng.below(max(1, w)), y + rng.below(max(1, h)))
        board.touch.queue.append(press)
        self.panel.step(0)

    def signature(self):
        ui = self.screen.ui
        top = ui.top()
        case = self.panel.keeper.case
        st = case.state if case is not None else None
        run = st.active if st is not None else None
        return "%d|%s|%s|%s/%s/%s/%s/%d/%d" % (
            len(sys.modules), ",".join([s.__module__.split(".")[-1] for s in ui.stack]), top.title, self.panel.keeper.case_id, st is not None and st.closed,
            run is not None and run.cl["id"], run is not None and (run.cur, run.end, run.pend, run.attempts),
            len(st.findings.values) if st is not None else -1, len(st.outcomes) if st is not None else -1)

    def sample(self):
        gc.collect()
        used = gc.mem_alloc()
        # a 32-bit CRC of the signature: the harness's own RAM stays small and flat. Not hash(): MicroPython's string
        # hash has 16 bits, and two different states sharing one were taken for one state whose heap grew
        key = binascii.crc32(self.signature().encode())
        first = self.heap.get(key)
        if first is None:
            if len(self.heap) < STATES:
                self.heap[key] = used
                self.first_tap[key] = self.tap
        else:
            self.samples += 1
            if used - first > self.grew:
                self.grew = used - first
            assert used - first <= SLACK, "heap grew by %d bytes in state %s: %d at tap %d, %d at tap %d" % (
                used - first, self.signature(), first, self.first_tap[key], used, self.tap)
        return used

    def check_journal(self):
        from panel.case import Case

        journal = self.panel.journal
        rows = journal.cases()
        on_flash = {}
        for row in rows:
            on_flash[row["case"]] = row["count"]
        for cid in self.counts:
            assert on_flash.get(cid) == self.counts[cid], (cid, on_flash.get(cid), self.counts[cid])
        for row in rows:
            seq = 0
            for ev in journal.log(row["case"]):
                seq += 1
                assert ev["seq"] == seq, (row["case"], seq, ev["seq"])
            assert seq == row["count"], (row["case"], seq, row["count"])
        keeper = self.panel.keeper
        if keeper.case is not None:
            assert len(keeper.case.log) == self.counts.get(keeper.case_id, 0)
        return len(rows)

    def reboot(self):
        """Power off and on again on the same flash: the case left open comes back as it was in RAM.

        The panel goes first (one panel in RAM at a time, as on a board), so only a digest of its state is kept."""
        keeper = self.panel.keeper
        before = hash(state_key(keeper.case)) if keeper.case is not None and not keeper.case.state.closed else None
        clock = self.board.clock
        blockdev = self.board.blockdev
        self.panel = self.screen = self.board = keeper = None
        gc.collect()
        os.umount("/flash")  # power off: the next boot mounts the same flash afresh
        blockdev.file.close()
        self.boot(clock)
        keeper = self.panel.keeper
        after = hash(state_key(keeper.case)) if keeper.case is not None else None
        assert after == before, "the case resumed from the journal is not the case that was in RAM"
        self.reboots += 1


def main(argv):
    seed, taps, work = int(argv[0]), int(argv[1]), argv[2]
    print("MONKEY seed=%d taps=%d" % (seed, taps))
    m = Monkey(seed, work)
    peak = 0
    cases = 0
    for i in range(1, taps + 1):
        m.tap = i
        m.turn()
        assert not m.panel.safe, "safe mode at tap %d: %s" % (i, m.panel.safe)
        top = m.screen.ui.top().__module__.split(".")[-1]
        m.screens[top] = m.screens.get(top, 0) + 1
        if i % 10 == 0:
            used = m.sample()
            if used > peak:
                peak = used
        if i % CHECK_EVERY == 0 or i == taps:
            cases = m.check_journal()
            if i % REBOOT_EVERY == 0:
                m.reboot()
            print("tap %d: %d cases, %d events, heap %d, states %d" % (i, cases, m.events, gc.mem_alloc(),
                                                                        len(m.heap)))
    m.reboot()
    m.check_journal()
    print("MONKEY OK " + json.dumps({
        "seed": seed, "taps": taps, "events": m.events, "cases": cases, "screens": sorted(m.screens),
        "heap_peak_sampled": peak, "heap_states": len(m.heap), "heap_revisits": m.samples,
        "heap_most_grown": m.grew, "reboots": m.reboots}))


if __name__ == "__main__":
    main(sys.argv[1:])
