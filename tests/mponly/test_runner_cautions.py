# tests/mponly/test_runner_cautions.py — every caution in force is on the runner's screen, at every item of every path.
#
# The real panel (panel.app.Panel, the touch UI, the journal on littlefs) on MicroPython, driven by touch: each
# path of each checklist (the enumerator of tests/portable/test_checklist_paths.py) is tapped through the runner
# (Done, the decision's option, a measure's button and its first pick), and at every item the cursor reaches the
# runner's widgets are read: the caution band holds the short label of exactly the cautions the rules of
# tests/portable/test_checklist_cautions.py (written from shared/clinical/TECHNIQUES.md) say apply there, every
# one whole (no line cut with "…", as HUMAN-FACTORS.md asks of clinical text), and the item's own text whole; with
# no caution the item is in the large font. The ECL's facts at every item (panel/ui/ecl.py): "item n of N" over the
# window, the current item inside its box, the answered item above the box with its mark; at every end the box
# filled with CHECKLIST COMPLETE (or ABANDONED), the end in words under it and the counts above. On the longest path of each checklist the full text screen is opened
# at every item ("Full text", one tap): it holds the item's source text and every caution in force in full.
# Between two paths the checklist starts again (a reset, as the operator's "Start again"). The screen is painted
# on the longest path (the golden images and the monkey paint every screen); on the others the widgets are read
# without painting them (painting is 90 % of a tap's time here).
# Run alone: MICROPYPATH=tests/portable:tests/mponly:protocol:firmware micropython tests/mprun.py test_runner_cautions
# (tests/test_micropython.py runs it under pytest).

import os

from boards.sim import FileBlockDevice, FlashStorage, GramDisplay
from boards.walk import Counter, NoLink, QueueTouch, StepClock, find, labels
from panel.checklist import caution_short
from panel.content.checklists import INDEX, load
from panel.ui import ecl
from panel.ui.fonts import body, large
from panel.ui.text import wrap
from test_checklist_cautions import expected
from test_checklist_paths import paths

TMP = "/tmp/bedside-runner-cautions-%d" % os.getpid() if hasattr(os, "getpid") else "/tmp/bedside-runner-cautions"


class Board:
    name = "runner-cautions"
    device_id = "runner-cautions"

    def __init__(self, flash):
        self.clock = StepClock()
        self.link = NoLink()
        self.storage = FlashStorage(FileBlockDevice(flash))
        self.display = GramDisplay(None)  # counts pixels, keeps none: the widgets are what is read here
        self.touch = QueueTouch()

    def log(self, text):
        pass


