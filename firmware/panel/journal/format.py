# panel/journal/format.py — the journal's record: [length u16][CRC32 u32][version u8][msgpack event].
#
# The format is firmware/JOURNAL.md (a contract, its bytes locked by tests/journal_vectors).
# Pure functions over bytes and open files: build a record, parse one, walk a file's
# records verifying each, find the next valid record after damage. Reads go through a
# caller's buffer (no garbage at boot); a record longer than the buffer is read on its own.
# Plain Python on CPython and MicroPython: binascii, no os, no machine.

import binascii

from bedlink.errors import ProtocolError
from bedlink.mpack import pack, unpack

VERSION = 1  # record format version, byte 7 of every record; any change to the format bumps it
HEADER = 7  # length u16 + CRC32 u32 + version u8
MAX_BODY = 0xFFFF  # largest msgpack event a record holds (the length field is 16 bits)
CHUNK = 512  # bytes read from flash at a time: small, and a few records of ~80 bytes each
_CRC_VERSION = binascii.crc32(bytes((VERSION,)))  # the CRC runs over the version byte, then the event
CLEAN, BAD, FOREIGN = 0, 1, 2  # how a walk over a file's records ended


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
    return event_at(rec, 0, len(rec))


def event_at(buf, at, total):
    if not crc_ok(buf, at, total):
        raise JournalCorrupt("record CRC mismatch")
    if buf[at + 6] != VERSION:
        raise JournalCorrupt("record format version %d, not %d" % (buf[at + 6], VERSION))
    try:
        return unpack(bytes(memoryview(buf)[at + HEADER : at + total]))
    except ProtocolError as e:
        raise JournalCorrupt("record holds no event: %s" % (e.args[1],))


def walk(f, pos, size, tally, buf):
    """Verify the records of open file f from pos to size; tally(offset, data, at, total) each good one.

    buf is a bytearray reused for every read (no garbage at boot, so what the scan keeps
    is not scattered over the heap); a record longer than buf is read on its own.
    Returns (end, how): end is the offset after the last good record; how is CLEAN
    (all good), BAD (a short or bad record at end) or FOREIGN (a record of another
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
                return pos + at, BAD
            if total > left:
                if at:
                    break  # read on from this record
                f.seek(pos)
                data = f.read(total)
                left = len(data)
                if left < total:
                    return pos, BAD
                continue
            if not crc_ok(data, at, total):
                return pos + at, BAD
            if data[at + 6] != VERSION:
                return pos + at, FOREIGN
            tally(pos + at, data, at, total)
            at += total
            left -= total
        if at == 0:
            return pos, BAD  # fewer than HEADER bytes left: a short header
        pos += at
    return pos, CLEAN


def crc_ok(data, at, total):
    # Compared in 16-bit halves: small ints on every board, no bytes sliced off.
    crc = binascii.crc32(memoryview(data)[at + 6 : at + total])
    hi = (data[at + 2] << 8) | data[at + 3]
    return (crc >> 16) & 0xFFFF == hi and crc & 0xFFFF == (data[at + 4] << 8) | data[at + 5]


def next_record(f, start, size, buf):
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


