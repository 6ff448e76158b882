"""Unit tests of the link layers beyond the golden vectors: bedlink.cobs, bedlink.framing, bedlink.session.

Covers: COBS against the published examples and its two decode errors; encode_frame
limits; FrameDecoder partial frames, feed(buf, n), reset, counters, a small
max_payload, and that a 100 KB flood with no delimiter does not grow memory
(gc.mem_alloc on MicroPython, tracemalloc on CPython); the panel's Responder
(hello negotiation, E_VERSION, E_UNKNOWN_TYPE with the request's seq, replies to
non-request types, handler exceptions -> E_INTERNAL, bad frames dropped silently,
error replies that always fit the reason field, requests past ping needing a v3
session and then a sealed one) and the host's Requester (seq 1..65535 wrapping to 1,
errors surfaced). The sealing itself: tests/portable/test_seal.py.
Numbers: COBS examples from Cheshire & Baker 1999 / en.wikipedia.org/wiki/
Consistent_Overhead_Byte_Stuffing; 1024/1033 from bedlink.framing
(DEFAULT_MAX_PAYLOAD, max_encoded); field limits from bedlink.messages.

Portable: runs on CPython (pytest) and MicroPython (tests/mprun.py). Run alone:
  .venv/bin/pytest tests/portable/test_framing.py
  MICROPYPATH=tests/portable:protocol .venv/bin/micropython tests/mprun.py test_framing
"""

import sys

from bedlink import PROTOCOL_VERSION, cobs, errors, framing, messages, mpack, session
from bedlink.errors import ProtocolError
from ptest import raises

MICROPYTHON = sys.implementation.name == "micropython"


def names(items):
    return [errors.name_of(x.code) if isinstance(x, ProtocolError) else x for x in items]


# --- COBS -------------------------------------------------------------------------


def test_cobs_published_examples():
    r = bytes(range(1, 255))  # 01..FE, 254 bytes
    cases = [
        (b"", b"\x01"),
        (b"\x00", b"\x01\x01"),
        (b"\x00\x00", b"\x01\x01\x01"),
        (b"\x00\x11\x00", b"\x01\x02\x11\x01"),
        (b"\x11\x22\x00\x33", b"\x03\x11\x22\x02\x33"),
        (b"\x11\x22\x33\x44", b"\x05\x11\x22\x33\x44"),
        (b"\x11\x00\x00\x00", b"\x02\x11\x01\x01\x01"),
        (r, b"\xff" + r),
        (b"\x00" + r, b"\x01\xff" + r),
        (r + b"\xff", b"\xff" + r + b"\x02\xff"),
        (bytes(range(2, 256)) + b"\x00", b"\xff" + bytes(range(2, 256)) + b"\x01\x01"),
        (bytes(range(3, 256)) + b"\x00\x01", b"\xfe" + bytes(range(3, 256)) + b"\x02\x01"),
    ]
    for raw, enc in cases:
        assert cobs.encode(raw) == enc, raw
        assert cobs.decode(enc) == raw, enc


def test_cobs_output_has_no_zero_and_bounded_overhead():
    for n in (0, 1, 253, 254, 255, 508, 509, 1100):
        for fill in (b"\x00", b"\x01", b"\x00\x07"):
            raw = (fill * n)[:n]
            enc = cobs.encode(raw)
            assert 0 not in enc
            assert len(enc) <= n + n // 254 + 1
            assert cobs.decode(enc) == raw


def test_cobs_decode_errors():
    assert errors.name_of(raises(ProtocolError, cobs.decode, b"\x05\x11\x22").code) == "E_COBS"
    assert errors.name_of(raises(ProtocolError, cobs.decode, b"\x02\x11\x00\x11").code) == "E_COBS"
    assert errors.name_of(raises(ProtocolError, cobs.decode, b"\x00").code) == "E_COBS"


def test_cobs_decode_into_in_place():
    raw = b"\x00ab\x00\x00c" + bytes(range(1, 255)) + b"\x00"
    buf = bytearray(cobs.encode(raw) + b"junk")
    n = cobs.decode_into(buf, len(buf) - 4)
    assert bytes(buf[:n]) == raw


# --- framing ----------------------------------------------------------------------


