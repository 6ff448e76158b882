# panel/journal.py — the case journal on flash: an event counts as recorded only once it is here.
#
# The format is firmware/JOURNAL.md (a contract, its bytes locked by tests/journal_vectors).
# One append-only file of records per case, <root>/<case>.j, where a record is
# [length u16][CRC32 u32][version u8][msgpack event]. append() opens the file, writes
# one whole record and closes it before it returns: littlefs commits a file on close
# and keeps the old state until then, so a power cut leaves the file as it was before
# or after the record, never between. scan() at boot still verifies every record and
# cuts a torn tail (a filesystem other than littlefs, a partly written block), but it
# never cuts good records that follow damage: such a case becomes read-only instead.
# Acknowledged sequence numbers, the boot counter and the creation order are small
# files replaced whole (panel.atomic). Nothing is deleted but by reclaim(), and only
# closed cases whose every event the host has acknowledged.
# RAM (128 KB heap for everything): a small summary per case; per event nothing, but
# one int (its file offset) for the at most INDEXED cases looked up by seq. Events are
# read back from flash CHUNK bytes at a time, no file held open between reads.
# Plain Python on CPython and MicroPython: open, os, binascii; no machine.

import binascii
from array import array
import os

from bedlink.errors import ProtocolError
from bedlink.mpack import pack, unpack
from panel import atomic

VERSION = 1  # record format version, byte 7 of every record; any change to the format bumps it
HEADER = 7  # length u16 + CRC32 u32 + version u8
MAX_BODY = 0xFFFF  # largest msgpack event a record holds (the length field is 16 bits)
CHUNK = 512  # bytes read from flash at a time: small, and a few records of ~80 bytes each
INDEXED = 2  # cases whose per-event offsets stay in RAM: the case on screen, one being synced
# Free flash a new case needs: a 200-event case is ~200 x 80 B = 16 KB of records (4 blocks
# of 4 KB on the reference flash); littlefs copies the file's last block on every append
# (+1 block) and commits through a metadata pair (+2 blocks, also holding the small .a file
# and its temp), and a torn-tail cut copies the file (+16 KB): 44 KB, rounded up to 64 KB
# so a case of ~300 events still fits.
RESERVE = 64 * 1024
LOW = 256 * 1024  # "low" (warn early) below min(25 % of the flash, this), at least 2 x reserve
TICKS_PERIOD = 1 << 30  # time.ticks_ms() wraps here on 32-bit boards (30-bit small ints)
ANCHORS = "anchors"  # <root>/anchors.j: time anchors, records of {"boot", "ticks", "wall"}
ANCHORS_PER_BOOT = 2  # the first and the latest: enough to place every event, bounded however often time is set
MAX_ID = 32
_ID_CHARS = "-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CLOSE = b"\xa1k\xa5close"  # msgpack "k", "close": found in every close event's bytes
_UNDO = b"\xa1k\xa4undo"
_CRC_VERSION = binascii.crc32(bytes((VERSION,)))  # the CRC runs over the version byte, then the event
_CLEAN, _BAD, _FOREIGN = 0, 1, 2  # how a walk over a file's records ended
# _Case.flags
_TORN = 1  # bytes after the good records still to be cut before the next append
_STALE = 2  # a write failed: reload from flash before the next use
_DAMAGED = 4  # a bad record followed by good ones, or another format version: read-only


class JournalError(Exception):
    """A request the journal refuses (unknown or duplicate case, wrong seq, ack beyond count); nothing written."""


class StorageFull(JournalError):
    """Too little flash is free to start a case; every earlier case is kept."""


class JournalWriteError(OSError):
    """The flash refused a write: that event, ack or anchor is not recorded; earlier records are intact."""


class JournalCorrupt(JournalError):
    """A record read back from flash no longer matches its CRC."""


def record(ev):
    """The journal record of one event or anchor (a dict), as bytes."""
    body = pack(ev)
    n = len(body)
    if n > MAX_BODY:
        raise JournalError("an event of %d bytes is too large to record" % n)
    crc = binascii.crc32(body, _CRC_VERSION) & 0xFFFFFFFF
    return bytes((n >> 8, n & 0xFF)) + crc.to_bytes(4, "big") + bytes((VERSION,)) + body


