"""Synthetic sample cases, deterministic (fixed seed, fixed clock), recorded through the panel's own Case engine.

For tests, the app's snapshot tests, the bench (10,000 cases) and trying the app
(`bedside samples`). Every case is a real event list: findings (some left unknown),
an operator profile, one or more technique checklists driven only through actions the
engine lists as legal (Run.legal()), wire-crossing alerts where a timer runs past 30
minutes, outcomes, close. Technical success is drawn with a probability that falls
with the case's J-CTO score, so the reports have something to find; the numbers are
invented and mean nothing clinically. Patients do not exist; names are made up.

Public API:
    sample_cases(n, seed=SEED) -> iterator of SampleCase (device_id, case_id, events, anchor, operator, wall_ms)
    fill(store, n, seed=SEED) -> dict: writes devices, operators, cases, events, anchors and
        summary rows in bulk (one transaction); refuses a store that already holds sample cases.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from bedlink.mpack import pack
from bedside.casefile import Ev, summarize
from panel.case import Case
from panel.checklist import CASE, is_pick, switch_target
from panel.content import CONTENT_VERSION
from panel.content.checklists import load
from panel.content.findings import CHOICE, FINDINGS, INT, YN
from panel.content.outcomes import COMPLICATIONS
from panel.findings import Findings
from panel.scoring import evaluate_one
from panel.version import FIRMWARE_VERSION

SEED = 20261121
CLOCK_END_MS = int(datetime(2026, 11, 1, 18, 0, tzinfo=timezone.utc).timestamp() * 1000)  # the newest case
CASE_GAP_MS = 8 * 3600 * 1000  # about three cases a day, going back in time
SEC, MIN = 1000, 60 * 1000
DEVICES = ("sample-panel-1", "sample-panel-2", "sample-panel-3")
# Made-up operators: (name, first year of CTO practice, the profile the panel gets).
OPERATORS = (
    ("Dr Ada Quill", 2009, {"annual_volume": 90, "years": 16, "last_year_cases": 95, "last_year_successes": 86}),
    ("Dr Ben Harrow", 2015, {"annual_volume": 55, "years": 10, "last_year_cases": 60, "last_year_successes": 49}),
    ("Dr Cara Lind", 2019, {"annual_volume": 30, "years": 6, "last_year_cases": 33, "last_year_successes": 25}),
    ("Dr Dev Mistry", 2022, {"annual_volume": 18, "years": 3, "last_year_cases": 20, "last_year_successes": 14}),
)
CORONARY = ("lad", "lcx", "rca", "rca", "lad", "lm")
BTK = ("ata", "pta", "peroneal", "popliteal", "tpt")
SKIP_FINDINGS = ("op_annual_volume", "op_years", "op_last_year_cases", "op_last_year_successes")
BTK_ONLY = ("jbtk_grade", "btk_no_outflow", "btk_rvd_lt2", "btk_calc_entry")
INT_RANGES = {"age": (38, 91), "length_mm": (5, 80), "bend_angle_deg": (0, 120)}
FIRST = {"coronary": ("strategy", "strategy", "strategy", "whih", "calcified", "nre", "base"), "btk": ("ivus_btk",)}


@dataclass
class SampleCase:
    device_id: str
    case_id: str
    events: list[dict]
    anchor: tuple[int, int, int] | None  # (boot, ticks, wall_ms); None: this case's boot never got the time
    operator: int | None  # index into OPERATORS (the host assigns it), or None
    wall_ms: int  # when the case opened (for the fixed clock; the store knows it only with an anchor)


def _findings(rng: random.Random, btk: bool) -> list[tuple[str, object]]:
    out = [("vessel", rng.choice(BTK if btk else CORONARY))]
    for fid, kind, _l, _d, spec, _g, _s in FINDINGS:
        if fid == "vessel" or fid in SKIP_FINDINGS or (fid in BTK_ONLY and not btk) or rng.random() > 0.85:
            continue
        if kind == YN:
            value = "yes" if rng.random() < 0.35 else "no"
        elif kind == CHOICE:
            value = rng.choice([o[0] for o in spec])
        else:
            lo, hi = INT_RANGES.get(fid, (spec[1], min(spec[2], spec[1] + 50)))
            value = rng.randint(lo, hi)
        if not _contradicts(out, fid, value):
            out.append((fid, value))
    return out


def _contradicts(answers: list, fid: str, value) -> bool:
    """Whether `fid`: `value` contradicts an answer already in `answers` (panel.findings.CONTRADICTIONS)."""
    from panel.findings import CONTRADICTIONS, CT_ONLY

    given = dict(answers)
    for a, b, test, _why in CONTRADICTIONS:
        if fid in (a, b) and (b if fid == a else a) in given and a not in CT_ONLY:
            va, vb = (value, given[b]) if fid == a else (given[a], value)
            if test(va, vb):
                return True
    return False


def _measure_value(rng: random.Random, m) -> dict:
    if is_pick(m):
        return {"val": rng.choice([p[0] for p in m[2] if p[0] != "other"])}
    lo, hi = m[3], m[4]
    return {"val": rng.randint(lo, min(hi, lo + max(1, (hi - lo) // 4)))}


def _weight(target: str, success: bool) -> float:
    if target == "restart":
        return 0.05
    if switch_target(target):
        return 0.3
    if target.startswith("end:"):
        good = target == "end:technical_success"
        return (4.0 if good else 0.1) if success else (0.1 if good else 1.5)
    return 1.0


class _Driver:
    """Records a case through the panel's Case engine, moving a clock forward."""

    def __init__(self, rng: random.Random, case_id: str, boot: int, t0: int):
        self.rng, self.t = rng, t0
        self.case = Case.open(case_id, t0, boot=boot)

    def rec(self, kind: str, delay: int, fields: dict | None = None) -> None:
        self.alerts(self.t + delay)
        self.t += delay
        self.case.record(kind, self.t, fields)

    def alerts(self, until: int) -> None:
        """Journal each timer alert at the moment it fell due, as the panel's loop does."""
        run = self.case.state.active
        if run is None or run.end is not None:
            return
        for tid, _label, limit in run.cl.get("tm", ()):
            tm = run.timers.get(tid)
            if tm and tm[1] is None and not tm[2] and tm[0] + limit * 1000 <= until:
                self.case.tick(max(self.t, tm[0] + limit * 1000))

    def run_checklist(self, cid: str, success: bool, budget: int = 30) -> str | None:
        rng = self.rng
        self.rec("cl_start", rng.randint(30, 240) * SEC, {"cl": cid})
        run = self.case.state.active
        for _ in range(budget):
            if run.end is not None:
                break
            iid = run.cur
            it = run.item(iid)
            for m in it.get("m", ()):
                if run.value(iid, m[0]) is None and (it["k"] == "meas" or rng.random() < 0.4):
                    self.rec("measure", rng.randint(5, 60) * SEC, {"item": iid, "m": m[0], **_measure_value(rng, m)})
            delay = rng.randint(4, 45) * MIN if it.get("ts") else rng.randint(20, 420) * SEC
            if it["k"] == "dec":
                opts = it["o"]
                pick = rng.choices(opts, [_weight(o[2], success) for o in opts])[0]
                self.rec("decide", delay, {"item": iid, "opt": pick[0]})
            elif rng.random() < 0.05:
                self.rec("skip", delay, {"item": iid, "why": "not_needed"})
            else:
                self.rec("confirm", delay, {"item": iid})
        if run.end is None:
            self.rec("abandon", rng.randint(1, 5) * MIN, {"why": "no_progress"})
        for m in run.cl.get("rec", ()):
            self.rec("measure", 10 * SEC, {"item": CASE, "m": m[0], **_measure_value(rng, m)})
        return switch_target(run.end)