def test_frame_layout_is_cobs_of_payload_and_crc_le():
    p = b"hello"
    crc = framing.crc32(p)
    assert crc == 0x3610A686  # CRC-32/ISO-HDLC of "hello"
    body = p + bytes([crc & 0xFF, (crc >> 8) & 0xFF, (crc >> 16) & 0xFF, crc >> 24])
    assert framing.encode_frame(p) == cobs.encode(body) + b"\x00"


def test_max_encoded_and_encode_frame_limit():
    assert framing.max_encoded(1024) == 1033
    assert framing.DEFAULT_MAX_PAYLOAD == 1024
    framing.encode_frame(bytes(1024))
    e = raises(ProtocolError, framing.encode_frame, bytes(1025))
    assert e.code == errors.E_OVERSIZE
    assert raises(ProtocolError, framing.encode_frame, bytes(17), 16).code == errors.E_OVERSIZE


def test_decoder_partial_frames_and_pending():
    f = framing.encode_frame(b"abc\x00def")
    dec = framing.FrameDecoder()
    assert dec.feed(f[:4]) == [] and dec.pending == 4
    assert dec.feed(f[4:-1]) == [] and dec.pending == len(f) - 1
    assert dec.feed(f[-1:]) == [b"abc\x00def"] and dec.pending == 0


def test_decoder_feed_with_length_reads_only_n_bytes():
    f = framing.encode_frame(b"xyz")
    buf = bytearray(len(f) + 10)
    buf[: len(f)] = f
    dec = framing.FrameDecoder()
    assert dec.feed(buf, len(f) - 1) == []
    assert dec.feed(b"\x00\x00\x00", 1) == [b"xyz"]
    assert dec.feed(buf, 0) == [] and dec.pending == 0


def test_decoder_reset_drops_the_partial_frame():
    dec = framing.FrameDecoder()
    f = framing.encode_frame(b"one")
    dec.feed(b"\x05\x01\x02")
    dec.reset()
    assert dec.pending == 0
    assert dec.feed(f) == [b"one"]
    dec.feed(b"\x03" * 2000)  # overflowing partial frame
    dec.reset()
    assert dec.feed(f) == [b"one"] and dec.dropped == 0


def test_decoder_counters():
    dec = framing.FrameDecoder()
    good = framing.encode_frame(b"ok")
    stream = good + b"\x02\x01\x00" + good + b"\x07\x00" + b"\x00\x00" + good
    assert names(dec.feed(stream)) == [b"ok", "E_TRUNCATED", b"ok", "E_COBS", b"ok"]
    assert dec.frames == 3 and dec.dropped == 2


def test_decoder_with_a_small_max_payload():
    dec = framing.FrameDecoder(16)
    assert len(dec._buf) == framing.max_encoded(16)
    ok = bytes(range(1, 17))
    assert dec.feed(framing.encode_frame(ok, 16)) == [ok]
    too_long = bytes(17)
    body = too_long + framing.crc32(too_long).to_bytes(4, "little")
    assert names(dec.feed(cobs.encode(body) + b"\x00")) == ["E_OVERSIZE"]
    assert names(dec.feed(b"\x09" * 100 + b"\x00")) == ["E_OVERSIZE"]
    assert dec.feed(framing.encode_frame(ok, 16)) == [ok]


def test_decoder_accepts_bytearray_input():
    f = bytearray(framing.encode_frame(b"\x00\x00"))
    assert framing.FrameDecoder().feed(f) == [b"\x00\x00"]


def _measure(fn):
    """Run fn(); return (bytes allocated meanwhile, bytes still held after it)."""
    if MICROPYTHON:
        import gc

        gc.collect()
        before = gc.mem_alloc()
        fn()
        gross = gc.mem_alloc() - before  # no collection in between: all it allocated
        gc.collect()
        return gross, gc.mem_alloc() - before
    import tracemalloc

    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        fn()
        now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - base, now - base


