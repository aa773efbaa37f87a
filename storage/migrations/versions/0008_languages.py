"""Languages: each person's own choice and last platform locale, each community's default

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:30:00

``people.language`` is what a person chose with ``language fr|es|en`` (None: not chosen);
``people.platform_locale`` is the locale Slack or Teams last reported for them, so scheduled
messages (nudges) reach them in it; ``communities.language`` is the language of the
community's channel posts (None: ``COPBOT_LANGUAGE``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("language", sa.String(8)))
        batch.add_column(sa.Column("platform_locale", sa.String(16)))
    with op.batch_alter_table("communities") as batch:
        batch.add_column(sa.Column("language", sa.String(8)))


def downgrade() -> None:
    with op.batch_alter_table("communities") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("platform_locale")
        batch.drop_column("language")
