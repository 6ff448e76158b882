# tests/portable/test_pico2_board.py — the reference board file with a fake `machine` module.
#
# Covers firmware/boards/pico2.py and pico2_pins.py: the board satisfies panel.board's interface;
# every bus and pin is built from the pin map (SPI1 at 40 MHz for the display, SPI0 at 1 MHz for
# touch, PENIRQ with a pull-up); the display starts with the ST7796S sequence and lights its
# backlight; the USB link reads only the bytes waiting (stdin blocks for more), writes everything
# or fails with OSError, and turns BOOTSEL into maintenance; the CDC link (usb.device.cdc, faked in
# fakehw.FakeCDC: no board here, see hardware/README.md) reports the host closing the port (DTR
# dropped, even when reopened before the next poll) and the cable pulled once each, drops what the
# leaving host sent, and a panel on it ends its session then; the port goes from the REPL and back; storage under /data; the device id;
# the log never goes to the link; touch through the board gives one press per tap, and the
# calibration run at the panel (drivers/calibrate.py) recovers a known transform.
# Runs on CPython (pytest) and MicroPython (tests/test_micropython.py).
# Run alone: .venv/bin/pytest tests/portable/test_pico2_board.py

import sys

from fakehw import FakeClock, FakeMachine, FakePoller, FakeStream

sys.modules["machine"] = FakeMachine()  # boards.pico2 imports the rp2 port's machine module
from boards import pico2, pico2_pins  # noqa: E402

del sys.modules["machine"]
from drivers import calibrate, touch  # noqa: E402
from panel import hw  # noqa: E402
from panel.board import LINK_DATA, LINK_GONE, LINK_IDLE, check_board  # noqa: E402
from ptest import fresh_dir, raises  # noqa: E402


def _board(incoming=b"", stop=None, room=None):
    machine = pico2.machine = FakeMachine()  # a fresh one per test: it records every pin and bus
    clock = FakeClock(1000)
    stdin = FakeStream(incoming)
    stdout = FakeStream(room=room)
    link = pico2.UsbLink(stdin, stdout, FakePoller(stdin), clock.ticks_ms, clock.ticks_diff, stop)
    storage = pico2.FlashStorage(fresh_dir("pico2") + "/data")
    board = pico2.Pico2Board(link, storage, clock)
    return board, machine, clock, stdin, stdout


def test_the_board_has_every_part_of_the_interface():
    board, machine, clock, stdin, stdout = _board()
    assert check_board(board) == []
    assert board.name == "pico2-st7796"
    assert board.device_id == "pico2-e66138972b1c052f"
    assert board.display.width == 480 and board.display.height == 320


def test_buses_and_pins_come_from_the_pin_map():
    board, machine, clock, stdin, stdout = _board()
    p = pico2_pins.PINS
    lcd = machine.spis[pico2_pins.LCD_SPI].config
    assert lcd == {"baudrate": 40000000, "polarity": 0, "phase": 0,
                   "sck": p["lcd_sck"], "mosi": p["lcd_mosi"], "miso": p["lcd_miso"]}
    tp = machine.spis[pico2_pins.TOUCH_SPI].config
    assert tp == {"baudrate": 1000000, "polarity": 0, "phase": 0,
                  "sck": p["touch_sck"], "mosi": p["touch_mosi"], "miso": p["touch_miso"]}
    assert machine.pins[p["touch_irq"]].pull == machine.Pin.PULL_UP
    for name in ("lcd_cs", "lcd_dc", "lcd_rst", "touch_cs"):
        assert machine.pins[p[name]].mode == machine.Pin.OUT and machine.pins[p[name]].level == 1
    assert p["lcd_bl"] in machine.pwms and machine.uarts[0].tx == p["log_tx"]
    assert sorted(machine.pins) == sorted(p.values())  # every pin built is in the map, and the reverse


def test_start_display_runs_the_init_sequence_then_lights_the_backlight():
    board, machine, clock, stdin, stdout = _board()
    assert machine.pwms[pico2_pins.PINS["lcd_bl"]].duty == 0  # dark until the screen holds a picture
    spi = machine.spis[pico2_pins.LCD_SPI]
    spi.limit = 200  # the init sequence and the clear's window; not the 300 KB of black pixels
    board.start_display()
    assert bytes(spi.data[:4]) == b"\x01\x11\xf0\xc3"  # SWRESET, SLPOUT, CSCON C3
    end = bytes(spi.data).find(b"\x2a\x00\x00\x01\xdf\x2b\x00\x00\x01\x3f\x2c")  # full-screen window
    assert end > 0 and spi.count == end + 11 + 480 * 320 * 2  # then one black pixel for every pixel
    assert machine.pwms[pico2_pins.PINS["lcd_bl"]].duty == 65535


