# protocol/gen_vectors_v3.py — the golden vectors of version 3: crypto, sealed frames, a whole session,
# their refusals, and the panel's behaviour as exchanges. Called by gen_vectors.py (`make vectors`).
#
# The cryptographic values are computed here with CPython's own `hmac` and `hashlib`, from the
# definitions of protocol/README.md §6 written out again below, never with bedlink.pairing or
# bedlink.seal: tests/portable/test_vectors.py then holds bedlink to them on CPython and MicroPython.
# Message bytes come from bedlink.messages (the codec has its own vectors, v1/v2, checked against
# the PyPI msgpack library).
#
# protocol/vectors/v3.jsonl — one JSON object a line, keys sorted:
#   {"kind": "crypto", "name", "code", "host_id", "device_id", "host_nonce", "panel_nonce",
#    "key", "host_proof", "panel_proof", "host_mac", "panel_mac", "session_key"}       (hex for bytes)
#       the pairing key K from the code and what follows from it (§6)
#   {"kind": "sealed", "name", "session_key", "side", "ctr", "fields", "message", "payload", "hex"}
#       side "host" or "panel" (who seals: direction byte "H" or "P"); message = the plain msgpack;
#       payload = the sealed payload (0xC1 ‖ ctr ‖ message ‖ tag); hex = its frame on the wire
#   {"kind": "transcript", "name", "code", "host_id", "host_name", "device_id", "key", "session_key",
#    "steps": [{"from", "sealed", "ctr", "fields", "message", "payload", "hex"}, ...]}
#       a whole session on the wire: pairing, authentication, then sealed sync and a live push
# protocol/vectors/v3-negative.jsonl:
#   {"layer": "seal", "name", "session_key", "side", "heard", "hex", "error"}
#       hex = a payload the end `side` ("host" or "panel") must refuse with `error` (E_AUTH) after
#       accepting frames up to ctr `heard`; nothing it holds changes
#   {"layer": "message", ...}  as in v1-negative.jsonl (the field limits of version 3's spec)
# protocol/vectors/v3-panel.jsonl — what the panel does (§4, §5), as exchanges:
#   {"kind": "exchange", "name", "given", "steps": [{"send", "expect"}, ...]}
#       given: {"session": "none" | "v1" | "v2" | "v3" | "sealed", "case": events (optional),
#               "acked": events acknowledged (optional)}; send: a request by its fields ("type",
#               "seq", fields), or {"raw": hex} for a payload the codec would not build; sealed in a
#               sealed session. expect: the answer's "type" and, for an error, its "code" name, and
#               any reply fields listed; {"same_as": i}: byte for byte the answer of step i.
#               tests/portable/test_panel_vectors.py replays them against the firmware's Panel.

import hashlib
import hmac

from bedlink import framing, messages, mpack
from gen_vectors import dumps, fields_json, hx, message_rows, message_vectors, nested, text_of_bytes, to_json


def H(key, msg):
    return hmac.new(key, msg, hashlib.sha256).digest()


# ---- §6 written out again, with CPython's hmac ------------------------------------------------------------------


def ref_key(code, host_id, device_id, hn, pn):
    return H(code.encode("ascii"), b"bedside-pair-v1\0" + host_id.encode() + b"\0" + device_id.encode() + b"\0" + hn + pn)


def ref_all(code, host_id, device_id, hn, pn):
    k = ref_key(code, host_id, device_id, hn, pn)
    dev = device_id.encode()
    return {
        "key": k,
        "host_proof": H(k, b"pair-host" + pn + hn),
        "panel_proof": H(k, b"pair-panel" + hn + pn),
        "host_mac": H(k, b"auth-host" + pn + hn + dev),
        "panel_mac": H(k, b"auth-panel" + hn + pn + dev),
        "session_key": H(k, b"bedside-session-v3" + hn + pn + dev),
    }


