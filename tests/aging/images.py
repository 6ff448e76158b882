# tests/aging/images.py — flash images of months of use, built by the firmware's own code (MicroPython).
#
# Each image is the simulator's flash (boards/sim.py: littlefs on a file-backed block device)
# after the worst cases ARCHITECTURE.md's boot budget names, written through panel.journal,
# panel.case and panel.cases exactly as the panel writes them, so a test can boot the real
# firmware on it at the board's heap and sync everything off it:
#   open_case    an open case of EVENTS events, NOTES of them notes, the rest a seeded walk of
#                legal checklist actions (confirm, decide, measure, skip, defer, timers, reset,
#                strategy changes, undo) over every checklist, plus findings and outcomes
#   boots        BOOTS boots, each setting the time twice (two syncs a day) and acknowledging
#                everything; a short case every few boots
#   cases        CASES closed cases, none acknowledged
#   full         closed unacknowledged cases until the journal says storage is "full", then an
#                open case of a few events
# Every image also holds a paired host (HOST_ID, key HOST_KEY) so that a host can authenticate
# and sync, and the device id DEVICE_ID.
# Deterministic: a seeded xorshift and a fake clock; the same arguments give the same image.
#
# Run: MICROPYPATH=tests/aging:firmware:protocol micropython -X heapsize=4wM tests/aging/images.py KIND FILE [N...]
# Prints "IMAGE <kind> <cases> <events> <anchors>" when done.

import gc
import os
import sys

from bedlink.mpack import pack
from boards.sim import FLASH_BLOCK, FLASH_BLOCKS, FlashStorage
from panel import atomic
from panel.case import CaseError
from panel.cases import CaseKeeper
from panel.journal import Journal

DEVICE_ID = "sim-aging01"
HOST_ID = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
HOST_NAME = "aging test host"
HOST_KEY = bytes(range(32))
WALL0 = 1797000000000  # 2026-12-11, ms since 1970 (after the firmware build date)
DAY = 86400000


