"""`bedside screens`: the real panel UI driven by touch through a scripted walkthrough, one PNG per screen.

The walkthrough runs the firmware on the MicroPython unix port (firmware/boards/walk.py) with a clock that moves
only when told and fixed bytes for case ids and pairing codes, so the same steps give the same pixels: the golden
images of tests/test_panel_ui.py are the PNGs this writes. Each tap presses the centre of a widget found by its
label, at display coordinates, through the board's touch and the panel's main loop.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from bedside.paths import REPO_ROOT, tool

W, H = 480, 320
MIN = 60_000

# A case from the first tap to the closed case, visiting every screen.
WALKTHROUGH: list = [
    ["snap", "home"],
    ["tap", "New case"], ["expect", "setup"], ["tap", "RCA"], ["snap", "setup"],
    ["tap", "Findings"], ["expect", "findings"], ["snap", "findings"],
    ["tap", "Patient"], ["snap", "findings-group"], ["tap", "Age"], ["expect", "finding"], ["tap", "?"], ["expect", "numpad"],
    ["tap", "6"], ["tap", "8"], ["snap", "numpad"], ["tap", "OK"], ["snap", "finding-number"], ["tap", "Done"],
    ["tap", "Back"], ["tap", "Lesion"], ["tap", "Calcification"], ["tap", "moderate"], ["tap", "Read on angio"],
    ["snap", "finding-choice"], ["tap", "Done"],
    ["tap", "Back"], ["tap", "Prox. cap"], ["tap", "Blunt stump"], ["tap", "Yes"], ["snap", "finding-yes-no"], ["tap", "Done"],
    ["tap", "Scores"], ["expect", "scores"], ["snap", "scores"],
    ["tap", "J-CTO"], ["expect", "basis"], ["snap", "basis-jcto"], ["tap", "▼"], ["snap", "basis-jcto-2"],
    ["tap", "Back to scores"], ["tap", "Back"], ["expect", "findings"], ["tap", "Back"], ["expect", "case"],
    ["snap", "case"],
    ["tap", "Start a technique"], ["expect", "techniques"], ["snap", "techniques"],
    ["tap", "Wires hand-in-hand"], ["expect", "technique"], ["snap", "technique-whih"], ["tap", "Start"],
    ["expect", "runner"], ["snap", "runner-first-item"], ["pairing_request"], ["expect", "runner"],
    ["tap", "Wire used"], ["expect", "picker"], ["snap", "picker-wire"], ["tap", "Gaia"],
    ["tap", "Collateral channel"], ["tap", "Septal"], ["snap", "runner-measured"], ["tap", "Done"],
    ["wait", 3 * MIN], ["snap", "runner-decision"], ["tap", "Not crossed"],
    ["tap", "Tip-in achieved"],
    ["tap", "Undo"], ["expect", "dialog"], ["snap", "undo-confirm"], ["tap", "Undo"],
    ["expect", "runner"], ["tap", "Tip-in achieved"], ["tap", "Not crossed"],
    ["tap", "Full text"], ["expect", "fulltext"], ["snap", "runner-full-text"], ["tap", "Back"], ["expect", "runner"],
    ["tap", "Gap between MC tips"], ["expect", "numpad"], ["tap", "4"], ["tap", "."], ["tap", "5"], ["tap", "OK"], ["tap", "Done"],
    ["tap", "Skip…"], ["expect", "picker"], ["snap", "skip-reasons"], ["tap", "Done differently"],
    ["tap", "Defer"], ["snap", "runner-deferred"],
    ["tap", "Crossed: device success"], ["tap", "IVUS: intraplaque"], ["tap", "Done"],
    ["tap", "Technical success"], ["expect", "runner"], ["snap", "runner-ended-deferred"],
    ["tap", "Done"], ["snap", "runner-ended"],
    ["tap", "More…"], ["snap", "more"], ["tap", "Case records"], ["snap", "case-records"],
    ["tap", "Guide configuration"], ["tap", "Bilateral"],
    ["tap", "More…"], ["tap", "Timers and tallies"], ["expect", "timers"],
    ["tap", "Contrast"], ["tap", "2"], ["tap", "4"], ["tap", "0"], ["tap", "OK"], ["snap", "timers"],
    ["tap", "Back"], ["tap", "Back to the case"], ["expect", "case"],
    ["tap", "Start a technique"], ["tap", "General coronary CTO"], ["tap", "Start"], ["expect", "runner"],
    ["tap", "Done"], ["tap", "Done"], ["tap", "Antegrade"], ["wait", 31 * MIN], ["snap", "runner-wire-alert"],
    ["tap", "More…"], ["tap", "Exit gate"], ["expect", "dialog"], ["snap", "exit-gate"], ["tap", "Abandon…"],
    ["tap", "No progress"], ["tap", "Back to the case"],
    ["tap", "End of case"], ["expect", "end"], ["tap", "Yes"], ["snap", "end-of-case"],
    ["break_flash"], ["tap", "No"], ["expect", "fault"], ["snap", "fault"], ["tap", "Understood"],
    ["tap", "Close case"], ["expect", "dialog"], ["snap", "close-confirm"], ["tap", "Close case"],
    ["expect", "home"], ["snap", "home-after-case"],
    ["tap", "Cases on this panel"], ["expect", "cases"], ["snap", "cases"], ["tap", "Back"],
    ["tap", "Sync status"], ["snap", "sync-status"], ["tap", "Back"],
    ["tap", "Pair a host"], ["expect", "pairing"], ["snap", "pairing-idle"],
    ["pairing_request"], ["expect", "pairing"], ["snap", "pairing-code"], ["tap", "Back"], ["expect", "home"],
    ["pairing_request"], ["expect", "home"],
    ["safe_mode", "MemoryError: memory allocation failed, allocating 3840 bytes"], ["expect", "safe"],
    ["snap", "safe-mode"], ["tap", "Pair a host"], ["expect", "pairing"], ["pairing_request"], ["expect", "pairing"],
]


def build_ui_scenario(mpy_dir: Path) -> Path:
    """The firmware as .mpy (bedside.tools.heap.build_scenario) plus the simulator board and the walkthrough driver."""
    from bedside.tools import heap, mpy

    heap.build_scenario(mpy_dir)
    for name in ("sim", "walk"):
        err = mpy.compile_one(REPO_ROOT / "firmware" / "boards" / f"{name}.py", mpy_dir / "boards" / f"{name}.mpy")
        if err:
            raise RuntimeError(err)
    return mpy_dir


def _walk(work: Path, steps: list, heap: str, micropypath: str, prelude: str = "") -> subprocess.CompletedProcess:
    """Run firmware/boards/walk.py's main on `steps` in `work` (cleared first): its pictures and walk.jsonl land there.

    prelude: MicroPython source run first (bedside.tools.romfs.MOUNT: import the firmware from a ROMFS image).
    """
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("*"):
        old.unlink()
    (work / "steps.jsonl").write_text("".join(json.dumps(s) + "\n" for s in steps))
    code = prelude + f"from boards.walk import main\nmain([{str(work / 'steps.jsonl')!r}, {str(work)!r}])\n"
    return subprocess.run([str(tool("micropython")), "-X", f"heapsize={heap}", "-c", code],
                          env=dict(os.environ, MICROPYPATH=micropypath), capture_output=True, text=True, timeout=300)


def ui_scenario_fits(mpy_dir: Path, heap_kb: int, work: Path, romfs: Path | None = None) -> bool:
    """The whole walkthrough, as .mpy from mpy_dir (as a board loads it), within a heap of heap_kb KB.

    romfs: a ROMFS image of mpy_dir (bedside.tools.romfs) to import from instead, running in place as frozen
    firmware runs from a board's flash; the image itself then occupies its size of the heap (see that module).
    """
    from bedside.tools.romfs import MOUNT

    if romfs is None:
        done = _walk(work, WALKTHROUGH, f"{heap_kb}wK", str(mpy_dir))
    else:
        done = _walk(work, WALKTHROUGH, f"{heap_kb}wK", "", MOUNT.format(image=str(romfs)))
    return done.returncode == 0 and (work / "walk.jsonl").exists() and '"closed": true' in (work / "walk.jsonl").read_text()


def _read_log(path: Path) -> list[dict]:
    """The walk log, each case line carrying its events (the firmware writes them a line each)."""
    log: list[dict] = []
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        if "event" in entry:
            log[-1]["events"].append(entry["event"])
        else:
            if "case" in entry:
                entry["events"] = []
            log.append(entry)
    return log


def stale_pixels(shot: bytes, full: bytes) -> list:
    """Where the screen the taps left differs from the same screen painted whole: [count, (x, y, w, h)] or []."""
    a = memoryview(shot).cast("H")
    b = memoryview(full).cast("H")
    where = [i for i in range(len(a)) if a[i] != b[i]] if shot != full else []
    if not where:
        return []
    xs = [i % W for i in where]
    ys = [i // W for i in where]
    return [len(where), (min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)]


def rgb565_to_png(data: bytes, path: Path) -> None:
    """The display memory (RGB565, little-endian, row by row) as a PNG."""
    Image.frombuffer("RGB", (W, H), data, "raw", "BGR;16", 0, 1).save(path, optimize=True)


def walk_log(steps: list, heap: str, micropypath: str, prelude: str = "") -> list[dict]:
    """Run `steps` on the firmware (no pictures kept); the walk log, or RuntimeError with the firmware's output.

    micropypath/prelude as for _walk: the firmware from source or .mpy on MICROPYPATH, or from a ROMFS image
    mounted by the prelude (bedside.tools.romfs.MOUNT), as a board runs it.
    """
    with tempfile.TemporaryDirectory(prefix="bedside-walk-") as tmp:
        done = _walk(Path(tmp), steps, heap, micropypath, prelude)
        if done.returncode != 0:
            raise RuntimeError(f"walk failed: {done.stdout}{done.stderr}".strip())
        return _read_log(Path(tmp) / "walk.jsonl")


def run_walkthrough(out: Path, steps: list | None = None, heap: str = "1024wK") -> list[dict]:
    """Run `steps` on the firmware; write OUT/NN-name.png per snap; return the walk log (taps and snaps).

    Each snap's entry gets "stale": where what the taps left on the screen differs from a full repaint.
    """
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bedside-walk-") as tmp:
        work = Path(tmp)
        done = _walk(work, steps if steps is not None else WALKTHROUGH, heap,
                     f"{REPO_ROOT / 'firmware'}:{REPO_ROOT / 'protocol'}")
        if done.returncode != 0:
            raise RuntimeError(f"walkthrough failed: {done.stdout}{done.stderr}".strip())
        log = _read_log(work / "walk.jsonl")
        for entry in log:
            if "snap" in entry:
                shot = (work / f"{entry['snap']}.rgb565").read_bytes()
                entry["stale"] = stale_pixels(shot, (work / f"{entry['snap']}.full.rgb565").read_bytes())
                rgb565_to_png(shot, out / f"{entry['snap']}.png")
        shutil.copy(work / "walk.jsonl", out / "walk.jsonl")
    return log