def ref_seal(sk, side, ctr, message):
    head = b"\xc1" + ctr.to_bytes(4, "big")
    direction = b"H" if side == "host" else b"P"
    return head + message + H(sk, direction + head + message)[:12]


# ---- v3.jsonl -------------------------------------------------------------------------------------------------

CRYPTO = [
    ("crypto_golden", "042917", "host-a", "panel-1", bytes(range(16)), bytes(range(16, 32))),
    ("crypto_code_000000_longest_ids", "000000", "\u00e9" * 32, "x" * 64, b"\xff" * 16, bytes(16)),
    ("crypto_code_999999", "999999", "5a17c0de5a17c0de5a17c0de5a17c0de", "pico2-e66138972b1c052f",
     bytes(range(0xA0, 0xB0)), bytes(range(0x50, 0x60))),
]


def crypto_vectors():
    out = []
    for name, code, host_id, device_id, hn, pn in CRYPTO:
        v = {"kind": "crypto", "name": name, "code": code, "host_id": host_id, "device_id": device_id,
             "host_nonce": hx(hn), "panel_nonce": hx(pn)}
        for k, value in ref_all(code, host_id, device_id, hn, pn).items():
            v[k] = hx(value)
        out.append(v)
    return out


SK = bytes.fromhex(ref_all(*CRYPTO[0][1:])["session_key"].hex())
EV = mpack.pack({"seq": 7, "t": 81250, "k": "note", "text": "wire position checked in two views"})

SEALED = [
    # name, side, ctr, message type, seq, fields
    ("sealed_host_ctr_1_ping", "host", 1, "ping", 3, {}),
    ("sealed_panel_ctr_1_pong", "panel", 1, "pong", 3, {"rx_frames": 9, "rx_dropped": 0, "heap_free": 70000}),
    ("sealed_host_ctr_255_list_cases", "host", 255, "list_cases", 4, {"start": 0}),
    ("sealed_host_ctr_256_ack", "host", 256, "ack", 5, {"case": "c0ffee01", "upto": 200}),
    ("sealed_panel_ctr_65535_events", "panel", 65535, "events", 6,
     {"case": "c0ffee01", "first": 7, "events": [EV], "last": True}),
    ("sealed_panel_ctr_65536_live_push", "panel", 65536, "events", 0,
     {"case": "c0ffee01", "first": 7, "events": [EV], "last": True}),
    ("sealed_panel_ctr_2_24_error", "panel", 1 << 24, "error", 7, {"code": 23, "reason": "no case c0ffee99"}),
    ("sealed_host_ctr_max", "host", (1 << 30) - 1, "ping", 65535, {"data": b"\x00\xc1\xff"}),
]


def sealed_vectors():
    out = []
    for name, side, ctr, mtype, seq, fields in SEALED:
        message = messages.encode(mtype, seq, fields)
        payload = ref_seal(SK, side, ctr, message)
        out.append({"kind": "sealed", "name": name, "session_key": hx(SK), "side": side, "ctr": ctr,
                    "fields": fields_json(mtype, seq, fields), "message": hx(message), "payload": hx(payload),
                    "hex": hx(framing.encode_frame(payload))})
    return out


