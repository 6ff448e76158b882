# panel/journal/anchors.py — time anchors on flash: which wall time a boot's tick count was.
#
# Boards have no battery clock: when a host sets the time the panel journals an anchor
# {"boot", "ticks", "wall"} to <root>/anchors.j (records in the journal format), and every
# event of that boot gets a wall time on the host. Bounded on flash and in RAM:
#   - a boot keeps at most ANCHORS_PER_BOOT anchors, its first and its latest;
#   - at boot, prune() keeps only the anchors of boots that may still hold unsynced events
#     (boots from the oldest unsynced case's creation boot on) and this boot's; then at most
#     MAX_ANCHORS records (the oldest go first), so the file never exceeds MAX_FILE bytes;
#   - RAM holds this boot's anchors only (at most two tuples); anything else is read from the
#     file a record at a time through the journal's one chunk buffer.
# Accepted wall times: from the firmware's build date (panel.version.BUILT_WALL_MS) to
# WALL_MAX (2100-01-01), and never more than BACKWARD_SLACK_MS earlier than the time this
# boot already has: an anchor never moves the panel's clock backwards silently.
# Plain Python: open and os; a power cut leaves the file as it was before or after a write.

import os

from panel.journal import files
from panel.journal.format import CLEAN, JournalError, JournalWriteError, JournalCorrupt, event_at
from panel.journal.format import next_record, record, walk
from panel.version import BUILT_WALL_MS

ANCHORS_PER_BOOT = 2  # the first and the latest: enough to place every event, bounded however often time is set
MAX_ANCHORS = 128  # records kept at most; a record is at most 43 bytes
MAX_FILE = (MAX_ANCHORS + ANCHORS_PER_BOOT) * 43  # 5,590 bytes: the largest anchors.j (pruned at boot, then this boot's)
WALL_MAX = 4102444800000  # 2100-01-01T00:00:00Z: a later wall time is a broken clock, not a date
BACKWARD_SLACK_MS = 2000  # a host's clock may be this much behind the time already set in this boot


class AnchorRefused(JournalError):
    """A wall time the panel will not take (before its build date, beyond 2100, or backwards); nothing written."""


class _Stop(Exception):
    pass


def _anchor(data, at, total):
    """(boot, ticks, wall) of a record, or None when the record holds no anchor."""
    try:
        a = event_at(data, at, total)
        boot, ticks, wall = a["boot"], a["ticks"], a["wall"]
    except (JournalCorrupt, KeyError, TypeError):
        return None
    if type(boot) is not int or type(ticks) is not int or type(wall) is not int:
        return None
    return (boot, ticks, wall)


def as_record(boot, ticks, wall):
    return record({"boot": boot, "ticks": ticks, "wall": wall})


