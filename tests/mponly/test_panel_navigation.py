# tests/mponly/test_panel_navigation.py — going back and forth between screens never piles screens up.
#
# The real panel on MicroPython, driven by touch (the Driver of test_runner_cautions). Found by the monkey
# (tests/soak/monkey.py): a group of findings → "Scores ›" → "Findings ›" → the group again → "Scores ›" … left one
# more findings screen on the stack at every round (RAM that grew with every round, and as many Backs to leave).
# Now a screen that replaces another comes back instead where it lies just beneath (panel.ui.core UI.replace): the
# stack is the same after any number of rounds, and Back from the scores leads to the findings, then the case.
# Run alone: MICROPYPATH=tests/portable:tests/mponly:protocol:firmware micropython tests/mprun.py test_panel_navigation
# (tests/test_micropython.py runs it under pytest).

from test_runner_cautions import Driver


def names(d):
    return [s.__module__.split(".")[-1] for s in d.screen.ui.stack]


def test_findings_and_scores_back_and_forth_keep_the_stack_the_same():
    d = Driver()
    d.tap("New case")
    d.tap("RCA")
    d.tap("Findings ›")
    assert names(d) == ["home", "case", "findings"], names(d)
    d.tap("Patient")
    d.tap("Scores ›")
    first = names(d)
    assert first == ["home", "case", "findings", "scores"], first
    for _round in range(6):
        d.tap("Findings ›")
        d.tap("Lesion")
        d.tap("Scores ›")
        assert names(d) == first, names(d)
        d.tap("Findings ›")
        assert names(d) == ["home", "case", "findings"], names(d)  # the findings beneath came back
        d.tap("Prox. cap")
        d.tap("Scores ›")
    assert names(d) == first, names(d)
    d.tap("Back")
    d.expect("findings")
    d.tap("Back")
    d.expect("case")


def loaded():
    import sys

    return sorted([m.split(".")[-1] for m in sys.modules if m.startswith("panel.content.checklists.")])


def test_a_checklist_looked_at_and_not_started_leaves_ram_and_so_do_a_closed_cases():
    # Found by the monkey: each technique screen opened loaded its checklist's data for good (three checklists
    # held at once, the Scores screen then ran out of memory at the board's heap)
    import os

    d = Driver()
    try:
        d.tap("New case")
        d.tap("RCA")
        d.tap("Back")
        d.tap("Start a technique")
        for title in ("Poorman", "Heavily calcified", "Balloon-assisted"):  # in the list's order: ▼ reaches each
            d.tap(title)
            d.expect("technique")
            d.tap("Back")
            assert loaded() == [], (title, loaded())
        d.tap("Back")
        d.tap("Start a technique")
        d.tap("Wires hand-in-hand")
        d.tap("Start")
        d.expect("runner")
        assert loaded() == ["whih"], loaded()
        d.panel.keeper.record("abandon", {"why": "no_progress"})
        d.panel.keeper.record("close", {})
        d.panel.keeper.new_case()
        assert loaded() == [], loaded()  # the closed case's checklist went with it
    finally:
        d = None
        os.umount("/flash")  # the next test's panel mounts its own flash


def test_back_from_a_basis_shows_the_overview_again_unless_an_event_came():
    # Found by the monkey: working the ten scores out again just after a basis's list went ran the board's heap out
    # (fragments). Back from a basis reuses the overview; an event since (a finding, a profile) works it out anew.
    import os

    import panel.ui.screens.scores as scores

    calls = []
    real = scores.overview_items

    def counted(findings, on_open):
        calls.append(1)
        return real(findings, on_open)

    scores.overview_items = counted
    d = Driver()
    try:
        d.tap("New case")
        d.tap("RCA")
        d.tap("Back")
        d.tap("Scores")
        d.expect("scores")
        assert len(calls) == 1
        d.tap("J-CTO")
        d.expect("basis")
        d.tap("Back to scores")
        d.expect("scores")
        assert len(calls) == 1, "worked out again with nothing changed"
        d.tap("J-CTO")
        d.panel.keeper.record("finding", {"f": "blunt_stump", "v": "yes"})  # as a host's push would, say
        d.tap("Back to scores")
        d.expect("scores")
        assert len(calls) == 2, "an event came: the scores must be worked out again"
        assert "blunt" not in " ".join([str(getattr(w, "label", "")) for w in d.top().widgets])  # words, no ids
    finally:
        scores.overview_items = real
        d = None
        os.umount("/flash")
