# tests/mponly/test_pico2_main.py — the reference board's main() running the real firmware, on MicroPython.
#
# Covers boards/pico2.py main() end to end with fake hardware: fake `machine`, `rp2`, `select`
# and `vfs` modules in sys.modules (the rp2 port's modules are not on the unix port), the real
# panel.app loop and the real touch UI drawing through the ST7796S driver onto a fake SPI bus.
# Checks: the panel boots (journal under the board's data directory), the screen is painted, a
# press on the touch plate reaches the app as one touch, BOOTSEL stops the firmware with the
# maintenance screen and Ctrl-C back on, and a panel whose data is not on littlefs does not start.
# MicroPython only: the UI needs framebuf.
# Run alone: MICROPYPATH=tests/portable:tests/mponly:protocol:firmware micropython tests/mprun.py test_pico2_main

import os
import sys

from fakehw import FakeMachine, FakePoller, FakeStream
from ptest import fresh_dir

sys.modules["machine"] = FakeMachine()
from boards import pico2, pico2_pins  # noqa: E402

del sys.modules["machine"]


class Hooks:
    """Fake rp2 / select / vfs modules; bootsel_button (called every 250 ms) drives the scenario."""

    def __init__(self, machine, fs="VfsLfs2"):
        self.machine = machine
        self.calls = 0
        self.stdin = FakeStream()
        kind = type(fs, (), {})
        self.mounts = [(kind(), "/")]

    # rp2
    def bootsel_button(self):
        self.calls += 1
        irq = self.machine.pins[pico2_pins.PINS["touch_irq"]]
        if self.calls == 2:  # a finger presses the middle of the screen for the next 250 ms
            irq.level = 0
            self.down = True
        elif self.calls == 3:
            irq.level = 1
            self.down = False
        return 1 if self.calls >= 5 else 0

    # select
    POLLIN = 1

    def poll(self):
        return FakePoller(self.stdin)

    # vfs
    def mount(self):
        return self.mounts


def _touch_replies(hooks):
    def answer(tx):
        cmd = tx[0]
        down = getattr(hooks, "down", False)
        v = {0xD0: 2050, 0x90: 2050, 0xB0: 1000 if down else 0, 0xC0: 1500 if down else 4095}[cmd]
        v <<= 3
        return bytes((0, (v >> 8) & 0xFF, v & 0xFF))

    return answer


def _run(fs="VfsLfs2"):
    machine = pico2.machine = FakeMachine(quiet=True)  # count the display's bytes, keep none
    hooks = Hooks(machine, fs)
    root = fresh_dir("pico2main") + "/data"
    os.mkdir(root)
    with open(root + "/touch.json", "w") as f:  # calibrated: raw 2050, 2050 is the middle, 240, 160
        f.write('{"v": 1, "k": [7680, 0, -15360, 0, 5120, -10240]}')  # raw 0..4096 onto 480 x 320
    saved = {}
    for name in ("rp2", "select", "vfs"):
        saved[name] = sys.modules.get(name)
        sys.modules[name] = hooks
    try:
        # FakeMachine.SPI builds the touch bus; its answers come from the hooks
        real_spi = machine.SPI

        def spi(bus, **kw):
            s = real_spi(bus, **kw)
            if bus == pico2_pins.TOUCH_SPI:
                s.replies = _touch_replies(hooks)
            return s

        machine.SPI = spi
        board = pico2.main(root)
    finally:
        for name in saved:
            if saved[name] is None:
                del sys.modules[name]
            else:
                sys.modules[name] = saved[name]
    return board, machine, hooks, root


def test_main_boots_paints_takes_a_touch_and_stops_on_bootsel():
    board, machine, hooks, root = _run()
    assert board is not None and hooks.calls == 5
    assert "journal" in os.listdir(root)
    lcd = machine.spis[pico2_pins.LCD_SPI]
    assert lcd.count > 480 * 320 * 2  # the clear at start, then the UI's screens
    touches = [ln for ln in board.lines if "touch " in ln]
    assert len(touches) == 1, board.lines
    assert touches[0].endswith("touch 240,160"), touches
    assert board.lines[-1].endswith("maintenance: BOOTSEL held, firmware stopped, REPL on USB")
    assert machine.uarts[0].lines >= len(board.lines)
    assert machine.resets == 0


def test_a_panel_whose_data_is_not_on_littlefs_does_not_start():
    board, machine, hooks, root = _run("VfsFat")
    assert board is None and hooks.calls == 0
    assert "journal" not in os.listdir(root)
