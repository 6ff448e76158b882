# bedlink/errors.py — named error codes shared by the framing, codec and message layers.
#
# Frame-layer errors (1-15) are raised by the decoder of a frame that cannot be
# trusted: the receiver drops it, counts it and resynchronises at the next 0x00.
# Payload-layer errors (16-63) come from a frame whose CRC was good: the panel
# answers them with an error message carrying the request's sequence number.
# The numbers are part of the wire contract (protocol/README.md); never reuse one.

E_COBS = 1  # a COBS block runs past the end of the frame, or a zero inside it
E_CRC = 2  # CRC32 of the payload does not match the frame's last four bytes
E_OVERSIZE = 3  # frame longer than the agreed maximum; discarded unread
E_TRUNCATED = 4  # frame too short to hold a CRC and a payload
E_DECODE = 16  # payload is not valid canonical-subset msgpack
E_SHAPE = 17  # payload is msgpack but not a message: bad type, seq or field
E_UNKNOWN_TYPE = 18  # message type not in this protocol version's catalogue
E_VERSION = 19  # no protocol version in common
E_AUTH = 20  # authenticate first, or authentication failed (says no more than that)
E_PAIRING = 21  # no pairing in progress, or pairing failed
E_LOCKED = 22  # too many failed attempts: retry later (the reason says when)
E_NO_CASE = 23  # the panel holds no case with that id
E_STORAGE = 24  # the panel's flash refused the write (full or failing): nothing was recorded
E_INTERNAL = 32  # the request was valid but handling it failed on the panel

NAMES = {
    E_COBS: "E_COBS",
    E_CRC: "E_CRC",
    E_OVERSIZE: "E_OVERSIZE",
    E_TRUNCATED: "E_TRUNCATED",
    E_DECODE: "E_DECODE",
    E_SHAPE: "E_SHAPE",
    E_UNKNOWN_TYPE: "E_UNKNOWN_TYPE",
    E_VERSION: "E_VERSION",
    E_AUTH: "E_AUTH",
    E_PAIRING: "E_PAIRING",
    E_LOCKED: "E_LOCKED",
    E_NO_CASE: "E_NO_CASE",
    E_STORAGE: "E_STORAGE",
    E_INTERNAL: "E_INTERNAL",
}


# Codes a decoder raises (frame and message layers); the rest are the session's answers.
DECODE_CODES = (E_COBS, E_CRC, E_OVERSIZE, E_TRUNCATED, E_DECODE, E_SHAPE, E_UNKNOWN_TYPE)


def name_of(code):
    """Return the symbolic name of an error code ('E_?<n>' for an unknown one)."""
    return NAMES.get(code) or "E_?%d" % code


class ProtocolError(Exception):
    """A named protocol error: `code` is one of the E_* numbers, `reason` says why.

    `seq` is the sequence number of the request it answers, when it could be read
    (0 otherwise), so that the panel can send the error back to the right request.
    """

    def __init__(self, code, reason, seq=0):
        super().__init__(code, reason)
        self.code = code
        self.reason = reason
        self.seq = seq

    def __str__(self):
        return "%s: %s" % (name_of(self.code), self.reason)
