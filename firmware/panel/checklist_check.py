# panel/checklist_check.py — is a checklist's data sound? Run by the tests on every checklist.
#
# Separate from the engine so the panel never loads it: content is checked when it
# is built, not at the table. Rules: every target exists (a decision may also leave
# by the exit gate), no unreachable item, no cycle (a loop back is a "restart"),
# every caution starts at items that exist (its short label text, "at" only with from items),
# what it reads from the findings exists,
# every end reached, every measure an integer
# range with a unit or a pick list holding "other", no floats anywhere.

from panel.checklist import (
    CASE, DECISION, END, KINDS, MAX_TEXT, MEASURE, OTHER, RESTART, SWITCH, ABANDONED, is_pick, switch_target,
)


def _finding_ids():
    from panel.content.findings import FINDINGS

    return [f[0] for f in FINDINGS]


def _nofloat(x, bad):
    t = type(x)
    if t is float:
        bad.append("float in content: %r" % (x,))
    elif t is dict:
        for k in x:
            _nofloat(x[k], bad)
    elif t is tuple or t is list:
        for v in x:
            _nofloat(v, bad)


def _check_measures(ms, owner, bad):
    seen = {}
    for m in ms:
        if type(m) is not tuple or len(m) < 4 or type(m[0]) is not str or not m[1]:
            bad.append("%s: malformed measure %r" % (owner, m))
            continue
        if m[0] in seen:
            bad.append("%s: duplicate measure %s" % (owner, m[0]))
        seen[m[0]] = 1
        if is_pick(m):
            pids = [p[0] for p in m[2]]
            if len(m) != 4 or m[3] not in (0, 1):
                bad.append("%s.%s: a pick measure is (id, label, picks, multi 0/1)" % (owner, m[0]))
            if OTHER not in pids:
                bad.append('%s.%s: pick list lacks "other"' % (owner, m[0]))
            if len(pids) != len(set(pids)) or [p for p in m[2] if len(p) != 2 or not p[1]]:
                bad.append("%s.%s: picks must be unique (id, label) pairs" % (owner, m[0]))
        elif len(m) != 6 or type(m[2]) is not str or not m[2]:
            bad.append("%s.%s: a number needs (id, label, unit, lo, hi, dec)" % (owner, m[0]))
        elif type(m[3]) is not int or type(m[4]) is not int or m[3] >= m[4]:
            bad.append("%s.%s: range must be integers lo < hi" % (owner, m[0]))
        elif type(m[5]) is not int or m[5] < 0 or m[5] > 3:
            bad.append("%s.%s: dec must be 0..3" % (owner, m[0]))


