# tests/journal_vectors/gen.py — generates the golden vectors of the journal format, version 1.
#
# Run from the repository root:
#   .venv/bin/python tests/journal_vectors/gen.py             rewrite tests/journal_vectors/*.jsonl
#   .venv/bin/python tests/journal_vectors/gen.py --check     exit 1, naming the stale files, if the
#                                                              committed files differ from a fresh run
#   .venv/bin/python tests/journal_vectors/gen.py --out DIR   write the files into DIR instead
#
# The vectors are made with panel.journal itself; tests/test_journal_vectors.py checks
# them against zlib.crc32 and the PyPI msgpack library and proves they are fresh, and
# tests/portable/test_journal.py replays them on CPython and MicroPython. A change to
# any vector's bytes is a change of the format: bump panel.journal.VERSION with it.
#
# records.jsonl — one record per line, keys sorted:
#   {"name", "event", "hex"}   event: the event (or anchor) as JSON (str keys; values
#                              null, true/false, int, str, list, map); hex: record(event)
# files.jsonl — whole journal files and what the boot scan makes of them:
#   {"name", "hex", "count", "closed", "state", "size"}   hex: the file's bytes;
#   count: events kept; closed: a close event in force; state: "clean", "torn" (cut
#   to `size` bytes) or "damaged" (kept whole, read-only: size is the file's length)
# acks.jsonl — the <case>.a file (panel.atomic: msgpack map + CRC32 trailer), keys sorted:
#   {"name", "fields", "hex"}   fields: the map the file holds (acknowledgement, creation
#   number, boot, and the summary count/end/closed when there is one); hex: the file's bytes
# Files are ASCII (non-ASCII text \u-escaped, Basic Multilingual Plane only: MicroPython's
# json does not join surrogate pairs). Line order is fixed by this script; never reorder.

import binascii
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [os.path.join(REPO, "firmware"), os.path.join(REPO, "protocol")]

from bedlink.mpack import unpack  # noqa: E402
from panel.journal import HEADER, VERSION, record  # noqa: E402
from panel.journal.summary import DAMAGED, Summary  # noqa: E402

FILES = ("records.jsonl", "files.jsonl", "acks.jsonl")
CLOSE = {"seq": 201, "t": 5400000, "k": "close"}

RECORDS = (
    ("open", {"seq": 1, "t": 1000, "k": "open", "case": "k7Qx-2f", "cv": "2026.1", "fw": "0.1.0"}),
    ("finding_int", {"seq": 2, "t": 2000, "k": "finding", "f": "length_mm", "v": 25, "src": "ct"}),
    ("finding_unknown_again", {"seq": 3, "t": 2200, "k": "finding", "f": "length_mm", "v": None}),
    ("profile_nested_map", {"seq": 4, "t": 2300, "k": "profile", "src": "entered",
                            "p": {"annual_volume": 80, "years": 6, "last_year_cases": 50}}),
    ("score_viewed", {"seq": 5, "t": 3100, "k": "score_viewed", "score": "jcto"}),
    ("cl_start", {"seq": 6, "t": 4000, "k": "cl_start", "cl": "calcified"}),
    ("measure_uint8", {"seq": 7, "t": 4100, "k": "measure", "item": "in_guide", "m": "diameter", "val": 200}),
    ("measure_negative", {"seq": 8, "t": 4200, "k": "measure", "item": "case", "m": "offset", "val": -5}),
    ("decide", {"seq": 9, "t": 4300, "k": "decide", "item": "retro_mc", "opt": "no"}),
    ("note_non_ascii", {"seq": 10, "t": 4400, "k": "note", "text": "\u00e9chec \u2713 canal septal \u2192 r\u00e9tro"}),
    ("note_str8", {"seq": 11, "t": 4500, "k": "note", "text": "septal channel tortuous, switched to Suoh 03"}),
    ("note_long_record", {"seq": 12, "t": 4600, "k": "note", "text": "long note " * 30}),
    ("undo", {"seq": 13, "t": 4700, "k": "undo", "ref": 10}),
    ("timer_alert", {"seq": 14, "t": 1804700, "k": "timer_alert", "timer": "fluoro"}),
    ("outcome", {"seq": 15, "t": 5300000, "k": "outcome", "o": "technical_success", "v": "yes"}),
    ("skip_list_field", {"seq": 16, "t": 5300100, "k": "skip", "item": "ivus", "why": "other",
                         "text": "no IVUS catheter", "tags": ["stock", 3, None, True]}),
    ("seq_t_uint32", {"seq": 65536, "t": 4294967295, "k": "confirm", "item": "wire"}),
    ("close", CLOSE),
    ("anchor", {"boot": 1, "ticks": 1046, "wall": 1767225600000}),
    ("anchor_boot_uint64_ticks_at_wrap", {"boot": 4294967296, "ticks": (1 << 30) - 1, "wall": 1767225600001}),
)


