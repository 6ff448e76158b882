"""What the host accepts of the values a panel sends; the rest is kept as unknown (None) and said in words.

A panel is a device on a cable: its values are checked here before anything is stored
or shown, whatever the protocol's types allow (a uint64 wall time of 2**64 - 1 is a
valid `anchors` row and no time the host can show). The limits:

- identifiers (device and case ids): text of 1..64 UTF-8 bytes, printable (no NUL, no
  control characters: they end up in file names, terminals and PostgreSQL text);
- firmware and content versions: printable text of up to 32 characters, else unknown;
- event seqs and counts: 1..2**31 - 1 (the store's integer columns on PostgreSQL);
- boot ids and tick counts: 0..2**32 - 1, as the wire's uint32 anchors carry them;
- wall times (ms since 1970, UTC): from 2000-01-01 up to 2200-01-01: before, the panel's
  clock was never set; after, it is no date of a case. Within the window every time an
  anchor gives an event of its boot (± 2**32 ms of ticks) is a date Python can show;
- a new anchor of a boot that already has anchors agrees with them within what a clock
  drifts (60 s plus 1 % of the ticks between them): the times already shown never move.

Public API: WALL_MIN_MS, WALL_MAX_MS, U32_MAX, SEQ_MAX; is_uint(v, top); wall_ok(ms);
wall_dt(ms) -> datetime | None; anchor_conflict(stored, ticks, wall); ident_problem(value) -> str | None; label(value) -> str | None;
event_clock(data) -> (kind, boot, ticks, problems); show(value) -> str; jsonable(value).
"""

from __future__ import annotations

from datetime import datetime, timezone

U32_MAX = 2**32 - 1
SEQ_MAX = 2**31 - 1
WALL_MIN_MS = 946_684_800_000  # 2000-01-01T00:00:00Z
WALL_MAX_MS = 7_258_118_400_000  # 2200-01-01T00:00:00Z
ID_MAX_BYTES = 64
LABEL_MAX = 32  # the devices table's firmware and content_version columns
KIND_MAX = 32  # the events table's kind column


def is_uint(value, top: int) -> bool:
    """True for an int (not a bool) in 0..top."""
    return type(value) is int and 0 <= value <= top


def wall_ok(ms) -> bool:
    """True for a wall time (ms since 1970, UTC) the host accepts: 2000-01-01 <= ms < 2200-01-01."""
    return type(ms) is int and WALL_MIN_MS <= ms < WALL_MAX_MS


def wall_dt(ms) -> datetime | None:
    """The UTC datetime of wall time `ms` (an event's, within 2**32 ms of an accepted anchor), else None.

    Stored values from before these checks may lie anywhere: they read as unknown.
    """
    if type(ms) is not int or not WALL_MIN_MS - 2**32 <= ms < WALL_MAX_MS + 2**32:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def anchor_conflict(stored: list[tuple[int, int]], ticks: int, wall: int) -> int | None:
    """How far (ms) a new anchor (ticks, wall) of a boot disagrees with the nearest of the boot's `stored`
    [(ticks, wall)], when that is more than a clock drifts (60 s, plus 1 % of the ticks between them); else None.

    An anchor that disagrees is left out: what the host already shows of that boot never moves.
    """
    if not stored:
        return None
    t0, w0 = min(stored, key=lambda a: abs(a[0] - ticks))
    off = (wall - w0) - (ticks - t0)
    return off if abs(off) > 60_000 + abs(ticks - t0) // 100 else None


def show(value, limit: int = 40) -> str:
    """`value` for a message: its repr (control characters escaped), cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def ident_problem(value) -> str | None:
    """Why `value` cannot be a device or case id, or None when it can."""
    if type(value) is not str:
        return f"{show(value)} is not text"
    size = len(value.encode("utf-8", "surrogatepass"))
    if not 1 <= size <= ID_MAX_BYTES:
        return f"{show(value)} is {size} bytes long (1 to {ID_MAX_BYTES})"
    if not value.isprintable():
        return f"{show(value)} holds characters that are not printable"
    return None


def label(value, limit: int = LABEL_MAX) -> str | None:
    """A version string the host keeps as given, or None (unknown) when it is not short printable text."""
    if type(value) is str and 0 < len(value) <= limit and value.isprintable():
        return value
    return None


def event_clock(data: dict) -> tuple[str | None, int | None, int | None, list[str]]:
    """(kind, boot, ticks) of a decoded event, each None where the panel's value cannot be kept, and why.

    A missing boot is unknown (None), not boot 0; a missing kind or tick count is a problem.
    """
    problems = []
    kind = data.get("k")
    if type(kind) is not str or not 0 < len(kind) <= KIND_MAX or not kind.isprintable():
        problems.append(f"kind {show(kind)}")
        kind = None
    boot = data.get("b")
    if boot is not None and not is_uint(boot, U32_MAX):
        problems.append(f"boot {show(boot)}")
        boot = None
    ticks = data.get("t")
    if not is_uint(ticks, U32_MAX):
        problems.append(f"ticks {show(ticks)}")
        ticks = None
    return kind, boot, ticks, problems


def jsonable(value):
    """A decoded msgpack value as JSON holds it: map keys as text, bytes as {"bin": "<hex>"}."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bin": bytes(value).hex()}
    return value
