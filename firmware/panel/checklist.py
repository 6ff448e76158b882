# panel/checklist.py — the checklist engine: one technique checklist in one case, driven by events.
#
# Portable core: runs unchanged on MicroPython and CPython, imports nothing, uses no
# floats (times are integer ms ticks, values integers with stated units). The state
# shown on the panel is rebuilt by applying the case's journalled events in order, so
# every handler checks first and changes state only when every check has passed: an
# event that is not legal now raises ChecklistError and leaves the Run exactly as it
# was. The engine knows no undo: the case model replays without the undone events.
# Modelled on the Boeing 777/787 electronic checklist (shared/clinical/TECHNIQUES.md).
#
# Checklist data (panel/content/checklists/<id>.py, a dict CHECKLIST; plain str/int/tuple):
#   id, title; src: citation; ind: indication; rep: reported outcomes (optional)
#   cau: ((caution id, text, from[, short[, "at"]]), ...) — from None: shown before step 1
#        and throughout; an item id: a standing note from the moment that item is reached;
#        a tuple of item ids: from the moment the first of them is reached — a caution
#        of some branches only (e.g. every item after any branch that leaves the wire
#        extraplaque) names the first item of each such branch. Reached is per attempt:
#        a reset or restart starts with none reached. short: the caution in a few words
#        for the runner's caution band (the text is one tap away); "at": the caution
#        applies only while the cursor is on one of its from items (a note of that step,
#        not a standing one). The Run records when each caution first applied (since).
#   ok: ((label, definition), ...) — the success definitions
#   ends: ((end id, label), ...) — every end an option or item can lead to; an end id
#        is "end:<what happened>", "end:switch:<checklist id>" hands over to another
#        checklist; "end:abandoned" (the exit gate) is the engine's own
#   rec: measures recorded for the case (measure events with item "case"), any time
#   fin (optional): finding ids (panel/content/findings.py) the checklist reads from the
#        case's findings, entered once on the findings screen and never asked again here
#   tm: ((timer id, label, alert threshold s), ...)
#   items: ordered tuple of dicts:
#     id; k: "do" (one tap) | "dec" (decision) | "meas" (confirmed once its measures
#        are all recorded); t: short text, verb first; d: the source text; s: step
#        number in TECHNIQUES.md (0: the section's preamble or outcome definitions)
#     o (dec only): ((option id, label, target), ...); target: an item id, an end id,
#        "restart" (the run starts again from step 1, as a reset with why "retry"
#        and text "<item>:<option>"), or "end:abandoned" (the content's own way out by
#        the exit gate: the run ends at once, as an abandon with why "strategy_switch"
#        and text "<item>:<option>"; open and deferred items stay as they stood)
#     nx (do/meas, optional): target after this item; default the next item in order
#     m (optional): measures; on do/dec items they are optional
#     ts / te (optional): timer ids started (fresh) / stopped when the cursor first
#        arrives at this item in the attempt
#   A measure is (id, label, unit, lo, hi, dec) — an integer lo..hi in unit with dec
#   implied decimals (45 with dec 1 is 4.5) — or (id, label, picks, multi) with picks
#   ((pick id, label), ...) always holding "other" (needs text); multi 1: "log each
#   tried", every entry is kept in order; otherwise the latest entry counts.
#
# Events (dicts; the case model adds "t" ms ticks and "seq"; other keys are ignored):
#   confirm {item}              the current do/meas item, or a deferred one at any time
#   decide {item, opt}          the current decision; open items it leaves unreachable
#                               become branch_skipped (shown, never hidden)
#   measure {item, m, val, text?}  on the current, a deferred or a done item, or on
#                               "case"; val an int in range or a pick id
#   skip {item, why, text?}     current or deferred do/meas item; why in SKIP_REASONS
#   defer {item}                current do/meas item; when the path reaches an end the
#                               deferred items come back first (pend holds the end)
#   timer_start / timer_stop / timer_alert {timer}
#   abandon {why, text?}        the exit gate: ends with "end:abandoned"; ABANDON_REASONS
#   reset {why, text?}          any time, even after an end: the attempt goes to history
#                               and the run starts again at step 1; RESET_REASONS
#   note {text}                 attached to the current item (None once ended)
# A reason "other" needs text. Decisions are answered, never skipped or deferred: their
# options are the path. Queries: cur, end, pend, statuses(), upcoming(), deferred(),
# cautions(), active_cautions(), since, value(), tried(), timer(), timer_due(), legal(), dec, skips, notes,
# note_count, at, history, attempts. A Run made with full=False keeps no notes, no earlier attempts and only the
# latest entry of a "log each tried" measure: its RAM does not grow with the case (panel RAM).
#
# Timer rule: an item's ts/te act when the cursor first arrives at it; explicit
# timer_start/timer_stop events act at their "t"; every running timer stops when the
# run ends or resets. A timer is due once t - start >= threshold * 1000 while running
# (differences of ticks are taken modulo the tick period, as time.ticks_diff does: a board's
# ms counter wraps every 2**30 ms, 12.4 days);
# the case model journals {"k": "timer_alert"} for what timer_due(now) reports.

