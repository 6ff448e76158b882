# panel/ui/undo.py — undo the last entry: a gloved finger mis-taps, and the case records the correction.
#
# Undo is itself an event naming the one it cancels (panel/case.py): nothing is erased.
# The entry to undo is the latest one still in force (not open, not an undo, not already
# undone); the question names it, so the operator confirms what goes.

LABELS = {"confirm": "Done", "decide": "Decision", "measure": "Measurement", "skip": "Skipped", "defer": "Deferred",
          "finding": "Finding", "outcome": "Outcome", "note": "Note", "cl_start": "Checklist started",
          "strategy": "Strategy change", "timer_start": "Timer started", "timer_stop": "Timer stopped",
          "abandon": "Abandoned", "reset": "Started again", "profile": "Operator", "score_viewed": "Score viewed"}


def last_entry(case):
    """The latest event that an undo may cancel, or None."""
    seq = len(case.log)
    while seq > 1:
        ev = case.log.get(seq)
        if ev["k"] not in ("undo", "open", "timer_alert", "close") and seq not in case.undone:
            return ev
        seq -= 1
    return None


def describe(ev, run=None):
    """The entry in words: what it was about (the checklist item's own text when there is one) and its value."""
    what = ev.get("item") or ev.get("f") or ev.get("o") or ev.get("cl") or ev.get("timer") or ev.get("score") or ""
    value = ev.get("opt") or ev.get("val") or ev.get("v") or ev.get("why")
    if run is not None and ev.get("item") and ev["item"] != "case":
        try:
            item = run.item(ev["item"])
        except ValueError:
            item = None
        if item is not None:
            what = item["t"]
            for o in item.get("o", ()):
                if o[0] == value:
                    value = o[1]
    text = LABELS.get(ev["k"], ev["k"]) + (" " + str(what) if what else "")
    if value is not None:
        text += ": " + str(value)
    return text


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
    ui.ask("Undo?", "Undo entry %d, %s? It stays in the record, marked undone." % (ev["seq"], text),
           (("no", "Keep it"), ("yes", "Undo")), answer, warn=True)
