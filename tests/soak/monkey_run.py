"""Run the seeded monkey (tests/soak/monkey.py) on the real MicroPython unix port at the board's heap.

The firmware, the simulator board and the monkey are compiled to .mpy and run in place from a ROMFS image, as frozen
firmware runs from a board's flash (bedside.tools.romfs; the same build as tests/test_heap.py's UI walkthrough): the
heap is the board's budget (128 KB as `-X heapsize=NwK` counts it) plus the image, which occupies its own size.
  python tests/soak/monkey_run.py --taps 10000 --seed N [--heap-kb 128]
make soak runs it (tests/soak/soak.py: monkey, 10,000 taps x SOAK_SCALE, SOAK_SEED replays); make test runs a short
form (tests/test_monkey.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MONKEY = ROOT / "tests" / "soak" / "monkey.py"


def build(out: Path) -> tuple[Path, int]:
    """The image of the firmware + boards + monkey as .mpy in out; (image path, its size in heap-size units)."""
    from bedside.screens import build_ui_scenario
    from bedside.tools import mpy, romfs

    d = build_ui_scenario(out / "mpy")
    err = mpy.compile_one(MONKEY, d / "monkey.mpy")
    if err:
        raise RuntimeError(err)
    image = out / "firmware.romfs"
    image.write_bytes(romfs.build_image(d))
    return image, -(-image.stat().st_size // 2048)  # as tests/test_heap.py counts it: KB as 128wK counts them


def run(image: Path, image_kb: int, seed: int, taps: int, work: Path, heap_kb: int = 128,
        timeout: float | None = None) -> subprocess.CompletedProcess:
    """The monkey for `taps` taps from `seed` with a heap of heap_kb (the board's) plus the image; flash in work."""
    from bedside.paths import tool
    from bedside.tools.romfs import MOUNT

    work.mkdir(parents=True, exist_ok=True)
    (work / "flash.img").unlink(missing_ok=True)
    code = MOUNT.format(image=str(image)) + f"from monkey import main\nmain([{seed}, {taps}, {str(work)!r}])\n"
    return subprocess.run([str(tool("micropython")), "-X", f"heapsize={heap_kb + image_kb}wK", "-c", code],
                          env=dict(os.environ, MICROPYPATH=""), capture_output=True, text=True, timeout=timeout)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--taps", type=int, default=10000)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--heap-kb", type=int, default=128)
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bedside-monkey-") as tmp:
        image, image_kb = build(Path(tmp))
        res = run(image, image_kb, a.seed, a.taps, Path(tmp) / "work", a.heap_kb)
    sys.stdout.write(res.stdout)
    sys.stderr.write(res.stderr)
    ok = res.returncode == 0 and "MONKEY OK " in res.stdout
    if ok:
        print("FIGURES " + res.stdout.split("MONKEY OK ", 1)[1].strip(), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
