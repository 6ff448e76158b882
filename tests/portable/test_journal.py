# tests/portable/test_journal.py — the case journal: records, boot scan, acks, retention, time anchors.
#
# Covers panel/journal.py on CPython and MicroPython (a directory under /tmp on the host
# filesystem; tests/mponly/test_power_cut.py runs it on littlefs with power cuts): the
# record layout and the golden vectors of tests/journal_vectors (records, and whole files
# with what the boot scan makes of them); append/len/iter/get and a reload; a seq that
# does not follow is refused before anything is written; a torn tail cut at every byte of
# the last record, and flipped CRC, event byte and version, is cut at the last good
# record and the journal takes new events; damage followed by good records is never cut
# (the case turns read-only); a failed write raises JournalWriteError and the case is read
# back from flash before its next use; acks persist, keep the maximum and are refused
# beyond the count; a full flash refuses a new case and keeps every old one; reclaim
# deletes only closed, fully acknowledged cases, oldest first, only while storage is
# short; wall time from anchors (nearest anchor, across a ticks_ms wrap, None unanchored);
# the boot counter across restarts; panel.case.Case recorded on a JournalLog and resumed
# after a fresh scan rebuilds the same state.
# Numbers: firmware/JOURNAL.md (reserve 64 KB, low below min(25 %, 256 KB), ticks period 2**30).
# Run alone: .venv/bin/pytest tests/portable/test_journal.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_journal

import binascii
import os

from panel.case import Case
from panel.content import CONTENT_VERSION
from panel.journal import (
    CHUNK, HEADER, INDEXED, RESERVE, Journal, JournalCorrupt, JournalError, JournalWriteError, StorageFull,
    parse, record,
)
from panel.version import FIRMWARE_VERSION
from ptest import raises, read_jsonl, rescan

TMP = "/tmp/bedside-journal-%d" % (os.getpid() if hasattr(os, "getpid") else 0)
KB = 1024
DAY = 86400000
W = 1797000000000  # 2026-12-11T13:20:00Z in ms: after the firmware's build date (panel.version)


def _isdir(path):
    return os.stat(path)[0] & 0x4000


def _rmtree(path):
    try:
        names = os.listdir(path)
    except OSError:
        return
    for name in names:
        p = path + "/" + name
        if _isdir(p):
            _rmtree(p)
        else:
            os.remove(p)
    os.rmdir(path)


def fresh(name):
    path = TMP + "-" + name
    _rmtree(path)
    return path


def size(path):
    return os.stat(path)[6]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def ev(seq, k="note", **_unused):
    return {"seq": seq, "t": 1000 + 10 * seq, "k": k, "text": "event %d" % seq}


def filled(root, case_id="c-1", n=5, space=None):
    j = Journal(root, space)
    j.scan()
    log = j.new_case(case_id)
    for s in range(1, n + 1):
        log.append(ev(s))
    return j, log


class Space:
    """An injected free-space source: `total` bytes, less `per_case` for every case journal in root."""

    def __init__(self, root, total, per_case=0):
        self.root = root
        self.total = total
        self.per_case = per_case
        self.free = None  # set: report exactly this

    def __call__(self):
        if self.free is not None:
            return self.free, self.total
        n = 0
        for name in os.listdir(self.root):
            if name.endswith(".j") and name != "anchors.j":
                n += 1
        return max(0, self.total - n * self.per_case), self.total


# -- records and vectors --------------------------------------------------------------


def test_a_record_is_length_crc_version_then_the_msgpack_event():
    e = {"seq": 7, "t": 123456, "k": "confirm", "item": "in_guide"}
    rec = record(e)
    n = (rec[0] << 8) | rec[1]
    assert n == len(rec) - HEADER and rec[6] == 1
    assert int.from_bytes(rec[2:6], "big") == binascii.crc32(rec[6:]) & 0xFFFFFFFF
    assert parse(rec) == e
    raises(JournalCorrupt, parse, rec[:-1])
    bad = bytearray(rec)
    bad[3] ^= 0x10
    raises(JournalCorrupt, parse, bytes(bad))
    raises(JournalError, record, {"seq": 1, "t": 0, "k": "note", "text": "x" * 70000})


