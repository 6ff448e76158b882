# panel/ui/screens/findings.py — every finding, grouped, each with its one-line definition and answer.
#
# Entered once: the scores all read these answers. Unanswered shows "?" — unknown,
# never "no". A row opens the finding's editor (panel/ui/screens/finding.py).

from panel.content.findings import FINDINGS, INT
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button, List

GROUPS = (("patient", "Patient"), ("lesion", "Lesion"), ("cap", "Prox. cap"), ("course", "Course"),
          ("collaterals", "Collaterals"), ("distal", "Distal"), ("history", "History"),
          ("strategy", "Strategy"), ("operator", "Operator"), ("ct", "CT"), ("btk", "Below knee"))


def answer_text(f, value):
    """The answer as the operator reads it: the option's label, the number with its unit, or "?"."""
    if value is None:
        return "?"
    if f[1] == INT:
        return "%d %s" % (value, f[4][0])
    if f[4]:
        for opt, label in f[4]:
            if opt == value:
                return label
    return str(value)


class FindingsScreen(Screen):
    """arg None: the groups, each with how many of its findings are answered; arg (group id, page): its findings."""

    title = "Findings"

    def build(self):
        st = self.ui.model.keeper.case.state
        known = 0
        for f in FINDINGS:
            if st.findings.get(f[0]) is not None:
                known += 1
        if self.arg is None:
            self.title = "Findings: %d of %d answered" % (known, len(FINDINGS))
            self._groups(st)
        else:
            self._group(st, self.arg[0], self.arg[1])

    def _groups(self, st):
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        cells = list(GROUPS) + [(None, "Back")]
        per = 3
        for i in range(len(cells)):
            gid, label = cells[i]
            bx = x + (i % per) * w // per
            bw = x + (i % per + 1) * w // per - bx
            by = y + (i // per) * T
            if gid is None:
                self.add(Button(bx, by, bw, T, label, lambda _b: self.ui.back()))
                continue
            n = known = 0
            for f in FINDINGS:
                if f[5] == gid:
                    n += 1
                    if st.findings.get(f[0]) is not None:
                        known += 1
            self.add(Button(bx, by, bw, T, label, lambda _b, g=gid: self.ui.push("findings", (g, 0)),
                            sub="%d of %d" % (known, n)))

    def _group(self, st, gid, page):
        x, y, w, h = theme.CONTENT
        label = [g[1] for g in GROUPS if g[0] == gid][0]
        self.title = "Findings: " + label
        items = []  # type: list
        for f in FINDINGS:
            if f[5] == gid:
                items.append((f[2], f[3], answer_text(f, st.findings.get(f[0])),
                              lambda _w, fid=f[0]: self._edit(fid), False, None))
        self.list = List(self, x, y, w, h - theme.TARGET, items, page=page)
        half = w // 2
        self.add(Button(x, y + h - theme.TARGET, half, theme.TARGET, "Back", lambda _b: self.ui.back()))
        self.add(Button(x + half, y + h - theme.TARGET, w - half, theme.TARGET, "Scores ›",
                        lambda _b: self.ui.replace("scores")))

    def _edit(self, fid):
        self.arg = (self.arg[0], self.list.page)  # come back to the same page
        self.ui.push("finding", fid)


SCREEN = FindingsScreen
