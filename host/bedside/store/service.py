"""The host store: every synced case of every panel, in SQLite or PostgreSQL, written idempotently."""

from __future__ import annotations

import bisect
import logging
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import (
    Connection,
    case,
    create_engine,
    event,
    func,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from bedside.panelvalues import KIND_MAX, SEQ_MAX, U32_MAX, WALL_MAX_MS, WALL_MIN_MS, is_uint, wall_dt, wall_ok
from bedside.store.errors import StoreError, StoreUnavailable, bad_url, check_sqlite_path, damaged, describe, where

from bedside.store.models import (
    CASE_STATES,
    SYNC_STATUSES,
    Anchor,
    AuditEntry,
    Case,
    Device,
    Event,
    Operator,
    SyncSession,
)

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant: the PostgreSQL advisory lock that makes concurrent first opens take turns.
MIGRATION_LOCK = 0x6265647369646501
SQLITE_BUSY_TIMEOUT_S = 30

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_DEVICES, _CASES, _EVENTS = Device.__table__, Case.__table__, Event.__table__
_ANCHORS, _SYNCS, _AUDIT, _OPERATORS = Anchor.__table__, SyncSession.__table__, AuditEntry.__table__, Operator.__table__


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of the case list."""

    device_id: str
    case_id: str
    state: str
    event_count: int
    acked_seq: int
    stored_seq: int
    first_boot: int | None
    first_ticks: int | None
    last_boot: int | None
    last_ticks: int | None
    start_wall_ms: int | None
    reference: str | None
    operator_id: int | None
    first_seen: datetime
    last_seen: datetime

    @property
    def started_at(self) -> datetime | None:
        """Wall-clock start (UTC) when the first event's boot has an anchor, else None (also for a wall time
        no anchor the host accepts can give: stored by a version before bedside.panelvalues)."""
        return wall_dt(self.start_wall_ms)

    @property
    def complete(self) -> bool:
        """True when every event the panel reported is stored."""
        return self.stored_seq >= self.event_count


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One stored event; `payload` is exactly the bytes the panel sent."""

    seq: int
    kind: str | None  # None: the panel's value could not be kept (bedside.panelvalues); the payload has it
    boot: int | None
    ticks: int | None
    wall_ms: int | None
    payload: bytes
    received_at: datetime
    sync_session_id: int | None


def _text(value: str | None) -> str | None:
    """Free text for a text column: NUL, which PostgreSQL's text cannot hold (a panel's words may carry it), escaped."""
    return None if value is None else str(value).replace("\x00", "\\x00")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _normalise_url(url: str) -> str:
    """Default PostgreSQL URLs to the psycopg 3 driver (SQLAlchemy's own default is psycopg2)."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """The Alembic configuration of the store, built in code (no alembic.ini).

    Args:
        url: database URL, for running Alembic commands by hand (autogenerate, --sql).
        connection: an open connection the migrations run on, inside its transaction.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", _normalise_url(url).replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _nearest_wall(anchors: list[tuple[int, int]], ticks: int) -> int:
    """Wall ms at `ticks` from the nearest anchor [(ticks, wall_ms)] sorted by ticks (ties: the earlier one)."""
    i = bisect.bisect_left(anchors, (ticks,))
    best = None
    for j in (i - 1, i):
        if 0 <= j < len(anchors):
            a_ticks, a_wall = anchors[j]
            d = abs(ticks - a_ticks)
            if best is None or d < best[0]:
                best = (d, a_wall + ticks - a_ticks)
    return best[1]


