# tests/portable/test_seal.py — per-message authentication (protocol v3): bedlink.seal and the sealed session.
#
# Covers bedlink.seal.Channel (the layout 0xC1 ‖ ctr ‖ message ‖ 12-byte tag, counters from 1, a tag
# over the direction byte, the mark, ctr and message; refused: a flipped bit anywhere, a frame sealed
# by the same side (reflection), another session's key, a replayed or reordered counter, a counter
# at or past 2**30, a frame too short; a gap is accepted; the counter stops at 2**30 - 1) and the
# sealed session of bedlink.session: after auth_ok every answer, error and push is sealed; a plain
# frame, a wrong tag or a replay gets a plain E_AUTH and ends the session; a plain hello starts a new
# one; a sealed frame with no session gets E_AUTH with its seq; a byte-identical duplicate of the last
# request gets its answer again and keeps the session; pairing and auth requests are refused once
# sealed; answers built after a pull in the same read keep their counters in sending order; limit()
# leaves room for the seal; the host's Requester drops what does not open and takes a plain E_AUTH
# as the end of the session. The tags themselves are checked against CPython's hmac by the golden
# vectors (protocol/vectors/v3.jsonl, tests/portable/test_vectors.py).
# Run alone: .venv/bin/pytest tests/portable/test_seal.py
#   or: MICROPYPATH=tests/portable:protocol micropython tests/mprun.py test_seal

from bedlink import errors, framing, messages, seal, session
from bedlink.errors import E_AUTH, ProtocolError
from ptest import raises
from test_framing import IDENTITY, SK, _pong, ask_sealed, sealed_session

OTHER = bytes(range(200, 232))


def channels(key=SK):
    return seal.Channel(key, seal.HOST), seal.Channel(key, seal.PANEL)


def code(fn, *args):
    e = raises(ProtocolError, fn, *args)
    return errors.name_of(e.code)


def plain(name, seq, fields=None):
    return framing.encode_frame(messages.encode(name, seq, fields))


def decode_frame(frame):
    [payload] = framing.FrameDecoder().feed(frame)
    return payload


# -- the channel -----------------------------------------------------------


def test_a_sealed_payload_is_mark_counter_message_tag():
    host, panel = channels()
    msg = messages.encode("ping", 7)
    p = host.seal(msg)
    assert len(p) == len(msg) + seal.OVERHEAD == len(msg) + 17
    assert p[0] == 0xC1 and seal.is_sealed(p) and not seal.is_sealed(msg) and not seal.is_sealed(b"")
    assert p[1:5] == b"\x00\x00\x00\x01" and seal.counter(p) == 1
    assert p[5:-12] == msg and seal.message_of(p) == msg
    assert host.seal(msg)[1:5] == b"\x00\x00\x00\x02" and host.sent == 2
    assert panel.open(p) == msg and panel.heard == 1


def test_both_directions_and_many_frames_open():
    host, panel = channels()
    for i in range(1, 40):
        m = messages.encode("ping", i, {"data": bytes(range(i))})
        assert panel.open(host.seal(m)) == m
        assert host.open(panel.seal(m)) == m
    assert host.sent == host.heard == panel.sent == panel.heard == 39


def test_every_flipped_bit_is_refused_and_changes_nothing():
    host, panel = channels()
    p = host.seal(messages.encode("ack", 3, {"case": "c0ffee01", "upto": 200}))
    for i in range(len(p)):
        for bit in (0, 7):
            bad = bytearray(p)
            bad[i] ^= 1 << bit
            assert code(panel.open, bytes(bad)) == "E_AUTH", (i, bit)
    assert panel.heard == 0
    panel.open(p)


def test_a_frame_is_not_accepted_back_by_its_sender_nor_under_another_key():
    host, panel = channels()
    p = host.seal(b"\x80")
    assert code(host.open, p) == "E_AUTH"  # reflected: the direction byte differs
    other = seal.Channel(OTHER, seal.PANEL)
    assert code(other.open, p) == "E_AUTH"  # another session's key
    assert panel.open(p) == b"\x80"


def test_replays_and_reordering_are_refused_gaps_are_not():
    host, panel = channels()
    f1, f2, f3, f4 = [host.seal(messages.encode("ping", i)) for i in (1, 2, 3, 4)]
    panel.open(f2)
    assert code(panel.open, f1) == "E_AUTH"  # older than one already accepted: reordered
    assert code(panel.open, f2) == "E_AUTH"  # the same again: replayed
    panel.open(f4)  # f3 was lost on the line: a gap is fine
    assert code(panel.open, f3) == "E_AUTH" and panel.heard == 4


