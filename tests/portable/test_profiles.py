# tests/portable/test_profiles.py — operator profiles on the panel's flash (for operator-CTO).
#
# Covers panel/profiles.py on CPython and MicroPython: a pushed profile is kept
# (only the fields known), replaced by a newer push, survives a restart, is refused
# beyond MAX_PROFILES for a new operator, and a damaged file loads as no profiles; what the
# host's records cover (the `coverage` words) is kept and reaches the case that picks the profile.
# Run alone: .venv/bin/pytest tests/portable/test_profiles.py

from panel.profiles import MAX_PROFILES, Profiles
from ptest import fresh_dir, raises


def test_profiles_are_kept_replaced_and_survive_a_restart():
    path = fresh_dir("profiles") + "/profiles"
    p = Profiles(path)
    p.store("op-7", {"operator_id": "op-7", "name": "Dr A", "annual_volume": 80, "years": None})
    assert p.get("op-7") == {"name": "Dr A", "annual_volume": 80}
    p.store("op-7", {"name": "Dr A", "annual_volume": 85, "years": 6})
    p.store("op-2", {"name": "Dr B"})
    again = Profiles(path)
    assert again.get("op-7") == {"name": "Dr A", "annual_volume": 85, "years": 6}
    assert again.operators() == [("op-7", "Dr A"), ("op-2", "Dr B")]
    assert again.get("op-9") is None


def test_a_new_operator_beyond_the_limit_is_refused_and_nothing_changes():
    path = fresh_dir("profiles") + "/profiles"
    p = Profiles(path)
    for i in range(MAX_PROFILES):
        p.store("op-%d" % i, {"name": "n%d" % i})
    raises(ValueError, p.store, "op-new", {"name": "new"})
    p.store("op-0", {"name": "renamed"})  # an existing one may still be updated
    assert len(Profiles(path).items) == MAX_PROFILES and Profiles(path).get("op-0") == {"name": "renamed"}


def test_a_damaged_file_loads_as_no_profiles():
    path = fresh_dir("profiles") + "/profiles"
    with open(path, "wb") as f:
        f.write(b"not a profile file")
    assert Profiles(path).items == {}


def test_what_the_records_cover_is_kept_and_reaches_the_case():
    # issue 12 §4: operator facts from the workstation's records say what those records cover
    from panel.case import Case

    path = fresh_dir("profiles") + "/profiles"
    p = Profiles(path)
    p.store("op-7", {"name": "Dr A", "years": 6, "coverage": "from 12 cases since 2026-07-24"})
    kept = Profiles(path).get("op-7")
    assert kept == {"name": "Dr A", "years": 6, "coverage": "from 12 cases since 2026-07-24"}
    case = Case.open("c1", 1000)
    case.record("profile", 2000, {"p": kept, "src": "host"})
    st = case.state
    assert st.operator_coverage == "from 12 cases since 2026-07-24"
    assert st.findings.get("op_years") == 6 and st.findings.get("op_annual_volume") is None
