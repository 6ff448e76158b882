# panel/ui/screens/timers.py — the procedure clock, the checklist's timers, contrast and fluoroscopy.
#
# The procedure clock runs from the case's open event. Timers (the wire-crossing timer
# and its 30-minute alert) belong to the running checklist; their alert is journalled
# by the case and shown here with "!" and in amber. Contrast, fluoroscopy and
# procedure time are the case's tallies (outcome events), entered on the numeric pad.

from panel.case import outcome_entry
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import large, small
from panel.ui.widgets import Button, Label
from panel.uptime import clock

TALLIES = ("contrast_ml", "fluoro_s", "procedure_s")


class Timers(Screen):
    title = "Timers and tallies"

    def build(self):
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        self.add(Label(x + theme.PAD, y + 2, 200, "procedure", small, theme.DIM))
        self.proc = self.add(Label(x + theme.PAD, y + 2 + small.HEIGHT, w // 2 - 16, "", large))
        self.timer_buttons = []
        run = self.ui.model.keeper.case.state.active
        if run is not None and run.end is None:
            tms = run.cl.get("tm", ())
            for i in range(len(tms)):
                tid, label, limit = tms[i]
                b = self.add(Button(x + w // 2, y + i * T, w - w // 2, T, label, lambda _b, t=tid: self._toggle(t)))
                b.tid = tid
                self.timer_buttons.append(b)
        st = self.ui.model.keeper.case.state
        n = len(TALLIES)
        for i in range(n):
            oid = TALLIES[i]
            entry = outcome_entry(oid)[0]
            v = st.outcomes.get(oid)
            bx = x + i * w // n
            self.add(Button(bx, y + 2 * T, x + (i + 1) * w // n - bx, T, entry[2].split(" ")[0],
                            lambda _b, e=entry: self._tally(e),
                            sub=("%d %s" % (v, entry[4][0])) if v is not None else "tap to enter"))
        self.add(Button(x, y + 3 * T, w, T, "Back", lambda _b: self.ui.back()))
        self.tick(None)

    def tick(self, now):
        model = self.ui.model
        case = model.keeper.case
        ticks = model.board.clock.ticks_ms()
        opened = case.state.opened
        self.proc.set(clock(model.board.clock.ticks_diff(ticks, opened)))
        run = case.state.active
        for b in self.timer_buttons:
            t = run.timer(b.tid, ticks)
            over = t["ms"] >= t["limit"] * 1000
            state = "running" if t["on"] else ("stopped" if t["ms"] else "not started")
            b.set(sub="%s %s / %d min%s" % (state, clock(t["ms"]), t["limit"] // 60, ": OVER" if over else ""),
                  warn=over and t["on"])

    def _toggle(self, tid):
        run = self.ui.model.keeper.case.state.active
        kind = "timer_stop" if run.timer(tid, self.ui.model.board.clock.ticks_ms())["on"] else "timer_start"
        if self.ui.record(kind, {"timer": tid}) is not None:
            self.tick(None)

    def _tally(self, entry):
        unit, lo, hi = entry[4]
        self.ui.number(entry[2], unit, lo, hi, 0, lambda v: self._entered(entry[0], v),
                       self.ui.model.keeper.case.state.outcomes.get(entry[0]))

    def _entered(self, oid, v):
        if self.ui.record("outcome", {"o": oid, "v": v}) is not None:
            self.refresh()


SCREEN = Timers
