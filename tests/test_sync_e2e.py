"""Pairing, authentication and sync end to end: the real firmware behind a pty, pyserial, a real database.

Covers the data path of shared/design/ARCHITECTURE.md (Pairing, Journal, Sync, Host
store): the simulated panel plays scripted cases into its journal on (simulated)
flash; a host pairs with the code the panel shows, authenticates, syncs every case
into the store (SQLite, and PostgreSQL in CI) and acknowledges; a second sync finds
nothing new; a sync broken midway resumes from the checkpoint and stores every
event exactly once; live events reach an authenticated host; an unpaired host gets
nothing but the handshake; a replayed auth answer is refused; wrong codes back off
and lock out. Numbers: event counts of host/bedside/scenarios.py.
Run alone: .venv/bin/pytest tests/test_sync_e2e.py
"""

import time

import pytest

from bedlink.errors import E_AUTH, E_LOCKED, E_PAIRING, name_of
from bedside.link import PanelError, PanelLink
from bedside.pairing import AuthExchange, HostStore, PairingExchange
from bedside.scenarios import busy_case, check, whih_case, write
from bedside.sim import BUDGET_HEAP, PanelSim
from bedside.sync import authenticate, pair, sync

pytestmark = pytest.mark.micropython

SCRIPT = whih_case() + busy_case(200)
EVENTS = check(whih_case()) + check(busy_case(200))  # 59 + 200


def wait_played(sim, timeout=20.0):
    deadline = time.monotonic() + timeout
    while "script played" not in sim.log_text():
        sim.check_alive()
        assert time.monotonic() < deadline, sim.log_text()
        time.sleep(0.05)


@pytest.fixture
def panel(tmp_path):
    sim = PanelSim(workdir=tmp_path / "panel", play=write(SCRIPT, tmp_path / "script.json"), speed=100000,
                   heap=BUDGET_HEAP)  # the board's budget: a 59- and a 200-event case, pairing, sync
    sim.start()
    try:
        wait_played(sim)
        yield sim
    finally:
        alive, log = sim.alive(), sim.log_text()
        sim.stop()
        assert alive, f"the firmware died during the test; its log:\n{log}"


@pytest.fixture
def hosts(tmp_path):
    return HostStore(tmp_path / "host" / "pairing.json", host_name="test desk")


def paired(sim, hosts, store=None):
    """Pair: someone at the panel opens pairing (the simulator's touch), then the host pairs with the code."""
    sim.open_pairing()
    with PanelLink(sim.port) as link:
        return pair(link, hosts, lambda _device: sim.pairing_code(), store)


def test_pair_sync_and_sync_again(panel, hosts, store):
    device_id = paired(panel, hosts, store)
    with PanelLink(panel.port) as link:
        first = sync(link, store, hosts)
    assert first.device_id == device_id
    assert (first.new, first.duplicate) == (EVENTS, 0)
    assert sorted(c.events for c in first.cases) == [59, 200]
    assert all(c.closed for c in first.cases)
    # a 200-event case comes in one pull and one ack; list, time and anchors are shared
    assert first.round_trips <= 2 * len(first.cases) + 4
    for c in store.cases(device_id):
        events = store.events(device_id, c.case_id)
        assert [e.seq for e in events] == list(range(1, c.event_count + 1))
        assert all(e.wall_ms is not None for e in events)  # the boot has an anchor: wall time for all
    with PanelLink(panel.port) as link:
        again = sync(link, store, hosts)
        rows = link.request("list_cases", {"start": 0})["cases"]
    assert (again.new, again.duplicate) == (0, 0)
    assert all(acked == count for _case, count, acked, _closed in rows)  # the panel holds every ack
    assert [s.status for s in store.sync_sessions(device_id)] == ["done", "done"]
    assert {"pair", "sync_started", "sync_done"} <= {a.action for a in store.audit_log(device_id)}


