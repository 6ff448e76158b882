"""The host's serial link to a panel: pyserial underneath, bedlink requests on top.

Blocking and thread-agnostic: the Textual app calls it from thread workers.
Every request has a timeout and is retried with a fresh sequence number; a late
reply to an earlier attempt is recognised by its seq and ignored. Once authenticated
(protocol v3) every frame is sealed both ways; a frame that does not open is dropped
and counted, and a sealed session that would sit silent pings the panel every
KEEPALIVE_S so that the panel's idle end (60 s) never cuts a host that is still there.
"""

from __future__ import annotations

import secrets
import termios
import time
from collections import deque

import serial

from bedlink import messages
from bedlink.errors import E_AUTH, ProtocolError, name_of
from bedlink.session import VERSION_MAX, VERSION_MIN, Requester

HOST_MAX_FRAME = 4096
KEEPALIVE_S = 20.0  # a sealed session that sent nothing this long pings (the panel ends it after 60 s)


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


class SessionEnded(LinkError):
    """The panel ended the sealed session (idle, or another host on the line): say hello and authenticate again."""


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
        # Numbered from a random point: an answer the panel still owed to whoever held the port before
        # (the same seq 1 every host starts with) is not taken for this host's.
        self.requester.seq = secrets.randbelow(messages.SEQ_MAX)
        self.bad_frames = 0
        self.hello_reply: dict | None = None
        self.pushed: list[dict] = []  # live events the panel sent unasked (seq 0), oldest first
        self.round_trips = 0  # requests sent, retries included
        self.bytes_out = 0
        self.bytes_in = 0
        self.last_sent = time.monotonic()
        self._inbox: deque = deque()  # frames received, decoded one at a time (a session may become sealed between)
        self._write(b"\x00")  # ends any partial frame the panel holds from an earlier host

    def close(self):
        self.serial.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def sealed(self) -> bool:
        """True while the session is authenticated and every frame sealed."""
        return self.requester.sealed

    def start_sealing(self, session_key: bytes) -> None:
        """The panel's auth_ok checked: seal every frame from now on (bedside.sync.authenticate calls this)."""
        self.requester.start_sealing(session_key)

    def _write(self, data: bytes):
        self.last_sent = time.monotonic()
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
        was_sealed = self.sealed
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
                        if was_sealed and not self.sealed and rfields["code"] == E_AUTH:
                            raise SessionEnded(f"the panel ended the session: {rfields['reason']}")
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
        """The messages in what has arrived; counts bad frames and keeps live pushes (seq 0 events) aside.

        Frames are decoded as they are taken, not as they arrive: the frames after auth_ok are sealed,
        and the session key is known only once auth_ok has been checked.
        """
        self._inbox.extend(self.requester.frames(self._read()))
        while self._inbox:
            payload = self._inbox.popleft()
            if isinstance(payload, ProtocolError):
                self.bad_frames += 1
                continue
            try:
                item = self.requester.decode(payload)
            except ProtocolError:  # damaged, not sealed for this session, replayed: dropped
                self.bad_frames += 1
                continue
            if item[1] == 0 and item[0] == "events":
                self.pushed.append(item[2])
            else:
                yield item

    def poll_pushed(self, wait: float = 0.0) -> list[dict]:
        """Live events pushed by the panel since the last call (waits up to `wait` s for some).

        In a sealed session that has sent nothing for KEEPALIVE_S it pings first: the panel ends a
        session that hears nothing for a minute, and a host that only listens must still be heard.
        """
        if self.sealed and time.monotonic() - self.last_sent >= KEEPALIVE_S:
            self.ping()
        deadline = time.monotonic() + wait
        while True:
            for _message in self._messages():
                pass  # answers to nothing: only the pushes (kept by _messages) matter here
            if self.pushed or time.monotonic() >= deadline:
                out, self.pushed = self.pushed, []
                return out

    def hello(self) -> dict:
        """The handshake: agree a protocol version and learn who the panel is. It starts a new session."""
        self.requester.end_session()
        self._inbox.clear()
        self.hello_reply = self.request(
            "hello", {"vmin": VERSION_MIN, "vmax": VERSION_MAX, "max_frame": HOST_MAX_FRAME}
        )
        return self.hello_reply

    def ping(self, data: bytes = b"") -> dict:
        fields = {"data": data} if data else {}
        return self.request("ping", fields)
