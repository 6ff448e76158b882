# panel/ui/screens/setup.py — case set-up: the target vessel and the operator.

from panel.findings import spec
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button, choice_row, select


class Setup(Screen):
    title = "Set-up: target vessel, operator"

    def build(self):
        model = self.ui.model
        st = model.keeper.case.state
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        vessels = spec("vessel")[4]
        top = y
        rows = (vessels[:5], vessels[5:])
        chosen = st.findings.get("vessel")
        self.vessel = []
        for i in range(2):
            self.vessel += choice_row(self, x, top + i * T, w, rows[i], chosen, self._vessel)
        op = st.operator
        self.add(Button(x, top + 2 * T, w, T, "Operator: " + (op or "not set"), self._operator,
                        sub="profiles come from the host"))
        half = w // 2
        self.add(Button(x, y + 3 * T, half, T, "Back", lambda _b: self.ui.back()))
        self.add(Button(x + half, y + 3 * T, w - half, T, "Findings ›",
                        lambda _b: self.ui.replace("findings")))

    def _vessel(self, v):
        if self.ui.record("finding", {"f": "vessel", "v": v}) is not None:
            select(self.vessel, v)

    def _operator(self, _b):
        ops = self.ui.model.profiles.operators()
        if not ops:
            self.ui.message("No operator profiles", "Profiles are pushed from the host (Operators screen). "
                            "Without one, operator-CTO stays a range.", warn=False)
            return
        self.ui.pick("Operator", [(k, n) for k, n in ops], self._chosen)

    def _chosen(self, op_id):
        model = self.ui.model
        p = model.profiles.get(op_id)
        self.ui.record("profile", {"p": p, "src": "host"})


SCREEN = Setup
