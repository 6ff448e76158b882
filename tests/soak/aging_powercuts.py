# tests/soak/aging_powercuts.py — hundreds of boots of the real panel with the power cut at random moments.
#
# The long, randomised form of tests/test_aging.py (make soak). Each boot runs panel.app.Panel on a
# RAM flash of littlefs (os.VfsLfs2) that loses power after a random number of block writes: the
# panel boots (scan, boot count, pairing, the open case resumed), records a random stretch of a
# case through its CaseKeeper as taps would (findings, checklist actions, notes, undo, close,
# new cases), a host sets the time and acknowledges what it holds (as a sync), and storage is
# reclaimed when low — until the power goes. After every cut the flash is remounted and checked:
# no event reported recorded is lost, acknowledgements never exceed what was written, boot ids
# never repeat, the anchors file stays within its stated maximum, the panel starts in safe mode
# only when the flash died during the start or after starts cut short before the main loop (the
# boot guard); the heap after each boot is measured.
# Run: MICROPYPATH=tests/soak:tests/aging:firmware:protocol micropython -X heapsize=8wM \
#          tests/soak/aging_powercuts.py [BOOTS] [SEED]
# Prints the seed first (a failure replays with the same BOOTS and SEED) and a FIGURES line at the end.

import gc
import os
import sys
import time

from boards.walk import NoLink
from images import DEVICE_ID, HOST_ID, HOST_KEY, FakeClock, Rng, _checklist_step, _findings
from bedlink.errors import E_STORAGE, ProtocolError
from bedlink.mpack import pack
from panel import atomic
from panel.app import Panel
from panel.board import LINK_IDLE
from panel.case import CaseError
from panel.journal import Journal
from panel.journal.anchors import MAX_FILE

MOUNT = "/soak"
BLOCK = 512
BLOCKS = 1024  # 512 KB: fills up and reclaims within a few hundred boots
WALL0 = 1797000000000


class Flash:
    """A RAM block device that loses power after `budget` more block writes (every write after fails)."""

    def __init__(self):
        self.data = bytearray(b"\xff" * (BLOCK * BLOCKS))
        self.writes = 0
        self.budget = None
        self.dead = False

    def readblocks(self, block, buf, offset=0):
        at = block * BLOCK + offset
        buf[:] = memoryview(self.data)[at : at + len(buf)]

    def writeblocks(self, block, buf, offset=None):
        if self.dead or (self.budget is not None and self.writes >= self.budget):
            self.dead = True
            return -5
        self.writes += 1
        at = block * BLOCK + (offset or 0)
        self.data[at : at + len(buf)] = buf

    def ioctl(self, op, arg):
        if op == 4:
            return BLOCKS
        if op == 5:
            return BLOCK
        if op == 6:
            if self.dead:
                return -5
            at = arg * BLOCK
            self.data[at : at + BLOCK] = b"\xff" * BLOCK
        return 0


class NoTouch:
    def poll(self):
        return None


class NoDisplay:
    width = 480
    height = 320

    def blit(self, x, y, w, h, buf):
        pass


class Storage:
    root = MOUNT

    def free_bytes(self):
        st = os.statvfs(MOUNT)
        return st[0] * st[3]


class Board:
    name = "soak"
    device_id = DEVICE_ID

    def __init__(self, clock):
        self.clock = clock
        self.link = NoLink()
        self.touch = NoTouch()
        self.display = NoDisplay()
        self.storage = Storage()

    def log(self, text):
        pass


def mount(dev, first=False):
    if first:
        os.VfsLfs2.mkfs(dev)
    os.mount(os.VfsLfs2(dev), MOUNT)
    if first:
        os.mkdir(MOUNT + "/pairing")
        atomic.write(MOUNT + "/pairing/hosts", pack({HOST_ID: {"key": HOST_KEY, "name": "soak host"}}))


def umount():
    try:
        os.umount(MOUNT)
    except OSError:
        pass


def check(recorded, acking):
    """The flash after a cut, as the next boot's scan sees it; returns the case counts."""
    j = Journal(MOUNT + "/journal")
    j.scan()
    counts = {}
    for c in j.cases():
        counts[c["case"]] = c["count"]
        want = recorded.get(c["case"], 0)
        assert want <= c["count"] <= want + 1, "case %s: %d events on flash, %d reported recorded" % (
            c["case"], c["count"], want)
        hi = max(acking.get(c["case"], 0), c["count"])
        assert c["acked"] <= hi, (c, acking.get(c["case"]))
    for cid in recorded:
        if recorded[cid] and cid not in counts:
            assert cid in acked_whole, "case %s with %d recorded events is gone" % (cid, recorded[cid])
    size = 0
    try:
        size = os.stat(MOUNT + "/journal/anchors.j")[6]
    except OSError:
        pass
    assert size <= MAX_FILE, "anchors.j is %d bytes" % size
    return counts, size


acked_whole = {}  # cases a host held whole (acked == count) and that were closed: reclaim may take them


