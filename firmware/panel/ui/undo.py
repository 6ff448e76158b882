# panel/ui/undo.py — undo the last entry: a gloved finger mis-taps, and the case records the correction.
#
# Undo is itself an event naming the one it cancels (panel/case.py): nothing is erased.
# The entry to undo is the latest one still in force (not open, not an undo, not already
# undone); the question names it in words, item and answer as they were entered, so the operator confirms what
# goes.

from panel.checklist import ABANDON_REASONS, RESET_REASONS, SKIP_REASONS, fmt, is_pick

LABELS = {"confirm": "Done", "decide": "Decision", "measure": "Measurement", "skip": "Skipped", "defer": "Deferred",
          "finding": "Finding", "outcome": "Outcome", "note": "Note", "cl_start": "Checklist started",
          "strategy": "Strategy change", "timer_start": "Timer started", "timer_stop": "Timer stopped",
          "abandon": "Abandoned", "reset": "Started again", "profile": "Operator", "score_viewed": "Score viewed"}


def last_entry(case):
    """The latest event that an undo may cancel, or None."""
    seq = len(case.log)
    while seq > 1:
        ev = case.log.get(seq)
        # a score looked at is a fact, not an answer: the entry before it is what a mis-tap would undo
        if ev["k"] not in ("undo", "open", "timer_alert", "close", "score_viewed") and seq not in case.undone:
            return ev
        seq -= 1
    return None


def _pair(pairs, key):
    for p in pairs:
        if p[0] == key:
            return p[1]
    return key


def _measure(item, mid, val):
    for m in item.get("m", ()):
        if m[0] == mid:
            v = val[0] if type(val) is list else val
            if is_pick(m):
                return m[1], _pair(m[2], v)
            return m[1], fmt(v, m[5]) + " " + m[2]
    return mid, str(val)


def _catalogue(fid):
    """A finding's or an outcome's entry of the catalogue (same format), or None."""
    from panel.content.findings import FINDINGS
    from panel.content.outcomes import OUTCOMES

    for cat in (FINDINGS, OUTCOMES):
        for f in cat:
            if f[0] == fid:
                return f
    return None


def _answer(f, v):
    if v is None:
        return "not known"
    if f[1] == "int":
        return "%d %s" % (v, f[4][0])
    if f[4]:
        return _pair(f[4], v)
    return "yes" if v is True else "no" if v is False else str(v)


def describe(ev, run=None):
    """The entry in words, as the operator entered it: the item's own text (or the finding's name) and the answer's
    label, never an id ("Tip-in achieved?: No tip-in", "Occlusion length: 25 mm", "Skipped Confirm access: Not
    needed")."""
    k = ev["k"]
    item = None
    if run is not None and ev.get("item") and ev["item"] != "case":
        try:
            item = run.item(ev["item"])
        except ValueError:
            item = None
    what = item["t"] if item is not None else "this step"
    if k == "decide":
        return "%s: %s" % (what, _pair(item.get("o", ()), ev.get("opt")) if item is not None else "the answer")
    if k == "measure":
        if item is None:
            return "The measurement"
        name, value = _measure(item, ev.get("m"), ev.get("val"))
        return "%s, %s: %s" % (what, name, value)
    if k == "confirm":
        return "Done: " + what
    if k == "skip":
        return "Skipped %s: %s" % (what, _pair(SKIP_REASONS, ev.get("why")))
    if k == "defer":
        return "Deferred: " + what
    if k in ("finding", "outcome"):
        f = _catalogue(ev.get("f") or ev.get("o") or "")
        if f is None:
            return LABELS.get(k, "Entry")
        return "%s: %s" % (f[2], _answer(f, ev.get("v")))
    if k in ("abandon", "reset"):
        return "%s: %s" % (LABELS[k], _pair(ABANDON_REASONS if k == "abandon" else RESET_REASONS, ev.get("why")))
    if k == "note":
        return "Note: " + str(ev.get("text", ""))
    if k == "cl_start":
        from panel.content.checklists import INDEX

        return "Checklist started: " + _pair([(e[0], e[1]) for e in INDEX], ev.get("cl"))
    if k in ("timer_start", "timer_stop") and run is not None:
        return "%s: %s" % (LABELS[k], _pair([(t[0], t[1]) for t in run.cl.get("tm", ())], ev.get("timer")))
    return LABELS.get(k, "Entry")


def ask(ui, after=None):
    """Ask to undo the last entry; record the undo if confirmed, then after() (a screen's refresh)."""
    case = ui.model.keeper.case
    ev = last_entry(case) if case is not None else None
    if ev is None:
        ui.message("Nothing to undo", "No entry of this case can be undone.", warn=False)
        return

    def answer(a):
        if a == "yes" and ui.record("undo", {"ref": ev["seq"]}) is not None and after is not None:
            after()

    text = describe(ev, case.state.active)
    ui.ask("Undo the last entry?", "%s. It stays in the record, marked undone." % text,
           (("no", "Keep it"), ("yes", "Undo")), answer, warn=True)
