"""Tap-to-ink: bytes on the display bus per tap and the time to ink, modelled here or measured on a board.

Usage:
  python -m bedside.tools.tapink [--only pob,bam] [--json]      the walk on the unix port, and the model's figures
  python -m bedside.tools.tapink --port /dev/ttyACM0 [--dry-run] the same walk on the reference board, measured,
                                                                   beside the model (make tapink PORT=...)

The walk (firmware/boards/tapink.py) taps, through the panel's own loop, paths that between them take every item
and every option of every checklist. On the unix port it reports for each tap the bytes the ST7796 driver put on
the bus, the flash programs and erases, and the time on this PC; the model (ASSUMPTIONS) turns that into time on
the reference board. On a board (after `make deploy`, and BOOTSEL held for half a second so the panel stops and
gives the USB port back to the REPL) the same walk runs on the real display and each tap's time is measured, so
the model can be checked, and its assumptions corrected, the day a board exists.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bedside.paths import FIRMWARE_DIR, PROTOCOL_DIR, tool

FRAME_BYTES = 480 * 320 * 2  # a full frame of RGB565
LCD_HZ = 40_000_000  # firmware/boards/pico2_pins.py LCD_BAUD: the configured SPI clock
DATASHEET_HZ = 1e9 / 66  # ST7796S, 4-line serial interface: write cycle tSCYCW >= 66 ns (15.2 MHz)
# The board's speed, as the time of boards/tapink.py reference() (20,000 turns of a loop of about eleven bytecodes)
# on the RP2350 at 150 MHz: 2.0 us a turn, about 27 cycles a bytecode for MicroPython's VM on a Cortex-M33 (an
# estimate, not a measurement: the board script measures it). Every CPU time of the unix walk is scaled by
# REF_BOARD_US / (this PC's reference()) -- bytecode and framebuf's C alike, one factor.
REF_BOARD_US = 20_000 * 2.0
# The Pico 2's QSPI flash (W25Q32-class), datasheet typical: a page program (256 bytes) 0.4 ms, a 4 KB sector
# erase 45 ms (maxima 3 ms and 400 ms). littlefs's programs are counted by the bytes they write, a page each
# 256 bytes or part; each erase the simulator's littlefs asks for is one sector erase.
PAGE_BYTES = 256
PROG_PAGE_MS = 0.4
ERASE_MS = 45.0
BUDGET_MEAN, BUDGET_WORST = 0.25, 0.60  # bytes per checklist tap, of a frame (shared/design/HUMAN-FACTORS.md)
BUDGET_P95_MS = {LCD_HZ: 50.0, DATASHEET_HZ: 100.0}
CHECKLIST_SCREENS = ("runner", "picker", "numpad")  # where a checklist's taps land (the measures' lists and pad)

ASSUMPTIONS = (
    f"CPU: this PC's times x (board reference {REF_BOARD_US / 1000:.0f} ms / this PC's), RP2350 at 150 MHz "
    "assumed at ~27 cycles a bytecode",
    f"bus: bytes x 8 / clock, the CPU waiting (blocking spi.write, no DMA): {LCD_HZ / 1e6:.0f} MHz configured, "
    f"{DATASHEET_HZ / 1e6:.1f} MHz at the ST7796S datasheet's 66 ns write cycle",
    f"flash: {PROG_PAGE_MS} ms a 256-byte page programmed, {ERASE_MS:.0f} ms a 4 KB sector erased (W25Q32-class "
    "typical), as littlefs asks of the simulator's flash",
)


@dataclass(frozen=True)
class Tap:
    label: str
    cl: str | None
    screen: str
    bytes: int
    cpu_us: float  # this machine's time for the tap, the flash's own time left out
    pages: int
    erases: int
    after: str = ""  # the screen on top after the tap ("": the same screen)

    @property
    def stays(self) -> bool:
        """An answering tap: on the runner, and the runner still on top after it (Done, an option, Defer)."""
        return self.screen == "runner" and (self.after or self.screen) == "runner"

    def board_ms(self, scale: float, hz: float) -> float:
        return (self.cpu_us * scale / 1000 + self.bytes * 8 / hz * 1000 + self.pages * PROG_PAGE_MS
                + self.erases * ERASE_MS)


@dataclass(frozen=True)
class Walk:
    taps: list[Tap]
    ref_us: float
    measured_ms: list[float]  # on a board: each tap's time as measured; else empty
    edges: dict[str, tuple[int, int]]  # checklist -> (edges, taken)
    unreachable: list[dict]

    @property
    def checklist_taps(self) -> list[Tap]:
        return [t for t in self.taps if t.cl and t.screen in CHECKLIST_SCREENS]

    @property
    def answering_taps(self) -> list[Tap]:
        """The taps the budget holds: those that answer an item and leave the runner on top (a tap that opens a
        measure's list or the pad, or comes back from one, paints a whole screen by nature: reported apart)."""
        return [t for t in self.checklist_taps if t.stays]


def parse(lines) -> Walk:
    """The walk's JSON lines (other lines, such as mpremote's, are passed over)."""
    taps, measured, edges, unreachable, ref = [], [], {}, [], None
    for raw in lines:
        raw = raw.strip()
        if not raw.startswith("{"):
            continue
        d = json.loads(raw)
        if "ref_us" in d:
            ref = float(d["ref_us"])
        elif "tap" in d:
            # each program is at least one page; the bytes of all of them, a page each 256 or part
            pages = max(int(d.get("progs", 0)), -(-int(d.get("prog_bytes", 0)) // PAGE_BYTES))
            taps.append(Tap(str(d["tap"]), d.get("cl"), d["screen"], int(d["bytes"]),
                            float(d["us"] - d.get("io_us", 0)), pages, int(d.get("erases", 0)),
                            str(d.get("after", ""))))
            measured.append(d["us"] / 1000)
        elif "edges" in d:
            edges[d["cl"]] = (int(d["edges"]), int(d["taken"]))
        elif "unreachable" in d:
            unreachable.append(d)
        elif "done" in d and int(d["done"]) != len(taps):
            raise ValueError(f"the walk reported {d['done']} taps, {len(taps)} read")
    if ref is None or not taps:
        raise ValueError("no walk in the output (no reference line or no taps)")
    return Walk(taps, ref, measured, edges, unreachable)


def walk_unix(only: str = "", workdir: Path | None = None) -> Walk:
    """Run the walk on the MicroPython unix port (its own flash file) and read it."""
    with tempfile.TemporaryDirectory(prefix="bedside-tapink-") as tmp:
        flash = Path(workdir or tmp) / "tapink-flash.img"
        env = dict(os.environ, MICROPYPATH=f"{FIRMWARE_DIR}:{PROTOCOL_DIR}")
        res = subprocess.run([str(tool("micropython")), "-X", "heapsize=4096wK", "-m", "boards.tapink_unix",
                              str(flash), only], capture_output=True, text=True, env=env, timeout=900)
        if res.returncode != 0:
            raise RuntimeError("the tap walk failed on the unix port:\n" + (res.stderr or res.stdout)[-2000:])
        return parse(res.stdout.splitlines())


def board_command(port: str, only: str = "") -> list[str]:
    """mpremote on the board's REPL: the deployed boards.tapink walks on the real display, data in /tapink."""
    arg = ", only=%r" % only.split(",") if only else ""
    return [str(tool("mpremote")), "connect", port, "exec", f"import boards.tapink as t; t.board_main({arg.lstrip(', ')})"]


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def figures(walk: Walk, scale: float | None = None) -> dict:
    """The tap budget's figures: bytes per checklist tap (of a frame) and modelled tap-to-ink at both clocks."""
    scale = REF_BOARD_US / walk.ref_us if scale is None else scale
    taps = walk.answering_taps or walk.checklist_taps
    every = walk.checklist_taps
    share = [t.bytes / FRAME_BYTES for t in taps]
    out = {"taps": len(taps), "all_taps": len(walk.taps), "scale": scale, "checklist_taps": len(every),
           "screen_taps_mean": sum(t.bytes for t in every if not t.stays) / FRAME_BYTES / max(
               1, len([t for t in every if not t.stays])),
           "all_p95_ms": percentile([t.board_ms(scale, LCD_HZ) for t in every], 0.95),
           "bytes_mean": sum(share) / len(share), "bytes_worst": max(share),
           "worst_tap": max(taps, key=lambda t: t.bytes).label,
           "erasing_taps": sum(1 for t in taps if t.erases) / len(taps)}
    for hz, name in ((LCD_HZ, "lcd"), (DATASHEET_HZ, "datasheet")):
        ms = [t.board_ms(scale, hz) for t in taps]
        out[f"{name}_p50_ms"] = percentile(ms, 0.50)
        out[f"{name}_p95_ms"] = percentile(ms, 0.95)
        out[f"{name}_max_ms"] = max(ms)
    p95 = sorted(taps, key=lambda t: t.board_ms(scale, LCD_HZ))[min(len(taps) - 1, int(0.95 * len(taps)))]
    out["p95_parts_ms"] = {"cpu": p95.cpu_us * scale / 1000, "bus": p95.bytes * 8 / LCD_HZ * 1000,
                           "flash": p95.pages * PROG_PAGE_MS + p95.erases * ERASE_MS}
    out["edges"] = walk.edges
    out["unreachable"] = sorted({(u["cl"], u["item"], u["unreachable"]) for u in walk.unreachable})
    return out


def report(walk: Walk) -> list[str]:
    """The figures as make bench prints them, the model's assumptions beside them."""
    f = figures(walk)
    covered = sum(t for _e, t in f["edges"].values())
    edges = sum(e for e, _t in f["edges"].values())
    lines = [
        f"tap budget: runner walk of {f['all_taps']} taps ({f['checklist_taps']} on a checklist's screens, "
        f"{f['taps']} of them answer an item on the runner), every item and option of {len(f['edges'])} checklists "
        f"({covered} of {edges} branches taken)",
        f"tap budget: the other {f['checklist_taps'] - f['taps']} checklist taps open or close a measure's list or "
        f"the pad: mean {f['screen_taps_mean']:.1%} of a frame each (a new screen); all {f['checklist_taps']} "
        f"checklist taps: modelled p95 {f['all_p95_ms']:.0f} ms at {LCD_HZ / 1e6:.0f} MHz",
        f"tap budget: bytes on the display bus per answering tap: mean {f['bytes_mean']:.1%} of a frame "
        f"(budget <= {BUDGET_MEAN:.0%}), worst {f['bytes_worst']:.1%} (\"{f['worst_tap']}\"; budget <= "
        f"{BUDGET_WORST:.0%})",
        f"tap budget: modelled tap-to-ink on the reference board at {LCD_HZ / 1e6:.0f} MHz: p50 {f['lcd_p50_ms']:.0f} "
        f"ms, p95 {f['lcd_p95_ms']:.0f} ms (budget <= {BUDGET_P95_MS[LCD_HZ]:.0f}), worst {f['lcd_max_ms']:.0f} ms; "
        "p95 tap = CPU {cpu:.0f} + bus {bus:.0f} + flash {flash:.0f} ms".format(**f["p95_parts_ms"]),
        f"tap budget: modelled tap-to-ink at the datasheet clock ({DATASHEET_HZ / 1e6:.1f} MHz): p50 "
        f"{f['datasheet_p50_ms']:.0f} ms, p95 {f['datasheet_p95_ms']:.0f} ms (budget <= "
        f"{BUDGET_P95_MS[DATASHEET_HZ]:.0f}), worst {f['datasheet_max_ms']:.0f} ms",
        f"tap budget: {f['erasing_taps']:.0%} of checklist taps erase a flash sector (littlefs copies a file's last "
        f"block to append)",
    ]
    for k in (0.5, 2.0):
        g = figures(walk, f["scale"] * k)
        lines.append(f"tap budget: model sensitivity, board CPU {'twice as fast' if k < 1 else 'half as fast'}: "
                     f"p95 {g['lcd_p95_ms']:.0f} ms at {LCD_HZ / 1e6:.0f} MHz")
    lines += [f"tap budget: model assumption: {a}" for a in ASSUMPTIONS]
    lines.append(f"tap budget: this PC's reference {walk.ref_us:.0f} us, so the board is taken as {f['scale']:.0f}x "
                 "slower")
    for cl, item, label in f["unreachable"]:
        lines.append(f"tap budget: DEFECT: measure \"{label}\" of {cl} {item} is not offered on the runner")
    return lines


def board_report(walk: Walk, model: Walk | None) -> list[str]:
    """Measured on the board, with the model's figure for the same walk beside each."""
    taps = walk.checklist_taps
    idx = [i for i, t in enumerate(walk.taps) if t.cl and t.screen in CHECKLIST_SCREENS]
    ms = [walk.measured_ms[i] for i in idx]
    lines = [f"board: {len(taps)} checklist taps measured: tap-to-ink p50 {percentile(ms, .5):.0f} ms, p95 "
             f"{percentile(ms, .95):.0f} ms, worst {max(ms):.0f} ms (budget p95 <= {BUDGET_P95_MS[LCD_HZ]:.0f} ms)",
             f"board: reference() {walk.ref_us / 1000:.1f} ms (the model assumes {REF_BOARD_US / 1000:.1f} ms)"]
    if model is not None:
        f = figures(model, REF_BOARD_US / model.ref_us)
        g = figures(model, walk.ref_us / model.ref_us)
        lines.append(f"model: p50 {f['lcd_p50_ms']:.0f} ms, p95 {f['lcd_p95_ms']:.0f} ms as assumed; with the board's "
                     f"measured speed p50 {g['lcd_p50_ms']:.0f} ms, p95 {g['lcd_p95_ms']:.0f} ms")
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m bedside.tools.tapink", description=__doc__.splitlines()[0])
    ap.add_argument("--port", help="the reference board's USB port (after make deploy; hold BOOTSEL first)")
    ap.add_argument("--dry-run", action="store_true", help="with --port: print the command, touch no board")
    ap.add_argument("--only", default="", help="checklist ids, comma-separated (default: every checklist)")
    ap.add_argument("--json", action="store_true", help="the figures as JSON")
    a = ap.parse_args(argv)
    if a.port:
        cmd = board_command(a.port, a.only)
        if a.dry_run:
            print(shlex.join(cmd))
            return 0
        print("on the board: hold BOOTSEL for half a second first (the panel stops; the REPL has the port)",
              file=sys.stderr)
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            print("mpremote failed: " + (res.stderr or res.stdout).strip()[-500:], file=sys.stderr)
            return 1
        board = parse(res.stdout.splitlines())
        print("\n".join(board_report(board, walk_unix(a.only))))
        return 0
    walk = walk_unix(a.only)
    if a.json:
        print(json.dumps(figures(walk), indent=1, default=list))
    else:
        print("\n".join(report(walk)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
