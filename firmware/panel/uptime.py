# panel/uptime.py — milliseconds since boot that never wrap, from a board clock whose ticks do; clock().
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


def clock(ms):
    """A duration as a clock reads it: h:mm:ss, or m:ss under an hour."""
    s = ms // 1000
    if s >= 3600:
        return "%d:%02d:%02d" % (s // 3600, (s // 60) % 60, s % 60)
    return "%d:%02d" % (s // 60, s % 60)
