"""How a case's scores reach the workstation: `bedside case` (casetext), the app's case detail (case_parts) and the
reports show them in the panel's words (issue 12 §4).

Covers, for one case replayed from its events as the host replays a synced case (a grafted ostial RCA CTO, its
length read on CT, ADR planned, the operator's profile from the workstation's records with their coverage):
every published rate carries its endpoint in words and its cohort; a score not for the vessel (J-BTK here) shows
no total and no rate, only that it does not apply and why; no score says "no category"; the strategy a score is
computed for is labelled; a finding read on CT says so; the one unverified mark "(unverified)" sits on the items
the reference has not verified (CL's CABG item, CASTLE's categories) and nothing else ("[verify", " *" never
appear); the operator facts say where they came from and what those records cover. A coverage that is not short
printable text (a hostile or damaged panel echoes it) is not shown.
The findings are invented for the test; the arithmetic is checked in tests/test_scores_reference.py.
Run alone: .venv/bin/pytest tests/test_scores_shown.py
"""

import io

from rich.console import Console

from bedside import casetext
from bedside.app.widgets import case_parts
from bedside.casefile import figures, summarize
from panel.case import Case

FINDINGS = [("vessel", "rca", None), ("age", 72, None), ("ostial", "yes", None), ("prior_cabg", "yes", None),
            ("prior_cabg_target", "yes", None), ("length_mm", 25, "ct"), ("blunt_stump", "yes", None),
            ("adr_planned", "yes", None), ("rentrop", "1", None)]
COVERAGE = "from 12 cases since 2026-07-24"


def case_events(coverage=COVERAGE):
    c = Case.open("c0ffee01", 1000, boot=1)
    c.record("profile", 1500, {"p": {"name": "Dr A", "years": 8, "coverage": coverage}, "src": "host"})
    for i, (fid, value, src) in enumerate(FINDINGS):
        fields = {"f": fid, "v": value}
        if src:
            fields["src"] = src
        c.record("finding", 2000 + i, fields)
    return c.events


def detail(summary):
    return {"summary": summary, "case_id": "c0ffee01", "device_id": "panel-1", "reference": None, "sync": None,
            "host_operator": None, "figures": figures(summary), "nurse_entries": []}


def app_text(summary):
    console = Console(file=io.StringIO(), width=400, color_system=None)
    console.print(case_parts.scores(summary))
    return console.file.getvalue()


def test_bedside_case_and_the_app_show_each_score_in_the_panels_words():
    s = summarize(case_events())
    for text in (casetext.render(detail(s)), app_text(s)):
        assert "no category" not in text.lower() and "[verify" not in text and " *" not in text
        # J-BTK: no total, no rate, only why
        [jbtk] = [line for line in text.splitlines() if "J-BTK" in line]
        assert jbtk.strip() == "J-BTK: does not apply: for below-the-knee CTOs; target vessel: RCA"
        # every rate with its endpoint in words and its cohort
        assert "% major complication (derivation)" in text and "% major complication (validation)" in text
        assert "computed for the planned strategy" in text
        assert "(unverified)" in text
        assert COVERAGE in text and "from the workstation's records" in text
        assert "Occlusion length: 25 mm, read on CT" in text  # the findings (bedside case), the basis (the app)
    assert "Target vessel: RCA" in casetext.render(detail(s))  # answers in words, never ids
    app = app_text(s)
    assert "previous CABG (read as any CABG) (unverified): Previous CABG: yes" in app  # the mark on the item
    # the operator-CTO range: its three unknown operator variables, the years from the records
    assert "Operator CTO experience: 8 years, from the workstation's records" in app


def test_a_coverage_that_is_not_short_text_is_not_shown():
    for bad in ("x" * 65, "line\nbreak", 12):
        s = summarize(case_events(bad))
        assert "coverage" not in s["operator"], bad
        assert "from the workstation's records:" not in casetext.render(detail(s))
