"""hardware/README.md agrees with the reference board's data (firmware/boards/pico2_pins.py, panel/hw.py).

The wiring table between the BEGIN/END wiring markers must list exactly the rows pico2_pins.wiring_rows()
gives, in order; every GPIO the pin map uses must be a distinct pin with a header number; the touch target
sizes the README states are the ones panel/hw.py holds, and the UI's smallest target (panel/ui/theme.py) is no
smaller.
Run alone: .venv/bin/pytest tests/test_hardware_doc.py
"""

import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "firmware"))
from boards import pico2_pins  # noqa: E402
from panel import hw  # noqa: E402

README = (ROOT / "hardware" / "README.md").read_text()


def _table_rows():
    block = README.split("<!-- BEGIN wiring")[1].split("<!-- END wiring -->")[0]
    lines = [ln for ln in block.splitlines() if ln.startswith("|")]
    assert lines[1].startswith("|---")
    return [tuple(c.strip() for c in ln.strip("|").split("|")) for ln in lines[2:]]


def test_wiring_table_matches_the_pin_map():
    assert _table_rows() == pico2_pins.wiring_rows()


def test_every_signal_has_its_own_gpio_and_a_header_pin():
    gpios = list(pico2_pins.PINS.values())
    assert len(gpios) == len(set(gpios))
    assert set(gpios) <= set(pico2_pins.HEADER)
    wired = {s for _pin, s, _what in pico2_pins.WIRING}
    # every pin but the log's TX and the unwired SPI1 RX is on the module's header
    assert set(pico2_pins.PINS) - wired == {"log_tx", "lcd_miso"}


def test_readme_states_the_touch_target_sizes_hw_holds():
    assert f"{hw.MIN_TARGET_MM} mm is **{hw.MIN_TARGET_PX} pixels**" in README
    assert f"Minimum touch target: {hw.MIN_TARGET_MM} mm square" in README
    m = re.search(r"active area is ([\d.]+) ×\s+([\d.]+) mm for 480 × 320", README)
    assert m and round(float(m.group(1)) * 1000) == 480 * hw.PIXEL_PITCH_UM
    assert round(float(m.group(2)) * 1000) == 320 * hw.PIXEL_PITCH_UM


def test_the_ui_smallest_target_is_at_least_the_hardware_minimum():
    from panel.ui import theme  # plain constants, no framebuf

    assert theme.TARGET >= hw.MIN_TARGET_PX
