# panel/uptime.py — milliseconds since boot that never wrap, from a board clock whose ticks do.
#
# Boards' ticks_ms wraps (every 2**30 ms, 12.4 days, on most ports); pairing
# backoff and timers need a counter that only grows. Call now() often (the main
# loop does, every few ms): each call adds ticks_diff since the last one.


class Uptime:
    def __init__(self, clock):
        self.clock = clock
        self.last = clock.ticks_ms()
        self.ms = 0

    def now(self):
        """Milliseconds since this object was made; never decreases."""
        t = self.clock.ticks_ms()
        d = self.clock.ticks_diff(t, self.last)
        if d > 0:
            self.ms += d
        self.last = t
        return self.ms
