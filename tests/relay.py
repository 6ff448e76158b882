"""A fault-injecting relay between the host and the simulated panel, frame-aware, for link-fault tests.

The host opens `relay.port` (a pty of the relay's own) exactly as it would open the
panel; the relay holds the panel's port with pyserial and copies bytes both ways,
cutting each direction into frames at the 0x00 delimiters and passing every frame
through `fault(direction, index, frame) -> list of byte strings to send`
(direction "up" host→panel, "down" panel→host; index counts frames in both
directions from 0). Returning CUT pulls the cable: both sides are closed, as when
the USB lead comes out. Runs in a thread; stop() closes everything.
"""

import os
import select
import threading
import tty

import serial

CUT = "cut"


class Relay:
    def __init__(self, panel_port: str, fault=None):
        self.fault = fault or (lambda direction, index, frame: [frame])
        self.panel = serial.Serial(panel_port, 115200, timeout=0)
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self.master, self.slave = master, slave
        self.port = os.ttyname(slave)
        self.frames = 0
        self.cut = False
        self._pending = {"up": b"", "down": b""}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _send(self, direction: str, data: bytes) -> None:
        if direction == "up":
            self.panel.write(data)
        else:
            view = memoryview(data)
            while view:
                try:
                    view = view[os.write(self.master, view):]
                except BlockingIOError:
                    select.select([], [self.master], [], 0.05)

    def _pass(self, direction: str, data: bytes) -> None:
        buf = self._pending[direction] + data
        while b"\x00" in buf and not self.cut:
            frame, buf = buf.split(b"\x00", 1)
            out = self.fault(direction, self.frames, frame + b"\x00")
            self.frames += 1
            if out == CUT:
                self.cut = True
                return
            for chunk in out:
                self._send(direction, chunk)
        self._pending[direction] = buf

    def _run(self) -> None:
        try:
            while not self._stop.is_set() and not self.cut:
                ready, _, _ = select.select([self.master, self.panel.fileno()], [], [], 0.05)
                if self.master in ready:
                    try:
                        data = os.read(self.master, 4096)
                    except (BlockingIOError, OSError):
                        data = b""
                    if data:
                        self._pass("up", data)
                if self.panel.fileno() in ready:
                    data = self.panel.read(4096)
                    if data:
                        self._pass("down", data)
        finally:
            if self.cut:
                self._close()

    def _close(self) -> None:
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass
        self.master = self.slave = -1
        self.panel.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        if not self.cut:
            self._close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
