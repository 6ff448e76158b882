# panel/ui/screens/safe.py — safe mode: the panel could not start normally; say why and what to do.
#
# Shown when loading the state from flash failed (panel/app.py, safe mode): the panel still
# answers the workstation (pairing, sync) so every case can be taken off, and deletes nothing.
# No case is open here and nothing can be recorded; the only way on is a sync, then a restart.

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, large
from panel.ui.widgets import Label, Text

WHAT_TO_DO = ("Nothing has been deleted. Connect the workstation and sync: every case comes off. "
              "Then restart the panel. If this screen comes back, send the panel for service.")


class Safe(Screen):
    title = "SAFE MODE"
    modal = True

    def build(self):
        x, y, w, h = theme.CONTENT
        self.add(Label(x + theme.PAD, y + 4, w - 2 * theme.PAD, "! SAFE MODE", large, theme.BAD))
        top = y + 8 + large.HEIGHT
        self.add(Text(x + theme.PAD, top, w - 2 * theme.PAD, 3 * body.HEIGHT, "Not started: " + (self.arg or "?"),
                      body, theme.ACCENT))
        below = top + 3 * body.HEIGHT + 4
        self.add(Text(x + theme.PAD, below, w - 2 * theme.PAD, y + h - below, WHAT_TO_DO, body))


SCREEN = Safe