def test_counters_stay_below_2_to_the_30():
    host, panel = channels()
    host.sent = seal.CTR_MAX - 1
    last = host.seal(b"\x80")
    assert seal.counter(last) == seal.CTR_MAX == (1 << 30) - 1 and last[1] == 0x3F
    assert code(host.seal, b"\x80") == "E_AUTH"  # used up: the session must start again
    panel.heard = seal.CTR_MAX - 1
    assert panel.open(last) == b"\x80"
    forged = bytearray(last)
    forged[1] = 0x40  # a counter of 2**30: refused before any arithmetic (a board's small int)
    assert code(panel.open, bytes(forged)) == "E_AUTH"


def test_short_or_unmarked_payloads_are_refused():
    host, panel = channels()
    for bad in (b"", b"\xc1", b"\xc1" + bytes(16), b"\xc1" + bytes(17), messages.encode("ping", 1) + bytes(17)):
        assert code(panel.open, bad) == "E_AUTH", bad
    raises(ValueError, seal.Channel, bytes(31), seal.HOST)
    raises(ValueError, seal.Channel, SK, b"X")


# -- the sealed session: the panel's end -----------------------------------


def test_after_auth_ok_every_answer_error_and_push_is_sealed():
    r, q = sealed_session({"ping": _pong})
    frame = r.feed(q.request("ping", {"data": b"x"})[1])[0]
    payload = decode_frame(frame)
    assert seal.is_sealed(payload) and seal.counter(payload) == 1
    assert q.feed(frame)[0][0] == "pong"
    err = decode_frame(r.feed(q.request("list_anchors", {"start": 0})[1])[0])  # no handler: E_UNKNOWN_TYPE
    assert seal.is_sealed(err) and seal.counter(err) == 2
    [(name, _s, f)] = q.feed(framing.encode_frame(err))
    assert (name, errors.name_of(f["code"])) == ("error", "E_UNKNOWN_TYPE")
    push = decode_frame(r.push("events", {"case": "c", "first": 1, "events": [b"\x80"], "last": True}))
    assert seal.counter(push) == 3
    assert q.feed(framing.encode_frame(push))[0][:2] == ("events", 0)
    assert r.opened == 2


def test_a_plain_request_in_a_sealed_session_gets_e_auth_and_ends_it():
    ended = []
    r, q = sealed_session({"ping": _pong, "list_cases": lambda f: {"cases": [], "next": 0, "storage": "ok"}})
    r.on_session = lambda: ended.append(1)
    for name, fields in (("list_cases", {"start": 0}), ("ping", {})):
        r2, q2 = sealed_session({"ping": _pong})
        [frame] = r2.feed(plain(name, 9, fields))
        payload = decode_frame(frame)
        assert not seal.is_sealed(payload)  # to someone without the key: plain
        assert messages.decode(payload)[:2] == ("error", 9)
        assert messages.decode(payload)[2]["code"] == E_AUTH and not r2.sealed and r2.version == 0
    [frame] = r.feed(plain("list_cases", 10, {"start": 0}))
    assert ended and not r.sealed
    assert messages.decode(decode_frame(frame))[2]["code"] == E_AUTH
    # the real host's next sealed request now finds no session
    [frame] = r.feed(q.request("list_cases", {"start": 0})[1])
    name, seq, f = messages.decode(decode_frame(frame))
    assert (name, seq, f["code"]) == ("error", q.seq, E_AUTH) and "no authenticated session" in f["reason"]


def test_a_plain_hello_in_a_sealed_session_starts_a_new_one():
    r, q = sealed_session({"ping": _pong})
    [frame] = r.feed(plain("hello", 5, {"vmin": 1, "vmax": 3, "max_frame": 1024}))
    name, seq, f = messages.decode(decode_frame(frame))
    assert (name, seq, f["version"]) == ("hello_reply", 5, 3) and not r.sealed


def test_a_wrong_tag_or_a_replay_ends_the_session():
    r, q = sealed_session({"ping": _pong})
    _s, good = q.request("ping")
    bad = bytearray(decode_frame(good))
    bad[-1] ^= 1
    [frame] = r.feed(framing.encode_frame(bytes(bad)))
    name, seq, f = messages.decode(decode_frame(frame))
    assert (name, seq, f["code"]) == ("error", q.seq, E_AUTH) and not r.sealed  # the seq is read, not trusted
    r, q = sealed_session({"ping": _pong})
    _s, first = q.request("ping")
    r.feed(first)
    r.feed(q.request("ping")[1])
    [frame] = r.feed(first)  # an older frame again: a replay, not the last request's duplicate
    assert messages.decode(decode_frame(frame))[2]["code"] == E_AUTH and not r.sealed


