"""Alembic environment of the host store: migrates the connection the Store hands over, or a URL."""

from alembic import context
from sqlalchemy import create_engine, pool

from bedside.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(**kw) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things: later migrations rebuild its tables in batch mode.
        render_as_batch=True,
        **kw,
    )


def run_offline() -> None:
    """Emit the SQL for a URL without connecting (alembic upgrade --sql: for a DBA's review)."""
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate on Store's connection, inside its transaction; or connect to the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
