"""Ratings of answers, from the web widget and from Slack's buttons."""

from __future__ import annotations

import time
from typing import Any, Literal

from bots.store.conversations import ConversationStore
from bots.store.database import Database

Rating = Literal["up", "down"]


class FeedbackStore:
    """Thumbs up or down on an answer, with an optional comment and the question it answered."""

    def __init__(self, database: Database, conversations: ConversationStore):
        self.database = database
        self.conversations = conversations

    def add(
        self,
        *,
        conversation_id: str,
        message_id: str,
        rating: Rating,
        comment: str | None = None,
        channel: str = "web",
        user: str | None = None,
    ) -> int:
        """Store one rating; returns its id."""
        if rating not in ("up", "down"):
            raise ValueError("rating must be 'up' or 'down'")
        turn = self.conversations.turn(message_id)
        question = turn.question if turn else None
        status = turn.answer.status if turn else None
        with self.database.connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created_at, channel, conversation_id, message_id, rating, comment, user,"
                " question, answer_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time(), channel, conversation_id, message_id, rating, comment, user, question, status),
            )
            return int(cursor.lastrowid or 0)

    def recent(self, *, limit: int = 1000) -> list[dict[str, Any]]:
        """The newest ratings first."""
        with self.database.connect() as db:
            rows = db.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(row) for row in rows]
