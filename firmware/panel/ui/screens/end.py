# panel/ui/screens/end.py — end of case: the outcomes as TECHNIQUES.md defines them, then close.
#
# Technical success, device success and in-hospital MACE are yes / no / unknown;
# procedural success is derived (technical success with no in-hospital MACE) and
# shown, never entered. Complications are added one by one. Closing is confirmed:
# after it only outcomes and notes can be added.

from panel.case import outcome_entry
from panel.content.outcomes import COMPLICATIONS
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import small
from panel.ui.widgets import Button, Label, Text, choice_row, select

YNU = (("yes", "Yes"), ("no", "No"), (None, "Unknown"))
ASKED = ("technical_success", "device_success", "in_hospital_mace")


class End(Screen):
    title = "End of case"

    def build(self):
        st = self.ui.model.keeper.case.state
        x, y, w, h = theme.CONTENT
        T = theme.TARGET
        label_w = 140
        self.rows = {}
        for i in range(len(ASKED)):
            oid = ASKED[i]
            entry = outcome_entry(oid)[0]
            self.add(Text(x + 4, y + i * T + 14, label_w - 8, 2 * small.HEIGHT, entry[2], small))
            self.rows[oid] = choice_row(self, x + label_w, y + i * T, w - label_w, YNU, st.outcomes.get(oid),
                                        lambda v, o=oid: self._set(o, v), h=T)
        ps = st.procedural_success()
        third = w // 3
        self.add(Button(x, y + 3 * T, third, T, "Complication", self._complication,
                        sub="%d recorded" % len(st.complications)))
        self.proc = self.add(Label(x + third + 4, y + 3 * T + 4, third - 8, "procedural success:", small, theme.DIM))
        self.proc_v = self.add(Label(x + third + 4, y + 3 * T + 4 + small.HEIGHT, third - 8,
                                     {"yes": "yes (derived)", "no": "no (derived)"}.get(ps, "not yet"), small))
        if st.closed:
            self.add(Button(x + 2 * third, y + 3 * T, w - 2 * third, T, "Home", lambda _b: self.ui.home(),
                            sub="case closed"))
        else:
            close = self.add(Button(x + 2 * third, y + 3 * T, w - 2 * third, T, "Close case…", self._close))
            close.warn = True

    def _set(self, oid, v):
        if self.ui.record("outcome", {"o": oid, "v": v}) is not None:
            select(self.rows[oid], v)
            ps = self.ui.model.keeper.case.state.procedural_success()
            self.proc_v.set({"yes": "yes (derived)", "no": "no (derived)"}.get(ps, "not yet"))

    def _complication(self, _b):
        self.ui.pick("Complication", COMPLICATIONS, self._add_complication)

    def _add_complication(self, v):
        if self.ui.record("outcome", {"o": "complication", "v": v}) is not None:
            self.refresh()

    def _close(self, _b):
        self.ui.ask("Close the case?", "After closing, only outcomes and notes can be added. The case stays on the "
                    "panel until a host has synced it.", (("no", "Cancel"), ("yes", "Close case")), self._closed,
                    warn=True)

    def _closed(self, answer):
        if answer == "yes" and self.ui.record("close") is not None:
            self.ui.home()


SCREEN = End
