"""A case's events read into plain data: findings, scores, techniques and steps, timers, outcome, times.

The events are replayed through the panel's own case engine (panel.case.Case), so
every score, checklist state and outcome is what the panel showed; nothing is
recomputed here by other rules. No Textual, no database: plain data in, plain data out.

Public API:
    as_event(x) -> Ev
        One event from any form the host meets: a Store.events() row (StoredEvent:
        kind/seq/boot/ticks/wall_ms/payload), a (seq, payload, kind, boot, ticks) row of
        sync.events_of, raw msgpack bytes of a live push, or a decoded dict.
    summarize(events) -> dict
        The whole case as JSON-ready data (keys below).
    LiveCase(events=(), clock=time.monotonic)
        feed(event, received=None) -> list of new timeline rows (events arriving live;
        duplicates ignored, out-of-order ones held until the gap fills);
        status(now=None) -> what the live screen shows now: current technique and
        step, elapsed in that step, the cautions in force at that step (each with the
        time it applied from), procedure clock, wire-crossing timer, alerts, panel tallies; summary() -> summarize() of what has arrived; timeline; missing.
    figures(summary, nurse=None) -> dict
        Contrast, fluoroscopy, procedure time and dose, each with the source it came from.
    score_value(score) -> (lo, hi) | None;  score_category(score) -> str | None
        A score result's total as numbers (lo == hi when complete) and its single category.

Times. Every time is {"seq", "rel_ms", "wall_ms"}: rel_ms since the case opened,
from the panel's ticks within one boot (or from wall clocks across a reboot when both
are known, else None); wall_ms only where the event's boot has a time anchor.
summary["clock"] says which: "wall" (every event has wall time), "relative" (none
has), "mixed". Durations between two events follow the same rule (span_ms).

Summary keys: case_id, content_version, firmware, events, complete, missing_from,
replay_error, clock, start, end, duration_ms, closed, operator, vessel, findings,
unanswered, scores, techniques (steps with per-step time_ms, attempts, timers, and every caution
that applied with the time it first applied),
segments (every visit of the cursor to a step), timers, wire_crossing (attempts, total ms,
alerts), alerts, strategy, outcome,
panel_figures, notes, timeline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bedlink.errors import ProtocolError
from bedlink.mpack import unpack
from bedside.eventtext import checklist_title, event_text, outcome_text
from bedside.panelvalues import event_clock, show, wall_dt
from panel.case import Case
from panel.checklist import CASE, caution_short
from panel.content.findings import FINDINGS
from panel.findings import Findings
from panel.scoring import evaluate_all

_OWN = ("seq", "t", "k", "b")
_FINDINGS = {f[0]: f for f in FINDINGS}
# The checklist ends that are the operator's technical-success decision ("Check TIMI 3, residual <30 %").
TECH_ENDS = {"end:technical_success": "yes", "end:technical_not_met": "no", "end:device_success": "no"}


class CaseFileError(ValueError):
    """An event that cannot be placed at all: no seq (a stored row always has one), or not an event."""


@dataclass(frozen=True, slots=True)
class Ev:
    """One event: its place, its clocks and its decoded fields.

    `problem` says why the panel's event cannot be replayed (not a msgpack map, a kind or tick count the host
    cannot take: bedside.panelvalues); kind, boot and ticks are then None where unknown, and the replay of the
    case stops there with that reason, as at an event the engine refuses.
    """

    seq: int
    kind: str | None
    boot: int | None
    ticks: int | None
    wall_ms: int | None
    data: dict
    problem: str | None = None


def _decode(payload) -> tuple[dict, str | None]:
    try:
        data = unpack(bytes(payload))
    except ProtocolError as e:
        return {}, f"not readable ({e.reason})"
    if not isinstance(data, dict):
        return {}, f"not a map but {type(data).__name__}"
    return data, None


def as_event(x) -> Ev:
    """One Ev from a StoredEvent row, a sync (seq, payload, kind, boot, ticks) row, msgpack bytes or a dict.

    A stored or synced row keeps its seq whatever its payload holds; bytes or a dict must carry an int seq.
    """
    if isinstance(x, Ev):
        return x
    wall, seq = None, None
    if isinstance(x, (bytes, bytearray, memoryview)):
        data, problem = _decode(x)
    elif isinstance(x, dict):
        data, problem = x, None
    elif isinstance(x, tuple) and len(x) == 5:
        seq = x[0]
        data, problem = _decode(x[1])
    elif hasattr(x, "payload"):
        seq, wall = x.seq, getattr(x, "wall_ms", None)
        data, problem = _decode(x.payload)
    else:
        raise CaseFileError(f"not an event: {type(x).__name__}")
    own = data.get("seq")
    if seq is None:
        if type(own) is not int:
            raise CaseFileError(f"an event needs an int seq: {data!r:.80}" if not problem else f"an event {problem}")
        seq = own
    elif own != seq and problem is None:
        problem = f"its own seq is {show(own)}"
    kind, boot, ticks, odd = event_clock(data)
    if odd and problem is None:
        problem = "the host cannot take its " + ", ".join(odd)
    if wall_dt(wall) is None or ticks is None:
        wall = None  # a wall time stored before the host checked anchors: unknown
    return Ev(seq, kind, boot, ticks, wall, data, problem)


def span_ms(a: Ev, b: Ev) -> int | None:
    """Milliseconds from a to b: ticks within one boot, else wall clocks when both are known, else None."""
    if a.ticks is None or b.ticks is None:
        return None
    if a.boot == b.boot:
        return b.ticks - a.ticks
    if a.wall_ms is not None and b.wall_ms is not None:
        return b.wall_ms - a.wall_ms
    return None


def _sum(values):
    return None if any(v is None for v in values) else sum(values)


class _Reader:
    """Applies events in seq order to a panel Case and watches what each one changed."""

    def __init__(self):
        self.case: Case | None = None
        self.events: list[Ev] = []
        self.error: dict | None = None
        self.rows: list[dict] = []
        self.segments: list[dict] = []
        self.open_seg: tuple | None = None  # ((run, attempt, item), start Ev)
        self.running: dict = {}  # (run, attempt, timer, start ticks) -> timer record
        self.timers: list[dict] = []
        self.alerts: list[dict] = []
        self.run_end: dict[int, Ev] = {}

    def at(self, ev: Ev) -> dict:
        rel = span_ms(self.events[0], ev) if self.events else None
        return {"seq": ev.seq, "rel_ms": rel, "wall_ms": ev.wall_ms}

    def active(self):
        """(run index, Run, checklist id) of the checklist in progress, or None."""
        if self.case is None:
            return None
        st = self.case.state
        if st.active is None or st.active.end is not None:
            return None
        for i, (cid, run, _seq) in enumerate(st.runs):
            if run is st.active:
                return i, run, cid
        return None

    def apply(self, ev: Ev) -> dict:
        act = self.active()
        cid = act[2] if act else None
        self.events.append(ev)
        if self.error is None and ev.problem is not None:
            self.error = {"seq": ev.seq, "reason": "the panel's event cannot be replayed: " + ev.problem}
        elif self.error is None:
            try:
                if self.case is None:
                    self.case = Case()
                self.case.boot = ev.boot
                self.case.record(ev.kind, ev.ticks, {k: v for k, v in ev.data.items() if k not in _OWN})
                self._observe(ev)
            except Exception as e:  # noqa: BLE001 - the panel's events are untrusted: any refusal stops the replay
                self.error = {"seq": ev.seq, "reason": (str(e) or type(e).__name__)[:200]}
        try:
            text = event_text(ev.data, cid) if ev.problem is None else f"Unreadable event: {ev.problem}"
        except Exception:  # noqa: BLE001 - a field of an odd type: say so, do not stop
            text = f"Event {show(ev.kind)} with fields the host cannot show"
        item = ev.data.get("item")
        row = {**self.at(ev), "kind": ev.kind, "checklist": cid, "item": item if isinstance(item, str) else None,
               "text": text, "undone": False}
        self.rows.append(row)
        ref = ev.data.get("ref")
        if ev.kind == "undo" and self.error is None and type(ref) is int and 1 <= ref < len(self.rows):
            self.rows[ref - 1]["undone"] = True  # the timeline keeps it, marked
        return row

    def _status(self, ri, attempt, iid):
        runs = self.case.state.runs
        if ri >= len(runs):
            return None, None
        run = runs[ri][1]
        if attempt == len(run.history):
            return run.st.get(iid), run.dec.get(iid)
        h = run.history[attempt]
        return h["st"].get(iid), h["dec"].get(iid)

    def _observe(self, ev: Ev) -> None:
        st = self.case.state
        act = self.active()
        pos = (act[0], len(act[1].history), act[1].cur) if act and act[1].cur else None
        if self.open_seg is not None and self.open_seg[0] != pos:
            (ri, attempt, iid), start = self.open_seg
            status, opt = self._status(ri, attempt, iid)
            self.segments.append({"run": ri, "checklist": st.runs[ri][0] if ri < len(st.runs) else None,
                                  "attempt": attempt, "item": iid, "start": self.at(start), "end": self.at(ev),
                                  "ms": span_ms(start, ev), "status": status, "option": opt})
            self.open_seg = None
        if pos is not None and self.open_seg is None:
            self.open_seg = (pos, ev)
        for ri, (cid, run, _s) in enumerate(st.runs):
            if run.end is not None:
                self.run_end.setdefault(ri, ev)
            else:
                self.run_end.pop(ri, None)
        now = {}
        for ri, (cid, run, _s) in enumerate(st.runs):
            for tid, tm in run.timers.items():
                if tm[1] is None:
                    now[(ri, len(run.history), tid, tm[0])] = cid
        for key in [k for k in self.running if k not in now]:
            rec = self.running.pop(key)
            rec["stop"], rec["ms"] = self.at(ev), span_ms(rec["_start"], ev)
        for key, cid in now.items():
            if key not in self.running:
                label, limit = _timer_spec(cid, key[2])
                rec = {"checklist": cid, "run": key[0], "attempt": key[1], "timer": key[2], "label": label,
                       "limit_s": limit, "start": self.at(ev), "stop": None, "ms": None, "alerts": [], "_start": ev}
                self.running[key] = rec
                self.timers.append(rec)
        if ev.kind == "timer_alert":
            for key, rec in self.running.items():
                if act and key[0] == act[0] and key[2] == ev.data.get("timer"):
                    alert = {**self.at(ev), "timer": key[2], "checklist": rec["checklist"],
                             "after_ms": span_ms(rec["_start"], ev)}
                    rec["alerts"].append(alert)
                    self.alerts.append(alert)


def _timer_spec(cid, tid):
    from panel.content.checklists import load

    for t in load(cid).get("tm", ()):
        if t[0] == tid:
            return t[1], t[2]
    return tid, None


def _wire(timers: list[dict]) -> dict:
    """The wire-crossing timers of the case together: attempts, total ms (None while unknown or running), alerts."""
    wire = [t for t in timers if t["timer"] == "wire"]
    return {"attempts": len(wire), "ms": _sum([t["ms"] for t in wire]) if wire else None,
            "alerts": sum(len(t["alerts"]) for t in wire)}


def _public(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if not k.startswith("_")}


def _values(vals: dict) -> dict:
    """Measure id -> [{"value", "text"}, ...] in the order entered (one entry unless "log each tried")."""
    return {m: [{"value": e[0], "text": e[1]} for e in (v if isinstance(v, list) else [v])] for m, v in vals.items()}


def _steps(r: _Reader, ri: int, run) -> list[dict]:
    attempt = len(run.history)
    out = []
    for it in run.items:
        iid = it["id"]
        segs = [s for s in r.segments if s["run"] == ri and s["attempt"] == attempt and s["item"] == iid]
        opt = run.dec.get(iid)
        out.append({
            "item": iid, "text": it["t"], "step": it.get("s"), "kind": it["k"], "status": run.st[iid],
            "option": opt, "option_label": next((o[1] for o in it.get("o", ()) if o[0] == opt), None),
            "values": _values(run.vals.get(iid, {})),
            "skip": list(run.skips[iid]) if iid in run.skips else None,
            "visits": len(segs), "time_ms": _sum([s["ms"] for s in segs]) if segs else None,
        })
    return out


def _at_seq(r: _Reader, seq) -> dict | None:
    """The time of event `seq` (the engine's record of when something happened), None when it names none."""
    return r.at(r.events[seq - 1]) if type(seq) is int and 1 <= seq <= len(r.events) else None


def _caution(r: _Reader, c: tuple, since) -> dict:
    """One caution entry of the content with the time (of the event) from which it applied."""
    return {"id": c[0], "short": caution_short(c), "text": c[1], "since": _at_seq(r, since[1] if since else None)}


def _cautions(r: _Reader, run) -> list[dict]:
    """Every caution that applied in any attempt of `run`, in content order, with when it first applied."""
    sinces = [h.get("since", {}) for h in run.history] + [run.since]
    out = []
    for c in run.cl.get("cau", ()):
        for attempt, since in enumerate(sinces):
            if c[0] in since:
                out.append({**_caution(r, c, since[c[0]]), "attempt": attempt + 1})
                break
    return out


def _techniques(r: _Reader) -> list[dict]:
    out = []
    if r.case is None:
        return out
    for ri, (cid, run, seq) in enumerate(r.case.state.runs):
        ends = dict(run.cl.get("ends", ()))
        start = r.events[seq - 1]
        end = r.run_end.get(ri)
        out.append({
            "checklist": cid, "title": checklist_title(cid), "start": r.at(start),
            "end": r.at(end) if end else None, "ms": span_ms(start, end) if end else None,
            "end_id": run.end, "end_label": ends.get(run.end, "Abandoned" if run.end == "end:abandoned" else None),
            "abandon": list(run.why) if run.why else None, "current": run.cur,
            "attempts": [{"why": h["why"], "text": h["text"], "end": h["end"]} for h in run.history],
            "steps": _steps(r, ri, run),
            "cautions": _cautions(r, run),
            "records": _values(run.case),
            "notes": [{"item": n[0], "text": n[1]} for n in run.notes],
            "timers": [_public(t) for t in r.timers if t["run"] == ri],
        })
    return out


def _outcome(r: _Reader, techniques: list[dict]) -> dict:
    st = r.case.state if r.case else None
    entered = dict(st.outcomes) if st else {}
    out = {}
    for oid in ("technical_success", "device_success", "in_hospital_mace"):
        out[oid] = {"value": entered.get(oid), "source": "entered" if oid in entered else None}
    if out["technical_success"]["value"] is None:
        for t in reversed(techniques):
            if t["end_id"] is not None:
                if t["end_id"] in TECH_ENDS:
                    out["technical_success"] = {"value": TECH_ENDS[t["end_id"]], "source": "checklist:" + t["checklist"]}
                break
    tech, mace = out["technical_success"]["value"], out["in_hospital_mace"]["value"]
    proc = "no" if tech == "no" or mace == "yes" else ("yes" if tech == "yes" and mace == "no" else None)
    out["procedural_success"] = {"value": proc, "source": "derived: technical success with no in-hospital MACE"}
    out["complications"] = [{"id": c, "text": outcome_text("complication", c)} for c in (st.complications if st else [])]
    out["checklist_ends"] = [{"checklist": t["checklist"], "end": t["end_id"], "label": t["end_label"]}
                             for t in techniques if t["end_id"]]
    return out


def _panel_figures(r: _Reader, techniques: list[dict], start: Ev | None, end: Ev | None) -> dict:
    st = r.case.state if r.case else None
    outs = st.outcomes if st else {}
    figs: dict[str, list] = {"contrast_ml": [], "fluoro_s": [], "procedure_s": []}
    for key in figs:
        if key in outs:
            figs[key].append({"value": outs[key], "source": "panel outcome"})
    for t in techniques:
        for mid, key, scale in (("contrast", "contrast_ml", 1), ("fluoro", "fluoro_s", 60), ("proc", "procedure_s", 60)):
            if t["records"].get(mid):
                val = t["records"][mid][-1]["value"]
                figs[key].append({"value": val * scale, "source": f"panel checklist record ({t['checklist']})"})
    if start is not None and end is not None and span_ms(start, end) is not None:
        figs["procedure_s"].append({"value": span_ms(start, end) // 1000, "source": "panel clock (open to close)"})
    return figs


def _build(r: _Reader) -> dict:
    evs = r.events
    st = r.case.state if r.case else None
    undone = set(r.case.undone) if r.case else set()
    first = evs[0] if evs else None
    close = next((e for e in evs if e.kind == "close" and e.seq not in undone and e.problem is None), None)
    opened = {k: v for k, v in first.data.items() if isinstance(v, str)} if first and first.kind == "open" else {}
    walls = [e.wall_ms is not None for e in evs]
    profile = None
    replayed = evs if r.error is None else evs[: r.error["seq"] - evs[0].seq]
    for e in replayed:
        if e.kind == "profile" and e.seq not in undone and isinstance(e.data.get("p"), dict):
            profile = {**e.data["p"], "source": e.data.get("src", "host")}
            cover = profile.get("coverage")  # words from the host, echoed by the panel: shown only as short text
            if not (isinstance(cover, str) and len(cover) <= 64 and cover.isprintable()):
                profile.pop("coverage", None)
    findings = st.findings if st else None
    answered = []
    if findings is not None:
        for fid in findings.known():
            f = _FINDINGS[fid]
            answered.append({"id": fid, "label": f[2], "value": findings.values[fid],
                             "source": findings.sources.get(fid), "unit": f[4][0] if f[1] == "int" else None,
                             "group": f[5]})
    techniques = _techniques(r)
    return {
        "case_id": opened.get("case"), "content_version": opened.get("cv"), "firmware": opened.get("fw"),
        "events": len(evs), "complete": r.error is None, "replay_error": r.error,
        "missing_from": None,
        "clock": "wall" if evs and all(walls) else ("relative" if not any(walls) else "mixed"),
        "start": r.at(first) if first else None, "end": r.at(close) if close else None,
        "duration_ms": span_ms(first, close) if close else None,
        "closed": bool(st and st.closed),
        "operator": profile,
        "vessel": findings.values.get("vessel") if findings else None,
        "findings": answered,
        "unanswered": [f[0] for f in FINDINGS if findings is None or f[0] not in findings.values],
        "scores": evaluate_all(findings if findings is not None else Findings()),
        "techniques": techniques,
        "segments": list(r.segments),
        "timers": [_public(t) for t in r.timers],
        "wire_crossing": _wire(r.timers),
        "alerts": list(r.alerts),
        "strategy": [{"seq": s[0], "from": s[2], "to": s[3], "why": s[4]} for s in (st.strategy if st else [])],
        "outcome": _outcome(r, techniques),
        "panel_figures": _panel_figures(r, techniques, first, close),
        "notes": [{"seq": n[0], "text": n[2]} for n in (st.notes if st else [])],
        "timeline": list(r.rows),
    }


def _read(events) -> tuple[_Reader, list[Ev]]:
    evs = sorted({e.seq: e for e in map(as_event, events)}.values(), key=lambda e: e.seq)
    r = _Reader()
    rest = []
    for e in evs:
        if e.seq == len(r.events) + 1:
            r.apply(e)
        else:
            rest.append(e)
    return r, rest


def summarize(events) -> dict:
    """The case of `events` (any order, any form as_event reads) as plain data; see the module docstring.

    Events after a gap in seq are not replayed: summary["missing_from"] names the first missing seq.
    """
    r, rest = _read(events)
    out = _build(r)
    if rest:
        out["missing_from"] = len(r.events) + 1
        out["complete"] = False
    return out


def figures(summary: dict, nurse: dict | None = None) -> dict:
    """Contrast (ml), fluoroscopy (s), procedure time (s) and dose (mGy), each with its source.

    `nurse` holds the nurses' tallies for the case (store.nurse.tallies: contrast_ml,
    fluoro_s, dose_mgy). The value shown is the first of: the panel's end-of-case outcome,
    the nurses' tally, a checklist record, the panel clock (procedure time only); every
    other source is kept in "all" so a disagreement can be seen.
    """
    nurse = nurse or {}
    out = {}
    for key in ("contrast_ml", "fluoro_s", "procedure_s", "dose_mgy"):
        panel = summary["panel_figures"].get(key, [])
        outcome = [p for p in panel if p["source"] == "panel outcome"]
        rest = [p for p in panel if p["source"] != "panel outcome"]
        host = [{"value": nurse[key], "source": "nurse entries"}] if nurse.get(key) is not None else []
        all_ = outcome + host + rest
        out[key] = {"value": all_[0]["value"] if all_ else None, "source": all_[0]["source"] if all_ else None,
                    "all": all_}
    return out


def score_value(score: dict) -> tuple[float, float] | None:
    """(lo, hi) of a points score (equal when complete); None for a grade score."""
    if score.get("min2") is None:
        return None
    return score["min2"] / 2, score["max2"] / 2


def score_category(score: dict) -> str | None:
    """The one category a score falls in, or None (a range over several, or no category)."""
    cats = score.get("categories") or []
    return cats[0]["label"] if len(cats) == 1 and not score.get("uncategorised") else None


class LiveCase:
    """A case followed event by event as the panel pushes them (the live screen's model).

    `clock` is the host's monotonic clock in seconds; the panel's ticks "now" are
    estimated from the last live event's ticks plus host time since it arrived.
    """

    def __init__(self, events=(), clock=time.monotonic):
        self._r = _Reader()
        self._pending: dict[int, Ev] = {}
        self._clock = clock
        self._rx: float | None = None  # host clock when the last event arrived live
        for e in events:
            self._add(as_event(e))

    def _add(self, ev: Ev) -> list[dict]:
        if ev.seq <= len(self._r.events):
            return []
        self._pending[ev.seq] = ev
        rows = []
        while len(self._r.events) + 1 in self._pending:
            rows.append(self._r.apply(self._pending.pop(len(self._r.events) + 1)))
        return rows

    def feed(self, event, received: float | None = None) -> list[dict]:
        """Take one live event (bytes, dict or row); return the timeline rows it let through."""
        rows = self._add(as_event(event))
        if rows:
            self._rx = self._clock() if received is None else received
        return rows

    @property
    def timeline(self) -> list[dict]:
        return self._r.rows

    @property
    def missing(self) -> list[int]:
        """Seqs not yet received below the highest one received (the sync pulls them)."""
        if not self._pending:
            return []
        return [s for s in range(len(self._r.events) + 1, max(self._pending)) if s not in self._pending]

    def summary(self) -> dict:
        out = _build(self._r)
        if self._pending:
            out["missing_from"], out["complete"] = len(self._r.events) + 1, False
        return out

    def _now_ticks(self, now: float | None) -> tuple[int | None, bool]:
        evs = self._r.events
        if not evs or evs[-1].ticks is None:
            return None, False
        if self._rx is None:
            return evs[-1].ticks, False
        now = self._clock() if now is None else now
        return evs[-1].ticks + max(0, int((now - self._rx) * 1000)), True

    def status(self, now: float | None = None) -> dict:
        """What the live screen shows at host time `now` (default: the clock)."""
        r = self._r
        evs = r.events
        ticks, live = self._now_ticks(now)
        last = evs[-1] if evs else None

        def since(ev: Ev | None) -> int | None:
            if ev is None or last is None or ev.boot != last.boot or ticks is None or ev.ticks is None:
                return None
            return ticks - ev.ticks

        act = r.active()
        technique = step = None
        timers = []
        cautions = []
        if act:
            ri, run, cid = act
            technique = {"checklist": cid, "title": checklist_title(cid), "attempt": len(run.history) + 1}
            if r.open_seg is not None:
                _pos, start = r.open_seg
                it = run.item(run.cur)
                step = {"item": run.cur, "text": it["t"], "step": it.get("s"), "kind": it["k"],
                        "since": r.at(start), "elapsed_ms": since(start)}
            # the cautions in force at the current item, as the panel's runner shows them (the engine says which)
            cautions = [_caution(r, c, run.since.get(c[0])) for c in run.active_cautions()]
            for tid, label, limit in run.cl.get("tm", ()):
                t = run.timer(tid, ticks) if ticks is not None else None
                if t is not None:
                    timers.append({"timer": tid, "label": label, "limit_s": limit, "on": t["on"], "ms": t["ms"],
                                   "due": t["due"], "alerted": t["alerted"]})
        st = r.case.state if r.case else None
        closed = bool(st and st.closed)
        close = next((e for e in reversed(evs) if e.kind == "close" and e.seq not in r.case.undone), None) \
            if closed else None
        return {
            "case_id": st.case_id if st else None, "events": len(evs), "missing": self.missing,
            "replay_error": r.error, "closed": closed, "clock": "live" if live else "as of last event",
            # the procedure clock runs from the open event to now, and stops at the close event
            "procedure_ms": span_ms(evs[0], close) if close else (since(evs[0]) if evs else None),
            "technique": technique, "step": step, "cautions": cautions, "timers": timers, "alerts": list(r.alerts),
            "panel_figures": _panel_figures(r, _techniques(r), None, None),
            "last": r.rows[-1] if r.rows else None,
        }
