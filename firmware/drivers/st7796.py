# drivers/st7796.py — Sitronix ST7796S, 320x480 TFT controller, driven as a 480x320 landscape panel
# over 4-wire SPI in 16-bit RGB565 (2 bytes a pixel: a full frame is 307,200 bytes on the bus).
#
# The start-up sequence is data, register by register. SWRESET, SLPOUT and their 120 ms waits are the
# datasheet's; the command-2 registers (B4..E1) carry the values of the module vendors' reference
# initialisation for 3.5" 480x320 ST7796S modules, which the power-on defaults do not match.

from drivers.dcs import COLMOD, DISPON, INVOFF, INVON, MADCTL, SLPOUT, SWRESET, DcsDisplay

CSCON = 0xF0  # command set control: unlocks / locks the extended (command 2) registers
DIC = 0xB4  # display inversion control
DFC = 0xB6  # display function control
DOCA = 0xE8  # display output control adjust
PWR2 = 0xC1  # power control 2
PWR3 = 0xC2  # power control 3
VCMPCTL = 0xC5  # VCOM control
PGC = 0xE0  # positive gamma control
NGC = 0xE1  # negative gamma control

# MADCTL bits: MY 0x80 (rows bottom to top), MX 0x40 (columns right to left), MV 0x20 (rows and
# columns exchanged: landscape), BGR 0x08 (the panel's subpixels are blue-green-red).
MADCTL_LANDSCAPE = 0x28  # MV | BGR: 480 wide, 320 high, connector on the left
MADCTL_LANDSCAPE_FLIPPED = 0xE8  # MY | MX | MV | BGR: the same turned 180 degrees

INIT = (
    (SWRESET, b"", 120),  # 0x01 software reset: every register to its default; 120 ms before SLPOUT
    (SLPOUT, b"", 120),  # 0x11 sleep out: oscillator and booster start; 120 ms to settle
    (CSCON, b"\xc3", 0),  # 0xF0 = C3: unlock command 2 part I
    (CSCON, b"\x96", 0),  # 0xF0 = 96: unlock command 2 part II
    (MADCTL, bytes((MADCTL_LANDSCAPE,)), 0),  # 0x36: landscape, BGR (replaced by the flip option)
    (COLMOD, b"\x55", 0),  # 0x3A = 55: 16 bits a pixel (RGB565) on the control interface
    (DIC, b"\x01", 0),  # 0xB4 = 01: 1-dot inversion
    (DFC, b"\x80\x02\x3b", 0),  # 0xB6: bypass; source S1->S960, gate G1->G480, scan cycle 2; 8*(59+1)=480 lines
    (DOCA, b"\x40\x8a\x00\x00\x29\x19\xa5\x33", 0),  # 0xE8: source equalising 22.5 us, gate start 25 and
    #                                                   gate end 37 clocks, gate driver EQ on
    (PWR2, b"\x06", 0),  # 0xC1 = 06: VAP(GVDD) = 3.85 V + (VCOM + offset), VAN = -3.85 V + ...
    (PWR3, b"\xa7", 0),  # 0xC2 = A7: source driving current low, gamma driving current high
    (VCMPCTL, b"\x18", 120),  # 0xC5 = 18: VCOM 0.9 V; the vendor sequence pauses 120 ms here
    (PGC, b"\xf0\x09\x0b\x06\x04\x15\x2f\x54\x42\x3c\x17\x14\x18\x1b", 0),  # 0xE0: positive gamma curve
    (NGC, b"\xe0\x09\x0b\x06\x04\x03\x2b\x43\x42\x3b\x16\x14\x17\x1b", 120),  # 0xE1: negative gamma curve
    (CSCON, b"\x3c", 0),  # 0xF0 = 3C: lock command 2 part I
    (CSCON, b"\x69", 120),  # 0xF0 = 69: lock command 2 part II
    (INVOFF, b"", 0),  # 0x20: no colour inversion (INVON 0x21 on modules whose IPS glass needs it)
    (DISPON, b"", 20),  # 0x29: display on
)


class ST7796(DcsDisplay):
    """ST7796S as a 480x320 landscape screen. flip: turned 180 degrees; invert: INVON for IPS glass."""

    INIT = INIT

    def __init__(self, spi, cs, dc, rst=None, backlight=None, sleep_ms=None, flip=False, invert=False):
        DcsDisplay.__init__(self, spi, cs, dc, rst, backlight, 480, 320, sleep_ms)
        self.flip = flip
        self.invert = invert

    def init_sequence(self):
        if not self.flip and not self.invert:
            return INIT
        out = []
        for command, data, wait in INIT:
            if command == MADCTL and self.flip:
                data = bytes((MADCTL_LANDSCAPE_FLIPPED,))
            elif command == INVOFF and self.invert:
                command = INVON
            out.append((command, data, wait))
        return out
