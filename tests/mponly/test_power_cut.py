# tests/mponly/test_power_cut.py — power cut at every flash write of a whole case, on real littlefs.
#
# Covers panel/journal.py over os.VfsLfs2 (the littlefs the board runs) on a RAM block
# device that takes only the first N block writes and then loses power: every later
# write raises OSError and never lands. For EVERY N from 0 to the number of block writes
# the scenario needs (next_boot, a new case, 201 events as panel.case makes them: open,
# findings, a checklist's taps, notes, an undo, close; two acks and a time anchor), the
# flash is remounted as after a reboot and Journal.scan() must find: every event whose
# append returned, intact, in order, with no gap and no duplicate; at most the one event
# being written besides, whole; acked never more than was being acknowledged; the anchor
# only if it was being written; a boot id never reused; new appends accepted. A second
# pass tears the failing write instead (its first half lands), as an interrupted page
# program does. A third sweep cuts the power during a boot's repairs and reclaim (a torn
# tail cut, a closed acknowledged case deleted, its boot's anchor dropped): every case is
# then whole or, the reclaimed one only, whole or gone. Also: a flash that fills up refuses
# the write (JournalWriteError) and loses nothing, and a new case is refused with StorageFull.
# Numbers: ARCHITECTURE.md "Budgets": 0 events lost of those reported recorded.
# Run alone: MICROPYPATH=tests/portable:tests/mponly:protocol:firmware micropython tests/mprun.py test_power_cut
# (tests/test_micropython.py runs it under pytest); prints the N values tried and the time.

import os
import time

from panel.content import CONTENT_VERSION
from panel.journal import Journal, JournalWriteError, StorageFull
from ptest import raises, rescan

MOUNT = "/pcut"
ROOT = MOUNT + "/journal"
BLOCK = 512
BLOCKS = 256  # 128 KB: room for the case and the journal's 64 KB reserve
CASE = "k7Qx-2f"
ANCHOR = (1, 1046, 1797000000000)  # boot 1, ticks, 2026-12-11T13:20:00Z in ms


class PowerCutFlash:
    """A RAM flash for os.VfsLfs2 (readblocks/writeblocks/ioctl as boards/sim.py) with a power switch.

    budget: the number of further writeblocks calls that land; the next one loses
    power (raises OSError, and with tear=True its first half lands), and from then on
    every write and erase fails (error code EIO). None: no cut.
    """

    def __init__(self, data):
        self.data = data
        self.writes = 0
        self.budget = None
        self.tear = False
        self.dead = False

    def readblocks(self, block, buf, offset=0):
        at = block * BLOCK + offset
        buf[:] = memoryview(self.data)[at : at + len(buf)]

    def writeblocks(self, block, buf, offset=None):
        if self.dead or (self.budget is not None and self.writes >= self.budget):
            if self.tear and not self.dead:
                at = block * BLOCK + (offset or 0)
                half = len(buf) // 2
                self.data[at : at + half] = buf[:half]
            self.dead = True
            return -5  # EIO (an exception here would be printed by the VFS layer, then mapped to EIO)
        self.writes += 1
        at = block * BLOCK + (offset or 0)
        self.data[at : at + len(buf)] = buf

    def ioctl(self, op, arg):
        if op == 4:  # block count
            return BLOCKS
        if op == 5:  # block size
            return BLOCK
        if op == 6:  # erase
            if self.dead:
                return -5
            at = arg * BLOCK
            self.data[at : at + BLOCK] = b"\xff" * BLOCK
        return 0


def _pristine():
    dev = PowerCutFlash(bytearray(b"\xff" * (BLOCK * BLOCKS)))
    os.VfsLfs2.mkfs(dev)
    return bytes(dev.data)


PRISTINE = _pristine()
FLASH = bytearray(len(PRISTINE))  # one image, reused by every run (the heap holds few of 256 KB)
SAVED = bytearray(len(PRISTINE))  # a second, for the image a test starts each run from: both allocated
# here, at import, while the heap is one piece (a 128 KB copy made later can fail to find room)


def _mount(data):
    dev = PowerCutFlash(data)
    os.mount(os.VfsLfs2(dev), MOUNT)
    return dev