def parse(rec):
    """The event held by one whole record (bytes); JournalCorrupt if it is not exactly one valid record."""
    if len(rec) < HEADER or ((rec[0] << 8) | rec[1]) != len(rec) - HEADER:
        raise JournalCorrupt("not one whole record")
    return _event(rec, 0, len(rec))


def _event(buf, at, total):
    if not _crc_ok(buf, at, total):
        raise JournalCorrupt("record CRC mismatch")
    if buf[at + 6] != VERSION:
        raise JournalCorrupt("record format version %d, not %d" % (buf[at + 6], VERSION))
    try:
        return unpack(bytes(memoryview(buf)[at + HEADER : at + total]))
    except ProtocolError as e:
        raise JournalCorrupt("record holds no event: %s" % (e.args[1],))


def _walk(f, pos, size, tally, buf):
    """Verify the records of open file f from pos to size; tally(offset, data, at, total) each good one.

    buf is a bytearray reused for every read (no garbage at boot, so what the scan keeps
    is not scattered over the heap); a record longer than buf is read on its own.
    Returns (end, how): end is the offset after the last good record; how is _CLEAN
    (all good), _BAD (a short or bad record at end) or _FOREIGN (a record of another
    format version, its CRC good, at end).
    """
    mv = memoryview(buf)
    while pos < size:
        f.seek(pos)
        data = buf
        left = f.readinto(mv[: min(len(buf), size - pos)]) or 0
        at = 0
        while left >= HEADER:
            n = (data[at] << 8) | data[at + 1]
            total = HEADER + n
            if n == 0 or pos + at + total > size:
                return pos + at, _BAD
            if total > left:
                if at:
                    break  # read on from this record
                f.seek(pos)
                data = f.read(total)
                left = len(data)
                if left < total:
                    return pos, _BAD
                continue
            if not _crc_ok(data, at, total):
                return pos + at, _BAD
            if data[at + 6] != VERSION:
                return pos + at, _FOREIGN
            tally(pos + at, data, at, total)
            at += total
            left -= total
        if at == 0:
            return pos, _BAD  # fewer than HEADER bytes left: a short header
        pos += at
    return pos, _CLEAN


def _crc_ok(data, at, total):
    # Compared in 16-bit halves: small ints on every board, no bytes sliced off.
    crc = binascii.crc32(memoryview(data)[at + 6 : at + total])
    hi = (data[at + 2] << 8) | data[at + 3]
    return (crc >> 16) & 0xFFFF == hi and crc & 0xFFFF == (data[at + 4] << 8) | data[at + 5]


def _next_record(f, start, size, buf):
    """The offset of the first valid version-1 record after start (a map event), or -1."""
    q = start + 1
    mv = memoryview(buf)
    while q + HEADER < size:
        f.seek(q)
        got = f.readinto(mv[: min(len(buf), size - q)]) or 0
        win = mv[:got]
        i = 0
        lim = got - HEADER  # positions with a header and a first body byte in the window
        while i < lim:
            n = (win[i] << 8) | win[i + 1]
            b = win[i + HEADER]
            is_map = 0x80 <= b <= 0x8F or b == 0xDE or b == 0xDF  # every event and anchor is a map
            if win[i + 6] == VERSION and n and q + i + HEADER + n <= size and is_map:
                want = int.from_bytes(bytes(win[i + 2 : i + 6]), "big")
                if i + HEADER + n <= got:
                    crc = binascii.crc32(win[i + 6 : i + HEADER + n])
                else:  # CRC the long candidate CHUNK bytes at a time
                    crc = binascii.crc32(win[i + 6 :])
                    f.seek(q + got)
                    left = n + HEADER - got + i
                    while left:
                        part = f.read(min(CHUNK, left))
                        if not part:
                            break
                        crc = binascii.crc32(part, crc)
                        left -= len(part)
                if crc & 0xFFFFFFFF == want:
                    return q + i
            i += 1
        if i == 0:
            break
        q += i
    return -1


