"""Replays the golden vectors of protocol/vectors/ through bedlink, on CPython and MicroPython.

Covers: every positive vector of v1.jsonl (messages encode to exactly the committed
payload and frame and decode back to their fields; frames round-trip; streams give
exactly the listed frames and errors whether fed whole, one byte at a time or in
chunks of 7; msgpack values pack to exactly the hex and unpack back, type for type)
and every negative vector of v1-negative.jsonl (the named error, the seq it carries,
a FrameDecoder that resynchronises on the next good frame and does not grow on an
oversized one). Also checks the files cover what the wire contract promises.
Version 3 (v3.jsonl, v3-negative.jsonl): the pairing key, proofs, MACs and session key
of each "crypto" vector, computed with CPython's hmac by the generator, are what
bedlink.pairing computes; every "sealed" payload is what bedlink.seal seals at that
counter and opens back; the transcript of a whole session (pairing, authentication,
sealed sync, a live push, a sealed error) replays byte for byte with the session key
derived from its code; every "seal" refusal is E_AUTH and leaves the receiver as it was.
Numbers come from the vector files, written by protocol/gen_vectors.py (see its
header for the JSON encoding of bin and map values); the files are checked against
the PyPI msgpack/cobs libraries by tests/test_protocol_reference.py.

Portable: plain functions and bare asserts, only json/binascii/bedlink/ptest.
Run alone:
  .venv/bin/pytest tests/portable/test_vectors.py
  MICROPYPATH=tests/portable:protocol .venv/bin/micropython -X heapsize=512wK tests/mprun.py test_vectors
"""

import binascii
import gc
import json
import sys

from bedlink import errors, framing, messages, mpack, seal
from bedlink import pairing as crypto
from bedlink.errors import ProtocolError
from ptest import ROOT, raises

MAX = 1024
MICROPYTHON = sys.implementation.name == "micropython"


def each(fname, key, want=None):
    """Yield the vectors of protocol/vectors/<fname> whose `key` is `want` (all if None).

    One line at a time, nothing kept: v1.jsonl holds 64 KiB values and the whole
    file does not fit MicroPython's test heap at once.
    """
    with open(ROOT + "/protocol/vectors/" + fname) as f:
        for line in f:
            if len(line) < 2:
                continue
            v = json.loads(line)
            line = None
            if want is None or v[key] == want:
                yield v
            v = None
            if MICROPYTHON:  # keep the heap unfragmented for the next 256 KiB line
                gc.collect()


VERSIONS = ("v1", "v2", "v3")  # every version's files are kept and checked: old bytes must still decode


def positive(kind):
    for version in VERSIONS:
        for v in each(version + ".jsonl", "kind", kind):
            yield v


def negative(layer):
    for version in VERSIONS:
        for v in each(version + "-negative.jsonl", "layer", layer):
            yield v


def unhex(s):
    return binascii.unhexlify(s)


def tohex(b):
    return binascii.hexlify(bytes(b)).decode()


def from_json(j):
    """A vector's JSON value as the msgpack-subset value it stands for."""
    if type(j) is dict:
        if "bin" in j:
            return unhex(j["bin"])
        out = {}
        for kv in j["map"]:
            out[from_json(kv[0])] = from_json(kv[1])
        return out
    if type(j) is list:
        return [from_json(x) for x in j]
    return j


def same(a, b):
    """Equal value for value AND type for type (True == 1 on both runtimes)."""
    if type(a) is not type(b):
        return False
    if type(a) is list:
        if len(a) != len(b):
            return False
        for i in range(len(a)):
            if not same(a[i], b[i]):
                return False
        return True
    if type(a) is dict:
        if len(a) != len(b):
            return False
        for k in a:
            if k not in b or not same(a[k], b[k]):
                return False
        # keys of the same value but another type (1 vs True) cannot both be present
        for k in b:
            found = False
            for k2 in a:
                if type(k2) is type(k) and k2 == k:
                    found = True
            if not found:
                return False
        return True
    return a == b


