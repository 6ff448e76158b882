"""Heap measurement of the firmware on the MicroPython unix port: the smallest heap a scenario survives.

`-X heapsize=NwK` gives N KB as a 32-bit board counts it (the w scales by the
word size). Heap use is deterministic for one build, so bisection on N finds the
smallest heap that passes; see shared/design/MICROPYTHON.md, "Heap as a board would see it".
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bedside.paths import REPO_ROOT, tool
from bedside.tools import mpy

BUDGET_KB = 128  # shared/design/ARCHITECTURE.md, Budgets: firmware heap
SCENARIO = REPO_ROOT / "tests" / "scenarios" / "full_case.py"


def build_scenario(out_dir: Path) -> Path:
    """Compile the firmware, the protocol and the full-case scenario to .mpy in out_dir."""
    errors = mpy.build(out_dir)
    err = mpy.compile_one(SCENARIO, out_dir / "full_case.mpy")
    if errors or err:
        raise RuntimeError("mpy-cross failed: " + "; ".join(errors + ([err] if err else [])))
    return out_dir


def run_scenario(mpy_dir: Path, heap_kb: int, module: str = "full_case") -> tuple[bool, str]:
    """Run `import module` from mpy_dir with a heap of heap_kb; (passed, output)."""
    res = subprocess.run(
        [str(tool("micropython")), "-X", f"heapsize={heap_kb}wK", "-c", f"import {module}"],
        env=dict(os.environ, MICROPYPATH=str(mpy_dir)), capture_output=True, text=True, timeout=120,
    )
    out = res.stdout + res.stderr
    return res.returncode == 0 and "OK " in res.stdout, out


def smallest(passes, lo: int = 8, hi: int = 512) -> int | None:
    """Smallest n in (lo, hi] with passes(n), by bisection; None if passes(hi) is False."""
    if not passes(hi):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if passes(mid):
            hi = mid
        else:
            lo = mid
    return hi
