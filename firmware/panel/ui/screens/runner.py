# panel/ui/screens/runner.py — the checklist runner: the current item large, what comes next, the actions.
#
# Layout (480 x 288 under the status bar):
#   header   technique, step, deferred count; the running timers (alert: "!" and amber)
#   current  the current item's short text in the large font, two lines at most
#   cautions while cautions apply: every one in force, by its short label, in amber after the
#            word "Caution(s):"; the item goes to the 24 px font to make room (HUMAN-FACTORS.md:
#            large wherever it fits, never below 24 px), the band takes up to three lines
#   then     the next item along the path (decisions end the look-ahead), where room is left
#   actions  Done / the decision's options / the measures (72 px high)
#   bottom   Skip, Defer, More (exit gate, reset, notes, deferred items, timers, scores)
# A tap on the item or its cautions ("›") opens their full text: the item's source text
# (sizes, pressures, counts), every caution in force in full, what comes next (fulltext.py).
# A tap changes only what it changed: a row is rebuilt only when its number of buttons
# changes, otherwise only the labels that changed are sent; the item's text goes line
# by line and labels after the prefix they keep (make bench: pixels per tap).

from panel.checklist import (
    ABANDON_REASONS, DECISION, MEASURE, OTHER, RESET_REASONS, SKIP_REASONS, caution_short, fmt, is_pick,
)
from panel.ui import theme
from panel.ui.core import Screen, Widget
from panel.ui.fonts import body, large, small
from panel.ui.text import wrap
from panel.ui.widgets import Button, Label, Text
from panel.uptime import clock

NOTES = ("Marker: look at this time on the host", "Image or run saved", "Device changed",
         "Complication suspected", "Details to follow on the host")
OTHER_TEXT = "other: details to follow on the host"
ITEM_Y = 24  # the item's top under the header, from the content's top
AREA_GAP = 12  # dead space between the item's tap area and the buttons (HUMAN-FACTORS.md)


def band_text(cautions):
    """The caution band's words for the caution entries in force: "" when none."""
    if not cautions:
        return ""
    return ("Caution: " if len(cautions) == 1 else "Cautions: ") + "; ".join([caution_short(c) for c in cautions])


def _end_label(cl, end):
    for e in cl.get("ends", ()):
        if e[0] == end:
            return e[1]
    if end == "end:abandoned":
        return "Abandoned at the exit gate"
    return end


class Area(Widget):
    """The tappable region over the current item and its cautions: it draws only its mark, "›" at the right of
    the item's first line, as a list row does; `label` names it for the walk harness."""

    label = "Full text"

    def __init__(self, x, y, w, h):
        Widget.__init__(self, x, y, w, h)
        self.mark_y = 0  # the mark's top, from the area's top

    def draw(self, g):
        x, y, w, _h = self.rect
        g.text(body, "›", x + w - 16, y + self.mark_y, theme.DIM)


