"""The cases table holds each case's in-hospital MACE (reports compare PROGRESS-CTO MACE with it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

One nullable column: rows written before it are rebuilt on the next read, since
bedside.store.summaries.SUMMARY_VERSION went to 4 with it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("case_summaries", sa.Column("in_hospital_mace", sa.String(length=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_summaries") as batch:
        batch.drop_column("in_hospital_mace")
