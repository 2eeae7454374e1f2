"""Slack event ids, so an event Slack retries to any instance is answered once.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

from bots.store.schema import slack_events

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    slack_events.create(op.get_bind())


def downgrade() -> None:
    op.drop_table("slack_events")