def _umount():
    try:
        os.umount(MOUNT)
    except OSError:
        pass


def case_events():
    """201 events as panel.case records them: seq, t (ms ticks), k and small fields."""
    evs = [{"k": "open", "case": CASE, "cv": CONTENT_VERSION, "fw": "0.1.0"}]
    for f, v in (("age", 72), ("vessel", "rca"), ("length_mm", 34), ("calcification", "severe"),
                 ("blunt_stump", "yes"), ("rentrop", "2"), ("prior_cabg", "no")):
        evs.append({"k": "finding", "f": f, "v": v, "src": "ct"})
    evs.append({"k": "score_viewed", "score": "jcto"})
    evs.append({"k": "cl_start", "cl": "calcified"})
    wires = ("gaia_2", "gaia_3", "fielder_xt", "pilot_200", "confianza_pro", "hornet_14")
    i = 0
    while len(evs) < 196:
        i += 1
        r = i % 8
        if r == 0:
            evs.append({"k": "measure", "item": "cap", "m": "wire", "val": wires[i % len(wires)]})
        elif r == 1:
            evs.append({"k": "confirm", "item": "step_%d" % (i % 23)})
        elif r == 2:
            evs.append({"k": "decide", "item": "cap_options", "opt": "yes" if i % 3 else "no"})
        elif r == 3:
            evs.append({"k": "timer_start", "timer": "fluoro"})
        elif r == 4:
            evs.append({"k": "note", "text": "microcatheter advanced %d mm, wire tip %d" % (i % 40, i)})
        elif r == 5:
            evs.append({"k": "measure", "item": "balloon", "m": "diameter", "val": 15 + i % 20})
        elif r == 6:
            evs.append({"k": "timer_stop", "timer": "fluoro"})
        else:
            evs.append({"k": "skip", "item": "step_%d" % (i % 23), "why": "not_needed"})
    evs.append({"k": "undo", "ref": 150})
    evs.append({"k": "outcome", "o": "technical_success", "v": "yes"})
    evs.append({"k": "outcome", "o": "in_hospital_mace", "v": "no"})
    evs.append({"k": "note", "text": "Wire crossed after escalation; no complication. \u00e9chec \u00e9vit\u00e9"})
    evs.append({"k": "close"})
    t = 1000000
    for n, ev in enumerate(evs):
        t += 700 + (n * 37) % 2900
        ev["seq"] = n + 1
        ev["t"] = t
    return evs


EVENTS = case_events()


class Progress:
    """What the scenario had been told was recorded when the power went."""

    def __init__(self):
        self.boot = 0  # next_boot()'s answer
        self.created = False
        self.recorded = 0  # events whose append returned
        self.acked = 0  # the highest ack that returned
        self.acking = 0  # the ack being written, if any
        self.anchored = False
        self.anchoring = False
        self.step = "mkdir"  # what was running


def scenario(p):
    j = Journal(ROOT)
    p.step = "journal"
    p.boot = j.next_boot()
    log = j.new_case(CASE)
    p.created = True
    for ev in EVENTS:
        log.append(ev)
        p.recorded = ev["seq"]
        if p.recorded in (80, 160):
            p.acking = p.recorded - 20
            j.ack(CASE, p.acking)
            p.acked = p.acking
        if p.recorded == 100:
            p.anchoring = True
            j.anchor(ANCHOR[0], ANCHOR[1], ANCHOR[2])
            p.anchored = True


def run_until_cut(budget, tear=False):
    """Run the scenario on fresh flash until the power goes after `budget` writes; return the image."""
    data = FLASH
    data[:] = PRISTINE
    dev = _mount(data)
    dev.budget = None if budget is None else dev.writes + budget
    dev.tear = tear
    p = Progress()
    try:
        scenario(p)
        cut = False
    except JournalWriteError:
        cut = True
    except OSError:  # only creating the journal's directory may fail otherwise
        assert p.step == "mkdir"
        cut = True
    _umount()
    return data, p, cut, dev.writes


