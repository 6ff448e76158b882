"""The host store (bedside.store) on SQLite and on a real PostgreSQL server, each test on both.

Covers: migrations build the schema from nothing and it matches the models (Alembic's
compare_metadata finds no difference); the ingest is idempotent (a batch twice,
overlapping batches, repeats inside a batch) and keyed at the database (a raw duplicate
INSERT raises IntegrityError); the checkpoint with gaps and with nothing stored; 4,000
events go in as a handful of statements; time anchors fill wall times of stored and later
events from the nearest anchor; two hosts (two Store objects) ingest overlapping ranges of
one case at once and every seq ends up stored once; concurrent first opens of one empty
database; sync sessions, audit rows, operators, case list; clear errors for a newer schema
and unsupported databases; the service never imports Textual or pyserial.

The PostgreSQL half needs BEDSIDE_TEST_PG_URL (tests/dbs.py): skipped locally without it,
a failure under BEDSIDE_CI=1. .ci/run provides it.
Run alone: .venv/bin/pytest tests/test_store.py
With PostgreSQL here: eval "$(.ci/run pg-env)" && .venv/bin/pytest tests/test_store.py   (as root)
"""

import json
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from bedside.store import Store, StoreError, alembic_config, ingest_rate
from bedside.store.models import Base, Event
from bedside.panelvalues import WALL_MAX_MS, WALL_MIN_MS
from bedside.store.service import _normalise_url

DEV = "panel-7f3a"
CASE = "c-0001"
T0 = 1_784_000_000_000  # a wall time in ms (2026)


def ev(seq, boot=1, ticks=None, kind="confirm"):
    """An event tuple as the sync client passes it: (seq, payload, kind, boot, ticks)."""
    payload = b"\x83\xa1k" + kind.encode() + b"\xa1s" + seq.to_bytes(4, "big") + b"\x00\xff"
    return (seq, payload, kind, boot, 1000 * seq if ticks is None else ticks)


def evs(seqs, **kw):
    return [ev(s, **kw) for s in seqs]


def stored_seqs(store, device=DEV, case=CASE):
    return [e.seq for e in store.events(device, case)]


# -- schema -------------------------------------------------------------------------------


def test_a_new_database_is_migrated_to_head_and_matches_the_models(db_url):
    store = Store(db_url)
    try:
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn)
            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
            assert ctx.get_current_revision() == head == "0004"
            assert compare_metadata(ctx, Base.metadata) == []
            insp = inspect(conn)
            tables = set(insp.get_table_names())
            key = insp.get_pk_constraint("events")["constrained_columns"]
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        assert key == ["device_id", "case_id", "seq"]  # the idempotency key
    finally:
        store.close()


def test_a_database_at_0002_is_upgraded_and_its_summaries_rebuilt_with_mace(db_url):
    from alembic import command
    from sqlalchemy import create_engine

    from bedside.store.summaries import SUMMARIES, refresh_stale, stale_count
    from dbs import ingest_whih

    engine = create_engine(_normalise_url(db_url))
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "0002")
        assert "in_hospital_mace" not in {c["name"] for c in inspect(conn).get_columns("case_summaries")}
    engine.dispose()
    with Store(db_url) as s:
        with s.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        # the WHIH case with in-hospital MACE answered: its summary row is built with the new column
        ingest_whih(s, DEV, "c-1", [(1000, "outcome", {"o": "in_hospital_mace", "v": "yes"})])
        assert stale_count(s) == 1
        assert refresh_stale(s) == 1
        with s.engine.connect() as conn:
            row = conn.execute(select(SUMMARIES.c.version, SUMMARIES.c.in_hospital_mace,
                                      SUMMARIES.c.procedural_success)).one()
        assert tuple(row) == (4, "yes", "no")  # MACE: no procedural success