def events(dec, data, step):
    """Feed data to dec in pieces of `step` bytes (0: whole); return (frames hex, error names)."""
    out = []
    if step <= 0:
        out = dec.feed(data)
    else:
        for i in range(0, len(data), step):
            out.extend(dec.feed(data[i : i + step]))
    frames = []
    errs = []
    for item in out:
        if isinstance(item, ProtocolError):
            errs.append(errors.name_of(item.code))
        else:
            assert type(item) is bytes
            frames.append(tohex(item))
    return frames, errs


def split_fields(v):
    """A message vector's (type, seq, fields) with its bin fields as bytes."""
    f = {}
    j = v["fields"]
    for k in j:
        f[k] = from_json(j[k])
    name = f.pop("type")
    seq = f.pop("seq")
    return name, seq, f


# --- positive vectors ---------------------------------------------------------


def test_message_vectors_encode_exactly():
    n = 0
    for v in positive("message"):
        name, seq, f = split_fields(v)
        payload = messages.encode(name, seq, f)
        assert tohex(payload) == v["payload"], v["name"]
        assert tohex(framing.encode_frame(payload)) == v["hex"], v["name"]
        n += 1
    assert n >= 20


def test_message_vectors_decode_to_fields():
    for v in positive("message"):
        name, seq, f = split_fields(v)
        got = messages.decode(unhex(v["payload"]))
        assert got[0] == name and got[1] == seq, v["name"]
        assert type(got[1]) is int
        assert same(got[2], f), v["name"]


def test_message_vectors_through_the_frame_decoder():
    dec = framing.FrameDecoder(MAX)
    n = 0
    for v in positive("message"):
        got = dec.feed(unhex(v["hex"]))
        assert got == [unhex(v["payload"])], v["name"]
        name, seq, f = split_fields(v)
        d = messages.decode(got[0])
        assert d[0] == name and d[1] == seq and same(d[2], f), v["name"]
        n += 1
    assert dec.dropped == 0 and dec.frames == n


def test_frame_vectors_encode_exactly():
    n = 0
    for v in positive("frame"):
        payload = unhex(v["payload"])
        assert tohex(framing.encode_frame(payload)) == v["hex"], v["name"]
        assert len(unhex(v["hex"])) - 1 <= framing.max_encoded(MAX), v["name"]
        n += 1
    assert n >= 15


def test_frame_vectors_decode_whole_and_bytewise():
    for v in positive("frame"):
        wire = unhex(v["hex"])
        assert wire[-1] == 0 and 0 not in wire[:-1], v["name"]
        for step in (0, 1, 7):
            dec = framing.FrameDecoder(MAX)
            assert events(dec, wire, step) == ([v["payload"]], []), (v["name"], step)
            assert dec.pending == 0


def test_frame_max_payload_is_the_longest_encoding():
    v = [x for x in positive("frame") if x["name"] == "frame_max_payload_nonzero"][0]
    assert len(unhex(v["payload"])) == MAX
    assert len(unhex(v["hex"])) - 1 == framing.max_encoded(MAX)


def test_stream_vectors_whole():
    n = 0
    for v in positive("stream"):
        dec = framing.FrameDecoder(MAX)
        assert events(dec, unhex(v["hex"]), 0) == (v["frames"], v["errors"]), v["name"]
        assert dec.frames == len(v["frames"]) and dec.dropped == len(v["errors"]), v["name"]
        n += 1
    assert n >= 8


def test_stream_vectors_one_byte_at_a_time():
    for v in positive("stream"):
        dec = framing.FrameDecoder(MAX)
        assert events(dec, unhex(v["hex"]), 1) == (v["frames"], v["errors"]), v["name"]


def test_stream_vectors_in_chunks_of_7():
    for v in positive("stream"):
        dec = framing.FrameDecoder(MAX)
        assert events(dec, unhex(v["hex"]), 7) == (v["frames"], v["errors"]), v["name"]


