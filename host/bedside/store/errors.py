"""The store's failures in one line each: what failed, where, and what to do (no traceback reaches a user).

Store raises StoreUnavailable (a StoreError) with a line from describe() for every failure
of the database itself: a URL that does not parse or names another dialect, a file that is
not a database or is damaged, a read-only file or folder, an unwritable data directory, a
PostgreSQL server that refuses, does not resolve or does not know the user or database.

Public API: StoreError, StoreUnavailable; where(url) -> str; describe(exc, url) -> str;
check_sqlite_path(path) (before opening: raises StoreUnavailable); damage(conn) -> str | None.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

_HELP_URL = "sqlite:///FILE or postgresql://user:password@host/database"


class StoreError(RuntimeError):
    """The store cannot do what was asked: unsupported database, newer schema, bad argument."""


class StoreUnavailable(StoreError):
    """The database itself failed (cannot be opened, read, written or reached); the message says what to do."""


def where(url: str) -> str:
    """The database of `url` as a person names it: the SQLite file, or PostgreSQL's host:port/database."""
    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - a URL that does not parse is named as given
        return repr(url)
    if u.get_backend_name() == "sqlite":
        return str(Path(u.database).expanduser()) if u.database else "an in-memory SQLite database"
    host = u.host or "localhost"
    return f"PostgreSQL {u.username + '@' if u.username else ''}{host}:{u.port or 5432}/{u.database or ''}"


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def describe(exc: BaseException, url: str) -> str:
    """One line for a database failure `exc` (a SQLAlchemy, DB-API or OS error) on the database at `url`."""
    at = where(url)
    orig = getattr(exc, "orig", None) or exc
    text = _first_line(exc)
    low = text.lower()
    if isinstance(orig, sqlite3.Error):
        name = getattr(orig, "sqlite_errorname", "") or ""
        if name == "SQLITE_NOTADB" or "not a database" in low:
            return (f"{at} is not a Bedside database (SQLite: {text}): give --db the right file, "
                    "or move this one away to start an empty database")
        if name.startswith("SQLITE_CORRUPT") or "malformed" in low:
            return damaged(at, text)
        if name.startswith("SQLITE_READONLY") or "readonly" in low or "read-only" in low:
            return read_only(at)
        if name.startswith("SQLITE_CANTOPEN") or "unable to open" in low:
            return (f"cannot open the database {at} (SQLite: {text}): check that its folder exists and that you "
                    "may write to the file and the folder")
        if name == "SQLITE_FULL" or "disk is full" in low:
            return f"the disk holding {at} is full: free some space and run the command again (nothing was lost)"
        if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "locked" in low:
            return (f"the database {at} stayed locked by another program: close the other Bedside "
                    "(or what else holds it) and run the command again")
        if name.startswith("SQLITE_IOERR") or "disk i/o" in low:
            return f"the disk failed reading or writing {at} (SQLite: {text}): check the disk and run the command again"
        return f"the database {at} failed (SQLite: {text})"
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "28P01" or "password authentication failed" in low:
        return f"{at} refused the user name or password in the URL: check them"
    if sqlstate == "3D000" or ("database" in low and "does not exist" in low):
        return f"{at}: the server has no such database: create it (createdb) or fix the URL"
    if "failed to resolve host" in low or "could not translate host name" in low or "name or service" in low:
        return f"cannot reach {at}: the host name does not resolve: check the host in the URL"
    if "connection refused" in low:
        return f"cannot reach {at}: the server refused the connection: check that PostgreSQL runs there and the port"
    if "timeout" in low or "timed out" in low:
        return f"cannot reach {at}: no answer in time: check the network and the host in the URL"
    if isinstance(orig, OSError):
        return f"cannot use {at}: {orig.strerror or text}"
    return f"the database {at} failed: {text}"


def read_only(at: str) -> str:
    return (f"the database {at} is read-only: Bedside writes to it even to list cases (summaries, audit): make the "
            "file and its folder writable, or copy it somewhere writable and give --db")


def damaged(at: str, detail: str) -> str:
    return (f"the database {at} is damaged ({detail}): Bedside does not read it half; restore it from a backup "
            "(`sqlite3 FILE .recover` saves what can still be read)")


def bad_url(url: str, why: str) -> str:
    try:
        url = make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL that does not parse is named as given
        pass
    return f"--db {url!r} {why}: use {_HELP_URL}"


def check_sqlite_path(path: Path) -> None:
    """Refuse, before SQLite opens it, a database file or folder this process may not write."""
    folder = path.parent
    if path.exists():
        if path.is_dir():
            raise StoreUnavailable(f"{path} is a folder, not a database file: give --db a file name")
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreUnavailable(read_only(str(path)))
    if not os.access(folder, os.W_OK | os.X_OK):
        if path.exists():
            raise StoreUnavailable(read_only(str(path)) + " (SQLite keeps its journal beside the file)")
        raise StoreUnavailable(f"cannot create the database {path}: its folder {folder} is not writable: "
                               "give --db a file in a folder you may write to")


def damage(dbapi_connection) -> str | None:
    """What SQLite's quick_check finds wrong with the database of `dbapi_connection` (one line), or None."""
    rows = [r[0] for r in dbapi_connection.execute("PRAGMA quick_check(3)").fetchall()]
    if rows == ["ok"]:
        return None
    return "quick_check: " + "; ".join(str(r).replace("\n", " ") for r in rows)[:200]
