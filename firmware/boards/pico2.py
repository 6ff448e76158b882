# boards/pico2.py — the reference board: Raspberry Pi Pico 2 (RP2350, 520 KB SRAM, 4 MB flash)
# with a 3.5" 480x320 ST7796S SPI display and XPT2046 resistive touch (hardware/README.md).
#
# link    USB CDC (/dev/ttyACM0 on the host): a CDC interface of MicroPython's runtime USB device
#         (machine.USBDevice with micropython-lib's usb-device-cdc, `make deploy` installs it) in
#         place of the REPL's port, because it reports the host's DTR line: a host that closes
#         the port drops DTR, and the panel ends the session (CdcLink). Without that package the
#         REPL's own port is used raw through sys.stdin.buffer / sys.stdout.buffer (UsbLink): it
#         reports no hang-up, and a session ends only by the panel's idle time. Ctrl-C is
#         switched off (micropython.kbd_intr(-1)) so a 0x03 inside a frame is data; UsbLink reads
#         a byte at a time while select.poll says a byte is waiting (stdin.readinto blocks until
#         its whole buffer is full)
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
# Ctrl-C back on and gives the USB port back to the REPL (the built-in CDC), for `make deploy`. Holding a finger on the
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
from panel.board import LINK_DATA, LINK_GONE, LINK_IDLE, Stop

DATA_ROOT = "/data"
CAL_FILE = "/touch.json"  # under DATA_ROOT
STOP_CHECK_MS = 250  # how often the link looks at the BOOTSEL button
HOLD_TO_CALIBRATE_MS = 1000  # a press held this long at power-up asks for the touch calibration
LOG_KEEP = 32
WRITE_STALL_MS = 500  # a host that takes none of a frame for this long is not reading: the write fails
DTR = 1  # bit 0 of the CDC line state the host sets (SET_CONTROL_LINE_STATE)


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


class CdcLink:
    """The host link over a USB CDC interface that reports the host's DTR line (usb.device.cdc.CDCInterface).

    A host opening the port raises DTR and closing it drops DTR (pyserial, and the operating system
    when the program holding the port dies); a drop, or the USB cable leaving (the interface no
    longer open), is reported once as LINK_GONE and whatever that host left unread is dropped.
    Data is read whatever DTR says: a host that never raises DTR still works, its session ending
    only by the panel's idle time. The interface is set to timeout 0: readinto takes what is there.
    """

    def __init__(self, cdc, poller, ticks_ms, ticks_diff, stop=None):
        self.cdc = cdc
        self.poller = poller
        self.ticks_ms = ticks_ms
        self.ticks_diff = ticks_diff
        self.stop = stop
        self.checked = ticks_ms()
        self.dropped = False  # DTR fell since the last poll
        self.was_open = cdc.is_open()
        cdc.set_line_state_cb(self._line_state)

    def _line_state(self, state):
        # Called by the USB stack for each SET_CONTROL_LINE_STATE: remember a drop until poll() reports it.
        if not state & DTR:
            self.dropped = True

    def _hung_up(self):
        up = self.cdc.is_open()
        gone = self.dropped or (self.was_open and not up)
        self.was_open = up
        if gone:
            self.dropped = False
            buf = bytearray(64)
            while self.cdc.readinto(buf):  # what the host that left sent last is answered to nobody
                pass
        return gone

    def poll(self, timeout_ms):
        if self.stop is not None and self.ticks_diff(self.ticks_ms(), self.checked) >= STOP_CHECK_MS:
            self.checked = self.ticks_ms()
            if self.stop():
                raise Maintenance()
        if self._hung_up():
            return LINK_GONE
        waiting = False
        for _obj, ev in self.poller.ipoll(timeout_ms):
            waiting = ev & 1  # select.POLLIN
        if self._hung_up():  # the host left while we waited: what it sent is not answered
            return LINK_GONE
        return LINK_DATA if waiting else LINK_IDLE

    def readinto(self, buf):
        return self.cdc.readinto(buf) or 0  # None when nothing is waiting

    def write(self, data):
        mv = memoryview(data)
        sent = 0
        since = self.ticks_ms()
        while sent < len(data):
            n = self.cdc.write(mv[sent:]) or 0
            if n:
                sent += n
                since = self.ticks_ms()
            elif self.ticks_diff(self.ticks_ms(), since) >= WRITE_STALL_MS:
                raise OSError(5, "USB host not reading")  # EIO: no host on the port


def usb_cdc():
    """The panel's CDC interface on the runtime USB device, in place of the REPL's port (on the board only)."""
    import usb.device  # type: ignore[import-not-found]  # micropython-lib usb-device (no rp2 stubs)
    from usb.device.cdc import CDCInterface  # type: ignore[import-not-found]

    cdc = CDCInterface()
    cdc.init(timeout=0, txbuf=512, rxbuf=256)
    usb.device.get().init(cdc, builtin_driver=False)
    return cdc


def restore_repl():
    """Give the USB port back to the REPL's built-in CDC (maintenance, or the firmware stopped)."""
    try:
        import usb.device  # type: ignore[import-not-found]
    except ImportError:
        return  # the REPL's port never left
    usb.device.get().init(builtin_driver=True)


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
    try:
        cdc = usb_cdc()
    except ImportError:  # no usb-device-cdc on the board: the REPL's port, without hang-up (see the header)
        cdc = None
    link: CdcLink | UsbLink
    if cdc is not None:
        poller.register(cdc, select.POLLIN)
        link = CdcLink(cdc, poller, clock.ticks_ms, clock.ticks_diff, rp2.bootsel_button)
    else:
        poller.register(sys.stdin, select.POLLIN)
        link = UsbLink(sys.stdin.buffer, sys.stdout.buffer, poller, clock.ticks_ms, clock.ticks_diff,
                       rp2.bootsel_button)
    board = Pico2Board(link, FlashStorage(root), clock)
    if cdc is None:
        board.log("usb-device-cdc missing: the link reports no hang-up (sessions end by idle time)")
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
        restore_repl()
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
        restore_repl()
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
