"""People's own settings (working hours and days, a chosen time zone); feedback's subject author

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:00:00

``settings hours 08:00-16:00``, ``settings days mon-thu`` and ``settings timezone
Europe/Zurich`` store the person's choice here; empty means the organisation's default (hours,
days) or the platform's time zone. ``feedback.subject_author_id`` is the author of the message
that feedback was given on with the "Give feedback" shortcut.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("working_hours", sa.String(32), nullable=True))
        batch.add_column(sa.Column("working_days", sa.String(32), nullable=True))
        batch.add_column(sa.Column("own_timezone", sa.String(64), nullable=True))
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("subject_author_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_feedback_subject_author_id_people",
            "people",
            ["subject_author_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_feedback_subject_author_id", ["subject_author_id"])


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_index("ix_feedback_subject_author_id")
        batch.drop_constraint("fk_feedback_subject_author_id_people", type_="foreignkey")
        batch.drop_column("subject_author_id")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("own_timezone")
        batch.drop_column("working_days")
        batch.drop_column("working_hours")
