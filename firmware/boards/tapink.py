# boards/tapink.py — tap-to-ink: every item and every option of every checklist tapped on the runner, each tap timed.
#
# What the operator feels after a tap is the time until its pixels are on the glass: the firmware's work for the
# tap (the event on flash, the screen brought up to date, the bands drawn) and the bytes on the display bus. This
# walk taps, by touch through the panel's own loop, paths through each checklist that between them take every
# item and every option (an edge cover of the content graph, made here one path at a time: the paths the tests
# enumerate are hundreds), with the measure buttons and their pick lists, and reports every tap.
#
# It runs in two places:
# - on the reference board: host/bedside/tools/tapink.py --port (make tapink PORT=...), after `make deploy` and
#   BOOTSEL held to stop the panel: the real display on its SPI bus, a scratch directory /tapink on the board's
#   littlefs (emptied first; /data is never touched), taps queued where a finger would press. A tap's time runs
#   from the loop reading the touch to flush() returning: spi.write returns when the last byte is out, so the
#   pixels are on the glass;
# - on the unix port (make bench, the same tool without --port): the ST7796 driver on a bus that counts its bytes,
#   the simulator's flash with its programs and erases counted and their time kept apart (a file is not a flash
#   chip), and the time on this PC; the host's model turns those into board times.
# Each tap is one JSON line on stdout: {"tap", "cl", "screen", "us", "pixels", "blits", "bytes"} and on the unix
# port "io_us", "progs", "prog_bytes", "erases"; first {"ref_us", "ref_n"} (reference(): this machine's speed),
# {"unreachable", "cl", "item"} for a measure the runner does not offer, {"cl", "edges", "taken"} after each
# checklist and {"done": taps} at the end.
# Constraints: it runs beside the panel in the board's heap: paths are made one at a time, never listed.

import gc
import json
import os
import time

from panel.board import LINK_IDLE
from panel.content.checklists import INDEX, load

WINDOW_BYTES = 11  # a blit's address window on the bus: CASET + 4, RASET + 4, RAMWR (drivers/dcs.py)
FIRST_PICK = 0  # a measure's pick list: the first choice is tapped
REF_N = 20000  # iterations of reference()


CHOOSE = "Choose…"  # the runner's button for a decision with more than three options


class NoLink:
    def poll(self, timeout_ms):
        return LINK_IDLE

    def readinto(self, buf):
        return 0

    def write(self, data):
        pass


class QueueTouch:
    """Presses queued by the walk, read by the panel's loop as a touch controller's would be."""

    def __init__(self):
        self.queue = []

    def poll(self):
        return self.queue.pop(0) if self.queue else None


class Blits:
    """The display, with its blits counted (one per band; a Python call each, nothing next to the pixels)."""

    def __init__(self, display):
        self.display = display
        self.width = display.width
        self.height = display.height
        self.blits = 0

    def blit(self, x, y, w, h, buf):
        self.blits += 1
        self.display.blit(x, y, w, h, buf)

    def __getattr__(self, name):
        return getattr(self.display, name)


def graph(cl):
    """Items by id, and for each the (option id or None, target) pairs that leave it."""
    items = {}
    nxt = {}
    seq = cl["items"]
    for i in range(len(seq)):
        it = seq[i]
        items[it["id"]] = it
        if it["k"] == "dec":
            nxt[it["id"]] = [(o[0], o[2]) for o in it["o"]]
        else:
            nxt[it["id"]] = [(None, it.get("nx") or seq[i + 1]["id"])]
    return items, nxt


def cover(cl):
    """Paths from step 1, made one at a time until every (item, option) has been taken: [(item, option)], terminal."""
    items, nxt = graph(cl)
    todo = {}
    for iid in nxt:
        for opt, _t in nxt[iid]:
            todo[(iid, opt)] = 1
    while todo:
        memo = {}

        def pending(iid):
            if iid not in items:
                return False
            if iid not in memo:
                memo[iid] = False
                for opt, t in nxt[iid]:
                    if (iid, opt) in todo or pending(t):
                        memo[iid] = True
                        break
            return memo[iid]

        iid = cl["items"][0]["id"]
        path = []
        while iid in items:
            choices = nxt[iid]
            pick = None
            for c in choices:
                if (iid, c[0]) in todo:
                    pick = c
                    break
            if pick is None:
                for c in choices:
                    if pending(c[1]):
                        pick = c
                        break
            if pick is None:
                pick = choices[0]
            todo.pop((iid, pick[0]), None)
            path.append((iid, pick[0]))
            iid = pick[1]
        yield path, iid


