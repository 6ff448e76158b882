"""The seeded monkey, short form: random taps through the whole panel on MicroPython at the board's 128 KB heap.

tests/soak/monkey.py (run by tests/soak/monkey_run.py from a ROMFS image of the firmware, as tests/test_heap.py's
walkthrough): every tap lands on a random point of a random target of the screen on top, or anywhere on the glass,
or lets up to 10 minutes pass; the run fails on any exception (MemoryError included), on safe mode, on a journal
that does not hold every event recorded in order, on an open case that does not resume from its journal as it was
in RAM after a reboot, and on a state whose heap grew between two visits. Here 1,000 taps for two fixed seeds (every
screen of the panel is reached); `make soak` runs 10,000 with a fresh seed (SOAK_SEED replays it).
Run alone: .venv/bin/pytest tests/test_monkey.py
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "soak"))
import monkey_run  # noqa: E402

pytestmark = pytest.mark.micropython

SCREENS = {"home", "case", "setup", "findings", "finding", "numpad", "scores", "basis", "techniques", "technique",
           "runner", "picker", "fulltext", "timers", "end", "dialog", "cases", "pairing"}


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    return monkey_run.build(tmp_path_factory.mktemp("monkey"))


REACHED = {}  # seed -> the screens its run reached


@pytest.mark.parametrize("seed", [1, 2])
def test_1000_random_taps_through_every_screen_at_the_boards_heap(image, tmp_path, seed):
    res = monkey_run.run(*image, seed=seed, taps=1000, work=tmp_path, timeout=300)
    out = res.stdout + res.stderr
    assert res.returncode == 0 and "MONKEY OK " in res.stdout, out[-3000:]
    figures = json.loads(res.stdout.split("MONKEY OK ", 1)[1])
    REACHED[seed] = set(figures["screens"])
    assert figures["events"] > 50 and figures["cases"] >= 1 and figures["reboots"] == 1
    assert figures["heap_revisits"] > 0 and figures["heap_most_grown"] <= 2048


def test_the_two_runs_between_them_reach_every_screen():
    # which screens one seed reaches depends on where its random taps happen to lead (a button added anywhere
    # changes that); the two runs together must reach every screen, or the monkey tests less than it claims
    assert set(REACHED) == {1, 2}, "run with the two seeded runs above"
    reached = REACHED[1] | REACHED[2]
    assert reached >= SCREENS, sorted(SCREENS - reached)


def test_the_monkey_fails_loudly_where_the_panel_cannot_go_on(image, tmp_path):
    # half the board's heap: the panel runs out of memory on some screen, and the run says so, with its trace
    res = monkey_run.run(*image, seed=1, taps=800, work=tmp_path, heap_kb=64, timeout=300)
    assert res.returncode != 0 and "MONKEY OK" not in res.stdout
    assert "MemoryError" in res.stderr + res.stdout
