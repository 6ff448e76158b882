"""Ctrl-C during `bedside sync`: one line saying how many events were stored, the session "interrupted", audited.

The real console script syncs from the simulated panel (the real firmware behind a pty)
through tests/relay.py. The relay passes the panel's answers until the host asks for more after its
first pull (one case: it has stored that answer), then holds back every later answer, so the sync is
certainly midway (never finished, never not started); the test waits for that request (a progress
marker, not a fixed sleep), sends SIGINT and checks: exit status 130; one line on
standard error naming the events stored, which equal those in the database; the sync
session ended "interrupted" (it stayed "running" forever before) with an audit row
"sync_interrupted"; and a second sync resumes and stores the rest, each event once.
Run alone: .venv/bin/pytest tests/test_sync_interrupt.py
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bedside.link import PanelLink
from bedside.pairing import HostStore
from bedside.scenarios import busy_case, check, write
from bedside.sim import PanelSim
from bedside.store import Store
from bedside.sync import pair
from relay import Relay

pytestmark = pytest.mark.micropython
BEDSIDE = str(Path(sys.executable).parent / "bedside")
SCRIPT = busy_case(200) + busy_case(200)
EVENTS = 2 * check(busy_case(200))


def stored_events(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


class HoldAfterPull:
    """Pass everything until the host asks for more after its first pull; from then on hold every answer.

    Protocol v3 seals every frame after authentication, so the relay cannot read them: it counts the host's
    requests instead. A sync asks hello, auth_start, auth, set_time, list_anchors, list_cases and then pulls
    the first case (request 7); request 8 (an ack, or the next pull) comes once that answer is stored.
    `asked_on`: that request was sent (the host has stored the answer and waits for the next one).
    """

    FIRST_AFTER_PULL = 8

    def __init__(self):
        self.requests = 0
        self.asked_on = False

    def __call__(self, direction, index, frame):
        if direction == "up":
            if frame.strip(b"\x00"):  # a request (the host's opening 0x00 is no frame)
                self.requests += 1
            self.asked_on = self.requests >= self.FIRST_AFTER_PULL
            return [frame]
        return [] if self.asked_on else [frame]


def test_ctrl_c_mid_sync_says_what_was_stored_and_marks_the_session_interrupted(tmp_path):
    data = tmp_path / "data"
    env = dict(os.environ, XDG_DATA_HOME=str(data))
    hosts = HostStore(data / "bedside" / "pairing.json", host_name="ward desk")  # where the CLI looks
    db = tmp_path / "cases.db"
    with PanelSim(workdir=tmp_path / "panel", play=write(SCRIPT, tmp_path / "script.jsonl"), speed=100000) as sim:
        deadline = time.monotonic() + 30
        while "script played" not in sim.log_text():
            sim.check_alive()
            assert time.monotonic() < deadline, sim.log_text()
            time.sleep(0.05)
        sim.open_pairing()
        with PanelLink(sim.port) as link:
            device_id = pair(link, hosts, lambda _d: sim.pairing_code())
        hold = HoldAfterPull()
        with Relay(sim.port, hold) as relay:
            proc = subprocess.Popen([BEDSIDE, "sync", "--port", relay.port, "--db", f"sqlite:///{db}"],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                deadline = time.monotonic() + 60
                while not hold.asked_on:  # midway: one pull stored, its next request held unanswered
                    assert proc.poll() is None, proc.communicate()
                    assert time.monotonic() < deadline, "the sync stored nothing"
                    time.sleep(0.02)
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=30)
            finally:
                if proc.poll() is None:
                    proc.kill()
        assert proc.returncode == 130, (out, err)
        lines = err.splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        said = re.match(r"sync interrupted \(Ctrl-C\): (\d+) new events stored from (\d+) case\(s\) of panel (\S+);",
                        lines[0])
        assert said, lines[0]
        assert "marked interrupted" in lines[0] and "run `bedside sync` again" in lines[0]
        stored = stored_events(db)
        assert 0 < stored < EVENTS and int(said.group(1)) == stored and said.group(3) == device_id
        with Store(f"sqlite:///{db}") as store:
            (session,) = store.sync_sessions(device_id)
            assert session.status == "interrupted" and session.finished_at is not None
            assert session.events_new == stored
            actions = [a.action for a in store.audit_log(device_id)]
            assert actions[0] == "sync_interrupted" and "sync_started" in actions
        res = subprocess.run([BEDSIDE, "sync", "--port", sim.port, "--db", f"sqlite:///{db}"], env=env,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        assert f"{EVENTS - stored} new events, 0 already held" in res.stdout
        assert stored_events(db) == EVENTS
