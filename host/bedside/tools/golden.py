"""The command line every golden-file generator shares: write the files, or --check them, or --out DIR.

Used by protocol/gen_vectors.py (wire vectors) and tests/journal_vectors/gen.py (journal
vectors): each supplies build() -> {file name: bytes}; this writes them or reports
which are stale (exit 1) so that a test can prove the committed files are fresh.
"""

from __future__ import annotations

import os
import sys
from typing import Callable


def cli(argv, build: Callable[[], dict], files: tuple, default_dir: str, prog: str,
        explain: Callable[[str, bytes | None, bytes], list] | None = None) -> int:
    """Run the generator's command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in argv
    if check:
        argv.remove("--check")
    out_dir = default_dir
    if argv[:1] == ["--out"] and len(argv) == 2:
        out_dir = argv[1]
    elif argv:
        print(f"usage: {prog} [--check] [--out DIR]", file=sys.stderr)
        return 2
    fresh = build()
    if check:
        problems = []
        for fname in files:
            path = os.path.join(out_dir, fname)
            old = open(path, "rb").read() if os.path.exists(path) else None
            if old != fresh[fname]:
                problems += explain(fname, old, fresh[fname]) if explain else [f"{fname} differs"]
        if problems:
            print(f"vectors are stale; regenerate with: .venv/bin/python {prog}")
            for p in problems:
                print("  " + p)
            return 1
        print("vectors up to date: " + ", ".join(files))
        return 0
    os.makedirs(out_dir, exist_ok=True)
    for fname in files:
        with open(os.path.join(out_dir, fname), "wb") as f:
            f.write(fresh[fname])
        lines = fresh[fname].count(b"\n")
        print(f"wrote {os.path.join(out_dir, fname)} ({lines} vectors)")
    return 0