def transcript_vector():
    code, host_id, host_name, device_id = "318204", "9f1c2b7a44d0e6a1", "Cath lab 2 nurses' desk", "pico2-e66138972b1c052f"
    pair_hn, pair_pn = bytes(range(0x10, 0x20)), bytes(range(0x80, 0x90))
    auth_hn, auth_pn = bytes(range(0x20, 0x30)), bytes(range(0x90, 0xA0))
    pk = ref_all(code, host_id, device_id, pair_hn, pair_pn)
    k = pk["key"]
    dev = device_id.encode()
    host_mac = H(k, b"auth-host" + auth_pn + auth_hn + dev)
    panel_mac = H(k, b"auth-panel" + auth_hn + auth_pn + dev)
    sk = H(k, b"bedside-session-v3" + auth_hn + auth_pn + dev)
    ev1 = mpack.pack({"seq": 1, "t": 1000, "k": "open", "case": "c0ffee01", "cv": "cto-2026.11.1", "fw": "0.1.0"})
    ev2 = mpack.pack({"seq": 2, "t": 2500, "k": "finding", "f": "length_mm", "v": 25, "src": "ct"})
    ev3 = mpack.pack({"seq": 3, "t": 9000, "k": "note", "text": "wire position checked"})
    hello = {"vmin": 1, "vmax": 3, "max_frame": 4096}
    reply = {"version": 3, "device_id": device_id, "firmware": "0.1.0", "max_frame": 1024, "content": "cto-2026.11.1"}
    plain = [
        ("host", "hello", 1, hello), ("panel", "hello_reply", 1, reply),
        ("host", "pair_start", 2, {"host_id": host_id, "host_name": host_name, "host_nonce": pair_hn}),
        ("panel", "pair_challenge", 2, {"panel_nonce": pair_pn}),
        ("host", "pair_confirm", 3, {"proof": pk["host_proof"]}), ("panel", "pair_done", 3, {"proof": pk["panel_proof"]}),
        ("host", "hello", 4, hello), ("panel", "hello_reply", 4, reply),
        ("host", "auth_start", 5, {"host_id": host_id, "host_nonce": auth_hn}),
        ("panel", "auth_challenge", 5, {"panel_nonce": auth_pn}),
        ("host", "auth", 6, {"mac": host_mac}), ("panel", "auth_ok", 6, {"mac": panel_mac}),
    ]
    sealed = [
        ("host", "set_time", 7, {"wall_ms": 1795252800000}), ("panel", "time_set", 7, {"boot": 4, "ticks": 61250}),
        ("host", "list_anchors", 8, {"start": 0}), ("panel", "anchors", 8, {"anchors": [[4, 61250, 1795252800000]], "next": 0}),
        ("host", "list_cases", 9, {"start": 0}),
        ("panel", "cases", 9, {"cases": [["c0ffee01", 3, 0, False]], "next": 0, "storage": "ok"}),
        ("host", "pull", 10, {"case": "c0ffee01", "start": 1, "window": 64}),
        ("panel", "events", 10, {"case": "c0ffee01", "first": 1, "events": [ev1, ev2], "last": False}),
        ("panel", "events", 10, {"case": "c0ffee01", "first": 3, "events": [ev3], "last": True}),
        ("host", "ack", 11, {"case": "c0ffee01", "upto": 3}), ("panel", "acked", 11, {"case": "c0ffee01", "upto": 3}),
        ("panel", "events", 0, {"case": "c0ffee01", "first": 4,
                                "events": [mpack.pack({"seq": 4, "t": 12000, "k": "note", "text": "live"})],
                                "last": True}),
        ("host", "pull", 12, {"case": "c0ffee99", "start": 1, "window": 64}),
        ("panel", "error", 12, {"code": 23, "reason": "no case c0ffee99"}),
        ("host", "ping", 13, {}), ("panel", "pong", 13, {"rx_frames": 13, "rx_dropped": 0, "heap_free": 70000}),
    ]
    steps = []
    for side, mtype, seq, fields in plain:
        message = messages.encode(mtype, seq, fields)
        steps.append({"from": side, "sealed": False, "ctr": 0, "fields": fields_json(mtype, seq, fields),
                      "message": hx(message), "payload": hx(message), "hex": hx(framing.encode_frame(message))})
    ctr = {"host": 0, "panel": 0}
    for side, mtype, seq, fields in sealed:
        ctr[side] += 1
        message = messages.encode(mtype, seq, fields)
        payload = ref_seal(sk, side, ctr[side], message)
        steps.append({"from": side, "sealed": True, "ctr": ctr[side], "fields": fields_json(mtype, seq, fields),
                      "message": hx(message), "payload": hx(payload), "hex": hx(framing.encode_frame(payload))})
    return {"kind": "transcript", "name": "transcript_pair_auth_sync_push", "code": code, "host_id": host_id,
            "host_name": host_name, "device_id": device_id, "pair_host_nonce": hx(pair_hn),
            "pair_panel_nonce": hx(pair_pn), "auth_host_nonce": hx(auth_hn), "auth_panel_nonce": hx(auth_pn),
            "key": hx(k), "session_key": hx(sk), "steps": steps}


