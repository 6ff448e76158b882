"""The cases table: one summary row per case, computed from its events, searched, sorted and paged in SQL.

A row is (re)built by refresh() from the case's stored events through
bedside.casefile.summarize(), the nurse entries and the host's operator. It is stale
when missing, of an older SUMMARY_VERSION, or when its case changed after it was built
(last_seen moves on every ingest and sync listing; start wall time on new anchors;
operator or reference on assign_case; a nurse entry deletes it). list_cases() brings
stale rows up to date first, so a caller never sees an old summary.

Public API:
    refresh(store, device_id, case_id) -> bool
    refresh_stale(store, progress=None) -> int;  stale_count(store) -> int
    list_cases(store, search=None, sort="date", descending=True, limit=100, offset=0) -> CasePage
    iter_cases(store, page=200) -> every CaseRow, oldest first, a page at a time (exports); case_pages(): the pages
    case_detail(store, device_id, case_id) -> dict
    summary_row(...) -> dict (the row's columns; bedside.samples writes rows in bulk with it)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, delete, func, or_, select, tuple_

from bedside.casefile import figures, score_category, score_value, summarize
from bedside.eventtext import checklist_title
from bedside.panelvalues import wall_dt
from bedside.store import nurse
from bedside.store.models import CaseSummaryRow, Operator
from bedside.store.service import Store, StoreError, _now
from bedside.store.service import _CASES as CASES

SUMMARY_VERSION = 4
SUMMARIES = CaseSummaryRow.__table__
OPERATORS = Operator.__table__


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One row of the cases table, as the app shows it."""

    device_id: str
    case_id: str
    reference: str | None
    date: datetime
    date_source: str  # "panel": the wall clock of the case's first event; "host": when the host first heard of it
    operator: str | None
    operator_id: int | None
    vessel: str | None
    techniques: str
    outcome: str  # success / failure / unknown (technical success)
    technical_success: str | None
    procedural_success: str | None
    complications: int
    procedure_s: int | None
    fluoro_s: int | None
    contrast_ml: int | None
    dose_mgy: int | None
    events: int
    closed: bool
    state: str
    stored_seq: int
    event_count: int
    scores_json: str

    @property
    def sync(self) -> str:
        """"synced", or how much of the case the host holds ("12/40 events")."""
        if self.event_count and self.stored_seq >= self.event_count:
            return "synced"
        return f"{self.stored_seq}/{self.event_count} events"

    @property
    def scores(self) -> dict:
        """Score id -> score_digest() entry: lo, hi (equal when complete; None for a grade), category, ..."""
        return json.loads(self.scores_json)


@dataclass(frozen=True, slots=True)
class CasePage:
    rows: list[CaseRow]
    total: int  # rows matching the search, all pages
    offset: int
    limit: int


def score_digest(scores: list[dict]) -> dict:
    """Score id -> {lo, hi, category, complete, grade, applicable}: what the table and the reports need of each score.

    applicable: True, False (the score is not for this vessel) or None (vessel unknown).
    """
    out = {}
    for s in scores:
        v = score_value(s)
        out[s["id"]] = {"lo": v[0] if v else None, "hi": v[1] if v else None, "category": score_category(s),
                        "complete": s["complete"], "grade": s.get("grade"),
                        "applicable": s["applicable"]}
    return out


def profile_operator(profile: dict | None, operators: dict[int, str]) -> int | None:
    """The host operator a case's profile event names: by its operator_id (the id the host pushed,
    int or digits), else by a name that exactly one host operator has; None if neither."""
    if not profile:
        return None
    oid = profile.get("operator_id")
    if isinstance(oid, str) and oid.isdigit():
        oid = int(oid)
    if isinstance(oid, int) and not isinstance(oid, bool) and oid in operators:
        return oid
    same = [i for i, n in operators.items() if n == profile.get("name")]
    return same[0] if len(same) == 1 else None


