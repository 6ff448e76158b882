"""bedside.operators: operator profiles computed from the synced cases, and the form the panel takes.

Covers, on SQLite and PostgreSQL: attribution of a case to an operator (assigned on the host,
or named by the case's profile event by id or by a unique name, also when the operator is
entered after the case arrived); years, annual volume and last-year success computed by
hand below from cases dated with time anchors; unknown outcomes counted apart, not as
failures; an operator with no cases has unknown values, not zeros; the push format matches
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
    a = operators.add(store, "Dr A", 2020, today=TODAY)
    b = operators.add(store, "Dr B", today=TODAY)
    # Dr A: five cases 10 (yes), 100 (no), 200 (unknown), 400 (yes), 800 (yes) days ago
    for i, (days, tech) in enumerate(((10, "yes"), (100, "no"), (200, None), (400, "yes"), (800, "yes"))):
        add_case(store, f"a-{i}", days, tech, boot=10 + i)
        store.assign_case("panel-1", f"a-{i}", operator_id=a)
    got = {p.name: p for p in operators.profiles(store, TODAY)}
    pa = got["Dr A"]
    # years: 2026 - 2020 = 6; span: 800 days -> ceil(800 / 365.25) = 3 years (<= 6); 5 cases / 3 = 1.67 -> 2
    # last 365 days: 10, 100, 200 days ago; outcome known for 2 (yes, no): 2 cases, 1 success, 1 unknown
    assert (pa.years, pa.cases, pa.annual_volume) == (6, 5, 2)
    assert (pa.last_year_cases, pa.last_year_successes, pa.last_year_unknown) == (2, 1, 1)
    assert pa.last_year_success_pct == 50.0
    pb = got["Dr B"]  # no start year, no cases: unknown, not zero
    assert (pb.years, pb.cases, pb.annual_volume, pb.last_year_cases, pb.last_year_success_pct) == (
        None, 0, None, None, None)
    (fa, fb) = sorted(operators.for_panel(list(got.values())), key=lambda p: p["name"])
    assert fa == {"operator_id": str(a), "name": "Dr A", "annual_volume": 2, "years": 6, "last_year_cases": 2,
                  "last_year_successes": 1}
    assert fb["operator_id"] == str(b) and fb["annual_volume"] is None
    # what the panel does with a pushed profile: operator-CTO's findings take it
    findings = Findings()
    assert apply_profile(findings, fa, "host") == ["op_annual_volume", "op_last_year_cases",
                                                   "op_last_year_successes", "op_years"]


def test_a_case_is_attributed_by_its_profile_event(store):
    add_case(store, "p-1", 5, "yes", boot=1, profile={"name": "Dr Later", "annual_volume": 40})
    (row,) = list_cases(store).rows
    assert row.operator == "Dr Later" and row.operator_id is None  # the panel's name, no host operator yet
    later = operators.add(store, "Dr Later", 2010, today=TODAY)
    (row,) = list_cases(store).rows
    assert row.operator_id == later  # entered after the case: the case is now his
    add_case(store, "p-2", 6, "no", boot=2, profile={"operator_id": str(later), "name": "renamed on panel"})
    p = next(x for x in operators.profiles(store, TODAY) if x.operator_id == later)
    assert p.cases == 2 and p.last_year_cases == 2 and p.last_year_successes == 1


def test_bad_operators_are_refused(store):
    with pytest.raises(StoreError, match="needs a name"):
        operators.add(store, "  ")
    with pytest.raises(StoreError, match="1960 to 2026"):
        operators.add(store, "Dr Future", 2031, today=TODAY)
    assert store.operators() == []
