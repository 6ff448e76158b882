# panel/ui/screens/case.py — the open case: where each part of it is, one tap away.

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button


class CaseHub(Screen):
    title = "Case"

    def build(self):
        model = self.ui.model
        case = model.keeper.case
        self.title = "Case " + model.keeper.case_id
        st = case.state
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        half = w // 2
        known = len(st.findings.known())
        self.add(Button(x, y, half, T, "Findings", lambda _b: self.ui.push("findings"),
                        sub="%d answered" % known))
        self.add(Button(x + half, y, w - half, T, "Scores", lambda _b: self.ui.push("scores"),
                        sub="ranges while findings are open"))
        run = st.active
        if run is not None and run.end is None:
            self.add(Button(x, y + T, w, T, "Checklist: " + run.cl["title"], lambda _b: self.ui.push("runner")))
        else:
            self.add(Button(x, y + T, w, T, "Start a technique checklist", lambda _b: self.ui.push("techniques"),
                            sub=("last: " + st.runs[-1][0]) if st.runs else "indications and limits first"))
        self.add(Button(x, y + 2 * T, half, T, "Timers, tallies", lambda _b: self.ui.push("timers")))
        self.add(Button(x + half, y + 2 * T, w - half, T, "Set-up", lambda _b: self.ui.push("setup")))
        self.add(Button(x, y + 3 * T, half, T, "Home", lambda _b: self.ui.home()))
        self.add(Button(x + half, y + 3 * T, w - half, T, "End of case", lambda _b: self.ui.push("end")))


SCREEN = CaseHub
