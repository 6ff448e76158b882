# panel/app.py — the panel's main loop: serve the link, record the case, keep the screen current.
#
# One loop, no threads: poll the link with a short timeout (the board sleeps in
# poll, so an idle panel costs no CPU), answer every complete request, and when
# the host goes away forget the session and back off instead of spinning on a
# hung-up link. The host speaks first; the only thing the panel sends unasked is
# a live copy of each event just recorded, to an authenticated host.
# Boot, in this order (RAM: 128 KB for everything, whatever the flash holds): first the
# long-lived buffers (the link's frame buffer and read chunk, the display band, the journal's
# chunk) while the heap is one piece; then the state on flash (journal scan, boot count,
# pairing, profiles, the open case resumed). If loading the state fails, or the last
# BOOT_GUARD starts never reached the main loop, the panel runs in SAFE MODE: it says in
# words what is wrong, answers the workstation (pairing, sync) so every case can be taken
# off, records nothing and deletes nothing (Journal safe=True). The main loop falls back to
# safe mode too, instead of exiting into a reset loop, when it keeps failing.
# A session ends on every hang-up the board's link reports (LINK_GONE), and a sealed
# session also after IDLE_MS without an authentic frame from its host.

import gc
import os
import sys

from bedlink.errors import ProtocolError
from bedlink.mpack import pack, unpack
from bedlink.session import Responder
from panel import atomic
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
FAIL_SAFE_AFTER = 20  # consecutive failed turns of the loop before the panel goes to safe mode
BOOT_GUARD = 2  # starts in a row that never reached the main loop: the next one is in safe mode
GUARD_FILE = "/bootguard"  # under the board's storage root: starts not yet completed (panel.atomic)
IDLE_MS = 60000  # a sealed session that hears no authentic frame this long ends (hosts ping every 20 s)
LIVE_QUEUE = 16  # live copies held for the next turn at most (beyond: dropped, the host pulls them)


def reason_of(e):
    """An exception in words for the safe-mode screen and the log: its type and message."""
    text = str(e)
    return type(e).__name__ + (": " + text if text else "")


def _where(e):
    """The traceback of e, for the board's log (never stdout: on a board that is the host link)."""
    if not hasattr(sys, "print_exception"):
        return ""
    import io

    out = io.StringIO()
    sys.print_exception(e, out)  # type: ignore[attr-defined]  # MicroPython's
    return "\n" + out.getvalue()


class _NoCase(CaseKeeper):
    """The case keeper of safe mode (and before the state is loaded): no case, nothing to record."""

    case = None
    case_id = None
    resumed = None
    unresumed = None

    def __init__(self):  # no journal: nothing of CaseKeeper's is made
        pass

    def tick(self):
        return []

    def new_case(self):
        from panel.case import CaseError

        raise CaseError("the panel is in safe mode: sync, then restart it")

    def record(self, kind, fields=None):
        return self.new_case()


