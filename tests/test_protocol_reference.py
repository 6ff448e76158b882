"""Checks bedlink and its golden vectors against independent implementations (CPython only).

Covers: every message and msgpack vector of protocol/vectors/v1.jsonl against the
PyPI `msgpack` library (unpackb gives the value we decode; packb of the value with
map keys inserted in canonical order gives exactly the bytes), every frame on the
wire against PyPI `cobs` + zlib.crc32, every negative frame vector against the same
references (bad COBS really is bad COBS, a bad CRC really mismatches, ...), and
Hypothesis properties: random msgpack-subset values pack like the reference and
round-trip; random bytes COBS-encode/decode like the reference; random byte streams
split at random points never make FrameDecoder raise, and a good frame after them
(behind a 0x00) always decodes.
Numbers come from the vector files (protocol/gen_vectors.py) and bedlink.framing
(max payload 1024). Hypothesis runs are kept to ~200-300 examples.
Version 3's seal (bedlink.seal) against CPython's hmac for random keys, counters, sides and messages: the
layout and tag of protocol/README.md §6.3, written out here again.
Run alone: .venv/bin/pytest tests/test_protocol_reference.py
"""

import binascii
import json
import zlib

import cobs.cobs as refcobs
import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedlink import cobs, errors, framing, messages, mpack
from bedlink.errors import ProtocolError
from conftest import ROOT

VECTORS = ROOT / "protocol" / "vectors"
MAX = 1024
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load(fname):
    return [json.loads(line) for line in (VECTORS / fname).read_text().splitlines() if line.strip()]


POSITIVE = load("v1.jsonl") + load("v2.jsonl")
NEGATIVE = load("v1-negative.jsonl") + load("v2-negative.jsonl")


def of_kind(kind):
    vs = [v for v in POSITIVE if v["kind"] == kind]
    assert vs, kind
    return pytest.mark.parametrize("v", vs, ids=[v["name"] for v in vs])


def of_layer(layer):
    vs = [v for v in NEGATIVE if v["layer"] == layer]
    assert vs, layer
    return pytest.mark.parametrize("v", vs, ids=[v["name"] for v in vs])


def from_json(j):
    if isinstance(j, dict):
        if "bin" in j:
            return bytes.fromhex(j["bin"])
        return {from_json(k): from_json(v) for k, v in j["map"]}
    if isinstance(j, list):
        return [from_json(x) for x in j]
    return j


def canonical(v):
    """v with every map's keys inserted in canonical order (by reference-encoded key bytes)."""
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: msgpack.packb(k, use_bin_type=True))
        return {k: canonical(v[k]) for k in keys}
    if isinstance(v, list):
        return [canonical(x) for x in v]
    return v


