# drivers/xpt2046.py — XPT2046 (ADS7846-compatible) resistive touch controller: raw 12-bit samples.
#
# Each conversion is one SPI transaction of 3 bytes: a control byte, then two bytes whose top
# 12 bits (after one busy bit) are the result. Control byte: S=1 | A2..A0 channel | MODE=0 (12 bit)
# | SER/DFR=0 (differential: ratiometric, no reference drift) | PD1..PD0=00 (power down between
# conversions, pen interrupt enabled). The controller needs a slow clock (2.5 MHz at most; the
# board runs it at 1 MHz). Scaling and debouncing are drivers/touch.py's job.

CMD_X = 0xD0  # 1 101 0 0 00: X position
CMD_Y = 0x90  # 1 001 0 0 00: Y position
CMD_Z1 = 0xB0  # 1 011 0 0 00: Z1 (pressure, first plate)
CMD_Z2 = 0xC0  # 1 100 0 0 00: Z2 (pressure, second plate)

SAMPLES = 5  # X and Y readings per position; the median is kept (odd, so there is a middle one)
THRESHOLD = 400  # pressure (Z1 + 4095 - Z2) below this is no touch: a gloved finger through a drape
#                  presses harder than the drape's own weight; tune on the panel (hardware/README.md)


def decode(hi, lo):
    """The 12-bit result from the two bytes after a control byte (one busy bit, 12 bits, 3 zeros)."""
    return ((hi << 8) | lo) >> 3 & 0xFFF


class XPT2046:
    """Raw touch samples from `spi` (write_readinto) with chip select `cs`; `irq` is PENIRQ (low = touched)."""

    def __init__(self, spi, cs, irq=None, samples=SAMPLES, threshold=THRESHOLD):
        self.spi = spi
        self.cs = cs
        self.irq = irq
        self.threshold = threshold
        self.tx = bytearray(3)
        self.rx = bytearray(3)
        self.xs = [0] * samples
        self.ys = [0] * samples
        cs.value(1)

    def read(self, command):
        """One 12-bit conversion of `command`'s channel."""
        self.tx[0] = command
        self.cs.value(0)
        self.spi.write_readinto(self.tx, self.rx)
        self.cs.value(1)
        return decode(self.rx[1], self.rx[2])

    def pressure(self):
        """Z1 + 4095 - Z2: 0 when untouched, larger for a firmer or larger press."""
        z1 = self.read(CMD_Z1)
        z2 = self.read(CMD_Z2)
        return z1 + 4095 - z2

    def touched(self):
        """Is the plate pressed at least `threshold`? PENIRQ high answers no without a conversion."""
        if self.irq is not None and self.irq.value():
            return False
        return self.pressure() >= self.threshold

    def raw(self):
        """(x, y) raw 12-bit position, the median of SAMPLES readings, or None when not pressed.

        Pressure is checked before and after the readings: a finger lifting mid-way would leave
        samples taken on a half-open contact, so such a reading is dropped.
        """
        if not self.touched():
            return None
        xs = self.xs
        ys = self.ys
        for i in range(len(xs)):
            xs[i] = self.read(CMD_X)
            ys[i] = self.read(CMD_Y)
        if not self.touched():
            return None
        return median(xs), median(ys)


def median(values):
    """Middle value of `values` (sorted in place: insertion sort, no allocation)."""
    n = len(values)
    for i in range(1, n):
        v = values[i]
        j = i - 1
        while j >= 0 and values[j] > v:
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = v
    return values[n // 2]
