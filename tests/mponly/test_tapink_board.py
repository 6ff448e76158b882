# tests/mponly/test_tapink_board.py — the tap-to-ink script as it runs on the reference board, on MicroPython.
#
# Covers boards/tapink.py board_main(), the code `python -m bedside.tools.tapink --port` runs on a Pico 2 through
# mpremote: here with a fake `machine` (tests/portable/fakehw.py) so the real Pico2Board, the ST7796S driver and
# the panel run on the unix port. Checks: the walk takes every branch of the checklists it is given, each tap's
# line carries its time and the bytes the board formula gives, those bytes are what the driver put on the SPI bus
# (from the first tap to the last), the scratch directory is emptied first and the panel's own /data is never touched.
# MicroPython only: the UI needs framebuf.
# Run alone: MICROPYPATH=tests/portable:tests/mponly:protocol:firmware micropython tests/mprun.py test_tapink_board

import os
import sys

from fakehw import FakeMachine
from ptest import fresh_dir

sys.modules["machine"] = FakeMachine()
from boards import pico2, pico2_pins, tapink  # noqa: E402

del sys.modules["machine"]


def test_board_main_walks_every_branch_and_counts_the_bytes_it_sends():
    machine = pico2.machine = FakeMachine(quiet=True)
    base = fresh_dir("tapink")
    data = base + "/data"
    os.mkdir(data)
    with open(data + "/keep", "w") as f:
        f.write("the panel's own")
    root = base + "/tapink"
    os.mkdir(root)
    os.mkdir(root + "/journal")
    with open(root + "/journal/old", "w") as f:
        f.write("left by the last run")
    lines = []
    bus = []  # the LCD bus's count when the walk starts (the panel booted) and when it is done
    emit = tapink._emit

    def keep(line):
        if "ref_us" in line or "done" in line:
            bus.append(machine.spis[pico2_pins.LCD_SPI].count)
        lines.append(line)

    tapink._emit = keep
    try:
        tapink.board_main(root, only=("pob", "bam"))
    finally:
        tapink._emit = emit
    taps = [ln for ln in lines if "tap" in ln]
    assert lines[0]["ref_n"] == tapink.REF_N and lines[0]["ref_us"] > 0
    assert lines[-1] == {"done": len(taps)}
    edges = [ln for ln in lines if "edges" in ln]
    assert [e["cl"] for e in edges] == ["pob", "bam"]
    for e in edges:
        assert e["taken"] == e["edges"] and e["edges"] >= 2, e
    for t in taps:
        assert t["us"] >= 0 and t["bytes"] == 2 * t["pixels"] + tapink.WINDOW_BYTES * t["blits"], t
    assert len([t for t in taps if t["cl"] == "pob" and t["screen"] == "runner"]) >= 5
    assert bus[1] - bus[0] == sum([t["bytes"] for t in taps])  # what the taps sent, the formula's count
    assert "old" not in os.listdir(root + "/journal")  # emptied first: the panel made its journal anew
    assert os.listdir(data) == ["keep"]
