# boards/pico2.py — the reference board: Raspberry Pi Pico 2 (RP2350, 520 KB SRAM, 4 MB flash)
# with a 3.5" 480x320 ST7796S SPI display and XPT2046 resistive touch (hardware/README.md).
#
# link    USB CDC: the MicroPython REPL's own port (/dev/ttyACM0 on the host), used raw through
#         sys.stdin.buffer / sys.stdout.buffer. Ctrl-C is switched off (micropython.kbd_intr(-1))
#         so a 0x03 inside a frame is data; reads go a byte at a time while select.poll says a
#         byte is waiting, because stdin.readinto blocks until its whole buffer is full
# storage the littlefs (v2) filesystem MicroPython's rp2 port mounts at / on the internal flash
#         (never FAT: the panel checks, and stops with a red screen on anything else); the panel's
#         files live under /data, apart from the code
# display ST7796S on SPI1 (drivers/st7796.py), touch XPT2046 on SPI0 (drivers/xpt2046.py),
#         pins from boards/pico2_pins.py; the touch calibration is /data/touch.json
# clock   time.ticks_ms (boards/clock.py); device_id from machine.unique_id() (the board's 64-bit unique id)
# log     UART0 TX (GP0) at 115200 baud and the last LOG_KEEP lines in RAM: never the USB link
#
# Maintenance: hold BOOTSEL for half a second while the panel runs and the firmware stops between
# two turns of its loop (nothing half-recorded: every event is on flash before it counts), turns
# Ctrl-C back on and leaves the USB port to the REPL, for `make deploy`. Holding a finger on the
# screen for a second while the panel starts (or starting without /data/touch.json) runs the touch
# calibration; a drape resting on the glass does not reach the pressure threshold.

import os
import sys

import machine  # the rp2 port's (type-checked against its stubs); tests put a fake one in sys.modules

from boards import pico2_pins
from boards.clock import Clock
from drivers import touch as touchlib
from drivers.st7796 import ST7796
from drivers.xpt2046 import XPT2046
from panel.board import LINK_DATA, LINK_IDLE, Stop

DATA_ROOT = "/data"
CAL_FILE = "/touch.json"  # under DATA_ROOT
STOP_CHECK_MS = 250  # how often the link looks at the BOOTSEL button
HOLD_TO_CALIBRATE_MS = 1000  # a press held this long at power-up asks for the touch calibration
LOG_KEEP = 32


class Maintenance(Stop):
    """BOOTSEL was held: the firmware stops and the REPL gets the USB port back."""


def filesystem_of(path, mounts):
    """Class name of the filesystem holding `path`, from vfs.mount()'s [(fs, mount point), ...]."""
    best = None
    for fs, point in mounts:
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > len(best[1])):
            best = (fs, point)
    return None if best is None else type(best[0]).__name__


class UsbLink:
    """The host link over the REPL's USB CDC port (stdin/stdout byte streams and a select.poll).

    stop: a function that says whether the operator asks for maintenance (BOOTSEL held), looked at
    every STOP_CHECK_MS; ticks_ms/ticks_diff: the clock.
    """

    def __init__(self, stdin, stdout, poller, ticks_ms, ticks_diff, stop=None):
        self.stdin = stdin
        self.stdout = stdout
        self.poller = poller
        self.ticks_ms = ticks_ms
        self.ticks_diff = ticks_diff
        self.stop = stop
        self.checked = ticks_ms()
        self.one = bytearray(1)

    def _waiting(self, timeout_ms):
        for _obj, ev in self.poller.ipoll(timeout_ms):
            return ev & 1  # select.POLLIN
        return 0

    def poll(self, timeout_ms):
        if self.stop is not None and self.ticks_diff(self.ticks_ms(), self.checked) >= STOP_CHECK_MS:
            self.checked = self.ticks_ms()
            if self.stop():
                raise Maintenance()
        # A USB CDC port reports no hang-up: a host that leaves is simply silent (LINK_IDLE), and
        # the next host starts over with its handshake.
        return LINK_DATA if self._waiting(timeout_ms) else LINK_IDLE

    def readinto(self, buf):
        n = 0
        one = self.one
        size = len(buf)
        while n < size and self._waiting(0):
            if not self.stdin.readinto(one):
                break
            buf[n] = one[0]
            n += 1
        return n

    def write(self, data):
        mv = memoryview(data)
        sent = 0
        zero = 0
        while sent < len(data):
            n = self.stdout.write(mv[sent:])
            if not n:
                zero += 1
                if zero > 3:
                    raise OSError(5, "USB host not reading")  # EIO: no host on the port
                continue
            sent += n


def held(chip, clock, ms=HOLD_TO_CALIBRATE_MS):
    """Is the touch plate pressed, and still pressed at every reading for `ms`?"""
    start = clock.ticks_ms()
    while clock.ticks_diff(clock.ticks_ms(), start) < ms:
        if not chip.touched():
            return False
        clock.sleep_ms(50)
    return True


class FlashStorage:
    """The panel's directory `root` on the board's littlefs (made on first use)."""

    def __init__(self, root=DATA_ROOT):
        self.root = root
        try:
            os.mkdir(root)
        except OSError:
            pass  # EEXIST: kept from the last boot

    def free_bytes(self):
        st = os.statvfs(self.root)
        return st[0] * st[3]


