# tests/portable/test_touch_driver.py — the XPT2046 touch driver and the touch logic, on a fake bus.
#
# Covers firmware/drivers/xpt2046.py and touch.py: the control bytes (X D0, Y 90, Z1 B0, Z2 C0:
# start bit, channel, 12-bit mode, differential, power-down between conversions, from the XPT2046
# datasheet's control-byte table), decoding of the 12-bit result, the pressure threshold, the median
# of samples, a lift-off mid-reading dropped, calibration solved from three touches (an affine map
# chosen here, recovered exactly), saved and loaded, and one press per tap (debounce).
# Runs on CPython (pytest) and MicroPython (tests/test_micropython.py).
# Run alone: .venv/bin/pytest tests/portable/test_touch_driver.py

from fakehw import FakeClock, FakePin, FakeSPI

from drivers import touch, xpt2046
from drivers.touch import Touch
from drivers.xpt2046 import XPT2046
from ptest import fresh_dir, raises


def _reply(value):
    # The two bytes after the control byte: a busy bit, 12 result bits, 3 zero bits.
    v = value << 3
    return bytes((0, (v >> 8) & 0xFF, v & 0xFF))


class Plate:
    """A resistive plate: answers each control byte with a scripted reading."""

    def __init__(self, x=0, y=0, z1=0, z2=4095):
        self.x, self.y, self.z1, self.z2 = x, y, z1, z2
        self.xs = None  # optional list of successive X readings

    def __call__(self, tx):
        cmd = tx[0]
        if cmd == 0xD0:
            return _reply(self.xs.pop(0) if self.xs else self.x)
        if cmd == 0x90:
            return _reply(self.y)
        if cmd == 0xB0:
            return _reply(self.z1)
        if cmd == 0xC0:
            return _reply(self.z2)
        raise AssertionError("unexpected control byte %02x" % cmd)


def _chip(plate, irq=None, **kw):
    log = []
    cs = FakePin("cs", log)
    spi = FakeSPI(cs, None, plate)
    return XPT2046(spi, cs, irq, **kw), spi


def test_decode_takes_the_12_bits_after_the_busy_bit():
    assert xpt2046.decode(0x7F, 0xF8) == 4095
    assert xpt2046.decode(0x00, 0x08) == 1
    assert xpt2046.decode(0x40, 0x00) == 2048
    assert xpt2046.decode(0xFF, 0xFF) == 4095  # a stray busy bit and the 3 trailing bits are masked


def test_control_bytes_and_one_transaction_per_conversion():
    chip, spi = _chip(Plate(x=1000, y=2000, z1=600, z2=3000), samples=3)
    assert chip.raw() == (1000, 2000)
    cmds = [t[0] for t in spi.transfers]
    assert cmds == [0xB0, 0xC0, 0xD0, 0x90, 0xD0, 0x90, 0xD0, 0x90, 0xB0, 0xC0]
    assert all(len(t) == 3 and t[1:] == b"\x00\x00" for t in spi.transfers)
    assert spi.stray == []


def test_pressure_threshold():
    chip, spi = _chip(Plate(x=1000, y=2000, z1=100, z2=3900))  # 100 + 4095 - 3900 = 295
    assert chip.pressure() == 295
    assert chip.raw() is None
    chip.threshold = 290
    assert chip.raw() == (1000, 2000)


def test_penirq_high_means_no_touch_without_a_conversion():
    irq = FakePin("irq", [], level=1)
    chip, spi = _chip(Plate(x=1000, y=2000, z1=900, z2=1000), irq)
    assert chip.raw() is None and spi.transfers == []
    irq.level = 0
    assert chip.raw() == (1000, 2000)


def test_median_of_samples_rejects_outliers():
    plate = Plate(x=0, y=2000, z1=900, z2=1000)
    plate.xs = [1500, 4095, 1510, 0, 1490]  # two wild readings among five
    chip, spi = _chip(plate)
    assert chip.raw() == (1500, 2000)
    assert xpt2046.median([5, 1, 4, 2, 3]) == 3


class LiftOff(Plate):
    def __init__(self):
        Plate.__init__(self, x=1000, y=2000, z1=900, z2=1000)
        self.zreads = 0

    def __call__(self, tx):
        if tx[0] == 0xB0:
            self.zreads += 1
            if self.zreads > 1:
                self.z1, self.z2 = 0, 4095  # the finger has gone by the second pressure check
        return Plate.__call__(self, tx)


