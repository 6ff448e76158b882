# protocol/gen_vectors.py — generates the golden test vectors of the bedlink wire contract, v1 to v3.
#
# Run from the repository root (or `make vectors`):
#   .venv/bin/python protocol/gen_vectors.py             rewrite protocol/vectors/*.jsonl
#   .venv/bin/python protocol/gen_vectors.py --check     exit 1, with a diff summary, if the
#                                                        committed files differ from a fresh run
#   .venv/bin/python protocol/gen_vectors.py --out DIR   write the files into DIR instead
#
# The vectors are produced with bedlink itself; their independent check is
# tests/test_protocol_reference.py (PyPI msgpack, cobs and zlib.crc32), and
# tests/portable/test_vectors.py replays them on CPython and MicroPython.
#
# protocol/vectors/v1.jsonl — positive vectors, one JSON object per line, keys sorted:
#   {"kind": "message", "name", "fields", "payload", "hex"}
#       fields  = {"type": <message name>, "seq": <int>, <field name>: <value>, ...}
#       payload = hex of messages.encode(type, seq, fields) (canonical msgpack)
#       hex     = hex of framing.encode_frame(payload), the wire bytes incl. the closing 00
#   {"kind": "frame", "name", "payload", "hex"}      framing edge cases (any payload bytes)
#   {"kind": "stream", "name", "hex", "frames", "errors"}
#       hex is a byte stream; fed to FrameDecoder(1024) whole or in pieces of any size
#       it completes exactly `frames` (hex payloads, in order) and drops frames with
#       exactly `errors` (error names, in order).
#   {"kind": "msgpack", "name", "value", "hex"}      hex = mpack.pack(value)
# protocol/vectors/v1-negative.jsonl — inputs that must be refused:
#   {"layer": "frame", "name", "hex", "error"}    hex = wire bytes incl. the closing 00,
#       fed to a FrameDecoder(1024); it must return exactly one ProtocolError `error`.
#   {"layer": "message", "name", "hex", "error"[, "seq"]}   hex = payload given to
#       messages.decode; it must raise `error`. "seq" is present when the payload's seq
#       can be read, and the error must keep it; without "seq" the error's seq is 0.
#   {"layer": "msgpack", "name", "hex", "error"}  hex given to mpack.unpack.
#
# JSON encoding of values in "fields" and "value" (JSON has no bytes, only string map keys):
#   nil, bool, int, str, array -> null, true/false, number, string, list
#   bin                        -> {"bin": "<hex>"}
#   map                        -> {"map": [[key, value], ...]} with the entries in
#                                 canonical wire order (sorted by encoded key bytes)
# All hex is lower case. Files are ASCII (non-ASCII text is \u-escaped) and text
# values stay in the Basic Multilingual Plane: MicroPython's json module does not
# join \u surrogate pairs. Line order is fixed by this script; never reorder.

import binascii
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bedlink import errors, framing, messages, mpack  # noqa: E402
from bedlink.errors import ProtocolError  # noqa: E402

MAX = framing.DEFAULT_MAX_PAYLOAD  # 1024
FILES = ("v1.jsonl", "v1-negative.jsonl", "v2.jsonl", "v2-negative.jsonl", "v3.jsonl", "v3-negative.jsonl",
         "v3-panel.jsonl")
# Version 1's files stay byte-identical: version 2 adds messages and changes no v1 byte; version 3
# seals the messages of an authenticated session and changes no message's bytes
# (gen_vectors_v3.py writes its files).


def hx(b):
    return binascii.hexlify(bytes(b)).decode("ascii")


def to_json(v):
    """A msgpack-subset value as JSON (see the header)."""
    if isinstance(v, (bytes, bytearray)):
        return {"bin": hx(v)}
    if isinstance(v, dict):
        keys = sorted(v, key=mpack.pack)
        return {"map": [[to_json(k), to_json(v[k])] for k in keys]}
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    return v


def fields_json(name, seq, fields):
    out = {"type": name, "seq": seq}
    for k, v in fields.items():
        out[k] = to_json(v)  # bytes -> {"bin": hex}, also inside lists and rows
    return out


def pattern(n, seed=0):
    """n deterministic non-zero bytes."""
    return bytes((i * 7 + seed) % 255 + 1 for i in range(n))


def crc_le(payload):
    return framing.crc32(payload).to_bytes(4, "little")


def nonzero_body(n_payload, seed=0):
    """A payload of n_payload bytes such that payload ‖ CRC holds no zero byte."""
    base = bytearray(pattern(n_payload, seed))
    for last in range(1, 256):
        if n_payload:
            base[-1] = last
        if 0 not in crc_le(bytes(base)):
            return bytes(base)
    raise AssertionError("no zero-free CRC for %d bytes" % n_payload)


def wire(body):
    """COBS(body) + 00 for an arbitrary body (no CRC added): for hand-made bad frames."""
    from bedlink import cobs

    return cobs.encode(body) + b"\x00"


# ---------------------------------------------------------------------------
# Positive vectors


def text_of_bytes(n, unit):
    """A str of exactly n UTF-8 bytes, built from `unit` (BMP text) and padded with ASCII."""
    s = ""
    while len((s + unit).encode("utf-8")) <= n:
        s += unit
    s += "x" * (n - len(s.encode("utf-8")))
    assert len(s.encode("utf-8")) == n
    return s