class Pico2Board:
    """The reference board's parts: buses and pins from `machine` as pico2_pins maps them."""

    name = "pico2-st7796"

    def __init__(self, link, storage, clock, pins=None, uart=True):
        p = pico2_pins.PINS if pins is None else pins
        Pin = machine.Pin
        self.clock = clock
        self.link = link
        self.storage = storage
        self.lines = []
        self.uart = None
        if uart:
            self.uart = machine.UART(pico2_pins.LOG_UART, baudrate=pico2_pins.LOG_BAUD, tx=Pin(p["log_tx"]))
        lcd_spi = machine.SPI(pico2_pins.LCD_SPI, baudrate=pico2_pins.LCD_BAUD, polarity=0, phase=0,
                              sck=Pin(p["lcd_sck"]), mosi=Pin(p["lcd_mosi"]), miso=Pin(p["lcd_miso"]))
        bl = machine.PWM(Pin(p["lcd_bl"]), freq=1000, duty_u16=0)
        self.display = ST7796(lcd_spi, Pin(p["lcd_cs"], Pin.OUT, value=1), Pin(p["lcd_dc"], Pin.OUT, value=1),
                              Pin(p["lcd_rst"], Pin.OUT, value=1), bl, clock.sleep_ms)
        touch_spi = machine.SPI(pico2_pins.TOUCH_SPI, baudrate=pico2_pins.TOUCH_BAUD, polarity=0, phase=0,
                                sck=Pin(p["touch_sck"]), mosi=Pin(p["touch_mosi"]), miso=Pin(p["touch_miso"]))
        self.touch_chip = XPT2046(touch_spi, Pin(p["touch_cs"], Pin.OUT, value=1),
                                  Pin(p["touch_irq"], Pin.IN, Pin.PULL_UP))
        self.cal_path = storage.root + CAL_FILE
        k, why = touchlib.load(self.cal_path)
        if why:
            self.log("touch: %s, default calibration" % why)
        self.calibrated = why is None
        self.touch = touchlib.Touch(self.touch_chip, self.display.width, self.display.height,
                                    clock.ticks_ms, clock.ticks_diff, k)
        self.device_id = "pico2-" + "".join("%02x" % b for b in machine.unique_id())

    def start_display(self):
        """Reset and start the display controller, black, backlight on."""
        self.display.init()
        self.display.fill_rect(0, 0, self.display.width, self.display.height, 0)
        self.display.backlight(100)

    def calibrate(self, timeout_ms=30000):
        """Run the touch calibration on the screen; keep and use its result. True when it finished."""
        from drivers.calibrate import calibrate

        k = calibrate(self.display, self.touch_chip, self.clock, self.log, timeout_ms)
        if k is None:
            self.log("touch calibration not finished: calibration unchanged")
            return False
        touchlib.save(self.cal_path, k)
        self.touch.k = k
        self.calibrated = True
        self.log("touch calibrated: %r" % (k,))
        return True

    def log(self, text):
        line = "[panel %d] %s" % (self.clock.ticks_ms(), text)
        self.lines.append(line)
        if len(self.lines) > LOG_KEEP:
            self.lines.pop(0)
        if self.uart is not None:
            self.uart.write(line + "\r\n")


def build(root=DATA_ROOT):
    """The reference board built on its USB port and flash (on the board only)."""
    import rp2
    import select

    clock = Clock()
    poller = select.poll()
    poller.register(sys.stdin, select.POLLIN)
    link = UsbLink(sys.stdin.buffer, sys.stdout.buffer, poller, clock.ticks_ms, clock.ticks_diff,
                   rp2.bootsel_button)
    board = Pico2Board(link, FlashStorage(root), clock)
    board.start_display()
    import vfs

    kind = filesystem_of(board.storage.root, vfs.mount())
    if kind != "VfsLfs2":  # FAT loses files at a power cut: the journal's promise needs littlefs
        board.display.fill_rect(0, 0, board.display.width, board.display.height, 0xF800)  # red
        raise OSError("%s holds %s, not littlefs: reformat with vfs.VfsLfs2.mkfs (erases it)"
                      % (board.storage.root, kind))
    return board


def recalibrate():
    """From the REPL: run the touch calibration again (the firmware is not running)."""
    return build().calibrate()


def main(root=DATA_ROOT):
    """Start the panel on the reference board (main.py calls this when sys.platform is "rp2").

    Returns the board when BOOTSEL stopped it (the REPL has the USB port again).
    """
    import micropython

    # From the first moment the USB port may carry a host's frames: 0x03 is data, not Ctrl-C.
    # Ctrl-C comes back whenever the firmware stops (BOOTSEL, no littlefs) so the REPL is usable.
    micropython.kbd_intr(-1)
    try:
        board = build(root)
    except Exception as e:  # no littlefs, or a part missing: stop at the REPL (a reset would repeat it)
        micropython.kbd_intr(3)
        print("bedside panel not started:", e)
        return
    try:
        if not board.calibrated or held(board.touch_chip, board.clock):
            board.calibrate()
        from panel.ui.touchui import TouchUI

        screen = TouchUI(board.display)
        from panel.app import run

        run(board, screen)
    except Maintenance:
        micropython.kbd_intr(3)
        board.log("maintenance: BOOTSEL held, firmware stopped, REPL on USB")
        board.display.fill_rect(0, 0, board.display.width, board.display.height, 0x001F)  # blue
        return board
    except Exception as e:  # an unattended panel restarts: the journal resumes the case from flash
        micropython.kbd_intr(3)
        board.log("firmware stopped: %r; resetting" % (e,))
        if board.uart is not None:
            sys.print_exception(e, board.uart)  # type: ignore[attr-defined]
        board.clock.sleep_ms(2000)
        machine.reset()
