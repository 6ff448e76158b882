# tests/portable/test_panel_app.py — the panel's main loop on a fake board, CPython and MicroPython.
#
# Covers panel.app.Panel: it answers hello and ping through the board's link,
# survives garbage, forgets the session when the host goes away and backs off
# instead of spinning, and refuses an incomplete board. Frames come from bedlink.
# Run alone: .venv/bin/pytest tests/portable/test_panel_app.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_panel_app

from bedlink.session import Requester
from panel.app import GONE_BACKOFF_MS, IDLE_READ_MS, Panel
from panel.board import LINK_DATA, LINK_GONE, LINK_IDLE, check_board
from panel.version import CONTENT_VERSION, FIRMWARE_VERSION
from ptest import fresh_dir, raises


class FakeLink:
    def __init__(self):
        self.inbox = []  # scripted poll results: bytes (data), LINK_GONE or LINK_IDLE
        self.pending = b""
        self.sent = bytearray()

    def poll(self, timeout_ms):
        if self.pending:
            return LINK_DATA
        if not self.inbox:
            return LINK_IDLE
        item = self.inbox.pop(0)
        if item == LINK_GONE or item == LINK_IDLE:
            return item
        self.pending = item
        return LINK_DATA

    def readinto(self, buf):
        n = min(len(buf), len(self.pending))
        buf[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

    def write(self, data):
        self.sent.extend(data)


class FakeClock:
    def __init__(self):
        self.slept = []

    def ticks_ms(self):
        return 0

    def ticks_diff(self, a, b):
        return a - b

    def sleep_ms(self, ms):
        self.slept.append(ms)


class FakeTouch:
    def __init__(self, presses=()):
        self.presses = list(presses)

    def poll(self):
        return self.presses.pop(0) if self.presses else None


class FakeStorage:
    def __init__(self):
        self.root = fresh_dir("panel")

    def free_bytes(self):
        return 1 << 20


class FakeDisplay:
    width = 480
    height = 320

    def blit(self, x, y, w, h, buf):
        pass


class FakeBoard:
    name = "fake"
    device_id = "fake-0001"

    def __init__(self):
        self.link = FakeLink()
        self.clock = FakeClock()
        self.touch = FakeTouch()
        self.storage = FakeStorage()
        self.display = FakeDisplay()
        self.logs = []

    def log(self, text):
        self.logs.append(text)


class CountingScreen:
    def __init__(self):
        self.shown = []

    def show(self, panel):
        self.shown.append(panel.status())


def run_until_quiet(panel, steps=50):
    for _ in range(steps):
        panel.step(0)
        if not panel.board.link.pending and not panel.board.link.inbox:
            return


def replies(host, board):
    out = host.feed(bytes(board.link.sent))
    board.link.sent = bytearray()
    return out


def test_hello_reports_identity_and_negotiated_version():
    board = FakeBoard()
    panel = Panel(board)
    host = Requester()
    seq, frame = host.request("hello", {"vmin": 1, "vmax": 7, "max_frame": 512})
    board.link.inbox.append(frame)
    run_until_quiet(panel)
    [(name, rseq, fields)] = replies(host, board)
    assert name == "hello_reply" and rseq == seq
    assert fields["version"] == 3
    assert fields["device_id"] == "fake-0001"
    assert fields["firmware"] == FIRMWARE_VERSION
    assert fields["content"] == CONTENT_VERSION
    assert fields["max_frame"] == 1024
    assert panel.status() == "connected, v3"


def test_ping_echoes_data_and_counts_frames_across_split_reads():
    board = FakeBoard()
    panel = Panel(board)
    host = Requester()
    _, f1 = host.request("ping", {"data": b"\x00abc\x00"})
    seq2, f2 = host.request("ping")
    stream = f1 + f2
    for i in range(0, len(stream), 3):  # three bytes per read, frames straddle reads
        board.link.inbox.append(stream[i : i + 3])
    run_until_quiet(panel, 200)
    got = replies(host, board)
    assert [g[0] for g in got] == ["pong", "pong"]
    assert got[0][2]["data"] == b"\x00abc\x00"
    assert "data" not in got[1][2]
    assert got[1][1] == seq2
    assert got[1][2]["rx_frames"] == 2 and got[1][2]["rx_dropped"] == 0


def test_garbage_is_dropped_and_the_next_ping_answered():
    board = FakeBoard()
    panel = Panel(board)
    host = Requester()
    board.link.inbox.append(b"\x07\xff\x13garbage\x00" + b"\x41" * 3000 + b"\x00")
    _, frame = host.request("ping", {"data": b"ok"})
    board.link.inbox.append(frame)
    run_until_quiet(panel, 100)
    [(name, _seq, fields)] = replies(host, board)
    assert name == "pong" and fields["data"] == b"ok"
    assert fields["rx_dropped"] == 2


def test_host_gone_resets_session_and_backs_off():
    board = FakeBoard()
    screen = CountingScreen()
    panel = Panel(board, screen)
    host = Requester()
    _, frame = host.request("hello", {"vmin": 1, "vmax": 1, "max_frame": 512})
    board.link.inbox.append(frame)
    run_until_quiet(panel)
    assert panel.responder.version == 1
    board.link.inbox.append(b"\x05half")  # a partial frame when the cable goes
    board.link.inbox.append(LINK_GONE)
    board.link.inbox.append(LINK_GONE)
    run_until_quiet(panel)
    assert panel.responder.version == 0
    assert panel.responder.decoder.pending == 0
    assert board.clock.slept.count(GONE_BACKOFF_MS) == 2
    assert screen.shown[-1] == "waiting for host"
    assert "host gone" in board.logs


def test_wakeup_with_nothing_to_read_sleeps():
    board = FakeBoard()
    panel = Panel(board)
    board.link.inbox.append(b"")  # poll says data, the read finds none
    panel.step(0)
    assert board.clock.slept == [IDLE_READ_MS]


def test_touch_presses_are_taken():
    board = FakeBoard()
    board.touch.presses = [(10, 20), (30, 40)]
    panel = Panel(board)
    panel.step(0)
    panel.step(0)
    panel.step(0)
    assert panel.touches == 2
    assert "touch 10,20" in board.logs


def test_incomplete_board_is_refused_by_name():
    board = FakeBoard()
    assert check_board(board) == []
    del board.touch
    board.clock = object()
    missing = check_board(board)
    assert "touch" in missing and "clock.sleep_ms" in missing
    err = raises(ValueError, Panel, board)
    assert "touch" in str(err)


def test_the_screen_warns_before_storage_runs_out():
    board = FakeBoard()
    screen = CountingScreen()
    panel = Panel(board, screen)
    mb = 1024 * 1024
    panel.journal.space = lambda: (10 * mb, 16 * mb)
    assert panel.storage_warning() is None
    panel.journal.space = lambda: (200 * 1024, 16 * mb)  # below the early-warning line
    assert panel.storage_warning() == "STORAGE LOW: sync soon"
    panel.journal.space = lambda: (8 * 1024, 16 * mb)  # no room for a whole case
    assert panel.storage_warning() == "STORAGE FULL: sync to start a case"
