"""The skip policy for services only CI provides (a PostgreSQL server, say): skip locally, fail in CI.

.ci/run exports BEDSIDE_CI=1; conftest.need_ci_service then turns the skip into a failure,
so CI can never pass by skipping what it was meant to test.
Run alone: .venv/bin/pytest tests/test_ci_policy.py
"""

import pytest

from conftest import ROOT, need_ci_service


def test_skips_with_its_reason_outside_ci(monkeypatch):
    monkeypatch.delenv("BEDSIDE_CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL"):
        need_ci_service("no PostgreSQL server here")


def test_fails_in_ci(monkeypatch):
    monkeypatch.setenv("BEDSIDE_CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI must provide this: no PostgreSQL"):
        need_ci_service("no PostgreSQL server here")


def test_ci_script_sets_the_variable_and_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert "export BEDSIDE_CI=1" in script and "make test" in script


def test_make_test_fast_leaves_out_what_starts_a_process_and_keeps_the_portable_tests():
    from conftest import _is_heavy

    tests = ROOT / "tests"
    for heavy in ("test_micropython.py", "test_sync_e2e.py", "test_heap.py", "app/test_app_e2e.py", "test_cli.py"):
        assert _is_heavy(str(tests / heavy)), heavy
    for fast in ("portable/test_journal.py", "portable/test_checklist_paths.py", "test_casefile.py",
                 "test_scores_reference.py"):
        assert not _is_heavy(str(tests / fast)), fast  # "micropython" in a comment or docstring is not a process
    make = (ROOT / "Makefile").read_text()
    assert '-m "not heavy"' in make and "make test-fast" in make
    assert "not heavy" not in make.split("\ntest: ")[1].split("\n\n")[0]  # make test (CI) runs everything