def test_stream_vectors_with_the_length_argument():
    # feed(buf, n) reads only buf[:n]: a reused receive buffer with stale bytes after n
    for v in positive("stream"):
        data = unhex(v["hex"])
        dec = framing.FrameDecoder(MAX)
        buf = bytearray(64)
        out = []
        for i in range(0, len(data), 50):
            chunk = data[i : i + 50]
            for j in range(len(buf)):
                buf[j] = 0  # stale zeros beyond n would end frames if read
            buf[: len(chunk)] = chunk
            out.extend(dec.feed(buf, len(chunk)))
        frames = [tohex(x) for x in out if not isinstance(x, ProtocolError)]
        errs = [errors.name_of(x.code) for x in out if isinstance(x, ProtocolError)]
        assert (frames, errs) == (v["frames"], v["errors"]), v["name"]


def test_msgpack_vectors_pack_exactly():
    n = 0
    for v in positive("msgpack"):
        assert tohex(mpack.pack(from_json(v["value"]))) == v["hex"], v["name"]
        n += 1
    assert n >= 40


def test_msgpack_vectors_unpack_type_for_type():
    for v in positive("msgpack"):
        got = mpack.unpack(unhex(v["hex"]))
        assert same(got, from_json(v["value"])), v["name"]


def test_msgpack_vector_maps_are_listed_in_wire_order():
    def check(j):
        if type(j) is dict and "map" in j:
            keys = [mpack.pack(from_json(kv[0])) for kv in j["map"]]
            for i in range(1, len(keys)):
                assert keys[i - 1] < keys[i]
            for kv in j["map"]:
                check(kv[1])
        elif type(j) is list:
            for x in j:
                check(x)

    for v in positive("msgpack"):
        check(v["value"])


def test_msgpack_bool_is_not_int():
    vs = {}
    for v in positive("msgpack"):
        if len(v["hex"]) < 100:
            vs[v["name"]] = v
    assert vs["true"]["hex"] == "c3" and vs["int_1"]["hex"] == "01"
    assert vs["true"]["value"] is True and vs["int_1"]["value"] == 1
    assert type(vs["int_1"]["value"]) is int
    assert type(mpack.unpack(b"\xc3")) is bool
    assert type(mpack.unpack(b"\x01")) is int
    assert not same(True, 1)


# --- negative vectors ---------------------------------------------------------

_GOOD = messages.encode("ping", 77, {"data": b"\x00ok\x00"})


def test_negative_frames_give_the_named_error():
    n = 0
    for v in negative("frame"):
        n += 1
        dec = framing.FrameDecoder(MAX)
        got = dec.feed(unhex(v["hex"]))
        assert len(got) == 1 and isinstance(got[0], ProtocolError), v["name"]
        assert errors.name_of(got[0].code) == v["error"], (v["name"], got[0])
        assert dec.dropped == 1 and dec.frames == 0 and dec.pending == 0
    assert n >= 12


def test_negative_frames_then_a_good_frame_resyncs():
    good = framing.encode_frame(_GOOD)
    for v in negative("frame"):
        for step in (0, 1, 7):
            dec = framing.FrameDecoder(MAX)
            got = events(dec, unhex(v["hex"]), step)
            assert got == ([], [v["error"]]), (v["name"], step, got)
            assert events(dec, good, step) == ([tohex(_GOOD)], []), (v["name"], step)


def test_negative_frames_glued_to_a_good_frame():
    # the bad frame and a good frame in one read: the decoder reports both, in order
    good = framing.encode_frame(_GOOD)
    for v in negative("frame"):
        got = framing.FrameDecoder(MAX).feed(unhex(v["hex"]) + good)
        assert len(got) == 2 and isinstance(got[0], ProtocolError), v["name"]
        assert errors.name_of(got[0].code) == v["error"] and got[1] == _GOOD, v["name"]


def test_oversize_frames_do_not_grow_the_buffer():
    n = 0
    for v in negative("frame"):
        if v["error"] != "E_OVERSIZE":
            continue
        n += 1
        dec = framing.FrameDecoder(MAX)
        size = len(dec._buf)
        wire = unhex(v["hex"])
        assert events(dec, wire[:-1], 1) == ([], [])
        assert len(dec._buf) == size and dec.pending <= framing.max_encoded(MAX), v["name"]
        assert events(dec, wire[-1:], 1) == ([], ["E_OVERSIZE"])
        assert len(dec._buf) == size and dec.pending == 0, v["name"]
    assert n >= 2