U32_MAX = 0xFFFFFFFF

MESSAGES = [
    # name, type, seq, fields
    ("hello", "hello", 1, {"vmin": 1, "vmax": 1, "max_frame": 1024}),
    ("hello_seq0_zeros", "hello", 0, {"vmin": 0, "vmax": 0, "max_frame": 0}),
    ("hello_seq65535_max", "hello", 65535, {"vmin": 65535, "vmax": 65535, "max_frame": U32_MAX}),
    ("hello_uint_widths", "hello", 128, {"vmin": 127, "vmax": 256, "max_frame": 65536}),
    ("hello_reply", "hello_reply", 1, {
        "version": 1, "device_id": "BS-0001", "firmware": "0.1.0",
        "max_frame": 1024, "content": "2024.11"}),
    ("hello_reply_empty_strs", "hello_reply", 2, {
        "version": 0, "device_id": "", "firmware": "", "max_frame": 0, "content": ""}),
    ("hello_reply_str_max_non_ascii", "hello_reply", 65535, {
        "version": 65535,
        "device_id": text_of_bytes(64, "\u00e9"),  # 32 x e-acute: 32 chars, 64 bytes
        "firmware": text_of_bytes(64, "\u2603"),  # 21 snowmen + 'x': 22 chars, 64 bytes
        "max_frame": U32_MAX,
        "content": text_of_bytes(64, "K\u00f6ln \u4e2d "),  # 1-, 2- and 3-byte characters
    }),
    ("hello_reply_str_max_ascii", "hello_reply", 3, {
        "version": 1, "device_id": "D" * 64, "firmware": "F" * 64,
        "max_frame": 255, "content": "C" * 64}),
    ("ping", "ping", 1, {}),
    ("ping_seq0", "ping", 0, {}),
    ("ping_seq65535", "ping", 65535, {}),
    ("ping_data_empty", "ping", 2, {"data": b""}),
    ("ping_data_1", "ping", 3, {"data": b"\x00"}),
    ("ping_data_256", "ping", 4, {"data": bytes(range(256))}),
    ("pong", "pong", 1, {"rx_frames": 0, "rx_dropped": 0}),
    ("pong_data", "pong", 5, {"data": b"\x00\x01\xfe\xff", "rx_frames": 12345, "rx_dropped": 3}),
    ("pong_data_empty", "pong", 6, {"data": b"", "rx_frames": 1, "rx_dropped": 0}),
    ("pong_data_256_max", "pong", 65535, {
        "data": bytes(255 - i for i in range(256)), "rx_frames": U32_MAX, "rx_dropped": U32_MAX}),
    ("pong_uint_widths", "pong", 256, {"rx_frames": 4294967294, "rx_dropped": 65535}),
    ("error_E_DECODE", "error", 0, {
        "code": errors.E_DECODE, "reason": "truncated msgpack: 1 bytes needed at offset 7"}),
    ("error_E_SHAPE", "error", 7, {
        "code": errors.E_SHAPE, "reason": "field 'vmin' must be an unsigned int <= 65535"}),
    ("error_E_UNKNOWN_TYPE", "error", 4242, {
        "code": errors.E_UNKNOWN_TYPE, "reason": "unknown message type 99"}),
    ("error_E_VERSION", "error", 1, {"code": errors.E_VERSION, "reason": "panel speaks versions 1..1"}),
    ("error_E_INTERNAL", "error", 65535, {"code": errors.E_INTERNAL, "reason": "ZeroDivisionError: divide by zero"}),
    ("error_reason_empty", "error", 1, {"code": errors.E_INTERNAL, "reason": ""}),
    ("error_reason_max_non_ascii", "error", 9, {
        "code": errors.E_SHAPE, "reason": text_of_bytes(200, "Fehler \u00fc\u2260 ")}),
]

# Error codes that travel inside an error message (frame-layer codes never do).
WIRE_ERRORS = ("E_DECODE", "E_SHAPE", "E_UNKNOWN_TYPE", "E_VERSION", "E_INTERNAL")


def message_vectors(table=None):
    table = MESSAGES if table is None else table
    if table is MESSAGES:
        sent = [errors.name_of(f["code"]) for _n, t, _s, f in MESSAGES if t == "error"]
        assert all(e in sent for e in WIRE_ERRORS)
    assert all(t in [m[1] for m in MESSAGES + MESSAGES_V2] for t in messages.TYPE_OF)
    out = []
    for name, mtype, seq, fields in table:
        payload = messages.encode(mtype, seq, fields)
        assert messages.decode(payload) == (mtype, seq, fields), name
        out.append({
            "name": name, "kind": "message", "fields": fields_json(mtype, seq, fields),
            "payload": hx(payload), "hex": hx(framing.encode_frame(payload)),
        })
    return out


N16 = bytes(range(16))
N16B = bytes(range(0xF0, 0x100))
M32 = bytes(range(32))
EV = mpack.pack({"seq": 1, "t": 1000, "k": "open", "case": "c0ffee01", "cv": "cto-2026.11.1", "fw": "0.1.0"})
EV2 = mpack.pack({"seq": 2, "t": 2500, "k": "finding", "f": "length_mm", "v": 25, "src": "ct"})

