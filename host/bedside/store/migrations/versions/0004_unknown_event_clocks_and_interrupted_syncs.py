"""An event's kind, boot and ticks may be unknown; a sync may end "interrupted".

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

A panel's value the host cannot represent (a tick count of 2**40, a kind that is not
text) is stored as NULL, never as 0, and reported (bedside.panelvalues); the event's
payload keeps the panel's bytes as they came. A sync stopped by Ctrl-C ends as
"interrupted" instead of staying "running" (its status column widens from 8 characters to 16 for
the word). SQLite rebuilds both tables (batch mode).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('running', 'done', 'failed')"
NEW = "status IN ('running', 'done', 'failed', 'interrupted')"


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.alter_column("kind", existing_type=sa.String(length=32), nullable=True)
        batch.alter_column("boot", existing_type=sa.BigInteger(), nullable=True)
        batch.alter_column("ticks", existing_type=sa.BigInteger(), nullable=True)
    with op.batch_alter_table("sync_sessions") as batch:
        batch.drop_constraint(op.f("ck_sync_sessions_status"), type_="check")
        batch.alter_column("status", existing_type=sa.String(length=8), type_=sa.String(length=16),
                           existing_nullable=False)
        batch.create_check_constraint(op.f("ck_sync_sessions_status"), NEW)


def downgrade() -> None:
    op.execute("UPDATE sync_sessions SET status = 'failed' WHERE status = 'interrupted'")
    with op.batch_alter_table("sync_sessions") as batch:
        batch.drop_constraint(op.f("ck_sync_sessions_status"), type_="check")
        batch.alter_column("status", existing_type=sa.String(length=16), type_=sa.String(length=8),
                           existing_nullable=False)
        batch.create_check_constraint(op.f("ck_sync_sessions_status"), OLD)
    op.execute("DELETE FROM events WHERE kind IS NULL OR boot IS NULL OR ticks IS NULL")
    with op.batch_alter_table("events") as batch:
        batch.alter_column("kind", existing_type=sa.String(length=32), nullable=False)
        batch.alter_column("boot", existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column("ticks", existing_type=sa.BigInteger(), nullable=False)
