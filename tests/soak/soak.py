"""`make soak`: the long, seeded, replayable runs that `make test` keeps short.

Each soak prints its seed first (a failure replays with that seed) and a FIGURES line at the end.
  SOAK_SEED=N     replay with this seed (default: a fresh one per soak, printed)
  SOAK_SCALE=N    multiply every soak's length (default 1)
Run: .venv/bin/python tests/soak/soak.py [NAME ...]   (names: see SOAKS; default all)
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MICROPYTHON = Path(sys.executable).parent / "micropython"


def aging_powercuts(seed: int, scale: int) -> tuple[list[str], dict]:
    """Hundreds of boots of the real panel on littlefs, the power cut at random moments (tests/soak/aging_powercuts.py)."""
    path = ":".join(str(ROOT / p) for p in ("tests/soak", "tests/aging", "firmware", "protocol"))
    return [str(MICROPYTHON), "-X", "heapsize=8wM", str(ROOT / "tests/soak/aging_powercuts.py"), str(300 * scale),
            str(seed)], {"MICROPYPATH": path}


def hostile_panel(seed: int, scale: int) -> tuple[list[str], dict]:
    """The host against 1,000 panels whose every field is drawn from the catalogue's types (tests/soak/hostile_panel.py)."""
    return [sys.executable, str(ROOT / "tests/soak/hostile_panel.py"), "--examples", str(1000 * scale),
            "--seed", str(seed)], {}


def monkey(seed: int, scale: int) -> tuple[list[str], dict]:
    """10,000 random taps through the whole panel at the board's 128 KB heap (tests/soak/monkey.py)."""
    return [sys.executable, str(ROOT / "tests/soak/monkey_run.py"), "--taps", str(10000 * scale), "--seed",
            str(seed)], {}


SOAKS = {"aging_powercuts": aging_powercuts, "hostile_panel": hostile_panel, "monkey": monkey}


def main(argv: list[str]) -> int:
    names = argv or list(SOAKS)
    scale = int(os.environ.get("SOAK_SCALE", "1"))
    failed = []
    for name in names:
        if name not in SOAKS:
            print(f"no soak named {name!r}: choose from {', '.join(SOAKS)}", file=sys.stderr)
            return 2
        seed = int(os.environ.get("SOAK_SEED") or random.randrange(1, 2**31))
        cmd, env = SOAKS[name](seed, scale)
        print(f"== soak {name}, seed {seed} (replay: SOAK_SEED={seed} make soak SOAKS={name})", flush=True)
        t0 = time.monotonic()
        res = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, **env))
        print(f"== soak {name}: {'passed' if res.returncode == 0 else 'FAILED'} in {time.monotonic() - t0:.0f} s",
              flush=True)
        if res.returncode != 0:
            failed.append(f"{name} (seed {seed})")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