# Version 2: pairing, authentication, time, sync, operator profiles.
MESSAGES_V2 = [
    ("pair_start", "pair_start", 10, {"host_id": "h-5a17c0de", "host_name": "Cath lab 2 nurses' desk",
                                      "host_nonce": N16}),
    ("pair_challenge", "pair_challenge", 10, {"panel_nonce": N16B}),
    ("pair_confirm", "pair_confirm", 11, {"proof": M32}),
    ("pair_done", "pair_done", 11, {"proof": M32[::-1]}),
    ("auth_start", "auth_start", 12, {"host_id": "h-5a17c0de", "host_nonce": N16}),
    ("auth_challenge", "auth_challenge", 12, {"panel_nonce": N16B}),
    ("auth", "auth", 13, {"mac": M32}),
    ("auth_ok", "auth_ok", 13, {"mac": M32[::-1]}),
    ("unpair", "unpair", 14, {}),
    ("unpaired", "unpaired", 14, {}),
    ("set_time", "set_time", 15, {"wall_ms": 1795252800000}),
    ("set_time_u64_max", "set_time", 16, {"wall_ms": 2**64 - 1}),
    ("time_set", "time_set", 15, {"boot": 7, "ticks": 123456}),
    ("list_cases", "list_cases", 17, {"start": 0}),
    ("list_cases_page_2", "list_cases", 18, {"start": 32}),
    ("cases_empty", "cases", 17, {"cases": [], "next": 0, "storage": "ok"}),
    ("cases_two", "cases", 17, {"cases": [["c0ffee01", 200, 150, True], ["c0ffee02", 12, 0, False]],
                                "next": 0, "storage": "low"}),
    ("cases_page_full", "cases", 18, {"cases": [["c%07d" % i, i, 0, False] for i in range(32)],
                                      "next": 32, "storage": "full"}),
    ("pull", "pull", 19, {"case": "c0ffee01", "start": 151, "window": 64}),
    ("events_one", "events", 19, {"case": "c0ffee01", "first": 1, "events": [EV], "last": False}),
    ("events_two_last", "events", 19, {"case": "c0ffee01", "first": 1, "events": [EV, EV2], "last": True}),
    ("events_none_last", "events", 19, {"case": "c0ffee01", "first": 201, "events": [], "last": True}),
    ("events_live_push", "events", 0, {"case": "c0ffee01", "first": 2, "events": [EV2], "last": True}),
    ("ack", "ack", 20, {"case": "c0ffee01", "upto": 200}),
    ("acked", "acked", 20, {"case": "c0ffee01", "upto": 200}),
    ("list_anchors", "list_anchors", 21, {"start": 0}),
    ("anchors", "anchors", 21, {"anchors": [[1, 5000, 1795252800000], [2, 300, 1795339200000]], "next": 0}),
    ("profile_full", "profile", 22, {"operator_id": "op-7", "name": "Dr A. Operator", "annual_volume": 80,
                                     "years": 6, "last_year_cases": 64, "last_year_successes": 58}),
    ("profile_name_only", "profile", 23, {"operator_id": "op-8", "name": "Dr B. New"}),
    ("profile_stored", "profile_stored", 22, {"operator_id": "op-7"}),
    ("pong_heap_free", "pong", 29, {"rx_frames": 3, "rx_dropped": 0, "heap_free": 131072}),
    ("error_E_AUTH", "error", 24, {"code": errors.E_AUTH, "reason": "authenticate first"}),
    ("error_E_PAIRING", "error", 25, {"code": errors.E_PAIRING, "reason": "no pairing in progress"}),
    ("error_E_LOCKED", "error", 26, {"code": errors.E_LOCKED, "reason": "too many failed attempts: retry in 8 s"}),
    ("error_E_NO_CASE", "error", 27, {"code": errors.E_NO_CASE, "reason": "no case c0ffee99"}),
    ("error_E_STORAGE", "error", 28, {"code": errors.E_STORAGE, "reason": "storage full: nothing recorded"}),
]


def message_rows(cases):
    """Negative message vectors from (name, payload, error name, seq or None), each checked to be refused so."""
    out = []
    for name, data, err, seq in cases:
        try:
            messages.decode(data)
        except ProtocolError as e:
            assert errors.name_of(e.code) == err and e.seq == (seq or 0), (name, e, e.seq)
        else:
            raise AssertionError("%s decoded" % name)
        v = {"name": name, "layer": "message", "hex": hx(data), "error": err}
        if seq is not None:  # the seq could be read: the error must keep it
            v["seq"] = seq
        out.append(v)
    return out


