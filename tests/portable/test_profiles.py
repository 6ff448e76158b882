# tests/portable/test_profiles.py — operator profiles on the panel's flash (for operator-CTO).
#
# Covers panel/profiles.py on CPython and MicroPython: a pushed profile is kept
# (only the fields known), replaced by a newer push, survives a restart, is refused
# beyond MAX_PROFILES for a new operator, and a damaged file loads as no profiles.
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
