# panel/journal — the case journal on flash: an event counts as recorded only once it is here.
#
# The format is firmware/JOURNAL.md (a contract, its bytes locked by tests/journal_vectors).
# One append-only file of records per case, <root>/<case>.j (panel/journal/format.py,
# written by panel/journal/log.py); per case a small <case>.a file replaced whole (its
# acknowledgement, creation number and boot, and a summary: panel/journal/summary.py); the
# boot counter; the time anchors (panel/journal/anchors.py). Nothing is deleted but by
# reclaim(), and only closed cases whose every event the host has acknowledged.
# RAM (128 KB heap for everything, however full the flash): nothing per case on flash and
# nothing per event. The journal holds the summaries of at most CACHE cases in use (the case
# on screen, one being synced), a 256-byte index for at most INDEXED of them, one chunk
# buffer, this boot's anchors and a few ints; listings read the .a files a page at a time.
# The boot scan verifies every record of every case (its CRC), cuts torn tails, refreshes the
# summaries, and never holds more than PENDING names of files to repair; later listings trust
# a summary for as many bytes as it covers and read only what was appended after it.
# Safe mode (safe=True): the scan repairs and deletes nothing and reclaim never runs; new
# events, acknowledgements and anchors are still written.
# Plain Python on CPython and MicroPython: open, os, binascii; no machine.

import os

from bedlink.mpack import pack, unpack
from bedlink.errors import ProtocolError
from panel import atomic
from panel.journal import files
from panel.journal.anchors import ANCHORS_PER_BOOT, MAX_ANCHORS, AnchorRefused, Anchors
from panel.journal.format import (
    BAD, CHUNK, FOREIGN, HEADER, MAX_BODY, VERSION, JournalCorrupt, JournalError, JournalWriteError, StorageFull,
    next_record, parse, record, walk,
)
from panel.journal.log import JournalLog
from panel.journal.summary import DAMAGED, STALE, TORN, SparseIndex, Summary

# Free flash a new case needs: a 200-event case is ~200 x 80 B = 16 KB of records (4 blocks
# of 4 KB on the reference flash); littlefs copies the file's last block on every append
# (+1 block) and commits through a metadata pair (+2 blocks, also holding the small .a file
# and its temp), and a torn-tail cut copies the file (+16 KB): 44 KB, rounded up to 64 KB
# so a case of ~300 events still fits.
RESERVE = 64 * 1024
LOW = 256 * 1024  # "low" (warn early) below min(25 % of the flash, this), at least 2 x reserve
TICKS_PERIOD = 1 << 30  # time.ticks_ms() wraps here on 32-bit boards (30-bit small ints)
ANCHORS = "anchors"  # <root>/anchors.j: time anchors (panel/journal/anchors.py)
CACHE = 4  # case summaries held in RAM, least recently used dropped first
INDEXED = 2  # of those, cases holding a sparse index: the case on screen, one being synced
PENDING = 32  # files the boot scan queues for repair per pass over the directory
OPEN_KEPT = 4  # open cases the scan remembers for the panel to resume
MAX_ID = 32
_ID_CHARS = "-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _valid_id(case_id):
    if type(case_id) is not str or not 0 < len(case_id) <= MAX_ID or case_id == ANCHORS:
        return False
    for c in case_id:
        if c not in _ID_CHARS:
            return False
    return True


def _names(root):
    """The names in directory root, one at a time (os.ilistdir on MicroPython; sorted on CPython)."""
    il = getattr(os, "ilistdir", None)
    if il is None:
        for name in sorted(os.listdir(root)):
            yield name
        return
    for entry in il(root):
        yield entry[0]


def _case_of(name):
    """The case id of a journal file name <case>.j, else None."""
    if name.endswith(".j") and _valid_id(name[:-2]):
        return name[:-2]
    return None


class _Offsets:
    """A walk's tally that fills a sparse index."""

    def __init__(self):
        self.idx = SparseIndex()
        self.count = 0

    def tally(self, off, buf, at, total):
        self.count += 1
        self.idx.add(self.count, off)