def test_flood_without_delimiter_does_not_grow_memory():
    dec = framing.FrameDecoder(1024)
    chunk = bytes(range(1, 256)) * 4  # 1020 bytes, no 0x00
    big = chunk * 100  # 102 KB
    dec.feed(chunk)  # warm up: the decoder is already past its capacity

    def reads():
        for _ in range(100):  # 102 KB as 1 KB reads
            dec.feed(chunk)

    gross, net = _measure(reads)
    assert net < 2048, net  # nothing of the flood is kept
    assert gross < 100 * 160, gross  # a small constant per read, whatever its size
    gross, net = _measure(lambda: dec.feed(big))  # 102 KB in one read
    assert gross < 1024 and net < 1024, (gross, net)
    assert len(dec._buf) == framing.max_encoded(1024) and dec.pending <= len(dec._buf)
    assert names(dec.feed(b"\x00")) == ["E_OVERSIZE"]
    assert dec.feed(framing.encode_frame(b"after")) == [b"after"]


# --- session: the panel's Responder ----------------------------------------------

IDENTITY = {"device_id": "BS-0001", "firmware": "0.1.0", "content": "2024.11"}


def _pong(fields):
    out = {"rx_frames": 1, "rx_dropped": 0}
    if "data" in fields:
        out["data"] = fields["data"]
    return out


def _boom(fields):
    return {}["missing"]


def panel(handlers=None):
    return session.Responder(handlers or {"ping": _pong}, IDENTITY)


SK = bytes(range(100, 132))  # a session key for the tests' sealed sessions


def sealed_session(handlers, max_frame=512):
    """(responder, requester) in a sealed v3 session: hello, then an auth whose handler starts the sealing."""
    box = []

    def auth(fields):
        box[0].start_sealing(SK)
        return {"mac": bytes(32)}

    h = dict(handlers)
    h["auth"] = auth
    r = session.Responder(h, IDENTITY)
    box.append(r)
    q = session.Requester()
    for name, fields in (("hello", {"vmin": 3, "vmax": 3, "max_frame": max_frame}), ("auth", {"mac": bytes(32)})):
        [reply] = q.feed(b"".join(r.feed(q.request(name, fields)[1])))
        assert reply[0] == session.messages.REPLY[name], reply
    q.start_sealing(SK)
    assert r.sealed and q.sealed
    return r, q


def ask_sealed(r, q, name, fields=None):
    """One request in a sealed session: its decoded answer frames, as the host opens them."""
    out = []
    for a in r.feed(q.request(name, fields)[1]):
        out += q.feed(a if type(a) is bytes else b"".join(a))
    return out


def ask(responder, name, seq, fields=None):
    """Send one request; return the single decoded reply (name, seq, fields)."""
    frames = responder.feed(framing.encode_frame(messages.encode(name, seq, fields)))
    assert len(frames) == 1
    got = framing.FrameDecoder().feed(frames[0])
    assert len(got) == 1
    return messages.decode(got[0])


def ask_raw(responder, payload):
    frames = responder.feed(framing.encode_frame(payload))
    assert len(frames) == 1
    return messages.decode(framing.FrameDecoder().feed(frames[0])[0])


def test_hello_negotiates_the_version():
    r = panel()
    name, seq, f = ask(r, "hello", 11, {"vmin": 1, "vmax": 5, "max_frame": 512})
    assert (name, seq) == ("hello_reply", 11)
    assert f["version"] == PROTOCOL_VERSION == r.version
    assert f["max_frame"] == 1024 and r.peer_max == 512
    for k in IDENTITY:
        assert f[k] == IDENTITY[k]
    r.reset()
    assert r.version == 0 and r.peer_max == 0


def test_hello_refuses_versions_with_e_version():
    for vmin, vmax in ((4, 5), (0, 0), (2, 1), (65535, 65535)):
        r = panel()
        name, seq, f = ask(r, "hello", 12, {"vmin": vmin, "vmax": vmax, "max_frame": 512})
        assert (name, seq, errors.name_of(f["code"])) == ("error", 12, "E_VERSION"), (vmin, vmax)
        assert "1..3" in f["reason"]  # the panel names its own range
        assert r.version == 0


def test_ping_answered_with_pong():
    name, seq, f = ask(panel(), "ping", 13, {"data": b"\x00echo"})
    assert (name, seq, f["data"]) == ("pong", 13, b"\x00echo")


