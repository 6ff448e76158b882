# panel/app.py — the panel's main loop: serve the link, watch touch, keep the screen current.
#
# One loop, no threads: poll the link with a short timeout (the board sleeps in
# poll, so an idle panel costs no CPU), answer every complete request, and when
# the host goes away forget the session and back off instead of spinning on a
# hung-up link. The host speaks first; the panel sends nothing unasked.

from bedlink.session import Responder
from panel.board import LINK_DATA, LINK_GONE, check_board
from panel.version import CONTENT_VERSION, FIRMWARE_VERSION

MAX_PAYLOAD = 1024  # largest frame payload the panel accepts (bytes), told in the handshake
POLL_MS = 50  # longest wait for the link before looking at touch again
GONE_BACKOFF_MS = 100  # pause while no host holds the link
IDLE_READ_MS = 10  # pause after a wake-up that found nothing to read
RX_CHUNK = 256  # bytes read from the link at a time, one buffer allocated once


class Panel:
    """The firmware's state: the board, the link session, what the screen shows."""

    def __init__(self, board, screen=None):
        missing = check_board(board)
        if missing:
            raise ValueError("board lacks: " + ", ".join(missing))
        self.board = board
        self.screen = screen
        self.rx = bytearray(RX_CHUNK)
        identity = {"device_id": board.device_id, "firmware": FIRMWARE_VERSION, "content": CONTENT_VERSION}
        self.responder = Responder({"ping": self._ping}, identity, MAX_PAYLOAD)
        self.host_present = False
        self.touches = 0

    def _ping(self, fields):
        dec = self.responder.decoder
        reply = {"rx_frames": dec.frames, "rx_dropped": dec.dropped}
        if "data" in fields:
            reply["data"] = fields["data"]
        return reply

    def status(self):
        """The line of state the status screen shows."""
        if not self.host_present:
            return "waiting for host"
        if self.responder.version:
            return "connected, v%d" % self.responder.version
        return "connected"

    def step(self, timeout_ms=POLL_MS):
        """One turn of the loop; returns after at most about timeout_ms."""
        board = self.board
        before = self.status()
        event = board.link.poll(timeout_ms)
        if event == LINK_GONE:
            if self.host_present:
                board.log("host gone")
            self.host_present = False
            self.responder.reset()
            board.clock.sleep_ms(GONE_BACKOFF_MS)
        elif event == LINK_DATA:
            n = board.link.readinto(self.rx)
            if not n:  # woken with nothing to read: never turn that into a busy loop
                board.clock.sleep_ms(IDLE_READ_MS)
            else:
                if not self.host_present:
                    board.log("host present")
                self.host_present = True
                for frame in self.responder.feed(self.rx, n):
                    try:
                        board.link.write(frame)
                    except OSError as e:
                        board.log("link write failed: %s" % e)
                        break
        press = board.touch.poll()
        if press is not None:
            self.touches += 1
            board.log("touch %d,%d" % press)
        if self.screen is not None and self.status() != before:
            self.screen.show(self)


def run(board, screen=None):
    """Run the panel forever on `board`."""
    panel = Panel(board, screen)
    board.log("bedside panel %s on %s, device %s" % (FIRMWARE_VERSION, board.name, board.device_id))
    if screen is not None:
        screen.show(panel)
    while True:
        panel.step()
