"""One error path for the `bedside` command: every command, on every database failure, one line and exit status 1.

Covers each command that opens the database (cases, case, report, export in the three formats,
operators list/add/push, nurse, samples, sync, pair, unpair, app) against: a file that is not
a database, a database with damaged pages (real pages of a real SQLite file overwritten: SQLite's
quick_check finds them, where `cases` and `report` used to exit 0 half-reading it), a PostgreSQL
server that refuses (a closed port here) or whose host does not resolve (a name under .invalid,
RFC 2606), a URL of another dialect and one that does not parse (typer's CliRunner, in process);
and, through the installed console script in a subprocess, a read-only database file (also for
the commands that only read), a read-only folder and an unwritable data directory. Run as root,
the subprocess drops the capabilities that let root write anywhere (CAP_DAC_OVERRIDE and friends),
so the file modes apply as they do to a user. Each time: exit status 1, nothing on standard output,
one line on standard error that says what failed, where, and what to do; no traceback; the file
left exactly as it was.
Run alone: .venv/bin/pytest tests/test_cli_errors.py
"""

import ctypes
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedside.cli import app

BEDSIDE = str(Path(sys.executable).parent / "bedside")
NO_PORT = "/dev/no-such-panel"
COMMANDS = {
    "cases": ["cases"],
    "case": ["case", "case-00001"],
    "report": ["report"],
    "report --json": ["report", "--json"],
    "export csv": ["export", "--format", "csv", "--out", "{out}/csv"],
    "export json": ["export", "--format", "json", "--out", "{out}/a.json"],
    "export fhir": ["export", "--format", "fhir", "--out", "{out}/b.json"],
    "operators": ["operators"],
    "operators list": ["operators", "list"],
    "operators add": ["operators", "add", "Dr New"],
    "operators push": ["operators", "push", "--port", NO_PORT],
    "nurse": ["nurse", "note", "--device", "sample-panel-1", "--case", "case-00001", "--by", "RN K", "--text", "x"],
    "samples": ["samples", "--n", "2"],
    "sync": ["sync", "--port", NO_PORT],
    "pair": ["pair", "--port", NO_PORT, "--code", "123456"],
    "unpair": ["unpair", "--port", NO_PORT],
    "app": ["app"],
}


def args_of(name, out, db):
    return [a.replace("{out}", str(out)) for a in COMMANDS[name]] + ["--db", db]


def one_line(stdout, stderr, code, *words):
    """The failure was said on one line, with `words` in it, and nothing else happened."""
    assert code == 1, (code, stdout, stderr)
    assert stdout == "", stdout
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """A real database of 40 sample cases (bedside.samples), closed (its WAL folded in)."""
    path = tmp_path_factory.mktemp("cli-errors") / "samples.db"
    res = CliRunner().invoke(app, ["samples", "--n", "40", "--db", f"sqlite:///{path}"])
    assert res.exit_code == 0, res.output
    return path


