# panel/ui/screens/picker.py — choose one of a list (a pick-list measure, a reason, an operator).
#
# arg: {"title", "options": ((value, label[, detail]), ...), "chosen": value, "on": fn(value)}.
# A long list pages; Cancel leaves without a choice.

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button, List


class Picker(Screen):
    modal = True

    def build(self):
        a = self.arg
        self.title = a.get("title", "Choose")
        x, y, w, h = theme.CONTENT
        items = []
        for o in a["options"]:
            detail = o[2] if len(o) > 2 else None
            chosen = "✓" if o[0] == a.get("chosen") else None
            items.append((o[1], detail, chosen, lambda _w, v=o[0]: self._pick(v), False, None))
        List(self, x, y, w, h - theme.TARGET, items, page=self.arg.get("page", 0))
        self.add(Button(x, y + h - theme.TARGET, w, theme.TARGET, "Cancel", lambda _b: self.ui.back()))

    def _pick(self, value):
        on = self.arg["on"]
        self.ui.back()
        on(value)


SCREEN = Picker
