# panel/app.py — the panel's main loop: serve the link, record the case, keep the screen current.
#
# One loop, no threads: poll the link with a short timeout (the board sleeps in
# poll, so an idle panel costs no CPU), answer every complete request, and when
# the host goes away forget the session and back off instead of spinning on a
# hung-up link. The host speaks first; the only thing the panel sends unasked is
# a live copy of each event just recorded, to an authenticated host.
# Boot: scan the journal (cut a torn tail), count the boot, resume an open case.
# A session ends on every hang-up the board's link reports (LINK_GONE), and a sealed
# session also after IDLE_MS without an authentic frame from its host.

import gc
import os

from bedlink.session import Responder
from panel.board import LINK_DATA, LINK_GONE, check_board
from panel.cases import CaseKeeper
from panel.journal import Journal
from panel.pairing import Pairing
from panel.player import Player
from panel.profiles import Profiles
from panel.service import LinkService
from panel.uptime import Uptime, clock as hms
from panel.version import CONTENT_VERSION, FIRMWARE_VERSION

MAX_PAYLOAD = 1024  # largest frame payload the panel accepts (bytes), told in the handshake
POLL_MS = 20  # longest wait for the link before looking at touch, timers and the script again
GONE_BACKOFF_MS = 100  # pause while no host holds the link
IDLE_READ_MS = 10  # pause after a wake-up that found nothing to read
RX_CHUNK = 256  # bytes read from the link at a time, one buffer allocated once
OOM_RESET_AFTER = 20  # consecutive out-of-memory turns of the loop before the panel gives up (and resets)
IDLE_MS = 60000  # a sealed session that hears no authentic frame this long ends (hosts ping every 20 s)
LIVE_QUEUE = 16  # live copies held for the next turn at most (beyond: dropped, the host pulls them)