def summary_row(device_id: str, case_id: str, summary: dict, *, seen: datetime, start_wall_ms: int | None,
                case_operator_id: int | None, reference: str | None, first_seen: datetime,
                operators: dict[int, str], tallies: dict, complications: list[str]) -> dict:
    """The case_summaries columns of one case from its summarize() result and what the host knows."""
    op_id = case_operator_id if case_operator_id is not None else profile_operator(summary["operator"], operators)
    profile = summary["operator"] or {}
    op_name = operators.get(op_id) if op_id is not None else _name(profile.get("name"))
    figs = figures(summary, tallies)
    tech = summary["outcome"]["technical_success"]["value"]
    techniques = ", ".join(dict.fromkeys(t["checklist"] for t in summary["techniques"]))
    titles = " ".join(checklist_title(t["checklist"]) for t in summary["techniques"])
    outcome = {"yes": "success", "no": "failure"}.get(tech, "unknown")
    panel_compl = [c["id"] for c in summary["outcome"]["complications"]]
    start = wall_dt(start_wall_ms)  # None also for a wall time no accepted anchor gives (bedside.panelvalues)
    date_source = "panel" if start is not None else "host"
    words = [case_id, device_id, reference, op_name, summary["vessel"], techniques, titles, outcome]
    return {
        "device_id": device_id, "case_id": case_id, "version": SUMMARY_VERSION, "seen": seen,
        "start_wall_ms": start_wall_ms, "case_operator_id": case_operator_id, "reference": reference,
        "case_date": start or first_seen,
        "date_source": date_source, "operator_id": op_id, "operator": op_name, "vessel": summary["vessel"],
        "techniques": techniques[:200], "outcome": outcome, "technical_success": tech,
        "procedural_success": summary["outcome"]["procedural_success"]["value"],
        "in_hospital_mace": summary["outcome"]["in_hospital_mace"]["value"],
        "complications": len(set(panel_compl) | set(complications)),
        "procedure_s": _int32(figs["procedure_s"]["value"]), "fluoro_s": _int32(figs["fluoro_s"]["value"]),
        "contrast_ml": _int32(figs["contrast_ml"]["value"]),
        "dose_mgy": None if figs["dose_mgy"]["value"] is None else _int32(round(figs["dose_mgy"]["value"])),
        "events": summary["events"], "closed": summary["closed"],
        "scores": json.dumps(score_digest(summary["scores"]), sort_keys=True),
        "figures": json.dumps(figs, sort_keys=True),
        "replay_error": None if summary["replay_error"] is None else json.dumps(summary["replay_error"]),
        "search": " ".join(w for w in words if w).lower(),
        "updated_at": _now(),
    }


def _int32(value) -> int | None:
    """A figure for an integer column (PostgreSQL's integer), or None (unknown) when it is no such number: the
    panel's clocks may span anything between two boots anchored far apart."""
    return value if type(value) is int and -(2**31) <= value < 2**31 else None


def _name(value) -> str | None:
    """An operator's name as the panel's profile gives it, if it is printable text (the column holds 100)."""
    return value[:100] if isinstance(value, str) and value.strip() and value.isprintable() else None


def _operators(conn) -> dict[int, str]:
    return {i: n for i, n in conn.execute(select(OPERATORS.c.id, OPERATORS.c.name))}


def refresh(store: Store, device_id: str, case_id: str) -> bool:
    """Rebuild the summary row of one case from its events; False if the store has no such case."""
    with store._tx(write=False) as conn:
        c = conn.execute(select(CASES).where(CASES.c.device_id == device_id, CASES.c.case_id == case_id)).first()
        if c is None:
            return False
        ops = _operators(conn)
    events = store.events(device_id, case_id)  # read after the case row: a later ingest makes the row stale again
    entries = nurse.entries(store, device_id, case_id)
    row = summary_row(device_id, case_id, summarize(events), seen=c.last_seen, start_wall_ms=c.start_wall_ms,
                      case_operator_id=c.operator_id, reference=c.reference, first_seen=c.first_seen,
                      operators=ops, tallies=nurse.tallies(entries),
                      complications=[e.item for e in entries if e.kind == "complication"])
    ins = store._insert(SUMMARIES).values(**row)
    ins = ins.on_conflict_do_update(index_elements=["device_id", "case_id"],
                                    set_={k: v for k, v in row.items() if k not in ("device_id", "case_id")})
    with store._tx() as conn:
        conn.execute(ins)
    return True


