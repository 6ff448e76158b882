# panel/ui/core.py — the toolkit: widgets on screens on a stack, one touch dispatcher, dirty rectangles.
#
# The panel never holds a frame: a 480 x 320 RGB565 frame is 300 KB, more than the
# whole heap. What changed is marked dirty (a rectangle); flush() paints each dirty
# rectangle in bands through one buffer of BAND_BYTES (3.75 KB): every widget that overlaps
# the band draws itself, clipped by framebuf, then the band goes to the display
# with one blit (on a board: one window command and one burst of pixels). The bus,
# not the CPU, is the bottleneck on a board, so the fewer pixels the better:
# a widget marks only what it changed (a label the union of its old and new text).
#
# Screens are modules of panel/ui/screens, loaded when pushed and let go when the
# last instance leaves the stack (panel RAM). A modal screen covers the content
# area and takes every tap until it is closed. The status bar is always on top.

import gc
import sys

try:
    import framebuf
except ImportError:  # CPython: tests lay out and measure screens there, they never draw
    framebuf = None

from panel.ui import theme
from panel.ui.text import draw as _draw

BAND_BYTES = 3840  # one band: 480 x 4 RGB565 rows, or a narrower rectangle in fewer passes
MAX_DIRTY = 16  # more rectangles than this are merged into their bounding box


def overlap(a, b):
    """The intersection of rectangles a and b (x, y, w, h), or None."""
    x = max(a[0], b[0])
    y = max(a[1], b[1])
    x2 = min(a[0] + a[2], b[0] + b[2])
    y2 = min(a[1] + a[3], b[1] + b[3])
    if x2 <= x or y2 <= y:
        return None
    return (x, y, x2 - x, y2 - y)


def union(a, b):
    x = min(a[0], b[0])
    y = min(a[1], b[1])
    return (x, y, max(a[0] + a[2], b[0] + b[2]) - x, max(a[1] + a[3], b[1] + b[3]) - y)


def inside(r, x, y):
    return r[0] <= x < r[0] + r[2] and r[1] <= y < r[1] + r[3]


class Gfx:
    """Drawing in screen coordinates onto the band being painted (framebuf clips at its edges)."""

    def __init__(self):
        self.fb = None
        self.ox = 0
        self.oy = 0
        self.h = 0  # the band's height: text wholly above or below it is not drawn (a glyph costs a Python call)
        self.w = 0  # the band's width: a glyph wholly left or right of it is not drawn either

    def fill_rect(self, x, y, w, h, c):
        self.fb.fill_rect(x - self.ox, y - self.oy, w, h, c)

    def rect(self, x, y, w, h, c, t=1):
        fb = self.fb
        x -= self.ox
        y -= self.oy
        for i in range(t):
            fb.rect(x + i, y + i, w - 2 * i, h - 2 * i, c)

    def hline(self, x, y, w, c):
        self.fb.hline(x - self.ox, y - self.oy, w, c)

    def text(self, font, s, x, y, c):
        if y + font.HEIGHT <= self.oy or y >= self.oy + self.h:  # every glyph lies within its line's height
            return
        _draw(self.fb, font, s, x - self.ox, y - self.oy, c, self.w, self.h)


class Widget:
    """A rectangle of the screen that draws itself; tappable when it has an action."""

    def __init__(self, x, y, w, h, action=None):
        self.rect = (x, y, w, h)
        self.action = action  # fn(widget) called on a tap, or None: not tappable
        self.visible = True
        self.screen = None

    def draw(self, g):
        pass

    def changed(self, part=None):
        """Mark the widget (or the rectangle `part` of it) for redraw."""
        if self.screen is not None and self.screen.ui is not None and self.visible:
            self.screen.ui.invalidate(part or self.rect, self.screen)


class Screen:
    """A screen: widgets in the content area, hooks when opened and hidden."""

    title = ""
    modal = False

    def __init__(self, ui, arg=None):
        self.ui = ui
        self.arg = arg
        self.widgets = []

    def add(self, w):
        w.screen = self
        self.widgets.append(w)
        return w

    def clear(self):
        for w in self.widgets:
            w.screen = None
        self.widgets = []
        self.ui.invalidate(theme.CONTENT, self)

    def build(self):
        """Create the widgets (called when the screen opens or comes back to the top)."""

    def on_open(self):
        pass

    def on_hide(self):
        pass

    def tick(self, now):
        """Called every turn of the loop while on top: update clocks and timers."""

    def refresh(self):
        """The case changed under the screen: rebuild it."""
        self.clear()
        self.build()