def test_a_database_at_0003_keeps_its_events_and_syncs_and_may_then_hold_unknowns(db_url):
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(_normalise_url(db_url))
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "0003")
        now = datetime.now(timezone.utc)
        conn.execute(text("INSERT INTO devices (device_id, first_seen, last_seen) VALUES (:d, :n, :n)"),
                     {"d": DEV, "n": now})
        conn.execute(text("INSERT INTO cases (device_id, case_id, state, event_count, acked_seq, stored_seq, "
                          "first_seen, last_seen) VALUES (:d, :c, 'open', 1, 0, 1, :n, :n)"),
                     {"d": DEV, "c": CASE, "n": now})
        conn.execute(text("INSERT INTO events (device_id, case_id, seq, kind, boot, ticks, payload, received_at) "
                          "VALUES (:d, :c, 1, 'open', 3, 10, :p, :n)"), {"d": DEV, "c": CASE, "p": b"\x80", "n": now})
        conn.execute(text("INSERT INTO sync_sessions (device_id, host_id, started_at, status, events_new, "
                          "events_duplicate, cases_seen) VALUES (:d, 'h', :n, 'running', 0, 0, 0)"),
                     {"d": DEV, "n": now})
    engine.dispose()
    with Store(db_url) as s:
        with s.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert [(e.seq, e.kind, e.boot, e.ticks) for e in s.events(DEV, CASE)] == [(1, "open", 3, 10)]
        (session,) = s.sync_sessions(DEV)
        s.finish_sync(session.id, "interrupted", 0, 0, 0)
        assert s.sync_sessions(DEV)[0].status == "interrupted"
        s.ingest(DEV, CASE, [(2, b"\x90", None, None, None)])
        assert [e.kind for e in s.events(DEV, CASE)] == ["open", None]


def test_reopening_migrates_nothing_and_keeps_the_data(db_url):
    with Store(db_url) as s:
        s.ingest(DEV, CASE, evs(range(1, 4)))
    with Store(db_url) as s:
        assert stored_seqs(s) == [1, 2, 3]
        with s.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_concurrent_first_opens_of_one_empty_database_all_succeed(db_url):
    barrier = threading.Barrier(4)
    errors, stores = [], []

    def open_it():
        barrier.wait()
        try:
            stores.append(Store(db_url))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert errors == []
    with Store(db_url) as s, s.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0004"]
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_a_database_with_a_newer_schema_is_refused_with_a_clear_message(db_url):
    with Store(db_url) as s, s.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="update Bedside"):
        Store(db_url)


def test_unsupported_databases_are_refused_and_bare_postgresql_urls_use_psycopg():
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        Store("mysql://user@localhost/bedside")
    assert _normalise_url("postgresql://u:p@h:5/db").startswith("postgresql+psycopg://u:p@h:5/db")
    assert _normalise_url("sqlite:////x/y.db") == "sqlite:////x/y.db"


def test_the_default_database_is_a_sqlite_file_in_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = Store.default_url()
    assert url == f"sqlite:///{tmp_path / 'bedside' / 'bedside.db'}"
    with Store(url) as s:
        assert s.cases() == []
    assert (tmp_path / "bedside" / "bedside.db").exists()


# -- ingest -------------------------------------------------------------------------------


def test_the_same_batch_twice_is_stored_once(store):
    batch = evs(range(1, 51))
    assert store.ingest(DEV, CASE, batch) == (50, 0)
    assert store.ingest(DEV, CASE, batch) == (0, 50)
    got = store.events(DEV, CASE)
    assert [e.seq for e in got] == list(range(1, 51))
    assert [e.payload for e in got] == [b[1] for b in batch]  # the exact bytes


def test_overlapping_batches_and_repeats_inside_a_batch_store_each_seq_once(store):
    assert store.ingest(DEV, CASE, evs(range(1, 61))) == (60, 0)
    assert store.ingest(DEV, CASE, evs(range(40, 101))) == (40, 21)
    assert store.ingest(DEV, CASE, evs([101, 101, 102, 50])) == (2, 2)
    assert store.ingest(DEV, CASE, []) == (0, 0)
    assert stored_seqs(store) == list(range(1, 103))
    assert store.checkpoint(DEV, CASE) == 102


def test_payloads_are_kept_byte_for_byte(store):
    odd = [bytes(range(256)), b"", b"\x00" * 80, b"\xc1\xff\x00msgpack?"]
    store.ingest(DEV, CASE, [(i + 1, p, "note", 3, 10 * i) for i, p in enumerate(odd)])
    assert [e.payload for e in store.events(DEV, CASE)] == odd
    assert all(type(e.payload) is bytes for e in store.events(DEV, CASE))


