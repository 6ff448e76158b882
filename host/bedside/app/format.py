"""How times and figures read on the screens: durations, wall-clock or relative times (labelled), missing values."""

from __future__ import annotations

from datetime import datetime, timezone

MISSING = "—"


def duration(ms: int | None) -> str:
    """12:05 or 1:02:03 (h:mm:ss); a dash when unknown."""
    if ms is None:
        return MISSING
    s = max(0, int(ms) // 1000)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:d}:{s:02d}"


def wall(ms: int | None, with_date: bool = False) -> str:
    """UTC wall time of `ms` since 1970, labelled UTC; a dash when unknown."""
    if ms is None:
        return MISSING
    t = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S UTC" if with_date else "%H:%M:%S UTC")


def when(at: dict | None) -> str:
    """A casefile time {"seq", "rel_ms", "wall_ms"}: wall clock when known, else relative and said so."""
    if at is None:
        return MISSING
    if at.get("wall_ms") is not None:
        return wall(at["wall_ms"])
    if at.get("rel_ms") is not None:
        return "+" + duration(at["rel_ms"]) + " rel"
    return "time unknown"


def value(v, unit: str = "") -> str:
    """A figure with its unit; missing is shown as missing, never as 0."""
    if v is None:
        return MISSING
    return f"{v} {unit}".rstrip()
