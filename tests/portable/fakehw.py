# tests/portable/fakehw.py — fake SPI bus, pins, PWM and clock that record everything, for driver
# and board tests on CPython and MicroPython (no hardware, no waiting).

import sys

from ptest import ROOT

if ROOT + "/firmware" not in sys.path:  # drivers/ and boards/ are not installed on the host
    sys.path.append(ROOT + "/firmware")


class FakePin:
    """A pin that logs every value() it is given into `log` as (name, value)."""

    def __init__(self, name, log, level=1):
        self.name = name
        self.log = log
        self.level = level

    def value(self, v=None):
        if v is None:
            return self.level
        self.level = 1 if v else 0
        self.log.append((self.name, self.level))
        return None


class FakePWM:
    def __init__(self):
        self.duty = None

    def duty_u16(self, d=None):
        if d is None:
            return self.duty
        self.duty = d
        return None


class FakeSPI:
    """Records every byte written as (dc level, byte) while cs is low; write_readinto answers from `replies`.

    Writes with cs high are recorded in `stray` (a driver bug). replies: a function of the tx bytes
    giving the rx bytes (the touch controller's answer).
    """

    def __init__(self, cs=None, dc=None, replies=None):
        self.cs = cs
        self.dc = dc
        self.data = bytearray()  # every byte written with cs low
        self.dcs = bytearray()  # the D/C level of each (0xFF when there is no D/C pin)
        self.transfers = []
        self.stray = []
        self.replies = replies
        self.limit = None  # keep at most this many bytes (the count goes on): a full frame is 300 KB
        self.count = 0
        self.keep_transfers = True

    def _record(self, data):
        if self.cs is not None and self.cs.level:
            self.stray.append(bytes(data))
            return
        dc = self.dc.level if self.dc is not None else 0xFF
        self.count += len(data)
        if self.limit is not None:
            data = bytes(data[: max(0, self.limit - len(self.data))])
        self.data.extend(data)
        self.dcs.extend(bytes((dc,)) * len(data))

    @property
    def bytes(self):
        """[(dc level, byte), ...] of everything written with cs low."""
        return [(self.dcs[i], self.data[i]) for i in range(len(self.data))]

    def write(self, data):
        self._record(data)

    def write_readinto(self, tx, rx):
        self._record(tx)
        if self.keep_transfers:
            self.transfers.append(bytes(tx))
        answer = self.replies(bytes(tx)) if self.replies else bytes(len(rx))
        for i in range(len(rx)):
            rx[i] = answer[i]

    def commands(self):
        """[(command, parameter bytes), ...] as the controller parses the D/C-tagged stream."""
        out = []
        start = None
        for i in range(len(self.data) + 1):
            if i == len(self.data) or self.dcs[i] == 0:
                if start is not None:
                    out.append((self.data[start], bytes(self.data[start + 1 : i])))
                start = i
        return out


class FakeClock:
    def __init__(self, t=0):
        self.t = t
        self.slept = []

    def ticks_ms(self):
        return self.t

    def ticks_diff(self, a, b):
        return a - b

    def sleep_ms(self, ms):
        self.slept.append(ms)
        self.t += ms


class _Sink:
    def append(self, item):
        pass


class FakeMachine:
    """Stands in for MicroPython's `machine` module on the rp2 port: records every pin and bus built.

    quiet: keep no pin log and no SPI transfers (a firmware running for a while makes millions).
    """

    def __init__(self, uid=b"\xe6\x61\x38\x97\x2b\x1c\x05\x2f", quiet=False):
        self.uid = uid
        self.quiet = quiet
        self.log = _Sink() if quiet else []  # every pin level change, as (gpio, level)
        self.pins = {}  # gpio -> the last FakeMachinePin made for it
        self.spis = {}  # bus id -> FakeSPI (with its construction arguments in .config)
        self.uarts = {}
        self.pwms = {}
        self.spi_limit = None  # bytes each new SPI bus keeps (see FakeSPI.limit)
        self.resets = 0
        machine = self

        class Pin:
            OUT = 1
            IN = 0
            PULL_UP = 1

            def __init__(self, gpio, mode=None, pull=None, value=None):
                self.pin = FakePin(gpio, machine.log, 1 if value is None else value)
                self.gpio = gpio
                self.mode = mode
                self.pull = pull
                machine.pins[gpio] = self

            def value(self, v=None):
                return self.pin.value(v)

            @property
            def level(self):
                return self.pin.level

            @level.setter
            def level(self, v):
                self.pin.level = v

        self.Pin = Pin

    def SPI(self, bus, baudrate=0, polarity=0, phase=0, sck=None, mosi=None, miso=None):
        spi = FakeSPI()
        spi.config = {"baudrate": baudrate, "polarity": polarity, "phase": phase,
                      "sck": sck.gpio, "mosi": mosi.gpio, "miso": miso.gpio}
        spi.limit = 0 if self.quiet else self.spi_limit
        spi.keep_transfers = not self.quiet
        self.spis[bus] = spi
        return spi

    def PWM(self, pin, freq=0, duty_u16=0):
        pwm = FakePWM()
        pwm.duty = duty_u16
        pwm.freq = freq
        self.pwms[pin.gpio] = pwm
        return pwm

    def UART(self, uart, baudrate=0, tx=None):
        u = FakeUART(baudrate, tx.gpio)
        self.uarts[uart] = u
        return u

    def unique_id(self):
        return self.uid

    def reset(self):
        self.resets += 1