def test_link_reads_only_the_bytes_waiting():
    board, machine, clock, stdin, stdout = _board(b"\x03abc\x00")
    link = board.link
    assert link.poll(20) == LINK_DATA
    buf = bytearray(256)
    assert link.readinto(buf) == 5  # FakeStream fails any read that would block
    assert bytes(buf[:5]) == b"\x03abc\x00"  # 0x03 is data, not Ctrl-C
    assert link.poll(20) == LINK_IDLE
    assert link.readinto(buf) == 0
    small = bytearray(2)
    stdin.incoming.extend(b"xyz")
    assert link.readinto(small) == 2 and link.readinto(small) == 1


def test_link_writes_everything_in_pieces_or_raises():
    board, machine, clock, stdin, stdout = _board(room=3)
    board.link.write(b"0123456789")
    assert stdout.out == b"0123456789"
    board2, _m, _c, _i, out2 = _board(room=0)
    raises(OSError, board2.link.write, b"frame")


def test_bootsel_held_stops_the_firmware_for_maintenance():
    pressed = [False]
    board, machine, clock, stdin, stdout = _board(stop=lambda: pressed[0])
    assert board.link.poll(0) == LINK_IDLE
    pressed[0] = True
    clock.t += pico2.STOP_CHECK_MS - 1
    assert board.link.poll(0) == LINK_IDLE  # looked at only every STOP_CHECK_MS
    clock.t += 1
    raises(pico2.Maintenance, board.link.poll, 0)


def test_storage_is_a_directory_of_its_own_and_reports_free_bytes():
    board, machine, clock, stdin, stdout = _board()
    assert board.storage.root.endswith("/data")
    assert board.storage.free_bytes() > 0
    again = pico2.FlashStorage(board.storage.root)  # the directory is kept at the next boot
    assert again.root == board.storage.root
    assert board.cal_path == board.storage.root + "/touch.json"


def test_the_filesystem_holding_the_data_is_found_by_the_longest_mount_point():
    class VfsLfs2:
        pass

    class VfsFat:
        pass

    mounts = [(VfsFat(), "/"), (VfsLfs2(), "/data")]
    assert pico2.filesystem_of("/data", mounts) == "VfsLfs2"
    assert pico2.filesystem_of("/data/journal", mounts) == "VfsLfs2"
    assert pico2.filesystem_of("/database", mounts) == "VfsFat"
    assert pico2.filesystem_of("/data", [(VfsLfs2(), "/")]) == "VfsLfs2"
    assert pico2.filesystem_of("/data", []) is None


def test_log_goes_to_the_uart_and_ram_never_to_the_link():
    board, machine, clock, stdin, stdout = _board()
    board.log("hello")
    assert machine.uarts[0].out.endswith(b"] hello\r\n")
    assert board.lines[-1].endswith("hello") and stdout.out == b""
    for i in range(100):
        board.log("line %d" % i)
    assert len(board.lines) == pico2.LOG_KEEP


def _replies(state):
    # The touch plate: pressed at raw (state["x"], state["y"]) while state["down"].
    def answer(tx):
        cmd = tx[0]
        if not state["down"]:
            v = 0 if cmd == 0xB0 else 4095 if cmd == 0xC0 else 0
        else:
            v = {0xD0: state["x"], 0x90: state["y"], 0xB0: 1000, 0xC0: 1500}[cmd]
        v <<= 3
        return bytes((0, (v >> 8) & 0xFF, v & 0xFF))

    return answer


def test_touch_through_the_board_is_one_press_per_tap():
    board, machine, clock, stdin, stdout = _board()
    state = {"down": False, "x": 2050, "y": 2050}
    machine.spis[pico2_pins.TOUCH_SPI].replies = _replies(state)
    machine.pins[pico2_pins.PINS["touch_irq"]].level = 0  # PENIRQ low: pressed
    presses = []
    state["down"] = True
    for _ in range(10):
        p = board.touch.poll()
        if p:
            presses.append(p)
        clock.t += 20
    assert len(presses) == 1
    assert presses[0] == touch.apply(touch.DEFAULT, 2050, 2050)


class FakeScreen:
    width = 480
    height = 320

    def __init__(self):
        self.rects = []

    def fill_rect(self, x, y, w, h, colour):
        assert 0 <= x and 0 <= y and x + w <= self.width and y + h <= self.height
        self.rects.append((x, y, w, h, colour))