def test_negative_messages_raise_the_named_error_with_its_seq():
    n = 0
    kept = 0
    for v in negative("message"):
        e = raises(ProtocolError, messages.decode, unhex(v["hex"]))
        assert errors.name_of(e.code) == v["error"], (v["name"], e)
        assert e.seq == v.get("seq", 0), (v["name"], e.seq)  # no "seq": unreadable, 0
        if "seq" in v:
            kept += 1
            assert v["error"] != "E_DECODE", v["name"]
        elif v["error"] == "E_UNKNOWN_TYPE":
            raise AssertionError(v["name"] + ": an unknown type's seq is readable")
        n += 1
    assert n >= 30 and 10 <= kept < n


def test_negative_messages_are_good_frames():
    # a payload-layer error arrives in a frame whose CRC is good
    dec = framing.FrameDecoder(MAX)
    for v in negative("message"):
        payload = unhex(v["hex"])
        if len(payload) > MAX:
            continue
        assert dec.feed(framing.encode_frame(payload)) == [payload], v["name"]


def test_negative_msgpack_raise_e_decode():
    n = 0
    for v in negative("msgpack"):
        e = raises(ProtocolError, mpack.unpack, unhex(v["hex"]))
        assert errors.name_of(e.code) == v["error"] == "E_DECODE", (v["name"], e)
        n += 1
    assert n >= 25


# --- coverage of the contract ---------------------------------------------------


def test_vectors_cover_every_message_type_and_wire_error():
    types = {}
    codes = {}
    for v in positive("message"):
        f = v["fields"]
        types[f["type"]] = True
        if f["type"] == "error":
            codes[errors.name_of(f["code"])] = True
    for t in messages.CATALOGUE:
        assert messages.CATALOGUE[t][0] in types, messages.CATALOGUE[t][0]
    for name in ("E_DECODE", "E_SHAPE", "E_UNKNOWN_TYPE", "E_VERSION", "E_INTERNAL"):
        assert name in codes, name


def test_vectors_cover_every_field_present_and_optional_absent():
    seen = {}
    absent = {}
    seqs = {}
    for v in positive("message"):
        f = v["fields"]
        seqs[f["seq"]] = True
        for key, field, kind, required in messages.CATALOGUE[messages.TYPE_OF[f["type"]]][1]:
            if field in f:
                seen[f["type"] + "." + field] = True
            elif not required:
                absent[f["type"] + "." + field] = True
    for t in messages.CATALOGUE:
        name, spec = messages.CATALOGUE[t]
        for key, field, kind, required in spec:
            assert name + "." + field in seen, name + "." + field
            if not required:
                assert name + "." + field in absent, name + "." + field
    for s in (0, 1, 65535):
        assert s in seqs, s


def test_vectors_cover_every_error_name():
    # Decode-time errors each have a negative vector; the session's answers each an error message vector.
    refused = {}
    for v in negative(None):
        refused[v["error"]] = True
        assert v["layer"] in ("frame", "message", "msgpack", "seal"), v["name"]
    sent = {}
    for v in positive("message"):
        if v["fields"]["type"] == "error":
            sent[errors.name_of(v["fields"]["code"])] = True
    for code in errors.NAMES:
        if code in errors.DECODE_CODES:
            assert errors.NAMES[code] in refused, errors.NAMES[code]
        else:
            assert errors.NAMES[code] in sent, errors.NAMES[code]


def test_vector_names_are_unique():
    for fname in ("v1.jsonl", "v1-negative.jsonl", "v2.jsonl", "v2-negative.jsonl", "v3.jsonl", "v3-negative.jsonl",
                  "v3-panel.jsonl"):
        seen = {}
        for v in each(fname, "name"):
            assert v["name"] not in seen, v["name"]
            seen[v["name"]] = True


# --- version 3: crypto, sealed frames, a whole session ---------------------------