def _read(path, at, n):
    f = open(path, "rb")
    try:
        f.seek(at)
        return f.read(n)
    finally:
        f.close()


def _read_into(path, at, mv):
    f = open(path, "rb")
    try:
        f.seek(at)
        return f.readinto(mv) or 0
    finally:
        f.close()


def _write(path, data, mode="ab"):
    f = open(path, mode)
    try:
        n = f.write(data)
        if n is not None and n != len(data):
            raise OSError(28, "short write")
    finally:
        f.close()


def _replace(path, end, records=()):
    """Replace path power-safely by its first end bytes followed by records: temp file, then rename."""
    tmp = path + ".tmp"
    src = open(path, "rb")
    try:
        dst = open(tmp, "wb")
        try:
            left = end
            while left:
                part = src.read(min(CHUNK, left))
                if not part:
                    raise OSError(5, "%s is shorter than %d bytes" % (path, end))
                dst.write(part)
                left -= len(part)
            for rec in records:
                dst.write(rec)
        finally:
            dst.close()
    finally:
        src.close()
    os.rename(tmp, path)


def _makedirs(path):
    at = 0
    while True:
        at = path.find("/", at + 1)
        head = path if at < 0 else path[:at]
        try:
            os.stat(head)
        except OSError:
            os.mkdir(head)
        if at < 0:
            return


def _valid_id(case_id):
    if type(case_id) is not str or not 0 < len(case_id) <= MAX_ID or case_id == ANCHORS:
        return False
    for c in case_id:
        if c not in _ID_CHARS:
            return False
    return True


def _age(info):
    return (info.order, info.id)


class _Case:
    """What the journal keeps in RAM about one case (a handful of small ints)."""

    def __init__(self, case_id):
        self.id = case_id
        self.count = 0  # events recorded
        self.end = 0  # bytes of good records in the file
        self.closed = 0  # seq of the close event in force (an undone close reopens), 0: open
        self.acked = 0
        self.order = 0  # creation number: reclaim takes the oldest first
        self.boot = None  # boot in which the case was created
        self.offs = None  # file offset of every record, while indexed
        self.flags = 0

    def tally(self, off, buf, at, total):
        self.count += 1
        if buf.find(_CLOSE, at + HEADER, at + total) >= 0 or (
            self.closed and buf.find(_UNDO, at + HEADER, at + total) >= 0
        ):
            try:
                self.note(_event(buf, at, total))
            except JournalCorrupt:
                pass  # sound CRC, no event: counted, never taken for a close

    def note(self, ev):
        k = ev.get("k")
        if k == "close":
            self.closed = ev["seq"]
        elif k == "undo" and ev.get("ref") == self.closed:
            self.closed = 0