def message_negatives_v2():
    P = mpack.pack
    cases = [
        ("nonce_15_bytes", P({0: 5, 1: 3, 2: "h", 3: "n", 4: bytes(15)}), "E_SHAPE", 3),
        ("nonce_17_bytes", P({0: 9, 1: 3, 2: "h", 3: bytes(17)}), "E_SHAPE", 3),
        ("mac_31_bytes", P({0: 11, 1: 4, 2: bytes(31)}), "E_SHAPE", 4),
        ("mac_is_str", P({0: 11, 1: 4, 2: "x" * 32}), "E_SHAPE", 4),
        ("wall_ms_over_u64_is_refused_by_msgpack", b"\x83\x00\x0f\x01\x05\x02\xcb" + bytes(8), "E_DECODE", None),
        ("bool_is_int", P({0: 20, 1: 5, 2: "c", 3: 1, 4: [], 5: 1}), "E_SHAPE", 5),
        ("events_item_is_str", P({0: 20, 1: 5, 2: "c", 3: 1, 4: ["e"], 5: True}), "E_SHAPE", 5),
        ("events_item_1001_bytes", P({0: 20, 1: 5, 2: "c", 3: 1, 4: [bytes(1001)], 5: True}), "E_SHAPE", 5),
        ("events_not_a_list", P({0: 20, 1: 5, 2: "c", 3: 1, 4: b"e", 5: True}), "E_SHAPE", 5),
        ("case_row_3_items", P({0: 18, 1: 6, 2: [["c", 1, 0]], 3: 0, 4: "ok"}), "E_SHAPE", 6),
        ("case_row_5_items", P({0: 18, 1: 6, 2: [["c", 1, 0, False, 1]], 3: 0, 4: "ok"}), "E_SHAPE", 6),
        ("case_row_closed_is_int", P({0: 18, 1: 6, 2: [["c", 1, 0, 0]], 3: 0, 4: "ok"}), "E_SHAPE", 6),
        ("cases_33_rows", P({0: 18, 1: 6, 2: [["c", 1, 0, False]] * 33, 3: 0, 4: "ok"}), "E_SHAPE", 6),
        ("anchor_row_wall_negative", P({0: 24, 1: 7, 2: [[1, 2, -3]], 3: 0}), "E_SHAPE", 7),
        ("pull_missing_window", P({0: 19, 1: 8, 2: "c", 3: 1}), "E_SHAPE", 8),
        ("ack_upto_u32_over", P({0: 21, 1: 9, 2: "c", 3: 2**32}), "E_SHAPE", 9),
        ("profile_missing_name", P({0: 25, 1: 10, 2: "op"}), "E_SHAPE", 10),
        ("unknown_type_27", P({0: 27, 1: 11}), "E_UNKNOWN_TYPE", 11),
    ]
    return message_rows(cases)


def frame_vectors():
    cases = [
        ("frame_1_byte", b"\x2a"),
        ("frame_1_byte_zero", b"\x00"),
        ("frame_leading_zero", b"\x00\x01\x02\x03"),
        ("frame_trailing_zero", b"\x01\x02\x03\x00"),
        ("frame_all_zeros_8", b"\x00" * 8),
        ("frame_zeros_inside", b"\x11\x00\x00\x22\x00\x33"),
    ]
    # COBS blocks hold at most 254 data bytes: payload ‖ CRC of 253..256 and 507..510
    # zero-free bytes straddle the first and second block boundary.
    for total in (253, 254, 255, 256, 507, 508, 509, 510):
        cases.append(("frame_nonzero_body_%d" % total, nonzero_body(total - 4, total)))
    cases.append(("frame_zero_after_254_run", pattern(254, 1) + b"\x00" + pattern(10, 2)))
    cases.append(("frame_zero_at_253", pattern(253, 3) + b"\x00" + pattern(10, 4)))
    cases.append(("frame_zeros_every_254", (pattern(254, 5) + b"\x00") * 3))
    # The largest payload: zero-free with a zero-free CRC, so its encoding is the
    # longest the decoder must hold (framing.max_encoded(1024) = 1033 bytes).
    big = nonzero_body(MAX, 6)
    cases.append(("frame_max_payload_nonzero", big))
    cases.append(("frame_max_payload_zeros", b"\x00" * MAX))
    cases.append(("frame_max_payload_all_bytes", bytes(i % 256 for i in range(MAX))))
    out = []
    for name, payload in cases:
        frame = framing.encode_frame(payload)
        if name == "frame_max_payload_nonzero":
            assert len(frame) - 1 == framing.max_encoded(MAX), len(frame)
        if name.startswith("frame_nonzero_body_"):
            assert 0 not in payload + crc_le(payload), name
        assert framing.FrameDecoder(MAX).feed(frame) == [payload], name
        out.append({"name": name, "kind": "frame", "payload": hx(payload), "hex": hx(frame)})
    return out


