"""make bench, exports: peak memory and cases per second of `bedside export` in every format, 1,000 and 10,000 cases.

Each export runs as the installed console script in a child process; its peak resident set
(ru_maxrss of that child alone, from os.wait4) is the figure the budget is about: <= 200 MB
at 10,000 cases for every format, flat as cases grow (shared/design/ARCHITECTURE.md). The
sample databases (bedside.samples, deterministic) are built once and kept under
build/bench-export/, named by a hash of the code that makes them; delete the folder to
rebuild. Run alone: .venv/bin/python tests/bench_export.py [N ...]
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "bench-export"
BEDSIDE = str(Path(sys.executable).parent / "bedside")
BUDGET_MB = 200
SIZES = (1_000, 10_000)
FORMATS = ("csv", "json", "fhir")


def _key() -> str:
    """A hash of what makes the sample databases: the samples, the case summaries, the schema."""
    h = hashlib.sha256()
    host = ROOT / "host" / "bedside"
    for path in [host / "samples.py", host / "store" / "summaries.py", host / "store" / "models.py",
                 *sorted((host / "store" / "migrations" / "versions").glob("*.py"))]:
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def sample_db(n: int) -> Path:
    """A SQLite file of n sample cases, from the cache or built now (about 4 ms a case)."""
    from bedside.samples import fill
    from bedside.store import Store

    path = CACHE / f"samples-{n}-{_key()}.db"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"samples-{n}-*.db*"):
        old.unlink()
    tmp = path.with_suffix(".tmp")
    t0 = time.perf_counter()
    with Store(f"sqlite:///{tmp}") as store:
        fill(store, n)
    os.replace(tmp, path)
    print(f"  (built {n:,} sample cases for the export figures in {time.perf_counter() - t0:.0f} s: {path})")
    return path


def run_export(db: Path, fmt: str, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of `bedside export` of `db` as `fmt`, in a child process of its own."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([BEDSIDE, "export", "--format", fmt, "--out", str(out), "--db", f"sqlite:///{db}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode:
        raise RuntimeError(f"bedside export --format {fmt} failed ({proc.returncode}): {err}")
    return seconds, usage.ru_maxrss / 1024


def export_figures(sizes=SIZES) -> None:
    from bedside.store import Store

    for n in sizes:
        db = sample_db(n)
        Store(f"sqlite:///{db}").close()  # migrated and checked once, outside the timings
        with tempfile.TemporaryDirectory() as tmp:
            for fmt in FORMATS:
                seconds, mb = run_export(db, fmt, Path(tmp) / f"export.{fmt}")
                print(f"export {fmt}, {n:,} cases: peak RSS {mb:.0f} MB (budget <= {BUDGET_MB} MB), "
                      f"{n / seconds:,.0f} cases/s ({seconds:.1f} s)")


if __name__ == "__main__":
    export_figures([int(a) for a in sys.argv[1:]] or SIZES)
