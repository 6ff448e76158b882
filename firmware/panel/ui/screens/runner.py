# panel/ui/screens/runner.py — the checklist runner, an electronic checklist (the Boeing 777/787 ECL is the anchor).
#
# Layout (480 x 288 under the status bar; HUMAN-FACTORS.md):
#   progress  "item n of N" (the item's fixed number: never goes backwards) and the running timers, 24 px; when
#             the cautions and the item need its room (three lines of cautions), they move to the status bar
#   window    the list around the current item: the answered item above it with its mark and answer (ecl.py)
#             when there is room, then the current item in a box, in the large font on up to two lines
#             (24 px on up to three when it needs them); while cautions apply the item goes to 24 px and
#             every caution in force follows in amber, by its short label, whole. A tap anywhere on the window
#             ("›") opens the full text: the item's source text, the cautions in full, what comes next and the
#             whole checklist with every line's mark and the current item boxed. When the checklist ends the
#             box fills: CHECKLIST COMPLETE (or ABANDONED) with the end in words.
#   actions   Done / the decision's options (a decision with more than three: "Choose…", a list of them
#             whole) / the measures: 72 px high, 12 px apart (theme.GAP), 12 px under the window's tap area
#   bottom    Skip…, Defer, Undo (one tap: its question names the entry and its answer), More…; a decision's
#             measures go here too
# A tap changes only what it changed: a row is rebuilt only when its number of buttons or its font changes,
# otherwise only the labels that changed are sent; texts go line by line, the box by its outline.

from panel.checklist import (
    ABANDON_REASONS, DECISION, MEASURE, OTHER, RESET_REASONS, SKIP_REASONS, caution_short, fmt, is_pick,
)
from panel.ui import ecl, theme
from panel.ui.core import Screen, Widget
from panel.ui.fonts import body, large
from panel.ui.text import wrap
from panel.ui.widgets import Box, Button, Label, Text, wraps
from panel.uptime import clock

NOTES = ("Marker: look at this time on the host", "Image or run saved", "Device changed",
         "Complication suspected", "Details to follow on the host")
OTHER_TEXT = "other: details to follow on the host"
GAP = 12  # dead space between two targets (HUMAN-FACTORS.md)
TOP = theme.STATUS_H  # the content's top
ROW_U = theme.H - theme.TARGET  # the bottom row
ROW_A = ROW_U - GAP - theme.TARGET  # the actions
WIN_TOP = TOP + 1 + body.HEIGHT + 1  # the window, under the progress line
WIN_BOTTOM = ROW_A - 4  # drawn down to here; its tap area stops GAP above the actions
BOX_X = 4
BOX_W = theme.W - 8
PAD = 3  # the box's outline
TEXT_X = 12
ITEM_W = 440  # the current item's text (room for the "›" inside the box)
LINE_W = theme.W - 16  # a list line, the caution band
MAX_OPTIONS = 3  # options on the actions row; more: "Choose…" opens them as a list


