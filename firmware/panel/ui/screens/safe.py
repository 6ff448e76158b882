# panel/ui/screens/safe.py — safe mode: the panel could not start normally; say why and what to do.
#
# Shown when loading the state from flash failed (panel/app.py, safe mode): the panel still
# answers the workstation (pairing, sync) so every case can be taken off, and deletes nothing.
# No case is open here and nothing can be recorded; the only way on is a sync, then a restart.
# Pairing starts at the panel, so a workstation never paired with it can still be: "Pair a host".

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, large
from panel.ui.widgets import Button, Label, Text

WHAT_TO_DO = "Nothing is deleted. Sync at the workstation, then restart the panel. If it comes back, call service."


class Safe(Screen):
    title = "SAFE MODE"
    modal = True

    def build(self):
        x, y, w, h = theme.CONTENT
        self.add(Label(x + theme.PAD, y + 4, w - 2 * theme.PAD, "! SAFE MODE", large, theme.BAD))
        top = y + 8 + large.HEIGHT
        self.add(Text(x + theme.PAD, top, w - 2 * theme.PAD, 2 * body.HEIGHT, self.arg or "?", body, theme.ACCENT))
        below = top + 2 * body.HEIGHT + 4
        T = theme.TARGET
        self.add(Text(x + theme.PAD, below, w - 2 * theme.PAD, y + h - T - below, WHAT_TO_DO, body))
        if self.ui.model.pairing is not None:
            self.add(Button(x, y + h - T, w, T, "Pair a host", lambda _b: self.ui.push("pairing")))


SCREEN = Safe