def place_text(t, rect, font):
    """Move Text t to rect in font (the layouts with and without cautions): both places repaint."""
    if rect == t.rect and font is t.font:
        return
    t.changed()
    t.rect = rect
    t.font = font
    t.lines = wrap(font, t.text or "", rect[2], rect[3] // font.HEIGHT)
    t.changed()


def place_label(lb, y):
    """Move Label lb's line to y: both places repaint."""
    if y == lb.rect[1]:
        return
    text = lb.text
    lb.changed(lb.span)
    lb.rect = (lb.rect[0], y, lb.rect[2], lb.rect[3])
    lb.text = ""
    lb.span = (lb.rect[0], y, 0, lb.font.HEIGHT)
    lb.set(text or "")


class Runner(Screen):
    def build(self):
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        self.head = self.add(Label(x + theme.PAD, y + 2, w // 2, "", small, theme.DIM))
        self.timers = self.add(Label(x + w // 2, y + 2, w // 2 - theme.PAD, "", small, theme.FG, 2))
        self.tw = w - 2 * theme.PAD - 16  # the texts' width: room for the "›" of the tap area
        top = y + ITEM_Y
        self.area = self.add(Area(x, top, w, h - 2 * T - ITEM_Y - AREA_GAP))
        self.area.visible = False
        self.current = self.add(Text(x + theme.PAD, top + 2, self.tw, 2 * large.HEIGHT, "", large))
        self.band = self.add(Text(x + theme.PAD, top, w - 2 * theme.PAD, 0, "", body, theme.ACCENT))
        self.then = self.add(Label(x + theme.PAD, top + 2 + 2 * large.HEIGHT + 2, w - 2 * theme.PAD, "", small,
                                   theme.DIM))
        self.rows = {"act": ([], -1), "bot": ([], -1)}  # type: dict
        self.row_y = {"act": y + h - 2 * T, "bot": y + h - T}
        self.update()

    def _show(self, item, cautions, then, tappable):
        """The item, the caution band and the look-ahead, laid out for what they hold (see the header)."""
        x, y, w, h = theme.CONTENT
        top = y + ITEM_Y
        bottom = y + h - 2 * theme.TARGET  # the action row
        band = band_text(cautions)
        if not band:
            place_text(self.current, (x + theme.PAD, top + 2, self.tw, 2 * large.HEIGHT), large)
            place_text(self.band, (x + theme.PAD, top + 2 + 2 * large.HEIGHT, w - 2 * theme.PAD, 0), body)
            then_y = top + 4 + 2 * large.HEIGHT
            mark = 2 + (large.HEIGHT - body.HEIGHT) // 2
        else:
            n = len(wrap(body, item, self.tw, 2))
            place_text(self.current, (x + theme.PAD, top, self.tw, n * body.HEIGHT), body)
            by = top + n * body.HEIGHT
            room = (bottom - by) // body.HEIGHT
            bw = w - 2 * theme.PAD  # the band runs under the "›" too
            lines = max(1, min(len(wrap(body, band, bw)), room))  # more than fit: cut with "…" (a test forbids it)
            place_text(self.band, (x + theme.PAD, by, bw, lines * body.HEIGHT), body)
            then_y = by + lines * body.HEIGHT + 2
            mark = 0
            if then_y + small.HEIGHT > bottom:
                then = ""  # no room for the look-ahead: the full text screen says what comes next
                then_y = self.then.rect[1]
        self.current.set(item)
        self.band.set(band)
        place_label(self.then, then_y)
        self.then.set(then)
        area = self.area
        if area.mark_y != mark or area.visible != tappable:
            area.changed()
            area.mark_y = mark
            area.visible = tappable
            area.changed()
        area.action = self._full if tappable else None

    def on_hide(self):
        # Another screen goes on top (a picker, the pad, the timers, the full text): the runner's widgets and their
        # buttons' actions go now, not when it comes back (build() makes them again): panel RAM at those peaks.
        self.head = self.timers = self.area = self.current = self.band = self.then = None
        self.rows = None

    def run(self):
        return self.ui.model.keeper.case.state.active

    # -- what the screen shows
    def update(self):
        st = self.ui.model.keeper.case.state
        run = st.active
        if run is None:
            self.title = "No checklist running"
            self._show("No checklist is running.", (), "", False)
            self._row("act", [("Back to the case", None, lambda _b: self.ui.back(), False)])
            self._row("bot", [])
            return
        cl = run.cl
        self.title = cl["title"]
        deferred = run.deferred()
        if run.end is not None:
            self.head.set("ended")
            n_done = len([1 for _i, s in run.statuses() if s == "done"])
            self._show(_end_label(cl, run.end), (), "%d done, %d skipped" % (n_done, len(run.skips)), False)
            act = [("Back to the case", None, lambda _b: self.ui.back(), False)]  # type: list
            if run.end.startswith("end:switch:"):
                target = run.end[len("end:switch:"):]
                act.append(("Start " + target, None, lambda _b, t=target: self._switch(t), False))
            self._row("act", act)
            self._row("bot", [("Start again…", None, self._reset, False), self._undo_cell(),
                              ("More…", None, self._more, False)])
            self._tick_timers()
            return
        it = run.item(run.cur)
        self.head.set("step %d%s%s" % (it["s"], "  deferred item" if run.pend else "",
                                     ("  %d deferred" % len(deferred)) if deferred and not run.pend else ""))
        nxt = run.upcoming(2)
        self._show(it["t"], run.active_cautions(),
                   ("then: " + "  ·  ".join([run.item(i)["t"] for i in nxt])) if nxt else
                   ("decide, then the path goes on" if it["k"] == DECISION else ""), True)
        measures = [self._measure_cell(run, it, m) for m in it.get("m", ())]
        if it["k"] == DECISION:
            opts = [(o[1], None, lambda _b, o=o[0]: self._decide(o), False) for o in it["o"]]
            # every option, every measure, Undo and More on the screen at once (a measure of a decision with many
            # options was left off before: the calcified algorithm's "Options tried" at its uncrossable steps)
            self._row("act", opts[:3])
            self._row("bot", opts[3:] + measures + [self._undo_cell(), ("More…", None, self._more, False)])
        else:
            ready = it["k"] != MEASURE or ("confirm", it["id"], None) in run.legal()
            done = ("Done", None, self._confirm if ready else None, False)
            self._row("act", measures + [done])
            bottom = [("Skip…", None, self._skip, False)]
            if not run.pend:
                bottom.append(("Defer", None, self._defer, False))
            bottom.append(self._undo_cell())
            bottom.append(("More…", None, self._more, False))
            self._row("bot", bottom)
        self._tick_timers()

    def _undo_cell(self):
        """Undo the last entry: one tap from the runner; the question names the entry and its answer (ui/undo.py)."""
        return ("Undo", None, self._undo, False)

    def _undo(self, _b):
        from panel.ui.undo import ask

        ask(self.ui, self.update)

    def _record_text(self, run, m):
        return self._shown(run.value("case", m[0]), m, run.tried("case", m[0]))

    def _measure_cell(self, run, it, m):
        shown = self._shown(run.value(it["id"], m[0]), m, run.tried(it["id"], m[0]))
        return (m[1], shown, lambda _b, m=m: self._measure(it["id"], m), False)

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

    def _row(self, key, cells):
        """Show `cells` [(label, sub, action, selected)] in row `key`.

        The same number of buttons keeps their places: only the labels that changed are sent
        (a whole button only when it turns enabled or disabled). Another number rebuilds the row.
        """
        old, n_old = self.rows[key]
        if len(cells) == n_old:
            for b, c in zip(old, cells):
                if (b.action is None) != (c[2] is None):
                    b.changed()  # its border and ink change
                b.action = c[2]
                b.set(label=c[0], sub=c[1] or "", selected=c[3])
            return
        y = self.row_y[key]
        x, _y, w, _h = theme.CONTENT
        for b in old:
            self.widgets.remove(b)
            b.screen = None
        buttons = []
        n = len(cells)
        for i in range(n):
            label, sub, action, selected = cells[i]
            bx = x + i * w // n
            b = self.add(Button(bx, y, x + (i + 1) * w // n - bx, theme.TARGET, label, action, sub or "", selected))
            buttons.append(b)
        self.rows[key] = (buttons, n)
        self.ui.invalidate((x, y, w, theme.TARGET), self)

    def tick(self, now):
        self._tick_timers()

    def _tick_timers(self):
        run = self.run()
        if run is None or not run.cl.get("tm"):
            self.timers.set("")
            return
        now = self.ui.model.board.clock.ticks_ms()
        parts = []
        alert = False
        for tid, label, limit in run.cl["tm"]:
            t = run.timer(tid, now)
            if t["on"] or t["ms"]:
                over = t["ms"] >= limit * 1000
                alert = alert or (over and t["on"])
                parts.append("%s%s %s/%d min" % ("! " if over else "", label.split(" ")[0].lower(), clock(t["ms"]),
                                                 limit // 60))
        self.timers.set("  ".join(parts), theme.ACCENT if alert else theme.FG)

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

    def _full(self, _w):
        run = self.run()
        it = run.item(run.cur)
        blocks = [("h", "Step %d%s" % (it["s"], " (deferred)" if run.pend else "")), ("p", it["t"]),
                  ("h", "Full text"), ("p", it["d"])]
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