def test_unknown_type_answered_with_its_seq():
    name, seq, f = ask_raw(panel(), mpack.pack({0: 99, 1: 4321}))
    assert (name, seq, errors.name_of(f["code"])) == ("error", 4321, "E_UNKNOWN_TYPE")


def test_non_request_types_answered_with_an_error():
    r = panel()
    for mname, fields in (("pong", {"rx_frames": 0, "rx_dropped": 0}),
                          ("hello_reply", {"version": 1, "device_id": "", "firmware": "",
                                           "max_frame": 0, "content": ""}),
                          ("error", {"code": 16, "reason": "x"})):
        name, seq, f = ask(r, mname, 14, fields)
        assert (name, seq, errors.name_of(f["code"])) == ("error", 14, "E_UNKNOWN_TYPE"), mname


def test_request_without_handler_answered_with_an_error():
    name, seq, f = ask(panel({"other": _pong}), "ping", 15)
    assert (name, seq, errors.name_of(f["code"])) == ("error", 15, "E_UNKNOWN_TYPE")


def test_bad_payloads_answered_with_their_error():
    r = panel()
    name, seq, f = ask_raw(r, b"\x82\x00\x03\x01")
    assert (name, seq, errors.name_of(f["code"])) == ("error", 0, "E_DECODE")
    name, seq, f = ask_raw(r, mpack.pack({0: 3, 1: 16, 2: "not bin"}))
    assert (name, seq, errors.name_of(f["code"])) == ("error", 16, "E_SHAPE")


def test_handler_exception_becomes_e_internal():
    name, seq, f = ask(panel({"ping": _boom}), "ping", 17)
    assert (name, seq, errors.name_of(f["code"])) == ("error", 17, "E_INTERNAL")
    assert "KeyError" in f["reason"]


def test_hello_refuses_a_max_frame_below_256():
    r = panel()
    name, seq, f = ask(r, "hello", 19, {"vmin": 1, "vmax": 1, "max_frame": 255})
    assert (name, seq, errors.name_of(f["code"])) == ("error", 19, "E_SHAPE")
    assert "256" in f["reason"] and r.version == 0
    name, seq, f = ask(r, "hello", 20, {"vmin": 1, "vmax": 1, "max_frame": 256})
    assert name == "hello_reply"


def test_reply_too_big_for_the_host_is_e_internal_not_a_frame_error():
    # The host accepts 256 bytes; a pong echoing 256 data bytes is larger.
    r = panel()
    ask(r, "hello", 21, {"vmin": 1, "vmax": 1, "max_frame": 256})
    name, seq, f = ask(r, "ping", 22, {"data": bytes(256)})
    assert (name, seq, errors.name_of(f["code"])) == ("error", 22, "E_INTERNAL")
    assert "exceeds 256" in f["reason"]
    name, seq, f = ask(r, "ping", 23, {"data": bytes(200)})
    assert (name, f["data"]) == ("pong", bytes(200))


def test_malformed_reply_from_a_handler_is_e_internal():
    name, seq, f = ask(panel({"ping": lambda fields: {"rx_frames": -1, "rx_dropped": 0}}), "ping", 24)
    assert (name, seq, errors.name_of(f["code"])) == ("error", 24, "E_INTERNAL")
    assert "rx_frames" in f["reason"]


def test_requests_past_ping_need_a_v3_session_and_then_a_sealed_one():
    cases = lambda f: {"cases": [], "next": 0, "storage": "ok"}  # noqa: E731
    r = panel({"ping": _pong, "list_cases": cases, "pair_start": lambda f: {"panel_nonce": bytes(16)}})
    name, seq, f = ask(r, "list_cases", 30, {"start": 0})
    assert (name, errors.name_of(f["code"])) == ("error", "E_VERSION")  # no hello yet
    for vmax in (1, 2):  # a v1 or v2 session keeps the handshake and ping only
        ask(r, "hello", 31, {"vmin": 1, "vmax": vmax, "max_frame": 512})
        for req, fields in (("list_cases", {"start": 0}),
                            ("pair_start", {"host_id": "h", "host_name": "n", "host_nonce": bytes(16)})):
            name, seq, f = ask(r, req, 32, fields)
            assert (name, errors.name_of(f["code"])) == ("error", "E_VERSION"), (vmax, req)
            assert "version 3" in f["reason"]
        name, seq, f = ask(r, "ping", 33)
        assert name == "pong"  # v1 requests still answered
    ask(r, "hello", 34, {"vmin": 1, "vmax": 3, "max_frame": 512})
    name, seq, f = ask(r, "list_cases", 35, {"start": 0})
    assert (name, seq, errors.name_of(f["code"])) == ("error", 35, "E_AUTH")  # v3, but not sealed
    assert ask(r, "pair_start", 36, {"host_id": "h", "host_name": "n", "host_nonce": bytes(16)})[0] == "pair_challenge"
    r, q = sealed_session({"list_cases": cases})
    [(name, seq, f)] = ask_sealed(r, q, "list_cases", {"start": 0})
    assert (name, f["cases"]) == ("cases", [])


