# panel/ui/screens/technique.py — before a checklist starts: its indication, its limits and the findings
# it reads, then Start.
#
# Starting while another checklist runs is a change of strategy: the running one is
# left as it stands (a strategy event), never silently dropped.

from panel.case import load_checklist
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button, List


class Technique(Screen):
    def build(self):
        cl = load_checklist(self.arg)
        self.title = cl["title"]
        x, y, w, h = theme.CONTENT
        items = [("Indication", None, None, None, True, None),
                 (cl["ind"], None, None, None, False, None)]  # type: list
        standing = [c for c in cl.get("cau", ()) if c[2] is None]
        if standing:
            items.append(("Limits and cautions", None, None, None, True, None))
            for c in standing:
                items.append((c[1], None, None, None, False, "!"))
        st = self.ui.model.keeper.case.state
        if cl.get("fin"):  # lesion findings the checklist reads: entered once, never asked again
            from panel.findings import spec
            from panel.ui.screens.findings import answer_text

            items.append(("From the findings", None, None, None, True, None))
            for fid in cl["fin"]:
                f = spec(fid)
                items.append((f[2], "entered once with the findings", answer_text(f, st.findings.get(fid)), None,
                              False, None))
        if cl.get("rep"):
            items.append(("Reported", None, None, None, True, None))
            items.append((cl["rep"], None, None, None, False, None))
        items.append(("Source", None, None, None, True, None))
        items.append((cl["src"], None, None, None, False, None))
        List(self, x, y, w, h - theme.TARGET, items, row_h=theme.TARGET)
        running = st.active is not None and st.active.end is None
        half = w // 2
        self.add(Button(x, y + h - theme.TARGET, half, theme.TARGET, "Back", lambda _b: self.ui.back()))
        self.add(Button(x + half, y + h - theme.TARGET, w - half, theme.TARGET,
                        "Switch to this" if running else "Start", self._start,
                        sub="the running one stays as it stands" if running else None))

    def on_hide(self):
        # looked at and not started (or going to the runner): its data leaves RAM unless a run of this case holds it
        from panel.content.checklists import release_all_but

        case = self.ui.model.keeper.case
        release_all_but([r[0] for r in case.state.runs] if case is not None else [])

    def _title(self, cid):
        from panel.content.checklists import INDEX

        for e in INDEX:
            if e[0] == cid:
                return e[1]
        return "the running checklist"

    def _start(self, _b):
        st = self.ui.model.keeper.case.state
        if st.active is not None and st.active.end is None:
            self.ui.ask("Change strategy?", "%s stops where it is (its steps stay recorded) and %s starts."
                        % (self._title(st.runs[-1][0]), self._title(self.arg)), (("no", "Cancel"), ("yes", "Change")),
                        self._switch, warn=True)
            return
        if self.ui.record("cl_start", {"cl": self.arg}) is not None:
            self._to_runner()

    def _switch(self, answer):
        if answer == "yes" and self.ui.record("strategy", {"to": self.arg, "why": "changed at the panel"}):
            self._to_runner()

    def _to_runner(self):
        ui = self.ui
        ui.back()  # this screen goes, and the list of techniques under it: the runner sits on the case
        ui.replace("runner")


SCREEN = Technique
