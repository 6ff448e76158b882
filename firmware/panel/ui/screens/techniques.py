# panel/ui/screens/techniques.py — the technique checklists, each with its indication.

from panel.content.checklists import INDEX
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button, List


class Techniques(Screen):
    title = "Technique checklists"

    def build(self):
        x, y, w, h = theme.CONTENT
        items = [(title, "indication and limits first", None, lambda _w, c=cid: self.ui.push("technique", c), False,
                  None) for cid, title, _mod in INDEX]
        List(self, x, y, w, h - theme.TARGET, items)
        self.add(Button(x, y + h - theme.TARGET, w, theme.TARGET, "Back", lambda _b: self.ui.back()))


SCREEN = Techniques
