# bedlink/cobs.py — Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999).
#
# Output never contains 0x00, so 0x00 can delimit frames. Works a zero-free run
# at a time (bytes.find), not a byte at a time: fast on CPython and MicroPython.
# Byte-for-byte identical to the PyPI `cobs` package (checked by the tests).

from bedlink.errors import ProtocolError, E_COBS


def encode(data):
    """COBS-encode `data` (bytes-like); the result holds no zero byte."""
    data = bytes(data)
    n = len(data)
    out = bytearray()
    i = 0
    while True:
        z = data.find(b"\x00", i)
        end = n if z < 0 else z
        start = i
        while end - i >= 254:
            out.append(0xFF)
            out.extend(data[i : i + 254])
            i += 254
        # A final run that filled its last 0xFF block needs no closing block.
        if z >= 0 or end > i or start == end:
            out.append(end - i + 1)
            out.extend(data[i:end])
        if z < 0:
            return bytes(out)
        i = z + 1


def decode_into(buf, n):
    """Decode the COBS frame held in buf[:n] in place; return the decoded length.

    In-place is safe: the write index never passes the read index. Raises
    ProtocolError(E_COBS) for a zero byte or a block running past the end.
    """
    r = 0
    w = 0
    while r < n:
        code = buf[r]
        if code == 0:
            raise ProtocolError(E_COBS, "zero byte inside a COBS frame")
        end = r + code
        if end > n:
            raise ProtocolError(E_COBS, "COBS block runs past the end of the frame")
        r += 1
        k = end - r
        if k:
            buf[w : w + k] = buf[r:end]
            w += k
        r = end
        if code < 0xFF and r < n:
            buf[w] = 0
            w += 1
    return w


def decode(data):
    """Decode one COBS-encoded frame (without its 0x00 delimiter) into bytes."""
    buf = bytearray(data)
    return bytes(buf[: decode_into(buf, len(buf))])