OPEN = "open"
DONE = "done"
SKIPPED = "skipped"
BRANCH_SKIPPED = "branch_skipped"
DEFERRED = "deferred"

DO = "do"
DECISION = "dec"
MEASURE = "meas"
KINDS = (DO, DECISION, MEASURE)
CASE = "case"  # the item id measure events use for the checklist's case-level records
END = "end:"
SWITCH = "end:switch:"
ABANDONED = "end:abandoned"
RESTART = "restart"
OTHER = "other"
MAX_TEXT = 36  # characters of an item's short text: one line at arm's length

SKIP_REASONS = (
    ("not_needed", "Not needed"),
    ("not_possible", "Not possible"),
    ("done_differently", "Done differently"),
    ("contraindicated", "Contra-indicated"),
    ("other", "Other"),
)
ABANDON_REASONS = (
    ("no_progress", "No progress"),
    ("complication", "Complication"),
    ("time_or_dose", "Time, contrast or dose limit"),
    ("patient", "Patient condition"),
    ("strategy_switch", "Strategy switch"),
    ("other", "Other"),
)
RESET_REASONS = (
    ("strategy_switch", "Strategy switch"),
    ("retry", "New attempt"),
    ("other", "Other"),
)


_PLAIN = {}


def _plain(val):
    # One shared (pick id, None) per pick: a long "log each tried" list holds references, not a tuple
    # per try (which also fragmented the heap). Pick ids come from the content: the cache is bounded.
    entry = _PLAIN.get(val)
    if entry is None:
        entry = _PLAIN[val] = (val, None)
    return entry


TICKS_PERIOD = 1 << 30  # MicroPython's ticks_ms wraps here on every port
_HALF = TICKS_PERIOD >> 1


def ticks_diff(a, b):
    """a - b in ms ticks, correct across one wrap of the counter (as time.ticks_diff)."""
    return ((a - b + _HALF) % TICKS_PERIOD) - _HALF


class ChecklistError(ValueError):
    """An event that is not legal in the run's present state; the state is unchanged."""


def is_pick(m):
    """True for a pick-list measure, False for an integer one."""
    return type(m[2]) is tuple


