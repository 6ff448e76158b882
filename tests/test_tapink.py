"""The tap budget's walk and model (bedside.tools.tapink, firmware/boards/tapink.py).

Covers: the edge cover takes every item and option of every checklist (CPython, from the content); the walk on
the MicroPython unix port for two checklists (every branch taken, each tap's bytes as the ST7796 driver counted
them on its bus equal the formula the board uses); the model's arithmetic on taps made by hand (a full frame at
40 MHz is 61.4 ms on the bus; a sector erase 45 ms; the CPU scaled by the reference); the report prints the
budgets and the model's assumptions; the board command as mpremote runs it.
Run alone: .venv/bin/pytest tests/test_tapink.py
"""

import json
import os
import subprocess
import sys

import pytest

from bedside.paths import FIRMWARE_DIR, PROTOCOL_DIR, tool
from bedside.tools import tapink

sys.path.insert(0, str(FIRMWARE_DIR))
from boards.tapink import cover, graph  # noqa: E402
from panel.content.checklists import INDEX, load  # noqa: E402


@pytest.mark.parametrize("cid", [e[0] for e in INDEX])
def test_the_cover_takes_every_item_and_every_option(cid):
    cl = load(cid)
    items, nxt = graph(cl)
    want = {(iid, opt) for iid in nxt for opt, _t in nxt[iid]}
    taken = set()
    paths = list(cover(cl))
    for path, terminal in paths:
        assert path[0][0] == cl["items"][0]["id"]
        assert terminal not in items
        for (iid, opt), nxt_step in zip(path, path[1:] + [(terminal, None)]):
            assert (opt, nxt_step[0]) in nxt[iid]  # each step follows the content's own edge
            taken.add((iid, opt))
    assert taken == want
    assert len(paths) <= len(want)  # one path at least takes one new edge


def test_the_walk_on_the_unix_port_takes_every_branch_and_counts_bytes_as_the_driver_does(tmp_path):
    env = dict(os.environ, MICROPYPATH=f"{FIRMWARE_DIR}:{PROTOCOL_DIR}")
    res = subprocess.run([str(tool("micropython")), "-X", "heapsize=4096wK", "-m", "boards.tapink_unix",
                          str(tmp_path / "flash.img"), "pob,whih"], capture_output=True, text=True, env=env,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    taps = [x for x in lines if "tap" in x]
    for t in taps:
        assert t["bus"] == t["bytes"] == 2 * t["pixels"] + 11 * t["blits"], t
        assert t["io_us"] <= t["us"]
    assert {x["cl"]: x["edges"] == x["taken"] for x in lines if "edges" in x} == {"whih": True, "pob": True}
    walk = tapink.parse(res.stdout.splitlines())
    assert len(walk.taps) == lines[-1]["done"] and walk.ref_us > 0
    runner = [t for t in walk.checklist_taps if t.screen == "runner"]
    assert runner and any(t.erases for t in runner)  # an event on flash: littlefs copies the file's last block
    f = tapink.figures(walk)
    assert 0 < f["bytes_mean"] <= f["bytes_worst"] <= (tapink.FRAME_BYTES + 11 * 320) / tapink.FRAME_BYTES
    assert f["lcd_p50_ms"] <= f["lcd_p95_ms"] <= f["lcd_max_ms"]
    assert f["datasheet_p95_ms"] > f["lcd_p95_ms"]  # a slower clock, a longer tap
    text = "\n".join(tapink.report(walk))
    for needle in ("budget <= 25%", "budget <= 60%", "budget <= 50", "budget <= 100", "model assumption: CPU",
                   "model assumption: bus", "model assumption: flash", "15.2 MHz"):
        assert needle in text, needle


def test_the_model_on_taps_made_by_hand():
    frame = tapink.Tap("Done", "pob", "runner", tapink.FRAME_BYTES, 0.0, 0, 0)
    assert frame.board_ms(1.0, 40e6) == pytest.approx(61.44)
    assert frame.board_ms(1.0, tapink.DATASHEET_HZ) == pytest.approx(307200 * 8 * 66e-9 * 1000)
    flash = tapink.Tap("Done", "pob", "runner", 0, 0.0, 3, 1)
    assert flash.board_ms(1.0, 40e6) == pytest.approx(3 * 0.4 + 45)
    cpu = tapink.Tap("Done", "pob", "runner", 0, 500.0, 0, 0)
    assert cpu.board_ms(44.0, 40e6) == pytest.approx(22.0)
    walk = tapink.Walk([frame, flash, cpu], 1000.0, [], {"pob": (5, 5)}, [])
    f = tapink.figures(walk)
    assert f["scale"] == tapink.REF_BOARD_US / 1000.0
    assert f["bytes_mean"] == pytest.approx(1 / 3) and f["bytes_worst"] == 1.0
    assert f["erasing_taps"] == pytest.approx(1 / 3)


def test_parse_passes_over_other_output_and_refuses_a_walk_that_lost_taps():
    good = ['{"ref_us": 900, "ref_n": 20000}', "MPY: soft reboot",
            '{"tap": "Done", "cl": "pob", "screen": "runner", "us": 10, "pixels": 1, "blits": 1, "bytes": 13}',
            '{"done": 1}']
    assert len(tapink.parse(good).taps) == 1
    with pytest.raises(ValueError, match="reported 2 taps"):
        tapink.parse(good[:-1] + ['{"done": 2}'])
    with pytest.raises(ValueError, match="no walk"):
        tapink.parse(["nothing"])


def test_the_board_command_runs_the_deployed_walk_through_mpremote(capsys):
    assert tapink.main(["--port", "/dev/ttyACM9", "--dry-run", "--only", "pob"]) == 0
    out = capsys.readouterr().out
    assert "mpremote connect /dev/ttyACM9 exec" in out
    cmd = tapink.board_command("/dev/ttyACM9", "pob")
    assert cmd[1:4] == ["connect", "/dev/ttyACM9", "exec"] and cmd[0].endswith("mpremote")
    assert cmd[4] == "import boards.tapink as t; t.board_main(only=['pob'])"
    assert tapink.board_command("/dev/ttyACM9")[4] == "import boards.tapink as t; t.board_main()"
