"""What the bots keep between requests, in one SQLite file: conversations and the feedback on answers."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.config import Settings
from bots.store.conversations import ConversationStore, StoredTurn
from bots.store.database import Database
from bots.store.feedback import FeedbackStore, Rating

__all__ = ["ConversationStore", "Database", "FeedbackStore", "Rating", "StoredTurn", "Stores", "open_stores"]


@dataclass(frozen=True)
class Stores:
    """The conversation memory and the feedback store, sharing one database (web and Slack alike)."""

    conversations: ConversationStore
    feedback: FeedbackStore


def open_stores(settings: Settings) -> Stores:
    """The stores at settings.feedback_path, bounded by the conversation settings."""
    database = Database(settings.feedback_path)
    conversations = ConversationStore(
        database, max_turns=settings.conversation_max_turns, ttl_hours=settings.conversation_ttl_hours
    )
    return Stores(conversations, FeedbackStore(database, conversations))