def test_record_vectors_encode_and_decode_on_this_runtime():
    vs = read_jsonl("tests/journal_vectors/records.jsonl")
    assert len(vs) >= 20
    for v in vs:
        rec = record(v["event"])
        assert binascii.hexlify(rec).decode() == v["hex"], v["name"]
        assert parse(binascii.unhexlify(v["hex"])) == v["event"], v["name"]


def test_file_vectors_scan_as_committed():
    root = fresh("filevec")
    os.mkdir(root)
    vs = read_jsonl("tests/journal_vectors/files.jsonl")
    for v in vs:
        write(root + "/" + v["name"] + ".j", binascii.unhexlify(v["hex"]))
    j = Journal(root)
    by_case = {}
    for c in rescan(j):
        by_case[c["case"]] = c
    damaged = j.damaged()
    for v in vs:
        name = v["name"]
        c = by_case[name]
        assert c["count"] == v["count"] and c["closed"] == v["closed"], (name, c)
        assert size(root + "/" + name + ".j") == v["size"], name
        assert (name in damaged) == (v["state"] == "damaged"), name
        log = j.log(name)
        assert len(list(log)) == v["count"]
        nxt = {"seq": v["count"] + 1, "t": 1, "k": "note", "text": "next"}
        if v["state"] == "damaged":
            raises(JournalError, log.append, nxt)
            assert read(root + "/" + name + ".j") == binascii.unhexlify(v["hex"])
        else:
            log.append(nxt)
            assert log.get(v["count"] + 1) == nxt
    _rmtree(root)


def test_ack_file_vectors_load_and_save_on_this_runtime():
    from panel.journal.summary import Summary

    root = fresh("ackvec")
    os.mkdir(root)
    for v in read_jsonl("tests/journal_vectors/acks.jsonl"):
        path = root + "/c.a"
        write(path, binascii.unhexlify(v["hex"]))
        s = Summary("c")
        assert s.load(path), v["name"]
        f = v["fields"]
        assert (s.acked, s.order, s.boot) == (f["acked"], f["n"], f.get("boot")), v["name"]
        want = (f["count"], f["end"], f["closed"]) if "count" in f else None
        assert s.saved == want, v["name"]
        if want is not None:
            s.count, s.end, s.closed = want
        else:
            s.flags = 4  # damaged: its .a keeps no summary
        os.remove(path)
        s.save(path)
        assert binascii.hexlify(read(path)).decode() == v["hex"], v["name"]
    _rmtree(root)


# -- append, read back ----------------------------------------------------------------


def test_append_len_iter_get_and_a_fresh_scan_agree():
    root = fresh("basic")
    j = Journal(root)
    assert rescan(j) == []
    log = j.new_case("c-1")
    events = []
    for s in range(1, 61):
        e = ev(s, "confirm")
        if s == 20:
            e["text"] = "a long note " * 60  # a record longer than one CHUNK read
        events.append(e)
        log.append(e)
    assert len(record(events[19])) > CHUNK
    assert len(log) == 60 and list(log) == events
    assert log.get(1) == events[0] and log.get(20) == events[19] and log.get(60) == events[59]
    assert list(log.events(58)) == events[57:] and list(log.events(61)) == []
    raises(IndexError, log.get, 0)
    raises(IndexError, log.get, 61)
    total = 0
    for e in events:
        total += len(record(e))
    assert size(root + "/c-1.j") == total
    again = Journal(root)
    assert rescan(again) == [{"case": "c-1", "count": 60, "acked": 0, "closed": False}]
    assert list(again.log("c-1")) == events and again.log("c-1").get(20) == events[19]
    _rmtree(root)


def test_append_refuses_a_seq_that_does_not_follow_before_writing():
    root = fresh("seq")
    j, log = filled(root, n=2)
    before = size(root + "/c-1.j")
    for bad in (ev(2), ev(4), {"t": 1, "k": "note"}, {"seq": "3", "t": 1, "k": "note"},
                {"seq": True, "t": 1, "k": "x"}):
        raises(JournalError, log.append, bad)
    assert size(root + "/c-1.j") == before and len(log) == 2
    raises(JournalError, j.log, "nope")
    _rmtree(root)