class Driver:
    def __init__(self):
        from panel.app import Panel
        from panel.ui.touchui import TouchUI

        try:
            os.remove(TMP)
        except OSError:
            pass
        self.board = Board(TMP)
        self.screen = TouchUI(self.board.display)
        self.panel = Panel(self.board, self.screen, random_bytes=Counter())
        self.screen.show(self.panel)
        self.taps = 0
        self.painter = self.screen.ui.flush

    def paint(self, on):
        """Paint after each tap (as the panel does) or only mark what changed (the widgets are what is read)."""
        ui = self.screen.ui
        if on:
            ui.flush = self.painter
        else:
            def skip():
                ui.dirty = []
                return 0

            ui.flush = skip

    def top(self):
        return self.screen.ui.top()

    def tap(self, label):
        top = self.top()
        w = find(top, label)
        if w is None and label != "Choose…" and find(top, "Choose…") is not None:
            self.tap("Choose…")  # a decision with more than three options lists them on their own screen
            top = self.top()
            w = find(top, label)
        pages = 0
        while w is None and label != "▼" and find(top, "▼") is not None and pages < 10:
            self.tap("▼")  # on a later page of the list, as a person would
            pages += 1
            w = find(top, label)
        assert w is not None, "no %r on %s: %s" % (label, top.__module__, [lb for lb, _w in labels(top)])
        self.board.clock.t += 100
        self.board.touch.queue.append((w.rect[0] + w.rect[2] // 2, w.rect[1] + w.rect[3] // 2))
        self.panel.step(0)
        self.taps += 1

    def expect(self, module):
        assert self.top().__module__.endswith("." + module), (module, self.top().__module__)


def start(d, cid):
    """A case open and checklist cid started on the runner, by touch from home."""
    if d.panel.keeper.case is None:
        d.tap("New case")
        d.tap("RCA")
        d.tap("Back")
    d.expect("case")
    d.tap("Start a technique")
    title = [e[1] for e in INDEX if e[0] == cid][0]
    d.tap(title)
    d.expect("technique")
    d.tap("Start")
    d.expect("runner")


def check_runner(d, cid, taken, visited, cur):
    runner = d.top()
    assert runner.__module__.endswith(".runner"), runner.__module__
    cl = load(cid)
    want = expected(cid, taken, visited, cur)
    item = [it for it in cl["items"] if it["id"] == cur][0]
    band = runner.band
    shown = " ".join(band.lines)
    for c in cl["cau"]:
        assert (caution_short(c) in shown) == (c[0] in want), (cid, cur, c[0], want, band.lines)
    if want:
        assert shown.startswith("Caution"), band.lines
        assert band.lines == wrap(body, band.text, band.rect[2]), (cid, cur, "band cut", band.lines)
        assert runner.current.font is body
    else:
        assert band.lines == [""] and runner.current.font is large, (cid, cur, band.lines)
    assert runner.current.text == item["t"], (runner.current.text, item["t"])
    assert runner.current.lines == wrap(runner.current.font, item["t"], runner.current.rect[2]), (cid, cur, "item cut")
    for line in band.lines + runner.current.lines:
        assert not line.endswith("…"), (cid, cur, line)
    # the ECL: the item's number of N above, the current item in the box, the answered item above it with its mark
    run = d.panel.keeper.case.state.active
    where = ecl.progress(run)
    assert runner.head.text in (where, where[len("item "):]), (runner.head.text, where)
    if runner.tight:  # the cautions took the progress line: "item n of N" is in the status bar's title
        assert not runner.head.visible and (runner.title == where or runner.title.startswith(
            where[len("item "):] + " · ")), runner.title
        assert runner.band.rect[1] == runner.head.rect[1]
    else:
        assert runner.head.visible and runner.band.rect[1] >= runner.head.rect[1] + runner.head.rect[3]
    assert runner.box.rect[1] + runner.box.rect[3] <= runner.row_y["act"] - 4  # nothing runs into the buttons
    bx, cr = runner.box.rect, runner.current.rect
    assert not runner.box.filled and bx[0] < cr[0] and bx[1] < cr[1] and cr[1] + cr[3] < bx[1] + bx[3], (bx, cr)
    if runner.prev.text:
        assert runner.prev.text == ecl.brief(run, ecl.previous(run)), runner.prev.text
        assert runner.prev.rect[1] + runner.prev.rect[3] <= bx[1]  # above the box: the box moves down the list
    return want


def check_end(d, cid):
    """A finished checklist: the box filled, CHECKLIST COMPLETE (or ABANDONED), the end in words under it."""
    runner = d.top()
    run = d.panel.keeper.case.state.active
    assert run.end is not None
    assert runner.box.filled and runner.current.text == ecl.progress(run), (cid, runner.current.text)
    assert runner.current.text in (ecl.COMPLETE, ecl.ABANDONED_WORDS)
    assert runner.below.text.startswith(ecl.end_words(load(cid), run.end)), (cid, runner.below.text)
    assert runner.head.text == ecl.counts(run)


def check_full_text(d, cid, cur, want):
    d.tap("Full text")
    d.expect("fulltext")
    screen = d.top()
    text = " ".join([ln[2] for ln in screen.lines])
    cl = load(cid)
    item = [it for it in cl["items"] if it["id"] == cur][0]
    assert " ".join(wrap(body, item["d"], screen.box[2])) in text, (cid, cur)
    for c in cl["cau"]:
        if c[0] in want:
            assert " ".join(wrap(body, c[1], screen.box[2])) in text, (cid, cur, c[0])
    for _p in range(len(screen.starts) - 1):  # every page is reached by ▼
        d.tap("▼")
    assert screen.page == len(screen.starts) - 1
    d.tap("Back")
    d.expect("runner")


def measure_first_pick(d, m):
    d.tap(m[1])
    d.expect("picker")
    d.tap(m[2][0][1])
    d.expect("runner")


def drive(d, cid, steps, full_text):
    cl = load(cid)
    items = {}
    for it in cl["items"]:
        items[it["id"]] = it
    taken = []
    visited = {}
    n = 0
    for iid, opt in steps:
        want = check_runner(d, cid, taken, visited, iid)
        if full_text:
            check_full_text(d, cid, iid, want)
        n += 1
        it = items[iid]
        if it["k"] == "meas":
            for m in it["m"]:
                assert type(m[2]) is tuple, (cid, iid, m)  # the content's measurement items are pick lists
                measure_first_pick(d, m)
        if opt is None:
            d.tap("Done")
        else:
            d.tap([o[1] for o in it["o"] if o[0] == opt][0])
        visited[iid] = 1
        if opt is not None:
            taken.append((iid, opt))
    if d.panel.keeper.case.state.active.end is not None:
        check_end(d, cid)
    return n


def test_every_caution_in_force_is_on_the_runner_at_every_item_of_every_path():
    d = Driver()
    total = 0
    for cid, _title, _mod in INDEX:
        all_paths = paths(load(cid))
        longest = 0
        for i in range(len(all_paths)):
            if len(all_paths[i][0]) > len(all_paths[longest][0]):
                longest = i
        start(d, cid)
        for i in range(len(all_paths)):
            steps, terminal = all_paths[i]
            run = d.panel.keeper.case.state.active
            if run.end is not None:
                d.tap("Start again…")
                d.tap("New attempt")
            elif run.cur != steps[0][0]:  # (after a restart the new attempt stands at step 1 already)
                d.tap("More…")
                d.tap("Start again")
                d.tap("New attempt")
            d.paint(i == longest)  # painted on the longest path; every path's widgets are read
            total += drive(d, cid, steps, i == longest)
        if d.panel.keeper.case.state.active.end is None:
            d.panel.keeper.record("abandon", {"why": "no_progress"})
            d.top().update()
        d.tap("Back to the case")
    assert total > 3000, total
    assert d.panel.keeper.case.state.closed is False
