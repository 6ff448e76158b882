# panel/ui/widgets.py — the widgets the screens are made of.
#
# Label (one line, marks only the pixels its text changed), Text (wrapped lines),
# Button (large, with a selected state shown inverted and ticked, never by colour
# alone), choice rows (yes / no / unknown and other one-of-n answers), Row and
# List (a list that pages with up/down buttons: resistive touch has no swipe),
# StatusBar and Clock text. The numeric pad and the dialogs are screens
# (panel/ui/screens/numpad.py, dialog.py).

from panel.ui import theme
from panel.ui.core import Widget, union
from panel.ui.fonts import body, small
from panel.ui.text import fit, ink_width, width, wrap

TICK = "✓ "
HEADER_H = 28  # a group heading in a list (not tappable)


class Label(Widget):
    """One line of text; set() repaints only what follows the prefix the old and the new text share."""

    def __init__(self, x, y, w, text="", font=body, colour=theme.FG, align=0):
        Widget.__init__(self, x, y, w, font.HEIGHT)
        self.font = font
        self.colour = colour
        self.align = align  # 0 left, 1 centre, 2 right
        self.text = ""
        self.span = (x, y, 0, font.HEIGHT)
        self._set(text)

    def _set(self, text):
        text = fit(self.font, text, self.rect[2])
        tw = width(self.font, text)
        x = self.rect[0]
        if self.align == 1:
            x += (self.rect[2] - tw) // 2
        elif self.align == 2:
            x += self.rect[2] - tw
        old = self.span
        self.text = text
        self.span = (x, self.rect[1], ink_width(self.font, text), self.font.HEIGHT)
        return old

    def set(self, text, colour=None):
        if colour is not None and colour != self.colour:
            self.colour = colour
            self.text = None
        if text == self.text:
            return
        prev = self.text
        old = self._set(text)
        new = self.span
        if old[2] == 0:
            if new[2]:
                self.changed(new)
        elif new[2] == 0:
            self.changed(old)
        elif self.align == 0 and old[0] == new[0] and prev is not None:
            # left-aligned: the common prefix draws the same pixels, only what follows it is sent
            cur = self.text
            n = 0
            while n < len(prev) and n < len(cur) and prev[n] == cur[n]:
                n += 1
            px = width(self.font, cur[:n])
            right = max(old[2], new[2])
            if right > px:
                self.changed((old[0] + px, old[1], right - px, old[3]))
        else:
            self.changed(union(old, new))

    def draw(self, g):
        if self.text:
            g.text(self.font, self.text, self.span[0], self.span[1], self.colour)


