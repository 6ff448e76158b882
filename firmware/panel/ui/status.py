# panel/ui/status.py — the status screen: who the panel is, the link, the pairing code, the case.
#
# Drawn one character cell at a time through a single 24 x 24 RGB565 buffer
# (1,152 bytes): the panel never holds a band, let alone a frame (a 480 x 320
# RGB565 frame is 300 KB, more than the whole heap). Text is framebuf's 8x8 font
# scaled 3x until the generated fonts land.

import framebuf

BLACK = 0x0000
WHITE = 0xFFFF
AMBER = 0xFD20  # RGB565
SCALE = 3
CELL = 8 * SCALE  # one character cell, and one text row, in pixels
MARGIN = 8


class StatusScreen:
    def __init__(self, display):
        self.display = display
        self.cell = bytearray(CELL * CELL * 2)
        self.fb = framebuf.FrameBuffer(self.cell, CELL, CELL, framebuf.RGB565)
        self.glyph = bytearray(8)
        self.gfb = framebuf.FrameBuffer(self.glyph, 8, 8, framebuf.MONO_HLSB)
        self.columns = (display.width - 2 * MARGIN) // CELL

    def _char(self, ch, x, y, fg, bg):
        fb = self.fb
        fb.fill(bg)
        if ch != " ":
            self.gfb.fill(0)
            self.gfb.text(ch, 0, 0, 1)
            for yy in range(8):
                bits = self.glyph[yy]
                for xx in range(8):
                    if bits & (0x80 >> xx):
                        fb.fill_rect(xx * SCALE, yy * SCALE, SCALE, SCALE, fg)
        self.display.blit(x, y, CELL, CELL, self.cell)

    def line(self, row, text, fg=WHITE, bg=BLACK):
        """Draw text row `row` (0 = top) across the whole width, clearing what was there."""
        y = row * CELL
        self._fill(0, y, MARGIN, CELL, bg)
        for i in range(self.columns):
            self._char(text[i] if i < len(text) else " ", MARGIN + i * CELL, y, fg, bg)
        x = MARGIN + self.columns * CELL
        self._fill(x, y, self.display.width - x, CELL, bg)

    def _fill(self, x, y, w, h, colour):
        # Any rectangle up to a cell high, painted a cell-width at a time from the one buffer.
        if w <= 0:
            return
        self.fb.fill(colour)
        while w > 0:
            step = min(w, CELL)
            self.display.blit(x, y, step, h, self.cell[: step * h * 2] if step < CELL else self.cell)
            x += step
            w -= step

    def show(self, panel):
        """Redraw the whole status screen for `panel`'s current state."""
        case = panel.keeper.case_id
        lines = [
            ("BEDSIDE", AMBER),
            ("", WHITE),
            (panel.status(), WHITE),
            (("PAIRING CODE " + panel.pairing_code) if panel.pairing_code else "", AMBER),
            (("case " + case) if case else "no case open", WHITE),
            ("device " + panel.board.device_id, WHITE),
            ("firmware " + panel.responder.identity["firmware"], WHITE),
            (panel.storage_warning() or "", AMBER),
        ]
        for row in range(self.display.height // CELL):
            text, fg = lines[row] if row < len(lines) else ("", WHITE)
            self.line(row, text, fg)
        rest = self.display.height % CELL
        if rest:
            self._fill(0, self.display.height - rest, self.display.width, rest, BLACK)
