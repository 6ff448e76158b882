# tests/portable/test_case_keeper.py — the case on the panel: recorded into the journal, resumed, refused when full.
#
# Covers panel/cases.py and panel/player.py over a real panel.journal in a temp
# directory, on CPython and MicroPython: every event goes to flash with the boot id
# and reaches the live-copy callback; after a reboot (a new Journal and keeper over
# the same directory) the open case resumes with the same state and new events carry
# the new boot; a full flash refuses a new case with CaseStorageError and keeps every
# earlier case; a scripted case plays as taps and a step the engine refuses stops it.
# Run alone: .venv/bin/pytest tests/portable/test_case_keeper.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_case_keeper

from panel.case import CaseError, CaseStorageError
from panel.cases import CaseKeeper
from panel.journal import Journal
from panel.player import Player
from ptest import fresh_dir, raises


class Clock:
    def __init__(self):
        self.t = 1000

    def ticks_ms(self):
        self.t += 10
        return self.t


def booted(root, space=None):
    j = Journal(root, space) if space else Journal(root)
    j.scan()
    boot = j.next_boot()
    seen = []
    keeper = CaseKeeper(j, boot, Clock(), lambda cid, ev: seen.append((cid, ev["seq"], ev["k"])))
    return j, boot, keeper, seen


def test_events_go_to_flash_with_the_boot_and_to_the_live_callback():
    root = fresh_dir("keeper")
    j, boot, keeper, seen = booted(root)
    cid = keeper.new_case()
    keeper.record("finding", {"f": "age", "v": 70})
    keeper.record("finding", {"f": "vessel", "v": "lad"})
    assert seen == [(cid, 1, "open"), (cid, 2, "finding"), (cid, 3, "finding")]
    events = list(j.log(cid))
    assert [e["seq"] for e in events] == [1, 2, 3] and all(e["b"] == boot for e in events)
    assert j.cases() == [{"case": cid, "count": 3, "acked": 0, "closed": False}]


def test_an_open_case_resumes_after_a_reboot():
    root = fresh_dir("keeper")
    _j, boot1, keeper, _seen = booted(root)
    cid = keeper.new_case()
    keeper.record("finding", {"f": "age", "v": 70})
    keeper.record("cl_start", {"cl": "whih"})
    keeper.record("confirm", {"item": "in_guide"})
    _j2, boot2, again, _ = booted(root)  # power back on
    assert boot2 == boot1 + 1
    assert again.resumed == (cid, 4) and again.case_id == cid
    assert again.case.state.findings.get("age") == 70
    assert again.case.state.active.cur == "retro_mc"
    ev = again.record("decide", {"item": "retro_mc", "opt": "no"})
    assert ev["seq"] == 5 and ev["b"] == boot2
    raises(CaseError, again.new_case)  # still open: close it first


def test_a_closed_case_is_not_resumed():
    root = fresh_dir("keeper")
    _j, _b, keeper, _seen = booted(root)
    keeper.new_case()
    keeper.record("close")
    _j2, _b2, again, _ = booted(root)
    assert again.resumed is None and again.case is None


def test_a_full_flash_refuses_a_new_case_and_keeps_the_old_ones():
    root = fresh_dir("keeper")
    room = [10 * 1024 * 1024]
    j, _b, keeper, _seen = booted(root, lambda: (room[0], 16 * 1024 * 1024))
    first = keeper.new_case()
    keeper.record("close")
    room[0] = 1024  # the flash is all but full
    err = raises(CaseStorageError, keeper.new_case)
    assert "case" in str(err).lower()
    assert [c["case"] for c in j.cases()] == [first] and j.cases()[0]["count"] == 2


def test_a_script_plays_as_taps_and_stops_at_a_refused_step():
    root = fresh_dir("keeper")
    _j, _b, keeper, seen = booted(root)
    logs = []
    steps = [[0, "new_case", {}], [100, "finding", {"f": "age", "v": 70}],
             [100, "finding", {"f": "age", "v": 700}], [100, "finding", {"f": "sex", "v": "male"}]]
    player = Player(keeper, steps, 10, 0, logs.append)
    player.step(0)
    assert [s[2] for s in seen] == ["open"]
    player.step(9)  # 100 ms at 10x: due at 10
    assert len(seen) == 1
    player.step(10)
    assert [s[2] for s in seen] == ["open", "finding"]
    player.step(1000)
    assert player.done and len(seen) == 2  # age 700 refused, so the player stopped
    assert "refused" in logs[0] and "700" in logs[0]
