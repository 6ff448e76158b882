"""Database fixtures for every test that touches the host store: each test runs on SQLite and on PostgreSQL.

`db_url` is parametrized over "sqlite" (a new file in the test's temp dir) and
"postgresql" (a database of its own on the server of BEDSIDE_TEST_PG_URL, created per
test module and emptied before each test: other sessions ended, public schema dropped
and recreated, so every test starts from nothing; dropped after the module).
Without BEDSIDE_TEST_PG_URL the PostgreSQL case skips locally and fails under
BEDSIDE_CI=1 (conftest.need_ci_service); .ci/run starts a server and sets it.
`store` is a Store opened (so migrated) on `db_url` and closed after the test.
ingest_whih(store, ...) puts the scripted WHIH case (bedside.scenarios), with any further events, into a store.

Use: conftest.py imports these fixtures (and pg_module_database, which db_url needs),
so any test file can ask for `db_url` or `store`.
A local PostgreSQL as CI runs it: eval "$(sudo .ci/run pg-env)", then pytest as usual.
"""

import os
import uuid

import pytest

PG_ENV = "BEDSIDE_TEST_PG_URL"


def pg_admin_url():
    """The CI server's URL, or a skip (a failure in CI) when there is none."""
    url = os.environ.get(PG_ENV)
    if not url:
        from conftest import need_ci_service

        need_ci_service(f"{PG_ENV} not set: no PostgreSQL server")
    return url


def _engine(url, **kw):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    return create_engine(u, **kw)


@pytest.fixture(scope="module")
def pg_module_database():
    """A PostgreSQL database for one test module (CREATE DATABASE costs ~0.4 s of fsyncs), dropped after it."""
    from sqlalchemy import text

    admin = _engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = "bedside_t_" + uuid.uuid4().hex[:16]
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_pg_database(url):
    """Make the module's database as new: end its other sessions, drop and recreate the public schema."""
    from sqlalchemy import text

    eng = _engine(url, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                # only the tests' own client sessions: an autovacuum worker (a superuser's) may be there too
                " AND backend_type = 'client backend' AND usename = current_user"
            ))
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A URL of a new, empty database: a SQLite file, or an emptied PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bedside.db'}"
    url = request.getfixturevalue("pg_module_database")
    _empty_pg_database(url)
    return url


@pytest.fixture
def store(db_url):
    """A Store on a new database (migrated to head), closed after the test."""
    from bedside.store import Store

    s = Store(db_url)
    yield s
    s.close()


def ingest_whih(store, device_id, case_id, extra=()):
    """The scripted WHIH case recorded on a panel Case, then `extra` (delay, kind, fields) events, ingested."""
    from bedlink.mpack import pack
    from bedside.scenarios import whih_case
    from panel.case import Case

    c, t = None, 0
    for delay, kind, fields in list(whih_case()) + list(extra):
        t += delay
        if kind == "new_case":
            c = Case.open(case_id, t, boot=3)
        else:
            c.record(kind, t, fields or None)
    store.ingest(device_id, case_id, [(e["seq"], pack(e), e["k"], e["b"], e["t"]) for e in c.events])
