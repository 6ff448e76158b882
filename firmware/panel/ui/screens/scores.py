# panel/ui/screens/scores.py — every score at a glance: total or range, what is true of its category,
# the published rate with its endpoint in words, the strategy it is computed for.
#
# A score with unanswered findings shows its range ("2–6") and what it needs, in words; one
# that is not for this vessel shows no total and no rate, only why. The unverified mark sits on
# the category or rate it is about, never on the score's name. What does not fit the row's
# one detail line goes on a second row kept with it (nothing is cut with "…"). A row opens
# the score's basis.

from panel.content.scores import SCORE_IDS
from panel.scoring import evaluate_one
from panel.scoretext import category_text, needs_text, rate_text, state_text, strategy_text, total_text
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import small
from panel.ui.widgets import Button, List, wraps

ROW_W = theme.W - theme.TARGET  # the list's rows (the ▲ ▼ buttons take the rest)
DETAIL_W = ROW_W - 16


LINES = (theme.TARGET - 4) // small.HEIGHT  # lines of a row that holds a text alone


def _fits(text):
    return wraps(small, text, DETAIL_W, 1)


def _needs_line(needs):
    """What a score needs, for a row of its own: all of it, or as much as fits and how many more."""
    text = ", ".join(needs)
    n = len(needs)
    while n > 1 and not wraps(small, text, DETAIL_W - 16, LINES):
        n -= 1
        text = "%s and %d more (listed in its basis)" % (", ".join(needs[:n]), len(needs) - n)
    return text


def _cohort_named(c):
    # the cohort is named where the reference gives a score both (derivation and validation)
    for r in c["rates"]:
        if "derivation" in r["cohort"] or "validation" in r["cohort"]:
            return True
    return False


def score_lines(r):
    """(detail under the score's name, [further lines]) for one score of the overview."""
    more = []
    state = r["state"]
    if state == "category":
        c = r["categories"][0]
        cohort = _cohort_named(c)
        rates = "; ".join([rate_text(x, cohort) for x in c["rates"]])
        detail = category_text(c)
        if rates:
            if _fits(detail + ": " + rates):
                detail = detail + ": " + rates
            else:
                more.append(rates)
    elif state == "needs":
        detail = needs_text(r)
        if not _fits(detail):
            detail = "needs:"
            more.append(_needs_line(r["needs"]))
    elif state == "not_applicable":
        detail = "does not apply"
        more.append(r["why_not"])
    else:
        detail = state_text(r)
    strategy = strategy_text(r)
    if strategy is not None:
        more.append(strategy)
    return detail, more


def score_items(r, act):
    """One score's list items: its row, and its further lines kept with it."""
    detail, more = score_lines(r)
    items = [(r["short"], detail, total_text(r) or None, act, False, None)]  # type: list
    # (no total where the score does not apply)
    for line in more:
        items.append((line, None, None, act, False, None, True))
    return items


def overview_items(findings, on_open):
    """(the overview's list items, how many scores are complete): one score evaluated at a time (panel RAM)."""
    items = []
    done = 0
    for sid in SCORE_IDS:
        r = evaluate_one(sid, findings, basis=False)
        if r["complete"]:
            done += 1
        items += score_items(r, on_open(sid))
    return items, done


class Scores(Screen):
    title = "Scores"

    def build(self):
        st = self.ui.model.keeper.case.state
        x, y, w, h = theme.CONTENT
        kept = getattr(self, "kept", None)
        self.kept = None
        # Back from a score's basis, when no event came since it opened (the basis only reads): the overview worked
        # out before is shown again, not worked out anew. Ten scores' workings churned the heap at its most
        # fragmented moment, just after the basis's list went, and ran out of memory at 128 KB (found by the
        # monkey). Any event since (a profile from the host, say) and the scores are worked out again.
        if kept is not None and kept[0] == len(self.ui.model.keeper.case.log):
            items, done = kept[1], kept[2]
        else:
            items, done = overview_items(st.findings, self._opener)
        self.done = done
        self.title = "Scores: %d/%d complete" % (done, len(SCORE_IDS))  # fits the status bar whole
        self.list = List(self, x, y, w, h - theme.TARGET, items, page=self.arg or 0)
        half = w // 2
        self.add(Button(x, y + h - theme.TARGET, half, theme.TARGET, "Back", lambda _b: self.ui.back()))
        self.add(Button(x + half, y + h - theme.TARGET, w - half, theme.TARGET, "Findings ›",
                        lambda _b: self.ui.replace("findings")))

    def _opener(self, sid):
        return lambda _w: self._basis(sid)

    def _basis(self, sid):
        self.arg = self.list.page
        st = self.ui.model.keeper.case.state
        if sid not in st.viewed:
            self.ui.record("score_viewed", {"score": sid})
        self.kept = (len(self.ui.model.keeper.case.log), self.list.items, self.done)
        self.ui.push("basis", sid)


SCREEN = Scores