def test_a_different_payload_under_a_stored_key_is_kept_out_and_audited(store):
    store.ingest(DEV, CASE, evs(range(1, 4)))
    sid = store.begin_sync(DEV, "host-a")
    original = store.events(DEV, CASE)[1].payload
    assert store.ingest(DEV, CASE, [(2, b"something else", "confirm", 1, 2000)], sync_session=sid) == (0, 1)
    assert store.events(DEV, CASE)[1].payload == original
    conflict = [a for a in store.audit_log(DEV) if a.action == "event_conflict"]
    assert len(conflict) == 1 and "[2]" in conflict[0].detail and conflict[0].host_id == "host-a"


def test_bad_events_are_refused_before_anything_is_written(store):
    for bad in ([(0, b"x", "k", 1, 1)], [(1, "text", "k", 1, 1)], [(True, b"x", "k", 1, 1)]):
        with pytest.raises(StoreError):
            store.ingest(DEV, CASE, bad)
    assert store.cases() == []


def test_ingest_for_a_case_not_yet_announced_creates_it(store):
    store.ingest("panel-new", "c-9", evs([1, 2]))
    (case,) = store.cases("panel-new")
    assert (case.state, case.event_count, case.acked_seq, case.stored_seq) == ("open", 0, 0, 2)


def test_the_database_itself_refuses_a_duplicate_event_and_an_orphan(store):
    store.ingest(DEV, CASE, evs([1]))
    row = {"device_id": DEV, "case_id": CASE, "seq": 1, "kind": "confirm", "boot": 1, "ticks": 1,
           "payload": b"x", "received_at": datetime.now(timezone.utc)}
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert(Event), [row])  # plain INSERT, no ON CONFLICT: the key is the database's
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert(Event), [dict(row, case_id="no-such-case")])  # foreign keys on, SQLite too
    assert stored_seqs(store) == [1]


# -- checkpoint ---------------------------------------------------------------------------


def test_checkpoint_is_the_end_of_the_unbroken_run_from_1(store):
    assert store.checkpoint(DEV, CASE) == 0  # nothing known at all
    store.upsert_case(DEV, CASE, "open", 5, 0)
    assert store.checkpoint(DEV, CASE) == 0  # a case with no events
    store.ingest(DEV, CASE, evs([2, 3]))
    assert store.checkpoint(DEV, CASE) == 0  # 1 is missing
    store.ingest(DEV, CASE, evs([1, 5]))
    assert store.checkpoint(DEV, CASE) == 3  # 1, 2, 3, 5
    assert store.cases()[0].stored_seq == 3
    store.ingest(DEV, CASE, evs([4]))
    assert store.checkpoint(DEV, CASE) == 5
    assert store.cases()[0].stored_seq == 5 and store.cases()[0].complete
    store.ingest(DEV, CASE, evs([7, 8, 9]))
    assert store.checkpoint(DEV, CASE) == 5
    assert store.checkpoint(DEV, "other") == 0


def test_checkpoint_is_computed_in_the_database_not_from_loaded_rows(store):
    store.ingest(DEV, CASE, evs([s for s in range(1, 3001) if s != 2500]))
    seen = []
    event.listen(store.engine, "before_cursor_execute", lambda c, cur, st, p, ctx, many: seen.append(st))
    t0 = time.perf_counter()
    assert store.checkpoint(DEV, CASE) == 2499
    assert time.perf_counter() - t0 < 0.5
    queries = [q for q in seen if not q.startswith("BEGIN")]  # SQLite's BEGIN is sent as a statement
    assert len(queries) == 1 and "count(" in queries[0]  # one aggregate: no rows travel


# -- bulk ---------------------------------------------------------------------------------


def test_4000_events_go_in_as_a_few_statements(store):
    statements = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda c, cur, st, p, ctx, many: statements.append((st.split()[0], many)))
    t0 = time.perf_counter()
    assert store.ingest(DEV, CASE, evs(range(1, 4001))) == (4000, 0)
    elapsed = time.perf_counter() - t0
    assert len(statements) <= 12, statements  # one executemany for the events, no per-row round trips
    assert [m for _, m in statements].count(True) == 1
    assert elapsed < 5, elapsed
    statements.clear()
    assert store.ingest(DEV, CASE, evs(range(1, 4001))) == (0, 4000)
    assert len(statements) <= 6, statements
    assert store.checkpoint(DEV, CASE) == 4000