def _nearest_wall_sql():
    """The SQL twin of _nearest_wall for an UPDATE of events: wall ms from the nearest anchor of the row's boot.

    Outer columns appear only in WHERE clauses (SQLite allows no correlated ORDER BY):
    the nearest anchor is the later of those at or before the event or the earlier of
    those after it, the one before on a tie.
    """
    e = _EVENTS

    def anchors(name):
        a = _ANCHORS.alias(name)
        return a, (a.c.device_id == e.c.device_id, a.c.boot == e.c.boot)

    a1, same1 = anchors("before")
    a2, same2 = anchors("after")
    # Nested two levels down: correlate to the UPDATE's events explicitly.
    before = select(func.max(a1.c.ticks)).where(*same1, a1.c.ticks <= e.c.ticks).correlate(e).scalar_subquery()
    after = select(func.min(a2.c.ticks)).where(*same2, a2.c.ticks > e.c.ticks).correlate(e).scalar_subquery()
    chosen = case(
        (before.is_(None), after),
        (after.is_(None), before),
        (e.c.ticks - before <= after - e.c.ticks, before),
        else_=after,
    )
    a3, same3 = anchors("chosen")
    return select(a3.c.wall_ms + (e.c.ticks - a3.c.ticks)).where(*same3, a3.c.ticks == chosen).scalar_subquery()