class Rng:
    """xorshift32: the same sequence on every runtime."""

    def __init__(self, seed):
        self.s = (seed or 1) & 0xFFFFFFFF

    def next(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.s = s
        return s

    def below(self, n):
        return self.next() % n

    def pick(self, seq):
        return seq[self.below(len(seq))]


class FakeClock:
    def __init__(self, t=1000):
        self.t = t

    def ticks_ms(self):
        return self.t

    def ticks_diff(self, a, b):
        return a - b

    def sleep_ms(self, ms):
        self.t += ms


def _ids(n, rng):
    out = bytearray(n)
    for i in range(n):
        out[i] = rng.below(256)
    return bytes(out)


class RamBlockDevice:
    """The simulator's flash (boards/sim.py FileBlockDevice: same geometry) held in RAM while the image is
    built, written to its file once at the end (thousands of boots write to flash far too often for a file)."""

    def __init__(self, block_size=FLASH_BLOCK, blocks=FLASH_BLOCKS):
        self.block_size = block_size
        self.blocks = blocks
        self.data = bytearray(b"\xff" * (block_size * blocks))

    def readblocks(self, block, buf, offset=0):
        at = block * self.block_size + offset
        buf[:] = memoryview(self.data)[at : at + len(buf)]

    def writeblocks(self, block, buf, offset=None):
        at = block * self.block_size + (offset or 0)
        self.data[at : at + len(buf)] = buf

    def ioctl(self, op, arg):
        if op == 4:
            return self.blocks
        if op == 5:
            return self.block_size
        if op == 6:
            return 0
        return None

    def save(self, path):
        with open(path, "wb") as f:
            f.write(self.data)


def mount(dev):
    storage = FlashStorage(dev)
    root = storage.root
    with open(root + "/device_id", "w") as f:
        f.write(DEVICE_ID)
    try:
        os.mkdir(root + "/pairing")
    except OSError:
        pass
    atomic.write(root + "/pairing/hosts", pack({HOST_ID: {"key": HOST_KEY, "name": HOST_NAME}}))
    return root


def _value(m, rng):
    # a legal value for measure m: a pick id (never "other", which needs text) or an int in range
    if type(m[2]) is tuple:
        picks = [p[0] for p in m[2] if p[0] != "other"]
        return rng.pick(picks)
    return m[3] + rng.below(m[4] - m[3] + 1)


def _checklist_step(keeper, rng):
    """Record one legal checklist action chosen at random; False if none could be recorded."""
    from panel.checklist import ABANDON_REASONS, RESET_REASONS, SKIP_REASONS
    from panel.content.checklists import INDEX

    st = keeper.case.state
    run = st.active
    if run is None or run.end is not None:
        if run is not None and rng.below(3) == 0:
            keeper.record("reset", {"why": "retry"})
        elif run is None or rng.below(2):
            cid = rng.pick(INDEX)[0]
            if run is None:
                keeper.record("cl_start", {"cl": cid})
            else:
                keeper.record("strategy", {"to": cid, "why": "aging walk"})
        else:
            keeper.record("strategy", {"to": rng.pick(INDEX)[0], "why": "aging walk"})
        return True
    legal = run.legal()
    kind, iid, arg = rng.pick(legal)
    if kind == "note" or kind == "reset" and rng.below(8):
        kind, iid, arg = "confirm", None, None
        for a in legal:
            if a[0] in ("confirm", "decide"):
                kind, iid, arg = a
                break
        if iid is None:
            return False
    fields = {}
    if kind == "decide":
        fields = {"item": iid, "opt": arg}
    elif kind in ("confirm", "defer"):
        fields = {"item": iid}
    elif kind == "skip":
        fields = {"item": iid, "why": rng.pick(SKIP_REASONS[:-1])[0]}
    elif kind == "measure":
        if iid == "case":
            spec = run.cl.get("rec", ())
        else:
            spec = run.item(iid).get("m", ())
        m = [x for x in spec if x[0] == arg][0]
        fields = {"item": iid, "m": arg, "val": _value(m, rng)}
    elif kind in ("timer_start", "timer_stop", "timer_alert"):
        fields = {"timer": iid}
    elif kind == "abandon":
        if rng.below(4):
            return False
        fields = {"why": rng.pick(ABANDON_REASONS[:-1])[0]}
    elif kind == "reset":
        fields = {"why": rng.pick(RESET_REASONS[:-1])[0]}
    keeper.record(kind, fields)
    return True


def _findings(keeper, rng):
    from panel.content.findings import CHOICE, FINDINGS, INT, YN

    for f in FINDINGS:
        if f[1] == YN:
            v = rng.pick(("yes", "no"))
        elif f[1] == CHOICE:
            v = rng.pick(f[4])[0]
        elif f[1] == INT:
            v = f[4][1] + rng.below(f[4][2] - f[4][1] + 1)
        else:
            continue
        try:
            keeper.record("finding", {"f": f[0], "v": v})
        except CaseError:
            pass  # a combination the catalogue refuses: left unknown


NOTE_TEXTS = ("wire position checked in two views", "contrast top-up", "ACT 310 s", "guide backed out",
              "patient comfortable", "knuckle formed", "IVUS run saved",
              "septal channel tortuous on the injection, switched to a Suoh 03 and tip-surfed; the retrograde "
              "microcatheter followed without resistance and the distal cap was reached in a good position")


def fill_case(keeper, rng, events, notes, clock, close):
    """Open a case and record `events` events (notes of them notes); close it when asked."""
    keeper.new_case()
    _findings(keeper, rng)
    case = keeper.case
    made_notes = 0
    while len(case.log) < events - (1 if close else 0):
        clock.t += 1000 + rng.below(60000)
        left = events - len(case.log)
        if made_notes < notes and (rng.below(2) or left <= notes - made_notes):
            keeper.record("note", {"text": "%d: %s" % (len(case.log), rng.pick(NOTE_TEXTS))})
            made_notes += 1
            continue
        roll = rng.below(40)
        try:
            if roll == 0 and len(case.log) > 2:
                ref = len(case.log)
                ev = case.log.get(ref)
                if ev["k"] not in ("open", "undo"):
                    keeper.record("undo", {"ref": ref})
                    continue
            if not _checklist_step(keeper, rng):
                keeper.record("note", {"text": "%d: %s" % (len(case.log), rng.pick(NOTE_TEXTS))})
                made_notes += 1
        except CaseError:
            pass  # e.g. an undo that would break a later step: the walk tries something else
        if len(case.log) % 200 == 0:
            gc.collect()
    if close:
        keeper.record("outcome", {"o": "technical_success", "v": rng.pick(("yes", "no"))})
        keeper.record("close")
    return keeper.case_id


def build(kind, path, args):
    dev = RamBlockDevice()
    root = mount(dev)
    jroot = root + "/journal"
    rng = Rng(20261206)
    clock = FakeClock()
    anchors = 0
    if kind == "open_case":
        events = int(args[0]) if args else 2000
        notes = int(args[1]) if len(args) > 1 else events // 2
        j = Journal(jroot)
        j.scan()
        boot = j.next_boot()
        keeper = CaseKeeper(j, boot, clock, None, lambda n: _ids(n, rng))
        fill_case(keeper, rng, events, notes, clock, close=False)
    elif kind == "boots":
        # One Journal for all the boots: a real boot's scan finds what the one before it left (every case
        # acknowledged), so only the boot count and the anchors' pruning of next_boot() matter here.
        boots = int(args[0]) if args else 1000
        j = Journal(jroot)
        j.scan()
        for b in range(boots):
            boot = j.next_boot()
            clock.t = 1000
            keeper = CaseKeeper(j, boot, clock, None, lambda n: _ids(n, rng))
            wall = WALL0 + b * DAY
            for sync in range(2):
                clock.t += 3600000
                j.anchor(boot, clock.t, wall + clock.t)
                anchors += 1
                if sync == 0 and b % 5 == 0:
                    fill_case(keeper, rng, 12, 4, clock, close=True)
                if keeper.case_id is not None:
                    j.ack(keeper.case_id, len(keeper.case.log))
            j.reclaim()
            if b % 50 == 0:
                gc.collect()
    elif kind in ("cases", "full"):
        n = int(args[0]) if args else 200
        size = int(args[1]) if len(args) > 1 else 30
        j = Journal(jroot)
        j.scan()
        boot = j.next_boot()
        keeper = CaseKeeper(j, boot, clock, None, lambda n: _ids(n, rng))
        made = 0
        while (kind == "cases" and made < n) or (kind == "full" and j.storage_state() != "full"):
            fill_case(keeper, rng, size, size // 3, clock, close=True)
            made += 1
            if made % 20 == 0:
                gc.collect()
    else:
        raise SystemExit("unknown image kind %r" % kind)
    j = Journal(jroot)
    j.scan()
    cases = j.cases()
    total = 0
    for c in cases:
        total += c["count"]
    anchors = len(j.anchors())
    os.umount(root)
    dev.save(path)
    print("IMAGE %s %d %d %d" % (kind, len(cases), total, anchors))


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2], sys.argv[3:])
