"""participation_days: messages per community and day, kept in step by triggers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:00:00

``participation`` has one row per person, community and day; ``stats``, the digests and the
activity pages add up its sum per community and day. ``participation_days`` holds that sum,
filled from what is there and kept in step by triggers on ``participation``
(``storage.models.participation_days``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models.participation_days import REBUILD, create_statements, drop_statements

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "participation_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_participation_days_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("day", "community_id", name=op.f("pk_participation_days")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_participation_days_community_day",
        "participation_days",
        ["community_id", "day"],
        unique=False,
    )
    dialect = op.get_bind().dialect.name
    for statement in (*REBUILD, *create_statements(dialect)):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_participation_days_community_day", table_name="participation_days")
    op.drop_table("participation_days")