def test_an_iteration_reads_the_events_there_when_it_began():
    root = fresh("iter")
    j, log = filled(root, n=3)
    it = iter(log)
    assert next(it)["seq"] == 1
    log.append(ev(4))
    assert [e["seq"] for e in it] == [2, 3]
    _rmtree(root)


def test_offsets_are_kept_for_at_most_INDEXED_cases():
    root = fresh("index")
    j = Journal(root)
    j.scan()
    for c in range(INDEXED + 2):
        log = j.new_case("c%d" % c)
        for s in range(1, 6):
            log.append(ev(s))
        assert log.get(3) == ev(3)
    held = [cid for cid in ("c0", "c1", "c2", "c3") if j.info(cid).idx is not None]
    assert held == ["c2", "c3"]
    assert j.log("c0").get(5) == ev(5)  # indexed again on demand
    _rmtree(root)


# -- torn tails and damage ------------------------------------------------------------


def test_a_torn_tail_is_cut_at_every_byte_of_the_last_record():
    root = fresh("torn")
    filled(root, n=5)
    path = root + "/c-1.j"
    full = read(path)
    last = len(record(ev(5)))
    good = full[: len(full) - last]
    for cut in range(1, last):
        write(path, full[: len(good) + cut])
        j = Journal(root)
        assert rescan(j) == [{"case": "c-1", "count": 4, "acked": 0, "closed": False}], cut
        assert read(path) == good and j.damaged() == {}
        log = j.log("c-1")
        assert list(log) == [ev(1), ev(2), ev(3), ev(4)]
        log.append(ev(5))
        assert read(path) == full
    assert [n for n in os.listdir(root) if n.endswith(".tmp")] == []
    _rmtree(root)


def test_flipped_crc_event_byte_or_version_at_the_tail_is_cut():
    root = fresh("flip")
    filled(root, n=5)
    path = root + "/c-1.j"
    full = read(path)
    at = len(full) - len(record(ev(5)))
    for where in (2, 5, 6, HEADER, HEADER + 3, len(full) - at - 1):  # CRC, version, event bytes
        bad = bytearray(full)
        bad[at + where] ^= 0x04
        write(path, bytes(bad))
        j = Journal(root)
        assert rescan(j)[0]["count"] == 4, where
        assert read(path) == full[:at]
    _rmtree(root)


def test_damage_before_good_records_is_never_cut_and_the_case_turns_read_only():
    root = fresh("damage")
    filled(root, n=5)
    j0, other = filled(root, "c-2", n=2)
    path = root + "/c-1.j"
    full = read(path)
    r1 = len(record(ev(1)))
    bad = bytearray(full)
    bad[r1 + 4] ^= 0x01  # the CRC of event 2; events 3-5 are whole after it
    write(path, bytes(bad))
    j = Journal(root)
    cases = rescan(j)
    assert cases[0] == {"case": "c-1", "count": 1, "acked": 0, "closed": False}
    assert j.damaged() == {"c-1": r1}
    assert read(path) == bytes(bad)  # nothing cut
    assert list(j.log("c-1")) == [ev(1)]
    raises(JournalError, j.log("c-1").append, ev(2))
    j.log("c-2").append(ev(3))  # the other cases carry on
    assert read(path) == bytes(bad)
    _rmtree(root)


def test_a_record_of_a_later_format_version_is_kept_read_only():
    root = fresh("foreign")
    filled(root, n=2)
    path = root + "/c-1.j"
    rec = bytearray(record(ev(3)))
    rec[6] = 2
    rec[2:6] = (binascii.crc32(bytes(rec[6:])) & 0xFFFFFFFF).to_bytes(4, "big")
    with open(path, "ab") as f:
        f.write(rec)
    before = read(path)
    j = Journal(root)
    assert rescan(j)[0]["count"] == 2 and "c-1" in j.damaged()
    assert read(path) == before
    _rmtree(root)