def one_boot(dev, rng, clock, recorded, acking, stats):
    """Boot, work until the power goes (or the stretch ends); returns the boot id."""
    board = Board(clock)
    gc.collect()
    before = gc.mem_alloc()
    panel = Panel(board, None, random_bytes=lambda n: bytes([rng.below(256) for _ in range(n)]))
    gc.collect()
    stats["heap"] = max(stats["heap"], gc.mem_alloc() - before)
    stats["boot"] = panel.boot
    if panel.safe:  # only when the flash died during the start, or after starts cut short before the loop
        assert dev.dead or "starts stopped" in panel.safe, "safe mode at boot %s: %s" % (panel.boot, panel.safe)
        stats["safe"] += 1
        return
    panel.started()
    keeper = panel.keeper
    steps = 5 + rng.below(120)
    for _ in range(steps):
        clock.t += 500 + rng.below(30000)
        roll = rng.below(100)
        if roll < 4:  # a host syncs: the time, then it acknowledges what it holds
            panel.service.set_time({"wall_ms": WALL0 + clock.t + stats["boots"] * 86400000})
            for c in panel.journal.cases():
                if c["count"]:
                    acking[c["case"]] = c["count"]
                    panel.service.ack({"case": c["case"], "upto": c["count"]})
                    if c["closed"]:
                        acked_whole[c["case"]] = 1
        elif keeper.case is None or keeper.case.state.closed:
            try:
                cid = keeper.new_case()
            except CaseError:  # storage full: reclaim what the host holds
                panel.journal.reclaim(keep=())
                continue
            recorded[cid] = 1
            stats["cases"] += 1
            _findings(keeper, rng)
            recorded[cid] = len(keeper.case.log)
        else:
            try:
                if roll < 8:
                    keeper.record("note", {"text": "soak note %d" % rng.below(1000)})
                elif roll < 10 and len(keeper.case.log) > 3:
                    keeper.record("undo", {"ref": len(keeper.case.log)})
                elif roll < 12:
                    keeper.record("outcome", {"o": "technical_success", "v": "yes"})
                    keeper.record("close")
                else:
                    _checklist_step(keeper, rng)
            except CaseError as e:
                if "not recorded" in str(e):
                    raise  # the flash refused: the power is going
            recorded[keeper.case_id] = len(keeper.case.log)
        stats["events"] = sum(recorded.values())


def main(argv):
    boots = int(argv[0]) if argv else 300
    seed = int(argv[1]) if len(argv) > 1 else (time.time_ns() & 0x7FFFFFFF if hasattr(time, "time_ns") else 1)
    print("SEED %d BOOTS %d (replay: tests/soak/aging_powercuts.py %d %d)" % (seed, boots, boots, seed))
    rng = Rng(seed)
    dev = Flash()
    mount(dev, first=True)
    umount()
    clock = FakeClock()
    recorded = {}
    acking = {}
    stats = {"boots": 0, "cuts": 0, "events": 0, "cases": 0, "heap": 0, "anchors_max": 0, "safe": 0, "boot": None}
    last_boot = 0
    t0 = time.ticks_ms()
    for b in range(boots):
        stats["boots"] = b + 1
        dev.dead = False
        dev.budget = dev.writes + 1 + rng.below(400)
        mount(dev)
        stats["boot"] = None
        try:
            one_boot(dev, rng, clock, recorded, acking, stats)
        except OSError:  # JournalWriteError and friends: the power went
            stats["cuts"] += 1
        except CaseError as e:
            if "not recorded" not in str(e):
                raise
            stats["cuts"] += 1
        except ProtocolError as e:  # the panel's answer to the host: E_STORAGE when the flash refused
            if e.code != E_STORAGE:
                raise
            stats["cuts"] += 1
        umount()
        dev.dead = False
        dev.budget = None
        mount(dev)
        try:
            counts, size = check(recorded, acking)
            stats["anchors_max"] = max(stats["anchors_max"], size)
            for cid in counts:  # an event being written when the power went may have landed whole
                recorded[cid] = counts[cid]
        finally:
            umount()
        boot = stats["boot"]
        if boot is not None:
            assert boot > last_boot, "boot id %d used again (last %d)" % (boot, last_boot)
            last_boot = boot
        clock.t = 1000 + rng.below(5000)  # a new boot: the tick counter starts again
        if b % 25 == 0:
            gc.collect()
    ms = time.ticks_diff(time.ticks_ms(), t0)
    print("FIGURES seed=%d boots=%d power_cuts=%d safe_mode_starts=%d cases=%d events_recorded=%d events_lost=0 "
          "heap_after_boot_max=%d anchors_file_max=%d seconds=%d"
          % (seed, stats["boots"], stats["cuts"], stats["safe"], stats["cases"], stats["events"], stats["heap"],
             stats["anchors_max"], ms // 1000))


if __name__ == "__main__":
    main(sys.argv[1:])
