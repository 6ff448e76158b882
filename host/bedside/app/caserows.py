"""The case list's rows: one page of the store's case query, as the cells the table shows."""

from __future__ import annotations

from dataclasses import dataclass

from bedside.app.format import wall


@dataclass(frozen=True)
class CaseRow:
    device_id: str
    case_id: str
    cells: dict  # column key -> text


def sync_state(stored: int, count: int, state: str) -> str:
    """'complete' / 'open on panel' / 'partial 12/59' from the store's checkpoint and the panel's count."""
    if stored < count:
        return f"partial {stored}/{count}"
    return "complete" if state == "closed" else "open on panel"


def page(store, text: str, sort: str, descending: bool, limit: int) -> tuple[list[CaseRow], int]:
    """Rows matching `text`, ordered by column `sort`, at most `limit`; and how many match in all."""
    rows = []
    for c in store.cases():
        date = wall(c.start_wall_ms, with_date=True) if c.start_wall_ms is not None else \
            c.first_seen.strftime("%Y-%m-%d %H:%M:%S UTC") + " (seen)"
        cells = {"date": date, "case": c.case_id, "sync": sync_state(c.stored_seq, c.event_count, c.state)}
        rows.append(CaseRow(c.device_id, c.case_id, cells))
    if text:
        needle = text.lower()
        rows = [r for r in rows if any(needle in (v or "").lower() for v in r.cells.values())]
    rows.sort(key=lambda r: r.cells.get(sort) or "", reverse=descending)
    return rows[:limit], len(rows)
