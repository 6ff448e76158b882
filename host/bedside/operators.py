"""Operators: profiles computed from the synced cases, in the form the panel takes for operator-CTO.

A case belongs to an operator when the host assigned it (Store.assign_case), else when its
profile event names a host operator (by the id the host pushed, or by a name only one
operator has). From those cases, as of `today`:
- years: today's year minus the first year of CTO practice (entered; a year, not a date,
  so "more than 6 months counts as a year" cannot be applied more finely); None if not entered;
- annual_volume: operator-CTO's "total CTO-PCI cases / years performing them", so it needs
  every year of practice: known only when the operator's cases here start in the first
  year of practice (entered) or before it; then the cases here divided by the years of
  practice (at least 1). Otherwise None (unknown: operator-CTO shows a range), however
  many cases are here: the database knows only the cases synced to it;
- last_year_cases / last_year_successes: "successes / cases in the previous year", so known
  only when the operator's cases here start at least 365 days before today; then the cases
  in those 365 days whose technical success is known, and those with technical success;
  cases with an unknown outcome are counted apart (last_year_unknown), never as failures;
- coverage: what the values come from, in words ("from 12 cases since 2026-11-01"), and
  gaps: why a value is unknown, in words.
An operator with no case here has None for the computed values: unknown, not zero.

Public API: add(store, name, cto_start_year=None) -> id; profiles(store, today=None) ->
[OperatorProfile]; for_panel(profiles) -> [dict] (what sync.push_profiles sends); push(link,
hosts, store, today=None) -> operator ids the panel stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import and_, delete, select

from bedside.store import StoreError
from bedside.store.summaries import SUMMARIES, refresh_stale


@dataclass(frozen=True, slots=True)
class OperatorProfile:
    operator_id: int
    name: str
    cto_start_year: int | None
    years: int | None
    cases: int
    annual_volume: int | None
    last_year_cases: int | None
    last_year_successes: int | None
    last_year_unknown: int
    first_case: datetime | None
    gaps: tuple[str, ...] = ()

    @property
    def coverage(self) -> str | None:
        """What the computed values come from, in words, or None with no case here."""
        if self.first_case is None:
            return None
        return f"from {self.cases} case{'s' if self.cases != 1 else ''} since {self.first_case.date().isoformat()}"

    @property
    def last_year_success_pct(self) -> float | None:
        if not self.last_year_cases:
            return None
        return round(100 * self.last_year_successes / self.last_year_cases, 1)


def _today(today) -> datetime:
    if today is None:
        return datetime.now(timezone.utc)
    if isinstance(today, datetime):
        return today if today.tzinfo else today.replace(tzinfo=timezone.utc)
    return datetime(today.year, today.month, today.day, tzinfo=timezone.utc)


def add(store, name: str, cto_start_year: int | None = None, today: date | None = None) -> int:
    """Enter an operator; StoreError for an empty name or a start year outside 1960..this year."""
    name = (name or "").strip()
    year = _today(today).year
    problems = []
    if not name:
        problems.append("the operator needs a name")
    elif len(name) > 100:
        problems.append("a name of at most 100 characters")
    if cto_start_year is not None and not (isinstance(cto_start_year, int) and 1960 <= cto_start_year <= year):
        problems.append(f"first year of CTO practice must be 1960 to {year}, not {cto_start_year!r}")
    if problems:
        raise StoreError("operator refused: " + "; ".join(problems))
    new_id = store.add_operator(name, cto_start_year)
    with store._tx() as conn:  # cases whose profile names this operator are attributed when next listed
        conn.execute(delete(SUMMARIES).where(and_(SUMMARIES.c.operator_id.is_(None), SUMMARIES.c.operator == name)))
    return new_id


def profiles(store, today=None) -> list[OperatorProfile]:
    """Every operator's profile computed from the cases in `store` as of `today` (default: now, UTC)."""
    now = _today(today)
    refresh_stale(store)
    s = SUMMARIES.c
    with store._tx(write=False) as conn:
        rows = conn.execute(select(s.operator_id, s.case_date, s.technical_success).where(
            s.operator_id.is_not(None))).all()
    by_op: dict[int, list] = {}
    for op_id, when, tech in rows:
        by_op.setdefault(op_id, []).append((when, tech))
    out = []
    for op_id, name, start in store.operators():
        cases = [c for c in by_op.get(op_id, []) if c[0] <= now]
        years = None if start is None else max(0, now.year - start)
        if not cases:
            out.append(OperatorProfile(op_id, name, start, years, 0, None, None, None, 0, None))
            continue
        first = min(c[0] for c in cases)
        since = first.date().isoformat()
        gaps = []
        volume = None
        if start is None:
            gaps.append("annual volume: the first year of practice is not entered")
        elif first.year > start:
            gaps.append(f"annual volume: the cases here start {since}, after the first year of practice ({start})")
        else:
            volume = round(len(cases) / max(1, years))
        recent = [c for c in cases if c[0] > now - timedelta(days=365)]
        known = [c for c in recent if c[1] in ("yes", "no")]
        last = (len(known), sum(1 for c in known if c[1] == "yes"))
        if first > now - timedelta(days=365):
            gaps.append(f"last year: the cases here start {since}, less than a year ago")
            last = (None, None)
        out.append(OperatorProfile(op_id, name, start, years, len(cases), volume, last[0], last[1],
                                   len(recent) - len(known), first, tuple(gaps)))
    return out


def for_panel(items: list[OperatorProfile]) -> list[dict]:
    """The profiles as sync.push_profiles sends them (protocol `profile`: operator_id is a string; coverage None
    with no case here)."""
    return [{"operator_id": str(p.operator_id), "name": p.name, "annual_volume": p.annual_volume,
             "years": p.years, "last_year_cases": p.last_year_cases, "last_year_successes": p.last_year_successes,
             "coverage": p.coverage}
            for p in items]


def push(link, hosts, store, today=None) -> list[str]:
    """Compute every profile and send it to the panel on `link` (authenticated); returns the ids it stored."""
    from bedside.sync import push_profiles

    return push_profiles(link, hosts, for_panel(profiles(store, today)))