def strict_eq(a, b):
    """Equality that also tells bool from int and str from bytes."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_eq(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(
            type(k) is type(next(k2 for k2 in b if k2 == k)) and strict_eq(a[k], b[k]) for k in a
        )
    return a == b


def ref_unpack(b):
    return msgpack.unpackb(b, raw=False, strict_map_key=False)


def ref_pack(v):
    return msgpack.packb(canonical(v), use_bin_type=True)


def ref_frame(payload):
    return refcobs.encode(payload + zlib.crc32(payload).to_bytes(4, "little")) + b"\x00"


# --- vectors against the references -------------------------------------------


@of_kind("msgpack")
def test_msgpack_vector_matches_reference(v):
    b = bytes.fromhex(v["hex"])
    value = from_json(v["value"])
    assert strict_eq(ref_unpack(b), value)
    assert strict_eq(mpack.unpack(b), ref_unpack(b))
    assert ref_pack(value) == b


@of_kind("message")
def test_message_vector_matches_reference(v):
    payload = bytes.fromhex(v["payload"])
    assert strict_eq(mpack.unpack(payload), ref_unpack(payload))
    # the message map rebuilt from the named fields and the catalogue's key numbers
    fields = {k: from_json(x) for k, x in v["fields"].items()}
    t = messages.TYPE_OF[fields.pop("type")]
    m = {0: t, 1: fields.pop("seq")}
    for key, field, _kind, _required in messages.CATALOGUE[t][1]:
        if field in fields:
            m[key] = fields.pop(field)
    assert not fields
    assert ref_pack(m) == payload
    assert strict_eq(ref_unpack(payload), m)
    assert ref_frame(payload) == bytes.fromhex(v["hex"])


@of_kind("frame")
def test_frame_vector_matches_reference(v):
    payload = bytes.fromhex(v["payload"])
    wire = bytes.fromhex(v["hex"])
    assert ref_frame(payload) == wire
    body = refcobs.decode(wire[:-1])
    assert body[:-4] == payload and zlib.crc32(payload) == int.from_bytes(body[-4:], "little")


@of_kind("stream")
def test_stream_vector_frames_match_reference(v):
    # split on 0x00 and decode each non-empty frame with the references
    frames, errs = [], []
    for part in bytes.fromhex(v["hex"]).split(b"\x00")[:-1]:
        if not part:
            continue
        if len(part) > framing.max_encoded(MAX):  # never stored, so never decoded
            errs.append("E_OVERSIZE")
            continue
        try:
            body = refcobs.decode(part)
        except refcobs.DecodeError:
            errs.append("E_COBS")
            continue
        if len(body) - 4 > MAX:
            errs.append("E_OVERSIZE")
        elif len(body) < 5:
            errs.append("E_TRUNCATED")
        elif zlib.crc32(body[:-4]) != int.from_bytes(body[-4:], "little"):
            errs.append("E_CRC")
        else:
            frames.append(body[:-4].hex())
    assert (frames, errs) == (v["frames"], v["errors"])


@of_layer("frame")
def test_negative_frame_vector_is_really_bad(v):
    wire = bytes.fromhex(v["hex"])
    assert wire[-1] == 0 and 0 not in wire[:-1]
    part = wire[:-1]
    if v["error"] == "E_OVERSIZE" and len(part) > framing.max_encoded(MAX):
        return  # longer than any frame the decoder stores: refused unread
    if v["error"] == "E_COBS":
        with pytest.raises(refcobs.DecodeError):
            refcobs.decode(part)
        return
    body = refcobs.decode(part)
    if v["error"] == "E_OVERSIZE":
        assert len(body) - 4 > MAX
    elif v["error"] == "E_TRUNCATED":
        assert len(body) < 5
    else:
        assert v["error"] == "E_CRC" and len(body) >= 5
        assert zlib.crc32(body[:-4]) != int.from_bytes(body[-4:], "little")


@of_layer("message")
def test_negative_message_vector_against_reference(v):
    payload = bytes.fromhex(v["hex"])
    if v["error"] != "E_DECODE":
        # well-formed msgpack, but not a valid message
        value = ref_unpack(payload)
        if isinstance(value, dict) and all(isinstance(k, int) for k in value):
            assert ref_pack(value) == payload
    with pytest.raises(ProtocolError) as e:
        messages.decode(payload)
    assert (errors.name_of(e.value.code), e.value.seq) == (v["error"], v.get("seq", 0))


@of_layer("msgpack")
def test_negative_msgpack_vector_refused(v):
    data = bytes.fromhex(v["hex"])
    with pytest.raises(ProtocolError) as e:
        mpack.unpack(data)
    assert e.value.code == errors.E_DECODE
    # where the reference library refuses too (it allows floats, ext, duplicate keys and
    # deep nesting, which our subset does not), it must agree that the bytes are bad
    if any(w in v["name"] for w in ("truncated", "trailing", "utf8", "claims", "empty", "c1")):
        with pytest.raises(Exception):
            ref_unpack(data)


def test_every_vector_checked_here():
    kinds = {v["kind"] for v in POSITIVE}
    layers = {v["layer"] for v in NEGATIVE}
    assert kinds == {"message", "frame", "stream", "msgpack"}
    assert layers == {"frame", "message", "msgpack"}


# --- properties ------------------------------------------------------------------

text = st.text(st.characters(codec="utf-8"), max_size=24)
keys = st.one_of(st.integers(-(2**63), 2**64 - 1), text)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**64 - 1),
    st.sampled_from([0, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1,
                     -1, -32, -33, -128, -129, -32768, -32769, -(2**31), -(2**31) - 1, -(2**63)]),
    text,
    st.binary(max_size=300),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=20), st.dictionaries(keys, inner, max_size=20)),
    max_leaves=24,
)


@SETTINGS
@given(values)
def test_pack_equals_reference_and_round_trips(v):
    b = mpack.pack(v)
    assert b == ref_pack(v)
    assert strict_eq(mpack.unpack(b), v)
    assert strict_eq(ref_unpack(b), v)
    for cut in {0, len(b) // 2, len(b) - 1}:  # any truncation fails cleanly
        if cut < len(b):
            with pytest.raises(ProtocolError) as e:
                mpack.unpack(b[:cut])
            assert e.value.code == errors.E_DECODE


@SETTINGS
@given(values)
def test_unpack_accepts_what_the_reference_writes(v):
    # the reference packs maps in insertion order: not canonical, still decodable
    b = msgpack.packb(v, use_bin_type=True)
    assert strict_eq(mpack.unpack(b), v)


@SETTINGS
@given(st.binary(max_size=1200))
def test_cobs_equals_reference_both_ways(data):
    enc = cobs.encode(data)
    assert enc == refcobs.encode(data)
    assert cobs.decode(enc) == data
    assert cobs.decode(refcobs.encode(data)) == data


@SETTINGS
@given(st.binary(max_size=600).filter(lambda b: 0 not in b))
def test_cobs_decode_agrees_with_reference_on_any_input(data):
    try:
        want = refcobs.decode(data)
    except refcobs.DecodeError:
        with pytest.raises(ProtocolError) as e:
            cobs.decode(data)
        assert e.value.code == errors.E_COBS
    else:
        assert cobs.decode(data) == want


@SETTINGS
@given(st.binary(min_size=1, max_size=MAX))
def test_frame_equals_reference(payload):
    frame = framing.encode_frame(payload)
    assert frame == ref_frame(payload)
    assert len(frame) - 1 <= framing.max_encoded(MAX)


garbage = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.sampled_from([b"\x00", b"\x01", b"\xff", b"\x02\x01", b"\x05\x00"]), max_size=200).map(b"".join),
    st.binary(min_size=1, max_size=MAX).map(ref_frame).map(lambda f: f[: len(f) // 2] + f[len(f) // 2 + 1 :]),
)


def _feed_split(dec, data, cuts):
    out = []
    points = sorted({c % (len(data) + 1) for c in cuts})
    start = 0
    for p in points + [len(data)]:
        out.extend(dec.feed(data[start:p]))
        start = p
    return out


@SETTINGS
@given(garbage, st.lists(st.integers(0, 10**6), max_size=12), st.binary(min_size=1, max_size=64),
       st.sampled_from([16, 64, MAX]))
def test_decoder_survives_any_stream_then_decodes_a_good_frame(junk, cuts, payload, max_payload):
    dec = framing.FrameDecoder(max_payload)
    size = len(dec._buf)
    out = _feed_split(dec, junk, cuts)
    for item in out:
        assert type(item) is bytes or isinstance(item, ProtocolError)
        if isinstance(item, ProtocolError):
            assert item.code in (errors.E_COBS, errors.E_CRC, errors.E_OVERSIZE, errors.E_TRUNCATED)
        else:
            assert 0 < len(item) <= max_payload
    assert len(dec._buf) == size and dec.pending <= size
    payload = payload[:max_payload]
    good = framing.encode_frame(payload, max_payload)
    tail = _feed_split(dec, b"\x00" + good, cuts)
    assert tail[-1] == payload
    assert all(isinstance(x, ProtocolError) for x in tail[:-1]) and len(tail) <= 2
    assert dec.frames + dec.dropped == len(out) + len(tail)


@SETTINGS
@given(st.lists(st.binary(min_size=1, max_size=300), min_size=1, max_size=8),
       st.lists(st.integers(0, 10**6), max_size=20))
def test_frames_survive_any_split(payloads, cuts):
    stream = b"".join(framing.encode_frame(p) for p in payloads)
    assert _feed_split(framing.FrameDecoder(MAX), stream, cuts) == payloads


@SETTINGS
@given(st.binary(max_size=200))
def test_unpack_never_raises_anything_but_protocol_error(data):
    try:
        mpack.unpack(data)
    except ProtocolError as e:
        assert e.code == errors.E_DECODE
    try:
        messages.decode(data)
    except ProtocolError as e:
        assert e.code in (errors.E_DECODE, errors.E_SHAPE, errors.E_UNKNOWN_TYPE)


def test_hex_is_lower_case_ascii():
    for fname in ("v1.jsonl", "v1-negative.jsonl", "v2.jsonl", "v2-negative.jsonl"):
        raw = (VECTORS / fname).read_bytes()
        raw.decode("ascii")
        for line in raw.decode().splitlines():
            v = json.loads(line)
            assert v["hex"] == v["hex"].lower()
            binascii.unhexlify(v["hex"])


@SETTINGS
@given(key=st.binary(min_size=32, max_size=32), ctr=st.integers(1, (1 << 30) - 1), host=st.booleans(),
       message=st.binary(min_size=1, max_size=1100))  # a message is never empty (seal_no_message is refused)
def test_seal_is_the_written_hmac_construction(key, ctr, host, message):
    import hashlib
    import hmac

    from bedlink import seal

    side = seal.HOST if host else seal.PANEL
    head = b"\xc1" + ctr.to_bytes(4, "big")
    want = head + message + hmac.new(key, side + head + message, hashlib.sha256).digest()[:12]
    ch = seal.Channel(key, side)
    ch.sent = ctr - 1
    assert ch.seal(message) == want
    other = seal.Channel(key, seal.PANEL if host else seal.HOST)
    other.heard = ctr - 1
    assert other.open(want) == message