class Store:
    """The host database: devices, cases, events, anchors, operators, sync sessions, audit.

    Opening runs the Alembic migrations up to head, so a new SQLite file or an empty
    PostgreSQL database just works. Every method is one transaction and is safe to call
    from several threads, and from several hosts sharing one PostgreSQL server.
    """

    def __init__(self, url: str):
        """Open the database at `url` (a SQLAlchemy URL), check it and migrate it to the current schema.

        Raises:
            StoreUnavailable: the database cannot be used (one line: what, where, what to do): a URL that
                does not parse or names another dialect, a file that is not a database, is damaged
                (SQLite's quick_check) or read-only, an unwritable folder, a server that cannot be reached.
        """
        try:
            self.url = _normalise_url(url)
            u = make_url(self.url)
            self.dialect = u.get_backend_name()
        except (ArgumentError, ValueError, TypeError):
            raise StoreUnavailable(bad_url(url, "is not a database URL")) from None
        if self.dialect not in _INSERTS:
            raise StoreUnavailable(bad_url(url, f"names a {self.dialect} database: Bedside stores cases in SQLite or PostgreSQL"))
        self._insert = _INSERTS[self.dialect]
        file = None
        if self.dialect == "sqlite":
            if u.database and u.database != ":memory:" and not u.database.startswith("file:"):
                file = Path(u.database).expanduser()
                try:
                    file.parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise StoreUnavailable(f"cannot create the folder {file.parent} for the database: "
                                           f"{e.strerror or e}: give --db a file in a folder you may write to") from None
                check_sqlite_path(file)
        try:
            if self.dialect == "sqlite":
                self.engine = create_engine(self.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
                event.listen(self.engine, "connect", _sqlite_connect)
                event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = create_engine(self.url, pool_pre_ping=True)
        except (SQLAlchemyError, ValueError, TypeError) as e:  # e.g. a driver option the URL gives wrong
            raise StoreUnavailable(bad_url(url, f"cannot be used ({e})")) from None
        try:
            if file is not None:
                self._check_pages()
            self._migrate()
        except BaseException:
            self.engine.dispose()
            raise

    def _check_pages(self) -> None:
        """SQLite's quick_check (about 2 ms a MB): a damaged file is refused whole, never half read."""
        from bedside.store.errors import damage

        with self._tx(write=False) as conn:
            problem = damage(conn.connection.driver_connection)
        if problem:
            raise StoreUnavailable(damaged(where(self.url), problem))

    @staticmethod
    def default_url() -> str:
        """The embedded default: a SQLite file in the user data directory."""
        from bedside.paths import user_data_dir

        return "sqlite:///" + str(user_data_dir() / "bedside.db")

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions -----------------------------------------------------------------

    @contextmanager
    def _tx(self, write: bool = True) -> Iterator[Connection]:
        """One transaction; on SQLite a writing one takes the write lock at BEGIN (no lock upgrade deadlocks).

        A failure of the database itself (not a constraint: IntegrityError passes) becomes StoreUnavailable.
        """
        try:
            with self.engine.connect() as conn:
                if write:
                    conn.execution_options(bedside_write=True)
                with conn.begin():
                    yield conn
        except IntegrityError:
            raise
        except (DBAPIError, sqlite3.Error, OSError) as e:
            raise StoreUnavailable(describe(e, self.url)) from e

    def _migrate(self) -> None:
        with self._tx() as conn:
            if self.dialect == "postgresql":
                # Two hosts opening one empty database at once: the second waits, then finds head.
                conn.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
            cfg = alembic_config(connection=conn)
            head = ScriptDirectory.from_config(cfg).get_current_head()
            try:
                command.upgrade(cfg, "head")
            except CommandError as e:
                raise StoreError(
                    f"the database at {make_url(self.url)!r} has a schema this Bedside does not know "
                    f"(its head is {head}): update Bedside on this workstation ({e})"
                ) from e

    def _ensure_device(self, conn: Connection, device_id: str, now: datetime) -> None:
        """Create the device row if missing, then lock it: writes about one panel take turns across hosts."""
        ins = self._insert(_DEVICES).values(device_id=device_id, first_seen=now, last_seen=now)
        conn.execute(ins.on_conflict_do_nothing(index_elements=["device_id"]))
        if self.dialect == "postgresql":
            conn.execute(select(_DEVICES.c.device_id).where(_DEVICES.c.device_id == device_id).with_for_update())

    def _ensure_case(self, conn: Connection, device_id: str, case_id: str, now: datetime) -> None:
        ins = self._insert(_CASES).values(
            device_id=device_id, case_id=case_id, state="open", event_count=0, acked_seq=0, stored_seq=0,
            first_seen=now, last_seen=now,
        )
        conn.execute(ins.on_conflict_do_nothing(index_elements=["device_id", "case_id"]))

    # -- devices and cases ------------------------------------------------------------

    def upsert_device(self, device_id: str, firmware: str, content_version: str) -> None:
        """Record a panel's handshake: firmware and content version, last seen now."""
        now = _now()
        ins = self._insert(_DEVICES).values(
            device_id=device_id, firmware=firmware, content_version=content_version, first_seen=now, last_seen=now,
        )
        ins = ins.on_conflict_do_update(
            index_elements=["device_id"],
            set_={"firmware": firmware, "content_version": content_version, "last_seen": now},
        )
        with self._tx() as conn:
            conn.execute(ins)

    def upsert_case(self, device_id: str, case_id: str, state: str, event_count: int, acked_seq: int) -> None:
        """Record what the panel says about a case: its state, how many events it has, what it saw acked."""
        if state not in CASE_STATES:
            raise StoreError(f"case state must be one of {CASE_STATES}, not {state!r}")
        now = _now()
        with self._tx() as conn:
            self._ensure_device(conn, device_id, now)
            ins = self._insert(_CASES).values(
                device_id=device_id, case_id=case_id, state=state, event_count=event_count, acked_seq=acked_seq,
                stored_seq=0, first_seen=now, last_seen=now,
            )
            conn.execute(ins.on_conflict_do_update(
                index_elements=["device_id", "case_id"],
                set_={"state": state, "event_count": event_count, "acked_seq": acked_seq, "last_seen": now},
            ))

    def cases(self, device_id: str | None = None) -> list[CaseSummary]:
        """The case list, newest first; one panel's cases when `device_id` is given."""
        q = select(*(_CASES.c[f.name] for f in fields(CaseSummary)))
        if device_id is not None:
            q = q.where(_CASES.c.device_id == device_id)
        q = q.order_by(_CASES.c.first_seen.desc(), _CASES.c.device_id, _CASES.c.case_id)
        with self._tx(write=False) as conn:
            return [CaseSummary(*row) for row in conn.execute(q)]

    def assign_case(self, device_id: str, case_id: str, reference: str | None = None,
                    operator_id: int | None = None) -> None:
        """Set the host's reference and the operator of a case (None clears either)."""
        with self._tx() as conn:
            res = conn.execute(
                update(_CASES)
                .where(_CASES.c.device_id == device_id, _CASES.c.case_id == case_id)
                .values(reference=reference, operator_id=operator_id)
            )
            if res.rowcount != 1:
                raise StoreError(f"no case {case_id!r} of panel {device_id!r}")

    # -- operators --------------------------------------------------------------------

    def add_operator(self, name: str, cto_start_year: int | None = None) -> int:
        """Enter an operator; returns the new id."""
        with self._tx() as conn:
            res = conn.execute(_OPERATORS.insert().values(name=name, cto_start_year=cto_start_year, created_at=_now()))
            return res.inserted_primary_key[0]

    def operators(self) -> list[tuple[int, str, int | None]]:
        """Every operator as (id, name, cto_start_year), by name."""
        q = select(_OPERATORS.c.id, _OPERATORS.c.name, _OPERATORS.c.cto_start_year).order_by(
            _OPERATORS.c.name, _OPERATORS.c.id)
        with self._tx(write=False) as conn:
            return [tuple(r) for r in conn.execute(q)]

    # -- events -----------------------------------------------------------------------

    def _checkpoint_q(self, device_id: str, case_id: str, known: int = 0):
        """Highest S with events 1..S all stored, given that 1..known are (0: nothing assumed).

        Over the seqs above `known` in order, seq - row_number() stays `known` while they
        follow on without a gap and only grows after one: S = known + that run's length.
        One ordered index range scan, whatever the gaps.
        """
        e = _EVENTS
        k = literal_column(str(int(known)))
        run = select((e.c.seq - func.row_number().over(order_by=e.c.seq)).label("offset")).where(
            e.c.device_id == device_id, e.c.case_id == case_id, e.c.seq > k
        ).subquery()
        return select(k + func.count()).select_from(run).where(run.c.offset == k)

    def checkpoint(self, device_id: str, case_id: str) -> int:
        """The highest seq S such that every event 1..S of the case is stored (0 if none)."""
        with self._tx(write=False) as conn:
            return int(conn.execute(self._checkpoint_q(device_id, case_id)).scalar_one())

    def _anchor_table(self, conn: Connection, device_id: str, boots: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
        q = select(_ANCHORS.c.boot, _ANCHORS.c.ticks, _ANCHORS.c.wall_ms).where(
            _ANCHORS.c.device_id == device_id, _ANCHORS.c.boot.in_(sorted(set(boots)))
        ).order_by(_ANCHORS.c.boot, _ANCHORS.c.ticks)
        table: dict[int, list[tuple[int, int]]] = {}
        for boot, ticks, wall in conn.execute(q):
            table.setdefault(boot, []).append((ticks, wall))
        return table

    def ingest(self, device_id: str, case_id: str, events: Iterable[tuple[int, bytes, str, int, int]],
               sync_session: int | None = None) -> tuple[int, int]:
        """Store events (seq, payload, kind, boot, ticks) of one case, each exactly once.

        An event whose (device, case, seq) is already stored counts as a duplicate and
        is left as it was; if its payload differs, the conflict is logged and audited.
        Wall times are filled from the anchors known for each event's boot.

        Returns:
            (new_count, duplicate_count).
        """
        batch: dict[int, tuple[bytes, str, int, int]] = {}
        total = 0
        for seq, payload, kind, boot, ticks in events:
            total += 1
            if not is_uint(seq, SEQ_MAX) or seq < 1:
                raise StoreError(f"event seq must be an integer 1..{SEQ_MAX}, not {seq!r}")
            if not isinstance(payload, (bytes, bytearray, memoryview)):
                raise StoreError(f"event {seq}: payload must be bytes, not {type(payload).__name__}")
            if kind is not None and (type(kind) is not str or len(kind) > KIND_MAX):
                raise StoreError(f"event {seq}: kind must be text of <= {KIND_MAX} characters or None, not {kind!r}")
            for name, value in (("boot", boot), ("ticks", ticks)):
                if value is not None and not is_uint(value, U32_MAX):
                    raise StoreError(f"event {seq}: {name} must be 0..{U32_MAX} or None (unknown), not {value!r}")
            batch.setdefault(seq, (bytes(payload), kind, boot, ticks))
        if not batch:
            return 0, 0
        seqs = sorted(batch)
        now = _now()
        with self._tx() as conn:
            # The device row is locked (PostgreSQL) or the database is (SQLite): what is stored
            # cannot change under us, so the duplicates read here are the duplicates.
            self._ensure_device(conn, device_id, now)
            self._ensure_case(conn, device_id, case_id, now)
            e = _EVENTS
            stored = {seq: bytes(payload) for seq, payload in conn.execute(
                select(e.c.seq, e.c.payload).where(
                    e.c.device_id == device_id, e.c.case_id == case_id, e.c.seq.between(seqs[0], seqs[-1]))
            ) if seq in batch}
            differ = sorted(seq for seq, payload in stored.items() if payload != batch[seq][0])
            if differ:
                self._audit_conflict(conn, device_id, case_id, differ, sync_session, now)
            fresh = [seq for seq in seqs if seq not in stored]
            if fresh:
                anchors = self._anchor_table(conn, device_id, {batch[seq][2] for seq in fresh} - {None})
                rows = []
                for seq in fresh:
                    payload, kind, boot, ticks = batch[seq]
                    known = boot in anchors and ticks is not None
                    rows.append({
                        "device_id": device_id, "case_id": case_id, "seq": seq, "kind": kind, "boot": boot,
                        "ticks": ticks, "wall_ms": _nearest_wall(anchors[boot], ticks) if known else None,
                        "payload": payload, "received_at": now, "sync_session_id": sync_session,
                    })
                # One statement, many parameter sets: the driver's executemany (psycopg pipelines it),
                # never a round trip per event. ON CONFLICT DO NOTHING keeps the key's promise even
                # against a writer that did not take the lock.
                ins = self._insert(e).on_conflict_do_nothing(index_elements=["device_id", "case_id", "seq"])
                conn.execute(ins, rows)
                self._refresh_case(conn, device_id, case_id, now)
        return len(fresh), total - len(fresh)

    def _audit_conflict(self, conn, device_id, case_id, seqs, sync_session, now) -> None:
        """Log and audit events received again with a different payload: the stored one is kept."""
        host = None
        if sync_session is not None:
            host = conn.execute(select(_SYNCS.c.host_id).where(_SYNCS.c.id == sync_session)).scalar()
        detail = f"case {case_id}: stored payload kept, a different one received for seq {seqs}"
        log.warning("panel %s %s", device_id, detail)
        conn.execute(_AUDIT.insert().values(
            at=now, host_id=host, device_id=device_id, action="event_conflict", detail=detail))

    def _refresh_case(self, conn: Connection, device_id: str, case_id: str, now: datetime) -> None:
        """Recompute a case's summary from its stored events: checkpoint, first/last boot and ticks, start."""
        e = _EVENTS
        mine = (e.c.device_id == _CASES.c.device_id, e.c.case_id == _CASES.c.case_id)

        def first(col, desc=False):
            order = e.c.seq.desc() if desc else e.c.seq
            return select(col).where(*mine).order_by(order).limit(1).scalar_subquery()

        known = conn.execute(select(_CASES.c.stored_seq).where(
            _CASES.c.device_id == device_id, _CASES.c.case_id == case_id)).scalar_one()
        stored = conn.execute(self._checkpoint_q(device_id, case_id, known)).scalar_one()
        conn.execute(
            update(_CASES)
            .where(_CASES.c.device_id == device_id, _CASES.c.case_id == case_id)
            .values(
                stored_seq=stored, last_seen=now,
                first_boot=first(e.c.boot), first_ticks=first(e.c.ticks), start_wall_ms=first(e.c.wall_ms),
                last_boot=first(e.c.boot, True), last_ticks=first(e.c.ticks, True),
            )
        )

    def events(self, device_id: str, case_id: str) -> list[StoredEvent]:
        """Every stored event of a case, by seq."""
        q = select(*(_EVENTS.c[f.name] for f in fields(StoredEvent))).where(
            _EVENTS.c.device_id == device_id, _EVENTS.c.case_id == case_id
        ).order_by(_EVENTS.c.seq)
        with self._tx(write=False) as conn:
            return [StoredEvent(*r[:5], bytes(r[5]), *r[6:]) for r in conn.execute(q)]

    def events_of_cases(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[StoredEvent]]:
        """Every stored event of each (device_id, case_id) in `keys`, by seq, in one query (a page of an export)."""
        out: dict[tuple[str, str], list[StoredEvent]] = {k: [] for k in keys}
        if not keys:
            return out
        e = _EVENTS
        q = select(e.c.device_id, e.c.case_id, *(e.c[f.name] for f in fields(StoredEvent))).where(
            tuple_(e.c.device_id, e.c.case_id).in_(keys)).order_by(e.c.device_id, e.c.case_id, e.c.seq)
        with self._tx(write=False) as conn:
            for r in conn.execute(q):
                out[(r[0], r[1])].append(StoredEvent(*r[2:7], bytes(r[7]), *r[8:]))
        return out

    # -- time anchors -----------------------------------------------------------------

    def anchors(self, device_id: str, boots: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
        """The stored anchors of `boots`: boot -> [(ticks, wall_ms)] by ticks."""
        with self._tx(write=False) as conn:
            return self._anchor_table(conn, device_id, boots)

    def add_anchors(self, device_id: str, anchors: Iterable[tuple[int, int, int]]) -> int:
        """Store time anchors (boot, ticks, wall_ms) and recompute the wall time of every event of their boots.

        An event's wall time comes from the anchor of its boot nearest in ticks
        (ties: the earlier anchor), whichever arrived first.

        Returns:
            How many anchors were new.

        Raises:
            StoreError: a boot or ticks outside 0..2**32-1, or a wall time outside bedside.panelvalues'
                window (2000 to 2200): nothing is stored (sync leaves such anchors out and says so).
        """
        rows = {}
        for b, t, w in anchors:
            if not (is_uint(b, U32_MAX) and is_uint(t, U32_MAX) and wall_ok(w)):
                raise StoreError(f"anchor (boot {b!r}, ticks {t!r}, wall {w!r} ms): boot and ticks are 0..{U32_MAX}, "
                                 f"the wall time {WALL_MIN_MS}..{WALL_MAX_MS - 1} ms (2000 to 2200)")
            rows[(b, t)] = w
        if not rows:
            return 0
        boots = sorted({b for b, _ in rows})
        now = _now()
        with self._tx() as conn:
            self._ensure_device(conn, device_id, now)
            ins = self._insert(_ANCHORS).on_conflict_do_nothing(index_elements=["device_id", "boot", "ticks"])
            added = len(conn.execute(ins.returning(_ANCHORS.c.ticks), [
                {"device_id": device_id, "boot": b, "ticks": t, "wall_ms": w, "received_at": now}
                for (b, t), w in sorted(rows.items())
            ]).all())
            e = _EVENTS
            conn.execute(update(e).where(e.c.device_id == device_id, e.c.boot.in_(boots)).values(
                wall_ms=_nearest_wall_sql()))
            first_wall = (
                select(e.c.wall_ms)
                .where(e.c.device_id == _CASES.c.device_id, e.c.case_id == _CASES.c.case_id)
                .order_by(e.c.seq).limit(1).scalar_subquery()
            )
            conn.execute(
                update(_CASES)
                .where(_CASES.c.device_id == device_id, _CASES.c.first_boot.in_(boots))
                .values(start_wall_ms=first_wall)
            )
        return added

    # -- sync sessions and audit ------------------------------------------------------

    def begin_sync(self, device_id: str, host_id: str) -> int:
        """Open a sync session (status "running"); returns its id. The caller audits "sync_started"."""
        now = _now()
        with self._tx() as conn:
            self._ensure_device(conn, device_id, now)
            return conn.execute(_SYNCS.insert().values(
                device_id=device_id, host_id=host_id, started_at=now, status="running",
                events_new=0, events_duplicate=0, cases_seen=0,
            )).inserted_primary_key[0]

    def finish_sync(self, id: int, status: str, events_new: int, events_duplicate: int, cases_seen: int,
                    error: str | None = None) -> None:
        """Close a sync session as "done", "failed" or "interrupted" (Ctrl-C) with its counts.

        The caller audits "sync_done", "sync_failed" or "sync_interrupted".
        """
        if status not in SYNC_STATUSES or status == "running":
            raise StoreError(f"a sync ends as 'done', 'failed' or 'interrupted', not {status!r}")
        with self._tx() as conn:
            res = conn.execute(update(_SYNCS).where(_SYNCS.c.id == id).values(
                finished_at=_now(), status=status, events_new=events_new, events_duplicate=events_duplicate,
                cases_seen=cases_seen, error=_text(error),
            ))
            if res.rowcount != 1:
                raise StoreError(f"no sync session {id}")

    def session_events(self, session_id: int) -> int:
        """How many events sync session `session_id` stored (each new event keeps the session that brought it)."""
        q = select(func.count()).select_from(_EVENTS).where(_EVENTS.c.sync_session_id == session_id)
        with self._tx(write=False) as conn:
            return conn.execute(q).scalar_one()

    def sync_sessions(self, device_id: str | None = None) -> list[SyncSession]:
        """Sync sessions, newest first (detached model objects)."""
        q = select(*_SYNCS.c).order_by(_SYNCS.c.started_at.desc(), _SYNCS.c.id.desc())
        if device_id is not None:
            q = q.where(_SYNCS.c.device_id == device_id)
        with self._tx(write=False) as conn:
            return [SyncSession(**r._mapping) for r in conn.execute(q)]

    def audit(self, action: str, host_id: str | None, device_id: str | None, detail: str | None = None) -> None:
        """Append an audit row ("pair", "unpair", "auth_failed", ...), stamped now."""
        with self._tx() as conn:
            conn.execute(_AUDIT.insert().values(
                at=_now(), host_id=host_id, device_id=device_id, action=action, detail=_text(detail)))

    def audit_log(self, device_id: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        """The latest audit rows, newest first (detached model objects)."""
        q = select(*_AUDIT.c).order_by(_AUDIT.c.at.desc(), _AUDIT.c.id.desc()).limit(limit)
        if device_id is not None:
            q = q.where(_AUDIT.c.device_id == device_id)
        with self._tx(write=False) as conn:
            return [AuditEntry(**r._mapping) for r in conn.execute(q)]


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    # SQLAlchemy emits BEGIN itself (_sqlite_begin); the driver's own transaction handling is off.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    # WAL: readers never wait for the sync's writes. The mode sticks to the file; switching
    # needs the file to itself and gets no busy handler, so a first open racing another retries.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while cur.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    cur.execute("PRAGMA synchronous=FULL")  # a commit is on disk before the panel is acked
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("bedside_write") else "BEGIN")


def ingest_rate(url: str, n: int = 4000) -> float:
    """Events per second for one ingest of `n` events of ~80 bytes into a new case.

    A benchmark for `make bench`: it leaves its case behind, so give it a scratch database.
    """
    store = Store(url)
    try:
        device_id, case_id = "bench-panel", "bench-" + uuid.uuid4().hex[:12]
        store.upsert_device(device_id, "bench", "bench")
        store.upsert_case(device_id, case_id, "open", n, 0)
        # msgpack-like bytes padded to 80: {"k": "confirm", "t": ...} and the rest of an event.
        events = [(seq, (b"\x84\xa1k\xa7confirm\xa1t" + seq.to_bytes(4, "big")).ljust(80, b"\x00"), "confirm",
                   1, 1000 + 50 * seq) for seq in range(1, n + 1)]
        t0 = time.perf_counter()
        new, _ = store.ingest(device_id, case_id, events)
        elapsed = time.perf_counter() - t0
        if new != n:
            raise StoreError(f"benchmark: {new} of {n} events stored: use a scratch database")
        return n / elapsed
    finally:
        store.close()
