# panel/uptime.py — milliseconds since boot that never wrap, from a board clock whose ticks do; clock(); a wall time
# in words (started_text).
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


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month(days):
    """(day, month 1..12) of the day `days` after 1970-01-01 (proleptic Gregorian; the civil-from-days algorithm)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    return doy - (153 * mp + 2) // 5 + 1, mp + 3 if mp < 10 else mp - 9


def started_text(wall):
    """ "6 Dec 09:14 UTC" for wall ms, "clock not set" for None."""
    if wall is None:
        return "clock not set"
    day, month = day_month(wall // 86400000)
    m = (wall // 60000) % 1440
    return "%d %s %02d:%02d UTC" % (day, MONTHS[month - 1], m // 60, m % 60)
