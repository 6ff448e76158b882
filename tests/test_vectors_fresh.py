"""Checks the committed golden vectors are exactly what protocol/gen_vectors.py generates now (CPython).

Covers: a fresh run into a temporary directory (gen_vectors.py --out DIR) gives
byte-identical protocol/vectors/*.jsonl, so nobody edits the vectors by hand and
nobody changes bedlink's encoding without regenerating (and reviewing) them; the
--check mode agrees, and reports a stale file with exit status 1. The committed
files are never written by this test.
Numbers: none of its own; the vectors come from the generator.
Run alone: .venv/bin/pytest tests/test_vectors_fresh.py
"""

import subprocess
import sys

from conftest import ROOT

GEN = ROOT / "protocol" / "gen_vectors.py"
FILES = ("v1.jsonl", "v1-negative.jsonl", "v2.jsonl", "v2-negative.jsonl", "v3.jsonl", "v3-negative.jsonl",
         "v3-panel.jsonl")


def run_gen(*args):
    return subprocess.run([sys.executable, str(GEN), *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_regenerated_vectors_are_byte_identical(tmp_path):
    before = {f: (ROOT / "protocol" / "vectors" / f).read_bytes() for f in FILES}
    res = run_gen("--out", str(tmp_path))
    assert res.returncode == 0, res.stdout + res.stderr
    for f in FILES:
        fresh = (tmp_path / f).read_bytes()
        assert fresh == before[f], f"{f} is stale: run .venv/bin/python protocol/gen_vectors.py and review the diff"
        assert (ROOT / "protocol" / "vectors" / f).read_bytes() == before[f]  # untouched


def test_check_mode_passes_on_the_committed_files():
    res = run_gen("--check")
    assert res.returncode == 0, res.stdout + res.stderr


def test_check_mode_reports_a_stale_file(tmp_path):
    assert run_gen("--out", str(tmp_path)).returncode == 0
    neg = tmp_path / "v1-negative.jsonl"
    lines = neg.read_text().splitlines(keepends=True)
    neg.write_text("".join(lines[1:]))  # one vector lost
    pos = tmp_path / "v1.jsonl"
    pos.write_text(pos.read_text().replace('"name": "ping"', '"name": "ping_renamed"', 1))
    res = run_gen("--check", "--out", str(tmp_path))
    assert res.returncode == 1
    assert "v1-negative.jsonl: + crc_flipped_payload_bit" in res.stdout
    assert "v1.jsonl: + ping (not committed)" in res.stdout
    assert "v1.jsonl: - ping_renamed" in res.stdout
