"""make typecheck: the firmware and the protocol type-check against the Pico 2's MicroPython stubs.

Runs mypy as bedside.tools.typecheck configures it (micropython-rp2-rpi_pico2-stubs for the board's
modules, micropython-stdlib-stubs as the standard library), and proves the check has teeth: a module
that misuses the board's API, or uses a CPython-only module, fails it.
Run alone: .venv/bin/pytest tests/test_typecheck.py
"""

import subprocess
import sys

from bedside.tools import typecheck
from conftest import ROOT


def test_firmware_and_protocol_typecheck_against_the_pico2_stubs():
    res = typecheck.run()
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Success: no issues found" in res.stdout


def test_the_check_catches_misuse_of_the_board_api(tmp_path):
    config = typecheck.prepare()
    bad = tmp_path / "bad_board.py"
    bad.write_text(
        "import machine\n"
        "import time\n"
        "import rp2\n"
        "machine.unique_id(1)\n"  # takes no argument
        "x = time.ticks_ms() + 'ms'\n"  # an int, not a str
        "rp2.bootsel_button().upper()\n"  # returns an int
        "machine.Pin(5, machine.Pin.OUT).value(1)\n"  # fine: the rp2 Pin API
    )
    res = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(config), str(bad)],
                         capture_output=True, text=True, cwd=ROOT)
    out = res.stdout
    assert res.returncode == 1, out
    assert 'bad_board.py:4: error: Too many arguments for "unique_id"' in out
    assert "bad_board.py:5: error" in out and "bad_board.py:6: error" in out
    assert "bad_board.py:7" not in out and "import-not-found" not in out
