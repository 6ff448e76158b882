# boards/sim.py — the simulator board: the real firmware on the MicroPython unix port.
#
# link    a pseudo-terminal master fd handed over by the host harness (fd:N);
#         the host opens the slave with pyserial exactly as it opens a board's port. Hang-ups:
#         the last host closing the port (POLLHUP), and a host opening it (it sets the line
#         speed the link marked: PtyLink), so that a host closing and another opening before
#         the next poll still end the session
# storage littlefs (os.VfsLfs2, as on the board) on a block device backed by a file,
#         so the simulated flash survives restarts
# display a file standing in for the display controller's memory (RGB565, row by
#         row): like a real panel's GRAM it is not on the MCU heap
# touch   presses from a JSON script [[t_ms, x, y], ...] replayed against the clock, and presses
#         written while it runs to a control file ("x y" a line): the hand of the person at the
#         table, for tests and the demo (opening pairing is a tap on the panel, never a request
#         on the link). The control file is on the PC running the simulator, not on the link.
# play    optionally, a scripted case (JSON lines of [delay_ms, kind, fields]) played as taps
# clock   the unix port's time.ticks_ms

import json
import os
import select
import sys
import termios
import time

from boards.clock import Clock
from panel.board import LINK_DATA, LINK_GONE, LINK_IDLE

MARK_SPEED = 1  # termios B50: the speed PtyLink leaves on the port; a host opening it sets its own
FLASH_BLOCK = 4096
FLASH_BLOCKS = 512  # 2 MB, the size of a Pico 2's spare flash region


class PtyLink:
    """The host link over a pty master fd (non-blocking, set by the harness).

    Hang-ups: POLLHUP when the last host closes the port; and a host opening it, found by the line
    speed: the link marks the pty's termios speed at MARK_SPEED (50 baud, which no host opens a port
    at) and a host opening the port sets its own (pyserial does at every open), so a host that closes
    and another that opens before the next poll, when POLLHUP has gone again, still end the session.
    (Packet mode, TIOCPKT, would say so too, but MicroPython's readinto joins packets.)
    """

    def __init__(self, fd):
        self.fd = fd
        self.file = open(fd, "r+b")
        self.poller = select.poll()
        self.poller.register(self.file, select.POLLIN)
        self._mark()

    def _mark(self):
        try:
            a = termios.tcgetattr(self.fd)  # on a pty master: the port's (slave's) termios
            a[4] = a[5] = MARK_SPEED
            termios.tcsetattr(self.fd, termios.TCSANOW, a)
        except OSError:
            pass

    def _opened(self):
        # True once after a host has set the port's speed: it opened the port since the last look.
        try:
            a = termios.tcgetattr(self.fd)
        except OSError:
            return False
        if a[4] == MARK_SPEED and a[5] == MARK_SPEED:
            return False
        self._mark()
        return True

    def poll(self, timeout_ms):
        if self._opened():
            return LINK_GONE
        for _obj, ev in self.poller.poll(timeout_ms):
            # A hang-up wins over data: bytes from a host that has left need no answer.
            if ev & (select.POLLHUP | select.POLLERR) or self._opened():
                return LINK_GONE
            if ev & select.POLLIN:
                return LINK_DATA
        return LINK_IDLE

    def readinto(self, buf):
        try:
            n = self.file.readinto(buf)
        except OSError:  # EAGAIN: the poll woke us but nothing is left; EIO: host gone
            return 0
        return n or 0

    def write(self, data):
        mv = memoryview(data)
        sent = 0
        tries = 0
        while sent < len(data):
            try:
                n = self.file.write(mv[sent:])
            except OSError as e:
                if e.errno != 11 or tries > 100:  # EAGAIN: the pty buffer is full, wait a little
                    raise
                n = 0
            if not n:
                tries += 1
                time.sleep_ms(2)
            sent += n or 0


class FileBlockDevice:
    """A block device for os.VfsLfs2 (extended interface) stored in a host file."""

    def __init__(self, path, block_size=FLASH_BLOCK, blocks=FLASH_BLOCKS):
        self.block_size = block_size
        self.blocks = blocks
        try:
            self.file = open(path, "r+b")
        except OSError:
            with open(path, "wb") as f:
                chunk = b"\xff" * block_size
                for _ in range(blocks):
                    f.write(chunk)
            self.file = open(path, "r+b")

    def readblocks(self, block, buf, offset=0):
        self.file.seek(block * self.block_size + offset)
        self.file.readinto(buf)

    def writeblocks(self, block, buf, offset=None):
        self.file.seek(block * self.block_size + (offset or 0))
        self.file.write(buf)
        self.file.flush()

    def ioctl(self, op, arg):
        if op == 4:  # block count
            return self.blocks
        if op == 5:  # block size
            return self.block_size
        if op == 6:  # erase: littlefs overwrites in place on this medium
            return 0
        return None


