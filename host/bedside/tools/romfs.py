"""The firmware as a ROMFS image: compiled modules that run in place, not copied into the heap.

On the board the firmware is meant to run from flash: frozen into the MicroPython build (firmware/manifest.py),
or in a ROMFS partition on builds that have one. Either way the bytecode and its strings and bytes (the fonts'
bitmaps, the content's texts) stay in flash, which the RP2350 maps into memory; only the objects a module builds
when it runs (functions, dicts, tuples) take heap. The unix port cannot freeze, but it can mount a ROMFS image
(vfs.VfsRom) and execute .mpy from it in place the same way: that is how the heap budget is measured. The image
is built by mpremote's own ROMFS writer (the one `mpremote romfs deploy` uses).

On the unix port the image is a bytes object read into the heap at start: it is one block of known size, allocated
first and never freed, so the heap the firmware itself needs is the heap the run needed less the image
(bedside.screens.ui_scenario_fits with romfs=True; make bench reports both figures).
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

from mpremote.romfs import make_romfs


def build_image(mpy_dir: Path) -> bytes:
    """A ROMFS image of every file under mpy_dir (already compiled: .py files are not compiled here)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return make_romfs(str(mpy_dir), mpy_cross=False)


def cached_image(mpy_dir: Path) -> Path:
    """The image of mpy_dir kept beside it (<dir>.romfs), rebuilt when any file in mpy_dir is newer."""
    image = mpy_dir.with_name(mpy_dir.name + ".romfs")
    newest = max((p.stat().st_mtime for p in mpy_dir.rglob("*") if p.is_file()), default=0.0)
    if not image.exists() or image.stat().st_mtime < newest:
        tmp = image.with_name(f".{image.name}.{os.getpid()}.tmp")
        tmp.write_bytes(build_image(mpy_dir))
        tmp.replace(image)  # atomic, one temporary file a process: simulators started in parallel never read half an image
    return image


# Python source run by MicroPython -c before the firmware: mount the image at /rom and import from it first.
MOUNT = (
    "import vfs, sys\n"
    "f = open({image!r}, 'rb')\n"
    "img = f.read()\n"
    "f.close()\n"
    "vfs.mount(vfs.VfsRom(img), '/rom')\n"
    "sys.path.insert(0, '/rom')\n"
    "del f\n"
)
