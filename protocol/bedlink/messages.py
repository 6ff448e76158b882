# bedlink/messages.py — message catalogue v1: every message as data, one generic codec.
#
# A message is a msgpack map with small integer keys: key 0 is the type, key 1
# the sequence number, keys 2.. the fields listed below. Requests carry seq
# 1..65535 chosen by the host; a response copies its request's seq; seq 0 marks
# a message that answers no readable request. Keys a receiver does not know are
# ignored (a later version may add fields); missing or mistyped fields are an
# E_SHAPE error. Spec: protocol/README.md. Never renumber a key or a type.

from bedlink.errors import ProtocolError, E_SHAPE, E_UNKNOWN_TYPE
from bedlink.mpack import pack, unpack

K_TYPE = 0
K_SEQ = 1
SEQ_MAX = 0xFFFF

# Field kinds: ("uint", largest value) | ("str", longest UTF-8 bytes) | ("bin", longest bytes).
U16 = ("uint", 0xFFFF)
U32 = ("uint", 0xFFFFFFFF)
SHORT_STR = ("str", 64)
REASON_STR = ("str", 200)
PING_BIN = ("bin", 256)

HELLO = 1
HELLO_REPLY = 2
PING = 3
PONG = 4
ERROR = 127

# type -> (name, ((key, field, kind, required), ...))
CATALOGUE = {
    HELLO: ("hello", (
        (2, "vmin", U16, True),  # lowest protocol version the host speaks
        (3, "vmax", U16, True),  # highest protocol version the host speaks
        (4, "max_frame", U32, True),  # largest payload the host accepts, bytes
    )),
    HELLO_REPLY: ("hello_reply", (
        (2, "version", U16, True),  # the protocol version the session will use
        (3, "device_id", SHORT_STR, True),
        (4, "firmware", SHORT_STR, True),  # firmware version
        (5, "max_frame", U32, True),  # largest payload the panel accepts, bytes
        (6, "content", SHORT_STR, True),  # clinical content version
    )),
    PING: ("ping", (
        (2, "data", PING_BIN, False),  # echoed back in the pong
    )),
    PONG: ("pong", (
        (2, "data", PING_BIN, False),
        (3, "rx_frames", U32, True),  # good frames received since boot
        (4, "rx_dropped", U32, True),  # frames dropped since boot (CRC, COBS, size)
    )),
    ERROR: ("error", (
        (2, "code", U16, True),  # bedlink.errors E_* number
        (3, "reason", REASON_STR, True),
    )),
}

# The reply each request expects (an error message may answer any request).
REPLY = {"hello": "hello_reply", "ping": "pong"}

TYPE_OF = {}
for _t in CATALOGUE:
    TYPE_OF[CATALOGUE[_t][0]] = _t


def _check(kind, value, field, seq):
    k, limit = kind
    if k == "uint":
        ok = type(value) is int and 0 <= value <= limit
        what = "an unsigned int <= %d" % limit
    elif k == "str":
        ok = type(value) is str and len(value.encode("utf-8")) <= limit
        what = "a str of <= %d bytes" % limit
    else:
        ok = type(value) is bytes and len(value) <= limit
        what = "bytes of length <= %d" % limit
    if not ok:
        raise ProtocolError(E_SHAPE, "field '%s' must be %s" % (field, what), seq)


def encode(name, seq, fields=None):
    """Return the msgpack payload of message `name` with `seq` and `fields` (a dict)."""
    t = TYPE_OF.get(name)
    if t is None:
        raise ProtocolError(E_UNKNOWN_TYPE, "no message named '%s'" % name, seq)
    if type(seq) is not int or not 0 <= seq <= SEQ_MAX:
        raise ProtocolError(E_SHAPE, "seq must be 0..%d" % SEQ_MAX)
    fields = fields or {}
    m = {K_TYPE: t, K_SEQ: seq}
    known = 0
    for key, field, kind, required in CATALOGUE[t][1]:
        if field in fields:
            known += 1
            _check(kind, fields[field], field, seq)
            m[key] = fields[field]
        elif required:
            raise ProtocolError(E_SHAPE, "'%s' needs field '%s'" % (name, field), seq)
    if known != len(fields):
        raise ProtocolError(E_SHAPE, "'%s' has no field(s) %s" % (name, sorted(f for f in fields if not _has(t, f))), seq)
    return pack(m)


def _has(t, field):
    for spec in CATALOGUE[t][1]:
        if spec[1] == field:
            return True
    return False


def decode(payload):
    """Decode a payload into (name, seq, fields); raise ProtocolError naming what is wrong."""
    m = unpack(payload)
    if type(m) is not dict:
        raise ProtocolError(E_SHAPE, "a message is a msgpack map")
    seq = m.get(K_SEQ)
    if type(seq) is not int or not 0 <= seq <= SEQ_MAX:
        raise ProtocolError(E_SHAPE, "key 1 (seq) must be an int 0..%d" % SEQ_MAX)
    t = m.get(K_TYPE)
    if type(t) is not int:
        raise ProtocolError(E_SHAPE, "key 0 (type) must be an int", seq)
    spec = CATALOGUE.get(t)
    if spec is None:
        raise ProtocolError(E_UNKNOWN_TYPE, "unknown message type %d" % t, seq)
    fields = {}
    for key, field, kind, required in spec[1]:
        if key in m:
            _check(kind, m[key], field, seq)
            fields[field] = m[key]
        elif required:
            raise ProtocolError(E_SHAPE, "'%s' lacks field '%s' (key %d)" % (spec[0], field, key), seq)
    return spec[0], seq, fields
