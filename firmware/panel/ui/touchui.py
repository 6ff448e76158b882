# panel/ui/touchui.py — the panel's touch UI as the main loop sees it: show, tap, tick.
#
# panel/app.py calls prepare() at boot before anything is read from flash (the display band,
# the one long-lived buffer the UI needs, is made while the heap is one piece), show(panel)
# when the link, pairing or case state changes, tap(x, y) for each press and tick(now) every
# turn of the loop; the UI paints what became dirty at most every PAINT_MS (a board's bus is
# the bottleneck) and at once after a tap. A pairing code shows only on the pairing screen
# someone opened. Events recorded without a tap (the scripted player, timer alerts) refresh
# the screen on top. In safe mode (panel.safe) the safe screen is at the bottom of the stack.

import gc

from panel.ui.core import BAND_BYTES, UI
from panel.ui.widgets import StatusBar

PAINT_MS = 250  # clocks and timers repaint at most this often; a tap repaints at once


class TouchUI:
    def __init__(self, display):
        self.display = display
        self.ui = None
        self.band = None
        self.events = 0
        self.last = None

    def prepare(self):
        """Make the display band now, before the panel reads its state from flash."""
        if self.band is None:
            self.band = bytearray(BAND_BYTES)

    def drop(self):
        """Let every screen go (safe mode): the band stays."""
        self.ui = None
        gc.collect()

    def _start(self, panel, first="home", arg=None):
        self.prepare()
        ui = UI(self.display, panel, self.band)
        ui.status = StatusBar(ui)
        self.ui = ui
        ui.push(first, arg)
        ui.invalidate((0, 0, self.display.width, self.display.height))
        self.events = self._count(panel)

    def show_safe(self, panel, reason):
        """Safe mode: the screen that says what is wrong and what to do, in place of everything else."""
        self.ui = None
        gc.collect()
        self._start(panel, "safe", reason)
        ui = self.ui
        if ui is not None:
            ui.status.update()
            ui.flush()

    def _count(self, panel):
        case = panel.keeper.case
        return len(case.log) if case is not None else 0

    def show(self, panel):
        if self.ui is None:
            if panel.safe:
                self.show_safe(panel, panel.safe)
            else:
                self._start(panel)
        ui = self.ui
        top = ui.top()
        if top is not None and top.__module__.endswith(".pairing"):
            top.refresh()  # a host's code shows only where someone opened pairing: never over another screen
        ui.status.update()
        ui.flush()

    def tap(self, x, y):
        if self.ui is None:
            return
        self.ui.tap(x, y)
        self.events = self._count(self.ui.model)
        self.ui.status.update()
        self.ui.flush()
        gc.collect()  # what the tap left behind goes now, while the operator looks: fewer, larger holes

    def tick(self, now):
        ui = self.ui
        if ui is None or (self.last is not None and now - self.last < PAINT_MS):
            return
        self.last = now
        n = self._count(ui.model)
        if n != self.events:  # recorded without a tap: the player, a timer alert
            self.events = n
            top = ui.top()
            if top is not None and not top.modal:
                if hasattr(top, "update"):
                    top.update()
                else:
                    top.refresh()
        ui.tick(now)
        ui.flush()