def fmt(v, dec):
    """Integer v with dec implied decimals as text: fmt(45, 1) == "4.5"."""
    if not dec:
        return str(v)
    p = 10 ** dec
    a = -v if v < 0 else v
    return "%s%d.%s" % ("-" if v < 0 else "", a // p, ("000000" + str(a % p))[-dec:])


def describe(m):
    """What a measure accepts, for people: "Gap between MC tips: 0.0..100.0 mm"."""
    if is_pick(m):
        return "%s: one of %s" % (m[1], ", ".join([p[0] for p in m[2]]))
    return "%s: %s..%s %s" % (m[1], fmt(m[3], m[5]), fmt(m[4], m[5]), m[2])


def switch_target(end):
    """The checklist id an "end:switch:<id>" end hands over to, else None."""
    return end[len(SWITCH):] if end and end.startswith(SWITCH) else None


def _find(pairs, key):
    for p in pairs:
        if p[0] == key:
            return p
    return None


def _reason(why, text, choices):
    if _find(choices, why) is None:
        raise ChecklistError("reason must be one of: " + ", ".join([c[0] for c in choices]))
    if text is not None and type(text) is not str:
        raise ChecklistError("text must be a string")
    if why == OTHER and not text:
        raise ChecklistError('reason "other" needs text')


def _sorted(d):
    return [(k, d[k]) for k in sorted(d)]


def caution_from(c):
    """The item ids a caution entry applies from, as a tuple (() for a caution from the start)."""
    frm = c[2]
    if frm is None:
        return ()
    return frm if type(frm) is tuple else (frm,)


def caution_at(c):
    """True for a caution that applies only while the cursor is on one of its from items."""
    return len(c) > 4 and c[4] == "at"


def caution_short(c):
    """The caution in a few words (its short label, or its text when it has none)."""
    return c[3] if len(c) > 3 and c[3] else c[1]


class Run:
    """One checklist's state in a case: apply events, ask what to show.

    full=False (the panel): RAM does not grow with the case's events. Notes are counted, not
    kept (their texts stay in the journal); a "log each tried" measure keeps its latest entry
    and a count (tried()); earlier attempts are counted (attempts), their states not kept.
    full=True (the host, tests): every note, every entry and every attempt is kept.
    """

    def __init__(self, checklist, t=0, full=True, seq=None):
        self.full = full
        self._seq = seq  # seq of the event being applied (the case model's; None when events carry none)
        self.cl = checklist
        self.items = checklist["items"]
        self._item = {}
        self._nx = {}
        n = len(self.items)
        for i in range(n):
            it = self.items[i]
            self._item[it["id"]] = it
            if it["k"] != DECISION:
                self._nx[it["id"]] = it.get("nx") or (self.items[i + 1]["id"] if i + 1 < n else None)
        self._tm = {}
        for tm in checklist.get("tm", ()):
            self._tm[tm[0]] = tm[2]
        self.history = []  # earlier attempts, oldest first: dicts made by _restart (full only)
        self.attempts = 1  # this attempt's number: 1 + the resets so far
        self.case = {}  # case-level records: measure id -> entry; kept across resets
        self.ntried = {}  # (item, measure) -> entries logged of a "log each tried" measure, this attempt
        self.t = t  # "t" of the last applied event (ms ticks)
        self._begin(t)

    # ---- state changes (only ever after every check has passed) ----

    def _begin(self, t):
        self.st = {}
        for it in self.items:
            self.st[it["id"]] = OPEN
        self.cur = None  # the item the cursor is on; None once ended
        self.pend = None  # the end reached while deferred items remain
        self.end = None
        self.why = None  # (reason, text) of an abandon
        self.dec = {}  # decision item -> option chosen
        self.vals = {}  # item -> {measure -> (val, text) or [(val, text), ...] when multi}
        self.skips = {}  # item -> (reason, text)
        self.notes = []  # (item or None, text, t) (full only)
        self.note_count = 0  # notes in this attempt
        self.n = 0  # events applied in this attempt (the case journal keeps the events)
        self.at = {}  # item -> t it was last confirmed, decided, skipped or deferred
        self.reached = {}  # item -> t of first arrival
        self.timers = {}  # timer -> [start t, stop t or None, alerted]
        self.since = {}  # caution id -> (t, seq) of the event from which it first applied in this attempt
        for c in self.cl.get("cau", ()):
            if c[2] is None:
                self.since[c[0]] = (t, self._seq)
        self._goto(self.items[0]["id"], t)

    def _goto(self, target, t):
        if target.startswith(END):
            self.pend = target
            self.cur = self._first_deferred()
            self._prune()
            if self.cur is None:
                self._finish(target, t)
            return
        self.cur = target
        if target not in self.reached:
            self.reached[target] = t
            for c in self.cl.get("cau", ()):
                if c[0] not in self.since and target in caution_from(c):
                    self.since[c[0]] = (t, self._seq)
            it = self._item[target]
            for tid in it.get("te", ()):
                tm = self.timers.get(tid)
                if tm and tm[1] is None:
                    tm[1] = t
            for tid in it.get("ts", ()):
                self.timers[tid] = [t, None, False]
        self._prune()

    def _prune(self):
        # an open item the cursor can no longer reach lies on a branch not taken
        seen = {}
        stack = [] if self.pend else [self.cur]
        while stack:
            i = stack.pop()
            if i in seen or i == RESTART or i.startswith(END):  # type: ignore[union-attr]  # cur is set when pend is not
                continue
            seen[i] = 1
            stack.extend(self.successors(i))
        for it in self.items:
            i = it["id"]
            if self.st[i] == OPEN and i not in seen:
                self.st[i] = BRANCH_SKIPPED

    def _finish(self, end, t):
        for tid in self.timers:
            if self.timers[tid][1] is None:
                self.timers[tid][1] = t
        self.end = end
        self.cur = None
        self.pend = None

    def _complete(self, iid, status, t):
        was = self.st[iid]
        self.st[iid] = status
        self.at[iid] = t
        if was != DEFERRED:
            self._goto(self._nx[iid], t)
        elif self.pend:
            self.cur = self._first_deferred()
            if self.cur is None:
                self._finish(self.pend, t)

    def _restart(self, why, text, t):
        for tid in self.timers:
            if self.timers[tid][1] is None:
                self.timers[tid][1] = t
        if self.full:
            self.history.append({
                "why": why, "text": text, "t": t, "end": self.end, "abandon": self.why,
                "st": self.st, "dec": self.dec, "vals": self.vals, "skips": self.skips,
                "notes": self.notes, "n": self.n, "at": self.at, "timers": self.timers, "reached": self.reached,
                "since": self.since,
            })
        self.attempts += 1
        keep = {}
        for key in self.ntried:  # case-level tries carry over with the case-level records
            if key[0] == CASE:
                keep[key] = self.ntried[key]
        self._begin(t)
        self.ntried = keep

    # ---- checks ----

    def _get(self, iid):
        it = self._item.get(iid) if type(iid) is str else None
        if it is None:
            raise ChecklistError("unknown item: %s" % (iid,))
        return it

    def _running(self):
        if self.end is not None:
            raise ChecklistError("the checklist has ended (%s)" % self.end)

    def _workable(self, iid):
        # the current open item, or a deferred one (any time; at the end they are due)
        self._running()
        it = self._get(iid)
        s = self.st[iid]
        if s == DEFERRED:
            return it
        if iid != self.cur or s != OPEN:
            raise ChecklistError("%s is not the current item (it is %s)" % (iid, s))
        return it

    def _missing(self, it):
        vals = self.vals.get(it["id"], {})
        return [m[0] for m in it.get("m", ()) if m[0] not in vals]

    def _timer(self, tid):
        if type(tid) is not str or tid not in self._tm:
            raise ChecklistError("unknown timer: %s" % (tid,))
        return self.timers.get(tid)

    # ---- events ----

    def apply(self, ev):
        """Apply one event dict; raise ChecklistError (state unchanged) if not legal now."""
        if type(ev) is not dict:
            raise ChecklistError("an event is a dict")
        k = ev.get("k")
        fn = _HANDLERS.get(k) if type(k) is str else None
        if fn is None:
            raise ChecklistError("unknown event kind: %s" % (k,))
        t = ev.get("t", self.t)
        if type(t) is not int:
            raise ChecklistError("t must be integer ms")
        self._seq = ev.get("seq")
        fn(self, ev, t)
        self.t = t

    def _ev_confirm(self, ev, t):
        iid = ev.get("item")
        if self._get(iid)["k"] == DECISION:
            raise ChecklistError("%s is a decision: it is decided (%s), never confirmed"
                                 % (iid, self.dec.get(iid, "not yet")))
        it = self._workable(iid)
        if it["k"] == MEASURE:
            miss = self._missing(it)
            if miss:
                raise ChecklistError("%s: record %s first" % (iid, ", ".join(miss)))
        self.n += 1
        self._complete(iid, DONE, t)

    def _ev_decide(self, ev, t):
        self._running()
        iid = ev.get("item")
        it = self._get(iid)
        if it["k"] != DECISION:
            raise ChecklistError("%s is not a decision" % iid)
        if iid != self.cur or self.st[iid] != OPEN:
            raise ChecklistError("%s is not the current item (it is %s)" % (iid, self.st[iid]))
        o = _find(it["o"], ev.get("opt"))
        if o is None:
            raise ChecklistError("%s: option must be one of: %s" % (iid, ", ".join([x[0] for x in it["o"]])))
        self.n += 1
        self.dec[iid] = o[0]
        self.st[iid] = DONE
        self.at[iid] = t
        if o[2] == RESTART:
            self._restart("retry", iid + ":" + o[0], t)
        elif o[2] == ABANDONED:
            self.why = ("strategy_switch", iid + ":" + o[0])
            self._finish(ABANDONED, t)
        else:
            self._goto(o[2], t)

    def _ev_measure(self, ev, t):
        iid = ev.get("item")
        mid = ev.get("m")
        if iid == CASE:
            spec = self.cl.get("rec", ())
        else:
            it = self._get(iid)
            s = self.st[iid]
            if not (s == DONE or s == DEFERRED or (iid == self.cur and s == OPEN)):
                raise ChecklistError("%s is %s: nothing can be recorded on it now" % (iid, s))
            spec = it.get("m", ())
        m = _find(spec, mid)
        if m is None:
            raise ChecklistError("%s has no measure %s" % (iid, mid))
        val = ev.get("val")
        text = ev.get("text")
        if text is not None and type(text) is not str:
            raise ChecklistError("text must be a string")
        if is_pick(m):
            if type(val) is not str or _find(m[2], val) is None:
                raise ChecklistError("%s: %s is not allowed; %s" % (iid, val, describe(m)))
            if val == OTHER and not text:
                raise ChecklistError('%s.%s: "other" needs text' % (iid, mid))
        elif type(val) is not int or val < m[3] or val > m[4]:
            raise ChecklistError("%s: %s is out of range; %s" % (iid, val, describe(m)))
        self.n += 1
        store = self.case if iid == CASE else self.vals.setdefault(iid, {})
        entry = _plain(val) if text is None and is_pick(m) else (val, text)
        if is_pick(m) and m[3]:
            key = (iid, mid)
            self.ntried[key] = self.ntried.get(key, 0) + 1
            if self.full:
                store.setdefault(mid, []).append(entry)
            else:
                store[mid] = [entry]  # the latest only: the journal keeps every try
        else:
            store[mid] = entry

    def _ev_skip(self, ev, t):
        iid = ev.get("item")
        it = self._workable(iid)
        if it["k"] == DECISION:
            raise ChecklistError("%s is a decision: choose an option (or abandon)" % iid)
        _reason(ev.get("why"), ev.get("text"), SKIP_REASONS)
        self.n += 1
        self.skips[iid] = (ev["why"], ev.get("text"))
        self._complete(iid, SKIPPED, t)

    def _ev_defer(self, ev, t):
        self._running()
        iid = ev.get("item")
        it = self._get(iid)
        if iid != self.cur or self.st[iid] != OPEN:
            raise ChecklistError("%s is not the current open item (it is %s)" % (iid, self.st[iid]))
        if it["k"] == DECISION:
            raise ChecklistError("%s is a decision: it cannot be deferred" % iid)
        self.n += 1
        self.st[iid] = DEFERRED
        self.at[iid] = t
        self._goto(self._nx[iid], t)

    def _ev_timer_start(self, ev, t):
        self._running()
        tm = self._timer(ev.get("timer"))
        if tm and tm[1] is None:
            raise ChecklistError("timer %s is already running" % ev["timer"])
        self.n += 1
        self.timers[ev["timer"]] = [t, None, False]

    def _ev_timer_stop(self, ev, t):
        self._running()
        tm = self._timer(ev.get("timer"))
        if not tm or tm[1] is not None:
            raise ChecklistError("timer %s is not running" % ev["timer"])
        self.n += 1
        tm[1] = t

    def _ev_timer_alert(self, ev, t):
        self._running()
        tid = ev.get("timer")
        tm = self._timer(tid)
        if not tm or tm[1] is not None:
            raise ChecklistError("timer %s is not running" % tid)
        if tm[2]:
            raise ChecklistError("timer %s has already alerted" % tid)
        if ticks_diff(t, tm[0]) < self._tm[tid] * 1000:
            raise ChecklistError("timer %s is not due: %d of %d s" % (tid, ticks_diff(t, tm[0]) // 1000,
                                                                     self._tm[tid]))
        self.n += 1
        tm[2] = True

    def _ev_abandon(self, ev, t):
        self._running()
        _reason(ev.get("why"), ev.get("text"), ABANDON_REASONS)
        self.n += 1
        self.why = (ev["why"], ev.get("text"))
        self._finish(ABANDONED, t)

    def _ev_reset(self, ev, t):
        _reason(ev.get("why"), ev.get("text"), RESET_REASONS)
        self._restart(ev["why"], ev.get("text"), t)
        self.n += 1

    def _ev_note(self, ev, t):
        text = ev.get("text")
        if type(text) is not str or not text:
            raise ChecklistError("a note needs text")
        self.n += 1
        self.note_count += 1
        if self.full:
            self.notes.append((self.cur, text, t))

    # ---- queries ----

    def item(self, iid):
        """The item dict of iid (ChecklistError if unknown)."""
        return self._get(iid)

    def successors(self, iid):
        """Targets the cursor can move to from iid: item ids, end ids or "restart"."""
        it = self._item[iid]
        if it["k"] == DECISION:
            return [o[2] for o in it["o"]]
        return [self._nx[iid]]

    def status(self, iid):
        """open / done / skipped / branch_skipped / deferred."""
        self._get(iid)
        return self.st[iid]

    def statuses(self):
        """[(item id, status), ...] in checklist order."""
        return [(it["id"], self.st[it["id"]]) for it in self.items]

    def deferred(self):
        """Deferred items still to do, in checklist order."""
        return [it["id"] for it in self.items if self.st[it["id"]] == DEFERRED]

    def _first_deferred(self):
        d = self.deferred()
        return d[0] if d else None

    def upcoming(self, n=3):
        """Up to n items after the current one along the path; stops after a decision."""
        out = []
        if self.pend:
            return self.deferred()[1:n + 1]
        i = self.cur
        while i is not None and len(out) < n and self._item[i]["k"] != DECISION:
            i = self._nx[i]
            if i.startswith(END) or self.st[i] != OPEN:  # type: ignore[union-attr]  # a non-decision item has a next
                break
            out.append(i)
        return out

    def active_cautions(self):
        """The content's caution entries that apply now, in content order: those from the start and those
        whose from items were reached in this attempt (an "at" caution only while the cursor is on one)."""
        out = []
        for c in self.cl.get("cau", ()):
            if c[0] in self.since and (not caution_at(c) or self.cur in caution_from(c)):
                out.append(c)
        return out

    def cautions(self):
        """[(caution id, text), ...] that apply now: standing limits and those of reached items."""
        return [(c[0], c[1]) for c in self.active_cautions()]

    def value(self, iid, mid):
        """The entry recorded for measure mid of item iid (or CASE): (val, text), a list of them when multi (the
        latest only when not full), or None."""
        if iid == CASE:
            return self.case.get(mid)
        return self.vals.get(iid, {}).get(mid)

    def tried(self, iid, mid):
        """How many entries a "log each tried" measure holds (item iid or CASE, measure mid)."""
        return self.ntried.get((iid, mid), 0)

    def timer(self, tid, now):
        """{"on", "ms" (elapsed), "due", "alerted", "limit" (s)} of timer tid at tick now."""
        self._timer(tid)
        tm = self.timers.get(tid)
        limit = self._tm[tid]
        if tm is None:
            return {"on": False, "ms": 0, "due": False, "alerted": False, "limit": limit}
        on = tm[1] is None
        ms = ticks_diff(now if on else tm[1], tm[0])
        ms = ms if ms > 0 else 0
        return {"on": on, "ms": ms, "due": on and not tm[2] and ms >= limit * 1000, "alerted": tm[2], "limit": limit}

    def timer_due(self, now):
        """Sorted ids of running timers past their threshold at tick now and not yet alerted."""
        return sorted([tid for tid in self._tm if self.timer(tid, now)["due"]])

    def legal(self):
        """Every action legal now, as (kind, item or timer, option or measure) tuples."""
        out = []
        if self.end is None:
            for it in self.items:
                iid = it["id"]
                s = self.st[iid]
                if s == DEFERRED or (iid == self.cur and s == OPEN):
                    if it["k"] == DECISION:
                        for o in it["o"]:
                            out.append(("decide", iid, o[0]))
                    else:
                        if it["k"] != MEASURE or not self._missing(it):
                            out.append(("confirm", iid, None))
                        out.append(("skip", iid, None))
                        if s == OPEN and not self.pend:
                            out.append(("defer", iid, None))
            for tid in sorted(self._tm):
                tm = self.timers.get(tid)
                if tm and tm[1] is None:
                    out.append(("timer_stop", tid, None))
                    if self.timer(tid, self.t)["due"]:
                        out.append(("timer_alert", tid, None))
                else:
                    out.append(("timer_start", tid, None))
            out.append(("abandon", None, None))
        for it in self.items:
            iid = it["id"]
            s = self.st[iid]
            if s == DONE or s == DEFERRED or (iid == self.cur and s == OPEN):
                for m in it.get("m", ()):
                    out.append(("measure", iid, m[0]))
        for m in self.cl.get("rec", ()):
            out.append(("measure", CASE, m[0]))
        out.append(("reset", None, None))
        out.append(("note", None, None))
        return out

    def snapshot(self):
        """The whole state as one comparable string (tests, replay checks)."""
        return repr((
            self.cur, self.pend, self.end, self.why, self.t, self.statuses(), _sorted(self.dec),
            _sorted(self.skips), [(i, _sorted(self.vals[i])) for i in sorted(self.vals)],
            _sorted(self.case), _sorted(self.timers), _sorted(self.reached),
            _sorted(self.at), _sorted(self.since), self.notes, self.n, len(self.history),
        ))


_HANDLERS = {
    "confirm": Run._ev_confirm,
    "decide": Run._ev_decide,
    "measure": Run._ev_measure,
    "skip": Run._ev_skip,
    "defer": Run._ev_defer,
    "timer_start": Run._ev_timer_start,
    "timer_stop": Run._ev_timer_stop,
    "timer_alert": Run._ev_timer_alert,
    "abandon": Run._ev_abandon,
    "reset": Run._ev_reset,
    "note": Run._ev_note,
}


def replay(checklist, events, t=0, full=True):
    """A Run of checklist with events applied in order (ChecklistError on the first illegal one)."""
    run = Run(checklist, t, full)
    for ev in events:
        run.apply(ev)
    return run