class _Index:
    """Record offsets of one case in fixed 128-entry arrays (512 bytes each): it grows a chunk at a
    time, never asking the heap for one ever larger block (a list doubling to 2 KB and more
    fragmented a 128 KB heap). Holds what the index needs: append, len, [i]."""

    CHUNK = 128

    def __init__(self):
        self.chunks = []
        self.n = 0

    def append(self, off):
        if self.n % self.CHUNK == 0:
            self.chunks.append(array("I", bytes(4 * self.CHUNK)))
        self.chunks[-1][self.n % self.CHUNK] = off
        self.n += 1

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return self.chunks[i // self.CHUNK][i % self.CHUNK]


class _Offsets:
    def __init__(self):
        self.offs = _Index()

    def tally(self, off, buf, at, total):
        self.offs.append(off)


class _Anchors:
    def __init__(self):
        self.items = []

    def tally(self, off, buf, at, total):
        try:
            a = _event(buf, at, total)
            self.items.append((a["boot"], a["ticks"], a["wall"]))
        except (JournalCorrupt, KeyError, TypeError):
            pass  # a sound record that holds no anchor: left out


class JournalLog:
    """One case's events on flash, with the interface of panel.case.PackedLog (append, len, iter, get)."""

    def __init__(self, journal, case_id):
        self.journal = journal
        self.case_id = case_id

    def append(self, ev):
        """Write ev as the case's next record; return once it is on flash. JournalWriteError if not."""
        j = self.journal
        info = j._info(self.case_id)
        if info.flags & _DAMAGED:
            raise JournalError("case %s is damaged at byte %d of its journal: it is read-only" % (info.id, info.end))
        seq = ev.get("seq")
        if type(seq) is not int or seq != info.count + 1:
            raise JournalError("event seq %r does not follow case %s's %d events" % (seq, info.id, info.count))
        rec = record(ev)
        path = j._path(info.id)
        try:
            if info.flags & _TORN:
                _replace(path, info.end)
                info.flags &= ~_TORN
            _write(path, rec)
        except OSError as e:
            info.flags |= _STALE
            raise JournalWriteError("event %d of case %s is not recorded: %s" % (seq, info.id, e))
        if info.offs is not None:
            try:
                info.offs.append(info.end)
            except MemoryError:  # the event is on flash; the index is rebuilt from flash when next needed
                self.journal._unindex(info)
        info.end += len(rec)
        info.count = seq
        info.note(ev)

    def __len__(self):
        return self.journal._info(self.case_id).count

    def get(self, seq):
        """Event seq (1-based), read from flash at its indexed offset."""
        info = self.journal._info(self.case_id)
        if type(seq) is not int or not 1 <= seq <= info.count:
            raise IndexError("case %s has no event %r" % (info.id, seq))
        offs = self.journal._offsets(info)
        at = offs[seq - 1]
        end = offs[seq] if seq < len(offs) else info.end
        buf = _read(self.journal._path(info.id), at, end - at)
        if len(buf) != end - at:
            raise JournalCorrupt("event %d of case %s is cut short" % (seq, info.id))
        return _event(buf, 0, len(buf))

    def __iter__(self):
        return self.events(1)

    def events(self, first=1):
        """The events from seq `first` on, in order (sync resumes at acked + 1)."""
        info = self.journal._info(self.case_id)
        last = info.count
        if first < 1:
            first = 1
        if first > last:
            return
        path = self.journal._path(info.id)
        pos = 0 if first == 1 else self.journal._offsets(info)[first - 1]
        seq = first
        buf = bytearray(CHUNK)  # this iteration's own: other reads may run between two events
        mv = memoryview(buf)
        while seq <= last:
            data = buf
            got = _read_into(path, pos, mv[: min(CHUNK, info.end - pos)])
            at = 0
            while seq <= last and got - at >= HEADER:
                total = HEADER + ((data[at] << 8) | data[at + 1])
                if total > got - at:
                    if at:
                        break
                    data = _read(path, pos, total)
                    got = len(data)
                    if got < total:
                        raise JournalCorrupt("event %d of case %s is cut short" % (seq, info.id))
                    continue
                ev = _event(data, at, total)
                at += total
                seq += 1
                yield ev
            if at == 0:
                raise JournalCorrupt("event %d of case %s is cut short" % (seq, info.id))
            pos += at


class Journal:
    """Every case on the panel's flash under root, the boot counter and the time anchors.

    space() -> (free bytes, total bytes) of the filesystem (os.statvfs of root unless
    given: tests pass their own). ticks_period: where the board's ticks_ms wraps.
    """

    def __init__(self, root, space=None, reserve=RESERVE, ticks_period=TICKS_PERIOD):
        self.root = root
        self.space = space or self._statvfs
        self.reserve = reserve
        self.ticks_period = ticks_period
        self.boot = None  # this boot's id, once next_boot() has run
        self._cases = {}
        self._anchors = []
        self._indexed = []  # _Case objects holding offsets, least recently indexed first
        self._scanned = False
        self._buf = bytearray(CHUNK)  # every scan reads through this one buffer
        _makedirs(root)

    def _statvfs(self):
        st = os.statvfs(self.root)
        # littlefs counts blocks in use by walking the filesystem and can count one
        # more than it has when full: its free count then wraps to 2**32 - 1.
        free = st[4] if st[4] <= st[2] else 0
        return st[1] * free, st[1] * st[2]

    def _path(self, name, ext=".j"):
        return self.root + "/" + name + ext

    # -- boot ---------------------------------------------------------------------------

    def scan(self):
        """Verify every journal at boot, cut torn tails, load acks and anchors; return cases()."""
        self._cases = {}
        self._indexed = []
        self._anchors = []
        names = sorted(os.listdir(self.root))
        for name in names:
            if name.endswith(".tmp"):  # a replace or atomic write cut short: the original stands
                self._remove(name)
        # What the scan keeps is made before the reading starts: it then sits together at
        # one end of the heap instead of in the gaps the readers' garbage leaves.
        for name in names:
            if name.endswith(".j") and _valid_id(name[:-2]):
                self._cases[name[:-2]] = _Case(name[:-2])
        if ANCHORS + ".j" in names:
            self._load_anchors()
        for info in self._cases.values():
            try:
                self._load(info)
            except OSError:  # unreadable: keep what was read, never write to it
                info.flags |= _DAMAGED
            self._read_ack(info)
        for name in names:
            if name.endswith(".a") and name[:-2] not in self._cases:
                self._remove(name)  # its case was reclaimed, or never created
        self._scanned = True
        return self.cases()

    def _remove(self, name):
        try:
            os.remove(self.root + "/" + name)
        except OSError:
            pass  # tried again at the next scan

    def _ready(self):
        if not self._scanned:
            self.scan()

    def _load(self, info):
        path = self._path(info.id)
        info.count = info.end = info.closed = info.flags = 0
        self._unindex(info)
        f = open(path, "rb")
        try:
            size = os.stat(path)[6]
            end, how = _walk(f, 0, size, info.tally, self._buf)
            if how == _FOREIGN or (how == _BAD and _next_record(f, end, size, self._buf) >= 0):
                info.flags |= _DAMAGED
        finally:
            f.close()
        info.end = end
        if end < size and not info.flags & _DAMAGED:
            info.flags |= _TORN
            try:
                _replace(path, end)
                info.flags &= ~_TORN
            except OSError:
                pass  # the flash refuses writes: the case reads fine, append retries the cut

    def _load_anchors(self):
        # Anchors are independent records: keep every valid one, skipping damage, and
        # rewrite the file without the bad bytes.
        path = self._path(ANCHORS)
        tally = _Anchors()
        f = open(path, "rb")
        try:
            size = os.stat(path)[6]
            pos, how = _walk(f, 0, size, tally.tally, self._buf)
            skipped = pos < size
            while how != _CLEAN:
                pos = _next_record(f, pos, size, self._buf)
                if pos < 0:
                    break
                pos, how = _walk(f, pos, size, tally.tally, self._buf)
        finally:
            f.close()
        self._anchors = tally.items
        if skipped:
            self._rewrite_anchors(tally.items)

    def _rewrite_anchors(self, items):
        recs = [record({"boot": a[0], "ticks": a[1], "wall": a[2]}) for a in items]
        try:
            _replace(self._path(ANCHORS), 0, recs)
        except OSError:
            pass  # the old file stands; the next scan tries again

    def _read_ack(self, info):
        try:
            raw = atomic.read(self._path(info.id, ".a"))
            d = unpack(raw) if raw else {}
        except (OSError, ProtocolError):  # damaged: count nothing as acknowledged, sync again
            d = {}
        if type(d) is not dict:
            d = {}
        acked = d.get("acked", 0)
        info.acked = min(acked, info.count) if type(acked) is int and acked > 0 else 0
        info.order = d.get("n", 0) if type(d.get("n")) is int else 0
        info.boot = d.get("boot") if type(d.get("boot")) is int else None

    def _write_ack(self, info, acked):
        d = {"acked": acked, "n": info.order}
        if info.boot is not None:
            d["boot"] = info.boot
        atomic.write(self._path(info.id, ".a"), pack(d))

    def next_boot(self):
        """Count this boot and return its id (1 on the first boot), never one used before."""
        self._ready()
        path = self.root + "/boot"
        try:
            raw = atomic.read(path)
            stored = unpack(raw) if raw else 0
        except (OSError, ProtocolError):
            stored = 0
        seen = stored if type(stored) is int else 0
        for a in self._anchors:  # a lost counter must not reuse the id of an anchored boot
            seen = max(seen, a[0])
        for info in self._cases.values():
            if info.boot is not None:
                seen = max(seen, info.boot)
        boot = seen + 1
        try:
            atomic.write(path, pack(boot))
        except OSError as e:
            raise JournalWriteError("boot counter not written: %s" % (e,))
        self.boot = boot
        return boot

    # -- cases --------------------------------------------------------------------------

    def cases(self):
        """[{"case", "count", "acked", "closed"}, ...] sorted by case id."""
        self._ready()
        out = []
        for cid in sorted(self._cases):
            info = self._cases[cid]
            out.append({"case": cid, "count": info.count, "acked": info.acked, "closed": info.closed > 0})
        return out

    def damaged(self):
        """{case id: byte offset of the damage} for cases kept read-only (JOURNAL.md, boot scan)."""
        self._ready()
        out = {}
        for info in self._cases.values():
            if info.flags & _DAMAGED:
                out[info.id] = info.end
        return out

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
        if case_id in self._cases:
            raise JournalError("case %s exists already" % case_id)
        free = self.space()[0]
        if free < self.reserve:
            raise StorageFull("%d KB of flash free, a new case needs %d KB: sync finished cases so they can "
                              "be reclaimed" % (free // 1024, self.reserve // 1024))
        info = _Case(case_id)
        info.boot = self.boot
        for other in self._cases.values():
            info.order = max(info.order, other.order)
        info.order += 1
        try:
            self._write_ack(info, 0)  # first: a case exists once its .j does (scan drops a lone .a)
            _write(self._path(case_id), b"", "wb")
        except OSError as e:
            try:
                os.remove(self._path(case_id, ".a"))
            except OSError:
                pass
            raise JournalWriteError("case %s is not created: %s" % (case_id, e))
        self._cases[case_id] = info
        return JournalLog(self, case_id)

    def log(self, case_id):
        """The JournalLog of a case (read it, resume it, append to it)."""
        self._info(case_id)
        return JournalLog(self, case_id)

    def _info(self, case_id):
        self._ready()
        info = self._cases.get(case_id)
        if info is None:
            raise JournalError("no case %r on this panel" % (case_id,))
        return self._fresh(info)

    def _fresh(self, info):
        if info.flags & _STALE:
            try:
                self._load(info)
            except OSError as e:
                info.flags |= _STALE
                raise JournalWriteError("case %s cannot be read back after a failed write: %s" % (info.id, e))
        return info

    def _offsets(self, info):
        if info.offs is None:
            tally = _Offsets()
            f = open(self._path(info.id), "rb")
            try:
                end, how = _walk(f, 0, info.end, tally.tally, self._buf)
            finally:
                f.close()
            if end != info.end or len(tally.offs) != info.count:
                raise JournalCorrupt("case %s changed on flash since the scan" % info.id)
            info.offs = tally.offs
            self._indexed.append(info)
            if len(self._indexed) > INDEXED:
                self._indexed.pop(0).offs = None
        return info.offs

    def _unindex(self, info):
        info.offs = None
        if info in self._indexed:
            self._indexed.remove(info)

    def ack(self, case_id, seq):
        """The host holds events 1..seq: keep max(acked, seq); refuse seq beyond the case's count."""
        info = self._info(case_id)
        if type(seq) is not int or seq < 0:
            raise JournalError("ack of case %s: %r is not a sequence number" % (case_id, seq))
        if seq > info.count:
            raise JournalError("ack of case %s up to %d, but it holds %d events" % (case_id, seq, info.count))
        if seq > info.acked:
            try:
                self._write_ack(info, seq)
            except OSError as e:
                raise JournalWriteError("ack of case %s up to %d is not recorded: %s" % (case_id, seq, e))
            info.acked = seq
        return info.acked

    def acked(self, case_id):
        return self._info(case_id).acked

    def reclaim(self, keep=()):
        """While storage is not "ok", delete closed, fully acknowledged cases, oldest first; return their ids.

        Never an open case, an unacknowledged event, a damaged case or a case in keep
        (the one on screen: outcomes and notes may still be added after close).
        """
        self._ready()
        gone = []
        if self.storage_state() == "ok":
            return gone
        for info in sorted(self._cases.values(), key=_age):
            if self.storage_state() == "ok":
                break
            try:
                self._fresh(info)
            except OSError:
                continue
            if not info.closed or info.acked < info.count or info.flags or info.id in keep:
                continue
            try:
                os.remove(self._path(info.id))
            except OSError as e:
                raise JournalWriteError("case %s is not reclaimed: %s" % (info.id, e))
            try:
                os.remove(self._path(info.id, ".a"))
            except OSError:
                pass  # scan removes an ack file without its journal
            self._unindex(info)
            del self._cases[info.id]
            gone.append(info.id)
        if gone:
            self._prune_anchors()
        return gone

    # -- time ---------------------------------------------------------------------------

    def anchor(self, boot, ticks, wall_ms):
        """Journal that ticks_ms() == ticks in boot `boot` was wall_ms (ms since 1970 UTC)."""
        self._ready()
        for v in (boot, ticks, wall_ms):
            if type(v) is not int:
                raise JournalError("anchor fields are ints, not %r" % (v,))
        if boot < 1 or not 0 <= ticks < self.ticks_period or wall_ms < 0:
            raise JournalError("anchor (%d, %d, %d) is out of range" % (boot, ticks, wall_ms))
        new = (boot, ticks, wall_ms)
        mine = [a for a in self._anchors if a[0] == boot]
        try:
            if len(mine) < ANCHORS_PER_BOOT:
                _write(self._path(ANCHORS), record({"boot": boot, "ticks": ticks, "wall": wall_ms}))
                items = self._anchors + [new]
            else:  # the boot keeps its first anchor; the newest replaces the latest (bounded, however often asked)
                items = [a for a in self._anchors if a is not mine[-1]] + [new]
                _replace(self._path(ANCHORS), 0, [record({"boot": a[0], "ticks": a[1], "wall": a[2]}) for a in items])
        except OSError as e:
            self._load_anchors_quietly()
            raise JournalWriteError("time anchor is not recorded: %s" % (e,))
        self._anchors = items

    def _load_anchors_quietly(self):
        try:
            self._load_anchors()
        except OSError:
            pass

    def anchors(self):
        """[(boot, ticks, wall_ms), ...] in the order they were journalled."""
        self._ready()
        return list(self._anchors)

    def wall_time(self, boot, ticks):
        """Wall ms of ticks in boot `boot`, from the anchor of that boot nearest in ticks; None if unanchored.

        Distances are ticks_diff-style: signed, modulo ticks_period, so a wrap between
        anchor and event is harmless while they are less than half a period apart
        (2**29 ms, 6.2 days, on a 32-bit board).
        """
        self._ready()
        half = self.ticks_period // 2
        best = bestd = None
        for b, t, w in self._anchors:
            if b == boot:
                d = (ticks - t + half) % self.ticks_period - half
                if best is None or abs(d) < abs(bestd):  # type: ignore[arg-type]  # bestd is set with best
                    best, bestd = w, d
        return None if best is None else best + bestd

    def _prune_anchors(self):
        # An anchor serves the events of its boot: keep those of every boot since the oldest
        # remaining case was created (or this boot, with no case left).
        floor = self.boot
        for info in self._cases.values():
            if info.boot is None:
                return
            if floor is None or info.boot < floor:
                floor = info.boot
        if floor is None:
            return
        kept = [a for a in self._anchors if a[0] >= floor]
        if len(kept) < len(self._anchors):
            self._rewrite_anchors(kept)
            self._load_anchors_quietly()
