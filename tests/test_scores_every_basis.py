"""Every score's basis screen opened for every vessel, with the findings empty, partly answered and complete, on the
real firmware under MicroPython at the board's heap (issue 12 §1: RECHARGE's basis raised a TypeError and reset
the Pico 2 mid-case; this test opens the whole class of screens so no such crash can hide in one of them).

One walk (firmware/boards/walk.py, the real touch UI: panel.app.Panel, the main loop, the screens, the band buffer)
runs with the firmware compiled to .mpy and run in place from a ROMFS image, as frozen firmware runs from a board's
flash, at the heap budget (128 KB as a 32-bit board counts it) plus the image. For each option of the `vessel`
finding and for a vessel not entered, and for each of three states of the findings, it records the findings as the
finding screen does, opens the Scores screen and pages through it, then opens each of the ten scores' basis by a
touch on its row and pages through every page of it by touches on ▼. Asserted: the walk ends (no exception, no
reset, no MemoryError), every basis was opened and read to its last page, no row on any page of the Scores or a
basis screen has its text cut short or broken inside a word (widgets.Row.cut), the text shown is sane (no Python
value leaks onto the screen: no None, no dict or list syntax, no finding id, no empty row; no row carries "!",
which is for alerts; the one unverified mark is "(unverified)"), a score not for the vessel says so in its title
and shows no total and no rate, and the journal holds exactly the findings recorded.
The findings are invented for the walk; none is a clinical number (those are in tests/test_scores_reference.py).
Run alone: .venv/bin/pytest tests/test_scores_every_basis.py
"""

import re

import pytest

from bedside.tools import heap
from panel.content.findings import FINDINGS
from panel.content.scores import SCORE_IDS, load
from panel.findings import options

pytestmark = pytest.mark.micropython

VESSELS = list(options("vessel")) + [None]
# Three states of the findings (values and sources as the finding screen records them); none contradicts another.
PARTIAL = [("age", 72), ("calcification", "moderate", "angio"), ("blunt_stump", "yes"), ("length_mm", 25, "ct"),
           ("adr_planned", "yes"), ("rentrop", "1"), ("op_years", 8, "entered")]
COMPLETE = PARTIAL + [
    ("sex", "female"), ("ostial", "no"), ("in_stent", "no"), ("retry", "yes"), ("stump_visible", "yes"),
    ("cap_ambiguity", "no"), ("bending_45", "yes"), ("bend_angle_deg", 60), ("tortuosity", "moderate"),
    ("curvature", "no"), ("interventional_collaterals", "yes"), ("werner", "cc1"), ("distal_disease", "no"),
    ("prior_cabg", "yes"), ("prior_cabg_target", "no"), ("prior_mi", "yes"), ("retrograde_planned", "yes"),
    ("retrograde_used", "no"), ("adr_used", "yes"), ("op_annual_volume", 70, "entered"),
    ("op_last_year_cases", 40, "entered"), ("op_last_year_successes", 37, "entered"), ("ct_calcium", "peripheral", "ct"),
    ("ct_calcium_csa50", "yes", "ct"), ("jbtk_grade", "C"), ("btk_no_outflow", "yes"), ("btk_rvd_lt2", "no"),
    ("btk_calc_entry", "yes"),
]
STATES = (("empty", []), ("partial", PARTIAL), ("complete", COMPLETE))
NAMES = [load(sid).get("short", load(sid)["name"]) for sid in SCORE_IDS]