def _one(rng: random.Random, i: int) -> SampleCase:
    wall = CLOCK_END_MS - i * CASE_GAP_MS - rng.randint(0, 3 * 3600) * 1000
    btk = rng.random() < 0.1
    boot = 1000 + i
    t0 = rng.randint(60, 3600) * SEC  # the panel has been up a while when the case opens
    d = _Driver(rng, f"case-{i:05d}", boot, t0)
    operator = rng.randrange(len(OPERATORS)) if rng.random() < 0.9 else None
    if operator is not None:
        name, _year, profile = OPERATORS[operator]
        d.rec("profile", 20 * SEC, {"p": {"name": name, **profile}, "src": "host"})
    found = Findings()
    for fid, value in _findings(rng, btk):
        d.rec("finding", rng.randint(3, 20) * SEC, {"f": fid, "v": value})
        found.set(fid, value)
    jcto = evaluate_one("jcto", found, basis=False)
    # the middle of the range, in points (J-CTO does not apply below the knee: no total there)
    difficulty = (jcto["min2"] + jcto["max2"]) / 4 if jcto["min2"] is not None else 0
    success = rng.random() < (0.93 - 0.09 * difficulty if not btk else 0.85)
    cid = rng.choice(FIRST["btk" if btk else "coronary"])
    for _ in range(3):  # a switch hands over to the next checklist; at most three in a case
        cid = d.run_checklist(cid, success)
        if cid is None:
            break
    if rng.random() < 0.92:
        d.rec("outcome", 2 * MIN, {"o": "technical_success", "v": "yes" if success else "no"})
    complication = rng.random() < 0.06
    if complication:
        d.rec("outcome", 30 * SEC, {"o": "complication", "v": rng.choice([c[0] for c in COMPLICATIONS[:-1]])})
    d.rec("outcome", 20 * SEC, {"o": "in_hospital_mace", "v": "yes" if complication and rng.random() < 0.5 else "no"})
    if rng.random() < 0.8:
        d.rec("outcome", 20 * SEC, {"o": "contrast_ml", "v": max(40, int(rng.gauss(230, 90)))})
    if rng.random() < 0.8:
        d.rec("outcome", 20 * SEC, {"o": "fluoro_s", "v": max(300, int(rng.gauss(45 * 60, 20 * 60)))})
    d.rec("close", 30 * SEC)
    anchor = (boot, t0 - 60 * SEC, wall - 60 * SEC) if rng.random() < 0.95 else None
    return SampleCase(DEVICES[i % len(DEVICES)], f"case-{i:05d}", d.case.events, anchor, operator, wall)


