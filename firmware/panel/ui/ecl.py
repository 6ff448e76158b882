# panel/ui/ecl.py — the checklist as an electronic checklist's list: numbers, state marks and line words.
#
# The Boeing 777/787 ECL is the anchor (shared/design/HUMAN-FACTORS.md): every item keeps its number and its
# place (a deferred item comes back where it belongs, under its own number: numbers never go backwards), every
# line carries its state mark, a branch not taken is shown as not applicable, and a finished checklist says
# CHECKLIST COMPLETE. Pure functions of a checklist Run (panel/checklist.py): the runner's window
# (screens/runner.py) and the whole list (the full text screen) are made from them, and CPython tests read them.
# Marks, each used for nothing else: ✓ done, – skipped (with its reason in words), » deferred, ○ not yet,
# "n/a" a branch not taken; the current item is boxed, never marked.

from panel.checklist import (
    ABANDONED, BRANCH_SKIPPED, DECISION, DEFERRED, DONE, OPEN, SKIP_REASONS, SKIPPED, SWITCH,
)

MARKS = {DONE: "✓", SKIPPED: "–", DEFERRED: "»", OPEN: "○", BRANCH_SKIPPED: "n/a"}
COMPLETE = "CHECKLIST COMPLETE"
ABANDONED_WORDS = "CHECKLIST ABANDONED"


def number(run, iid):
    """The item's number: its place in the checklist, 1 to N, whatever the path (never goes backwards)."""
    items = run.items
    for i in range(len(items)):
        if items[i]["id"] == iid:
            return i + 1
    return 0


def progress(run):
    """"item n of N" for the current item ("deferred" when it comes back at the end), or the end's words."""
    if run.end is not None:
        return ABANDONED_WORDS if run.end == ABANDONED else COMPLETE
    n = "item %d of %d" % (number(run, run.cur), len(run.items))
    return n + ", deferred" if run.pend else n


def _reason(why):
    for r in SKIP_REASONS:
        if r[0] == why[0]:
            return r[1].lower()
    return why[0]


def answer(run, iid):
    """What was recorded on an answered item, in words: the option taken, "skipped: <reason>", "deferred"."""
    s = run.st[iid]
    it = run.item(iid)
    if s == DONE and it["k"] == DECISION:
        opt = run.dec.get(iid)
        for o in it["o"]:
            if o[0] == opt:
                return o[1]
        return ""
    if s == SKIPPED:
        why = run.skips.get(iid)
        return "skipped: " + _reason(why) if why else "skipped"
    if s == DEFERRED:
        return "deferred"
    return ""


def line(run, iid):
    """One list line: mark, number, short text and what was recorded ("✓ 2  Wire antegrade: crossed? → Crossed")."""
    s = run.st[iid]
    text = "%s %d  %s" % (MARKS[s], number(run, iid), run.item(iid)["t"])
    a = answer(run, iid)
    if a:
        text += (" → " if s == DONE else " — ") + a
    return text


def brief(run, iid):
    """The answered item's short list line for the runner's window: its mark, its number and what was recorded
    ("✓ 3 → Crossed", "– 4 skipped: not needed", "✓ 5 done", "» 6 deferred"): the tick in place, in few pixels
    (make tapink: bytes per tap); the whole line is in the full list."""
    s = run.st[iid]
    a = answer(run, iid)
    if s == DONE:
        a = ("→ " + a) if a else "done"
    return "%s %d  %s" % (MARKS[s], number(run, iid), a)


def previous(run):
    """The answered item nearest above the current one in the list (done, skipped or deferred), or None."""
    items = run.items
    cur = run.cur
    i = number(run, cur) - 2 if cur is not None else len(items) - 1
    while i >= 0:
        iid = items[i]["id"]
        if run.st[iid] in (DONE, SKIPPED, DEFERRED) and iid != cur:
            return iid
        i -= 1
    return None


def counts(run):
    """"9 done, 2 skipped, 3 n/a" over the whole list (deferred and not yet when any)."""
    n = {}
    for _i, s in run.statuses():
        n[s] = n.get(s, 0) + 1
    parts = ["%d done" % n.get(DONE, 0)]
    for s, word in ((SKIPPED, "skipped"), (DEFERRED, "deferred"), (OPEN, "not reached"), (BRANCH_SKIPPED, "n/a")):
        if n.get(s):
            parts.append("%d %s" % (n[s], word))
    return ", ".join(parts)


def end_words(cl, end):
    """The end's label in words (the content's own, or the exit gate's)."""
    for e in cl.get("ends", ()):
        if e[0] == end:
            return e[1]
    if end == ABANDONED:
        return "Abandoned at the exit gate"
    if end.startswith(SWITCH):
        return "Continue with another checklist"
    return end


def title(cid):
    """A checklist's title by its id (the content's index; the id itself never reaches the screen)."""
    from panel.content.checklists import INDEX

    for e in INDEX:
        if e[0] == cid:
            return e[1]
    return "another checklist"


def whole_list(run):
    """Blocks for the full text screen: every item as a list line, the current one boxed ("x"), runs of items on a
    branch not taken folded into one "n/a" line ("n")."""
    out = []
    items = run.items
    i = 0
    while i < len(items):
        iid = items[i]["id"]
        s = run.st[iid]
        if s == BRANCH_SKIPPED:
            j = i
            while j + 1 < len(items) and run.st[items[j + 1]["id"]] == BRANCH_SKIPPED:
                j += 1
            nums = "%d" % (i + 1) if j == i else "%d–%d" % (i + 1, j + 1)
            out.append(("n", "n/a %s  branch not taken" % nums))
            i = j + 1
            continue
        if iid == run.cur:
            out.append(("x", "%d  %s" % (i + 1, items[i]["t"])))
        else:
            out.append(("l", line(run, iid)))
        i += 1
    return out
