"""make bench, aged flash: free heap after boot with each worst-case image, the heap the worst one needs,
and the largest open case that still boots (ARCHITECTURE.md, Budgets: boot with the worst flash contents).

Images come from bedside.tools.aging (built by the firmware's own code, cached under build/aging).
Heap figures: `-X heapsize=NwK` is N KB as a 32-bit board counts it; free bytes are as this 64-bit
port counts them (objects take about twice a board's bytes, byte buffers the same: see
shared/design/MICROPYTHON.md), so they are given next to the heap size they were read at.
Run alone: .venv/bin/python tests/bench_aging.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bedside.link import LinkError
from bedside.sim import BUDGET_HEAP, PanelDied
from bedside.tools import aging, heap

LARGEST_TRIED = (2000, 4000, 8000, 16000)  # events of an open case, half of them notes


def aging_figures() -> None:
    images = aging.build()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for kind, image in images.items():
            result, summary, seconds = aging.boot(image.path, tmp / kind, sync_db=f"sqlite:///{tmp / kind}.db")
            state = "SAFE MODE" if result.safe else "normal start"
            synced = summary.new if summary else 0
            print(f"aged flash, {kind} ({image.cases} cases, {image.events:,} events, {image.anchors} anchors): "
                  f"{state} at {BUDGET_HEAP}, {result.heap_free:,} bytes of heap free after boot (64-bit port), "
                  f"{synced:,} events synced in {seconds:.1f} s")
        worst = images["open_case"]

        def boots(kb: int) -> bool:
            try:
                result, summary, _s = aging.boot(worst.path, tmp / f"heap{kb}", heap=f"{kb}wK",
                                                 sync_db=f"sqlite:///{tmp}/heap{kb}.db")
            except (PanelDied, LinkError):
                return False
            return not result.safe and summary is not None and summary.new == worst.events

        kb = heap.smallest(boots, 32, 256)
        print(f"aged flash, smallest heap that boots the 2,000-event open case and syncs it: {kb} KB as a 32-bit "
              f"board counts it (budget {heap.BUDGET_KB} KB)")
        largest = None
        for n in LARGEST_TRIED:
            built = aging.build({"open_case": [str(n), str(n // 2)]})["open_case"]
            result, _summary, _s = aging.boot(built.path, tmp / f"large{n}")
            if result.safe:
                break
            largest = (n, result.heap_free)
        if largest is None:
            print("aged flash, largest open case that boots at the budget: none of those tried")
        else:
            print(f"aged flash, largest open case that boots at {BUDGET_HEAP}: {largest[0]:,} events tried, booted "
                  f"with {largest[1]:,} bytes free (tried up to {LARGEST_TRIED[-1]:,}; RAM does not grow with events)")


if __name__ == "__main__":
    aging_figures()
    sys.exit(0)
