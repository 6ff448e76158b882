"""Nurse entries: contrast, fluoroscopy time, dose, devices with lot numbers, complications and notes.

Stored on the host with who entered them and when; never edited or deleted (a
correction is a new entry, e.g. a new running total). An entry may name a case the
host has not synced yet (a live case): it is kept by (device_id, case_id) and joins
the case when it arrives.

Tallies (tallies()): contrast, fluoroscopy and dose entries are either an amount given
("+20 ml") or, with is_total, the running total read off the injector or the X-ray
system. A case's tally is the latest total plus every amount entered after it
(amounts before a total are taken to be inside it); no entries: None, never 0.

Public API: add_entry(store, device_id, case_id, kind, entered_by=..., ...) -> id;
entries(store, device_id, case_id) -> [NurseEntryRow]; entries_of_cases(store, keys); tallies(entries) -> dict;
as_dict(entry) -> dict; KINDS; LIMITS.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select, tuple_

from bedside.store.models import NURSE_KINDS as KINDS
from bedside.store.models import NurseEntry
from bedside.store.service import Store, StoreError, _now
from panel.content.outcomes import COMPLICATIONS

ENTRIES = NurseEntry.__table__
# Valid ranges of the numeric entries; contrast and fluoroscopy as the panel's outcomes
# allow (panel/content/outcomes.py: 0-2000 ml, 0-36000 s = 600 min); dose: an upper
# bound far above any CTO procedure's air kerma, to catch a slipped digit.
LIMITS = {"contrast_ml": (0, 2000, "ml"), "fluoro_min": (0, 600, "min"), "dose_mgy": (0, 50000, "mGy")}
TALLY = {"contrast_ml": ("contrast_ml", 1), "fluoro_min": ("fluoro_s", 60), "dose_mgy": ("dose_mgy", 1)}


@dataclass(frozen=True, slots=True)
class NurseEntryRow:
    id: int
    device_id: str
    case_id: str
    kind: str
    value: float | None
    is_total: bool
    item: str | None
    lot: str | None
    text: str | None
    entered_by: str
    entered_at: datetime
    at_seq: int | None


def _check(kind, value, is_total, item, text, entered_by) -> list[str]:
    problems = []
    if kind not in KINDS:
        return [f"kind must be one of {', '.join(KINDS)}, not {kind!r}"]
    if not isinstance(entered_by, str) or not entered_by.strip():
        problems.append("entered_by: say who makes the entry")
    if kind in LIMITS:
        lo, hi, unit = LIMITS[kind]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            problems.append(f"{kind} needs a number of {unit}, not {value!r}")
        elif not lo <= value <= hi:
            problems.append(f"{kind} must be {lo} to {hi} {unit}, not {value}")
    elif value is not None or is_total:
        problems.append(f"{kind} takes no value")
    if kind == "device" and not (item and item.strip()):
        problems.append("device: name the device (item); give its lot number as lot")
    if kind == "complication":
        ids = [c[0] for c in COMPLICATIONS]
        if item not in ids:
            problems.append(f"complication must be one of {', '.join(ids)}, not {item!r}")
        elif item == "other" and not text:
            problems.append("complication 'other' needs text")
    if kind == "note" and not (text and text.strip()):
        problems.append("a note needs text")
    return problems


def add_entry(store: Store, device_id: str, case_id: str, kind: str, *, entered_by: str,
              value: float | None = None, is_total: bool = False, item: str | None = None, lot: str | None = None,
              text: str | None = None, at_seq: int | None = None, at: datetime | None = None) -> int:
    """Store one nurse entry; returns its id. StoreError lists every problem and stores nothing.

    Args:
        kind: contrast_ml, fluoro_min, dose_mgy (value, is_total), device (item = name, lot),
            complication (item = a complication id of the panel's content, text for "other"), note (text).
        at_seq: the last panel event the nurse had seen (places the entry on the timeline).
        at: when it was entered (default now; must be timezone-aware).
    """
    problems = _check(kind, value, is_total, item, text, entered_by)
    if not device_id or not case_id:
        problems.append("device_id and case_id name the case")
    if problems:
        raise StoreError("nurse entry refused: " + "; ".join(problems))
    from bedside.store import summaries

    row = {"device_id": device_id, "case_id": case_id, "kind": kind,
           "value": None if value is None else float(value), "is_total": bool(is_total), "item": item, "lot": lot,
           "text": text, "entered_by": entered_by.strip(), "entered_at": at or _now(), "at_seq": at_seq}
    with store._tx() as conn:
        new_id = conn.execute(ENTRIES.insert().values(**row)).inserted_primary_key[0]
        summaries.forget(conn, device_id, case_id)  # its figures changed: rebuilt when next listed
    return new_id


def entries(store: Store, device_id: str, case_id: str) -> list[NurseEntryRow]:
    """Every entry of a case, in the order entered."""
    q = select(*ENTRIES.c).where(ENTRIES.c.device_id == device_id, ENTRIES.c.case_id == case_id).order_by(
        ENTRIES.c.entered_at, ENTRIES.c.id)
    with store._tx(write=False) as conn:
        return [NurseEntryRow(**r._mapping) for r in conn.execute(q)]


def entries_of_cases(store: Store, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[NurseEntryRow]]:
    """Every entry of each (device_id, case_id) in `keys`, in the order entered, in one query."""
    out: dict[tuple[str, str], list[NurseEntryRow]] = {k: [] for k in keys}
    if not keys:
        return out
    q = select(*ENTRIES.c).where(tuple_(ENTRIES.c.device_id, ENTRIES.c.case_id).in_(keys)).order_by(
        ENTRIES.c.entered_at, ENTRIES.c.id)
    with store._tx(write=False) as conn:
        for r in conn.execute(q):
            out[(r.device_id, r.case_id)].append(NurseEntryRow(**r._mapping))
    return out


def tallies(rows: list[NurseEntryRow]) -> dict:
    """contrast_ml, fluoro_s and dose_mgy of a case from its entries (None where there are none)."""
    out = {}
    for kind, (key, scale) in TALLY.items():
        value = None
        for e in rows:
            if e.kind != kind:
                continue
            value = e.value if e.is_total or value is None else value + e.value
        out[key] = None if value is None else round(value * scale)
    return out


def as_dict(e: NurseEntryRow) -> dict:
    d = asdict(e)
    d["entered_at"] = e.entered_at.isoformat()
    return d
