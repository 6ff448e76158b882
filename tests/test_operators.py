"""bedside.operators: operator profiles computed from the synced cases, and the form the panel takes.

Covers, on SQLite and PostgreSQL: attribution of a case to an operator (assigned on the host,
or named by the case's profile event by id or by a unique name, also when the operator is
entered after the case arrived); years, annual volume and last-year success computed by
hand below from cases dated with time anchors; unknown outcomes counted apart, not as
failures; an operator with no cases has unknown values, not zeros; a value whose period (every
year of practice, the last year) the cases here do not cover is unknown, with why and the
coverage in words ("from 12 cases since 2026-07-24"); the push format matches
the protocol's `profile` message and the panel's operator-CTO findings accept it.
Run alone: .venv/bin/pytest tests/test_operators.py
"""

from datetime import datetime, timedelta, timezone

import pytest

from bedlink.mpack import pack
from bedside import operators
from bedside.store import StoreError
from bedside.store.summaries import list_cases
from panel.case import Case
from panel.findings import Findings
from panel.profile import apply_profile

TODAY = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


def add_case(store, case_id, days_ago, tech, boot, profile=None):
    """A closed case `days_ago` before TODAY (an anchor gives it that wall time), outcome `tech`."""
    c = Case.open(case_id, 1000, boot=boot)
    if profile:
        c.record("profile", 2000, {"p": profile, "src": "host"})
    c.record("finding", 3000, {"f": "vessel", "v": "rca"})
    if tech is not None:
        c.record("outcome", 4000, {"o": "technical_success", "v": tech})
    c.record("close", 5000)
    store.ingest("panel-1", case_id, [(e["seq"], pack(e), e["k"], e["b"], e["t"]) for e in c.events])
    wall = int((TODAY - timedelta(days=days_ago)).timestamp() * 1000)
    store.add_anchors("panel-1", [(boot, 1000, wall)])


def test_profiles_by_hand(store):
    a = operators.add(store, "Dr A", 2024, today=TODAY)
    b = operators.add(store, "Dr B", today=TODAY)
    # Dr A: six cases 10 (yes), 100 (no), 200 (unknown), 400 (yes), 700 (yes), 800 (yes) days ago
    for i, (days, tech) in enumerate(((10, "yes"), (100, "no"), (200, None), (400, "yes"), (700, "yes"),
                                      (800, "yes"))):
        add_case(store, f"a-{i}", days, tech, boot=10 + i)
        store.assign_case("panel-1", f"a-{i}", operator_id=a)
    got = {p.name: p for p in operators.profiles(store, TODAY)}
    pa = got["Dr A"]
    # years: 2026 - 2024 = 2; the cases here start 2024-08-23, in the first year of practice: every year of
    # practice is here, 6 cases / 2 years = 3. They start more than 365 days ago: the last year is here too.
    # last 365 days: 10, 100, 200 days ago; outcome known for 2 (yes, no): 2 cases, 1 success, 1 unknown
    assert (pa.years, pa.cases, pa.annual_volume) == (2, 6, 3)
    assert (pa.last_year_cases, pa.last_year_successes, pa.last_year_unknown) == (2, 1, 1)
    assert pa.last_year_success_pct == 50.0
    assert pa.coverage == "from 6 cases since 2024-08-23" and pa.gaps == ()
    pb = got["Dr B"]  # no start year, no cases: unknown, not zero
    assert (pb.years, pb.cases, pb.annual_volume, pb.last_year_cases, pb.last_year_success_pct) == (
        None, 0, None, None, None)
    assert pb.coverage is None
    (fa, fb) = sorted(operators.for_panel(list(got.values())), key=lambda p: p["name"])
    assert fa == {"operator_id": str(a), "name": "Dr A", "annual_volume": 3, "years": 2, "last_year_cases": 2,
                  "last_year_successes": 1, "coverage": "from 6 cases since 2024-08-23"}
    assert fb["operator_id"] == str(b) and fb["annual_volume"] is None and fb["coverage"] is None
    # what the panel does with a pushed profile: operator-CTO's findings take it
    findings = Findings()
    assert apply_profile(findings, fa, "host") == ["op_annual_volume", "op_last_year_cases",
                                                   "op_last_year_successes", "op_years"]


def test_a_value_the_records_do_not_cover_is_unknown_and_says_why(store):
    # issue 12 §4: operator-CTO's volume is over every year of practice, its success over the last year; cases
    # here from 100 days ago cover neither for an operator practising since 2020, however many there are
    c = operators.add(store, "Dr C", 2020, today=TODAY)
    for i in range(12):
        add_case(store, f"c-{i}", 100 - i, "yes", boot=30 + i)
        store.assign_case("panel-1", f"c-{i}", operator_id=c)
    (pc,) = operators.profiles(store, TODAY)
    assert (pc.years, pc.cases, pc.annual_volume, pc.last_year_cases, pc.last_year_successes) == (
        6, 12, None, None, None)
    assert pc.coverage == "from 12 cases since 2026-07-24"
    assert pc.gaps == ("annual volume: the cases here start 2026-07-24, after the first year of practice (2020)",
                       "last year: the cases here start 2026-07-24, less than a year ago")
    (fc,) = operators.for_panel([pc])
    findings = Findings()
    assert apply_profile(findings, fc, "host") == ["op_years"]  # the others unknown: operator-CTO is a range
    from panel.scoring import evaluate_one

    r = evaluate_one("operator_cto", findings)
    assert r["total"] is None and {"op_annual_volume", "op_last_year_cases", "op_last_year_successes"} <= set(
        r["missing"]) and "op_years" not in r["missing"]


def test_a_case_is_attributed_by_its_profile_event(store):
    add_case(store, "p-1", 5, "yes", boot=1, profile={"name": "Dr Later", "annual_volume": 40})
    (row,) = list_cases(store).rows
    assert row.operator == "Dr Later" and row.operator_id is None  # the panel's name, no host operator yet
    later = operators.add(store, "Dr Later", 2010, today=TODAY)
    (row,) = list_cases(store).rows
    assert row.operator_id == later  # entered after the case: the case is now his
    add_case(store, "p-2", 6, "no", boot=2, profile={"operator_id": str(later), "name": "renamed on panel"})
    p = next(x for x in operators.profiles(store, TODAY) if x.operator_id == later)
    assert p.cases == 2 and p.coverage == "from 2 cases since 2026-10-26"
    assert p.last_year_cases is None and p.last_year_unknown == 0  # six days of records: the last year is not here


def test_bad_operators_are_refused(store):
    with pytest.raises(StoreError, match="needs a name"):
        operators.add(store, "  ")
    with pytest.raises(StoreError, match="1960 to 2026"):
        operators.add(store, "Dr Future", 2031, today=TODAY)
    assert store.operators() == []