def walk_steps():
    """The steps: per vessel and state, record the findings, page through Scores, then through each basis."""
    steps = [["tap", "New case"], ["expect", "setup"], ["tap", "Back"], ["expect", "case"]]
    answered = []
    for vessel in VESSELS:
        for _state, findings in STATES:
            for fid in answered:  # back to nothing known
                steps.append(["finding", fid, None])
            answered = []
            for f in ([("vessel", vessel)] if vessel else []) + findings:
                steps.append(["finding", f[0], f[1]] + ([f[2]] if len(f) > 2 else []))
                answered.append(f[0])
            steps += [["tap", "Scores"], ["expect", "scores"], ["every_page"], ["tap", "Back"], ["expect", "case"],
                      ["tap", "Scores"], ["expect", "scores"]]
            for name in NAMES:
                steps += [["tap", name], ["expect", "basis"], ["every_page"], ["tap", "Back to scores"],
                          ["expect", "scores"]]
            steps += [["tap", "Back"], ["expect", "case"]]
    return steps


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    from bedside.screens import build_ui_scenario, walk_log
    from bedside.tools import romfs

    d = build_ui_scenario(tmp_path_factory.mktemp("uimpy"))
    image = tmp_path_factory.mktemp("rom") / "firmware.romfs"
    image.write_bytes(romfs.build_image(d))
    image_kb = -(-image.stat().st_size // 2048)  # the image's share of the heap (tests/test_heap.py)
    return walk_log(walk_steps(), f"{heap.BUDGET_KB + image_kb}wK", "", romfs.MOUNT.format(image=str(image)))


def test_every_basis_of_every_score_opens_for_every_vessel_and_state(walked):
    pages = [e for e in walked if "pages" in e]
    bases = [e for e in pages if e["screen"] == "basis"]
    overviews = [e for e in pages if e["screen"] == "scores"]
    combinations = len(VESSELS) * len(STATES)
    assert len(overviews) == combinations
    assert len(bases) == combinations * len(SCORE_IDS)
    # in order: each vessel and state, the ten scores by name in the title
    for i, e in enumerate(bases):
        assert e["title"].startswith(NAMES[i % len(NAMES)] + ": "), (i, e["title"])
        assert e["pages"] >= 1


def test_no_text_is_cut_on_any_page_of_the_scores_or_a_basis(walked):
    cut = [(e["screen"], e["title"], c) for e in walked if "pages" in e for c in e["cut"]]
    assert cut == []


def test_a_score_not_for_the_vessel_says_so_and_shows_no_total(walked):
    bases = [e for e in walked if e.get("screen") == "basis" and "pages" in e]
    by_vessel = [bases[i:i + len(STATES) * len(NAMES)] for i in range(0, len(bases), len(STATES) * len(NAMES))]
    for vessel, group in zip(VESSELS, by_vessel):
        for e in group:
            name = e["title"].split(": ")[0]
            btk = vessel in ("tpt", "ata", "pta", "peroneal")
            coronary = vessel in ("lad", "lcx", "rca", "lm")
            applies = vessel is None or (btk if name == "J-BTK" else coronary)
            assert (e["title"] == name + ": does not apply") is (not applies), (vessel, e["title"])


def test_the_walk_records_the_findings_and_each_first_view_and_nothing_else(walked):
    # (it ran at the board's heap: the fixture's run would have failed on a MemoryError)
    [case] = [e for e in walked if "events" in e]
    assert case["closed"] is False
    kinds = {e["k"] for e in case["events"]}
    assert kinds == {"open", "finding", "score_viewed"}
    viewed = [e["score"] for e in case["events"] if e["k"] == "score_viewed"]
    assert viewed == list(SCORE_IDS)  # each recorded once, the first time it was opened
    findings = [e for e in case["events"] if e["k"] == "finding"]
    steps = [s for s in walk_steps() if s[0] == "finding"]
    assert [(e["f"], e.get("v"), e.get("src")) for e in findings] == [
        (s[1], s[2], s[3] if len(s) > 3 else None) for s in steps]


def screens_shown(walked):
    """[(the screen's `pages` entry, every row of all its pages)] in the order they were read."""
    out, rows = [], []
    for e in walked:
        if "rows" in e:
            rows += e["rows"]
        elif "pages" in e:
            out.append((e, rows))
            rows = []
    return out


IDS = re.compile(r"\b(" + "|".join(re.escape(f[0]) for f in FINDINGS if "_" in f[0]) + r")\b")
LEAKS = ("None", "{", "}", "['", "']", "('", "')", "\\u", "%s", "%d", " object at ", "<function", "<bound")


def test_the_text_shown_is_sane_on_every_page(walked):
    shown = screens_shown(walked)
    assert len(shown) == len(VESSELS) * len(STATES) * (1 + len(SCORE_IDS))
    for e, rows in shown:
        assert rows, e["title"]
        for mark, label, detail, value in rows:
            assert mark is None, (e["title"], label)  # "!" is for alerts
            assert label and label.strip() == label, (e["title"], label)
            for text in (label, detail, value):
                if text is None:
                    continue
                assert text.strip(), (e["title"], label)
                assert not [x for x in LEAKS if x in text], (e["title"], text)
                assert not IDS.search(text), (e["title"], text)
                assert "unverified" not in text or "(unverified)" in text, (e["title"], text)


def test_a_score_not_for_the_vessel_shows_no_rate_and_no_category(walked):
    for e, rows in screens_shown(walked):
        if e["screen"] == "basis" and e["title"].endswith(": does not apply"):
            text = " ".join(t for r in rows for t in r[1:] if t)
            assert "%" not in text and "Categories" not in text and "Total" not in text, (e["title"], text)
            assert rows[0][1] == "Does not apply" and (rows[0][2] or rows[1][1]).startswith("for "), rows[:2]
