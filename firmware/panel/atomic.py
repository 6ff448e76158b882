# panel/atomic.py — small files replaced whole, power-loss safe: write a temporary file, then rename.
#
# littlefs (never FAT) keeps the old file until the new one's close has committed,
# and rename is atomic, so after a power cut a reader finds the old contents or the
# new ones, never a mix. A 4-byte CRC32 trailer lets a reader reject anything else
# (a file written by other means, a damaged block). Plain Python: `os` and `open`
# are the runtime's own (littlefs on the board, the host filesystem under CPython).

import binascii
import os


class AtomicFileError(OSError):
    """The file exists but its contents are damaged (CRC mismatch or too short)."""


def write(path, data):
    """Replace `path` with `data` (bytes) so that a power cut leaves the old or the new contents."""
    tmp = path + ".tmp"
    crc = binascii.crc32(data) & 0xFFFFFFFF
    with open(tmp, "wb") as f:
        f.write(data)
        f.write(crc.to_bytes(4, "big"))
    os.rename(tmp, path)


def read(path, default=None):
    """The contents last written by write(), or `default` if the file does not exist."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError:
        return default
    if len(raw) < 4 or binascii.crc32(raw[:-4]) & 0xFFFFFFFF != int.from_bytes(raw[-4:], "big"):
        raise AtomicFileError("%s is damaged" % path)
    return raw[:-4]
