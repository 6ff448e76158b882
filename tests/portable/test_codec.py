"""Unit tests of the payload layers beyond the golden vectors: bedlink.mpack, bedlink.messages, bedlink.errors.

Covers: canonical encoding rules (smallest width, map entries sorted by encoded key,
bool distinct from int), what pack refuses (floats, out-of-range ints, depth > 16),
what unpack accepts (non-canonical widths, 4-byte UTF-8) and refuses (strict UTF-8 on
both runtimes, lengths beyond the data without allocating), the message codec's
checks on both the encode and decode side, and error naming.
Numbers: msgpack type tags and widths from github.com/msgpack/msgpack/blob/master/spec.md;
field limits from the catalogue in protocol/bedlink/messages.py; UTF-8 rules RFC 3629 §4.

Portable: runs on CPython (pytest) and MicroPython (tests/mprun.py). Run alone:
  .venv/bin/pytest tests/portable/test_codec.py
  MICROPYPATH=tests/portable:protocol .venv/bin/micropython tests/mprun.py test_codec
"""

from bedlink import errors, messages, mpack
from bedlink.errors import ProtocolError
from ptest import raises


def decode_error(fn, *args):
    """The ProtocolError fn(*args) raises, as (name, seq)."""
    e = raises(ProtocolError, fn, *args)
    return errors.name_of(e.code), e.seq


# --- mpack: encoding --------------------------------------------------------------


def test_pack_scalars():
    assert mpack.pack(None) == b"\xc0"
    assert mpack.pack(False) == b"\xc2"
    assert mpack.pack(True) == b"\xc3"
    assert mpack.pack(0) == b"\x00"
    assert mpack.pack(1) == b"\x01"
    assert mpack.pack(-1) == b"\xff"
    assert mpack.pack("") == b"\xa0"
    assert mpack.pack(b"") == b"\xc4\x00"
    assert mpack.pack([]) == b"\x90"
    assert mpack.pack({}) == b"\x80"


def test_pack_bool_and_int_stay_distinct():
    assert mpack.pack([True, 1, False, 0]) == b"\x94\xc3\x01\xc2\x00"
    v = mpack.unpack(b"\x94\xc3\x01\xc2\x00")
    assert [type(x) is bool for x in v] == [True, False, True, False]


def test_pack_smallest_int_widths():
    cases = [
        (127, b"\x7f"), (128, b"\xcc\x80"), (255, b"\xcc\xff"), (256, b"\xcd\x01\x00"),
        (65536, b"\xce\x00\x01\x00\x00"), (2**32, b"\xcf\x00\x00\x00\x01\x00\x00\x00\x00"),
        (-32, b"\xe0"), (-33, b"\xd0\xdf"), (-128, b"\xd0\x80"), (-129, b"\xd1\xff\x7f"),
        (-32769, b"\xd2\xff\xff\x7f\xff"), (-2**63, b"\xd3\x80\x00\x00\x00\x00\x00\x00\x00"),
    ]
    for n, b in cases:
        assert mpack.pack(n) == b, n
        assert mpack.unpack(b) == n, n


def test_pack_tuple_bytearray_memoryview_as_array_and_bin():
    assert mpack.pack((1, 2)) == mpack.pack([1, 2])
    assert mpack.pack(bytearray(b"ab")) == b"\xc4\x02ab"
    assert mpack.pack(memoryview(b"ab")) == b"\xc4\x02ab"


def test_pack_map_entries_sorted_by_encoded_key():
    m = {"b": 1, 300: 2, "a": 3, -1: 4, 5: 5, "": 6}
    b = mpack.pack(m)
    # 05 < a0 ("") < a1 61 ("a") < a1 62 ("b") < cd 01 2c (300) < ff (-1)
    assert b == b"\x86\x05\x05\xa0\x06\xa1a\x03\xa1b\x01\xcd\x01\x2c\x02\xff\x04"
    assert mpack.unpack(b) == m


def test_pack_same_map_same_bytes_whatever_the_insertion_order():
    a = {}
    b = {}
    keys = [9, "x", 0, "yy", 1000, -5, "z"]
    for k in keys:
        a[k] = k
    for k in reversed(keys):
        b[k] = k
    assert mpack.pack(a) == mpack.pack(b)


def test_pack_refuses_what_the_subset_cannot_hold():
    raises(TypeError, mpack.pack, 1.5)
    raises(TypeError, mpack.pack, [1, 2.0])
    raises(TypeError, mpack.pack, {1: set()})
    raises(TypeError, mpack.pack, {(1, 2): 0})  # unpack refuses such keys, so pack does too
    raises(TypeError, mpack.pack, {b"k": 0})
    raises(TypeError, mpack.pack, {None: 0})
    raises(ValueError, mpack.pack, 2**64)
    raises(ValueError, mpack.pack, -2**63 - 1)