class FlashStorage:
    """littlefs mounted at `root`, formatted on first use."""

    def __init__(self, blockdev, root="/flash"):
        self.root = root
        try:
            vfs = os.VfsLfs2(blockdev)
        except OSError:
            os.VfsLfs2.mkfs(blockdev)
            vfs = os.VfsLfs2(blockdev)
        os.mount(vfs, root)

    def free_bytes(self):
        st = os.statvfs(self.root)
        return st[0] * st[3]


class GramDisplay:
    """A display whose pixel memory is a file of width*height RGB565 pixels."""

    def __init__(self, path, width=480, height=320):
        self.width = width
        self.height = height
        self.path = path
        self.file = None
        self.pixels_written = 0
        if path:
            with open(path, "wb") as f:
                row = b"\x00" * (width * 2)
                for _ in range(height):
                    f.write(row)
            self.file = open(path, "r+b")

    def blit(self, x, y, w, h, buf):
        if x < 0 or y < 0 or x + w > self.width or y + h > self.height:
            raise ValueError("blit %d,%d %dx%d outside the %dx%d screen" % (x, y, w, h, self.width, self.height))
        self.pixels_written += w * h
        if self.file is None:
            return
        mv = memoryview(buf)
        for r in range(h):
            self.file.seek(((y + r) * self.width + x) * 2)
            self.file.write(mv[r * w * 2 : (r + 1) * w * 2])
        self.file.flush()


class ScriptedTouch:
    """Replays presses [[t_ms, x, y], ...] at their times since boot, then those of the control file.

    control: a file the host side appends "x y" lines to; each complete line is one press,
    taken through the same touch poll (and so the same UI path) as a finger's.
    """

    def __init__(self, clock, script=(), control=None):
        self.clock = clock
        self.script = sorted(script)
        self.next = 0
        self.t0 = clock.ticks_ms()
        self.control = open(control, "rb") if control else None
        self.partial = b""

    def poll(self):
        if self.next < len(self.script):
            t, x, y = self.script[self.next]
            if self.clock.ticks_diff(self.clock.ticks_ms(), self.t0) >= t:
                self.next += 1
                return (x, y)
        if self.control is not None:
            return self._control()
        return None

    def _control(self):
        line = self.control.readline()  # b"" at the end of the file: nothing new
        if not line:
            return None
        line = self.partial + line
        if not line.endswith(b"\n"):  # written halfway: the rest comes on a later poll
            self.partial = line
            return None
        self.partial = b""
        try:
            x, y = line.split()
            return (int(x), int(y))
        except ValueError:
            print("[panel] control: not a press: %r" % line)
            return None


class SimBoard:
    name = "sim"

    def __init__(self, link_fd, flash_path, gram_path=None, touch_script=(), control=None):
        self.clock = Clock()
        self.link = PtyLink(link_fd)
        self.storage = FlashStorage(FileBlockDevice(flash_path))
        self.display = GramDisplay(gram_path)
        self.touch = ScriptedTouch(self.clock, touch_script, control)
        self.device_id = self._device_id()

    def _device_id(self):
        # Made once per flash image and kept, as a board's unique id would be.
        path = self.storage.root + "/device_id"
        try:
            with open(path) as f:
                return f.read().strip()
        except OSError:
            import binascii

            ident = "sim-" + binascii.hexlify(os.urandom(4)).decode()
            with open(path, "w") as f:
                f.write(ident)
            return ident

    def log(self, text):
        print("[panel %d] %s" % (time.ticks_ms(), text))


USAGE = ("usage: main.py fd:N [--flash FILE] [--gram FILE] [--touch FILE] [--control FILE] "
         "[--play FILE [--speed N]]")


def from_argv(argv):
    """Build a SimBoard from the simulator's command line (see USAGE)."""
    fd = None
    opts = {"--flash": "bedside-flash.img", "--gram": None, "--touch": None, "--control": None, "--play": None,
            "--speed": "1"}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("fd:"):
            fd = int(a[3:])
        elif a in opts and i + 1 < len(argv):
            opts[a] = argv[i + 1]
            i += 1
        else:
            raise SystemExit("%s\nunknown argument %r" % (USAGE, a))
        i += 1
    if fd is None:
        raise SystemExit(USAGE)
    script = ()
    if opts["--touch"]:
        with open(opts["--touch"]) as f:
            script = [tuple(p) for p in json.load(f)]
    board = SimBoard(fd, opts["--flash"], opts["--gram"], script, opts["--control"])
    play = None
    if opts["--play"]:
        from panel.player import steps_from_file

        play = steps_from_file(opts["--play"])  # read a step at a time as the case plays
    return board, play, int(opts["--speed"])


def main():
    board, play, speed = from_argv(sys.argv[1:])
    from panel.ui.touchui import TouchUI

    screen = TouchUI(board.display)
    from panel.app import run

    run(board, screen, play, speed)