def damage(path: Path) -> None:
    """Overwrite four leaf pages of the events table (found with SQLite's dbstat) with a pattern, as a failing
    disk does: the cases table and the summaries `cases` and `report` read are untouched."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno")]
    conn.close()
    with open(path, "r+b") as f:
        for n in pages[len(pages) // 2:len(pages) // 2 + 4]:
            f.seek((n - 1) * size)
            f.write(bytes([0x5A, 0xA5]) * (size // 2))
    conn = sqlite3.connect(path)
    try:
        found = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as e:
        found = str(e)
    finally:
        conn.close()
    assert found != "ok"  # the damage is real
    assert sqlite3.connect(path).execute("SELECT count(*) FROM case_summaries").fetchone()[0] == 40  # and hidden


FAILURES = {
    "not a database": ("not a Bedside database", "move this one away"),
    "damaged": ("is damaged", "restore it from a backup"),
    "refused": ("refused the connection", "127.0.0.1:9"),
    "unresolvable": ("does not resolve", "bedside-db.invalid"),
    "other dialect": ("names a mysql database", "SQLite or PostgreSQL"),
    "no URL": ("is not a database URL", "sqlite:///FILE"),
}


def failing_db(kind, tmp_path, sample_db):
    if kind == "not a database":
        path = tmp_path / "notes.db"
        path.write_text("shopping list: milk, bread\n" * 200)
        return f"sqlite:///{path}", path
    if kind == "damaged":
        path = tmp_path / "damaged.db"
        shutil.copy(sample_db, path)
        damage(path)
        return f"sqlite:///{path}", path
    return {"refused": "postgresql://bedside:secret@127.0.0.1:9/bedside",
            "unresolvable": "postgresql://bedside:secret@bedside-db.invalid/bedside",
            "other dialect": "mysql://bedside:secret@localhost/bedside",
            "no URL": "cases.db"}[kind], None


@pytest.mark.parametrize("kind", FAILURES)
def test_every_command_says_a_database_failure_in_one_line(kind, tmp_path, sample_db):
    url, path = failing_db(kind, tmp_path, sample_db)
    before = path.read_bytes() if path else None
    for name in COMMANDS:
        res = CliRunner().invoke(app, args_of(name, tmp_path / "out", url))
        assert isinstance(res.exception, SystemExit), (name, res.exception, res.output)
        line = one_line(res.stdout, res.stderr, res.exit_code, *FAILURES[kind])
        assert "secret" not in line  # a password in the URL is never printed
        if path:
            assert str(path) in line
            assert path.read_bytes() == before, name  # refused before anything was written
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.json"))


def _without_root_powers():
    """In the child: drop the capabilities that let root ignore file modes (DAC override, read search, fowner)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP: gone from the bounding set, so from the exec'd program


def bedside(*args, env=None):
    """The installed console script, as a user without root's powers over file modes runs it."""
    res = subprocess.run([BEDSIDE, *args], capture_output=True, text=True, timeout=120, env=env,
                         preexec_fn=_without_root_powers if os.geteuid() == 0 else None)
    return res.stdout, res.stderr, res.returncode


READ_ONLY_COMMANDS = ("cases", "case", "report", "export json", "operators", "operators add", "nurse", "sync")


def test_a_read_only_database_is_said_in_one_line_even_for_commands_that_only_read(tmp_path, sample_db):
    path = tmp_path / "ro" / "cases.db"
    path.parent.mkdir()
    shutil.copy(sample_db, path)
    path.chmod(0o444)
    before = path.read_bytes()
    for name in READ_ONLY_COMMANDS:
        one_line(*bedside(*args_of(name, tmp_path / "out", f"sqlite:///{path}")), "read-only", str(path),
                 "make the file and its folder writable")
    assert path.read_bytes() == before
    path.chmod(0o644)
    path.parent.chmod(0o555)  # the file may be written, its folder (journal, WAL) not
    try:
        for name in ("cases", "report"):
            one_line(*bedside(*args_of(name, tmp_path / "out", f"sqlite:///{path}")), "read-only", str(path))
        one_line(*bedside("cases", "--db", f"sqlite:///{path.parent / 'new.db'}"), "cannot create the database",
                 "not writable")
    finally:
        path.parent.chmod(0o755)
    assert path.read_bytes() == before


def test_an_unwritable_data_directory_is_said_in_one_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o555)
    env = dict(os.environ, XDG_DATA_HOME=str(data))
    for args in (["cases"], ["report"], ["sync", "--port", NO_PORT], ["pair", "--port", NO_PORT, "--code", "123456"]):
        one_line(*bedside(*args, env=env), "data directory", str(data / "bedside"), "XDG_DATA_HOME")
    assert not any(data.rglob("*"))


def test_the_console_script_says_a_file_that_is_not_a_database_in_one_line(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database\n" * 300)
    one_line(*bedside("cases", "--db", f"sqlite:///{path}"), "not a Bedside database", str(path))
