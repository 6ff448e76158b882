# panel/ui/screens/basis.py — one score's basis: the total and what is true of its category, the strategy it
# is computed for, each variable with the answers that decided it (in words; a finding read on CT says so)
# and its points, the categories with their published rates (endpoint and cohort in words), which technical
# success the rates and this panel mean, what is still needed, the notes, the citation and the endpoint.
#
# A score that is not for this vessel shows no total, no category, no rate and no note: only that it does
# not apply, why, and its source. The unverified mark sits on the variable, boundary, category, rate or note
# it is about. Every row's text fits whole (a text too long for a row's detail line becomes a row of its own).

from panel.scoring import evaluate_one
from panel.scoretext import (UNVERIFIED, answer_text, answers_text, bounds_text, category_text, endpoint_text,
                             mark, points_text, rates_text, state_text, strategy_text, total_text,
                             variable_text)
from panel.ui import theme
from panel.ui.core import Screen
from panel.ui.fonts import body, small
from panel.ui.text import width, wrap
from panel.ui.widgets import Button, List, wraps

ROW_W = theme.W - theme.TARGET
DETAIL_W = ROW_W - 16
LINES = (theme.TARGET - 4) // small.HEIGHT  # lines of a row that holds a text alone


def _header(text):
    return (text, None, None, None, True, None)


def _lines(text):
    """`text` as rows of their own: up to three lines of the small font each, broken at spaces."""
    out = []
    lines = wrap(small, text, DETAIL_W)
    for i in range(0, len(lines), LINES):
        out.append((" ".join(lines[i:i + LINES]), None, None, None, False, None))
    return out


def _row(label, detail=None, value=None):
    """A row; a detail too long for its one line, or a label too long beside it, makes rows of their own."""
    vw = (width(body, value) + 12) if value else 0
    if detail and (not wraps(small, detail, DETAIL_W, 1) or width(body, label) > ROW_W - vw - 16):
        return [(label, None, value, None, False, None)] + _lines(detail)
    return [(label, detail, value, None, False, None)]


def _same(label, bounds):
    # a category named by its totals ("0-1", ">=4") needs them once
    return label.replace(">=", "≥").replace("-", "–") == bounds


def basis_items(r, coverage=None):
    """The basis screen's list items for result `r` (scoring.evaluate with basis=True); `coverage`: what the
    workstation's records behind the operator facts cover ("12 cases since 2026-11-01"), if they came from it."""
    items = []
    if r["applicable"] is False:
        items += _row("Does not apply", r["why_not"])
    else:
        state = state_text(r)
        if r["state"] == "needs" and not wraps(small, state, DETAIL_W, 1):
            state = "needs the answers listed below"
        items += _row("Grade" if r.get("grade") is not None or r["min"] is None else "Total", state, total_text(r))
        strategy = strategy_text(r)
        if strategy is not None:
            items += _lines(strategy)
        if r["state"] == "category":
            for c in r["categories"]:
                for rate in c["rates"]:
                    items += _lines(rates_text({"rates": [rate]}))
        items.append(_header("Basis"))
        for e in r["basis"]:
            items += _row(variable_text(e), answers_text(e), points_text(e))
            for text in e.get("caveats", ()):
                items += _lines(mark(text, True))
            for fid, value in e.get("beside", ()):
                items += _lines(answer_text(fid, value) + ", beside it, not scored")
        for fid, value in r.get("collected", ()):
            items += _lines(answer_text(fid, value) + ", collected, not summed")
        if coverage and r["id"] == "operator_cto":
            items += _lines("operator facts from the workstation's records: " + coverage)
        if r["state"] == "needs":
            items.append(_header("Still needed"))
            for need in r["needs"]:
                items += _lines(need)
        items.append(_header("Categories"))
        if not r["categories"] and r["state"] == "no_categories":
            items += _lines("no categories confirmed")
        for c in r["categories"]:
            bounds = bounds_text(c)
            label = category_text(c) if not _same(c["label"], bounds) else mark(bounds, c["unverified"])
            items += _row(label, rates_text(c), None if _same(c["label"], bounds) else bounds)
        if "success_published" in r:  # which technical success each side means (TECHNIQUES.md)
            who, text = r["success_published"]
            items.append(_header("Published rates: " + who))
            items += _lines("technical success " + text if who == "its paper" else text)
            items.append(_header("Recorded at this panel"))
            items += _lines("technical success: " + r["success_recorded"])
    # not for this vessel: no note either (a note may hold a rate: RECHARGE's, J-CTO's validation set)
    notes = [n for n in r["notes"] if not n["about"]] if r["applicable"] is not False else []
    if notes:
        items.append(_header("Notes"))
        for n in notes:
            items += _lines(mark(n["text"], n["unverified"]))
    items.append(_header("Source"))
    items += _lines(r["citation"])
    items += _lines("endpoint: " + endpoint_text(r))
    if _has_unverified(r):
        items += _lines(UNVERIFIED + ": not confirmed by the clinical reference; not established fact")
    return items


def _has_unverified(r):
    if r["unverified"]:
        return True
    for e in r["basis"]:
        if e["unverified"] or e.get("caveats"):
            return True
    return False


class Basis(Screen):
    def build(self):
        st = self.ui.model.keeper.case.state
        r = evaluate_one(self.arg, st.findings, basis=True)
        total = total_text(r)
        self.title = "%s: %s" % (r["short"], total if total else "does not apply")
        x, y, w, h = theme.CONTENT
        self.list = List(self, x, y, w, h - theme.TARGET, basis_items(r, st.operator_coverage))
        self.add(Button(x, y + h - theme.TARGET, w, theme.TARGET, "Back to scores", lambda _b: self.ui.back()))


SCREEN = Basis
