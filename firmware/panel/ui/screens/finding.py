# panel/ui/screens/finding.py — answer one finding: yes / no / unknown, one option, or a number.
#
# The definition is shown in full above the answers. Where a finding may be read on
# angiography or on CT (SCORES.md rule 5), the source is chosen with the answer.

from panel.content.findings import INT, YN
from panel.findings import spec
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import small
from panel.ui.screens.findings import answer_text
from panel.ui.widgets import Button, Text, choice_row, select

UNKNOWN = (None, "Unknown")


class FindingScreen(Screen):
    def build(self):
        f = spec(self.arg)
        self.f = f
        self.title = f[2]
        st = self.ui.model.keeper.case.state
        value = st.findings.get(f[0])
        self.source = st.findings.sources.get(f[0])
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        self.add(Text(x + theme.PAD, y + 4, w - 16, 2 * small.HEIGHT, f[3], small, theme.DIM))
        top = y + 4 + 2 * small.HEIGHT + 4
        self.answers = []
        if f[1] == YN:
            self.answers = choice_row(self, x, top, w, (("yes", "Yes"), ("no", "No"), UNKNOWN), value, self._set)
        elif f[1] == INT:
            unit, lo, hi = f[4]
            half = w // 2
            self.shown = self.add(Button(x, top, half, T, answer_text(f, value), self._number,
                                         sub="%d to %d %s: tap to enter" % (lo, hi, unit)))
            self.answers = choice_row(self, x + half, top, w - half, (UNKNOWN,), value, self._set)
        elif len(f[4]) > 7:  # a long list: chosen on the picker
            half = w // 2
            self.shown = self.add(Button(x, top, half, T, answer_text(f, value), self._choose, sub="tap to choose"))
            self.answers = choice_row(self, x + half, top, w - half, (UNKNOWN,), value, self._set)
        else:
            opts = tuple(f[4]) + (UNKNOWN,)
            per = 3 if len(opts) <= 6 else 4
            for r in range((len(opts) + per - 1) // per):
                self.answers += choice_row(self, x, top + r * T, w, opts[r * per:(r + 1) * per], value, self._set)
        if f[6] and "ct" in f[6]:  # read on angiography or CT: chosen beside Done
            third = w // 3
            self.sources = choice_row(self, x, y + h - T, 2 * third, (("angio", "Read on angio"), ("ct", "Read on CT")),
                                      self.source, self._source)
            self.add(Button(x + 2 * third, y + h - T, w - 2 * third, T, "Done", lambda _b: self.ui.back()))
        else:
            self.sources = []
            self.add(Button(x, y + h - T, w, T, "Done", lambda _b: self.ui.back()))

    def _record(self, value, source):
        if value is None:
            source = None
        ev = self.ui.record("finding", {"f": self.f[0], "v": value, "src": source} if source else
                            {"f": self.f[0], "v": value})
        if ev is not None:
            select(self.answers, value)
            if self.f[1] == INT or len(self.f[4] or ()) > 7:
                self.shown.set(label=answer_text(self.f, value))
        return ev

    def _set(self, value):
        self._record(value, self.source if value is not None else None)

    def _source(self, src):
        self.source = src
        select(self.sources, src)
        v = self.ui.model.keeper.case.state.findings.get(self.f[0])
        if v is not None:
            self._record(v, src)

    def _choose(self, _b):
        self.ui.pick(self.f[2], self.f[4], lambda v: self._record(v, self.source),
                     self.ui.model.keeper.case.state.findings.get(self.f[0]))

    def _number(self, _b):
        unit, lo, hi = self.f[4]
        self.ui.number(self.f[2], unit, lo, hi, 0, lambda v: self._record(v, self.source),
                       self.ui.model.keeper.case.state.findings.get(self.f[0]))


SCREEN = FindingScreen