def cells(n, x=0, w=theme.W):
    """n (x, width) pairs across [x, x + w) with GAP between neighbours (widths differ by 1 px at most)."""
    room = w - GAP * (n - 1)
    out = []
    for i in range(n):
        a = x + i * room // n + i * GAP
        out.append((a, x + (i + 1) * room // n + i * GAP - a))
    return out


def band_text(cautions):
    """The caution band's words for the caution entries in force: "" when none."""
    if not cautions:
        return ""
    return ("Caution: " if len(cautions) == 1 else "Cautions: ") + "; ".join([caution_short(c) for c in cautions])


def item_font(text, cautions):
    """(font, lines) of the current item: large on up to two lines when no caution applies, else 24 px."""
    if not cautions and wraps(large, text, ITEM_W, 2):
        return large, len(wrap(large, text, ITEM_W))
    return body, len(wrap(body, text, ITEM_W))


class Area(Widget):
    """The tappable region over the window: it draws only its mark, "›" at the right of the box's first line;
    `label` names it for the walk harness."""

    label = "Full text"

    def __init__(self, x, y, w, h):
        Widget.__init__(self, x, y, w, h)
        self.mark_y = 0  # the mark's top, absolute

    def draw(self, g):
        x, _y, w, _h = self.rect
        g.text(body, "›", x + w - 22, self.mark_y, theme.DIM)


def place_text(t, rect, font):
    """Move Text t to rect in font: both places repaint."""
    if rect == t.rect and font is t.font:
        return
    t.changed()
    t.rect = rect
    t.font = font
    t.lines = wrap(font, t.text or "", rect[2], rect[3] // font.HEIGHT)
    t.changed()


class Runner(Screen):
    def build(self):
        self.head = self.add(Label(8, TOP + 1, LINE_W, "", body, theme.FG))
        self.timers = self.add(Label(8, TOP + 1, LINE_W, "", body, theme.FG, 2))
        self.area = self.add(Area(0, TOP, theme.W, ROW_A - GAP - TOP))
        self.area.visible = False
        self.prev = self.add(Text(8, WIN_TOP, LINE_W, 0, "", body, theme.DIM))
        self.box = self.add(Box(BOX_X, WIN_TOP, BOX_W, 2 * PAD))
        self.current = self.add(Text(TEXT_X, WIN_TOP + PAD, ITEM_W, 0, "", large))
        self.band = self.add(Text(8, WIN_TOP, LINE_W, 0, "", body, theme.ACCENT))
        self.below = self.add(Text(8, WIN_TOP, LINE_W, 0, "", body, theme.FG))
        self.rows = {"act": ([], -1), "bot": ([], -1)}  # type: dict
        self.tight = False  # the progress line given over to the cautions (see _show)
        self.row_y = {"act": ROW_A, "bot": ROW_U}
        self.update()

    def _show(self, item, cautions, prev, tappable, ended=False, below=""):
        """The window laid out for what it holds (see the header): the cautions' band first (as a checklist's
        cautions stand before the step), prev the answered item's list line when it fits, the current item boxed;
        ended: the box filled and `below` (the end in words) under it."""
        band = "" if ended else band_text(cautions)
        font, n = (large, len(wrap(large, item, ITEM_W))) if ended else item_font(item, cautions)
        box_h = n * font.HEIGHT + 2 * PAD
        band_n = len(wrap(body, band, LINE_W)) if band else 0
        prev_n = len(wrap(body, prev, LINE_W)) if prev else 0
        y = WIN_TOP
        # the cautions and the item come first: when they need the progress line's room too, "item n of N" and
        # the timers give way to the status bar's title (_tick_timers), in its smaller font
        tight = y + band_n * body.HEIGHT + box_h > WIN_BOTTOM
        if tight:
            y = TOP + 1
        if tight != self.tight:
            self.tight = tight
            for lb in (self.head, self.timers):
                if tight:
                    lb.changed(lb.span)
                lb.visible = not tight
                if not tight:
                    lb.changed(lb.span)
        place_text(self.band, (8, y, LINE_W, band_n * body.HEIGHT), body)
        self.band.set(band)
        y += band_n * body.HEIGHT
        if not prev_n or tight or y + (prev_n + (2 if ended else 0)) * body.HEIGHT + box_h > WIN_BOTTOM:
            prev, prev_n = "", 0
        place_text(self.prev, (8, y, LINE_W, prev_n * body.HEIGHT), body)
        self.prev.set(prev)
        y += prev_n * body.HEIGHT
        self.box.move((BOX_X, y, BOX_W, box_h), ended)
        place_text(self.current, (TEXT_X, y + PAD, ITEM_W, n * font.HEIGHT), font)
        self.current.set(item, theme.BG if ended else theme.FG)
        below_n = len(wrap(body, below, LINE_W)) if below else 0
        place_text(self.below, (8, y + box_h, LINE_W, below_n * body.HEIGHT), body)
        self.below.set(below)
        area = self.area
        mark = y + PAD + (font.HEIGHT - body.HEIGHT) // 2
        if area.mark_y != mark or area.visible != tappable:
            area.changed((area.rect[2] - 22, area.mark_y, 22, body.HEIGHT))
            area.mark_y = mark
            area.visible = tappable
            area.changed((area.rect[2] - 22, mark, 22, body.HEIGHT))
        area.action = self._full if tappable else None

    def on_hide(self):
        # Another screen goes on top (a picker, the pad, the timers, the full text): the runner's widgets and their
        # buttons' actions go now, not when it comes back (build() makes them again): panel RAM at those peaks.
        self.head = self.timers = self.area = self.current = self.band = self.prev = self.box = self.below = None
        self.rows = None

    def run(self):
        return self.ui.model.keeper.case.state.active

    # -- what the screen shows
    def update(self):
        st = self.ui.model.keeper.case.state
        run = st.active
        if run is None:
            self.title = "No checklist running"
            self.head.set("")
            self._show("No checklist is running.", (), "", False)
            self._row("act", [("Back to the case", None, lambda _b: self.ui.back(), False)])
            self._row("bot", [])
            return
        cl = run.cl
        self.title = cl["title"]
        if run.end is not None:
            self.head.set(ecl.counts(run))
            words = ecl.end_words(cl, run.end)
            act = [("Back to the case", None, lambda _b: self.ui.back(), False)]  # type: list
            if run.end.startswith("end:switch:"):
                target = run.end[len("end:switch:"):]
                words += "; next: " + ecl.title(target)
                act.insert(0, ("Start next checklist", None, lambda _b, t=target: self._switch(t), False))
            self._show(ecl.progress(run), (), "", True, True, words)
            self._row("act", act)
            self._row("bot", [("Start again…", None, self._reset, False), None, self._undo_cell(),
                              ("More…", None, self._more, False)])
            self._tick_timers()
            return
        it = run.item(run.cur)
        p = ecl.previous(run)
        self._show(it["t"], run.active_cautions(), ecl.brief(run, p) if p else "", True)
        self._tick_timers()
        measures = [self._measure_cell(run, it, m) for m in it.get("m", ())]
        if it["k"] == DECISION:
            if len(it["o"]) > MAX_OPTIONS:
                opts = [("Choose…", None, self._choose_tap, False)]  # type: list
            else:
                opts = [(o[1], None, lambda _b, o=o[0]: self._decide(o), False) for o in it["o"]]
            self._row("act", opts)
            self._row("bot", (measures + [None, None])[:2] + [self._undo_cell(), ("More…", None, self._more, False)])
        else:
            ready = it["k"] != MEASURE or ("confirm", it["id"], None) in run.legal()
            done = ("Done", None, self._confirm if ready else None, False)
            self._row("act", measures + [done])
            bottom = [("Skip…", None, self._skip, False), None if run.pend else ("Defer", None, self._defer, False)]
            bottom.append(self._undo_cell())
            bottom.append(("More…", None, self._more, False))
            self._row("bot", bottom)

    def _undo_cell(self):
        """Undo the last entry: one tap from the runner; the question names the entry and its answer (ui/undo.py)."""
        return ("Undo", None, self._undo, False)

    def _undo(self, _b):
        from panel.ui.undo import ask

        ask(self.ui, self.update)

    def _record_text(self, run, m):
        return self._shown(run.value("case", m[0]), m, run.tried("case", m[0]))

    def _measure_cell(self, run, it, m):
        """A measure's button: "label…" until recorded (it opens the choices or the pad), then the label over
        what was recorded."""
        v = run.value(it["id"], m[0])
        act = lambda _b, m=m: self._measure(it["id"], m)  # noqa: E731
        if v is None:
            return (m[1] + "…", None, act, False)
        return (m[1], self._shown(v, m, run.tried(it["id"], m[0])), act, False)

    def _shown(self, v, m, tried):
        if v is None:
            shown = "tap to record"
        else:
            last = v[-1] if type(v) is list else v
            if is_pick(m):
                shown = last[0]
                for p in m[2]:
                    if p[0] == last[0]:
                        shown = p[1]
            else:
                shown = fmt(last[0], m[5]) + " " + m[2]
            if tried > 1:
                shown = "%s (+%d)" % (shown, tried - 1)
        return shown

    def _row(self, key, cells_):
        """Show `cells_` [(label, sub, action, selected) or None (an empty place)] in row `key`, GAP apart.

        The same number of places keeps the buttons where they are: only the labels that changed are sent (a
        whole button only when it appears, goes or turns enabled or disabled). Another number rebuilds the row.
        One action alone (Done, Back to the case) takes the right-hand of two places: Done stays where it is
        whether or not a measure or a decision's two options sit beside it (make tapink: bytes per tap).
        """
        if key == "act" and len(cells_) < 3:  # fixed places: the last action (Done) always at the right
            cells_ = [cells_[0], None, cells_[1]] if len(cells_) == 2 else [None] * (3 - len(cells_)) + cells_
        old, n_old = self.rows[key]
        n = len(cells_)
        places = cells(n) if n else []
        if n != n_old:
            y = self.row_y[key]
            for b in old:
                self.widgets.remove(b)
                b.screen = None
            old = []
            for i in range(n):
                b = self.add(Button(places[i][0], y, places[i][1], theme.TARGET, ""))
                b.visible = False
                old.append(b)
            self.rows[key] = (old, n)
            self.ui.invalidate((0, y, theme.W, theme.TARGET), self)
        for b, c in zip(old, cells_):
            if c is None:
                b.changed()  # an empty place: nothing to tap there
                b.visible = False
                b.action = None
                continue
            # decision options and Done in the large font where they fit (HUMAN-FACTORS.md), else 24 px
            f = large if key == "act" and not c[1] and not c[0].endswith("…") and wraps(
                large, c[0], b.rect[2] - 12, 1) else body
            if not b.visible or (b.action is None) != (c[2] is None) or c[3] != b.selected:
                b.visible = True
                b.font, b.label, b.sub, b.selected = f, c[0], c[1] or "", c[3]
                b.changed()  # its face, border and ink
            elif f is not b.font:
                b.changed(b._text_box())  # the old words go, the new ones come in the other font
                b.font, b.label, b.sub = f, c[0], c[1] or ""
                b.changed(b._text_box())
            else:
                b.set(label=c[0], sub=c[1] or "")
            b.action = c[2]

    def tick(self, now):
        self._tick_timers()

    def _tick_timers(self):
        run = self.run()
        if run is None or run.end is not None:
            self.timers.set("")
            return
        now = self.ui.model.board.clock.ticks_ms()
        parts = []
        over_any = False
        for tid, label, limit in run.cl.get("tm", ()):
            t = run.timer(tid, now)
            if t["on"] or t["ms"]:
                over_any = over_any or (t["on"] and t["ms"] >= limit * 1000)
                parts.append("%s %s / %d min" % (label.split(" ")[0].lower(), clock(t["ms"]), limit // 60))
        text = "  ".join(parts)
        # past a limit the alert banner says so in words (panel/alerts); here the figure turns amber
        self.timers.set(text, theme.ACCENT if over_any else theme.FG)
        where = ecl.progress(run)
        if text and run.pend:
            where = where[len("item "):]  # "4 of 12, deferred": room for the timers on the same line
        self.head.set(where)
        if self.tight:  # the status bar's room: "5 of 29 · wire 12:00/30 min"
            self.title = (where[len("item "):] + " · " + text.replace(" / ", "/")) if text else where
        else:
            self.title = run.cl["title"]

    # -- actions
    def _after(self, ev):
        if ev is not None:
            self.update()

    def _confirm(self, _b):
        self._after(self.ui.record("confirm", {"item": self.run().cur}))

    def _decide(self, opt):
        self._after(self.ui.record("decide", {"item": self.run().cur, "opt": opt}))

    def _defer(self, _b):
        self._after(self.ui.record("defer", {"item": self.run().cur}))

    def _skip(self, _b):
        item = self.run().cur
        self.ui.pick("Skip: why?", SKIP_REASONS, lambda why: self._after(self.ui.record("skip", self._why(
            {"item": item}, why))))

    def _why(self, fields, why):
        fields["why"] = why
        if why == OTHER:
            fields["text"] = OTHER_TEXT
        return fields

    def _measure(self, iid, m):
        def on(val):
            fields = {"item": iid, "m": m[0], "val": val}
            if val == OTHER:
                fields["text"] = OTHER_TEXT
            self._after(self.ui.record("measure", fields))

        if is_pick(m):
            self.ui.pick(m[1], m[2], on)
        else:
            self.ui.number(m[1], m[2], m[3], m[4], m[5], on)

    def _choose_tap(self, _b):
        self._choose()

    def _choose(self):
        """A decision with more than three options: every option whole, on its own line of a list."""
        run = self.run()
        it = run.item(run.cur)
        self.ui.pick(it["t"], [(o[0], o[1]) for o in it["o"]], self._decide)

    def _full(self, _w):
        run = self.run()
        blocks = [("h", ecl.progress(run))]
        if run.cur is not None:
            it = run.item(run.cur)
            blocks += [("p", it["t"]), ("h", "Full text"), ("p", it["d"])]
            cautions = run.active_cautions()
            if cautions:
                blocks.append(("h", "Cautions in force" if len(cautions) > 1 else "Caution in force"))
                for c in cautions:
                    blocks.append(("c", c[1]))
            nxt = run.upcoming(3)
            if nxt:
                blocks.append(("h", "Then"))
                for i in nxt:
                    blocks.append(("p", run.item(i)["t"]))
        else:
            blocks += [("p", ecl.end_words(run.cl, run.end)), ("p", ecl.counts(run))]
        blocks.append(("h", "The checklist"))
        blocks += ecl.whole_list(run)
        self.ui.push("fulltext", {"title": run.cl["title"], "blocks": blocks})

    def _reset(self, _b):
        self.ui.pick("Start again: why?", RESET_REASONS,
                     lambda why: self._after(self.ui.record("reset", self._why({}, why))))

    def _abandon(self):
        self.ui.ask("Exit gate", "Abandon this checklist? Its steps stay recorded; the case goes on.",
                    (("no", "Cancel"), ("yes", "Abandon…")),
                    lambda a: a == "yes" and self.ui.pick("Abandon: why?", ABANDON_REASONS, lambda why: self._after(
                        self.ui.record("abandon", self._why({}, why)))), warn=True)

    def _switch(self, target):
        if self.ui.record("cl_start", {"cl": target}) is not None:
            self.update()

    def _more(self, _b):
        run = self.run()
        options = [("undo", "Undo the last entry", "a mis-tap: it stays recorded, marked undone"),
                   ("note", "Add a note", "time-stamped on this item"), ("timers", "Timers and tallies"),
                   ("scores", "Scores"), ("case", "Back to the case")]  # type: list
        if run is not None and run.cl.get("rec"):
            options.insert(3, ("records", "Case records", "guides, approach, times, contrast"))
        if run is not None and run.end is None:
            d = run.deferred()
            if d and not run.pend:
                options.insert(1, ("deferred", "Deferred items (%d)" % len(d)))
            options.append(("abandon", "Exit gate: abandon", "the case goes on"))
            options.append(("reset", "Start again", "this attempt goes to the history"))
        self.ui.pick("More", options, self._menu)

    def _menu(self, what):
        if what == "undo":
            from panel.ui.undo import ask

            ask(self.ui, self.update)
        elif what == "note":
            self.ui.pick("Note", [(t, t) for t in NOTES], lambda t: self._after(self.ui.record("note", {"text": t})))
        elif what == "deferred":
            run = self.run()
            self.ui.pick("Deferred items", [(i, run.item(i)["t"]) for i in run.deferred()], self._deferred)
        elif what == "records":
            run = self.run()
            self.ui.pick("Case records", [(m[0], m[1], self._record_text(run, m)) for m in run.cl["rec"]],
                         lambda mid: self._measure("case", [m for m in run.cl["rec"] if m[0] == mid][0]))
        elif what == "abandon":
            self._abandon()
        elif what == "reset":
            self._reset(None)
        elif what == "case":
            self.ui.back()
        else:
            self.ui.push(what)

    def _deferred(self, iid):
        item = self.run().item(iid)
        self.ui.ask("Deferred", item["t"], (("cancel", "Cancel"), ("skip", "Skip…"), ("done", "Done")),
                    lambda a: self._deferred_answer(iid, a))

    def _deferred_answer(self, iid, a):
        if a == "done":
            self._after(self.ui.record("confirm", {"item": iid}))
        elif a == "skip":
            self.ui.pick("Skip: why?", SKIP_REASONS,
                         lambda why: self._after(self.ui.record("skip", self._why({"item": iid}, why))))


SCREEN = Runner
