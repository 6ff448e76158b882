# boards/walk.py — drive the real panel UI through a scripted walkthrough, by touch, on the unix port.
#
#   MICROPYPATH=firmware:protocol micropython firmware/boards/walk.py STEPS.jsonl OUTDIR
#
# The panel (panel.app.Panel with the touch UI) runs on the simulator's flash and
# display-memory file, with a clock that moves only when told and fixed "random"
# bytes, so the same steps give the same pixels. Steps (one JSON list a line, read as the walk
# goes: the harness holds one step at a time, not the whole walk):
#   ["tap", "label"]        press the centre of the top screen's widget with that label
#                           (a button, or a list row starting with it): a real touch, at
#                           its coordinates, through board.touch and the main loop; a row
#                           on a later page of a list is reached by pressing ▼ first
#   ["tapxy", x, y]         press at display coordinates
#   ["wait", ms]            let ms of clock pass (loop turns: timers, alerts, repaint)
#   ["snap", "name"]        copy the display memory to OUTDIR/NN-name.rgb565, then paint the
#                           whole screen and copy it to NN-name.full.rgb565: the two must be
#                           equal (what the taps sent left no stale pixels)
#   ["pairing_request"]     a host asks to pair: the code appears where pairing is open, else refused
#   ["break_flash"]         the next flash write of the case fails (the fault screen)
#   ["safe_mode", "why"]    the panel falls back to safe mode for that reason (the safe screen)
#   ["expect", "module"]    stop with an error unless that screen is on top
#   ["finding", id, value(, source)]  record a finding in the open case as the finding screen does
#                           (value null: unknown again); stop with an error if it was not recorded
#   ["every_page"]          on a screen with a list: check every row of this page for text cut short,
#                           press ▼ (a real touch) until the last page, checking each; log each page's
#                           rows (mark, label, detail, value), then the pages, the rows cut and the heap
# OUTDIR/walk.jsonl gets one line per tap (screen, pixels sent) and per snap (screen, title,
# the tappable rectangles, the heap in use), then for each case in the journal a line, then its
# events one per line.
# Exit status 1 with a message naming the step when a label is not on the screen.

import gc
import json
import os
import sys

from boards.sim import FileBlockDevice, FlashStorage, GramDisplay
from boards.tapink import NoLink, QueueTouch  # noqa: F401  (the scripted link and touch, shared)


def copy(src_path, dst_path, chunk):
    mv = memoryview(chunk)
    with open(src_path, "rb") as src:
        with open(dst_path, "wb") as dst:
            while True:
                n = src.readinto(chunk)
                if not n:
                    break
                dst.write(mv[:n])


class StepClock:
    def __init__(self):
        self.t = 1000

    def ticks_ms(self):
        return self.t

    def ticks_diff(self, a, b):
        return a - b

    def sleep_ms(self, ms):
        pass


class WalkBoard:
    name = "sim-walk"
    device_id = "sim-walk"

    def __init__(self, flash_path, gram_path):
        self.clock = StepClock()
        self.link = NoLink()
        self.storage = FlashStorage(FileBlockDevice(flash_path))
        self.display = GramDisplay(gram_path)
        self.touch = QueueTouch()

    def log(self, text):
        pass


class Counter:
    """Fixed bytes instead of randomness: case ids and pairing codes come out the same every run."""

    def __init__(self):
        self.n = 0

    def __call__(self, k):
        out = bytearray(k)
        for i in range(k):
            self.n += 1
            out[i] = (self.n * 37 + 11) & 0xFF
        return bytes(out)


def labels(screen):
    out = []
    for w in screen.widgets:
        label = getattr(w, "label", None)
        if w.visible and w.action is not None and label is not None:
            out.append((label, w))
    return out


def find(screen, text):
    for label, w in labels(screen):
        if label == text:
            return w
    for label, w in labels(screen):
        if label.startswith(text):
            return w
    return None


def cut_rows(screen):
    """[label, what is cut] of every row on the screen whose text would be shortened or broken."""
    from panel.ui.widgets import Row

    out = []
    for w in screen.widgets:
        if isinstance(w, Row) and w.visible:
            cut = w.cut()
            if cut:
                out.append([w.label, cut])
    return out


def row_texts(screen):
    """The text of every row on the screen: [mark, label, detail, value] (None where a row has none)."""
    from panel.ui.widgets import Row

    return [[w.mark, w.label, w.detail, w.value] for w in screen.widgets if isinstance(w, Row) and w.visible]


