"""Mentions in channels and direct messages: acknowledged at once, answered by a lazy listener."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bots.feedback import FeedbackStore
from bots.slack.answering import answer_in_conversation
from bots.slack.questions import question_from

if TYPE_CHECKING:
    from assistant.rag import Assistant


def register(app: App, assistant: Assistant, feedback: FeedbackStore) -> None:
    """Answer app_mention events and message.im events from people."""

    def acknowledge(ack: Ack) -> None:
        ack()

    def answer(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        question = question_from(body)
        if question is None:  # edits, joins, other bots' posts and the like
            return
        answer_in_conversation(
            question,
            assistant=assistant,
            feedback=feedback,
            client=client,
            bot_user_id=context.bot_user_id,
            bot_id=context.bot_id,
        )

    # Every message event is matched, so none is logged as unhandled; answer() skips what is not a question.
    app.event("app_mention")(ack=acknowledge, lazy=[answer])
    app.event("message")(ack=acknowledge, lazy=[answer])