# ---- v3-negative.jsonl --------------------------------------------------------------------------------------------


def seal_negatives():
    msg = messages.encode("ack", 9, {"case": "c0ffee01", "upto": 200})
    good = ref_seal(SK, "host", 10, msg)  # what the host sends; the panel must refuse every variant below

    def flip(i, bit=0):
        b = bytearray(good)
        b[i] ^= 1 << bit
        return bytes(b)

    other = H(b"another session", b"key")
    cases = [
        ("seal_tag_bit_flipped", flip(len(good) - 1), 9),
        ("seal_tag_first_bit_flipped", flip(len(good) - 12, 7), 9),
        ("seal_message_bit_flipped", flip(8), 9),
        ("seal_counter_bit_flipped", flip(4), 9),
        ("seal_mark_changed", b"\xc0" + good[1:], 9),
        ("seal_reflected_to_its_sender", ref_seal(SK, "panel", 10, msg), 9),
        ("seal_another_session_key", ref_seal(other, "host", 10, msg), 9),
        ("seal_replayed_same_counter", good, 10),
        ("seal_reordered_older_counter", good, 11),
        ("seal_counter_2_30", ref_seal(SK, "host", 1 << 30, msg), 9),
        ("seal_counter_0", ref_seal(SK, "host", 0, msg), 0),
        ("seal_tag_cut_to_11_bytes", good[:-1], 9),
        ("seal_no_message", ref_seal(SK, "host", 10, b""), 9),
        ("seal_only_the_mark", b"\xc1", 0),
        ("seal_plain_message_plus_17_bytes", msg + good[-17:], 9),
    ]
    return [{"layer": "seal", "name": name, "session_key": hx(SK), "side": "panel", "heard": heard, "hex": hx(p),
             "error": "E_AUTH"} for name, p, heard in cases]


def message_negatives_v3():
    P = mpack.pack
    cases = [
        ("profile_operator_id_65_bytes", P({0: 25, 1: 40, 2: "o" * 65, 3: "Dr X"}), "E_SHAPE", 40),
        ("profile_name_65_bytes", P({0: 25, 1: 41, 2: "op", 3: text_of_bytes(65, "\u00e9")}), "E_SHAPE", 41),
        ("profile_volume_over_u16", P({0: 25, 1: 42, 2: "op", 3: "n", 4: 65536}), "E_SHAPE", 42),
        ("profile_coverage_65_bytes", P({0: 25, 1: 50, 2: "op", 3: "n", 8: "c" * 65}), "E_SHAPE", 50),
        ("pull_case_65_bytes", P({0: 19, 1: 43, 2: "c" * 65, 3: 1, 4: 1}), "E_SHAPE", 43),
        ("pull_case_is_int", P({0: 19, 1: 44, 2: 7, 3: 1, 4: 1}), "E_SHAPE", 44),
        ("pull_window_over_u16", P({0: 19, 1: 45, 2: "c", 3: 1, 4: 65536}), "E_SHAPE", 45),
        ("ack_upto_negative", P({0: 21, 1: 46, 2: "c", 3: -1}), "E_SHAPE", 46),
        ("ack_upto_is_str", P({0: 21, 1: 47, 2: "c", 3: "200"}), "E_SHAPE", 47),
        ("pair_start_host_name_65_bytes", P({0: 5, 1: 48, 2: "h", 3: "n" * 65, 4: bytes(16)}), "E_SHAPE", 48),
        ("set_time_wall_ms_negative", P({0: 15, 1: 49, 2: -1}), "E_SHAPE", 49),
    ]
    return message_rows(cases)


