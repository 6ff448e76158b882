# boards/tapink_unix.py — the tap-to-ink walk (boards/tapink.py) on the unix port, what make bench models from.
#
#   MICROPYPATH=firmware:protocol micropython -m boards.tapink_unix FLASH [cid,cid...]
#
# The real ST7796 driver on a bus that counts its bytes (so the count is the driver's own, window commands and
# all), the simulator's littlefs on the file FLASH (made fresh) with each program, erase and the time spent in them
# counted, a clock that moves 100 ms a tap, and fixed bytes in place of randomness. Unix port only: files as flash.

import os

from boards.sim import FileBlockDevice, FlashStorage
from boards.tapink import Blits, NoLink, QueueTouch, Walk, _emit, _panel
from boards.walk import Counter, StepClock
from drivers.st7796 import ST7796

STEP_MS = 100


class Bus:
    """An SPI bus that counts what the driver writes, and pins that keep their level."""

    def __init__(self):
        self.count = 0

    def write(self, data):
        self.count += len(data)


class Pin:
    def __init__(self):
        self.v = 1

    def value(self, v=None):
        if v is None:
            return self.v
        self.v = v
        return None


class TimedFlash(FileBlockDevice):
    """The simulator's block device, its programs and erases counted and timed (a file here, a chip on a board)."""

    def zero(self):
        self.us = 0
        self.progs = 0
        self.prog_bytes = 0
        self.erases = 0

    def readblocks(self, block, buf, offset=0):
        import time

        t = time.ticks_us()
        FileBlockDevice.readblocks(self, block, buf, offset)
        self.us += time.ticks_diff(time.ticks_us(), t)

    def writeblocks(self, block, buf, offset=None):
        import time

        t = time.ticks_us()
        if offset is None:  # a whole block: erased, then programmed
            self.erases += 1
        self.progs += 1
        self.prog_bytes += len(buf)
        FileBlockDevice.writeblocks(self, block, buf, offset)
        self.us += time.ticks_diff(time.ticks_us(), t)

    def ioctl(self, op, arg):
        if op == 6:
            self.erases += 1
        return FileBlockDevice.ioctl(self, op, arg)


class Board:
    name = "sim-tapink"
    device_id = "sim-tapink"

    def __init__(self, flash, display):
        self.clock = StepClock()
        self.link = NoLink()
        self.storage = FlashStorage(flash, "/flash")
        self.display = display
        self.touch = QueueTouch()

    def log(self, text):
        pass


def main(argv):
    path = argv[0]
    only = argv[1].split(",") if len(argv) > 1 and argv[1] else None
    try:
        os.remove(path)
    except OSError:
        pass
    flash = TimedFlash(path)
    flash.zero()
    bus = Bus()
    display = Blits(ST7796(bus, Pin(), Pin()))
    board = Board(flash, display)
    walk = Walk(_panel(board, display, Counter()), board.touch, display, _emit, flash, STEP_MS)
    counted = [0]

    def emit(line, _bus=bus, _counted=counted):
        if "bytes" in line:  # the driver's own count on the bus, beside the formula a board uses
            line["bus"] = _bus.count - _counted[0]
        _counted[0] = _bus.count
        _emit(line)

    walk.emit = emit
    bus.count = 0
    walk.run(only)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