class Panel:
    """The firmware's state: the board, the journal, the case, the link session, the screen."""

    def __init__(self, board, screen=None, script=None, speed=1, random_bytes=os.urandom):
        missing = check_board(board)
        if missing:
            raise ValueError("board lacks: " + ", ".join(missing))
        self.board = board
        self.screen = screen
        self.rx = bytearray(RX_CHUNK)
        self.uptime = Uptime(board.clock)
        root = board.storage.root
        self.journal = Journal(root + "/journal")
        self.journal.scan()
        self.boot = self.journal.next_boot()
        self.pairing_code = None
        self.pairing = Pairing(root + "/pairing", board.device_id, random_bytes, self._show_code)
        self.profiles = Profiles(root + "/profiles")
        self.keeper = CaseKeeper(self.journal, self.boot, board.clock, self._recorded, random_bytes)
        if self.journal.storage_state() != "ok":  # room for the next case: drop fully synced closed ones
            gone = self.journal.reclaim(keep=(self.keeper.case_id,) if self.keeper.case_id else ())
            if gone:
                board.log("storage low: reclaimed %d synced cases" % len(gone))
        identity = {"device_id": board.device_id, "firmware": FIRMWARE_VERSION, "content": CONTENT_VERSION}
        self.service = LinkService(self.journal, self.pairing, self.profiles, self.boot, self.uptime,
                                   board.clock, self._limit)
        handlers = self.service.handlers()
        handlers["ping"] = self._ping
        self.responder = Responder(handlers, identity, MAX_PAYLOAD, gate=self.service.gate,
                                   on_session=self.pairing.end_session)
        self.service.start_sealing = self.responder.start_sealing
        self._sealed_by = None  # the seal.Channel the idle clock runs for
        self._opened = 0  # the responder's count of authentic frames at the last turn
        self.heard_at = 0  # uptime of the last authentic frame of the sealed session
        self._live = []  # (case id, event) recorded this turn: their live copies go out next turn
        self.host_present = False
        self.touches = 0
        self.player = Player(self.keeper, script, speed, self.uptime.now(), board.log) if script else None

    def _limit(self):
        return self.responder.limit()

    def _ping(self, fields):
        dec = self.responder.decoder
        reply = {"rx_frames": dec.frames, "rx_dropped": dec.dropped}
        if "data" in fields:
            reply["data"] = fields["data"]
        if self.responder.version >= 2 and hasattr(gc, "mem_free"):
            gc.collect()  # diagnostics: what the heap holds once garbage is gone (leak checks)
            reply["heap_free"] = gc.mem_free()
        return reply

    def _show_code(self, code):
        # The pairing screen: the code a person at the table reads out to the host.
        self.pairing_code = code
        if code is not None:
            self.board.log("pairing code %s" % code)
        if self.screen is not None:
            self.screen.show(self)

    def _recorded(self, case_id, ev):
        # An event is on flash: an authenticated host gets a live copy, sealed (it acks it like a pulled one),
        # at the next turn, once the link has been looked at (_send_live).
        if self.pairing.authed_host is not None and self.responder.sealed and len(self._live) < LIVE_QUEUE:
            self._live.append((case_id, ev))

    def _send_live(self):
        # After this turn's look at the link: a host that hung up, or one that opened the port since, has
        # ended the session, and the copies are dropped rather than sent to whoever holds the port now.
        live = self._live
        if not live:
            return
        self._live = []
        if self.pairing.authed_host is None or not self.responder.sealed:
            return
        for case_id, ev in live:
            try:
                self.board.link.write(self.responder.push("events", self.service.live_frame_fields(case_id, ev)))
            except Exception as e:  # the live copy is a courtesy: sync pulls whatever it missed
                self.board.log("live push failed: %s" % e)
                return

    def storage_warning(self):
        """What the screen says about the flash: None while there is room, else an instruction."""
        state = self.journal.storage_state()
        if state == "low":
            return "STORAGE LOW: sync soon"
        if state == "full":
            return "STORAGE FULL: sync to start a case"
        return None

    def clock_text(self):
        """The procedure clock while a case is open, else the wall time once a host has set it."""
        clock = self.board.clock
        case = self.keeper.case
        ticks = clock.ticks_ms()
        if case is not None and not case.state.closed:
            return "case " + hms(clock.ticks_diff(ticks, case.state.opened))
        wall = self.journal.wall_time(self.boot, ticks)
        if wall is None:
            return "clock not set"
        m = (wall // 60000) % 1440
        return "%02d:%02d UTC" % (m // 60, m % 60)

    def identity_text(self):
        return "device %s, firmware %s, content %s" % (self.board.device_id, FIRMWARE_VERSION, CONTENT_VERSION)

    def status(self):
        """The link's state, as the status bar says it: waiting, connected or paired (and the protocol version)."""
        if not self.host_present:
            return "waiting for host"
        if self.pairing.authed_host is not None:
            return "host paired, v%d" % self.responder.version
        if self.responder.version:
            return "connected, v%d" % self.responder.version
        return "connected"

    def step(self, timeout_ms=POLL_MS):
        """One turn of the loop; returns after at most about timeout_ms."""
        board = self.board
        before = (self.status(), self.keeper.case_id, self.pairing_code)
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
                for answer in self.responder.feed(self.rx, n):
                    try:
                        if type(answer) is bytes:
                            board.link.write(answer)
                        else:
                            for frame in answer:  # a long answer (a pull): built and sent a frame at a time
                                board.link.write(frame)
                    except OSError as e:
                        board.log("link write failed: %s" % e)
                        break
        now = self.uptime.now()
        self._session_clock(now)
        self._send_live()
        if self.pairing_code is not None:
            self.pairing.window_open(now)  # an expired code leaves the screen
        if self.player is not None:
            self.player.step(now)
        self.keeper.tick()
        press = board.touch.poll()
        screen = self.screen
        if press is not None:
            self.touches += 1
            board.log("touch %d,%d" % press)
            if screen is not None and hasattr(screen, "tap"):
                screen.tap(press[0], press[1])
        if screen is not None:
            if (self.status(), self.keeper.case_id, self.pairing_code) != before:
                screen.show(self)
            if hasattr(screen, "tick"):
                screen.tick(now)

    def _session_clock(self, now):
        # A sealed session ends once its host is silent for IDLE_MS, or is no longer authenticated
        # (unpaired, forgotten at the panel): then no live copy goes to whoever holds the link.
        r = self.responder
        if r.channel is None:
            self._sealed_by = None
            return
        if r.channel is not self._sealed_by or r.opened != self._opened:
            self._sealed_by = r.channel
            self._opened = r.opened
            self.heard_at = now
        if self.pairing.authed_host is None:
            self.board.log("session ended: host no longer authenticated")
            r.end_session()
        elif now - self.heard_at >= IDLE_MS:
            self.board.log("session ended: no authentic frame for %d s" % (IDLE_MS // 1000))
            r.end_session()


def run(board, screen=None, script=None, speed=1):
    """Run the panel forever on `board`."""
    panel = Panel(board, screen, script, speed)
    board.log("bedside panel %s on %s, device %s, boot %d" % (FIRMWARE_VERSION, board.name, board.device_id,
                                                                panel.boot))
    if panel.keeper.resumed:
        board.log("resumed open case %s at event %d" % panel.keeper.resumed)
    if screen is not None:
        screen.show(panel)
    short = 0
    while True:
        try:
            panel.step()
            short = 0
        except MemoryError:  # whatever ran out was not recorded (Case.record keeps state and flash in step)
            short += 1
            if short >= OOM_RESET_AFTER:
                raise  # memory is not coming back: end, and a board's reset resumes the case from flash
            gc.collect()
            board.log("out of memory: carried on")
