# panel/ui/screens/basis.py — one score's basis: each answer and its points, the categories with their
# published rates and cohorts, which technical success the rates and this panel mean, the endpoint, the
# citation, what is missing and what is unverified.

from panel.scoring import evaluate_one
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.screens.scores import total_text
from panel.ui.widgets import Button, List


class Basis(Screen):
    def build(self):
        st = self.ui.model.keeper.case.state
        r = evaluate_one(self.arg, st.findings, basis=True)
        self.title = "%s: %s" % (r["name"], total_text(r))
        x, y, w, h = theme.CONTENT
        items = []  # type: list
        if r["applicable"] is False:
            items.append(("Does not apply to this lesion", None, None, None, False, None))
        for e in r["basis"]:
            answers = ", ".join(["%s = %s" % (f, "?" if v is None else v) for f, v in e["answers"]])
            if e["points"] is None:
                pts = e["answer"]
            elif e["scored"] is None:
                pts = "? (%s)" % e["points"]
            else:
                pts = "+" + e["scored"] if e["scored"] != "0" else "0"
            items.append((e["label"], answers or e["answer"], pts, None, False, "!" if e["unverified"] else None))
        items.append(("Categories", None, None, None, True, None))
        for c in r["categories"]:
            for rate in c["rates"] or ({"text": "", "cohort": "", "unverified": False},):
                items.append((c["label"], ("%s %s" % (r["endpoint"], rate["cohort"])).strip(), rate["text"],
                              None, False, "!" if (c["unverified"] or rate["unverified"]) else None))
        if "success_published" in r:  # which technical success each side means (TECHNIQUES.md)
            who, text = r["success_published"]
            items.append(("Published rates: " + who, None, None, None, True, None))
            items.append(("technical success " + text if who == "its paper" else text, None, None, None, False, None))
            items.append(("Recorded at this panel", None, None, None, True, None))
            items.append(("technical success: " + r["success_recorded"], None, None, None, False, None))
        if r["missing"]:
            items.append(("Missing: the total is a range", None, None, None, True, None))
            items.append((", ".join(r["missing"]), "answer these to narrow the range", None, None, False, None))
        if r["unverified"]:
            items.append(("Unverified in the reference", None, None, None, True, None))
            for u in r["unverified"]:
                items.append((u, "not established fact", None, None, False, "!"))
        items.append(("Source", None, None, None, True, None))
        # RECHARGE's endpoint is not given (None): found by the monkey (tests/soak/monkey.py); the scores branch
        # says each endpoint in words
        items.append((r["citation"], "endpoint: " + (r["endpoint"] or "not given"), None, None, False, None))
        for n in r["notes"]:
            items.append((n["text"], None, None, None, False, "!" if n["unverified"] else None))
        List(self, x, y, w, h - theme.TARGET, items)
        self.add(Button(x, y + h - theme.TARGET, w, theme.TARGET, "Back to scores", lambda _b: self.ui.back()))


SCREEN = Basis