def test_a_finger_lifting_during_the_samples_gives_no_reading():
    chip, spi = _chip(LiftOff())
    assert chip.raw() is None


# An affine map raw -> screen with swapped axes (raw X runs along the screen's height), as on a
# module mounted turned: x = ry/8 - 25, y = -5*rx/64 + 340 (exact in 16 fraction bits). The raw
# touches are chosen so that the targets they land on are whole pixels.
RAW = [(3520, 584), (1600, 3656), (640, 2120)]
TARGETS = [(48, 65), (432, 215), (240, 290)]


def test_calibration_recovers_a_known_transform_exactly():
    k = touch.solve(RAW, TARGETS)
    assert k == (0, 8192, -25 * 65536, -5120, 0, 340 * 65536)
    for (rx, ry), (x, y) in zip(RAW, TARGETS):
        assert touch.apply(k, rx, ry) == (x, y)
    assert touch.apply(k, 2048, 1000) == (100, 180)


def test_calibration_from_imprecise_touches_stays_within_a_pixel_or_two():
    noisy = [(rx + 9, ry - 7) for rx, ry in RAW]  # touches a raw step or so off each target
    k = touch.solve(noisy, TARGETS)
    for (rx, ry), (x, y) in zip(noisy, TARGETS):
        px, py = touch.apply(k, rx, ry)
        assert abs(px - x) <= 1 and abs(py - y) <= 1


def test_calibration_refuses_touches_on_a_line():
    raises(ValueError, touch.solve, [(100, 100), (2000, 2000), (4000, 4000)], TARGETS)
    raises(ValueError, touch.solve, [(100, 100), (100, 100), (100, 100)], TARGETS)


def test_calibration_file_round_trip_and_defaults():
    d = fresh_dir("touchcal")
    path = d + "/touch.json"
    assert touch.load(path) == (touch.DEFAULT, "no calibration file")
    k = (1, -2, 3, -4, 5, 6)
    touch.save(path, k)
    assert touch.load(path) == (k, None)
    with open(path, "w") as f:
        f.write("{not json")
    assert touch.load(path)[1] == "calibration file is not JSON"
    with open(path, "w") as f:
        f.write('{"k": [1, 2, 3]}')
    assert touch.load(path) == (touch.DEFAULT, "calibration file has no six integer coefficients")


def test_default_calibration_maps_the_raw_span_onto_the_screen():
    assert touch.apply(touch.DEFAULT, 200, 3900) == (0, 0)
    assert touch.apply(touch.DEFAULT, 3900, 200) == (480, 320)


class Finger:
    """raw() source scripted per poll: a list of readings (None = not pressed)."""

    def __init__(self, readings):
        self.readings = list(readings)

    def raw(self):
        return self.readings.pop(0) if self.readings else None


def _poll_all(readings, step_ms=20):
    clock = FakeClock()
    t = Touch(Finger(readings), 480, 320, clock.ticks_ms, clock.ticks_diff,
              (65536, 0, 0, 0, 65536, 0))  # identity: raw = pixels
    out = []
    for _ in range(len(readings) + 3):
        p = t.poll()
        if p is not None:
            out.append(p)
        clock.t += step_ms
    return out


def test_one_press_per_tap_even_when_the_finger_slides_or_bounces():
    down = [(100, 50), (101, 50), (140, 60), (180, 70)]
    # a tap held for 4 polls and sliding; a 20 ms bounce (released for one poll) inside it
    assert _poll_all(down + [None] + down + [None, None, None, None, None]) == [(101, 50)]


def test_two_taps_separated_by_a_release_are_two_presses():
    tap = [(100, 50), (100, 50), (100, 50)]
    assert _poll_all(tap + [None] * 5 + [(300, 200), (300, 200)]) == [(100, 50), (300, 200)]


def test_a_single_noisy_reading_is_not_a_press():
    assert _poll_all([None, (100, 50), None, None, (200, 100), None]) == []


def test_presses_just_outside_the_screen_are_clamped_onto_it():
    assert _poll_all([(-5, 400), (-5, 400)]) == [(0, 319)]
