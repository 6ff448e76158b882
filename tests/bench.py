"""make bench: measures what shared/design/ARCHITECTURE.md budgets, and prints the figures.

Figures, not pass/fail: tests assert behaviour, this reports numbers.
- clinical heap: the smallest heap in which tests/scenarios/full_case.py (findings,
  every score, a 200-event checklist, a reboot rebuilding the case) runs as .mpy;
- firmware heap: the smallest MicroPython heap (-X heapsize=NwK, N KB as a 32-bit board
  counts it) in which the simulated panel boots, shakes hands and answers a 256-byte
  ping; found by bisection, from source and from .mpy (budget: 128 KB for the whole
  scenario, which grows as features land);
- link: request/response round trips per second through pyserial and the pty, and
  wire bytes per payload byte for pings of several sizes (budget: <= 1.10 in bulk).
Run: make bench
"""

import sys
import tempfile
import time
from pathlib import Path

from bedlink import messages
from bedlink.framing import encode_frame
from bedside.link import LinkError, PanelLink
from bedside.sim import PanelDied, PanelSim
from bedside.tools import heap, mpy

HEAP_BUDGET_KB = heap.BUDGET_KB


def scenario_fits(heap_kb: int, mpy_dir=None) -> bool:
    try:
        with PanelSim(heap=f"{heap_kb}wK", mpy_dir=mpy_dir, open_serial=True) as sim:
            sim.wait_ready(5)
            with PanelLink(sim.serial, timeout=1.0, retries=0) as link:
                link.hello()
                ok = link.ping(bytes(256))["data"] == bytes(256)
            return ok and sim.alive()
    except (PanelDied, LinkError):
        return False


def smallest_heap(mpy_dir=None) -> int | None:
    """Smallest heap in KB (1 KB resolution) in which the panel boots and answers, or None."""
    return heap.smallest(lambda kb: scenario_fits(kb, mpy_dir), 4, 256)


def show_heap(label: str, kb: int | None) -> None:
    shown = f"{kb} KB" if kb else "more than the largest heap tried"
    ratio = f" ({kb / HEAP_BUDGET_KB:.2f} x the {HEAP_BUDGET_KB} KB budget)" if kb else ""
    print(f"{label}: {shown}{ratio}")


def round_trips(n=2000) -> float:
    with PanelSim(open_serial=True) as sim:
        with PanelLink(sim.serial) as link:
            link.hello()
            t0 = time.perf_counter()
            for i in range(n):
                link.ping()
            return n / (time.perf_counter() - t0)


def wire_ratio(data_len: int) -> float:
    payload = messages.encode("pong", 1, {"data": bytes(range(256))[:data_len] or b"", "rx_frames": 1, "rx_dropped": 0})
    return len(encode_frame(payload)) / len(payload)


def main() -> int:
    print("Bedside benchmarks")
    with tempfile.TemporaryDirectory() as tmp:
        mpy_dir = Path(tmp) / "mpy"
        errors = mpy.build(mpy_dir)
        if errors:
            print("mpy-cross failed:", *errors, sep="\n  ")
            return 1
        for label, where in (("from .mpy", mpy_dir), ("from source", None)):
            show_heap(f"firmware heap, boot + handshake + ping, {label}", smallest_heap(where))
        heap.build_scenario(mpy_dir)
        kb = heap.smallest(lambda n: heap.run_scenario(mpy_dir, n)[0])
        show_heap("clinical heap, full case (findings, all scores, 200-event checklist, reboot), .mpy", kb)
    rate = round_trips()
    print(f"link round trips through pyserial + pty: {rate:,.0f} per second")
    for n in (0, 16, 64, 256):
        print(f"wire bytes / payload bytes, pong with {n} data bytes: {wire_ratio(n):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