def test_leftover_temp_files_and_lone_ack_files_are_removed_at_scan():
    root = fresh("tmp")
    j, log = filled(root, n=2)
    j.ack("c-1", 1)
    for name in ("c-1.j.tmp", "boot.tmp", "c-1.a.tmp", "gone.a"):
        write(root + "/" + name, b"partial")
    j = Journal(root)
    j.scan()
    assert sorted(os.listdir(root)) == ["c-1.a", "c-1.j"]
    assert j.acked("c-1") == 1
    _rmtree(root)


def test_a_failed_write_raises_and_the_case_is_read_back_before_its_next_use():
    root = fresh("fail")
    j, log = filled(root, n=3)
    path = root + "/c-1.j"
    full = read(path)
    os.remove(path)
    os.mkdir(path)  # the filesystem now refuses to open the journal for append
    err = raises(JournalWriteError, log.append, ev(4))
    assert isinstance(err, OSError) and "not recorded" in str(err)
    os.rmdir(path)
    write(path, full + record(ev(4))[:9])  # as if part of the record had landed
    assert len(log) == 3  # read back from flash: the torn bytes are not an event
    log.append(ev(4))  # the torn bytes are cut before the record is written
    assert read(path) == full + record(ev(4))
    assert list(Journal(root).log("c-1")) == [ev(1), ev(2), ev(3), ev(4)]
    _rmtree(root)


# -- acks -----------------------------------------------------------------------------


def test_acks_persist_keep_the_maximum_and_stop_at_the_count():
    root = fresh("ack")
    j, log = filled(root, n=5)
    assert j.acked("c-1") == 0
    assert j.ack("c-1", 3) == 3
    assert j.ack("c-1", 2) == 3
    err = raises(JournalError, j.ack, "c-1", 6)
    assert "holds 5 events" in str(err)
    for bad in (-1, True, "4", None):
        raises(JournalError, j.ack, "c-1", bad)
    raises(JournalError, j.ack, "c-9", 1)
    again = Journal(root)
    assert rescan(again) == [{"case": "c-1", "count": 5, "acked": 3, "closed": False}]
    assert again.ack("c-1", 5) == 5 and Journal(root).acked("c-1") == 5
    _rmtree(root)


def test_a_damaged_ack_file_counts_nothing_as_acknowledged():
    root = fresh("ackbad")
    j, log = filled(root, n=5)
    j.ack("c-1", 4)
    raw = bytearray(read(root + "/c-1.a"))
    raw[0] ^= 0xFF
    write(root + "/c-1.a", bytes(raw))
    assert Journal(root).acked("c-1") == 0  # the host re-syncs; nothing is lost
    _rmtree(root)


# -- storage --------------------------------------------------------------------------


def test_storage_states_and_a_full_flash_refuses_a_new_case_but_keeps_the_old():
    root = fresh("full")
    space = Space(root, 2048 * KB)
    j, log = filled(root, n=3, space=space)
    for free, want in ((1024 * KB, "ok"), (257 * KB, "ok"), (255 * KB, "low"), (RESERVE, "low"),
                       (RESERVE - 1, "full"), (0, "full")):
        space.free = free
        assert j.storage_state() == want, (free, want)
    err = raises(StorageFull, j.new_case, "c-2")
    assert "sync finished cases" in str(err) and isinstance(err, JournalError)
    log.append(ev(4))  # the case in progress goes on (the flash itself refuses when it must)
    assert rescan(Journal(root)) == [{"case": "c-1", "count": 4, "acked": 0, "closed": False}]
    space.free = RESERVE
    j.new_case("c-2")
    raises(JournalError, j.new_case, "c-2")
    for bad in ("", "a/b", "anchors", "x" * 33, "sp ace", 7, None):
        raises(JournalError, j.new_case, bad)
    small = Space(root, 256 * KB)  # a small flash: "low" below 2 x reserve
    small.free = 127 * KB
    assert Journal(root, small).storage_state() == "low"
    _rmtree(root)


def close_case(j, case_id, n, acked):
    log = j.new_case(case_id)
    for s in range(1, n):
        log.append(ev(s))
    log.append({"seq": n, "t": 9, "k": "close"})
    j.ack(case_id, acked)


