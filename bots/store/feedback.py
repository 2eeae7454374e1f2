"""Ratings of answers, from the web widget and from Slack's buttons."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy import delete, insert, select

from assistant.privacy import mask_optional
from bots.store.conversations import ConversationStore
from bots.store.database import Database
from bots.store.schema import feedback

Rating = Literal["up", "down"]


class FeedbackStore:
    """Thumbs up or down on an answer, with an optional comment and the question it answered."""

    def __init__(self, database: Database, conversations: ConversationStore):
        self.database = database
        self.conversations = conversations
        # Called with each rating once it is stored (metrics count ratings this way).
        self.listeners: list[Callable[[str], None]] = []

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
        """Store one rating, replacing an earlier one of the same answer by the same rater; returns its id."""
        if rating not in ("up", "down"):
            raise ValueError("rating must be 'up' or 'down'")
        turn = self.conversations.turn(message_id)
        question = turn.question if turn else None
        status = turn.answer.status if turn else None
        row = {
            "created_at": time.time(),
            "channel": channel,
            "conversation_id": conversation_id,
            "message_id": message_id,
            "rating": rating,
            "comment": mask_optional(comment),
            "user": user,
            "question": question,
            "answer_status": status,
        }
        with self.database.write() as db:
            # One rating per answer per conversation (per person in Slack): the latest wins.
            same_rater = feedback.c.user.is_(None) if user is None else feedback.c.user == user
            db.execute(
                delete(feedback).where(
                    feedback.c.conversation_id == conversation_id,
                    feedback.c.message_id == message_id,
                    same_rater,
                )
            )
            result = db.execute(insert(feedback).values(**row))
            key = result.inserted_primary_key
        for listener in self.listeners:
            listener(rating)
        return int(key[0]) if key else 0

    def recent(self, *, limit: int = 1000) -> list[dict[str, Any]]:
        """The newest ratings first."""
        with self.database.connect() as db:
            rows = db.execute(select(feedback).order_by(feedback.c.id.desc()).limit(limit)).mappings().all()
        return [dict(row) for row in rows]
