# bedlink/seal.py — per-message authentication of a version-3 session: sealing and opening payloads.
#
# After `auth_ok` both ends hold the session key SK (bedlink.pairing.session_key, from the
# host's key K and both nonces) and every payload either end sends is sealed:
#
#   sealed = 0xC1 ‖ ctr ‖ message ‖ tag
#   ctr    = 4 bytes big-endian: 1 for the first frame this end seals in the session, then 2, 3, ...
#   tag    = the first 12 bytes of HMAC-SHA256(SK, dir ‖ 0xC1 ‖ ctr ‖ message)
#   dir    = "H" (0x48) in what the host sends, "P" (0x50) in what the panel sends
#
# 0xC1 is the one byte msgpack never uses, so a sealed payload is told from a plain one
# by its first byte alone. A receiver accepts a sealed payload only when the tag is right
# and ctr is above every ctr it accepted before in this session: a replayed or reordered
# frame is refused, a lost one (a gap) is not. The direction byte keeps a frame from being
# reflected back to its sender. ctr stays below 2**30 (a board's small int); an end that
# has sealed 2**30 - 1 frames seals no more and the session must start again.
#
# 96-bit tags (protocol/README.md §6 says why): 17 bytes a frame in all. No I/O; sealing
# allocates the sealed payload once (a bytearray) and runs SHA-256 twice (hmac256.digest_padded).

from bedlink import hmac256
from bedlink.errors import E_AUTH, ProtocolError

MARK = 0xC1  # first byte of every sealed payload; never the first byte of a msgpack value
HEAD = 5  # the mark and ctr
TAG_LEN = 12  # bytes of HMAC-SHA256 kept: 96 bits
OVERHEAD = HEAD + TAG_LEN  # 17 bytes a sealed payload carries on top of its message
CTR_MAX = (1 << 30) - 1  # the last counter an end may use
HOST = b"H"  # direction byte of what the host sends
PANEL = b"P"  # direction byte of what the panel sends


def is_sealed(payload):
    """True when `payload` is sealed (its first byte is MARK)."""
    return len(payload) > 0 and payload[0] == MARK


def counter(payload):
    """The ctr of a sealed payload (0 when the payload is too short to hold one)."""
    if len(payload) < HEAD:
        return 0
    return (payload[1] << 24) | (payload[2] << 16) | (payload[3] << 8) | payload[4]


def message_of(payload):
    """The message bytes inside a sealed payload, authentic or not (for reading a seq to answer)."""
    if len(payload) < OVERHEAD:
        return b""
    return bytes(memoryview(payload)[HEAD:len(payload) - TAG_LEN])


class Channel:
    """One end of a sealed session: seals what it sends, opens what the other end sends.

    side: HOST or PANEL, the direction byte of what this end sends. `sent` is the ctr of
    the last frame sealed, `heard` the ctr of the last frame opened.
    """

    def __init__(self, session_key, side):
        if len(session_key) != hmac256.SIZE:
            raise ValueError("a session key is %d bytes" % hmac256.SIZE)
        if side != HOST and side != PANEL:
            raise ValueError("side is seal.HOST or seal.PANEL")
        self._inner, self._outer = hmac256.pads(session_key)
        self.side = side
        self.peer = PANEL if side == HOST else HOST
        self.sent = 0
        self.heard = 0

    def _tag(self, direction, head, message):
        return hmac256.digest_padded(self._inner, self._outer, (direction, head, message))[:TAG_LEN]

    def seal(self, message):
        """The sealed payload (a bytearray) carrying `message` (msgpack bytes) with the next ctr."""
        n = self.sent + 1
        if n > CTR_MAX:
            raise ProtocolError(E_AUTH, "session counter used up: authenticate again")
        self.sent = n
        m = len(message)
        out = bytearray(OVERHEAD + m)  # one allocation: the frame's payload, filled in place
        out[0] = MARK
        out[1] = n >> 24
        out[2] = (n >> 16) & 0xFF
        out[3] = (n >> 8) & 0xFF
        out[4] = n & 0xFF
        mv = memoryview(out)
        mv[HEAD:HEAD + m] = message
        mv[HEAD + m:] = self._tag(self.side, mv[:HEAD], message)
        return out

    def open(self, payload):
        """The message inside a sealed payload from the other end; ProtocolError(E_AUTH) unless it is
        authentic and newer than every frame opened before."""
        n = len(payload)
        if n < OVERHEAD + 1 or payload[0] != MARK or payload[1] >= 0x40:
            raise ProtocolError(E_AUTH, "frame not sealed for this session")
        mv = memoryview(payload)
        if not hmac256.equal(self._tag(self.peer, mv[:HEAD], mv[HEAD:n - TAG_LEN]), mv[n - TAG_LEN:]):
            raise ProtocolError(E_AUTH, "frame not sealed for this session")
        ctr = counter(payload)
        if ctr <= self.heard:
            raise ProtocolError(E_AUTH, "frame %d replayed or out of order (after %d)" % (ctr, self.heard))
        self.heard = ctr
        return bytes(mv[HEAD:n - TAG_LEN])