def test_reclaim_deletes_only_closed_fully_acknowledged_cases_oldest_first():
    root = fresh("reclaim")
    space = Space(root, 1024 * KB, per_case=170 * KB)
    j = Journal(root, space)
    j.scan()
    close_case(j, "zeta", 4, 4)  # oldest, closed, acknowledged
    close_case(j, "alpha", 3, 3)  # newer, closed, acknowledged
    close_case(j, "beta", 5, 4)  # closed, one event not acknowledged
    open_ = j.new_case("gamma")  # open, everything acknowledged
    open_.append(ev(1))
    j.ack("gamma", 1)
    close_case(j, "reopened", 4, 4)
    j.log("reopened").append({"seq": 5, "t": 9, "k": "undo", "ref": 4})  # the close undone
    j.ack("reopened", 5)
    close_case(j, "shown", 2, 2)  # on screen: kept
    assert j.storage_state() == "full"  # 6 x 170 KB of 1 MB
    gone = j.reclaim(keep=("shown",))
    assert gone == ["zeta", "alpha"]  # then 4 x 170 KB used: "ok", and it stops
    assert j.storage_state() == "ok" and j.reclaim() == []
    assert "zeta.j" not in os.listdir(root) and "zeta.a" not in os.listdir(root)
    raises(JournalError, j.log, "zeta")
    space.per_case = 400 * KB
    assert j.reclaim(keep=("shown",)) == []  # nothing else may go
    assert j.reclaim() == ["shown"]
    left = [c["case"] for c in rescan(Journal(root, space))]
    assert left == ["beta", "gamma", "reopened"]
    _rmtree(root)


def test_reclaim_does_nothing_while_storage_is_ok():
    root = fresh("reclaimok")
    j = Journal(root, Space(root, 2048 * KB))
    j.scan()
    close_case(j, "done", 3, 3)
    assert j.reclaim() == [] and j.cases()[0]["closed"]
    _rmtree(root)


# -- time -----------------------------------------------------------------------------


def booted(root, space=None):
    """A journal as the panel has it after a boot: scanned, this boot counted."""
    j = Journal(root, space)
    j.scan()
    j.next_boot()
    return j


def test_wall_time_from_anchors_nearest_anchor_and_a_ticks_wrap():
    root = fresh("anchor")
    j = booted(root)
    j.new_case("unsynced").append(ev(1))  # boots from 1 on may hold unsynced events: their anchors stay
    j.anchor(1, 1000, W)
    j.anchor(1, 100000, W + 99007)  # 7 ms of drift by the second anchor
    j = booted(root)  # boot 2: no anchor
    top = (1 << 30) - 100
    j = booted(root)
    j.anchor(3, top, W + 3600000)
    for boot, ticks, want in ((1, 1500, W + 500), (1, 400, W - 600), (1, 90000, W + 89007),
                              (1, 120000, W + 119007), (3, 50, W + 3600000 + 150),
                              (3, top - 10, W + 3599990), (2, 1500, None), (4, 0, None)):
        assert j.wall_time(boot, ticks) == want, (boot, ticks)
    again = Journal(root)
    assert again.anchors() == [(1, 1000, W), (1, 100000, W + 99007), (3, top, W + 3600000)]
    assert again.wall_time(3, 50) == W + 3600150
    for bad in ((2, 1, W), (3, 1 << 30, W), (3, -1, W), (True, 5, W), (3, "5", W)):
        raises(JournalError, j.anchor, bad[0], bad[1], bad[2])
    _rmtree(root)


def test_a_wall_time_before_the_build_date_beyond_2100_or_backwards_is_refused():
    from panel.journal import AnchorRefused
    from panel.journal.anchors import BACKWARD_SLACK_MS, WALL_MAX
    from panel.version import BUILT_WALL_MS

    root = fresh("anchorwin")
    j = booted(root)
    for wall in (5, 0, -1, BUILT_WALL_MS - 1, WALL_MAX, 2 ** 64 - 1, 10 ** 16):
        raises(AnchorRefused, j.anchor, 1, 1000, wall)
    assert j.anchors() == [] and j.wall_time(1, 1000) is None  # nothing written
    j.anchor(1, 1000, BUILT_WALL_MS)  # the edges are in
    j.anchor(1, 2000, WALL_MAX - 1)  # a clock jumping ahead is taken (and replaces nothing earlier)
    j = booted(root)
    j.anchor(2, 1000, W)
    # the same boot already has W at tick 1000: at tick 11000 it is W + 10 s; a host W + 10 s - 2 s is within
    # the slack, one 2 ms further behind is refused
    j.anchor(2, 11000, W + 10000 - BACKWARD_SLACK_MS)
    err = raises(AnchorRefused, j.anchor, 2, 21000, W + 20000 - 2000 - BACKWARD_SLACK_MS - 2)
    assert "earlier than the time already set" in str(err)
    assert j.anchors()[-2:] == [(2, 1000, W), (2, 11000, W + 8000)]
    _rmtree(root)


