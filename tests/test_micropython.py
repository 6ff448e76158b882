"""Runs every portable test module and every MicroPython-only module under the real unix port.

Each module's test functions are listed from its source (ast); the run must report
every one of them as passed, so a test that MicroPython silently skipped fails here.
Run alone: .venv/bin/pytest tests/test_micropython.py
"""

import ast

import pytest

from conftest import ROOT, run_micropython

MODULES = sorted(
    p for d in ("portable", "mponly") for p in (ROOT / "tests" / d).glob("test_*.py")
)


def _test_names(path):
    tree = ast.parse(path.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


@pytest.mark.micropython
@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_module_passes_on_micropython(path):
    res = run_micropython(["tests/mprun.py", path.stem], timeout=120)
    out = res.stdout + res.stderr
    passed = {ln.split()[1] for ln in res.stdout.splitlines() if ln.startswith("PASS ")}
    assert res.returncode == 0, out
    expected = _test_names(path)
    assert expected, f"{path} has no tests"
    assert passed == expected, f"not run or not passed on MicroPython: {expected - passed}\n{out}"