def stream_vectors():
    f = framing.encode_frame
    a = messages.encode("ping", 1, {"data": b"\x00\x01"})
    b = messages.encode("pong", 1, {"data": b"\x00\x01", "rx_frames": 1, "rx_dropped": 0})
    c = messages.encode("ping", 2, {})
    bad_crc = bytearray(a + crc_le(a))
    bad_crc[-1] ^= 0x01
    cases = [
        ("stream_two_frames", f(a) + f(b)),
        ("stream_three_frames", f(a) + f(b) + f(c)),
        ("stream_leading_delimiter", b"\x00" + f(a)),
        ("stream_extra_delimiters", b"\x00\x00" + f(a) + b"\x00\x00\x00" + f(b) + b"\x00"),
        ("stream_only_delimiters", b"\x00" * 5),
        ("stream_garbage_crc_then_frame", wire(pattern(12, 9)) + f(a)),
        ("stream_garbage_cobs_then_frame", b"\x09\x01\x02\x00" + f(a)),
        ("stream_garbage_short_then_frame", b"\x01\x02\x03\x00" + f(a)),
        ("stream_noise_burst_then_frame", pattern(2000, 11) + b"\x00" + f(a)),
        ("stream_bad_crc_between_frames", f(a) + wire(bytes(bad_crc)) + f(b)),
        # garbage with no delimiter before a frame spoils that frame only
        ("stream_garbage_glued_to_frame", b"\x02\x42" + f(a) + f(c)),
        ("stream_partial_tail", f(a) + f(b)[:9]),
        ("stream_max_frames", f(nonzero_body(MAX, 6)) + f(b"\x00" * MAX)),
    ]
    out = []
    for name, stream in cases:
        frames, errs = [], []
        for item in framing.FrameDecoder(MAX).feed(stream):
            if isinstance(item, ProtocolError):
                errs.append(errors.name_of(item.code))
            else:
                frames.append(hx(item))
        out.append({"name": name, "kind": "stream", "hex": hx(stream), "frames": frames, "errors": errs})
    # The generator's own expectations, so that a decoder bug does not become a vector.
    want = {
        "stream_two_frames": (2, []), "stream_three_frames": (3, []),
        "stream_leading_delimiter": (1, []), "stream_extra_delimiters": (2, []),
        "stream_only_delimiters": (0, []),
        "stream_garbage_crc_then_frame": (1, ["E_CRC"]),
        "stream_garbage_cobs_then_frame": (1, ["E_COBS"]),
        "stream_garbage_short_then_frame": (1, ["E_TRUNCATED"]),
        "stream_noise_burst_then_frame": (1, ["E_OVERSIZE"]),
        "stream_bad_crc_between_frames": (2, ["E_CRC"]),
        "stream_garbage_glued_to_frame": (1, ["E_CRC"]),
        "stream_partial_tail": (1, []), "stream_max_frames": (2, []),
    }
    for v in out:
        assert (len(v["frames"]), v["errors"]) == want[v["name"]], v["name"]
    return out


def nested(depth, leaf):
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


def msgpack_vectors():
    cases = [("nil", None), ("false", False), ("true", True)]
    ints = [0, 1, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1,
            -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63]
    for n in ints:
        cases.append(("int_%s" % (str(n) if n >= 0 else "neg%d" % -n), n))
    # str lengths are UTF-8 bytes; the short ones mix in non-ASCII text so that a
    # length counted in characters would pick the wrong header.
    cases.append(("str_0", ""))
    cases.append(("str_31_bytes", text_of_bytes(31, "\u00e9")))
    cases.append(("str_32_bytes", text_of_bytes(32, "\u00e9")))
    cases.append(("str_255_bytes", text_of_bytes(255, "\u20ac")))
    cases.append(("str_256_bytes", text_of_bytes(256, "\u20ac")))
    cases.append(("str_65536_bytes", text_of_bytes(65536, "0123456789abcdef")))
    for n in (0, 1, 255, 256, 65536):
        cases.append(("bin_%d" % n, bytes(i % 256 for i in range(n))))
    for n in (0, 15, 16):
        cases.append(("array_%d" % n, list(range(n))))
    cases.append(("array_mixed", [None, True, False, 0, -1, "", b"", [], {}]))
    for n in (0, 15, 16):
        cases.append(("map_%d" % n, {i: "v%d" % i for i in range(n)}))
    cases.append(("map_16_str_keys", {"k%02d" % i: i for i in range(16)}))
    cases.append(("map_mixed_keys_canonical", {
        "a": 1, 200: 2, -1: 3, "": 4, 0: 5, 1: 6, "b": 7, "aa": 8, -33: 9, 65536: 10, "\u00e9": 11}))
    cases.append(("map_str_keys_length_first", {"zz": 1, "b": 2, "a": 3, "aaa": 4}))
    cases.append(("nested", {"a": [1, [2, {"b": None, "c": b"\x00"}]], 0: {1: [True, {"d": []}]}}))
    cases.append(("nested_depth_16", nested(16, 0)))  # the deepest value accepted: depth 16
    cases.append(("nested_maps_depth_16", {0: nested(15, {})}))
    out = []
    for name, value in cases:
        b = mpack.pack(value)
        assert mpack.unpack(b) == value, name
        out.append({"name": name, "kind": "msgpack", "value": to_json(value), "hex": hx(b)})
    return out


# ---------------------------------------------------------------------------
# Negative vectors


