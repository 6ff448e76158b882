"""One error path for the `bedside` command: a failure a user can act on ends it with one line and exit status 1.

Every command and callback is registered through Typer below, which runs it under guarded():
a database that cannot be opened, read or written (bedside.store.errors.StoreError, whose
message says what, where and what to do), an unwritable data directory, an export that
cannot be written, a pairing or link failure print `error: <one line>` on standard error
and exit 1. Anything else is a bug and keeps its traceback. A module is only looked at
when it has been imported, so `bedside hello` never loads the database code.
"""

from __future__ import annotations

import functools
import sys
from typing import NoReturn

import typer

# (module, exception class): failures whose message is the whole story for a user.
ONE_LINE = (
    ("bedside.paths", "DataDirError"),
    ("bedside.store.errors", "StoreError"),
    ("bedside.export", "ExportError"),
    ("bedside.pairing", "PairingError"),
    ("bedside.link", "LinkError"),
)


def printable(text: str) -> str:
    """`text` on one line, every character a terminal would act on (escapes, NUL, bidi overrides) shown escaped:
    a message may quote what a panel sent."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(str(text).split()))


def fail(message: str) -> NoReturn:
    """Print `error: message` (on one line) on standard error and exit 1."""
    typer.echo("error: " + printable(message), err=True)
    raise typer.Exit(1)


def one_line(e: BaseException) -> str | None:
    """The line for a failure a user can act on, or None (a bug: let its traceback show)."""
    for module, name in ONE_LINE:
        mod = sys.modules.get(module)
        if mod is not None and isinstance(e, getattr(mod, name)):
            return str(e)
    return None


def guarded(fn):
    """`fn` with the failures of ONE_LINE turned into fail(): one line, exit 1."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:  # typer.Exit passes: one_line() knows nothing of it
            line = one_line(e)
            if line is None:
                raise
            fail(line)

    return run


class Typer(typer.Typer):
    """typer.Typer whose commands and callbacks run under guarded()."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)
        return lambda fn: register(guarded(fn))

    def callback(self, *args, **kwargs):
        register = super().callback(*args, **kwargs)
        return lambda fn: register(guarded(fn))