class FakeUART:
    def __init__(self, baudrate, tx):
        self.baudrate = baudrate
        self.tx = tx
        self.out = bytearray()
        self.lines = 0

    def write(self, data):
        data = data.encode() if type(data) is str else data
        self.lines += data.count(b"\n")
        self.out = self.out[-2000:]  # the tail is enough, and the heap stays flat
        self.out.extend(data)
        return len(data)


class FakeStream:
    """stdin/stdout stand-in: `incoming` bytes to read, `out` what was written (at most `room` a call)."""

    def __init__(self, incoming=b"", room=None):
        self.incoming = bytearray(incoming)
        self.out = bytearray()
        self.room = room
        self.reads = 0

    def readinto(self, buf):
        self.reads += 1
        n = min(len(buf), len(self.incoming))
        if n < len(buf):
            raise AssertionError("read of %d bytes would block with %d waiting" % (len(buf), n))
        for i in range(n):
            buf[i] = self.incoming[i]
        self.incoming = self.incoming[n:]
        return n

    def write(self, data):
        n = len(data) if self.room is None else min(self.room, len(data))
        self.out.extend(bytes(data[:n]))
        return n


class FakePoller:
    """select.poll stand-in over a FakeStream: readable while it holds bytes."""

    def __init__(self, stream):
        self.stream = stream
        self.timeouts = []
        self.registered = []

    def register(self, obj, mask=1):
        self.registered.append((obj, mask))

    def ipoll(self, timeout_ms):
        self.timeouts = [timeout_ms]  # the last one only: a running firmware polls without end
        return [(self.stream, 1)] if self.stream.incoming else []


class FakeCDC:
    """micropython-lib's usb.device.cdc.CDCInterface as the panel uses it: a stream with timeout 0 (readinto
    gives what is waiting, or None), is_open() (the USB host configured the interface), dtr, and the line-state
    callback the USB stack calls for each SET_CONTROL_LINE_STATE. The test plays the host: host_opens(),
    host_closes(), unplug(). `incoming` and `room` as FakeStream's."""

    def __init__(self, incoming=b"", room=None, dtr=True):
        self.incoming = bytearray(incoming)
        self.out = bytearray()
        self.room = room
        self.line_state = 3 if dtr else 0  # DTR | RTS, as pyserial leaves them on open
        self.configured = True
        self.cb = None
        self.config = None

    def init(self, **kw):
        self.config = kw

    def set_line_state_cb(self, cb):
        self.cb = cb

    @property
    def dtr(self):
        return bool(self.line_state & 1)

    def is_open(self):
        return self.configured

    def _set_line(self, state):
        self.line_state = state
        if self.cb is not None:
            self.cb(state)

    def host_opens(self):
        self._set_line(3)

    def host_closes(self):
        self._set_line(0)

    def unplug(self):
        self.configured = False
        self.line_state = 0

    def readinto(self, buf):
        n = min(len(buf), len(self.incoming))
        if not n:
            return None
        for i in range(n):
            buf[i] = self.incoming[i]
        self.incoming = self.incoming[n:]
        return n

    def write(self, data):
        n = len(data) if self.room is None else min(self.room, len(data))
        self.out.extend(bytes(data[:n]))
        return n


class FakeUsbDevice:
    """micropython-lib's usb.device singleton (usb.device.get()): records each init(*interfaces, **options)."""

    def __init__(self):
        self.inits = []

    def init(self, *itfs, **kw):
        self.inits.append((itfs, kw))


def fake_usb_modules(device):
    """Stand-ins for the modules `usb`, `usb.device` and `usb.device.cdc`, to put in sys.modules."""

    class Mod:
        pass

    usb, dev, cdc = Mod(), Mod(), Mod()
    dev.get = lambda: device
    dev.cdc = cdc
    usb.device = dev
    cdc.CDCInterface = FakeCDC
    return {"usb": usb, "usb.device": dev, "usb.device.cdc": cdc}
