# panel/ui/screens/pairing.py — pairing a host: the 6-digit code to read out, or how to start.
#
# The host asks to pair; the panel then shows a code for a short window and the
# person at the table reads it to the host. After too many wrong codes pairing locks,
# and only this screen can unlock it.

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, large
from panel.ui.widgets import Button, Label, Text


class Pairing(Screen):
    title = "Pair a host"

    def build(self):
        model = self.ui.model
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        code = model.pairing_code
        if code:
            self.add(Label(x, y + 10, w, "Pairing code", body, theme.FG, 1))
            self.add(Label(x, y + 10 + body.HEIGHT, w, " ".join([code[:3], code[3:]]), large, theme.ACCENT, 1))
            text = "Read this code to the host. It is valid for a few minutes and is never shown again."
        elif model.pairing.locked():
            self.add(Label(x, y + 10, w, "! Pairing locked", large, theme.ACCENT, 1))
            text = "Too many wrong codes were tried. Unlock only if you know who was pairing."
        else:
            self.add(Label(x, y + 10, w, "No pairing in progress", body, theme.FG, 1))
            text = ("On the workstation choose Pair (or run: bedside pair). A code appears here to read out. "
                    "Paired hosts: %d." % len(model.pairing.hosts()))
        self.add(Text(x + theme.PAD, y + 20 + body.HEIGHT + large.HEIGHT, w - 16, 3 * body.HEIGHT, text, body))
        if model.pairing.locked() and not code:
            half = w // 2
            self.add(Button(x, y + h - T, half, T, "Back", lambda _b: self.ui.back()))
            b = self.add(Button(x + half, y + h - T, w - half, T, "Unlock pairing", self._unlock))
            b.warn = True
        else:
            self.add(Button(x, y + h - T, w, T, "Back", lambda _b: self.ui.back()))

    def _unlock(self, _b):
        self.ui.model.pairing.unlock()
        self.refresh()


SCREEN = Pairing