def test_the_benchmark_helper_measures_an_ingest(db_url):
    rate = ingest_rate(db_url, n=400)
    assert rate > 100


# -- time anchors -------------------------------------------------------------------------


def nearest(anchors, ticks):
    """The reference rule: the anchor nearest in ticks, the earlier one on a tie."""
    a_ticks, a_wall = min(anchors, key=lambda a: (abs(ticks - a[0]), a[0]))
    return a_wall + ticks - a_ticks


def test_anchors_fill_wall_times_of_stored_and_of_later_events(store):
    store.ingest(DEV, CASE, [ev(1, boot=7, ticks=1000), ev(2, boot=7, ticks=3000), ev(3, boot=8, ticks=500)])
    assert [e.wall_ms for e in store.events(DEV, CASE)] == [None, None, None]
    assert store.cases()[0].started_at is None

    assert store.add_anchors(DEV, [(7, 2500, T0)]) == 1
    assert store.add_anchors(DEV, [(7, 2500, T0)]) == 0  # the same anchor again
    assert [e.wall_ms for e in store.events(DEV, CASE)] == [T0 - 1500, T0 + 500, None]
    case = store.cases()[0]
    assert case.start_wall_ms == T0 - 1500
    assert case.started_at == datetime.fromtimestamp((T0 - 1500) / 1000, tz=timezone.utc)

    store.ingest(DEV, CASE, [ev(4, boot=7, ticks=9000), ev(5, boot=8, ticks=900)])
    assert [e.wall_ms for e in store.events(DEV, CASE)][3:] == [T0 + 6500, None]


def test_the_nearest_anchor_of_the_boot_wins_whichever_way_the_events_arrive(store):
    anchors = [(2500, T0), (5000, T0 + 2540)]  # the board's clock drifted 40 ms between them
    ticks = [1000, 3000, 3750, 4000, 6000]  # 3750 is a tie: the earlier anchor
    store.ingest(DEV, "before", [ev(i + 1, boot=7, ticks=t) for i, t in enumerate(ticks)])
    store.add_anchors(DEV, [(7, t, w) for t, w in anchors] + [(9, 0, T0 - 99)])
    store.ingest(DEV, "after", [ev(i + 1, boot=7, ticks=t) for i, t in enumerate(ticks)])
    expected = [nearest(anchors, t) for t in ticks]
    assert expected[2] == T0 + 1250
    assert [e.wall_ms for e in store.events(DEV, "before")] == expected
    assert [e.wall_ms for e in store.events(DEV, "after")] == expected


def test_an_anchor_the_host_cannot_show_is_refused_and_nothing_of_the_batch_is_stored(store):
    store.ingest(DEV, CASE, [ev(1, boot=7, ticks=1000)])
    for wall in (2**64 - 1, 10**16, 2**63, 5, 0, WALL_MAX_MS):
        with pytest.raises(StoreError, match="2000 to 2200"):
            store.add_anchors(DEV, [(7, 2500, T0), (7, 900, wall)])
    for boot, ticks in ((2**32, 0), (7, -1), (7, 2**40), ("7", 0), (True, 0)):
        with pytest.raises(StoreError):
            store.add_anchors(DEV, [(boot, ticks, T0)])
    assert [e.wall_ms for e in store.events(DEV, CASE)] == [None]
    assert store.add_anchors(DEV, [(7, 2500, WALL_MIN_MS)]) == 1  # the window's edge is inside


