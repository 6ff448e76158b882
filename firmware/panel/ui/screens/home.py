# panel/ui/screens/home.py — start here: a new case, the open case, the cases on the panel, pairing.

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, small
from panel.ui.widgets import Button, Text


def plural(n, noun):
    """ "1 case", "2 cases", "no cases" """
    return ("no %ss" % noun) if n == 0 else ("1 " + noun) if n == 1 else "%d %ss" % (n, noun)


class Home(Screen):
    title = "Bedside"

    def build(self):
        model = self.ui.model
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        keeper = model.keeper
        case = keeper.case
        if case is not None and not case.state.closed:
            run = case.state.active
            what = ("%s running" % case.state.runs[-1][0]) if run is not None and run.end is None else "no checklist running"
            self.add(Button(x, y + 4, w, T, "Resume case " + keeper.case_id, self._resume,
                            sub="%d events, %s" % (len(case.log), what)))
        else:
            self.add(Button(x, y + 4, w, T, "New case", self._new, sub="findings, scores, checklists"))
        n, unsynced = model.journal.tally()
        self.add(Button(x, y + 4 + T, w, T, "Cases on this panel", lambda _b: self.ui.push("cases"),
                        sub=plural(n, "case") if not n else "%s, %s" % (
                            plural(n, "case"), "all synced" if not unsynced else "%d not yet synced" % unsynced)))
        half = w // 2
        self.add(Button(x, y + 4 + 2 * T, half, T, "Pair a host", lambda _b: self.ui.push("pairing")))
        self.add(Button(x + half, y + 4 + 2 * T, w - half, T, "Sync status",
                        lambda _b: self.ui.push("cases", "sync")))
        warn = model.storage_warning()
        # the storage warning, or who this panel is: device, firmware, content, on two lines (never cut)
        self.add(Text(x + theme.PAD, y + 8 + 3 * T, w - 16, h - 8 - 3 * T, ("! " + warn) if warn else
                      model.identity_text(), body if warn else small, theme.ACCENT if warn else theme.DIM))

    def _new(self, _b):
        from panel.case import CaseError

        try:
            self.ui.model.keeper.new_case()
        except CaseError as e:  # storage full, or a case still open: nothing was created
            self.ui.message("No new case", str(e))
            return
        self.ui.push("case")
        self.ui.push("setup")

    def _resume(self, _b):
        self.ui.push("case")


SCREEN = Home