class UI:
    """The screen stack, the touch dispatcher and the painter of dirty rectangles."""

    def __init__(self, display, model, band=None):
        self.display = display
        self.model = model  # the panel: case keeper, journal, link state (panel/app.py Panel)
        self.stack = []
        self.dirty = []
        self.band = band if band is not None else bytearray(BAND_BYTES)  # made at boot, before the state
        self.gfx = Gfx()
        self.status = None
        self.pixels = 0  # pixels sent to the display since boot (make bench: per tap)

    # -- the stack
    def top(self):
        return self.stack[-1] if self.stack else None

    def _load(self, name):
        return __import__("panel.ui.screens." + name, None, None, ("SCREEN",)).SCREEN

    def _release(self, screen):
        name = screen.__module__
        if sys.implementation.name != "micropython":
            return
        for s in self.stack:
            if s.__module__ == name:
                return
        sys.modules.pop(name, None)
        package = sys.modules.get("panel.ui.screens")
        short = name.split(".")[-1]
        if package is not None and hasattr(package, short):
            delattr(package, short)

    def _open(self, screen):
        gc.collect()  # the screen that went is garbage now: free it before the new one is built (fragments)
        screen.clear()
        screen.build()
        screen.on_open()
        self.invalidate(theme.CONTENT)
        if self.status is not None:
            self.status.changed()

    def _drop(self):
        """Take the top screen off the stack: hidden, its widgets gone, its module let go."""
        old = self.stack.pop()
        old.on_hide()
        old.clear()
        self._release(old)

    def push(self, name, arg=None):
        """Open screen `name` (a module of panel/ui/screens) on top of the stack."""
        old = self.top()
        if old is not None:
            old.on_hide()
            old.clear()  # its widgets go; it rebuilds when it comes back
        screen = self._load(name)(self, arg)
        self.stack.append(screen)
        self._open(screen)
        return screen

    def replace(self, name, arg=None):
        """Open `name` in place of the top screen; when the screen beneath is that one (same screen, same arg), it
        comes back instead: going back and forth (findings, scores, findings) never piles screens up (panel RAM)."""
        stack = self.stack
        if len(stack) > 1 and stack[-2].__module__.endswith("." + name) and stack[-2].arg == arg:
            self.back()
            return stack[-1]
        if stack:
            self._drop()
        screen = self._load(name)(self, arg)
        stack.append(screen)
        self._open(screen)
        return screen

    def back(self):
        """Close the top screen; the one below comes back."""
        if len(self.stack) < 2:
            return
        self._drop()
        self._open(self.stack[-1])

    def home(self):
        """Back to the bottom screen (home)."""
        while len(self.stack) > 1:
            self._drop()
        self._open(self.stack[-1])

    # -- what screens ask for
    def record(self, kind, fields=None):
        """Record one event in the open case; None (and a message or the fault screen) if it was not."""
        from panel.case import CaseError, CaseStorageError

        try:
            return self.model.keeper.record(kind, fields)
        except CaseStorageError as e:
            self.push("fault", {"detail": str(e)})
        except CaseError as e:
            self.message("Not recorded", str(e))
        return None

    def message(self, title, text, warn=True):
        self.push("dialog", {"title": title, "text": text, "warn": warn})

    def ask(self, title, text, buttons, on, warn=False):
        """A modal question; on(value) with the value of the button tapped."""
        self.push("dialog", {"title": title, "text": text, "buttons": buttons, "on": on, "warn": warn})

    def pick(self, title, options, on, chosen=None):
        """A modal list of (value, label[, detail]); on(value) once one is tapped."""
        self.push("picker", {"title": title, "options": options, "on": on, "chosen": chosen})

    def number(self, title, unit, lo, hi, dec, on, value=None):
        """A modal numeric pad checking lo..hi; on(int) with the value in implied decimals."""
        self.push("numpad", {"title": title, "unit": unit, "lo": lo, "hi": hi, "dec": dec, "on": on,
                             "value": value})

    # -- touch
    def tap(self, x, y):
        """Dispatch a press at (x, y): the status bar, then the top screen's widgets, topmost first."""
        if self.status is not None and inside(self.status.rect, x, y):
            if self.status.action is not None:
                self.status.action(self.status)
            return True
        top = self.top()
        if top is None:
            return False
        for w in reversed(top.widgets):
            if w.visible and w.action is not None and inside(w.rect, x, y):
                w.action(w)
                return True
        return False

    def tick(self, now):
        top = self.top()
        if top is not None:
            top.tick(now)
        if self.status is not None:
            self.status.tick(now)

    # -- painting
    def invalidate(self, rect, screen=None):
        """Mark rect for repainting (only if it belongs to the top screen, or to no screen)."""
        if screen is not None and screen is not self.top():
            return
        r = overlap(rect, (0, 0, self.display.width, self.display.height))
        if r is None:
            return
        dirty = self.dirty
        for i in range(len(dirty)):
            d = dirty[i]
            if overlap(d, r) is not None:
                u = union(d, r)
                # merged only when the union sends no more than the two apart: a box's outline and the lines
                # inside it stay four strips and some lines, not the whole box (make tapink: bytes per tap)
                if u[2] * u[3] <= d[2] * d[3] + r[2] * r[3]:
                    dirty[i] = u
                    return
        dirty.append(r)
        if len(dirty) > MAX_DIRTY:
            box = dirty[0]
            for d in dirty[1:]:
                box = union(box, d)
            self.dirty = [box]

    def flush(self):
        """Paint every dirty rectangle; return the number of pixels sent."""
        sent = 0
        while self.dirty:
            rect = self.dirty.pop(0)
            sent += self._paint(rect)
        self.pixels += sent
        return sent

    def _paint(self, rect):
        x, y, w, h = rect
        rows = BAND_BYTES // (2 * w)
        top = self.top()
        widgets = []
        if top is not None:
            for wd in top.widgets:
                if wd.visible and overlap(wd.rect, rect) is not None:
                    widgets.append(wd)
        if self.status is not None and overlap(self.status.rect, rect) is not None:
            widgets.append(self.status)
        g = self.gfx
        mv = memoryview(self.band)
        y0 = y
        while y0 < y + h:
            bh = min(rows, y + h - y0)
            buf = mv[0:w * bh * 2]
            fb = framebuf.FrameBuffer(buf, w, bh, framebuf.RGB565)
            fb.fill(theme.BG)
            g.fb = fb
            g.ox = x
            g.oy = y0
            g.h = bh
            g.w = w
            band = (x, y0, w, bh)
            for wd in widgets:
                if overlap(wd.rect, band) is not None:
                    wd.draw(g)
            self.display.blit(x, y0, w, bh, buf)
            y0 += bh
        g.fb = None
        return w * h