def test_unknown_kind_boot_and_ticks_are_stored_as_unknown_and_odd_ones_refused(store):
    store.add_anchors(DEV, [(7, 0, T0)])
    assert store.ingest(DEV, CASE, [ev(1, boot=7), (2, b"\x90", None, None, None), (3, b"\x80", "note", 7, None)]) \
        == (3, 0)
    rows = store.events(DEV, CASE)
    assert [(e.kind, e.boot, e.ticks, e.wall_ms) for e in rows] == [
        ("confirm", 7, 1000, T0 + 1000), (None, None, None, None), ("note", 7, None, None)]
    assert rows[1].payload == b"\x90"  # the panel's bytes, whatever they hold
    for bad in ((4, b"x", "confirm", 2**32, 0), (4, b"x", "confirm", 1, -5), (4, b"x", 17, 1, 0),
                (4, b"x", "k" * 33, 1, 0), (2**31, b"x", "confirm", 1, 0), (4, b"x", "confirm", 1, 2**70)):
        with pytest.raises(StoreError):
            store.ingest(DEV, CASE, [bad])
    assert stored_seqs(store) == [1, 2, 3]


def test_a_wall_time_stored_by_an_older_version_reads_as_unknown_not_a_crash(store):
    from bedside.store.summaries import list_cases

    store.ingest(DEV, CASE, [ev(1, boot=7, ticks=1000)])
    for bad in (10**16, 2**63 - 1, -(2**63)):  # what add_anchors let through before its window
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE cases SET start_wall_ms = :w"), {"w": bad})
            conn.execute(text("UPDATE events SET wall_ms = :w"), {"w": bad})
        assert store.cases()[0].started_at is None
        (row,) = list_cases(store).rows
        assert row.date_source == "host" and row.date == store.cases()[0].first_seen


# -- two hosts at once --------------------------------------------------------------------


def test_two_hosts_ingesting_overlapping_ranges_at_once_store_every_seq_exactly_once(db_url):
    hosts = [Store(db_url), Store(db_url)]
    ranges = [range(1, 601), range(301, 901)]
    barrier = threading.Barrier(2)
    results, errors = [[], []], []

    def sync(i):
        try:
            barrier.wait()
            seqs = list(ranges[i])
            for w in range(0, len(seqs), 50):  # windows of 50, as a sync streams them
                results[i].append(hosts[i].ingest(DEV, CASE, evs(seqs[w:w + 50])))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=sync, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        new = sum(n for r in results for n, _ in r)
        dup = sum(d for r in results for _, d in r)
        assert (new, dup) == (900, 300)
        with hosts[0].engine.connect() as conn:
            per_seq = conn.execute(
                select(Event.seq, func.count()).where(Event.device_id == DEV, Event.case_id == CASE)
                .group_by(Event.seq)
            ).all()
        assert sorted(s for s, _ in per_seq) == list(range(1, 901))
        assert {n for _, n in per_seq} == {1}
        assert hosts[1].checkpoint(DEV, CASE) == 900
        assert hosts[0].cases()[0].stored_seq == 900
    finally:
        for h in hosts:
            h.close()


# -- devices, cases, operators ------------------------------------------------------------


def test_devices_and_cases_are_upserted_and_listed_newest_first(store):
    store.upsert_device(DEV, "0.1.0", "cto-2026.11.1")
    store.upsert_device(DEV, "0.2.0", "cto-2026.11.2")
    store.upsert_case(DEV, "c-1", "open", 10, 0)
    store.upsert_case(DEV, "c-2", "open", 3, 0)
    store.upsert_case("panel-b", "c-1", "closed", 1, 1)
    store.upsert_case(DEV, "c-1", "closed", 12, 4)
    with store.engine.connect() as conn:
        dev = conn.execute(text("SELECT firmware, content_version FROM devices WHERE device_id = :d"),
                           {"d": DEV}).one()
    assert tuple(dev) == ("0.2.0", "cto-2026.11.2")
    assert [(c.device_id, c.case_id) for c in store.cases()] == [("panel-b", "c-1"), (DEV, "c-2"), (DEV, "c-1")]
    c1 = [c for c in store.cases(DEV) if c.case_id == "c-1"][0]
    assert (c1.state, c1.event_count, c1.acked_seq, c1.stored_seq, c1.complete) == ("closed", 12, 4, 0, False)
    assert len(store.cases(DEV)) == 2
    with pytest.raises(StoreError):
        store.upsert_case(DEV, "c-1", "paused", 1, 1)