# ---- v3-panel.jsonl: the panel's behaviour ------------------------------------------------------------------------


def req(mtype, seq, **fields):
    f = {"type": mtype, "seq": seq}
    for k, v in fields.items():
        f[k] = to_json(v)
    return f


def raw(payload):
    return {"raw": hx(payload)}


def err(code, **fields):
    out = {"type": "error", "code": code}
    out.update(fields)
    return out


HELLO3 = {"vmin": 1, "vmax": 3, "max_frame": 1024}
P = mpack.pack


def exchanges():
    E = []

    def ex(name, given, *steps):
        E.append({"kind": "exchange", "name": name, "given": given,
                  "steps": [{"send": s, "expect": e} for s, e in steps]})

    none, v3, sealed = {"session": "none"}, {"session": "v3"}, {"session": "sealed"}
    # §3: depth counts the containers enclosing a value; the message map is one of them
    ex("a_value_under_16_containers_is_accepted", none,
       (raw(P({0: 3, 1: 1, 9: nested(15, 0)})), {"type": "pong"}))
    ex("a_value_under_17_containers_is_refused", none,
       (raw(b"\x83\x00\x03\x01\x02\x09" + P(nested(16, 0))), err("E_DECODE", seq=0)))
    # §4: max_frame below 256 is the session's rule (the codec takes any uint32)
    ex("hello_max_frame_255_is_e_shape", none,
       (req("hello", 1, vmin=1, vmax=3, max_frame=255), err("E_SHAPE", seq=1)),
       (req("hello", 2, vmin=1, vmax=3, max_frame=256), {"type": "hello_reply", "version": 3, "max_frame": 1024}))
    ex("hello_takes_the_highest_common_version", none,
       (req("hello", 1, vmin=1, vmax=65535, max_frame=1024), {"type": "hello_reply", "version": 3}),
       (req("hello", 2, vmin=1, vmax=2, max_frame=1024), {"type": "hello_reply", "version": 2}),
       (req("hello", 3, vmin=4, vmax=9, max_frame=1024), err("E_VERSION")))
    # §4: a well-formed reply sent to the panel is E_UNKNOWN_TYPE; a malformed one is E_SHAPE first
    ex("a_well_formed_pong_to_the_panel_is_e_unknown_type", none,
       (req("pong", 5, rx_frames=0, rx_dropped=0), err("E_UNKNOWN_TYPE", seq=5)),
       (raw(P({0: 4, 1: 6})), err("E_SHAPE", seq=6)))
    # v1/v2 sessions keep the handshake and ping: everything else is E_VERSION
    for v in (1, 2):
        ex("a_v%d_session_keeps_hello_and_ping_only" % v, {"session": "v%d" % v},
           (req("ping", 2), {"type": "pong"}),
           (req("pair_start", 3, host_id="h", host_name="n", host_nonce=bytes(16)), err("E_VERSION", seq=3)),
           (req("auth_start", 4, host_id="h", host_nonce=bytes(16)), err("E_VERSION", seq=4)),
           (req("list_cases", 5, start=0), err("E_VERSION", seq=5)))
    # v3 before authentication: E_AUTH for everything past the handshake and the four that authenticate
    ex("before_auth_only_the_handshake_ping_pairing_and_auth", {"session": "v3", "case": 3},
       (req("list_cases", 2, start=0), err("E_AUTH", seq=2)),
       (req("pull", 3, case="CASE", start=1, window=1), err("E_AUTH", seq=3)),
       (req("ack", 4, case="CASE", upto=3), err("E_AUTH", seq=4)),
       (req("unpair", 5), err("E_AUTH", seq=5)),
       (req("set_time", 6, wall_ms=1795252800000), err("E_AUTH", seq=6)),
       (req("ping", 7), {"type": "pong"}))
    ex("pair_start_needs_pairing_opened_at_the_panel", v3,
       (req("pair_start", 2, host_id="h", host_name="n", host_nonce=bytes(16)), err("E_PAIRING", seq=2)))
    ex("an_unknown_host_id_gets_a_challenge_like_a_known_one", v3,
       (req("auth_start", 2, host_id="never-paired", host_nonce=bytes(16)), {"type": "auth_challenge"}),
       (req("auth", 3, mac=bytes(32)), err("E_AUTH", seq=3, reason="authentication refused")))
    ex("a_sealed_frame_with_no_session_is_e_auth", v3,
       ({"sealed_by": "host", "ctr": 1, "type": "list_cases", "seq": 9, "start": 0}, err("E_AUTH", seq=9)))
    # §4: a byte-identical request gets the answer it had, without running again
    ex("a_duplicated_frame_gets_the_same_answer", v3,
       (req("auth_start", 2, host_id="h", host_nonce=bytes(16)), {"type": "auth_challenge"}),
       (req("auth_start", 2, host_id="h", host_nonce=bytes(16)), {"same_as": 0}))
    # §5: ack and pull rules (a case of 40 events)
    case40 = {"session": "sealed", "case": 40}
    ex("ack_beyond_the_case_is_refused_not_clamped", case40,
       (req("ack", 2, case="CASE", upto=41), err("E_SHAPE", seq=2)),
       (req("list_cases", 3, start=0), {"type": "cases", "cases": [["CASE", 40, 0, True]]}))
    ex("ack_0_after_a_full_ack_leaves_it", case40,
       (req("ack", 2, case="CASE", upto=40), {"type": "acked", "upto": 40}),
       (req("ack", 3, case="CASE", upto=0), {"type": "acked", "upto": 40}),
       (req("ack", 4, case="CASE", upto=12), {"type": "acked", "upto": 40}))
    ex("pull_needs_start_and_window_of_at_least_1", case40,
       (req("pull", 2, case="CASE", start=0, window=1), err("E_SHAPE", seq=2)),
       (req("pull", 3, case="CASE", start=1, window=0), err("E_SHAPE", seq=3)),
       (req("pull", 4, case="nope", start=1, window=1), err("E_NO_CASE", seq=4)))
    ex("last_marks_the_last_frame_of_the_answer_not_the_end_of_the_case", case40,
       (req("pull", 2, case="CASE", start=1, window=1), {"type": "events", "first": 1, "last": True, "frames": 1}),
       (req("pull", 3, case="CASE", start=41, window=8), {"type": "events", "first": 41, "events": [], "last": True,
                                                          "frames": 1}))
    ex("once_sealed_pairing_and_auth_are_refused_and_hello_starts_over", sealed,
       (req("auth_start", 2, host_id="h", host_nonce=bytes(16)), err("E_AUTH", seq=2)),
       (req("ping", 3), {"type": "pong"}),
       ({"plain": True, "type": "list_cases", "seq": 4, "start": 0}, err("E_AUTH", seq=4, sealed=False)),
       ({"plain": True, "type": "hello", "seq": 5, "vmin": 1, "vmax": 3, "max_frame": 1024},
        {"type": "hello_reply", "sealed": False}))
    return E


# Fields added within version 3 (a receiver ignores keys it does not know: no byte of an earlier vector changes).
MESSAGES_V3 = [
    ("profile_with_coverage", "profile", 24, {"operator_id": "op-7", "name": "Dr A. Operator", "years": 6,
                                              "coverage": "from 12 cases since 2026-11-01"}),
]


def build_v3():
    """{file name: bytes} of the version-3 files."""
    positive = crypto_vectors() + sealed_vectors() + [transcript_vector()] + message_vectors(MESSAGES_V3)
    return {"v3.jsonl": dumps(positive), "v3-negative.jsonl": dumps(seal_negatives() + message_negatives_v3()),
            "v3-panel.jsonl": dumps(exchanges())}