class Operator:
    """Touches the white cross on the screen, landing at raw = inverse of a known transform."""

    def __init__(self, screen, clock, off=0):
        self.screen = screen
        self.clock = clock
        self.off = off  # how far off the check touch lands, in pixels
        self.touching = None
        self.reads = 0

    def raw(self):
        white = [r for r in self.screen.rects if r[4] == calibrate.WHITE]
        if not white:
            return None
        x, y, w, h, _c = white[-2]  # the horizontal bar of the last cross drawn
        cx, cy = x + w // 2, y + 1
        if self.screen.rects[-1][4] != calibrate.WHITE:  # the cross went green or black: lift
            return None
        if (cx, cy) == (240, 160):
            cx += self.off
        return (340 - cy) * 64 // 5, (cx + 25) * 8  # inverse of x = ry/8 - 25, y = -5*rx/64 + 340


def test_calibration_at_the_panel_recovers_the_transform():
    screen = FakeScreen()
    clock = FakeClock()
    k = calibrate.calibrate(screen, Operator(screen, clock), clock)
    assert k is not None
    assert touch.apply(k, (340 - 100) * 64 // 5, (300 + 25) * 8) == (300, 100)


class HeldAtPowerUp(Operator):
    """The finger that asked for calibration is still down for the first polls, at the screen's corner."""

    def __init__(self, screen, clock):
        Operator.__init__(self, screen, clock)
        self.held = 6

    def raw(self):
        if self.held:
            self.held -= 1
            return (4000, 100)
        return Operator.raw(self)


def test_calibration_waits_for_the_power_up_finger_to_lift():
    screen = FakeScreen()
    clock = FakeClock()
    k = calibrate.calibrate(screen, HeldAtPowerUp(screen, clock), clock)
    assert k is not None
    assert len([r for r in screen.rects if r[4] == calibrate.GREEN]) == 2 * 4  # one attempt: 3 targets + check
    assert touch.apply(k, (340 - 100) * 64 // 5, (300 + 25) * 8) == (300, 100)


def test_a_plate_that_never_lifts_ends_the_calibration_within_the_lift_time():
    screen = FakeScreen()
    clock = FakeClock()

    class Stuck:
        def raw(self):
            return (2000, 2000)

    assert calibrate.calibrate(screen, Stuck(), clock) is None
    assert clock.t <= calibrate.LIFT_MS + 2 * calibrate.POLL_MS


def test_calibration_at_power_up_needs_a_press_held_for_a_second():
    class Chip:
        def __init__(self, pressed_for):
            self.pressed_for = pressed_for
            self.clock = FakeClock()

        def touched(self):
            return self.clock.t < self.pressed_for

    chip = Chip(10000)
    assert pico2.held(chip, chip.clock) is True
    chip = Chip(600)  # a bump, or a press let go too soon
    assert pico2.held(chip, chip.clock) is False
    chip = Chip(0)
    assert pico2.held(chip, chip.clock) is False and chip.clock.slept == []


def test_calibration_with_a_bad_check_touch_gives_up_after_its_attempts():
    screen = FakeScreen()
    clock = FakeClock()
    assert calibrate.calibrate(screen, Operator(screen, clock, off=40), clock) is None
    assert len([r for r in screen.rects if r[4] == calibrate.GREEN]) == 2 * 4 * calibrate.ATTEMPTS


def test_calibration_gives_up_when_nobody_touches():
    screen = FakeScreen()
    clock = FakeClock()

    class Nobody:
        def raw(self):
            return None

    assert calibrate.calibrate(screen, Nobody(), clock, timeout_ms=500) is None


def test_minimum_touch_target_matches_the_pixel_pitch():
    assert hw.MIN_TARGET_PX == hw.mm_to_px(hw.MIN_TARGET_MM) == 72
    assert hw.MIN_TARGET_PX * hw.PIXEL_PITCH_UM >= hw.MIN_TARGET_MM * 1000
    assert (hw.MIN_TARGET_PX - 1) * hw.PIXEL_PITCH_UM < hw.MIN_TARGET_MM * 1000
    assert 480 * hw.PIXEL_PITCH_UM == 73440 and 320 * hw.PIXEL_PITCH_UM == 48960  # the active area, um


# -- the USB CDC link with DTR: a session ends when its host goes (issue 11) ---------------------------------


def _cdc_link(incoming=b"", room=None, stop=None):
    from fakehw import FakeCDC

    cdc = FakeCDC(incoming, room)
    clock = FakeClock(1000)
    link = pico2.CdcLink(cdc, FakePoller(cdc), clock.ticks_ms, clock.ticks_diff, stop)
    return link, cdc, clock


def test_cdc_link_reads_what_is_waiting_and_writes_everything():
    link, cdc, clock = _cdc_link(b"\x03abc\x00")
    assert link.poll(20) == LINK_DATA
    buf = bytearray(256)
    assert link.readinto(buf) == 5 and bytes(buf[:5]) == b"\x03abc\x00"
    assert link.poll(20) == LINK_IDLE and link.readinto(buf) == 0
    link.write(b"0123456789")
    assert cdc.out == b"0123456789"


def test_cdc_link_reports_the_host_closing_the_port_once():
    # Found (issue 11): on the Pico 2 the link reported no hang-up, so an authenticated session never
    # ended and the next host to open the port was answered list_cases, pull, ack and unpair.
    link, cdc, clock = _cdc_link()
    assert link.poll(0) == LINK_IDLE
    cdc.host_closes()  # DTR drops
    assert link.poll(0) == LINK_GONE
    assert link.poll(0) == LINK_IDLE  # once per drop: a host that never raises DTR still gets answers
    cdc.host_opens()
    cdc.incoming.extend(b"\x00hello")
    assert link.poll(0) == LINK_DATA


def test_a_close_and_reopen_between_two_polls_is_still_a_hang_up_and_its_leftovers_are_dropped():
    link, cdc, clock = _cdc_link()
    cdc.incoming.extend(b"the last request of the host that left")
    cdc.host_closes()
    cdc.host_opens()  # another host, within one turn of the loop
    assert cdc.dtr and link.poll(0) == LINK_GONE
    assert cdc.incoming == b""  # never answered to the next host
    assert link.poll(0) == LINK_IDLE


def test_the_cable_pulled_is_a_hang_up():
    link, cdc, clock = _cdc_link()
    cdc.unplug()
    assert link.poll(0) == LINK_GONE
    assert link.poll(0) == LINK_IDLE  # still unplugged: reported once


def test_cdc_link_write_fails_only_when_the_host_stops_reading():
    link, cdc, clock = _cdc_link(room=3)
    link.write(b"0123456789")  # a little at a time
    assert cdc.out == b"0123456789"
    stuck, cdc2, clock2 = _cdc_link(room=0)

    def later():  # every write call finds no room while time passes
        clock2.t += 100
        return 0

    cdc2.write = lambda data: later()
    raises(OSError, stuck.write, b"frame")
    assert clock2.t - 1000 >= pico2.WRITE_STALL_MS


def test_cdc_link_turns_bootsel_into_maintenance():
    pressed = [True]
    link, cdc, clock = _cdc_link(stop=lambda: pressed[0])
    clock.t += pico2.STOP_CHECK_MS
    raises(pico2.Maintenance, link.poll, 0)


def test_the_panel_takes_the_usb_port_from_the_repl_and_gives_it_back():
    from fakehw import FakeUsbDevice, fake_usb_modules

    device = FakeUsbDevice()
    mods = fake_usb_modules(device)
    for name in mods:
        sys.modules[name] = mods[name]
    try:
        cdc = pico2.usb_cdc()
        assert cdc.config == {"timeout": 0, "txbuf": 512, "rxbuf": 256}
        assert device.inits == [((cdc,), {"builtin_driver": False})]  # the REPL's port makes way
        pico2.restore_repl()
        assert device.inits[-1] == ((), {"builtin_driver": True})
    finally:
        for name in mods:
            del sys.modules[name]


def test_a_panel_session_ends_when_the_host_closes_the_port():
    # The whole chain on the board file: DTR drops -> CdcLink says LINK_GONE -> the panel ends the session.
    from bedlink import framing, messages
    from test_panel_vectors import given_panel

    link, cdc, clock = _cdc_link()
    board, machine, _c, _i, _o = _board()
    board.link = link
    board.clock = clock
    board.device_id = "pico2-test"
    board.touch.poll = lambda: None
    panel, host, _case = given_panel({"session": "none"}, board)
    assert not panel.responder.sealed
    cdc.incoming.extend(framing.encode_frame(messages.encode("hello", 1, {"vmin": 1, "vmax": 3, "max_frame": 1024})))
    panel.step(0)
    assert panel.responder.version == 3 and cdc.out
    cdc.host_closes()
    panel.step(0)
    assert panel.responder.version == 0 and "host gone" in board.lines[-1]
