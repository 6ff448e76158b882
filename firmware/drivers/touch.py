# drivers/touch.py — from raw touch samples to one press per tap, in display pixels.
#
# Shared by every resistive touch chip: a raw source gives raw() -> (rx, ry) or None; this maps it
# to pixels with an affine calibration (integers scaled by 2**16: exact and the same on every
# runtime, and no floats on a board whose floats are single precision) and debounces it: a press is
# reported once, after PRESS_READS consecutive pressed readings, and the next press only after the
# plate has been released for RELEASE_MS. A finger that slides or trembles is still one tap.
#
# Calibration: three targets touched on the screen give raw points; solve() finds the transform
#   x = (k0*rx + k1*ry + k2) / 2**16,   y = (k3*rx + k4*ry + k5) / 2**16
# which also absorbs swapped or mirrored axes. It is kept in a small JSON file on flash.

import json
import os

SCALE = 65536  # calibration coefficients are fixed point with 16 fraction bits
PRESS_READS = 2  # consecutive pressed readings before a press counts (a bump or noise is one reading)
RELEASE_MS = 80  # released this long before the next press can count (contact bounce on lift-off)

# Uncalibrated default for the reference module in landscape: raw 12-bit readings span about
# 200..3900 on both plates, raw X grows along the screen's width and raw Y against its height.
# Every panel differs: run the calibration once per panel (hardware/README.md).
DEFAULT = (
    480 * SCALE // 3700, 0, -200 * 480 * SCALE // 3700,
    0, -320 * SCALE // 3700, 3900 * 320 * SCALE // 3700,
)


def _rdiv(n, d):
    # n / d rounded to the nearest integer, for any signs (integers of any size).
    if d < 0:
        n, d = -n, -d
    return (2 * n + d) // (2 * d)


def solve(raw, screen):
    """The calibration (6 ints) mapping three raw points [(rx, ry)] onto three screen points [(x, y)].

    Raises ValueError when the raw points are (nearly) on one line: touches that did not land on
    three distinct targets.
    """
    (r0, s0), (r1, s1), (r2, s2) = raw
    det = r0 * (s1 - s2) - s0 * (r1 - r2) + (r1 * s2 - r2 * s1)
    spread = max(abs(r0 - r1), abs(r1 - r2), abs(r0 - r2), abs(s0 - s1), abs(s1 - s2), abs(s0 - s2))
    if spread == 0 or abs(det) * 8 < spread * spread:
        raise ValueError("calibration touches lie on a line: touch each target once, in turn")
    k = []
    for axis in (0, 1):
        p0, p1, p2 = screen[0][axis], screen[1][axis], screen[2][axis]
        a = p0 * (s1 - s2) - s0 * (p1 - p2) + (p1 * s2 - p2 * s1)
        b = r0 * (p1 - p2) - p0 * (r1 - r2) + (r1 * p2 - r2 * p1)
        c = r0 * (s1 * p2 - s2 * p1) - s0 * (r1 * p2 - r2 * p1) + p0 * (r1 * s2 - r2 * s1)
        k.append(_rdiv(a * SCALE, det))
        k.append(_rdiv(b * SCALE, det))
        k.append(_rdiv(c * SCALE, det))
    return tuple(k)


def apply(k, rx, ry):
    """Screen (x, y) of raw (rx, ry) under calibration k (not clamped)."""
    half = SCALE // 2
    return (k[0] * rx + k[1] * ry + k[2] + half) // SCALE, (k[3] * rx + k[4] * ry + k[5] + half) // SCALE


def load(path, default=DEFAULT):
    """(calibration, None) from `path`, or (default, reason) when it is missing or unreadable."""
    try:
        with open(path) as f:
            data = json.load(f)
    except OSError:
        return default, "no calibration file"
    except ValueError:
        return default, "calibration file is not JSON"
    k = data.get("k") if type(data) is dict else None
    if type(k) is not list or len(k) != 6 or any(type(v) is not int for v in k):
        return default, "calibration file has no six integer coefficients"
    return tuple(k), None


def save(path, k):
    """Write calibration k to `path` (a temporary file renamed over it: never half written)."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(json.dumps({"v": 1, "scale": SCALE, "k": list(k)}))
    os.rename(tmp, path)


class Touch:
    """board.touch: poll() -> (x, y) of a new press in display pixels, or None.

    source: raw() -> (rx, ry) or None; ticks_ms/ticks_diff: the board's clock.
    """

    def __init__(self, source, width, height, ticks_ms, ticks_diff, calibration=DEFAULT):
        self.source = source
        self.width = width
        self.height = height
        self.ticks_ms = ticks_ms
        self.ticks_diff = ticks_diff
        self.k = calibration
        self.reads = 0  # consecutive pressed readings while waiting for a press
        self.down = False  # a press was reported and the plate has not been released since
        self.last_down = 0  # when the plate was last seen pressed

    def poll(self):
        raw = self.source.raw()
        now = self.ticks_ms()
        if raw is not None:
            self.last_down = now
            if self.down:
                return None
            self.reads += 1
            if self.reads < PRESS_READS:
                return None
            self.down = True
            self.reads = 0
            return self.to_screen(raw[0], raw[1])
        self.reads = 0
        if self.down and self.ticks_diff(now, self.last_down) >= RELEASE_MS:
            self.down = False
        return None

    def to_screen(self, rx, ry):
        """Pixel position of a raw reading, clamped to the screen (an edge touch stays on it)."""
        x, y = apply(self.k, rx, ry)
        x = 0 if x < 0 else self.width - 1 if x >= self.width else x
        y = 0 if y < 0 else self.height - 1 if y >= self.height else y
        return x, y
