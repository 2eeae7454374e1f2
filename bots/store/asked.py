"""What each question got, for the editors' view: status, relevance, outcomes, cited documents, ratings.

Question and answer text (masked like every stored text) is kept for the editors' retention period and
then blanked; the counts stay.
"""

from __future__ import annotations

import json
import time

from sqlalchemy import Connection, delete, insert, select, update

from assistant.answer import Answer
from assistant.editors.records import Asked, Rating
from assistant.privacy import mask_personal_data
from bots.store.database import Database
from bots.store.schema import asked, feedback

DAY = 86_400.0


def channel_of(conversation_id: str | None) -> str:
    """Slack's conversation ids start with "slack:"; every other conversation is the web's."""
    return "slack" if (conversation_id or "").startswith("slack:") else "web"


class AskedLog:
    """One row per answered question, joined with its ratings when read."""

    def __init__(self, database: Database, *, retention_days: float = 30.0):
        self.database = database
        self.retention_seconds = retention_days * DAY

    def record(self, answer: Answer) -> None:
        """Keep what this answer was (a listener of the conversation store: called once it is stored)."""
        if not answer.message_id:
            return
        now = time.time()
        row = {
            "message_id": answer.message_id,
            "created_at": now,
            "channel": channel_of(answer.conversation_id),
            "question": mask_personal_data(answer.question),
            "answer_text": mask_personal_data(answer.text),
            "status": answer.status,
            "rule": answer.rule,
            "kind": answer.kind or None,
            "relevance": answer.relevance,
            "outcomes": json.dumps([o.slug for o in answer.outcomes]),
            "doc_ids": json.dumps(list(dict.fromkeys(c.doc_id for c in answer.citations))),
        }
        with self.database.write() as db:
            db.execute(delete(asked).where(asked.c.message_id == answer.message_id))
            db.execute(insert(asked).values(**row))
            self._forget(db, now)

    def purge_expired(self) -> None:
        """Blank the text of questions older than the retention period."""
        with self.database.write() as db:
            self._forget(db, time.time())

    def _forget(self, db: Connection, now: float) -> None:
        old = asked.c.created_at < now - self.retention_seconds
        db.execute(
            update(asked).where(old, asked.c.question.is_not(None)).values(question=None, answer_text=None)
        )

    def since(self, since: float) -> list[Asked]:
        """Every question asked since the time (seconds since the epoch), oldest first, with its ratings."""
        with self.database.connect() as db:
            rows = db.execute(select(asked).where(asked.c.created_at >= since).order_by(asked.c.created_at))
            found = [dict(row) for row in rows.mappings()]
            ratings: dict[str, list[Rating]] = {}
            if found:
                query = select(feedback.c.message_id, feedback.c.rating, feedback.c.comment).where(
                    feedback.c.message_id.in_([row["message_id"] for row in found])
                )
                for r in db.execute(query).mappings():
                    ratings.setdefault(r["message_id"], []).append(Rating(r["rating"] == "up", r["comment"]))
        return [
            Asked(
                message_id=row["message_id"],
                created_at=row["created_at"],
                channel=row["channel"],
                question=row["question"],
                answer_text=row["answer_text"],
                status=row["status"],
                rule=row["rule"],
                kind=row["kind"] or "",
                relevance=row["relevance"],
                outcomes=json.loads(row["outcomes"]),
                doc_ids=json.loads(row["doc_ids"]),
                ratings=ratings.get(row["message_id"], []),
            )
            for row in found
        ]