def test_a_boot_keeps_its_first_and_latest_anchor_however_often_time_is_set():
    root = fresh("anchorcap")
    j = booted(root)
    j.new_case("unsynced").append(ev(1))
    j.anchor(1, 10, W)
    j = booted(root)
    for i in range(1, 300):
        j.anchor(2, 1000 * i, W + 1000 * i + i)  # a host setting the time again and again
    assert j.anchors() == [(1, 10, W), (2, 1000, W + 1001), (2, 299000, W + 299299)]
    assert j.wall_time(2, 298990) == W + 299289  # the latest anchor places the latest events
    assert j.wall_time(2, 1500) == W + 1501  # the first still places the early ones
    assert Journal(root).anchors() == j.anchors()  # on flash as in RAM
    _rmtree(root)


def test_a_torn_or_damaged_anchor_file_keeps_every_good_anchor():
    root = fresh("anchorbad")
    j = Journal(root)
    j.scan()
    j.new_case("open").append(ev(1))  # an unsynced case of boot 0: every anchor stays
    for b in range(1, 5):
        j = booted(root)
        j.anchor(b, 10 * b, W + b)
    path = root + "/anchors.j"
    full = read(path)
    n = len(full) // 4
    bad = bytearray(full)
    bad[n + 3] ^= 0x01  # the second anchor's CRC
    write(path, bytes(bad) + b"\x00\x09")
    j = Journal(root)
    j.scan()
    assert [a[0] for a in j.anchors()] == [1, 3, 4]
    assert read(path) == full[:n] + full[2 * n :]
    _rmtree(root)


def test_the_boot_counter_counts_across_restarts_and_never_reuses_an_id():
    root = fresh("boot")
    assert [Journal(root).next_boot() for _ in range(3)] == [1, 2, 3]
    write(root + "/boot", bytes(b"\x08") + (binascii.crc32(b"\x08") & 0xFFFFFFFF).to_bytes(4, "big"))
    j = Journal(root)
    assert j.next_boot() == 9
    j.new_case("c-9").append(ev(1))  # unsynced: the anchor of boot 9 stays
    j.anchor(9, 0, W)
    write(root + "/boot", b"damaged")
    assert Journal(root).next_boot() == 10  # past every boot an anchor or a case names
    os.remove(root + "/boot")
    assert Journal(root).next_boot() == 10  # boot 10 left no anchor and no case: its id may come again
    assert Journal(root).next_boot() == 11
    _rmtree(root)


def test_anchors_of_boots_whose_events_are_all_synced_go_at_the_next_boot():
    root = fresh("prune")
    j = booted(root)
    j.new_case("first").append(ev(1))
    j.anchor(1, 5, W)  # a sync sets the time ...
    j = booted(root)
    j.anchor(2, 5, W + DAY)
    assert [a[0] for a in j.anchors()] == [1, 2]  # case "first" is not synced: boot 1's anchor stays
    j.ack("first", 1)  # ... and acknowledges everything
    j = booted(root)  # boot 3
    assert j.anchors() == []  # nothing unsynced: no earlier boot's anchor is needed
    j.anchor(3, 5, W + 2 * DAY)
    j.new_case("second").append(ev(1))
    j = booted(root)  # boot 4: "second" (boot 3) is unsynced
    j.anchor(4, 5, W + 3 * DAY)
    assert [a[0] for a in j.anchors()] == [3, 4]
    _rmtree(root)


