"""The host's serial link to a panel: pyserial underneath, bedlink requests on top.

Blocking and thread-agnostic: the Textual app calls it from thread workers.
Every request has a timeout and is retried with a fresh sequence number; a late
reply to an earlier attempt is recognised by its seq and ignored.
"""

from __future__ import annotations

import termios
import time

import serial

from bedlink import messages
from bedlink.errors import ProtocolError, name_of
from bedlink.session import VERSION_MAX, VERSION_MIN, Requester

HOST_MAX_FRAME = 4096


def _contiguous(parts: list[dict], start: int | None) -> bool:
    """True if the event frames of one answer start where asked and follow on with no frame missing."""
    if start is not None and parts[0]["first"] != start:
        return False
    for a, b in zip(parts, parts[1:]):
        if b["first"] != a["first"] + len(a["events"]):
            return False
    return True


class LinkError(RuntimeError):
    """The link failed: port missing, cable lost, no answer."""


class PanelError(LinkError):
    """The panel answered with a structured error {code, reason}."""

    def __init__(self, code: int, reason: str):
        super().__init__(f"panel refused: {name_of(code)}: {reason}")
        self.code = code
        self.reason = reason


class PanelLink:
    """A connection to one panel on a serial port (a board's /dev/ttyACM0 or a simulator's pty)."""

    def __init__(self, port, baudrate: int = 115200, timeout: float = 1.0, retries: int = 2):
        """Open `port` (a path) or take over an already open serial.Serial."""
        if isinstance(port, serial.Serial):
            self.serial = port
            self.serial.timeout = 0.02
            port = port.port
        else:
            try:
                self.serial = serial.Serial(port, baudrate, timeout=0.02)
            except (serial.SerialException, OSError) as e:
                raise LinkError(f"cannot open {port}: {e}") from e
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self.requester = Requester(HOST_MAX_FRAME)
        self.bad_frames = 0
        self.hello_reply: dict | None = None
        self.pushed: list[dict] = []  # live events the panel sent unasked (seq 0), oldest first
        self.round_trips = 0  # requests sent, retries included
        self.bytes_out = 0
        self.bytes_in = 0
        self._write(b"\x00")  # ends any partial frame the panel holds from an earlier host

    def close(self):
        self.serial.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _write(self, data: bytes):
        self.bytes_out += len(data)
        try:
            self.serial.write(data)
            self.serial.flush()
        except (serial.SerialException, OSError, termios.error) as e:  # tcdrain's error is no OSError
            raise LinkError(f"lost the link on {self.port}: {e}") from e

    def _read(self) -> bytes:
        try:
            data = self.serial.read(self.serial.in_waiting or 1)
            self.bytes_in += len(data)
            return data
        except (serial.SerialException, OSError, termios.error) as e:
            raise LinkError(f"lost the link on {self.port}: {e}") from e

    def request(self, name: str, fields: dict | None = None) -> dict:
        """Send request `name`, return the fields of its reply; raise PanelError or LinkError."""
        return self.request_parts(name, fields)[0]

    def request_parts(self, name: str, fields: dict | None = None) -> list[dict]:
        """Send request `name` and return every frame of its answer, in order.

        A one-frame answer is a list of one; a pull's answer runs until the frame
        marked `last`. A lost frame, a timeout or a corrupted frame makes the whole
        request go again with a fresh seq (the panel answers requests idempotently).
        """
        expected = messages.REPLY[name]
        for _attempt in range(self.retries + 1):
            seq, frame = self.requester.request(name, fields)
            self._write(frame)
            self.round_trips += 1
            parts: list[dict] = []
            deadline = time.monotonic() + self.timeout
            while time.monotonic() < deadline:
                for rname, rseq, rfields in self._messages():
                    if rseq != seq:
                        continue  # the answer to an attempt we gave up on
                    if rname == "error":
                        raise PanelError(rfields["code"], rfields["reason"])
                    if rname != expected:
                        raise LinkError(f"'{name}' was answered with '{rname}'")
                    parts.append(rfields)
                    if rname != "events" or rfields["last"]:
                        if rname == "events" and not _contiguous(parts, (fields or {}).get("start")):
                            deadline = 0.0  # a frame of the answer was lost: ask again now
                            break
                        return parts
                    deadline = time.monotonic() + self.timeout  # the answer is still flowing
        raise LinkError(f"no answer to '{name}' from {self.port} after {self.retries + 1} tries")

    def _messages(self):
        """The messages in what has arrived; counts bad frames and keeps live pushes (seq 0 events) aside."""
        for item in self.requester.feed(self._read()):
            if isinstance(item, ProtocolError):
                self.bad_frames += 1
            elif item[1] == 0 and item[0] == "events":
                self.pushed.append(item[2])
            else:
                yield item

    def poll_pushed(self, wait: float = 0.0) -> list[dict]:
        """Live events pushed by the panel since the last call (waits up to `wait` s for some)."""
        deadline = time.monotonic() + wait
        while True:
            for _message in self._messages():
                pass  # answers to nothing: only the pushes (kept by _messages) matter here
            if self.pushed or time.monotonic() >= deadline:
                out, self.pushed = self.pushed, []
                return out

    def hello(self) -> dict:
        """The handshake: agree a protocol version and learn who the panel is."""
        self.hello_reply = self.request(
            "hello", {"vmin": VERSION_MIN, "vmax": VERSION_MAX, "max_frame": HOST_MAX_FRAME}
        )
        return self.hello_reply

    def ping(self, data: bytes = b"") -> dict:
        fields = {"data": data} if data else {}
        return self.request("ping", fields)
