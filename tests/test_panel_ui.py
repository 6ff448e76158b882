"""The panel's touch UI on the real firmware (MicroPython unix port), driven by touch coordinates.

One scripted walkthrough (bedside.screens.WALKTHROUGH) runs a whole case by pressing widget centres through the
board's touch and the main loop, and visits every screen. Checked here: every screen module is visited, the events
the taps recorded (the journal's own copy), golden images of the key screens (pixel-exact: fixed clock, fixed ids),
every tappable widget at least the gloved-finger target in both directions, the numeric pad's range check,
pixels sent per tap for a known change, and that the generated fonts are fresh.
Regenerate the golden images after a deliberate change: BEDSIDE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_panel_ui.py
Run alone: .venv/bin/pytest tests/test_panel_ui.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from bedside.screens import WALKTHROUGH, run_walkthrough
from bedside.tools import fonts
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "panel"
KEY_SCREENS = ("home", "setup", "findings", "findings-group", "numpad", "finding-choice", "scores", "basis-jcto", "case", "undo-confirm",
               "technique-whih", "runner-first-item", "runner-full-text", "runner-decision", "runner-deferred",
               "runner-wire-alert",
               "timers", "end-of-case", "fault", "close-confirm", "cases", "pairing-code", "safe-mode")
TARGET_PX = 72  # panel/ui/theme.py TARGET: 11 mm on the reference display's 0.154 mm pixels


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    out = tmp_path_factory.mktemp("screens")
    return out, run_walkthrough(out)


def _snaps(log):
    return {e["snap"].split("-", 1)[1]: e for e in log if "snap" in e}


def test_the_walkthrough_visits_every_screen(walk):
    _out, log = walk
    modules = {p.stem for p in (ROOT / "firmware" / "panel" / "ui" / "screens").glob("*.py")} - {"__init__"}
    seen = {e["screen"] for e in log if "snap" in e}
    assert seen == modules, f"never shown: {sorted(modules - seen)}; unknown: {sorted(seen - modules)}"


def test_taps_recorded_the_case_in_the_journal(walk):
    _out, log = walk
    [case] = [e for e in log if "events" in e]
    evs = case["events"]
    assert case["closed"] is True
    kinds = [(e["k"], e.get("item") or e.get("f") or e.get("o") or e.get("cl") or e.get("timer")) for e in evs]
    assert kinds[:8] == [("open", None), ("finding", "vessel"), ("finding", "age"), ("finding", "calcification"),
                         ("finding", "calcification"), ("finding", "blunt_stump"), ("score_viewed", None),
                         ("cl_start", "whih")]
    by = {(e["k"], e.get("item"), e.get("m")): e for e in evs}
    assert by[("measure", "in_guide", "wire")]["val"] == "gaia"
    assert by[("measure", "in_guide", "channel")]["val"] == "septal"
    assert by[("measure", "close_mcs", "gap")]["val"] == 45  # "4", ".", "5" on the pad: 4.5 mm, one decimal
    assert by[("skip", "hand_in_hand", None)]["why"] == "done_differently"
    assert by[("measure", "case", "guides")]["val"] == "bilateral"  # a case record, from More…
    tips = [e for e in evs if e["k"] == "decide" and e["item"] == "tip_in"]
    undo = [e for e in evs if e["k"] == "undo"]
    assert len(tips) == 2 and [u["ref"] for u in undo] == [tips[0]["seq"]]  # undone, then answered again
    assert ("defer", "rendezvous") in kinds and kinds.index(("confirm", "rendezvous")) > kinds.index(
        ("decide", "tech_ok"))  # the deferred item came back before the end
    assert [e["v"] for e in evs if e["k"] == "finding" and e["f"] == "age"] == [68]
    assert [e.get("src") for e in evs if e["k"] == "finding" and e["f"] == "calcification"] == [None, "angio"]
    assert ("timer_alert", "wire") in kinds  # 31 minutes on the wire-crossing timer, journalled by the case
    assert [(e["k"], e.get("why")) for e in evs if e["k"] == "abandon"] == [("abandon", "no_progress")]
    assert [(e["o"], e["v"]) for e in evs if e["k"] == "outcome"] == [("contrast_ml", 240), ("technical_success", "yes")]
    # the flash refused device success once: the fault screen showed, and nothing half-recorded remains
    assert not [e for e in evs if e["k"] == "outcome" and e["o"] == "device_success"]
    assert [e["seq"] for e in evs] == list(range(1, len(evs) + 1))
    assert evs[-1]["k"] == "close"


def test_every_tappable_widget_is_a_gloved_finger_target(walk):
    _out, log = walk
    small = []
    for e in log:
        for label, x, y, w, h in e.get("targets", ()):
            if w < TARGET_PX or h < TARGET_PX:
                small.append((e["snap"], label, w, h))
            assert 0 <= x and x + w <= 480 and 32 <= y and y + h <= 320, (e["snap"], label)
    assert not small, small


def test_a_host_asking_to_pair_gets_a_code_only_where_pairing_was_opened_at_the_panel(walk):
    # Found (issue 11): a host's pair_start took the screen over mid-case. The walkthrough asks on the runner
    # (refused, the runner stays), on the pairing screen opened by a tap (the code and the host's name show:
    # the golden pairing-code image), on home after leaving that screen (refused again), and in safe mode on the
    # pairing screen opened from the safe screen (a workstation never paired can still take the cases off).
    _out, log = walk
    asked = [(e["screen"], e["pairing_request"].split(":")[0]) for e in log if "pairing_request" in e]
    assert asked == [("runner", "refused"), ("pairing", "code shown"), ("home", "refused"), ("pairing", "code shown")]


def test_the_simulators_press_for_pair_a_host_lands_on_that_button(walk):
    from bedside.sim import PAIR_A_HOST

    _out, log = walk
    [(x, y, w, h)] = [t[1:] for t in _snaps(log)["home"]["targets"] if t[0] == "Pair a host"]
    assert x <= PAIR_A_HOST[0] < x + w and y <= PAIR_A_HOST[1] < y + h


@pytest.mark.parametrize("name", KEY_SCREENS)
def test_key_screens_match_their_golden_images(walk, name):
    out, log = walk
    snap = _snaps(log)[name]["snap"]
    got = Image.open(out / f"{snap}.png").convert("RGB")
    golden = GOLDEN / f"{name}.png"
    if os.environ.get("BEDSIDE_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        got.save(golden, optimize=True)
    assert golden.exists(), f"no golden image {golden}: run with BEDSIDE_UPDATE_GOLDEN=1"
    want = Image.open(golden).convert("RGB")
    diff = ImageChops.difference(got, want).getbbox()
    assert diff is None, f"{name}: pixels differ inside {diff} (see {out / snap}.png)"


def test_a_numeric_answer_out_of_range_is_refused_and_nothing_recorded(tmp_path):
    steps = [["tap", "New case"], ["tap", "Findings"], ["tap", "Patient"], ["tap", "Age"], ["tap", "?"],
             ["tap", "1"], ["tap", "5"], ["tap", "0"], ["tap", "OK"], ["expect", "numpad"],  # 150: above 120
             ["tap", "⌫"], ["tap", "⌫"], ["tap", "OK"], ["expect", "numpad"],  # 1: below 18
             ["tap", "9"], ["tap", "OK"], ["expect", "finding"]]  # 19: taken
    log = run_walkthrough(tmp_path, steps)
    [case] = [e for e in log if "events" in e]
    assert [(e["f"], e["v"]) for e in case["events"] if e["k"] == "finding"] == [("age", 19)]


def test_ivus_first_btk_shows_the_jbtk_grade_read_from_the_findings(tmp_path):
    # The grade is entered once, with the findings; IVUS-first's screen before Start shows it (golden image) and
    # the checklist never asks for it again (its content: tests/test_checklist_content.py).
    steps = [["tap", "New case"], ["tap", "anterior tibial"], ["tap", "Findings"], ["tap", "Below knee"],
             ["tap", "J-BTK grade"], ["expect", "finding"], ["tap", "C (4-5)"], ["tap", "Done"], ["tap", "Back"],
             ["tap", "Back"], ["expect", "case"], ["tap", "Start a technique"], ["tap", "IVUS-first"],
             ["expect", "technique"], ["snap", "technique-ivus-btk"], ["tap", "Start"],
             ["expect", "runner"]]
    log = run_walkthrough(tmp_path, steps)
    [case] = [e for e in log if "events" in e]
    assert [(e["f"], e["v"]) for e in case["events"] if e["k"] == "finding" and e["f"] == "jbtk_grade"] == [
        ("jbtk_grade", "C")]
    assert [e for e in case["events"] if e["k"] == "measure"] == []
    [snap] = [e for e in log if "snap" in e]
    got = Image.open(tmp_path / f"{snap['snap']}.png").convert("RGB")
    golden = GOLDEN / "technique-ivus-btk.png"
    if os.environ.get("BEDSIDE_UPDATE_GOLDEN") == "1":
        got.save(golden, optimize=True)
    assert ImageChops.difference(got, Image.open(golden).convert("RGB")).getbbox() is None, tmp_path


def _golden(tmp_path, snap, name):
    got = Image.open(tmp_path / f"{snap['snap']}.png").convert("RGB")
    golden = GOLDEN / f"{name}.png"
    if os.environ.get("BEDSIDE_UPDATE_GOLDEN") == "1":
        got.save(golden, optimize=True)
    assert ImageChops.difference(got, Image.open(golden).convert("RGB")).getbbox() is None, (name, tmp_path)


def test_the_runner_shows_every_caution_in_force_and_their_full_text_one_tap_away(tmp_path):
    # Issue 12 §2. D's extraplaque path (knuckle, re-entry, NC balloon not expanded, eccentric calcium): four cautions
    # in force on one item, each by its short label in the band, the item in the 24 px font to make room; a tap on
    # the item opens its full text (the reference's words, with its sizes and pressures) and every caution in full,
    # paged. Every path of every checklist: tests/mponly/test_runner_cautions.py.
    steps = [["tap", "New case"], ["tap", "RCA"], ["tap", "Back"], ["expect", "case"], ["tap", "Start a technique"],
             ["tap", "Heavily calcified"], ["tap", "Start"], ["expect", "runner"], ["tap", "Done"],
             ["tap", "Penetrated"], ["tap", "Long/tortuous: knuckle"], ["snap", "runner-caution-reentry"],
             ["tap", "Re-entered"], ["tap", "Device crossed"], ["tap", "Done"], ["tap", "Not expanded"],
             ["tap", "Eccentric / nodule"], ["snap", "runner-cautions"], ["tap", "Full text"], ["expect", "fulltext"],
             ["snap", "runner-cautions-full-text"], ["tap", "▼"], ["snap", "runner-cautions-full-text-2"],
             ["tap", "Back"], ["expect", "runner"]]
    log = run_walkthrough(tmp_path, steps)
    snaps = {e["snap"].split("-", 1)[1]: e for e in log if "snap" in e}
    for name, snap in snaps.items():
        assert snap["stale"] == [], name
        _golden(tmp_path, snap, name)


def test_operator_cto_basis_names_the_technical_success_of_its_rates_and_of_this_panel(tmp_path):
    # TECHNIQUES.md: where observed success (here the operator's last-year success, this panel's definition) is set
    # against a published rate (the operator-CTO paper's, which adds no related complications), say which is which.
    steps = [["tap", "New case"], ["tap", "RCA"], ["tap", "Back"], ["expect", "case"], ["tap", "Scores"],
             ["tap", "Operator-CTO"], ["expect", "basis"]] + [["tap", "▼"]] * 6 + [["snap", "basis-operator-cto-success"]]
    log = run_walkthrough(tmp_path, steps)
    [snap] = [e for e in log if "snap" in e]
    got = Image.open(tmp_path / f"{snap['snap']}.png").convert("RGB")
    golden = GOLDEN / "basis-operator-cto-success.png"
    if os.environ.get("BEDSIDE_UPDATE_GOLDEN") == "1":
        got.save(golden, optimize=True)
    assert ImageChops.difference(got, Image.open(golden).convert("RGB")).getbbox() is None, tmp_path


def test_a_tap_sends_only_what_it_changed(tmp_path):
    # Choosing a vessel turns one 96 x 72 button into its selected look; nothing else is sent.
    log = run_walkthrough(tmp_path, [["tap", "New case"], ["tap", "RCA"], ["tap", "LAD"]])
    taps = [e for e in log if "tap" in e]
    assert taps[1]["pixels"] == 96 * 72
    assert taps[2]["pixels"] == 2 * 96 * 72  # LAD selected, RCA no longer


def test_what_the_taps_leave_on_screen_equals_a_full_repaint(walk):
    # Each tap sends only what it changed; at every snap the screen must still be exactly what painting it whole gives.
    _out, log = walk
    stale = {e["snap"]: e["stale"] for e in log if "snap" in e and e["stale"]}
    assert stale == {}, f"stale pixels [count, (x, y, w, h)] by snap: {stale}"


def test_a_checklist_step_that_keeps_the_buttons_sends_their_labels_not_the_rows(walk):
    # "Tip-in achieved" answers one two-way decision and the next is one too: the item's lines, the look-ahead
    # and the buttons' labels change, the two rows of buttons (2 x 480 x 72) are not sent again.
    _out, log = walk
    taps = [e for e in log if e.get("tap") == "Tip-in achieved"]
    assert taps and all(e["screen"] == "runner" for e in taps)
    assert all(e["pixels"] < 2 * 480 * 72 for e in taps), [e["pixels"] for e in taps]


def test_ink_width_covers_a_last_glyph_whose_ink_overhangs_its_advance():
    # Repaints are sized by ink_width: a text ending in "J" draws past its advance in the large font.
    from panel.ui.fonts import large
    from panel.ui.text import ink_width, width

    g = large.INDEX[(ord("J") - 32) * 6:][:6]
    assert g[2] > g[3]  # bitmap wider than the advance
    assert ink_width(large, "AJ") == width(large, "AJ") + g[2] - g[3]
    assert ink_width(large, "JA") == width(large, "JA")
    assert ink_width(large, "") == 0


def test_generated_fonts_are_fresh():
    assert fonts.main(["--check"]) == 0, "run make fonts"


def test_fonts_cover_every_character_the_firmware_shows():
    from panel.ui.fonts import body

    for ch in fonts.shown_characters():
        assert ch in body.CHARS, ch


def test_walkthrough_names_are_unique():
    names = [s[1] for s in WALKTHROUGH if s[0] == "snap"]
    assert len(names) == len(set(names))
    assert set(KEY_SCREENS) <= set(names)


def test_bedside_screens_writes_one_png_per_screen(tmp_path):
    from typer.testing import CliRunner

    from bedside.cli import app

    result = CliRunner().invoke(app, ["screens", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) == len([s for s in WALKTHROUGH if s[0] == "snap"])
    assert all(Image.open(p).size == (480, 320) for p in pngs)
    assert f"{len(pngs)} screens written" in result.output


def test_the_readme_pictures_are_the_golden_images():
    docs = sorted((ROOT / "docs" / "panel").glob("*.png"))
    assert docs, "the README shows pictures from docs/panel"
    for p in docs:
        assert p.read_bytes() == (GOLDEN / p.name).read_bytes(), f"{p.name}: copy tests/golden/panel/{p.name}"


def _luminance(rgb565):
    # WCAG relative luminance of an RGB565 colour
    r, g, b = ((rgb565 >> 11) & 31) / 31, ((rgb565 >> 5) & 63) / 63, (rgb565 & 31) / 31

    def lin(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_theme_text_colours_have_high_contrast_on_their_backgrounds():
    from panel.ui import theme

    # text on the screen, on button faces and inverted (a chosen answer): WCAG AAA is 7:1
    pairs = [(theme.FG, theme.BG), (theme.DIM, theme.BG), (theme.ACCENT, theme.BG), (theme.FG, theme.PANEL),
             (theme.BG, theme.FG), (theme.BG, theme.ACCENT), (theme.BAD, theme.BG)]
    for fg, bg in pairs:
        need = 4.5 if fg == theme.BAD else 7.0  # the fault red always comes with the words STORAGE FAULT
        assert _contrast(fg, bg) >= need, (hex(fg), hex(bg), _contrast(fg, bg))