class Anchors:
    """The anchors file of one journal; `buf` is the journal's chunk buffer (reads go through it)."""

    def __init__(self, path, ticks_period, buf):
        self.path = path
        self.period = ticks_period
        self.buf = buf
        self.boot = None  # this boot's id, once start() has run
        self.mine = []  # this boot's anchors, (ticks, wall), oldest first
        self.count = 0  # records in the file
        self.max_boot = 0  # the highest boot id in the file (next_boot never reuses one)

    # -- reading ------------------------------------------------------------------

    def _visit(self, fn):
        """fn(anchor, data, at, total) for every good anchor record in file order; True if damage was skipped.

        fn may raise _Stop to end the visit early.
        """
        size = files.size_of(self.path)
        if size <= 0:
            return False

        def tally(off, data, at, total):
            a = _anchor(data, at, total)
            if a is not None:
                fn(a, data, at, total)

        f = open(self.path, "rb")
        try:
            pos, how = walk(f, 0, size, tally, self.buf)
            skipped = pos < size
            while how != CLEAN:
                pos = next_record(f, pos, size, self.buf)
                if pos < 0:
                    break
                pos, how = walk(f, pos, size, tally, self.buf)
        except _Stop:
            return False
        finally:
            f.close()
        return skipped

    def scan(self):
        """At boot: count the anchors, learn the highest boot id, rewrite the file without damage."""
        state = [0, 0]

        def count(a, data, at, total):
            state[0] += 1
            if a[0] > state[1]:
                state[1] = a[0]

        skipped = self._visit(count)
        self.count, self.max_boot = state
        if skipped:
            self._rewrite(lambda a: True)

    def start(self, boot):
        """This boot's id: it has no anchor yet (boot ids are never reused)."""
        self.boot = boot
        self.mine = []

    def all(self):
        """[(boot, ticks, wall_ms), ...] in the order they were journalled (tests and small files)."""
        out = []
        self._visit(lambda a, d, at, t: out.append(a))
        return out

    def page(self, start, n):
        """Up to n anchors from index start, as [boot, ticks, wall] rows, and the index after them (0: no more)."""
        rows = []
        seen = [0]

        def take(a, data, at, total):
            i = seen[0]
            seen[0] += 1
            if i < start:
                return
            if len(rows) == n:
                raise _Stop()
            rows.append([a[0], a[1], a[2]])

        self._visit(take)
        return rows, (start + n if seen[0] > start + n else 0)

    def wall_time(self, boot, ticks):
        """Wall ms of ticks in boot `boot`, from the anchor of that boot nearest in ticks; None if unanchored.

        Distances are ticks_diff-style: signed, modulo the ticks period, so a wrap between
        anchor and event is harmless while they are less than half a period apart.
        """
        half = self.period // 2
        best = [None, None]

        def near(b, t, w):
            if b == boot:
                d = (ticks - t + half) % self.period - half
                if best[0] is None or abs(d) < abs(best[1]):
                    best[0] = w
                    best[1] = d

        if boot == self.boot:
            for t, w in self.mine:
                near(boot, t, w)
        else:
            self._visit(lambda a, data, at, total: near(a[0], a[1], a[2]))
        return None if best[0] is None else best[0] + best[1]

    # -- writing ------------------------------------------------------------------

    def check(self, ticks, wall):
        """Raise AnchorRefused unless wall (ms since 1970) is a time this panel will take now."""
        if wall < BUILT_WALL_MS or wall >= WALL_MAX:
            raise AnchorRefused("wall_ms %d is outside %d..%d (the firmware's build date to 2100): check the "
                                "workstation's clock" % (wall, BUILT_WALL_MS, WALL_MAX - 1))
        if self.mine:
            now = self.wall_time(self.boot, ticks)
            if now is not None and wall < now - BACKWARD_SLACK_MS:
                raise AnchorRefused("wall_ms %d is %d ms earlier than the time already set in this boot (%d): "
                                    "check the workstation's clock" % (wall, now - wall, now))

    def add(self, ticks, wall):
        """Journal that ticks_ms() == ticks in this boot was wall ms; a boot keeps its first and latest."""
        self.check(ticks, wall)
        new = (ticks, wall)
        try:
            if len(self.mine) < ANCHORS_PER_BOOT:
                files.write(self.path, as_record(self.boot, ticks, wall))
                self.count += 1
                mine = self.mine + [new]
            else:  # the newest replaces the latest (the file rewritten whole)
                old = self.mine[-1]
                boot = self.boot
                self._rewrite(lambda a: not (a[0] == boot and a[1] == old[0] and a[2] == old[1]), [new])
                mine = self.mine[:-1] + [new]
        except OSError as e:
            raise JournalWriteError("time anchor is not recorded: %s" % (e,))
        self.mine = mine
        boot = self.boot
        if boot is not None and boot > self.max_boot:
            self.max_boot = boot

    def prune(self, floor):
        """Keep the anchors of boots >= floor and of this boot, at most MAX_ANCHORS (the oldest go first).

        floor None keeps every boot (a case whose creation boot is unknown may need any).
        Returns how many records were dropped; the file is rewritten only when some are.
        """
        boot = self.boot
        keep = [0]

        def wanted(a):
            return floor is None or a[0] >= floor or a[0] == boot

        def count(a, data, at, total):
            if wanted(a):
                keep[0] += 1

        self._visit(count)
        over = keep[0] - MAX_ANCHORS
        if keep[0] == self.count and over <= 0:
            return 0
        skip = [over if over > 0 else 0]

        def kept(a):
            if not wanted(a):
                return False
            if skip[0]:
                skip[0] -= 1
                return False
            return True

        before = self.count
        try:
            self._rewrite(kept)
        except OSError:
            return 0  # the old file stands; the next boot tries again
        return before - self.count

    def _rewrite(self, keep, extra=()):
        """Replace the file (temp + rename) by its good records that keep(anchor) accepts, then `extra`."""
        tmp = self.path + ".tmp"
        out = open(tmp, "wb")
        n = [0]
        try:
            def copy(a, data, at, total):
                if keep(a):
                    out.write(memoryview(data)[at : at + total])
                    n[0] += 1

            self._visit(copy)
            for ticks, wall in extra:
                out.write(as_record(self.boot, ticks, wall))
                n[0] += 1
        finally:
            out.close()
        os.rename(tmp, self.path)
        self.count = n[0]

