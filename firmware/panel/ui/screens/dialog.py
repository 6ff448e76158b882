# panel/ui/screens/dialog.py — a modal question or message: text and up to three answers.
#
# arg: {"title", "text", "buttons": ((value, label), ...), "on": fn(value) or None,
#       "warn": True for a fault or an irreversible action}. The dialog closes first,
# then on(value) runs (so on() may open another screen).

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, large
from panel.ui.widgets import Button, Label, Text


class Dialog(Screen):
    modal = True

    def build(self):
        a = self.arg
        self.title = a.get("title", "")
        x, y, w, h = theme.CONTENT
        colour = theme.ACCENT if a.get("warn") else theme.FG
        self.add(Label(x + theme.PAD, y + 8, w - 2 * theme.PAD, a.get("title", ""), large, colour))
        bottom = y + h - theme.TARGET
        self.add(Text(x + theme.PAD, y + 8 + large.HEIGHT + 4, w - 2 * theme.PAD,
                      bottom - (y + 12 + large.HEIGHT), a.get("text", ""), body))
        buttons = a.get("buttons") or (("ok", "OK"),)
        bw = w // len(buttons)
        for i in range(len(buttons)):
            value, label = buttons[i]
            b = self.add(Button(x + i * bw, bottom, bw, theme.TARGET, label, self._answer))
            b.value = value
            if a.get("warn") and i == len(buttons) - 1 and len(buttons) > 1:
                b.warn = True

    def _answer(self, b):
        on = self.arg.get("on")
        self.ui.back()
        if on is not None:
            on(b.value)


SCREEN = Dialog
