# panel/journal/summary.py — what the journal knows of one case without reading it: a summary and an index.
#
# A case's summary (events, bytes of good records, the close in force, acknowledged seq,
# creation number and boot) is kept on flash in the case's <case>.a file, next to the
# acknowledgement it already held, so that RAM holds summaries only for the few cases in use
# (panel/journal/__init__.py keeps at most CACHE of them). A summary is valid for a file of
# exactly `end` bytes: the journal is append-only, so a longer file is summarised by walking
# only the records after `end` (JOURNAL.md, Summaries).
# The index is sparse and of fixed size: the file offset of every stride-th event, at most
# INDEX_CAP entries of 4 bytes (256 bytes however long the case); the stride doubles when
# it fills. Reading event seq starts at the nearest indexed offset and walks forward.
# Plain Python: array, no os.

from array import array

from bedlink.errors import ProtocolError
from bedlink.mpack import pack, unpack
from panel import atomic
from panel.journal.format import HEADER, JournalCorrupt, event_at

INDEX_CAP = 64  # offsets an index holds: 256 bytes
INDEX_STRIDE = 8  # events between two offsets at first; doubles each time the index fills

_CLOSE = b"\xa1k\xa5close"  # msgpack "k", "close": found in every close event's bytes
_UNDO = b"\xa1k\xa4undo"

# Summary.flags
TORN = 1  # bytes after the good records still to be cut before the next append
STALE = 2  # a write failed: reload from flash before the next use
DAMAGED = 4  # a bad record followed by good ones, or another format version: read-only


class SparseIndex:
    """File offsets of events 1, 1 + stride, 1 + 2 * stride, ... in one fixed array."""

    def __init__(self):
        self.offs = array("I", bytes(4 * INDEX_CAP))
        self.n = 0
        self.stride = INDEX_STRIDE

    def add(self, seq, off):
        """Event seq (1, 2, 3, ... in order) starts at byte off."""
        if (seq - 1) % self.stride:
            return
        if self.n == INDEX_CAP:  # full: keep every other offset, twice the stride
            offs = self.offs
            for i in range(INDEX_CAP // 2):
                offs[i] = offs[2 * i]
            self.n = INDEX_CAP // 2
            self.stride *= 2
            if (seq - 1) % self.stride:
                return
        self.offs[self.n] = off
        self.n += 1

    def near(self, seq):
        """(seq0, offset) of the indexed event nearest at or before seq (seq >= 1, the index not empty)."""
        i = (seq - 1) // self.stride
        if i >= self.n:
            i = self.n - 1
        return 1 + i * self.stride, self.offs[i]


class Summary:
    """One case as the journal knows it: a handful of ints, and an index while the case is in use."""

    def __init__(self, case_id):
        self.id = case_id
        self.count = 0  # events recorded
        self.end = 0  # bytes of good records in the file
        self.closed = 0  # seq of the close event in force (an undone close reopens), 0: open
        self.acked = 0
        self.order = 0  # creation number: reclaim takes the oldest first
        self.boot = None  # boot in which the case was created
        self.idx = None  # SparseIndex while indexed
        self.flags = 0
        self.saved = None  # (count, end, closed) as last read from or written to the .a file

    def tally(self, off, buf, at, total):
        """Count one good record of the file (a walk's callback): events, the close in force, the index."""
        self.count += 1
        if self.idx is not None:
            self.idx.add(self.count, off)
        self.end = off + total
        if buf.find(_CLOSE, at + HEADER, at + total) >= 0 or (
            self.closed and buf.find(_UNDO, at + HEADER, at + total) >= 0
        ):
            try:
                self.note(event_at(buf, at, total))
            except JournalCorrupt:
                pass  # sound CRC, no event: counted, never taken for a close

    def note(self, ev):
        k = ev.get("k")
        if k == "close":
            self.closed = ev["seq"]
        elif k == "undo" and ev.get("ref") == self.closed:
            self.closed = 0

    def row(self):
        """{"case", "count", "acked", "closed"}: the case as list_cases shows it."""
        return {"case": self.id, "count": self.count, "acked": self.acked, "closed": self.closed > 0}

    # -- the .a file ------------------------------------------------------------------

    def load(self, path):
        """Read acked, order, boot and the stored summary from the .a file; False if it was unreadable."""
        try:
            raw = atomic.read(path)
            got = unpack(raw) if raw else {}
        except (OSError, ProtocolError):  # damaged: count nothing as acknowledged, sync again
            got = None
        ok = type(got) is dict
        d = {}  # type: dict
        if type(got) is dict:
            d = got
        acked = d.get("acked", 0)
        self.acked = acked if type(acked) is int and acked > 0 else 0
        self.order = d.get("n", 0) if type(d.get("n")) is int else 0
        self.boot = d.get("boot") if type(d.get("boot")) is int else None
        c, e, s = d.get("count"), d.get("end"), d.get("closed", 0)
        if type(c) is int and type(e) is int and type(s) is int and 0 <= c and 0 <= e and 0 <= s <= c:
            self.saved = (c, e, s)
        return ok

    def save(self, path, acked=None):
        """Replace the .a file: acked (default the current), order, boot and, unless damaged, the summary."""
        d = {"acked": self.acked if acked is None else acked, "n": self.order}
        if self.boot is not None:
            d["boot"] = self.boot
        summary = None
        if not self.flags & (DAMAGED | TORN | STALE):
            summary = (self.count, self.end, self.closed)
            d["count"] = self.count
            d["end"] = self.end
            d["closed"] = self.closed
        atomic.write(path, pack(d))
        self.saved = summary