class Panel:
    """The firmware's state: the board, the journal, the case, the link session, the screen."""

    def __init__(self, board, screen=None, script=None, speed=1, random_bytes=os.urandom):
        missing = check_board(board)
        if missing:
            raise ValueError("board lacks: " + ", ".join(missing))
        self.board = board
        self.screen = screen
        self.random_bytes = random_bytes
        # Long-lived buffers first, while the heap is one piece (nothing on flash is read yet).
        self.rx = bytearray(RX_CHUNK)
        identity = {"device_id": board.device_id, "firmware": FIRMWARE_VERSION, "content": CONTENT_VERSION}
        self.responder = Responder({"ping": self._ping}, identity, MAX_PAYLOAD, gate=self._gate,
                                   on_session=self._session_ended)
        if screen is not None and hasattr(screen, "prepare"):
            screen.prepare()  # the display band
        self.root = board.storage.root
        self.journal = Journal(self.root + "/journal")  # its chunk buffer
        self.uptime = Uptime(board.clock)
        self.host_present = False
        self.touches = 0
        self._sealed_by = None  # the seal.Channel the idle clock runs for
        self._opened = 0  # the responder's count of authentic frames at the last turn
        self.heard_at = 0  # uptime of the last authentic frame of the sealed session
        self._live = []  # (case id, event) recorded this turn: their live copies go out next turn
        self.pairing_code = None
        self.safe = None  # why the panel runs in safe mode, in words; None when it runs normally
        self.boot = None
        self.pairing = None
        self.profiles = None
        self.service = None
        self.player = None
        self.keeper = _NoCase()  # type: CaseKeeper  # a real one once the state is loaded
        gc.collect()
        try:
            self._guard_boot()
            self._load(script, speed)
        except Exception as e:  # MemoryError, a flash that will not read, a bug: never a boot loop
            self.enter_safe(reason_of(e))

    def _guard_boot(self):
        path = self.root + GUARD_FILE
        try:
            raw = atomic.read(path)
            starts = unpack(raw) if raw else 0
        except (OSError, ProtocolError):
            starts = 0
        if type(starts) is not int:
            starts = 0
        atomic.write(path, pack(starts + 1))
        if starts >= BOOT_GUARD:
            raise RuntimeError("the last %d starts stopped before the panel was ready" % starts)

    def started(self):
        """The main loop ran a whole turn: this start counts as completed (the boot guard resets)."""
        try:
            atomic.write(self.root + GUARD_FILE, pack(0))
        except OSError:
            pass  # the flash refuses writes: the fault screen says so when it matters

    def _load(self, script, speed):
        board = self.board
        self.journal.scan()
        self.boot = self.journal.next_boot()
        self.pairing = Pairing(self.root + "/pairing", board.device_id, self.random_bytes, self._show_code)
        self.profiles = Profiles(self.root + "/profiles")
        self.keeper = CaseKeeper(self.journal, self.boot, board.clock, self._recorded, self.random_bytes)
        if self.keeper.unresumed:
            board.log("open case %s not resumed: %s" % self.keeper.unresumed)
        if self.journal.storage_state() != "ok":  # room for the next case: drop fully synced closed ones
            gone = self.journal.reclaim(keep=(self.keeper.case_id,) if self.keeper.case_id else ())
            if gone:
                board.log("storage low: reclaimed %d synced cases" % len(gone))
        self._serve()
        self.player = Player(self.keeper, script, speed, self.uptime.now(), board.log) if script else None

    def _serve(self):
        self.service = LinkService(self.journal, self.pairing, self.profiles, self.boot, self.uptime,
                                   self.board.clock, self._limit)
        handlers = self.service.handlers()
        handlers["ping"] = self._ping
        self.responder.handlers = handlers
        self.service.start_sealing = self.responder.start_sealing

    def enter_safe(self, reason):
        """Run in safe mode from now on: the link and sync keep working, nothing is recorded or deleted."""
        board = self.board
        board.log("SAFE MODE: " + reason)
        self.safe = reason
        self.player = None
        self.keeper = _NoCase()  # the case (and what it held) goes: its events are all on flash
        self.responder.handlers = {"ping": self._ping}
        self.service = None
        self.journal = None  # type: ignore[assignment]  # made again below in safe mode: the old one goes first
        if self.screen is not None and hasattr(self.screen, "drop"):
            self.screen.drop()
        gc.collect()
        root = self.root
        try:
            journal = Journal(root + "/journal", safe=True)
            journal.scan()
            self.journal = journal
            try:
                self.boot = self.journal.next_boot()
            except OSError as e:  # the flash refuses writes: sync still reads everything
                board.log("safe mode: boot not counted: %s" % e)
                self.boot = None
            if self.pairing is None:
                self.pairing = Pairing(root + "/pairing", board.device_id, self.random_bytes, self._show_code)
            if self.profiles is None:
                self.profiles = Profiles(root + "/profiles")
            self._serve()
        except Exception as e:  # even the journal will not load: the handshake and ping still answer
            board.log("safe mode: no sync: %s" % reason_of(e))
            self.safe = reason + "; sync not possible: " + reason_of(e)
        try:
            atomic.write(root + GUARD_FILE, pack(0))  # seen: a restart after the sync tries a normal start
        except OSError:
            pass
        if self.screen is not None and hasattr(self.screen, "show_safe"):
            self.screen.show_safe(self, self.safe)

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

    def _gate(self, name):
        if self.service is not None:
            self.service.gate(name)
        elif name != "ping":  # nothing loaded (safe mode at its worst): the handshake and ping only
            from bedlink.errors import E_AUTH

            raise ProtocolError(E_AUTH, "authenticate first")

    def _session_ended(self):
        if self.pairing is not None:
            self.pairing.end_session()

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
        if self.pairing is None or self.pairing.authed_host is None or not self.responder.sealed:
            return
        if len(self._live) < LIVE_QUEUE:
            self._live.append((case_id, ev))

    def _send_live(self):
        # After this turn's look at the link: a host that hung up, or one that opened the port since, has
        # ended the session, and the copies are dropped rather than sent to whoever holds the port now.
        live = self._live
        if not live:
            return
        self._live = []
        if self.pairing is None or self.pairing.authed_host is None or not self.responder.sealed:
            return
        service = self.service
        if service is None:
            return
        for case_id, ev in live:
            try:
                self.board.link.write(self.responder.push("events", service.live_frame_fields(case_id, ev)))
            except Exception as e:  # the live copy is a courtesy: sync pulls whatever it missed
                self.board.log("live push failed: %s" % e)
                return

    def storage_warning(self):
        """What the screen says about the flash: None while there is room, else an instruction."""
        try:
            state = self.journal.storage_state()
        except (OSError, AttributeError):  # AttributeError: safe mode could not load the journal at all
            return "STORAGE UNREADABLE"
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
        wall = None
        if self.boot is not None and self.journal is not None:
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
        if self.pairing is not None and self.pairing.authed_host is not None:
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
        if self.pairing_code is not None and self.pairing is not None:
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
        if self.pairing is None or self.pairing.authed_host is None:
            self.board.log("session ended: host no longer authenticated")
            r.end_session()
        elif now - self.heard_at >= IDLE_MS:
            self.board.log("session ended: no authentic frame for %d s" % (IDLE_MS // 1000))
            r.end_session()


def run(board, screen=None, script=None, speed=1, turns=None):
    """Run the panel on `board` (forever, or for `turns` turns of the loop: tests)."""
    panel = Panel(board, screen, script, speed)
    board.log("bedside panel %s on %s, device %s, boot %s%s" % (FIRMWARE_VERSION, board.name, board.device_id,
                                                                panel.boot, " (SAFE MODE)" if panel.safe else ""))
    if panel.keeper.resumed:
        board.log("resumed open case %s at event %d" % panel.keeper.resumed)
    if screen is not None and not panel.safe:
        try:
            screen.show(panel)
        except Exception as e:  # the first picture of the resumed state failed: safe mode shows why
            panel.enter_safe("the screen could not be drawn: " + reason_of(e))
    failed = 0
    done = 0
    while turns is None or done < turns:
        try:
            panel.step()
            if done == 0:
                panel.started()
            failed = 0
        except Exception as e:  # whatever failed was not recorded (Case.record keeps state and flash in step)
            failed += 1
            if isinstance(e, MemoryError):
                board.log("out of memory: carried on")
            else:
                board.log("loop failed: %s%s" % (reason_of(e), _where(e)))
            gc.collect()
            if failed >= FAIL_SAFE_AFTER and not panel.safe:
                panel.enter_safe("%s, %d times in a row" % (reason_of(e), failed))
                failed = 0
        done += 1
    return panel