def frame_negatives():
    ping = messages.encode("ping", 7, {"data": b"\x01\x02\x03"})
    good = ping + crc_le(ping)
    flip_payload = bytearray(good)
    flip_payload[5] ^= 0x01
    flip_crc = bytearray(good)
    flip_crc[-1] ^= 0xFF
    crc_be = ping + framing.crc32(ping).to_bytes(4, "big")
    over_nz = nonzero_body(MAX + 1, 13)
    over_z = b"\x00" * (MAX + 1)
    good_frame = framing.encode_frame(ping)
    last_code_runs_over = bytearray(good_frame[:-1])
    # the last COBS block's code byte: walk the blocks
    i = 0
    while i + last_code_runs_over[i] < len(last_code_runs_over):
        i += last_code_runs_over[i]
    last_code_runs_over[i] += 1
    cases = [
        ("crc_flipped_payload_bit", wire(bytes(flip_payload)), "E_CRC"),
        ("crc_flipped_crc_byte", wire(bytes(flip_crc)), "E_CRC"),
        ("crc_big_endian", wire(crc_be), "E_CRC"),
        ("crc_of_other_payload", wire(ping + crc_le(ping[:-1])), "E_CRC"),
        ("truncated_0_bytes", b"\x01\x00", "E_TRUNCATED"),
        ("truncated_1_byte", wire(b"\x01"), "E_TRUNCATED"),
        ("truncated_2_bytes", wire(b"\x01\x02"), "E_TRUNCATED"),
        ("truncated_3_bytes", wire(b"\x00\x01\x02"), "E_TRUNCATED"),
        ("truncated_4_bytes", wire(b"\x01\x02\x03\x04"), "E_TRUNCATED"),
        # CRC32 of the empty payload is 0: a frame holding only a valid CRC is still refused.
        ("truncated_empty_payload_valid_crc", wire(crc_le(b"")), "E_TRUNCATED"),
        ("oversize_payload_1025_nonzero", wire(over_nz + crc_le(over_nz)), "E_OVERSIZE"),
        ("oversize_payload_1025_zeros", wire(over_z + crc_le(over_z)), "E_OVERSIZE"),
        ("oversize_run_5000_no_delimiter", pattern(5000, 17) + b"\x00", "E_OVERSIZE"),
        ("cobs_code_past_end", b"\x05\x11\x22\x00", "E_COBS"),
        ("cobs_ff_block_past_end", b"\xff" + pattern(10, 19) + b"\x00", "E_COBS"),
        ("cobs_last_code_past_end", bytes(last_code_runs_over) + b"\x00", "E_COBS"),
    ]
    out = []
    for name, data, err in cases:
        got = framing.FrameDecoder(MAX).feed(data)
        assert len(got) == 1 and isinstance(got[0], ProtocolError), name
        assert errors.name_of(got[0].code) == err, (name, got[0])
        out.append({"name": name, "layer": "frame", "hex": hx(data), "error": err})
    return out


def raw_map(*pairs):
    """A msgpack map in the given entry order (for payloads pack() would not produce)."""
    b = bytearray()
    assert len(pairs) < 16
    b.append(0x80 | len(pairs))
    for k, v in pairs:
        b += k if isinstance(k, (bytes, bytearray)) else mpack.pack(k)
        b += v if isinstance(v, (bytes, bytearray)) else mpack.pack(v)
    return bytes(b)


class Raw(bytes):
    """Already-encoded msgpack bytes, spliced into raw_map as they are."""