class Text(Widget):
    """Wrapped text in a box: at most as many lines as fit, the last cut with "…"; set() sends changed lines."""

    def __init__(self, x, y, w, h, text="", font=body, colour=theme.FG):
        Widget.__init__(self, x, y, w, h)
        self.font = font
        self.colour = colour
        self.lines = []
        self.text = None
        self.set(text)

    def set(self, text, colour=None):
        if text == self.text and colour in (None, self.colour):
            return
        recolour = colour is not None and colour != self.colour
        if colour is not None:
            self.colour = colour
        old = self.lines
        self.text = text
        self.lines = wrap(self.font, text, self.rect[2], self.rect[3] // self.font.HEIGHT)
        # line by line: a line that stays the same is not sent, the others only as wide as the wider text
        x, y = self.rect[0], self.rect[1]
        h = self.font.HEIGHT
        for i in range(max(len(old), len(self.lines))):
            a = old[i] if i < len(old) else ""
            b = self.lines[i] if i < len(self.lines) else ""
            if a != b or recolour:
                w = max(ink_width(self.font, a), ink_width(self.font, b))
                if w:
                    self.changed((x, y + i * h, w, h))

    def draw(self, g):
        y = self.rect[1]
        for line in self.lines:
            g.text(self.font, line, self.rect[0], y, self.colour)
            y += self.font.HEIGHT


class Button(Widget):
    """A large button: a label (and an optional second line); selected shows inverted with a tick."""

    def __init__(self, x, y, w, h, label, action=None, sub=None, selected=False, font=body):
        Widget.__init__(self, x, y, w, h, action)
        self.label = label
        self.sub = sub
        self.selected = selected
        self.font = font
        self.warn = False  # an alert: amber face and a "!" (not colour alone)
        self.value = None  # what the button stands for, in a choice row or a dialog

    def set(self, label=None, sub=None, selected=None, warn=None):
        new = (self.label if label is None else label, self.sub if sub is None else sub,
               self.selected if selected is None else selected, self.warn if warn is None else warn)
        if new == (self.label, self.sub, self.selected, self.warn):
            return
        if new[2:] != (self.selected, self.warn):
            self.label, self.sub, self.selected, self.warn = new
            self.changed()  # the face changes
            return
        before = self._text_box()  # the same face: only the text is sent
        self.label, self.sub = new[0], new[1]
        self.changed(union(before, self._text_box()))

    def _lines(self):
        label = (TICK if self.selected else "! " if self.warn else "") + self.label
        return wrap(self.font, label, self.rect[2] - 12, 1 if self.sub else 2)

    def _text_box(self):
        """The rectangle the label (and its second line) is drawn in."""
        x, y, w, h = self.rect
        lines = self._lines()
        tw = 0
        for line in lines:
            tw = max(tw, ink_width(self.font, line))
        lh = self.font.HEIGHT * len(lines)
        if self.sub:
            tw = max(tw, ink_width(small, fit(small, self.sub, w - 12)))
            lh += small.HEIGHT
        return (x + (w - tw) // 2, y + (h - lh) // 2, tw, lh)

    def draw(self, g):
        x, y, w, h = self.rect
        enabled = self.action is not None
        if self.selected:
            face, ink = theme.FG, theme.BG
        elif self.warn:
            face, ink = theme.ACCENT, theme.BG
        else:
            face, ink = theme.PANEL, theme.FG if enabled else theme.DIM
        g.fill_rect(x + 2, y + 2, w - 4, h - 4, face)
        g.rect(x + 2, y + 2, w - 4, h - 4, theme.FG if enabled else theme.LINE, 2)
        lines = self._lines()
        lh = self.font.HEIGHT * len(lines) + (small.HEIGHT if self.sub else 0)
        ty = y + (h - lh) // 2
        for line in lines:
            g.text(self.font, line, x + (w - width(self.font, line)) // 2, ty, ink)
            ty += self.font.HEIGHT
        if self.sub:
            sub = fit(small, self.sub, w - 12)
            g.text(small, sub, x + (w - width(small, sub)) // 2, ty, ink)


def choice_row(screen, x, y, w, options, chosen, on_pick, h=theme.TARGET):
    """A row of buttons, one per (value, label) option; the chosen one selected. on_pick(value)."""
    n = len(options)
    bw = w // n
    buttons = []
    for i in range(n):
        value, label = options[i]
        b = Button(x + i * bw, y, bw if i < n - 1 else w - i * bw, h, label,
                   lambda btn, v=value: on_pick(v), selected=(value == chosen))
        b.value = value
        buttons.append(screen.add(b))
    return buttons


def select(buttons, value):
    """Show `value` as the chosen button of a choice row."""
    for b in buttons:
        b.set(selected=(b.value == value))


def wraps(font, s, w, lines):
    """True when `s` breaks at spaces into at most `lines` lines of w pixels without cutting a word."""
    for para in s.split("\n"):
        for word in para.split(" "):
            if width(font, word) > w:
                return False
    return len(wrap(font, s, w)) <= lines


class Row(Widget):
    """One line of a list: a label with a one-line detail under it, a value on the right."""

    def __init__(self, x, y, w, h, label, detail=None, value=None, action=None, header=False, mark=None):
        Widget.__init__(self, x, y, w, h, action)
        self.label = label
        self.detail = detail
        self.value = value
        self.header = header
        self.mark = mark  # "!" a warning (alerts only: the unverified mark is panel.scoretext.UNVERIFIED), or None

    def cut(self):
        """What drawing this row would shorten with "…" or break inside a word: a list of "label", "value",
        "detail" (empty when everything shows whole). Clinical text is never cut (HUMAN-FACTORS.md)."""
        x, y, w, h = self.rect
        if self.header:
            return [] if width(small, self.label.upper()) <= w - 16 else ["label"]
        out = []
        vw = 0
        if self.value:
            if width(body, self.value) > w // 2:
                out.append("value")
            vw = width(body, fit(body, self.value, w // 2)) + (24 if self.action is not None else 12)
        elif self.action is not None:
            vw = 16  # the "›"
        lw = w - vw - 16
        label = ((self.mark + " ") if self.mark else "") + self.label
        if not self.detail and width(body, label) > lw:
            if not wraps(small, label, lw, (h - 4) // small.HEIGHT):
                out.append("label")
        else:
            if width(body, label) > lw:
                out.append("label")
            if self.detail and not wraps(small, self.detail, w - 16, (h - 4 - body.HEIGHT) // small.HEIGHT):
                out.append("detail")
        return out

    def draw(self, g):
        x, y, w, h = self.rect
        if self.header:
            g.text(small, fit(small, self.label.upper(), w - 16), x + 8, y + h - small.HEIGHT - 2, theme.ACCENT)
            g.hline(x + 8, y + h - 2, w - 16, theme.ACCENT)
            return
        g.hline(x, y + h - 1, w, theme.LINE)
        vw = 0
        if self.value:
            v = fit(body, self.value, w // 2)
            vw = width(body, v) + (24 if self.action is not None else 12)
            g.text(body, v, x + w - vw, y + 4, theme.FG)
        elif self.action is not None:
            vw = 16  # the "›"
        mark = (self.mark + " ") if self.mark else ""
        lw = w - vw - 16
        colour = theme.ACCENT if self.mark else theme.FG
        label = mark + self.label
        if not self.detail and width(body, label) > lw:  # a long text alone: small, on up to three lines
            ty = y + 2
            for line in wrap(small, label, lw, (h - 4) // small.HEIGHT):
                g.text(small, line, x + 8, ty, colour)
                ty += small.HEIGHT
        else:
            g.text(body, fit(body, label, lw), x + 8, y + 4, colour)
            if self.detail:
                ty = y + 4 + body.HEIGHT
                for line in wrap(small, self.detail, w - 16, (h - 4 - body.HEIGHT) // small.HEIGHT):
                    g.text(small, line, x + 8, ty, theme.DIM)
                    ty += small.HEIGHT
        if self.action is not None:
            g.text(body, "›", x + w - 12, y + 6, theme.DIM)


class List:
    """Rows in a box that pages: ▲ / ▼ buttons down the right edge, "2/5" between them.

    items: (label, detail, value, action, header, mark[, keep]) tuples; keep True: the row goes on the page
    of the row before it (a score's second line). Not a widget itself: it adds its visible rows and its
    buttons to the screen.
    """

    def __init__(self, screen, x, y, w, h, items, row_h=theme.TARGET, page=0):
        self.screen = screen
        self.box = (x, y, w - theme.TARGET, h)
        self.items = items
        self.row_h = row_h
        # pages: a header row is HEADER_H high, every other row row_h; a header never ends a page, and a
        # row kept with the one before starts a page only together with it
        self.starts = [0]
        used = 0
        for i in range(len(items)):
            rh = HEADER_H if items[i][4] else row_h
            if used + rh > h or (items[i][4] and used + rh + row_h > h and used):
                first = i
                while first > self.starts[-1] + 1 and len(items[first]) > 6 and items[first][6]:
                    first -= 1
                self.starts.append(first)
                used = 0
                for j in range(first, i):
                    used += HEADER_H if items[j][4] else row_h
            used += rh
        self.pages = len(self.starts)
        self.page = min(page, self.pages - 1)
        self.rows = []
        bx = x + w - theme.TARGET
        half = h // 2
        self.up = screen.add(Button(bx, y, theme.TARGET, half, "▲", self._up))
        self.down = screen.add(Button(bx, y + half, theme.TARGET, h - half, "▼", self._down))
        # one page: nothing to scroll, no arrows (a greyed button still reads as one to a gloved finger)
        self.up.visible = self.down.visible = self.pages > 1
        self._fill()

    def _up(self, _b):
        if self.page > 0:
            self.page -= 1
            self._fill()

    def _down(self, _b):
        if self.page < self.pages - 1:
            self.page += 1
            self._fill()

    def _fill(self):
        screen = self.screen
        for r in self.rows:
            screen.widgets.remove(r)
            r.screen = None
        self.rows = []
        x, y, w, h = self.box
        start = self.starts[self.page]
        end = self.starts[self.page + 1] if self.page + 1 < self.pages else len(self.items)
        for i in range(start, end):
            label, detail, value, action, header, mark = self.items[i][:6]
            rh = HEADER_H if header else self.row_h
            self.rows.append(screen.add(Row(x, y, w, rh, label, detail, value, action, header, mark)))
            y += rh
        if screen.ui is not None:
            screen.ui.invalidate(self.box, screen)
        self.up.set(sub="%d/%d" % (self.page + 1, self.pages))
        self.up.action = self._up if self.page > 0 else None
        self.down.action = self._down if self.page < self.pages - 1 else None
        self.up.changed()
        self.down.changed()


class StatusBar(Widget):
    """Across the top: where the panel is, the link, pairing, storage and the clock."""

    def __init__(self, ui):
        Widget.__init__(self, 0, 0, theme.W, theme.STATUS_H)
        self.ui = ui
        self.left = ""
        self.right = ""
        self.warn = False

    def changed(self, part=None):
        self.ui.invalidate(part or self.rect)

    def tick(self, now):
        self.update()

    def update(self):
        model = self.ui.model
        top = self.ui.top()
        title = top.title if top is not None else ""
        link = model.status()
        warn = model.storage_warning()
        left = title
        right = link + "  " + model.clock_text()
        if warn:
            right = "! " + warn + "  " + right
        if (left, right, bool(warn)) != (self.left, self.right, self.warn):
            self.left, self.right, self.warn = left, right, bool(warn)
            self.changed()

    def draw(self, g):
        g.fill_rect(0, 0, theme.W, theme.STATUS_H, theme.PANEL)
        g.hline(0, theme.STATUS_H - 1, theme.W, theme.LINE)
        rw = width(small, self.right)
        g.text(small, self.right, theme.W - rw - 6, 5, theme.ACCENT if self.warn else theme.FG)
        g.text(small, fit(small, self.left, theme.W - rw - 24), 6, 5, theme.FG)



class Box(Widget):
    """The ECL's box around the current item: a 3 px outline, or a filled face (inverted text on it) for a state
    that closes the list (CHECKLIST COMPLETE). move() repaints only the old and the new outline."""

    def __init__(self, x, y, w, h, filled=False):
        Widget.__init__(self, x, y, w, h)
        self.filled = filled

    def _edges(self):
        x, y, w, h = self.rect
        return ((x, y, w, 3), (x, y + h - 3, w, 3), (x, y, 3, h), (x + w - 3, y, 3, h))

    def move(self, rect, filled=False):
        if rect == self.rect and filled == self.filled:
            return
        for e in (self._edges() if not (self.filled or filled) else (self.rect,)):
            self.changed(e)
        self.rect = rect
        was = self.filled
        self.filled = filled
        for e in (self._edges() if not (was or filled) else (self.rect,)):
            self.changed(e)

    def draw(self, g):
        x, y, w, h = self.rect
        if self.filled:
            g.fill_rect(x, y, w, h, theme.FG)
        else:
            g.rect(x, y, w, h, theme.FG, 3)