def test_the_gate_refuses_before_the_handler_runs():
    ran = []

    def gate(name):
        if name != "ping":
            raise ProtocolError(errors.E_AUTH, "authenticate first")

    def cases(fields):
        ran.append(1)
        return {"cases": [], "next": 0, "storage": "ok"}

    r, q = sealed_session({"ping": _pong, "list_cases": cases})
    r.gate = gate
    [(name, seq, f)] = ask_sealed(r, q, "list_cases", {"start": 0})
    assert (name, seq, errors.name_of(f["code"])) == ("error", q.seq, "E_AUTH") and ran == []
    assert ask_sealed(r, q, "ping")[0][0] == "pong"


def test_a_list_reply_goes_out_as_several_frames_with_one_seq():
    def pull(fields):
        for i in (1, 2, 3):
            yield {"case": fields["case"], "first": i, "events": [b"\x80"], "last": i == 3}

    r, q = sealed_session({"pull": pull})
    [answer] = r.feed(q.request("pull", {"case": "c", "start": 1, "window": 3})[1])
    assert type(answer) is not bytes  # built frame by frame as it is sent, never whole
    got = [q.feed(frame)[0] for frame in answer]
    s = q.seq
    assert [(g[0], g[1], g[2]["first"], g[2]["last"]) for g in got] == [
        ("events", s, 1, False), ("events", s, 2, False), ("events", s, 3, True)]


def test_a_long_answer_failing_midway_ends_with_an_error_of_its_seq():
    def pull(fields):
        yield {"case": "c", "first": 1, "events": [b"\x80"], "last": False}
        raise OSError(5, "flash read failed")

    r, q = sealed_session({"pull": pull})
    [answer] = r.feed(q.request("pull", {"case": "c", "start": 1, "window": 3})[1])
    got = [q.feed(frame)[0] for frame in answer]  # the error is sealed like the frames before it
    assert [(g[0], g[1]) for g in got] == [("events", q.seq), ("error", q.seq)]
    assert errors.name_of(got[1][2]["code"]) == "E_INTERNAL" and "flash read failed" in got[1][2]["reason"]


def test_a_duplicated_request_is_answered_again_without_running_twice():
    runs = []

    def counting_pong(fields):
        runs.append(1)
        return _pong(fields)

    r = panel({"ping": counting_pong})
    frame = framing.encode_frame(messages.encode("ping", 46, {"data": b"once"}))
    [a] = r.feed(frame)
    [b] = r.feed(frame)  # the same frame again: a duplicate on the line
    assert a == b and len(runs) == 1
    r.feed(framing.encode_frame(messages.encode("ping", 47, {"data": b"once"})))  # a new seq runs again
    assert len(runs) == 2


def test_push_sends_seq_0_within_the_hosts_limit():
    r = panel()
    ask(r, "hello", 41, {"vmin": 3, "vmax": 3, "max_frame": 256})
    frame = r.push("events", {"case": "c", "first": 5, "events": [b"\x81\xa1k\x01"], "last": True})
    [(name, seq, f)] = [messages.decode(p) for p in framing.FrameDecoder().feed(frame)]
    assert (name, seq, f["first"]) == ("events", 0, 5)
    raises(ProtocolError, r.push, "events", {"case": "c", "first": 5, "events": [bytes(300)], "last": True})


