# bedlink/framing.py — frames on the wire: COBS(payload ‖ CRC32 little-endian) then 0x00.
#
# No I/O here: bytes in, frames out. The decoder owns one buffer sized once for
# the largest frame allowed; a longer frame is never stored, only skipped up to
# the next delimiter and reported as E_OVERSIZE. Garbage costs one dropped frame:
# the decoder resynchronises at the next 0x00. Empty frames (0x00 0x00) are
# ignored, so a sender may lead with a 0x00 to flush a receiver's partial frame.

import binascii

from bedlink import cobs
from bedlink.errors import ProtocolError, E_CRC, E_OVERSIZE, E_TRUNCATED

CRC_LEN = 4
DEFAULT_MAX_PAYLOAD = 1024  # bytes of msgpack payload per frame, before CRC and COBS
DELIMITER = b"\x00"


def crc32(data):
    """CRC-32 (IEEE 802.3, as binascii and zlib compute it) as an unsigned int."""
    return binascii.crc32(data) & 0xFFFFFFFF


def max_encoded(max_payload):
    """The longest COBS encoding (without delimiter) of a payload of max_payload bytes."""
    n = max_payload + CRC_LEN
    return n + n // 254 + 1


def encode_frame(payload, max_payload=DEFAULT_MAX_PAYLOAD):
    """Return the wire bytes of one frame carrying `payload`, delimiter included."""
    if len(payload) > max_payload:
        raise ProtocolError(
            E_OVERSIZE, "payload of %d bytes exceeds %d" % (len(payload), max_payload)
        )
    body = bytes(payload) + crc32(payload).to_bytes(CRC_LEN, "little")
    return cobs.encode(body) + DELIMITER


class FrameDecoder:
    """Streaming frame decoder: feed it any number of bytes at a time.

    feed() returns a list with one entry per frame completed by those bytes:
    the payload (bytes) of a good frame, or the ProtocolError that dropped a bad
    one. `frames` and `dropped` count both since the last reset of the counters.
    """

    def __init__(self, max_payload=DEFAULT_MAX_PAYLOAD):
        self.max_payload = max_payload
        self._cap = max_encoded(max_payload)
        self._buf = bytearray(self._cap)
        self._n = 0
        self._over = False
        self.frames = 0
        self.dropped = 0

    def reset(self):
        """Forget a partial frame (the link was lost or reopened)."""
        self._n = 0
        self._over = False

    @property
    def pending(self):
        """Bytes of the current partial frame held in the buffer."""
        return self._n

    def feed(self, data, n=-1):
        """Consume data[:n] (all of it when n < 0); return completed frames/errors."""
        if n < 0:
            n = len(data)
        out = []
        mv = memoryview(data)
        buf = self._buf
        i = 0
        while i < n:
            z = data.find(DELIMITER, i, n)
            end = n if z < 0 else z
            k = end - i
            if k and not self._over:
                if self._n + k > self._cap:
                    self._over = True
                else:
                    buf[self._n : self._n + k] = mv[i:end]
                    self._n += k
            if z < 0:
                break
            i = z + 1
            if self._n or self._over:
                out.append(self._finish())
        return out

    def _finish(self):
        over = self._over
        n = self._n
        self._n = 0
        self._over = False
        try:
            if over:
                raise ProtocolError(E_OVERSIZE, "frame longer than %d bytes" % self._cap)
            buf = self._buf
            m = cobs.decode_into(buf, n)
            if m < CRC_LEN + 1:
                raise ProtocolError(E_TRUNCATED, "frame of %d bytes has no room for a payload" % m)
            p = m - CRC_LEN
            if p > self.max_payload:
                raise ProtocolError(E_OVERSIZE, "payload of %d bytes exceeds %d" % (p, self.max_payload))
            mv = memoryview(buf)
            if crc32(mv[:p]) != int.from_bytes(bytes(mv[p:m]), "little"):
                raise ProtocolError(E_CRC, "CRC mismatch")
            self.frames += 1
            return bytes(mv[:p])
        except ProtocolError as e:
            self.dropped += 1
            return e