def sample_cases(n: int, seed: int = SEED):
    """The first n sample cases of `seed`, newest first; the same every time."""
    rng = random.Random(seed)
    for i in range(n):
        yield _one(random.Random(rng.getrandbits(64)), i)


def fill(store, n: int, seed: int = SEED, chunk: int = 5000) -> dict:
    """Write n sample cases into `store` (devices, operators, cases, events, anchors, summary rows) in one go.

    Returns {"cases", "events", "operators"}. Raises StoreError if sample cases are already there.
    """
    from bedside.store import StoreError
    from bedside.store.models import Anchor, Case as CaseModel, Device, Event, Operator
    from bedside.store.summaries import SUMMARIES, summary_row

    fixed = datetime.fromtimestamp(CLOCK_END_MS / 1000, tz=timezone.utc)
    cases_t, events_t = CaseModel.__table__, Event.__table__
    with store._tx() as conn:
        if conn.execute(select(cases_t.c.case_id).where(cases_t.c.device_id.in_(DEVICES)).limit(1)).first():
            raise StoreError("this database already holds sample cases: use an empty one")
        for dev in DEVICES:
            ins = store._insert(Device.__table__).values(device_id=dev, firmware=FIRMWARE_VERSION,
                                                         content_version=CONTENT_VERSION, first_seen=fixed,
                                                         last_seen=fixed)
            conn.execute(ins.on_conflict_do_nothing(index_elements=["device_id"]))
        op_ids = [conn.execute(Operator.__table__.insert().values(name=name, cto_start_year=year, created_at=fixed))
                  .inserted_primary_key[0] for name, year, _p in OPERATORS]
        names = {op_ids[k]: OPERATORS[k][0] for k in range(len(OPERATORS))}
        total = 0
        batch: dict[str, list] = {"cases": [], "events": [], "anchors": [], "summaries": []}

        def flush(force: bool = False) -> None:
            if not force and len(batch["events"]) < chunk:
                return
            for table, key in ((cases_t, "cases"), (events_t, "events"), (Anchor.__table__, "anchors"),
                               (SUMMARIES, "summaries")):
                if batch[key]:
                    conn.execute(table.insert(), batch[key])
                    batch[key] = []

        for sc in sample_cases(n, seed):
            seen = datetime.fromtimestamp((sc.wall_ms + 6 * 3600 * 1000) / 1000, tz=timezone.utc)
            walls = [None if sc.anchor is None else sc.anchor[2] + e["t"] - sc.anchor[1] for e in sc.events]
            first, last = sc.events[0], sc.events[-1]
            op_id = None if sc.operator is None else op_ids[sc.operator]
            batch["cases"].append({
                "device_id": sc.device_id, "case_id": sc.case_id, "state": "closed", "event_count": len(sc.events),
                "acked_seq": len(sc.events), "stored_seq": len(sc.events), "first_boot": first["b"],
                "first_ticks": first["t"], "last_boot": last["b"], "last_ticks": last["t"],
                "start_wall_ms": walls[0], "reference": None, "operator_id": op_id, "first_seen": seen,
                "last_seen": seen})
            # children after their parent: flush() writes tables in this order
            batch["events"].extend({
                "device_id": sc.device_id, "case_id": sc.case_id, "seq": e["seq"], "kind": e["k"], "boot": e["b"],
                "ticks": e["t"], "wall_ms": w, "payload": pack(e), "received_at": seen, "sync_session_id": None}
                for e, w in zip(sc.events, walls))
            if sc.anchor is not None:
                batch["anchors"].append({"device_id": sc.device_id, "boot": sc.anchor[0], "ticks": sc.anchor[1],
                                         "wall_ms": sc.anchor[2], "received_at": seen})
            summary = summarize([Ev(e["seq"], e["k"], e["b"], e["t"], w, e) for e, w in zip(sc.events, walls)])
            row = summary_row(sc.device_id, sc.case_id, summary, seen=seen, start_wall_ms=walls[0],
                              case_operator_id=op_id, reference=None, first_seen=seen, operators=names,
                              tallies={}, complications=[])
            batch["summaries"].append({**row, "updated_at": fixed})
            total += len(sc.events)
            flush()
        flush(force=True)
    return {"cases": n, "events": total, "operators": len(OPERATORS)}
