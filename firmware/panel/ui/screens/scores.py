# panel/ui/screens/scores.py — every score at a glance: total or range, category, published rate.
#
# A score with unanswered findings shows its range ("2–6") and every category still
# in reach; "!" marks anything SCORES.md tags [verify] (the basis screen says what).
# A row opens the score's basis.

from panel.scoring import evaluate_all
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button, List


def total_text(r):
    if r.get("grade") is not None or r["min"] is None:
        return r.get("grade") or "?"
    if r["total"] is not None:
        return r["total"]
    return "%s–%s" % (r["min"], r["max"])


def category_text(r):
    if r["applicable"] is False:
        return "does not apply to this lesion"
    cats = r["categories"]
    if not cats:
        return "no category yet"
    parts = []
    for c in cats:
        rate = c["rates"][0]["text"] if c["rates"] else ""
        parts.append((c["label"] + " " + rate).strip())
    text = " / ".join(parts)
    if not r["complete"]:
        text = "open: " + text
    return text


class Scores(Screen):
    title = "Scores"

    def build(self):
        st = self.ui.model.keeper.case.state
        x, y, w, h = theme.CONTENT
        items = []
        open_n = 0
        for r in evaluate_all(st.findings, basis=False):
            if not r["complete"]:
                open_n += 1
            items.append((r["name"], category_text(r), total_text(r), lambda _w, sid=r["id"]: self._basis(sid),
                          False, "!" if r["unverified"] else None))
        self.title = "Scores: %d of %d complete" % (len(items) - open_n, len(items))
        self.list = List(self, x, y, w, h - theme.TARGET, items, page=self.arg or 0)
        half = w // 2
        self.add(Button(x, y + h - theme.TARGET, half, theme.TARGET, "Back", lambda _b: self.ui.back()))
        self.add(Button(x + half, y + h - theme.TARGET, w - half, theme.TARGET, "Findings ›",
                        lambda _b: self.ui.replace("findings")))

    def _basis(self, sid):
        self.arg = self.list.page
        st = self.ui.model.keeper.case.state
        if sid not in st.viewed:
            self.ui.record("score_viewed", {"score": sid})
        self.ui.push("basis", sid)


SCREEN = Scores