def press(board, panel, w):
    board.touch.queue.append((w.rect[0] + w.rect[2] // 2, w.rect[1] + w.rect[3] // 2))
    panel.step(0)


def main(argv):
    steps_path, out = argv[0], argv[1]
    steps = open(steps_path)
    # the harness's own buffer, made before the panel starts: a picture is copied a piece at a time
    chunk = bytearray(2048)
    board = WalkBoard(out + "/flash.img", out + "/gram.rgb565")
    from panel.app import Panel
    from panel.ui.touchui import TouchUI

    screen = TouchUI(board.display)
    panel = Panel(board, screen, random_bytes=Counter())
    screen.show(panel)
    ui = screen.ui
    log = open(out + "/walk.jsonl", "w")
    snaps = 0
    i = -1
    while True:
        line = steps.readline()
        if not line:
            break
        i += 1
        step = json.loads(line)
        what = step[0]
        ui = screen.ui  # safe mode starts a UI of its own
        top = ui.top()
        if what == "tap" or what == "tapxy":
            if what == "tap":
                w = find(top, step[1])
                pages = 0
                while w is None and pages < 30 and find(top, "▼") is not None and step[1] != "▼":
                    down = find(top, "▼")  # not on this page of the list: page down, as a person would
                    board.touch.queue.append((down.rect[0] + down.rect[2] // 2, down.rect[1] + down.rect[3] // 2))
                    panel.step(0)
                    pages += 1
                    w = find(top, step[1])
                if w is None:
                    raise SystemExit("step %d: no %r on screen %s (%s); there are: %s" % (
                        i, step[1], top.__module__, top.title, ", ".join([l for l, _ in labels(top)])))
                x, y, ww, hh = w.rect
                x, y = x + ww // 2, y + hh // 2
            else:
                x, y = step[1], step[2]
            before = ui.pixels
            board.touch.queue.append((x, y))
            panel.step(0)
            log.write(json.dumps({"tap": step[-1] if what == "tap" else [x, y], "x": x, "y": y,
                                  "screen": top.__module__.split(".")[-1], "pixels": ui.pixels - before}) + "\n")
        elif what == "wait":
            end = board.clock.t + step[1]
            while board.clock.t < end:
                board.clock.t = min(end, board.clock.t + 250)
                panel.step(0)
        elif what == "snap":
            snaps += 1
            panel.step(0)
            name = "%02d-%s" % (snaps, step[1])
            copy(out + "/gram.rgb565", out + "/" + name + ".rgb565", chunk)
            # and the same screen painted whole: what the taps left must equal it (no stale pixels)
            ui.invalidate((0, 0, board.display.width, board.display.height))
            ui.flush()
            copy(out + "/gram.rgb565", out + "/" + name + ".full.rgb565", chunk)
            targets = []
            for w in ui.top().widgets:
                if w.visible and w.action is not None:
                    targets.append([getattr(w, "label", "?"), w.rect[0], w.rect[1], w.rect[2], w.rect[3]])
            gc.collect()
            log.write(json.dumps({"snap": name, "screen": ui.top().__module__.split(".")[-1],
                                  "title": ui.top().title, "targets": targets, "heap": gc.mem_alloc()}) + "\n")
        elif what == "pairing_request":
            try:
                panel.pairing.pair_start("walk-host", "workstation", b"\x01" * 16, panel.uptime.now())
                answer = "code shown"
            except Exception as e:  # ProtocolError: pairing is not open at the panel
                answer = "refused: %s" % e
            panel.step(0)
            log.write(json.dumps({"pairing_request": answer, "screen": ui.top().__module__.split(".")[-1]}) + "\n")
        elif what == "break_flash":
            log_obj = panel.keeper.case.log
            append = log_obj.append

            def broken(ev, _append=append, _log=log_obj):
                _log.append = _append  # fails once, as a worn block would
                raise OSError(5)

            log_obj.append = broken
        elif what == "safe_mode":
            ui = top = w = None  # the harness lets go of the old screens, as the panel's loop holds none
            panel.enter_safe(step[1])
            panel.step(0)
        elif what == "finding":
            fields = {"f": step[1], "v": step[2]}
            if len(step) > 3 and step[3] is not None:
                fields["src"] = step[3]
            if ui.record("finding", fields) is None:
                raise SystemExit("step %d: finding %r not recorded (%s)" % (i, step[1:], ui.top().title))
            panel.step(0)
        elif what == "every_page":
            lst = top.list
            cut = cut_rows(top)
            log.write(json.dumps({"rows": row_texts(top)}) + "\n")
            pages = 1
            while lst.page < lst.pages - 1:
                press(board, panel, find(top, "▼"))
                pages += 1
                cut += cut_rows(top)
                log.write(json.dumps({"rows": row_texts(top)}) + "\n")
            gc.collect()
            log.write(json.dumps({"pages": pages, "cut": cut, "screen": top.__module__.split(".")[-1],
                                  "title": top.title, "heap": gc.mem_alloc()}) + "\n")
        elif what == "expect":
            if not top.__module__.endswith("." + step[1]):
                raise SystemExit("step %d: expected screen %s, found %s" % (i, step[1], top.__module__))
        else:
            raise SystemExit("step %d: unknown step %r" % (i, what))
    for c in panel.journal.cases():  # what the taps recorded, as the journal holds it, an event a line
        log.write(json.dumps({"case": c["case"], "closed": c["closed"], "count": c["count"]}) + "\n")
        for ev in panel.journal.log(c["case"]):
            log.write(json.dumps({"event": ev}) + "\n")
    log.close()
    steps.close()
    os.remove(out + "/gram.rgb565")


if __name__ == "__main__":
    main(sys.argv[1:])