def _stale_q():
    s, c = SUMMARIES, CASES
    return select(c.c.device_id, c.c.case_id).select_from(
        c.outerjoin(s, and_(s.c.device_id == c.c.device_id, s.c.case_id == c.c.case_id))
    ).where(or_(
        s.c.device_id.is_(None), s.c.version != SUMMARY_VERSION, s.c.seen < c.c.last_seen,
        s.c.start_wall_ms.is_distinct_from(c.c.start_wall_ms),
        s.c.case_operator_id.is_distinct_from(c.c.operator_id),
        s.c.reference.is_distinct_from(c.c.reference),
    ))


def refresh_stale(store: Store, progress=None) -> int:
    """Rebuild every missing or stale summary row; returns how many were rebuilt.

    progress(done, total) is called after each row (a database upgraded from schema 0001, or a
    new SUMMARY_VERSION, rebuilds every case once: a few ms each).
    """
    with store._tx(write=False) as conn:
        stale = conn.execute(_stale_q()).all()
    for i, (device_id, case_id) in enumerate(stale, 1):
        refresh(store, device_id, case_id)
        if progress:
            progress(i, len(stale))
    return len(stale)


def stale_count(store: Store) -> int:
    """How many summary rows list_cases() would rebuild first (0: the table is up to date)."""
    with store._tx(write=False) as conn:
        return conn.execute(select(func.count()).select_from(_stale_q().subquery())).scalar_one()


def forget(conn, device_id: str, case_id: str) -> None:
    """Drop one case's summary row inside the caller's transaction (it is rebuilt when next listed)."""
    conn.execute(delete(SUMMARIES).where(SUMMARIES.c.device_id == device_id, SUMMARIES.c.case_id == case_id))


def _synced():
    return case((CASES.c.stored_seq >= CASES.c.event_count, 1), else_=0)


SORTS = {
    "date": lambda: SUMMARIES.c.case_date,
    "operator": lambda: SUMMARIES.c.operator,
    "vessel": lambda: SUMMARIES.c.vessel,
    "techniques": lambda: SUMMARIES.c.techniques,
    "outcome": lambda: SUMMARIES.c.outcome,
    "sync": _synced,
    "case": lambda: SUMMARIES.c.case_id,
    "procedure": lambda: SUMMARIES.c.procedure_s,
    "fluoro": lambda: SUMMARIES.c.fluoro_s,
    "contrast": lambda: SUMMARIES.c.contrast_ml,
}
_COLUMNS = [SUMMARIES.c[n] for n in ("device_id", "case_id", "reference", "case_date", "date_source", "operator",
                                    "operator_id", "vessel", "techniques", "outcome", "technical_success",
                                    "procedural_success", "complications", "procedure_s", "fluoro_s",
                                    "contrast_ml", "dose_mgy", "events", "closed")] + [
    CASES.c.state, CASES.c.stored_seq, CASES.c.event_count, SUMMARIES.c.scores]


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_cases(store: Store, search: str | None = None, sort: str = "date", descending: bool = True,
               limit: int = 100, offset: int = 0, refresh: bool = True) -> CasePage:
    """One page of the cases table.

    Args:
        search: words that must all appear (case-insensitive) in a row's case id, panel id,
            reference, operator, vessel, techniques or outcome.
        sort: one of SORTS (date, operator, vessel, techniques, outcome, sync, case, procedure,
            fluoro, contrast); ties and missing values (always last) by date, then id.
        refresh: bring stale summary rows up to date first (False: show what is there).
    """
    if sort not in SORTS:
        raise StoreError(f"cannot sort cases by {sort!r}: use one of {', '.join(SORTS)}")
    if limit < 0 or offset < 0:
        raise StoreError("limit and offset must be >= 0")
    if refresh:
        refresh_stale(store)
    join = SUMMARIES.join(CASES, and_(CASES.c.device_id == SUMMARIES.c.device_id,
                                      CASES.c.case_id == SUMMARIES.c.case_id))
    where = [SUMMARIES.c.search.like(_like(w), escape="\\") for w in (search or "").lower().split()]
    key = SORTS[sort]()
    order = [(key.desc() if descending else key.asc()).nulls_last(), SUMMARIES.c.case_date.desc(),
             SUMMARIES.c.device_id, SUMMARIES.c.case_id]
    q = select(*_COLUMNS).select_from(join).where(*where).order_by(*order).limit(limit).offset(offset)
    n = select(func.count()).select_from(join).where(*where)
    with store._tx(write=False) as conn:
        rows = [CaseRow(*r) for r in conn.execute(q)]
        total = conn.execute(n).scalar_one()
    return CasePage(rows, total, offset, limit)