def message_negatives():
    P = mpack.pack
    hello = {0: 1, 1: 5, 2: 1, 3: 1, 4: 1024}
    hello_reply = {0: 2, 1: 6, 2: 1, 3: "BS-0001", 4: "0.1.0", 5: 1024, 6: "2024.11"}

    def with_(m, **kw):
        m = dict(m)
        for k, v in kw.items():
            m[int(k[1:])] = v
        return m

    def without(m, key):
        m = dict(m)
        del m[key]
        return m

    ping_ok = P({0: 3, 1: 8})

    def reply_with_device_id_bytes(raw_str):
        # hello_reply whose device_id (key 3) is the str with these raw UTF-8 bytes.
        return raw_map((0, 2), (1, 6), (2, 1), (3, bytes([0xA0 | len(raw_str)]) + raw_str),
                       (4, "0.1.0"), (5, 1024), (6, "c"))

    cases = [
        ("unknown_type_99", P({0: 99, 1: 4242}), "E_UNKNOWN_TYPE", 4242),
        ("unknown_type_0", P({0: 0, 1: 1}), "E_UNKNOWN_TYPE", 1),
        ("unknown_type_126", P({0: 126, 1: 65535, 2: 1}), "E_UNKNOWN_TYPE", 65535),
        ("not_a_map_array", P([3, 1]), "E_SHAPE", None),
        ("not_a_map_nil", P(None), "E_SHAPE", None),
        ("not_a_map_int", P(3), "E_SHAPE", None),
        ("missing_seq", P({0: 3}), "E_SHAPE", None),
        ("seq_65536", P({0: 3, 1: 65536}), "E_SHAPE", None),
        ("seq_negative", P({0: 3, 1: -1}), "E_SHAPE", None),
        ("seq_bool", P({0: 3, 1: True}), "E_SHAPE", None),
        ("seq_str", P({0: 3, 1: "1"}), "E_SHAPE", None),
        ("missing_type", P({1: 9}), "E_SHAPE", 9),
        ("missing_fields_seq_0", P({0: 1, 1: 0}), "E_SHAPE", 0),  # seq 0 read, and kept
        ("type_str", P({0: "ping", 1: 9}), "E_SHAPE", 9),
        ("type_bool", P({0: True, 1: 9}), "E_SHAPE", 9),
        ("missing_field_hello_max_frame", P(without(hello, 4)), "E_SHAPE", 5),
        ("missing_field_pong_rx_dropped", P({0: 4, 1: 3, 3: 0}), "E_SHAPE", 3),
        ("missing_field_error_reason", P({0: 127, 1: 2, 2: 16}), "E_SHAPE", 2),
        ("wrong_type_uint_is_str", P(with_(hello, k2="1")), "E_SHAPE", 5),
        ("wrong_type_uint_is_bool", P(with_(hello, k2=True)), "E_SHAPE", 5),
        ("wrong_type_uint_is_nil", P(with_(hello, k3=None)), "E_SHAPE", 5),
        ("wrong_type_uint_negative", P(with_(hello, k2=-1)), "E_SHAPE", 5),
        ("uint_u16_over", P(with_(hello, k3=65536)), "E_SHAPE", 5),
        ("uint_u32_over", P(with_(hello, k4=2**32)), "E_SHAPE", 5),
        ("wrong_type_str_is_bin", P(with_(hello_reply, k3=b"BS-0001")), "E_SHAPE", 6),
        ("wrong_type_bin_is_str", P({0: 3, 1: 4, 2: "abc"}), "E_SHAPE", 4),
        ("wrong_type_bin_is_array", P({0: 3, 1: 4, 2: [1, 2]}), "E_SHAPE", 4),
        # 33 characters but 65 bytes: the limit is counted in UTF-8 bytes.
        ("str_too_long_65_bytes", P(with_(hello_reply, k3=text_of_bytes(65, "\u00e9"))), "E_SHAPE", 6),
        ("str_too_long_ascii", P(with_(hello_reply, k6="c" * 65)), "E_SHAPE", 6),
        ("error_reason_201_bytes", P({0: 127, 1: 2, 2: 16, 3: text_of_bytes(201, "\u2603")}), "E_SHAPE", 2),
        ("bin_too_long_257", P({0: 3, 1: 4, 2: bytes(257)}), "E_SHAPE", 4),
        # invalid msgpack: no seq can be trusted (None: the error answers seq 0)
        ("msgpack_truncated_map", P({0: 3, 1: 8})[:-1], "E_DECODE", None),
        ("msgpack_map_missing_entry", b"\x83" + P({0: 3, 1: 8})[1:], "E_DECODE", None),
        ("msgpack_truncated_bin", P({0: 3, 1: 8, 2: b"abcd"})[:-1], "E_DECODE", None),
        ("msgpack_trailing_byte", ping_ok + b"\xc0", "E_DECODE", None),
        ("msgpack_two_messages", ping_ok + ping_ok, "E_DECODE", None),
        ("msgpack_float64_seq", raw_map((0, 3), (1, Raw(b"\xcb" + b"\x3f\xf0" + b"\x00" * 6))), "E_DECODE", None),
        ("msgpack_float32_field", raw_map((0, 3), (1, 8), (9, Raw(b"\xca\x3f\x80\x00\x00"))), "E_DECODE", None),
        ("msgpack_ext_fixext1", raw_map((0, 3), (1, 8), (9, Raw(b"\xd4\x01\x02"))), "E_DECODE", None),
        ("msgpack_ext8", raw_map((0, 3), (1, 8), (9, Raw(b"\xc7\x01\x05\x00"))), "E_DECODE", None),
        ("msgpack_never_used_c1", raw_map((0, 3), (1, 8), (9, Raw(b"\xc1"))), "E_DECODE", None),
        ("msgpack_duplicate_key", raw_map((0, 3), (1, 8), (1, 9)), "E_DECODE", None),
        ("msgpack_duplicate_type_key", raw_map((0, 3), (1, 8), (0, 4)), "E_DECODE", None),
        ("msgpack_key_nil", raw_map((0, 3), (1, 8), (Raw(b"\xc0"), 1)), "E_DECODE", None),
        ("msgpack_key_bin", raw_map((0, 3), (1, 8), (Raw(b"\xc4\x01\x02"), 1)), "E_DECODE", None),
        ("msgpack_key_bool", raw_map((0, 3), (1, 8), (Raw(b"\xc3"), 1)), "E_DECODE", None),
        ("msgpack_bad_utf8_ff", reply_with_device_id_bytes(b"BS\xff1"), "E_DECODE", None),
        ("msgpack_bad_utf8_lone_continuation", reply_with_device_id_bytes(b"a\x80"), "E_DECODE", None),
        ("msgpack_bad_utf8_cut_sequence", reply_with_device_id_bytes(b"\xe2\x82"), "E_DECODE", None),
        ("msgpack_bad_utf8_overlong_nul", reply_with_device_id_bytes(b"\xc0\x80"), "E_DECODE", None),
        ("msgpack_bad_utf8_overlong_3_bytes", reply_with_device_id_bytes(b"\xe0\x80\xaf"), "E_DECODE", None),
        ("msgpack_bad_utf8_surrogate", reply_with_device_id_bytes(b"\xed\xa0\x80"), "E_DECODE", None),
        ("msgpack_bad_utf8_above_10ffff", reply_with_device_id_bytes(b"\xf4\x90\x80\x80"), "E_DECODE", None),
        ("msgpack_depth_17", raw_map((0, 3), (1, 8), (9, Raw(P(nested(16, 0))))), "E_DECODE", None),
    ]
    return message_rows(cases)


