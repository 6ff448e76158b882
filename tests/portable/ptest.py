# tests/portable/ptest.py — the few helpers portable tests need, on CPython and MicroPython.
#
# Portable tests are plain `def test_*():` functions with bare asserts: pytest
# collects them on CPython and tests/mprun.py runs the same files on MicroPython.

import os

ROOT = os.getenv("BEDSIDE_ROOT")
if not ROOT:
    _f = __file__
    ROOT = _f.rsplit("/tests/", 1)[0] if "/tests/" in _f else "."


def raises(exc_type, fn, *args):
    """Call fn(*args); return the exception of exc_type it raised, fail if none."""
    try:
        fn(*args)
    except exc_type as e:
        return e
    raise AssertionError("%s did not raise %s" % (getattr(fn, "__name__", fn), exc_type.__name__))


def read_jsonl(path):
    """Parse a JSON-lines file (path relative to the repository root)."""
    import json

    out = []
    with open(ROOT + "/" + path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


_dirs = [0]


def fresh_dir(name):
    """A new empty directory under /tmp for one test (both runtimes have /tmp; MicroPython has no tempfile)."""
    import binascii
    import os

    _dirs[0] += 1
    path = "/tmp/bedside-ptest-%s-%s-%d" % (name, binascii.hexlify(os.urandom(4)).decode(), _dirs[0])
    os.mkdir(path)
    return path


def rescan(journal):
    """Scan a journal as at boot, then list its cases (scan() itself lists nothing: the panel pages)."""
    journal.scan()
    return journal.cases()