class Walk:
    """The panel driven by touch, each tap measured. emit(dict) gets a line a tap; io: the flash's counters or None."""

    def __init__(self, panel, touch, display, emit, io=None, step_ms=None):
        self.panel = panel
        self.touch = touch
        self.display = display  # a Blits
        self.emit = emit
        self.io = io
        self.step_ms = step_ms  # the simulated clock's advance a tap, or None on a real clock
        self.cl = None
        self.taps = 0

    def top(self):
        return self.panel.screen.ui.top()

    def find(self, label):
        for exact in (True, False):
            for w in self.top().widgets:
                lb = getattr(w, "label", None)
                if w.visible and w.action is not None and lb is not None:
                    if lb == label if exact else lb.startswith(label):
                        return w
        return None

    def tap(self, label):
        w = self.find(label)
        if w is None and label != CHOOSE and self.find(CHOOSE) is not None:
            self.tap(CHOOSE)  # a decision with more than three options lists them on their own screen
            w = self.find(label)
        pages = 0
        while w is None and label != "▼" and self.find("▼") is not None and pages < 20:
            self.tap("▼")  # on a later page of the list, as a person would
            pages += 1
            w = self.find(label)
        if w is None:
            labels = [getattr(x, "label", "?") for x in self.top().widgets if x.action is not None]
            raise ValueError("no %r on %s: %s" % (label, self.top().__module__, labels))
        self.press(w.rect[0] + w.rect[2] // 2, w.rect[1] + w.rect[3] // 2, label)

    def press(self, x, y, label):
        screen = self.top().__module__.split(".")[-1]
        ui = self.panel.screen.ui
        if self.step_ms:
            self.panel.board.clock.t += self.step_ms
        io = self.io
        if io is not None:
            io.zero()
        pixels, blits = ui.pixels, self.display.blits
        self.touch.queue.append((x, y))
        gc.collect()  # the collection the loop would do between taps is not this tap's
        inked = [0]
        flush = ui.flush

        def timed(_flush=flush, _inked=inked):
            n = _flush()
            _inked[0] = time.ticks_us()  # the last byte of the tap's paint is on the bus: ink on the glass
            return n

        ui.flush = timed
        t0 = time.ticks_us()
        self.panel.step(0)
        end = time.ticks_us()
        del ui.flush  # the class's own again
        # tap-to-ink ends when the paint is sent; what the loop does after it (the collection while the operator
        # looks, panel/ui/touchui.py) is not in the tap's time
        us = time.ticks_diff(inked[0] if inked[0] else end, t0)
        pixels, blits = ui.pixels - pixels, self.display.blits - blits
        line = {"tap": label, "cl": self.cl, "screen": screen, "us": us, "pixels": pixels, "blits": blits,
                "bytes": 2 * pixels + WINDOW_BYTES * blits, "after": self.top().__module__.split(".")[-1]}
        if io is not None:
            line["io_us"] = io.us
            line["progs"] = io.progs
            line["prog_bytes"] = io.prog_bytes
            line["erases"] = io.erases
        self.emit(line)
        self.taps += 1

    def expect(self, module):
        if not self.top().__module__.endswith("." + module):
            raise ValueError("expected screen %s, found %s" % (module, self.top().__module__))

    def open_case(self):
        self.tap("New case")
        self.tap("RCA")
        self.tap("Back")
        self.expect("case")

    def measure(self, m):
        """A measure entered as the operator would: its first pick, or a whole number in its range on the pad."""
        if self.find(m[1]) is None:  # not on the runner (a defect the walk reports: {"unreachable"})
            self.emit({"unreachable": m[1], "cl": self.cl, "item": self.panel.keeper.case.state.active.cur})
            return
        self.tap(m[1])
        if type(m[2]) is tuple:
            self.expect("picker")
            self.tap(m[2][FIRST_PICK][1])
            return
        self.expect("numpad")
        scale = 10 ** m[5]
        v = m[3] // scale + 1
        if v * scale > m[4]:
            v = m[3] // scale
        for d in str(v):
            self.tap(d)
        self.tap("OK")
        self.expect("runner")

    def checklist(self, cid, title):
        """Start cid from the case, walk its cover, back to the case."""
        self.cl = cid
        self.tap("Start a technique")
        self.tap(title)
        self.expect("technique")
        self.tap("Start")
        self.expect("runner")
        cl = load(cid)
        items, _nxt = graph(cl)
        edges = 0
        for iid in items:
            edges += len(_nxt[iid])
        taken = {}
        first = True
        for path, _terminal in cover(cl):
            run = self.panel.keeper.case.state.active
            if not first and (run.end is not None or run.cur != path[0][0]):
                self.tap("Start again" if run.end is not None else "More")
                if run.end is None:
                    self.tap("Start again")
                self.tap("New attempt")
            first = False
            for iid, opt in path:
                it = items[iid]
                for m in it.get("m", ()):
                    self.measure(m)
                self.tap("Done" if opt is None else [o[1] for o in it["o"] if o[0] == opt][0])
                taken[(iid, opt)] = 1
        run = self.panel.keeper.case.state.active
        if run.end is None:
            self.panel.keeper.record("abandon", {"why": "no_progress"})
            self.top().update()
        self.emit({"cl": cid, "edges": edges, "taken": len(taken)})
        self.tap("Back to the case")
        self.expect("case")

    def run(self, only=None):
        self.emit({"ref_us": reference(), "ref_n": REF_N})
        self.open_case()
        for cid, title, _mod in INDEX:
            if only is None or cid in only:
                self.checklist(cid, title)
        self.emit({"done": self.taps})


def reference(n=REF_N):
    """Microseconds for a fixed loop of plain bytecode, the least of 5 runs: what scales this machine's times to
    another's (the host's model assumes a figure for the board; on the board this measures it)."""
    best = None
    for _ in range(5):
        x = 0
        t = time.ticks_us()
        for i in range(n):
            x = (x * 3 + i) & 0xFFFF
        us = time.ticks_diff(time.ticks_us(), t)
        if best is None or us < best:
            best = us
    return best


def _emit(line):
    print(json.dumps(line))


def _rmtree(path):
    try:
        entries = list(os.ilistdir(path))
    except OSError:
        return
    for e in entries:
        p = path + "/" + e[0]
        if e[1] == 0x4000:
            _rmtree(p)
        else:
            os.remove(p)
    os.rmdir(path)


def _panel(board, display, random_bytes=None):
    from panel.app import Panel
    from panel.ui.touchui import TouchUI

    screen = TouchUI(display)
    panel = Panel(board, screen, random_bytes=random_bytes) if random_bytes else Panel(board, screen)
    screen.show(panel)
    return panel


class TapBoard:
    """The reference board's clock, flash and display (its blits counted), with queued taps in place of its touch."""

    def __init__(self, pico):
        self.name = pico.name
        self.device_id = pico.device_id
        self.clock = pico.clock
        self.link = pico.link
        self.storage = pico.storage
        self.display = Blits(pico.display)
        self.touch = QueueTouch()
        self.log = pico.log


def board_main(root="/tapink", only=None):
    """On the reference board, the panel stopped (BOOTSEL): the walk on the real display, its data under root."""
    from boards import pico2
    from boards.clock import Clock

    _rmtree(root)
    pico = pico2.Pico2Board(NoLink(), pico2.FlashStorage(root), Clock(), uart=False)
    pico.start_display()
    board = TapBoard(pico)
    display = board.display
    walk = Walk(_panel(board, display), board.touch, display, _emit)
    walk.run(only)

