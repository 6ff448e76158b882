# tests/portable/test_panel_session.py — a session never outlives its host: the panel's loop on a fake board.
#
# Covers panel.app.Panel with protocol v3 (findings of issue 11, §2): live copies of recorded events go
# only to an authenticated host, sealed; a hang-up (LINK_GONE) ends the session, so a host opening the
# port afterwards reads nothing and receives no live events; on a link that reports no hang-up (the
# Pico 2 without DTR) a second host without the key gets only E_AUTH, whatever it sends first, and its
# first frame ends the first host's session; a sealed session ends after IDLE_MS (60 s) without an
# authentic frame (59,999 ms is still open; a ping keeps it), and when its host is unpaired or forgotten
# at the panel. Sessions are set up as tests/portable/test_panel_vectors.py does (a real pairing opened
# at the panel, a real authentication).
# Run alone: .venv/bin/pytest tests/portable/test_panel_session.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_panel_session

from bedlink import errors, framing, messages, seal
from bedlink.session import Requester
from panel.app import IDLE_MS
from panel.board import LINK_GONE
from test_panel_app import FakeBoard
from test_panel_vectors import HOST_ID, answers, given_panel, run


class TickClock:
    """A clock the test moves: ticks_ms() is `t`."""

    def __init__(self):
        self.t = 1000
        self.slept = []

    def ticks_ms(self):
        return self.t

    def ticks_diff(self, a, b):
        return a - b

    def sleep_ms(self, ms):
        self.slept.append(ms)


def authed(case=None):
    board = FakeBoard()
    board.clock = TickClock()
    given = {"session": "sealed"}
    panel, host, _case = given_panel(given, board)
    assert panel.responder.sealed and panel.pairing.authed_host == HOST_ID
    return panel, host


def record_note(panel):
    """Record one event as a tap would; return what the panel wrote to the link for it."""
    if panel.keeper.case_id is None:
        panel.keeper.new_case()
        panel.step(0)  # its live copy goes out
        panel.board.link.sent = bytearray()
    panel.keeper.record("note", {"text": "live"})
    assert panel.board.link.sent == b""  # the copy waits for the next turn's look at the link
    panel.step(0)
    sent = bytes(panel.board.link.sent)
    panel.board.link.sent = bytearray()
    return [f + b"\x00" for f in sent.split(b"\x00")[:-1]]


def plain(name, seq, fields=None):
    return framing.encode_frame(messages.encode(name, seq, fields))


def decoded(frames):
    out = []
    for f in frames:
        [payload] = framing.FrameDecoder(4096).feed(f)
        out.append((seal.is_sealed(payload), payload))
    return out


def test_live_copies_go_sealed_to_the_authenticated_host_only():
    panel, host = authed()
    frames = record_note(panel)
    [(is_sealed, payload)] = decoded(frames)
    assert is_sealed
    [(name, seq, fields, _s)] = answers(host, frames)
    assert (name, seq) == ("events", 0)
    # a v3 session that has not authenticated gets no copy
    panel2, host2 = authed()
    run(panel2, plain("hello", 1, {"vmin": 1, "vmax": 3, "max_frame": 1024}))
    assert record_note(panel2) == []


def test_a_copy_recorded_before_a_hang_up_is_not_sent_after_it():
    panel, host = authed()
    panel.keeper.new_case()
    panel.step(0)
    panel.board.link.sent = bytearray()
    panel.keeper.record("note", {"text": "recorded as the host leaves"})
    panel.board.link.inbox.append(LINK_GONE)  # the hang-up the next turn sees
    panel.step(0)
    assert panel.board.link.sent == b"" and not panel.responder.sealed


def test_a_hang_up_ends_the_session_and_the_next_host_gets_nothing():
    # Found (issue 11): a host opening the port right after an authenticated host left read the case
    # list with no hello and no auth, and received the first host's live events.
    panel, host = authed()
    panel.board.link.inbox.append(LINK_GONE)
    panel.step(0)
    assert not panel.responder.sealed and panel.pairing.authed_host is None
    assert record_note(panel) == []  # no live copy to whoever opens the port next
    stranger = Requester(4096)
    [(name, seq, fields, is_sealed)] = answers(stranger, run(panel, plain("list_cases", 1, {"start": 0})))
    assert (name, errors.name_of(fields["code"]), is_sealed) == ("error", "E_VERSION", False)
    [(name, seq, fields, _s)] = answers(host, run(panel, host.request("list_cases", {"start": 0})[1]))
    assert (name, errors.name_of(fields["code"])) == ("error", "E_AUTH")  # the old key opens nothing now


def test_without_a_hang_up_a_second_host_gets_only_e_auth_and_ends_the_first_session():
    # The Pico 2 before DTR: the link never said the first host had gone.
    for first in (plain("list_cases", 7, {"start": 0}), plain("unpair", 7), plain("ack", 7, {"case": "x", "upto": 1}),
                  plain("ping", 7), framing.encode_frame(b"\x81\x00\x00")):
        panel, host = authed()
        [(name, seq, fields, is_sealed)] = answers(host, run(panel, first))
        assert (name, errors.name_of(fields["code"]), is_sealed) == ("error", "E_AUTH", False), first
        assert not panel.responder.sealed and panel.pairing.authed_host is None
        assert record_note(panel) == []
        assert panel.pairing.hosts() == [(HOST_ID, "vectors")]  # nothing removed, nothing acknowledged
    panel, host = authed()
    stranger = Requester(4096)
    [(name, _s, fields, _x)] = answers(stranger, run(panel, plain("hello", 1, {"vmin": 1, "vmax": 3, "max_frame": 1024})))
    assert name == "hello_reply" and not panel.responder.sealed
    [(name, _s, fields, _x)] = answers(stranger, run(panel, plain("list_cases", 2, {"start": 0})))
    assert (name, errors.name_of(fields["code"])) == ("error", "E_AUTH")
    assert record_note(panel) == []


def test_a_silent_host_loses_its_session_after_the_idle_time():
    panel, host = authed()
    clock = panel.board.clock
    clock.t += IDLE_MS - 1
    panel.step(0)
    assert panel.responder.sealed  # 59,999 ms: still open
    [(name, _s, _f, _x)] = answers(host, run(panel, host.request("ping")[1]))
    assert name == "pong"  # a ping is heard: the clock starts again
    clock.t += IDLE_MS - 1
    panel.step(0)
    assert panel.responder.sealed
    clock.t += 1
    panel.step(0)
    assert not panel.responder.sealed and panel.pairing.authed_host is None
    assert "session ended: no authentic frame for 60 s" in panel.board.logs
    assert record_note(panel) == []
    [(name, _s, fields, is_sealed)] = answers(host, run(panel, host.request("list_cases", {"start": 0})[1]))
    assert (name, errors.name_of(fields["code"]), is_sealed) == ("error", "E_AUTH", False)
    assert "no authenticated session" in fields["reason"]
    assert IDLE_MS == 60000


def test_unpair_and_forget_at_the_panel_end_the_session():
    panel, host = authed()
    [(name, _s, _f, is_sealed)] = answers(host, run(panel, host.request("unpair")[1]))
    assert (name, is_sealed) == ("unpaired", True)
    assert not panel.responder.sealed and panel.pairing.hosts() == []
    assert record_note(panel) == []
    panel, host = authed()
    panel.pairing.forget(HOST_ID)  # on the panel's own screen
    panel.step(0)
    assert not panel.responder.sealed
    assert record_note(panel) == []