def test_a_year_of_boots_with_two_syncs_a_day_keeps_the_anchors_file_small():
    from panel.journal import MAX_ANCHORS
    from panel.journal.anchors import MAX_FILE

    root = fresh("year")
    for b in range(1, 366):
        j = booted(root)
        j.anchor(b, 1000, W + b * DAY)
        if b % 7 == 0:
            log = j.new_case("c%d" % b)
            log.append(ev(1))
            log.append({"seq": 2, "t": 9, "k": "close"})
        j.anchor(b, 3000000, W + b * DAY + 2999000)
        for c in j.cases():
            j.ack(c["case"], c["count"])
    assert size(root + "/anchors.j") <= 2 * 43  # this boot's two, nothing older
    # never synced again: the file stays within its stated maximum however many boots go by
    j = booted(root)
    j.new_case("unsynced").append(ev(1))
    for b in range(367, 367 + MAX_ANCHORS):
        j = booted(root)
        j.anchor(b, 1000, W + b * DAY)
        j.anchor(b, 2000, W + b * DAY + 1000)
        assert size(root + "/anchors.j") <= MAX_FILE
    assert len(j.anchors()) == MAX_ANCHORS + 2  # at most MAX_ANCHORS kept at boot, this boot's two on top
    assert j.anchors()[-1] == (b, 2000, W + b * DAY + 1000)
    _rmtree(root)


def test_reclaim_drops_the_anchors_of_boots_no_case_needs():
    root = fresh("reclaimprune")
    space = Space(root, 1024 * KB, per_case=400 * KB)
    j = booted(root, space)
    close_case(j, "first", 2, 1)
    j.anchor(1, 5, W)
    j = booted(root, space)
    j.anchor(2, 5, W + 1)
    assert [a[0] for a in j.anchors()] == [1, 2]
    j.ack("first", 2)
    j.new_case("second").append(ev(1))
    assert j.reclaim() == ["first"]
    assert j.anchors() == [(2, 5, W + 1)]
    assert Journal(root).anchors() == j.anchors()
    _rmtree(root)


# -- the case model on the journal ----------------------------------------------------


def summary(case):
    st = case.state
    runs = []
    for cid, run, seq in st.runs:
        runs.append((cid, seq, run.cur, run.end, sorted(run.statuses()), len(run.history)))
    return (st.case_id, st.content, sorted(st.findings.values.items()), st.viewed, runs, st.strategy,
            sorted(st.outcomes.items()), st.complications, st.notes, st.closed, case.undone)


def test_a_case_recorded_on_the_journal_resumes_after_a_reboot():
    root = fresh("case")
    j = Journal(root)
    j.scan()
    j.next_boot()
    case = Case(log=j.new_case("c-0001"))
    case.record("open", 1000, {"case": "c-0001", "cv": CONTENT_VERSION, "fw": FIRMWARE_VERSION})
    case.record("finding", 2000, {"f": "length_mm", "v": 25, "src": "ct"})
    case.record("finding", 2100, {"f": "age", "v": 71})
    case.record("score_viewed", 2200, {"score": "jcto"})
    case.record("cl_start", 3000, {"cl": "whih"})
    case.record("confirm", 4000, {"item": "in_guide"})
    case.record("note", 5000, {"text": "septal channel tortuous"})
    case.record("decide", 6000, {"item": "retro_mc", "opt": "no"})
    case.record("undo", 7000, {"ref": 7})  # reads event 7 back by its offset
    case.record("outcome", 8000, {"o": "technical_success", "v": "yes"})
    case.record("close", 9000)
    case.record("note", 9500, {"text": "closed with a note"})
    want = summary(case)
    events = case.events
    assert len(events) == 12 and events[8]["ref"] == 7
    j2 = Journal(root)
    assert rescan(j2) == [{"case": "c-0001", "count": 12, "acked": 0, "closed": True}]
    resumed = Case.resume(j2.log("c-0001"))
    assert summary(resumed) == want and resumed.events == events
    resumed.record("outcome", 9900, {"o": "in_hospital_mace", "v": "no"})
    again = Case.resume(Journal(root).log("c-0001"))
    assert again.state.procedural_success() == "yes" and len(again.events) == 13
    _rmtree(root)