def check_recovery(data, p):
    """Reboot on the image: scan and check the promises; then a new event must be accepted."""
    _mount(data)
    try:
        j = Journal(ROOT)
        cases = rescan(j)
        for name in os.listdir(ROOT):
            assert not name.endswith(".tmp"), name
        if not cases:
            assert p.recorded == 0, "case lost with %d events recorded" % p.recorded
            assert j.anchors() == [], j.anchors()
            log = j.new_case(CASE)
            count = 0
        else:
            assert len(cases) == 1 and cases[0]["case"] == CASE, cases
            log = j.log(CASE)
            got = list(log)
            count = len(got)
            assert p.recorded <= count <= p.recorded + 1, (p.recorded, count)
            for i in range(count):
                assert got[i] == EVENTS[i], (i, got[i])
            assert cases[0]["count"] == count and cases[0]["closed"] == (count == len(EVENTS)), cases
            acked = j.acked(CASE)
            assert acked in (p.acked, p.acking) and acked <= count, (acked, p.acked, p.acking)
            if count:
                assert log.get(count) == EVENTS[count - 1]
        anchors = j.anchors()
        want = [ANCHOR]
        if p.anchored:
            assert anchors == want
        else:
            assert anchors == [] or (p.anchoring and anchors == want), anchors
        boot = j.next_boot()
        assert boot > p.boot, "boot id %d used again" % boot
        ev = {"seq": count + 1, "t": 5, "k": "note", "text": "after the power cut"}
        log.append(ev)
        again = Journal(ROOT)
        again.scan()
        assert len(again.log(CASE)) == count + 1, "the event after recovery was lost"
        assert again.log(CASE).get(count + 1) == ev
    finally:
        _umount()


def _sweep(tear):
    t0 = time.ticks_ms()
    total = run_until_cut(None)[3]
    tried = 0
    for n in range(total + 1):
        data, p, cut, _ = run_until_cut(n, tear)
        try:
            assert cut == (n < total), "the scenario ran out of power: %r" % cut
            check_recovery(data, p)
        except AssertionError as e:
            raise AssertionError("power cut after write %d of %d (%d events recorded): %s" % (n, total, p.recorded, e))
        tried += 1
    ms = time.ticks_diff(time.ticks_ms(), t0)
    print("power cut%s at every write: %d N values (0..%d block writes of %d bytes), %d ms"
          % (" (torn)" if tear else "", tried, total, BLOCK, ms))
    assert tried == total + 1 and total > 700


def test_power_cut_at_every_write_loses_no_recorded_event():
    _sweep(False)


def test_torn_write_at_every_point_loses_no_recorded_event():
    _sweep(True)


def _maintenance_image():
    """Flash holding: "old" (closed, all acknowledged, boot 1), "kept" (open, boot 2) and "torn"
    (boot 2, garbage after its 10 events), with an anchor in each boot: what a boot scan
    repairs and what reclaim deletes (128 KB of flash is always below "ok")."""
    FLASH[:] = PRISTINE
    _mount(FLASH)
    j = Journal(ROOT)
    j.next_boot()
    j.anchor(1, 5, 1797000000000)
    log = j.new_case("old")
    for ev in EVENTS[:20] + [{"seq": 21, "t": 9, "k": "close"}]:
        log.append(ev)
    j.ack("old", 21)
    j = Journal(ROOT)
    j.next_boot()
    j.anchor(2, 5, 1797003600000)
    for cid, n in (("kept", 20), ("torn", 10)):
        log = j.new_case(cid)
        for ev in EVENTS[:n]:
            log.append(ev)
    j.ack("kept", 15)
    with open(ROOT + "/torn.j", "ab") as f:
        f.write(b"\x00\x40\x12\x34\x56\x78\x01\x85garbage")
    _umount()
    SAVED[:] = FLASH
    return SAVED


def _maintain(image, budget):
    FLASH[:] = image
    dev = _mount(FLASH)
    dev.budget = None if budget is None else dev.writes + budget
    try:
        j = Journal(ROOT)
        j.scan()
        j.next_boot()
        j.reclaim()
    except OSError:  # JournalWriteError; scan itself goes on when a repair cannot be written
        pass
    _umount()
    return dev.writes


