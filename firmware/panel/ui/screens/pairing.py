# panel/ui/screens/pairing.py — pairing a host: opened here, the code and who asks for it shown here.
#
# Pairing starts at the panel: opening this screen opens pairing for 2 minutes
# (panel.pairing.arm), and leaving it closes pairing again; a host's pair_start is
# refused at any other time, so a host can never take the screen over. When a host
# asks, the screen shows its name and the 6-digit code the person at the table reads
# out to the host; once the host has proved the code, the screen closes by itself.
# After too many wrong codes pairing locks, and only this screen can unlock it.

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, large, small
from panel.ui.widgets import Button, Label, Text
from panel.uptime import clock


class Pairing(Screen):
    title = "Pair a host"

    def on_open(self):
        self._open_pairing()

    def on_hide(self):
        model = self.ui.model
        if model.pairing.armed(model.uptime.now()) or model.pairing_code:
            model.board.log("pairing closed at the panel")
        model.pairing.disarm()

    def refresh(self):
        done = self.ui.model.pairing.take_paired()
        if done is not None:  # the host proved the code: pairing is done, the screen goes
            self.ui.model.board.log("paired with %s" % (done[1] or done[0]))
            self.ui.back()
            return
        Screen.refresh(self)

    def _open_pairing(self):
        model = self.ui.model
        if model.pairing.locked():
            return
        model.pairing.arm(model.uptime.now())
        model.board.log("pairing open at the panel")
        self.refresh()

    def build(self):
        model = self.ui.model
        pairing = model.pairing
        now = model.uptime.now()
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        code = model.pairing_code
        self.left = None
        self._state = (pairing.armed(now), code)
        top = y + 20 + body.HEIGHT + large.HEIGHT
        if code:
            who = pairing.window_host()
            name = (who[1] or who[0]) if who is not None else "a host"
            self.add(Label(x, y + 10, w, "Code for " + name, body, theme.FG, 1))
            self.add(Label(x, y + 10 + body.HEIGHT, w, " ".join([code[:3], code[3:]]), large, theme.ACCENT, 1))
            text = ("Read it out only if that is the workstation you are pairing. Valid 2 minutes, "
                    "never shown again.")
        elif pairing.locked():
            self.add(Label(x, y + 10, w, "! Pairing locked", large, theme.ACCENT, 1))
            text = "Too many wrong codes were tried. Unlock only if you know who was pairing."
        elif self._state[0]:
            self.add(Label(x, y + 10, w, "Pairing open", large, theme.FG, 1))
            self.left = self.add(Label(x, y + 10 + large.HEIGHT, w, "", small, theme.DIM, 1))
            text = ("Now choose Pair on the workstation (or run: bedside pair). Its name and a code appear "
                    "here. Paired hosts: %d." % len(pairing.hosts()))
        else:
            self.add(Label(x, y + 10, w, "Pairing closed", large, theme.FG, 1))
            text = ("Pairing stays open 2 minutes after it is opened here, and closes when you leave "
                    "this screen. Paired hosts: %d." % len(pairing.hosts()))
        self.add(Text(x + theme.PAD, top, w - 16, 3 * body.HEIGHT, text, body))
        half = w // 2
        if pairing.locked() and not code:
            self.add(Button(x, y + h - T, half, T, "Back", lambda _b: self.ui.back()))
            b = self.add(Button(x + half, y + h - T, w - half, T, "Unlock pairing", self._unlock))
            b.warn = True
        elif not self._state[0] and not code:
            self.add(Button(x, y + h - T, half, T, "Back", lambda _b: self.ui.back()))
            self.add(Button(x + half, y + h - T, w - half, T, "Open pairing", lambda _b: self._open_pairing()))
        else:
            self.add(Button(x, y + h - T, w, T, "Back", lambda _b: self.ui.back()))
        self.tick(now)

    def tick(self, now):
        if now is None:
            return
        model = self.ui.model
        if (model.pairing.armed(now), model.pairing_code) != self._state:
            self.refresh()  # pairing closed by itself, or a host's code came or went
            return
        if self.left is not None:
            self.left.set("open for %s more" % clock(model.pairing.armed_left(now) + 999))

    def _unlock(self, _b):
        self.ui.model.pairing.unlock()
        self._open_pairing()


SCREEN = Pairing
