# tests/portable/test_safe_mode.py — the panel never boot-loops: safe mode, the boot guard, a failing loop.
#
# Covers panel.app (Panel, run) on the fake board of test_panel_app, CPython and MicroPython:
# a failure while the state loads starts SAFE MODE (the link's sync handlers answer, nothing is
# recorded, repaired or deleted); starts that never reach the main loop BOOT_GUARD times in a
# row make the next one safe; a loop that fails FAIL_SAFE_AFTER turns in a row falls back to
# safe mode instead of exiting (which on a board resets into the same failure); a board's Stop
# still stops the firmware; an open case of other content is left for the host, not a brick.
# Run alone: .venv/bin/pytest tests/portable/test_safe_mode.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_safe_mode

import os

import panel.app as app
from panel.app import BOOT_GUARD, FAIL_SAFE_AFTER, Panel, run
from panel.board import Stop
from panel.case import CaseError
from panel.journal import Journal, record
from ptest import raises
from test_panel_app import FakeBoard


class SafeScreen:
    """A screen that remembers what it was asked to show."""

    def __init__(self):
        self.safe = None
        self.prepared = 0
        self.shown = 0

    def prepare(self):
        self.prepared += 1

    def show(self, panel):
        self.shown += 1

    def drop(self):
        pass

    def show_safe(self, panel, reason):
        self.safe = reason


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _journal_with_cases(board):
    """An open case with a torn tail, and a closed case the host holds whole: what a normal start
    would repair (cut) and, with storage low, reclaim (delete)."""
    root = board.storage.root + "/journal"
    j = Journal(root)
    j.scan()
    j.next_boot()
    log = j.new_case("open1")
    for s in range(1, 4):
        log.append({"seq": s, "t": s, "k": "note", "text": "n%d" % s})
    done = j.new_case("done1")
    done.append({"seq": 1, "t": 1, "k": "note", "text": "x"})
    done.append({"seq": 2, "t": 2, "k": "close"})
    j.ack("done1", 2)
    with open(root + "/open1.j", "ab") as f:
        f.write(record({"seq": 4, "t": 4, "k": "note", "text": "torn"})[:9])
    return root


def _failing_keeper(*args, **kw):
    raise MemoryError("memory allocation failed, allocating 3840 bytes")


def test_a_failure_while_loading_the_state_starts_safe_mode_that_syncs_and_deletes_nothing():
    board = FakeBoard()
    root = _journal_with_cases(board)
    before = {}
    for name in os.listdir(root):
        before[name] = _read(root + "/" + name)
    keeper = app.CaseKeeper
    app.CaseKeeper = _failing_keeper
    try:
        screen = SafeScreen()
        panel = Panel(board, screen)
    finally:
        app.CaseKeeper = keeper
    assert panel.safe.startswith("MemoryError: memory allocation failed"), panel.safe
    assert screen.safe == panel.safe and screen.prepared == 1
    assert "SAFE MODE: " + panel.safe in board.logs
    # sync works: the link answers the sync requests (behind authentication, as always) ...
    for name in ("pair_start", "auth_start", "set_time", "list_cases", "pull", "ack", "list_anchors"):
        assert name in panel.responder.handlers, name
    rows = panel.service.list_cases({"start": 0})["cases"]
    assert sorted(r[0] for r in rows) == ["done1", "open1"]
    pulled = list(panel.service.pull({"case": "open1", "start": 1, "window": 4}))
    assert [len(p["events"]) for p in pulled] == [3]
    # ... nothing is recorded, and nothing is deleted, even with storage low
    raises(CaseError, panel.keeper.new_case)
    panel.journal.space = lambda: (1024, 1 << 20)
    assert panel.journal.reclaim() == []
    assert _read(root + "/done1.j") == before["done1.j"]


def test_safe_mode_cuts_no_torn_tail_and_reclaims_nothing():
    board = FakeBoard()
    root = _journal_with_cases(board)
    before = {}
    for name in os.listdir(root):
        before[name] = _read(root + "/" + name)
    for _ in range(BOOT_GUARD):
        Panel(board)  # starts that crash before the main loop: the scan of each repaired the torn tail ...
    with open(root + "/open1.j", "ab") as f:
        f.write(before["open1.j"][-9:])  # ... and the flash tears again
    torn = _read(root + "/open1.j")
    panel = Panel(board)
    assert panel.safe is not None and panel.journal.safe
    panel.journal.space = lambda: (1024, 1 << 20)
    assert panel.journal.reclaim() == []
    assert _read(root + "/open1.j") == torn and _read(root + "/done1.j") == before["done1.j"]
    assert sorted(r["case"] for r in panel.journal.cases()) == ["done1", "open1"]