def test_pack_depth_limit_matches_unpack():
    ok = 0
    for _ in range(16):
        ok = [ok]
    assert mpack.unpack(mpack.pack(ok)) == ok
    raises(ValueError, mpack.pack, [ok])
    e = raises(ProtocolError, mpack.unpack, b"\x91" + mpack.pack(ok))
    assert e.code == errors.E_DECODE


# --- mpack: decoding --------------------------------------------------------------


def test_unpack_accepts_non_canonical_widths():
    assert mpack.unpack(b"\xcc\x05") == 5
    assert mpack.unpack(b"\xd1\x00\x05") == 5
    assert mpack.unpack(b"\xd9\x01a") == "a"
    assert mpack.unpack(b"\xdc\x00\x01\x07") == [7]
    assert mpack.unpack(b"\xde\x00\x01\x01\x02") == {1: 2}
    assert mpack.unpack(b"\x82\x02\x00\x01\x00") == {1: 0, 2: 0}  # unsorted map


def test_unpack_utf8_of_every_length():
    for s in ("a", "\u00e9", "\u20ac", "\U0001f600", "a\u00e9\u20ac\U0001f600z"):
        b = mpack.pack(s)
        assert mpack.unpack(b) == s
    assert mpack.pack("\U0001f600") == b"\xa4\xf0\x9f\x98\x80"
    assert len(mpack.unpack(b"\xa4\xf0\x9f\x98\x80")) == 1
    # the edges RFC 3629 allows
    for raw in (b"\xc2\x80", b"\xdf\xbf", b"\xe0\xa0\x80", b"\xed\x9f\xbf", b"\xee\x80\x80",
                b"\xef\xbf\xbf", b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf"):
        s = mpack.unpack(bytes([0xA0 | len(raw)]) + raw)
        assert s.encode("utf-8") == raw and len(s) == 1, raw


def test_unpack_refuses_ill_formed_utf8():
    for raw in (b"\x80", b"\xc1\xbf", b"\xc0\x80", b"\xe0\x9f\xbf", b"\xed\xa0\x80",
                b"\xed\xbf\xbf", b"\xf0\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80",
                b"\xff", b"\xe2\x82", b"\xe2\x28\xa1", b"a\xf0\x9f\x98"):
        e = raises(ProtocolError, mpack.unpack, bytes([0xA0 | len(raw)]) + raw)
        assert e.code == errors.E_DECODE, raw


def test_unpack_refuses_lengths_beyond_the_data():
    # a 4 GiB claim must fail on the length check, before any allocation
    for head in (b"\xdb", b"\xc6", b"\xdd", b"\xdf"):
        e = raises(ProtocolError, mpack.unpack, head + b"\xff\xff\xff\xff")
        assert e.code == errors.E_DECODE
    assert decode_error(mpack.unpack, b"\x9f")[0] == "E_DECODE"


def test_unpack_refuses_bad_input_with_e_decode():
    for data in (b"", b"\xc1", b"\xcb" + bytes(8), b"\xd5\x00\x00\x00", b"\x01\x01",
                 b"\x82\x01\x01\x01\x02", b"\x81\xc0\x01", b"\x81\xc4\x00\x01", b"\x81\x91\x00\x00"):
        assert decode_error(mpack.unpack, data) == ("E_DECODE", 0), data


def test_unpack_returns_bytes_for_bin_even_from_bytearray():
    v = mpack.unpack(bytearray(b"\xc4\x02\x00\x01"))
    assert type(v) is bytes and v == b"\x00\x01"
    v = mpack.unpack(memoryview(b"\xa2hi"))
    assert v == "hi"


# --- messages ---------------------------------------------------------------------


def test_message_round_trip_every_type():
    samples = {
        "hello": {"vmin": 1, "vmax": 2, "max_frame": 512},
        "hello_reply": {"version": 1, "device_id": "d", "firmware": "f", "max_frame": 9, "content": "c"},
        "ping": {"data": b"\x00\xff"},
        "pong": {"rx_frames": 1, "rx_dropped": 2},
        "error": {"code": errors.E_SHAPE, "reason": "r"},
        "pair_start": {"host_id": "h", "host_name": "desk", "host_nonce": bytes(16)},
        "pair_challenge": {"panel_nonce": bytes(16)},
        "pair_confirm": {"proof": bytes(32)},
        "pair_done": {"proof": bytes(32)},
        "auth_start": {"host_id": "h", "host_nonce": bytes(16)},
        "auth_challenge": {"panel_nonce": bytes(16)},
        "auth": {"mac": bytes(32)},
        "auth_ok": {"mac": bytes(32)},
        "unpair": {},
        "unpaired": {},
        "set_time": {"wall_ms": 2**63},
        "time_set": {"boot": 1, "ticks": 2},
        "list_cases": {"start": 0},
        "cases": {"cases": [["c", 1, 1, True]], "next": 0, "storage": "ok"},
        "pull": {"case": "c", "start": 1, "window": 8},
        "events": {"case": "c", "first": 1, "events": [b"\x80"], "last": True},
        "ack": {"case": "c", "upto": 1},
        "acked": {"case": "c", "upto": 1},
        "list_anchors": {"start": 0},
        "anchors": {"anchors": [[1, 2, 3]], "next": 0},
        "profile": {"operator_id": "o", "name": "n", "years": 3},
        "profile_stored": {"operator_id": "o"},
    }
    for t in messages.CATALOGUE:
        name = messages.CATALOGUE[t][0]
        p = messages.encode(name, 42, samples[name])
        assert mpack.unpack(p)[0] == t
        assert messages.decode(p) == (name, 42, samples[name])


def test_message_layout_keys_0_type_1_seq():
    assert messages.encode("ping", 5) == b"\x82\x00\x03\x01\x05"
    assert messages.encode("ping", 5, {"data": b"x"}) == b"\x83\x00\x03\x01\x05\x02\xc4\x01x"


def test_decode_ignores_unknown_keys():
    p = mpack.pack({0: 3, 1: 9, 2: b"ab", 50: "later", "x": [1]})
    assert messages.decode(p) == ("ping", 9, {"data": b"ab"})


def test_encode_refuses_bad_messages():
    assert decode_error(messages.encode, "nope", 3, {}) == ("E_UNKNOWN_TYPE", 3)
    assert decode_error(messages.encode, "ping", 65536, {})[0] == "E_SHAPE"
    assert decode_error(messages.encode, "ping", -1, {})[0] == "E_SHAPE"
    assert decode_error(messages.encode, "ping", True, {})[0] == "E_SHAPE"
    assert decode_error(messages.encode, "ping", 4, {"extra": 1}) == ("E_SHAPE", 4)
    assert decode_error(messages.encode, "hello", 4, {"vmin": 1, "vmax": 1}) == ("E_SHAPE", 4)
    assert decode_error(messages.encode, "ping", 4, {"data": bytes(257)}) == ("E_SHAPE", 4)
    assert decode_error(messages.encode, "ping", 4, {"data": "str"}) == ("E_SHAPE", 4)
    assert decode_error(messages.encode, "pong", 4, {"rx_frames": True, "rx_dropped": 0}) == ("E_SHAPE", 4)
    assert decode_error(messages.encode, "pong", 4, {"rx_frames": 2**32, "rx_dropped": 0}) == ("E_SHAPE", 4)
    long_id = "\u00e9" * 33  # 33 characters, 66 bytes
    f = {"version": 1, "device_id": long_id, "firmware": "", "max_frame": 0, "content": ""}
    assert decode_error(messages.encode, "hello_reply", 4, f) == ("E_SHAPE", 4)
    f["device_id"] = "\u00e9" * 32  # 64 bytes: the limit
    assert messages.decode(messages.encode("hello_reply", 4, f))[2]["device_id"] == f["device_id"]


def test_decode_keeps_the_seq_it_could_read():
    assert decode_error(messages.decode, mpack.pack({0: 77, 1: 300})) == ("E_UNKNOWN_TYPE", 300)
    assert decode_error(messages.decode, mpack.pack({0: 1, 1: 301})) == ("E_SHAPE", 301)
    assert decode_error(messages.decode, mpack.pack({0: 3})) == ("E_SHAPE", 0)
    assert decode_error(messages.decode, b"\x82\x00\x03\x01") == ("E_DECODE", 0)


def test_catalogue_is_consistent():
    seen_types = {}
    for t in messages.CATALOGUE:
        name, spec = messages.CATALOGUE[t]
        assert messages.TYPE_OF[name] == t and name not in seen_types
        seen_types[name] = True
        keys = [s[0] for s in spec]
        assert len(keys) == len(set(keys)) and (not keys or min(keys) >= 2)
    for req in messages.REPLY:
        assert req in messages.TYPE_OF and messages.REPLY[req] in messages.TYPE_OF
        assert messages.SINCE[req] in (1, 2)


# --- errors -----------------------------------------------------------------------


def test_error_names_and_str():
    assert errors.name_of(errors.E_CRC) == "E_CRC"
    assert errors.name_of(99) == "E_?99"
    e = errors.ProtocolError(errors.E_SHAPE, "bad", 12)
    assert e.code == errors.E_SHAPE and e.seq == 12 and str(e) == "E_SHAPE: bad"
    assert errors.ProtocolError(errors.E_CRC, "x").seq == 0
    codes = list(errors.NAMES)
    assert len(codes) == len(set(errors.NAMES[c] for c in codes))
    for c in codes:
        assert errors.NAMES[c] == "E_" + errors.NAMES[c][2:] and 0 < c < 64
