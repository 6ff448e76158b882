# tests/portable/test_undo_words.py — the undo question names the entry and its answer in words, never an id.
#
# Covers panel/ui/undo.py describe() for every kind of entry an undo may cancel (a decision, a pick-list and a
# numeric measurement, Done, a skip and its reason, a deferral, a finding of each kind, an outcome, a note, a
# checklist started, a restart) and last_entry() passing over a score looked at (a fact, not an answer).
# Run alone: .venv/bin/pytest tests/portable/test_undo_words.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_undo_words

from panel.checklist import Run
from panel.content.checklists import load
from panel.ui.undo import describe, last_entry

RUN = Run(load("whih"), 0)
IDS = ("in_guide", "tip_in", "close_mcs", "gaia", "not_needed", "length_mm", "technical_success", "whih", "retry")


def words(ev):
    text = describe(ev, RUN)
    for i in IDS:
        assert i not in text, (i, text)
    return text


def test_a_decision_by_its_item_and_the_option_chosen():
    assert words({"k": "decide", "item": "tip_in", "opt": "yes"}) == "Steer retro wire into ante MC: Tip-in achieved"


def test_a_measurement_by_item_measure_and_value_pick_or_number():
    assert words({"k": "measure", "item": "in_guide", "m": "wire", "val": "gaia"}) == \
        "Confirm retro wire in ante guide, Wire used: Gaia"
    assert words({"k": "measure", "item": "close_mcs", "m": "gap", "val": 45}) == \
        "Push both MCs into CTO body, Gap between MC tips: 4.5 mm"


def test_done_skip_and_defer_name_their_item_and_reason():
    assert words({"k": "confirm", "item": "in_guide"}) == "Done: Confirm retro wire in ante guide"
    assert words({"k": "skip", "item": "close_mcs", "why": "not_needed"}) == \
        "Skipped Push both MCs into CTO body: Not needed"
    assert words({"k": "defer", "item": "close_mcs"}) == "Deferred: Push both MCs into CTO body"


def test_findings_and_outcomes_by_their_names_and_answers():
    assert words({"k": "finding", "f": "length_mm", "v": 25}) == "Occlusion length: 25 mm"
    assert words({"k": "finding", "f": "vessel", "v": "lcx"}) == "Target vessel: circumflex"
    assert words({"k": "finding", "f": "retry", "v": "yes"}) == "Re-try lesion: yes"
    assert words({"k": "finding", "f": "retry", "v": None}) == "Re-try lesion: not known"
    assert words({"k": "outcome", "o": "technical_success", "v": "no"}) == "Technical success: no"


def test_notes_checklists_and_restarts_in_words():
    assert words({"k": "note", "text": "Device changed"}) == "Note: Device changed"
    assert words({"k": "cl_start", "cl": "whih"}).startswith("Checklist started: Wires hand-in-hand")
    assert words({"k": "reset", "why": "retry"}) == "Started again: New attempt"
    assert words({"k": "finding", "f": "no_such_finding", "v": 1}) == "Finding"  # never the raw id


class Log:
    def __init__(self, evs):
        self.evs = evs

    def __len__(self):
        return len(self.evs)

    def get(self, seq):
        return self.evs[seq - 1]


class Case:
    def __init__(self, evs, undone=()):
        self.log = Log(evs)
        self.undone = undone


def test_the_last_entry_passes_over_a_score_looked_at_and_what_is_undone():
    evs = [{"seq": 1, "k": "open"}, {"seq": 2, "k": "finding", "f": "retry", "v": "yes"},
           {"seq": 3, "k": "finding", "f": "ostial", "v": "no"}, {"seq": 4, "k": "score_viewed", "score": "jcto"},
           {"seq": 5, "k": "timer_alert", "timer": "wire"}]
    assert last_entry(Case(evs))["seq"] == 3
    assert last_entry(Case(evs, undone=(3,)))["seq"] == 2
    assert last_entry(Case(evs[:1])) is None
