"""Baseline: feedback, conversation turns and assessments.

Databases written before migrations existed already hold some of these tables; they are kept as they
are, with their rows, and only the missing ones are created.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bots.store.schema import assessments, feedback, turns

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in (feedback, turns, assessments):
        if table.name not in existing:
            table.create(bind)


def downgrade() -> None:
    for name in ("assessments", "turns", "feedback"):
        op.drop_table(name)
