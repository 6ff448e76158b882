# panel/ui/screens/fulltext.py — full texts to read: a checklist step's source text, the cautions in force.
#
# arg: {"title", "blocks": ((kind, text), ...)} with kind "h" (a heading), "p" (text), "c" (a caution,
# amber), "l" (a line of the checklist's list), "x" (the current item's line: inverted, the ECL's box) or "n"
# (a branch not taken, grey). Every text is wrapped at spaces in the 24 px font and paged, never cut short (the runner shows
# short labels; this screen holds the words they stand for): ▲ / ▼ page down the right edge, as a list
# does, Back below. Only the page shown is made into widgets (panel RAM).

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, small
from panel.ui.text import wrap
from panel.ui.widgets import Box, Button, Label

GAP = 6  # px between two blocks


def lines_of(blocks, w):
    """[(font, colour, text, gap before, face)] of the blocks wrapped to w px; face: a fill behind the line or
    None."""
    out = []  # type: list
    for kind, text in blocks:
        gap = GAP if out and out[-1][0] is not small else 0  # none under a heading
        if kind == "h":
            out.append((small, theme.ACCENT, text.upper(), gap + 4 if out else 0, None))
            continue
        colour, face = theme.FG, None
        if kind == "c":
            colour = theme.ACCENT
        elif kind == "n":
            colour = theme.DIM
        elif kind == "x":
            colour, face = theme.BG, theme.FG
        if kind in "lnx":
            gap = 2 if out and out[-1][0] is not small else 0
        for line in wrap(body, text, w):
            out.append((body, colour, line, gap, face))
            gap = 0
    return out


def pages_of(lines, h):
    """Start index of each page of `lines` in h px; a heading never ends a page."""
    starts = [0]
    used = 0
    for i in range(len(lines)):
        font, _c, _t, gap, _f = lines[i]
        lh = font.HEIGHT + (gap if used else 0)
        heading = font is small
        if used and (used + lh > h or (heading and used + lh + body.HEIGHT > h)):
            starts.append(i)
            used = font.HEIGHT
        else:
            used += lh
    return starts


class FullText(Screen):
    modal = True

    def build(self):
        a = self.arg
        self.title = a.get("title", "Full text")
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        self.box = (x + theme.PAD, y + 4, w - T - 2 * theme.PAD, h - T - 8)
        self.lines = lines_of(a["blocks"], self.box[2])
        self.starts = pages_of(self.lines, self.box[3])
        self.page = min(a.get("page", 0), len(self.starts) - 1)
        half = (h - T) // 2
        self.up = self.add(Button(x + w - T, y, T, half, "▲", self._up))
        self.down = self.add(Button(x + w - T, y + half, T, h - T - half, "▼", self._down))
        self.add(Button(x, y + h - T, w, T, "Back", lambda _b: self.ui.back()))
        self.shown = []
        self._fill()

    def _up(self, _b):
        if self.page > 0:
            self.page -= 1
            self._fill()

    def _down(self, _b):
        if self.page < len(self.starts) - 1:
            self.page += 1
            self._fill()

    def _fill(self):
        for lb in self.shown:
            self.widgets.remove(lb)
            lb.screen = None
        self.shown = []
        x, y, w, _h = self.box
        i = self.starts[self.page]
        end = self.starts[self.page + 1] if self.page + 1 < len(self.starts) else len(self.lines)
        first = True
        while i < end:
            font, colour, text, gap, face = self.lines[i]
            if not first:
                y += gap
            if face is not None:
                self.shown.append(self.add(Box(x - 4, y, w + 8, font.HEIGHT, True)))
            self.shown.append(self.add(Label(x, y, w, text, font, colour)))
            y += font.HEIGHT
            first = False
            i += 1
        self.ui.invalidate(self.box, self)
        n = len(self.starts)
        self.up.set(sub="%d/%d" % (self.page + 1, n))
        self.up.action = self._up if self.page > 0 else None
        self.down.action = self._down if self.page < n - 1 else None
        self.up.changed()
        self.down.changed()


SCREEN = FullText
