# panel/ui/screens/numpad.py — a numeric pad with range checking, for integers with a unit.
#
# arg: {"title", "unit", "lo", "hi", "dec" (implied decimals: 45 with dec 1 is 4.5),
#       "value" (current, or None), "on": fn(int)}. Out of range or empty: OK says why and
# records nothing.

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import large, small
from panel.ui.widgets import Button, Label

MAX_DIGITS = 6


def fmt(v, dec):
    if v is None:
        return "—"
    if not dec:
        return str(v)
    s = str(abs(v))
    while len(s) <= dec:
        s = "0" + s
    return ("-" if v < 0 else "") + s[:-dec] + "." + s[-dec:]


class NumPad(Screen):
    modal = True

    def build(self):
        a = self.arg
        self.title = a.get("title", "Enter a number")
        self.dec = a.get("dec", 0)
        self.digits = ""
        self.point = -1  # digits after the point typed so far, -1: no point yet
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        self.shown = self.add(Label(x + theme.PAD, y + 2, w // 2, "", large, theme.FG))
        self.add(Label(x + w // 2, y + 4, w // 2 - theme.PAD, "%s to %s %s" % (
            fmt(a["lo"], self.dec), fmt(a["hi"], self.dec), a.get("unit", "")), small, theme.DIM, 2))
        self.msg = self.add(Label(x + w // 2, y + 4 + small.HEIGHT, w // 2 - theme.PAD, "", small, theme.ACCENT, 2))
        keys = "12345" + "67890"
        bw = w // 5
        for i in range(10):
            b = self.add(Button(x + (i % 5) * bw, y + T + (i // 5) * T, bw, T, keys[i], self._digit))
            b.value = keys[i]
        row = y + 3 * T
        cells = (("⌫", self._erase), ("Cancel", lambda _b: self.ui.back()), ("OK", self._ok))  # type: tuple
        if self.dec:
            cells = ((".", self._dot),) + cells
        cw = w // len(cells)
        for i in range(len(cells)):
            self.add(Button(x + i * cw, row, cw if i < len(cells) - 1 else w - i * cw, T, cells[i][0], cells[i][1]))
        self._show()

    def _show(self):
        text = self.digits
        if self.point >= 0:
            text = text[:len(text) - self.point] + "." + text[len(text) - self.point:] if self.point else text + "."
        self.shown.set((text or "_") + " " + self.arg.get("unit", ""))

    def _digit(self, b):
        if len(self.digits) >= MAX_DIGITS or (self.point >= self.dec and self.point >= 0 and self.dec):
            return
        if self.point >= 0:
            self.point += 1
        self.digits += b.value
        self.msg.set("")
        self._show()

    def _dot(self, _b):
        if self.point < 0:
            self.point = 0
            self._show()

    def _erase(self, _b):
        if self.point == 0:
            self.point = -1
        elif self.digits:
            self.digits = self.digits[:-1]
            if self.point > 0:
                self.point -= 1
        self.msg.set("")
        self._show()

    def value(self):
        if not self.digits:
            return None
        v = int(self.digits)
        scale = self.dec - max(self.point, 0)
        for _ in range(scale):
            v *= 10
        return v

    def _ok(self, _b):
        a = self.arg
        v = self.value()
        if v is None:
            self.msg.set("! type a number first")
            return
        if v < a["lo"] or v > a["hi"]:
            self.msg.set("! %s is out of range" % fmt(v, self.dec))
            return
        self.ui.back()
        a["on"](v)


SCREEN = NumPad