def test_crypto_vectors_are_what_bedlink_computes():
    n = 0
    for v in positive("crypto"):
        hn, pn = unhex(v["host_nonce"]), unhex(v["panel_nonce"])
        k = crypto.derive_key(v["code"], v["host_id"], v["device_id"], hn, pn)
        assert tohex(k) == v["key"], v["name"]
        assert tohex(crypto.host_proof(k, hn, pn)) == v["host_proof"], v["name"]
        assert tohex(crypto.panel_proof(k, hn, pn)) == v["panel_proof"], v["name"]
        assert tohex(crypto.host_mac(k, hn, pn, v["device_id"])) == v["host_mac"], v["name"]
        assert tohex(crypto.panel_mac(k, hn, pn, v["device_id"])) == v["panel_mac"], v["name"]
        assert tohex(crypto.session_key(k, hn, pn, v["device_id"])) == v["session_key"], v["name"]
        n += 1
    assert n >= 3


def _side(name):
    return seal.HOST if name == "host" else seal.PANEL


def test_sealed_vectors_seal_exactly_and_open_back():
    n = 0
    for v in positive("sealed"):
        sk = unhex(v["session_key"])
        sender = seal.Channel(sk, _side(v["side"]))
        receiver = seal.Channel(sk, seal.PANEL if v["side"] == "host" else seal.HOST)
        sender.sent = v["ctr"] - 1
        message = unhex(v["message"])
        name, seq, f = split_fields(v)
        assert tohex(messages.encode(name, seq, f)) == v["message"], v["name"]
        payload = sender.seal(message)
        assert tohex(payload) == v["payload"], v["name"]
        assert tohex(framing.encode_frame(payload)) == v["hex"], v["name"]
        receiver.heard = v["ctr"] - 1
        assert receiver.open(unhex(v["payload"])) == message and receiver.heard == v["ctr"], v["name"]
        n += 1
    assert n >= 8


def test_the_transcript_of_a_whole_session_replays_byte_for_byte():
    [t] = list(positive("transcript"))
    dev = t["device_id"]
    steps = t["steps"]
    code = t["code"]
    phn, ppn = unhex(t["pair_host_nonce"]), unhex(t["pair_panel_nonce"])
    ahn, apn = unhex(t["auth_host_nonce"]), unhex(t["auth_panel_nonce"])
    k = crypto.derive_key(code, t["host_id"], dev, phn, ppn)
    assert tohex(k) == t["key"]
    sk = crypto.session_key(k, ahn, apn, dev)
    assert tohex(sk) == t["session_key"]
    host = seal.Channel(sk, seal.HOST)
    panel = seal.Channel(sk, seal.PANEL)
    macs = {"pair_confirm": crypto.host_proof(k, phn, ppn), "pair_done": crypto.panel_proof(k, phn, ppn),
            "auth": crypto.host_mac(k, ahn, apn, dev), "auth_ok": crypto.panel_mac(k, ahn, apn, dev)}
    sealed = 0
    for i in range(len(steps)):
        st = steps[i]
        name, seq, f = split_fields(st)
        message = messages.encode(name, seq, f)
        assert tohex(message) == st["message"], i
        if name in macs:
            assert f.get("proof", f.get("mac")) == macs[name], name
        if st["sealed"]:
            sender, receiver = (host, panel) if st["from"] == "host" else (panel, host)
            payload = sender.seal(message)  # the counters run on their own, in the order sent
            assert seal.counter(payload) == st["ctr"], i
            assert receiver.open(unhex(st["payload"])) == message, i
            sealed += 1
        else:
            payload = message
        assert tohex(payload) == st["payload"], i
        assert tohex(framing.encode_frame(payload)) == st["hex"], i
    assert sealed >= 12 and host.sent == panel.heard and panel.sent == host.heard


def test_seal_negatives_are_refused_and_change_nothing():
    n = 0
    for v in negative("seal"):
        ch = seal.Channel(unhex(v["session_key"]), _side(v["side"]))
        ch.heard = v["heard"]
        e = raises(ProtocolError, ch.open, unhex(v["hex"]))
        assert errors.name_of(e.code) == v["error"] == "E_AUTH", v["name"]
        assert ch.heard == v["heard"], v["name"]
        n += 1
    assert n >= 12