def _check_maintained(complete=False):
    _mount(FLASH)
    try:
        j = Journal(ROOT)
        cases = {}
        for c in rescan(j):
            cases[c["case"]] = c
        assert cases["kept"] == {"case": "kept", "count": 20, "acked": 15, "closed": False}, cases
        assert cases["torn"]["count"] == 10 and list(j.log("torn")) == EVENTS[:10]
        assert list(j.log("kept")) == EVENTS[:20]
        boots = [a[0] for a in j.anchors()]
        if "old" in cases:
            assert cases["old"] == {"case": "old", "count": 21, "acked": 21, "closed": True}, cases
            assert list(j.log("old"))[:20] == EVENTS[:20]
        # boot 1 holds no unsynced event ("old" is wholly acknowledged): its anchor goes at the next boot
        assert boots in ([1, 2], [2]), boots
        assert j.damaged() == {}
        if complete:  # no cut: the repair and the reclaim were all done
            assert "old" not in cases and boots == [2] and "old.a" not in os.listdir(ROOT)
        j.log("torn").append(EVENTS[10])  # the cut tail takes new events
    finally:
        _umount()


def test_power_cut_during_boot_repair_and_reclaim_keeps_every_case_whole():
    t0 = time.ticks_ms()
    image = _maintenance_image()
    total = _maintain(image, None)
    _check_maintained(True)
    for n in range(total + 1):
        _maintain(image, n)
        try:
            _check_maintained()
        except AssertionError as e:
            raise AssertionError("power cut after write %d of %d: %s" % (n, total, e))
    print("power cut during scan repair + reclaim: %d N values, %d ms"
          % (total + 1, time.ticks_diff(time.ticks_ms(), t0)))
    assert total > 5


def test_full_flash_refuses_the_write_and_keeps_every_event():
    FLASH[:] = PRISTINE
    _mount(FLASH)
    try:
        j = Journal(ROOT, reserve=4096)
        log = j.new_case("filler")
        seq = 0
        err = None
        while err is None:
            ev = {"seq": seq + 1, "t": seq, "k": "note", "text": "x" * 200}
            try:
                log.append(ev)
                seq += 1
            except JournalWriteError as e:
                err = e
        assert "not recorded" in str(err) and seq > 500
        assert j.storage_state() == "full"
        raises(StorageFull, j.new_case, "another")
        assert len(log) == seq  # read back from flash after the failed write
        again = Journal(ROOT)
        assert rescan(again) == [{"case": "filler", "count": seq, "acked": 0, "closed": False}]
        n = 0
        for ev in again.log("filler"):
            n += 1
            assert ev["seq"] == n and ev["text"] == "x" * 200
        assert n == seq
    finally:
        _umount()


def _scanned_ram():
    import gc

    gc.collect()
    before = gc.mem_alloc()
    j = Journal(ROOT)
    j.scan()
    gc.collect()
    return j, gc.mem_alloc() - before


def test_ram_does_not_grow_with_cases_or_with_a_case_s_events():
    # firmware/JOURNAL.md, RAM: nothing per case on flash, nothing per event (a fixed 256-byte index)
    import gc

    FLASH[:] = PRISTINE
    _mount(FLASH)
    try:
        j = Journal(ROOT)
        for c in range(40):
            if c == 10:
                small = _scanned_ram()[1]
            log = j.new_case("c%02d" % c)
            for s in range(1, 11):
                log.append({"seq": s, "t": s, "k": "note", "text": "n"})
        j, large = _scanned_ram()
        per_case = (large - small) / 30
        big = j.new_case("big")
        for s in range(1, 101):
            big.append({"seq": s, "t": s, "k": "confirm", "item": "step"})
        big.get(1)
        gc.collect()
        before = gc.mem_alloc()
        for s in range(101, 801):
            big.append({"seq": s, "t": s, "k": "confirm", "item": "step"})
        assert big.get(799)["seq"] == 799 and big.get(3)["seq"] == 3
        gc.collect()
        per_event = (gc.mem_alloc() - before) / 700
        print("RAM: %.1f bytes per case after scan, %.2f bytes per event of an indexed case (64-bit port)"
              % (per_case, per_event))
        assert per_case < 4 and per_event < 0.5
    finally:
        _umount()