def test_starts_that_never_reach_the_main_loop_make_the_next_one_safe():
    board = FakeBoard()
    for _ in range(BOOT_GUARD):
        assert Panel(board).safe is None  # each stops before its first turn (a crash, a reset)
    panel = Panel(board)
    assert panel.safe == "RuntimeError: the last %d starts stopped before the panel was ready" % BOOT_GUARD
    # safe mode was seen: the next start tries normally again, and a start that reaches the loop counts as done
    panel = Panel(board)
    assert panel.safe is None
    panel.step(0)
    panel.started()
    for _ in range(BOOT_GUARD):
        panel = Panel(board)
        assert panel.safe is None
        panel.started()


def test_run_marks_the_start_completed_after_the_first_turn():
    board = FakeBoard()
    for _ in range(BOOT_GUARD + 2):
        panel = run(board, turns=1)
        assert panel.safe is None


class FailingTouch:
    def __init__(self, error):
        self.error = error
        self.polls = 0

    def poll(self):
        self.polls += 1
        raise self.error


def test_a_loop_that_keeps_failing_falls_back_to_safe_mode_and_keeps_serving():
    for error in (MemoryError(), ValueError("a bug in a screen")):
        board = FakeBoard()
        board.touch = FailingTouch(error)
        screen = SafeScreen()
        panel = run(board, screen, turns=FAIL_SAFE_AFTER + 5)  # returns: it never exits on failures
        assert board.touch.polls == FAIL_SAFE_AFTER + 5  # every turn ran
        assert panel.safe is not None and ("%d times in a row" % FAIL_SAFE_AFTER) in panel.safe, panel.safe
        assert type(error).__name__ in panel.safe and screen.safe == panel.safe
        assert "pull" in panel.responder.handlers


class StoppingLink:
    def poll(self, timeout_ms):
        raise Stop()

    def readinto(self, buf):
        return 0

    def write(self, data):
        pass


def test_a_boards_stop_still_stops_the_firmware():
    board = FakeBoard()
    board.link = StoppingLink()
    raises(Stop, run, board, None, None, 1, 5)


def test_an_open_case_of_other_content_is_left_for_the_host_and_the_panel_starts():
    board = FakeBoard()
    j = Journal(board.storage.root + "/journal")
    j.scan()
    j.next_boot()
    log = j.new_case("oldcv")
    log.append({"seq": 1, "t": 1, "k": "open", "case": "oldcv", "cv": "cto-1999.1.1", "fw": "0.0.1"})
    log.append({"seq": 2, "t": 2, "k": "note", "text": "before the update"})
    panel = Panel(board)
    assert panel.safe is None and panel.keeper.case is None
    assert panel.keeper.unresumed[0] == "oldcv" and "read on the host" in panel.keeper.unresumed[1]
    assert [m for m in board.logs if m.startswith("open case oldcv not resumed")]
    new = panel.keeper.new_case()  # a new case can start
    rows = panel.service.list_cases({"start": 0})["cases"]
    assert sorted(r[:2] for r in rows) == sorted([["oldcv", 2], [new, 1]])


def test_when_even_the_journal_cannot_be_read_safe_mode_still_answers_the_handshake():
    from bedlink.session import Requester
    from test_panel_app import replies, run_until_quiet

    board = FakeBoard()
    with open(board.storage.root + "/journal", "wb") as f:
        f.write(b"not a directory")  # what the flash holds where the journal should be
    screen = SafeScreen()
    panel = Panel(board, screen)
    assert panel.safe is not None and "sync not possible" in panel.safe, panel.safe
    assert panel.journal is None and panel.storage_warning() == "STORAGE UNREADABLE"
    assert panel.clock_text() == "clock not set" and screen.safe == panel.safe
    host = Requester()
    _, hello = host.request("hello", {"vmin": 1, "vmax": 2, "max_frame": 512})
    _, ping = host.request("ping", {"data": b"still here"})
    _, pull = host.request("list_cases", {"start": 0})
    board.link.inbox.extend([hello, ping, pull])
    run_until_quiet(panel)
    got = replies(host, board)
    assert [g[0] for g in got] == ["hello_reply", "pong", "error"]
    assert got[1][2]["data"] == b"still here"
