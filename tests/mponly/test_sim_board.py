# tests/mponly/test_sim_board.py — the simulator board's parts, on MicroPython only.
#
# Covers boards/sim.py: littlefs on the file-backed block device keeps files
# across a remount (as the simulated flash keeps them across restarts), the
# display memory file receives exactly the pixels blitted, scripted touch
# replays presses at their times, the device id is made once per flash image,
# and a SimBoard satisfies panel.board's interface.
# Run alone: MICROPYPATH=tests/portable:tests/mponly:protocol:firmware micropython tests/mprun.py test_sim_board
# (tests/test_micropython.py runs it under pytest).

import os

from boards.sim import FileBlockDevice, FlashStorage, GramDisplay, ScriptedTouch, SimBoard
from panel.board import check_board
from ptest import raises

TMP = "/tmp/bedside-mptest-%d" % os.getpid() if hasattr(os, "getpid") else "/tmp/bedside-mptest"


def _fresh(name):
    path = TMP + "-" + name
    try:
        os.remove(path)
    except OSError:
        pass
    return path


def _unmount(root):
    try:
        os.umount(root)
    except OSError:
        pass


def test_flash_keeps_files_across_remount():
    path = _fresh("flash.img")
    dev = FileBlockDevice(path, blocks=64)
    st = FlashStorage(dev, "/fl1")
    free0 = st.free_bytes()
    with open("/fl1/journal", "wb") as f:
        f.write(b"x" * 10000)
    assert st.free_bytes() < free0
    os.umount("/fl1")
    st2 = FlashStorage(FileBlockDevice(path, blocks=64), "/fl1")
    with open("/fl1/journal", "rb") as f:
        assert f.read() == b"x" * 10000
    assert st2.free_bytes() == st.free_bytes()
    os.umount("/fl1")
    os.remove(path)


def test_block_device_geometry():
    path = _fresh("geom.img")
    dev = FileBlockDevice(path, block_size=512, blocks=32)
    assert dev.ioctl(4, 0) == 32 and dev.ioctl(5, 0) == 512 and dev.ioctl(6, 3) == 0
    dev.writeblocks(3, b"\x12\x34", 10)
    buf = bytearray(4)
    dev.readblocks(3, buf, 9)
    assert bytes(buf) == b"\xff\x12\x34\xff"
    os.remove(path)


def test_display_memory_holds_exactly_the_blitted_pixels():
    path = _fresh("gram")
    d = GramDisplay(path, 8, 4)
    rect = bytearray(b"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c")  # 3x2 pixels
    d.blit(2, 1, 3, 2, rect)
    with open(path, "rb") as f:
        mem = f.read()
    assert len(mem) == 8 * 4 * 2
    assert mem[(1 * 8 + 2) * 2 : (1 * 8 + 5) * 2] == rect[0:6]
    assert mem[(2 * 8 + 2) * 2 : (2 * 8 + 5) * 2] == rect[6:12]
    assert mem.count(b"\x00") == len(mem) - 12
    assert d.pixels_written == 6
    raises(ValueError, d.blit, 6, 0, 3, 1, bytearray(6))
    os.remove(path)


class StepClock:
    def __init__(self):
        self.now = 0

    def ticks_ms(self):
        return self.now

    def ticks_diff(self, a, b):
        return a - b


def test_scripted_touch_replays_presses_at_their_times():
    clock = StepClock()
    touch = ScriptedTouch(clock, [[500, 10, 20], [100, 1, 2]])
    assert touch.poll() is None
    clock.now = 100
    assert touch.poll() == (1, 2)
    assert touch.poll() is None
    clock.now = 499
    assert touch.poll() is None
    clock.now = 900
    assert touch.poll() == (10, 20)
    assert touch.poll() is None


def test_sim_board_is_complete_and_keeps_its_device_id():
    path = _fresh("board.img")
    link = open("/dev/null", "r+b")
    board = SimBoard(link.fileno(), path)
    assert check_board(board) == []
    first = board.device_id
    assert first.startswith("sim-") and len(first) == 12
    _unmount("/flash")
    again = SimBoard(link.fileno(), path)
    assert again.device_id == first
    _unmount("/flash")
    os.remove(path)
