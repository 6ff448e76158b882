# panel/ui/screens/fault.py — storage failed: what happened, and the one thing to do.

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, large, small
from panel.ui.widgets import Button, Label, Text

INSTRUCTION = ("The last entry was NOT recorded; all before it is safe. Note this step on paper, "
               "tell the nurse, keep the panel on.")


class Fault(Screen):
    title = "FAULT"
    modal = True

    def build(self):
        x, y, w, h = theme.CONTENT
        self.add(Label(x + theme.PAD, y + 6, w - 16, "! STORAGE FAULT", large, theme.BAD))
        self.add(Text(x + theme.PAD, y + 8 + large.HEIGHT, w - 16, 4 * body.HEIGHT, INSTRUCTION, body))
        detail = (self.arg or {}).get("detail", "")
        self.add(Text(x + theme.PAD, y + 8 + large.HEIGHT + 4 * body.HEIGHT, w - 16, 2 * small.HEIGHT,
                      detail, small, theme.DIM))
        self.add(Button(x, y + h - theme.TARGET, w, theme.TARGET, "Understood: try again", lambda _b: self.ui.back()))


SCREEN = Fault
