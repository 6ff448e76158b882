"""make soak: the host against a hostile panel, long form: thousands of drawn panels, the seed printed for replay.

The same check as tests/test_hostile_panel.py (tests/hostile.py: sync, cases, case, report,
export in every format; no traceback, meaningful exit status, the known-good case intact),
with a random seed unless one is given. A failure prints Hypothesis' smallest example and
the seed; `--seed S` replays the same run.
Run: .venv/bin/python tests/soak/hostile_panel.py [--examples N] [--seed S]
"""

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from hostile import DEVICE, GOOD_CASE, HostileBench, plans  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    chosen = random.SystemRandom().randrange(2**32) if args.seed is None else args.seed
    print(f"hostile panel soak: seed {chosen}, {args.examples} examples "
          f"(replay: .venv/bin/python tests/soak/hostile_panel.py --examples {args.examples} --seed {chosen})",
          flush=True)
    outcomes: Counter = Counter()
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bedside-hostile-") as tmp:
        bench = HostileBench(Path(tmp) / "base")
        runs = iter(range(10**9))

        @seed(chosen)
        @settings(max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(plans(DEVICE, GOOD_CASE, bench.events))
        def check(plan):
            said = bench.run(plan, Path(tmp) / f"run-{next(runs)}")
            outcomes["sync exit 1" if bench.last_sync.exit_code else "sync exit 0"] += 1
            outcomes["with warnings"] += any(ln.startswith("warning:") for ln in said)

        try:
            check()
        except Exception:
            print(f"hostile panel soak FAILED (seed {chosen}); the smallest failing panel is above", flush=True)
            raise
    n = outcomes["sync exit 0"] + outcomes["sync exit 1"]
    print(f"hostile panel soak: {n} panels in {time.monotonic() - t0:.0f} s, no traceback, the known-good case "
          f"intact every time; sync exit 0: {outcomes['sync exit 0']}, exit 1: {outcomes['sync exit 1']}, "
          f"with warnings: {outcomes['with warnings']} (seed {chosen})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
