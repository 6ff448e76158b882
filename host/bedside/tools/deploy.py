"""Put the firmware on the reference board: compile with mpy-cross, copy with mpremote, reset.

Usage: python -m bedside.tools.deploy [--dry-run] PORT   (make deploy PORT=/dev/ttyACM0 [DRY=1])
Compiles firmware/ and protocol/bedlink with mpy-cross into build/board-mpy (plain bytecode: the viper byte
swap compiles on the board at import), then runs one mpremote session that makes the package directories,
copies every compiled module and main.py to the board's root, installs micropython-lib's usb-device-cdc (the
USB port that reports the host's DTR line, boards/pico2.py; mpremote fetches it, so this needs the network)
and resets it. --dry-run compiles and prints the command and
every file it would copy, touching no board. The panel's data (/data) is never copied over or removed.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from bedside.paths import REPO_ROOT, tool
from bedside.tools import mpy

OUT_DIR = REPO_ROOT / "build" / "board-mpy"
# Unix-port-only modules: the simulator board and its walkthrough driver use os.VfsLfs2 on files, ptys and
# argv, none of which a board has; they never run there.
SKIP = (Path("boards/sim.py"), Path("boards/walk.py"), Path("boards/tapink_unix.py"))
# micropython-lib packages the board needs (firmware/manifest.py freezes the same ones).
PACKAGES = ("usb-device-cdc",)


def board_files(out_dir: Path = OUT_DIR) -> list[str]:
    """Every file a deploy copies, relative to the board's root (the compiled modules and main.py)."""
    files = [str(rel.with_suffix(".mpy")) for _src, rel in mpy.sources() if rel not in SKIP]
    return sorted(files) + ["main.py"]


def board_dirs(files: list[str]) -> list[str]:
    """Every directory the files need on the board, parents first."""
    dirs = set()
    for f in files:
        parts = f.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    return sorted(dirs)


def command(port: str, out_dir: Path = OUT_DIR) -> list[str]:
    """The mpremote command line: one connection that makes the directories (keeping any that exist),
    copies each directory's files into it, copies main.py, then resets the board."""
    files = board_files(out_dir)
    dirs = board_dirs(files)
    names = ", ".join('"/%s"' % d for d in dirs)
    # one line, run on the board: each directory made unless its parent already lists it (parents first)
    mkdirs = ('import os;[os.mkdir(d) for d in (%s,) if d.rsplit("/", 1)[1] not in os.listdir(d.rsplit("/", 1)[0] or "/")]'
              % names)
    cmd = [str(tool("mpremote")), "connect", port, "exec", mkdirs]
    for d in dirs:
        here = [f for f in files if f.rsplit("/", 1)[0] == d and "/" in f]
        if here:
            cmd += ["+", "fs", "cp", *[str(out_dir / f) for f in here], f":/{d}/"]
    cmd += ["+", "fs", "cp", str(out_dir / "main.py"), ":/main.py"]
    cmd += ["+", "mip", "install", *PACKAGES, "+", "reset"]
    return cmd


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    dry = "--dry-run" in argv
    args = [a for a in argv if a != "--dry-run"]
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m bedside.tools.deploy [--dry-run] PORT", file=sys.stderr)
        return 2
    port = args[0]
    import shutil

    shutil.rmtree(OUT_DIR, ignore_errors=True)  # nothing stale (a removed module) may reach the board
    errors = mpy.build(OUT_DIR, skip=SKIP)
    if errors:
        print("firmware does not compile for the board:\n" + "\n".join(errors), file=sys.stderr)
        return 1
    cmd = command(port)
    files = board_files()
    missing = [f for f in files if not (OUT_DIR / f).exists()]
    if missing:
        print("not built: " + ", ".join(missing), file=sys.stderr)
        return 1
    if dry:
        print(shlex.join(cmd))
        for f in files:
            print("  copies " + f)
        print(f"{len(files)} files for {port} (dry run: nothing sent)")
        return 0
    print(f"copying {len(files)} files to {port}")
    res = subprocess.run(cmd)
    if res.returncode != 0:
        print("mpremote failed: is the panel in maintenance mode (hold BOOTSEL), and the port right?",
              file=sys.stderr)
    return res.returncode


if __name__ == "__main__":
    sys.exit(main())
