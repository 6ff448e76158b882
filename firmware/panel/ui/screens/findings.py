# panel/ui/screens/findings.py — every finding, grouped, each with its one-line definition and answer.
#
# Entered once: the scores all read these answers. Unanswered shows "?" — unknown,
# never "no". A row opens the finding's editor (panel/ui/screens/finding.py).

from panel.content.findings import FINDINGS, INT
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button, List

GROUPS = (("patient", "Patient"), ("lesion", "Lesion"), ("cap", "Proximal cap"), ("course", "Course"),
          ("collaterals", "Collaterals"), ("distal", "Distal vessel"), ("history", "History"),
          ("strategy", "Planned strategy"), ("operator", "Operator"), ("ct", "CT"), ("btk", "Below the knee"))


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
    title = "Findings"

    def build(self):
        st = self.ui.model.keeper.case.state
        x, y, w, h = theme.CONTENT
        items = []  # type: list
        known = 0
        for gid, glabel in GROUPS:
            items.append((glabel, None, None, None, True, None))
            for f in FINDINGS:
                if f[5] != gid:
                    continue
                v = st.findings.get(f[0])
                if v is not None:
                    known += 1
                items.append((f[2], f[3], answer_text(f, v), lambda _w, fid=f[0]: self._edit(fid), False, None))
        self.title = "Findings: %d of %d answered" % (known, len(FINDINGS))
        self.list = List(self, x, y, w, h - theme.TARGET, items, page=self.arg or 0)
        half = w // 2
        self.add(Button(x, y + h - theme.TARGET, half, theme.TARGET, "Back", lambda _b: self.ui.back()))
        self.add(Button(x + half, y + h - theme.TARGET, w - half, theme.TARGET, "Scores ›",
                        lambda _b: self.ui.replace("scores")))

    def _edit(self, fid):
        self.arg = self.list.page  # come back to the same page
        self.ui.push("finding", fid)


SCREEN = FindingsScreen