def test_a_session_starts_at_hello_and_ends_at_reset():
    calls = []
    r = session.Responder({"ping": _pong}, IDENTITY, on_session=lambda: calls.append(1))
    ask(r, "hello", 42, {"vmin": 1, "vmax": 2, "max_frame": 512})
    ask(r, "hello", 43, {"vmin": 1, "vmax": 2, "max_frame": 512})
    r.reset()
    assert len(calls) == 3


def test_handler_protocol_error_is_sent_as_is():
    def refuse(fields):
        raise ProtocolError(errors.E_SHAPE, "no data allowed")

    name, seq, f = ask(panel({"ping": refuse}), "ping", 18)
    assert (name, seq, errors.name_of(f["code"]), f["reason"]) == ("error", 18, "E_SHAPE", "no data allowed")


def test_long_non_ascii_error_reasons_still_make_one_error_reply():
    def loud(fields):
        raise ValueError("\u00e9\u20ac" * 150)  # 750 UTF-8 bytes

    name, seq, f = ask(panel({"ping": loud}), "ping", 19)
    assert (name, seq, errors.name_of(f["code"])) == ("error", 19, "E_INTERNAL")
    assert len(f["reason"].encode("utf-8")) <= 160
    assert f["reason"].startswith("ValueError: \u00e9\u20ac")
    # a duplicate non-ASCII key: the decoder's reason quotes it
    k = mpack.pack("\u00e9" * 120)
    payload = b"\x84\x00\x03\x01\x05" + k + b"\x01" + k + b"\x02"
    name, seq, f = ask_raw(panel(), payload)
    assert (name, seq, errors.name_of(f["code"])) == ("error", 0, "E_DECODE")
    for n in range(150, 170):
        reason = messages.decode(
            framing.FrameDecoder().feed(session.error_frame(1, 16, "a" * n + "\u20ac" * 3))[0])[2]["reason"]
        assert len(reason.encode("utf-8")) <= 160 and reason.startswith("a" * min(n, 160))


def test_bad_frames_dropped_silently_then_ping_answered():
    r = panel()
    ping = messages.encode("ping", 20)
    body = bytearray(ping + framing.crc32(ping).to_bytes(4, "little"))
    body[2] ^= 0x40
    stream = b"\x11\x22\x33\x00" + cobs.encode(bytes(body)) + b"\x00" + b"\x05" * 3000 + b"\x00"
    assert r.feed(stream) == []
    assert r.decoder.dropped == 3
    name, seq, f = ask(r, "ping", 21)
    assert (name, seq) == ("pong", 21)


# --- session: the host's Requester -------------------------------------------------


def test_requester_numbers_from_1_and_wraps_65535_to_1():
    q = session.Requester()
    assert q.request("ping")[0] == 1
    assert q.request("ping")[0] == 2
    q.seq = 65534
    seq, frame = q.request("ping")
    assert seq == 65535
    assert messages.decode(framing.FrameDecoder().feed(frame)[0]) == ("ping", 65535, {})
    seq, frame = q.request("ping")
    assert seq == 1
    assert messages.decode(framing.FrameDecoder().feed(frame)[0])[1] == 1


def test_requester_and_responder_talk():
    q = session.Requester()
    r = panel()
    seq, frame = q.request("hello", {"vmin": 1, "vmax": 1, "max_frame": 1024})
    out = q.feed(b"".join(r.feed(frame)))
    assert len(out) == 1 and out[0][0] == "hello_reply" and out[0][1] == seq
    seq, frame = q.request("ping", {"data": b"\x00\x01"})
    reply = b"".join(r.feed(frame))
    got = []
    for i in range(len(reply)):  # one byte at a time
        got.extend(q.feed(reply[i : i + 1]))
    assert got == [("pong", seq, {"data": b"\x00\x01", "rx_frames": 1, "rx_dropped": 0})]


def test_requester_surfaces_errors():
    q = session.Requester()
    bad_payload = framing.encode_frame(b"\x82")
    out = q.feed(b"\x02\x01\x00" + bad_payload + framing.encode_frame(messages.encode("pong", 9, {"rx_frames": 0, "rx_dropped": 0})))
    assert names(out[:2]) == ["E_TRUNCATED", "E_DECODE"]
    assert out[2] == ("pong", 9, {"rx_frames": 0, "rx_dropped": 0})
    assert q.decoder.dropped == 1
