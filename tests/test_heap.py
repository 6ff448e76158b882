"""The clinical engine's heap budget, asserted: a complete scripted case fits in 128 KB as .mpy.

The scenario (tests/scenarios/full_case.py: findings, every score, the largest
checklist through 200 events, a reboot that rebuilds the case from its events) runs
under the real MicroPython unix port with -X heapsize=128wK, the budget of
shared/design/ARCHITECTURE.md as a 32-bit board counts it, with the firmware, the
content and the scenario compiled by mpy-cross. Heap use is deterministic for a given
build, so the budget is a test, asserted with an 8 KB margin; `make bench` reports the smallest heap that passes.
Run alone: .venv/bin/pytest tests/test_heap.py
"""

import pytest

from bedside.tools import heap

pytestmark = pytest.mark.micropython


@pytest.fixture(scope="module")
def mpy_dir(tmp_path_factory):
    return heap.build_scenario(tmp_path_factory.mktemp("mpy"))


@pytest.mark.parametrize("kb", [heap.BUDGET_KB - 8, heap.BUDGET_KB - 4, heap.BUDGET_KB])
def test_full_case_fits_the_128_kb_budget_as_mpy_with_margin(mpy_dir, kb):
    # Near its limit a heap fails or passes by how fragmentation falls (not monotonic in size,
    # and shifted by a few bytes of path strings): passing 8 KB under the budget keeps the
    # budget test from turning on luck.
    ok, out = heap.run_scenario(mpy_dir, kb)
    assert ok, out
    assert "events=242 checklist_events=200" in out


def test_the_scenario_really_runs_out_of_memory_below_its_need(mpy_dir):
    ok, out = heap.run_scenario(mpy_dir, 48)
    assert not ok and "MemoryError" in out


# The full touch UI: the walkthrough of tests/test_panel_ui.py (every screen, two checklists, every tap through the
# main loop, the band buffer) with the firmware run in place from a ROMFS image, as frozen firmware runs from flash
# on the board (bedside.tools.romfs): the image is one block of the run's heap, so the firmware's own need is the
# heap less the image.


@pytest.fixture(scope="module")
def ui_build(tmp_path_factory):
    from bedside.screens import build_ui_scenario
    from bedside.tools import romfs

    d = build_ui_scenario(tmp_path_factory.mktemp("uimpy"))
    image = tmp_path_factory.mktemp("rom") / "firmware.romfs"
    image.write_bytes(romfs.build_image(d))
    return d, image, -(-image.stat().st_size // 2048)  # the image in heap-size units (KB as 128wK counts)


@pytest.mark.parametrize("kb", [heap.BUDGET_KB - 8, heap.BUDGET_KB - 4, heap.BUDGET_KB])
def test_full_ui_walkthrough_fits_the_budget_with_the_firmware_in_romfs(ui_build, tmp_path, kb):
    from bedside.screens import ui_scenario_fits

    d, image, image_kb = ui_build
    assert ui_scenario_fits(d, kb + image_kb, tmp_path, image)


def test_the_ui_walkthrough_really_runs_out_below_its_need(ui_build, tmp_path):
    from bedside.screens import ui_scenario_fits

    d, image, image_kb = ui_build
    assert not ui_scenario_fits(d, 64 + image_kb, tmp_path, image)
