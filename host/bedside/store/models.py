"""The host store's tables as SQLAlchemy 2 declarative models (the schema Alembic migrates to)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names, so migrations and both databases agree on them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CASE_STATES = ("open", "closed")
SYNC_STATUSES = ("running", "done", "failed", "interrupted")

# Identifiers from the panel and the hosts: short strings.
ID_LEN = 64


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database.

    PostgreSQL keeps `timestamptz`; SQLite keeps the UTC wall time as text and the
    value comes back with UTC attached. Naive datetimes are refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps timezone-aware UTC times")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base: one MetaData with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Device(Base):
    """A panel, as its handshake introduced it."""

    __tablename__ = "devices"

    device_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    # Unknown until the panel's handshake is stored (a row can be created by ingest first).
    firmware: Mapped[str | None] = mapped_column(String(32))
    content_version: Mapped[str | None] = mapped_column(String(32))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())


class Operator(Base):
    """An operator as entered on the host; volumes and success rates are computed from cases."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    cto_start_year: Mapped[int | None] = mapped_column(Integer)  # first year of CTO-PCI practice
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Case(Base):
    """One case of one panel: what the panel says about it plus what the host assigns."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(_in("state", CASE_STATES), name="state"),
        Index(None, "first_seen"),
    )

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    state: Mapped[str] = mapped_column(String(8))
    event_count: Mapped[int] = mapped_column(Integer)  # as told by the panel
    acked_seq: Mapped[int] = mapped_column(Integer)  # as told by the panel
    stored_seq: Mapped[int] = mapped_column(Integer)  # the host's checkpoint: events 1..stored_seq are all here
    # Boot id and tick count of the first and last stored events (None until one is stored).
    first_boot: Mapped[int | None] = mapped_column(BigInteger)
    first_ticks: Mapped[int | None] = mapped_column(BigInteger)
    last_boot: Mapped[int | None] = mapped_column(BigInteger)
    last_ticks: Mapped[int | None] = mapped_column(BigInteger)
    start_wall_ms: Mapped[int | None] = mapped_column(BigInteger)  # wall time of event 1, when its boot has an anchor
    reference: Mapped[str | None] = mapped_column(String(ID_LEN), unique=True)  # the host's own reference
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"), index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())  # when the host first heard of the case
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncSession(Base):
    """One sync of one panel by one host, from start to its end (or its failure)."""

    __tablename__ = "sync_sessions"
    __table_args__ = (
        CheckConstraint(_in("status", SYNC_STATUSES), name="status"),
        Index(None, "device_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"))
    host_id: Mapped[str] = mapped_column(String(ID_LEN))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # SYNC_STATUSES ("interrupted" needs 11)
    events_new: Mapped[int] = mapped_column(Integer)
    events_duplicate: Mapped[int] = mapped_column(Integer)
    cases_seen: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class Event(Base):
    """One journalled event, keyed by (device, case, seq): the key that makes every sync idempotent."""

    __tablename__ = "events"
    __table_args__ = (
        ForeignKeyConstraint(["device_id", "case_id"], ["cases.device_id", "cases.case_id"]),
        CheckConstraint("seq >= 1", name="seq"),
        Index(None, "device_id", "boot"),  # anchors back-fill the events of one boot
    )

    device_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None where the panel's value could not be kept (bedside.panelvalues); the payload holds what it sent.
    kind: Mapped[str | None] = mapped_column(String(32))
    boot: Mapped[int | None] = mapped_column(BigInteger)
    ticks: Mapped[int | None] = mapped_column(BigInteger)
    wall_ms: Mapped[int | None] = mapped_column(BigInteger)  # only when an anchor of this boot is known
    payload: Mapped[bytes] = mapped_column(LargeBinary)  # the panel's msgpack bytes, never re-encoded
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sync_session_id: Mapped[int | None] = mapped_column(ForeignKey("sync_sessions.id"))


class Anchor(Base):
    """A time anchor: at `ticks` of boot `boot` the panel's wall clock read `wall_ms`."""

    __tablename__ = "anchors"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"), primary_key=True)
    boot: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    ticks: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    wall_ms: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who did what to which panel, and when: pairing, authentication, sync.

    `device_id` is deliberately not a foreign key: a failed authentication by an
    unknown panel is recorded too.
    """

    __tablename__ = "audit"
    __table_args__ = (
        Index(None, "at"),
        Index(None, "device_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    host_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    device_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)


NURSE_KINDS = ("contrast_ml", "fluoro_min", "dose_mgy", "device", "complication", "note")
SUMMARY_OUTCOMES = ("success", "failure", "unknown")


class CaseSummaryRow(Base):
    """One row of the cases table, computed from a case's events (bedside.store.summaries).

    Rebuilt when it is missing, older than its case (last_seen, start wall time,
    operator, reference) or of an older `version`; nothing here is original data.
    """

    __tablename__ = "case_summaries"
    __table_args__ = (
        ForeignKeyConstraint(["device_id", "case_id"], ["cases.device_id", "cases.case_id"]),
        CheckConstraint(_in("outcome", SUMMARY_OUTCOMES), name="outcome"),
        Index(None, "case_date"),
        Index(None, "operator"),
        Index(None, "vessel"),
        Index(None, "outcome"),
    )

    device_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    # What the row was computed from (a difference makes it stale).
    seen: Mapped[datetime] = mapped_column(UTCDateTime())
    start_wall_ms: Mapped[int | None] = mapped_column(BigInteger)
    case_operator_id: Mapped[int | None] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(ID_LEN))
    # The columns of the cases table.
    case_date: Mapped[datetime] = mapped_column(UTCDateTime())
    date_source: Mapped[str] = mapped_column(String(8))  # "panel" (wall clock of event 1) or "host" (first seen)
    operator_id: Mapped[int | None] = mapped_column(Integer)
    operator: Mapped[str | None] = mapped_column(String(100))
    vessel: Mapped[str | None] = mapped_column(String(16))
    techniques: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(8))
    technical_success: Mapped[str | None] = mapped_column(String(3))
    procedural_success: Mapped[str | None] = mapped_column(String(3))
    in_hospital_mace: Mapped[str | None] = mapped_column(String(3))  # the panel's outcome: yes / no / None
    complications: Mapped[int] = mapped_column(Integer)
    procedure_s: Mapped[int | None] = mapped_column(Integer)
    fluoro_s: Mapped[int | None] = mapped_column(Integer)
    contrast_ml: Mapped[int | None] = mapped_column(Integer)
    dose_mgy: Mapped[int | None] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer)
    closed: Mapped[bool] = mapped_column(Boolean)
    scores: Mapped[str] = mapped_column(Text)  # JSON: score id -> {lo, hi, category, complete}
    figures: Mapped[str] = mapped_column(Text)  # JSON: casefile.figures(), every source of each figure
    replay_error: Mapped[str | None] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text)  # lower-case text the search box matches
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NurseEntry(Base):
    """What a nurse entered on the host about a case, with who and when; never edited, only added to.

    Not a foreign key to cases: an entry made during a live case may come before the
    case's first sync; it joins its case by (device_id, case_id) once the case arrives.
    """

    __tablename__ = "nurse_entries"
    __table_args__ = (
        CheckConstraint(_in("kind", NURSE_KINDS), name="kind"),
        Index(None, "device_id", "case_id", "entered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(ID_LEN))
    case_id: Mapped[str] = mapped_column(String(ID_LEN))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float)  # contrast ml, fluoroscopy min, dose mGy
    is_total: Mapped[bool] = mapped_column(Boolean)  # a running total read off the machine, not an amount given
    item: Mapped[str | None] = mapped_column(String(100))  # device name, complication id
    lot: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    at_seq: Mapped[int | None] = mapped_column(Integer)  # the last panel event the nurse had seen, if known