def test_a_broken_sync_resumes_from_the_checkpoint(panel, hosts, store):
    device_id = paired(panel, hosts)
    real_ingest = store.ingest
    calls = []

    def failing_ingest(*args, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise ConnectionError("the workstation lost its database mid-sync")
        return real_ingest(*args, **kw)

    store.ingest = failing_ingest
    with PanelLink(panel.port) as link:
        with pytest.raises(ConnectionError):
            sync(link, store, hosts, window=2)
    store.ingest = real_ingest
    stored = sum(store.checkpoint(device_id, c.case_id) for c in store.cases(device_id))
    assert 0 < stored < EVENTS
    with PanelLink(panel.port) as link:
        resumed = sync(link, store, hosts)
    assert resumed.new == EVENTS - stored and resumed.duplicate == 0
    assert sum(len(store.events(device_id, c.case_id)) for c in store.cases(device_id)) == EVENTS
    assert [s.status for s in sorted(store.sync_sessions(device_id), key=lambda s: s.id)] == ["failed", "done"]


def test_an_unpaired_host_gets_nothing_but_the_handshake(panel):
    with PanelLink(panel.port) as link:
        assert link.hello()["version"] == 3
        assert link.ping(b"x")["data"] == b"x"
        for name, fields in (("list_cases", {"start": 0}), ("pull", {"case": "00000000", "start": 1, "window": 1}),
                             ("ack", {"case": "00000000", "upto": 1}), ("list_anchors", {"start": 0}),
                             ("set_time", {"wall_ms": 1}), ("unpair", {}),
                             ("profile", {"operator_id": "o", "name": "n"})):
            with pytest.raises(PanelError) as err:
                link.request(name, fields)
            assert err.value.code == E_AUTH, name


def test_a_stranger_cannot_authenticate(panel, hosts, tmp_path):
    device_id = paired(panel, hosts)
    stranger = HostStore(tmp_path / "stranger.json")
    stranger.remember(device_id, bytes(32))  # a key the panel never agreed
    with PanelLink(panel.port) as link:
        link.hello()
        with pytest.raises(PanelError) as err:
            authenticate(link, stranger, device_id)
        assert err.value.code == E_AUTH
        with pytest.raises(PanelError) as err:
            link.request("list_cases", {"start": 0})
        assert err.value.code == E_AUTH


def test_a_replayed_auth_answer_is_refused(panel, hosts):
    device_id = paired(panel, hosts)
    with PanelLink(panel.port) as link:
        link.hello()
        exchange = AuthExchange(hosts, device_id)
        answer = exchange.answer_fields(link.request("auth_start", exchange.start_fields()))
        exchange.finish(link.request("auth", answer))  # a good session ...
    with PanelLink(panel.port) as link:
        link.hello()
        link.request("auth_start", AuthExchange(hosts, device_id).start_fields())
        with pytest.raises(PanelError) as err:
            link.request("auth", answer)  # ... whose answer, replayed, opens nothing
        assert err.value.code == E_AUTH
        with pytest.raises(PanelError):
            link.request("list_cases", {"start": 0})


def test_wrong_codes_back_off_and_lock_out(panel, hosts):
    panel.open_pairing()
    with PanelLink(panel.port, retries=0) as link:
        device_id = link.hello()["device_id"]
        exchange = PairingExchange(hosts, device_id)
        challenge = link.request("pair_start", exchange.start_fields())
        wrong = "000000" if panel.pairing_code() != "000000" else "111111"
        with pytest.raises(PanelError) as err:
            link.request("pair_confirm", exchange.confirm_fields(challenge, wrong))
        assert err.value.code == E_PAIRING
        with pytest.raises(PanelError) as err:  # at once again: backed off
            link.request("pair_confirm", exchange.confirm_fields(challenge, wrong))
        assert err.value.code == E_LOCKED, name_of(err.value.code)
        assert "retry" in err.value.reason
    assert hosts.key_for(device_id) is None


def test_live_events_reach_an_authenticated_host(tmp_path, hosts, store):
    script = write(whih_case(), tmp_path / "slow.json")
    with PanelSim(workdir=tmp_path / "panel", play=script, speed=200) as sim:
        device_id = paired(sim, hosts)
        with PanelLink(sim.port) as link:
            link.hello()
            authenticate(link, hosts, device_id)
            pushed = []
            deadline = time.monotonic() + 20
            while len(pushed) < 5 and time.monotonic() < deadline:
                pushed += link.poll_pushed(wait=0.5)
        assert pushed, sim.log_text()
        seqs = [p["first"] for p in pushed]
        assert seqs == sorted(seqs) and all(len(p["events"]) == 1 for p in pushed)


def test_power_cut_mid_case_then_the_open_case_resumes_and_syncs(tmp_path, hosts, store):
    steps = whih_case()
    steps[0][0] = 5000 * 300  # the case opens 5 s after boot: pairing (opened at the panel) and auth come first
    script = write(steps, tmp_path / "case.jsonl")
    sim = PanelSim(workdir=tmp_path / "panel", play=script, speed=300)
    sim.start()
    try:
        device_id = paired(sim, hosts)
        deadline = time.monotonic() + 20
        with PanelLink(sim.port) as link:
            link.hello()
            authenticate(link, hosts, device_id)
            recorded = 0
            while recorded < 20 and time.monotonic() < deadline:  # events the panel reported recorded (live)
                recorded += sum(len(p["events"]) for p in link.poll_pushed(wait=0.3))
        assert recorded >= 20, sim.log_text()
        sim.proc.kill()  # the power goes: no shutdown, no flush
        sim.proc.wait(timeout=5)
    finally:
        sim.stop()
    with PanelSim(workdir=tmp_path / "panel") as again:  # same flash image: power back on
        again.wait_ready()
        log = again.log_text()
        assert "resumed open case" in log, log
        with PanelLink(again.port) as link:
            summary = sync(link, store, hosts)
    [case] = summary.cases
    assert not case.closed and case.events >= recorded  # nothing reported recorded was lost
    events = store.events(device_id, case.case_id)
    assert [e.seq for e in events] == list(range(1, case.events + 1))
    assert {e.boot for e in events} == {1}  # every event of the first boot
    assert all(e.wall_ms is None for e in events)  # that boot never had its clock set: relative times only


def test_two_hosts_syncing_one_panel_into_one_store_store_each_event_once(panel, tmp_path, store):
    a = HostStore(tmp_path / "a.json", host_name="lab 1")
    b = HostStore(tmp_path / "b.json", host_name="lab 2")
    device_id = paired(panel, a, store)
    paired(panel, b, store)
    real_ingest = store.ingest
    calls = []

    def ingest_then_fail(*args, **kw):
        calls.append(1)
        if len(calls) == 4:
            raise ConnectionError("lab 1 lost the network")
        return real_ingest(*args, **kw)

    store.ingest = ingest_then_fail
    with PanelLink(panel.port) as link:
        with pytest.raises(ConnectionError):
            sync(link, store, a, window=1)  # host A stores part of every case it reaches, then stops
    store.ingest = real_ingest
    with PanelLink(panel.port) as link:
        by_b = sync(link, store, b)  # host B finds what A stored and fetches only the rest
    with PanelLink(panel.port) as link:
        by_a = sync(link, store, a)  # A again: nothing left to fetch
    total = sum(len(store.events(device_id, c.case_id)) for c in store.cases(device_id))
    assert total == EVENTS and by_b.duplicate == 0 and (by_a.new, by_a.duplicate) == (0, 0)
    assert by_b.new < EVENTS  # B did not re-fetch A's share


def test_operator_profiles_are_pushed_to_a_paired_panel(panel, hosts):
    from bedside.sync import push_profiles

    paired(panel, hosts)
    with PanelLink(panel.port) as link:
        stored = push_profiles(link, hosts, [
            {"operator_id": "op-7", "name": "Dr A. Operator", "annual_volume": 80, "years": 6,
             "last_year_cases": 64, "last_year_successes": 58, "coverage": "from 312 cases since 2022-01-04"},
            {"operator_id": "op-8", "name": "Dr B. New", "annual_volume": None},
        ])
    assert stored == ["op-7", "op-8"]


def test_a_workstation_clock_the_panel_refuses_still_syncs_every_event_with_a_warning(panel, hosts, store):
    # The panel refuses a wall time before its build date, from 2100 on, or more than 2 s behind the time it
    # already has in this boot (firmware/JOURNAL.md, Time). A host whose clock is off must still take every event
    # off: it syncs without setting the time and says so, and the times the panel had stand.
    device_id = paired(panel, hosts, store)
    now = int(time.time() * 1000)
    with PanelLink(panel.port) as link:
        sync(link, store, hosts, wall_ms=lambda: now)
    boots = range(1, 10)
    anchors = store.anchors(device_id, boots)
    assert anchors  # the first sync set the time
    for wrong in (now - 60_000, 5, 2**64 - 1):
        with PanelLink(panel.port) as link:
            done = sync(link, store, hosts, wall_ms=lambda w=wrong: w)
        assert any("did not take this workstation's time" in w for w in done.warnings), done.warnings
        assert store.anchors(device_id, boots) == anchors  # nothing moved
    assert sum(c.event_count for c in store.cases(device_id)) == EVENTS
