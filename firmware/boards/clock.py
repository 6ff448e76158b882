# boards/clock.py — the board clock from MicroPython's time module: ms ticks that wrap, sleep.
# Every board so far uses it as it is (the simulator on the unix port, the Pico 2).

import time


class Clock:
    def ticks_ms(self):
        return time.ticks_ms()

    def ticks_diff(self, a, b):
        return time.ticks_diff(a, b)

    def sleep_ms(self, ms):
        time.sleep_ms(ms)