def hx(b):
    return binascii.hexlify(bytes(b)).decode("ascii")


def ev(seq, k="confirm", **fields):
    out = {"seq": seq, "t": 1000 * seq, "k": k}
    out.update(fields)
    return out


def files():
    """(name, file bytes, count, closed, state, size after the scan)."""
    r1 = record(ev(1, "open", case="f", cv="2026.1", fw="0.1.0"))
    r2 = record(ev(2, item="in_guide"))
    r3 = record(ev(3, "note", text="third"))
    close = record(ev(3, "close"))
    undo = record(ev(4, "undo", ref=3))
    good = r1 + r2
    foreign = bytearray(r3)
    foreign[6] = VERSION + 1
    foreign[2:6] = (binascii.crc32(bytes(foreign[6:])) & 0xFFFFFFFF).to_bytes(4, "big")
    out = [
        ("empty", b"", 0, False, "clean", 0),
        ("three_records", good + r3, 3, False, "clean", len(good + r3)),
        ("closed", good + close, 3, True, "clean", len(good + close)),
        ("close_undone", good + close + undo, 4, False, "clean", len(good + close + undo)),
        ("torn_header", good + r3[:5], 2, False, "torn", len(good)),
    ]
    for cut in (HEADER, HEADER + 1, len(r3) // 2, len(r3) - 1):
        out.append(("torn_body_%d_of_%d" % (cut, len(r3)), good + r3[:cut], 2, False, "torn", len(good)))
    crc = bytearray(r3)
    crc[5] ^= 0x01
    body = bytearray(r3)
    body[-1] ^= 0x40
    version = bytearray(r3)
    version[6] ^= 0x03
    out += [
        ("crc_flipped_last", good + crc, 2, False, "torn", len(good)),
        ("event_byte_flipped_last", good + body, 2, False, "torn", len(good)),
        ("version_flipped_last", good + version, 2, False, "torn", len(good)),
        ("zero_tail", good + bytes(16), 2, False, "torn", len(good)),
        ("erased_tail", good + b"\xff" * 16, 2, False, "torn", len(good)),
        ("foreign_version_last", good + foreign, 2, False, "damaged", len(good + foreign)),
        ("crc_flipped_mid", r1 + crc + r2, 1, False, "damaged", len(r1 + crc + r2)),
        ("garbage_mid", r1 + b"\x00\x03\xde\xad" + r2, 1, False, "damaged", len(r1 + r2) + 4),
    ]
    return out


def acks():
    """(name, summary fields set, acked passed to save or None): the .a files a journal writes."""
    return (
        ("new_case", {"order": 1, "boot": 3}, None),
        ("summarised_open", {"order": 7, "boot": 12, "count": 201, "end": 16384, "acked": 80}, None),
        ("summarised_closed_acked_whole", {"order": 70000, "boot": 65536, "count": 3, "end": 149, "closed": 3},
         3),
        ("boot_unknown", {"order": 2, "count": 1, "end": 44}, 0),
        ("damaged_no_summary", {"order": 5, "boot": 1, "count": 1, "end": 44, "flags": DAMAGED, "acked": 1}, None),
    )


def ack_file(fields, acked):
    """The bytes Summary.save writes for a summary with these fields."""
    import tempfile

    s = Summary("c")
    for k, v in fields.items():
        setattr(s, k, v)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "c.a")
        s.save(path, acked)
        with open(path, "rb") as f:
            return f.read()


def build():
    """{file name: bytes} of every vector file."""
    lines = []
    for name, event in RECORDS:
        lines.append(json.dumps({"name": name, "event": event, "hex": hx(record(event))}, sort_keys=True))
    out = {"records.jsonl": ("\n".join(lines) + "\n").encode("ascii")}
    lines = []
    for name, data, count, closed, state, size in files():
        lines.append(json.dumps({"name": name, "hex": hx(data), "count": count, "closed": closed,
                                 "state": state, "size": size}, sort_keys=True))
    out["files.jsonl"] = ("\n".join(lines) + "\n").encode("ascii")
    lines = []
    for name, fields, acked in acks():
        data = ack_file(fields, acked)
        lines.append(json.dumps({"name": name, "fields": unpack(data[:-4]), "hex": hx(data)}, sort_keys=True))
    out["acks.jsonl"] = ("\n".join(lines) + "\n").encode("ascii")
    return out


def main(argv=None):
    from bedside.tools.golden import cli

    return cli(argv, build, FILES, HERE, "tests/journal_vectors/gen.py")


if __name__ == "__main__":
    sys.exit(main())
