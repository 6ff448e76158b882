# panel/ui/status.py — the status screen: who the panel is and whether a host holds the link.
#
# Drawn a band at a time into one strip buffer (480 x 24 RGB565 = 23 KB) so the
# panel never holds a whole frame (a 480 x 320 RGB565 frame is 300 KB, more than
# the heap). Text is framebuf's 8x8 font scaled 3x until the generated fonts land.

import framebuf

BLACK = 0x0000
WHITE = 0xFFFF
AMBER = 0xFD20  # RGB565
SCALE = 3
BAND = 8 * SCALE


class StatusScreen:
    def __init__(self, display):
        self.display = display
        self.strip = bytearray(display.width * BAND * 2)
        self.fb = framebuf.FrameBuffer(self.strip, display.width, BAND, framebuf.RGB565)

    def band(self, row, text, fg=WHITE, bg=BLACK):
        """Draw one band of text at band index `row` (0 = top) and push it to the display."""
        fb = self.fb
        fb.fill(bg)
        x0 = 8
        for ch_i in range(min(len(text), (self.display.width - 16) // (8 * SCALE))):
            self._glyph(text[ch_i], x0 + ch_i * 8 * SCALE, fg)
        self.display.blit(0, row * BAND, self.display.width, BAND, self.strip)

    def _glyph(self, ch, x, fg):
        buf = bytearray(8)
        g = framebuf.FrameBuffer(buf, 8, 8, framebuf.MONO_HLSB)
        g.text(ch, 0, 0, 1)
        fill = self.fb.fill_rect
        for yy in range(8):
            bits = buf[yy]
            for xx in range(8):
                if bits & (0x80 >> xx):
                    fill(x + xx * SCALE, yy * SCALE, SCALE, SCALE, fg)

    def show(self, panel):
        """Redraw the whole status screen for `panel`'s current state."""
        rows = self.display.height // BAND
        lines = [
            ("BEDSIDE", AMBER),
            ("", WHITE),
            (panel.status(), WHITE),
            ("", WHITE),
            ("device " + panel.board.device_id, WHITE),
            ("firmware " + panel.responder.identity["firmware"], WHITE),
        ]
        for row in range(rows):
            text, fg = lines[row] if row < len(lines) else ("", WHITE)
            self.band(row, text, fg)
