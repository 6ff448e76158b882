"""Sync over a faulty link: corrupted, dropped and duplicated frames, and the cable pulled at every frame.

A relay (tests/relay.py) sits between the host and the simulated panel (the real
firmware on MicroPython) and damages frames in both directions. Whatever it does, a
sync completes — in one go when frames are only damaged, after a resume when the
cable is pulled — and the store holds every event of every case exactly once.
Numbers: the event counts of host/bedside/scenarios.py; fault rates chosen so that
every kind of request meets every kind of fault.
Run alone: .venv/bin/pytest tests/test_link_faults.py
"""

import random
import time

import pytest

from bedside.link import LinkError, PanelLink
from bedside.pairing import HostStore
from bedside.scenarios import busy_case, check, write
from bedside.sim import PanelSim
from bedside.store import Store
from bedside.sync import authenticate, pair, sync
from relay import CUT, Relay

pytestmark = pytest.mark.micropython

SCRIPT = busy_case(30) + busy_case(12)
EVENTS = check(SCRIPT)


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    sim = PanelSim(workdir=tmp / "panel", play=write(SCRIPT, tmp / "script.json"), speed=100000)
    sim.start()
    try:
        deadline = time.monotonic() + 20
        while "script played" not in sim.log_text():
            sim.check_alive()
            assert time.monotonic() < deadline, sim.log_text()
            time.sleep(0.05)
        hosts = HostStore(tmp / "host.json", host_name="fault test")
        sim.open_pairing()
        with PanelLink(sim.port) as link:
            pair(link, hosts, lambda _d: sim.pairing_code())
        yield sim, hosts
    finally:
        alive, log = sim.alive(), sim.log_text()
        sim.stop()
        assert alive, f"the firmware died; its log:\n{log}"


def stored(store):
    out = {}
    for c in store.cases():
        events = store.events(c.device_id, c.case_id)
        out[c.case_id] = [e.seq for e in events]
    return out


def assert_exactly_once(store):
    per_case = stored(store)
    assert sum(len(v) for v in per_case.values()) == EVENTS
    for seqs in per_case.values():
        assert seqs == list(range(1, len(seqs) + 1))  # every seq once, none missing


def sync_through(panel_port, hosts, store, fault, timeout=0.25, retries=12, window=2):
    with Relay(panel_port, fault) as relay:
        with PanelLink(relay.port, timeout=timeout, retries=retries) as link:
            return sync(link, store, hosts, window=window), relay


def flip(frame: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(frame) - 1)
    return frame[:i] + bytes([frame[i] ^ (1 << rng.randrange(8)) or 1]) + frame[i + 1:]


@pytest.mark.parametrize("kind", ["corrupt", "drop_bytes", "duplicate", "drop_frames"])
def test_sync_completes_exactly_once_through_damage(panel, tmp_path, kind):
    sim, hosts = panel
    rng = random.Random(kind)
    hits = []

    def fault(direction, index, frame):
        # let the first hello through, then damage one frame in five: by its place, not by chance, so that the
        # faults meet the sync however many frames a loaded machine's retries make it take
        if index < 2 or (index - 2) % 5:
            return [frame]
        hits.append(index)
        if kind == "corrupt":
            return [flip(frame, rng)]
        if kind == "drop_bytes":
            i = rng.randrange(len(frame) - 1)
            return [frame[:i] + frame[i + 1:]]
        if kind == "duplicate":
            return [frame, frame]
        return []  # drop_frames

    store = Store(f"sqlite:///{tmp_path / 'host.db'}")
    try:
        summary, relay = sync_through(sim.port, hosts, store, fault)
        assert summary.new == EVENTS
        assert_exactly_once(store)
        # the faults met the sync (how many frames a sync takes varies with the retries the faults cause)
        assert len(hits) >= 2 and relay.frames >= 16, (hits, relay.frames)
    finally:
        store.close()


@pytest.fixture(scope="module")
def paired_flash(tmp_path_factory):
    """A flash image of a panel holding the cases, paired with a host, nothing synced yet."""
    tmp = tmp_path_factory.mktemp("cut")
    sim = PanelSim(workdir=tmp / "panel", play=write(SCRIPT, tmp / "script.json"), speed=100000)
    with sim:
        deadline = time.monotonic() + 20
        while "script played" not in sim.log_text():
            sim.check_alive()
            assert time.monotonic() < deadline, sim.log_text()
            time.sleep(0.05)
        hosts = HostStore(tmp / "host.json", host_name="cut test")
        sim.open_pairing()
        with PanelLink(sim.port) as link:
            pair(link, hosts, lambda _d: sim.pairing_code())
        image = (tmp / "panel" / "flash.img").read_bytes()
    return image, hosts


def test_cable_pulled_at_every_frame_boundary_then_resumed(paired_flash, tmp_path):
    image, hosts = paired_flash
    cut_at = 0
    total = None
    while total is None or cut_at <= total:
        run = tmp_path / f"run{cut_at}"
        run.mkdir()
        (run / "flash.img").write_bytes(image)  # the same unsynced panel every time
        with PanelSim(workdir=run) as sim:
            store = Store(f"sqlite:///{run / 'host.db'}")
            try:
                try:
                    _s, relay = sync_through(sim.port, hosts, store,
                                             lambda d, i, f: CUT if i == cut_at else [f], timeout=0.2, retries=1)
                    total = relay.frames  # the cable outlived the sync: every boundary has been cut
                except LinkError:
                    pass  # the cable came out mid-sync
                summary, _relay = sync_through(sim.port, hosts, store, None)
                assert_exactly_once(store)
                assert summary.duplicate == 0, cut_at
                with PanelLink(sim.port) as link:  # the panel holds every ack once the sync is done
                    authenticate(link, hosts, link.hello()["device_id"])
                    rows = link.request("list_cases", {"start": 0})["cases"]
                assert all(acked == count for _c, count, acked, _closed in rows), (cut_at, rows)
            finally:
                store.close()
            assert sim.alive(), sim.log_text()
        cut_at += 1
    assert total > 20  # hello, auth, time, anchors, cases, pulls and acks all cut somewhere
