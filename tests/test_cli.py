"""The `bedside` command as a user runs it: panel-sim, hello/connect, ping, demo, and their errors.

Each test runs the installed console script in a subprocess, exactly as typed.
Run alone: .venv/bin/pytest tests/test_cli.py
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BEDSIDE = str(Path(sys.executable).parent / "bedside")
pytestmark = pytest.mark.micropython


def bedside(*args, timeout=60):
    return subprocess.run([BEDSIDE, *args], capture_output=True, text=True, timeout=timeout)


def children_of(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_panel_sim_prints_its_port_serves_hello_and_cleans_up(tmp_path):
    proc = subprocess.Popen(
        [BEDSIDE, "panel-sim", "--flash", str(tmp_path / "flash.img")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        port = proc.stdout.readline().strip()
        assert port.startswith("/dev/pts/"), proc.stderr.read() if proc.poll() is not None else port
        firmware = children_of(proc.pid)
        assert len(firmware) == 1
        res = bedside("hello", "--port", port, "--json")
        assert res.returncode == 0, res.stderr
        reply = json.loads(res.stdout)
        assert reply["version"] == 3 and reply["device_id"].startswith("sim-")
        res = bedside("connect", "--port", port)
        assert res.returncode == 0 and res.stdout.startswith(f"panel {reply['device_id']}: firmware ")
        res = bedside("ping", "--port", port, "--count", "3")
        assert res.returncode == 0 and res.stdout.count("pong") == 3
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    def gone(pid):
        try:
            return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
        except FileNotFoundError:
            return True

    deadline = time.monotonic() + 10  # the child is reaped when bedside exits; the kernel may take a moment
    while not gone(firmware[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(firmware[0])
    assert proc.returncode == 0


def test_hello_on_a_missing_port_says_so():
    res = bedside("hello", "--port", "/dev/no-such-panel")
    assert res.returncode == 1
    assert "cannot open /dev/no-such-panel" in res.stderr


@pytest.mark.parametrize("command", [["pair", "--code", "123456"], ["unpair"], ["operators", "push"]])
def test_commands_that_talk_to_a_paired_panel_say_plainly_when_its_port_is_missing(command, tmp_path):
    res = bedside(*command, "--port", "/dev/no-such-panel", "--db", f"sqlite:///{tmp_path / 'cases.db'}")
    assert res.returncode == 1
    assert "error: cannot open /dev/no-such-panel" in res.stderr


def test_demo_runs_the_simulated_panel_end_to_end(tmp_path):
    # 500 x: the 69-minute case plays in about 8 s, time for the demo to open pairing, pair and authenticate first
    res = bedside("demo", "--headless", "--speed", "500", "--db", f"sqlite:///{tmp_path / 'demo.db'}", timeout=120)
    assert res.returncode == 0, res.stderr
    assert "firmware" in res.stdout and "protocol v3" in res.stdout
    assert "pairing opened on the panel" in res.stdout
    assert "the panel shows pairing code" in res.stdout and "paired with sim-" in res.stdout
    assert "close" in res.stdout  # the last event of the case, seen live
    assert "synced: 1 case(s), 59 events stored" in res.stdout


def test_panel_sim_refuses_a_heap_not_in_board_units():
    from typer.testing import CliRunner

    from bedside.cli import app

    result = CliRunner().invoke(app, ["panel-sim", "--heap", "512K"])
    assert result.exit_code == 1 and "give it as NwK" in result.output