def validate(cl, known=None):
    """Problems with a checklist's data as strings, [] when sound.

    known: the checklist ids an "end:switch:<id>" may name (None: not checked).
    """
    bad = []
    for key in ("id", "title", "src", "ind"):
        if type(cl.get(key)) is not str or not cl.get(key):
            bad.append("missing " + key)
    if not cl.get("ok"):
        bad.append("no success definition")
    items = cl.get("items") or ()
    if not items:
        return bad + ["no items"]
    _nofloat(cl, bad)
    ends = {}
    for e in cl.get("ends", ()):
        if not e[0].startswith(END) or e[0] == ABANDONED or not e[1]:
            bad.append("bad end: %r" % (e,))
        ends[e[0]] = 0
    tms = {}
    for tm in cl.get("tm", ()):
        if type(tm[2]) is not int or tm[2] <= 0:
            bad.append("timer %s: threshold must be a positive integer (s)" % tm[0])
        tms[tm[0]] = 1
    ids = {}
    for it in items:
        iid = it.get("id")
        if type(iid) is not str or not iid or iid == CASE or iid == RESTART or iid.startswith(END):
            bad.append("bad item id: %r" % (iid,))
        elif iid in ids:
            bad.append("duplicate item id: " + iid)
        ids[iid] = it
    succ = {}
    for i in range(len(items)):
        it = items[i]
        iid = it.get("id")
        k = it.get("k")
        if k not in KINDS:
            bad.append("%s: unknown kind %r" % (iid, k))
        if type(it.get("t")) is not str or not it["t"] or len(it["t"]) > MAX_TEXT:
            bad.append("%s: short text must be 1..%d characters" % (iid, MAX_TEXT))
        if type(it.get("d")) is not str or not it["d"] or type(it.get("s")) is not int:
            bad.append("%s: needs its source text d and step number s" % iid)
        if k == DECISION:
            opts = it.get("o") or ()
            oids = [o[0] for o in opts]
            if len(opts) < 2 or len(oids) != len(set(oids)) or [o for o in opts if len(o) != 3 or not o[1]]:
                bad.append("%s: a decision needs 2+ unique (id, label, target) options" % iid)
            if "nx" in it:
                bad.append("%s: a decision's targets are its options, not nx" % iid)
            targets = [o[2] for o in opts if len(o) == 3]
        else:
            if "o" in it:
                bad.append("%s: only a decision has options" % iid)
            nx = it.get("nx") or (items[i + 1].get("id") if i + 1 < len(items) else None)
            if nx is None:
                bad.append("%s: the last item needs nx (an end)" % iid)
            targets = [nx] if nx else []
        if k == MEASURE and not it.get("m"):
            bad.append("%s: a measurement item needs measures" % iid)
        _check_measures(it.get("m", ()), iid, bad)
        for tid in it.get("ts", ()) + it.get("te", ()):
            if tid not in tms:
                bad.append("%s: unknown timer %s" % (iid, tid))
        for tg in targets:
            if type(tg) is not str:
                bad.append("%s: bad target %r" % (iid, tg))
            elif tg == RESTART or (tg == ABANDONED and k == DECISION):
                continue
            elif tg.startswith(END):
                if tg not in ends:
                    bad.append("%s: end %s is not declared in ends" % (iid, tg))
                elif known is not None and tg.startswith(SWITCH) and switch_target(tg) not in known:
                    bad.append("%s: %s names no known checklist" % (iid, tg))
                else:
                    ends[tg] = 1
            elif tg not in ids:
                bad.append("%s: unknown target %s" % (iid, tg))
        succ[iid] = [tg for tg in targets if type(tg) is str and tg in ids]
    _check_measures(cl.get("rec", ()), CASE, bad)
    fin = cl.get("fin", ())
    if type(fin) is not tuple or [f for f in fin if f not in _finding_ids()]:
        bad.append("fin must be a tuple of finding ids: %r" % (fin,))
    cids = {}
    for c in cl.get("cau", ()):
        n = len(c) if type(c) is tuple else 0
        frm = c[2] if n >= 3 else None
        froms = () if frm is None else frm if type(frm) is tuple else (frm,)
        if n < 3 or n > 5 or type(c[0]) is not str or type(c[1]) is not str or not c[1] or c[0] in cids or (
                frm is not None and not froms) or [f for f in froms if type(f) is not str or f not in ids]:
            bad.append("bad caution: %r" % (c,))
        elif n >= 4 and (type(c[3]) is not str or not c[3]):
            bad.append("caution %s: its short label must be text" % c[0])
        elif n == 5 and (c[4] != "at" or frm is None):
            bad.append('caution %s: the fifth element is "at" (on its from items only), and needs them' % c[0])
        if n:
            cids[c[0]] = 1
    for e in ends:
        if not ends[e]:
            bad.append("end %s is never reached" % e)
    # every item reachable from the first, and no cycles (a loop back is a "restart")
    state = {}  # 1: on the current path, 2: finished
    stack = [(items[0].get("id"), 0)]
    while stack:
        iid, j = stack.pop()
        if j == 0:
            if state.get(iid) == 1:
                bad.append("cycle through " + iid)
                continue
            if state.get(iid) == 2:
                continue
            state[iid] = 1
        nxt = succ.get(iid, [])
        if j < len(nxt):
            stack.append((iid, j + 1))
            if state.get(nxt[j]) == 1:
                bad.append("cycle through %s -> %s" % (iid, nxt[j]))
            elif state.get(nxt[j]) is None:
                stack.append((nxt[j], 0))
        else:
            state[iid] = 2
    for iid in ids:
        if iid not in state:
            bad.append("unreachable item: " + iid)
    return bad
