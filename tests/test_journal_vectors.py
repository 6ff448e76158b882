"""The journal format's golden vectors: fresh, and right by independent implementations (CPython only).

Covers: tests/journal_vectors/gen.py run into a temporary directory gives byte-identical
records.jsonl, files.jsonl and acks.jsonl (nobody edits the vectors by hand or changes the format
without regenerating them and bumping panel.journal.VERSION); its --check mode agrees
and names a stale file; every record is exactly [n u16][zlib.crc32(version + event)
u32][version 1][event], big-endian, with the event packed by the PyPI msgpack library
(map keys in canonical order: sorted by their encoded bytes) and unpacked back to the
JSON event; every file vector's clean prefix splits into exactly `count` such records; every
.a vector is the PyPI msgpack packing of its fields followed by their zlib.crc32, big-endian.
The same vectors run through panel.journal on CPython and MicroPython in
tests/portable/test_journal.py.
Numbers: none of its own; the format is firmware/JOURNAL.md.
Run alone: .venv/bin/pytest tests/test_journal_vectors.py
"""

import json
import struct
import subprocess
import sys
import zlib

import msgpack

from conftest import ROOT
from panel.journal import VERSION, parse, record

DIR = ROOT / "tests" / "journal_vectors"
GEN = DIR / "gen.py"
FILES = ("records.jsonl", "files.jsonl", "acks.jsonl")


def vectors(fname):
    return [json.loads(line) for line in (DIR / fname).read_text().splitlines() if line.strip()]


def canonical(v):
    """v with every map's keys inserted in canonical msgpack order, for msgpack.packb."""
    if isinstance(v, dict):
        return {k: canonical(v[k]) for k in sorted(v, key=msgpack.packb)}
    if isinstance(v, list):
        return [canonical(x) for x in v]
    return v


def reference_record(event):
    body = msgpack.packb(canonical(event))
    return struct.pack(">HIB", len(body), zlib.crc32(bytes([VERSION]) + body), VERSION) + body


def run_gen(*args):
    return subprocess.run([sys.executable, str(GEN), *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_regenerated_vectors_are_byte_identical(tmp_path):
    before = {f: (DIR / f).read_bytes() for f in FILES}
    res = run_gen("--out", str(tmp_path))
    assert res.returncode == 0, res.stdout + res.stderr
    for f in FILES:
        assert (tmp_path / f).read_bytes() == before[f], f"{f} is stale: run .venv/bin/python {GEN.relative_to(ROOT)}"
        assert (DIR / f).read_bytes() == before[f]  # untouched


def test_check_mode_passes_and_names_a_stale_file(tmp_path):
    assert run_gen("--check").returncode == 0
    assert run_gen("--out", str(tmp_path)).returncode == 0
    stale = tmp_path / "records.jsonl"
    stale.write_text(stale.read_text().replace('"name": "open"', '"name": "opened"', 1))
    res = run_gen("--check", "--out", str(tmp_path))
    assert res.returncode == 1 and "records.jsonl" in res.stdout and "files.jsonl" not in res.stdout


def test_every_record_matches_zlib_crc32_and_the_msgpack_library():
    vs = vectors("records.jsonl")
    assert len(vs) >= 20 and len({v["name"] for v in vs}) == len(vs)
    for v in vs:
        raw = bytes.fromhex(v["hex"])
        assert raw == reference_record(v["event"]), v["name"]
        n, crc, version = struct.unpack(">HIB", raw[:7])
        assert n == len(raw) - 7 and version == VERSION == 1
        assert crc == zlib.crc32(raw[6:])
        assert msgpack.unpackb(raw[7:]) == v["event"]
        assert record(v["event"]) == raw and parse(raw) == v["event"]


def test_the_records_cover_the_format_edges():
    by_name = {v["name"]: bytes.fromhex(v["hex"]) for v in vectors("records.jsonl")}
    assert by_name["note_long_record"][0] > 0  # a length above 255: the high byte is used
    assert by_name["close"][7:16] == b"\x83\xa1k\xa5close"  # what the scan looks for
    assert any(b > 0x7F for b in by_name["note_non_ascii"][7:])


def test_every_file_vector_splits_into_its_records():
    vs = vectors("files.jsonl")
    assert {v["state"] for v in vs} == {"clean", "torn", "damaged"}
    for v in vs:
        raw = bytes.fromhex(v["hex"])
        good = raw[: v["size"]] if v["state"] == "torn" else raw
        at = count = 0
        while count < v["count"]:
            n = struct.unpack(">H", good[at : at + 2])[0]
            rec = good[at : at + 7 + n]
            assert rec == reference_record(msgpack.unpackb(rec[7:])), v["name"]
            at += 7 + n
            count += 1
        if v["state"] != "damaged":
            assert at == len(good), v["name"]
        else:
            assert v["size"] == len(raw) and at < len(raw)


def test_every_ack_file_is_msgpack_of_its_fields_then_a_big_endian_crc32():
    vs = vectors("acks.jsonl")
    assert {v["name"] for v in vs} >= {"new_case", "summarised_open", "damaged_no_summary"}
    for v in vs:
        body = msgpack.packb(canonical(v["fields"]))
        assert bytes.fromhex(v["hex"]) == body + struct.pack(">I", zlib.crc32(body)), v["name"]
        summary = {"count", "end", "closed"} & set(v["fields"])
        assert summary in (set(), {"count", "end", "closed"}), v["name"]  # a summary is whole or absent
