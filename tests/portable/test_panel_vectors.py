# tests/portable/test_panel_vectors.py — the panel's behaviour vectors (protocol/vectors/v3-panel.jsonl) replayed
# against the firmware's Panel on a fake board, on CPython and MicroPython.
#
# Each vector says what the spec promises about the panel (protocol/README.md §3-§6): nesting depth as
# the containers enclosing a value, max_frame below 256 refused by the session, E_UNKNOWN_TYPE only for
# a well-formed message the panel does not answer, the version a hello agrees, v1/v2 sessions keeping
# hello and ping only, E_AUTH before authentication, pairing that must be opened at the panel, an
# unknown host id answered like a known one, a sealed frame with no session, the duplicate-frame cache,
# the ack and pull rules, `last`, and the sealed session's refusals. Here a session is set up as the
# vector's "given" says (a hello of that version; for "sealed", pairing opened at the panel, a real
# pairing with the code the panel shows, an authentication, and the host's Requester sealing), each
# request goes in through the board's link and Panel.step(), and every answer written back is checked.
# Run alone: .venv/bin/pytest tests/portable/test_panel_vectors.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_panel_vectors

from bedlink import errors, framing, messages, seal
from bedlink import pairing as crypto
from bedlink.session import Requester
from panel.app import Panel
from test_panel_app import FakeBoard
from test_vectors import each, from_json, tohex, unhex

HOST_ID = "vector-host"
SPECIAL = ("type", "seq", "plain", "sealed_by", "ctr", "raw")


def run(panel, frame):
    """Send one frame through the board's link and the main loop; the frames written back."""
    board = panel.board
    board.link.inbox.append(frame)
    for _ in range(50):
        panel.step(0)
        if not board.link.pending and not board.link.inbox:
            break
    sent = bytes(board.link.sent)
    board.link.sent = bytearray()
    return [f + b"\x00" for f in sent.split(b"\x00")[:-1]]


def ask(panel, host, name, fields):
    [frame] = run(panel, host.request(name, fields)[1])
    [reply] = host.feed(frame)
    assert reply[0] == messages.REPLY[name], (name, reply)
    return reply[2]


def given_panel(given, board=None):
    """(panel, host, case id) as the vector's `given` says (on `board`, a fresh FakeBoard by default)."""
    panel = Panel(board or FakeBoard())
    case_id = None
    if "case" in given:
        keeper = panel.keeper
        case_id = keeper.new_case()
        for i in range(given["case"] - 2):
            keeper.record("note", {"text": "step %d" % i})
        keeper.record("close", None)
    host = Requester(4096)
    session = given["session"]
    if session != "none":
        vmax = {"v1": 1, "v2": 2}.get(session, 3)
        ask(panel, host, "hello", {"vmin": 1, "vmax": vmax, "max_frame": 1024})
    if session == "sealed":
        device = panel.board.device_id
        panel.pairing.arm(panel.uptime.now())  # someone at the panel opened pairing
        hn = b"\x11" * 16
        pn = ask(panel, host, "pair_start", {"host_id": HOST_ID, "host_name": "vectors", "host_nonce": hn})["panel_nonce"]
        key = crypto.derive_key(panel.pairing_code, HOST_ID, device, hn, pn)
        ask(panel, host, "pair_confirm", {"proof": crypto.host_proof(key, hn, pn)})
        hn = b"\x22" * 16
        pn = ask(panel, host, "auth_start", {"host_id": HOST_ID, "host_nonce": hn})["panel_nonce"]
        mac = ask(panel, host, "auth", {"mac": crypto.host_mac(key, hn, pn, device)})["mac"]
        assert mac == crypto.panel_mac(key, hn, pn, device)
        host.start_sealing(crypto.session_key(key, hn, pn, device))
    return panel, host, case_id


def subst(value, case_id):
    if value == "CASE":
        return case_id
    if type(value) is list:
        return [subst(v, case_id) for v in value]
    return value


def request_frame(host, send, case_id):
    if "raw" in send:
        message = unhex(send["raw"])
    else:
        fields = {}
        for k in send:
            if k not in SPECIAL:
                fields[k] = subst(from_json(send[k]), case_id)
        message = messages.encode(send["type"], send["seq"], fields)
    if "sealed_by" in send:  # sealed under a key no session holds
        ch = seal.Channel(b"\x5a" * 32, seal.HOST)
        ch.sent = send["ctr"] - 1
        return framing.encode_frame(ch.seal(message))
    if host.channel is not None and not send.get("plain"):
        message = host.channel.seal(message)
    return framing.encode_frame(message)


def answers(host, frames):
    """[(name, seq, fields, sealed)] of the frames the panel wrote, opened as the host opens them."""
    out = []
    for frame in frames:
        [payload] = framing.FrameDecoder(4096).feed(frame)
        if seal.is_sealed(payload):
            name, seq, fields = messages.decode(host.channel.open(payload))
            out.append((name, seq, fields, True))
        else:
            name, seq, fields = messages.decode(payload)
            out.append((name, seq, fields, False))
    return out


def check_step(vname, i, expect, got, frames, earlier, case_id):
    what = "%s step %d" % (vname, i)
    if "same_as" in expect:
        assert frames == earlier[expect["same_as"]], what + ": not the same answer again"
        return
    assert got, what + ": no answer"
    name, seq, fields, sealed = got[0]
    assert name == expect["type"], (what, name, fields)
    for k in expect:
        want = subst(from_json(expect[k]), case_id)
        if k == "type":
            continue
        if k == "code":
            assert errors.name_of(fields["code"]) == want, (what, fields)
        elif k == "seq":
            assert seq == want, (what, seq)
        elif k == "sealed":
            assert sealed == want, (what, sealed)
        elif k == "frames":
            assert len(got) == want, (what, len(got))
        else:
            assert fields[k] == want, (what, k, fields[k], want)
    if "frames" not in expect:
        assert len(got) == 1, (what, got)


def test_the_panel_does_what_its_behaviour_vectors_say():
    n = 0
    for v in each("v3-panel.jsonl", "kind", "exchange"):
        panel, host, case_id = given_panel(v["given"])
        earlier = []
        for i in range(len(v["steps"])):
            st = v["steps"][i]
            frames = run(panel, request_frame(host, st["send"], case_id))
            got = answers(host, frames) if "same_as" not in st["expect"] else []
            check_step(v["name"], i, st["expect"], got, frames, earlier, case_id)
            if got and got[0][0] == "hello_reply":
                host.end_session()  # a hello starts a new session, plain
            earlier.append(frames)
        n += 1
    assert n >= 15


def test_the_vectors_name_every_point_they_prove():
    names = [v["name"] for v in each("v3-panel.jsonl", "kind", "exchange")]
    for point in ("containers", "max_frame_255", "e_unknown_type", "highest_common_version", "v2_session",
                  "before_auth", "opened_at_the_panel", "unknown_host_id", "duplicated_frame", "ack_beyond",
                  "ack_0_after", "start_and_window", "last_marks", "hello_starts_over"):
        assert [x for x in names if point in x], point
    assert tohex(b"\x01") == "01"