def test_operators_and_the_hosts_reference_of_a_case(store):
    a = store.add_operator("Dr A", 2009)
    b = store.add_operator("Dr B")
    assert store.operators() == [(a, "Dr A", 2009), (b, "Dr B", None)]
    store.upsert_case(DEV, "c-1", "open", 0, 0)
    store.upsert_case(DEV, "c-2", "open", 0, 0)
    store.assign_case(DEV, "c-1", reference="CL-2026-0042", operator_id=a)
    c1 = [c for c in store.cases() if c.case_id == "c-1"][0]
    assert (c1.reference, c1.operator_id) == ("CL-2026-0042", a)
    with pytest.raises(IntegrityError):
        store.assign_case(DEV, "c-2", reference="CL-2026-0042")  # a reference names one case
    with pytest.raises(IntegrityError):
        store.assign_case(DEV, "c-2", operator_id=999)
    with pytest.raises(StoreError):
        store.assign_case(DEV, "no-such-case", reference="x")


def test_every_timestamp_is_timezone_aware_utc(store):
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    store.upsert_case(DEV, CASE, "open", 1, 0)
    store.ingest(DEV, CASE, evs([1]))
    sid = store.begin_sync(DEV, "host-a")
    store.finish_sync(sid, "done", 1, 0, 1)
    store.audit("sync_done", "host-a", DEV)
    stamps = [store.cases()[0].first_seen, store.cases()[0].last_seen, store.events(DEV, CASE)[0].received_at,
              store.sync_sessions()[0].started_at, store.sync_sessions()[0].finished_at, store.audit_log()[0].at]
    for t in stamps:
        assert t.utcoffset() == timedelta(0) and before <= t <= datetime.now(timezone.utc)


# -- sync sessions and audit --------------------------------------------------------------


def test_sync_sessions_and_audit_rows_are_recorded(store):
    store.audit("pair", "host-a", DEV, "code accepted")
    sid = store.begin_sync(DEV, "host-a")
    store.audit("sync_started", "host-a", DEV, f"session {sid}")  # as the sync client does
    (running,) = store.sync_sessions(DEV)
    assert (running.id, running.status, running.host_id, running.finished_at) == (sid, "running", "host-a", None)
    store.ingest(DEV, CASE, evs([1, 2]), sync_session=sid)
    assert {e.sync_session_id for e in store.events(DEV, CASE)} == {sid}
    store.finish_sync(sid, "done", 2, 0, 1)
    store.audit("sync_done", "host-a", DEV, "1 case, 2 new events")
    sid2 = store.begin_sync(DEV, "host-b")
    store.finish_sync(sid2, "failed", 0, 0, 0, error="cable pulled")
    store.audit("sync_failed", "host-b", DEV, "cable pulled")
    store.audit("auth_failed", "host-c", "panel-unknown", "bad HMAC")

    done, failed = sorted(store.sync_sessions(), key=lambda s: s.id)
    assert (done.status, done.events_new, done.events_duplicate, done.cases_seen, done.error) == ("done", 2, 0, 1, None)
    assert (failed.status, failed.error, failed.host_id) == ("failed", "cable pulled", "host-b")
    assert done.finished_at >= done.started_at
    assert [s.id for s in store.sync_sessions("panel-unknown")] == []
    actions = [(a.action, a.host_id, a.device_id) for a in reversed(store.audit_log())]
    assert actions == [  # begin_sync and finish_sync write no audit rows of their own
        ("pair", "host-a", DEV), ("sync_started", "host-a", DEV), ("sync_done", "host-a", DEV),
        ("sync_failed", "host-b", DEV), ("auth_failed", "host-c", "panel-unknown"),
    ]
    assert store.audit_log(DEV)[0].detail == "cable pulled"
    assert [a.action for a in store.audit_log("panel-unknown")] == ["auth_failed"]
    assert len(store.audit_log(limit=2)) == 2
    with pytest.raises(StoreError):
        store.finish_sync(sid, "running", 0, 0, 0)
    with pytest.raises(StoreError):
        store.finish_sync(12345, "done", 0, 0, 0)


# -- boundaries ---------------------------------------------------------------------------


def test_the_store_imports_neither_textual_nor_serial():
    code = "import json, sys, bedside.store; print(json.dumps(sorted(sys.modules)))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    loaded = {m.split(".")[0] for m in json.loads(res.stdout)}
    assert not loaded & {"textual", "serial", "rich"}
    assert {"sqlalchemy", "alembic"} <= loaded