class Journal:
    """Every case on the panel's flash under root, the boot counter and the time anchors.

    space() -> (free bytes, total bytes) of the filesystem (os.statvfs of root unless
    given: tests pass their own). ticks_period: where the board's ticks_ms wraps.
    safe: repair and delete nothing (the panel's safe mode).
    """

    def __init__(self, root, space=None, reserve=RESERVE, ticks_period=TICKS_PERIOD, safe=False):
        self.root = root
        self.space = space or self._statvfs
        self.reserve = reserve
        self.ticks_period = ticks_period
        self.safe = safe
        self.boot = None  # this boot's id, once next_boot() has run
        self._buf = bytearray(CHUNK)  # every scan and lookup reads through this one buffer
        self._anchors = Anchors(root + "/" + ANCHORS + ".j", ticks_period, self._buf)
        self._cache = []  # Summary objects, least recently used first
        self._indexed = []  # Summary objects holding an index, least recently indexed first
        self._scanned = False
        self._open = []  # ids of open cases holding events (the scan's; at most OPEN_KEPT)
        self._damaged = {}  # case id -> byte offset of the damage
        self._order = 0  # the highest creation number seen
        self._case_boot = 0  # the highest creation boot seen
        self._floor = None  # the oldest creation boot of a case with unacknowledged events
        self.repairs_left = 0  # repairs the last scan could not make (flash refusing writes)
        files.makedirs(root)

    def _statvfs(self):
        st = os.statvfs(self.root)
        # littlefs counts blocks in use by walking the filesystem and can count one
        # more than it has when full: its free count then wraps to 2**32 - 1.
        free = st[4] if st[4] <= st[2] else 0
        return st[1] * free, st[1] * st[2]

    def path(self, name, ext=".j"):
        return self.root + "/" + name + ext

    # -- boot ---------------------------------------------------------------------------

    def scan(self):
        """At boot: verify what changed since each case's summary, cut torn tails, refresh summaries,
        remove leftovers (temp files, acks without a journal), load the anchors' count. Returns nothing:
        list with cases() or cases_page()."""
        self._cache = []
        self._indexed = []
        self._open = []
        self._damaged = {}
        self._order = 0
        self._case_boot = 0
        floor = None
        unknown = False
        first = True
        while True:
            todo = []
            full = False
            for name in _names(self.root):
                work = None
                if name.endswith(".tmp"):  # a replace or atomic write cut short: the original stands
                    work = name
                elif name.endswith(".a") and _valid_id(name[:-2]):
                    if files.size_of(self.path(name[:-2])) < 0:  # its case was reclaimed, or never created
                        work = name
                else:
                    cid = _case_of(name)
                    if cid is None:
                        continue
                    s = self._read_summary(cid, verify=True)
                    if first:
                        self._order = max(self._order, s.order)
                        if s.boot is not None:
                            self._case_boot = max(self._case_boot, s.boot)
                        if s.acked < s.count:
                            if s.boot is None:
                                unknown = True
                            elif floor is None or s.boot < floor:
                                floor = s.boot
                        if s.flags & DAMAGED:
                            self._damaged[cid] = s.end
                        elif not s.closed and s.count and len(self._open) < OPEN_KEPT:
                            self._open.append(cid)
                    if s.flags & DAMAGED:
                        if s.saved is not None:
                            work = name  # drop the summary: a damaged case is always read whole
                    elif s.flags & TORN or s.saved != (s.count, s.end, s.closed):
                        work = name
                if work is not None and not self.safe:
                    if len(todo) < PENDING:
                        todo.append(work)
                    else:
                        full = True
            first = False
            fixed = 0
            for name in todo:
                fixed += self._repair(name)
            self.repairs_left = len(todo) - fixed
            if not full or not fixed:
                break
        self._floor = -1 if unknown else floor
        self._anchors.scan()
        self._scanned = True

    def _repair(self, name):
        """Make one repair the scan queued; 1 if it was made, 0 if the flash refused it (tried next boot)."""
        if name.endswith(".tmp") or name.endswith(".a"):
            return 1 if files.remove(self.root + "/" + name) else 0
        cid = name[:-2]
        s = self._read_summary(cid, verify=True)
        try:
            if s.flags & TORN:
                files.replace(self.path(cid), s.end)
                s.flags &= ~TORN
            s.save(self.path(cid, ".a"))
        except OSError:
            return 0  # the case reads fine; append retries the cut
        return 1

    def _read_summary(self, cid, verify=False):
        """The summary of case cid from its .a file and the records after it; from every record when verify
        (the boot scan) or when the stored summary does not fit the file. Nothing written, nothing cached."""
        s = Summary(cid)
        path = self.path(cid)
        s.load(self.path(cid, ".a"))
        size = files.size_of(path)
        start = 0
        saved = s.saved
        if not verify and saved is not None and saved[1] <= size and cid not in self._damaged:
            s.count, s.end, s.closed = saved
            start = saved[1]
        if start < size:
            f = open(path, "rb")
            try:
                end, how = walk(f, start, size, s.tally, self._buf)
                if how == FOREIGN or (how == BAD and next_record(f, end, size, self._buf) >= 0):
                    s.flags |= DAMAGED
            finally:
                f.close()
            s.end = end
            if end < size and not s.flags & DAMAGED:
                s.flags |= TORN
        if s.acked > s.count:
            s.acked = s.count
        return s

    def _ready(self):
        if not self._scanned:
            self.scan()

    def next_boot(self):
        """Count this boot and return its id (1 on the first boot), never one used before; prune the anchors."""
        self._ready()
        path = self.root + "/boot"
        try:
            raw = atomic.read(path)
            stored = unpack(raw) if raw else 0
        except (OSError, ProtocolError):
            stored = 0
        seen = stored if type(stored) is int else 0
        # a lost counter must not reuse the id of an anchored boot or of a case's creation
        seen = max(seen, self._anchors.max_boot, self._case_boot)
        boot = seen + 1
        try:
            atomic.write(path, pack(boot))
        except OSError as e:
            raise JournalWriteError("boot counter not written: %s" % (e,))
        self.boot = boot
        self._anchors.start(boot)
        if not self.safe:
            self._anchors.prune(None if self._floor == -1 else (boot if self._floor is None else self._floor))
        return boot

    # -- cases --------------------------------------------------------------------------

    def cases(self):
        """[{"case", "count", "acked", "closed"}, ...] of every case, sorted by case id (tests, small flash:
        the panel itself pages with cases_page())."""
        self._ready()
        out = []
        for name in _names(self.root):
            cid = _case_of(name)
            if cid is not None:
                out.append(self._peek(cid).row())
        out.sort(key=lambda r: r["case"])
        return out

    def cases_page(self, start, n):
        """Up to n case rows from index start in the directory's order, and the index after them (0: no more)."""
        self._ready()
        rows = []
        i = 0
        for name in _names(self.root):  # read to the end: a directory left open mid-listing stays open
            cid = _case_of(name)
            if cid is None:
                continue
            if start <= i < start + n:
                rows.append(self._peek(cid).row())
            i += 1
        return rows, (start + n if i > start + n else 0)

    def tally(self):
        """(cases on the panel, cases with events no host has acknowledged), read a case at a time."""
        self._ready()
        n = unsynced = 0
        for name in _names(self.root):
            cid = _case_of(name)
            if cid is not None:
                n += 1
                s = self._peek(cid)
                if s.acked < s.count:
                    unsynced += 1
        return n, unsynced

    def row(self, case_id):
        """{"case", "count", "acked", "closed"} of one case (JournalError if there is none)."""
        return self.info(case_id).row()

    def open_cases(self):
        """Ids of the cases the boot scan found open and holding events (at most OPEN_KEPT)."""
        self._ready()
        return list(self._open)

    def damaged(self):
        """{case id: byte offset of the damage} for cases kept read-only (JOURNAL.md, boot scan)."""
        self._ready()
        return dict(self._damaged)

    def storage_state(self):
        """"ok", "low" (warn: sync and reclaim soon) or "full" (no new case can start)."""
        free, total = self.space()
        if free < self.reserve:
            return "full"
        low = min(total // 4, LOW)
        if low < 2 * self.reserve:
            low = 2 * self.reserve
        return "low" if free < low else "ok"

    def new_case(self, case_id):
        """Create an empty journal for case_id and return its log. StorageFull when flash is short."""
        self._ready()
        if not _valid_id(case_id):
            raise JournalError("case id %r: 1-%d letters, digits, - or _" % (case_id, MAX_ID))
        if files.size_of(self.path(case_id)) >= 0:
            raise JournalError("case %s exists already" % case_id)
        free = self.space()[0]
        if free < self.reserve:
            raise StorageFull("%d KB of flash free, a new case needs %d KB: sync finished cases so they can "
                              "be reclaimed" % (free // 1024, self.reserve // 1024))
        info = Summary(case_id)
        info.boot = self.boot
        info.order = self._order + 1
        try:
            info.save(self.path(case_id, ".a"))  # first: a case exists once its .j does (scan drops a lone .a)
            files.write(self.path(case_id), b"", "wb")
        except OSError as e:
            files.remove(self.path(case_id, ".a"))
            raise JournalWriteError("case %s is not created: %s" % (case_id, e))
        self._order = info.order
        self._remember(info)
        return JournalLog(self, case_id)

    def log(self, case_id):
        """The JournalLog of a case (read it, resume it, append to it)."""
        self.info(case_id)
        return JournalLog(self, case_id)

    def info(self, case_id):
        """The summary of case_id, kept among the CACHE in use; JournalError if there is no such case."""
        self._ready()
        cache = self._cache
        for i in range(len(cache)):
            s = cache[i]
            if s.id == case_id:
                if i != len(cache) - 1:
                    cache.pop(i)
                    cache.append(s)
                if s.flags & STALE:
                    return self._reload(s)
                return s
        if not _valid_id(case_id) or files.size_of(self.path(case_id)) < 0:
            raise JournalError("no case %r on this panel" % (case_id,))
        return self._remember(self._read_summary(case_id))

    def _peek(self, case_id):
        """The summary of case_id: the cached one, or one read for the moment (not cached)."""
        for s in self._cache:
            if s.id == case_id:
                return s
        return self._read_summary(case_id)

    def _remember(self, s):
        self._cache.append(s)
        if len(self._cache) > CACHE:
            self._forget(self._cache[0])
        return s

    def _forget(self, s):
        if s in self._cache:
            self._cache.remove(s)
        if s in self._indexed:
            self._indexed.remove(s)
        s.idx = None

    def _reload(self, s):
        try:
            fresh = self._read_summary(s.id)
        except OSError as e:
            raise JournalWriteError("case %s cannot be read back after a failed write: %s" % (s.id, e))
        self._forget(s)
        return self._remember(fresh)

    def stale(self, s):
        """A write to case s failed: read it back from flash before its next use."""
        s.flags |= STALE

    def index(self, s):
        """The sparse index of case s (built by walking its file once; at most INDEXED cases keep one)."""
        if s.idx is None:
            tally = _Offsets()
            f = open(self.path(s.id), "rb")
            try:
                end, how = walk(f, 0, s.end, tally.tally, self._buf)
            finally:
                f.close()
            if end != s.end or tally.count != s.count:
                raise JournalCorrupt("case %s changed on flash since the scan" % s.id)
            s.idx = tally.idx
            self._indexed.append(s)
            if len(self._indexed) > INDEXED:
                self._indexed.pop(0).idx = None
        return s.idx

    def locate(self, s, seq):
        """(byte offset, record length) of event seq of case s: from the nearest indexed event, walking forward."""
        s0, pos = self.index(s).near(seq)
        buf = self._buf
        mv = memoryview(buf)
        path = self.path(s.id)
        while pos < s.end:
            got = files.read_into(path, pos, mv[: min(CHUNK, s.end - pos)])
            at = 0
            while at + 2 <= got:
                total = HEADER + ((buf[at] << 8) | buf[at + 1])
                if s0 == seq:
                    return pos + at, total
                at += total
                s0 += 1
            if at == 0:
                break
            pos += at
        raise JournalCorrupt("event %d of case %s is cut short" % (seq, s.id))

    def ack(self, case_id, seq):
        """The host holds events 1..seq: keep max(acked, seq); refuse seq beyond the case's count."""
        info = self.info(case_id)
        if type(seq) is not int or seq < 0:
            raise JournalError("ack of case %s: %r is not a sequence number" % (case_id, seq))
        if seq > info.count:
            raise JournalError("ack of case %s up to %d, but it holds %d events" % (case_id, seq, info.count))
        if seq > info.acked:
            try:
                info.save(self.path(case_id, ".a"), seq)
            except OSError as e:
                raise JournalWriteError("ack of case %s up to %d is not recorded: %s" % (case_id, seq, e))
            info.acked = seq
        return info.acked

    def acked(self, case_id):
        return self.info(case_id).acked

    def reclaim(self, keep=()):
        """While storage is not "ok", delete closed, fully acknowledged cases, oldest first; return their ids.

        Never an open case, an unacknowledged event, a damaged case or a case in keep
        (the one on screen: outcomes and notes may still be added after close). Never in safe mode.
        """
        self._ready()
        gone = []
        if self.safe:
            return gone
        while self.storage_state() != "ok":
            oldest = None
            for name in _names(self.root):
                cid = _case_of(name)
                if cid is None or cid in keep:
                    continue
                s = self._peek(cid)
                if not s.closed or s.acked < s.count or s.flags:
                    continue
                if oldest is None or (s.order, s.id) < (oldest.order, oldest.id):
                    oldest = s
            if oldest is None:
                break
            try:
                os.remove(self.path(oldest.id))
            except OSError as e:
                raise JournalWriteError("case %s is not reclaimed: %s" % (oldest.id, e))
            files.remove(self.path(oldest.id, ".a"))  # else the scan removes an ack file without its journal
            self._forget(oldest)
            gone.append(oldest.id)
        if gone:
            self._anchors.prune(self._oldest_unsynced_boot())
        return gone

    def _oldest_unsynced_boot(self):
        floor = self.boot
        for name in _names(self.root):
            cid = _case_of(name)
            if cid is None:
                continue
            s = self._peek(cid)
            if s.acked < s.count:
                if s.boot is None:
                    return None
                if floor is None or s.boot < floor:
                    floor = s.boot
        return floor

    # -- time ---------------------------------------------------------------------------

    def anchor(self, boot, ticks, wall_ms):
        """Journal that ticks_ms() == ticks in this boot was wall_ms (ms since 1970 UTC).

        AnchorRefused for a wall time the panel will not take (anchors.py); JournalWriteError if not written.
        """
        self._ready()
        for v in (boot, ticks, wall_ms):
            if type(v) is not int:
                raise JournalError("anchor fields are ints, not %r" % (v,))
        if boot != self.boot or not 0 <= ticks < self.ticks_period:
            raise JournalError("anchor (%d, %d, %d) is not of this boot (%r) or out of range"
                               % (boot, ticks, wall_ms, self.boot))
        self._anchors.add(ticks, wall_ms)

    def anchors(self):
        """[(boot, ticks, wall_ms), ...] in the order they were journalled (read from flash)."""
        self._ready()
        return self._anchors.all()

    def anchors_page(self, start, n):
        """Up to n anchors from index start as [boot, ticks, wall] rows, and the next index (0: no more)."""
        self._ready()
        return self._anchors.page(start, n)

    def wall_time(self, boot, ticks):
        """Wall ms of ticks in boot `boot` (anchors.py); None when that boot has no anchor."""
        self._ready()
        return self._anchors.wall_time(boot, ticks)


__all__ = (
    "ANCHORS_PER_BOOT", "AnchorRefused", "CHUNK", "HEADER", "INDEXED", "Journal", "JournalCorrupt",
    "JournalError", "JournalLog", "JournalWriteError", "MAX_ANCHORS", "MAX_BODY", "RESERVE", "StorageFull",
    "VERSION", "parse", "record",
)
