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
