# drivers/calibrate.py — touch calibration at the panel: three crosses to touch, then a check.
#
# Waits for the plate to be released (a finger held at power-up asks for calibration), then draws
# each target as a cross with display.fill_rect (no framebuf, no font: it runs before the
# UI exists), takes the median raw reading of a steady press on it, waits for the finger to lift,
# solves the transform (drivers/touch.py) and asks for a fourth touch at the centre to check it.
# A check off by more than MAX_ERROR_PX starts again; a target left untouched for timeout_ms
# gives up and returns None, so a panel with a broken touch plate still starts (with the old
# or default calibration).

from drivers import touch
from drivers.xpt2046 import median

BLACK = 0x0000
WHITE = 0xFFFF
GREEN = 0x07E0
ARM = 20  # half the length of a cross's arms, pixels
STEADY = 5  # pressed readings taken for one target (their median is the touch)
MAX_ERROR_PX = 13  # 2 mm on the reference panel: a check touch further off than this fails
ATTEMPTS = 3
POLL_MS = 10
LIFT_MS = 5000  # a plate still pressed this long after the start is not a finger: give up


def targets(width, height):
    """Three calibration targets (10 %/10 %, 90 %/50 %, 50 %/90 %) and the check point (centre)."""
    return (
        ((width // 10, height // 10), (width * 9 // 10, height // 2), (width // 2, height * 9 // 10)),
        (width // 2, height // 2),
    )


def _cross(display, x, y, colour):
    display.fill_rect(max(0, x - ARM), y - 1, min(display.width, x + ARM + 1) - max(0, x - ARM), 3, colour)
    display.fill_rect(x - 1, max(0, y - ARM), 3, min(display.height, y + ARM + 1) - max(0, y - ARM), colour)


def _touch_at(display, source, clock, x, y, timeout_ms):
    # Show a cross at x, y; return the median raw reading of a steady press there, or None on timeout.
    _cross(display, x, y, WHITE)
    xs = []
    ys = []
    start = clock.ticks_ms()
    while len(xs) < STEADY:
        if clock.ticks_diff(clock.ticks_ms(), start) > timeout_ms:
            _cross(display, x, y, BLACK)
            return None
        raw = source.raw()
        if raw is None:
            del xs[:]  # a press must be steady: readings from before a lift do not count
            del ys[:]
        else:
            xs.append(raw[0])
            ys.append(raw[1])
        clock.sleep_ms(POLL_MS)
    _cross(display, x, y, GREEN)
    while source.raw() is not None:  # wait for the finger to lift
        clock.sleep_ms(POLL_MS)
    clock.sleep_ms(100)
    _cross(display, x, y, BLACK)
    return median(xs), median(ys)


def calibrate(display, source, clock, log=None, timeout_ms=30000):
    """Run the calibration; return the new coefficients (6 ints), or None if it gave up."""
    points, check = targets(display.width, display.height)
    display.fill_rect(0, 0, display.width, display.height, BLACK)
    start = clock.ticks_ms()
    while source.raw() is not None:  # the finger that asked for calibration at power-up lifts first
        if clock.ticks_diff(clock.ticks_ms(), start) > min(timeout_ms, LIFT_MS):
            return None
        clock.sleep_ms(POLL_MS)
    for attempt in range(ATTEMPTS):
        raw = []
        for x, y in points:
            r = _touch_at(display, source, clock, x, y, timeout_ms)
            if r is None:
                return None
            raw.append(r)
        try:
            k = touch.solve(raw, points)
        except ValueError as e:
            if log:
                log("calibration: %s" % e)
            continue
        r = _touch_at(display, source, clock, check[0], check[1], timeout_ms)
        if r is None:
            return None
        x, y = touch.apply(k, r[0], r[1])
        error = max(abs(x - check[0]), abs(y - check[1]))
        if log:
            log("calibration attempt %d: check touch %d px off" % (attempt + 1, error))
        if error <= MAX_ERROR_PX:
            return k
    return None
