"""End to end: the real firmware on the MicroPython unix port, spoken to through a pty with pyserial.

Covers the simulated panel harness (bedside.sim), the host link (bedside.link) and
the firmware's main loop together: handshake, ping, garbage and oversized input
followed by a ping that is still answered, a structured error for a frame with a
good CRC and a bad message, a host that goes away (no CPU spin) and comes back,
the device id kept in the simulated flash, and the firmware run from .mpy files.
Run alone: .venv/bin/pytest tests/test_e2e_panel.py
"""

import os
import time

import pytest
import serial

from bedlink import mpack
from bedlink.errors import E_SHAPE, E_UNKNOWN_TYPE
from bedlink.framing import encode_frame
from bedside.link import LinkError, PanelError, PanelLink
from bedside.sim import PanelSim
from bedside.tools import mpy
from panel.version import CONTENT_VERSION, FIRMWARE_VERSION

pytestmark = pytest.mark.micropython


@pytest.fixture
def sim(tmp_path):
    panel = PanelSim(workdir=tmp_path, open_serial=True)
    panel.start()
    try:
        yield panel
    finally:
        alive = panel.alive()
        log = panel.log_text()
        panel.stop()
        assert alive, f"the firmware died during the test; its log:\n{log}"


def test_handshake_reports_the_panel(sim):
    with PanelLink(sim.serial) as link:
        reply = link.hello()
    assert reply["version"] == 3
    assert reply["firmware"] == FIRMWARE_VERSION
    assert reply["content"] == CONTENT_VERSION
    assert reply["max_frame"] == 1024
    assert reply["device_id"].startswith("sim-")


def test_ping_echoes_every_byte_value(sim):
    with PanelLink(sim.serial) as link:
        link.hello()
        data = bytes(range(256))
        reply = link.ping(data)
    assert reply["data"] == data
    assert reply["rx_dropped"] == 0


def test_panel_answers_a_ping_after_garbage(sim):
    with PanelLink(sim.serial) as link:
        link.hello()
        junk = os.urandom(4096) + b"\x00" + b"\x55" * 20000 + b"\x00" + bytes(range(256)) * 8
        sim.serial.write(junk)
        sim.serial.write(b"\x00")
        reply = link.ping(b"still there")
    assert reply["data"] == b"still there"
    assert reply["rx_dropped"] >= 2  # at least the random run and the oversized run


def send_raw(sim, link, message: dict) -> list:
    """Frame a hand-made message map (which the host's encoder would refuse), return the replies."""
    sim.serial.write(encode_frame(mpack.pack(message)))
    sim.serial.flush()
    found = []
    deadline = time.monotonic() + 2
    while not found and time.monotonic() < deadline:
        found = [m for m in link.requester.feed(sim.serial.read(256)) if isinstance(m, tuple)]
    return found


def test_unknown_message_type_gets_a_structured_error_with_its_seq(sim):
    with PanelLink(sim.serial) as link:
        link.hello()
        [(name, seq, fields)] = send_raw(sim, link, {0: 99, 1: 4242})
    assert (name, seq, fields["code"]) == ("error", 4242, E_UNKNOWN_TYPE)
    assert "99" in fields["reason"]


def test_request_missing_a_field_is_refused_by_name(sim):
    with PanelLink(sim.serial) as link:
        [(name, seq, fields)] = send_raw(sim, link, {0: 1, 1: 7, 2: 1})  # hello without vmax
        assert (name, seq, fields["code"]) == ("error", 7, E_SHAPE)
        assert "vmax" in fields["reason"]
        assert link.hello()["version"] == 3  # the session goes on


def test_host_gone_costs_no_cpu_and_a_new_host_is_served(sim):
    with PanelLink(sim.serial) as link:
        link.hello()
    sim.serial.close()  # the only host closes the port: the firmware sees a hang-up
    sim.serial = None
    deadline = time.monotonic() + 30  # the hang-up is seen within a turn of the loop; a loaded machine is slower
    while "host gone" not in sim.log_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "host gone" in sim.log_text()
    # measured from the moment the panel knows the host went: what it does then, idle, is the figure
    cpu0, t0 = sim.cpu_seconds(), time.monotonic()
    time.sleep(1.5)
    busy = (sim.cpu_seconds() - cpu0) / (time.monotonic() - t0)
    assert busy < 0.25, f"firmware used {busy:.0%} of a core with no host"
    with PanelLink(sim.port) as link:
        assert link.hello()["version"] == 3
        assert link.ping(b"back")["data"] == b"back"


def test_device_id_survives_a_restart_with_the_same_flash(tmp_path):
    ids = []
    for _ in range(2):
        with PanelSim(workdir=tmp_path, open_serial=True) as panel:
            with PanelLink(panel.serial) as link:
                ids.append(link.hello()["device_id"])
    assert ids[0] == ids[1]


def test_firmware_runs_from_mpy_files(tmp_path):
    assert mpy.build(tmp_path / "mpy") == []
    with PanelSim(workdir=tmp_path / "run", mpy_dir=tmp_path / "mpy", open_serial=True) as panel:
        with PanelLink(panel.serial) as link:
            assert link.hello()["firmware"] == FIRMWARE_VERSION
        assert [p.name for p in (tmp_path / "mpy").rglob("*.py")] == ["main.py"], "only main.py stays source"


def test_wrong_port_is_a_clear_error(tmp_path):
    with pytest.raises(LinkError, match="cannot open"):
        PanelLink(str(tmp_path / "no-such-port"))


def test_no_panel_on_the_port_times_out_clearly():
    master, slave = os.openpty()
    try:
        import tty

        tty.setraw(slave)
        with PanelLink(os.ttyname(slave), timeout=0.2, retries=1) as link:
            with pytest.raises(LinkError, match="no answer to 'hello'"):
                link.hello()
    finally:
        os.close(slave)
        os.close(master)


def test_lost_cable_is_a_link_error(sim):
    link = PanelLink(sim.serial)
    link.hello()
    sim.serial.close()
    with pytest.raises(LinkError):
        link.ping()
    sim.serial = serial.Serial(sim.port, 115200, timeout=0.05)  # the fixture closes it
