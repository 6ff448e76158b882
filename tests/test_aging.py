"""Aging: the panel boots and syncs whatever months of use left on its flash (issue 11, ARCHITECTURE.md budgets).

Each image is built by the firmware's own code (tests/aging/images.py, bedside.tools.aging):
an open case of 2,000 events of which 1,000 notes; 1,000 boots with two syncs each; 200 closed
unsynced cases; closed unsynced cases until storage is full. Each boots the real firmware at the
board's heap (128wK, firmware in place from ROMFS) without falling to safe mode, answers with its
free heap, and a host syncs every event off it into a real SQLite database. Found before: an open
case of 80 notes, 60 days of boots or 200 cases ran the heap out at boot, every boot.
The figures (free heap after boot, sync time) print with -s, and `make bench` reports them.
Run alone: .venv/bin/pytest tests/test_aging.py -s
"""

import os
import subprocess
import sys
import time

import pytest

from bedside.link import PanelLink
from bedside.scenarios import busy_case, check, write
from bedside.sim import BUDGET_HEAP, PanelSim
from bedside.store import Store
from bedside.sync import sync
from bedside.tools import aging
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "soak"))
from soak import aging_powercuts  # noqa: E402  (tests/soak/soak.py: make soak)

pytestmark = pytest.mark.micropython

# Free heap after boot, as the unix port counts it at 128wK (64-bit bytes; about half of it as a 32-bit
# board counts): a panel with less than this left could boot but not run a case screen.
MIN_HEAP_FREE = 64 * 1024


@pytest.fixture(scope="module")
def images():
    return aging.build()


@pytest.mark.parametrize("kind", list(aging.KINDS))
def test_an_aged_flash_boots_at_the_boards_heap_and_syncs_every_event(images, kind, tmp_path):
    image = images[kind]
    assert image.events > 0 and image.cases > 0, image
    result, summary, seconds = aging.boot(image.path, tmp_path, sync_db=f"sqlite:///{tmp_path / 'host.db'}")
    print(f"\n{kind}: {image.cases} cases, {image.events} events, {image.anchors} anchors on flash; "
          f"{result.heap_free} bytes of heap free after boot; synced in {seconds:.1f} s")
    assert not result.safe, result.log[-2000:]
    assert "out of memory" not in result.log, result.log[-2000:]
    assert result.heap_free >= MIN_HEAP_FREE, result.heap_free
    assert summary is not None and len(summary.cases) == image.cases
    assert sum(c.events for c in summary.cases) == image.events
    assert summary.new == image.events  # every event came off, each once


def test_the_images_are_what_they_claim(images):
    assert images["open_case"].cases == 1 and images["open_case"].events == 2000
    assert images["boots"].anchors <= 2  # a year of syncs leaves only the last boot's anchors
    assert images["cases"].cases == 200
    assert images["full"].cases > 200  # filled until the journal refused a new case



def test_the_power_cut_soak_runs_and_loses_nothing():
    # make soak's randomised form, kept short here (25 boots, a fixed seed) so that it cannot rot
    cmd, env = aging_powercuts(20261206, 1)
    cmd[-2] = "25"
    res = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, **env), capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "SEED 20261206" in res.stdout and "events_lost=0" in res.stdout, res.stdout



def test_a_case_of_1200_notes_records_at_the_boards_heap_and_syncs(tmp_path):
    # Found before: beyond 256 notes recording ran the heap out ("out of memory: carried on"), then the firmware
    # exited into a boot loop. Now a note costs the panel's RAM nothing: 1,200 are recorded through the main loop,
    # on a flash that holds only a paired host (an aged image with no case).
    empty = aging.build({"cases": ["0", "30"]})["cases"]
    flash = tmp_path / "flash.img"
    flash.write_bytes(empty.path.read_bytes())
    script = busy_case(1200)
    events = check(script)
    with PanelSim(workdir=tmp_path / "panel", flash=flash, play=write(script, tmp_path / "notes.jsonl"),
                  speed=100000, heap=BUDGET_HEAP) as sim:
        sim.wait_ready()
        deadline = time.monotonic() + 120
        while "script played" not in sim.log_text():
            sim.check_alive()
            assert time.monotonic() < deadline, sim.log_text()[-2000:]
            time.sleep(0.1)
        log = sim.log_text()
        assert "out of memory" not in log and "SAFE MODE" not in log and "refused" not in log, log[-2000:]
        store = Store(f"sqlite:///{tmp_path / 'host.db'}")
        try:
            with PanelLink(sim.port) as link:
                link.hello()
                print(f"\n1,200 notes recorded; {link.ping()['heap_free']} bytes of heap free")
                assert sync(link, store, aging.host_store(tmp_path / "host" / "pairing.json")).new == events
        finally:
            store.close()
