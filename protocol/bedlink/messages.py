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

# Field kinds: ("uint", largest value) | ("str", longest UTF-8 bytes)
#   | ("bin", longest bytes[, shortest bytes]) | ("bool", 1)
#   | ("list", (item kind, most items)) | ("row", (kind, kind, ...)) (an array of fixed shape)
U16 = ("uint", 0xFFFF)
U32 = ("uint", 0xFFFFFFFF)
U64 = ("uint", 0xFFFFFFFFFFFFFFFF)
BOOL = ("bool", 1)
SHORT_STR = ("str", 64)
REASON_STR = ("str", 200)
PING_BIN = ("bin", 256)
NONCE = ("bin", 16, 16)
MAC = ("bin", 32, 32)
EVENT_BIN = ("bin", 1000)  # one journal event's msgpack bytes
CASE_ROW = ("row", (SHORT_STR, U32, U32, BOOL))  # case id, events, acknowledged seq, closed
ANCHOR_ROW = ("row", (U32, U32, U64))  # boot, ticks (ms), wall clock (ms since 1970-01-01 UTC)
PAGE = 32  # rows per page of a listing

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
        (5, "heap_free", U32, False),  # v2: bytes of heap free after a collection (diagnostics)
    )),
    ERROR: ("error", (
        (2, "code", U16, True),  # bedlink.errors E_* number
        (3, "reason", REASON_STR, True),
    )),
    # ---- version 2: pairing, authentication, time, sync, operator profiles ----
    5: ("pair_start", (
        (2, "host_id", SHORT_STR, True),
        (3, "host_name", SHORT_STR, True),  # shown on the panel's pairing screen
        (4, "host_nonce", NONCE, True),
    )),
    6: ("pair_challenge", ((2, "panel_nonce", NONCE, True),)),  # the panel now shows its code
    7: ("pair_confirm", ((2, "proof", MAC, True),)),  # proves the host knows the code
    8: ("pair_done", ((2, "proof", MAC, True),)),  # proves the panel knows it too
    9: ("auth_start", (
        (2, "host_id", SHORT_STR, True),
        (3, "host_nonce", NONCE, True),
    )),
    10: ("auth_challenge", ((2, "panel_nonce", NONCE, True),)),
    11: ("auth", ((2, "mac", MAC, True),)),
    12: ("auth_ok", ((2, "mac", MAC, True),)),
    13: ("unpair", ()),
    14: ("unpaired", ()),
    15: ("set_time", ((2, "wall_ms", U64, True),)),  # ms since 1970-01-01 UTC
    16: ("time_set", (  # the anchor the panel journalled
        (2, "boot", U32, True),
        (3, "ticks", U32, True),
    )),
    17: ("list_cases", ((2, "start", U16, True),)),  # index of the first case wanted
    18: ("cases", (
        (2, "cases", ("list", (CASE_ROW, PAGE)), True),
        (3, "next", U16, True),  # index of the next page, 0 after the last
        (4, "storage", SHORT_STR, True),  # "ok" | "low" | "full"
    )),
    19: ("pull", (
        (2, "case", SHORT_STR, True),
        (3, "start", U32, True),  # seq of the first event wanted (the host's checkpoint + 1)
        (4, "window", U16, True),  # most frames the panel may send in answer
    )),
    20: ("events", (  # answers pull (several frames, one seq), or pushes live (seq 0)
        (2, "case", SHORT_STR, True),
        (3, "first", U32, True),  # seq of the first event in this frame
        (4, "events", ("list", (EVENT_BIN, 255)), True),
        (5, "last", BOOL, True),  # the last frame of this answer
    )),
    21: ("ack", (
        (2, "case", SHORT_STR, True),
        (3, "upto", U32, True),  # every event up to this seq is stored on the host
    )),
    22: ("acked", (
        (2, "case", SHORT_STR, True),
        (3, "upto", U32, True),  # what the panel now holds as acknowledged
    )),
    23: ("list_anchors", ((2, "start", U16, True),)),
    24: ("anchors", (
        (2, "anchors", ("list", (ANCHOR_ROW, PAGE)), True),
        (3, "next", U16, True),
    )),
    25: ("profile", (  # an operator's profile for operator-CTO, computed by the host
        (2, "operator_id", SHORT_STR, True),
        (3, "name", SHORT_STR, True),
        (4, "annual_volume", U16, False),
        (5, "years", U16, False),
        (6, "last_year_cases", U16, False),
        (7, "last_year_successes", U16, False),
        # what the host's records behind the values cover ("from 12 cases since 2026-11-01"); added within
        # version 3: a receiver ignores keys it does not know, so an earlier panel takes the profile without it
        (8, "coverage", SHORT_STR, False),
    )),
    26: ("profile_stored", ((2, "operator_id", SHORT_STR, True),)),
}

# The reply each request expects (an error message may answer any request).
REPLY = {
    "hello": "hello_reply", "ping": "pong",
    "pair_start": "pair_challenge", "pair_confirm": "pair_done",
    "auth_start": "auth_challenge", "auth": "auth_ok", "unpair": "unpaired",
    "set_time": "time_set", "list_cases": "cases", "pull": "events", "ack": "acked",
    "list_anchors": "anchors", "profile": "profile_stored",
}

# The protocol version that introduced each request.
SINCE = {}
for _name in REPLY:
    SINCE[_name] = 1 if _name in ("hello", "ping") else 2

# The lowest session version in which the panel answers a request (E_VERSION below it): from
# version 3 on, everything past the handshake and ping needs a session that can seal its
# messages (bedlink.seal), so a v1 or v2 session keeps hello and ping only.
SEALED_FROM = 3


def needs(name):
    """The lowest session version in which the panel answers request `name`."""
    return 1 if name == "hello" or name == "ping" else SEALED_FROM

# Requests answered before authentication (plain frames); every other one only in a sealed
# session. Once sealed, a session refuses the four that authenticate (say hello to start over).
OPEN = ("hello", "ping", "pair_start", "pair_confirm", "auth_start", "auth")
AUTHENTICATING = ("pair_start", "pair_confirm", "auth_start", "auth")

TYPE_OF = {}
for _t in CATALOGUE:
    TYPE_OF[CATALOGUE[_t][0]] = _t


def _fits(kind, value):
    """(True, '') if value is of kind, else (False, what the kind is)."""
    k = kind[0]
    limit = kind[1]
    if k == "uint":
        return type(value) is int and 0 <= value <= limit, "an unsigned int <= %d" % limit
    if k == "str":
        return type(value) is str and len(value.encode("utf-8")) <= limit, "a str of <= %d bytes" % limit
    if k == "bin":
        least = kind[2] if len(kind) > 2 else 0
        what = ("%d bytes" % limit) if least == limit else ("bytes of length <= %d" % limit)
        return type(value) is bytes and least <= len(value) <= limit, what
    if k == "bool":
        return value is True or value is False, "true or false"
    if k == "list":
        item, most = limit
        if type(value) is not list or len(value) > most:
            return False, "a list of <= %d items" % most
        for v in value:
            ok, what = _fits(item, v)
            if not ok:
                return False, "a list of items each " + what
        return True, ""
    if type(value) is not list or len(value) != len(limit):  # row
        return False, "an array of %d values" % len(limit)
    for i in range(len(limit)):
        ok, what = _fits(limit[i], value[i])
        if not ok:
            return False, "a row whose item %d is %s" % (i, what)
    return True, ""


def _check(kind, value, field, seq):
    ok, what = _fits(kind, value)
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
