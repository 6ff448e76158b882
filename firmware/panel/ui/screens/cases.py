# panel/ui/screens/cases.py — the cases on this panel and their sync state (arg "sync": the link first).
#
# A case leaves the panel only after a host has acknowledged every event of it and it
# is closed (reclaim, when storage runs low): "to sync" counts what no host has yet.
# RAM: the cases are read from flash PER at a time (a panel may hold hundreds); "More cases"
# shows the next ones. arg: "sync", or (mode, start) for a later page.

PER = 12
LOOK = 16  # events read from the start of a case for its name: the open and the vessel come first

from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.widgets import Button, List


def case_name(journal, cid):
    """A case as a person names it: its vessel and when it started ("RCA, 6 Dec 09:14 UTC"), never its id."""
    from panel.findings import answer_of
    from panel.uptime import started_text

    vessel = wall = None
    n = 0
    for ev in journal.log(cid):
        if ev["k"] == "open":
            wall = journal.wall_time(ev.get("b"), ev["t"]) if ev.get("b") is not None else None
        elif ev["k"] == "finding" and ev.get("f") == "vessel" and ev.get("v") is not None:
            vessel = answer_of("vessel", ev["v"])
        n += 1
        if n >= LOOK or (vessel is not None and n > 1):
            break
    return "%s, %s" % (vessel or "vessel not entered", started_text(wall))


class Cases(Screen):
    title = "Cases"

    def build(self):
        model = self.ui.model
        x, y, w, h = theme.CONTENT
        mode, start = self.arg if type(self.arg) is tuple else (self.arg, 0)
        items = []  # type: list
        if mode == "sync" and not start:
            self.title = "Sync status"
            items.append(("Link", None, model.status(), None, False, None))
            items.append(("Paired hosts", None, str(len(model.pairing.hosts())), None, False, None))
            warn = model.storage_warning()
            items.append(("Storage", warn or "room for new cases", "LOW" if warn else "ok", None, False,
                          "!" if warn else None))
            items.append(("Cases", None, None, None, True, None))
        if mode == "sync":
            self.title = "Sync status"
        cases, more = model.journal.cases_page(start, PER)
        for c in cases:
            left = c["count"] - c["acked"]
            state = "synced" if left <= 0 else "%d to sync" % left
            items.append((case_name(model.journal, c["case"]),
                          "%s, %d events" % ("closed" if c["closed"] else "OPEN", c["count"]), state, None, False, None))
        if more:
            items.append(("More cases", "after these %d" % (start + len(cases)), None,
                          lambda _r: self.ui.replace("cases", (mode, more)), False, None))
        if not cases:
            items.append(("No cases on this panel", None, None, None, False, None))
        List(self, x, y, w, h - theme.TARGET, items)
        self.add(Button(x, y + h - theme.TARGET, w, theme.TARGET, "Back", lambda _b: self.ui.back()))


SCREEN = Cases