def iter_cases(store: Store, page: int = 200, refresh: bool = True) -> Iterator[CaseRow]:
    """Every row of the cases table, oldest first (date, then panel and case id), read `page` rows at a time."""
    for rows in case_pages(store, page, refresh):
        yield from rows


def case_pages(store: Store, page: int = 200, refresh: bool = True) -> Iterator[list[CaseRow]]:
    """The rows of the cases table, oldest first (date, then panel and case id), `page` rows a list.

    Keyset paging: each page starts after the last row of the one before, so a long export holds one
    page, never the table, and costs the same per page however far it has gone.
    """
    if refresh:
        refresh_stale(store)
    join = SUMMARIES.join(CASES, and_(CASES.c.device_id == SUMMARIES.c.device_id,
                                      CASES.c.case_id == SUMMARIES.c.case_id))
    key = (SUMMARIES.c.case_date, SUMMARIES.c.device_id, SUMMARIES.c.case_id)
    after = None
    while True:
        q = select(*_COLUMNS).select_from(join).order_by(*key).limit(page)
        if after is not None:
            q = q.where(tuple_(*key) > tuple_(*after))
        with store._tx(write=False) as conn:
            rows = [CaseRow(*r) for r in conn.execute(q)]
        if rows:
            yield rows
        if len(rows) < page:
            return
        after = (rows[-1].date, rows[-1].device_id, rows[-1].case_id)


def case_detail(store: Store, device_id: str, case_id: str) -> dict:
    """Everything the case-detail screen shows: the casefile summary, the nurse entries, the combined figures.

    Works for a case the host has not synced yet (no events: an empty summary) as long as
    nurse entries or the case row exist; raises StoreError when neither does.
    """
    events = store.events(device_id, case_id)
    entries = nurse.entries(store, device_id, case_id)
    with store._tx(write=False) as conn:
        c = conn.execute(select(CASES).where(CASES.c.device_id == device_id, CASES.c.case_id == case_id)).first()
        ops = _operators(conn)
    if c is None and not entries:
        raise StoreError(f"no case {case_id!r} of panel {device_id!r}")
    summary = summarize(events)
    return {
        "device_id": device_id, "case_id": case_id,
        "reference": c.reference if c else None,
        "host_operator": ops.get(c.operator_id) if c is not None and c.operator_id is not None else None,
        "sync": None if c is None else {"state": c.state, "stored": c.stored_seq, "panel_events": c.event_count},
        "summary": summary,
        "nurse_entries": [nurse.as_dict(e) for e in entries],
        "figures": figures(summary, nurse.tallies(entries)),
    }
