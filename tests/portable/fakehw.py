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

    def _record(self, data):
        if self.cs is not None and self.cs.level:
            self.stray.append(bytes(data))
            return
        dc = self.dc.level if self.dc is not None else 0xFF
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