def test_a_duplicated_last_request_is_answered_again_and_the_session_goes_on():
    runs = []

    def counting(fields):
        runs.append(1)
        return _pong(fields)

    r, q = sealed_session({"ping": counting})
    _s, frame = q.request("ping", {"data": b"once"})
    [a] = r.feed(frame)
    [b] = r.feed(frame)
    assert a == b and len(runs) == 1 and r.sealed
    assert q.feed(a)[0][0] == "pong"
    assert isinstance(q.feed(b)[0], ProtocolError)  # the host drops the copy: its counter is not newer
    assert ask_sealed(r, q, "ping")[0][0] == "pong"


def test_a_sealed_frame_without_a_session_gets_e_auth_with_its_seq():
    host, _panel = channels()
    r = session.Responder({"ping": _pong}, IDENTITY)
    payload = host.seal(messages.encode("ping", 321))
    [frame] = r.feed(framing.encode_frame(payload))
    name, seq, f = messages.decode(decode_frame(frame))
    assert (name, seq, f["code"]) == ("error", 321, E_AUTH)


def test_pairing_and_auth_are_refused_once_sealed():
    r, q = sealed_session({"ping": _pong, "auth_start": lambda f: {"panel_nonce": bytes(16)},
                           "pair_start": lambda f: {"panel_nonce": bytes(16)},
                           "pair_confirm": lambda f: {"proof": bytes(32)}})
    for name, fields in (("auth_start", {"host_id": "h", "host_nonce": bytes(16)}), ("auth", {"mac": bytes(32)}),
                         ("pair_start", {"host_id": "h", "host_name": "n", "host_nonce": bytes(16)}),
                         ("pair_confirm", {"proof": bytes(32)})):
        [(rname, _s, f)] = ask_sealed(r, q, name, fields)
        assert (rname, f["code"]) == ("error", E_AUTH), name
        assert "say hello" in f["reason"]
    assert r.sealed


def test_answers_after_a_pull_in_the_same_read_keep_their_counters_in_order():
    def pull(fields):
        for i in (1, 2, 3):
            yield {"case": "c", "first": i, "events": [b"\x80"], "last": i == 3}

    r, q = sealed_session({"ping": _pong, "pull": pull})
    stream = q.request("pull", {"case": "c", "start": 1, "window": 3})[1] + q.request("ping")[1]
    answers = r.feed(stream)
    assert len(answers) == 2
    wire = b""
    for a in answers:  # sent in order, as the panel's loop sends them
        wire += a if type(a) is bytes else b"".join(a)
    got = q.feed(wire)
    assert [g[0] for g in got] == ["events", "events", "events", "pong"]
    counters = [seal.counter(p) for p in framing.FrameDecoder().feed(wire)]
    assert counters == [1, 2, 3, 4]


def test_limit_leaves_room_for_the_seal():
    r, q = sealed_session({"ping": _pong}, max_frame=300)
    assert r.limit() == 300 - seal.OVERHEAD
    r.end_session()
    assert r.limit() == 1024


def test_every_sealed_error_still_fits_the_smallest_max_frame():
    r, q = sealed_session({"ping": lambda f: {}["x" * 500]}, max_frame=session.MIN_FRAME)
    [frame] = r.feed(q.request("ping")[1])
    payload = decode_frame(frame)
    assert seal.is_sealed(payload) and len(payload) <= session.MIN_FRAME
    assert q.feed(frame)[0][2]["code"] == errors.E_INTERNAL


# -- the sealed session: the host's end ------------------------------------


def test_the_requester_drops_what_does_not_open_and_takes_a_plain_e_auth_as_the_end():
    r, q = sealed_session({"ping": _pong})
    out = q.feed(plain("pong", 4, {"rx_frames": 0, "rx_dropped": 0}))  # plain, in a sealed session
    assert names(out) == ["E_AUTH"] and q.sealed
    out = q.feed(plain("error", 4, {"code": errors.E_SHAPE, "reason": "x"}))  # only E_AUTH may come plain
    assert names(out) == ["E_AUTH"] and q.sealed
    out = q.feed(plain("error", 4, {"code": E_AUTH, "reason": "session ended"}))
    assert out[0][0] == "error" and not q.sealed
    _h, panel = channels()
    out = q.feed(framing.encode_frame(panel.seal(messages.encode("pong", 5, {"rx_frames": 0, "rx_dropped": 0}))))
    assert names(out) == ["E_AUTH"]  # sealed, but this host has no session now


def names(items):
    return [errors.name_of(x.code) if isinstance(x, ProtocolError) else x[0] for x in items]