def msgpack_negatives():
    cases = [
        ("empty", b""),
        ("never_used_c1", b"\xc1"),
        ("float32", b"\xca\x00\x00\x00\x00"),
        ("float64", b"\xcb" + b"\x00" * 8),
        ("fixext1", b"\xd4\x01\x00"),
        ("fixext16", b"\xd8\x01" + b"\x00" * 16),
        ("ext8", b"\xc7\x00\x01"),
        ("ext16", b"\xc8\x00\x00\x01"),
        ("ext32", b"\xc9\x00\x00\x00\x00\x01"),
        ("timestamp32", b"\xd6\xff\x00\x00\x00\x00"),
        ("timestamp96", b"\xc7\x0c\xff" + b"\x00" * 12),
        ("truncated_uint16", b"\xcd\x01"),
        ("truncated_uint64", b"\xcf" + b"\xff" * 7),
        ("truncated_int32", b"\xd2\x80\x00"),
        ("truncated_str8_header", b"\xd9"),
        ("truncated_fixstr", b"\xa3ab"),
        ("truncated_bin8", b"\xc4\x05\x00\x00"),
        ("truncated_array", b"\x93\x01\x02"),
        ("truncated_map_value", b"\x81\x01"),
        ("str32_claims_4gb", b"\xdb\xff\xff\xff\xff" + b"a" * 8),
        ("bin32_claims_4gb", b"\xc6\xff\xff\xff\xff" + b"a" * 8),
        ("array32_claims_4g_items", b"\xdd\xff\xff\xff\xff" + b"\x00" * 8),
        ("map32_claims_4g_entries", b"\xdf\xff\xff\xff\xff" + b"\x00" * 8),
        ("trailing_byte", b"\x01\x02"),
        ("duplicate_int_key", b"\x82\x01\xc0\x01\xc0"),
        ("duplicate_str_key", b"\x82\xa1a\x01\xa1a\x02"),
        ("duplicate_key_non_canonical_width", b"\x82\x01\xc0\xcc\x01\xc0"),
        ("key_array", b"\x81\x90\x01"),
        ("key_map", b"\x81\x80\x01"),
        ("bad_utf8_ff", b"\xa1\xff"),
        ("bad_utf8_overlong_slash", b"\xa2\xc0\xaf"),
        ("bad_utf8_surrogate_low", b"\xa3\xed\xbf\xbf"),
        ("bad_utf8_above_10ffff", b"\xa4\xf5\x80\x80\x80"),
        ("bad_utf8_overlong_4_bytes", b"\xa4\xf0\x80\x80\x80"),
        ("bad_utf8_cut_4_bytes", b"\xa3\xf0\x9f\x98"),
        ("depth_17_arrays", mpack.pack(nested(16, 0))[:16] + b"\x91\x00"),
        ("depth_17_maps", b"\x81\x00" * 17 + b"\x00"),
    ]
    out = []
    for name, data in cases:
        try:
            mpack.unpack(data)
        except ProtocolError as e:
            assert e.code == errors.E_DECODE, name
        else:
            raise AssertionError("%s decoded" % name)
        out.append({"name": "mpack_" + name, "layer": "msgpack", "hex": hx(data), "error": "E_DECODE"})
    return out


# ---------------------------------------------------------------------------


def dumps(rows):
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "duplicate vector names"
    return "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows).encode("ascii")


def build():
    """Return {file name: file bytes} for every vector file."""
    positive = message_vectors() + frame_vectors() + stream_vectors() + msgpack_vectors()
    negative = frame_negatives() + message_negatives() + msgpack_negatives()
    from gen_vectors_v3 import build_v3

    out = {"v1.jsonl": dumps(positive), "v1-negative.jsonl": dumps(negative),
           "v2.jsonl": dumps(message_vectors(MESSAGES_V2)), "v2-negative.jsonl": dumps(message_negatives_v2())}
    out.update(build_v3())
    return out


def _names(data):
    return [json.loads(line)["name"] for line in data.decode("ascii").splitlines() if line.strip()]


def diff_summary(fname, old, new):
    """Human summary of how the file `old` (bytes or None) differs from `new`."""
    if old is None:
        return ["%s: missing" % fname]
    old_lines = {json.loads(ln)["name"]: ln for ln in old.decode("utf-8", "replace").splitlines() if ln.strip()}
    new_lines = {json.loads(ln)["name"]: ln for ln in new.decode("ascii").splitlines() if ln.strip()}
    out = []
    for n in new_lines:
        if n not in old_lines:
            out.append("%s: + %s (not committed)" % (fname, n))
        elif old_lines[n] != new_lines[n]:
            out.append("%s: ~ %s (differs)" % (fname, n))
    for n in old_lines:
        if n not in new_lines:
            out.append("%s: - %s (no longer generated)" % (fname, n))
    if not out and _names(old) != _names(new):
        out.append("%s: vectors in a different order" % fname)
    if not out:
        out.append("%s: same vectors, different bytes (formatting)" % fname)
    return out


def main(argv=None):
    from bedside.tools.golden import cli

    return cli(argv, build, FILES, os.path.join(HERE, "vectors"), "protocol/gen_vectors.py", diff_summary)


if __name__ == "__main__":
    sys.exit(main())
