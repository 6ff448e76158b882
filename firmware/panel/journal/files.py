# panel/journal/files.py — the journal's file operations on littlefs: read at, append, replace, make dirs.
#
# Every file is opened, used and closed within one call: no file is held open between
# two calls (littlefs commits on close, and a power cut then leaves the old state or the
# new one). replace() writes a temporary file and renames it over the original, so a cut
# leaves either whole. Plain Python: open and os are the runtime's own.

import os

from panel.journal.format import CHUNK


def read(path, at, n):
    f = open(path, "rb")
    try:
        f.seek(at)
        return f.read(n)
    finally:
        f.close()


def read_into(path, at, mv):
    f = open(path, "rb")
    try:
        f.seek(at)
        return f.readinto(mv) or 0
    finally:
        f.close()


def write(path, data, mode="ab"):
    f = open(path, mode)
    try:
        n = f.write(data)
        if n is not None and n != len(data):
            raise OSError(28, "short write")
    finally:
        f.close()


def replace(path, end, records=()):
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


def makedirs(path):
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


def remove(path):
    """Delete path if it is there; True when it was deleted (an error is tried again at the next scan)."""
    try:
        os.remove(path)
        return True
    except OSError:
        return False


def size_of(path):
    """The size of file path in bytes, or -1 when it is not there."""
    try:
        return os.stat(path)[6]
    except OSError:
        return -1
