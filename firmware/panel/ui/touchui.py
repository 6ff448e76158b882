# panel/ui/touchui.py — the panel's touch UI as the main loop sees it: show, tap, tick.
#
# panel/app.py calls show(panel) when the link, pairing or case state changes,
# tap(x, y) for each press and tick(now) every turn of the loop; the UI paints what
# became dirty at most every PAINT_MS (a board's bus is the bottleneck) and at once
# after a tap. A pairing code shows only on the pairing screen someone opened. Events recorded
# without a tap (the scripted player, timer alerts) refresh the screen on top.

import gc

from panel.ui.core import UI
from panel.ui.widgets import StatusBar

PAINT_MS = 250  # clocks and timers repaint at most this often; a tap repaints at once


class TouchUI:
    def __init__(self, display):
        self.display = display
        self.ui = None
        self.events = 0
        self.last = None

    def _start(self, panel):
        ui = UI(self.display, panel)
        ui.status = StatusBar(ui)
        self.ui = ui
        ui.push("home")
        ui.invalidate((0, 0, self.display.width, self.display.height))
        self.events = self._count(panel)

    def _count(self, panel):
        case = panel.keeper.case
        return len(case.log) if case is not None else 0

    def show(self, panel):
        if self.ui is None:
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
