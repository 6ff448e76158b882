"""A small snapshot helper (pytest-textual-snapshot pins pytest<9): an app's SVG screenshot against a golden file.

Golden files live in tests/app/snapshots/NAME.svg, with a plain-text twin NAME.txt that
makes a failure readable. Regenerate them only on purpose:
    BEDSIDE_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/app/test_app_snapshots.py
A mismatch writes the new screenshot beside the golden one as NAME.actual.svg and fails
with a diff of the text (or says that only colours or styles changed).
"""

from __future__ import annotations

import difflib
import io
import os
from pathlib import Path

from rich.console import Console
from textual.widgets import Input

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE_ENV = "BEDSIDE_UPDATE_SNAPSHOTS"


def screen_text(app) -> str:
    """The current screen as plain text, one line per terminal row."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=False, color_system=None,
                      record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def _steady(app) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False  # a blinking cursor would make every shot differ


def assert_snapshot(app, name: str) -> None:
    """Compare the running app's screen with snapshots/NAME.svg (and .txt); update them under the env var."""
    _steady(app)
    svg = app.export_screenshot(title=name)
    text = screen_text(app)
    golden_svg, golden_txt = SNAPSHOTS / f"{name}.svg", SNAPSHOTS / f"{name}.txt"
    actual = SNAPSHOTS / f"{name}.actual.svg"
    if os.environ.get(UPDATE_ENV) == "1":
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        golden_svg.write_text(svg, encoding="utf-8")
        golden_txt.write_text(text, encoding="utf-8")
        actual.unlink(missing_ok=True)
        return
    if not golden_svg.exists():
        raise AssertionError(f"no golden snapshot {golden_svg.name}: run with {UPDATE_ENV}=1 to create it")
    if svg == golden_svg.read_text(encoding="utf-8"):
        actual.unlink(missing_ok=True)
        return
    actual.write_text(svg, encoding="utf-8")
    old = golden_txt.read_text(encoding="utf-8").splitlines() if golden_txt.exists() else []
    diff = "\n".join(difflib.unified_diff(old, text.splitlines(), "golden", "now", lineterm="", n=1))
    raise AssertionError(
        f"snapshot {name} differs from {golden_svg} (the new one: {actual}).\n"
        + (diff if diff else "The text is the same: only colours or styles changed.")
        + f"\nIf the change is intended: {UPDATE_ENV}=1 .venv/bin/pytest {Path(__file__).parent}/test_app_snapshots.py"
    )
