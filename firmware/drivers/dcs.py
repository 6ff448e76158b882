# drivers/dcs.py — a MIPI-DCS display controller on a 4-wire SPI bus: the part every such
# controller shares (commands, the address window, pixel writes, the backlight).
#
# 4-wire SPI: CS low frames a transaction, the D/C pin says whether a byte is a command (0) or
# data (1). A command and its parameters are one transaction; RAMWR and its pixels are one
# transaction. The panel never hands over a whole frame (a 480x320 RGB565 frame is 300 KB, more
# than the heap): blit() takes a rectangle in framebuf's little-endian RGB565 and streams it
# through one chunk buffer allocated once, swapping bytes into the controller's big-endian order.
# Subclasses give INIT, the controller's start-up sequence as data.
# Plain module constants, not const(): the drivers are also tested on CPython.

from drivers.rgb565 import be_colour, swap16

SWRESET = 0x01  # software reset
SLPIN = 0x10  # sleep in
SLPOUT = 0x11  # sleep out
INVOFF = 0x20  # display inversion off
INVON = 0x21  # display inversion on
DISPOFF = 0x28  # display off
DISPON = 0x29  # display on
CASET = 0x2A  # column address set: start, end (2 bytes each, big-endian)
RASET = 0x2B  # row address set: start, end
RAMWR = 0x2C  # memory write: pixel data follows
MADCTL = 0x36  # memory data access control: scan direction, row/column exchange, RGB/BGR
COLMOD = 0x3A  # interface pixel format

CHUNK = 1024  # bytes converted and sent at a time (512 pixels); allocated once


class DcsDisplay:
    """A display at `width` x `height` (after MADCTL) behind `spi` with pins cs, dc, rst, backlight.

    spi: write(buf). Pins: value(v). backlight may be a PWM (duty_u16) or a pin; rst may be None
    (then only the software reset runs). sleep_ms: the clock's sleep, passed in so tests need no wait.
    """

    INIT = ()  # type: tuple  # ((command, parameter bytes, milliseconds to wait after), ...)

    def __init__(self, spi, cs, dc, rst=None, backlight=None, width=480, height=320, sleep_ms=None,
                 chunk=CHUNK):
        self.spi = spi
        self.cs = cs
        self.dc = dc
        self.rst = rst
        self.bl = backlight
        self.width = width
        self.height = height
        self.sleep_ms = sleep_ms or _no_sleep
        self.chunk = bytearray(chunk)
        self.mv = memoryview(self.chunk)
        self.cmd = bytearray(1)
        self.args = bytearray(4)
        self.pixels_written = 0
        cs.value(1)
        dc.value(1)

    def init_sequence(self):
        """The start-up commands for this panel: INIT, possibly adjusted by a subclass."""
        return self.INIT

    def init(self):
        """Reset the controller and run its start-up sequence; the screen is on afterwards."""
        if self.rst is not None:
            self.rst.value(1)
            self.sleep_ms(1)
            self.rst.value(0)
            self.sleep_ms(1)  # a reset pulse needs 10 us low
            self.rst.value(1)
            self.sleep_ms(120)  # after a reset, 120 ms before the controller takes commands
        for command, data, wait in self.init_sequence():
            self.command(command, data)
            if wait:
                self.sleep_ms(wait)

    def command(self, command, data=None):
        """Send one command byte (D/C low) and its parameter bytes (D/C high), framed by CS."""
        self.cmd[0] = command
        self.cs.value(0)
        self.dc.value(0)
        self.spi.write(self.cmd)
        if data:
            self.dc.value(1)
            self.spi.write(data)
        self.cs.value(1)

    def _window(self, x, y, w, h):
        # CASET/RASET take inclusive start and end, big-endian; RAMWR then leaves CS low and D/C high
        # for the pixels that follow.
        a = self.args
        x1 = x + w - 1
        y1 = y + h - 1
        a[0] = x >> 8
        a[1] = x & 0xFF
        a[2] = x1 >> 8
        a[3] = x1 & 0xFF
        self.command(CASET, a)
        a[0] = y >> 8
        a[1] = y & 0xFF
        a[2] = y1 >> 8
        a[3] = y1 & 0xFF
        self.command(RASET, a)
        self.cmd[0] = RAMWR
        self.cs.value(0)
        self.dc.value(0)
        self.spi.write(self.cmd)
        self.dc.value(1)

    def _check(self, x, y, w, h):
        if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > self.width or y + h > self.height:
            raise ValueError("rectangle %d,%d %dx%d outside the %dx%d screen" % (x, y, w, h, self.width,
                                                                                  self.height))

    def blit(self, x, y, w, h, buf):
        """Draw w*h RGB565 pixels (little-endian, row by row, as framebuf.RGB565 holds them) at x, y."""
        self._check(x, y, w, h)
        n = w * h * 2
        if len(buf) < n:
            raise ValueError("blit of %dx%d needs %d bytes, got %d" % (w, h, n, len(buf)))
        self._window(x, y, w, h)
        chunk = self.chunk
        size = len(chunk)
        write = self.spi.write
        pos = 0
        while pos < n:
            k = n - pos
            if k > size:
                k = size
            swap16(buf, pos, chunk, k)
            write(chunk if k == size else self.mv[:k])
            pos += k
        self.cs.value(1)
        self.pixels_written += w * h

    def fill_rect(self, x, y, w, h, colour):
        """Paint a rectangle one RGB565 colour (0xF800 is red) without a caller's buffer."""
        self._check(x, y, w, h)
        c = be_colour(colour)
        chunk = self.chunk
        for i in range(0, len(chunk), 2):
            chunk[i] = c[0]
            chunk[i + 1] = c[1]
        n = w * h * 2
        size = len(chunk)
        self._window(x, y, w, h)
        while n > 0:
            k = n if n < size else size
            self.spi.write(chunk if k == size else self.mv[:k])
            n -= k
        self.cs.value(1)
        self.pixels_written += w * h

    def backlight(self, level):
        """Backlight brightness 0..100 (a plain pin is on for anything above 0)."""
        bl = self.bl
        if bl is None:
            return
        level = 0 if level < 0 else 100 if level > 100 else level
        if hasattr(bl, "duty_u16"):
            bl.duty_u16(level * 65535 // 100)
        else:
            bl.value(1 if level else 0)

    def sleep(self, asleep):
        """Display off and controller asleep (True), or awake and on (False); the picture is kept."""
        if asleep:
            self.command(DISPOFF)
            self.command(SLPIN)
            self.sleep_ms(5)  # 5 ms after SLPIN before the next command
        else:
            self.command(SLPOUT)
            self.sleep_ms(120)  # 120 ms after SLPOUT for the supply circuits to settle
            self.command(DISPON)


def _no_sleep(ms):
    pass
